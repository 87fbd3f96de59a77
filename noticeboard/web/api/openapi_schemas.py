"""The OpenAPI document's component schemas (JSON Schema 2020-12, as OpenAPI 3.1 has it).

Kept beside the code that produces each shape; ``tests/web/test_api_schema.py`` runs
schemathesis against the whole document, so a drift between the two fails the suite.
"""

from __future__ import annotations

from typing import Any

from noticeboard.models import ChangeKind, Channel, ContributorCategory, Outcome, ReasonCode

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(
    properties: dict[str, Schema], *, required: list[str] | None = None, **extra: Any
) -> Schema:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        **extra,
    }


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


STRING: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
COUNT: Schema = {"type": "integer", "minimum": 0}
BOOLEAN: Schema = {"type": "boolean"}
MOMENT: Schema = {"type": "string", "format": "date-time"}
DAY: Schema = {"type": "string", "format": "date"}


def enum(values: Any, description: str = "") -> Schema:
    schema: Schema = {"type": "string", "enum": [v.value for v in values]}
    if description:
        schema["description"] = description
    return schema


DIFF: Schema = array(
    {
        "type": "array",
        "prefixItems": [{"type": "integer", "enum": [-1, 0, 1]}, STRING],
        "minItems": 2,
        "maxItems": 2,
        "description": "[op, text]: -1 deleted, 0 equal, 1 inserted",
    }
)

VERSION: Schema = obj(
    {
        "sequence": {"type": "integer", "minimum": 1},
        "label": STRING,
        "published_at": nullable(MOMENT),
        "is_adopted_text": BOOLEAN,
        "comment_opens_at": nullable(MOMENT),
        "comment_closes_at": nullable(MOMENT),
        "articles": COUNT,
    }
)
LAW_FIELDS: dict[str, Schema] = {
    "slug": STRING,
    "title": STRING,
    "title_en": nullable(STRING),
    "summary": STRING,
    "status": {"type": "string", "enum": ["drafting", "consultation", "adopted"]},
}
ENGINE_CHANGE: dict[str, Schema] = {
    "kind": enum(ChangeKind),
    "old": array(STRING),
    "new": array(STRING),
    "similarity": nullable({"type": "number", "minimum": 0, "maximum": 1}),
    "diff": DIFF,
    "reference_only": {"type": "boolean", "const": True},
}
ENGINE_REQUIRED = ["kind", "old", "new", "similarity"]
CREDIT: Schema = obj({"id": INTEGER, "degree": {"type": "string", "enum": ["full", "partial"]}})

OPINION_FIELDS: dict[str, Schema] = {
    "id": INTEGER,
    "law": STRING,
    "version": INTEGER,
    "articles": array(obj({"key": STRING, "label": STRING})),
    "office": nullable(STRING),
    "channel": enum(Channel),
    "contributor": obj(
        {
            "name": nullable(
                {"type": "string", "description": "Only when the contributor agreed to it."}
            ),
            "category": enum(ContributorCategory),
        }
    ),
    "received_on": DAY,
    "summary": {"type": "string", "description": "Staff's public summary of the opinion."},
    "reference": nullable(
        {"type": "string", "description": "The sender's own number for the opinion."}
    ),
    "outcome": enum(Outcome),
    "decided_at": nullable(MOMENT),
    "reason_code": nullable(enum(ReasonCode)),
    "public_reason": STRING,
    "changes": array(CREDIT),
    "lock_version": {
        "type": "integer",
        "description": "Send it back with a decision; a stale value gets 409.",
    },
}


def page_of(item: str) -> Schema:
    return obj(
        {
            "items": array(ref(item)),
            "total": COUNT,
            "next_cursor": nullable(
                {"type": "string", "description": "Pass as `cursor` for the next page."}
            ),
        }
    )


