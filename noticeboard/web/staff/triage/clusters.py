"""A campaign's page, ``/staff/clusters/<id>``: its size and representative text, its
members a page at a time, "take out of the cluster" per member, and "decide the whole
cluster" (posted to ``bulk.decide_whole_cluster``)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from noticeboard.extensions import db
from noticeboard.services.decisions.cluster_screen import cluster_screen
from noticeboard.services.decisions.leave_cluster import take_out_of_cluster
from noticeboard.services.errors import ServiceError
from noticeboard.services.permissions import Permission
from noticeboard.web.core.auth import current_staff, requires
from noticeboard.web.core.transaction import form_failed
from noticeboard.web.staff.decisions import decision_form
from noticeboard.web.staff.forms import BulkDecisionForm, BulkUndoForm, DecisionForm
from noticeboard.web.staff.triage.blueprint import bp


def cluster_page(
    cluster_id: int, form: DecisionForm | None = None, status: int = 200
) -> tuple[str, int]:
    page = request.args.get("page", "")
    screen = cluster_screen(
        db.session(), current_staff(), cluster_id, page=int(page) if page.isdigit() else 1
    )
    html = render_template(
        "staff/triage/cluster.html",
        screen=screen,
        bulk_form=form
        or decision_form(
            BulkDecisionForm,
            prefix="bulk",
            expected_pending=screen.pending,
            expected_total=screen.members.total,
        ),
        undo_form=BulkUndoForm(),
    )
    return html, status


@bp.get("/clusters/<int:cluster_id>")
@requires(Permission.DECIDE_OPINIONS)
def cluster(cluster_id: int) -> tuple[str, int]:
    return cluster_page(cluster_id)


@bp.post("/clusters/<int:cluster_id>/members/<int:opinion_id>/take-out")
@requires(Permission.DECIDE_OPINIONS)
def take_out(cluster_id: int, opinion_id: int) -> Response:
    # Audited, and clustering never puts the opinion back in.
    try:
        take_out_of_cluster(db.session(), current_staff(), opinion_id)
    except ServiceError as exc:
        form_failed(exc)
        return redirect(url_for("staff.triage.cluster", cluster_id=cluster_id) + "#members")
    flash(_("The opinion was taken out of the cluster."), "success")
    # A cluster left with one member is dissolved: its page is gone, the law's is not.
    size, law = request.form.get("size", ""), request.form.get("law", "")
    if size.isdigit() and int(size) <= 2 and law:
        return redirect(url_for("staff.laws.show", slug=law))
    return redirect(url_for("staff.triage.cluster", cluster_id=cluster_id) + "#members")
