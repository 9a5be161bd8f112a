"""Calls and recordings (REST), and the sandbox-only doors that stand in for the Voice
SDK in a browser (connect, answer, reject, digits) and for the outside world calling in."""

from __future__ import annotations

import functools

from sqlmodel import col, select
from starlette.responses import Response

from twilio_sandbox import calls_store as store
from twilio_sandbox import keypad, shapes, simulator
from twilio_sandbox.database import read_scope, session_scope
from twilio_sandbox.http import TwilioError, authorize, endpoint, list_page
from twilio_sandbox.models import (
    SandboxAccount,
    SandboxApplication,
    SandboxCall,
    SandboxNumber,
    SandboxRecording,
)


def _call(s, path) -> SandboxCall:
    call = s.get(SandboxCall, path["ca"])
    if call is None or call.account_sid != path["sid"]:
        raise TwilioError(404, 20404, f"The requested resource /Calls/{path['ca']} was not found")
    return call


def _valid_e164(value: str) -> bool:
    return value.startswith("+") and value[1:].isdigit() and 8 <= len(value) <= 16


@endpoint
def calls(request, path, form):
    if request.method == "GET":
        with read_scope() as s:
            authorize(request, s, path["sid"])
            query = select(SandboxCall).where(SandboxCall.account_sid == path["sid"])
            for param, column in (("Status", SandboxCall.status),
                                  ("ParentCallSid", SandboxCall.parent_call_sid),
                                  ("To", SandboxCall.to), ("From", SandboxCall.from_)):  # fmt: skip
                if request.query_params.get(param):
                    query = query.where(column == request.query_params[param])
            query = query.order_by(col(SandboxCall.date_created).desc(), col(SandboxCall.sid))
            return 200, list_page(request, s, query, "calls", shapes.call)
    with session_scope() as s:
        account = authorize(request, s, path["sid"])
        token = account.auth_token
    to, from_ = form.get("To", ""), form.get("From", "")
    if not _valid_e164(to):
        raise TwilioError(400, 21211, f"Invalid 'To' Phone Number: {to}")
    if not form.get("Url") and not form.get("Twiml"):
        raise TwilioError(400, 21205, "Url parameter is required.")
    call = store.create_call(account_sid=path["sid"], from_=from_, to=to, direction="outbound-api")
    params = dict(simulator._base_params(call, path["sid"]), CallStatus="in-progress")
    simulator.start(
        simulator.run_api_call,
        call=call,
        url=form.get("Url"),
        params=params,
        token=token,
        status_callback=form.get("StatusCallback"),
    )
    return 201, shapes.call(call)


@endpoint
def call(request, path, form):
    with session_scope() as s:
        authorize(request, s, path["sid"])
        row = _call(s, path)
        if form.get("Status") in ("completed", "canceled") and row.status not in simulator.FINAL:
            store.clock(row.sid).hang_up()
        elif form.get("Twiml") or form.get("Url"):
            # Twilio moves a live call to the new TwiML at once; a call not in progress
            # can't be moved (error 21220).
            if row.status != "in-progress":
                raise TwilioError(400, 21220, "Call is not in-progress. Cannot redirect.")
            if form.get("Twiml"):
                store.clock(row.sid).redirect("twiml", form["Twiml"])
            else:
                store.clock(row.sid).redirect("url", form["Url"])
        return 200, shapes.call(row)


@endpoint
def recordings(request, path, form):
    with read_scope() as s:
        authorize(request, s, path["sid"])
        query = select(SandboxRecording).where(
            SandboxRecording.account_sid == path["sid"], SandboxRecording.deleted.is_(False)
        )
        call_sid = path.get("ca") or request.query_params.get("CallSid")
        if call_sid:
            query = query.where(SandboxRecording.call_sid == call_sid)
        query = query.order_by(col(SandboxRecording.date_created).desc())
        shape = functools.partial(shapes.recording, price_as_number=bool(path.get("ca")))
        return 200, list_page(request, s, query, "recordings", shape)


