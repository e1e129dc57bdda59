"""Print the directory's coverage figures, for one shipped file or as a before → now table of two.

    .venv/bin/python tools/directory_figures.py directory/data/directory.json
    .venv/bin/python tools/directory_figures.py <(git show 6f478db:directory/data/directory.json) \
        directory/data/directory.json

The README's table under "The data" is this script's output.
"""

import json
import sys
from datetime import date, timedelta

HELPLINES = ("child_helpline", "sic_helpline")
CHECKED_SINCE = (date.today() - timedelta(days=365)).isoformat()


def figures(path: str) -> dict[str, str]:
    with open(path, encoding="utf-8") as file:
        data = json.load(file)
    organisations = data["organisations"]
    published = [o for o in organisations if o["status"] == "published"]
    national = [o for o in published if not o["worldwide"]]
    channels = [c for o in published for c in o["channels"]]
    platforms = data.get("platforms", [])

    def talks_to_children(organisation: dict) -> bool:
        return "support_child" in organisation["services"] and organisation["kind"] in HELPLINES

    def countries(test) -> int:
        return len({country for o in national if test(o) for country in o["countries"]})

    return {
        "published organisations (of all)": f"{len(published)} ({len(organisations)})",
        "drafts": sum(o["status"] == "draft" for o in organisations),
        'entries marked "needs check" (not archived)': sum(
            o.get("needs_check", False) and o["status"] != "archived" for o in organisations
        ),
        "countries with a national route for reporting sexual images of children": countries(
            lambda o: "report_csam" in o["services"]
        ),
        "countries with a national helpline for children": countries(talks_to_children),
        "countries with a national police reporting route": countries(lambda o: o["kind"] == "police"),
        "countries with a police number": sum(bool(e.get("police")) for e in data["emergency_numbers"]),
        "published entries checked within 12 months": sum(
            (o.get("last_checked") or "") >= CHECKED_SINCE for o in published
        ),
        "numbers published as the sources print them (libphonenumber does not know them)": sum(
            bool(c.get("number_confirmed")) for c in channels
        ),
        "channels with weekly hours or open 24/7": sum(
            bool(c.get("opening_hours")) or bool(c.get("always_open")) for c in channels
        ),
        "platforms with their own report route, published (of all)": "{} ({})".format(
            sum(p["status"] == "published" for p in platforms), len(platforms)
        ),
    }


def main(paths: list[str]) -> None:
    tables = [figures(path) for path in paths]
    heading = ["before", "now"] if len(tables) == 2 else ["now"]
    print("| | " + " | ".join(heading) + " |")
    print("| --- |" + " ---: |" * len(heading))
    for name in tables[0]:
        print(f"| {name} | " + " | ".join(str(table[name]) for table in tables) + " |")


if __name__ == "__main__":
    main(sys.argv[1:] or ["directory/data/directory.json"])
