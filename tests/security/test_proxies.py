"""Rate limits and HTTPS behind a reverse proxy (issue 20, finding 5): with
NOTICEBOARD_TRUSTED_PROXIES unset the forwarding headers are ignored, so no client picks
its own address; set to the proxies in front, each citizen gets their own counter and a
TLS proxy's X-Forwarded-Proto stops the https redirect."""

from __future__ import annotations

from typing import Any

LIMITS = {"RATELIMIT_ENABLED": True, "RATELIMIT_LOOKUP": "2 per minute"}


def _lookup(client: Any, forwarded_for: str) -> int:
    response = client.post(
        "/track", data={"code": "7K3M-Q9PX-2X"}, headers={"X-Forwarded-For": forwarded_for}
    )
    return int(response.status_code)


def test_without_trusted_proxies_a_forged_address_buys_no_more_lookups(make_app: Any) -> None:
    client = make_app(**LIMITS).test_client()
    answers = [_lookup(client, f"198.51.100.{n}") for n in range(3)]
    assert answers == [200, 200, 429]  # one counter: the connecting address


def test_behind_one_trusted_proxy_each_citizen_has_a_counter(make_app: Any) -> None:
    client = make_app(TRUSTED_PROXIES=1, **LIMITS).test_client()
    assert [_lookup(client, "198.51.100.7") for _ in range(3)] == [200, 200, 429]
    # Another citizen behind the same proxy is not held back by the first.
    assert _lookup(client, "203.0.113.9") == 200
    # Only the last hop is believed: a client's own X-Forwarded-For entry changes nothing.
    assert _lookup(client, "10.0.0.1, 198.51.100.7") == 429


def test_https_mode_behind_a_tls_proxy_does_not_loop(make_app: Any) -> None:
    proxied = make_app(HTTPS=True, TRUSTED_PROXIES=1).test_client()
    answer = proxied.get("/track", headers={"X-Forwarded-Proto": "https"})
    assert answer.status_code == 200
    assert "max-age=31536000" in answer.headers["Strict-Transport-Security"]
    assert proxied.get("/track").status_code == 302  # plain http through the proxy

    direct = make_app(HTTPS=True).test_client()
    # Not behind a trusted proxy, the header is a client's claim: still redirected.
    assert direct.get("/track", headers={"X-Forwarded-Proto": "https"}).status_code == 302
