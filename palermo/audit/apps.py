from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "palermo.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from palermo.audit import signals  # noqa: F401  (login/logout are audited)
        from palermo.audit.checkpoints import make_checkpoint
        from palermo.jobs.registry import register_housekeeping

        register_housekeeping("audit.checkpoint", make_checkpoint, label=_("Audit checkpoint"), minutes=60)
