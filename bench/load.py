"""Load test for Signpost: serve the app with gunicorn (debug off) on a throwaway database, drive it with wrk.

Run it through `bench/load` (which uses the project's .venv python); see bench/README.md.

Steps: install wrk with apt if it is missing; create a temporary directory holding a SQLite database and the
collected static files; `migrate`, `import_directory` (the shipped directory) and `collectstatic`; start
gunicorn on 127.0.0.1 at a free port; check that every path answers 2xx; run wrk against each target for a
fixed time at a fixed concurrency; print requests per second, latency percentiles and errors; exit non-zero
if any request failed. gunicorn and the temporary directory are removed on exit, Ctrl-C and errors included.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

from common import (
    HOST,
    RESULTS_PAGES,
    ROUTE_API_CALLS,
    App,
    SetupError,
    WrkResult,
    check_paths,
    ensure_wrk,
    env_default,
    install_signal_handlers,
    run_wrk,
    say,
    wrk_version,
)

# What is measured (the lists live in bench/common.py, shared with the other bench scripts). Each target's
# paths are requested in turn by every wrk connection.
TARGETS: dict[str, tuple[str, list[str]]] = {
    "pages": ("results pages", RESULTS_PAGES),
    "api": ("route API", ROUTE_API_CALLS),
}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/load",
        description="Serve Signpost with gunicorn (DEBUG off, throwaway SQLite) and load-test it with wrk.",
        epilog="Each option can also be set by the environment variable in brackets; flags win.",
    )
    parser.add_argument(
        "--duration",
        default=env_default("DURATION", "15s"),
        help="wrk run time per target, e.g. 15s, 1m [DURATION; default 15s]",
    )
    parser.add_argument(
        "--connections",
        type=int,
        default=env_default("CONNECTIONS", "32"),
        help="open connections (the concurrency) [CONNECTIONS; default 32]",
    )
    parser.add_argument(
        "--threads", type=int, default=env_default("THREADS", "2"), help="wrk threads [THREADS; default 2]"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=env_default("WORKERS", "2"),
        help="gunicorn sync workers [WORKERS; default 2]",
    )
    parser.add_argument(
        "--timeout",
        default=env_default("TIMEOUT", "5s"),
        help="wrk: a response slower than this counts as an error [TIMEOUT; default 5s]",
    )
    parser.add_argument(
        "--targets",
        default=env_default("TARGETS", ",".join(TARGETS)),
        help=f"comma-separated, from: {', '.join(TARGETS)} [TARGETS; default all]",
    )
    args = parser.parse_args(argv)
    args.targets = [name.strip() for name in args.targets.split(",") if name.strip()]
    unknown = [name for name in args.targets if name not in TARGETS]
    if unknown or not args.targets:
        parser.error(f"unknown target(s) {unknown}; choose from {', '.join(TARGETS)}")
    if not re.fullmatch(r"\d+[smh]?", args.duration) or not re.fullmatch(r"\d+[smh]?", args.timeout):
        parser.error("--duration and --timeout take a number with an optional unit s, m or h, e.g. 15s")
    if args.threads < 1 or args.workers < 1 or args.connections < args.threads:
        parser.error("need --threads >= 1, --workers >= 1 and --connections >= --threads")
    return args


# --- reporting -----------------------------------------------------------------------------------------------


def report(results: list[WrkResult], args: argparse.Namespace) -> bool:
    say()
    say(
        f"Summary ({args.duration} per target, {args.connections} connections, {args.threads} wrk threads, "
        f"{args.workers} gunicorn sync workers, DEBUG off, SQLite)"
    )
    columns = ("req/s", "p50 ms", "p90 ms", "p99 ms", "max ms")
    header = f"{'target':<14}" + "".join(f"{name:>9}" for name in columns) + f"{'requests':>10}{'errors':>8}"
    say(header)
    say("-" * len(header))
    for r in results:
        say(
            f"{r.label:<14}{r.rps:>9.1f}{r.p50_ms:>9.1f}{r.p90_ms:>9.1f}{r.p99_ms:>9.1f}{r.max_ms:>9.1f}"
            f"{r.requests:>10}{r.errors:>8}"
        )
    say("errors = socket errors (connect, read, write, timeout) + responses that were not 2xx")
    passed = all(r.passed for r in results)
    for r in results:
        if r.passed:
            continue
        if not r.complete:
            say(f"  {r.label}: wrk did not finish or its summary could not be read")
        else:
            socket = ", ".join(f"{k} {v}" for k, v in r.socket_errors.items() if v) or "none"
            say(f"  {r.label}: socket errors: {socket}; non-2xx responses: {r.non2xx} {r.statuses}".rstrip())
    total = sum(r.errors for r in results)
    if passed:
        say(f"PASS: {sum(r.requests for r in results)} requests, 0 errors")
    else:
        say(f"FAIL: {total} errors (see above)")
    return passed


# --- main --------------------------------------------------------------------------------------------------


def measure(wrk: str, port: int, name: str, args: argparse.Namespace) -> WrkResult:
    label, paths = TARGETS[name]
    say()
    say(f"== {label}: {len(paths)} paths, {args.duration}, {args.connections} connections, {args.threads} threads ==")
    return run_wrk(
        wrk, port, label, paths,
        connections=args.connections, threads=args.threads, duration=args.duration, timeout=args.timeout,
    )  # fmt: skip


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    install_signal_handlers()  # so that the cleanup runs on kill and on a closed terminal too
    try:
        wrk = ensure_wrk()
        say(f"wrk: {wrk} ({wrk_version(wrk)})")
        with App(workers=args.workers) as app:
            check_paths(app.server, [path for name in args.targets for path in TARGETS[name][1]])
            say(f"serving on http://{HOST}:{app.port}/; every path answers 2xx")
            load_before = os.getloadavg()[0]
            results = [measure(wrk, app.port, name, args) for name in args.targets]
            say()
            say(
                f"machine: {os.cpu_count()} CPUs; 1-minute load average {load_before:.2f} before the runs, "
                f"{os.getloadavg()[0]:.2f} after (wrk and gunicorn share these CPUs; other work skews the figures)"
            )
            try:
                app.alive_or_raise()
            except SetupError as problem:
                say(str(problem))
                for r in results:
                    r.complete = False
            return 0 if report(results, args) else 1
    except SetupError as problem:
        say(f"FAIL (setup): {problem}")
        return 2
    except KeyboardInterrupt:
        say("\ninterrupted: stopping")
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
