from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "palermo.ui"
    label = "ui"
    verbose_name = "Web interface"
