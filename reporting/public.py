"""The public side's header policy, in one place: what every public response carries, and the country in
the address.

- `mark_public(response)`: no cookie leaves (NoCookiesOnPublicPagesMiddleware drops any) and no referrer
  leaves the page for the places it links to.
- `public_page`: a page anyone's cache may keep for SIGNPOST_PUBLIC_MAX_AGE (errors excepted).
- `public_api`: the same, readable from any web page (CORS).
- `country_page`: a view of `/…/<country_code>/…` gets the upper-case code of a country we know; an
  unknown one gets the helpful 404, an upper-case address is redirected to its lower-case one.
"""

from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django_countries import countries


def mark_public(response: HttpResponse) -> HttpResponse:
    """A response of the public side: it must leave nothing behind, in the browser or in a referrer."""
    response.is_public = True
    response["Referrer-Policy"] = "no-referrer"
    return response


def public_page(view):
    """For the public side: shared caches may keep the page, and no referrer leaves it.

    Public views must never touch the session or set a cookie, so that any cache or CDN can keep
    them and nothing about the person's visit is stored.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = mark_public(view(request, *args, **kwargs))
        if response.status_code < 500 and not response.has_header("Cache-Control"):
            patch_cache_control(response, public=True, max_age=settings.SIGNPOST_PUBLIC_MAX_AGE)
        return response

    return wrapper


def public_api(response: HttpResponse) -> HttpResponse:
    """A public response that any web page may read (the API, its errors, and the open data)."""
    response["Access-Control-Allow-Origin"] = "*"
    return mark_public(response)


def country_page(view):
    """Pass the view the upper-case code of a country we know; 404 or the canonical address otherwise."""

    @wraps(view)
    def wrapper(request: HttpRequest, country_code: str, **kwargs):
        code = country_code.upper()
        if code not in countries:
            from reporting.views import not_found  # the helpful 404 needs routing, which needs the views

            return not_found(request, country_code=country_code, slug=kwargs.get("slug", ""))
        if country_code != code.lower():
            match = request.resolver_match
            address = reverse(match.view_name, kwargs={**match.kwargs, "country_code": code.lower()})
            query = request.META.get("QUERY_STRING", "")
            return redirect(f"{address}?{query}" if query else address, permanent=True)
        return view(request, code, **kwargs)

    return wrapper


class NoCookiesOnPublicPagesMiddleware:
    """Drop any cookie from public responses, whatever set it.

    Public views never touch the session, but other middleware can still answer with a cookie
    (the CSRF middleware replaces a malformed CSRF cookie the browser sent). Placed before the
    session and CSRF middleware, so it sees their cookies on the way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(response, "is_public", False):
            response.cookies.clear()
        return response
