"""The public comment form of a draft open for consultation, and the receipt after it."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from noticeboard.extensions import db, limiter
from noticeboard.models import ContributorCategory, DraftVersion, Law, Office, VersionStatus
from noticeboard.services.errors import NotFound, ServiceError
from noticeboard.services.opinions.receipts import format_receipt_code
from noticeboard.services.opinions.submissions import (
    PublicOpinion,
    comment_window,
    submit_online_opinion,
)
from noticeboard.services.public.law_pages import get_law
from noticeboard.web.core.errors import translate_error
from noticeboard.web.core.opinion_labels import CATEGORY_NAMES
from noticeboard.web.staff.forms import PublicOpinionForm
from noticeboard.web.staff.slips import qr_svg, track_url

bp = Blueprint("comment", __name__, url_prefix="/laws")
RECEIPT_KEY = "last_receipt"


def _submit_limit() -> str:
    return str(current_app.config["RATELIMIT_SUBMIT"])


def _latest_public(law: Law) -> DraftVersion:
    published = [v for v in law.versions if v.status is VersionStatus.PUBLISHED]
    if not published:
        raise NotFound("No law at this address.")
    return published[-1]


def _form() -> PublicOpinionForm:
    form = PublicOpinionForm()
    form.category.choices = [(c.value, str(CATEGORY_NAMES[c.value])) for c in ContributorCategory]
    offices = db.session.scalars(
        select(Office).where(Office.is_active.is_(True)).order_by(Office.tier, Office.name)
    ).all()
    form.office.choices = [("", "—")] + [(o.slug, o.name) for o in offices]
    return form


def _page(
    law: Law, version: DraftVersion, form: PublicOpinionForm, status: int = 200
) -> tuple[str, int]:
    key = request.args.get("article", "")
    article = next((a for a in version.articles if a.key == key), None)
    return (
        render_template(
            "public/comment/form.html",
            law=law,
            version=version,
            form=form,
            article=article,
            window=comment_window(version),
        ),
        status,
    )


@bp.get("/<slug>/comment")
def form(slug: str) -> tuple[str, int]:
    law = get_law(db.session(), slug)
    return _page(law, _latest_public(law), _form())


@bp.post("/<slug>/comment")
@limiter.limit(_submit_limit)
def submit(slug: str) -> Response | tuple[str, int]:
    law = get_law(db.session(), slug)
    version = _latest_public(law)
    form = _form()
    if not form.validate_on_submit():
        return _page(law, version, form, 422)
    key = request.args.get("article", "")
    try:
        opinion = submit_online_opinion(
            db.session(),
            version,
            PublicOpinion(
                text=form.text.data or "",
                category=ContributorCategory(form.category.data),
                name=form.name.data or "",
                name_public=bool(form.name_public.data),
                contact=form.contact.data or "",
                office_slug=form.office.data or "",
                article_keys=[key] if key else [],
            ),
        )
    except ServiceError as exc:
        db.session.rollback()
        form.text.errors = [*form.text.errors, translate_error(exc)]
        return _page(law, version, form, 422)
    db.session.commit()
    # The code goes to the next page through the signed session, never through the URL.
    session[RECEIPT_KEY] = {"code": opinion.receipt_code, "law": law.slug}
    return redirect(url_for("public.comment.receipt", slug=slug))


@bp.get("/<slug>/comment/receipt")
def receipt(slug: str) -> Response | str:
    saved = session.get(RECEIPT_KEY)
    if not saved or saved.get("law") != slug:
        return redirect(url_for("public.comment.form", slug=slug))
    law = get_law(db.session(), slug)
    code = saved["code"]
    url = track_url(code)
    return render_template(
        "public/comment/receipt.html",
        law=law,
        code=format_receipt_code(code),
        url=url,
        qr=qr_svg(url, format_receipt_code(code)),
    )
