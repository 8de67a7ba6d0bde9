"""After the meeting: what was decided, "were you heard?", and the later check-in.

The outcome is shown at the child's next message once the scheduler has made it ready
(the FollowupOverride NLU component turns that message into `followup_open`), or when
they tap the content-free notice. The answers go through the same exact preview and
choice as the statement, and are sealed to the coordinator only on "Skicka".
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.access import next_steps
from actions.common import entity, latest_intent, meeting_vars, store, utter, who
from actions.phrases import phrases
from actions.preparation import typed_skip
from bot.services import coordinators, feedback, followup_shown, followups, meetings, notices, statements
from bot.services.feedback import QUESTIONS, SKIPPED

SLOTS = {kind: f"heard_{kind}" for kind in QUESTIONS}


def words() -> dict:
    return phrases()["followup"]


def reset_answers() -> list[Any]:
    return [SlotSet(slot, None) for slot in SLOTS.values()] + [SlotSet("feedback_sharing", None)]


def answers_from(tracker: Tracker) -> dict[str, str | None]:
    return {kind: tracker.get_slot(slot) for kind, slot in SLOTS.items()}


def sharing_from(tracker: Tracker) -> dict[str, bool]:
    sharing = feedback.default_sharing()
    for kind, value in (tracker.get_slot("feedback_sharing") or {}).items():
        if kind in sharing:
            sharing[kind] = bool(value)
    return sharing


def who_does_it(name: str, participants) -> str:
    """The coordinator's WHO with the name and role from the meeting, where it matches one."""
    wanted = name.strip().casefold()
    for person in participants:
        full = person.name.casefold()
        if wanted and (wanted == full or wanted == full.split()[0] or wanted == person.role.title.casefold()):
            return f"{person.name} ({person.role.title})"
    return name.strip()


def answers_text(session, keys, ident, outcome) -> str:
    """The coordinator's answers, under the child's own question when it is still theirs to
    see (withdrawn items are left out), so the child knows what is being answered."""
    asked = [item.text for item in statements.current_items(session, keys, ident.meeting.id)
             if item.kind == "question" and item.text.strip()]
    lines = [words()["asked"].format(question=asked[0])] if asked else []
    lines.append(words()["answers"])
    lines += [words()["answer"].format(answer=answer) for answer in outcome.answers]
    return "\n".join(lines)


def show_outcome(dispatcher: CollectingDispatcher, session, keys, ident, outcome) -> None:
    view = meetings.view(session, keys, ident.meeting.id)
    utter(dispatcher, "utter_outcome_intro", first_name=meetings.first_name(keys, ident.person))
    utter(dispatcher, "utter_outcome_text", outcome=outcome.text)
    if outcome.points:
        lines = [words()["point"].format(what=p["what"], who=who_does_it(p["who"], view.participants),
                                         when=p["when"]) for p in outcome.points]
        utter(dispatcher, "utter_outcome_points", points="\n".join(lines))
    if outcome.answers:
        utter(dispatcher, "utter_outcome_text", outcome=answers_text(session, keys, ident, outcome))
    coordinator = coordinators.get(session, ident.meeting.coordinator_id)
    name = keys.open("coordinators", "name_enc", coordinator.id, coordinator.name_enc)
    utter(dispatcher, "utter_outcome_contact", contact=words()["contact"].format(name=name))
    if outcome.next_followup is not None:
        utter(dispatcher, "utter_outcome_next", day=words()["next_day"].format(
            day=outcome.next_followup.day, month=words()["months"][outcome.next_followup.month - 1]))


def refuse_unless_child(dispatcher: CollectingDispatcher, session, ident) -> bool:
    if ident is None:
        utter(dispatcher, "utter_need_code_first")
        return True
    if ident.person.role != "child":
        from actions.access import show_menu

        show_menu(dispatcher, session, ident)
        return True
    return False


def answer_to_open_question(dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any] | None:
    """A "ja"/"nej" to a question still open (am I in a safe place, really erase?) stays that
    answer: the waiting outcome comes at the message after it."""
    from actions.access import ActionAffirm, ActionDeny, ActionDontKnow

    if not tracker.get_slot("pending"):
        return None
    ranking = tracker.latest_message.get("intent_ranking") or []
    original = ranking[1]["name"] if len(ranking) > 1 else None
    action = {"affirm": ActionAffirm, "deny": ActionDeny, "dont_know": ActionDontKnow}.get(original or "")
    return None if action is None else action().run(dispatcher, tracker, domain)


