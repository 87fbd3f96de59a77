"""Security headers on every response (Flask-Talisman).

A strict Content-Security-Policy: scripts and styles come only from this site's static
files, never inline, and nothing is framed from elsewhere. HTTPS-only settings (redirect,
HSTS, Secure cookies) follow NOTICEBOARD_HTTPS, off by default so that `serve --demo` on
http://127.0.0.1 and the tests keep working; turn it on behind TLS.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.wrappers import Response

from noticeboard.extensions import talisman

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'self'",
}


def init_security(app: Flask) -> None:
    https = bool(app.config["HTTPS"])
    app.config["SESSION_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"] or https
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    talisman.init_app(
        app,
        force_https=https,
        strict_transport_security=https,
        strict_transport_security_max_age=365 * 24 * 3600,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="SAMEORIGIN",
        referrer_policy="strict-origin-when-cross-origin",
        x_content_type_options=True,
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )


def no_store(response: Response) -> Response:
    """Keep a private answer out of every cache (the browser's, a shared PC's back button,
    a proxy's): staff pages, exports and slips, receipts, lookup results. ``Pragma`` is
    for HTTP/1.0 proxies, which know no Cache-Control."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response
