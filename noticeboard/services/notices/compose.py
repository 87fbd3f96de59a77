"""The notice as the contributor reads it, in their language: an e-mail in plain text
and HTML (the standard library's ``email`` package), or an SMS of at most 140 characters.

The templates (``templates/notices/``) are rendered by the app's ``render`` (the site's
Jinja environment, its translations and vocabulary) under the contributor's locale.
"""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from typing import Any

from noticeboard.services.notices.content import NoticeContent
from noticeboard.services.notices.settings import NoticeSettings
from noticeboard.services.opinions.receipts import format_receipt_code

SMS_LIMIT = 140


def links(settings: NoticeSettings, content: NoticeContent) -> dict[str, str]:
    base = settings.base_url.rstrip("/")
    return {
        # The fragment never reaches the server; the page fills the lookup form from it.
        "track_url": f"{base}/track#{format_receipt_code(content.receipt_code)}",
        "unsubscribe_url": f"{base}/notices/unsubscribe/{content.unsubscribe_token}",
    }


def message_id(settings: NoticeSettings, content: NoticeContent) -> str:
    domain = parseaddr(settings.sender)[1].rpartition("@")[2] or "noticeboard.invalid"
    return f"<{content.message_token}@{domain}>"


def _values(settings: NoticeSettings, content: NoticeContent, **more: Any) -> dict[str, Any]:
    return {
        "notice": content,
        "law": content.law(),
        "office": content.office(),
        "code": format_receipt_code(content.receipt_code),
        **links(settings, content),
        **more,
    }


def compose_email(
    settings: NoticeSettings, content: NoticeContent, sent_id: str | None
) -> EmailMessage:
    """The message; ``sent_id`` is the Message-ID an earlier attempt used, kept as is."""
    values = _values(settings, content)
    render = settings.render
    message = EmailMessage()
    message["Subject"] = " ".join(render("notices/subject.txt", values).split())
    message["From"] = settings.sender
    message["To"] = Address(addr_spec=content.contact)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = sent_id or message_id(settings, content)
    message["Auto-Submitted"] = "auto-generated"
    # One-click unsubscribe from the mail program itself (RFC 8058).
    message["List-Unsubscribe"] = f"<{values['unsubscribe_url']}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(render("notices/email.txt", values))
    message.add_alternative(render("notices/email.html", values), subtype="html")
    # After the parts: making the message multipart moves Content-* headers into them.
    message["Content-Language"] = "zh-Hans" if content.language == "zh" else "en"
    return message


def compose_sms(settings: NoticeSettings, content: NoticeContent) -> str:
    """The law, the article, the outcome and the link, in at most 140 characters: the law's
    title is shortened if it must be, never the link."""
    law = content.law()
    text = _sms(settings, content, law)
    while len(text) > SMS_LIMIT and law:
        law = law[: max(0, len(law) - (len(text) - SMS_LIMIT) - 1)]
        text = _sms(settings, content, law + "…" if law else "")
    return text[:SMS_LIMIT]


def _sms(settings: NoticeSettings, content: NoticeContent, law: str) -> str:
    rendered = settings.render("notices/sms.txt", _values(settings, content, law=law))
    return " ".join(rendered.split())
