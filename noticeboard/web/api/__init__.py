"""The JSON API, ``/api/v1``: one blueprint (``http.bp``) that every module here attaches its
routes to, with the HTTP conventions of ``http``. Errors here are always JSON."""

from noticeboard.web.api import docs, index, laws, opinions, writes
from noticeboard.web.api.http import bp, install

del docs, index, laws, opinions, writes  # imported for the routes they attach to bp
__all__ = ["bp", "install"]
