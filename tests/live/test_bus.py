"""What is announced on the live bus: every committed change to a user's calls,
recordings, numbers or sessions, to that user only, once committed, never for a rollback;
and the status callback's hot path (no ORM) announces its signer's calls."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel import select

from callplatform import config, live
from callplatform.api import signed
from callplatform.db import session_scope
from callplatform.models import TwilioCall, TwilioSubaccount, UserPhoneNumber
from callplatform.telephony.signatures import compute_signature
from callplatform.tenancy import crypto
from tests.helpers import make_user, personal_workspace, wait_for

ANN_ACCOUNT, BOB_ACCOUNT = "AC" + "1" * 32, "AC" + "3" * 32
ANN_TOKEN, BOB_TOKEN = "f" * 32, "e" * 32
CALL = "CA" + "2" * 32


def _call(user_id: int, sid: str = CALL) -> TwilioCall:
    return TwilioCall(
        workspace_id=personal_workspace(user_id), handled_by=user_id, call_sid=sid,
        direction="outbound", from_number="+14155550100", to_number="+12125550123",
    )  # fmt: skip


def test_a_commit_announces_each_owners_changes(db_url, notices):
    ann, bob = make_user("ann@example.com"), make_user("bob@example.com")
    notices.heard.clear()  # registering signs nobody in: nothing of theirs is watched
    with session_scope() as s:
        s.add(_call(ann))
        s.add(
            UserPhoneNumber(
                user_id=bob, workspace_id=personal_workspace(bob), phone_number="+14155550199"
            )
        )
    wait_for(lambda: notices.of(ann) and notices.of(bob))
    assert notices.of(ann) == {live.CALLS}
    assert notices.of(bob) == {live.NUMBERS}
    with session_scope() as s:
        row = s.exec(select(TwilioCall)).one()
        row.status = "ringing"
    wait_for(lambda: len([n for n in notices.heard if n[0] == ann]) == 2)


def test_a_rollback_announces_nothing(db_url, notices):
    ann = make_user("ann@example.com")
    with pytest.raises(RuntimeError), session_scope() as s:
        s.add(_call(ann))
        s.flush()  # written, then undone
        raise RuntimeError("crash half-way")
    with session_scope() as s:  # a session that rolls back and goes on (a retry)
        s.add(_call(ann, "CA" + "4" * 32))
        s.flush()
        s.rollback()
        s.add(
            UserPhoneNumber(
                user_id=ann, workspace_id=personal_workspace(ann), phone_number="+14155550199"
            )
        )
    wait_for(lambda: notices.of(ann))
    assert notices.of(ann) == {live.NUMBERS}  # the rolled-back calls never were


@pytest.fixture
def tenants(db_url, live_api, monkeypatch):
    """Ann and Bob with subaccounts; a function POSTing a status callback signed by one."""
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://calls.example.com")
    config.reset_settings()
    signed.clear_token_cache()
    for n in range(5):  # ids apart from the few a stray thread of an earlier test may touch
        make_user(f"padding{n}@example.com")
    users = {}
    for email, account, token in [
        ("ann@example.com", ANN_ACCOUNT, ANN_TOKEN),
        ("bob@example.com", BOB_ACCOUNT, BOB_TOKEN),
    ]:
        users[account] = make_user(email)
        with session_scope() as s:
            s.add(
                TwilioSubaccount(
                    user_id=users[account],
                    workspace_id=personal_workspace(users[account]),
                    account_sid=account,
                    auth_token_encrypted=crypto.encrypt(token),
                )
            )
    client = httpx.Client(base_url=live_api, timeout=10)

    def post_status(account: str, token: str, call_status: str, seq: int) -> int:
        params = {
            "AccountSid": account, "CallSid": CALL, "From": "+14155550100",
            "To": "+12125550123", "Direction": "outbound-api", "CallStatus": call_status,
            "SequenceNumber": str(seq),
        }  # fmt: skip
        url = "https://calls.example.com/api/twilio/status"
        signature = compute_signature(auth_token=token, url=url, params=params)
        reply = client.post(
            "/api/twilio/status", data=params, headers={"X-Twilio-Signature": signature}
        )
        return reply.status_code

    yield users, post_status
    client.close()
    signed.clear_token_cache()


def test_a_status_callback_is_announced_to_its_signer_only(tenants, notices):
    users, post_status = tenants
    ann, bob = users[ANN_ACCOUNT], users[BOB_ACCOUNT]
    notices.heard.clear()
    assert post_status(ANN_ACCOUNT, ANN_TOKEN, "initiated", 0) == 204
    wait_for(lambda: notices.of(ann) == {live.CALLS})
    # Bob signs a callback naming Ann's call: nothing of Ann's changes, nothing tells her
    # (nor Bob: no call of his changed). An unsigned (forged) callback is refused and
    # announces nothing. Ann's next genuine one is the only notice after them.
    heard = len(notices.heard)
    assert post_status(BOB_ACCOUNT, BOB_TOKEN, "completed", 9) == 204
    assert post_status(ANN_ACCOUNT, BOB_TOKEN, "completed", 10) == 403
    assert post_status(ANN_ACCOUNT, ANN_TOKEN, "in-progress", 2) == 204
    wait_for(lambda: len(notices.heard) > heard)
    assert notices.heard[heard:] == [(ann, frozenset({live.CALLS}))], (ann, bob)


@pytest.mark.parametrize("notices", ["redis"], indirect=True)
def test_a_deployment_on_another_redis_database_hears_nothing(db_url, notices, monkeypatch):
    """Two deployments sharing a Redis server keep apart by database number; pub/sub
    channels ignore it, so the bus's must name it."""
    from callplatform.live import bus
    from tests.helpers import REDIS_URL

    other = REDIS_URL.rsplit("/", 1)[0] + "/9"
    monkeypatch.setenv("REDIS_URL", other)  # the other deployment publishes ...
    config.reset_settings()
    bus.publish(424242, {live.CALLS})
    monkeypatch.setenv("REDIS_URL", REDIS_URL)  # ... then ours
    config.reset_settings()
    bus.publish(434343, {live.NUMBERS})
    wait_for(lambda: notices.of(434343))
    assert notices.of(424242) == set()
