"""Curators' dashboards inside the admin (what the admin cannot declare on its own)."""

import csv

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from directory import linkcheck
from directory.coverage import NEEDS, country_coverage, region_summary
from directory.models import Organisation, ProblemReport


def coverage_csv(rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="signpost-coverage-{timezone.localdate()}.csv"'
    writer = csv.writer(response)
    writer.writerow(["country", "name", "region", *NEEDS, "gaps"])
    for row in rows:
        cells = []
        for need in NEEDS:
            present = row.has(need)
            cells.append("n/a" if present is None else ("yes" if present else "no"))
        writer.writerow([row.code, row.name, row.region, *cells, " ".join(row.gaps)])
    return response


@permission_required("directory.view_organisation", raise_exception=True)
def coverage(request: HttpRequest) -> HttpResponse:
    rows = country_coverage()
    if request.GET.get("format") == "csv":
        return coverage_csv(rows)
    only_gaps = request.GET.get("gaps") == "1"
    organisations = Organisation.objects.exclude(status=Organisation.Status.ARCHIVED)
    context = {
        **admin.site.each_context(request),
        "title": "Coverage and freshness",
        "needs": list(NEEDS.values()),
        "need_keys": list(NEEDS),
        "rows": [row for row in rows if row.gaps] if only_gaps else rows,
        "only_gaps": only_gaps,
        "regions": region_summary(rows),
        "countries_with_gaps": sum(1 for row in rows if row.gaps),
        "stale_count": organisations.stale().count(),
        "stale_after_days": settings.SIGNPOST_STALE_AFTER_DAYS,
        "needs_check_count": organisations.filter(needs_check=True).count(),
        "draft_count": Organisation.objects.filter(status=Organisation.Status.DRAFT).count(),
        "broken_links": linkcheck.broken_links(),
        "open_problem_reports": ProblemReport.objects.filter(state=ProblemReport.State.OPEN).count(),
        "broken_organisations": linkcheck.organisations_with_broken_links(),
        "broken_platforms": linkcheck.platforms_with_broken_links(),
    }
    return TemplateResponse(request, "admin/directory/coverage.html", context)