SCHEMAS: dict[str, Schema] = {
    "Error": obj(
        {
            "error": obj(
                {
                    "code": {"type": "string", "examples": ["not_found", "validation_failed"]},
                    "message": {"type": "string", "description": "In the request's language."},
                    "details": {
                        "type": "object",
                        "description": "For input errors: `fields` (field -> message), "
                        "`rows` (batch: index and fields), or `parameter`.",
                    },
                },
                required=["code", "message"],
            )
        }
    ),
    "Index": obj({"name": STRING, "version": STRING}),
    "Version": VERSION,
    "Law": obj(LAW_FIELDS | {"versions": array(ref("Version"))}),
    "LawList": obj({"items": array(ref("Law"))}),
    "LawDetail": obj(
        LAW_FIELDS
        | {
            "versions": array(
                {
                    "allOf": [
                        ref("Version"),
                        obj(
                            {
                                "changes": nullable(
                                    {"type": "object", "additionalProperties": COUNT}
                                ),
                                "opinions": COUNT,
                                "adopted": COUNT,
                            }
                        ),
                    ]
                }
            )
        }
    ),
    "Article": obj(
        {
            "key": {"type": "string", "description": "Stable across versions."},
            "label": STRING,
            "number": STRING,
            "position": COUNT,
            "chapter": array(STRING),
            "text": STRING,
        }
    ),
    "VersionDetail": {
        "allOf": [
            ref("Version"),
            obj({"law": STRING, "preamble": STRING, "article_list": array(ref("Article"))}),
        ]
    },
    # id is null for two versions not neighbours among the published ones (not stored).
    "ComparisonChange": obj(
        ENGINE_CHANGE | {"id": nullable(INTEGER)}, required=[*ENGINE_REQUIRED, "id"]
    ),
    "Comparison": obj(
        {
            "law": STRING,
            "from": ref("Version"),
            "to": ref("Version"),
            "old": obj({"articles": COUNT}),
            "new": obj({"articles": COUNT}),
            "changes": array(ref("ComparisonChange")),
        }
    ),
    "Change": obj(
        {
            "id": INTEGER,
            "law": STRING,
            "from": INTEGER,
            "to": INTEGER,
            "key": nullable(STRING),
            **ENGINE_CHANGE,
            "opinions": array(CREDIT),
        },
        required=["id", "law", "from", "to", "key", *ENGINE_REQUIRED, "opinions"],
    ),
    "ChangePage": page_of("Change"),
    "ChangeDetail": {
        "allOf": [
            ref("Change"),
            obj(
                {
                    "old_text": STRING,
                    "new_text": STRING,
                    "opinions": array(
                        {"allOf": [ref("Opinion"), obj({"degree": CREDIT["properties"]["degree"]})]}
                    ),
                }
            ),
        ]
    },
    "Opinion": obj(OPINION_FIELDS),
    "OpinionPage": page_of("Opinion"),
    "OfficeListItem": obj(
        {
            "slug": STRING,
            "name": STRING,
            "name_en": nullable(STRING),
            "tier": {"type": "string", "enum": ["national", "provincial", "prefecture"]},
            "region": STRING,
            "active": BOOLEAN,
            "parent": nullable(STRING),
            "opinions": COUNT,
            "adopted": COUNT,
        }
    ),
    "OfficeList": obj({"items": array(ref("OfficeListItem"))}),
    "OfficeDetail": obj(
        {
            "slug": STRING,
            "name": STRING,
            "name_en": nullable(STRING),
            "tier": {"type": "string", "enum": ["national", "provincial", "prefecture"]},
            "region": STRING,
            "active": BOOLEAN,
            "parent": nullable(STRING),
            "children": array(STRING),
            "collection_points": array(
                obj(
                    {"slug": STRING, "name": STRING, "name_en": nullable(STRING), "address": STRING}
                )
            ),
            "counters": obj({"laws": COUNT, "opinions": COUNT, "adopted": COUNT}),
            "laws": array(
                obj(
                    {
                        "slug": STRING,
                        "title": STRING,
                        "title_en": nullable(STRING),
                        "opinions": COUNT,
                        "decided": COUNT,
                        "adopted": COUNT,
                    }
                )
            ),
        }
    ),
    "Stats": obj(
        {
            "opinions": COUNT,
            "outcomes": {"type": "object", "additionalProperties": COUNT},
            "channels": {"type": "object", "additionalProperties": COUNT},
            "laws": array(
                obj({"slug": STRING, "title": STRING, "opinions": COUNT, "adopted": COUNT})
            ),
            "offices": array(obj({"slug": nullable(STRING), "opinions": COUNT})),
            "adoption": array(
                obj(
                    {
                        "period": {"type": "string", "examples": ["2024-05", "2024-Q2", "2024"]},
                        "unit": {"type": "string", "enum": ["month", "quarter", "year"]},
                        "decided": COUNT,
                        "adopted": COUNT,
                    }
                )
            ),
        }
    ),
    "Board": obj(
        {
            "office": obj({"slug": STRING, "name": STRING}),
            "generated_at": MOMENT,
            "counters": obj({"laws": COUNT, "opinions": COUNT, "adopted": COUNT}),
            "items": array(
                obj(
                    {
                        "law": STRING,
                        "article": STRING,
                        "outcome": {"type": "string", "enum": ["adopted", "partially_adopted"]},
                        "summary": STRING,
                        "contributor": STRING,
                        "decided_at": nullable(MOMENT),
                        "url": STRING,
                        "diff": DIFF,
                    }
                )
            ),
            "open_consultations": array(
                obj({"law": STRING, "until": nullable(MOMENT), "url": STRING})
            ),
        }
    ),
}
