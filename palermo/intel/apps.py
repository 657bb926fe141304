from django.apps import AppConfig

from palermo.accounts import roles as R

INTEL_ROLES = (R.ANALYST, R.INVESTIGATOR, R.SUPERVISOR, R.PROSECUTOR, R.NATIONAL_COORDINATOR)


class IntelConfig(AppConfig):
    name = "palermo.intel"
    label = "intel"
    # (menu label, URL name, roles allowed or None for everyone)
    nav_links: tuple = (
        ("Network", "intel:graph", INTEL_ROLES),
        ("Deconfliction", "intel:alerts", INTEL_ROLES),
        ("Deconfliction report", "intel:deconfliction_report", (R.SUPERVISOR,)),
        ("Intelligence", "intel:reports", INTEL_ROLES),
        ("Entity resolution", "intel:resolution", (R.ANALYST, R.INVESTIGATOR, R.SUPERVISOR)),
        ("Operations", "intel:operations", (R.INVESTIGATOR, R.SUPERVISOR)),
        ("Grading model", "intel:grading_settings", (R.SUPERVISOR, R.ADMINISTRATOR)),
    )

    def ready(self) -> None:
        from palermo.core.services import SELECTOR_ADDITION_CHECKS
        from palermo.core.signals import selectors_recorded
        from palermo.intel import jobs
        from palermo.intel.services import check_selector_addition_rate

        if check_selector_addition_rate not in SELECTOR_ADDITION_CHECKS:
            SELECTOR_ADDITION_CHECKS.append(check_selector_addition_rate)
        jobs.register()
        selectors_recorded.connect(_deconflict_recorded_selectors, dispatch_uid="intel-deconfliction")


def _deconflict_recorded_selectors(sender, value_indexes, **kwargs) -> None:
    """Deconfliction as soon as a selector is recorded (on the worker, so recording stays fast), not only
    when someone runs the scan."""
    from palermo.intel.jobs import request_deconfliction

    request_deconfliction(value_indexes)