class ActionFollowupOpen(Action):
    """Show what is waiting: the outcome (then the heard questions) or the check-in."""

    def name(self) -> str:
        return "action_followup_open"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        answering = answer_to_open_question(dispatcher, tracker, domain)
        if answering is not None:
            return answering + [FollowupAction("action_listen")]
        with store() as (session, keys):
            ident = who(session, tracker)
            if refuse_unless_child(dispatcher, session, ident):
                return [FollowupAction("action_listen")]
            outcome = followups.ready_outcome(session, keys, ident.person.id)
            # Marked shown only when Rasa saves this turn (bot/services/followup_shown.py): were it
            # marked here, a turn failing after this would lose the heard questions.
            if outcome is not None:
                show_outcome(dispatcher, session, keys, ident, outcome)
                utter(dispatcher, "utter_heard_intro")
                return reset_answers() + [
                    SlotSet(followup_shown.SHOWN_SLOT, followup_shown.shown_mark("outcome", outcome.followup_id)),
                    SlotSet("requested_slot", None), FollowupAction("followup_form")]
            checkin = followups.ready_checkin(session, ident.person.id)
            if checkin is not None:
                utter(dispatcher, "utter_checkin_question")
                return [SlotSet(followup_shown.SHOWN_SLOT, followup_shown.shown_mark("checkin", checkin)),
                        FollowupAction("action_listen")]
            # An old notice tapped again: show what was decided, if anything was.
            latest = followups.latest_outcome(session, keys, ident.meeting.id)
            if latest is None:
                utter(dispatcher, "utter_outcome_none")
            else:
                show_outcome(dispatcher, session, keys, ident, latest)
            utter(dispatcher, "utter_menu_after_meeting")
        return [FollowupAction("action_listen")]


class ActionReadOutcome(Action):
    def name(self) -> str:
        return "action_read_outcome"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        with store() as (session, keys):
            ident = who(session, tracker)
            if refuse_unless_child(dispatcher, session, ident):
                return []
            latest = followups.latest_outcome(session, keys, ident.meeting.id)
            if latest is None:
                utter(dispatcher, "utter_outcome_none")
                return []
            show_outcome(dispatcher, session, keys, ident, latest)
            utter(dispatcher, "utter_menu_after_meeting")
        return []


class ActionOpenReminder(Action):
    """The content of a reminder, shown only once the chat is open (never on a lock screen)."""

    def name(self) -> str:
        return "action_open_reminder"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        with store() as (session, keys):
            ident = who(session, tracker)
            if ident is None:
                utter(dispatcher, "utter_need_code_first")
                return []
            status = meetings.preparation_status(session, ident.meeting.id)
            details = meeting_vars(session, keys, ident)
            if ident.person.role != "child":
                utter(dispatcher, "utter_reminder_guardian", status=status, **details)
                return []
            utter(dispatcher, "utter_reminder_child", **details)
            if status in (meetings.SENT, meetings.DONE):
                # Done is not sent: with every item hidden, nobody got anything.
                shared = statements.approved_recipients(session, ident.meeting.id)
                utter(dispatcher, "utter_reminder_child_prepared" if any(shared.values())
                      else "utter_reminder_child_kept")
            else:
                utter(dispatcher, "utter_reminder_child_not_prepared")
        return []


