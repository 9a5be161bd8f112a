"""Textual statements for hot paths, compiled once per dialect and run at the driver level.

`DriverStatement(sa.text(...).bindparams(...typed...))` is executed like a compiled
statement, but through `Connection.exec_driver_sql`: SQLAlchemy's transaction, events
and error wrapping stay (a failure is still a `SQLAlchemyError`), while its per-execution
compile-cache lookup and parameter set-up are skipped. The column types still convert
the values (JSON, timestamps), with the dialect's own bind processors.
Measured on the status callback (benchmarks/bench_webhooks.py): about a quarter of each
callback's time in the app went to that set-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Connection, CursorResult, Dialect
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


class DriverStatement:
    def __init__(self, clause: TextClause) -> None:
        self.clause = clause
        self._plans: dict[str, _Plan] = {}

    def execute(self, on: Connection | Session, params: Mapping[str, Any]) -> CursorResult:
        """Run on a connection, or in an ORM session's transaction."""
        connection = connection_of(on)
        dialect = connection.dialect
        plan = self._plans.get(dialect.name)
        if plan is None:
            plan = self._plans[dialect.name] = _Plan(self.clause, dialect)
        return connection.exec_driver_sql(plan.sql, plan.arguments(params))
