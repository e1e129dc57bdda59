"""Lighthouse goal: performance >= 98, accessibility 100, best practices 100 on the start page and a results page.

Run it through `bench/lighthouse` (which uses the project's .venv python); see bench/README.md.

- Installs Lighthouse 12 (pinned in bench/package.json and bench/package-lock.json; Lighthouse 13 needs
  Node 22) into bench/node_modules with `npm ci` when it is missing or not the pinned version.
- Serves Signpost as bench/load does (gunicorn, DEBUG off, throwaway SQLite database with the shipped
  directory, collectstatic), for a browser on plain HTTP: DJANGO_SECURE_SSL_REDIRECT=0 and
  DJANGO_HSTS_SECONDS=0. Everything else is production's configuration (CSP, security headers, WhiteNoise).
- Runs Lighthouse headless with Chromium (CHROME_PATH, default /usr/bin/chromium), the default mobile
  preset (simulated throttling: slow 4G, 4x CPU slowdown), categories performance, accessibility and
  best-practices, RUNS times per page (default 3); each category's score is the median of the runs.
- Prints the scores, and for a category below its goal the audits that lost points (id, title, what).

http://127.0.0.1 is what Lighthouse (and browsers) count as a secure context, like localhost: the
`is-on-https` audit passes and `redirects-http` is "not applicable" there, so plain HTTP on loopback does not
cost best-practices points that a production HTTPS site would earn.

Exit status 0 when every page meets every goal, 1 when one does not (or Lighthouse failed on a page),
2 when the set-up failed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from common import (
    BENCH_DIR,
    App,
    SetupError,
    check_paths,
    ensure_apt_binary,
    env_default,
    install_signal_handlers,
    machine_note,
    median,
    say,
)

GOALS = {"performance": 98, "accessibility": 100, "best-practices": 100}
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_PATHS = "/,/help/de/csam-found/"
RUN_TIMEOUT = 180  # seconds, one Lighthouse run
NPM_TIMEOUT = 600
LIGHTHOUSE_BIN = BENCH_DIR / "node_modules" / ".bin" / "lighthouse"
METRICS = [
    ("first-contentful-paint", "FCP"),
    ("largest-contentful-paint", "LCP"),
    ("total-blocking-time", "TBT"),
    ("cumulative-layout-shift", "CLS"),
    ("speed-index", "SI"),
]


# Known causes, printed under a failing audit whose details mention the pattern.
HINTS = [
    (
        "errors-in-console",
        "/favicon.ico",
        "the page declares no icon, so the browser asks for /favicon.ico, which answers 404 (the helpful "
        'not-found page); a <link rel="icon" href="data:,"> in templates/base.html\'s <head> stops the request',
    ),
]


def pinned_version() -> str:
    package = json.loads((BENCH_DIR / "package.json").read_text(encoding="utf-8"))
    return package["dependencies"]["lighthouse"]


def installed_version() -> str | None:
    try:
        package = BENCH_DIR / "node_modules" / "lighthouse" / "package.json"
        return json.loads(package.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None


def ensure_node() -> None:
    node = shutil.which("node")
    if not node or not shutil.which("npm"):
        raise SetupError("Node.js and npm are needed (Node 18.16 or newer; Debian: apt-get install nodejs npm).")
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    match = re.match(r"v(\d+)\.(\d+)", version)
    if not match or (int(match.group(1)), int(match.group(2))) < (18, 16):
        raise SetupError(f"Lighthouse 12 needs Node 18.16 or newer; this is {version or 'unknown'}.")


def ensure_lighthouse() -> str:
    """The pinned Lighthouse, installed with `npm ci` into bench/node_modules if it is not there already."""
    ensure_node()
    wanted = pinned_version()
    if installed_version() != wanted or not LIGHTHOUSE_BIN.exists():
        say(f"installing lighthouse {wanted} into {BENCH_DIR / 'node_modules'} (npm ci)")
        try:
            result = subprocess.run(
                ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=BENCH_DIR,
                capture_output=True,
                text=True,
                timeout=NPM_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            raise SetupError(f"npm ci took longer than {NPM_TIMEOUT} s") from None
        if result.returncode != 0:
            raise SetupError(f"npm ci failed (exit {result.returncode}):\n{(result.stdout + result.stderr)[-3000:]}")
        if installed_version() != wanted:
            raise SetupError(f"npm ci did not install lighthouse {wanted} (found {installed_version()})")
    return wanted


def ensure_chrome() -> str:
    path = os.environ.get("CHROME_PATH", "").strip() or "/usr/bin/chromium"
    if Path(path).exists():
        return path
    if path == "/usr/bin/chromium":
        return ensure_apt_binary("chromium", "chromium")
    raise SetupError(f"CHROME_PATH={path} does not exist")


def chrome_version(chrome: str) -> str:
    try:
        return subprocess.run([chrome, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown version"


def kill_strays(tmpdir: Path) -> int:
    """SIGKILL any process still using `tmpdir` (a Chrome whose Lighthouse was killed): ours, found by that path.

    chrome-launcher starts Chrome in a process group of its own, with --user-data-dir under TMPDIR, which
    we point into our temporary directory; only those processes match.
    """
    killed = 0
    marker = (str(tmpdir) + "/").encode()  # Chrome runs with --user-data-dir=TMPDIR/lighthouse.XXXXXXX
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if marker in cmdline:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(int(entry.name), signal.SIGKILL)
                killed += 1
    return killed


def stop_process_group(process: subprocess.Popen) -> None:
    """SIGINT first (chrome-launcher then closes its Chrome), SIGKILL to the group if it is still there in 10 s."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def run_lighthouse(url: str, output: Path, chrome: str, tmpdir: Path) -> dict:
    """One Lighthouse run; its JSON report (raises RuntimeError with the output's end when it fails)."""
    command = [
        str(LIGHTHOUSE_BIN),
        url,
        "--output=json",
        f"--output-path={output}",
        "--only-categories=performance,accessibility,best-practices",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        "--quiet",
    ]
    # TMPDIR: Chrome's throwaway profile (mktemp -t) goes into our temporary directory, removed with it.
    env = {**os.environ, "CHROME_PATH": chrome, "TMPDIR": str(tmpdir)}
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    try:
        out, _ = process.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"Lighthouse took longer than {RUN_TIMEOUT} s") from None
    finally:
        stop_process_group(process)  # only does something on a timeout, an error or Ctrl-C
        kill_strays(tmpdir)
    if process.returncode != 0 or not output.exists():
        raise RuntimeError(f"Lighthouse exited with status {process.returncode}:\n{out[-2000:]}")
    report = json.loads(output.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise RuntimeError(f"Lighthouse runtime error: {report['runtimeError']}")
    return report


def category_score(report: dict, category: str) -> float | None:
    score = report["categories"].get(category, {}).get("score")
    return None if score is None else round(score * 100, 1)


def lost_points(report: dict, category: str) -> list[str]:
    """The audits of `category` that cost points: weight > 0 and score < 1, worst first."""
    lines = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"].get(ref["id"], {})
        score = audit.get("score")
        if ref.get("weight", 0) <= 0 or score is None or score >= 1:
            continue
        what = audit.get("displayValue") or ""
        items = (audit.get("details") or {}).get("items") or []
        examples = []
        for item in items[:3]:
            node = item.get("node") or {}
            location = item.get("sourceLocation") or {}
            example = node.get("snippet") or node.get("selector") or item.get("url") or ""
            if item.get("description"):  # console errors, deprecations, inspector issues
                example = " ".join(filter(None, [item["description"], location.get("url", "")]))
            if isinstance(example, dict):
                example = example.get("url", "")
            if example:
                examples.append(str(example)[:140])
        detail = "; ".join(filter(None, [what, *examples]))
        line = f"{ref['id']} (weight {ref['weight']}, score {score:.2f}): {audit.get('title', '')}"
        line += f" — {detail}" if detail else ""
        for audit_id, pattern, hint in HINTS:
            if audit_id == ref["id"] and pattern in json.dumps(audit.get("details") or {}):
                line += f"\n      likely cause: {hint}"
        lines.append((score, line))
    return [line for _score, line in sorted(lines, key=lambda pair: pair[0])]


def metrics_line(report: dict) -> str:
    parts = []
    for audit_id, acronym in METRICS:
        audit = report["audits"].get(audit_id, {})
        parts.append(f"{acronym} {audit.get('displayValue', '?')} ({audit.get('score', 0) or 0:.2f})")
    return ", ".join(parts)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/lighthouse",
        description="Lighthouse (mobile) scores of the start page and a results page, against the goals.",
        epilog="Each option can also be set by the environment variable in brackets; flags win.",
    )
    parser.add_argument(
        "--paths", default=env_default("PATHS", DEFAULT_PATHS), help=f"comma-separated [PATHS; {DEFAULT_PATHS}]"
    )
    parser.add_argument(
        "--runs", type=int, default=env_default("RUNS", "3"), help="runs per page, median taken [RUNS; 3]"
    )
    parser.add_argument("--save", metavar="DIR", help="also copy each run's JSON report into DIR")
    args = parser.parse_args(argv)
    args.paths = [path.strip() for path in args.paths.split(",") if path.strip()]
    if args.runs < 1 or not args.paths:
        parser.error("need --runs >= 1 and at least one path")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    install_signal_handlers()
    failures: list[str] = []
    summary: list[tuple[str, dict[str, float | None], list[dict]]] = []
    try:
        version = ensure_lighthouse()
        chrome = ensure_chrome()
        say(f"lighthouse {version}; Chrome: {chrome} ({chrome_version(chrome)})")
        say(f"chrome flags: {' '.join(CHROME_FLAGS)}")
        extra = {"DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_HSTS_SECONDS": "0"}
        with App(workers=2, extra_env=extra, prefix="signpost-lighthouse-") as app:
            check_paths(app.server, args.paths)  # also renders and caches each answer once
            say(f"serving on {app.url}/; {machine_note()}")
            tmpdir = app.workdir / "tmp"
            tmpdir.mkdir()
            for path in args.paths:
                url = app.url + path
                reports = []
                for run in range(1, args.runs + 1):
                    output = app.workdir / f"report-{len(summary)}-{run}.json"
                    try:
                        report = run_lighthouse(url, output, chrome, tmpdir)
                    except RuntimeError as problem:
                        say(f"  {path} run {run}: FAILED: {problem}")
                        failures.append(f"{path}: Lighthouse run {run} failed")
                        continue
                    reports.append(report)
                    scores = " ".join(f"{c} {category_score(report, c)}" for c in GOALS)
                    say(f"  {path} run {run}: {scores}; {metrics_line(report)}")
                    if args.save:
                        Path(args.save).mkdir(parents=True, exist_ok=True)
                        name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "start"
                        shutil.copy(output, Path(args.save) / f"lighthouse-{name}-{run}.json")
                medians = {
                    category: (
                        median([s for r in reports if (s := category_score(r, category)) is not None])
                        if reports
                        else None
                    )
                    for category in GOALS
                }
                summary.append((path, medians, reports))
            app.alive_or_raise()
    except SetupError as problem:
        say(f"FAIL (setup): {problem}")
        return 2
    except KeyboardInterrupt:
        say("\ninterrupted: stopping")
        return 130

    say()
    say(f"Lighthouse, mobile preset, median of {args.runs} run(s) per page; goals: "
        + ", ".join(f"{c} >= {g}" for c, g in GOALS.items()))  # fmt: skip
    header = f"{'page':<28}" + "".join(f"{c:>16}" for c in GOALS) + "  verdict"
    say(header)
    say("-" * len(header))
    for path, medians, _reports in summary:
        missed = [c for c, goal in GOALS.items() if medians[c] is None or medians[c] < goal]
        cells = "".join(f"{'-' if medians[c] is None else f'{medians[c]:g}':>16}" for c in GOALS)
        say(f"{path:<28}{cells}  {'ok' if not missed else 'FAIL: ' + ', '.join(missed)}")
        for category in missed:
            failures.append(f"{path}: {category} {medians[category]} < {GOALS[category]}")
    for path, medians, reports in summary:
        for category, goal in GOALS.items():
            if medians[category] is None or medians[category] >= goal or not reports:
                continue
            # The run whose score is the median one (the lowest, with two runs) shows what cost the points.
            ordered = sorted(reports, key=lambda r: category_score(r, category) or 0)
            chosen = ordered[(len(ordered) - 1) // 2]
            say()
            say(f"{path} — {category} {category_score(chosen, category)}: the audits that lost points")
            lines = lost_points(chosen, category)
            if category == "performance":
                say(f"  metrics: {metrics_line(chosen)}")
            for line in lines or ["(no single audit: the metrics above)"]:
                say(f"  {line}")
    if summary and summary[0][2]:
        report = summary[0][2][0]
        https = report["audits"].get("is-on-https", {})
        redirects = report["audits"].get("redirects-http", {})
        say()
        say(
            f"HTTPS on loopback: is-on-https score {https.get('score')}, redirects-http "
            f"{redirects.get('scoreDisplayMode', '?')} — Lighthouse treats 127.0.0.1 and localhost as secure "
            "contexts (core/lib/url-utils.js isLikeLocalhost), so plain HTTP here costs no points."
        )
        warnings = report.get("runWarnings") or []
        for warning in warnings:
            say(f"Lighthouse warning: {warning}")
    say()
    if failures:
        for failure in failures:
            say(f"  {failure}")
        say(f"FAIL: {len(failures)} goal(s) missed")
        return 1
    say(f"PASS: {len(summary)} page(s) meet every goal")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
