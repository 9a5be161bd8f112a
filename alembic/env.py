"""Alembic environment: CallPlatform's tables and its configured database.

`reflex db makemigrations` / `reflex db migrate` drive migrations through Reflex; this
file serves the plain `alembic` commands and the migration tests, with the same metadata.
"""

from logging.config import fileConfig

from alembic import context
from sqlmodel import SQLModel

import callplatform.models  # noqa: F401  (registers the app's tables)
from callplatform.db import get_engine

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=str(get_engine().url),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    with get_engine().connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A table copied in place (SQLite's only way to drop a referenced column) is
            # dropped and renamed while others point at it: references are checked once,
            # at the end, instead. The pragma is set on the driver's connection, before
            # any transaction begins (inside one, SQLite ignores it).
            _pragma(connection, "foreign_keys=OFF")
        try:
            _run(connection)
            if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                raise RuntimeError("A migration left rows pointing at nothing.")
            connection.commit()
        finally:
            if sqlite:
                connection.rollback()
                _pragma(connection, "foreign_keys=ON")


def _pragma(connection, setting: str) -> None:
    connection.connection.dbapi_connection.execute(f"PRAGMA {setting}")


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
