"""Public pages: home and search."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from noticeboard.extensions import cache, db
from noticeboard.services.adoptions import adopted_items
from noticeboard.services.boards import Counters, opinion_counters
from noticeboard.services.catalogue import headline_counters, public_laws
from noticeboard.services.consultations import open_consultations
from noticeboard.services.search import search as run_search
from noticeboard.web import public_labels

bp = Blueprint("public", __name__)
public_labels.install(bp)

RECENT_ADOPTED = 6


def cached_opinion_counters() -> Counters:
    """Counting every opinion takes a full scan of a million rows: once per cache period."""
    counters: Counters | None = cache.get("opinion-counters")
    if counters is None:
        counters = opinion_counters(db.session())
        cache.set("opinion-counters", counters, timeout=current_app.config["BOARD_CACHE_SECONDS"])
    return counters


@bp.get("/")
def home() -> str:
    session = db.session()
    return render_template(
        "public/home.html",
        laws=public_laws(session),
        counters=headline_counters(session),
        opinions=cached_opinion_counters(),
        consultations=open_consultations(session),
        recent=adopted_items(session, limit=RECENT_ADOPTED),
    )


@bp.get("/search")
def search() -> str:
    query = request.args.get("q", "")
    return render_template("public/search.html", results=run_search(db.session(), query))
