"""palermo restore FILE: a backup into an empty database (palermo/core/backup.py)."""

import getpass

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rich.progress import Progress

from palermo.audit.services import record
from palermo.core import backup


class Command(BaseCommand):
    help = ("Restore a `palermo backup` file into an EMPTY database (creates the tables; refuses a "
            "database that holds data, and refuses when the keys the backup needs are not configured).")

    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--passphrase-file", help=f"read the passphrase here instead of {backup.PASSPHRASE_VARIABLE}")

    def handle(self, file, passphrase_file, **options):
        try:
            self.restore(file, backup.passphrase(passphrase_file))
        except backup.BackupError as error:
            raise CommandError(str(error)) from None

    def restore(self, file: str, secret: bytes) -> None:
        with open(file, "rb") as source:
            manifest, lines = backup.read_manifest(source, secret)
            if problems := backup.missing_keys(manifest["keys"]):
                raise backup.BackupError("the keys this backup needs are not configured: " + "; ".join(problems))
            if held := backup.rows_already_here():
                raise backup.BackupError("this database is not empty (" + ", ".join(
                    f"{label}: {n} rows" for label, n in sorted(held.items())[:5]) + "); restore into an empty one")
            call_command("migrate", verbosity=0, interactive=False)
            backup.check_migrations(manifest)
            with Progress(transient=True) as bar:
                task = bar.add_task("restoring", total=None)
                loaded = backup.load_rows(manifest, lines,
                                          lambda _, n, total: bar.update(task, advance=n, total=total))
        with transaction.atomic():
            record(None, "restore", object_type="database", details={
                "snapshot": manifest["created"], "rows": sum(loaded.values()), "by": getpass.getuser()})
        self.stdout.write(f"restored {sum(loaded.values())} rows of {len(loaded)} tables from the snapshot at "
                          f"{manifest['created']}; check the audit trail with `palermo audit verify`")
