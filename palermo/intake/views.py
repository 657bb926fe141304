"""Intake pages: the operator's fast intake form, the signal page with triage, routing and suggested
links, the agency queue, the routing rules, and the public report with its follow-up (no login)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palermo.core.rules import FieldErrors
from palermo.core.selectors import NotVisible
from palermo.core.services import NotPermitted
from palermo.intake import selectors as S
from palermo.intake import services
from palermo.intake.forms import (
    FollowUpAddForm,
    FollowUpLoginForm,
    OperatorIntakeForm,
    PublicReportForm,
    ReassignForm,
    RoutingRuleForm,
)
from palermo.intake.models import RoutingRule, Signal


def _require_intake_role(user) -> None:
    if not user.has_role(*services.INTAKE_ROLES):
        raise PermissionDenied("your role does not record or work on signals")


def _apply_errors(form, exc: FieldErrors) -> None:
    for field, problems in exc.errors.items():
        form.add_error(field if field in form.fields else None, " ".join(problems))


@login_required
def new_signal(request):
    _require_intake_role(request.user)
    if request.method == "POST":
        form = OperatorIntakeForm(request.POST)
        if form.is_valid():
            try:
                signal = services.record_signal(request.user, form.cleaned_data)
            except FieldErrors as exc:
                _apply_errors(form, exc)
            else:
                return redirect("intake:signal", pk=signal.pk)
    else:
        form = OperatorIntakeForm(initial={"country": request.user.agency.country if request.user.agency else ""})
    return render(request, "intake/new_signal.html", {"form": form}, status=400 if form.errors else 200)


def _signal_or_404(user, pk):
    try:
        return S.signal_detail(user, pk)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc


@login_required
def signal_detail(request, pk):
    """Triage, routing and queue history on a GET. The report itself (text, contact, notes, matches) may
    identify a victim: it is shown after the user states a purpose (POST), and that read is audited with it."""
    _require_intake_role(request.user)
    signal = _signal_or_404(request.user, pk)
    can_manage = request.user.has_role(*services.QUEUE_MANAGING_ROLES)
    context = {
        "signal": signal, "read": False, "errors": {}, "purpose": request.POST.get("purpose", ""),
        "same_situation": S.same_situation(request.user, signal), "situation_size": S.situation_size(request.user, signal),
        "assignments": S.assignments(request.user, signal),
        "overdue": signal.status == "new" and signal.sla_due_at < timezone.now(),
        "reassign_form": ReassignForm() if can_manage else None,
        "statuses": [s for s in ("acknowledged", "closed") if s != signal.status],
    }
    if request.method != "POST":
        return render(request, "intake/signal_detail.html", context)
    try:
        S.read_signal(request.user, signal, request.POST.get("purpose"))
    except FieldErrors as exc:
        return render(request, "intake/signal_detail.html", {**context, "errors": exc.errors}, status=400)
    return render(request, "intake/signal_detail.html", {
        **context, "read": True, "links": S.suggested_links(request.user, signal), "notes": signal.notes.all(),
        "text_parts": _highlighted(signal.text, signal.selectors, signal.indicators)})


def _highlighted(text: str, selectors: list[dict], indicators: list[dict]) -> list[tuple[str, str]]:
    """The text cut into (kind, piece) so the page can mark what extraction found and where."""
    marks = sorted([(s["span"][0], s["span"][1], "selector") for s in selectors]
                   + [(h["span"][0], h["span"][1], "indicator") for h in indicators])
    parts, cursor = [], 0
    for start, end, kind in marks:
        if start < cursor:
            continue
        parts.append(("", text[cursor:start]))
        parts.append((kind, text[start:end]))
        cursor = end
    parts.append(("", text[cursor:]))
    return [(kind, piece) for kind, piece in parts if piece]


@login_required
@require_POST
def reassign(request, pk):
    signal = _signal_or_404(request.user, pk)
    form = ReassignForm(request.POST)
    if form.is_valid():
        try:
            services.reassign(request.user, signal, to_agency=form.cleaned_data["to_agency"],
                              to_task_force=form.cleaned_data["to_task_force"], reason=form.cleaned_data["reason"])
        except FieldErrors as exc:
            messages.error(request, str(exc))
        except NotPermitted as exc:
            raise PermissionDenied(str(exc)) from exc
        else:
            messages.success(request, f"{signal.reference} moved to {signal.queue}.")
            return redirect("intake:queue")
    else:
        messages.error(request, "Choose a queue and give a reason.")
    return redirect("intake:signal", pk=pk)


@login_required
@require_POST
def change_status(request, pk):
    _require_intake_role(request.user)
    signal = _signal_or_404(request.user, pk)
    try:
        services.set_status(request.user, signal, request.POST.get("status", ""))
    except FieldErrors as exc:
        messages.error(request, str(exc))
    return redirect("intake:signal", pk=pk)


@login_required
def queue(request):
    _require_intake_role(request.user)
    now = timezone.now()
    rows = [(signal, signal.sla_due_at - now) for signal in S.queue(request.user)[:200]]
    return render(request, "intake/queue.html", {"rows": rows, "counts": S.queue_counts(request.user),
                                                 "agency": request.user.agency})


@login_required
def routing_rules(request):
    if not request.user.has_role(*services.QUEUE_MANAGING_ROLES):
        raise PermissionDenied("routing rules are edited by supervisors and national coordinators")
    form = RoutingRuleForm(request.POST or None, initial={"country": request.user.agency.country})
    if request.method == "POST" and form.is_valid():
        try:
            services.create_routing_rule(request.user, form.cleaned_data)
        except FieldErrors as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Routing rule added.")
            return redirect("intake:rules")
    rules = RoutingRule.objects.filter(country=request.user.agency.country).select_related(
        "target_agency", "target_task_force")
    return render(request, "intake/rules.html", {"form": form, "rules": rules}, status=400 if form.errors else 200)


@login_required
@require_POST
def deactivate_rule(request, pk):
    rule = RoutingRule.objects.filter(pk=pk, country=request.user.agency.country if request.user.agency else "").first()
    if rule is None:
        raise Http404("no such rule")
    try:
        services.deactivate_routing_rule(request.user, rule)
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from exc
    return redirect("intake:rules")


# --- public pages -------------------------------------------------------------------------------

PUBLIC_LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _public_language(request) -> str | None:
    """?lang=xx switches the page language and remembers it in the language cookie."""
    wanted = request.GET.get("lang")
    if wanted in PUBLIC_LANGUAGES:
        translation.activate(wanted)
        request.LANGUAGE_CODE = wanted
        return wanted
    return None


def _public_render(request, template, context, status=200, remember=None) -> HttpResponse:
    context = {**context, "LANGUAGE_CODE": translation.get_language(), "languages": settings.LANGUAGES}
    response = render(request, template, context, status=status)
    if remember:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, remember, samesite="Lax")
    return response


# The form's own limits count characters. A character can take 4 bytes in UTF-8 and each byte is sent as
# "%XX", so the body may be 12 bytes per allowed character (plus the other fields) before it is too large.
MAX_PUBLIC_BODY = 12 * sum(getattr(field, "max_length", None) or 0 for field in PublicReportForm.base_fields.values()) + 8_000


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return MAX_PUBLIC_BODY + 1


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def public_report(request):
    remember = _public_language(request)
    countries = S.public_countries(translation.get_language())
    form = PublicReportForm(request.POST or None, countries=countries)
    if request.method == "POST":
        if _content_length(request) > MAX_PUBLIC_BODY:
            return _public_render(request, "intake/public_limited.html", {"reason": _("Your report is too long.")},
                                  status=413)
        try:
            services.check_rate_limit(_client_address(request), "report")
        except services.RateLimited:
            return _public_render(request, "intake/public_limited.html", {
                "reason": _("Too many reports from this connection. Please try again in an hour, or call the "
                            "hotline.")}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            if data["website"]:
                # A bot filled in the hidden field: answer as if received, store nothing.
                return _public_render(request, "intake/public_received.html", {"code": None})
            try:
                _signal, code, passphrase = services.submit_public_report({
                    "text": data["text"], "country": data["country"], "location": data["location"],
                    "exploitation_type": data["situation"], "immediate_danger": data["immediate_danger"],
                    "minors_involved": data["minors_involved"], "caller_type": data["caller_type"],
                    "reporter_contact": data["contact"],
                })
            except FieldErrors as exc:
                _apply_errors(form, exc)
            else:
                return _public_render(request, "intake/public_received.html",
                                      {"code": code, "passphrase": passphrase}, status=201)
    return _public_render(request, "intake/public_report.html", {"form": form},
                          status=400 if form.errors else 200, remember=remember)


FOLLOW_UP_SESSION_KEY = "intake_follow_up_signal"


def follow_up(request):
    """The reporter sees that the report was received and can add to it — nothing else."""
    remember = _public_language(request)
    signal = None
    if request.session.get(FOLLOW_UP_SESSION_KEY):
        signal = Signal.objects.filter(pk=request.session[FOLLOW_UP_SESSION_KEY]).first()
    login_form, add_form, added = FollowUpLoginForm(), FollowUpAddForm(), False
    if request.method == "POST" and request.POST.get("leave"):
        request.session.pop(FOLLOW_UP_SESSION_KEY, None)
        signal = None
    elif request.method == "POST" and "passphrase" in request.POST:
        try:
            services.check_rate_limit(_client_address(request), "follow_up")
        except services.RateLimited:
            return _public_render(request, "intake/public_limited.html", {
                "reason": _("Too many attempts from this connection. Please try again in an hour.")}, status=429)
        login_form = FollowUpLoginForm(request.POST)
        if login_form.is_valid():
            signal = services.find_report(login_form.cleaned_data["code"], login_form.cleaned_data["passphrase"])
            if signal is None:
                login_form.add_error(None, _("The code or the passphrase is not right."))
            else:
                request.session.cycle_key()
                request.session[FOLLOW_UP_SESSION_KEY] = signal.pk
    elif request.method == "POST" and signal is not None:
        add_form = FollowUpAddForm(request.POST)
        if add_form.is_valid():
            services.add_reporter_information(signal, add_form.cleaned_data["text"])
            add_form, added = FollowUpAddForm(), True
    context = {"login_form": login_form, "add_form": add_form, "added": added, "signal": signal,
               "additions": signal.notes.filter(from_reporter=True).count() if signal else 0}
    status = 400 if (login_form.errors or add_form.errors) else 200
    return _public_render(request, "intake/public_follow_up.html", context, status=status, remember=remember)

