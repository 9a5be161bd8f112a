"""The Messages page's handlers as a client calls them, with the sandbox delivering texts
between two users' numbers: a new message from the composer lands in the other user's
inbox unread; opening the thread reads it; a reply from the thread goes to the thread's
party from its number whatever the client says; refusals are shown beside their field
and store nothing; search finds one's own texts only; a push re-reads what the tab
shows."""

from __future__ import annotations

from reflex import constants
from reflex.istate.data import RouterData
from sqlmodel import select

import callplatform.callplatform  # noqa: F401  (registers every page and its state)
from callplatform.db import read_scope, session_scope
from callplatform.models import Conversation, Message
from callplatform.pages.messages import ComposerState, MessagesState
from callplatform.state.live import LiveState
from callplatform.state.unread import UnreadState
from tests.helpers import personal_workspace, wait_for, wait_for_db
from tests.messaging.conftest import texters  # noqa: F401  (the fixture)
from tests.state import exposure
from tests.state.harness import login_token

PASSWORD = "long enough pw"


def tab(state_cls, who: str, conversation_id: int | None = None):
    params = {"conversation_id": conversation_id} if conversation_id is not None else None
    return exposure.open_tab(state_cls, login_token(f"{who}@example.com", PASSWORD), params)


def compose(who: str, form: dict, *, from_number=None, conversation_id=None):
    """Press Send in `who`'s composer (a new message, or in the thread given)."""
    composer = tab(ComposerState, who, conversation_id)
    exposure.run(composer, "load", [])
    if from_number is not None:
        composer.from_number = str(from_number)
    return composer, exposure.run(composer, "send", [form])


def inbox(who: str, conversation_id: int | None = None) -> MessagesState:
    page = tab(MessagesState, who, conversation_id)
    exposure.run(page, "load", [])
    return page


def stored() -> list[tuple[str, str]]:
    with read_scope() as s:
        return [(m.direction, m.body) for m in s.exec(select(Message))]


def test_a_new_message_reaches_the_other_inbox_and_a_reply_comes_back(texters):  # noqa: F811
    (_ann, _ann_number, ann_phone), (_bob, _bob_number, bob_phone) = texters["ann"], texters["bob"]
    composer, outcome = compose("ann", {"to": bob_phone, "body": "Lunch at 1?"})
    assert composer.to_error == composer.error == composer.body_error == ""
    redirect = [e for e in outcome.events if "redirect" in e.name]
    assert redirect and "/messages/" in str(redirect[-1].payload)
    ann_thread = wait_for_db(lambda s: s.exec(select(Conversation)).first()).id

    # Bob's inbox: the thread, unread, named by Ann's number as people write it.
    wait_for_db(lambda s: len(s.exec(select(Conversation)).all()) == 2)
    bob = inbox("bob")
    (row,) = bob.conversations
    assert (row.preview, row.unread) == ("Lunch at 1?", 1)
    assert row.party.startswith("+1 (415) ") and row.party.replace(" ", "") != ann_phone
    unread = bob._get_root_state().get_substate(UnreadState.get_full_name().split("."))
    assert unread.unread_texts == 1

    # Opening it marks it read and shows the text, inbound.
    bob = inbox("bob", row.id)
    assert [(t.outbound, t.body) for t in bob.texts] == [(False, "Lunch at 1?")]
    assert bob.conversations[0].unread == 0
    unread = bob._get_root_state().get_substate(UnreadState.get_full_name().split("."))
    assert unread.unread_texts == 0
    assert inbox("bob").conversations[0].unread == 0

    # The reply goes to Ann from Bob's number, even if the client names another number.
    _composer, _ = compose("bob", {"to": "+12125550199", "body": "Yes!"}, conversation_id=row.id)
    wait_for_db(
        lambda s: ("inbound", "Yes!") in [(m.direction, m.body) for m in s.exec(select(Message))]
    )
    ann = wait_for(lambda: (p := inbox("ann", ann_thread)) and len(p.texts) == 2 and p)
    mine, theirs = ann.texts
    assert (mine.outbound, theirs.outbound, theirs.body) == (True, False, "Yes!")
    wait_for(lambda: inbox("ann", ann_thread).texts[0].status == "Delivered")
    assert ann.thread.number and ann.thread.party.startswith("+1 (212) ")


