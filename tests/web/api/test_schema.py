"""Schemathesis against /api/v1/openapi.json on a seeded database: every operation,
with examples drawn from the document, must answer as the document says.

Bounded so the suite stays fast; rate limiting stays on, with the API's limit raised
through configuration as an operator would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from sqlalchemy.orm import Session

from noticeboard.extensions import db
from noticeboard.services.accounts.api_tokens import create_token
from tests import factories
from tests.web import adoption_scenario

MAX_EXAMPLES = 6
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429"]


@pytest.fixture
def api_schema(make_app: Callable[..., Flask]) -> Any:
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_API="100000 per minute")
    with app.app_context():
        engine = db.engine
    with Session(engine, expire_on_commit=False) as session:
        adoption_scenario.build(session)
        admin = factories.make_user(session, role="admin")
        secret = create_token(session, admin, "schemathesis").secret
        session.commit()
    config = schemathesis.Config.from_dict(
        {
            "headers": {"Authorization": f"Bearer {secret}"},
            "checks": {
                # A request can be valid by the schema yet refused on its meaning (an
                # unknown law, a date in the future): that is a 422, never a 400.
                "positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "422"]},
            },
        }
    )
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_behaves_as_documented(case: Any) -> None:
    case.call_and_validate()
