"""Commission staff link the opinions matched to a change in bulk (preview, then confirm)
and decide a whole campaign from its cluster page, then undo it, in the browser."""

from __future__ import annotations

import re
from typing import Any

from noticeboard import create_app
from noticeboard.extensions import db
from noticeboard.models import ChangeKind, OpinionCluster, OpinionMatch, OpinionTriage
from noticeboard.services.laws.comparisons import stored_between
from tests import factories
from tests.e2e.conftest import LiveServer, screenshot
from tests.services.decisions.test_outcomes import V1, V2

LETTER = "建议把退役军人安置工作由县级改为省级人民政府负责，统一标准。"


def _seed(live_server: LiveServer) -> tuple[int, int, list[str]]:
    """A law with two versions, a campaign of three copies of one letter and two other
    opinions, with their matches to the modified article stored as the matching job
    stores them (written through the server's SQLite file; no job is queued, so the
    worker leaves them as they are)."""
    instance = live_server.log_path.parent
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
        law = factories.make_law(session, slug="veterans-bulk-e2e", title="退役军人保障法（群发）")
        first = factories.make_version(session, law, V1)
        second = factories.make_version(session, law, V2, publish=False)
        stored = stored_between(session, first, second)
        assert stored is not None
        change = next(c for c in stored.changes if c.kind is ChangeKind.MODIFIED)
        cluster = OpinionCluster(law_id=law.id, size=3)
        session.add(cluster)
        session.flush()
        texts = [f"{LETTER}（{name}）" for name in ("张三", "李四", "王五")]
        texts += ["建议省级人民政府负责安置。", "希望加强宣传。"]
        scores = [0.92, 0.9, 0.88, 0.6, 0.25]
        codes = []
        for n, (text, score) in enumerate(zip(texts, scores, strict=True)):
            opinion = factories.make_opinion(
                session, first, articles=[first.articles[1]], text=text
            )
            in_cluster = cluster.id if n < 3 else None
            session.merge(
                OpinionTriage(opinion_id=opinion.id, law_id=law.id, cluster_id=in_cluster)
            )
            session.add(
                OpinionMatch(
                    opinion_id=opinion.id,
                    change_id=change.id,
                    score=score,
                    rank=1,
                    article=1.0,
                    quoted=0.5 if n < 4 else 0.0,
                    similar=score / 2,
                )
            )
            codes.append(opinion.receipt_code)
            if cluster.representative_id is None:
                cluster.representative_id = opinion.id
        session.commit()
        change_id, cluster_id = change.id, cluster.id
        db.engine.dispose()
    return change_id, cluster_id, codes


def _shown(code: str) -> str:
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def test_bulk_link_with_preview_then_decide_a_cluster(live_server: LiveServer, page: Any) -> None:
    change_id, cluster_id, codes = _seed(live_server)
    live_server.sign_in(page, "commission")

    page.goto(f"{live_server.url}/staff/changes/{change_id}?lang=en")
    assert "5 opinions matched." in page.locator("main").inner_text()
    page.get_by_label("Lowest score").fill("0.5")
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state()
    preview = page.locator("#link-preview")
    heading = preview.get_by_role("heading").inner_text()
    assert "4 opinions matched with a score of 0.50 or more would be linked" in heading
    sample = preview.locator(".preview-sample").inner_text()
    assert _shown(codes[0]) in sample
    assert _shown(codes[4]) not in sample  # 0.25: below the score
    screenshot(page, "staff-bulk-link-preview")
    preview.get_by_role("button", name="Link these 4 opinions").click()
    page.wait_for_load_state()
    assert "Linked 4 opinions." in page.locator(".flashes").inner_text()
    assert "4 opinions linked" in page.locator("main").inner_text()
    assert "Linked the matched opinions" in page.locator("#bulk-actions").inner_text()

    page.get_by_role("link", name=f"Cluster {cluster_id}").first.click()
    page.wait_for_url(re.compile(rf".*/staff/clusters/{cluster_id}.*"))
    main = page.locator("main").inner_text()
    assert "3 copies of one letter" in main
    assert LETTER in main
    page.get_by_label("Outcome").select_option("adopted")
    page.get_by_label("Explanation for the contributor").fill("二审稿已改为由省级人民政府负责。")
    page.get_by_role("button", name="Decide the 3 pending members").click()
    page.wait_for_load_state()
    assert "Decision recorded for 3 opinions." in page.locator(".flashes").inner_text()
    members = page.locator("table.cluster-members").inner_text()
    assert members.count("Adopted") == 3
    assert "Decided a cluster" in page.locator("#bulk-actions").inner_text()
    screenshot(page, "staff-cluster-decided")

    page.locator("#bulk-actions").get_by_role("button", name=re.compile("^Undo")).click()
    page.wait_for_load_state()
    assert "Undone: 3 opinions put back." in page.locator(".flashes").inner_text()
    assert page.locator("table.cluster-members").inner_text().count("Adopted") == 0
