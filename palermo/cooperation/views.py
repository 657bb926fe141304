"""Pages of requests between states and agencies: list, send, follow and answer."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date

from palermo.cooperation import rules, selectors, services
from palermo.core import selectors as core_selectors
from palermo.core.rules import FieldErrors
from palermo.core.selectors import NotVisible
from palermo.core.services import NotPermitted
from palermo.federation.models import Partner


@login_required
def request_list(request):
    direction = request.GET.get("direction", "")
    overdue = request.GET.get("overdue") == "1"
    now = timezone.now()
    found = selectors.requests(request.user, direction=direction, overdue=overdue)[:500]
    rows = [(r, rules.is_overdue(r.status, r.deadline, now)) for r in found]
    return render(request, "cooperation/request_list.html", {
        "rows": rows, "direction": direction, "overdue": overdue, "overview": selectors.overview(request.user),
        "may_send": request.user.has_role(*services.SENDING_ROLES)})


def _deadline_from(raw: str):
    day = parse_date(raw or "")
    return timezone.make_aware(datetime(day.year, day.month, day.day, 23, 59)) if day else None


@login_required
def request_new(request):
    user = request.user
    if not user.has_role(*services.SENDING_ROLES):
        return HttpResponseForbidden("your role does not send requests abroad")
    errors: dict = {}
    if request.method == "POST":
        data = {key: request.POST.get(key, "") for key in ("kind", "subject", "details", "case", "sensitivity")}
        data["partner"], _, data["partner_agency"] = request.POST.get("to", "").partition("|")
        if request.POST.get("deadline") and _deadline_from(request.POST["deadline"]) is None:
            errors = {"deadline": ["give a date (YYYY-MM-DD)"]}
        else:
            data["deadline"] = _deadline_from(request.POST.get("deadline", ""))
            try:
                created = services.send_request(user, data)
            except FieldErrors as exc:
                errors = exc.errors
            except NotPermitted as exc:
                return HttpResponseForbidden(str(exc))
            else:
                return redirect("cooperation:request_detail", created.pk)
    partners = [p for p in Partner.objects.filter(status=Partner.ACTIVE)
                if services.REQUEST_TYPE in p.allowed_message_types]
    kinds = [k for k in rules.kinds().values() if user.has_role(*k.roles)]
    return render(request, "cooperation/request_new.html", {
        "partners": partners, "kinds": kinds, "errors": errors, "form": request.POST,
        "cases": core_selectors.case_list(user)[:200]}, status=400 if errors else 200)


@login_required
def request_detail(request, pk):
    user = request.user
    errors: dict = {}
    if request.method == "POST":
        try:
            services.change_status(user, pk, request.POST.get("status", ""), request.POST.get("note", ""))
        except FieldErrors as exc:
            errors = exc.errors
        except NotVisible as exc:
            raise Http404(str(exc)) from exc
        except NotPermitted as exc:
            return HttpResponseForbidden(str(exc))
        else:
            return redirect("cooperation:request_detail", pk)
    try:
        found = selectors.request_detail(user, pk)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc
    moves = [(s, rules.STATUSES[s]) for s in sorted(rules.allowed_moves(found.direction, found.status))]
    return render(request, "cooperation/request_detail.html", {
        "req": found, "events": found.events.select_related("by_user"), "moves": moves, "errors": errors,
        "overdue": rules.is_overdue(found.status, found.deadline, timezone.now()),
        "kind": rules.kinds().get(found.kind), "form": request.POST}, status=400 if errors else 200)
