"""palermo rotate-field-key: re-encrypt every identity field under the first PALERMO_FIELD_KEY."""

from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from palermo.core import rotation


class Command(BaseCommand):
    help = ("Re-encrypt every identity field under the first key of PALERMO_FIELD_KEY (new,old). "
            "Resumable: run it again after an interruption. Needs PALERMO_INDEX_KEY (see `palermo index-key`).")

    def handle(self, **options):
        try:
            with Progress(transient=True) as bar:
                task = bar.add_task("re-encrypting identity fields", total=rotation.count_rows())
                result = rotation.rotate(progress=lambda n: bar.advance(task, n))
        except rotation.RotationRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"{result.rotated} values re-encrypted in {result.checked} rows "
                          f"({', '.join(f'{t}: {n}' for t, n in result.by_table.items()) or 'all were current'}). "
                          "Once no other process still needs it, remove the old key from PALERMO_FIELD_KEY.")
