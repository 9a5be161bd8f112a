"""sandbox leaves the product database

The built-in Twilio sandbox keeps its tables in a database of its own now
(SANDBOX_DATABASE_URL, a SQLite file by default), created when it is mounted; a
production database never needs them. Its tables are dropped from product databases.
What the sandbox held (its fictional accounts, numbers and calls) starts afresh there.

Revision ID: 7a1c0de5d5b0
Revises: b5e1a0c3d2f4
Create Date: 2026-12-03 09:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '7a1c0de5d5b0'
down_revision: Union[str, Sequence[str], None] = 'b5e1a0c3d2f4'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

SANDBOX_TABLES = (
    "sandbox_api_keys",
    "sandbox_usage",
    "sandbox_recordings",
    "sandbox_calls",
    "sandbox_applications",
    "sandbox_numbers",
    "sandbox_accounts",
)


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    for table in SANDBOX_TABLES:
        if table in existing:
            op.drop_table(table)


def downgrade() -> None:
    """Nothing to restore: the sandbox creates its tables in its own database."""
