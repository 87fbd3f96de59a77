"""The import's vocabulary: column names, the words accepted for channels, categories,
yes/no, languages and dates, and cached look-ups of laws, versions, offices and points by name."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from noticeboard.models import (
    Channel,
    CollectionPoint,
    ContributorCategory,
    DraftVersion,
    Law,
    Office,
    VersionArticle,
    VersionStatus,
)
from noticeboard.services.opinions.recording import ArticleIndex

# Column -> the English and Chinese headers accepted for it (the template uses the first).
COLUMNS: dict[str, tuple[str, ...]] = {
    "law": ("法律",),
    "version": ("版本", "稿次"),
    "articles": ("条文", "article"),
    "office": ("联系点",),
    "collection_point": ("采集点", "point"),
    "channel": ("渠道",),
    "received_on": ("收到日期", "date_received", "date", "日期"),
    "contributor_name": ("姓名", "name"),
    "contributor_category": ("身份", "category", "类别"),
    "name_public": ("公开姓名", "name_consent"),
    "contact": ("联系方式",),
    "notify": ("通知",),
    "language": ("语言",),
    "text": ("意见", "意见内容", "opinion"),
    "summary": ("摘要",),
    "reference": ("编号", "ref"),
}
COLUMN_ALIASES = {alias: name for name, aliases in COLUMNS.items() for alias in (name, *aliases)}
REQUIRED = ("channel", "received_on", "text")

CHANNEL_WORDS: dict[Channel, tuple[str, ...]] = {
    Channel.SYMPOSIUM: ("座谈会", "座谈", "meeting"),
    Channel.LETTER: ("来信", "信件", "书信"),
    Channel.ONLINE_FORM: ("网上表单", "在线表单", "网络", "网上", "online"),
    Channel.SOCIAL_MEDIA: ("社交媒体", "微信", "微信群", "微博"),
    Channel.QR_POSTER: ("二维码", "二维码海报", "qr", "qr_code", "poster"),
    Channel.HEARING: ("听证会", "听证"),
    Channel.SCHOOL: ("学校", "校园"),
    Channel.OTHER: ("其他", "其它"),
}
CATEGORY_WORDS: dict[ContributorCategory, tuple[str, ...]] = {
    ContributorCategory.CITIZEN: ("公民", "群众", "市民", "居民", "村民"),
    ContributorCategory.ENTERPRISE: ("企业", "company", "business"),
    ContributorCategory.ORGANISATION: ("社会组织", "组织", "团体", "organization", "ngo"),
    ContributorCategory.EXPERT: ("专家", "学者"),
    ContributorCategory.DEPUTY: ("人大代表", "代表"),
    ContributorCategory.STUDENT: ("学生",),
}
_YES = {"yes", "y", "true", "1", "是", "同意", "x", "✓"}
_NO = {"no", "n", "false", "0", "否", "不同意", ""}
# The language of the outcome message; empty means Chinese.
LANGUAGE_WORDS: dict[str, tuple[str, ...]] = {
    "zh": ("中文", "chinese"),
    "en": ("english", "英文"),
}
_LANGUAGES = {word: code for code, words in LANGUAGE_WORDS.items() for word in (code, *words)}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _word(value: str) -> str:
    return "_".join(value.strip().lower().replace("-", " ").split())


def _vocabulary(words: dict[Any, tuple[str, ...]]) -> dict[str, Any]:
    table = {}
    for member, aliases in words.items():
        for word in (member.value, *aliases):
            table[_word(word)] = member
    return table


_CHANNELS: dict[str, Channel] = _vocabulary(CHANNEL_WORDS)
_CATEGORIES: dict[str, ContributorCategory] = _vocabulary(CATEGORY_WORDS)


def parse_channel(value: str) -> Channel | None:
    return _CHANNELS.get(_word(value))


def parse_category(value: str) -> ContributorCategory | None:
    """Empty means a citizen, the usual case."""
    if not value.strip():
        return ContributorCategory.CITIZEN
    return _CATEGORIES.get(_word(value))


def parse_bool(value: str) -> bool | None:
    word = value.strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None


def parse_language(value: str) -> str | None:
    """zh or en, from the code or the language's name in either language."""
    word = value.strip().lower()
    return _LANGUAGES.get(word) if word else "zh"


def parse_date(value: Any) -> date | None:
    """A date cell, or text such as 2024-05-31, 2024/5/31, 2024.5.31 or 2024年5月31日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    match = _DATE.match(value.strip())
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


class Lookups:
    """Laws, versions, articles, offices and points by name, each loaded once per import."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._laws: dict[str, Law | None] = {}
        self._versions: dict[tuple[int, str], DraftVersion | None] = {}
        self._articles: dict[int, ArticleIndex] = {}
        self._offices: dict[str, Office | None] = {}
        self._points: dict[tuple[int, str], CollectionPoint | None] = {}

    def law(self, slug: str) -> Law | None:
        slug = slug.strip().lower()
        if slug not in self._laws:
            self._laws[slug] = self.session.scalar(select(Law).where(Law.slug == slug))
        return self._laws[slug]

    def version(self, law: Law, reference: str) -> DraftVersion | None:
        """By sequence number or label; empty means the latest published version."""
        key = (law.id, reference.strip())
        if key not in self._versions:
            query = select(DraftVersion).where(
                DraftVersion.law_id == law.id, DraftVersion.status == VersionStatus.PUBLISHED
            )
            ref = key[1]
            if ref.isdigit():
                query = query.where(DraftVersion.sequence == int(ref))
            elif ref:
                query = query.where(DraftVersion.label == ref)
            query = query.order_by(DraftVersion.sequence.desc()).limit(1)
            # With its law: what an API answer names the opinion's version by.
            query = query.options(joinedload(DraftVersion.law))
            self._versions[key] = self.session.scalar(query)
        return self._versions[key]

    def articles(self, version: DraftVersion) -> ArticleIndex:
        if version.id not in self._articles:
            rows = self.session.scalars(
                select(VersionArticle)
                .where(VersionArticle.version_id == version.id)
                .order_by(VersionArticle.position)
            ).all()
            self._articles[version.id] = ArticleIndex(rows)
        return self._articles[version.id]

    def office(self, slug: str) -> Office | None:
        slug = slug.strip().lower()
        if slug not in self._offices:
            self._offices[slug] = self.session.scalar(select(Office).where(Office.slug == slug))
        return self._offices[slug]

    def point(self, office: Office, slug: str) -> CollectionPoint | None:
        key = (office.id, slug.strip().lower())
        if key not in self._points:
            self._points[key] = self.session.scalar(
                select(CollectionPoint).where(
                    CollectionPoint.office_id == office.id, CollectionPoint.slug == key[1]
                )
            )
        return self._points[key]
