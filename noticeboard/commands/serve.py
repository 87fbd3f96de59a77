"""serve: upgrade the database, optionally load the demo, and serve the site."""

from __future__ import annotations

import secrets
from pathlib import Path

import click
from flask.cli import ScriptInfo, pass_script_info


def demo_secret_key(instance_path: str) -> str:
    """A secret key generated once for the demo and kept in the instance folder."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


@click.command("serve")
@click.option("--demo", is_flag=True, help="Load the demo data once and print the demo logins.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@click.option(
    "--worker/--no-worker",
    default=None,
    help="Run a job worker inside this process (default: with --demo only).",
)
@pass_script_info
def serve_command(
    info: ScriptInfo, demo: bool, host: str, port: int, threads: int, worker: bool | None
) -> None:
    """Upgrade the database, with --demo load the demo data, then serve (waitress).

    With --demo (or --worker) one job worker runs in this process, so imports and other
    jobs run with nothing else started; a site runs `noticeboard worker` beside it."""
    from waitress import serve

    from noticeboard.app import create_app
    from noticeboard.commands.database import upgrade_database
    from noticeboard.commands.demo import load_demo_data, print_logins
    from noticeboard.config import ConfigError

    probe = info.load_app()
    overrides = {}
    if demo and not probe.config["SECRET_KEY"]:
        overrides["SECRET_KEY"] = demo_secret_key(probe.instance_path)
    try:
        app = create_app(overrides)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    with app.app_context():
        upgrade_database()
        if demo:
            print_logins(load_demo_data())
    consumer = None
    if demo if worker is None else worker:
        from noticeboard.worker.consumer import start_in_process

        consumer = start_in_process(app)
        if consumer is None:
            click.echo("No job worker: the job queue cannot be reached.", err=True)
    else:
        click.echo("Jobs wait for a worker: run `noticeboard worker` beside this server.", err=True)
    click.echo(f"Noticeboard is serving at http://{host}:{port}/  (Ctrl+C to stop)")
    try:
        serve(app, host=host, port=port, threads=threads, ident="noticeboard")
    finally:
        if consumer is not None:
            consumer.stop(graceful=False)
