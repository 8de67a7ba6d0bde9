"""Getting in: greeting, invite codes, the honest start, consent, and the yes/no dispatch."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import asked_in_last_turn, meeting_vars, responses, settings, store, utter, who
from bot.services import conversations, invites, meetings, notices
from bot.services.conversations import RateLimited
from bot.store.models import utcnow


def honest_start(dispatcher: CollectingDispatcher, channel: str) -> None:
    """What the child must know before anything is asked (DESIGN principle 2), in three
    short lines; the rest is one typed "läs mer" away (`privacy_details`)."""
    cfg = settings()
    utter(dispatcher, "utter_privacy_intro")
    if channel == "telegram":
        utter(dispatcher, "utter_privacy_telegram")
    # Not "no adult learns anything unless you want": the adults must tell the social
    # services if they think a child is harmed, and the response says so after this.
    escalation = (" Din samordnare får då en kort signal, utan det du skrev."
                  if cfg.escalation != "off" else " Jag säger inget om det till någon.")
    utter(dispatcher, "utter_privacy_danger", escalation_text=escalation)


def menu_response(session, ident) -> str:
    """The menu for where this person is: guardian, before or after sending, after the meeting."""
    if ident.person.role == "guardian":
        return "utter_menu_guardian"
    if not meetings.is_upcoming(ident.meeting):
        return "utter_menu_after_meeting"
    if meetings.preparation_status(session, ident.meeting.id) in (meetings.SENT, meetings.DONE):
        return "utter_menu_after_sent"
    return "utter_menu"


def show_menu(dispatcher: CollectingDispatcher, session, ident) -> None:
    utter(dispatcher, menu_response(session, ident))


def _has_buttons(message: dict) -> bool:
    # A response sent by name gets its own buttons from the domain only later, in Rasa.
    named = responses().get(message.get("response") or "") or {}
    return bool(message.get("buttons") or named.get("buttons"))


def next_steps(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """No answer is a dead end: the last message gets buttons for what to do next.

    A child on a phone who has just read an answer should not have to guess what to type.
    The menu's buttons go on the answer itself (no extra "Vad vill du göra nu?" bubble); a
    message that already has buttons keeps its own. Before consent, the question asked
    comes back instead, so that nothing skips past it.
    """
    if dispatcher.messages and _has_buttons(dispatcher.messages[-1]):
        return
    if tracker.get_slot("pending") == "consent":
        utter(dispatcher, "utter_ask_consent")
        return
    with store() as (session, _keys):
        ident = who(session, tracker)
        if ident is None:
            return  # asked for their code: typing it is the next step
        name = menu_response(session, ident)
    buttons = list(responses()[name].get("buttons") or [])
    if dispatcher.messages:
        dispatcher.messages[-1]["buttons"] = buttons
    else:
        utter(dispatcher, name)


class ActionGreet(Action):
    def name(self) -> str:
        return "action_greet"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        with store() as (session, keys):
            ident = who(session, tracker)
            if ident is None:
                utter(dispatcher, "utter_ask_code")
                return []
            utter(dispatcher, "utter_greet_again", first_name=meetings.first_name(keys, ident.person))
            if ident.person.role == "child" and ident.person.consent_at is None:
                utter(dispatcher, "utter_ask_consent_first")
                return [SlotSet("pending", "consent")]
            show_menu(dispatcher, session, ident)
        return []


class ActionRedeemInvite(Action):
    def name(self) -> str:
        return "action_redeem_invite"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        text = tracker.latest_message.get("text") or ""
        with store() as (session, keys):
            ident = who(session, tracker)
            if ident is not None:
                utter(dispatcher, "utter_already_linked", first_name=meetings.first_name(keys, ident.person))
                show_menu(dispatcher, session, ident)
                return []
            try:
                person = conversations.link_with_code(session, keys, tracker.sender_id, text)
            except RateLimited:
                utter(dispatcher, "utter_code_locked")
                return []
            except invites.InviteError:
                utter(dispatcher, "utter_wrong_code")
                return []
            ident = who(session, tracker)
            # Every channel relays through our REST input, so Rasa's input channel is always
            # "rest"; the channel the conversation was registered with tells where it is.
            channel = ident.conversation.channel
            notices.code_used(session, keys, ident.meeting, person.role)
            values = meeting_vars(session, keys, ident)
            first = meetings.first_name(keys, person)
            if person.role == "guardian":
                utter(dispatcher, "utter_welcome_guardian", first_name=first, **values)
                utter(dispatcher, "utter_menu_guardian")
                return []
            utter(dispatcher, "utter_welcome_child", first_name=first, **values)
            honest_start(dispatcher, channel)
            utter(dispatcher, "utter_ask_consent")
        return [SlotSet("pending", "consent")]


class ActionShowMenu(Action):
    def name(self) -> str:
        return "action_show_menu"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        with store() as (session, keys):
            ident = who(session, tracker)
            if ident is None:
                utter(dispatcher, "utter_need_code_first")
            else:
                show_menu(dispatcher, session, ident)
        return []


def give_consent(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[Any]:
    with store() as (session, keys):
        ident = who(session, tracker)
        if ident is None:
            utter(dispatcher, "utter_need_code_first")
            return [SlotSet("pending", None)]
        ident.person.consent_at = ident.person.consent_at or utcnow()
        show_menu(dispatcher, session, ident)
    return [SlotSet("pending", None)]


class ActionAffirm(Action):
    def name(self) -> str:
        return "action_affirm"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        from actions.control import ERASE, ERASE_IN_FORM, erase_now
        from actions.safety import safety_reply

        pending = tracker.get_slot("pending")
        if pending == "consent":
            return give_consent(dispatcher, tracker)
        if pending in (ERASE, ERASE_IN_FORM):
            if asked_in_last_turn(tracker, "pending"):
                return erase_now(dispatcher, tracker)
            return [SlotSet("pending", None)] + ActionShowMenu().run(dispatcher, tracker, domain)
        if pending == "safety":
            return safety_reply(dispatcher, tracker, safe=True)
        return ActionShowMenu().run(dispatcher, tracker, domain)


class ActionDeny(Action):
    def name(self) -> str:
        return "action_deny"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        from actions.control import ERASE, ERASE_IN_FORM, erase_declined
        from actions.safety import safety_reply

        pending = tracker.get_slot("pending")
        if pending == "consent":
            utter(dispatcher, "utter_consent_declined")
            return [SlotSet("pending", None)]
        if pending in (ERASE, ERASE_IN_FORM) and asked_in_last_turn(tracker, "pending"):
            return erase_declined(dispatcher, tracker, domain)
        if pending == "safety":
            return safety_reply(dispatcher, tracker, safe=False)
        return ActionShowMenu().run(dispatcher, tracker, domain)


class ActionDontKnow(Action):
    def name(self) -> str:
        return "action_dont_know"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        from actions.safety import safety_reply

        if tracker.get_slot("pending") == "safety":
            return safety_reply(dispatcher, tracker, safe=False)
        if tracker.get_slot("pending") == "consent":
            from actions.questions import privacy_details

            privacy_details(dispatcher, tracker)
            utter(dispatcher, "utter_ask_consent")
            return []
        utter(dispatcher, "utter_help")
        return ActionShowMenu().run(dispatcher, tracker, domain)
