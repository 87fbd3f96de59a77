"""The web layer: one package per area, each with one blueprint, all registered here.

core/       errors, i18n, security, commit-once handling, vocabulary; /healthz
public/     /, /search, /laws/..., /offices/..., /stats, /track, feeds
board/      /offices/<office>/board: the kiosk
staff/      /staff/...
api/        /api/v1/...
open_data/  /open-data/...
"""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from noticeboard.web import api, board, core, open_data, public, staff

    for area in (core, public, board, staff, api, open_data):
        app.register_blueprint(area.bp)
    api.install(app)
