"""Offices, collection points, staff accounts, and who sees which office's opinions."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import AuditEvent, OfficeTier
from noticeboard.services.accounts.offices import (
    create_collection_point,
    create_office,
    list_accounts,
    office_tree,
    set_account_active,
    set_collection_point_active,
    set_office_active,
)
from noticeboard.services.accounts.scope import office_scope
from noticeboard.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from noticeboard.services.opinions.queries import get_opinion, list_opinions
from noticeboard.services.permissions import SYSTEM
from tests import factories


def _three_tiers(session: Session) -> dict[str, object]:
    national = create_office(session, SYSTEM, slug="hongqiao", name="虹桥", tier="national")
    provincial = create_office(
        session, SYSTEM, slug="changning", name="长宁", tier="provincial", parent_slug="hongqiao"
    )
    prefecture = create_office(
        session, SYSTEM, slug="gubei", name="古北", tier="prefecture", parent_slug="changning"
    )
    other = create_office(session, SYSTEM, slug="lintao", name="临洮", tier="national")
    return {"hongqiao": national, "changning": provincial, "gubei": prefecture, "lintao": other}


def test_offices_form_three_tiers(db_session: Session) -> None:
    offices = _three_tiers(db_session)
    assert [(depth, o.slug) for depth, o in office_tree(db_session)] == [
        (0, "hongqiao"),
        (1, "changning"),
        (2, "gubei"),
        (0, "lintao"),
    ]
    assert offices["gubei"].parent is offices["changning"]  # type: ignore[attr-defined]
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "office.create"))
    assert event is not None


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"slug": "Bad Slug"}, ValidationFailed),
        ({"name": " "}, ValidationFailed),
        ({"tier": "county"}, ValidationFailed),
        ({"tier": "national", "parent_slug": "hongqiao"}, ValidationFailed),
        ({"tier": "provincial", "parent_slug": "gubei"}, ValidationFailed),  # parent lower
        ({"tier": "prefecture", "parent_slug": "nowhere"}, NotFound),
        ({"timezone": "Mars/Olympus"}, ValidationFailed),
        ({"slug": "lintao"}, Conflict),
    ],
)
def test_office_rules(db_session: Session, fields: dict[str, str], error: type) -> None:
    _three_tiers(db_session)
    with pytest.raises(error):
        create_office(
            db_session, SYSTEM, **{"slug": "new", "name": "新", "tier": "prefecture", **fields}
        )


@pytest.mark.parametrize("role", ["commission", "office"])
def test_only_admins_manage_offices_points_and_accounts(db_session: Session, role: str) -> None:
    office = factories.make_office(db_session, slug="hongqiao")
    actor = factories.make_user(db_session, role=role, office=office)
    with pytest.raises(PermissionDenied):
        create_office(db_session, actor, slug="x", name="x", tier=OfficeTier.NATIONAL)
    with pytest.raises(PermissionDenied):
        set_office_active(db_session, actor, office, False)
    with pytest.raises(PermissionDenied):
        create_collection_point(db_session, actor, office, slug="p", name="点")
    with pytest.raises(PermissionDenied):
        list_accounts(db_session, actor)
    with pytest.raises(PermissionDenied):
        set_account_active(db_session, actor, actor, False)


def test_collection_points_and_deactivation_are_audited(db_session: Session) -> None:
    admin = factories.make_user(db_session, role="admin")
    office = factories.make_office(db_session, slug="hongqiao")
    point = create_collection_point(db_session, admin, office, slug="teahouse", name="社区茶馆")
    with pytest.raises(Conflict):
        create_collection_point(db_session, admin, office, slug="teahouse", name="又一个")
    other = factories.make_office(db_session, slug="lintao")
    create_collection_point(db_session, admin, other, slug="teahouse", name="茶馆")  # per office
    set_collection_point_active(db_session, admin, point, False)
    set_office_active(db_session, admin, office, False)
    set_office_active(db_session, admin, office, False)  # no change, no second row
    actions = list(db_session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions.count("office.deactivate") == 1
    assert "collection_point.deactivate" in actions
    assert not office.is_active
    assert not point.is_active


def test_accounts_are_deactivated_not_deleted(db_session: Session) -> None:
    admin = factories.make_user(db_session, role="admin")
    staff = factories.make_user(db_session, role="commission")
    assert {u.email for u in list_accounts(db_session, admin)} == {admin.email, staff.email}
    set_account_active(db_session, admin, staff, False)
    assert not staff.is_active
    with pytest.raises(Conflict):
        set_account_active(db_session, admin, admin, False)
    set_account_active(db_session, admin, staff, True)
    actions = set(db_session.scalars(select(AuditEvent.action)))
    assert {"user.deactivate", "user.reactivate"} <= actions


@pytest.mark.parametrize(
    ("role", "office", "sees"),
    [
        ("admin", None, {"hongqiao", "changning", "gubei", "lintao", None}),
        ("commission", None, {"hongqiao", "changning", "gubei", "lintao", None}),
        ("office", "hongqiao", {"hongqiao", "changning", "gubei"}),
        ("office", "changning", {"changning", "gubei"}),
        ("office", "gubei", {"gubei"}),
        ("office", "lintao", {"lintao"}),
    ],
)
def test_each_role_sees_its_offices_opinions_and_nothing_else(
    db_session: Session, role: str, office: str | None, sees: set[str | None]
) -> None:
    offices = _three_tiers(db_session)
    version = factories.make_version(db_session)
    opinions = {
        slug: factories.make_opinion(
            db_session, version, office=offices.get(slug) if slug else None
        )
        for slug in ("hongqiao", "changning", "gubei", "lintao", None)
    }
    actor = factories.make_user(db_session, role=role, office=offices.get(office or ""))
    listed = list_opinions(db_session, actor)
    assert {o.office.slug if o.office else None for o in listed.items} == sees
    assert listed.total == len(sees)
    scope = office_scope(db_session, actor)
    for slug, opinion in opinions.items():
        assert scope.covers(opinion.office_id) == (slug in sees)
        if slug in sees:
            assert get_opinion(db_session, actor, opinion.id) is opinion
        else:
            with pytest.raises(NotFound):
                get_opinion(db_session, actor, opinion.id)


def test_listing_filters_by_law_and_office(db_session: Session) -> None:
    offices = _three_tiers(db_session)
    first = factories.make_version(db_session)
    second = factories.make_version(db_session)
    factories.make_opinion(db_session, first, office=offices["hongqiao"])
    factories.make_opinion(db_session, second, office=offices["gubei"])
    by_law = list_opinions(db_session, SYSTEM, law_slug=second.law.slug)
    assert [o.office.slug for o in by_law.items] == ["gubei"]  # type: ignore[union-attr]
    by_office = list_opinions(db_session, SYSTEM, office_slug="hongqiao")
    assert by_office.total == 1
    assert list_opinions(db_session, SYSTEM, per_page=1, page=2).items[0].version is first