def test_refusals_are_shown_beside_their_field_and_store_nothing(texters):  # noqa: F811
    (_ann, _ann_number, _), (_bob, bob_number, bob_phone) = texters["ann"], texters["bob"]
    composer, _ = compose("ann", {"to": "", "body": "Hi"})
    assert "phone number" in composer.to_error.lower() and not composer.error
    composer, _ = compose("ann", {"to": bob_phone, "body": "  "})
    assert composer.body_error == "Write a message first."
    composer, _ = compose("ann", {"to": bob_phone, "body": "Hi"}, from_number=bob_number)
    assert composer.from_error and not composer.sending
    composer, _ = compose("ann", {"to": "+44 20 7183 8750", "body": "Hi"})
    assert composer.to_error
    assert stored() == []


def test_nobody_writes_into_or_reads_anothers_thread(texters):  # noqa: F811
    (_ann, _ann_number, _), (_bob, _bob_number, bob_phone) = texters["ann"], texters["bob"]
    compose("ann", {"to": "+13125550123", "body": "Ann's secret"})
    ann_thread = wait_for_db(lambda s: s.exec(select(Conversation)).first()).id
    composer, _ = compose("bob", {"to": bob_phone, "body": "intrusion"}, conversation_id=ann_thread)
    assert composer.error == "That conversation isn't one of yours."
    bob = inbox("bob", ann_thread)
    assert bob.texts == [] and bob.thread_error and bob.conversations == []
    assert [b for _d, b in stored()] == ["Ann's secret"]
    exposure.run(bob, "search", ["secret"])
    assert bob.hits == []
    ann = inbox("ann")
    exposure.run(ann, "search", ["SECRET"])
    assert [h.body for h in ann.hits] == ["Ann's secret"]


def _tab_on(route: str, who: str):
    """A tab of `who` showing `route` (as Reflex names it), whose push handler runs."""
    live = exposure.open_tab(LiveState, login_token(f"{who}@example.com", PASSWORD))
    root = live._get_root_state()
    root.router = RouterData.from_router_data(
        {
            constants.RouteVar.HEADERS: {"cookie": root.router.headers.cookie},
            constants.RouteVar.PATH: route,
        }
    )
    return live, root


def _sub(root, cls):
    return root.get_substate(cls.get_full_name().split("."))


def test_a_push_refreshes_the_inbox_there_and_the_count_everywhere(texters):  # noqa: F811
    bob_phone = texters["bob"][2]
    on_messages, messages_root = _tab_on("messages", "bob")
    on_calls, calls_root = _tab_on("calls", "bob")
    compose("ann", {"to": bob_phone, "body": "Pushed?"})
    wait_for_db(lambda s: len(s.exec(select(Conversation)).all()) == 2)
    exposure.run(on_messages, "changed", [["messages"]])
    exposure.run(on_calls, "changed", [["messages"]])
    assert [r.preview for r in _sub(messages_root, MessagesState).conversations] == ["Pushed?"]
    assert _sub(messages_root, UnreadState).unread_texts == 1
    assert _sub(calls_root, UnreadState).unread_texts == 1
    assert _sub(calls_root, MessagesState).conversations == []  # not its page


def test_an_undelivered_text_says_why_in_words(texters):  # noqa: F811
    compose("ann", {"to": "(212) 555-0104", "body": "Anyone there?"})  # the sandbox: 30005
    thread = wait_for_db(lambda s: s.exec(select(Conversation)).first()).id
    (text,) = wait_for(
        lambda: (p := inbox("ann", thread)).texts[0].status == "Undelivered" and p.texts
    )
    assert text.outbound and text.status_color == "red"
    assert text.problem.startswith("Not delivered: the number is unknown")


