"""axe-core on the public pages, in both directions and at phone and desktop sizes: no WCAG 2.2 A/AA
violations (and none of axe's best practices on headings and landmarks either)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Best practices that matter here: a page a frightened person can find their way around by headings.
BEST_PRACTICES = [
    "heading-order",
    "page-has-heading-one",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "region",
    "skip-link",
    "empty-heading",
]
SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 720}}

PAGES = {
    "/": 200,
    "/help/de/": 200,
    "/help/de/csam-found/": 200,
    "/help/de/danger-now/": 200,
    "/de/help/de/grooming/": 200,
    "/uk/help/ua/sextortion/": 200,
    "/ar/help/eg/need-to-talk/": 200,
    "/ar/help/eg/": 200,
    "/help/xx/csam-found/": 404,
    "/leaving/": 200,
    "/uk/about/": 200,
    "/help/?country=&situation=nonsense": 400,  # the start page with its error messages
    "/help/de/?situation=": 400,  # the situation page with its error message
}

AXE_SCRIPT = Axe().axe_script  # axe-core as axe-playwright-python ships it
OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG},
    "rules": {rule: {"enabled": True} for rule in BEST_PRACTICES},
    "resultTypes": ["violations"],
}


def report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"\n{violation['id']} ({violation['impact']}): {violation['help']}\n  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"  - {' '.join(map(str, node['target']))}\n      {node['html'][:160]}")
            summary = node.get("failureSummary", "").replace("\n", "\n        ")
            if summary:
                lines.append(f"        {summary}")
    return "\n".join(lines)


def check(page) -> list[dict]:
    """axe's violations on the page as it is now (axe-core is loaded into the page once)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate("options => axe.run(document, options)", OPTIONS)
    ran = {rule["id"] for kind in ("violations", "passes", "inapplicable", "incomplete") for rule in results[kind]}
    assert set(BEST_PRACTICES) <= ran, "the best-practice rules did not run"
    duplicates = page.evaluate(
        "() => [...document.querySelectorAll('[id]')].map(el => el.id).filter((id, i, ids) => ids.indexOf(id) !== i)"
    )
    assert not duplicates, f"ids used twice (aria-describedby and labels need them unique): {duplicates}"
    return results["violations"]


@pytest.mark.parametrize("path", PAGES)
def test_no_accessibility_violations(tab, directory, path):
    response = tab.goto(path)
    assert response.status == PAGES[path]
    found = []
    for size, viewport in SIZES.items():
        tab.set_viewport_size(viewport)
        violations = check(tab)
        if violations:
            found.append(f"\n== {path} at {size} size ({viewport['width']}×{viewport['height']}):{report(violations)}")
    assert not found, "".join(found)


def test_no_violations_while_the_skip_link_and_a_radio_have_focus(tab, directory):
    tab.goto("/help/de/")
    tab.keyboard.press("Tab")  # the skip link, shown
    violations = check(tab)
    assert not violations, report(violations)
    tab.get_by_role("radio").first.focus()
    tab.keyboard.press("ArrowDown")
    violations = check(tab)
    assert not violations, report(violations)
