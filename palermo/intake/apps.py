from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from palermo.accounts import roles as R

INTAKE_WORKERS = (R.HOTLINE_OPERATOR, R.ANALYST, R.INVESTIGATOR, R.CASE_MANAGER, R.SUPERVISOR, R.NATIONAL_COORDINATOR)


class IntakeConfig(AppConfig):
    name = "palermo.intake"
    label = "intake"
    # (menu label, URL name, roles allowed or None for everyone)
    nav_links: tuple = (
        ("Intake queue", "intake:queue", INTAKE_WORKERS),
        ("New signal", "intake:new", INTAKE_WORKERS),
        ("Routing rules", "intake:rules", (R.SUPERVISOR, R.NATIONAL_COORDINATOR)),
    )

    def ready(self) -> None:
        from palermo.jobs import registry

        registry.register("intake.escalate", _escalate_job, label=_("SLA escalation"))
        registry.register_schedule("intake.escalate", minutes=ESCALATION_EVERY_MINUTES)


ESCALATION_EVERY_MINUTES = 5


def _escalate_job(job, progress) -> dict:
    """The scheduled escalation (what `palermo intake escalate` does by hand)."""
    from palermo.intake.services import escalate_overdue

    return {"escalated": len(escalate_overdue(progress=progress))}
