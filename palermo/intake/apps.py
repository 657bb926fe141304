from django.apps import AppConfig

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
