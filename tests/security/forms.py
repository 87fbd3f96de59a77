"""Read the forms of a page as a browser would, and fill them in: each field in turn with
a hostile value, the others with ordinary ones, so the hostile value gets as far as it can.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

# What must never reach a page unescaped: if either appears raw, a script would run.
RAW_MARKUP = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
_serial = itertools.count(1)


@dataclass
class Field:
    name: str
    kind: str  # input type, "textarea" or "select"
    value: str = ""
    options: list[str] = field(default_factory=list)
    checked: bool = False

    @property
    def typed(self) -> bool:
        """A field a person types into."""
        return self.kind in ("text", "textarea", "email", "search", "url", "tel", "")


@dataclass
class Form:
    action: str
    method: str
    multipart: bool
    fields: list[Field] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons

    def typed_fields(self) -> list[Field]:
        return [f for f in self.fields if f.typed]

    def fill(self, target: str | None, value: Any) -> dict[str, Any]:
        """Every field with an ordinary value, and ``target`` with ``value``."""
        data: dict[str, Any] = {}
        for item in self.fields:
            if item.name == target:
                data[item.name] = value
            elif item.kind in ("checkbox", "radio"):
                if item.checked:
                    data[item.name] = item.value or "y"
            elif item.kind == "file":
                continue
            else:
                data[item.name] = ordinary(item)
        if self.buttons:
            # The button that saves, rather than one that only previews.
            saving = [b for b in self.buttons if b[1] != "preview"] or self.buttons
            name, button_value = saving[0]
            data.setdefault(name, button_value)
        return data


def ordinary(item: Field) -> str:
    """A value a careful clerk would type."""
    if item.value or item.kind == "hidden":
        return item.value
    if item.kind == "select":  # what a browser sends when nothing is chosen
        return item.options[0] if item.options else ""
    n = next(_serial)
    name = item.name.lower()
    if name == "website":  # the comment form's honeypot: people leave it empty
        return ""
    if item.kind == "email" or "email" in name:
        return f"careful{n}@example.org"
    if item.kind == "password" or "password" in name:
        return "a long enough password 123"
    if item.kind == "date":
        return "2024-05-06"
    if item.kind == "number":
        return "1"
    if "slug" in name:
        return f"careful-{n}"
    if name == "articles":
        return "1"
    if item.kind == "textarea":
        return "第一条 为了保护未成年人，制定本法。\n"
    return f"正常的内容{n}"


class _FormParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(
                action=a.get("action") or self.page_url,
                method=(a.get("method") or "get").upper(),
                multipart=a.get("enctype") == "multipart/form-data",
            )
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image"):
                form.buttons.append((name, a.get("value", "")))
            elif kind != "reset":
                form.fields.append(Field(name, kind, a.get("value", ""), checked="checked" in a))
        elif tag == "button" and name and a.get("type", "submit") == "submit":
            form.buttons.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = Field(name, "textarea")
            form.fields.append(self._textarea)
        elif tag == "select" and name:
            self._select = Field(name, "select")
            form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select.options.append(value)
            if "selected" in a:
                self._select.value = value

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None:
                # HTML drops one line break right after <textarea>.
                value = self._textarea.value
                self._textarea.value = (
                    value[2:] if value.startswith("\r\n") else value.removeprefix("\n")
                )
            self._textarea = None


def forms_on(html: str, page_url: str) -> list[Form]:
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms


def raw_markup_in(body: str) -> list[str]:
    return [marker for marker in RAW_MARKUP if marker in body]


def post_form(client: Any, url: str, fields: dict[str, Any], multipart: bool) -> Any:
    """POST ``fields`` as a browser would; a ``(stream, filename)`` value is a file.

    Multipart bodies are encoded here, in memory: werkzeug's test client spools a body
    over 500 kB to a temporary file that it never closes."""
    if not multipart:
        return client.post(url, data=fields)
    values = MultiDict()
    for name, value in fields.items():
        if isinstance(value, tuple):
            stream, filename = value
            value = FileStorage(stream, filename=filename, name=name)
        values.add(name, value)
    boundary, body = encode_multipart(values)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")
