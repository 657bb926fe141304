"""Thin views: they read through selectors, write through services, and render templates."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from palermo.accounts import grants as G
from palermo.accounts import roles as R
from palermo.accounts import selectors as account_selectors
from palermo.accounts import services as account_services
from palermo.accounts.models import Agency, TaskForce, User
from palermo.audit import checkpoints
from palermo.audit import selectors as audit_selectors
from palermo.core import keyset, services, vocab
from palermo.core import selectors as S
from palermo.core import visibility as V
from palermo.core.models import Case, Organisation, Person, Selector
from palermo.core.normalisation import SELECTOR_TYPES
from palermo.core.redirects import redirect_to_next
from palermo.core.rules import FieldErrors

REVEAL_SUFFIX = re.compile(r"[-a-z0-9]{0,40}")
GOVERNED = {"person": Person, "organisation": Organisation, "case": Case, "selector": Selector}


def _visible_or_404(fn, user, pk):
    try:
        return fn(user, pk)
    except S.NotVisible as exc:
        raise Http404(str(exc)) from exc


@dataclass
class _Page:
    object_list: list
    count: S.CappedCount
    next_cursor: str | None
    previous_cursor: str | None


PAGER_COUNT_CAP = 1_000


def _page(request, queryset, ordering: tuple[str, ...], per_page=25) -> _Page:
    """A keyset page (palermo.core.keyset): following "next" to the end of a long list costs what the first
    page costs. A cursor that does not parse shows the first page. The total stops at PAGER_COUNT_CAP."""
    order = keyset.Ordering(ordering)
    try:
        found = keyset.page(queryset, order, request.GET.get("cursor") or None, per_page)
    except keyset.CursorError:
        found = keyset.page(queryset, order, None, per_page)
    return _Page(found.items, S.capped_count(queryset, PAGER_COUNT_CAP), found.next_cursor, found.previous_cursor)


@login_required
def home(request):
    user = request.user
    return render(request, "ui/home.html", {
        "counts": S.dashboard_counts_capped(user),
        "my_cases": S.case_list(user).filter(lead=user)[:10],
        "shared_cases": S.case_list(user).exclude(owner_agency_id=user.agency_id)[:10],
        "by_status": S.cases_by_status(user),
    })


@login_required
def case_list(request):
    status, exploitation = request.GET.get("status") or None, request.GET.get("exploitation") or None
    return render(request, "ui/case_list.html", {
        "page": _page(request, S.case_list(request.user, status=status, exploitation=exploitation),
                      ("-opened_on", "reference")),
        "statuses": vocab.choices("case_statuses"), "exploitation_types": vocab.choices("exploitation_types"),
        "status": status or "", "exploitation": exploitation or "",
    })


def _csv_export(request, export, filename: str, title: str):
    """A GET asks for the purpose; the POST that states it gets the file, audited with that purpose."""
    context = {"title": title, "errors": {}, "purpose": request.POST.get("purpose", ""), "action": request.path}
    if request.method != "POST":
        return render(request, "ui/export_request.html", context)
    try:
        content = export(request.user, request.POST.get("purpose"))
    except FieldErrors as exc:
        return render(request, "ui/export_request.html", {**context, "errors": exc.errors}, status=400)
    response = HttpResponse(content, content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def case_export(request):
    return _csv_export(request, S.export_cases_csv, "cases.csv", "Export the cases you may see (CSV)")


@login_required
def person_export(request):
    return _csv_export(request, S.export_persons_csv, "persons.csv", "Export persons by pseudonym (CSV)")


@login_required
def case_detail(request, pk):
    user = request.user
    case = _visible_or_404(S.case_detail, user, pk)
    return render(request, "ui/case_detail.html", {
        "case": case,
        "events": S.case_timeline(user, case),
        "people": S.case_people(user, case),
        "organisations": S.case_organisations(user, case),
        "shares": S.shares_of(user, case),
        "is_owner": V.is_owner(user, case),
        "exploitation_labels": [vocab.label("exploitation_types", c) for c in case.exploitation_types],
        "means_labels": [vocab.label("means_of_control", c) for c in case.means_of_control],
        "recruitment_labels": [vocab.label("recruitment_methods", c) for c in case.recruitment_methods],
        **_share_form_context(user),
    })


@login_required
def person_list(request):
    role = request.GET.get("role") or None
    return render(request, "ui/person_list.html", {
        "page": _page(request, S.person_list(request.user, role=role), ("pseudonym",)),
        "roles": vocab.choices("person_roles"), "role": role or "",
    })


@login_required
def person_detail(request, pk):
    user = request.user
    person = _visible_or_404(S.person_detail, user, pk)
    return render(request, "ui/person_detail.html", {
        "person": person,
        "roles": S.person_roles(user, person),
        "cases": S.person_cases(user, person),
        "selector_links": S.person_selectors(user, person),
        "shares": S.shares_of(user, person),
        "is_owner": V.is_owner(user, person),
        "may_reveal": user.has_role(*R.IDENTITY_REVEALING_ROLES),
        **_share_form_context(user),
    })


@login_required
@require_POST
def person_reveal(request, pk):
    user = request.user
    person = _visible_or_404(S.person_detail, user, pk)
    # Pages with several reveal forms (the resolution review) keep their element ids apart with a suffix.
    suffix = request.POST.get("reveal_suffix", "")
    suffix = suffix if REVEAL_SUFFIX.fullmatch(suffix) else ""
    try:
        identity = S.reveal_identity(user, person, request.POST.get("purpose", ""))
    except FieldErrors as exc:
        return render(request, "ui/_reveal_form.html", {"person": person, "errors": exc.errors, "reveal_suffix": suffix,
                                                         "purpose": request.POST.get("purpose", "")}, status=400)
    except services.NotPermitted as exc:
        raise PermissionDenied(str(exc)) from exc
    return render(request, "ui/_identity.html", {"person": person, "identity": identity,
                                                 "purpose": request.POST.get("purpose", "").strip()})


@login_required
def organisation_detail(request, pk):
    user = request.user
    organisation = _visible_or_404(S.organisation_detail, user, pk)
    return render(request, "ui/organisation_detail.html", {
        "organisation": organisation,
        "selector_links": S.person_selectors(user, organisation),
        "shares": S.shares_of(user, organisation),
        "is_owner": V.is_owner(user, organisation),
        "org_type_label": vocab.label("organisation_types", organisation.org_type),
        **_share_form_context(user),
    })


def _share_form_context(user) -> dict:
    return {
        "share_agencies": Agency.objects.exclude(pk=user.agency_id) if user.agency_id else Agency.objects.none(),
        "share_task_forces": TaskForce.objects.filter(agencies=user.agency_id) if user.agency_id else [],
        "share_compartments": user.agency.compartments.all() if user.agency_id else [],
    }


@login_required
@require_POST
def share_record(request, object_type, pk):
    model = GOVERNED.get(object_type)
    if model is None:
        raise Http404("no such record type")
    target = V.visible(model.objects.all(), request.user).filter(pk=pk).first()
    if target is None:
        raise Http404("no such record")
    recipient = request.POST.get("recipient", "")
    kind, _, ident = recipient.partition(":")
    lookup = {"agency": Agency.objects, "task_force": TaskForce.objects,
              "compartment": request.user.agency.compartments}.get(kind)
    found = lookup.filter(pk=ident).first() if lookup is not None and ident.isdigit() else None
    try:
        services.share(request.user, target, purpose=request.POST.get("purpose", ""),
                       use_restrictions=request.POST.get("use_restrictions", ""),
                       to_agency=found if kind == "agency" else None,
                       to_task_force=found if kind == "task_force" else None,
                       to_compartment=found if kind == "compartment" else None,
                       override_reason=request.POST.get("override_reason", ""))
        messages.success(request, "Shared. The purpose and restrictions travel with the record.")
    except FieldErrors as exc:
        for field, errs in exc.errors.items():
            messages.error(request, f"{field}: {' '.join(errs)}")
    except services.NotPermitted as exc:
        messages.error(request, str(exc))
    return redirect_to_next(request, "home")


@login_required
def selector_search(request):
    context = {"kinds": SELECTOR_TYPES, "kind": request.GET.get("kind", "phone"),
               "value": request.GET.get("value", ""), "region": request.GET.get("region", "")}
    if context["value"]:
        try:
            context["canonical"], context["hits"] = S.selector_search(
                request.user, context["kind"], context["value"], region=context["region"] or None)
        except FieldErrors as exc:
            context["errors"] = exc.errors
    return render(request, "ui/selector_search.html", context)


@login_required
def audit_trail(request):
    user = request.user
    if not user.has_role(*R.AUDIT_READING_ROLES):
        raise PermissionDenied("Your role does not read the audit trail.")
    entries = audit_selectors.entries_for(user).order_by("-seq")
    object_type, object_id = request.GET.get("object_type", ""), request.GET.get("object_id", "")
    label = request.GET.get("label", "")
    if request.GET.get("who_viewed") and object_type and object_id:
        entries = audit_selectors.who_viewed(user, object_type, object_id).order_by("-seq")
    elif label:
        entries = audit_selectors.about_label(user, entries, label)
    action = request.GET.get("action", "")
    if action:
        entries = entries.filter(action=action)
    verification = None
    if request.GET.get("verify") and user.has_role(R.AUDITOR):
        anchors = []
        for path in checkpoints.exported_files():
            try:
                anchors.append(checkpoints.load(path))
            except checkpoints.CheckpointError as exc:
                messages.error(request, str(exc))
        verification = audit_selectors.verify(checkpoints=anchors)
    page = _page(request, entries, ("-seq",), 50)
    return render(request, "ui/audit.html", {"page": page, "entries": audit_selectors.shown(user, page.object_list),
                                             "verification": verification, "object_type": object_type,
                                             "object_id": object_id, "label": label, "action": action})


@login_required
def audit_checkpoint(request):
    """The oversight body downloads a signed checkpoint of the chain's head, exported now."""
    if not request.user.has_role(R.AUDITOR):
        raise PermissionDenied("Checkpoints of the audit trail are for oversight.")
    document = checkpoints.make_checkpoint()
    response = HttpResponse(json.dumps(document, indent=2, sort_keys=True), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="palermo-audit-checkpoint-{document["seq"]}.json"'
    return response


@login_required
def agency_list(request):
    """The directory of agencies; platform administrators register new ones here."""
    errors, form = {}, {}
    if request.method == "POST":
        form = {f: request.POST.get(f, "").strip() for f in
                ("code", "name", "agency_type", "country", "region", "city", "contact_point")}
        try:
            agency = account_services.create_agency(request.user, **form)
            messages.success(request, f"Agency {agency.name} registered.")
            return redirect("agency_list")
        except FieldErrors as exc:
            errors = exc.errors
        except services.NotPermitted as exc:
            raise PermissionDenied(str(exc)) from exc
    return render(request, "ui/agency_list.html", {
        "agencies": Agency.objects.prefetch_related("task_forces"),
        "task_forces": TaskForce.objects.prefetch_related("agencies"),
        "errors": errors, "form": form, "agency_types": vocab.agency_type_choices(),
        "countries": vocab.country_choices(),
    }, status=400 if errors else 200)


def _user_form_data(post) -> dict:
    return {"username": post.get("username", ""), "password": post.get("password", ""),
            "roles": post.getlist("roles"), "clearance": post.get("clearance", R.NORMAL),
            "first_name": post.get("first_name", ""), "last_name": post.get("last_name", ""),
            "is_active": post.get("is_active") == "on"}


def _grant_form_context(actor, target_agency, target=None) -> dict:
    """The roles and clearances the form offers: only what the actor may grant to that user."""
    actor_rule, target_rule = account_services.as_actor(actor), account_services.as_target(target_agency, target)
    return {"roles": R.ROLES, "grantable_roles": G.grantable_roles(actor_rule, target_rule),
            "clearances": {c: R.SENSITIVITIES[c] for c in G.grantable_clearances(actor_rule, target_rule)}}


@login_required
def user_admin(request):
    user = request.user
    if not (user.is_superuser or user.has_role(R.ADMINISTRATOR)):
        raise PermissionDenied("Only administrators manage users.")
    errors, form, status = {}, {}, 200
    if request.method == "POST":
        form = _user_form_data(request.POST)
        try:
            created = account_services.create_user(user, form)
            messages.success(request, f"User {created.username} created.")
            return redirect("user_admin")
        except FieldErrors as exc:
            errors, status = exc.errors, 400
        except account_services.GrantRefused as exc:
            errors, status = exc.errors, 403
        except services.NotPermitted as exc:
            raise PermissionDenied(str(exc)) from exc
    users = User.objects.filter(agency_id=user.agency_id).order_by("username")
    return render(request, "ui/user_admin.html", {"users": users, "errors": errors, "form": form,
                                                  **_grant_form_context(user, user.agency)}, status=status)


@login_required
def user_edit(request, pk):
    actor = request.user
    if not (actor.is_superuser or actor.has_role(R.ADMINISTRATOR)):
        raise PermissionDenied("Only administrators manage users.")
    queryset = User.objects.all() if actor.is_superuser else User.objects.filter(agency_id=actor.agency_id)
    target = get_object_or_404(queryset.select_related("agency"), pk=pk)
    errors, status = {}, 200
    if request.method == "POST":
        try:
            account_services.update_user(actor, target, _user_form_data(request.POST))
            messages.success(request, f"User {target.username} updated.")
            return redirect("user_admin")
        except FieldErrors as exc:
            errors, status = exc.errors, 400
        except account_services.GrantRefused as exc:
            errors, status = exc.errors, 403
        except services.NotPermitted as exc:
            raise PermissionDenied(str(exc)) from exc
        target.refresh_from_db()
    return render(request, "ui/user_edit.html", {"target": target, "errors": errors, "is_self": target.pk == actor.pk,
                                                 **_grant_form_context(actor, target.agency, target)}, status=status)


@login_required
def grant_history(request):
    """Every grant and revocation in every agency, for the oversight body."""
    try:
        entries = account_selectors.grant_history(request.user)
    except services.NotPermitted as exc:
        raise PermissionDenied(str(exc)) from exc
    page = _page(request, entries, ("-seq",), 50)
    return render(request, "ui/grant_history.html", {"page": page, "rows": [_grant_row(e) for e in page.object_list]})


GRANT_ACTION_LABELS = {
    "create_user": gettext_lazy("User created"), "grant_role": gettext_lazy("Role granted"),
    "revoke_role": gettext_lazy("Role taken away"), "change_clearance": gettext_lazy("Clearance changed"),
    "deactivate_user": gettext_lazy("Account deactivated"), "reactivate_user": gettext_lazy("Account reactivated"),
    "grant_refused": gettext_lazy("Refused: beyond the granter's bounds"),
}


def _holding_text(holding: dict | None) -> str:
    if not holding:
        return "—"
    roles = ", ".join(str(R.ROLES.get(r, r)) for r in holding.get("roles", [])) or gettext("no role")
    text = f"{roles}; {R.SENSITIVITIES.get(holding.get('clearance'), '')}"
    return text if holding.get("is_active", True) else f"{text}; {gettext('inactive')}"


def _grant_row(entry) -> dict:
    return {"entry": entry, "action": GRANT_ACTION_LABELS.get(entry.action, entry.action),
            "before": _holding_text(entry.details.get("before")), "after": _holding_text(entry.details.get("after"))}
