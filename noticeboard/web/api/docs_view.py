"""The OpenAPI document made readable: operations grouped by tag, and each schema as a
table of fields. A few inline marks of the descriptions (`code`, **bold**) become HTML;
everything else is escaped."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")
_EM = re.compile(r"(?<![*\w])\*([^*]+)\*(?![*\w])")


def prose(text: str) -> Markup:
    """Paragraphs with `code`, **bold** and *italics*; the rest escaped."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        html = str(escape(" ".join(block.split())))
        html = _CODE.sub(r"<code>\1</code>", html)
        html = _BOLD.sub(r"<strong>\1</strong>", html)
        html = _EM.sub(r"<em>\1</em>", html)
        paragraphs.append(f"<p>{html}</p>")
    return Markup("\n".join(paragraphs))  # noqa: S704 - built from escaped text


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[dict[str, Any]]
    body: str | None
    responses: list[tuple[str, str, str | None]]
    secured: bool

    @property
    def anchor(self) -> str:
        return self.method + "-" + re.sub(r"[^a-z0-9]+", "-", self.path.lower()).strip("-")


@dataclass
class Group:
    name: str
    description: str
    operations: list[Operation] = field(default_factory=list)


def _resolve(document: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in item:
        _, section, kind, name = item["$ref"].split("/")
        item = document[section][kind][name]
    return item


def _schema_name(content: dict[str, Any] | None) -> str | None:
    if not content:
        return None
    schema = next(iter(content.values())).get("schema", {})
    ref = schema.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else None


def type_name(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(type_name(s) for s in schema["anyOf"])
    if "allOf" in schema:
        return " + ".join(type_name(s) for s in schema["allOf"])
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = " | ".join(kind)
    if kind == "array" and "items" in schema:
        return f"[{type_name(schema['items'])}]"
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    return str(kind)


def operations(document: dict[str, Any]) -> list[Group]:
    groups = {t["name"]: Group(t["name"], t.get("description", "")) for t in document["tags"]}
    for path, item in document["paths"].items():
        for method, op in item.items():
            parameters = [_resolve(document, p) for p in op.get("parameters", [])]
            responses = []
            for code, response in op["responses"].items():
                response = _resolve(document, response)
                name = _schema_name(response.get("content"))
                responses.append((code, response["description"], name))
            body = op.get("requestBody", {}).get("content")
            groups[op["tags"][0]].operations.append(
                Operation(
                    method=method.upper(),
                    path="/api/v1" + path,
                    summary=op["summary"],
                    description=op.get("description", ""),
                    parameters=parameters,
                    body=_schema_name(body),
                    responses=responses,
                    secured=bool(op.get("security")),
                )
            )
    return [g for g in groups.values() if g.operations]


def schema_rows(document: dict[str, Any], name: str) -> list[tuple[str, str, bool, str]]:
    """(field, type, required, description) of a named schema; allOf parts merged."""
    schema = document["components"]["schemas"][name]
    parts = schema.get("allOf", [schema])
    rows: list[tuple[str, str, bool, str]] = []
    for part in parts:
        label = part["$ref"].rsplit("/", 1)[-1] if "$ref" in part else None
        part = _resolve(document, part)
        if label is not None:
            rows.append((f"… {label}", "", False, ""))
            continue
        required = set(part.get("required", []))
        for key, value in part.get("properties", {}).items():
            description = value.get("description", "")
            rows.append((key, type_name(value), key in required, description))
    return rows
