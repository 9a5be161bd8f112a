"""Two users with the same kinds of data, every value of it their own: Ann (the victim)
and Bob. Everything a user can own is there: a subaccount, numbers (one released), calls
both ways (a missed one, one still ringing, a child leg), recordings and a voicemail, raw
webhooks, bill lines, an API token, an idempotent answer, audit entries, daily usage,
presence, call attempts, a login session and a contact (in their personal workspace) naming a party they talked to;
a routing (a menu) on their main number."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from callplatform.accounts import api_tokens, auth, sessions
from callplatform.db import session_scope
from callplatform.models import (
    AuditEvent,
    CallAttempt,
    ClientPresence,
    Contact,
    ContactNumber,
    Conversation,
    CostItem,
    CostKind,
    DailyUsage,
    IdempotencyKey,
    Message,
    NumberRouting,
    NumberStatus,
    TwilioCall,
    TwilioRecording,
    TwilioSubaccount,
    UserPhoneNumber,
    WebhookEvent,
)
from callplatform.routing.document import RoutingDocument
from callplatform.tenancy import crypto
from callplatform.workspaces import membership

PASSWORD = "long enough pw"
ANN, BOB = "ann@example.com", "bob@example.com"


@dataclasses.dataclass
class Owned:
    user: int
    email: str
    phone: str  # their main number
    number: int
    call: int
    call_sid: str
    recording: int
    recording_sid: str
    token: int
    contact: int  # their contact, naming the party of their inbound call
    conversation: int


# hex: the owner's letter fills every SID; name, area code, numbers they talk to.
PEOPLE = {
    ANN: ("a", "Zephyr", "415", ["+12125550188", "+17185550166", "+13475550144", "+19175550133"]),
    BOB: ("b", "Quill", "312", ["+16465550100", "+12025550133", "+15125550122", "+16175550111"]),
}


def seed() -> dict[str, Owned]:
    with session_scope() as s:
        return {email: _give(s, email, *PEOPLE[email]) for email in (ANN, BOB)}


def _sid(prefix: str, hexchar: str, n: int) -> str:
    return f"{prefix}{hexchar * 30}{n:02x}"


def _give(s, email: str, hx: str, tag: str, area: str, others: list[str]) -> Owned:
    user = auth.create_user(session=s, email=email, password=PASSWORD)
    uid, now = user.id, datetime.now(UTC)
    workspace = membership.personal_workspace_id(session=s, user_id=uid)
    account = _sid("AC", hx, 1)
    s.add(
        TwilioSubaccount(
            user_id=uid,
            workspace_id=workspace,
            account_sid=account,
            auth_token_encrypted=crypto.encrypt(f"{tag}-auth-token-{hx * 24}"),
            twiml_app_sid=_sid("AP", hx, 2),
            api_key_sid=_sid("SK", hx, 3),
            api_key_secret_encrypted=crypto.encrypt(f"{tag}-api-key-secret-{hx * 20}"),
        )
    )
    main, back, old = (f"+1{area}55501{n}" for n in ("00", "11", "22"))
    numbers = [
        UserPhoneNumber(
            user_id=uid,
            phone_number=phone,
            phone_number_sid=_sid("PN", hx, 10 + i),
            friendly_name=f"{tag} {label}",
            monthly_price=Decimal("1.15"),
            record_calls=i == 1,
            status=NumberStatus.RELEASED if i == 2 else NumberStatus.ACTIVE,
            workspace_id=workspace,
        )
        for i, (phone, label) in enumerate(
            ((main, "main line"), (back, "back office"), (old, "old"))
        )
    ]
    s.add_all(numbers)
    s.flush()
    s.add(NumberRouting(number_id=numbers[0].id, document=_routing(tag, others[2])))
    specs = [  # direction, other party, status, missed
        ("inbound", others[0], "completed", False),
        ("outbound", others[1], "completed", False),
        ("inbound", others[2], "no-answer", True),
        ("inbound", others[3], "ringing", False),
    ]
    calls = []
    for i, (direction, other, status, missed) in enumerate(specs):
        ours = numbers[i % 2].phone_number
        call = TwilioCall(
            workspace_id=workspace,
            handled_by=uid if status == "completed" else None,  # ringing, missed: no one
            number_id=numbers[i % 2].id,
            call_sid=_sid("CA", hx, 20 + i),
            parent_call_sid=_sid("CA", hx, 30) if i == 1 else None,
            direction=direction,
            from_number=other if direction == "inbound" else ours,
            to_number=ours if direction == "inbound" else other,
            status=status,
            missed=missed,
            started_at=now - timedelta(minutes=10 - i),
            duration_seconds=61 + i if status == "completed" else None,
            price=Decimal("-0.0130") if status == "completed" else None,
        )
        s.add(call)
        s.flush()
        calls.append(call)
        s.add(
            WebhookEvent(
                kind="status",
                dedupe_key=f"status:{call.call_sid}:0",
                resource_sid=call.call_sid,
                payload={
                    "AccountSid": account,
                    "CallSid": call.call_sid,
                    "From": call.from_number,
                    "To": call.to_number,
                    "CallStatus": status,
                    "SequenceNumber": "0",
                },
            )
        )
    recordings = [
        TwilioRecording(
            workspace_id=workspace,
            call_id=calls[i].id,
            recording_sid=_sid("RE", hx, 40 + i),
            call_sid=calls[i].call_sid,
            duration_seconds=7 + i,
            is_voicemail=calls[i].missed,
        )
        for i in (1, 2)
    ]
    s.add_all(recordings)
    s.flush()
    s.add(
        WebhookEvent(
            kind="recording",
            dedupe_key=f"recording:{recordings[0].recording_sid}",
            resource_sid=recordings[0].recording_sid,
            payload={
                "AccountSid": account,
                "RecordingSid": recordings[0].recording_sid,
                "RecordingUrl": f"https://api.twilio.com/2010-04-01/Accounts/{account}/"
                f"Recordings/{recordings[0].recording_sid}",
            },
        )
    )
    _bill(s, uid, workspace, numbers[0], calls[1], recordings[0], now)
    token, _raw = api_tokens.create_token(session=s, owner_id=uid, name=f"{tag} deploy token")
    s.add(
        IdempotencyKey(
            user_id=uid,
            key=f"{tag}-buy-key-1",
            request_hash=hx * 64,
            status_code=201,
            response={"phone_number": main, "friendly_name": f"{tag} main line"},
        )
    )
    s.add_all(
        [
            AuditEvent(
                action="call.refused",
                actor_user_id=uid,
                client=f"198.51.100.{1 if hx == 'a' else 2}",
                detail={"to": others[1], "reason": f"{tag} over the cap"},
            ),
            AuditEvent(action="admin.set_cap", target_user_id=uid, detail={"cap": "42.17"}),
            DailyUsage(day=now.date(), workspace_id=workspace, calls=3, call_seconds=123),
            ClientPresence(user_id=uid),
            CallAttempt(workspace_id=workspace),
        ]
    )
    conversation = _texts(s, uid, workspace, numbers[0], others[0], tag, hx, now)
    sessions.create_session(session=s, user_id=uid)
    contact = Contact(
        workspace_id=workspace, name=f"{tag} Confidant", company=f"{tag} Holdings",
        notes=f"{tag} private notes", created_by=uid,
    )  # fmt: skip
    s.add(contact)
    s.flush()
    s.add(
        ContactNumber(contact_id=contact.id, workspace_id=workspace, number=others[0], label="cell")
    )
    s.flush()
    return Owned(
        user=uid,
        email=email,
        phone=main,
        number=numbers[0].id,
        call=calls[1].id,
        call_sid=calls[1].call_sid,
        recording=recordings[0].id,
        recording_sid=recordings[0].recording_sid,
        token=token.id,
        contact=contact.id,
        conversation=conversation,
    )


def _routing(tag: str, forward_to: str) -> dict:
    """A menu on the main number, its greeting and forward theirs alone."""
    menu = {"type": "menu", "greeting": f"{tag} private greeting",
            "options": {"1": [{"type": "forward", "to": forward_to}]}}  # fmt: skip
    return RoutingDocument.model_validate({"route": [menu]}).model_dump(mode="json")


def _texts(s, uid: int, workspace: int, number, other: str, tag: str, hx: str, now) -> int:
    """A text thread on the main number: one text in (unread), one out (undelivered)."""
    thread = Conversation(
        workspace_id=workspace,
        number_id=number.id,
        other_party=other,
        last_message_at=now,
        last_preview=f"{tag} private reply",
        unread=1,
    )
    s.add(thread)
    s.flush()
    for i, (direction, body, status, code) in enumerate(
        (("outbound", f"{tag} private text", "undelivered", 30005),
         ("inbound", f"{tag} private reply", "received", None))
    ):  # fmt: skip
        ours, theirs = number.phone_number, other
        s.add(
            Message(
                workspace_id=workspace,
                conversation_id=thread.id,
                number_id=number.id,
                direction=direction,
                message_sid=_sid("SM", hx, 50 + i),
                from_number=ours if direction == "outbound" else theirs,
                to_number=theirs if direction == "outbound" else ours,
                body=body,
                status=status,
                error_code=code,
                sent_by=uid if direction == "outbound" else None,
                created_at=now - timedelta(minutes=2 - i),
                updated_at=now,
            )  # fmt: skip
        )
    return thread.id


def _bill(s, uid: int, workspace: int, number, call, recording, now) -> None:
    items = [
        (CostKind.NUMBER_MONTHLY, f"number:{number.phone_number_sid}", {"number_id": number.id}),
        (CostKind.CALL, f"call:{call.call_sid}", {"call_id": call.id, "number_id": number.id}),
        (
            CostKind.RECORDING,
            f"recording:{recording.recording_sid}",
            {"recording_id": recording.id},
        ),
    ]
    for kind, key, refs in items:
        s.add(
            CostItem(
                workspace_id=workspace,
                handled_by=uid,
                kind=kind,
                source_key=key,
                twilio_cost=Decimal("0.0130"),
                markup=Decimal("0.0020"),
                charge=Decimal("0.0150"),
                description=f"{kind.value} {key}",
                occurred_at=now,
                **refs,
            )
        )
