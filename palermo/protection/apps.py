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

    def ready(self) -> None:
        from palermo.core.services import SHARE_CHECKS
        from palermo.protection.share_consent import check_consent_to_share

        if check_consent_to_share not in SHARE_CHECKS:
            SHARE_CHECKS.append(check_consent_to_share)
