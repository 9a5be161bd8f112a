"""The audit log names who did what to whom, and what changed, in words; number purchases
and releases, API tokens and command-line promotions are audited too."""

from __future__ import annotations

from decimal import Decimal

from callplatform import cli
from callplatform.accounts import api_tokens, auth
from callplatform.admin import users
from callplatform.billing import spend
from callplatform.common import audit_words
from callplatform.db import session_scope
from callplatform.models import Role, User
from callplatform.numbers import inventory
from tests.helpers import member_of


def _user(email: str, role: Role = Role.USER) -> int:
    with session_scope() as s:
        return auth.create_user(session=s, email=email, password="long enough pw", role=role).id


def _sentences(admin_id: int, action: str = "") -> list[str]:
    with session_scope() as s:
        entries = audit_words.list_entries(session=s, actor=s.get(User, admin_id), action=action)
        return [e.sentence for e in entries]


def test_admin_actions_name_actor_target_and_change(db_url):
    admin, ann = _user("boss@example.com", Role.ADMIN), _user("ann@example.com")
    with session_scope() as s:
        actor = s.get(User, admin)
        users.set_suspended(session=s, actor=actor, user_id=ann, suspended=True)
        users.set_suspended(session=s, actor=actor, user_id=ann, suspended=False)
        spend.set_user_cap(session=s, actor=actor, user_id=ann, cap=Decimal("12.5"))
        spend.set_user_cap(session=s, actor=actor, user_id=ann, cap=None)
        spend.update_platform_settings(
            session=s, actor=actor, default_cap=Decimal("80"), calls_per_minute=5
        )
        users.promote_to_admin(session=s, actor=actor, user_id=ann)
    assert _sentences(admin, "admin") == [
        "boss@example.com made ann@example.com an admin",
        "boss@example.com changed the platform settings: default monthly cap from $50.00 to "
        "$80.00; calls per minute from 10 to 5",
        "boss@example.com set ann@example.com's monthly cap from $12.50 to the platform default",
        "boss@example.com set ann@example.com's monthly cap from the platform default to $12.50",
        "boss@example.com reactivated ann@example.com",
        "boss@example.com suspended ann@example.com",
    ]


def test_tokens_and_cli_promotions_are_audited(db_url):
    admin, ann = _user("boss@example.com", Role.ADMIN), _user("ann@example.com")
    with session_scope() as s:
        row, _ = api_tokens.create_token(session=s, owner_id=ann, name="CRM sync")
        prefix = row.prefix
    with session_scope() as s:
        api_tokens.revoke_token(session=s, owner_id=ann, token_id=row.id)
    assert _sentences(admin, "token") == [
        f"ann@example.com revoked the API token “CRM sync” ({prefix}…)",
        f"ann@example.com created the API token “CRM sync” ({prefix}…)",
    ]
    cli.create_admin("ann@example.com", None)
    cli.create_admin("new@example.com", "long enough pw")
    assert _sentences(admin, "admin.promote") == [
        "The command line created the admin new@example.com",
        "The command line made ann@example.com an admin",
    ]


def test_number_purchases_and_releases_are_audited(telephony):
    admin, ann = _user("boss@example.com", Role.ADMIN), _user("ann@example.com")
    offer = inventory.search_numbers(area_code="415")[0].phone_number
    with session_scope() as s:
        row = inventory.buy_number(
            session=s, member=member_of(ann), phone_number=offer, friendly_name="Sales"
        )
        number_id, e164, price = row.id, row.phone_number, f"${row.monthly_price:.2f}"
    with session_scope() as s:
        inventory.release_number(session=s, member=member_of(ann), number_id=number_id)
    shown = f"+1 ({e164[2:5]}) {e164[5:8]}-{e164[8:]}"
    assert _sentences(admin, "number") == [
        f"ann@example.com released {shown} (“Sales”)",
        f"ann@example.com bought {shown} (“Sales”, {price} a month)",
    ]
