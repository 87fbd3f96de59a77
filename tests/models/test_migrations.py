"""The migrations build exactly the models' schema, on every engine, from one head."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from noticeboard import create_app
from noticeboard.app import resource_dir
from noticeboard.extensions import db
from tests.conftest import ENGINES, TEST_CONFIG


def test_single_head() -> None:
    config = Config()
    config.set_main_option("script_location", str(resource_dir("migrations")))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_upgrade_from_empty_gives_the_models_schema(
    engine: str, empty_database: Callable[[str], str]
) -> None:
    app = create_app({**TEST_CONFIG, "DATABASE_URL": empty_database(engine)})
    with app.app_context():
        directory = app.extensions["migrate"].directory
        upgrade(directory=directory)
        with db.engine.connect() as conn:
            differences = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata
            )
        assert differences == []

        # And the way back works, so a bad release can be rolled back.
        downgrade(directory=directory, revision="base")
        with db.engine.connect() as conn:
            remaining = set(inspect(conn).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        db.engine.dispose()