def test_a_thread_left_behind_in_another_workspace_reloads_as_the_inbox():
    from callplatform.state.workspace import _reloadable

    assert _reloadable("/messages/12") == "/messages"
    assert _reloadable("/messages") == "/messages"
    assert _reloadable("/calls/3") == "/calls"


def test_a_texts_pictures_are_shown_from_the_route_that_checks_who_asks(texters):  # noqa: F811
    from callplatform.api.media_messages import router
    from callplatform.models import MessageMedia
    from callplatform.pages.messages.rows import PICTURE_URL

    compose("ann", {"to": texters["bob"][2], "body": "Look"})
    inbound = wait_for_db(
        lambda s: s.exec(select(Message).where(Message.direction == "inbound")).first()
    )
    with session_scope() as s:
        picture = MessageMedia(message_id=inbound.id, content_type="image/png", content=b"png")
        s.add(picture)
        s.flush()
        picture_id = picture.id
    (text,) = inbox("bob", inbound.conversation_id).texts
    assert [url.split("?")[0] for url in text.pictures] == [PICTURE_URL.format(picture_id)]
    assert PICTURE_URL.format("{media_id}") in {r.path for r in router.routes}


def test_a_thread_shows_the_calls_with_its_person_in_their_place(texters):  # noqa: F811
    """Texts and calls with the same person on the same number, in one timeline."""
    from datetime import timedelta

    from callplatform.models import TwilioCall
    from callplatform.models.base import utcnow

    (ann, ann_number, ann_phone), (_, _, bob_phone) = texters["ann"], texters["bob"]
    compose("ann", {"to": bob_phone, "body": "Before the call"})
    with session_scope() as s:
        s.add(TwilioCall(workspace_id=personal_workspace(ann), handled_by=ann, number_id=ann_number, call_sid="CA" + "5" * 32,
                         direction="outbound", from_number=ann_phone, to_number=bob_phone,
                         status="completed", duration_seconds=125,
                         started_at=utcnow() + timedelta(seconds=5)))  # fmt: skip
        s.add(TwilioCall(workspace_id=personal_workspace(ann), handled_by=ann, number_id=ann_number, call_sid="CA" + "6" * 32,
                         direction="outbound", from_number=ann_phone, to_number="+16175550111",
                         status="completed", started_at=utcnow()))  # another person's  # fmt: skip
        conversation = s.exec(select(Message).where(Message.direction == "outbound")).first()
    view = inbox("ann", conversation.conversation_id)
    assert [(t.body, t.call) for t in view.texts] == [
        ("Before the call", ""), ("", "Outgoing call · 2 min 05 s")]  # fmt: skip


def test_a_contacts_name_replaces_the_number_in_the_inbox_and_thread(texters):  # noqa: F811
    from callplatform.contacts import directory
    from callplatform.workspaces import access, membership

    (ann, _, _), (_, _, bob_phone) = texters["ann"], texters["bob"]
    compose("ann", {"to": bob_phone, "body": "Hi"})
    conversation = wait_for_db(lambda s: s.exec(select(Message)).first()).conversation_id
    page = inbox("ann", conversation)
    assert page.thread.add_contact_href.endswith(bob_phone.replace("+", "%2B"))
    with session_scope() as s:
        workspace = membership.personal_workspace_id(session=s, user_id=ann)
        member = access.acting_member(session=s, user_id=ann, workspace_id=workspace)
        directory.create_contact(session=s, member=member, name="Bob Builder",
                                 phones=[(bob_phone, "mobile")])  # fmt: skip
    page = inbox("ann", conversation)
    assert page.thread.party == "Bob Builder" and page.thread.add_contact_href == ""
    assert [row.party for row in page.conversations] == ["Bob Builder"]
    page.search_text = "Hi"
    exposure.run(page, "search", ["Hi"])
    assert [hit.party for hit in page.hits] == ["Bob Builder"]
