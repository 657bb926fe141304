"""palermo worker: run background jobs (django-q2 cluster on the database queue) until stopped.

Start as many as you like, on as many machines as share the database; each task is claimed by one.
"""

from django.core.management.base import BaseCommand

from palermo.jobs import registry
from palermo.jobs.services import ensure_schedules


class Command(BaseCommand):
    help = "Run background jobs (escalation, deconfliction, entity resolution, exports) until stopped."

    def handle(self, *args, **options):
        from django_q.brokers import get_broker
        from django_q.cluster import Cluster
        from django_q.scheduler import scheduler

        names = ensure_schedules()
        self.stdout.write(f"job kinds: {', '.join(sorted(registry.kinds())) or 'none'}")
        self.stdout.write(f"schedules: {', '.join(names) or 'none'}")
        # The cluster's own scheduler first looks 30 s after start; schedules due now run at once.
        scheduler(broker=get_broker())
        self.stdout.flush()
        Cluster().start()
