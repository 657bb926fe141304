"""palermo cooperation remind — remind partners of overdue requests (the worker runs it on a schedule)."""

from django.core.management.base import BaseCommand

from palermo.cooperation import services


class Command(BaseCommand):
    help = "Requests between states and agencies: `remind` sends reminders of overdue requests (idempotent)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("remind", help="remind partners of overdue requests, at most once per the kind's interval")

    def handle(self, action, **options):
        self.stdout.write(f"{services.remind_overdue()} reminder(s) queued")
