from django.apps import AppConfig

from palermo.accounts import roles as R


class AccountsConfig(AppConfig):
    name = "palermo.accounts"
    label = "accounts"
    verbose_name = "Agencies and people"
    # (menu label, URL name, roles allowed or None for everyone)
    nav_links: tuple = (
        ("Grants and revocations", "grant_history", (R.AUDITOR,)),
    )
