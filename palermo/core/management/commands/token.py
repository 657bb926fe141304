from django.core.management.base import BaseCommand, CommandError

from palermo.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Issue an API token for a user (printed once; only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, username, name, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        _, raw = ApiToken.issue(user, name)
        self.stdout.write(raw)
