"""Thin views of the intel app: read through intel.selectors, write through intel.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseForbidden, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from palermo.core.rules import FieldErrors
from palermo.core.selectors import NotVisible
from palermo.core.services import NotPermitted
from palermo.intel import jobs as intel_jobs
from palermo.intel import selectors as S
from palermo.intel import services
from palermo.intel.models import IntelligenceReport
from palermo.intel.network import load_vocabulary


def _filter_params(request) -> dict:
    return {"start": request.GET.get("start", ""), "end": request.GET.get("end", ""),
            "countries": request.GET.getlist("country"), "roles": request.GET.getlist("role"), "undated": request.GET.get("undated", "")}


def _filter_query(params: dict) -> str:
    """The filter as a query string, for export links and for returning to the same view."""
    query = QueryDict(mutable=True)
    for key in ("start", "end", "undated"):
        if params[key]:
            query[key] = params[key]
    query.setlist("country", params["countries"])
    query.setlist("role", params["roles"])
    return query.urlencode()


def _graph_page(request, params: dict, judgement_errors: dict | None = None, judgement_form=None,
                export_errors: dict | None = None, export_form=None):
    """The graph, its critical-nodes report and, beside it, the facts and history of network-type judgements."""
    user = request.user
    errors: dict = {}
    try:
        wanted = S.network_filter_from(**params)
    except FieldErrors as exc:
        errors, wanted = exc.errors, S.network_filter()
    view = S.network_view(user, wanted)
    all_nodes, _ = S.network_records(user)
    kind_names = {kind: text.split(":")[0] for kind, text in load_vocabulary().critical_node_kinds.items()}
    entries = [(entry, [kind_names.get(kind, kind) for kind in entry.kinds]) for entry in view.report.entries]
    return render(request, "intel/graph.html", {
        "view": view, "entries": entries, "elements": view.elements, "errors": errors, "params": params,
        "countries": sorted({n.country for n in all_nodes if n.country}), "roles": S.role_choices(),
        "query": _filter_query(params), "network_types": S.network_type_guide(),
        "judgements": S.network_type_judgements(user), "may_judge": user.has_role(*services.JUDGING_ROLES),
        "judgement_errors": judgement_errors or {}, "judgement_form": judgement_form or {},
        "export_errors": export_errors or {}, "export_form": export_form or {},
    }, status=400 if errors or judgement_errors or export_errors else 200)


@login_required
def graph(request):
    return _graph_page(request, _filter_params(request))


@login_required
@require_POST
def network_judgement_new(request):
    """Record a judgement of the network as currently filtered (the filter travels in hidden fields)."""
    post = request.POST
    params = {"start": post.get("start", ""), "end": post.get("end", ""), "countries": post.getlist("country"),
              "roles": post.getlist("role"), "undated": post.get("undated", "")}
    try:
        services.record_network_type_judgement(request.user, {
            "network_type": post.get("network_type"), "judged_on": post.get("judged_on"),
            "rationale": post.get("rationale"), "sensitivity": post.get("sensitivity")}, params)
    except FieldErrors as exc:
        return _graph_page(request, params, exc.errors, post)
    except NotPermitted as exc:
        return HttpResponseForbidden(str(exc))
    messages.success(request, "Judgement of network type recorded.")
    return redirect(f"{reverse('intel:graph')}?{_filter_query(params)}#network-type")


@login_required
@require_POST
def graph_export(request):
    """Ask for an export (format, filter and a stated purpose travel in the form); it is built on the
    worker and downloaded from the job's page by the requester only."""
    post = request.POST
    params = {"start": post.get("start", ""), "end": post.get("end", ""), "countries": post.getlist("country"),
              "roles": post.getlist("role"), "undated": post.get("undated", "")}
    try:
        job = intel_jobs.request_network_export(request.user, post.get("format", ""), params, post.get("purpose", ""))
    except FieldErrors as exc:
        return _graph_page(request, params, export_errors=exc.errors, export_form=post)
    return redirect("jobs:detail", job.pk)


@login_required
def alerts(request):
    found = list(S.deconfliction_alerts(request.user))
    rows = [(alert, S.alert_holders(request.user, alert)) for alert in found]
    return render(request, "intel/alerts.html", {"rows": rows, "recent_refusals": S.recent_refusal_count(request.user)})


