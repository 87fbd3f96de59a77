"""What a receipt slip needs: the tracking address and its QR code, drawn on the server."""

from __future__ import annotations

import segno
from flask import current_app, request
from markupsafe import Markup

from noticeboard.services.opinions.receipts import format_receipt_code


def track_url(code: str) -> str:
    """The absolute address printed on a slip: ``/track#CODE``.

    The code travels in the fragment, which browsers never send, so it stays out of
    server logs and referrers; the lookup page fills its form from it. The public
    address comes from PUBLIC_BASE_URL when staff work on an internal host name.
    """
    base = current_app.config.get("PUBLIC_BASE_URL") or request.url_root
    return f"{base.rstrip('/')}/track#{format_receipt_code(code)}"


def qr_svg(url: str, title: str) -> Markup:
    """An inline SVG QR code (medium error correction survives a creased slip)."""
    qr = segno.make(url, error="m", micro=False)
    svg = qr.svg_inline(scale=1, border=2, omitsize=True, svgclass="qr", title=title)
    return Markup(svg)  # noqa: S704 - segno's own markup; the title is escaped by segno
