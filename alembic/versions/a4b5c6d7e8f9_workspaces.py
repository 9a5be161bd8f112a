"""workspaces: every user's personal workspace owns their subaccount and numbers

Every existing user gets a personal workspace (with the user's id: the table is new, so
the ids are free) and owns it; their subaccount, numbers, login sessions and API tokens
move into it. Nothing else changes: calls, recordings and costs keep pointing at the user.

Revision ID: a4b5c6d7e8f9
Revises: d7e2f1a9b8c3
Create Date: 2026-12-03 16:20:16.051782

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = "a4b5c6d7e8f9"
down_revision: Union[str, Sequence[str], None] = "d7e2f1a9b8c3"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The rows that move into a workspace, and whether their column is indexed (unique?).
# No ON DELETE: SQLite would not report it back for a column added in place; removing a
# workspace or a member deletes their sessions and tokens itself.
MOVED = [
    ("api_tokens", None),
    ("auth_sessions", None),
    ("twilio_subaccounts", True),
    ("user_phone_numbers", False),
]


def upgrade() -> None:
    op.create_table(
        "workspaces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("personal", sa.Boolean(), nullable=False),
        sa.Column("monthly_cap", sa.Numeric(precision=14, scale=5), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "workspace_members",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("monthly_cap", sa.Numeric(precision=14, scale=5), nullable=True),
        sa.Column("joined_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("workspace_id", "user_id"),
    )
    op.create_index("ix_workspace_members_user_id", "workspace_members", ["user_id"])
    op.create_table(
        "number_assignments",
        sa.Column("number_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("assigned_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["number_id"], ["user_phone_numbers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("number_id", "user_id"),
    )
    op.create_index("ix_number_assignments_user_id", "number_assignments", ["user_id"])
    # A plain ADD COLUMN (its reference inline on SQLite, which alters nothing else):
    # copying these tables, as a batch would, would have to carry their partial indexes.
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, unique in MOVED:
        name = f"fk_{table}_workspace_id"
        if sqlite:
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN workspace_id INTEGER "
                f"CONSTRAINT {name} REFERENCES workspaces (id)"
            )
        else:
            op.add_column(table, sa.Column("workspace_id", sa.Integer(), nullable=True))
            op.create_foreign_key(name, table, "workspaces", ["workspace_id"], ["id"])
        if unique is not None:
            op.create_index(f"ix_{table}_workspace_id", table, ["workspace_id"], unique=unique)
    _personal_workspaces()


def _personal_workspaces() -> None:
    bind = op.get_bind()
    local_part = (
        "substr(email, 1, instr(email, '@') - 1)"
        if bind.dialect.name == "sqlite"
        else "split_part(email, '@', 1)"
    )
    op.execute(
        "INSERT INTO workspaces (id, name, personal, created_at) "
        f"SELECT id, CASE WHEN display_name != '' THEN display_name ELSE {local_part} END, "
        "true, created_at FROM users"
    )
    op.execute(
        "INSERT INTO workspace_members (workspace_id, user_id, role, joined_at) "
        "SELECT id, id, 'owner', created_at FROM users"
    )
    if bind.dialect.name == "postgresql":  # new workspaces are numbered after these
        op.execute(
            "SELECT setval(pg_get_serial_sequence('workspaces', 'id'), "
            "COALESCE((SELECT MAX(id) FROM workspaces), 0) + 1, false)"
        )
    for table, _ in MOVED:
        op.execute(f"UPDATE {table} SET workspace_id = user_id")


def downgrade() -> None:
    for table, unique in reversed(MOVED):
        if unique is not None:
            op.drop_index(f"ix_{table}_workspace_id", table_name=table)
        with op.batch_alter_table(table) as batch:
            if op.get_bind().dialect.name != "sqlite":
                batch.drop_constraint(f"fk_{table}_workspace_id", type_="foreignkey")
            batch.drop_column("workspace_id")
    op.drop_index("ix_number_assignments_user_id", table_name="number_assignments")
    op.drop_table("number_assignments")
    op.drop_index("ix_workspace_members_user_id", table_name="workspace_members")
    op.drop_table("workspace_members")
    op.drop_table("workspaces")
