"""diff: compare two draft files from the command line.

Imports only click and the diff engine, so it runs without an app, a database or Flask.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from noticeboard.diffing import DraftDecodeError, compare_texts, decode_bytes
from noticeboard.diffing.render import render_html, render_text


@click.command("diff")
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="text: summary and inline diffs; json: the comparison as data; html: a redline page.",
)
def diff_command(old: Path, new: Path, output_format: str) -> None:
    """Compare two versions of a draft (UTF-8, UTF-16 or GB18030 text)."""
    comparison = compare_texts(_read(old), _read(new))
    if output_format == "json":
        click.echo(json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2))
    elif output_format == "html":
        click.echo(render_html(comparison, f"{old.name} → {new.name}"), nl=False)
    else:
        color = _wants_color()
        click.echo(render_text(comparison, color=color), nl=False, color=color)


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise click.ClickException(f"cannot read {path}: {error.strerror or error}") from None
    try:
        return decode_bytes(data)
    except DraftDecodeError as error:
        raise click.ClickException(f"{path}: {error}") from None


def _wants_color() -> bool:
    # https://no-color.org: any value of NO_COLOR turns colour off.
    return "NO_COLOR" not in os.environ and sys.stdout.isatty()
