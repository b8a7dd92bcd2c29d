"""What a proxy may tell about a request, and only a trusted one."""

from __future__ import annotations

from types import SimpleNamespace

from sanic.compat import Header

from bot.server.channels.security_headers import (
    came_over_tls,
    client_address,
    page_headers,
    same_origin,
)
from bot.shared.settings import parse_networks

PROXIES = parse_networks("10.0.0.0/8, ::1")


def request(ip: str, scheme: str = "http", **headers: str) -> SimpleNamespace:
    return SimpleNamespace(ip=ip, scheme=scheme,
                           headers=Header({k.replace("_", "-"): v for k, v in headers.items()}))


def test_tls_is_believed_from_a_trusted_proxy_only() -> None:
    assert came_over_tls(request("10.1.2.3", x_forwarded_proto="https"), PROXIES)
    assert came_over_tls(request("::1", x_forwarded_proto="https"), PROXIES)
    assert not came_over_tls(request("192.0.2.1", x_forwarded_proto="https"), PROXIES)
    assert not came_over_tls(request("10.1.2.3", x_forwarded_proto="http"), PROXIES)
    assert came_over_tls(request("192.0.2.1", scheme="https"), PROXIES)  # TLS to us


def test_the_client_is_the_last_address_no_trusted_proxy_added() -> None:
    # The client wrote the first entry itself; the proxies appended the rest.
    forwarded = request("10.0.0.1", x_forwarded_for="6.6.6.6, 198.51.100.7, 10.0.0.2")
    assert client_address(forwarded, PROXIES) == "198.51.100.7"
    assert client_address(request("192.0.2.1", x_forwarded_for="6.6.6.6"), PROXIES) \
        == "192.0.2.1"
    assert client_address(request("10.0.0.1"), PROXIES) == "10.0.0.1"
    assert client_address(request("10.0.0.1", x_forwarded_for="not-an-address"), PROXIES) \
        == "10.0.0.1"


def test_same_origin_compares_the_origin_with_the_host() -> None:
    assert same_origin(request("192.0.2.1", origin="http://desk.example:8080",
                               host="desk.example:8080"))
    assert not same_origin(request("192.0.2.1", origin="https://evil.example",
                                   host="desk.example"))
    assert not same_origin(request("192.0.2.1", origin="null", host="desk.example"))
    assert same_origin(request("192.0.2.1", host="desk.example"))  # not a browser
    assert not same_origin(request("192.0.2.1", sec_fetch_site="cross-site",
                                   host="desk.example"))


def test_hsts_only_over_tls() -> None:
    assert "Strict-Transport-Security" not in page_headers(request("192.0.2.1"), PROXIES)
    over_tls = page_headers(request("10.0.0.1", x_forwarded_proto="https"), PROXIES)
    assert over_tls["Strict-Transport-Security"].startswith("max-age=")
    assert "frame-ancestors 'none'" in over_tls["Content-Security-Policy"]
    assert "unsafe-inline" not in over_tls["Content-Security-Policy"]
