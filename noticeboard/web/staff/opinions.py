"""Office staff record opinions: the fast entry form, the list, one opinion, its slip."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from noticeboard.extensions import db
from noticeboard.models import Channel, ContributorCategory, Opinion
from noticeboard.services.errors import ServiceError, ValidationFailed
from noticeboard.services.opinions.contributors import erase_personal_data, withdraw_name_consent
from noticeboard.services.opinions.queries import (
    EntryChoices,
    article_trails,
    entry_choices,
    entry_rows,
    get_opinion,
    list_opinions,
    version_articles,
)
from noticeboard.services.opinions.receipts import format_receipt_code
from noticeboard.services.opinions.recording import (
    OpinionInput,
    problems_with,
    record_opinion,
    resolve_articles,
    today_in,
)
from noticeboard.services.permissions import Permission
from noticeboard.web.core.auth import current_staff, requires
from noticeboard.web.core.errors import translate_error
from noticeboard.web.core.slips import qr_svg, track_url
from noticeboard.web.staff.notices import opinion_notices
from noticeboard.web.staff.opinion_forms import EraseForm, OpinionEntryForm, RightsForm
from noticeboard.web.staff.opinion_list import filters_from_request

bp = Blueprint("opinions", __name__, url_prefix="/opinions")

KEPT = "opinion_entry"  # session key: what the entry form keeps for the next opinion
KEPT_FIELDS = ("version", "office", "collection_point", "channel", "received_on", "articles")


@bp.context_processor
def slip_helpers() -> dict[str, Any]:
    def slip(opinion: Opinion) -> dict[str, Any]:
        url = track_url(opinion.receipt_code)
        return {
            "code": format_receipt_code(opinion.receipt_code),
            "url": url,
            "qr": qr_svg(url, _("Look up this opinion")),
        }

    return {"slip_for": slip}


@bp.get("")
@requires(Permission.RECORD_OPINIONS)
def index() -> str:
    page = list_opinions(
        db.session(),
        current_staff(),
        filters=filters_from_request(),
        page=request.args.get("page", 1, type=int),
    )
    choices = entry_choices(db.session(), current_staff())
    laws = list({v.law.slug: v.law for v in choices.versions}.values())

    def page_url(number: int) -> str:
        return url_for(".index", **(request.args.to_dict() | {"page": str(number)}))

    return render_template(
        "staff/opinions/index.html", page=page, choices=choices, laws=laws, page_url=page_url
    )


def _entry_form(choices: EntryChoices) -> OpinionEntryForm:
    form = OpinionEntryForm()
    form.version.choices = [
        SelectChoice(v.id, f"{v.law.title} · {v.label}") for v in choices.versions
    ]
    none = [SelectChoice(0, _("None (came in online)"))] if choices.office_optional else []
    form.office.choices = none + [SelectChoice(o.id, o.name) for o in choices.offices]
    form.collection_point.choices = [SelectChoice(0, _("None"))] + [
        SelectChoice(p.id, f"{p.name} · {p.office.name}") for p in choices.points
    ]
    if request.method == "GET":
        kept = session.get(KEPT, {})
        for name in KEPT_FIELDS:
            if name in kept:
                getattr(form, name).data = kept[name]
        if isinstance(form.received_on.data, str):
            form.received_on.data = date.fromisoformat(form.received_on.data)
        form.received_on.data = form.received_on.data or today_in()
    return form


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.RECORD_OPINIONS)
def new() -> Response | tuple[str, int] | str:
    """The fast entry form: context kept between entries, the receipt after each save."""
    actor = current_staff()
    choices = entry_choices(db.session(), actor)
    form = _entry_form(choices)
    saved = None
    if request.method == "GET" and request.args.get("saved", type=int):
        saved = get_opinion(db.session(), actor, request.args.get("saved", type=int) or 0)
    if form.validate_on_submit():
        data = _input_from(form)
        if data is not None:
            problems = data.resolve_errors + problems_with(db.session(), actor, data)
            if not problems:
                opinion = record_opinion(db.session(), actor, data)
                session[KEPT] = {
                    name: getattr(form, name).data for name in KEPT_FIELDS if name != "received_on"
                } | {"received_on": data.received_on.isoformat()}
                return redirect(url_for(".new", saved=opinion.id))
            _show_problems(form, problems)
    status = 422 if form.errors else 200
    page = render_template(
        "staff/opinions/new.html",
        form=form,
        saved=saved,
        article_counts=json.dumps({v.id: v.article_count for v in choices.versions}),
        kept=bool(session.get(KEPT)),
    )
    return (page, status) if status != 200 else page


def _input_from(form: OpinionEntryForm) -> OpinionInput | None:
    rows = entry_rows(
        db.session(),
        version_id=form.version.data,
        office_id=form.office.data,
        point_id=form.collection_point.data,
    )
    version = rows.version
    if version is None:
        form.version.errors = [_("Choose a law and version.")]
        return None
    articles, unknown = resolve_articles(
        version_articles(db.session(), version.id), form.articles.data or ""
    )
    data = OpinionInput(
        version=version,
        text=form.text.data or "",
        channel=Channel(form.channel.data),
        received_on=form.received_on.data or today_in(),
        articles=articles,
        office=rows.office,
        collection_point=rows.collection_point,
        contributor_name=form.contributor_name.data or "",
        contributor_category=ContributorCategory(form.contributor_category.data),
        name_public=bool(form.name_public.data),
        contact=form.contact.data or "",
        notify=bool(form.notify.data),
        language=form.language.data or "zh",
        summary=form.summary.data or "",
        reference=form.reference.data or "",
    )
    if unknown:
        data.resolve_errors.append(
            (
                "articles",
                ValidationFailed(
                    "Not an article of this version: %(refs)s.", refs="、".join(unknown)
                ),
            )
        )
    return data


def _show_problems(form: OpinionEntryForm, problems: list[tuple[str, ServiceError]]) -> None:
    for name, error in problems:
        field = getattr(form, name, None) or form.text
        field.errors = [*field.errors, translate_error(error)]


@bp.get("/<int:opinion_id>")
@requires(Permission.RECORD_OPINIONS)
def show(opinion_id: int) -> str:
    opinion = get_opinion(db.session(), current_staff(), opinion_id)
    lock = {"lock_version": opinion.lock_version}
    return render_template(
        "staff/opinions/show.html",
        opinion=opinion,
        trails=article_trails(db.session(), opinion),
        consent_form=RightsForm(data=lock),
        erase_form=EraseForm(data=lock),
        **opinion_notices(opinion),
    )


@bp.get("/<int:opinion_id>/receipt")
@requires(Permission.RECORD_OPINIONS)
def receipt(opinion_id: int) -> str:
    opinion = get_opinion(db.session(), current_staff(), opinion_id)
    paper = "80mm" if request.args.get("paper") == "80mm" else "a6"
    return render_template("staff/opinions/receipt.html", opinion=opinion, paper=paper)


@bp.post("/<int:opinion_id>/consent")
@requires(Permission.RECORD_OPINIONS)
def withdraw_consent(opinion_id: int) -> Response:
    opinion = get_opinion(db.session(), current_staff(), opinion_id)
    form = RightsForm()
    form.validate_on_submit()
    withdraw_name_consent(
        db.session(), current_staff(), opinion, lock_version=_lock(form.lock_version.data)
    )
    flash(_("The name will no longer be shown publicly."), "success")
    return redirect(url_for(".show", opinion_id=opinion.id))


@bp.post("/<int:opinion_id>/erase")
@requires(Permission.RECORD_OPINIONS)
def erase(opinion_id: int) -> Response | tuple[str, int]:
    opinion = get_opinion(db.session(), current_staff(), opinion_id)
    form = EraseForm()
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm the request."), "error")
        return redirect(url_for(".show", opinion_id=opinion.id))
    erase_personal_data(
        db.session(), current_staff(), opinion, lock_version=_lock(form.lock_version.data)
    )
    flash(_("The name and contact were erased. The opinion itself stays."), "success")
    return redirect(url_for(".show", opinion_id=opinion.id))


def _lock(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None
