"""The main menu: each domain app lists its own entries (AppConfig.nav_links), so apps stay separate."""

from django.apps import apps
from django.urls import NoReverseMatch, reverse


def main_menu(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"domain_menu": []}
    entries = []
    for config in apps.get_app_configs():
        for label, url_name, allowed in getattr(config, "nav_links", ()):
            if allowed is None or request.user.has_role(*allowed):
                try:
                    entries.append((label, reverse(url_name)))
                except NoReverseMatch:
                    continue
    return {"domain_menu": entries}
