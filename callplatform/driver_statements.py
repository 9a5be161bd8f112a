"""Textual statements for hot paths, compiled once per dialect and run at the driver level.

`DriverStatement(sa.text(...).bindparams(...typed...))` is executed like a compiled
statement, but on the DBAPI cursor of the SQLAlchemy connection: the connection's
transaction is used (begun if need be), its cursor events are dispatched (listeners see
the statement; a listener's error stands), and a driver error is wrapped as SQLAlchemy
wraps it (a failure is still a `SQLAlchemyError`); SQLAlchemy's per-execution context,
compile-cache lookup and result set-up are skipped. The column types still convert the
values (JSON, timestamps), with the dialect's own bind processors; rows come back as
named tuples, untyped like a text() query's. Measured on the status callback under the
production server (benchmarks/bench_webhooks.py): that set-up was more of each
callback's time than SQLite's own work.
"""

from __future__ import annotations

import collections
import functools
from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError, MultipleResultsFound, NoResultFound
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause


class _Plan:
    """The statement as one dialect's driver takes it."""

    def __init__(self, clause: TextClause, dialect: Dialect) -> None:
        compiled = clause.compile(dialect=dialect)
        self.sql = compiled.string
        self.order = compiled.positiontup if compiled.positional else None
        self.processors = {}
        for name, bind in compiled.binds.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                self.processors[name] = processor

    def arguments(self, params: Mapping[str, Any]):
        values = dict(params)
        for name, processor in self.processors.items():
            if name in values:
                values[name] = processor(values[name])
        return values if self.order is None else tuple(values[name] for name in self.order)


def connection_of(on: Connection | Session) -> Connection:
    """The connection itself, or the one an ORM session's transaction runs on."""
    return on.connection() if isinstance(on, Session) else on


@functools.cache
def _row_type(names: tuple[str, ...]) -> type:
    return collections.namedtuple("Row", names)


class Rows:
    """What a statement returned: `rowcount`, and its rows read at once."""

    def __init__(self, cursor) -> None:
        self.rows = []
        if cursor.description:
            row = _row_type(tuple(column[0] for column in cursor.description))
            self.rows = [row(*values) for values in cursor.fetchall()]
        self.rowcount = cursor.rowcount  # SQLite counts RETURNING rows once read

    def first(self):
        return self.rows[0] if self.rows else None

    def one(self):
        if len(self.rows) != 1:
            raise (NoResultFound if not self.rows else MultipleResultsFound)()
        return self.rows[0]

    def scalar(self):
        return self.rows[0][0] if self.rows else None


class DriverStatement:
    def __init__(self, clause: TextClause) -> None:
        self.clause = clause
        self._plans: dict[str, _Plan] = {}

    def execute(self, on: Connection | Session, params: Mapping[str, Any]) -> Rows:
        """Run on a connection, or in an ORM session's transaction."""
        connection = connection_of(on)
        dialect = connection.dialect
        plan = self._plans.get(dialect.name)
        if plan is None:
            plan = self._plans[dialect.name] = _Plan(self.clause, dialect)
        return _run(connection, plan.sql, plan.arguments(params))


def _run(connection: Connection, sql: str, arguments) -> Rows:
    if not connection.in_transaction():
        connection.begin()  # as SQLAlchemy begins one on a first execute
    cursor = connection.connection.cursor()
    try:
        for listener in connection.dispatch.before_cursor_execute:
            sql, arguments = listener(connection, cursor, sql, arguments, None, False)
        try:
            cursor.execute(sql, arguments)
        except connection.dialect.loaded_dbapi.Error as error:
            raise DBAPIError.instance(
                sql, arguments, error, connection.dialect.loaded_dbapi.Error,
                dialect=connection.dialect,
            ) from error  # fmt: skip
        for listener in connection.dispatch.after_cursor_execute:
            listener(connection, cursor, sql, arguments, None, False)
        return Rows(cursor)
    finally:
        cursor.close()
