from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "palermo.protection"
    label = "protection"
    # (menu label, URL name, roles allowed or None for everyone)
    nav_links: tuple = (
        ("Protection", "protection:index",
         ("case_manager", "investigator", "prosecutor", "supervisor", "national_coordinator")),
        ("Services", "protection:directory", None),
        ("Non-punishment report", "protection:coordinator_report", ("national_coordinator",)),
    )
