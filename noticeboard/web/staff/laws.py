"""Staff screens for laws and versions: add, preview, publish, withdraw, correct."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from noticeboard.extensions import db
from noticeboard.services.decisions import links
from noticeboard.services.errors import (
    NeedsConfirmation,
    QueueUnavailable,
    ServiceError,
    ValidationFailed,
)
from noticeboard.services.laws import versions
from noticeboard.services.laws.creation import create_law
from noticeboard.services.laws.queries import get_version, laws_with_versions
from noticeboard.services.laws.recompute import queue_recompute
from noticeboard.services.laws.uploads import read_draft_upload
from noticeboard.services.permissions import Permission
from noticeboard.services.public.law_pages import get_law, law_page
from noticeboard.web.core.auth import current_staff, requires
from noticeboard.web.core.errors import translate_error
from noticeboard.web.core.transaction import discard_request, form_failed
from noticeboard.web.staff.forms import (
    CommentWindowForm,
    ConfirmVersionForm,
    LawForm,
    VersionForm,
    WithdrawForm,
)
from noticeboard.web.staff.jobs import job_queue

bp = Blueprint("laws", __name__, url_prefix="/laws")


def _day_bounds(day: date | None, *, end: bool) -> datetime | None:
    """A date picked by staff, as the start (or end) of that day in the site's zone."""
    if day is None:
        return None
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    moment = datetime.combine(day + timedelta(days=1) if end else day, time.min, tzinfo=zone)
    return moment - timedelta(microseconds=1) if end else moment


@bp.get("")
@requires(Permission.MANAGE_VERSIONS)
def index() -> str:
    laws = laws_with_versions(db.session(), current_staff())
    return render_template("staff/laws/index.html", laws=laws, form=LawForm())


@bp.post("")
@requires(Permission.MANAGE_LAWS)
def create() -> Response | str:
    form = LawForm()
    if form.validate_on_submit():
        try:
            law = create_law(
                db.session(),
                current_staff(),
                slug=form.slug.data or "",
                title=form.title.data or "",
                title_en=form.title_en.data or None,
                summary=form.summary.data or "",
            )
        except ServiceError as exc:
            form.slug.errors.append(translate_error(exc))  # a 422: the request rolls back
        else:
            flash(_("The law was created. Add its first version."), "success")
            return redirect(url_for("staff.laws.show", slug=law.slug))
    laws = laws_with_versions(db.session(), current_staff())
    return render_template("staff/laws/index.html", laws=laws, form=form), 422


@bp.get("/<slug>")
@requires(Permission.MANAGE_VERSIONS)
def show(slug: str) -> str:
    page = law_page(db.session(), slug, staff=True)
    return render_template(
        "staff/laws/show.html",
        page=page,
        form=VersionForm(),
        withdraw_form=WithdrawForm(),
        window_form=CommentWindowForm(),
    )


@bp.post("/<slug>/versions/preview")
@requires(Permission.MANAGE_VERSIONS)
def preview(slug: str) -> str | tuple[str, int]:
    law = get_law(db.session(), slug)
    form = VersionForm()
    replace_seq = _replace_target()
    if not form.validate_on_submit():
        return _show_again(slug, form), 422
    try:
        text = _submitted_text(form)
        result = versions.preview_version(db.session(), law, text)
    except ServiceError as exc:
        form.text.errors = [*form.text.errors, translate_error(exc)]
        return _show_again(slug, form), 422
    confirm = ConfirmVersionForm(
        label=form.label.data,
        text=text,
        replace=replace_seq or "",
        comment_opens=form.comment_opens.data.isoformat() if form.comment_opens.data else "",
        comment_closes=form.comment_closes.data.isoformat() if form.comment_closes.data else "",
    )
    return render_template(
        "staff/laws/preview.html", law=law, preview=result, confirm=confirm, text=text
    )


@bp.post("/<slug>/versions")
@requires(Permission.MANAGE_VERSIONS)
def save(slug: str) -> Response:
    law = get_law(db.session(), slug)
    form = ConfirmVersionForm()
    if not form.validate_on_submit():
        flash(
            _("The draft could not be saved: the form was incomplete. Please start again."), "error"
        )
        return redirect(url_for("staff.laws.show", slug=slug))
    publish = request.form.get("action") == "publish"
    opens = _day_bounds(_parse_day(form.comment_opens.data), end=False)
    closes = _day_bounds(_parse_day(form.comment_closes.data), end=True)
    if form.replace.data:
        version = get_version(db.session(), slug, int(form.replace.data))
        versions.replace_draft(
            db.session(),
            current_staff(),
            version,
            source_text=form.text.data or "",
            label=form.label.data,
        )
    else:
        version = versions.add_version(
            db.session(),
            current_staff(),
            law,
            label=form.label.data or "",
            source_text=form.text.data or "",
            comment_opens_at=opens,
            comment_closes_at=closes,
        )
    if publish:
        # One transaction: the draft is saved and published together, or, when the
        # completeness check asks for confirmation (raised before publishing changes
        # anything), saved as a draft alone.
        try:
            versions.publish_version(db.session(), current_staff(), version)
        except NeedsConfirmation:
            flash(
                _("Saved as an unpublished draft: check what is still open before publishing."),
                "info",
            )
            return redirect(
                url_for("staff.laws.completeness", slug=slug, sequence=version.sequence)
            )
    flash(_("Version saved.") if not publish else _("Version saved and published."), "success")
    return redirect(url_for("staff.laws.show", slug=slug))


