"""The bulk forms' POST routes, from the change page and the cluster page, and the undo.

Each route calls one service of ``services.decisions.bulk`` and redirects back with what
was done; a refusal (the set changed since the preview, a decision needing
confirmation) shows the page again with the reason, and nothing is written.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from noticeboard.extensions import db
from noticeboard.services.decisions.bulk import (
    decide_cluster,
    decide_linked,
    link_cluster,
    link_matched,
)
from noticeboard.services.decisions.bulk_undo import undo
from noticeboard.services.errors import NeedsConfirmation, ServiceError
from noticeboard.services.permissions import Permission
from noticeboard.web.core.auth import current_staff, requires
from noticeboard.web.core.errors import translate_error
from noticeboard.web.core.transaction import discard_request, form_failed
from noticeboard.web.staff.decisions import change_page, decision_form, decision_input
from noticeboard.web.staff.forms import BulkDecisionForm, LinkClusterForm, LinkMatchedForm
from noticeboard.web.staff.triage.blueprint import bp
from noticeboard.web.staff.triage.clusters import cluster_page


def _to_change(change_id: int, anchor: str = "", **args: object) -> Response:
    return redirect(url_for("staff.decisions.change", change_id=change_id, **args) + anchor)


def _linked_message(count: int) -> str:
    return ngettext(
        "Linked %(num)d opinion. A link proposes an outcome: decide below.",
        "Linked %(num)d opinions. A link proposes an outcome: decide them below.",
        count,
    )


@bp.post("/changes/<int:change_id>/bulk/link-matched")
@requires(Permission.DECIDE_OPINIONS)
def link_matched_opinions(change_id: int) -> Response:
    form = LinkMatchedForm()
    expected = form.expected_count.data or ""
    if not form.validate_on_submit() or not expected.isdigit():
        flash(_("Look at the preview first, then confirm."), "error")
        return _to_change(change_id, "#link-matched")
    score = float(form.min_score.data or 0)
    try:
        action = link_matched(
            db.session(), current_staff(), change_id, score, expected_count=int(expected)
        )
    except ServiceError as exc:
        form_failed(exc)
        return _to_change(change_id, "#link-preview", min_score=score, preview=1)
    flash(_linked_message(action.count), "success")
    return _to_change(change_id, "#bulk-actions")


@bp.post("/changes/<int:change_id>/bulk/link-cluster")
@requires(Permission.DECIDE_OPINIONS)
def link_cluster_opinions(change_id: int) -> Response:
    form = LinkClusterForm()
    if not form.validate_on_submit() or not form.cluster_id.data:
        flash(_("Choose a cluster."), "error")
        return _to_change(change_id, "#link-cluster")
    try:
        action = link_cluster(db.session(), current_staff(), change_id, form.cluster_id.data)
    except ServiceError as exc:
        form_failed(exc)
        return _to_change(change_id, "#link-cluster")
    flash(_linked_message(action.count), "success")
    return _to_change(change_id, "#bulk-actions")


def _expected(form: BulkDecisionForm) -> int | None:
    seen = form.expected_total.data if form.include_decided.data else form.expected_pending.data
    return int(seen) if (seen or "").isdigit() else None


def _refused(form: BulkDecisionForm, exc: ServiceError) -> int:
    discard_request()
    form.outcome.errors = [translate_error(exc)]
    if isinstance(exc, NeedsConfirmation):
        form.confirm.errors = [_("Tick the box to confirm.")]
    return exc.status


@bp.post("/changes/<int:change_id>/bulk/decide")
@requires(Permission.DECIDE_OPINIONS)
def decide_linked_opinions(change_id: int) -> Response | tuple[str, int]:
    form = decision_form(BulkDecisionForm, prefix="bulk")
    assert isinstance(form, BulkDecisionForm)
    if not form.validate_on_submit():
        return change_page(change_id, status=422, bulk_form=form)
    try:
        action = decide_linked(
            db.session(),
            current_staff(),
            change_id,
            decision_input(form),
            confirmed=form.confirm.data,
            include_decided=form.include_decided.data,
            expected_count=_expected(form),
        )
    except ServiceError as exc:
        status = _refused(form, exc)
        return change_page(change_id, status=status, bulk_form=form)
    flash(_("Decision recorded for %(n)d opinions.", n=action.count), "success")
    return _to_change(change_id, "#bulk-actions")


@bp.post("/clusters/<int:cluster_id>/decide")
@requires(Permission.DECIDE_OPINIONS)
def decide_whole_cluster(cluster_id: int) -> Response | tuple[str, int]:
    form = decision_form(BulkDecisionForm, prefix="bulk")
    assert isinstance(form, BulkDecisionForm)
    if not form.validate_on_submit():
        return cluster_page(cluster_id, form, 422)
    try:
        action = decide_cluster(
            db.session(),
            current_staff(),
            cluster_id,
            decision_input(form),
            confirmed=form.confirm.data,
            include_decided=form.include_decided.data,
            expected_count=_expected(form),
        )
    except ServiceError as exc:
        return cluster_page(cluster_id, form, _refused(form, exc))
    flash(_("Decision recorded for %(n)d opinions.", n=action.count), "success")
    return redirect(url_for("staff.triage.cluster", cluster_id=cluster_id) + "#bulk-actions")


@bp.post("/bulk/<int:action_id>/undo")
@requires(Permission.DECIDE_OPINIONS)
def undo_bulk_action(action_id: int) -> Response:
    back = request.form.get("back", "")
    # Only a page of the staff area: never an address elsewhere (an open redirect).
    back = back if back.startswith("/staff/") and "//" not in back else url_for("staff.dashboard")
    try:
        action = undo(db.session(), current_staff(), action_id)
    except ServiceError as exc:
        form_failed(exc)
        return redirect(back)
    report = action.params.get("undo", {})
    skipped = len(report.get("skipped", []))
    flash(
        _(
            "Undone: %(restored)d opinions put back; %(skipped)d left as they are "
            "because someone changed them since.",
            restored=report.get("restored", 0),
            skipped=skipped,
        )
        if skipped
        else _("Undone: %(restored)d opinions put back.", restored=report.get("restored", 0)),
        "success",
    )
    if action.change_id is not None:
        return _to_change(action.change_id, "#bulk-actions")
    if action.cluster_id is not None:
        return redirect(url_for("staff.triage.cluster", cluster_id=action.cluster_id))
    return redirect(back)
