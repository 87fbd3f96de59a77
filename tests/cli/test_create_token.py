"""``noticeboard create-token EMAIL [--name NAME]``: the token the staff screen would
make, printed alone on the last line; an unknown or deactivated account is refused."""

from __future__ import annotations

from pathlib import Path

from click.testing import Result
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.cli import main
from noticeboard.commands.users import create_token_command
from noticeboard.models import ApiToken, AuditEvent
from noticeboard.services.accounts.api_tokens import TOKEN_PREFIX, hash_token
from tests import factories
from tests.cli.test_commands import run


def _invoke(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(create_token_command, list(args))


def test_the_token_works_against_the_api(
    app: Flask, client: FlaskClient, db_session: Session
) -> None:
    user = factories.make_user(db_session, role="commission", email="chair@example.org")
    db_session.commit()
    result = _invoke(app, "Chair@Example.org ")
    assert result.exit_code == 0, result.output
    secret = result.output.rstrip("\n").splitlines()[-1]
    assert secret.startswith(TOKEN_PREFIX)
    assert len(secret) == len(TOKEN_PREFIX) + 43

    token = db_session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    assert token.name == "command line"
    assert token.token_hash == hash_token(secret)
    assert token.scope is user.role
    actions = {
        (e.action, e.actor_id)
        for e in db_session.scalars(select(AuditEvent).where(AuditEvent.subject_id == token.id))
    }
    assert actions == {("api_token.create", user.id), ("api_token.issue", None)}

    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/laws", headers=headers).status_code == 200
    written = client.post("/api/v1/opinions", json={}, headers=headers)
    assert written.status_code == 422  # signed in by the token; the empty body is refused
    assert client.post("/api/v1/opinions", json={}).status_code == 401


def test_the_name_is_given_and_listed_like_the_screens(app: Flask, db_session: Session) -> None:
    user = factories.make_user(db_session, role="office", office=factories.make_office(db_session))
    db_session.commit()
    result = _invoke(app, user.email, "--name", "  Provincial   case system ")
    assert result.exit_code == 0, result.output
    token = db_session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    assert token.name == "Provincial case system"
    refused = _invoke(app, user.email, "--name", "   ")
    assert refused.exit_code == 1
    assert "Name the token" in refused.output


def test_unknown_and_deactivated_accounts_are_refused(app: Flask, db_session: Session) -> None:
    gone = factories.make_user(db_session, role="admin", is_active=False)
    db_session.commit()
    unknown = _invoke(app, "nobody@example.org")
    assert unknown.exit_code == 1
    assert "No staff account for nobody@example.org." in unknown.output
    inactive = _invoke(app, gone.email)
    assert inactive.exit_code == 1
    assert "deactivated" in inactive.output
    assert db_session.scalars(select(ApiToken)).all() == []
    assert "Traceback" not in unknown.output + inactive.output


def test_the_console_script_has_it(tmp_path: Path) -> None:
    assert "create-token" in main.commands
    assert run(tmp_path, "init-db").returncode == 0
    made = run(
        tmp_path,
        "create-user",
        "ops@example.org",
        "--role",
        "admin",
        "--password-stdin",
        stdin="a long enough password\n",
    )
    assert made.returncode == 0, made.stderr
    result = run(tmp_path, "create-token", "ops@example.org", "--name", "backup script")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith(TOKEN_PREFIX)
    missing = run(tmp_path, "create-token", "nobody@example.org")
    assert missing.returncode == 1
    assert "No staff account" in missing.stderr
    assert "Traceback" not in missing.stderr
