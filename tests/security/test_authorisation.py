"""Every staff route and every API write, as anonymous, office, commission and admin.

The table below says what each role gets; a route under /staff (or a non-GET route
under /api/v1) that is not in the table fails the suite, so no route ships without a
decided access rule. SQLite only: access rules do not depend on the database engine.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.routing import Rule

from tests.security import world as world_module
from tests.security.world import ROLES

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

LOGIN = "login"  # 302 to the login page, with ?next=
UNAUTHORIZED = 401  # JSON error with a Bearer challenge
FORBIDDEN = 403
HIDDEN = 404  # outside the account's scope: as if it did not exist
OK = "ok"  # past every check: a page, a redirect (not to login), or a 409/422 on the input
ALLOWED_STATUSES = {200, 201, 302, 303, 409, 422}
SIGN_OUT = ("staff.sign_out_everywhere", "staff.logout")  # walked last: they end the session

# (endpoint, method): what (anonymous, office of Hongqiao, commission, admin) get.
# Values come from tests/security/world.py: the opinion is in Hongqiao, the import job
# belongs to the office account, the token to the admin, the office is a spare one.
EXPECTED: dict[tuple[str, str], tuple[object, object, object, object]] = {
    # sign-in: open to all; signing out needs no account
    ("staff.login", "GET"): (OK, OK, OK, OK),
    ("staff.login", "POST"): (OK, OK, OK, OK),
    ("staff.logout", "POST"): (OK, OK, OK, OK),
    ("staff.sign_out_everywhere", "POST"): (LOGIN, OK, OK, OK),
    ("staff.dashboard", "GET"): (LOGIN, OK, OK, OK),
    ("staff.boards.index", "GET"): (LOGIN, OK, OK, OK),
    # API tokens: everyone manages their own; only admins touch another's
    ("staff.tokens.index", "GET"): (LOGIN, OK, OK, OK),
    ("staff.tokens.create", "POST"): (LOGIN, OK, OK, OK),
    ("staff.tokens.revoke", "POST"): (LOGIN, HIDDEN, HIDDEN, OK),
    # laws and versions: the commission and admins; creating a law: admins
    ("staff.laws.index", "GET"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.laws.create", "POST"): (LOGIN, FORBIDDEN, FORBIDDEN, OK),
    ("staff.laws.show", "GET"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.laws.recompute", "POST"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.laws.preview", "POST"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.laws.save", "POST"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.laws.publish", "POST"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.laws.withdraw", "POST"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.laws.adopt", "POST"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.laws.window", "POST"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.laws.completeness", "GET"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.alignment.show", "GET"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.alignment.correct", "POST"): (LOGIN, FORBIDDEN, OK, OK),
    # decisions, links and reports: the commission and admins
    ("staff.reports.show", "GET"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.reports.xlsx", "GET"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.decisions.change", "GET"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.decisions.link", "POST"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.decisions.unlink", "POST"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.decisions.editorial", "POST"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.decisions.decide_group", "POST"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.decisions.opinion", "GET"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.decisions.decide", "POST"): (LOGIN, FORBIDDEN, OK, OK),
    # bulk triage: the commission's work, as the decisions above
    ("staff.triage.cluster", "GET"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.triage.take_out", "POST"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.triage.link_matched_opinions", "POST"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.triage.link_cluster_opinions", "POST"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.triage.decide_linked_opinions", "POST"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.triage.decide_whole_cluster", "POST"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.triage.undo_bulk_action", "POST"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.triage.queue", "GET"): (LOGIN, FORBIDDEN, OK, OK),
    ("staff.triage.answer_no_change", "POST"): (LOGIN, FORBIDDEN, OK, OK),
    # the office's report upward: an office account reads its own office's
    ("staff.triage.office_report", "GET"): (LOGIN, OK, OK, OK),
    ("staff.triage.office_report_xlsx", "GET"): (LOGIN, OK, OK, OK),
    ("staff.triage.office_report_docx", "GET"): (LOGIN, OK, OK, OK),
    # opinions: every role records, office staff within their subtree
    ("staff.opinions.index", "GET"): (LOGIN, OK, OK, OK),
    ("staff.opinion_list.export_csv", "GET"): (LOGIN, OK, OK, OK),
    ("staff.opinion_list.export_xlsx", "GET"): (LOGIN, OK, OK, OK),
    ("staff.opinions.new", "GET"): (LOGIN, OK, OK, OK),
    ("staff.opinions.new", "POST"): (LOGIN, OK, OK, OK),
    ("staff.opinions.show", "GET"): (LOGIN, OK, OK, OK),
    ("staff.opinions.receipt", "GET"): (LOGIN, OK, OK, OK),
    ("staff.opinions.withdraw_consent", "POST"): (LOGIN, OK, OK, OK),
    ("staff.opinions.erase", "POST"): (LOGIN, OK, OK, OK),
    ("staff.imports.start", "GET"): (LOGIN, OK, OK, OK),
    ("staff.imports.upload", "POST"): (LOGIN, OK, OK, OK),
    ("staff.imports.template_as_csv", "GET"): (LOGIN, OK, OK, OK),
    ("staff.imports.template_as_xlsx", "GET"): (LOGIN, OK, OK, OK),
    # an import job: whoever started it, and admins
    ("staff.imports.job", "GET"): (LOGIN, OK, HIDDEN, OK),
    ("staff.imports.status", "GET"): (LOGIN, OK, HIDDEN, OK),
    # jobs: every role sees its own and the system's (admins all); a retry likewise
    ("staff.jobs.index", "GET"): (LOGIN, OK, OK, OK),
    ("staff.jobs.retry", "POST"): (LOGIN, OK, HIDDEN, OK),
    # outcome notices: those who decide, as the decisions that write them
    ("staff.notices.index", "GET"): (LOGIN, FORBIDDEN, OK, OK),
    # offices and accounts: admins
    ("staff.offices.offices", "GET"): (LOGIN, FORBIDDEN, FORBIDDEN, OK),
    ("staff.offices.create", "POST"): (LOGIN, FORBIDDEN, FORBIDDEN, OK),
    ("staff.offices.office", "GET"): (LOGIN, FORBIDDEN, FORBIDDEN, OK),
    ("staff.offices.toggle_office", "POST"): (LOGIN, FORBIDDEN, FORBIDDEN, OK),
    ("staff.offices.create_point", "POST"): (LOGIN, FORBIDDEN, FORBIDDEN, OK),
    ("staff.offices.toggle_point", "POST"): (LOGIN, FORBIDDEN, FORBIDDEN, OK),
    ("staff.offices.accounts", "GET"): (LOGIN, FORBIDDEN, FORBIDDEN, OK),
    ("staff.offices.create_account", "POST"): (LOGIN, FORBIDDEN, FORBIDDEN, OK),
    ("staff.offices.toggle_account", "POST"): (LOGIN, FORBIDDEN, FORBIDDEN, OK),
    # API writes, with each role's bearer token (anonymous: none)
    ("api.create_opinion", "POST"): (UNAUTHORIZED, OK, OK, OK),
    ("api.create_opinions", "POST"): (UNAUTHORIZED, OK, OK, OK),
    ("api.create_decision", "POST"): (UNAUTHORIZED, FORBIDDEN, OK, OK),
}


def walked_routes(app: Flask) -> list[tuple[Rule, str]]:
    """Every (rule, method) the matrix must cover; signing out comes last."""
    routes = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            staff = rule.rule == "/staff" or rule.rule.startswith("/staff/")
            api_write = rule.rule.startswith("/api/v1/") and method != "GET"
            if staff or api_write:
                routes.append((rule, method))

    def order(route: tuple[Rule, str]) -> tuple[int, str, str]:
        rule, method = route
        last = SIGN_OUT.index(rule.endpoint) if rule.endpoint in SIGN_OUT else -1
        return last, method, rule.rule

    return sorted(routes, key=order)


def uncovered(routes: list[tuple[Rule, str]]) -> list[str]:
    """Routes missing from the table, and table rows for routes that are gone."""
    seen = {(rule.endpoint, method) for rule, method in routes}
    problems = [
        f"new route without an expectation: {method} {rule.rule} ({rule.endpoint}); "
        "add it to EXPECTED in tests/security/test_authorisation.py"
        for rule, method in routes
        if (rule.endpoint, method) not in EXPECTED
    ]
    problems += [
        f"expectation for a route that no longer exists: {method} {endpoint}"
        for endpoint, method in EXPECTED
        if (endpoint, method) not in seen
    ]
    return problems


def is_api(rule: Rule) -> bool:
    return rule.rule.startswith("/api/")


def request_as(
    client: FlaskClient, rule: Rule, method: str, url: str, token: str | None
) -> tuple[int, str]:
    if is_api(rule):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = client.open(url, method=method, json={}, headers=headers)
    else:
        response = client.open(url, method=method, data={})
    return response.status_code, response.headers.get("Location", "")


def verdict(expected: object, status: int, location: str) -> str | None:
    """None when the answer matches the expectation, else what went wrong."""
    # login_required's answer: to the login page, with the way back in ?next=
    goes_to_login = status == 302 and urlsplit(location).path == "/staff/login"
    goes_to_login = goes_to_login and "next=" in location
    if expected == LOGIN:
        if goes_to_login:
            return None
        return f"expected a redirect to the login page, got {status} {location}"
    if expected == OK:
        if status in ALLOWED_STATUSES and not goes_to_login:
            return None
        return f"expected to be let through, got {status} {location}"
    if status != expected:
        return f"expected {expected}, got {status} {location}"
    return None


def test_every_staff_and_api_write_route_has_an_expectation_and_meets_it(
    app: Flask, db_session: Session
) -> None:
    world = world_module.build(db_session)
    browsers = world_module.clients(app, world)
    routes = walked_routes(app)
    problems = uncovered(routes)
    walked = 0
    for rule, method in routes:
        expected = EXPECTED.get((rule.endpoint, method))
        if expected is None:
            continue
        for role, wanted in zip(ROLES, expected, strict=True):
            url = world_module.url_for_rule(app, rule, world.values_for(role))
            # An API request carries a token, never the browser's cookie.
            client = app.test_client() if is_api(rule) else browsers[role]
            status, location = request_as(client, rule, method, url, world.tokens.get(role))
            walked += 1
            problem = verdict(wanted, status, location)
            if problem:
                problems.append(f"{method} {url} as {role}: {problem}")
    assert not problems, "\n".join(problems)
    assert walked >= 4 * 50


def test_a_route_without_an_expectation_fails_the_walk(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    app.add_url_rule("/staff/forgotten", "forgotten", lambda: "open to all", methods=["POST"])
    app.add_url_rule("/api/v1/forgotten", "api_forgotten", lambda: "", methods=["DELETE"])
    assert uncovered(walked_routes(app)) == [
        "new route without an expectation: DELETE /api/v1/forgotten (api_forgotten); "
        "add it to EXPECTED in tests/security/test_authorisation.py",
        "new route without an expectation: POST /staff/forgotten (forgotten); "
        "add it to EXPECTED in tests/security/test_authorisation.py",
    ]


OFFICE_B_PAGES = (
    ("GET", "/staff/opinions/{id}"),
    ("GET", "/staff/opinions/{id}/receipt"),
    ("GET", "/staff/opinions/{id}/receipt?paper=80mm"),
    ("POST", "/staff/opinions/{id}/consent"),
    ("POST", "/staff/opinions/{id}/erase"),
)


def test_office_staff_cannot_open_another_offices_opinions_or_slips(
    app: Flask, db_session: Session
) -> None:
    world = world_module.build(db_session)
    office = world_module.sign_in(app, world.users["office"])
    commission = world_module.sign_in(app, world.users["commission"])
    before = world_module.row_counts(app)
    elsewhere, missing = world.office_b_opinion, 10**6
    secret = world.scenario.elsewhere.receipt_code
    for method, template in OFFICE_B_PAGES:
        theirs = office.open(template.format(id=elsewhere), method=method, data={"confirm": "y"})
        nothing = office.open(template.format(id=missing), method=method, data={"confirm": "y"})
        # Out of scope looks exactly like "no such opinion": nothing to learn by probing.
        assert theirs.status_code == nothing.status_code == 404, template
        assert secret not in theirs.get_data(as_text=True)
    assert office.get(f"/staff/opinions/{elsewhere}/decision").status_code == 403
    # Within the subtree: Gubei is below Hongqiao.
    assert office.get(f"/staff/opinions/{world.scenario.secret.id}").status_code == 200
    listing = office.get("/staff/opinions?office=lintao").get_data(as_text=True)
    assert secret not in listing
    assert f"/staff/opinions/{elsewhere}" not in listing
    assert commission.get(f"/staff/opinions/{elsewhere}/receipt").status_code == 200
    assert world_module.row_counts(app) == before


def test_office_tokens_are_held_to_their_office_through_the_api(
    app: Flask, db_session: Session
) -> None:
    world = world_module.build(db_session)
    client = app.test_client()
    before = world_module.row_counts(app)
    headers = {"Authorization": f"Bearer {world.tokens['office']}"}
    body = {
        "law": "minors",
        "channel": "letter",
        "received_on": "2024-06-01",
        "text": "建议。",
        "office": "lintao",
    }
    answer = client.post("/api/v1/opinions", json=body, headers=headers)
    assert answer.status_code == 403, answer.get_data(as_text=True)
    assert answer.get_json()["error"]["code"] == "forbidden"
    batch = client.post(
        "/api/v1/opinions/batch",
        json={"opinions": [body | {"office": "hongqiao"}, body]},
        headers=headers,
    )
    assert batch.status_code == 422, batch.get_data(as_text=True)
    decision = client.post(
        f"/api/v1/opinions/{world.office_b_opinion}/decisions",
        json={"outcome": "adopted", "lock_version": 1},
        headers=headers,
    )
    assert decision.status_code == 403
    assert world_module.row_counts(app) == before
