"""Security headers for the pages the server itself serves (the desk and the chat demo
page), and what a trusted proxy may tell about a request.

Both pages load only their own script and stylesheet, so the policy allows nothing else:
no inline script or style, no other origin, no framing (clickjacking). A proxy's
X-Forwarded-Proto and X-Forwarded-For count only when the connection comes from an address
in VEIVALG_TRUSTED_PROXIES; anybody else could claim anything in them.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from sanic.request import Request

from bot.shared.settings import IPNetwork

# 'self' covers ws: and wss: to the page's own host (CSP level 3), which both sockets use.
PAGE_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",  # the pages' empty favicon is a data: URL
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HSTS = "max-age=31536000"  # a year; no includeSubDomains: other hosts of the domain are not ours


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(text: str, proxies: tuple[IPNetwork, ...]) -> bool:
    address = _address(text)
    return address is not None and any(address in network for network in proxies)


def from_trusted_proxy(request: Request, proxies: tuple[IPNetwork, ...]) -> bool:
    return _trusted(request.ip, proxies)


def came_over_tls(request: Request, proxies: tuple[IPNetwork, ...]) -> bool:
    """HTTPS to us, or to a trusted proxy in front of us."""
    if request.scheme in ("https", "wss"):
        return True
    if not from_trusted_proxy(request, proxies):
        return False
    proto = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return proto in ("https", "wss")


def client_address(request: Request, proxies: tuple[IPNetwork, ...]) -> str:
    """Who is asking: the connection's address, or, behind trusted proxies, the last
    address in X-Forwarded-For that is not one of them (the ones before it are the
    client's own claims)."""
    if not from_trusted_proxy(request, proxies):
        return request.ip
    # Several X-Forwarded-For fields read as one list, in order (RFC 9110, 5.3).
    forwarded = [hop.strip() for field in request.headers.getall("x-forwarded-for", [])
                 for hop in field.split(",")]
    for hop in reversed(forwarded):
        if hop and not _trusted(hop, proxies):
            return hop if _address(hop) is not None else request.ip
    return request.ip


def same_origin(request: Request) -> bool:
    """Whether a browser request comes from a page of this server. A request without
    Origin is not from another site's page (browsers send Origin on every POST and
    WebSocket upgrade), unless Sec-Fetch-Site says it is."""
    origin = request.headers.get("origin")
    if origin is None:
        return request.headers.get("sec-fetch-site", "") != "cross-site"
    host = request.headers.get("host", "").lower()
    return bool(host) and urlsplit(origin.lower()).netloc == host


def page_headers(request: Request, proxies: tuple[IPNetwork, ...]) -> dict[str, str]:
    """For an HTML page of ours, and for the desk's API (a JSON answer gets the same
    policy: nothing it could be made to render may run or be framed)."""
    headers = {
        "Content-Security-Policy": PAGE_POLICY,
        "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }
    if came_over_tls(request, proxies):
        headers["Strict-Transport-Security"] = HSTS
    return headers


def static_headers(request: Request, proxies: tuple[IPNetwork, ...]) -> dict[str, str]:
    """For a script or stylesheet: served as what it is, never sniffed into something else."""
    headers = {"X-Content-Type-Options": "nosniff"}
    if came_over_tls(request, proxies):
        headers["Strict-Transport-Security"] = HSTS
    return headers