@login_required
def deconfliction_report(request):
    """Supervisors: who raised which hits, and which selector additions the rate limit refused."""
    try:
        report = S.deconfliction_report(request.user)
    except NotPermitted as exc:
        return HttpResponseForbidden(str(exc))
    return render(request, "intel/deconfliction_report.html", {"report": report})


@login_required
@require_POST
def alert_acknowledge(request, pk):
    try:
        services.acknowledge_alert(request.user, pk)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc
    except NotPermitted as exc:
        return HttpResponseForbidden(str(exc))
    except FieldErrors as exc:
        messages.error(request, " ".join(m for msgs in exc.errors.values() for m in msgs))
    return redirect("intel:alerts")


def _visible_or_404(fn, user, pk):
    try:
        return fn(user, pk)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc


def _grade_fields(post, model: str) -> dict:
    if model == "3x5x2":
        return {"source_evaluation": post.get("source_evaluation", ""),
                "intelligence_assessment": post.get("intelligence_assessment", ""),
                "handling_code": post.get("handling_code", ""),
                "conditions": [line for line in post.get("conditions", "").splitlines() if line.strip()]}
    return {"source_reliability": post.get("source_reliability", ""),
            "information_accuracy": post.get("information_accuracy", ""),
            "handling_codes": post.getlist("handling_codes"), "other_restrictions": post.get("other_restrictions", "")}


@login_required
def grading_settings(request):
    """Supervisors and administrators choose which grading model their agency's analysts use."""
    user = request.user
    if not (user.agency_id and user.has_role(*services.SETTINGS_ROLES)):
        return HttpResponseForbidden("your role does not allow you to choose the agency's grading model")
    errors: dict = {}
    if request.method == "POST":
        try:
            found = services.set_grading_model(user, request.POST.get("grading_model", ""))
        except FieldErrors as exc:
            errors = exc.errors
        else:
            messages.success(request, f"Your agency now grades new reports under the {found.grading_model} model.")
            return redirect("intel:grading_settings")
    return render(request, "intel/grading_settings.html", {
        "errors": errors, "current": S.grading_model_of(user.agency), "models": S.grading_models(),
        "notes": S.grading_comparison_notes(),
    }, status=400 if errors else 200)


@login_required
def reports(request):
    user = request.user
    return render(request, "intel/reports.html", {
        "reports": S.report_list(user), "requirements": S.requirement_list(user),
        "grading_model": S.grading_model_of(user.agency) if user.agency_id else "",
    })


@login_required
def report_new(request):
    user = request.user
    if not user.agency_id:
        return HttpResponseForbidden("you belong to no agency")
    model = S.grading_model_of(user.agency)
    errors: dict = {}
    if request.method == "POST":
        post = request.POST
        data = {"title": post.get("title"), "kind": post.get("kind"), "body": post.get("body"),
                "source_description": post.get("source_description"), "review_on": post.get("review_on"),
                "expires_on": post.get("expires_on"), "usable_as_evidence": post.get("usable_as_evidence") == "on",
                "sensitivity": post.get("sensitivity"), "derived_from": post.getlist("derived_from"),
                "requirement": post.get("requirement") or None, "grade": _grade_fields(post, model)}
        try:
            report = services.create_report(user, data)
        except FieldErrors as exc:
            errors = exc.errors
        except NotPermitted as exc:
            return HttpResponseForbidden(str(exc))
        else:
            messages.success(request, f"Report {report.reference} recorded.")
            return redirect("intel:report_detail", report.pk)
    return render(request, "intel/report_form.html", {
        "errors": errors, "form": request.POST if request.method == "POST" else request.GET,
        "model": model, "dimensions": S.grading_dimensions(model), "kinds": IntelligenceReport.KINDS,
        "parents": S.report_list(user), "requirements": S.requirement_list(user).exclude(status="closed"),
    }, status=400 if errors else 200)


