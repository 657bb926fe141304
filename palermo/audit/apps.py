from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "palermo.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from palermo.audit import signals  # noqa: F401  (login/logout are audited)
