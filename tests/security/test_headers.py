"""Security headers on every response; HTTPS-only settings when configured (issue 11)."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

PAGES = ["/", "/laws", "/track", "/staff/login", "/healthz", "/api/v1/", "/no-such-page"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    # Plain http for the demo and the tests: no HSTS, no redirect.
    assert "Strict-Transport-Security" not in response.headers


def test_no_page_has_inline_script_or_style(client: FlaskClient) -> None:
    for path in ("/", "/laws", "/track", "/staff/login"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html
        assert "style=" not in html
        assert "<style" not in html


def test_https_mode_redirects_and_sends_hsts(make_app: Any) -> None:
    app = make_app(HTTPS=True)
    client = app.test_client()
    redirected = client.get("/track")
    assert redirected.status_code == 302
    assert redirected.headers["Location"].startswith("https://")
    secure = client.get("/track", base_url="https://localhost")
    assert secure.status_code == 200
    assert "max-age=31536000" in secure.headers["Strict-Transport-Security"]
    assert app.config["SESSION_COOKIE_SECURE"] is True
