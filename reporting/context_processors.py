from django.conf import settings


def public(request) -> dict:
    return {"exit_url": settings.SIGNPOST_EXIT_URL}
