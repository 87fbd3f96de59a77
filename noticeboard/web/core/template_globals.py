"""Every function templates call by name, registered once on the app.

One place, so that two registrations can never overwrite each other: when each area
registered its own ``tier_name``, the last one won and public pages showed staff words.
"""

from __future__ import annotations

from flask import Flask

from noticeboard.models import utcnow
from noticeboard.services.opinions.receipts import format_receipt_code
from noticeboard.services.public.boards import trim_ops
from noticeboard.web.core.names import contributor_text, law_title, localized, office_name
from noticeboard.web.core.vocabulary import public_label, staff_label


def register_template_globals(app: Flask) -> None:
    for function in (
        public_label,
        staff_label,
        law_title,
        office_name,
        contributor_text,
        localized,
        trim_ops,
    ):
        app.add_template_global(function)
    app.add_template_global(utcnow, "now")
    app.add_template_global(format_receipt_code, "receipt_code")
