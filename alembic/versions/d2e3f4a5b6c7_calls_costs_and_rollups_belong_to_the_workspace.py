"""calls, recordings, costs and rollups belong to the workspace

The workspace becomes the tenant of everything its subaccount does: calls, recordings,
cost lines, call attempts, the daily rollups and figures to date, and the digit search's
parties move from the user to the user's personal workspace (the only workspace that
held a subaccount before; one user, one personal workspace, so no rollup row merges
with another). A call keeps who handled it (`handled_by`: the user, for every call but
a missed one); a cost line keeps whose call it was. Subaccounts and numbers must now
have a workspace; a user may make more than one subaccount (one per workspace). A
user's monthly cap becomes their personal workspace's (`users.monthly_cap` goes).

Revision ID: d2e3f4a5b6c7
Revises: b6a3fa268d6c
Create Date: 2026-12-03 19:40:00.000000

The triggers are this revision's own copy of callplatform/models/call_search.py.
"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = "d2e3f4a5b6c7"
down_revision: Union[str, Sequence[str], None] = "b6a3fa268d6c"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

NUMBER = sqlmodel.sql.sqltypes.AutoString(length=64)
MONEY = sa.Numeric(precision=14, scale=5)
ONLY_MISSED = {"sqlite_where": sa.text("missed = 1"), "postgresql_where": sa.text("missed")}
# The user's personal workspace (exactly one per user since a4b5c6d7e8f9 and sign-up).
PERSONAL = (
    "(SELECT MIN(m.workspace_id) FROM workspace_members m JOIN workspaces w "
    "ON w.id = m.workspace_id WHERE m.user_id = {table}.user_id AND m.role = 'owner' "
    "AND w.personal)"
)
OLD_CALL_INDEXES = [
    "ix_twilio_calls_user_started",
    "ix_twilio_calls_user_direction_status",
    "ix_twilio_calls_user_number_direction_status",
    "ix_twilio_calls_user_missed",
    "ix_twilio_calls_user_number_missed",
    "ix_twilio_calls_user_from",
    "ix_twilio_calls_user_to",
]
CALL_INDEXES = {
    "ix_twilio_calls_workspace_started": (["workspace_id", "started_at", "id"], {}),
    "ix_twilio_calls_workspace_direction_status": (
        ["workspace_id", "direction", "status", "started_at", "id"],
        {},
    ),
    "ix_twilio_calls_workspace_number_direction_status": (
        ["workspace_id", "number_id", "direction", "status", "started_at", "id"],
        {},
    ),
    "ix_twilio_calls_workspace_missed": (
        ["workspace_id", "direction", "started_at", "id"],
        ONLY_MISSED,
    ),
    "ix_twilio_calls_workspace_number_missed": (
        ["workspace_id", "number_id", "direction", "started_at", "id"],
        ONLY_MISSED,
    ),
    "ix_twilio_calls_workspace_from": (["workspace_id", "from_number", "started_at", "id"], {}),
    "ix_twilio_calls_workspace_to": (["workspace_id", "to_number", "started_at", "id"], {}),
}

POSITIONS = "[" + ",".join(str(n) for n in range(1, 65)) + "]"
SQLITE_BODY = f"""
WHEN NOT EXISTS (SELECT 1 FROM call_parties
                 WHERE workspace_id = NEW.workspace_id AND number = NEW.from_number)
  OR NOT EXISTS (SELECT 1 FROM call_parties
                 WHERE workspace_id = NEW.workspace_id AND number = NEW.to_number)
BEGIN
  INSERT OR IGNORE INTO call_party_digits (workspace_id, digits, number)
  SELECT NEW.workspace_id,
         substr(party.number, p.value,
                length(substr(party.number, p.value))
                - length(ltrim(substr(party.number, p.value), '0123456789'))),
         party.number
  FROM (SELECT pair.number FROM (SELECT NEW.from_number AS number UNION SELECT NEW.to_number)
          AS pair
        WHERE NOT EXISTS (SELECT 1 FROM call_parties AS known
                          WHERE known.workspace_id = NEW.workspace_id AND known.number = pair.number))
    AS party
  CROSS JOIN json_each('{POSITIONS}') AS p
  WHERE p.value <= length(party.number)
    AND substr(party.number, p.value, 1) BETWEEN '0' AND '9';
  INSERT OR IGNORE INTO call_parties (workspace_id, number)
  VALUES (NEW.workspace_id, NEW.from_number), (NEW.workspace_id, NEW.to_number);
