"""Administration: offices in three tiers, their collection points, and staff accounts."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from noticeboard.extensions import db
from noticeboard.services.accounts.offices import (
    create_collection_point,
    create_office,
    get_account,
    get_collection_point,
    get_office,
    list_accounts,
    office_admin_page,
    office_tree,
    set_account_active,
    set_collection_point_active,
    set_office_active,
)
from noticeboard.services.accounts.users import create_user
from noticeboard.services.errors import ServiceError
from noticeboard.services.permissions import Permission
from noticeboard.web.core.auth import current_staff, requires
from noticeboard.web.core.transaction import form_failed
from noticeboard.web.staff.opinion_forms import (
    AccountForm,
    CollectionPointForm,
    OfficeForm,
    ToggleForm,
)

bp = Blueprint("offices", __name__)


def _office_choices(blank: str) -> list[SelectChoice]:
    tree = office_tree(db.session())
    return [SelectChoice("", blank)] + [
        SelectChoice(o.slug, "　" * depth + o.name) for depth, o in tree
    ]


def _office_form() -> OfficeForm:
    form = OfficeForm()
    form.parent.choices = _office_choices(_("None (a national office)"))
    return form


@bp.get("/offices")
@requires(Permission.MANAGE_OFFICES)
def offices() -> str:
    return render_template(
        "staff/offices/index.html",
        tree=office_tree(db.session()),
        form=_office_form(),
        toggle=ToggleForm(),
    )


@bp.post("/offices")
@requires(Permission.MANAGE_OFFICES)
def create() -> Response | tuple[str, int]:
    form = _office_form()
    if form.validate_on_submit():
        try:
            office = create_office(
                db.session(),
                current_staff(),
                slug=form.slug.data or "",
                name=form.name.data or "",
                name_en=form.name_en.data,
                tier=form.tier.data or "",
                parent_slug=form.parent.data or None,
                region=form.region.data or "",
                timezone=form.timezone.data or "",
            )
        except ServiceError as exc:
            form_failed(exc)
        else:
            flash(_("The office %(name)s was created.", name=office.name), "success")
            return redirect(url_for(".office", slug=office.slug))
    page = render_template(
        "staff/offices/index.html", tree=office_tree(db.session()), form=form, toggle=ToggleForm()
    )
    return page, 422


@bp.get("/offices/<slug>")
@requires(Permission.MANAGE_OFFICES)
def office(slug: str) -> str:
    return _office_page(slug, CollectionPointForm())


def _office_page(slug: str, form: CollectionPointForm) -> str:
    page = office_admin_page(db.session(), current_staff(), slug)
    return render_template(
        "staff/offices/show.html",
        office=page.office,
        form=form,
        toggle=ToggleForm(),
        staff=page.staff,
    )


@bp.post("/offices/<slug>/active")
@requires(Permission.MANAGE_OFFICES)
def toggle_office(slug: str) -> Response:
    found = get_office(db.session(), slug)
    if ToggleForm().validate_on_submit():
        set_office_active(db.session(), current_staff(), found, request.form.get("active") == "1")
    if request.form.get("back") == "list":
        return redirect(url_for(".offices"))
    return redirect(url_for(".office", slug=slug))


@bp.post("/offices/<slug>/points")
@requires(Permission.MANAGE_OFFICES)
def create_point(slug: str) -> Response | tuple[str, int]:
    found = get_office(db.session(), slug)
    form = CollectionPointForm()
    if form.validate_on_submit():
        try:
            create_collection_point(
                db.session(),
                current_staff(),
                found,
                slug=form.slug.data or "",
                name=form.name.data or "",
                name_en=form.name_en.data,
                address=form.address.data or "",
            )
        except ServiceError as exc:
            form_failed(exc)
        else:
            flash(_("The collection point was added."), "success")
            return redirect(url_for(".office", slug=slug))
    return _office_page(slug, form), 422


@bp.post("/offices/<slug>/points/<int:point_id>/active")
@requires(Permission.MANAGE_OFFICES)
def toggle_point(slug: str, point_id: int) -> Response:
    point = get_collection_point(db.session(), get_office(db.session(), slug), point_id)
    if ToggleForm().validate_on_submit():
        active = request.form.get("active") == "1"
        set_collection_point_active(db.session(), current_staff(), point, active)
    return redirect(url_for(".office", slug=slug))


def _account_form() -> AccountForm:
    form = AccountForm()
    form.office.choices = _office_choices(_("None"))
    return form


@bp.get("/accounts")
@requires(Permission.MANAGE_USERS)
def accounts() -> str:
    return _accounts_page(_account_form())


def _accounts_page(form: AccountForm) -> str:
    return render_template(
        "staff/offices/accounts.html",
        accounts=list_accounts(db.session(), current_staff()),
        form=form,
        toggle=ToggleForm(),
    )


@bp.post("/accounts")
@requires(Permission.MANAGE_USERS)
def create_account() -> Response | tuple[str, int]:
    form = _account_form()
    if form.validate_on_submit():
        try:
            user = create_user(
                db.session(),
                current_staff(),
                email=form.email.data or "",
                role=form.role.data or "",
                password=form.password.data or "",
                hasher=current_app.extensions["noticeboard.hasher"],
                office_slug=form.office.data or None,
            )
        except ServiceError as exc:
            form_failed(exc)
        else:
            flash(_("The account %(email)s was created.", email=user.email), "success")
            return redirect(url_for(".accounts"))
    return _accounts_page(form), 422


@bp.post("/accounts/<int:user_id>/active")
@requires(Permission.MANAGE_USERS)
def toggle_account(user_id: int) -> Response:
    user = get_account(db.session(), current_staff(), user_id)
    if ToggleForm().validate_on_submit():
        try:
            set_account_active(
                db.session(), current_staff(), user, request.form.get("active") == "1"
            )
        except ServiceError as exc:
            form_failed(exc)
        else:
            flash(_("The account was updated."), "success")
    return redirect(url_for(".accounts"))
