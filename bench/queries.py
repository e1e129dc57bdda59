"""Query-count goal: SQL queries per results page and per route API call.

Run it through `bench/queries` (which uses the project's .venv python); see bench/README.md.

Goals, for every (country, situation) measured:
  - at most MAX_QUERIES (6) queries with an empty cache,
  - the same count with a directory ten times larger,
  - zero once the answer is cached.

How: in a temporary directory, a SQLite database gets `migrate` and `import_directory` (the shipped
directory); `export_directory` writes it out; every organisation is copied nine times under new keys
(KEY-copy1 … KEY-copy9, the same countries, services, networks and channels) and that ten-times-larger file
is imported into a second database. Then, for each database, a child process (this file with --count) sets
up Django with DJANGO_SETTINGS_MODULE=config.settings, DEBUG off and DATABASE_URL pointing at it, and
requests the real views through django.test.Client (secure=True, since production settings redirect plain
HTTP), counting the queries of each request with django.test.utils.CaptureQueriesContext: once after
clearing the cache, then once more (cached). Exit status 0 when every goal is met, 1 when one is not,
2 when the set-up failed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import (
    PROJECT,
    PYTHON,
    RESULTS_PAGES,
    ROUTE_API_CALLS,
    SetupError,
    app_environment,
    check_venv,
    install_signal_handlers,
    manage,
    say,
)

MAX_QUERIES = 6
COPIES = 9  # copies of each organisation on top of the original: ten times the directory
KEY_MAX_LENGTH = 100  # Organisation.key's max_length
CHILD_TIMEOUT = 600  # seconds, for one database's counting


# --- the child: counting queries inside Django -------------------------------------------------------------


def summarise_sql(sql: str) -> str:
    """One query in a line: its verb, the tables it reads (subqueries included) and its length."""
    tables = list(dict.fromkeys(re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', sql, re.IGNORECASE)))
    where = re.search(r"\bWHERE\b(.*)", sql, re.IGNORECASE | re.DOTALL)
    condition = re.sub(r"\s+", " ", where.group(1)).strip()[:110] if where else ""
    return f"{sql.split()[0]} {', '.join(tables)} ({len(sql)} chars)" + (f" WHERE {condition}…" if condition else "")


def count_queries(paths: list[str]) -> dict:
    """Runs in a child process whose environment names the database. Returns counts and problems per path."""
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from directory.models import Organisation

    client = Client()
    client.get("/", secure=True)  # one-time work of a fresh process (URL conf, translations) is not counted
    results = {}
    for path in paths:
        entry = {"empty": None, "cached": None, "statuses": [], "sql": []}
        cache.clear()
        for phase in ("empty", "cached"):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path, secure=True)
            entry[phase] = len(captured)
            entry["statuses"].append(response.status_code)
            if phase == "empty":
                entry["sql"] = [summarise_sql(query["sql"]) for query in captured.captured_queries]
                entry["bytes"] = len(response.content)
        results[path] = entry
    return {"organisations": Organisation.objects.count(), "vendor": connection.vendor, "paths": results}


# --- the parent --------------------------------------------------------------------------------------------


def copy_key(key: str, number: int, taken: set[str]) -> str:
    """KEY-copyN, shortened where KEY is long, so that it stays within the key's maximum length and unique."""
    suffix = f"-copy{number}"
    base = key[: KEY_MAX_LENGTH - len(suffix)]
    candidate = base + suffix
    extra = 0
    while candidate in taken:
        extra += 1
        tail = f"-copy{number}x{extra}"
        candidate = key[: KEY_MAX_LENGTH - len(tail)] + tail
    taken.add(candidate)
    return candidate


def multiply(document: dict, copies: int) -> dict:
    """The directory with each organisation `copies` more times: new keys, everything else the same."""
    originals = document["organisations"]
    taken = {record["key"] for record in originals}
    organisations = list(originals)
    for number in range(1, copies + 1):
        for record in originals:
            organisations.append({**record, "key": copy_key(record["key"], number, taken), "checked_by": ""})
    return {**document, "organisations": organisations}


