import urllib.parse

from django.core.management.base import BaseCommand, CommandError

from directory import linkcheck
from directory.models import LinkCheck

URL_MAX_LENGTH = LinkCheck._meta.get_field("url").max_length


class Command(BaseCommand):
    help = (
        "Visit the web addresses the directory publishes (or --url URL ...), record each result "
        "and list the broken ones. Exits 0 even when links are broken: it is a report."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--concurrency",
            type=int,
            default=linkcheck.DEFAULT_CONCURRENCY,
            help=f"How many addresses to visit at once (default {linkcheck.DEFAULT_CONCURRENCY}).",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=linkcheck.DEFAULT_TIMEOUT,
            metavar="SECONDS",
            help=f"Give up on a request after this many seconds (default {linkcheck.DEFAULT_TIMEOUT:g}).",
        )
        parser.add_argument(
            "--deadline",
            type=float,
            default=linkcheck.DEFAULT_LINK_DEADLINE,
            metavar="SECONDS",
            help=f"Give up on one address after this long in all (default {linkcheck.DEFAULT_LINK_DEADLINE:g}).",
        )
        parser.add_argument(
            "--run-deadline",
            type=float,
            default=linkcheck.DEFAULT_RUN_DEADLINE,
            metavar="SECONDS",
            help=f"Stop starting new checks after this long (default {linkcheck.DEFAULT_RUN_DEADLINE:g}).",
        )
        parser.add_argument(
            "--url",
            dest="urls",
            action="extend",
            nargs="+",
            metavar="URL",
            help="Check only these addresses (default: every address of organisations that are not archived).",
        )

    def handle(self, *args, **options):
        concurrency, timeout = options["concurrency"], options["timeout"]
        if concurrency < 1:
            raise CommandError("--concurrency must be at least 1.")
        if not timeout > 0:
            raise CommandError("--timeout must be a positive number of seconds.")
        urls = options["urls"] or linkcheck.urls_to_check()
        for url in options["urls"] or ():
            if urllib.parse.urlsplit(url).scheme.lower() not in linkcheck.WEB_SCHEMES:
                raise CommandError(f"Not an http or https address: {url}")
            if len(url) > URL_MAX_LENGTH:
                raise CommandError(f"Addresses longer than {URL_MAX_LENGTH} characters cannot be recorded: {url}")

        # Each result is recorded as soon as it is known: a run that is stopped keeps what it found.
        results = linkcheck.check_urls(
            urls,
            concurrency=concurrency,
            timeout=timeout,
            deadline=options["deadline"],
            run_deadline=options["run_deadline"],
            on_result=lambda result: linkcheck.record_results([result]),
        )

        broken = [result for result in results if not result.ok]
        noun = "address" if len(results) == 1 else "addresses"
        self.stdout.write(f"Checked {len(results)} {noun}: {len(results) - len(broken)} working, {len(broken)} broken.")
        for result in broken:
            reason = result.error or f"HTTP {result.status_code}"
            self.stdout.write(self.style.WARNING(f"  {result.url}: {reason}"))
