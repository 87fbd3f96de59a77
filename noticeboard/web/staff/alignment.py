"""The concordance table: how each article of a version maps to the one before, and
staff's corrections of the engine's matches."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from noticeboard.extensions import db
from noticeboard.models import DraftVersion
from noticeboard.services.errors import NotFound, ServiceError
from noticeboard.services.laws.comparisons import (
    comparison_between,
    correct_alignment,
    previous_version,
)
from noticeboard.services.permissions import Permission
from noticeboard.services.public.law_pages import get_law
from noticeboard.web.core.auth import current_staff, requires
from noticeboard.web.core.errors import translate_error
from noticeboard.web.staff.forms import CorrectionForm

bp = Blueprint("alignment", __name__, url_prefix="/laws")


def _pair(slug: str, sequence: int) -> tuple[DraftVersion, DraftVersion]:
    law = get_law(db.session(), slug)
    new = next((v for v in law.versions if v.sequence == sequence), None)
    old = previous_version(db.session(), new) if new is not None else None
    if new is None or old is None:
        raise NotFound("No earlier version to align this one with.")
    return old, new


def _form(old: DraftVersion, new: DraftVersion) -> CorrectionForm:
    form = CorrectionForm()
    form.old.choices = [(a.position, f"{a.label} · {a.text[:30]}") for a in old.articles]
    form.new.choices = [(a.position, f"{a.label} · {a.text[:30]}") for a in new.articles]
    return form


@bp.get("/<slug>/versions/<int:sequence>/alignment")
@requires(Permission.MANAGE_VERSIONS)
def show(slug: str, sequence: int) -> str:
    old, new = _pair(slug, sequence)
    stored = comparison_between(db.session(), old, new)
    return render_template(
        "staff/laws/alignment.html", old=old, new=new, comparison=stored, form=_form(old, new)
    )


@bp.post("/<slug>/versions/<int:sequence>/alignment")
@requires(Permission.MANAGE_VERSIONS)
def correct(slug: str, sequence: int) -> Response | tuple[str, int]:
    old, new = _pair(slug, sequence)
    form = _form(old, new)
    if form.validate_on_submit():
        try:
            correct_alignment(
                db.session(),
                current_staff(),
                old,
                new,
                old_positions=[form.old.data],
                new_positions=form.new.data or [],
                note=form.note.data or "",
            )
        except ServiceError as exc:
            db.session.rollback()
            form.new.errors = [translate_error(exc)]
        else:
            db.session.commit()
            flash(_("Correction saved; the comparison was recomputed with it."), "success")
            return redirect(url_for("staff.alignment.show", slug=slug, sequence=sequence))
    stored = comparison_between(db.session(), old, new)
    page = render_template(
        "staff/laws/alignment.html", old=old, new=new, comparison=stored, form=form
    )
    return page, 422
