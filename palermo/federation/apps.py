from django.apps import AppConfig


class FederationConfig(AppConfig):
    """Connects sovereign Palermo instances: identity, partners and the signed, encrypted transport.
    Domain apps register the message types they send and receive (palermo.federation.registry)."""

    name = "palermo.federation"
    label = "federation"
    nav_links: tuple = ()

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from palermo.federation.outbox import deliver_due
        from palermo.jobs.registry import register_housekeeping

        register_housekeeping("federation.deliver", deliver_due, label=_("Delivery of messages to partners"),
                              minutes=1)
