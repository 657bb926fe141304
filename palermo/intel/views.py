"""Thin views of the intel app: read through intel.selectors, write through intel.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from palermo.core.rules import FieldErrors
from palermo.core.selectors import NotVisible
from palermo.core.services import NotPermitted
from palermo.intel import selectors as S
from palermo.intel import services
from palermo.intel.network import load_vocabulary

EXPORT_FORMATS = {
    "graphml": ("application/graphml+xml", "network.graphml"),
    "nodes.csv": ("text/csv", "network-nodes.csv"),
    "edges.csv": ("text/csv", "network-edges.csv"),
}


def _filter_params(request) -> dict:
    return {"start": request.GET.get("start", ""), "end": request.GET.get("end", ""),
            "countries": request.GET.getlist("country"), "roles": request.GET.getlist("role"), "undated": request.GET.get("undated", "")}


@login_required
def graph(request):
    params = _filter_params(request)
    errors: dict = {}
    try:
        wanted = S.network_filter_from(**params)
    except FieldErrors as exc:
        errors, wanted = exc.errors, S.network_filter()
    view = S.network_view(request.user, wanted)
    all_nodes, _ = S.network_records(request.user)
    kind_names = {kind: text.split(":")[0] for kind, text in load_vocabulary().critical_node_kinds.items()}
    entries = [(entry, [kind_names.get(kind, kind) for kind in entry.kinds]) for entry in view.report.entries]
    return render(request, "intel/graph.html", {
        "view": view, "entries": entries, "elements": view.elements, "errors": errors, "params": params,
        "countries": sorted({n.country for n in all_nodes if n.country}), "roles": S.role_choices(),
        "query": request.GET.urlencode(),
    }, status=400 if errors else 200)


@login_required
def graph_export(request, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404("no such export format")
    try:
        wanted = S.network_filter_from(**_filter_params(request))
    except FieldErrors as exc:
        return HttpResponse("; ".join(f"{f}: {' '.join(m)}" for f, m in exc.errors.items()), status=400,
                            content_type="text/plain")
    content_type, filename = EXPORT_FORMATS[fmt]
    response = HttpResponse(S.export_network(request.user, wanted, fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def alerts(request):
    found = list(S.deconfliction_alerts(request.user))
    rows = [(alert, S.alert_holders(request.user, alert)) for alert in found]
    return render(request, "intel/alerts.html", {"rows": rows})


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