@bp.post("/<slug>/versions/<int:sequence>/publish")
@requires(Permission.MANAGE_VERSIONS)
def publish(slug: str, sequence: int) -> Response:
    version = get_version(db.session(), slug, sequence)
    try:
        versions.publish_version(
            db.session(), current_staff(), version, force=bool(request.form.get("confirm"))
        )
    except NeedsConfirmation:
        discard_request()
        return redirect(url_for("staff.laws.completeness", slug=slug, sequence=sequence))
    flash(_("Version published."), "success")
    return redirect(url_for("staff.laws.show", slug=slug))


@bp.get("/<slug>/versions/<int:sequence>/completeness")
@requires(Permission.MANAGE_VERSIONS)
def completeness(slug: str, sequence: int) -> str:
    version = get_version(db.session(), slug, sequence)
    return render_template(
        "staff/laws/completeness.html", report=links.completeness(db.session(), version)
    )


@bp.post("/<slug>/versions/<int:sequence>/withdraw")
@requires(Permission.MANAGE_VERSIONS)
def withdraw(slug: str, sequence: int) -> Response:
    version = get_version(db.session(), slug, sequence)
    form = WithdrawForm()
    versions.withdraw_version(db.session(), current_staff(), version, reason=form.reason.data or "")
    flash(_("Version withdrawn: it is hidden from the public and kept on record."), "success")
    return redirect(url_for("staff.laws.show", slug=slug))


@bp.post("/<slug>/versions/<int:sequence>/adopt")
@requires(Permission.MANAGE_VERSIONS)
def adopt(slug: str, sequence: int) -> Response:
    version = get_version(db.session(), slug, sequence)
    versions.mark_adopted_text(db.session(), current_staff(), version)
    flash(_("Marked as the adopted text; the law is now adopted."), "success")
    return redirect(url_for("staff.laws.show", slug=slug))


@bp.post("/<slug>/versions/<int:sequence>/window")
@requires(Permission.MANAGE_VERSIONS)
def window(slug: str, sequence: int) -> Response:
    version = get_version(db.session(), slug, sequence)
    form = CommentWindowForm()
    if not form.validate_on_submit():
        flash(_("Please give valid dates."), "error")
        return redirect(url_for("staff.laws.show", slug=slug))
    versions.set_comment_window(
        db.session(),
        current_staff(),
        version,
        opens_at=_day_bounds(form.comment_opens.data, end=False),
        closes_at=_day_bounds(form.comment_closes.data, end=True),
    )
    flash(_("Comment window saved."), "success")
    return redirect(url_for("staff.laws.show", slug=slug))


@bp.post("/<slug>/recompute")
@requires(Permission.MANAGE_VERSIONS)
def recompute(slug: str) -> Response:
    """Queue a job recomputing the law's stored comparisons; the jobs page follows it."""
    law = get_law(db.session(), slug)
    try:
        queue_recompute(db.session(), current_staff(), job_queue(), law)
    except QueueUnavailable as exc:
        form_failed(exc)
        return redirect(url_for("staff.laws.show", slug=slug))
    flash(_("The comparisons will be recomputed in the background."), "success")
    return redirect(url_for("staff.jobs.index"))


def _replace_target() -> str | None:
    value = request.form.get("replace", "")
    return value if value.isdigit() else None


def _submitted_text(form: VersionForm) -> str:
    upload = form.upload.data
    if upload and getattr(upload, "filename", ""):
        return read_draft_upload(upload.filename, upload.read())
    text = (form.text.data or "").replace("\r\n", "\n")
    if not text.strip():
        raise ValidationFailed("Paste the draft text or choose a file.")
    return text


def _show_again(slug: str, form: VersionForm) -> str:
    page = law_page(db.session(), slug, staff=True)
    return render_template(
        "staff/laws/show.html",
        page=page,
        form=form,
        withdraw_form=WithdrawForm(),
        window_form=CommentWindowForm(),
    )


def _parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