END"""
SQLITE_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS twilio_calls_parties_insert AFTER INSERT ON twilio_calls "
    + SQLITE_BODY,
    "CREATE TRIGGER IF NOT EXISTS twilio_calls_parties_update "
    "AFTER UPDATE OF workspace_id, from_number, to_number ON twilio_calls " + SQLITE_BODY,
)
POSTGRESQL_TRIGGERS = (
    """
CREATE OR REPLACE FUNCTION twilio_calls_parties() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM call_parties WHERE workspace_id = NEW.workspace_id AND number = NEW.from_number)
     AND EXISTS (SELECT 1 FROM call_parties WHERE workspace_id = NEW.workspace_id AND number = NEW.to_number)
  THEN
    RETURN NULL;  -- parties already known: the usual case
  END IF;
  INSERT INTO call_party_digits (workspace_id, digits, number)
  SELECT NEW.workspace_id, substring(substr(party.number, p) FROM '^[0-9]+'), party.number
  FROM (SELECT NEW.from_number UNION SELECT NEW.to_number) AS party (number)
  CROSS JOIN LATERAL generate_series(1, length(party.number)) AS p
  WHERE substr(party.number, p, 1) BETWEEN '0' AND '9'
    AND NOT EXISTS (SELECT 1 FROM call_parties AS known
                    WHERE known.workspace_id = NEW.workspace_id AND known.number = party.number)
  ON CONFLICT DO NOTHING;
  INSERT INTO call_parties (workspace_id, number)
  VALUES (NEW.workspace_id, NEW.from_number), (NEW.workspace_id, NEW.to_number)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$""",
    "DROP TRIGGER IF EXISTS twilio_calls_parties ON twilio_calls",
    "CREATE TRIGGER twilio_calls_parties "
    "AFTER INSERT OR UPDATE OF workspace_id, from_number, to_number ON twilio_calls "
    "FOR EACH ROW EXECUTE FUNCTION twilio_calls_parties()",
)


def _rekeyed(name: str, *columns: sa.Column, key: list[str], **kw) -> None:
    """A derived table (nothing points at it) made anew keyed by workspace: the rows
    copied with each user's id replaced by their personal workspace's."""
    new = f"_new_{name}"
    op.create_table(new, *columns, sa.PrimaryKeyConstraint(*key), **kw)
    names = [c.name for c in columns]
    selected = [PERSONAL.format(table=name) if c == "workspace_id" else c for c in names]
    op.execute(
        f"INSERT INTO {new} ({', '.join(names)}) SELECT {', '.join(selected)} FROM {name}"
    )
    op.drop_table(name)
    op.rename_table(new, name)


def _workspace_column(table: str, *, drop_user: bool, handled_by: str | None = None) -> None:
    """Give a table with dependents a workspace_id (and a handled_by), filled from its
    user_id; drop user_id when the user no longer means anything there."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    added = [("workspace_id", "workspaces")] + ([("handled_by", "users")] if handled_by else [])
    for column, referred in added:
        if sqlite:
            op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES {referred} (id)")
        else:
            op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(None, table, referred, [column], ["id"])
    fills = [f"workspace_id = {PERSONAL.format(table=table)}"]
    if handled_by:
        fills.append(f"handled_by = {handled_by}")
    op.execute(f"UPDATE {table} SET {', '.join(fills)}")
    with op.batch_alter_table(table, recreate="always" if sqlite else "auto") as batch:
        batch.alter_column("workspace_id", existing_type=sa.Integer(), nullable=False)
        if drop_user:
            batch.drop_column("user_id")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS twilio_calls_parties_insert")
        op.execute("DROP TRIGGER IF EXISTS twilio_calls_parties_update")
    else:
        op.execute("DROP TRIGGER IF EXISTS twilio_calls_parties ON twilio_calls")
    for name in OLD_CALL_INDEXES:
        op.drop_index(name, table_name="twilio_calls")
    op.drop_index("ix_twilio_recordings_user_id", table_name="twilio_recordings")
    op.drop_index("ix_cost_items_user_occurred", table_name="cost_items")
    op.drop_index("ix_call_attempts_user_at", table_name="call_attempts")
    op.drop_index("ix_user_phone_numbers_user_status", table_name="user_phone_numbers")

    # Missed calls were handled by nobody; every other call by the user it belonged to.
    _workspace_column(
        "twilio_calls",
        drop_user=True,
        handled_by="CASE WHEN missed THEN NULL ELSE user_id END",
    )
    _workspace_column("twilio_recordings", drop_user=True)
    _workspace_column("cost_items", drop_user=False)
    with op.batch_alter_table("cost_items") as batch:
        batch.alter_column(
            "user_id", new_column_name="handled_by", existing_type=sa.Integer(), nullable=True
        )
    # A number's rent is nobody's call: Usage by member leaves it out.
    op.execute("UPDATE cost_items SET handled_by = NULL WHERE kind = 'number_monthly'")
    _workspace_column("call_attempts", drop_user=True)
    with op.batch_alter_table("user_phone_numbers") as batch:
        batch.alter_column("workspace_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("twilio_subaccounts") as batch:
        batch.alter_column("workspace_id", existing_type=sa.Integer(), nullable=False)
    _subaccounts_per_workspace(dialect)

    for name, (columns, where) in CALL_INDEXES.items():
        op.create_index(name, "twilio_calls", columns, unique=False, **where)
    op.create_index("ix_twilio_recordings_workspace_id", "twilio_recordings", ["workspace_id"])
    op.create_index(
        "ix_cost_items_workspace_occurred", "cost_items", ["workspace_id", "occurred_at"]
    )
    op.create_index("ix_call_attempts_workspace_at", "call_attempts", ["workspace_id", "at"])
    op.create_index(
        "ix_user_phone_numbers_workspace_status", "user_phone_numbers", ["workspace_id", "status"]
    )
    _rollups_and_parties()
    # The audit log says which workspace an event happened in (its admins' Activity).
    if dialect == "sqlite":
        op.execute(
            "ALTER TABLE audit_events ADD COLUMN workspace_id INTEGER REFERENCES workspaces (id)"
        )
    else:
        op.add_column("audit_events", sa.Column("workspace_id", sa.Integer(), nullable=True))
        op.create_foreign_key(None, "audit_events", "workspaces", ["workspace_id"], ["id"])
    op.create_index("ix_audit_events_workspace_at", "audit_events", ["workspace_id", "at"])
    # A user's own cap (theirs or a platform admin's) now caps their personal workspace.
    op.execute(
        "UPDATE workspaces SET monthly_cap = (SELECT u.monthly_cap FROM users u "
        "JOIN workspace_members m ON m.user_id = u.id AND m.role = 'owner' "
        "WHERE m.workspace_id = workspaces.id) WHERE personal"
    )
    with op.batch_alter_table("users") as batch:
        batch.drop_column("monthly_cap")
    for statement in SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRESQL_TRIGGERS:
        op.execute(statement)


def _subaccounts_per_workspace(dialect: str) -> None:
    """One subaccount per workspace, not per user: the user's uniqueness goes."""
    if dialect == "sqlite":
        naming = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
        with op.batch_alter_table(
            "twilio_subaccounts", recreate="always", naming_convention=naming
        ) as batch:
            batch.drop_constraint("uq_twilio_subaccounts_user_id", type_="unique")
    else:
        op.drop_constraint("twilio_subaccounts_user_id_key", "twilio_subaccounts", type_="unique")


def _rollups_and_parties() -> None:
    _rekeyed(
        "daily_usage",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspaces.id"), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.Column("failed_calls", sa.Integer(), nullable=False),
        sa.Column("call_seconds", sa.Integer(), nullable=False),
        sa.Column("twilio_cost", MONEY, nullable=False),
        sa.Column("markup", MONEY, nullable=False),
        key=["day", "workspace_id"],
    )
    op.create_index("ix_daily_usage_workspace_day", "daily_usage", ["workspace_id", "day"])
    op.create_index(
        "ix_daily_usage_day_spend",
        "daily_usage",
        ["day", "workspace_id", "twilio_cost", "markup"],
    )
    _rekeyed(
        "usage_to_date",
        sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspaces.id"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("spend", MONEY, nullable=False),
        sa.Column("active_days", sa.Integer(), nullable=False),
        key=["workspace_id", "day"],
    )
    op.create_index(
        "ix_usage_to_date_day", "usage_to_date", ["day", "workspace_id", "spend", "active_days"]
    )
    _rekeyed(
        "usage_totals",
        sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspaces.id"), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("spend", MONEY, nullable=False),
        sa.Column("active_days", sa.Integer(), nullable=False),
        key=["workspace_id"],
    )
    _rekeyed(
        "call_parties",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("number", NUMBER, nullable=False),
        key=["workspace_id", "number"],
        sqlite_with_rowid=False,
    )
    _rekeyed(
        "call_party_digits",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("digits", NUMBER, nullable=False),
        sa.Column("number", NUMBER, nullable=False),
        key=["workspace_id", "digits", "number"],
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    raise NotImplementedError(
        "Calls and costs of a shared workspace have no single user to go back to: "
        "restore the backup taken before upgrading."
    )
