"""palermo backup FILE: the whole database, consistent and encrypted (palermo/core/backup.py)."""

import getpass
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rich.progress import Progress

from palermo.audit.services import record
from palermo.core import backup


class Command(BaseCommand):
    help = ("Write an encrypted, consistent backup of the database (identity fields stay encrypted; only "
            f"fingerprints of the keys are kept). Passphrase in {backup.PASSPHRASE_VARIABLE} or a file.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write the backup (refuses to overwrite)")
        parser.add_argument("--passphrase-file", help=f"read the passphrase here instead of {backup.PASSPHRASE_VARIABLE}")

    def handle(self, file, passphrase_file, **options):
        target = Path(file)
        if target.exists():
            raise CommandError(f"{target} exists already; choose a new file name")
        partial = target.with_name(target.name + ".partial")
        try:
            secret = backup.passphrase(passphrase_file)
            with Progress(transient=True) as bar, partial.open("xb") as out:
                os.chmod(partial, 0o600)
                task = bar.add_task("backing up", total=None)
                manifest = backup.write_backup(out, secret, lambda _, n, total: bar.update(task, advance=n, total=total))
        except backup.BackupError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(str(error)) from None
        partial.rename(target)  # only a complete backup ever carries the chosen name
        rows = sum(manifest["counts"].values())
        with transaction.atomic():
            record(None, "backup", object_type="database", details={
                "file": target.name, "rows": rows, "by": getpass.getuser(), "snapshot": manifest["created"]})
        self.stdout.write(f"backup written to {target}: {rows} rows of {len(manifest['counts'])} tables, "
                          f"snapshot at {manifest['created']}")
