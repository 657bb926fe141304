"""palermo demo load — the generated multi-country scenario, loaded once."""

from django.core.management.base import BaseCommand

from palermo.demo import scenario


class Command(BaseCommand):
    help = "Load the demo scenario (deterministic, generated; no real persons)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="create the demo agencies, users and network (skipped if already loaded)")
        sub.add_parser("logins", help="print the demo logins")

    def handle(self, action, **options):
        if action == "load":
            if scenario.is_loaded():
                self.stdout.write("demo scenario already loaded; nothing to do")
            else:
                scenario.load(stdout=self.stdout)
        self._print_logins()

    def _print_logins(self):
        self.stdout.write(f"\nDemo logins (password for all: {scenario.DEMO_PASSWORD}):")
        for username, agency, roles, clearance in scenario.USERS:
            self.stdout.write(f"  {username:<20} {agency:<22} {', '.join(roles)} ({clearance})")
        self.stdout.write("  admin                platform administrator")
