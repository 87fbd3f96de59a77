"""The public comment form of a draft open for consultation, and the receipt after it."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from noticeboard.extensions import db, limiter
from noticeboard.models import ContributorCategory, DraftVersion, Law
from noticeboard.services.errors import ServiceError
from noticeboard.services.opinions.receipts import format_receipt_code
from noticeboard.services.opinions.submissions import (
    PublicOpinion,
    article_by_key,
    comment_window,
    office_choices,
    open_draft,
    submit_online_opinion,
)
from noticeboard.services.public.law_pages import get_law
from noticeboard.web.core.errors import translate_error
from noticeboard.web.core.security import no_store
from noticeboard.web.core.slips import qr_svg, track_url
from noticeboard.web.core.transaction import after_commit, discard_request
from noticeboard.web.core.vocabulary import CATEGORY
from noticeboard.web.staff.forms import PublicOpinionForm

bp = Blueprint("comment", __name__, url_prefix="/laws")
RECEIPT_KEY = "last_receipt"


def _submit_limit() -> str:
    return str(current_app.config["RATELIMIT_SUBMIT"])


def _form() -> PublicOpinionForm:
    form = PublicOpinionForm()
    # "You are: Student": one person describing themselves takes the singular of the
    # staff wording, not the boards' plural ("Students, Hongqiao").
    form.category.choices = [(c.value, CATEGORY.staff(c)) for c in ContributorCategory]
    offices = office_choices(db.session())
    form.office.choices = [("", "—")] + [(o.slug, o.name) for o in offices]
    form.notify.description = _(
        "We send one message when your opinion is decided: the outcome, the reason and, "
        "if adopted, the changed text. Your contact is kept only until that message is "
        "sent (at most %(days)d days after the decision), then erased; it is never shown "
        "or published.",
        days=int(current_app.config["CONTACT_RETENTION_DAYS"]),
    )
    return form


def _page_language() -> str:
    """The language the visitor reads the form in, for the outcome message."""
    locale = get_locale()
    language = locale.language if locale is not None else ""
    return language if language in ("zh", "en") else "zh"


# The service's field names, where the form calls them otherwise.
_FORM_FIELDS = {"contributor_name": "name", "contributor_category": "category"}


def _show_error(form: PublicOpinionForm, exc: ServiceError) -> None:
    """The refusal on the fields it names (``details["fields"]``), else on the text."""
    fields = exc.details.get("fields") or {}
    if not fields:
        form.text.errors = [*form.text.errors, translate_error(exc)]
        return
    for name, message in fields.items():
        wanted = _FORM_FIELDS.get(name, name)
        field = next((f for f in form if f.name == wanted), form.text)
        # The first problem is the error itself, with its parameters; the others come
        # as English messages, which translate as they are when they have none.
        text = translate_error(exc) if message == exc.message else _(message)
        field.errors = [*field.errors, text]


def _page(
    law: Law, version: DraftVersion, form: PublicOpinionForm, status: int = 200
) -> tuple[str, int]:
    article = article_by_key(db.session(), version, request.args.get("article", ""))
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
    law, version = open_draft(db.session(), slug)
    return _page(law, version, _form())


@bp.post("/<slug>/comment")
@limiter.limit(_submit_limit)
def submit(slug: str) -> Response | tuple[str, int]:
    law, version = open_draft(db.session(), slug)
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
                notify=bool(form.notify.data),
                language=_page_language(),
                office_slug=form.office.data or "",
                article_keys=[key] if key else [],
            ),
        )
    except ServiceError as exc:
        discard_request()
        _show_error(form, exc)
        law, version = open_draft(db.session(), slug)  # the rollback expired them
        return _page(law, version, form, 422)
    # The code goes to the next page through the signed session, never through the URL,
    # and only once the opinion is committed: a failed commit leaves no receipt behind.
    receipt = {"code": opinion.receipt_code, "law": law.slug}

    def hand_over_receipt() -> None:
        session[RECEIPT_KEY] = receipt

    after_commit(hand_over_receipt)
    return redirect(url_for("public.comment.receipt", slug=slug))


@bp.get("/<slug>/comment/receipt")
def receipt(slug: str) -> Response | str:
    saved = session.get(RECEIPT_KEY)
    if not saved or saved.get("law") != slug:
        return redirect(url_for("public.comment.form", slug=slug))
    law = get_law(db.session(), slug)
    code = saved["code"]
    url = track_url(code)
    page = render_template(
        "public/comment/receipt.html",
        law=law,
        code=format_receipt_code(code),
        url=url,
        qr=qr_svg(url, format_receipt_code(code)),
    )
    return no_store(make_response(page))  # the code on a shared PC's back button
