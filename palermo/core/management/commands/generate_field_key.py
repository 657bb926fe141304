from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print a new key for PALERMO_FIELD_KEY (encryption of identity fields at rest)."

    requires_system_checks = []

    def handle(self, **options):
        self.stdout.write(Fernet.generate_key().decode())
