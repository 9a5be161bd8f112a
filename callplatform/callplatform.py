"""Builds the Reflex app: registers every page and mounts the HTTP api."""

from __future__ import annotations

import gc

import reflex as rx

import callplatform.models  # noqa: F401  (every table on the metadata, for migrations)
from callplatform import routes, styles, sweeps, worker_threads
from callplatform.api.app import with_fast_paths
from callplatform.http_app import build_http_app
from callplatform.pages import (
    admin,
    call_detail,
    calls,
    contacts,
    dashboard,
    invite,
    login,
    messages,
    numbers,
    recordings,
    register,
    settings,
    team,
    usage,
)
from callplatform.pages.admin.analytics import AnalyticsState
from callplatform.pages.admin.audit import AuditState
from callplatform.pages.admin.spend_settings import SpendSettingsState
from callplatform.pages.calls.state import CallsState
from callplatform.pages.numbers.routing_editor.page import routing_page
from callplatform.pages.numbers.routing_editor.state import RoutingEditorState
from callplatform.pages.numbers.state import NumbersState
from callplatform.pages.settings.account_state import AccountState
from callplatform.pages.settings.api_tokens_state import ApiTokensState
from callplatform.pages.team.activity import ActivityState
from callplatform.pages.team.state import TeamState
from callplatform.state import live
from callplatform.state.session import SessionState
from callplatform.state.softphone import SoftphoneState
from callplatform.state.unread import UnreadState, titled
from callplatform.state.workspace import WorkspaceState


class CallPlatformApp(rx.App):
    """The Reflex app, served with our outermost layers outside everything Reflex adds
    (its CORS, context and routing middleware): the guards cover every response, and the
    status callback's fast path skips all of Reflex's layers (measured under granian in
    benchmarks/bench_webhooks.py). Reflex's contexts are still set for it, as its own
    middleware sets them for every request."""

    def __call__(self):
        return with_fast_paths(super().__call__(), status_context=self.set_contexts)


async def freeze_startup_heap() -> None:
    """A lifespan task: what start-up built (the compiled app, its pages and states,
    several hundred thousand objects) leaves the collector's view. A full collection
    walked it all (300 ms here, on the event loop), and the served requests waited."""
    gc.collect()
    gc.freeze()


# Reflex mounts itself inside our api and sandbox (api_transformer).
app = CallPlatformApp(theme=styles.THEME, api_transformer=build_http_app())
app.register_lifespan_task(freeze_startup_heap)
app.register_lifespan_task(worker_threads.widen_default_pool)
app.register_lifespan_task(sweeps.sweep_forever)
app.register_lifespan_task(live.serve)

PRIVATE_PAGES = [
    (dashboard.dashboard_page, routes.DASHBOARD, "Dashboard", [dashboard.DashboardState.load]),
    *[
        (page, route, "Messages", [messages.MessagesState.load, messages.ComposerState.load])
        for page, route in (
            (messages.inbox_page, routes.MESSAGES),
            (messages.new_message_page, routes.MESSAGE_NEW),
            (messages.thread_page, routes.MESSAGE_THREAD),
        )
    ],
    (numbers.numbers_page, routes.NUMBERS, "Numbers", [NumbersState.load]),
    (routing_page, routes.NUMBER_ROUTING, "Call routing", [RoutingEditorState.load]),
    (calls.calls_page, routes.CALLS, "Calls", [CallsState.load]),
    (call_detail.call_detail_page, routes.CALL_DETAIL, "Call", [call_detail.CallDetailState.load]),
    (
        recordings.recordings_page,
        routes.RECORDINGS,
        "Recordings",
        [recordings.RecordingsState.load],
    ),
    (contacts.contacts_page, routes.CONTACTS, "Contacts", [contacts.ContactsState.load]),
    (usage.usage_page, routes.USAGE, "Usage", [usage.UsageState.load]),
    (team.team_page, routes.TEAM, "Team", [TeamState.load, ActivityState.load]),
    (
        settings.settings_page,
        routes.SETTINGS,
        "Settings",
        [AccountState.load, ApiTokensState.load],
    ),
]

app.add_page(
    login.login_page,
    route=routes.LOGIN,
    title="Log in · CallPlatform",
    on_load=[SessionState.redirect_if_logged_in, login.LoginState.clear_errors],
)
app.add_page(
    register.register_page,
    route=routes.REGISTER,
    title="Create account · CallPlatform",
    on_load=[SessionState.redirect_if_logged_in, register.RegisterState.clear_errors],
)
app.add_page(
    invite.invite_page,
    route=routes.INVITE,
    title="Invitation · CallPlatform",
    on_load=invite.InviteState.load,
)
for component, route, title, loaders in PRIVATE_PAGES:
    app.add_page(
        component,
        route=route,
        title=titled(title),
        on_load=[
            SessionState.require_login,
            SoftphoneState.sync,
            WorkspaceState.load,
            UnreadState.load,
            *loaders,
        ],
    )
app.add_page(
    admin.admin_page,
    route=routes.ADMIN,
    title="Admin · CallPlatform",
    on_load=[
        SessionState.require_admin,
        SoftphoneState.sync,
        WorkspaceState.load,
        UnreadState.load,
        admin.AdminState.load,
        AnalyticsState.load,
        AuditState.load,
        SpendSettingsState.load,
    ],
)
