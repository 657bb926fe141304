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
        ("Intelligence", "intel:reports", INTEL_ROLES),
        ("Entity resolution", "intel:resolution", (R.ANALYST, R.INVESTIGATOR, R.SUPERVISOR)),
        ("Operations", "intel:operations", (R.INVESTIGATOR, R.SUPERVISOR)),
    )
