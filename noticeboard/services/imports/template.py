"""The downloadable import templates: the columns, an example row, and (in the
workbook) a second sheet that explains each column and its accepted words."""

from __future__ import annotations

import csv
import io
from typing import Any

from noticeboard.models import Channel, ContributorCategory
from noticeboard.services.imports.values import (
    CATEGORY_WORDS,
    CHANNEL_WORDS,
    COLUMNS,
    LANGUAGE_WORDS,
    REQUIRED,
)

EXAMPLE = {
    "law": "minors-protection-law",
    "version": "",
    "articles": "第一百一十八条",
    "office": "hongqiao",
    "collection_point": "",
    "channel": "school",
    "received_on": "2024-05-06",
    "contributor_name": "",
    "contributor_category": "student",
    "name_public": "no",
    "contact": "",
    "notify": "no",
    "language": "",
    "text": "建议删除监护人缴纳保证金的规定。",
    "summary": "删除保证金的规定",
    "reference": "",  # optional; an example number would clash when imported twice
}

HELP = {
    "law": "Law slug, e.g. minors-protection-law (or choose the law when importing)",
    "version": "Version number (1, 2, …) or name; empty: the latest published version",
    "articles": "Article labels or numbers separated by commas: 第十二条, 14; empty: whole draft",
    "office": "Office slug, e.g. hongqiao; empty only for online submissions",
    "collection_point": "Collection point slug within the office; optional",
    "channel": "One of: " + ", ".join(c.value for c in Channel),
    "received_on": "Date the opinion came in: 2024-05-31",
    "contributor_name": "Optional",
    "contributor_category": "One of: " + ", ".join(c.value for c in ContributorCategory),
    "name_public": "yes if the contributor agreed to show the name; default no",
    "contact": "Phone or email; never shown, erased once the opinion is decided "
    "(with notify: once the outcome message is sent)",
    "notify": "yes to send the outcome to the contact (the contributor agreed); default no. "
    "The contact must then be an e-mail address or a mobile number",
    "language": "Language of that message: zh or en; empty: zh",
    "text": "The opinion as given",
    "summary": "A line for the public noticeboards; optional",
    "reference": "Your own number for the opinion (a letter's registry number); "
    "at most 64 characters, unique per law; optional",
}


def template_csv() -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs open the Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(list(COLUMNS))
    writer.writerow([EXAMPLE[name] for name in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "opinions"
    sheet.append(list(COLUMNS))
    sheet.append([EXAMPLE[name] for name in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 18
    help_sheet = book.create_sheet("help")
    help_sheet.append(["column", "also accepted as", "required", "meaning", "words accepted"])
    words: dict[str, dict[Any, tuple[str, ...]]] = {
        "channel": dict(CHANNEL_WORDS),
        "contributor_category": dict(CATEGORY_WORDS),
        "language": dict(LANGUAGE_WORDS),
    }
    for name, aliases in COLUMNS.items():
        accepted = words.get(name, {})
        help_sheet.append(
            [
                name,
                ", ".join(aliases),
                "yes" if name in REQUIRED else "",
                HELP[name],
                "; ".join(f"{key}: {', '.join(vals)}" for key, vals in accepted.items()),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
