"""add-version, run through Flask's CLI runner on both engines."""

from __future__ import annotations

from pathlib import Path

from click.testing import Result
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.commands.versions import add_version_command
from noticeboard.models import (
    AuditEvent,
    Change,
    DraftVersion,
    Law,
    VersionComparison,
    VersionStatus,
)
from tests.samples import sample_text

OLD = "cn/weichengnianren-baohufa/2020.txt"
NEW = "cn/weichengnianren-baohufa/2024.txt"


def invoke(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(add_version_command, list(args))


def draft_file(tmp_path: Path, sample: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / Path(sample).name
    path.write_bytes(sample_text(sample).encode(encoding))
    return path


def versions_of(db_session: Session, slug: str) -> list[DraftVersion]:
    db_session.expire_all()
    return list(
        db_session.scalars(
            select(DraftVersion).join(Law).where(Law.slug == slug).order_by(DraftVersion.sequence)
        )
    )


def test_a_new_law_gets_version_1(app: Flask, db_session: Session, tmp_path: Path) -> None:
    result = invoke(
        app,
        "minors",
        str(draft_file(tmp_path, OLD, "gb18030")),
        "--title",
        "未成年人保护法",
        "--title-en",
        "Minors Protection Law",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "1"
    law = db_session.scalar(select(Law).where(Law.slug == "minors"))
    assert law is not None
    assert (law.title, law.title_en) == ("未成年人保护法", "Minors Protection Law")
    (version,) = versions_of(db_session, "minors")
    assert version.status is VersionStatus.DRAFT
    assert version.label == "Version 1"
    assert version.article_count > 100
    # Decoded from GB18030, not stored as mojibake.
    assert "未成年人" in version.source_text


def test_a_second_version_prints_2_and_stores_the_comparison(
    app: Flask, db_session: Session, tmp_path: Path
) -> None:
    assert (
        invoke(app, "minors", str(draft_file(tmp_path, OLD)), "--title", "未成年人保护法").exit_code
        == 0
    )
    result = invoke(
        app,
        "minors",
        str(draft_file(tmp_path, NEW, "utf-16")),
        "--title",
        "ignored for an existing law",
        "--label",
        "2024 修订草案",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "2"
    first, second = versions_of(db_session, "minors")
    assert second.label == "2024 修订草案"
    stored = db_session.scalar(
        select(VersionComparison).where(
            VersionComparison.from_version_id == first.id,
            VersionComparison.to_version_id == second.id,
        )
    )
    assert stored is not None
    kinds = set(db_session.scalars(select(Change.kind).where(Change.comparison_id == stored.id)))
    assert len(kinds) > 1  # a real comparison, not "everything added"
    law = db_session.scalar(select(Law).where(Law.slug == "minors"))
    assert law is not None
    assert law.title == "未成年人保护法"


def test_a_bad_file_says_why_and_writes_nothing(
    app: Flask, db_session: Session, tmp_path: Path
) -> None:
    no_articles = tmp_path / "notes.txt"
    no_articles.write_text("这只是一段说明，没有条文。\n", encoding="utf-8")
    result = invoke(app, "brand-new", str(no_articles), "--title", "新法")
    assert result.exit_code == 1
    assert "No articles were recognised" in result.output
    assert "Nothing was saved." in result.output
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    result = invoke(app, "brand-new", str(broken), "--title", "新法")
    assert result.exit_code == 1
    assert "damaged" in result.output
    db_session.expire_all()
    # Not even the law: the law is created in the same transaction as its version.
    assert db_session.scalar(select(func.count()).select_from(Law)) == 0
    assert db_session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_publish_reports_completeness_and_publishes(
    app: Flask, db_session: Session, tmp_path: Path
) -> None:
    first = invoke(app, "minors", str(draft_file(tmp_path, OLD)), "--title", "未", "--publish")
    assert first.exit_code == 0, first.output
    result = invoke(app, "minors", str(draft_file(tmp_path, NEW)), "--title", "未", "--publish")
    assert result.exit_code == 0, result.output
    # The new changes have no linked opinion yet: said, and published anyway.
    assert "changed articles have no linked opinion" in result.output
    assert result.stdout.splitlines()[-1] == "2"
    assert [v.status for v in versions_of(db_session, "minors")] == [
        VersionStatus.PUBLISHED,
        VersionStatus.PUBLISHED,
    ]
