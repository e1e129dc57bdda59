from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control

from config.middleware import mark_public


def public_page(view):
    """For the public side: shared caches may keep the page, and no referrer leaves it.

    Public views must never touch the session or set a cookie, so that any cache or CDN can
    keep them and nothing about the person's visit is stored.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = mark_public(view(request, *args, **kwargs))
        response["Referrer-Policy"] = "no-referrer"
        if response.status_code < 500 and not response.has_header("Cache-Control"):
            patch_cache_control(response, public=True, max_age=settings.SIGNPOST_PUBLIC_MAX_AGE)
        return response

    return wrapper
