"""Every text about where the child's words went tells the truth (issue 15, "the child's
voice, honestly"): a child who hid every item, or shared only with guardians, is never
told that the coordinator has something, and the coordinator is never told so either.

Each test sets up what the child chose through the same services the actions call, then
reads what the child (or the coordinator) would see: the action's messages, the Telegram
offer to tidy the chat, the `meeting list` line. On SQLite and PostgreSQL."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import responses
from bot.services import feedback, meetings, overview, statements
from bot.store.db import transaction
from bot.store.keyring import Keyring
from bot.store.models import Person, utcnow
from tests.conftest import run_cli
from tests.followup_world import world  # noqa: F401 - fixture

MEETING = datetime(2030, 5, 20, 7, 30)
ANSWERS = {"good": "min hund", "hard": "matten", "wish": "lugnare rum", "question": "vad händer sen"}
KEEPS = "Samordnaren har den förra versionen"
# Who the child shares every item with: (coordinator, guardians).
CHOICES = {"coordinator only": (True, False), "guardians only": (False, True),
           "both": (True, True), "nobody": (False, False)}


def approve(world, child_id: str, coordinator: bool, guardians: bool, answers: dict = ANSWERS) -> None:
    sharing = {kind: {"coordinator": coordinator, "guardians": guardians} for kind in statements.KINDS}
    with transaction(world.factory) as session:
        keys = Keyring(session)
        child = session.get(Person, child_id)
        child.consent_at = child.consent_at or utcnow()
        statements.save_draft(session, keys, child=child, answers=answers, sharing=sharing)
        statements.approve(session, keys, child=child)


def edit(world, child_id: str, coordinator: bool, answers: dict) -> None:
    """The child changes answers after "Skicka" and does not send again."""
    sharing = {kind: {"coordinator": coordinator, "guardians": False} for kind in statements.KINDS}
    with transaction(world.factory) as session:
        statements.save_draft(session, Keyring(session), child=session.get(Person, child_id),
                              answers=answers, sharing=sharing)


def tracker(chat: str) -> Tracker:
    return Tracker(chat, {}, {"intent": {"name": "ask_status"}, "text": "/ask_status"}, [], False,
                   None, {}, "action_listen")


def shown(dispatcher: CollectingDispatcher) -> str:
    """The text each message shows, whether sent as text or as a domain response."""
    return "\n".join(m.get("text") or responses()[m["response"]]["text"] for m in dispatcher.messages)


def button_payloads(dispatcher: CollectingDispatcher) -> list[str]:
    return [b["payload"] for m in dispatcher.messages
            for b in (m.get("buttons") or responses().get(m.get("response") or "", {}).get("buttons") or [])]


def run(action, chat: str) -> CollectingDispatcher:
    dispatcher = CollectingDispatcher()
    action.run(dispatcher, tracker(chat), {})
    return dispatcher


def tidy_offer(world, chat: str) -> str:
    from bot.channels.telegram.texts import texts
    from bot.channels.telegram.tidy import offer_text

    with world.factory() as session:
        return offer_text(session, chat, texts())


def coordinator_notices(world) -> list[str]:
    return [row["text"] for row in world.coordinator_rows("statement")]


# ---- 1a: the Telegram offer to tidy the chat ------------------------------------------

@pytest.mark.parametrize("choice", CHOICES)
def test_the_tidy_offer_says_the_coordinator_keeps_it_only_when_they_got_something(world, choice):
    coordinator, guardians = CHOICES[choice]
    family = world.family(MEETING, guardians=1, channel="telegram")
    approve(world, family["child_id"], coordinator, guardians)
    offer = tidy_offer(world, family["child_chat"])
    assert "48 timmarna" in offer  # it still says what deleting covers
    assert ("finns kvar hos hen" in offer) == coordinator, offer
    if not coordinator:
        assert "Dina svar finns kvar sparade hos mig." in offer
    assert "ändra dig fram till mötet" in offer


def test_the_tidy_offer_after_taking_everything_back_does_not_say_the_coordinator_keeps_it(world):
    family = world.family(MEETING, guardians=0, channel="telegram")
    approve(world, family["child_id"], coordinator=True, guardians=False)
    approve(world, family["child_id"], coordinator=False, guardians=False)
    assert "finns kvar hos hen" not in tidy_offer(world, family["child_chat"])


def test_the_tidy_offer_after_the_meetings_answers_promises_no_change_until_the_meeting(world):
    family = world.family(utcnow() - timedelta(days=2), guardians=0, channel="telegram")
    with transaction(world.factory) as session:
        feedback.approve(session, Keyring(session), child=session.get(Person, family["child_id"]),
                         answers={"said": "Ja"}, sharing=feedback.default_sharing())
    offer = tidy_offer(world, family["child_chat"])
    assert "finns kvar hos hen" in offer
    assert "fram till mötet" not in offer  # the meeting is over


# ---- 1b: the reminder opened before the meeting ---------------------------------------

@pytest.mark.parametrize("choice", CHOICES)
def test_the_reminder_says_already_sent_only_when_someone_got_it(world, choice):
    from actions.followup import ActionOpenReminder

    coordinator, guardians = CHOICES[choice]
    family = world.family(MEETING, guardians=1, channel="rest")
    approve(world, family["child_id"], coordinator, guardians)
    dispatcher = run(ActionOpenReminder(), family["child_chat"])
    said = shown(dispatcher)
    assert "måndag 20 maj 2030" in said
    if coordinator or guardians:
        assert "Du har redan skickat det du vill säga." in said
    else:
        assert "skickat det du vill säga" not in said
        assert "inget är skickat" in said and "ingen ska se dina svar" in said
        assert "/choose_sharing" in button_payloads(dispatcher)  # one tap to change that


# ---- 1c: the summary after changes since "Skicka" -------------------------------------

@pytest.mark.parametrize("coordinator", [True, False], ids=["coordinator got it", "coordinator got nothing"])
def test_the_summary_says_the_coordinator_has_the_earlier_version_only_if_it_gave_them_something(
        world, coordinator):
    from actions.review import show_summary

    family = world.family(MEETING, guardians=0, channel="rest")
    approve(world, family["child_id"], coordinator=coordinator, guardians=False)
    changed = {**ANSWERS, "hard": "matten och rasterna"}
    dispatcher = CollectingDispatcher()
    show_summary(dispatcher, tracker(family["child_chat"]), answers=changed,
                 sharing={kind: {"coordinator": True, "guardians": False} for kind in statements.KINDS})
    said = shown(dispatcher)
    assert "matten och rasterna" in said
    assert (KEEPS in said) == coordinator, said
    if not coordinator:
        assert "Det nya skickas först när du trycker på Skicka." in said


# ---- 1e: every item hidden: the coordinator is not told, and nothing claims they were --

def test_hiding_every_item_sends_the_coordinator_no_notice_and_the_list_claims_nothing(world):
    family = world.family(MEETING, guardians=0, channel="rest")
    approve(world, family["child_id"], coordinator=False, guardians=False)
    assert coordinator_notices(world) == []
    with world.factory() as session:
        row = overview.meeting_row(session, meetings.get(session, family["meeting_id"]))
    assert row["preparation"] == "klar"
    assert row["statement_sent"] is False and row["unopened_by_coordinator"] is False

    listed = run_cli("meeting", "list")
    assert listed.returncode == 0, listed.stderr
    assert "förberedelse: klar, inget delat med dig" in listed.stdout
    assert "skickad: nej" in listed.stdout
    as_json = json.loads(run_cli("meeting", "list", "--json").stdout)["meetings"][0]
    assert as_json["statement_sent"] is False and as_json["unopened_by_coordinator"] is False


def test_sharing_after_an_empty_version_is_new_to_the_coordinator_and_taking_back_is_news(world):
    family = world.family(MEETING, guardians=0, channel="rest")
    approve(world, family["child_id"], coordinator=False, guardians=False)
    approve(world, family["child_id"], coordinator=True, guardians=False)
    # The first version they get is new to them, whatever its number.
    assert [n.startswith("Ny förberedelse") for n in coordinator_notices(world)] == [True]
    approve(world, family["child_id"], coordinator=False, guardians=False)
    assert coordinator_notices(world)[-1].startswith("Ändrad förberedelse")  # words taken back
    listed = json.loads(run_cli("meeting", "list", "--json").stdout)["meetings"][0]
    assert listed["statement_sent"] is False and listed["preparation"] == "klar"
    # Another empty version after an empty one is no news.
    approve(world, family["child_id"], coordinator=False, guardians=False,
            answers={**ANSWERS, "good": "min katt"})
    assert len(coordinator_notices(world)) == 2


def test_editing_after_sending_still_says_the_coordinator_has_it(world):
    """The coordinator keeps the version they got while the child edits: the child is not
    told "inget är skickat än", and the coordinator's list still says sent."""
    from actions.questions import ActionStatus

    family = world.family(MEETING, guardians=0, channel="rest")
    approve(world, family["child_id"], coordinator=True, guardians=False)
    edit(world, family["child_id"], coordinator=True,
         answers={kind: f"{text}, ändrat" for kind, text in ANSWERS.items()})
    said = shown(run(ActionStatus(), family["child_chat"]))
    assert "Du har delat det du skrivit med samordnaren" in said, said
    assert "inget är skickat" not in said
    listed = json.loads(run_cli("meeting", "list", "--json").stdout)["meetings"][0]
    assert listed["statement_sent"] is True and listed["preparation"] == "klar och skickad"
