"""A seeded database for the security walks, with a real id for every kind of thing a
staff or API address names, and a signed-in client per role.

The world is the adoption scenario (a law with two published versions; opinions in
Hongqiao (office A), in Gubei below it, and in Lintao (office B); changes with links and
decisions), plus what it lacks: an import job (queued, its file kept), API tokens, a
collection point, and a spare office and account that the walks may switch off without
disturbing the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.routing import Rule

from noticeboard.extensions import db
from noticeboard.models import (
    ChangeLink,
    OpinionCluster,
    OpinionMatch,
    OpinionTriage,
    Outcome,
    User,
)
from noticeboard.services.accounts.api_tokens import create_token
from noticeboard.services.accounts.offices import create_collection_point
from noticeboard.services.decisions.bulk import decide_cluster, link_cluster
from noticeboard.services.decisions.outcomes import DecisionInput
from noticeboard.services.imports.jobs import start_import
from noticeboard.services.permissions import SYSTEM
from tests import factories
from tests.queues import NoWorkerQueue
from tests.security.crawl import value_key
from tests.web import adoption_scenario
from tests.web.adoption_scenario import Scenario

ROLES = ("anonymous", "office", "commission", "admin")


@dataclass
class World:
    scenario: Scenario
    users: dict[str, User]  # office (of Hongqiao), commission, admin
    tokens: dict[str, str]  # role -> API secret
    values: dict[str, Any]  # placeholder -> a real value, for staff addresses
    office_b_opinion: int
    # Values that differ by role, where one role's request would use up the thing
    # (a link removed by the commission is gone for the admin).
    per_role: dict[str, dict[str, Any]]

    def values_for(self, role: str) -> dict[str, Any]:
        return self.values | self.per_role.get(role, {})


def build(session: Session) -> World:
    scenario = adoption_scenario.build(session)
    users = {
        "office": factories.make_user(session, role="office", office=scenario.hongqiao),
        "commission": factories.make_user(session, role="commission"),
        "admin": factories.make_user(session, role="admin"),
    }
    spare_user = factories.make_user(session, role="office", office=scenario.lintao)
    spare_office = factories.make_office(session, slug="spare-office")
    point = create_collection_point(
        session, SYSTEM, scenario.hongqiao, slug="community-hall", name="社区活动室"
    )
    spare_point = create_collection_point(
        session, SYSTEM, spare_office, slug="spare-point", name="备用征集点"
    )
    made = {role: create_token(session, user, f"{role} system") for role, user in users.items()}
    # The office user's import, waiting for a worker: the office and admins may open it
    # (and press its retry button), the commission may not.
    job = start_import(
        session,
        users["office"],
        NoWorkerQueue(),
        filename="opinions.csv",
        law_slug="minors",
        dry_run=True,
        payload=b"law,articles,office,channel,received_on,text\n",
    )
    links = session.scalars(
        select(ChangeLink.id)
        .where(ChangeLink.change_id == scenario.modified.id)
        .order_by(ChangeLink.id)
    ).all()
    assert len(links) == 2
    campaign, bulk_actions = _campaign(session, scenario)
    # A second campaign no walk posts to: the forms walked with hostile values may take
    # every member out of the first one (which dissolves it), and the crawl after them
    # still needs a cluster page to open.
    _campaign(session, scenario, bulk=False)
    session.commit()
    values = {
        "law": scenario.law.slug,
        "sequence": scenario.v2.sequence,
        "change_id": scenario.modified.id,
        "link_id": links[0],
        "opinion_id": scenario.pending.id,  # in Hongqiao: within office A's scope
        "job_id": job.id,
        "token_id": made["admin"].token.id,  # the admin's: other staff may not revoke it
        "user_id": spare_user.id,
        "office": spare_office.slug,
        "point_id": spare_point.id,
        "hongqiao_point": point.id,
        "cluster_id": campaign.id,
        "action_id": bulk_actions[0],
    }
    return World(
        scenario=scenario,
        users=users,
        tokens={role: new.secret for role, new in made.items()},
        values=values,
        office_b_opinion=scenario.elsewhere.id,
        per_role={"admin": {"link_id": links[1], "action_id": bulk_actions[1]}},
    )


def _campaign(
    session: Session, scenario: Scenario, *, bulk: bool = True
) -> tuple[OpinionCluster, list[int]]:
    """A cluster of six opinions matched to the modified change, and two bulk actions
    to undo (one per role that may: an undone action cannot be undone again). Six, so
    that the walks taking members out leave a cluster for the pages still to visit."""
    campaign = OpinionCluster(law_id=scenario.law.id, size=6)
    session.add(campaign)
    session.flush()
    # Opinions of their own: the walks count on the scenario's pending one staying so.
    members = [
        factories.make_opinion(
            session, scenario.v1, office=scenario.hongqiao, text=f"同一封信（{n}）"
        )
        for n in range(6)
    ]
    campaign.representative_id = members[0].id
    for opinion in members:
        session.merge(
            OpinionTriage(opinion_id=opinion.id, law_id=scenario.law.id, cluster_id=campaign.id)
        )
        session.merge(
            OpinionMatch(opinion_id=opinion.id, change_id=scenario.modified.id, score=0.7, rank=1)
        )
    session.flush()
    if not bulk:
        return campaign, []
    actions = [
        link_cluster(session, SYSTEM, scenario.modified.id, campaign.id).id,
        decide_cluster(session, SYSTEM, campaign.id, DecisionInput(Outcome.ADOPTED)).id,
    ]
    return campaign, actions


def sign_in(app: Flask, user: User | None) -> FlaskClient:
    client = app.test_client()
    if user is not None:
        response = client.post(
            "/staff/login", data={"email": user.email, "password": factories.PASSWORD}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
    return client


def clients(app: Flask, world: World) -> dict[str, FlaskClient]:
    return {role: sign_in(app, world.users.get(role)) for role in ROLES}


def url_for_rule(app: Flask, rule: Rule, values: dict[str, Any]) -> str:
    """The address of ``rule`` with real values; ``slug`` names an office or a law, as
    the crawl reads it."""
    arguments: dict[str, Any] = {}
    for name in rule.arguments:
        key = value_key(rule, name)
        if key not in values:
            raise AssertionError(
                f"{rule.rule}: the walk has no value for <{name}>; "
                "add one to tests/security/world.py"
            )
        arguments[name] = values[key]
    adapter = app.url_map.bind("localhost")
    method = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})[0]
    return str(adapter.build(rule.endpoint, arguments, method=method))


def row_counts(app: Flask) -> dict[str, int]:
    """Rows in every table, to show that a refused request wrote nothing (one query)."""
    tables = db.metadata.sorted_tables
    query = select(*(select(func.count()).select_from(t).scalar_subquery() for t in tables))
    with app.app_context(), db.engine.connect() as conn:
        counts = conn.execute(query).one()
    return {table.name: int(count) for table, count in zip(tables, counts, strict=True)}
