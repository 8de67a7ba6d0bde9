"""Review and approval: the exact text of every item, who sees it, and sending on "Skicka".

Until approval the answers live in the (encrypted) conversation and as private drafts;
approval seals and stores the statement before the child is told it went.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.access import next_steps
from actions.common import entity, store, utter, who
from actions.phrases import label, payload, phrases
from bot.services import audience as audiences, meetings, statements
from bot.services.statements import KINDS, OPTIONAL_KINDS, SKIPPED

SLOTS = {kind: f"answer_{kind}" for kind in KINDS}


def answers_from(tracker: Tracker) -> dict[str, str | None]:
    return {kind: tracker.get_slot(slot) for kind, slot in SLOTS.items()}


def sharing_from(tracker: Tracker) -> dict[str, dict[str, bool]]:
    sharing = statements.default_sharing()
    for kind, value in (tracker.get_slot("sharing") or {}).items():
        if kind in sharing and isinstance(value, dict):
            use = value.get("use")
            sharing[kind] = {"coordinator": bool(value.get("coordinator")),
                             "guardians": bool(value.get("guardians")),
                             "use": use if use in statements.USES else statements.USES[0]}
    return sharing


def audience(share: dict) -> str:
    """Who may read the item and, when the coordinator may, what happens with it in the
    meeting: reading is not the same as having it brought up in front of everyone."""
    words = phrases()["audience"]
    who_sees = [words[k] for k in ("coordinator", "guardians") if share[k]]
    if not who_sees:
        return words["nobody"]
    line = ", ".join(who_sees)
    if share["coordinator"]:
        line += "\n" + phrases()["in_meeting"]["line"].format(
            use=phrases()["in_meeting"][share.get("use") or statements.USES[0]])
    return line


def show_summary(dispatcher: CollectingDispatcher, tracker: Tracker, *,
                 answers: dict[str, str | None] | None = None,
                 sharing: dict[str, dict[str, bool]] | None = None) -> list[Any]:
    """Save the drafts and show exactly what would be sent, item by item.

    An action that changes answers or sharing passes the new state and shows it in the
    same turn: handing over to another action with FollowupAction left the turn without a
    matching rule, and the core fallback then rewound the change the child had just made.
    The drafts saved here are what approval seals, so what is sent is what was last shown.
    """
    answers = answers_from(tracker) if answers is None else answers
    sharing = sharing_from(tracker) if sharing is None else sharing
    with store() as (session, keys):
        ident = who(session, tracker)
        if ident is None or ident.person.role != "child":
            utter(dispatcher, "utter_need_code_first")
            return []
        if ident.person.consent_at is None:
            utter(dispatcher, "utter_ask_consent_first")
            return [SlotSet("pending", "consent")]
        items = statements.save_draft(session, keys, child=ident.person, answers=answers, sharing=sharing)
        unsent = statements.has_unsent_changes(session, ident.meeting.id)
        held = statements.coordinator_holds(session, ident.meeting.id)
    if not items:
        utter(dispatcher, "utter_summary_empty")
        return []
    utter(dispatcher, "utter_summary_header")
    if unsent:
        # "Samordnaren har den förra versionen" only if that version gave them something.
        utter(dispatcher, "utter_summary_changed_since_sent" if held else "utter_summary_changed_not_sent")
    for number, item in enumerate(items, start=1):
        utter(dispatcher, "utter_summary_item", number=number, label=label(item.kind), answer=item.text,
              audience=audience({"coordinator": item.share_coordinator, "guardians": item.share_guardians,
                                 "use": item.use}))
    utter(dispatcher, "utter_summary_actions")
    return []


class ActionShowSummary(Action):
    def name(self) -> str:
        return "action_show_summary"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        return show_summary(dispatcher, tracker)


class ActionApproveSummary(Action):
    def name(self) -> str:
        return "action_approve_summary"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        with store() as (session, keys):
            ident = who(session, tracker)
            if ident is None or ident.person.role != "child":
                utter(dispatcher, "utter_need_code_first")
                return []
            if ident.person.consent_at is None:
                utter(dispatcher, "utter_ask_consent_first")
                return [SlotSet("pending", "consent")]
            if not meetings.is_upcoming(ident.meeting):
                utter(dispatcher, "utter_meeting_started")
                next_steps(dispatcher, tracker)
                return []
            items = statements.current_items(session, keys, ident.meeting.id)
            if not items:
                utter(dispatcher, "utter_nothing_to_review")
                return []
            approval = statements.approve(session, keys, child=ident.person)
        if not (approval.to_coordinator or approval.to_guardians):
            utter(dispatcher, "utter_sent_nothing_shared")
            return []
        utter(dispatcher, "utter_sent", who_got_what=who_got_what(approval.items))
        next_steps(dispatcher, tracker)
        return []


def who_got_what(items) -> str:
    """One line per recipient naming exactly the items they got, and what went to nobody."""
    words = phrases()["sent"]

    def names(chosen) -> str:
        return ", ".join(label(i.kind) for i in chosen)

    lines = []
    for recipient, flag in (("coordinator", "share_coordinator"), ("guardians", "share_guardians")):
        chosen = [i for i in items if getattr(i, flag)]
        if chosen:
            lines.append(words[recipient].format(items=names(chosen)))
    kept = [i for i in items if not (i.share_coordinator or i.share_guardians)]
    if kept:
        lines.append(words["nobody"].format(items=names(kept)))
    return "\n".join(lines)


class ActionChangeAnswer(Action):
    def name(self) -> str:
        return "action_change_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        answers = answers_from(tracker)
        present = [k for k, v in answers.items() if v and v != SKIPPED]
        if not present:
            utter(dispatcher, "utter_nothing_to_review")
            return []
        texts = phrases()["buttons"]
        buttons = []
        for kind in KINDS:
            if kind in OPTIONAL_KINDS and kind not in present:
                continue  # not asked: "Säg mer" offers it
            buttons.append({"title": texts["edit"].format(label=label(kind)),
                            "payload": payload("edit_item", item=kind)})
            if kind in present:
                buttons.append({"title": texts["remove"].format(label=label(kind)),
                                "payload": payload("remove_item", item=kind)})
        dispatcher.utter_message(response="utter_choose_item_to_change", buttons=buttons)
        return []


class ActionEditItem(Action):
    """Clear one answer and reopen the form: it asks exactly that question again."""

    def name(self) -> str:
        return "action_edit_item"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        from actions.preparation import refuse_preparing

        refused = refuse_preparing(dispatcher, tracker)
        if refused is not None:
            return refused
        kind = entity(tracker, "item")
        if kind not in SLOTS:
            # The rule goes on into the form: end the turn here instead.
            return ActionChangeAnswer().run(dispatcher, tracker, domain) + [FollowupAction("action_listen")]
        chosen = [SlotSet("extra_asked", kind)] if kind in OPTIONAL_KINDS else []
        return chosen + [SlotSet(SLOTS[kind], None), FollowupAction("preparation_form")]


class ActionAddMore(Action):
    """"Säg mer": the optional questions as buttons, each asked only if the child picks it."""

    def name(self) -> str:
        return "action_add_more"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        from actions.preparation import refuse_preparing

        refused = refuse_preparing(dispatcher, tracker)
        if refused is not None:
            return refused
        answers = answers_from(tracker)
        texts = phrases()["buttons"]
        buttons = []
        for kind in OPTIONAL_KINDS:
            answered = answers.get(kind) and answers[kind] != SKIPPED
            title = texts["edit"].format(label=label(kind)) if answered else label(kind)
            buttons.append({"title": title, "payload": payload("edit_item", item=kind)})
        buttons.append({"title": texts["back_to_summary"], "payload": "/review_summary"})
        dispatcher.utter_message(response="utter_add_more", buttons=buttons)
        return []


class ActionRemoveItem(Action):
    def name(self) -> str:
        return "action_remove_item"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        kind = entity(tracker, "item")
        if kind not in SLOTS:
            return ActionChangeAnswer().run(dispatcher, tracker, domain)
        answers = {**answers_from(tracker), kind: SKIPPED}
        utter(dispatcher, "utter_item_removed")
        return [SlotSet(SLOTS[kind], SKIPPED)] + show_summary(dispatcher, tracker, answers=answers)


class ActionChooseSharing(Action):
    def name(self) -> str:
        return "action_choose_sharing"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        answers, sharing = answers_from(tracker), sharing_from(tracker)
        recipients = recipients_for(tracker)
        texts = phrases()["buttons"]
        buttons = []
        for kind in KINDS:
            if not answers.get(kind) or answers[kind] == SKIPPED:
                continue
            for recipient in recipients:
                state = "off" if sharing[kind][recipient] else "on"
                buttons.append({"title": texts[f"toggle_{recipient}_{state}"].format(label=label(kind)),
                                "payload": payload("toggle_sharing", item=kind, recipient=recipient)})
            if sharing[kind]["coordinator"]:
                following = next_use(sharing[kind]["use"])
                buttons.append({"title": texts["use_next"].format(
                                    label=label(kind), use=phrases()["in_meeting"][following]),
                                "payload": payload("toggle_use", item=kind)})
        buttons.append({"title": texts["back_to_summary"], "payload": "/review_summary"})
        response = "utter_choose_sharing" if "guardians" in recipients else "utter_choose_sharing_adult"
        dispatcher.utter_message(response=response, buttons=buttons)
        return []


class ActionToggleSharing(Action):
    def name(self) -> str:
        return "action_toggle_sharing"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        kind, recipient = entity(tracker, "item"), entity(tracker, "recipient")
        sharing = sharing_from(tracker)
        # A typed payload can name guardians a young adult does not have: nothing changes.
        if kind in sharing and recipient in recipients_for(tracker):
            sharing[kind][recipient] = not sharing[kind][recipient]
        return [SlotSet("sharing", sharing)] + show_summary(dispatcher, tracker, sharing=sharing)


def recipients_for(tracker: Tracker) -> tuple[str, ...]:
    """Whom this child can choose to share with: guardians only where there are any."""
    with store() as (session, _keys):
        ident = who(session, tracker)
        if ident is not None and not audiences.has_guardians(session, ident.person):
            return ("coordinator",)
    return ("coordinator", "guardians")


def next_use(use: str) -> str:
    uses = statements.USES
    return uses[(uses.index(use) + 1) % len(uses)] if use in uses else uses[0]


class ActionToggleUse(Action):
    """One button per item steps through how it may be used in the meeting; the summary
    then shows the choice in words, so the child sees what they chose."""

    def name(self) -> str:
        return "action_toggle_use"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[Any]:
        kind = entity(tracker, "item")
        sharing = sharing_from(tracker)
        if kind in sharing:
            sharing[kind]["use"] = next_use(sharing[kind]["use"])
        return [SlotSet("sharing", sharing)] + show_summary(dispatcher, tracker, sharing=sharing)
