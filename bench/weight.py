"""Page-weight goal: results pages' HTML plus CSS at most 20 KB compressed; no fonts or images; one small script.

Run it through `bench/weight` (which uses the project's .venv python); see bench/README.md.

Serves Signpost as bench/load does (gunicorn, DEBUG off, throwaway SQLite database with the shipped directory,
collectstatic, every request with X-Forwarded-Proto: https) and, for each results page measured:
  - fetches the HTML (no Accept-Encoding) and compresses it as a front proxy would: gzip level 6 (nginx's
    `gzip_comp_level 6`) and, if the `brotli` module is installed, brotli quality 6 (ngx_brotli's default);
  - fetches each stylesheet the page links, as served by WhiteNoise with `Accept-Encoding: gzip` and then
    `Accept-Encoding: br`, and counts the bytes on the wire (the pre-compressed .gz / .br files);
  - budget: HTML + CSS <= 20 KB (20,000 bytes) compressed, for gzip and for brotli;
  - the HTML and the CSS reference no font or image (url(), @import, @font-face, <img>, <picture>, <source>,
    <video>, <audio>, <iframe>, <object>, <embed>, <image>, icons, preloads, style="…url()") other than data:;
  - no JavaScript is required: exactly one script, the quick exit's, loaded with defer or async, under 2 KB
    (2,048 bytes) uncompressed; no inline script or inline event handler; the "Leave this site" control is a
    plain link with an http(s) href, so it works without the script;
  - each static file (stylesheets and the script) has a hashed name, `Cache-Control` with
    max-age=315360000 and immutable, and is served with `Content-Encoding: gzip` / `br` when asked.
The largest page is reported. Exit status 0 when every check passes, 1 when one fails, 2 when the set-up failed.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from common import (
    RESULTS_PAGES,
    App,
    SetupError,
    check_paths,
    env_default,
    fetch,
    install_signal_handlers,
    say,
)

try:
    import brotli
except ImportError:  # brotli is optional: only the gzip figures then
    brotli = None

BUDGET_BYTES = 20_000  # HTML + CSS, compressed
SCRIPT_BUDGET_BYTES = 2_048  # the quick-exit script, uncompressed
GZIP_LEVEL = 6
BROTLI_QUALITY = 6
LONG_MAX_AGE = 315360000
HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")
MEDIA_TAGS = {"img", "picture", "source", "video", "audio", "iframe", "object", "embed", "image", "track", "frame"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.IGNORECASE | re.DOTALL)
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'")\s;]+)""", re.IGNORECASE)


def kb(size: int) -> str:
    return f"{size / 1000:.1f} KB"