@login_required
def report_detail(request, pk):
    """Reference, grade and handling on a GET; the content after the user states a purpose (POST), which
    the audit trail records with the read."""
    user = request.user
    report = _visible_or_404(S.report_detail, user, pk)
    context = {"report": report, "read": False, "errors": {}, "purpose": request.POST.get("purpose", ""),
               "restrictions": S.report_restrictions(report), "grade_labels": S.grade_labels(report),
               "parents": S.visible_parents(user, report), "derivatives": S.visible_derivatives(user, report)}
    if request.method == "POST":
        try:
            context["report"], context["read"] = S.read_report(user, pk, request.POST.get("purpose")), True
        except FieldErrors as exc:
            return render(request, "intel/report_detail.html", {**context, "errors": exc.errors}, status=400)
        except NotVisible as exc:
            raise Http404(str(exc)) from exc
    return render(request, "intel/report_detail.html", context)


@login_required
def requirement_new(request):
    errors: dict = {}
    if request.method == "POST":
        try:
            requirement = services.create_requirement(request.user, {
                "title": request.POST.get("title"), "question": request.POST.get("question"),
                "priority": request.POST.get("priority"), "due_on": request.POST.get("due_on"),
                "sensitivity": request.POST.get("sensitivity")})
        except FieldErrors as exc:
            errors = exc.errors
        except NotPermitted as exc:
            return HttpResponseForbidden(str(exc))
        else:
            return redirect("intel:requirement_detail", requirement.pk)
    return render(request, "intel/requirement_form.html", {"errors": errors, "form": request.POST},
                  status=400 if errors else 200)


@login_required
def requirement_detail(request, pk):
    requirement = _visible_or_404(S.requirement_detail, request.user, pk)
    return render(request, "intel/requirement_detail.html", {
        "requirement": requirement, "answers": S.requirement_answers(request.user, requirement)})


@login_required
def operations(request):
    return render(request, "intel/operations.html", {"operations": S.operation_list(request.user)})


@login_required
def operation_detail(request, pk):
    """Name and status on a GET; the plan after the user states a purpose (POST), recorded with the read.
    The decision form carries that purpose, so recording a decision shows the plan again under it."""
    user = request.user
    errors: dict = {}
    if request.method == "POST" and "decision" in request.POST:
        try:
            services.record_decision(user, pk, request.POST.get("decision", ""), request.POST.get("rationale", ""))
        except FieldErrors as exc:
            errors = exc.errors
        except NotVisible as exc:
            raise Http404(str(exc)) from exc
        except NotPermitted as exc:
            return HttpResponseForbidden(str(exc))
    context = {"operation": _visible_or_404(S.operation_summary, user, pk), "plan": False, "errors": errors,
               "form": request.POST, "purpose": request.POST.get("purpose", "")}
    if request.method != "POST":
        return render(request, "intel/operation_detail.html", context)
    try:
        operation = S.operation_plan(user, pk, request.POST.get("purpose"))
    except FieldErrors as exc:
        return render(request, "intel/operation_detail.html", {**context, "errors": {**errors, **exc.errors}},
                      status=400)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc
    return render(request, "intel/operation_detail.html", {
        **context, "operation": operation, "plan": True, "targets": S.operation_targets(user, operation),
        "decisions": operation.decisions.select_related("decided_by"),
    }, status=400 if errors else 200)


@login_required
def resolution(request):
    user = request.user
    if request.method == "POST":
        try:
            services.decide_merge(user, request.POST.get("left"), request.POST.get("right"),
                                  request.POST.get("status", ""), request.POST.get("reason", ""))
        except NotVisible as exc:
            raise Http404(str(exc)) from exc
        except NotPermitted as exc:
            return HttpResponseForbidden(str(exc))
        except FieldErrors as exc:
            messages.error(request, " ".join(m for msgs in exc.errors.values() for m in msgs))
        else:
            messages.success(request, "Decision recorded.")
        return redirect("intel:resolution")
    return render(request, "intel/resolution.html", {
        "proposals": S.resolution_queue(user), "links": S.resolution_links(user)})


@login_required
@require_POST
def resolution_run(request):
    """Start an entity-resolution run over what the user may see; its page shows progress and links back."""
    try:
        job = intel_jobs.start_resolution_run(request.user)
    except NotPermitted as exc:
        return HttpResponseForbidden(str(exc))
    return redirect("jobs:detail", job.pk)
