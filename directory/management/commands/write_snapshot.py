from django.core.management.base import BaseCommand

from directory import snapshot


class Command(BaseCommand):
    help = (
        "Write the snapshot of the published directory (answered from while the database is down) to "
        "SIGNPOST_SNAPSHOT_PATH and the cache. Run it when an app server starts; curators' changes rewrite it."
    )

    def handle(self, *args, **options):
        snapshot.write()
        self.stdout.write(f"Snapshot written to {snapshot.path()}.")