class PageParser(HTMLParser):
    """What a page pulls in: stylesheets, scripts, media and other resource references."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stylesheets: list[str] = []
        self.scripts: list[dict[str, str]] = []  # attributes of each <script>
        self.inline_scripts = 0
        self.inline_handlers: list[str] = []
        self.resources: list[tuple[str, str]] = []  # (where, url): media, icons, preloads, style url()s
        self.inline_styles: list[str] = []  # <style> blocks
        self.exit_links: list[dict[str, str]] = []
        self._in_script = False
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        for name in attributes:
            if name.startswith("on"):
                self.inline_handlers.append(f"<{tag} {name}>")
        for url in CSS_URL.findall(attributes.get("style", "")):
            self.resources.append((f"<{tag} style>", url[1]))
        rel = attributes.get("rel", "").lower().split()
        if tag == "link":
            if "stylesheet" in rel:
                self.stylesheets.append(attributes.get("href", ""))
            elif {"icon", "apple-touch-icon", "preload", "prefetch", "mask-icon", "manifest"} & set(rel):
                self.resources.append((f"<link rel={' '.join(rel)}>", attributes.get("href", "")))
        elif tag == "script":
            self.scripts.append(attributes)
            self._in_script = not attributes.get("src")
        elif tag == "style":
            self._in_style = True
            self.inline_styles.append("")
        elif tag in MEDIA_TAGS:
            for name in ("src", "srcset", "data", "poster", "href", "xlink:href"):
                if attributes.get(name):
                    self.resources.append((f"<{tag} {name}>", attributes[name]))
        elif tag == "input" and attributes.get("type", "").lower() == "image":
            self.resources.append(("<input type=image>", attributes.get("src", "")))
        if tag == "a" and "data-exit-url" in attributes:
            self.exit_links.append(attributes)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False
        elif tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts += 1
        if self._in_style:
            self.inline_styles[-1] += data


def css_references(css: str) -> list[tuple[str, str]]:
    """(where, url) for every url() (font sources included) and @import in a stylesheet."""
    return [("url()", url) for _quote, url in CSS_URL.findall(css)] + [
        ("@import", url) for url in CSS_IMPORT.findall(css)
    ]


def not_data(references: list[tuple[str, str]]) -> list[str]:
    """The references that would be fetched: everything but data: URLs."""
    return [f"{where} {url}" for where, url in references if not url.strip().lower().startswith("data:")]


@dataclass
class StaticFile:
    path: str
    raw: int = 0
    gzip: int = 0
    br: int = 0
    problems: list[str] = field(default_factory=list)
    text: str = ""
    cache_control: str = ""


def check_static(port: int, path: str) -> StaticFile:
    """Size as served uncompressed, with gzip and with brotli; hashed name, caching and compression checks."""
    result = StaticFile(path)
    plain = fetch(port, path)
    if plain.status != 200:
        result.problems.append(f"{path} answers {plain.status}")
        return result
    result.raw = len(plain.body)
    result.text = plain.body.decode("utf-8", errors="replace")
    result.cache_control = plain.header("Cache-Control")
    if not HASHED_NAME.search(urlsplit(path).path):
        result.problems.append(f"{path}: not a hashed file name")
    directives = {item.strip().lower() for item in result.cache_control.split(",")}
    if f"max-age={LONG_MAX_AGE}" not in directives or "immutable" not in directives:
        result.problems.append(
            f"{path}: Cache-Control is {result.cache_control!r}, not max-age={LONG_MAX_AGE}, immutable"
        )
    for encoding in ("gzip", "br"):
        response = fetch(port, path, {"Accept-Encoding": encoding})
        served = response.header("Content-Encoding")
        size = len(response.body)
        if served != encoding:
            result.problems.append(
                f"{path}: Accept-Encoding {encoding} answered with Content-Encoding {served or 'none'}"
            )
        setattr(result, encoding, size)
    if "accept-encoding" not in plain.header("Vary").lower():
        result.problems.append(f"{path}: no Vary: Accept-Encoding")
    return result


@dataclass
class Page:
    path: str
    html_raw: int = 0
    html_gzip: int = 0
    html_br: int | None = None
    css: list[StaticFile] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def total_gzip(self) -> int:
        return self.html_gzip + sum(f.gzip for f in self.css)

    @property
    def total_br(self) -> int | None:
        return None if self.html_br is None else self.html_br + sum(f.br for f in self.css)


def measure_page(port: int, path: str, statics: dict[str, StaticFile]) -> tuple[Page, PageParser]:
    page = Page(path)
    response = fetch(port, path)
    if response.status != 200:
        raise SetupError(f"{path} answers {response.status}")
    html = response.body
    page.html_raw = len(html)
    page.html_gzip = len(gzip.compress(html, GZIP_LEVEL))
    if brotli is not None:
        page.html_br = len(brotli.compress(html, quality=BROTLI_QUALITY))
    parser = PageParser()
    parser.feed(html.decode("utf-8", errors="replace"))
    parser.close()
    for href in parser.stylesheets:
        if href not in statics:
            statics[href] = check_static(port, href)
        page.css.append(statics[href])
    return page, parser


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/weight",
        description="Results pages' weight: HTML + CSS compressed, no fonts or images, one small script.",
    )
    parser.add_argument(
        "--paths",
        default=env_default("PATHS", ",".join(RESULTS_PAGES)),
        help="comma-separated results pages to measure [PATHS; default: bench/common.py's RESULTS_PAGES]",
    )
    args = parser.parse_args(argv)
    args.paths = [path.strip() for path in args.paths.split(",") if path.strip()]
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    install_signal_handlers()
    try:
        with App(workers=1) as app:
            check_paths(app.server, args.paths)
            statics: dict[str, StaticFile] = {}
            measured = [measure_page(app.port, path, statics) for path in args.paths]
            scripts = {script.get("src", "") for _page, parser in measured for script in parser.scripts}
            for src in scripts:
                if src and src not in statics:
                    statics[src] = check_static(app.port, src)
    except SetupError as problem:
        say(f"FAIL (setup): {problem}")
        return 2
    except KeyboardInterrupt:
        say("\ninterrupted: stopping")
        return 130

    checks: list[tuple[str, bool, str]] = []  # (what, passed, detail)
    br_label = f"br q{BROTLI_QUALITY}" if brotli else "br (no brotli module)"
    say()
    say(
        f"Page weight: HTML compressed here (gzip -{GZIP_LEVEL}, brotli q{BROTLI_QUALITY}), CSS as WhiteNoise serves "
        f"its .gz / .br; budget HTML + CSS <= {kb(BUDGET_BYTES)} (1 KB = 1,000 bytes)"
    )
    width = max(len(path) for path in args.paths)
    header = (
        f"{'page':<{width}} {'HTML raw':>9} {'HTML gz':>8} {'HTML br':>8} {'CSS gz':>7} {'CSS br':>7} "
        f"{'total gz':>9} {'total br':>9}"
    )
    say(header)
    say("-" * len(header))
    for page, _parser in measured:
        css_gz, css_br = sum(f.gzip for f in page.css), sum(f.br for f in page.css)
        html_br = "-" if page.html_br is None else str(page.html_br)
        total_br = "-" if page.total_br is None else str(page.total_br)
        say(
            f"{page.path:<{width}} {page.html_raw:>9} {page.html_gzip:>8} {html_br:>8} {css_gz:>7} {css_br:>7} "
            f"{page.total_gzip:>9} {total_br:>9}"
        )
    say("(bytes)")
    largest = max((page for page, _ in measured), key=lambda p: p.total_gzip)
    say()
    checks.append(
        (
            f"largest page, HTML + CSS gzip ({largest.path})",
            largest.total_gzip <= BUDGET_BYTES,
            f"{kb(largest.total_gzip)} (HTML {kb(largest.html_gzip)} + CSS "
            f"{kb(largest.total_gzip - largest.html_gzip)}) / budget {kb(BUDGET_BYTES)}",
        )
    )
    if brotli is not None:
        largest_br = max((page for page, _ in measured), key=lambda p: p.total_br or 0)
        checks.append(
            (
                f"largest page, HTML + CSS {br_label} ({largest_br.path})",
                (largest_br.total_br or 0) <= BUDGET_BYTES,
                f"{kb(largest_br.total_br or 0)} / budget {kb(BUDGET_BYTES)}",
            )
        )

    # Fonts and images: none needed, other than data: URLs.
    references = []
    for page, parser in measured:
        references += [f"{page.path}: {ref}" for ref in not_data(parser.resources)]
        for block in parser.inline_styles:
            references += [f"{page.path} <style>: {ref}" for ref in not_data(css_references(block))]
    for static in statics.values():
        if static.path.endswith(".css") or ".css?" in static.path:
            references += [f"{static.path}: {ref}" for ref in not_data(css_references(static.text))]
            if "@font-face" in static.text.lower():
                references.append(f"{static.path}: @font-face")
    checks.append(
        (
            "no web fonts or images (other than data:) in the HTML and CSS",
            not references,
            "none" if not references else "; ".join(sorted(set(references))[:10]),
        )
    )

    # JavaScript: only the quick exit, deferred, small; the page works without it.
    script_problems = []
    script_files = []
    for page, parser in measured:
        external = [s for s in parser.scripts if s.get("src")]
        if len(parser.scripts) != 1 or len(external) != 1:
            script_problems.append(f"{page.path}: {len(parser.scripts)} <script> elements, {len(external)} with src")
        for script in external:
            if "defer" not in script and "async" not in script and script.get("type") != "module":
                script_problems.append(f"{page.path}: {script['src']} is render-blocking (no defer/async)")
            script_files.append(statics[script["src"]])
        if parser.inline_scripts:
            script_problems.append(f"{page.path}: {parser.inline_scripts} inline script(s)")
        if parser.inline_handlers:
            script_problems.append(f"{page.path}: inline event handlers {sorted(set(parser.inline_handlers))}")
        hrefs = [link.get("href", "") for link in parser.exit_links]
        if not hrefs or not all(href.startswith(("https://", "http://")) for href in hrefs):
            script_problems.append(f"{page.path}: the quick exit is not a plain link with an http(s) href ({hrefs})")
    checks.append(
        (
            "no JavaScript required: one deferred script, no inline script, quick exit is a plain link",
            not script_problems,
            "ok" if not script_problems else "; ".join(sorted(set(script_problems))[:6]),
        )
    )
    for script in {f.path: f for f in script_files}.values():
        checks.append(
            (
                f"the script {script.path}",
                script.raw < SCRIPT_BUDGET_BYTES,
                f"{script.raw} bytes (gzip {script.gzip}, br {script.br}) / budget < {SCRIPT_BUDGET_BYTES} bytes",
            )
        )

    # Static files: hashed names, long-lived Cache-Control, compressed.
    for static in statics.values():
        checks.append(
            (
                f"static {static.path}: hashed, cached a long time, compressed",
                not static.problems,
                f"Cache-Control: {static.cache_control}; gzip {static.gzip} / br {static.br} / raw {static.raw} bytes"
                if not static.problems
                else "; ".join(static.problems),
            )
        )

    for what, passed, detail in checks:
        say(f"{'PASS' if passed else 'FAIL'}  {what}: {detail}")
    failed = [what for what, passed, _ in checks if not passed]
    say()
    if failed:
        say(f"FAIL: {len(failed)} of {len(checks)} checks")
        return 1
    say(f"PASS: {len(checks)} checks; largest page {largest.path}, {kb(largest.total_gzip)} gzip")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
