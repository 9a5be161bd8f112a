"""Hot-path statements run on the driver's cursor (driver_statements): inside the
connection's transaction, typed parameters converted, rows by name, cursor listeners
seeing each statement, and a driver's error raised as SQLAlchemy raises it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from callplatform.db import get_engine
from callplatform.driver_statements import DriverStatement

PUT = DriverStatement(
    sa.text("INSERT INTO scratch (name, stamp, extra) VALUES (:name, :stamp, :extra)").bindparams(
        sa.bindparam("stamp", type_=sa.DateTime()), sa.bindparam("extra", type_=sa.JSON())
    )
)
GET = DriverStatement(sa.text("SELECT name, extra FROM scratch WHERE name = :name"))
COUNT = DriverStatement(sa.text("SELECT count(*) AS n FROM scratch"))


@pytest.fixture
def engine(db_url):
    engine = get_engine()
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS scratch")
        conn.exec_driver_sql(
            "CREATE TABLE scratch (name VARCHAR(20) PRIMARY KEY, stamp TIMESTAMP, extra JSON)"
        )
    yield engine
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE scratch")


def test_rows_by_name_and_typed_parameters(engine):
    with engine.begin() as conn:
        put = PUT.execute(conn, {"name": "a", "stamp": datetime.now(UTC), "extra": {"k": [1]}})
        assert put.rowcount == 1
        row = GET.execute(conn, {"name": "a"}).one()
        assert row.name == "a" and "[1]" in str(row.extra)
        assert GET.execute(conn, {"name": "b"}).first() is None
        assert COUNT.execute(conn, {}).scalar() == 1
        with pytest.raises(sa.exc.NoResultFound):
            GET.execute(conn, {"name": "b"}).one()


def test_statements_are_part_of_the_connections_transaction(engine):
    with engine.connect() as conn:
        PUT.execute(conn, {"name": "a", "stamp": None, "extra": None})  # begins one
        conn.rollback()
        assert COUNT.execute(conn, {}).scalar() == 0
        conn.rollback()


def test_a_driver_error_is_a_sqlalchemy_error(engine):
    with engine.connect() as conn:
        PUT.execute(conn, {"name": "a", "stamp": None, "extra": None})
        with pytest.raises(sa.exc.IntegrityError) as raised:
            PUT.execute(conn, {"name": "a", "stamp": None, "extra": None})
        assert "scratch" in raised.value.statement
        conn.rollback()


def test_cursor_listeners_see_the_statement_and_may_refuse_it(engine):
    seen = []

    def note(_conn, _cursor, statement, parameters, *_):
        seen.append(statement.split()[0])
        if "DELETE" in statement:
            raise sa.exc.OperationalError(statement, parameters, Exception("refused"))

    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        with engine.connect() as conn:
            assert COUNT.execute(conn, {}).scalar() == 0
            with pytest.raises(sa.exc.OperationalError):
                DriverStatement(sa.text("DELETE FROM scratch")).execute(conn, {})
            conn.rollback()
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)
    assert seen[-2:] == ["SELECT", "DELETE"]
