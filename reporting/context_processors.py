from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language


def public(request) -> dict:
    """What every public page shows: the quick exit, and this page in the other languages."""
    current = get_language()
    languages = [
        {"code": code, "name": name, "url": translate_url(request.path, code), "current": code == current}
        for code, name in settings.LANGUAGES
    ]
    return {"exit_url": settings.SIGNPOST_EXIT_URL, "languages": languages}
