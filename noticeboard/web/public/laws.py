"""Public law pages: the law and its versions, comparisons, article histories, changes."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from noticeboard.extensions import db
from noticeboard.models import ChangeKind
from noticeboard.services.opinions.submissions import comment_window
from noticeboard.services.permissions import Permission, can
from noticeboard.services.public.adoptions import shaped_by
from noticeboard.services.public.catalogue import public_laws
from noticeboard.services.public.law_pages import (
    article_history,
    change_view,
    compare_page,
    law_page,
)

bp = Blueprint("laws", __name__, url_prefix="/laws")

KIND_ORDER = [kind.value for kind in ChangeKind]


def staff_view() -> bool:
    """Staff who manage versions also see drafts and withdrawn versions on these pages."""
    return bool(current_user.is_authenticated and can(current_user, Permission.MANAGE_VERSIONS))


@bp.get("")
def index() -> str:
    return render_template("public/laws/index.html", laws=public_laws(db.session()))


@bp.get("/<slug>")
def show(slug: str) -> str:
    page = law_page(db.session(), slug, staff=staff_view())
    return render_template("public/laws/show.html", page=page)


@bp.get("/<slug>/compare")
@bp.get("/<slug>/compare/<int:from_seq>...<int:to_seq>")
def compare(
    slug: str, from_seq: int | None = None, to_seq: int | None = None
) -> str | ResponseReturnValue:
    picked_from, picked_to = request.args.get("from", type=int), request.args.get("to", type=int)
    if picked_from is not None and picked_to is not None:
        # The version pickers submit a query; the canonical address carries the pair.
        rest = [(k, v) for k, v in request.args.items(multi=True) if k not in ("from", "to")]
        target = url_for("public.laws.compare", slug=slug, from_seq=picked_from, to_seq=picked_to)
        return redirect(target + ("?" + urlencode(rest) if rest else ""))
    page = compare_page(db.session(), slug, from_seq, to_seq, staff=staff_view())
    kinds = [k for k in request.args.getlist("kind") if k in KIND_ORDER]
    view = "side" if request.args.get("view") == "side" else "inline"
    return render_template(
        "public/laws/compare.html", page=page, kinds=kinds, view=view, kind_order=KIND_ORDER
    )


@bp.get("/<slug>/articles/<key>")
def article(slug: str, key: str) -> str:
    history = article_history(db.session(), slug, key, staff=staff_view())
    shaped = shaped_by(db.session(), [s.change.change.id for s in history.steps if s.change])
    # Comment on it only when the article is in the latest version, and that is open.
    latest = history.steps[-1].version if history.steps else None
    current = history.current
    is_open = bool(
        latest is not None
        and latest.is_public
        and current is not None
        and current.version_id == latest.id
        and comment_window(latest).is_open
    )
    return render_template(
        "public/laws/article.html", history=history, shaped=shaped, open_for_comment=is_open
    )


@bp.get("/<slug>/changes/<int:change_id>")
def change(slug: str, change_id: int) -> str:
    law, comparison, view = change_view(db.session(), slug, change_id, staff=staff_view())
    shaped = shaped_by(db.session(), [view.change.id])
    return render_template(
        "public/laws/change.html", law=law, comparison=comparison, view=view, shaped=shaped
    )