def run_child(env: dict[str, str], paths: list[str], label: str) -> dict:
    say(f"counting queries on the {label} directory ({len(paths)} requests, each with an empty then a warm cache)")
    try:
        completed = subprocess.run(
            [str(PYTHON), str(Path(__file__).resolve()), "--count", *paths],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        raise SetupError(f"counting on the {label} directory took longer than {CHILD_TIMEOUT} s") from None
    lines = [line for line in completed.stdout.splitlines() if line.startswith("QUERIES ")]
    if completed.returncode != 0 or not lines:
        output = (completed.stdout + completed.stderr)[-4000:]
        raise SetupError(f"counting on the {label} directory failed (exit {completed.returncode}):\n{output}")
    return json.loads(lines[-1][len("QUERIES ") :])


def report(small: dict, large: dict, paths: list[str]) -> bool:
    say()
    say(
        f"SQL queries per request ({small['vendor']}; 1x = {small['organisations']} organisations, "
        f"10x = {large['organisations']}); goal: empty cache <= {MAX_QUERIES}, same at 10x, cached 0"
    )
    width = max(len(path) for path in paths)
    header = (
        f"{'request':<{width}}  {'1x empty':>8}  {'1x cached':>9}  {'10x empty':>9}  {'10x cached':>10}"
        f"  {'KB 1x→10x':>11}  verdict"
    )
    say(header)
    say("-" * len(header))
    failures: list[tuple[str, str]] = []
    for path in paths:
        a, b = small["paths"][path], large["paths"][path]
        problems = []
        statuses = sorted(set(a["statuses"] + b["statuses"]))
        if statuses != [200]:
            problems.append(f"status {statuses}")
        if max(a["empty"], b["empty"]) > MAX_QUERIES:
            problems.append(f"> {MAX_QUERIES} uncached")
        if a["empty"] != b["empty"]:
            problems.append("grows with the directory")
        if a["cached"] or b["cached"]:
            problems.append("queries when cached")
        verdict = "ok" if not problems else "FAIL: " + ", ".join(problems)
        size = f"{a['bytes'] / 1000:.0f}→{b['bytes'] / 1000:.0f}"
        say(
            f"{path:<{width}}  {a['empty']:>8}  {a['cached']:>9}  {b['empty']:>9}  {b['cached']:>10}  {size:>11}"
            f"  {verdict}"
        )
        if problems:
            failures.append((path, verdict))
    say("KB 1x→10x: the response's size; it grows because the answers list the copies too")
    path = failures[0][0] if failures else paths[0]
    say()
    say(f"The queries of {path}, empty cache, 10x directory" + (" (first failing request):" if failures else ":"))
    for number, sql in enumerate(large["paths"][path]["sql"], 1):
        say(f"  {number:>3}. {sql}")
    if failures:
        say()
        say(f"FAIL: {len(failures)} of {len(paths)} requests miss a goal")
        return False
    say()
    say(f"PASS: {len(paths)} requests, at most {max(small['paths'][p]['empty'] for p in paths)} queries uncached, "
        "the same at 10x, 0 cached")  # fmt: skip
    return True


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="bench/queries",
        description="SQL queries per results page and route API call: empty cache, 10x directory, cached.",
    )
    parser.add_argument("--count", nargs="+", metavar="PATH", help=argparse.SUPPRESS)  # the child's mode
    args = parser.parse_args(argv)
    if args.count:
        print("QUERIES " + json.dumps(count_queries(args.count)), flush=True)
        return 0

    install_signal_handlers()
    paths = RESULTS_PAGES + ROUTE_API_CALLS
    workdir: Path | None = None
    try:
        check_venv()
        workdir = Path(tempfile.mkdtemp(prefix="signpost-queries-"))
        say(f"temporary directory: {workdir}")
        environments = {}
        for label in ("1x", "10x"):
            folder = workdir / label
            folder.mkdir()
            env = app_environment(folder)
            # The test client's host, and nothing cached across processes (REDIS_URL would share it).
            env["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
            env.pop("REDIS_URL", None)
            env["DJANGO_SETTINGS_MODULE"] = "config.settings"
            env["DJANGO_STATIC_ROOT"] = str(workdir / "static")  # pages name their hashed static files
            environments[label] = env
        small, large = environments["1x"], environments["10x"]
        manage(small, "collectstatic", "--noinput")
        manage(small, "migrate", "--noinput")
        manage(small, "import_directory")
        exported = workdir / "directory-1x.json"
        manage(small, "export_directory", "--file", str(exported))
        document = json.loads(exported.read_text(encoding="utf-8"))
        bigger = multiply(document, COPIES)
        bigger_file = workdir / "directory-10x.json"
        bigger_file.write_text(json.dumps(bigger, ensure_ascii=False), encoding="utf-8")
        say(
            f"exported {len(document['organisations'])} organisations; the 10x file has "
            f"{len(bigger['organisations'])} (keys KEY-copy1 … KEY-copy{COPIES})"
        )
        manage(large, "migrate", "--noinput")
        manage(large, "import_directory", "--file", str(bigger_file))
        counts_small = run_child(small, paths, "1x")
        counts_large = run_child(large, paths, "10x")
        if counts_large["organisations"] != (COPIES + 1) * counts_small["organisations"]:
            raise SetupError(
                f"the 10x database has {counts_large['organisations']} organisations, expected "
                f"{(COPIES + 1) * counts_small['organisations']}"
            )
        return 0 if report(counts_small, counts_large, paths) else 1
    except SetupError as problem:
        say(f"FAIL (setup): {problem}")
        return 2
    except KeyboardInterrupt:
        say("\ninterrupted: stopping")
        return 130
    finally:
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
