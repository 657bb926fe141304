"""palermo audit verify [--checkpoint FILE] | palermo audit checkpoint [--print] | palermo audit who-viewed TYPE ID [--as USER]"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from palermo.audit import checkpoints, selectors
from palermo.audit.models import AuditEntry


class Command(BaseCommand):
    help = "Verify the audit trail, export a signed checkpoint of its head, or list who viewed a record."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="detect edited, deleted, reordered, re-hashed or truncated entries")
        verify.add_argument("--checkpoint", action="append", default=[], metavar="FILE",
                            help="a signed checkpoint to verify against (repeatable); by default every checkpoint "
                                 "exported to PALERMO_AUDIT_CHECKPOINT_DIR, the last one included")
        verify.add_argument("--no-checkpoints", action="store_true", help="check the keyed chain only")
        checkpoint = sub.add_parser("checkpoint", help="sign the current head and export it for the oversight body")
        checkpoint.add_argument("--dir", help="where to write it (default PALERMO_AUDIT_CHECKPOINT_DIR)")
        checkpoint.add_argument("--print", dest="print_document", action="store_true",
                                help="also print the signed checkpoint as JSON")
        who = sub.add_parser("who-viewed", help="reads of one record, without its content")
        who.add_argument("object_type", help="e.g. core.person")
        who.add_argument("object_id")
        who.add_argument("--as", dest="as_user", metavar="USERNAME",
                         help="answer as this user would see it in the application (their need-to-know)")

    def handle(self, action, **options):
        if action == "verify":
            return self._verify(options)
        if action == "checkpoint":
            document = checkpoints.make_checkpoint(options["dir"] and Path(options["dir"]))
            if options["print_document"]:
                self.stdout.write(json.dumps(document, indent=2, sort_keys=True))
            else:
                self.stdout.write(f"checkpoint of entry {document['seq']} ({document['hash'][:16]}…) written to "
                                  f"{options['dir'] or checkpoints.checkpoint_dir()}")
            return
        self._who_viewed(options)

    def _verify(self, options):
        files = [Path(f) for f in options["checkpoint"]]
        if not files and not options["no_checkpoints"]:
            files = checkpoints.exported_files()
        try:
            anchors = [checkpoints.load(f) for f in files]
        except checkpoints.CheckpointError as exc:
            raise CommandError(str(exc)) from exc
        total = AuditEntry.objects.count()
        with Progress(transient=True) as bar:
            task = bar.add_task("verifying the audit chain", total=total)
            result = selectors.verify(progress=lambda n: bar.advance(task, n), checkpoints=anchors)
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(f"audit trail BROKEN: {len(result.problems)} problem(s) in {result.checked} entries")
        against = (f", consistent with {len(anchors)} signed checkpoint(s) up to entry {max(a.seq for a in anchors)}"
                   if anchors else ", no signed checkpoint to compare with")
        self.stdout.write(f"audit trail intact: {result.checked} entries verified, head {result.last_hash[:16]}…{against}")

    def _who_viewed(self, options):
        object_type, object_id = options["object_type"], options["object_id"]
        if options["as_user"]:
            user = get_user_model().objects.filter(username=options["as_user"]).first()
            if user is None:
                raise CommandError(f"no user {options['as_user']!r}")
            entries = selectors.shown(user, selectors.who_viewed(user, object_type, object_id).order_by("seq"))
        else:  # whoever runs the command holds the database: the whole trail, as oversight sees it
            entries = [e for e in AuditEntry.objects.filter(object_type=object_type, object_id=object_id,
                                                            action__in=selectors.READ_ACTIONS).order_by("seq")]
        for e in entries:
            self.stdout.write(f"{e.timestamp:%Y-%m-%d %H:%M:%S} {e.actor_username} ({e.agency_code}) {e.action}: {e.purpose}")
