from django.conf import settings
from django.urls import translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language

from reporting.locale import country_languages


def language_url(path: str, code: str) -> str:
    """This page in another language; that language's start page when the address is not one of ours."""
    if url_has_allowed_host_and_scheme(path, allowed_hosts=None):  # a plain local path, not //elsewhere
        url = translate_url(path, code)
        if url != path or code == get_language():
            return url
    return "/" if code == settings.LANGUAGE_CODE else f"/{code}/"


def public(request) -> dict:
    """What every public page shows: the quick exit, and this page in the other languages (on a country's
    pages, that country's own languages first)."""
    current = get_language()
    match = getattr(request, "resolver_match", None)
    local = country_languages(match.kwargs.get("country_code", "")) if match else []
    languages = [
        {
            "code": code,
            "name": name,
            "url": language_url(request.path, code),
            "current": code == current,
            "local": code in local,
        }
        for code, name in settings.LANGUAGES
    ]
    languages.sort(key=lambda language: local.index(language["code"]) if language["local"] else len(local))
    return {"exit_url": settings.SIGNPOST_EXIT_URL, "languages": languages, "local_languages": local}
