"""The triage queue of a law (``/staff/laws/<slug>/triage``): its pending opinions in
groups, with filters and pages, and "answered with no change" for a group's unmatched
opinions."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from noticeboard.extensions import db
from noticeboard.services.accounts.offices import get_office, list_offices
from noticeboard.services.errors import ServiceError
from noticeboard.services.permissions import Permission
from noticeboard.services.public.law_pages import get_law
from noticeboard.services.triage.no_change import answer_group
from noticeboard.services.triage.queue import (
    ARTICLE,
    CLUSTER,
    NO_ARTICLE,
    GroupRef,
    QueueFilters,
    triage_queue,
)
from noticeboard.web.core.auth import current_staff, requires
from noticeboard.web.core.errors import translate_error
from noticeboard.web.core.transaction import discard_request
from noticeboard.web.staff.triage.blueprint import bp

FILTER_ARGS = ("office", "article", "match", "outcome", "min_size")


class NoChangeForm(FlaskForm):
    group = HiddenField(validators=[DataRequired()])  # "cluster:7", "article:<key>", "none"
    public_reason = TextAreaField(
        _l("Public explanation"),
        validators=[DataRequired(), Length(max=4000)],
        description=_l("What each contributor reads: why the draft needs no change for this."),
    )
    confirm = BooleanField(
        _l("I read the sample: these opinions are answered without a change"),
        validators=[DataRequired()],
    )


def _int_arg(name: str, default: int) -> int:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else default


def _filters() -> QueueFilters:
    slug = request.args.get("office", "")
    match = request.args.get("match", "")
    return QueueFilters(
        office_id=get_office(db.session(), slug).id if slug else None,
        article_key=request.args.get("article") or None,
        match=match if match in ("matched", "unmatched") else None,
        pending_only=request.args.get("outcome", "pending") != "all",
        min_size=max(1, _int_arg("min_size", 1)),
    )


def group_token(ref: GroupRef) -> str:
    if ref.kind == CLUSTER:
        return f"{CLUSTER}:{ref.cluster_id}"
    if ref.kind == ARTICLE:
        return f"{ARTICLE}:{ref.article_key}"
    return NO_ARTICLE


def parse_group(token: str) -> GroupRef | None:
    kind, _sep, value = token.partition(":")
    if kind == CLUSTER and value.isdigit():
        return GroupRef(CLUSTER, int(value))
    if kind == ARTICLE and value:
        return GroupRef(ARTICLE, None, value)
    return GroupRef(NO_ARTICLE) if token == NO_ARTICLE else None


def _link(endpoint: str, **values: Any) -> str | None:
    """A link to a screen another module serves, or None while it does not exist."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def _page(slug: str, form: NoChangeForm | None = None, status: int = 200) -> tuple[str, int]:
    law = get_law(db.session(), slug)
    queue = triage_queue(db.session(), current_staff(), law, _filters(), _int_arg("page", 1))
    kept = {k: request.args[k] for k in FILTER_ARGS if request.args.get(k)}
    links = {
        group_token(g.ref): {
            "cluster": _link("staff.triage.cluster", cluster_id=g.ref.cluster_id)
            if g.ref.kind == CLUSTER
            else None,
            "change": _link("staff.decisions.change", change_id=g.best.change_id)
            if g.best
            else None,
        }
        for g in queue.groups
    }
    html = render_template(
        "staff/triage/queue.html",
        queue=queue,
        links=links,
        token=group_token,
        offices=[(o.slug, o.name) for o in list_offices(db.session())],
        args=kept,
        form=form or NoChangeForm(),
        office_report=_link("staff.triage.office_report", slug=law.slug),
    )
    return html, status


@bp.get("/laws/<slug>/triage")
@requires(Permission.DECIDE_OPINIONS)
def queue(slug: str) -> tuple[str, int]:
    return _page(slug)


@bp.post("/laws/<slug>/triage/no-change")
@requires(Permission.DECIDE_OPINIONS)
def answer_no_change(slug: str) -> Response | tuple[str, int]:
    """Decide a group's unmatched opinions (under the page's filters) not adopted."""
    form = NoChangeForm()
    ref = parse_group(form.group.data or "")
    if not form.validate_on_submit() or ref is None:
        discard_request()
        return _page(slug, form, 422)
    law = get_law(db.session(), slug)
    try:
        action = answer_group(
            db.session(), current_staff(), law, ref, _filters(), form.public_reason.data or ""
        )
    except ServiceError as exc:
        discard_request()
        form.public_reason.errors = [translate_error(exc)]
        return _page(slug, form, exc.status if exc.status != 400 else 422)
    flash(
        _(
            "%(n)d opinions answered with no change needed (%(skipped)d left for their changes).",
            n=action.count,
            skipped=action.params.get("skipped", 0),
        ),
        "success",
    )
    kept = {k: request.args[k] for k in FILTER_ARGS if request.args.get(k)}
    return redirect(url_for("staff.triage.queue", slug=slug, **kept))
