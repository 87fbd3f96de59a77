"""Generated opinions for ``noticeboard demo --scale N`` (and the demo's ordinary ones).

Generated opinions spread over the channels, offices (and their collection points),
contributor categories and each version's consultation window, and link real articles.
Their texts come from ``demo.requests``, drawn from the real comparisons: requests for
the changes made, in many wordings, requests not adopted, remarks, off-topic letters and
campaigns, so a million opinions do not fall into a handful of identical texts. They are
written with batched Core inserts: a million take a few minutes on PostgreSQL.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import (
    Channel,
    CollectionPoint,
    ContributorCategory,
    DraftVersion,
    Office,
    Outcome,
    VersionArticle,
    VersionStatus,
    utcnow,
)
from noticeboard.services.audit import record_event
from noticeboard.services.demo.requests import RequestGenerator
from noticeboard.services.imports.opinion_import import INSERT_COLUMNS
from noticeboard.services.laws.comparisons import stored_between
from noticeboard.services.opinions.bulk import insert_opinions
from noticeboard.services.opinions.recording import (
    today_in,
)
from noticeboard.services.permissions import Actor, Permission, require
from noticeboard.services.triage.matching import article_refs, change_documents

CHUNK = 10_000
# Of generated opinions, copies of campaign letters (5 to 200 copies each).
CAMPAIGN_SHARE = 0.1

ZH_ON_ARTICLE = (
    "建议{label}中“{excerpt}”的表述进一步明确，增加可操作性。",
    "{label}规定的“{excerpt}”，建议明确责任主体和办理时限。",
    "建议在{label}增加对农村地区和困难群众的具体保障措施。",
    "对{label}中“{excerpt}”的规定，建议细化监督检查的方式。",
    "建议删除{label}中“{excerpt}”的内容，避免与其他法律重复。",
    "{label}涉及的部门较多，建议明确牵头部门，防止互相推诿。",
)
ZH_GENERAL = (
    "建议加大本法的宣传力度，用通俗的语言让群众知道自己的权利。",
    "希望法律通过后尽快出台配套规定，让基层执行有据可依。",
    "建议多听取基层一线工作人员的意见。",
)
EN_ON_ARTICLE = (
    "{label} should say more clearly who is responsible for “{excerpt}”.",
    "Please keep {label} as it is; “{excerpt}” works well in practice.",
)
EN_GENERAL = ("Thank you for asking. Please publish the next draft with a summary of changes.",)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰")
# Roughly how opinions reach offices: symposiums first, then letters and the online channels.
CHANNEL_WEIGHTS = {
    Channel.SYMPOSIUM: 30,
    Channel.LETTER: 12,
    Channel.ONLINE_FORM: 18,
    Channel.SOCIAL_MEDIA: 12,
    Channel.QR_POSTER: 10,
    Channel.HEARING: 4,
    Channel.SCHOOL: 8,
    Channel.OTHER: 6,
}
CATEGORY_WEIGHTS = {
    ContributorCategory.CITIZEN: 55,
    ContributorCategory.ENTERPRISE: 12,
    ContributorCategory.ORGANISATION: 8,
    ContributorCategory.EXPERT: 8,
    ContributorCategory.DEPUTY: 7,
    ContributorCategory.STUDENT: 10,
}


Window = tuple[date, date]


def consultation_window(session: Session, version: DraftVersion) -> Window:
    """When opinions on ``version`` came in: its comment window, or from its publication
    until the next version (at most two months), and never after today."""
    today = today_in()
    if version.comment_opens_at is not None:
        start = version.comment_opens_at.date()
        end = version.comment_closes_at.date() if version.comment_closes_at else today
    else:
        start = (version.published_at or utcnow()).date()
        later = session.scalar(
            select(DraftVersion.published_at)
            .where(DraftVersion.law_id == version.law_id, DraftVersion.sequence > version.sequence)
            .order_by(DraftVersion.sequence)
            .limit(1)
        )
        end = min(later.date() - timedelta(days=1) if later else today, start + timedelta(days=60))
    end = max(start, min(end, today))
    return start, end


def in_window(window: Window, fraction: float) -> date:
    start, end = window
    return start + timedelta(days=round((end - start).days * fraction))


@dataclass
class _Target:
    version: DraftVersion
    window: Window
    english: bool
    articles: list[tuple[int, str, str]]  # id, label, a short excerpt of its text

    def __post_init__(self) -> None:
        # Plain attributes: the generator reads them a million times.
        self.law_id, self.version_id = self.version.law_id, self.version.id
        self.start = self.window[0]
        self.days = (self.window[1] - self.window[0]).days


def generate_opinions(
    session: Session,
    actor: Actor,
    count: int,
    *,
    seed: int | None = None,
    law_ids: Sequence[int] | None = None,
) -> Iterator[int]:
    """Insert ``count`` generated opinions in chunks, yielding each chunk's size so the
    caller can commit and show progress. Needs the demo laws and offices (``law_ids``:
    only those laws). Texts come from ``demo.requests``: requests for the real changes in
    many wordings, requests not adopted, remarks, off-topic letters and campaigns."""
    require(actor, Permission.MANAGE_LAWS)
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets (codes use `secrets`)
    targets = [t for t in _targets(session) if law_ids is None or t.law_id in law_ids]
    if not targets:
        return
    offices = list(session.scalars(select(Office.id).where(Office.is_active)))
    points: dict[int, list[int]] = {}
    for office_id, point in session.execute(
        select(CollectionPoint.office_id, CollectionPoint.id).where(CollectionPoint.is_active)
    ):
        points.setdefault(office_id, []).append(point)
    # The open consultation draws most; older versions keep a steady trickle.
    weights = [5 if t.version.comment_opens_at else 1 for t in targets]
    writers = {t.version_id: _writer(session, t, rng.randrange(2**32)) for t in targets}
    online = (Channel.ONLINE_FORM, Channel.SOCIAL_MEDIA)
    now, actor_id, done = utcnow(), actor.id, 0
    while done < count:
        size = min(CHUNK, count - done)
        rows: list[tuple[Any, ...]] = []
        links: list[list[int]] = []
        # Draw each column for the whole chunk at once: a million single draws cost more
        # than the inserts. Texts are drawn per version, campaigns among them.
        picked = rng.choices(targets, weights, k=size)
        wanted = Counter(t.version_id for t in picked)
        texts = {v: iter(writers[v](n)) for v, n in wanted.items()}
        channels = rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()), k=size)
        categories = rng.choices(list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values()), k=size)
        for n, (target, channel, category) in enumerate(
            zip(picked, channels, categories, strict=True), start=done
        ):
            random_ = rng.random
            office: int | None = None
            if not target.english and not (channel in online and random_() < 0.5):
                office = rng.choice(offices)
            point_id: int | None = None
            if office in points and random_() < 0.3:
                point_id = rng.choice(points[office])
            text, article_ids = next(texts[target.version_id])
            named = not target.english and random_() < 0.4
            rows.append(
                (
                    target.law_id,
                    target.version_id,
                    office,
                    point_id,
                    channel,
                    target.start + timedelta(days=int(random_() * (target.days + 1))),
                    rng.choice(SURNAMES) + rng.choice(GIVEN) if named else "",
                    category,
                    named and random_() < 0.3,
                    f"contributor{n}@example.org" if random_() < 0.3 else "",
                    text,
                    "",
                    Outcome.PENDING,
                    actor_id,
                    now,
                    now,
                )
            )
            links.append(article_ids)
        insert_opinions(session, INSERT_COLUMNS, rows, links)
        session.flush()
        done += size
        yield size
    record_event(session, actor, "demo.generate_opinions", "opinion", None, count=count)


Writer = Callable[[int], Iterable[tuple[str, list[int]]]]


def _writer(session: Session, target: _Target, seed: int) -> Writer:
    """Texts for opinions on the target's version, with the articles they are linked to.

    Drawn from the comparison with the next version (what the commission did answer),
    or, on the newest version, with the one before it (the wording people discuss)."""
    version = target.version
    later = _neighbour(session, version, newer=True)
    earlier = _neighbour(session, version, newer=False)
    older, newer = (version, later) if later is not None else (earlier, version)
    comparison = stored_between(session, older, newer) if older is not None else None
    if comparison is None:
        return lambda n: ((_text(random.Random(seed + i), target), []) for i in range(n))  # noqa: S311
    article_of = {key: id_ for id_, key in _keys(session, version.id)}
    generator = RequestGenerator(
        change_documents(session, comparison),
        article_refs(session, version.id),
        article_refs(session, comparison.to_version_id),
        seed=seed,
    )

    def write(n: int) -> Iterable[tuple[str, list[int]]]:
        for made in generator.stream(n, campaign_share=CAMPAIGN_SHARE):
            yield made.text, [article_of[k] for k in made.article_keys if k in article_of]

    return write


def _neighbour(session: Session, version: DraftVersion, *, newer: bool) -> DraftVersion | None:
    order = DraftVersion.sequence.asc() if newer else DraftVersion.sequence.desc()
    step = (
        DraftVersion.sequence > version.sequence
        if newer
        else DraftVersion.sequence < version.sequence
    )
    return session.scalar(
        select(DraftVersion)
        .where(DraftVersion.law_id == version.law_id, step)
        .order_by(order)
        .limit(1)
    )


def _keys(session: Session, version_id: int) -> list[tuple[int, str]]:
    return [
        (id_, key)
        for id_, key in session.execute(
            select(VersionArticle.id, VersionArticle.key).where(
                VersionArticle.version_id == version_id
            )
        )
    ]


def _targets(session: Session) -> list[_Target]:
    targets = []
    versions = session.scalars(
        select(DraftVersion)
        .where(DraftVersion.status == VersionStatus.PUBLISHED)
        .order_by(DraftVersion.law_id, DraftVersion.sequence)
    )
    for version in versions:
        rows = session.execute(
            select(VersionArticle.id, VersionArticle.label, VersionArticle.text).where(
                VersionArticle.version_id == version.id
            )
        )
        articles = [(id_, label, _excerpt(text)) for id_, label, text in rows]
        english = bool(articles) and not articles[0][1].startswith("第")
        targets.append(_Target(version, consultation_window(session, version), english, articles))
    return [t for t in targets if t.articles]


def _excerpt(text: str) -> str:
    first = text.split("\n", 1)[0]
    for stop in "，。；,.;":
        first = first.split(stop, 1)[0]
    return first[:16]


def _text(rng: random.Random, target: _Target) -> str:
    """A remark on the whole draft, for a law with a single version (nothing to compare)."""
    if not target.articles:
        return rng.choice(EN_GENERAL if target.english else ZH_GENERAL)
    _id, label, excerpt = rng.choice(target.articles)
    template = rng.choice(EN_ON_ARTICLE if target.english else ZH_ON_ARTICLE)
    return template.format(label=label, excerpt=excerpt)
