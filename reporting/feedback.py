"""'Is something wrong here?': the public tells curators when an entry is wrong.

No personal data: a reason and an optional short text. Rate-limited per client by a keyed
hash of its address and the day, counted in a table every process shares (so the limit holds
with any number of workers) and deleted after two windows; never in the logs. This form
is the only public page with a cookie (its CSRF token); the answers themselves stay cookie-less.
"""

import datetime
import hashlib
import hmac

from django import forms
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from directory.clients import client_ip
from directory.models import Organisation, ProblemReport, RateLimitCounter

# The reasons as the public reads them (the admin keeps the directory's own labels).
REASONS = [
    (ProblemReport.Reason.NUMBER, _("The phone number doesn't work")),
    (ProblemReport.Reason.WEBSITE, _("The website or form is broken")),
    (ProblemReport.Reason.CLOSED, _("It is closed or no longer exists")),
    (ProblemReport.Reason.OTHER, _("Something else is wrong")),
]


class ProblemForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=REASONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose what is wrong.")},
    )
    text = forms.CharField(
        label=_("Anything else we should know? (optional)"),
        help_text=_("Please don't write names, contact details or anything about what happened to you."),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )


def client_key(request: HttpRequest) -> str:
    """A keyed hash of the client's address and the day: enough to count, useless to identify."""
    message = f"{client_ip(request)}|{timezone.now():%Y-%m-%d}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]
    return f"problem-reports:{digest}"


def over_the_limit(request: HttpRequest) -> bool:
    """Count this report for its client in the database, which every process and server shares."""
    key = client_key(request).split(":", 1)[1]
    now = timezone.now()
    window = datetime.timedelta(seconds=settings.SIGNPOST_PROBLEM_REPORT_WINDOW)
    with transaction.atomic():
        RateLimitCounter.objects.filter(window_start__lt=now - 2 * window).delete()  # nothing kept longer
        counter, _created = RateLimitCounter.objects.select_for_update().get_or_create(
            key=key, defaults={"window_start": now, "count": 0}
        )
        if now - counter.window_start >= window:
            counter.window_start, counter.count = now, 0
        counter.count += 1
        counter.save()
    return counter.count > settings.SIGNPOST_PROBLEM_REPORT_LIMIT


def safe_return_path(request: HttpRequest) -> str:
    path = request.GET.get("from", "") or request.POST.get("from", "")
    return path if path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed_hosts=None) else "/"


@require_http_methods(["GET", "HEAD", "POST"])
@csrf_protect
def report_problem(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=organisation_id, status=Organisation.Status.PUBLISHED)
    context = {"organisation": organisation, "return_path": safe_return_path(request)}
    status = 200
    if request.method == "POST":
        form = ProblemForm(request.POST)
        if form.is_valid():
            if over_the_limit(request):
                context["limited"] = True
                status = 429
            else:
                ProblemReport.objects.create(
                    organisation=organisation,
                    reason=form.cleaned_data["reason"],
                    text=form.cleaned_data["text"],
                    language=get_language(),
                )
                context["thanks"] = True
        else:
            status = 400
    else:
        form = ProblemForm()
    context["form"] = form
    response = render(request, "reporting/problem.html", context, status=status)
    # Not "no-referrer": browsers would then send "Origin: null" with the form and fail its CSRF check.
    # The page links nowhere else, so "same-origin" leaks nothing.
    response["Referrer-Policy"] = "same-origin"
    add_never_cache_headers(response)  # it carries a CSRF token: no shared cache may keep it
    return response
