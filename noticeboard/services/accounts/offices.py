"""Offices in three tiers, the collection points under them, and their staff accounts.

Admins manage all of it. Nothing is deleted: an office, point or account that stops
working is deactivated, so the opinions recorded through it keep their history.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from noticeboard.models import CollectionPoint, Office, OfficeTier, User
from noticeboard.services.audit import record_event
from noticeboard.services.errors import Conflict, NotFound, ValidationFailed
from noticeboard.services.permissions import Actor, Permission, require

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TIER_RANK = {OfficeTier.NATIONAL: 0, OfficeTier.PROVINCIAL: 1, OfficeTier.PREFECTURE: 2}


def _clean_slug(slug: str) -> str:
    slug = slug.strip().lower()
    if not _SLUG.match(slug) or len(slug) > 64:
        raise ValidationFailed("The slug takes lower-case letters, digits and dashes.")
    return slug


def list_offices(session: Session) -> list[Office]:
    """Every office, national first, each tier by slug (pinyin, so in the order Chinese
    readers expect), with parents and points loaded."""
    offices = session.scalars(
        select(Office).options(selectinload(Office.parent), selectinload(Office.collection_points))
    ).all()
    return sorted(offices, key=lambda o: (_TIER_RANK[o.tier], o.slug))


def office_tree(session: Session) -> list[tuple[int, Office]]:
    """Offices depth-first under their parents, with their depth, for an indented list."""
    offices = list_offices(session)
    children: dict[int | None, list[Office]] = {}
    for office in offices:
        children.setdefault(office.parent_id, []).append(office)
    ordered: list[tuple[int, Office]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for office in children.get(parent_id, []):
            ordered.append((depth, office))
            walk(office.id, depth + 1)

    walk(None, 0)
    return ordered


def get_office(session: Session, slug: str) -> Office:
    office = session.scalar(select(Office).where(Office.slug == slug))
    if office is None:
        raise NotFound("No office with the slug %(slug)s.", slug=slug)
    return office


@dataclass(frozen=True)
class OfficeAdminPage:
    """An office as its admin page shows it."""

    office: Office  # with the office above it and every collection point loaded
    staff: Sequence[User]  # the accounts of this office


def office_admin_page(session: Session, actor: Actor, slug: str) -> OfficeAdminPage:
    require(actor, Permission.MANAGE_USERS)
    office = session.scalar(
        select(Office)
        .where(Office.slug == slug)
        .options(joinedload(Office.parent), selectinload(Office.collection_points))
    )
    if office is None:
        raise NotFound("No office with the slug %(slug)s.", slug=slug)
    staff = session.scalars(
        select(User).where(User.office_id == office.id).order_by(User.role, User.email)
    ).all()
    return OfficeAdminPage(office=office, staff=staff)


def create_office(
    session: Session,
    actor: Actor,
    *,
    slug: str,
    name: str,
    tier: OfficeTier | str,
    name_en: str | None = None,
    parent_slug: str | None = None,
    region: str = "",
    timezone: str = "Asia/Shanghai",
) -> Office:
    require(actor, Permission.MANAGE_OFFICES)
    slug = _clean_slug(slug)
    if not name.strip():
        raise ValidationFailed("An office needs a name.")
    try:
        tier = OfficeTier(tier)
    except ValueError:
        raise ValidationFailed("Unknown tier %(tier)s.", tier=tier) from None
    parent = get_office(session, parent_slug) if parent_slug else None
    if tier is OfficeTier.NATIONAL and parent is not None:
        raise ValidationFailed("A national office has no office above it.")
    if parent is not None and _TIER_RANK[parent.tier] >= _TIER_RANK[tier]:
        raise ValidationFailed("The office above must be of a higher tier.")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed("Unknown time zone %(zone)s.", zone=timezone) from None
    if session.scalar(select(func.count()).where(Office.slug == slug)):
        raise Conflict("An office with the slug %(slug)s exists already.", slug=slug)
    office = Office(
        slug=slug,
        name=name.strip(),
        name_en=(name_en or "").strip() or None,
        tier=tier,
        parent=parent,
        region=region.strip(),
        timezone=timezone,
    )
    session.add(office)
    session.flush()
    record_event(session, actor, "office.create", "office", office.id, slug=slug, tier=tier.value)
    return office


def set_office_active(session: Session, actor: Actor, office: Office, active: bool) -> Office:
    """Close or reopen an office. A closed office takes no new opinions; its record stays."""
    require(actor, Permission.MANAGE_OFFICES)
    if office.is_active != active:
        office.is_active = active
        session.flush()
        action = "office.reactivate" if active else "office.deactivate"
        record_event(session, actor, action, "office", office.id, slug=office.slug)
    return office


def create_collection_point(
    session: Session,
    actor: Actor,
    office: Office,
    *,
    slug: str,
    name: str,
    name_en: str | None = None,
    address: str = "",
) -> CollectionPoint:
    require(actor, Permission.MANAGE_OFFICES)
    slug = _clean_slug(slug)
    if not name.strip():
        raise ValidationFailed("A collection point needs a name.")
    taken = session.scalar(
        select(func.count()).where(
            CollectionPoint.office_id == office.id, CollectionPoint.slug == slug
        )
    )
    if taken:
        raise Conflict("This office has a collection point %(slug)s already.", slug=slug)
    point = CollectionPoint(
        office=office,
        slug=slug,
        name=name.strip(),
        name_en=(name_en or "").strip() or None,
        address=address.strip(),
    )
    session.add(point)
    session.flush()
    record_event(
        session,
        actor,
        "collection_point.create",
        "collection_point",
        point.id,
        office=office.slug,
        slug=slug,
    )
    return point


def get_collection_point(session: Session, office: Office, point_id: int) -> CollectionPoint:
    point = session.get(CollectionPoint, point_id)
    if point is None or point.office_id != office.id:
        raise NotFound("No such collection point.")
    return point


def set_collection_point_active(
    session: Session, actor: Actor, point: CollectionPoint, active: bool
) -> CollectionPoint:
    require(actor, Permission.MANAGE_OFFICES)
    if point.is_active != active:
        point.is_active = active
        session.flush()
        action = "collection_point.reactivate" if active else "collection_point.deactivate"
        record_event(session, actor, action, "collection_point", point.id, slug=point.slug)
    return point


def list_accounts(session: Session, actor: Actor) -> Sequence[User]:
    require(actor, Permission.MANAGE_USERS)
    return session.scalars(
        select(User).options(selectinload(User.office)).order_by(User.role, User.email)
    ).all()


def get_account(session: Session, actor: Actor, user_id: int) -> User:
    require(actor, Permission.MANAGE_USERS)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such account.")
    return user


def set_account_active(session: Session, actor: Actor, user: User, active: bool) -> User:
    """Lock or unlock a staff account; a locked account cannot sign in, and its open
    sessions end on their next request (the user loader refuses inactive accounts)."""
    require(actor, Permission.MANAGE_USERS)
    if not active and user.id == actor.id:
        raise Conflict("You cannot deactivate your own account.")
    if user.is_active != active:
        user.is_active = active
        session.flush()
        action = "user.reactivate" if active else "user.deactivate"
        record_event(session, actor, action, "user", user.id, email=user.email)
    return user
