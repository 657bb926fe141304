from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "palermo.core"
    label = "core"
    verbose_name = "Entity core"

    def ready(self):
        from palermo.core import lengths

        lengths.connect()
