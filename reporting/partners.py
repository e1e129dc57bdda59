"""For partners: the embeddable answer, and the directory as open data."""

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from directory import opendata, versioning
from directory.models import EmbedOrigin
from directory.validation import is_origin
from reporting import routing
from reporting.locale import country_name
from reporting.public import country_page, public_api, public_page
from reporting.situations import get_situation
from reporting.views import not_found


def allowed_frame_origins() -> list[str]:
    """The partners' origins, each checked again (a value that reached the database some other way is
    never emitted); none while the database is unreachable, so the embed still answers, unframable."""
    try:
        origins = list(EmbedOrigin.objects.filter(active=True).values_list("origin", flat=True))
    except DatabaseError:
        return []
    return [origin.rstrip("/") for origin in origins if is_origin(origin)]


@require_safe
@xframe_options_exempt
@public_page
@country_page
def embed(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    """The answer without the site's chrome, framable only by the origins curators list."""
    situation = get_situation(slug)
    if situation is None:
        return not_found(request, country_code=code.lower(), slug=slug)
    context = {
        "route": routing.route(code, situation),
        "situation": situation,
        "country_code": code,
        "country_name": country_name(code),
        "link_target": "_top",  # hotlines' own sites refuse to open inside a frame
    }
    response = HttpResponse(render_to_string("reporting/embed.html", context, request=request))
    origins = allowed_frame_origins()
    response._csp_config = {**settings.SECURE_CSP, "frame-ancestors": origins or ["'none'"]}
    if not origins:
        response["X-Frame-Options"] = "DENY"
    return response


def open_data(kind: str):
    """A download of the published directory, regenerated when it changes, with an ETag for mirrors."""

    @require_safe
    def view(request: HttpRequest) -> HttpResponse:
        key = f"open-data:{kind}:{versioning.current()}"
        body = cache.get(key)
        if body is None:
            body = opendata.as_json() if kind == "json" else opendata.as_csv()
            cache.set(key, body, settings.SIGNPOST_ANSWER_CACHE_SECONDS)
        tag = opendata.etag(body)
        if tag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
        else:
            content_type = "application/json" if kind == "json" else "text/csv; charset=utf-8"
            response = HttpResponse(body, content_type=content_type)
            response["Content-Disposition"] = f'inline; filename="signpost-directory.{kind}"'
        response["ETag"] = tag
        patch_cache_control(response, public=True, max_age=settings.SIGNPOST_PUBLIC_MAX_AGE)
        return public_api(response)

    return view


directory_json = open_data("json")
directory_csv = open_data("csv")
