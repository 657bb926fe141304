"""palermo intel deconflict — raise deconfliction alerts for selectors and persons held by several agencies."""

from django.core.management.base import BaseCommand

from palermo.intel import services


class Command(BaseCommand):
    help = "Intelligence housekeeping: `deconflict` scans for records held by several agencies and alerts both owners."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("deconflict", help="alert both owners of every selector or person held by two agencies (idempotent)")

    def handle(self, action, **options):
        created = services.scan_deconfliction()
        self.stdout.write(f"deconfliction scan: {created} new alert(s)")