class ValidateFollowupForm(FormValidationAction):
    def name(self) -> str:
        return "validate_followup_form"

    def _answer(self, slot: str, value: Any, tracker: Tracker) -> dict[str, Any]:
        text = (tracker.latest_message.get("text") or "").strip()
        if value != tracker.latest_message.get("text"):
            return {slot: value}  # kept from earlier: checked then
        intent, _confidence = latest_intent(tracker)
        if text.startswith("/"):
            if intent == "skip":
                return {slot: SKIPPED}
            choice = words()["heard"].get(entity(tracker, "heard") or "")
            if intent == "answer_heard" and choice and slot != SLOTS["more"]:
                return {slot: choice}
            return {slot: None}  # another button: not an answer, ask again
        if not text:
            return {slot: None}
        if typed_skip(text):
            return {slot: SKIPPED}
        return {slot: text}

    def validate_heard_said(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> dict[str, Any]:
        return self._answer("heard_said", value, tracker)

    def validate_heard_listened(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> dict[str, Any]:
        return self._answer("heard_listened", value, tracker)

    def validate_heard_understood(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> dict[str, Any]:
        return self._answer("heard_understood", value, tracker)

    def validate_heard_mattered(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> dict[str, Any]:
        return self._answer("heard_mattered", value, tracker)

    def validate_heard_more(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> dict[str, Any]:
        return self._answer("heard_more", value, tracker)


def show_feedback(dispatcher: CollectingDispatcher, tracker: Tracker, *,
                  sharing: dict[str, bool] | None = None) -> list[Any]:
    """Exactly what would be sent, answer by answer, and who sees each."""
    answers = answers_from(tracker)
    sharing = sharing_from(tracker) if sharing is None else sharing
    given = [k for k in QUESTIONS if answers[k] and answers[k] != SKIPPED]
    if not given:
        utter(dispatcher, "utter_feedback_empty")
        utter(dispatcher, "utter_menu_after_meeting")
        return []
    utter(dispatcher, "utter_feedback_header")
    audience = phrases()["audience"]
    for number, kind in enumerate(given, start=1):
        utter(dispatcher, "utter_feedback_item", number=number, label=words()["labels"][kind],
              answer=answers[kind], audience=audience["coordinator"] if sharing[kind] else audience["nobody"])
    utter(dispatcher, "utter_feedback_actions")
    return []


class ActionFeedbackSummary(Action):
    def name(self) -> str:
        return "action_feedback_summary"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        return show_feedback(dispatcher, tracker)


class ActionChooseFeedbackSharing(Action):
    def name(self) -> str:
        return "action_choose_feedback_sharing"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        answers, sharing = answers_from(tracker), sharing_from(tracker)
        buttons = []
        for kind in QUESTIONS:
            if answers[kind] and answers[kind] != SKIPPED:
                state = "hide" if sharing[kind] else "show"
                buttons.append({"title": words()[f"toggle_{state}"].format(label=words()["short"][kind]),
                                "payload": f'/toggle_feedback{{"item": "{kind}"}}'})
        buttons.append({"title": words()["back"], "payload": "/toggle_feedback"})
        dispatcher.utter_message(response="utter_choose_feedback_sharing", buttons=buttons)
        return []


class ActionToggleFeedback(Action):
    def name(self) -> str:
        return "action_toggle_feedback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        kind, sharing = entity(tracker, "item"), sharing_from(tracker)
        if kind in sharing:
            sharing[kind] = not sharing[kind]
        return [SlotSet("feedback_sharing", sharing)] + show_feedback(dispatcher, tracker, sharing=sharing)


class ActionRestartFeedback(Action):
    def name(self) -> str:
        return "action_restart_feedback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        with store() as (session, _keys):
            if refuse_unless_child(dispatcher, session, who(session, tracker)):
                return [FollowupAction("action_listen")]
        return reset_answers() + [SlotSet("requested_slot", None)]


class ActionApproveFeedback(Action):
    def name(self) -> str:
        return "action_approve_feedback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        answers = answers_from(tracker)
        with store() as (session, keys):
            ident = who(session, tracker)
            if refuse_unless_child(dispatcher, session, ident):
                return []
            if not any(v and v != SKIPPED for v in answers.values()):
                utter(dispatcher, "utter_feedback_nothing_to_send")
                utter(dispatcher, "utter_menu_after_meeting")
                return []
            sent = feedback.approve(session, keys, child=ident.person, answers=answers,
                                    sharing=sharing_from(tracker))
            if sent:
                notices.feedback_ready(session, keys, ident.meeting)
        if sent:
            utter(dispatcher, "utter_feedback_sent",
                  items=", ".join(words()["short"][kind] for kind in sent))
        else:
            utter(dispatcher, "utter_feedback_sent_nothing")
        utter(dispatcher, "utter_menu_after_meeting")
        # Sent once: a second tap on an old "Skicka" must not send the same answers again.
        return reset_answers()


class ActionCheckinAnswer(Action):
    def name(self) -> str:
        return "action_checkin_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        if entity(tracker, "checkin") == "yes":
            utter(dispatcher, "utter_checkin_glad")
        else:
            utter(dispatcher, "utter_checkin_not_done")
            utter(dispatcher, "utter_where_to_complain")
        next_steps(dispatcher, tracker)
        return []


class ActionCheckinTell(Action):
    """Content-free: the coordinator learns that not everything decided has happened."""

    def name(self) -> str:
        return "action_checkin_tell"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        with store() as (session, keys):
            ident = who(session, tracker)
            if refuse_unless_child(dispatcher, session, ident):
                return []
            notices.checkin_not_done(session, keys, ident.meeting)
        utter(dispatcher, "utter_checkin_told")
        next_steps(dispatcher, tracker)
        return []

