"""palermo import persons|selectors FILE --user USERNAME"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from palermo.accounts.models import User
from palermo.core.importing import ImportRejected, import_persons, import_selectors
from palermo.core.rules import FieldErrors
from palermo.core.services import NotPermitted


class Command(BaseCommand):
    help = "Import persons or selectors from CSV or JSONL, all-or-nothing per file, as a given user."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["persons", "selectors"])
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--user", required=True, help="the user the records are imported as (owner: their agency)")
        parser.add_argument("--encoding", help="the files' text encoding, e.g. latin-1 or cp1251 (default: UTF-8 "
                                               "with or without a byte-order mark, or UTF-16 with one)")

    def handle(self, kind, files, user, encoding, **options):
        actor = User.objects.filter(username=user, is_active=True).select_related("agency").first()
        if actor is None:
            raise CommandError(f"no active user {user!r}")
        run = import_persons if kind == "persons" else import_selectors
        failed = 0
        for path in files:
            if not path.exists():
                raise CommandError(f"{path}: no such file")
            with Progress(transient=True) as bar:
                task = bar.add_task(f"{path.name}", total=None)
                try:
                    report = run(actor, path, progress=lambda n, task=task: bar.advance(task, n),
                                 encoding=encoding)
                except ImportRejected as exc:
                    failed += 1
                    self.stderr.write(f"{path}: rejected, nothing imported")
                    for line in exc.report.errors:
                        self.stderr.write(f"  {line}")
                    continue
                except (FieldErrors, NotPermitted) as exc:
                    raise CommandError(f"{path}: {exc}") from exc
            self.stdout.write(f"{path}: imported {report.created} {kind}")
        if failed:
            raise CommandError(f"{failed} file(s) rejected")
