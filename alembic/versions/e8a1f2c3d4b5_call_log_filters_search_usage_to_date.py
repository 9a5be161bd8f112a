"""call log filter indexes and digit search parties; admin usage to date

Call log: an index per filter family, and the digit search's parties (kept by
triggers). Admin: each user's spend and active days to date.

Revision ID: e8a1f2c3d4b5
Revises: c4f1a2b3d5e6
Create Date: 2026-12-03 14:00:00.000000

The triggers and both backfills are this revision's own copies of
callplatform/models/call_search.py and callplatform/billing/usage_to_date.rebuild.
"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = "e8a1f2c3d4b5"
down_revision: Union[str, Sequence[str], None] = "c4f1a2b3d5e6"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

NUMBER = sqlmodel.sql.sqltypes.AutoString(length=64)
MONEY = sa.Numeric(precision=14, scale=5)
ONLY_MISSED = {"sqlite_where": sa.text("missed = 1"), "postgresql_where": sa.text("missed")}
CALL_INDEXES = {
    "ix_twilio_calls_user_direction_status": (
        ["user_id", "direction", "status", "started_at", "id"],
        {},
    ),
    "ix_twilio_calls_user_number_direction_status": (
        ["user_id", "number_id", "direction", "status", "started_at", "id"],
        {},
    ),
    "ix_twilio_calls_user_missed": (["user_id", "direction", "started_at", "id"], ONLY_MISSED),
    "ix_twilio_calls_user_number_missed": (
        ["user_id", "number_id", "direction", "started_at", "id"],
        ONLY_MISSED,
    ),
    "ix_twilio_calls_user_from": (["user_id", "from_number", "started_at", "id"], {}),
    "ix_twilio_calls_user_to": (["user_id", "to_number", "started_at", "id"], {}),
}

POSITIONS = "[" + ",".join(str(n) for n in range(1, 65)) + "]"
SQLITE_BODY = f"""
WHEN NOT EXISTS (SELECT 1 FROM call_parties
                 WHERE user_id = NEW.user_id AND number = NEW.from_number)
  OR NOT EXISTS (SELECT 1 FROM call_parties
                 WHERE user_id = NEW.user_id AND number = NEW.to_number)
BEGIN
  INSERT OR IGNORE INTO call_party_digits (user_id, digits, number)
  SELECT NEW.user_id,
         substr(party.number, p.value,
                length(substr(party.number, p.value))
                - length(ltrim(substr(party.number, p.value), '0123456789'))),
         party.number
  FROM (SELECT pair.number FROM (SELECT NEW.from_number AS number UNION SELECT NEW.to_number)
          AS pair
        WHERE NOT EXISTS (SELECT 1 FROM call_parties AS known
                          WHERE known.user_id = NEW.user_id AND known.number = pair.number))
    AS party
  CROSS JOIN json_each('{POSITIONS}') AS p
  WHERE p.value <= length(party.number)
    AND substr(party.number, p.value, 1) BETWEEN '0' AND '9';
  INSERT OR IGNORE INTO call_parties (user_id, number)
  VALUES (NEW.user_id, NEW.from_number), (NEW.user_id, NEW.to_number);
END"""
SQLITE_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS twilio_calls_parties_insert AFTER INSERT ON twilio_calls "
    + SQLITE_BODY,
    "CREATE TRIGGER IF NOT EXISTS twilio_calls_parties_update "
    "AFTER UPDATE OF user_id, from_number, to_number ON twilio_calls " + SQLITE_BODY,
)
POSTGRESQL_TRIGGERS = (
    """
CREATE OR REPLACE FUNCTION twilio_calls_parties() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM call_parties WHERE user_id = NEW.user_id AND number = NEW.from_number)
     AND EXISTS (SELECT 1 FROM call_parties WHERE user_id = NEW.user_id AND number = NEW.to_number)
  THEN
    RETURN NULL;  -- parties already known: the usual case
  END IF;
  INSERT INTO call_party_digits (user_id, digits, number)
  SELECT NEW.user_id, substring(substr(party.number, p) FROM '^[0-9]+'), party.number
  FROM (SELECT NEW.from_number UNION SELECT NEW.to_number) AS party (number)
  CROSS JOIN LATERAL generate_series(1, length(party.number)) AS p
  WHERE substr(party.number, p, 1) BETWEEN '0' AND '9'
    AND NOT EXISTS (SELECT 1 FROM call_parties AS known
                    WHERE known.user_id = NEW.user_id AND known.number = party.number)
  ON CONFLICT DO NOTHING;
  INSERT INTO call_parties (user_id, number)
  VALUES (NEW.user_id, NEW.from_number), (NEW.user_id, NEW.to_number)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$""",
    "DROP TRIGGER IF EXISTS twilio_calls_parties ON twilio_calls",
    "CREATE TRIGGER twilio_calls_parties "
    "AFTER INSERT OR UPDATE OF user_id, from_number, to_number ON twilio_calls "
    "FOR EACH ROW EXECUTE FUNCTION twilio_calls_parties()",
)

# The parties of the calls already kept, and each one's digits from every digit on.
PARTIES = (
    "INSERT INTO call_parties (user_id, number) "
    "SELECT user_id, from_number FROM twilio_calls UNION SELECT user_id, to_number FROM twilio_calls"
)
SQLITE_DIGITS = """
WITH RECURSIVE positions (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM positions WHERE n < 64)
INSERT OR IGNORE INTO call_party_digits (user_id, digits, number)
SELECT party.user_id,
       substr(party.number, positions.n,
              length(substr(party.number, positions.n))
              - length(ltrim(substr(party.number, positions.n), '0123456789'))),
       party.number
