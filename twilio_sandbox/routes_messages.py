"""Messages and their media (REST, 2010-04-01), and the sandbox-only door through which
the outside world texts a number the sandbox sold."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import col, select
from starlette.responses import Response

from twilio_sandbox import message_delivery as delivery
from twilio_sandbox import message_senders as senders
from twilio_sandbox import message_shapes as shapes
from twilio_sandbox import messages_store as store
from twilio_sandbox.database import read_scope, session_scope
from twilio_sandbox.http import TwilioError, authorize, endpoint, list_page
from twilio_sandbox.message_models import SandboxMedia, SandboxMessage
from twilio_sandbox.models import SandboxAccount
from twilio_sandbox.routes_calls import _valid_e164

FINAL = {"delivered", "undelivered", "failed", "received", "canceled", "read"}
MAX_BODY = 1600


def _message(s, path) -> SandboxMessage:
    sid = path.get("mm") or path.get("ms")
    row = s.get(SandboxMessage, sid)
    if row is None or row.account_sid != path["sid"]:
        raise TwilioError(404, 20404, f"The requested resource /Messages/{sid} was not found")
    return row


def _day(text: str) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(text[:10]), time.min, tzinfo=UTC)
    except ValueError:
        raise TwilioError(400, 20001, f"Invalid DateSent {text}") from None


@endpoint
def messages(request, path, form):
    if request.method == "GET":
        q = request.query_params
        with read_scope() as s:
            authorize(request, s, path["sid"])
            query = select(SandboxMessage).where(SandboxMessage.account_sid == path["sid"])
            if q.get("To"):
                query = query.where(SandboxMessage.to == q["To"])
            if q.get("From"):
                query = query.where(SandboxMessage.from_ == q["From"])
            for param, test in (("DateSent", "="), ("DateSent<", "<"), ("DateSent>", ">")):
                if q.get(param):
                    day = _day(q[param])
                    sent = col(SandboxMessage.date_sent)
                    if test == "=":
                        query = query.where(sent >= day, sent < day + timedelta(days=1))
                    else:  # Twilio's bounds include the day named
                        bound = sent < day + timedelta(days=1) if test == "<" else sent >= day
                        query = query.where(bound)
            query = query.order_by(col(SandboxMessage.date_created).desc(), col(SandboxMessage.sid))
            return 200, list_page(request, s, query, "messages", shapes.message)
    media_urls = request.state.form_lists.get("MediaUrl", [])
    to, body = form.get("To", ""), form.get("Body", "")
    with read_scope() as s:
        authorize(request, s, path["sid"])
        if not _valid_e164(to):
            raise TwilioError(400, 21211, f"Invalid 'To' Phone Number: {to}")
        from_, service_sid, pool = senders.resolve(s, path["sid"], form)
    if not body and not media_urls:
        raise TwilioError(400, 21619, "A text message body or media urls must be specified.")
    if len(body) > MAX_BODY:
        raise TwilioError(
            400, 21617, "The concatenated message body exceeds the 1600 character limit."
        )
    if not to.startswith("+1"):  # geographic permissions: the US and Canada only
        raise TwilioError(
            400,
            21408,
            "Permission to send an SMS has not been enabled for the region indicated by "
            f"the 'To' number: {to}",
        )
    if store.opted_out(pool, to):
        raise TwilioError(400, 21610, "Attempt to send to unsubscribed recipient")
    message = store.create_message(
        account_sid=path["sid"],
        messaging_service_sid=service_sid,
        from_=from_,
        to=to,
        body=body,
        status="queued" if from_ else "accepted",
        direction="outbound-api",
        status_callback=form.get("StatusCallback") or senders.service_callback(service_sid),
        media=[(url, "application/octet-stream", None) for url in media_urls],
    )
    delivery.send(message, pool=pool)
    return 201, shapes.message(message)


@endpoint
def message(request, path, form):
    with session_scope() as s:
        authorize(request, s, path["sid"])
        row = _message(s, path)
        if request.method == "DELETE":
            if row.status not in FINAL:
                raise TwilioError(400, 20009, "Cannot delete this resource before it is complete")
            for item in s.exec(select(SandboxMedia).where(SandboxMedia.message_sid == row.sid)):
                s.delete(item)
            s.delete(row)
            return 204, None
        if request.method == "POST" and "Body" in form:
            if form["Body"] != "" or row.status not in FINAL:  # only redaction, once final
                raise TwilioError(400, 20009, "Only a final message's body can be redacted")
            row.body = ""
            s.add(row)
        return 200, shapes.message(row)


@endpoint
def media_list(request, path, form):
    with read_scope() as s:
        authorize(request, s, path["sid"])
        _message(s, path)
        query = select(SandboxMedia).where(SandboxMedia.message_sid == path["mm"])
        query = query.order_by(SandboxMedia.date_created, SandboxMedia.sid)
        return 200, list_page(request, s, query, "media_list", shapes.media)


@endpoint
def media_item(request, path, form):
    me_sid, _, ext = path["me"].partition(".")
    with session_scope() as s:
        authorize(request, s, path["sid"])
        _message(s, path)
        item = s.get(SandboxMedia, me_sid)
        if item is None or item.message_sid != path["mm"]:
            raise TwilioError(404, 20404, f"The requested resource /Media/{me_sid} was not found")
        if request.method == "DELETE":
            s.delete(item)
            return 204, None
        if ext != "json":  # the content itself, as Twilio serves a MediaUrl
            if item.content is None:
                raise TwilioError(404, 20404, "The media has not been fetched yet")
            return 200, Response(item.content, media_type=item.content_type)
        return 200, shapes.media(item)


@endpoint
def incoming_message(request, path, form):
    """Someone out in the world texts a number the sandbox sold (with pictures, given as
    MediaUrl: http(s) or data: URLs)."""
    with read_scope() as s:
        authorize(request, s, path["sid"])
        number = store.owner_of(form.get("To", ""))
        if number is None or number.account_sid != path["sid"]:
            raise TwilioError(404, 20404, "That number is not in service")
        if s.get(SandboxAccount, number.account_sid).status != "active":
            raise TwilioError(403, 20005, "The account owning this number is not active")
    if not _valid_e164(form.get("From", "")):
        raise TwilioError(400, 21212, "Invalid 'From' Phone Number")
    media = []
    for url in request.state.form_lists.get("MediaUrl", []):
        try:
            media.append((url, *store.fetch_media(url)))
        except ValueError as exc:
            raise TwilioError(400, 11200, f"HTTP retrieval failure: {exc}") from None
    inbound = delivery.deliver_inbound(
        number, from_=form["From"], body=form.get("Body", ""), media=media
    )
    return 201, shapes.message(inbound)
