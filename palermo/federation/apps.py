from django.apps import AppConfig


class FederationConfig(AppConfig):
    """Connects sovereign Palermo instances: identity, partners and the signed, encrypted transport.
    Domain apps register the message types they send and receive (palermo.federation.registry)."""

    name = "palermo.federation"
    label = "federation"
    nav_links: tuple = ()
