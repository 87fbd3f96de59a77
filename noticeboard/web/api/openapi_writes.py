"""The write half of the OpenAPI document: request and response bodies, and operations,
of the endpoints that take an API token."""

from __future__ import annotations

from typing import Any

from noticeboard.models import Channel, ContributorCategory, Outcome, ReasonCode
from noticeboard.web.api.openapi_schemas import (
    COUNT,
    INTEGER,
    MOMENT,
    STRING,
    Schema,
    array,
    enum,
    nullable,
    obj,
    ref,
)

WRITE_SCHEMAS: dict[str, Schema] = {
    "OpinionInput": obj(
        {
            "law": {"type": "string", "description": "The law's slug."},
            "version": {
                "type": ["integer", "string"],
                "description": "Sequence number or label; the latest published when omitted.",
            },
            "articles": {
                "type": ["array", "string"],
                "items": STRING,
                "description": "Article labels (第十二条, Article 12) or numbers (12, 12-1).",
            },
            "office": {"type": "string", "description": "Office slug; office staff must give one."},
            "collection_point": STRING,
            "channel": {
                "type": "string",
                "description": "One of "
                + ", ".join(c.value for c in Channel)
                + " (or the import's Chinese words).",
            },
            "received_on": {"type": "string", "examples": ["2024-05-31"]},
            "contributor_name": STRING,
            "contributor_category": {
                "type": "string",
                "description": "One of " + ", ".join(c.value for c in ContributorCategory) + ".",
            },
            "name_public": {
                "type": "boolean",
                "description": "The contributor agreed to be named.",
            },
            "contact": {
                "type": "string",
                "description": "An e-mail address or a mobile number (numbers without a "
                "country code are read as Chinese ones), stored in normal form; without "
                "`notify`, any contact given, but one with an @ must be a valid address. "
                "Never shown; erased once decided, or with `notify` once the outcome "
                "message is sent.",
            },
            "notify": {
                "type": "boolean",
                "default": False,
                "description": "The contributor agreed to be told the outcome at `contact`, "
                "which must then be an e-mail address or a mobile number. Never assumed.",
            },
            "language": {
                "type": "string",
                "enum": ["zh", "en"],
                "default": "zh",
                "description": "The language of the outcome message.",
            },
            "text": {"type": "string", "description": "The opinion as given."},
            "summary": {"type": "string", "description": "Staff's public summary."},
            "reference": {
                "type": ["string", "null"],
                "maxLength": 64,
                "description": "The sender's own number for the opinion (a letter's registry "
                "number, a message id); trimmed, unique per law. A reference another opinion "
                "of the law holds is refused with 409 conflict.",
            },
        },
        required=["law", "channel", "received_on", "text"],
        additionalProperties=False,
    ),
    "OpinionCreated": obj(
        {
            "id": INTEGER,
            "receipt_code": {
                "type": "string",
                "pattern": "^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$",
                "description": "Give it to the contributor: it is their private key to /track.",
            },
            "law": STRING,
            "version": INTEGER,
            "outcome": enum(Outcome),
            "lock_version": INTEGER,
        }
    ),
    "OpinionBatch": obj(
        {"opinions": {**array(ref("OpinionInput")), "minItems": 1, "maxItems": 500}},
        additionalProperties=False,
    ),
    "OpinionBatchCreated": obj({"opinions": array(ref("OpinionCreated")), "count": COUNT}),
    "DecisionInput": obj(
        {
            "outcome": enum([o for o in Outcome if o is not Outcome.PENDING]),
            "reason_code": nullable(enum(ReasonCode, "Required when not adopted.")),
            "public_reason": {"type": "string", "maxLength": 4000},
            "lock_version": {"type": "integer", "description": "The opinion's, as last read."},
            "confirm": {
                "type": "boolean",
                "description": "Confirm 'not adopted' on an opinion linked to a change.",
            },
        },
        required=["outcome", "lock_version"],
        additionalProperties=False,
    ),
    "DecisionCreated": obj(
        {
            "decision": obj(
                {
                    "id": INTEGER,
                    "outcome": enum(Outcome),
                    "reason_code": nullable(enum(ReasonCode)),
                    "public_reason": STRING,
                    "decided_at": MOMENT,
                }
            ),
            "opinion": obj({"id": INTEGER, "outcome": enum(Outcome), "lock_version": INTEGER}),
        }
    ),
}


def _write(
    op_id: str, summary: str, body: str, created: str, *, errors: tuple[str, ...], description: str
) -> dict[str, Any]:
    codes = {
        "Unauthorized": "401",
        "Forbidden": "403",
        "NotFound": "404",
        "Conflict": "409",
        "Unprocessable": "422",
        "TooManyRequests": "429",
    }
    responses: dict[str, Any] = {
        "201": {
            "description": "Recorded.",
            "content": {"application/json": {"schema": ref(created)}},
        }
    }
    for name in errors:
        responses[codes[name]] = {"$ref": f"#/components/responses/{name}"}
    return {
        "post": {
            "operationId": op_id,
            "tags": ["Recording (API token)"],
            "summary": summary,
            "description": description,
            "security": [{"bearerAuth": []}],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": ref(body)}},
            },
            "responses": responses,
        }
    }


COMMON = ("Unauthorized", "Forbidden", "Unprocessable", "TooManyRequests")
WRITE_PATHS: dict[str, Any] = {
    "/opinions": _write(
        "recordOpinion",
        "Record one opinion",
        "OpinionInput",
        "OpinionCreated",
        errors=(*COMMON[:2], "Conflict", *COMMON[2:]),
        description="Checked as the staff entry form checks it; office staff record for "
        "their office and those below it. `details.fields` names each problem. A "
        "`reference` that another opinion of the law holds is a 409. Audited.",
    ),
    "/opinions/batch": _write(
        "recordOpinions",
        "Record up to 500 opinions, all or nothing",
        "OpinionBatch",
        "OpinionBatchCreated",
        errors=COMMON,
        description="Every opinion is checked before any is saved; one problem saves none, "
        "and `details.rows` lists `{index, fields}` for each opinion to correct.",
    ),
    "/opinions/{opinion_id}/decisions": {
        **_write(
            "decideOpinion",
            "Record a decision on an opinion (commission and admin tokens)",
            "DecisionInput",
            "DecisionCreated",
            errors=(*COMMON[:2], "NotFound", "Conflict", *COMMON[2:]),
            description="`lock_version` is the opinion's as last read (GET /opinions/{id}); if "
            "it changed meanwhile the answer is 409 with the current one in `details`. "
            "'not_adopted' on an opinion linked to a change needs `confirm: true` (else 409 "
            "`needs_confirmation`). Not adopted needs a `reason_code`; `other` needs a "
            "`public_reason`.",
        )
    },
}
WRITE_PATHS["/opinions/{opinion_id}/decisions"]["post"]["parameters"] = [
    {
        "name": "opinion_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
]
