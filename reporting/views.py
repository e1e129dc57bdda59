"""The public pages: two questions in, the right places to report or get help out."""

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotFound, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe
from django_countries import countries

from reporting import routing
from reporting.caching import stays_true_until, whole_page_cache
from reporting.forms import ChooseForm, SituationForm
from reporting.locale import country_from_accept_language, country_name
from reporting.public import country_page, mark_public, public_api, public_page
from reporting.routing import WHO
from reporting.situations import SITUATIONS, WHO_SHORT, get_situation

FALLBACK_SITUATION = "not-sure"


def with_who(address: str, who: str, platform: str = "") -> str:
    """Who is asking (and where it happened) stay in the address, so that the answer can be cached and shared."""
    query = [f"who={who}"] if who in WHO else []
    query += [f"platform={platform}"] if platform else []
    return f"{address}?{'&'.join(query)}" if query else address


def answer_url(country: str, situation: str, who: str = "", platform: str = "") -> str:
    return with_who(reverse("reporting:answer", args=[country.lower(), situation]), who, platform)


def country_url(country: str, who: str = "") -> str:
    return with_who(reverse("reporting:country", args=[country.lower()]), who)


@require_safe
@public_page
def start(request: HttpRequest) -> HttpResponse:
    if not translation.get_language_from_path(request.path_info):
        # The bare address follows the browser's language; every other page keeps its language in the URL.
        preferred = translation.get_language_from_request(request)
        if preferred != settings.LANGUAGE_CODE:
            with translation.override(preferred):
                response = redirect("reporting:start")
            patch_vary_headers(response, ["Accept-Language"])
            response.varies_on_language = True
            return response
    guess = country_from_accept_language(request.headers.get("Accept-Language", ""))
    form = ChooseForm(initial={"country": guess})
    response = render(request, "reporting/start.html", {"form": form})
    patch_vary_headers(response, ["Accept-Language"])
    response.varies_on_language = True  # the country is preselected from the browser's region
    return response


@require_safe
@public_page
def choose(request: HttpRequest) -> HttpResponse:
    """Where the start form sends its answers: on to the answer's own address, or back with a message."""
    form = ChooseForm(request.GET)
    if not form.is_valid():
        return render(request, "reporting/start.html", {"form": form}, status=400)
    country, situation, who = (form.cleaned_data[name] for name in ("country", "situation", "who"))
    if situation:
        return redirect(answer_url(country, situation, who))
    return redirect(country_url(country, who))


@require_safe
@public_page
@country_page
def country(request: HttpRequest, code: str) -> HttpResponse:
    """The situation question, for a country already chosen."""
    data = request.GET if "situation" in request.GET else None
    form = SituationForm(data, initial={"who": request.GET.get("who")})
    if form.is_bound and form.is_valid():
        return redirect(answer_url(code, form.cleaned_data["situation"], form.cleaned_data["who"]))
    context = {"form": form, "country_code": code, "country_name": country_name(code)}
    return render(request, "reporting/country.html", context, status=400 if form.is_bound else 200)


@whole_page_cache(params=("who", "platform"))
@require_safe
@public_page
@country_page
def answer(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    situation = get_situation(slug)
    if situation is None:
        return not_found(request, country_code=code.lower(), slug=slug)
    route = routing.route(code, situation, request.GET.get("who"), platform=request.GET.get("platform"))
    context = {
        "route": route,
        "situation": situation,
        "country_code": code,
        "country_name": country_name(code),
        "readers": [
            {
                "who": who,
                "name": WHO_SHORT[who],
                "url": answer_url(code, slug, who, route.platform.key if route.platform else ""),
                "current": who == route.who,
            }
            for who in WHO
        ],
        "platforms": routing.platforms() if slug in routing.PLATFORM_SITUATIONS else [],
        "triage": [
            {"title": other.title_for(route.who), "url": answer_url(code, other.slug, route.who)}
            for other in SITUATIONS.values()
            if other.slug not in (slug, "danger-now")
        ]
        if slug == FALLBACK_SITUATION
        else [],
    }
    # Kept whole (reporting.caching) until the directory changes or an "open now" on it turns stale.
    return stays_true_until(render(request, "reporting/answer.html", context), route.valid_until())


@require_safe
@public_page
def leaving(request: HttpRequest) -> HttpResponse:
    """How "Leave this site" works, and how to clear the browser's history."""
    return render(request, "reporting/leaving.html", {})


@require_safe
@public_page
def about(request: HttpRequest) -> HttpResponse:
    """Who runs this copy, where the directory comes from, how entries are checked, the data's licence."""
    context = {"operator": settings.SIGNPOST_OPERATOR, "contact": settings.SIGNPOST_CONTACT_EMAIL}
    return render(request, "reporting/about.html", context)


def not_found(request: HttpRequest, exception=None, *, country_code: str = "", slug: str = "") -> HttpResponse:
    """A 404 that still helps: the worldwide services for the situation (or the general ones)."""
    situation = get_situation(slug) or SITUATIONS[FALLBACK_SITUATION]
    try:
        route = routing.route("", situation)
    except DatabaseError:  # a broken database must not turn a 404 into a 500
        route = None
    context = {"route": route, "situation": situation, "asked_country": country_code[:10], "asked_slug": slug[:40]}
    return mark_public(HttpResponseNotFound(render_to_string("reporting/not_found.html", context, request=request)))


def server_error(request: HttpRequest) -> HttpResponse:
    """A plain page with no database access: what to do if Signpost itself is broken."""
    return HttpResponse(render_to_string("500.html", {"exit_url": settings.SIGNPOST_EXIT_URL}), status=500)


@permission_required("directory.view_organisation", raise_exception=True)
def preview(request: HttpRequest, country_code: str = "", slug: str = "") -> HttpResponse:
    """For curators: the answer exactly as the public sees it, with draft entries shown and marked."""
    if not country_code:
        form = ChooseForm(request.GET or None)
        if form.is_valid() and form.cleaned_data["situation"]:
            return redirect("preview", form.cleaned_data["country"].lower(), form.cleaned_data["situation"])
        return render(request, "reporting/preview_start.html", {"form": form})
    code = country_code.upper()
    situation = get_situation(slug)
    if code not in countries or situation is None:
        return not_found(request, country_code=country_code, slug=slug)
    route = routing.route(code, situation, include_drafts=True)
    context = {
        "route": route,
        "situation": situation,
        "country_code": code,
        "country_name": country_name(code),
        "preview": True,
    }
    return render(request, "reporting/answer.html", context)


@require_safe
@public_page
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Search engines may list the answers (people look for help there); never the back office or the form."""
    lines = ["User-agent: *", f"Disallow: /{settings.SIGNPOST_ADMIN_PATH}", "Disallow: /problem/", "Disallow: /embed/"]
    lines += [f"Disallow: /{code}/problem/" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The problem form sent without a valid token (an old page, blocked cookies): the site's own page,
    with the quick exit, instead of Django's technical one."""
    return mark_public(render(request, "reporting/forbidden.html", {}, status=403))


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    """A request Django refuses outright (too many parameters, a host we don't serve): a calm 400."""
    if request.path.startswith("/api/"):
        return public_api(JsonResponse({"error": "Bad request."}, status=400))
    return mark_public(HttpResponseBadRequest(render_to_string("reporting/bad_request.html", {}, request=request)))
