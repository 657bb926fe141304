"""palermo intake escalate: escalate signals whose SLA has passed (safe to run from cron; idempotent)."""

from django.core.management.base import BaseCommand

from palermo.intake.services import escalate_overdue


class Command(BaseCommand):
    help = "Intake housekeeping: `escalate` sends signals still new after their SLA to the national coordinator."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("escalate", help="escalate overdue signals once each")

    def handle(self, action, **options):
        escalated = escalate_overdue()
        for signal in escalated:
            target = signal.escalated_to.name if signal.escalated_to else "no national coordinator for the country"
            self.stdout.write(f"{signal.reference} ({signal.triage_level}) escalated to {target}")
        self.stdout.write(f"{len(escalated)} signal(s) escalated")
