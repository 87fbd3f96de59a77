"""Everything issue 10 adds to the site, registered in one call from ``create_app``:
the open-data API (``/api/v1``), its documentation, the bulk downloads (``/open-data``),
the Atom feeds, and the staff screens for API tokens."""

from __future__ import annotations

from flask import Flask


def register_open_data(app: Flask) -> None:
    # Importing a module attaches its routes to api_http.bp.
    from noticeboard.web import api_docs, api_http, api_laws, api_opinions, api_writes

    del api_docs, api_laws, api_opinions, api_writes

    app.register_blueprint(api_http.bp)
    api_http.install(app)

    from noticeboard.web import feeds, open_data, staff_tokens

    app.register_blueprint(open_data.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(staff_tokens.bp)
