"""Public pages: home and search."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, current_app, render_template, request

from noticeboard.extensions import cache, db
from noticeboard.services.public.adoptions import adopted_items
from noticeboard.services.public.boards import opinion_counters
from noticeboard.services.public.catalogue import headline_counters, public_laws
from noticeboard.services.public.consultations import open_consultations
from noticeboard.services.public.search import search as run_search

bp = Blueprint("public", __name__)

RECENT_ADOPTED = 6
T = TypeVar("T")


def cached(key: str, build: Callable[[], T]) -> T:
    """A read model shared for BOARD_CACHE_SECONDS: counting or sorting a million opinions
    on every visit to the home page would cost more than the page itself."""
    value: T | None = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=current_app.config["BOARD_CACHE_SECONDS"])
    return value


@bp.get("/")
def home() -> str:
    session = db.session()
    return render_template(
        "public/home.html",
        laws=public_laws(session),
        counters=headline_counters(session),
        opinions=cached("opinion-counters", lambda: opinion_counters(session)),
        consultations=open_consultations(session),
        recent=cached("recent-adopted", lambda: adopted_items(session, limit=RECENT_ADOPTED)),
    )


@bp.get("/search")
def search() -> str:
    query = request.args.get("q", "")
    return render_template("public/search.html", results=run_search(db.session(), query))
