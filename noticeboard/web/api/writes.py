"""Write API for other systems, with a bearer token: record opinions (one, or a batch that
is saved all or nothing) and record decisions. The same services as the staff forms and
the import check and audit every write; errors name each field in ``details``."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from sqlalchemy.orm.exc import StaleDataError

from noticeboard.extensions import db
from noticeboard.models import Opinion, Outcome, ReasonCode, User
from noticeboard.services.accounts.scope import office_scope
from noticeboard.services.decisions.outcomes import DecisionInput, decide_opinion
from noticeboard.services.errors import (
    Conflict,
    NeedsConfirmation,
    PermissionDenied,
    ValidationFailed,
)
from noticeboard.services.imports.values import Lookups
from noticeboard.services.opinions.api_input import opinion_input
from noticeboard.services.opinions.queries import get_opinion
from noticeboard.services.opinions.receipts import format_receipt_code
from noticeboard.services.opinions.recording import (
    FieldErrors,
    OpinionInput,
    check_input,
    record_opinion,
    reference_problems,
)
from noticeboard.services.opinions.references import ReferenceLedger
from noticeboard.services.permissions import Permission, require
from noticeboard.web.api.http import N_, bp, json_response, token_user
from noticeboard.web.core.errors import translate_error

MAX_BATCH = 500
DECISION_FIELDS = frozenset(("outcome", "reason_code", "public_reason", "lock_version", "confirm"))


def _body() -> Any:
    body = request.get_json(silent=True)
    if body is None:
        raise ValidationFailed(N_("Send a JSON body (Content-Type: application/json)."))
    return body


def _fields(errors: FieldErrors) -> dict[str, str]:
    return {name: translate_error(error) for name, error in errors}


def _check(lookups: Lookups, user: User, item: Any) -> tuple[OpinionInput | None, FieldErrors]:
    """The opinion, or every problem with it: as read, then as the entry form checks it."""
    data, problems = opinion_input(lookups, item)
    if data is None:
        return None, problems
    problems = check_input(office_scope(db.session(), user), data.cleaned())
    problems = problems or reference_problems(db.session(), data)
    return (None, problems) if problems else (data, [])


def _created(opinion: Opinion) -> dict[str, Any]:
    # The receipt code goes back to the system that recorded the opinion, which hands
    # it to the contributor (as the staff form prints it on a slip); never in a public read.
    return {
        "id": opinion.id,
        "receipt_code": format_receipt_code(opinion.receipt_code),
        "law": opinion.version.law.slug,
        "version": opinion.version.sequence,
        "outcome": opinion.outcome.value,
        "lock_version": opinion.lock_version,
    }


@bp.post("/opinions")
def create_opinion() -> Response:
    user = token_user()
    require(user, Permission.RECORD_OPINIONS)
    data, problems = _check(Lookups(db.session()), user, _body())
    if data is None:
        first = problems[0][1]
        # A reference another opinion holds is a 409, as any clash with stored state.
        error_class = next(
            (kind for kind in (PermissionDenied, Conflict) if isinstance(first, kind)),
            ValidationFailed,
        )
        raise error_class(first.template, details={"fields": _fields(problems)}, **first.params)
    opinion = record_opinion(db.session(), user, data)
    body = _created(opinion)
    return json_response(body, status=201)


@bp.post("/opinions/batch")
def create_opinions() -> Response:
    """All or nothing: every row is checked first; one bad row saves none."""
    user = token_user()
    require(user, Permission.RECORD_OPINIONS)
    body = _body()
    items = body.get("opinions") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise ValidationFailed(N_('Send {"opinions": [...]} with at least one opinion.'))
    if len(items) > MAX_BATCH:
        raise ValidationFailed(
            N_("At most %(n)d opinions per batch."), details={"count": len(items)}, n=MAX_BATCH
        )
    lookups = Lookups(db.session())
    checked = [_check(lookups, user, item) for item in items]
    references = ReferenceLedger()  # the batch is saved at once: no reference twice in it
    for index, (data, _problems) in enumerate(checked):
        twice = data and references.note(data.version.law_id, data.reference, index + 1)
        if twice is not None:
            checked[index] = (None, [("reference", twice)])
    rows = [
        {"index": index, "fields": _fields(problems)}
        for index, (_data, problems) in enumerate(checked)
        if problems
    ]
    if rows:
        raise ValidationFailed(
            N_("%(n)d of the opinions need correcting; none was saved."),
            details={"rows": rows},
            n=len(rows),
        )
    created = [_created(record_opinion(db.session(), user, data)) for data, _ in checked if data]
    return json_response({"opinions": created, "count": len(created)}, status=201)


def _decision_input(body: Any) -> tuple[DecisionInput, int, bool]:
    if not isinstance(body, dict):
        raise ValidationFailed(N_("Send a JSON object."))
    errors: FieldErrors = [
        (name, ValidationFailed(N_("Unknown field.")))
        for name in sorted(set(body) - DECISION_FIELDS)
    ]
    outcome = body.get("outcome")
    if not isinstance(outcome, str) or outcome not in {
        o.value for o in Outcome if o is not Outcome.PENDING
    }:
        errors.append(("outcome", ValidationFailed(N_("Choose an outcome."))))
    reason = body.get("reason_code")
    if reason is not None and (
        not isinstance(reason, str) or reason not in {r.value for r in ReasonCode}
    ):
        errors.append(("reason_code", ValidationFailed(N_("Unknown reason code."))))
    public_reason = body.get("public_reason", "")
    if not isinstance(public_reason, str):
        errors.append(("public_reason", ValidationFailed(N_("Must be a string."))))
    lock_version = body.get("lock_version")
    if not isinstance(lock_version, int) or isinstance(lock_version, bool):
        errors.append(
            ("lock_version", ValidationFailed(N_("Send the opinion's lock_version as read.")))
        )
    confirm = body.get("confirm", False)
    if not isinstance(confirm, bool):
        errors.append(("confirm", ValidationFailed(N_("Must be true or false."))))
    if errors:
        first = errors[0][1]
        raise ValidationFailed(first.template, details={"fields": _fields(errors)})
    data = DecisionInput(
        outcome=Outcome(outcome),
        reason_code=ReasonCode(reason) if reason else None,
        public_reason=public_reason,
    )
    return data, lock_version, confirm


@bp.post("/opinions/<int:opinion_id>/decisions")
def create_decision(opinion_id: int) -> Response:
    user = token_user()
    require(user, Permission.DECIDE_OPINIONS)
    data, lock_version, confirm = _decision_input(_body())
    opinion = get_opinion(db.session(), user, opinion_id)
    try:
        decision = decide_opinion(
            db.session(), user, opinion, data, lock_version=lock_version, confirmed=confirm
        )
    except (Conflict, NeedsConfirmation) as exc:
        exc.details = exc.details | {"lock_version": opinion.lock_version}
        raise
    except StaleDataError:
        # Another request decided between our read and our write.
        raise Conflict(
            "Someone else decided or edited this opinion meanwhile. "
            "Reload the page to see their change, then decide again."
        ) from None
    body = {
        "decision": {
            "id": decision.id,
            "outcome": decision.outcome.value,
            "reason_code": decision.reason_code.value if decision.reason_code else None,
            "public_reason": decision.public_reason,
            "decided_at": decision.decided_at.isoformat().replace("+00:00", "Z"),
        },
        "opinion": {
            "id": opinion.id,
            "outcome": opinion.outcome.value,
            "lock_version": opinion.lock_version,
        },
    }
    return json_response(body, status=201)
