from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "palermo.accounts"
    label = "accounts"
    verbose_name = "Agencies and people"
