"""palermo audit verify | palermo audit who-viewed TYPE ID"""

from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from palermo.audit.models import AuditEntry
from palermo.audit.selectors import READ_ACTIONS, verify


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail, or list who viewed a record."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="detect edited, deleted, reordered or truncated entries")
        who = sub.add_parser("who-viewed", help="reads of one record, without its content")
        who.add_argument("object_type", help="e.g. core.person")
        who.add_argument("object_id")

    def handle(self, action, **options):
        if action == "verify":
            total = AuditEntry.objects.count()
            with Progress(transient=True) as bar:
                task = bar.add_task("verifying the audit chain", total=total)
                result = verify(progress=lambda n: bar.advance(task, n))
            if not result.ok:
                for problem in result.problems:
                    self.stderr.write(problem)
                raise CommandError(f"audit trail BROKEN: {len(result.problems)} problem(s) in {result.checked} entries")
            self.stdout.write(f"audit trail intact: {result.checked} entries verified, head {result.last_hash[:16]}…")
            return
        entries = AuditEntry.objects.filter(object_type=options["object_type"], object_id=options["object_id"],
                                            action__in=READ_ACTIONS).order_by("seq")
        for e in entries:
            self.stdout.write(f"{e.timestamp:%Y-%m-%d %H:%M:%S} {e.actor_username} ({e.agency_code}) {e.action}: {e.purpose}")
