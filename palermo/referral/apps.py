from django.apps import AppConfig

from palermo.accounts import roles as R

TRM_ROLES = (R.CASE_MANAGER, R.INVESTIGATOR, R.SUPERVISOR, R.PROSECUTOR, R.NATIONAL_COORDINATOR)


class ReferralConfig(AppConfig):
    """The Transnational Referral Mechanism: SOP library per country, measures per person, safeguards,
    and referrals between countries through the federation."""

    name = "palermo.referral"
    label = "referral"
    nav_links: tuple = (("Transnational referral", "referral:index", TRM_ROLES),)

    def ready(self) -> None:
        from palermo.core.backup import FILLED_BY_MIGRATE
        from palermo.referral import messages

        messages.register()
        # The example SOP library is seeded by a migration; a restore replaces it with the backup's own.
        seeded = ["referral.sopmeasure", "referral.contactentry", "referral.identificationbody", "referral.institution"]
        FILLED_BY_MIGRATE[:0] = [label for label in seeded if label not in FILLED_BY_MIGRATE]
