"""The commission's screens: a change with the opinions matched to it (stored matches,
with their reasons) and its bulk forms, and an opinion with its decision, matched
changes and history. The bulk forms post to ``staff.triage`` (``web/staff/triage/bulk.py``)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from noticeboard.extensions import db
from noticeboard.models import LinkDegree, Outcome, ReasonCode
from noticeboard.services.decisions import links
from noticeboard.services.decisions import outcomes as decisions
from noticeboard.services.decisions.bulk import BulkPreview, preview_link_matched
from noticeboard.services.decisions.matches import ClusterChoice
from noticeboard.services.decisions.screens import (
    change_screen,
    opinion_screen,
    opinions_to_decide,
)
from noticeboard.services.errors import NeedsConfirmation, ServiceError
from noticeboard.services.opinions.queries import get_opinion
from noticeboard.services.permissions import Permission
from noticeboard.web.core.auth import current_staff, requires
from noticeboard.web.core.errors import translate_error
from noticeboard.web.core.transaction import discard_request
from noticeboard.web.core.vocabulary import OUTCOME, REASON
from noticeboard.web.staff.forms import (
    BulkDecisionForm,
    BulkUndoForm,
    DecisionForm,
    EditorialForm,
    LinkClusterForm,
    LinkForm,
    LinkMatchedForm,
)

bp = Blueprint("decisions", __name__)


def decision_form(form_class: type[DecisionForm] = DecisionForm, **data: object) -> DecisionForm:
    form = form_class(**data)
    form.outcome.choices = [
        (o.value, OUTCOME.staff(o)) for o in Outcome if o is not Outcome.PENDING
    ]
    form.reason_code.choices = [("", "—")] + [(r.value, REASON.staff(r)) for r in ReasonCode]
    return form


def decision_input(form: DecisionForm) -> decisions.DecisionInput:
    return decisions.DecisionInput(
        outcome=Outcome(form.outcome.data),
        reason_code=ReasonCode(form.reason_code.data) if form.reason_code.data else None,
        public_reason=form.public_reason.data or "",
    )


# ---- one change ---------------------------------------------------------------------


def _int_arg(name: str, default: int = 1) -> int:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else default


def _score_arg() -> float | None:
    try:
        score = float(request.args.get("min_score", ""))
    except ValueError:
        return None
    return score if 0.0 <= score <= 1.0 else None


def _cluster_choice(choice: ClusterChoice) -> str:
    return _(
        "Cluster %(id)d: %(matched)d of its %(size)d copies matched",
        id=choice.cluster_id,
        matched=choice.matched,
        size=choice.size,
    )


def change_page(
    change_id: int,
    form: DecisionForm | None = None,
    status: int = 200,
    *,
    bulk_form: DecisionForm | None = None,
) -> tuple[str, int]:
    """The change page; ``?min_score=S&preview=1`` adds the preview of linking the
    opinions matched with score S or more (the bulk link's first step)."""
    session, actor = db.session(), current_staff()
    score = _score_arg()
    preview: BulkPreview | None = None
    if score is not None and request.args.get("preview"):
        try:
            preview = preview_link_matched(session, actor, change_id, score)
        except ServiceError as exc:
            flash(translate_error(exc), "error")
    screen = change_screen(
        session,
        actor,
        change_id,
        page=_int_arg("page"),
        linked_page=_int_arg("linked_page"),
        **({"min_score": score} if score is not None else {}),
    )
    link_matched_form = LinkMatchedForm(
        min_score=screen.min_score, expected_count=preview.count if preview else ""
    )
    cluster_form = LinkClusterForm()
    cluster_form.cluster_id.choices = [(c.cluster_id, _cluster_choice(c)) for c in screen.clusters]
    html = render_template(
        "staff/decisions/change.html",
        screen=screen,
        law=screen.law,
        comparison=screen.comparison,
        view=screen.view,
        links=screen.links.items,
        editorial=screen.editorial,
        preview=preview,
        link_form=LinkForm(),
        editorial_form=EditorialForm(),
        link_matched_form=link_matched_form,
        cluster_form=cluster_form,
        bulk_form=bulk_form
        or decision_form(
            BulkDecisionForm,
            prefix="bulk",
            expected_pending=screen.linked_pending,
            expected_total=screen.links.total,
        ),
        undo_form=BulkUndoForm(),
        form=form or decision_form(),
    )
    return html, status


@bp.get("/changes/<int:change_id>")
@requires(Permission.DECIDE_OPINIONS)
def change(change_id: int) -> tuple[str, int]:
    return change_page(change_id)


@bp.post("/changes/<int:change_id>/links")
@requires(Permission.DECIDE_OPINIONS)
def link(change_id: int) -> Response:
    form = LinkForm()
    change = links.get_change(db.session(), change_id)
    if form.validate_on_submit() and (form.opinion_id.data or "").isdigit():
        opinion = get_opinion(db.session(), current_staff(), int(form.opinion_id.data or 0))
        made = links.link_opinion(
            db.session(),
            current_staff(),
            change,
            opinion,
            degree=LinkDegree(form.degree.data or "full"),
            note=form.note.data or "",
        )
        proposed = OUTCOME.staff(links.proposed_outcome(made.degree))
        flash(
            _(
                "Linked %(code)s. Proposed outcome: %(outcome)s — confirm it below.",
                code=opinion.receipt_code,
                outcome=proposed,
            ),
            "success",
        )
    return redirect(url_for("staff.decisions.change", change_id=change_id) + "#decide")


@bp.post("/changes/<int:change_id>/links/<int:link_id>/delete")
@requires(Permission.DECIDE_OPINIONS)
def unlink(change_id: int, link_id: int) -> Response:
    found = links.get_link(db.session(), change_id, link_id)
    links.unlink_opinion(db.session(), current_staff(), found)
    flash(_("Link removed."), "success")
    return redirect(url_for("staff.decisions.change", change_id=change_id))


@bp.post("/changes/<int:change_id>/editorial")
@requires(Permission.DECIDE_OPINIONS)
def editorial(change_id: int) -> Response:
    change = links.get_change(db.session(), change_id)
    form = EditorialForm()
    if request.form.get("remove"):
        links.unmark_editorial(db.session(), current_staff(), change)
    elif form.validate_on_submit():
        links.mark_editorial(db.session(), current_staff(), change, note=form.note.data or "")
    return redirect(url_for("staff.decisions.change", change_id=change_id))


@bp.post("/changes/<int:change_id>/decide")
@requires(Permission.DECIDE_OPINIONS)
def decide_group(change_id: int) -> Response | tuple[str, int]:
    form = decision_form()
    ids = [int(i) for i in request.form.getlist("opinion_ids") if i.isdigit()]
    opinions = opinions_to_decide(db.session(), current_staff(), ids)
    if not form.validate_on_submit():
        return change_page(change_id, form, 422)
    try:
        made = decisions.decide_many(
            db.session(),
            current_staff(),
            opinions,
            decision_input(form),
            confirmed=form.confirm.data,
        )
    except ServiceError as exc:
        discard_request()
        form.outcome.errors = [translate_error(exc)]
        if isinstance(exc, NeedsConfirmation):
            form.confirm.errors = [_("Tick the box to confirm.")]
        return change_page(change_id, form, 409 if isinstance(exc, NeedsConfirmation) else 422)
    flash(_("Decision recorded for %(n)d opinions.", n=len(made)), "success")
    return redirect(url_for("staff.decisions.change", change_id=change_id))


# ---- one opinion --------------------------------------------------------------------


def _opinion_page(
    opinion_id: int, form: DecisionForm, status: int = 200, preview: bool = False
) -> tuple[str, int]:
    screen = opinion_screen(db.session(), current_staff(), opinion_id)
    html = render_template(
        "staff/decisions/opinion.html",
        opinion=screen.opinion,
        form=form,
        preview=preview,
        trails=screen.trails,
        matches=screen.matches,
        linked=screen.linked,
        history=screen.history,
        events=screen.events,
        latest=screen.latest,
        link_form=LinkForm(),
    )
    return html, status


@bp.get("/opinions/<int:opinion_id>/decision")
@requires(Permission.DECIDE_OPINIONS)
def opinion(opinion_id: int) -> tuple[str, int]:
    found = get_opinion(db.session(), current_staff(), opinion_id)
    latest = decisions.latest_decision(db.session(), found)
    form = decision_form(
        outcome=found.outcome.value
        if found.outcome is not Outcome.PENDING
        else Outcome.ADOPTED.value,
        reason_code=latest.reason_code.value if latest and latest.reason_code else "",
        public_reason=latest.public_reason if latest else "",
        lock_version=found.lock_version,
    )
    return _opinion_page(opinion_id, form)


@bp.post("/opinions/<int:opinion_id>/decision")
@requires(Permission.DECIDE_OPINIONS)
def decide(opinion_id: int) -> Response | tuple[str, int]:
    found = get_opinion(db.session(), current_staff(), opinion_id)
    form = decision_form()
    if not form.validate_on_submit():
        return _opinion_page(opinion_id, form, 422)
    if request.form.get("action") == "preview":
        try:
            decisions.check_decision(decision_input(form))
        except ServiceError as exc:
            form.outcome.errors = [translate_error(exc)]
            return _opinion_page(opinion_id, form, 422)
        return _opinion_page(opinion_id, form, preview=True)
    seen = int(form.lock_version.data) if (form.lock_version.data or "").isdigit() else -1
    try:
        decisions.decide_opinion(
            db.session(),
            current_staff(),
            found,
            decision_input(form),
            lock_version=seen,
            confirmed=form.confirm.data,
        )
    except ServiceError as exc:
        discard_request()
        found = get_opinion(db.session(), current_staff(), opinion_id)
        form.outcome.errors = [translate_error(exc)]
        if isinstance(exc, NeedsConfirmation):
            form.confirm.errors = [_("Tick the box to confirm.")]
        return _opinion_page(opinion_id, form, exc.status)
    flash(_("Decision recorded."), "success")
    return redirect(url_for("staff.decisions.opinion", opinion_id=opinion_id))
