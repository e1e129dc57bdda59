"""The read-only JSON API (version 1) for partners: situations, countries, routes, organisations."""

from functools import wraps

from django.conf import settings
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django_countries import countries

from directory import snapshot, versioning
from directory.labels import public_label
from directory.models import EmergencyNumber
from reporting import routing
from reporting.caching import cached_answer, limit_max_age
from reporting.locale import country_name
from reporting.openapi import openapi_document
from reporting.public import public_api
from reporting.situations import SITUATIONS, Situation, Step

PAGE_SIZE = 50
MAX_PARAMETER_LENGTH = 100


def error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def api_view(view):
    """GET only; JSON errors; callable from any web page (CORS); texts in `?lang=` where we have it."""

    # Nothing here changes anything, and every other method gets a JSON 405, not the CSRF page.
    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = error("Only GET is allowed.", 405)
            response["Allow"] = "GET, HEAD"
        else:
            language = request.GET.get("lang", "")
            if language and language not in dict(settings.LANGUAGES):
                response = error(f"Unknown language; use one of: {', '.join(dict(settings.LANGUAGES))}.", 400)
            else:
                with translation.override(language or translation.get_language()):
                    response = view(request, *args, **kwargs)
        public_api(response)
        if response.status_code < 500:
            patch_cache_control(response, public=True, max_age=settings.SIGNPOST_PUBLIC_MAX_AGE)
        return response

    return wrapper


def parameter(request: HttpRequest, name: str) -> str | None:
    """A query parameter, trimmed; None when missing or empty."""
    value = request.GET.get(name, "").strip()
    return value[:MAX_PARAMETER_LENGTH] or None


def country_dict(code: str) -> dict:
    return {"code": code, "name": country_name(code)}


def emergency_dict(number: EmergencyNumber | None) -> dict:
    """The labelled numbers, and the others the sources list without saying which service answers."""
    fields = ("general", "police", "ambulance", "fire")
    result = {name: (getattr(number, name) or None) if number else None for name in fields}
    result["other"] = [item["number"] for item in number.other] if number else []
    return result


def step_dict(step: Step) -> dict:
    return {
        "service": step.service,
        "title": str(step.heading),
        "guidance": str(step.guidance),
        "do": [str(text) for text in step.do],
        "dont": [str(text) for text in step.dont],
    }


def situation_dict(situation: Situation) -> dict:
    return {
        "slug": situation.slug,
        "title": str(situation.title),
        "reassurance": str(situation.reassurance or ""),
        "steps": [step_dict(step) for step in situation.steps],
    }


def organisation_dict(listing: routing.Listing) -> dict:
    organisation = listing.organisation
    links = listing.links()
    website = next((link["channel"].value for link in links if link["type"] == "website"), None)
    return {
        "id": organisation.pk,
        "key": organisation.key,
        "name": organisation.name,
        "name_en": organisation.name_en,
        "kind": organisation.kind,
        "networks": listing.networks,
        "services": sorted(listing.services),
        "scope": "national" if listing.national else "worldwide",
        "website": website,
        "channels": [
            {
                "type": link["type"],
                "value": link["channel"].value,
                "label": public_label(link["channel"].label),
                "href": link["href"],
                "hours": link["channel"].hours,
                "free": link["channel"].free,
                "open_now": status_dict(link["status"]),
            }
            for link in links
        ],
        "time_zone": str(listing.zone),
        "languages": organisation.languages,
        "free": organisation.free,
        "anonymous": organisation.anonymous,
        "hours": organisation.hours,
        "description": organisation.description,
        "last_checked": organisation.last_checked.isoformat() if organisation.last_checked else None,
        "source_url": organisation.source_urls[0] if organisation.source_urls else None,
        "source_urls": organisation.source_urls,
    }


def status_dict(status) -> dict | None:
    """Open now? "always" (24/7), "open" (until), "closed" (opens_at, if within a week), "unknown"."""
    if status is None:
        return None
    return {
        "state": status.state,
        "until": status.until.isoformat() if status.until else None,
        "opens_at": status.opens_at.isoformat() if status.opens_at else None,
    }


