from django.apps import AppConfig

from palermo.accounts import roles as R

COOPERATION_ROLES = (R.ANALYST, R.INVESTIGATOR, R.SUPERVISOR, R.CASE_MANAGER, R.PROSECUTOR, R.NATIONAL_COORDINATOR)


class CooperationConfig(AppConfig):
    """Requests between states and agencies (information, verification, return papers, urgent alerts,
    missing children, judicial cooperation), carried by the federation and tracked to the answer."""

    name = "palermo.cooperation"
    label = "cooperation"
    nav_links: tuple = (("Requests abroad", "cooperation:requests", COOPERATION_ROLES),)

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from palermo.cooperation import messages
        from palermo.cooperation.services import remind_overdue
        from palermo.jobs.registry import register_housekeeping

        messages.register()
        register_housekeeping("cooperation.remind", lambda: {"reminders": remind_overdue()},
                              label=_("Reminders of overdue requests abroad"), minutes=15)