@endpoint
def recording(request, path, form):
    rec_sid, _, ext = path["re"].partition(".")
    with session_scope() as s:
        authorize(request, s, path["sid"])
        rec = s.get(SandboxRecording, rec_sid)
        if rec is None or rec.account_sid != path["sid"] or rec.deleted:
            raise TwilioError(
                404, 20404, f"The requested resource /Recordings/{rec_sid} was not found"
            )
        if request.method == "DELETE":
            rec.deleted = True
            s.add(rec)
            return 204, None
        if ext in ("wav", "mp3"):
            return 200, Response(store.tone_wav(rec.duration), media_type="audio/x-wav")
        return 200, shapes.recording(rec)


def _token(s, account_sid: str) -> str:
    return s.get(SandboxAccount, account_sid).auth_token


@endpoint
def device_connect(request, path, form):
    """The browser's Voice SDK `Device.connect({To, CallerId})`."""
    with session_scope() as s:
        authorize(request, s, path["sid"])
        query = select(SandboxApplication).where(SandboxApplication.account_sid == path["sid"])
        if form.get("ApplicationSid"):
            query = query.where(SandboxApplication.sid == form["ApplicationSid"])
        app = s.exec(query).first()
        if app is None or not app.voice_url:
            raise TwilioError(400, 21218, "No TwiML application with a voice URL")
        token = _token(s, path["sid"])
    parent = store.create_call(
        account_sid=path["sid"],
        from_=f"client:{path['identity']}",
        to=form.get("To", ""),
        direction="inbound",
        status="ringing",
    )
    params = dict(
        simulator._base_params(parent, path["sid"]),
        ApplicationSid=app.sid,
        CallStatus="ringing",
        CallerId=form.get("CallerId", ""),
    )
    simulator.start(
        simulator.run_call,
        call=parent,
        url=app.voice_url,
        params=params,
        token=token,
        status_callback=app.status_callback,
    )
    return 201, {"sid": parent.sid}


@endpoint
def device_action(request, path, form):
    """Answer, reject or send digits to a call, as the browser would."""
    action = request.url.path.rsplit("/", 1)[-1].removesuffix(".json")
    with read_scope() as s:
        authorize(request, s, path["sid"])
        row = _call(s, path)
    if action == "Answer":
        store.set_answerer(row.sid, form.get("Identity", ""))
        store.answer_event(row.sid).set()
    elif action == "Reject":
        store.reject_event(row.sid).set()
    elif action == "Digits":
        store.add_digits(
            row.sid, "".join(c for c in form.get("Digits", "") if c in "0123456789*#w")
        )
    else:
        raise TwilioError(404, 20404, "Unknown action")
    return 204, None


@endpoint
def incoming_call(request, path, form):
    """Someone out in the world calls one of the numbers the sandbox sold; `Keypresses`
    (sandbox-only) are the keys they will press, one comma-separated entry per Gather."""
    with session_scope() as s:
        authorize(request, s, path["sid"])
        number = s.exec(
            select(SandboxNumber).where(
                SandboxNumber.phone_number == form.get("To", ""),
                SandboxNumber.released.is_(False),
            )
        ).first()
        if number is None or number.account_sid != path["sid"]:
            raise TwilioError(404, 20404, "That number is not in service")
        if s.get(SandboxAccount, number.account_sid).status != "active":
            # Twilio rejects calls to a suspended account's numbers.
            raise TwilioError(403, 20005, "The account owning this number is not active")
        token = _token(s, number.account_sid)
    if not _valid_e164(form.get("From", "")):
        raise TwilioError(400, 21212, "Invalid 'From' Phone Number")
    inbound = store.create_call(
        account_sid=number.account_sid,
        from_=form["From"],
        to=number.phone_number,
        direction="inbound",
        status="ringing",
    )
    params = dict(simulator._base_params(inbound, number.account_sid), CallStatus="ringing")
    if form.get("Keypresses"):  # what the caller will press at each <Gather>, for tests
        keypad.queue_keypresses(inbound.sid, form["Keypresses"])
    simulator.start(
        simulator.run_call,
        call=inbound,
        url=number.voice_url,
        params=params,
        token=token,
        status_callback=number.status_callback,
    )
    return 201, {"sid": inbound.sid}