def alternative_dict(alternative) -> dict | None:
    if alternative is None:
        return None
    listing, link = alternative
    return {
        "organisation_id": listing.organisation.pk,
        "name": listing.organisation.name,
        "type": link["type"],
        "value": link["channel"].value,
        "href": link["href"],
        "open_now": status_dict(link["status"]),
    }


def platform_dict(platform) -> dict | None:
    if platform is None:
        return None
    return {
        "key": platform.key,
        "name": platform.name,
        "report_url": platform.report_url,
        "child_safety_url": platform.child_safety_url or None,
        "take_it_down": platform.take_it_down,
    }


def route_dict(route: routing.Route) -> dict:
    return {
        "country": country_dict(route.country),
        "situation": {"slug": route.situation.slug, "title": str(route.situation.title)},
        "emergency": emergency_dict(route.emergency),
        "steps": [
            {
                **step_dict(routed.step),
                "fallback": routed.fallback,
                "use_emergency_number": routed.use_emergency_number,
                "open_alternative": alternative_dict(routed.open_alternative),
                "organisations": [organisation_dict(listing) for listing in routed.listings],
            }
            for routed in route.steps
        ],
        "platform": platform_dict(route.platform),
    }


@api_view
def situations(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"situations": [situation_dict(s) for s in SITUATIONS.values()]})


@api_view
def countries_list(request: HttpRequest) -> JsonResponse:
    try:
        numbers = {str(number.country): number for number in EmergencyNumber.objects.all()}
    except DatabaseError:
        numbers = {str(number.country): number for number in snapshot.all_emergency_numbers()}
    return JsonResponse(
        {"countries": [{**country_dict(code), "emergency": emergency_dict(numbers.get(code))} for code, _ in countries]}
    )


def known_country(request: HttpRequest) -> tuple[str | None, JsonResponse | None]:
    value = parameter(request, "country")
    if value is None:
        return None, error("The “country” parameter is required, e.g. ?country=DE.", 400)
    code = value.upper()
    if code not in countries:
        return None, error("Unknown country: use an ISO 3166-1 alpha-2 code such as DE.", 404)
    return code, None


@api_view
def route(request: HttpRequest) -> JsonResponse:
    code, problem = known_country(request)
    if problem:
        return problem
    slug = parameter(request, "situation")
    if slug is None:
        return error("The “situation” parameter is required, e.g. ?situation=csam-found.", 400)
    situation = SITUATIONS.get(slug)
    if situation is None:
        return error("Unknown situation: see /api/v1/situations/ for the list.", 404)
    platform = parameter(request, "platform")
    if platform is not None and routing.find_platform(platform) is None:
        return error("Unknown platform: see /api/v1/platforms/ for the list.", 404)
    key = f"api-route:{versioning.current()}:{translation.get_language()}:{code}:{slug}:{platform or ''}"

    def build():
        found = routing.route(code, situation, platform=platform)
        return route_dict(found), found.valid_until()

    data, seconds_valid = cached_answer(key, build)
    return limit_max_age(JsonResponse(data), seconds_valid)


@api_view
def platforms(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"platforms": [platform_dict(platform) for platform in routing.platforms()]})


@api_view
def organisations(request: HttpRequest) -> JsonResponse:
    code, problem = known_country(request)
    if problem:
        return problem
    listings = [item for item in routing.candidates(code) if item.national]
    listings.sort(key=lambda item: (item.organisation.priority, item.organisation.name))
    page_text = parameter(request, "page") or "1"
    if not (page_text.isascii() and page_text.isdigit()) or int(page_text) < 1:
        return error("“page” must be a positive whole number.", 400)
    paginator = Paginator(listings, PAGE_SIZE)
    number = int(page_text)
    if number > paginator.num_pages:
        return error("That page does not exist.", 404)
    page = paginator.page(number)

    def page_url(n: int) -> str:
        return f"{request.path}?country={code}&page={n}"

    return JsonResponse(
        {
            "country": country_dict(code),
            "count": paginator.count,
            "page": number,
            "pages": paginator.num_pages,
            "next": page_url(number + 1) if page.has_next() else None,
            "previous": page_url(number - 1) if page.has_previous() else None,
            "organisations": [organisation_dict(listing) for listing in page.object_list],
        }
    )


@api_view
def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi_document())
