"""/open-data: the downloads read back to what the database holds, the dictionary covers
every column, the workbook is for staff only."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import Change, Opinion, VersionArticle
from noticeboard.services.open_data import datasets as open_data
from noticeboard.services.open_data import dictionary as open_data_dictionary
from noticeboard.services.open_data.cells import FORMULA_STARTS
from tests.web import adoption_scenario
from tests.web.adoption_scenario import PUBLIC_NAME, Scenario


@pytest.fixture
def world(db_session: Session) -> Scenario:
    return adoption_scenario.build(db_session)


def read_csv(data: bytes) -> list[dict[str, Any]]:
    """CSV as the data dictionary describes it: arrays as JSON, apostrophe-defused cells."""
    text = data.decode("utf-8-sig")
    records = []
    for row in csv.DictReader(io.StringIO(text)):
        record: dict[str, Any] = {}
        for key, value in row.items():
            if value.startswith("'") and value[1:2] and value[1] in "".join(FORMULA_STARTS):
                value = value[1:]
            kind = open_data_dictionary.COLUMNS_BY_NAME[key]
            record[key] = json.loads(value) if kind == "array" and value else value
        records.append(record)
    return records


def download(client: FlaskClient, dataset: str, fmt: str) -> Any:
    response = client.get(f"/open-data/{dataset}.{fmt}")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.headers["Content-Disposition"].endswith(f"noticeboard-{dataset}.{fmt}")
    return read_csv(response.data) if fmt == "csv" else json.loads(response.data)


def test_page_lists_every_dataset_and_documents_every_column(
    client: FlaskClient, world: Scenario
) -> None:
    html = client.get("/open-data?lang=en").get_data(as_text=True)
    for dataset, columns in open_data.COLUMNS.items():
        assert f"/open-data/{dataset}.csv" in html
        assert f"/open-data/{dataset}.json" in html
        assert list(open_data_dictionary.COLUMNS[dataset]) == list(columns)
        for column in columns:
            assert f"<code>{column}</code>" in html
    assert "/feeds/adopted.atom" in html
    assert "/api/v1/docs" in html
    assert "noticeboard.xlsx" not in html  # staff only
    package = client.get("/open-data/datapackage.json").get_json()
    assert [r["name"] for r in package["resources"]] == list(open_data.DATASETS)
    assert package["resources"][0]["path"].endswith("/open-data/laws.csv")


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_downloads_read_back_to_the_database(
    client: FlaskClient, db_session: Session, world: Scenario, fmt: str
) -> None:
    laws = download(client, "laws", fmt)
    assert [(law["slug"], law["title"]) for law in laws] == [("minors", "未成年人保护法")]
    versions = download(client, "versions", fmt)
    assert [str(v["sequence"]) for v in versions] == ["1", "2"]
    articles = download(client, "articles", fmt)
    stored = {(a.version_id, a.position): a for a in db_session.scalars(select(VersionArticle))}
    assert len(articles) == len(stored) == 7
    by_key = {(a.key, a.label, a.text) for a in stored.values()}
    assert {(a["key"], a["label"], a["text"]) for a in articles} == by_key

    changes = download(client, "changes", fmt)
    rows = {c.id: c for c in db_session.scalars(select(Change))}
    assert {int(c["id"]) for c in changes} == set(rows)
    for change in changes:
        row = rows[int(change["id"])]
        assert change["kind"] == row.kind.value
        assert change["new_labels"] == row.new_labels
        assert (change["diff"] or None) == row.diff
    modified = next(c for c in changes if int(c["id"]) == world.modified.id)
    assert set(modified["credited_opinions"]) == {world.students.id, world.secret.id}

    opinions = download(client, "opinions", fmt)
    stored_opinions = {o.id: o for o in db_session.scalars(select(Opinion))}
    assert {int(o["id"]) for o in opinions} == set(stored_opinions)
    for record in opinions:
        opinion = stored_opinions[int(record["id"])]
        assert record["outcome"] == opinion.outcome.value
        assert record["summary"] == opinion.summary
        assert record["received_on"] == opinion.received_on.isoformat()
        assert (record["contributor_name"] or None) == (
            opinion.contributor_name if opinion.name_public else None
        )
    names = {o["contributor_name"] for o in opinions if o["contributor_name"]}
    assert names == {PUBLIC_NAME}


def test_formula_like_cells_are_defused_in_csv(
    client: FlaskClient, db_session: Session, world: Scenario
) -> None:
    world.students.summary = '=HYPERLINK("http://evil.example")'
    db_session.commit()
    raw = client.get("/open-data/opinions.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in raw
    assert [o for o in read_csv(raw.encode()) if o["summary"].startswith("=HYPERLINK")]


def test_workbook_is_for_staff(client: FlaskClient, staff_client: Any, world: Scenario) -> None:
    assert client.get("/open-data/noticeboard.xlsx").status_code == 302  # to the sign-in
    response = staff_client("office").get("/open-data/noticeboard.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data), read_only=True)
    assert workbook.sheetnames == list(open_data.DATASETS)
    opinions = list(workbook["opinions"].values)
    assert list(opinions[0]) == list(open_data.COLUMNS["opinions"])
    assert len(opinions) == 6


def test_unknown_downloads_are_404(client: FlaskClient) -> None:
    assert client.get("/open-data/users.csv").status_code == 404
    assert client.get("/open-data/laws.xml").status_code == 404
