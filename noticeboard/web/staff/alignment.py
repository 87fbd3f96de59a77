"""The concordance table: how each article of a version maps to the one before, and
staff's corrections of the engine's matches."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from noticeboard.extensions import db
from noticeboard.services.errors import ServiceError
from noticeboard.services.laws.comparisons import correct_alignment
from noticeboard.services.laws.queries import AlignmentPair, alignment_pair
from noticeboard.services.permissions import Permission
from noticeboard.web.core.auth import current_staff, requires
from noticeboard.web.core.errors import translate_error
from noticeboard.web.core.transaction import discard_request
from noticeboard.web.staff.forms import CorrectionForm

bp = Blueprint("alignment", __name__, url_prefix="/laws")


def _form(pair: AlignmentPair) -> CorrectionForm:
    form = CorrectionForm()
    form.old.choices = [(a.position, f"{a.label} · {a.text[:30]}") for a in pair.old.articles]
    form.new.choices = [(a.position, f"{a.label} · {a.text[:30]}") for a in pair.new.articles]
    return form


def _page(pair: AlignmentPair, form: CorrectionForm) -> str:
    return render_template(
        "staff/laws/alignment.html",
        old=pair.old,
        new=pair.new,
        comparison=pair.comparison,
        form=form,
    )


@bp.get("/<slug>/versions/<int:sequence>/alignment")
@requires(Permission.MANAGE_VERSIONS)
def show(slug: str, sequence: int) -> str:
    pair = alignment_pair(db.session(), slug, sequence)
    return _page(pair, _form(pair))


@bp.post("/<slug>/versions/<int:sequence>/alignment")
@requires(Permission.MANAGE_VERSIONS)
def correct(slug: str, sequence: int) -> Response | tuple[str, int]:
    pair = alignment_pair(db.session(), slug, sequence)
    form = _form(pair)
    if form.validate_on_submit():
        try:
            correct_alignment(
                db.session(),
                current_staff(),
                pair.old,
                pair.new,
                old_positions=[form.old.data],
                new_positions=form.new.data or [],
                note=form.note.data or "",
            )
        except ServiceError as exc:
            discard_request()
            form.new.errors = [translate_error(exc)]
        else:
            flash(_("Correction saved; the comparison was recomputed with it."), "success")
            return redirect(url_for("staff.alignment.show", slug=slug, sequence=sequence))
    # Loaded again: a refused correction was rolled back, which expired the pair.
    return _page(alignment_pair(db.session(), slug, sequence), form), 422
