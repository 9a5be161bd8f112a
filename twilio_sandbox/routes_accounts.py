"""Accounts (subaccounts), applications, API keys and usage records."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import func
from sqlmodel import col, select

from twilio_sandbox import shapes
from twilio_sandbox.credentials import new_auth_token, new_sid
from twilio_sandbox.database import read_scope, session_scope
from twilio_sandbox.http import TwilioError, authorize, endpoint, list_page
from twilio_sandbox.models import (
    SandboxAccount,
    SandboxApiKey,
    SandboxApplication,
    SandboxUsage,
    now,
)

ACCOUNT_STATUSES = {"active", "suspended", "closed"}


@endpoint
def create_account(request, path, form):
    with session_scope() as s:
        caller = authorize(request, s, None)
        if caller.owner_account_sid:
            raise TwilioError(403, 20403, "Subaccounts cannot create subaccounts")
        account = SandboxAccount(
            sid=new_sid("AC"),
            auth_token=new_auth_token(),
            friendly_name=form.get("FriendlyName", "")[:64],
            owner_account_sid=caller.sid,
        )
        s.add(account)
        return 201, shapes.account(account)


@endpoint
def list_accounts(request, path, form):
    with read_scope() as s:
        caller = authorize(request, s, None)
        query = (
            select(SandboxAccount)
            .where(
                (SandboxAccount.sid == caller.sid)
                | (SandboxAccount.owner_account_sid == caller.sid)
            )
            .order_by(SandboxAccount.date_created)
        )
        return 200, list_page(request, s, query, "accounts", shapes.account)


@endpoint
def account(request, path, form):
    with session_scope() as s:
        target = authorize(request, s, path["sid"], fetching_account=True)
        status = form.get("Status")
        if status:
            if status not in ACCOUNT_STATUSES:
                raise TwilioError(400, 20001, f"Invalid Status {status}")
            if target.status == "closed" or not target.owner_account_sid:
                raise TwilioError(400, 20001, "This account's status cannot be changed")
            target.status, target.date_updated = status, now()
        if "FriendlyName" in form:
            target.friendly_name = form["FriendlyName"][:64]
        s.add(target)
        return 200, shapes.account(target)


@endpoint
def applications(request, path, form):
    with session_scope() as s:
        authorize(request, s, path["sid"])
        if request.method == "GET":
            query = select(SandboxApplication).where(SandboxApplication.account_sid == path["sid"])
            return 200, list_page(
                request,
                s,
                query.order_by(SandboxApplication.date_created),
                "applications",
                shapes.application,
            )
        app = SandboxApplication(
            sid=new_sid("AP"),
            account_sid=path["sid"],
            friendly_name=form.get("FriendlyName", "")[:64],
            voice_url=form.get("VoiceUrl"),
            voice_method=form.get("VoiceMethod", "POST"),
            status_callback=form.get("StatusCallback"),
            status_callback_method=form.get("StatusCallbackMethod", "POST"),
        )
        s.add(app)
        return 201, shapes.application(app)


@endpoint
def application(request, path, form):
    with session_scope() as s:
        authorize(request, s, path["sid"])
        app = s.get(SandboxApplication, path["ap"])
        if app is None or app.account_sid != path["sid"]:
            raise TwilioError(404, 20404, "The requested resource was not found")
        if request.method == "DELETE":
            s.delete(app)
            return 204, None
        for param, attr in (
            ("FriendlyName", "friendly_name"),
            ("VoiceUrl", "voice_url"),
            ("StatusCallback", "status_callback"),
        ):
            if param in form:
                setattr(app, attr, form[param])
        s.add(app)
        return 200, shapes.application(app)


def _day(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        raise TwilioError(400, 20001, f"Invalid date {text}") from None


@endpoint
def usage_records(request, path, form):
    q = request.query_params
    start = _day(q.get("StartDate"), date.today().replace(day=1))
    end = _day(q.get("EndDate"), date.today())
    with read_scope() as s:
        authorize(request, s, path["sid"])
        query = (
            select(
                SandboxUsage.category,
                func.sum(SandboxUsage.usage),
                func.max(SandboxUsage.usage_unit),
                func.sum(SandboxUsage.price),
            )
            .where(
                SandboxUsage.account_sid == path["sid"],
                SandboxUsage.at >= datetime.combine(start, time.min, tzinfo=UTC),
                SandboxUsage.at <= datetime.combine(end, time.max, tzinfo=UTC),
            )
            .group_by(SandboxUsage.category)
            .order_by(col(SandboxUsage.category))
        )
        if q.get("Category"):
            query = query.where(SandboxUsage.category == q["Category"])
        rows = list(s.exec(query))
    uri = f"/2010-04-01/Accounts/{path['sid']}/Usage/Records.json"
    items = [
        {
            "account_sid": path["sid"],
            "api_version": "2010-04-01",
            "as_of": shapes.rfc2822(now()),
            "category": cat,
            "count": str(usage),
            "count_unit": unit,
            "description": cat,
            "end_date": end.isoformat(),
            "price": float(round(price, 5)),
            "price_unit": "usd",
            "start_date": start.isoformat(),
            "subresource_uris": {},
            "uri": uri,
            "usage": str(usage),
            "usage_unit": unit,
        }
        for cat, usage, unit, price in rows
    ]
    return 200, {
        "usage_records": items,
        "uri": uri,
        "first_page_uri": uri,
        "next_page_uri": None,
        "previous_page_uri": None,
        "page": 0,
        "page_size": 50,
        "start": 0,
        "end": max(len(items) - 1, 0),
    }


@endpoint
def api_keys(request, path, form):
    """Create an API key (the Voice SDK's access tokens are signed with its secret)."""
    with session_scope() as s:
        authorize(request, s, path["sid"])
        key = SandboxApiKey(
            sid=new_sid("SK"),
            account_sid=path["sid"],
            friendly_name=form.get("FriendlyName", "")[:64],
        )
        s.add(key)
        return 201, shapes.new_key(key, secret=new_sid("")[:32])
