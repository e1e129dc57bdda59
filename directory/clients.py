"""Who is asking, as far as the network says: for the sign-in lockout and the problem-report limit."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def from_trusted_proxy(address: str) -> bool:
    """Whether the socket's peer is one of our own proxies (DJANGO_TRUSTED_PROXIES, addresses or networks)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False) for network in settings.SIGNPOST_TRUSTED_PROXIES)


def client_ip(request: HttpRequest) -> str:
    """The client's address: the socket's, or the one our own trusted proxies recorded.

    With N trusted proxies (DJANGO_TRUSTED_PROXY_COUNT), the N-th address from the right of
    X-Forwarded-For is the one our outermost proxy saw; anything further left is whatever the
    client claimed and is ignored. The header is read only when the request really comes from one
    of our proxies (DJANGO_TRUSTED_PROXIES): a client that reaches the app server directly cannot
    choose its address, and so cannot dodge the sign-in lockout or the problem-report limit.
    """
    count = settings.SIGNPOST_TRUSTED_PROXY_COUNT
    if count > 0 and from_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")