FROM call_parties AS party JOIN positions ON positions.n <= length(party.number)
WHERE substr(party.number, positions.n, 1) BETWEEN '0' AND '9'
"""
POSTGRESQL_DIGITS = """
INSERT INTO call_party_digits (user_id, digits, number)
SELECT party.user_id, substring(substr(party.number, p) FROM '^[0-9]+'), party.number
FROM call_parties AS party CROSS JOIN LATERAL generate_series(1, length(party.number)) AS p
WHERE substr(party.number, p, 1) BETWEEN '0' AND '9'
ON CONFLICT DO NOTHING
"""
# Every day of each user's span of daily rollups, with the figures to date.
USAGE_TO_DATE = """
WITH RECURSIVE spans AS (
  SELECT user_id, MIN(day) AS first_day, MAX(day) AS last_day FROM daily_usage GROUP BY user_id
), calendar (day) AS (
  SELECT MIN(first_day) FROM spans
  UNION ALL SELECT {next_day} FROM calendar WHERE day < (SELECT MAX(last_day) FROM spans)
), grid AS (
  SELECT spans.user_id, calendar.day FROM spans
  JOIN calendar ON calendar.day BETWEEN spans.first_day AND spans.last_day
)
INSERT INTO usage_to_date (user_id, day, spend, active_days)
SELECT grid.user_id, grid.day,
       SUM(COALESCE(rollup.twilio_cost + rollup.markup, 0)) OVER running,
       COUNT(rollup.user_id) OVER running
FROM grid LEFT JOIN daily_usage AS rollup
  ON rollup.user_id = grid.user_id AND rollup.day = grid.day
WINDOW running AS (PARTITION BY grid.user_id ORDER BY grid.day ROWS UNBOUNDED PRECEDING)
"""
NEXT_DAY = {"sqlite": "date(day, '+1 day')", "postgresql": "day + 1"}
USAGE_TOTALS = (
    "INSERT INTO usage_totals (user_id, first_day, last_day, spend, active_days) "
    "SELECT user_id, MIN(day), MAX(day), SUM(twilio_cost + markup), COUNT(*) "
    "FROM daily_usage GROUP BY user_id"
)


def upgrade() -> None:
    """Upgrade schema."""
    dialect = op.get_bind().dialect.name
    op.create_table(
        "call_parties",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("number", NUMBER, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "number"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "call_party_digits",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("digits", NUMBER, nullable=False),
        sa.Column("number", NUMBER, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "digits", "number"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "usage_to_date",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("spend", MONEY, nullable=False),
        sa.Column("active_days", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("user_id", "day"),
    )
    with op.batch_alter_table("usage_to_date", schema=None) as batch_op:
        batch_op.create_index(
            "ix_usage_to_date_day", ["day", "user_id", "spend", "active_days"], unique=False
        )
    op.create_table(
        "usage_totals",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("spend", MONEY, nullable=False),
        sa.Column("active_days", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("user_id"),
    )
    for name, (columns, where) in CALL_INDEXES.items():
        op.create_index(name, "twilio_calls", columns, unique=False, **where)
    op.execute(PARTIES)
    op.execute(SQLITE_DIGITS if dialect == "sqlite" else POSTGRESQL_DIGITS)
    for statement in SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRESQL_TRIGGERS:
        op.execute(statement)
    op.execute(USAGE_TO_DATE.format(next_day=NEXT_DAY[dialect]))
    op.execute(USAGE_TOTALS)


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS twilio_calls_parties_insert")
        op.execute("DROP TRIGGER IF EXISTS twilio_calls_parties_update")
    else:
        op.execute("DROP TRIGGER IF EXISTS twilio_calls_parties ON twilio_calls")
        op.execute("DROP FUNCTION IF EXISTS twilio_calls_parties()")
    for name, (_, where) in CALL_INDEXES.items():
        op.drop_index(name, table_name="twilio_calls", **where)
    op.drop_table("usage_totals")
    op.drop_index("ix_usage_to_date_day", table_name="usage_to_date")
    op.drop_table("usage_to_date")
    op.drop_table("call_party_digits")
    op.drop_table("call_parties")
