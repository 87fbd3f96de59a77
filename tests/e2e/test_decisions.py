"""Commission staff credit a change to the opinion behind it and decide it, in the browser."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from noticeboard import create_app
from noticeboard.extensions import db
from noticeboard.models import ChangeKind, Opinion, OpinionMatch
from noticeboard.services.laws.comparisons import stored_between
from tests import factories
from tests.e2e.conftest import LiveServer, screenshot
from tests.services.decisions.test_outcomes import V1, V2


def _seed(live_server: LiveServer) -> tuple[int, str]:
    """A law with two versions and a veteran's opinion, written into the server's database
    through the services (the server runs on the same SQLite file)."""
    instance = live_server.log_path.parent
    # No triage job queued: the match below stands as the matching job would store it.
    app = create_app(
        {
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": "seed",
            "TESTING": True,
            "TRIAGE_ON_RECORD": False,
        }
    )
    with app.app_context():
        session = db.session()
        law = factories.make_law(session, slug="veterans-e2e", title="退役军人保障法（草案）")
        first = factories.make_version(session, law, V1)
        second = factories.make_version(session, law, V2, publish=False)
        opinion = factories.make_opinion(
            session,
            first,
            articles=[first.articles[1]],
            text="建议把安置工作由县级改为省级人民政府负责。",
        )
        stored = stored_between(session, first, second)
        assert stored is not None
        change = next(c for c in stored.changes if c.kind is ChangeKind.MODIFIED)
        # The change page reads stored matches (the matching job writes them).
        session.add(
            OpinionMatch(opinion_id=opinion.id, change_id=change.id, score=0.8, rank=1, article=1.0)
        )
        session.commit()
        opinion_code = session.scalar(select(Opinion.receipt_code).where(Opinion.law_id == law.id))
        change_id = change.id
        db.engine.dispose()
    assert opinion_code is not None
    return change_id, opinion_code


def test_commission_accepts_a_suggestion_and_decides(live_server: LiveServer, page: Any) -> None:
    change_id, code = _seed(live_server)
    live_server.sign_in(page, "commission")

    page.goto(f"{live_server.url}/staff/changes/{change_id}?lang=en")
    suggestion = page.locator(".suggestions li").first
    assert f"{code[:4]}-{code[4:8]}-{code[8:]}" in suggestion.inner_text()
    assert "targets this article" in suggestion.inner_text()
    screenshot(page, "staff-change-suggestions")
    suggestion.get_by_role("button", name="Link: asked for this").click()
    page.wait_for_load_state()
    assert "Proposed outcome: Adopted" in page.locator(".flashes").inner_text()

    page.get_by_role("link", name="Decide").first.click()
    page.wait_for_load_state()
    page.get_by_label("Outcome").select_option("adopted")
    page.get_by_label("Explanation for the contributor").fill("二审稿已改为由省级人民政府负责。")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()
    assert "Decision recorded." in page.locator(".flashes").inner_text()
    assert "Adopted" in page.locator("main").inner_text()
    history = page.locator("section[aria-labelledby=history-heading]").inner_text()
    assert "opinion.decide" in history
    assert "Under consideration → Adopted" in history
    screenshot(page, "staff-opinion-decided")
