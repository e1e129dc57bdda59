from pathlib import Path

from django.core.management.base import BaseCommand

from directory.importing import dump_document, export_document


class Command(BaseCommand):
    help = "Write the whole directory in the exchange format to standard output (or --file PATH)."

    def add_arguments(self, parser):
        parser.add_argument("--file", help="Write to this file instead of standard output.")

    def handle(self, *args, **options):
        text = dump_document(export_document())
        if options["file"]:
            Path(options["file"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
