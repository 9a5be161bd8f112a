"""What Twilio tells us about a moved call's conference, and the progress of a party we
dialled into it. Only a conference of the signing account counts (its name and the
AccountSid the signature proved). Events keep the row true: the conference's SID, who is
in it, whether the customer is held, when the user's leg left; and say what to do next,
once committed (`follow_up`): hand the call over when a transfer's party answers, take
the customer off hold when the party we dialled never answers or hangs up, end the
conference when the customer is left alone in it."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session, select

from callplatform.callbacks import call_status
from callplatform.live import track
from callplatform.live.topics import CALLS
from callplatform.models import UNSUCCESSFUL_STATUSES, CallConference
from callplatform.models.base import utcnow
from callplatform.routing import transfer
from callplatform.telephony import gateway

HAND_OVER, RESUME, END = "hand-over", "resume", "end"


def _conference(session: Session, params: Mapping[str, str]) -> CallConference | None:
    return session.exec(
        select(CallConference).where(
            CallConference.name == params.get("FriendlyName", ""),
            CallConference.account_sid == params.get("AccountSid", ""),
        )
    ).first()


def on_event(*, session: Session, params: Mapping[str, str]) -> tuple[str, int] | None:
    """Apply one conference event; (what to do next, conference id) or None."""
    conf = _conference(session, params)
    if conf is None or conf.status == "ended":
        return None
    event, sid = params.get("StatusCallbackEvent", ""), params.get("CallSid", "")
    present, after = set(conf.present.split()), None
    if event in ("conference-start", "participant-join"):
        conf.conference_sid = conf.conference_sid or params.get("ConferenceSid", "")[:34]
        conf.status = "live"
    if event == "participant-join":
        present.add(sid)
        if sid and sid == conf.pending_sid:
            after = _party_joined(conf)
    elif event == "participant-leave":
        present.discard(sid)
        if sid and sid == conf.agent_sid and not conf.agent_left:
            conf.agent_left = True
            after = _agent_gone(conf)
        if sid and sid == conf.pending_sid:  # the party we dialled in hung up
            after = _party_gone(session, conf, "left")
        if present == {conf.customer_sid} and not (conf.pending and not conf.pending_joined):
            after = END  # nobody left to talk to the customer
    elif event in ("participant-hold", "participant-unhold") and sid == conf.customer_sid:
        conf.on_hold = event == "participant-hold"
    elif event == "conference-end":
        conf.status = "ended"
    conf.present, conf.updated_at = " ".join(sorted(present))[:400], utcnow()
    session.add(conf)
    return (after, conf.id) if after else None


def _party_joined(conf: CallConference) -> str | None:
    """The party we dialled answered: a transfer is handed over (or, the user gone
    meanwhile, the customer simply taken off hold); a third party has joined."""
    conf.pending_joined = True
    if conf.pending == "add" or (conf.pending and conf.agent_left):
        conf.pending = ""
        return RESUME if conf.on_hold else None
    return HAND_OVER if conf.pending == "transfer" else None


def _agent_gone(conf: CallConference) -> str | None:
    """The user hung up mid-transfer: a party already on the line takes the customer."""
    if conf.pending and conf.pending_joined:
        conf.pending = ""
        return RESUME if conf.on_hold else None
    return None


def _party_gone(session: Session, conf: CallConference, why: str) -> str | None:
    if conf.pending_to:
        transfer.note(session, conf, "unanswered" if why != "left" else "left",
                      transfer.party_words(session, conf.pending_to))  # fmt: skip
    conf.pending, conf.pending_sid, conf.pending_joined = "", None, False
    return RESUME if conf.on_hold and not conf.agent_left else None


def on_party_status(
    *, session: Session, params: Mapping[str, str], handled_by: int | None = None
) -> tuple[str, int] | None:
    """A dialled-in party's call progress: logged and billed as any call's (the status
    callback's own logic, `handled_by` the member who dialled it, as its signed URL
    says); one that ends unanswered calls off what it was for."""
    call_id = call_status.apply_status_callback(
        session=session, params=params, handled_by=handled_by
    )
    if call_id is not None:  # written past the ORM: its audience is told here
        track.announce(session, track.call_audience(session.connection(), call_id), CALLS)
    conf = session.exec(
        select(CallConference).where(
            CallConference.pending_sid == params.get("CallSid", "-"),
            CallConference.account_sid == params.get("AccountSid", ""),
        )
    ).first()
    if conf is None or params.get("CallStatus") not in UNSUCCESSFUL_STATUSES:
        return None
    after = _party_gone(session, conf, params.get("CallStatus", ""))
    session.add(conf)
    return (after, conf.id) if after else None


def follow_up(*, session: Session, step: tuple[str, int]) -> None:
    """Do, after the event's commit, what it called for (Twilio requests)."""
    action, conf_id = step
    conf = session.get(CallConference, conf_id)
    if conf is None or conf.status == "ended" or not conf.conference_sid:
        return
    if action == HAND_OVER and not conf.agent_left:
        transfer.hand_over(session, conf)
    elif action == RESUME and conf.on_hold:
        transfer.set_hold(session, conf, False)
    elif action == END:
        creds = transfer.creds_of(session, conf)
        gateway.end_conference(creds, conference_sid=conf.conference_sid)
