"""Intel's background jobs: deconfliction of recorded selectors, entity-resolution runs and network
exports. Requests are validated here (in the web process); the work runs on `palermo worker`."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from palermo.accounts import roles as R
from palermo.audit import services as audit
from palermo.core.rules import FieldErrors
from palermo.core.services import require_role
from palermo.intel import selectors as S
from palermo.jobs import registry
from palermo.jobs import services as jobs

EXPORT_FILES = {"graphml": "network.graphml", "nodes.csv": "network-nodes.csv", "edges.csv": "network-edges.csv"}
RESOLUTION_ROLES = (R.ANALYST, R.INVESTIGATOR, R.SUPERVISOR)
PURPOSE_LIMIT = 500


def register() -> None:
    registry.register("intel.deconfliction", deconfliction_job, label=gettext_lazy("Deconfliction check"))
    registry.register("intel.resolution_run", resolution_run_job, label=gettext_lazy("Entity-resolution run"))
    registry.register("intel.network_export", network_export_job, label=gettext_lazy("Network export"))


# --- requests ---------------------------------------------------------------------------------------


def request_deconfliction(value_indexes) -> None:
    jobs.enqueue("intel.deconfliction", params={"value_indexes": sorted(set(value_indexes))})


def request_network_export(actor, fmt: str, filter_params: dict, purpose: str):
    """An export of the network as filtered, for the purpose the user states (required: it is what the
    audit trail records, for the export and for every download of the file)."""
    purpose = (purpose or "").strip()
    errors: dict[str, list[str]] = {}
    if fmt not in EXPORT_FILES:
        errors["format"] = [_("Choose GraphML, nodes CSV or edges CSV.")]
    if not purpose:
        errors["purpose"] = [_("Say why you need this export; it is recorded in the audit trail.")]
    elif len(purpose) > PURPOSE_LIMIT or "\x00" in purpose:
        errors["purpose"] = [_("Keep the purpose under %(n)d characters.") % {"n": PURPOSE_LIMIT}]
    try:
        S.network_filter_from(**filter_params)
    except FieldErrors as exc:
        errors.update(exc.errors)
    if errors:
        raise FieldErrors(errors)
    return jobs.enqueue("intel.network_export", requested_by=actor, purpose=purpose,
                        params={"format": fmt, "filter": filter_params})


def start_resolution_run(actor):
    """Compare every person the analyst may see (and nothing else) in the background."""
    require_role(actor, RESOLUTION_ROLES, "start an entity-resolution run")
    return jobs.enqueue("intel.resolution_run", requested_by=actor)


# --- handlers (on the worker) -----------------------------------------------------------------------


def deconfliction_job(job, progress) -> dict:
    from palermo.intel.services import scan_deconfliction

    return {"new_alerts": scan_deconfliction(job.params.get("value_indexes") or None)}


def resolution_run_job(job, progress) -> dict:
    """Proposed merges among what the requester may see now. The job keeps only their number: the pairs
    are shown in the review queue, which audits their display, and the job's page is also open to
    supervisors who may not see every record compared."""
    from palermo.intel.models import ResolutionLink

    user = job.requested_by
    if not (user.is_active and user.has_role(*RESOLUTION_ROLES)):
        raise jobs.JobError(_("Your role no longer allows entity-resolution runs."))
    progress(0, 2, _("Comparing the persons you may see"))
    evidence = S.resolution_evidence(user)
    progress(1, 2, _("Leaving out pairs already decided"))
    decided = set(ResolutionLink.objects.values_list("left_id", "right_id"))
    proposals = sum(1 for pair in evidence if pair not in decided)
    result = {"proposals": proposals, "review_url_name": "intel:resolution"}
    jobs.finish(job, result, effect=lambda: audit.record(
        user, "resolution_run", object_type="intel.resolution", object_id=str(job.pk),
        details={"job": job.pk, "proposals": proposals}))
    return result


def network_export_job(job, progress) -> dict:
    user, fmt = job.requested_by, job.params["format"]
    progress(0, 2, _("Building the network you may see"))
    content, details = S.export_network(user, S.network_filter_from(**job.params["filter"]), fmt)
    progress(1, 2, _("Writing the file"))
    result = jobs.write_result_file(job, EXPORT_FILES[fmt], content)
    jobs.finish(job, result, effect=lambda: audit.record(
        user, "export", object_type="intel.network", purpose=job.purpose, details={**details, "job": job.pk}))
    return result
