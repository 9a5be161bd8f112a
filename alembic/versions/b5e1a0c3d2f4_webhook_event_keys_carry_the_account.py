"""webhook event keys carry the account

A raw webhook event's dedupe key now names the account that signed it
(`status:<AccountSid>:<CallSid>:<seq>:<status>`), so another tenant's callback naming
our CallSid can neither pre-empt ours as a duplicate nor appear in our call's timeline.
Keys stored before get their account from their own payload; an old event whose new key
already exists (the same callback received again after the upgrade) is a duplicate.

Revision ID: b5e1a0c3d2f4
Revises: 45dc0bdfe2a5
Create Date: 2026-12-03 09:15:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'b5e1a0c3d2f4'
down_revision: Union[str, Sequence[str], None] = '45dc0bdfe2a5'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

events = sa.table(
    "webhook_events",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("dedupe_key", sa.String),
    sa.column("payload", sa.JSON),
)
BATCH = 1000


def _rekeyed(kind: str, key: str, payload) -> str | None:
    rest = key[len(kind) + 1:]
    if rest.startswith("AC"):
        return None  # already carries its account
    account = (payload or {}).get("AccountSid", "")
    return f"{kind}:{account}:{rest}"[:200]


def upgrade() -> None:
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(events.c.id, events.c.kind, events.c.dedupe_key, events.c.payload)
            .where(events.c.id > last)
            .order_by(events.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            new_key = _rekeyed(row.kind, row.dedupe_key, row.payload)
            if new_key is None:
                continue
            taken = connection.execute(
                sa.select(events.c.id).where(events.c.dedupe_key == new_key)
            ).first()
            if taken:
                connection.execute(events.delete().where(events.c.id == row.id))
            else:
                connection.execute(
                    events.update().where(events.c.id == row.id).values(dedupe_key=new_key)
                )
        last = rows[-1].id


def downgrade() -> None:
    """Keys stay as they are: both forms are unique, and the old code reads neither."""
