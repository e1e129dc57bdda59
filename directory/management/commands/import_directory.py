from django.core.management.base import BaseCommand, CommandError

from directory import versioning
from directory.importing import SHIPPED_FILE, DirectoryImportError, import_file


class Command(BaseCommand):
    help = "Load the directory from the shipped data file (or --file PATH), in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(SHIPPED_FILE), help="A directory file in the exchange format.")
        parser.add_argument(
            "--only-new",
            action="store_true",
            help="Add only organisations the database has never had (and missing countries' emergency numbers); "
            "leave everything curators have as it is. `make run` uses this on every start.",
        )

    def handle(self, *args, **options):
        try:
            summary = import_file(options["file"], only_new=options["only_new"])
        except FileNotFoundError:
            raise CommandError(f"No such file: {options['file']}") from None
        except DirectoryImportError as error:
            raise CommandError(f"Nothing was imported. {error}") from None
        self.stdout.write(str(summary))
        if not versioning.flush():
            raise CommandError(
                "The directory was imported, but its version stamp could not be changed, so cached answers may "
                "stay old: run the command again once the database answers."
            )
