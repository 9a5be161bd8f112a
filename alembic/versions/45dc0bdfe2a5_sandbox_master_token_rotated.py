"""sandbox master token rotated

The sandbox's master account used to get an auth token derived from the app secret,
whose development default was published: anyone could compute it and read every
tenant's subaccount token through the sandbox's API. Masters (accounts without an
owner) get a random token now; their SIDs stay, so their subaccounts stay theirs.

Revision ID: 45dc0bdfe2a5
Revises: 2b22749fdc7b
Create Date: 2026-12-03 08:43:00.000000

"""
import secrets
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '45dc0bdfe2a5'
down_revision: Union[str, Sequence[str], None] = '2b22749fdc7b'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

accounts = sa.table(
    "sandbox_accounts",
    sa.column("sid", sa.String),
    sa.column("auth_token", sa.String),
    sa.column("owner_account_sid", sa.String),
)


def upgrade() -> None:
    """Give every master account a random auth token (data only)."""
    connection = op.get_bind()
    masters = connection.execute(
        sa.select(accounts.c.sid).where(accounts.c.owner_account_sid.is_(None))
    ).scalars().all()
    for sid in masters:
        connection.execute(
            accounts.update()
            .where(accounts.c.sid == sid)
            .values(auth_token=secrets.token_hex(16))
        )


def downgrade() -> None:
    """Nothing to undo: the old, derivable tokens must not come back."""
