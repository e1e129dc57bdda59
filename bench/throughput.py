"""Throughput goal: results pages reach at least 0.8x the requests per second of a static file, same server.

Run it through `bench/throughput` (which uses the project's .venv python); see bench/README.md.

Serves Signpost as bench/load does (gunicorn, DEBUG off, throwaway SQLite database with the shipped directory,
collectstatic, DJANGO_SECURE_SSL_REDIRECT=0, every request with X-Forwarded-Proto: https), then runs wrk at the
same concurrency and duration, alternately, against
  - "static": one hashed static file under /static/ (reporting/site.<hash>.css), served by WhiteNoise inside
    the same gunicorn, and
  - "pages": the results pages of bench/common.py's RESULTS_PAGES, each connection requesting them in turn,
for several rounds, and compares the medians. Exit status 0 when median(pages) >= RATIO x median(static),
1 when not (or when a request failed), 2 when the set-up failed.
"""

from __future__ import annotations

import argparse
import re
import sys

from common import (
    RESULTS_PAGES,
    App,
    SetupError,
    WrkResult,
    check_paths,
    ensure_wrk,
    env_default,
    install_signal_handlers,
    machine_note,
    median,
    run_wrk,
    say,
    static_manifest,
    wrk_version,
)

STATIC_FILE = "reporting/site.css"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/throughput",
        description="Results pages vs a static file, requests per second, same gunicorn, same wrk settings.",
        epilog="Each option can also be set by the environment variable in brackets; flags win.",
    )
    parser.add_argument("--duration", default=env_default("DURATION", "6s"), help="per wrk run [DURATION; 6s]")
    parser.add_argument("--rounds", type=int, default=env_default("ROUNDS", "5"), help="runs per target [ROUNDS; 5]")
    parser.add_argument(
        "--connections", type=int, default=env_default("CONNECTIONS", "32"), help="[CONNECTIONS; default 32]"
    )
    parser.add_argument("--threads", type=int, default=env_default("THREADS", "2"), help="wrk threads [THREADS; 2]")
    parser.add_argument(
        "--workers", type=int, default=env_default("WORKERS", "2"), help="gunicorn sync workers [WORKERS; 2]"
    )
    parser.add_argument("--ratio", type=float, default=env_default("RATIO", "0.8"), help="the goal [RATIO; 0.8]")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"\d+[smh]?", args.duration):
        parser.error("--duration takes a number with an optional unit s, m or h, e.g. 10s")
    if args.rounds < 1 or args.threads < 1 or args.workers < 1 or args.connections < args.threads:
        parser.error("need --rounds >= 1, --threads >= 1, --workers >= 1 and --connections >= --threads")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    install_signal_handlers()
    try:
        wrk = ensure_wrk()
        say(f"wrk: {wrk} ({wrk_version(wrk)})")
        with App(workers=args.workers) as app:
            hashed = static_manifest(app.env).get(STATIC_FILE)
            if not hashed:
                raise SetupError(f"{STATIC_FILE} is not in the static files' manifest")
            static_path = f"/static/{hashed}"
            targets = {"static": [static_path], "pages": RESULTS_PAGES}
            check_paths(app.server, [static_path, *RESULTS_PAGES])
            say(f"serving on {app.url}/; every path answers 2xx")
            say(f"static: {static_path} (WhiteNoise, no Accept-Encoding: the uncompressed file)")
            say(f"pages: {len(RESULTS_PAGES)} results pages, requested in turn")
            settings = dict(connections=args.connections, threads=args.threads, timeout="5s")
            # Warm-up, not counted: every worker renders and caches every answer, Python warms its caches.
            for name, paths in targets.items():
                run_wrk(wrk, app.port, name, paths, duration="2s", echo=False, **settings)
            say(
                f"\n{args.rounds} rounds x (static, pages), {args.duration} each, {args.connections} connections, "
                f"{args.threads} wrk threads, {args.workers} gunicorn sync workers; {machine_note()}"
            )
            results: dict[str, list[WrkResult]] = {"static": [], "pages": []}
            cpu: dict[str, list[float]] = {"static": [], "pages": []}  # gunicorn's CPU time per request
            for round_number in range(1, args.rounds + 1):
                # Alternate which target goes first, so that a slow spell on the machine hits both alike.
                order = ["static", "pages"] if round_number % 2 else ["pages", "static"]
                for name in order:
                    cpu_before = app.server.cpu_seconds()
                    result = run_wrk(wrk, app.port, name, targets[name], duration=args.duration, echo=False, **settings)
                    cpu_us = (app.server.cpu_seconds() - cpu_before) / max(result.requests, 1) * 1e6
                    results[name].append(result)
                    cpu[name].append(cpu_us)
                    say(
                        f"  round {round_number} {name:<6} {result.rps:>9.1f} req/s  p50 {result.p50_ms:6.1f} ms  "
                        f"p99 {result.p99_ms:6.1f} ms  gunicorn CPU {cpu_us:5.0f} µs/request  errors {result.errors}"
                    )
            app.alive_or_raise()
            say(f"after the runs: {machine_note()}")
    except SetupError as problem:
        say(f"FAIL (setup): {problem}")
        return 2
    except KeyboardInterrupt:
        say("\ninterrupted: stopping")
        return 130

    static_rps = median([r.rps for r in results["static"]])
    pages_rps = median([r.rps for r in results["pages"]])
    ratio = pages_rps / static_rps if static_rps else 0.0
    say()
    say(f"{'target':<8}{'median req/s':>14}   rounds")
    for name, rps in (("static", static_rps), ("pages", pages_rps)):
        say(f"{name:<8}{rps:>14.1f}   " + ", ".join(f"{r.rps:.1f}" for r in results[name]))
    per_round = [p.rps / s.rps for s, p in zip(results["static"], results["pages"], strict=True) if s.rps]
    rounds = ", ".join(f"{x:.2f}" for x in per_round)
    say(f"ratio pages/static: {ratio:.2f} (goal >= {args.ratio:.2f}); per round: {rounds}")
    cpu_static, cpu_pages = median(cpu["static"]), median(cpu["pages"])
    say(
        f"gunicorn CPU per request (median): static {cpu_static:.0f} µs, pages {cpu_pages:.0f} µs; "
        f"ratio static/pages {cpu_static / cpu_pages if cpu_pages else 0:.2f} (what the req/s ratio would be if "
        "gunicorn had the CPUs to itself; less swayed by other work on the machine than req/s)"
    )
    problems = [r.problem() for rs in results.values() for r in rs if not r.passed]
    for problem in problems:
        say(f"  {problem}")
    if problems:
        say("FAIL: requests failed during the runs (see above)")
        return 1
    if ratio >= args.ratio:
        say(f"PASS: results pages at {ratio:.2f}x the static file's requests per second")
        return 0
    say(f"FAIL: results pages at {ratio:.2f}x the static file's requests per second, goal {args.ratio:.2f}x")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
