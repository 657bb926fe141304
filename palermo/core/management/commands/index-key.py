"""palermo index-key: the blind-index key in use, to pin in PALERMO_INDEX_KEY before rotating field keys."""

from django.core.management.base import BaseCommand

from palermo.core import crypto


class Command(BaseCommand):
    help = ("Print the blind-index key in use (derived from the first PALERMO_FIELD_KEY unless PALERMO_INDEX_KEY "
            "is set). Put it in PALERMO_INDEX_KEY before `palermo rotate-field-key`; it is a secret.")

    requires_system_checks = []

    def handle(self, **options):
        self.stdout.write(crypto.index_key_to_pin())
