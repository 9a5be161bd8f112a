"""Conferences and their Participants (REST): list, fetch and end conferences; list,
add (dial in), fetch, update (hold with a hold URL, mute) and remove participants."""

from __future__ import annotations

from sqlmodel import col, select

from twilio_sandbox import calls_store as store
from twilio_sandbox import conference_shapes as shapes
from twilio_sandbox import conferences, participants
from twilio_sandbox.conference_models import SandboxConference, SandboxParticipant
from twilio_sandbox.database import read_scope, session_scope
from twilio_sandbox.http import TwilioError, authorize, endpoint, list_page

_TRUE = {"true", "True", "1"}


def _flag(form: dict, name: str, default: bool) -> bool:
    return form[name] in _TRUE if name in form else default


def _conference(s, path) -> SandboxConference:
    conf = s.get(SandboxConference, path["cf"])
    if conf is None or conf.account_sid != path["sid"]:
        raise TwilioError(
            404, 20404, f"The requested resource /Conferences/{path['cf']} was not found"
        )
    return conf


def _participant(s, path) -> SandboxParticipant:
    row = participants.find(s, path["cf"], path["ca"])
    if row is None:
        raise TwilioError(
            404, 20404, f"The requested resource /Participants/{path['ca']} was not found"
        )
    return row


@endpoint
def conference_list(request, path, form):
    with read_scope() as s:
        authorize(request, s, path["sid"])
        query = select(SandboxConference).where(SandboxConference.account_sid == path["sid"])
        for param, column in (("FriendlyName", SandboxConference.friendly_name),
                              ("Status", SandboxConference.status)):  # fmt: skip
            if request.query_params.get(param):
                query = query.where(column == request.query_params[param])
        query = query.order_by(col(SandboxConference.date_created).desc())
        return 200, list_page(request, s, query, "conferences", shapes.conference)


@endpoint
def conference(request, path, form):
    with session_scope() as s:
        account = authorize(request, s, path["sid"])
        conf = _conference(s, path)
        token = account.auth_token
    if form.get("Status") == "completed" and conf.status != "completed":
        conferences.end(conf.sid, token, reason="conference-ended-via-api")
        with read_scope() as s:
            conf = s.get(SandboxConference, conf.sid)
    return 200, shapes.conference(conf)


@endpoint
def participant_list(request, path, form):
    if request.method == "POST":
        return _add(request, path, form)
    with read_scope() as s:
        authorize(request, s, path["sid"])
        _conference(s, path)
        query = select(SandboxParticipant).where(SandboxParticipant.conference_sid == path["cf"])
        for param, column in (("Hold", SandboxParticipant.hold),
                              ("Muted", SandboxParticipant.muted)):  # fmt: skip
            if request.query_params.get(param):
                query = query.where(column == (request.query_params[param] in _TRUE))
        query = query.order_by(col(SandboxParticipant.date_created))
        return 200, list_page(request, s, query, "participants", shapes.participant)


def _add(request, path, form):
    with session_scope() as s:
        account = authorize(request, s, path["sid"])
        conf = _conference(s, path)
        token = account.auth_token
    if conf.status == "completed":
        raise TwilioError(400, 21220, "The conference has ended")
    to, from_ = form.get("To", ""), form.get("From", "")
    if not to or not from_:
        raise TwilioError(400, 21604, "'To' and 'From' are required")
    if not to.startswith("client:") and not (to.startswith("+") and to[1:].isdigit()):
        raise TwilioError(400, 21211, f"Invalid 'To' Phone Number: {to}")
    call = store.create_call(account_sid=path["sid"], from_=from_, to=to, direction="outbound-api")
    lists = request.state.form_lists.get("StatusCallbackEvent") or ["completed"]
    options = dict(
        label=form.get("Label") or None,
        muted=_flag(form, "Muted", False),
        end_conference_on_exit=_flag(form, "EndConferenceOnExit", False),
        start_conference_on_enter=_flag(form, "StartConferenceOnEnter", True),
    )
    participants.dial_in(
        conf_sid=conf.sid, call=call, options=options, token=token,
        callback=form.get("StatusCallback"), events={w for e in lists for w in e.split()},
        timeout=int(form.get("Timeout", "30") or 30),
    )  # fmt: skip
    with read_scope() as s:
        return 201, shapes.participant(participants.find(s, conf.sid, call.sid))


@endpoint
def participant(request, path, form):
    with session_scope() as s:
        account = authorize(request, s, path["sid"])
        conf = _conference(s, path)
        row = _participant(s, path)
        token = account.auth_token
    if request.method == "DELETE":
        conferences.remove(row.call_sid)
        return 204, None
    if request.method == "POST":
        if "Hold" in form:
            participants.set_hold(
                row=row, hold=form["Hold"] in _TRUE, url=form.get("HoldUrl"),
                method=form.get("HoldMethod", "GET").upper(), conf_name=conf.friendly_name,
                token=token,
            )  # fmt: skip
        if "Muted" in form:
            participants.set_muted(row=row, muted=form["Muted"] in _TRUE, token=token)
        if "EndConferenceOnExit" in form:
            with session_scope() as s:
                fresh = s.get(SandboxParticipant, row.id)
                fresh.end_conference_on_exit = form["EndConferenceOnExit"] in _TRUE
                s.add(fresh)
    with read_scope() as s:
        return 200, shapes.participant(_participant(s, path))
