"""The Usage page's figures: every one agrees with the header to the cent, and a user sees
what they pay while only an admin sees Twilio's cost and the markup."""

from __future__ import annotations

from decimal import Decimal

from reflex import constants
from reflex.istate.data import RouterData

from callplatform.db import session_scope
from callplatform.models import Role, User
from callplatform.pages.usage import UsageState
from tests.billing.test_shown import seed_sub_cent_month
from tests.state.harness import call, login_token, state_for


def _cents(text: str) -> Decimal:
    return Decimal(text.lstrip("$").replace(",", ""))


def _loaded(email: str, user_param: str = "") -> UsageState:
    state = state_for(UsageState, login_token(email, "long enough pw"))
    if user_param:  # the admin opened /usage?user=ID
        root = state._get_root_state()
        root.router = RouterData.from_router_data(
            {
                constants.RouteVar.HEADERS: dict(root.router.headers.raw_headers),
                constants.RouteVar.QUERY: {"user": user_param},
            }
        )
    call(state, "load")
    return state


def test_header_tiles_numbers_and_days_agree_to_the_cent(sqlite_db):
    with session_scope() as s:
        seed_sub_cent_month(s)
    page = _loaded("ann@example.com")
    total = _cents(page.total)
    assert total == Decimal("0.05")
    assert sum(_cents(t.amount) for t in page.tiles) == total
    assert sum(_cents(n.amount) for n in page.per_number) == total
    assert sum(Decimal(str(d["spend"])) for d in page.daily) == total


def test_users_see_what_they_pay_admins_the_split(sqlite_db):
    with session_scope() as s:
        ann_id = seed_sub_cent_month(s)
        root = s.get(User, seed_sub_cent_month(s, "root@example.com"))
        root.role = Role.ADMIN
        s.add(root)
    page = _loaded("ann@example.com")
    assert not page.split
    assert (page.twilio_cost, page.markup) == ("", "")
    assert page.items and all(i.twilio_cost == "" for i in page.items)
    assert all(i.charge == "$0.01500" for i in page.items)
    admin = _loaded("root@example.com", str(ann_id))
    assert admin.viewing == "ann@example.com" and admin.split
    assert _cents(admin.twilio_cost) + _cents(admin.markup) == _cents(admin.total)
    assert all(i.twilio_cost == "$0.01250" for i in admin.items)
