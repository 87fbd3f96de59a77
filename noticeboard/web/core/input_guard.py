"""Refuse, before any view runs, text that no database column can hold (see
``noticeboard.services.storable``): in a form field, a query parameter, a path segment,
an uploaded file's name or a JSON body. One check here answers them all with a clear
422 (a page, or the API's JSON error), before anything is read or written.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request

from noticeboard.services.storable import first_unstorable, unstorable_error


def _request_texts() -> Any:
    yield request.path
    for key, value in request.args.items(multi=True):
        yield key
        yield value
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        for key, value in request.form.items(multi=True):
            yield key
            yield value
        for key, upload in request.files.items(multi=True):
            yield key
            yield upload.filename or ""
        if request.is_json:
            yield request.get_json(silent=True)


def install_input_guard(app: Flask) -> None:
    @app.before_request
    def refuse_unstorable_text() -> None:
        for text in _request_texts():
            found = first_unstorable(text)
            if found is not None:
                raise unstorable_error(found)
