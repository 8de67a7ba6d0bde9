"""An outcome counts as shown to the child only once the turn that showed it is saved.

The crash harness found REST children who never got the "were you heard?" questions: the
outcome was marked shown by the action, then the turn failed (the action server killed)
and was never saved, and the resent message found nothing waiting. These run the real
encrypted tracker store on SQLite and PostgreSQL."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from bot.services.followup_shown import SHOWN_SLOT, shown_mark
from tests.followup_world import world  # noqa: F401 - fixture

MEETING = datetime(2030, 5, 20, 9, 30)


def store_for(world):
    from rasa.shared.core.domain import Domain

    from bot.rasa_plugins.tracker_store import EncryptedTrackerStore

    return EncryptedTrackerStore(Domain.empty(), db_url=world.url)


def a_turn(sender: str, action: str, mark: str):
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker(sender, [])
    for event in (UserUttered("hej"), ActionExecuted(action), SlotSet(SHOWN_SLOT, mark),
                  BotUttered("Det här bestämdes på mötet")):
        tracker.update(event)
    return tracker


def waiting_outcome(world, family) -> str:
    followup_id, _mode = world.outcome(family["meeting_id"], "Du får en lugn plats.",
                                       now=MEETING - timedelta(hours=2))
    world.run(MEETING + timedelta(minutes=1))
    assert world.ready(family["child_id"]) is not None
    return followup_id


def test_a_turn_that_failed_after_showing_the_outcome_leaves_it_waiting(world):
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.followup import ActionFollowupOpen

    family = world.family(MEETING, guardians=0, channel="rest")
    waiting_outcome(world, family)
    tracker = Tracker(family["child_chat"], {}, {"intent": {"name": "followup_open"}}, [], False,
                      None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = ActionFollowupOpen().run(dispatcher, tracker, {})
    assert "lugn plats" in " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert {"event": "slot", "timestamp": None, "name": SHOWN_SLOT,
            "value": shown_mark("outcome", world.ready(family["child_id"]).followup_id)} in events
    # The turn then failed, so Rasa saved none of it: the next message shows it again.
    assert world.ready(family["child_id"]) is not None


def test_the_saved_turn_that_showed_the_outcome_marks_it_shown(world):
    family = world.family(MEETING, guardians=0, channel="rest")
    followup_id = waiting_outcome(world, family)
    store = store_for(world)
    asyncio.run(store.save(a_turn(family["child_chat"], "action_followup_open",
                                  shown_mark("outcome", followup_id))))
    assert world.ready(family["child_id"]) is None


def test_the_same_slot_copied_by_another_action_marks_nothing(world):
    """A new session copies every slot (action_session_start): that is not a showing."""
    family = world.family(MEETING, guardians=0, channel="rest")
    followup_id = waiting_outcome(world, family)
    store = store_for(world)
    asyncio.run(store.save(a_turn(family["child_chat"], "action_session_start",
                                  shown_mark("outcome", followup_id))))
    assert world.ready(family["child_id"]) is not None
