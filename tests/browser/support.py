"""Small helpers the browser tests share: what the page looks like to a person, measured in the browser."""

from playwright.sync_api import Page

# The focused element, described, with whether its focus can be seen (an outline or a box shadow).
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== "none";
  const rect = el.getBoundingClientRect();
  // What a person sees at the middle of the focused element: the element itself, or something on top of it.
  const x = Math.min(Math.max(rect.left + rect.width / 2, 0), window.innerWidth - 1);
  const y = Math.min(Math.max(rect.top + rect.height / 2, 0), window.innerHeight - 1);
  const seen = document.elementFromPoint(x, y);
  const covered = !seen || !(el.contains(seen) || (el.labels && Array.from(el.labels).some(l => l.contains(seen))));
  return {
    element: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className ? "." + el.className : "")
      + " " + JSON.stringify((el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 40)),
    tag: el.tagName.toLowerCase(), id: el.id, type: el.type || "", value: el.value || "", href: el.href || "",
    visible: outline || shadow,
    // WCAG 2.2 "Focus not obscured": the sticky header (or anything else) must not hide what has focus.
    covered: covered ? (seen ? seen.outerHTML.slice(0, 80) : "nothing") : false,
    on_screen: rect.bottom > 0 && rect.top < window.innerHeight && rect.right > 0 && rect.left < window.innerWidth,
  };
}"""

# Every link, button and form control a person can tap, with its size (WCAG 2.2 target size: 24×24 CSS px).
TARGETS = """(selector) => Array.from(document.querySelectorAll(selector))
  // (not the visually hidden skip link: it is shown, big, when it has focus)
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden"
    && !(el.getBoundingClientRect().width <= 1 && el.getBoundingClientRect().height <= 1))
  .map(el => {
    const rect = el.getBoundingClientRect();
    return {element: el.outerHTML.slice(0, 120), width: rect.width, height: rect.height};
  })"""


def focused(page: Page) -> dict | None:
    return page.evaluate(FOCUS)


def too_small_targets(page: Page, selector: str = "a[href], button, input, select, label") -> list[str]:
    return [
        f"{target['width']:.0f}×{target['height']:.0f}: {target['element']}"
        for target in page.evaluate(TARGETS, selector)
        if target["width"] < 24 or target["height"] < 24
    ]


def horizontal_overflow(page: Page) -> dict | None:
    """None when the page fits its window; otherwise how wide it is and which elements stick out."""
    return page.evaluate("""() => {
      const width = document.documentElement.clientWidth;
      if (document.documentElement.scrollWidth <= window.innerWidth && window.innerWidth <= width) return null;
      const wide = Array.from(document.querySelectorAll("body *")).filter(el => {
        const r = el.getBoundingClientRect(); return r.right > width + 1 || r.left < -1;
      }).slice(0, 8).map(el => el.outerHTML.slice(0, 100));
      return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, width, wide};
    }""")
