"""Writing many opinions at once: fresh receipt codes and batched inserts.

Bulk imports and ``demo --scale`` write through here: Core ``insert()`` executemany in
chunks (SQLAlchemy batches them into multi-row INSERT ... RETURNING statements), then the
article links. The caller owns the transaction, so an import is still all or nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from noticeboard.models import Opinion, opinion_article
from noticeboard.services.receipts import new_receipt_code

CHUNK = 2000
_IN_LIST = 1000  # codes per uniqueness query


def new_feed_token() -> str:
    """24 URL-safe characters (144 bits); a receipt code has 10, so they never coincide."""
    return secrets.token_urlsafe(18)


def fresh_receipt_codes(session: Session, count: int) -> list[str]:
    """``count`` new codes, distinct from each other and from every stored one.

    45 random bits make a clash rare but not impossible at a million opinions (about one
    chance in seventy), so clashes are looked for, not hoped away.
    """
    codes: set[str] = set()
    while len(codes) < count:
        batch = {new_receipt_code() for _ in range(count - len(codes))} - codes
        pending = sorted(batch)
        for start in range(0, len(pending), _IN_LIST):
            part = pending[start : start + _IN_LIST]
            batch -= set(
                session.scalars(select(Opinion.receipt_code).where(Opinion.receipt_code.in_(part)))
            )
        codes |= batch
    return list(codes)


def insert_opinions(
    session: Session,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    article_ids: Sequence[Iterable[int]],
) -> list[int]:
    """Insert opinions given as tuples of ``columns`` (every column but the id, receipt
    code, feed token and lock version) with fresh codes and tokens, and link
    ``article_ids[i]`` to row i. Returns the new ids in row order.

    Rows are tuples, not dicts, so that a large import holds a third of the memory.
    """
    table = cast(Table, Opinion.__table__)
    codes = fresh_receipt_codes(session, len(rows))
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    new_ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        chunk = [
            {
                **dict(zip(columns, row, strict=True)),
                "receipt_code": code,
                "feed_token": new_feed_token(),
            }
            for row, code in zip(
                rows[start : start + CHUNK], codes[start : start + CHUNK], strict=True
            )
        ]
        chunk_ids = list(session.execute(statement, chunk).scalars())
        links = [
            {"opinion_id": opinion_id, "article_id": article_id}
            for opinion_id, targets in zip(
                chunk_ids, article_ids[start : start + CHUNK], strict=True
            )
            for article_id in dict.fromkeys(targets)
        ]
        if links:
            session.execute(insert(opinion_article), links)
        new_ids.extend(chunk_ids)
    return new_ids
