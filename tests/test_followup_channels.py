"""After the meeting in every channel (issue 13, DESIGN section 5 steps 11-13), with the
real model and the real channel code: the coordinator's `outcome` with its points and
`followups run-due` at an injected time, then what the child and the guardian see in
Telegram (python-telegram-bot against tests/fake_telegram.py), the web chat (headless
Chromium) and the terminal chat.

One `serve` (with the Telegram bridge and the web chat) serves the whole module; each test
has its own meeting and chats.
"""
from __future__ import annotations

import json

import pytest

from tests.conftest import new_meeting
from tests.test_telegram import Chat, child_joins, telegram_stack
from tests.test_terminal_chat import Terminal

pytestmark = pytest.mark.stack

NEW_MESSAGE = "Hej! Du har ett nytt meddelande från SIP-kompis."
THE_DAY_AFTER = "2030-05-21T10:00:00+02:00"  # the meeting is 20 May 2030 at 09.30 Stockholm time
TEXT = "Ni bestämde att skolan och BUP ska hjälpa dig mer."
POINTS = (("Alva får sitta i ett lugnare rum", "Omar", "från 1 juni"),
          ("Ett nytt möte om skolan", "kurator", "i augusti"))
# Each point as the child reads it: the WHO is matched to the name and role from the meeting.
POINTS_SHOWN = (("Alva får sitta i ett lugnare rum", "Omar Haddad (kurator)", "från 1 juni"),
                ("Ett nytt möte om skolan", "Omar Haddad (kurator)", "i augusti"))
CONTENT = ("skolan och BUP", "lugnare rum", "nytt möte om skolan", "Omar", "augusti")


@pytest.fixture(scope="module")
def tg(trained_model, tmp_path_factory):
    with telegram_stack(tmp_path_factory, "followup-channels") as running:
        yield running


def ok(stack, *args: str) -> dict:
    result = stack.cli(*args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def record_outcome(stack, meeting: dict) -> dict:
    args = ["outcome", "--meeting", meeting["meeting_id"], "--text", TEXT]
    for point in POINTS:
        args += ["--point", "|".join(point)]
    return ok(stack, *args)


def run_due(stack, now: str = THE_DAY_AFTER) -> int:
    return ok(stack, "followups", "run-due", "--now", now)["sent"]


def listed(stack, meeting: dict) -> dict:
    rows = ok(stack, "meeting", "list")["meetings"]
    return next(r for r in rows if r["meeting_id"] == meeting["meeting_id"])


def assert_whole_outcome(said: str) -> None:
    assert TEXT in said
    for what, who, when in POINTS_SHOWN:
        assert f"{what}. Vem: {who}. När: {when}." in said


def inbox(stack, meeting: dict) -> dict:
    return ok(stack, "inbox", "--coordinator", meeting["coordinator_id"], "--key", meeting["key_file"])


def web_url(stack) -> str:
    return f"http://127.0.0.1:{stack.env['WEB_PORT']}"


# --- Telegram -------------------------------------------------------------------------

def test_telegram_lock_screen_line_first_then_the_outcome_after_a_tap_and_the_guardian_gets_status_only(tg):
    meeting = new_meeting(tg.stack)
    child = child_joins(tg, meeting, 8101)
    child.tap("Ja")
    invite = ok(tg.stack, "invite", "--meeting", meeting["meeting_id"], "--role", "guardian",
                "--name", "Anna Svensson")
    guardian = Chat(tg.fake, 8102)
    assert "Anna" in guardian.say("/start " + invite["link"].partition("start=")[2])
    child_before, guardian_before = len(child.messages), len(guardian.messages)

    record_outcome(tg.stack, meeting)
    assert run_due(tg.stack) >= 1
    pushed = tg.fake.messages_after(child.id, child_before)
    # What a phone shows on the lock screen: one content-free line with a button.
    assert [m.text for m in pushed] == [NEW_MESSAGE]
    assert [b["text"] for b in pushed[0].buttons] == ["Läs"]

    opened = child.tap("Läs")
    assert_whole_outcome(opened)
    assert "Sara Lind" in opened  # whom to ask
    assert opened.index(TEXT) < opened.index("Fråga 1 av 5")  # then the heard questions
    assert "Kände du" not in opened  # one question at a time

    status = tg.fake.messages_after(guardian.id, guardian_before)
    assert [m.text for m in status] == ["Mötet har hållits. Nästa uppföljning: 17 juni."]
    assert not any(m.buttons for m in status)
    for words in CONTENT + (TEXT,):
        assert not any(words in m.text for m in guardian.messages)

    # The heard answers by taps and typing, approved in the chat, opened by `inbox`.
    assert "2 av 5" in child.tap("Ja")
    assert "3 av 5" in child.tap("😐")
    assert "4 av 5" in child.say("typ, men inte allt")
    assert "5 av 5" in child.tap("Hoppa över")
    summary = child.say("när får jag det lugna rummet")
    assert "«typ, men inte allt»" in summary and "«när får jag det lugna rummet»" in summary
    assert "Skickat till samordnaren" in child.tap("Skicka")
    box = inbox(tg.stack, meeting)
    assert len(box["feedback"]) == 1
    assert {i["kind"]: i["text"] for i in box["feedback"][0]["items"]} == {
        "said": "Ja", "listened": "Lite", "understood": "typ, men inte allt",
        "more": "när får jag det lugna rummet"}
    assert listed(tg.stack, meeting)["followup_answered"] is True
    for words in ("typ, men inte allt", "när får jag det lugna rummet"):
        assert not any(words in m.text for m in guardian.messages)
        assert words not in tg.stack.logs()


def test_telegram_an_outcome_recorded_in_quiet_hours_waits_for_the_morning_but_not_for_the_child(tg):
    meeting = new_meeting(tg.stack)
    child = child_joins(tg, meeting, 8201)
    child.tap("Ja")
    before = len(child.messages)
    record_outcome(tg.stack, meeting)
    run_due(tg.stack, "2030-05-20T22:30:00+02:00")  # after the meeting, but at night
    # No push at night; yet a child who writes anyway gets what was decided.
    said = child.say("hej")
    assert NEW_MESSAGE not in [m.text for m in child.messages[before:]]
    assert_whole_outcome(said)
    run_due(tg.stack, "2030-05-21T08:05:00+02:00")
    tg.fake.messages_after(child.id, 0)  # let anything queued go out
    assert NEW_MESSAGE not in [m.text for m in child.messages[before:]]  # already read: no push


# --- web chat -------------------------------------------------------------------------

def test_web_the_outcome_waits_for_the_next_visit_and_the_coordinator_sees_it_unread(tg, browser):
    meeting = new_meeting(tg.stack)
    first_visit = browser()
    first_visit.log_in(web_url(tg.stack) + "/", meeting["child_code"], "246813")
    first_visit.click_button("Ja")
    first_visit.click_button("Logga ut")

    record_outcome(tg.stack, meeting)
    run_due(tg.stack)
    row = listed(tg.stack, meeting)
    assert row["outcome_recorded"] is True and row["outcome_read"] is False
    assert row["unread"] is True
    human = tg.stack.cli("meeting", "list").stdout
    line = next(l for l in human.splitlines() if l.startswith(meeting["meeting_id"]))
    assert "olästa meddelanden" in line
    for words in CONTENT:
        assert words not in human

    child = browser()
    child.log_in(web_url(tg.stack) + "/", meeting["child_code"], "246813")
    assert NEW_MESSAGE in child.text and "Läs" in child.buttons()
    child.click_button("Läs")
    assert_whole_outcome(child.text)
    assert "Fråga 1 av 5" in child.text
    row = listed(tg.stack, meeting)
    assert row["outcome_read"] is True and row["unread"] is False
    line = next(l for l in tg.stack.cli("meeting", "list").stdout.splitlines()
                if l.startswith(meeting["meeting_id"]))
    assert "olästa meddelanden" not in line


# --- terminal chat --------------------------------------------------------------------

def test_terminal_the_outcome_comes_at_the_next_message(tg):
    meeting = new_meeting(tg.stack)
    chat = Terminal(tg.stack)
    try:
        chat.wait_for(lambda text: "Avsluta med Ctrl-D" in text, 120)
        before = chat.type(meeting["child_code"])
        chat.wait_for(lambda text: "1) Ja" in "".join(chat.out[before:]), 120)
        before = chat.type("1")
        chat.wait_for(lambda text: "Förbered" in "".join(chat.out[before:]), 120)
        record_outcome(tg.stack, meeting)
        run_due(tg.stack)
        before = chat.type("hej")
        said = chat.wait_for(lambda text: "Fråga 1 av 5" in "".join(chat.out[before:]), 120)
        said = "".join(chat.out[before:])
        assert_whole_outcome(said)
        assert NEW_MESSAGE not in said  # no push in a terminal: the content itself
        assert "1) Ja" in said.split("Fråga 1 av 5", 1)[1]
    finally:
        chat.close()


# --- answers to the child's own questions ---------------------------------------------

def test_the_coordinators_answers_come_under_the_question_the_child_asked(tg):
    from tests.test_followup_dialogue import prepared_child  # asks "vem bestämmer"

    meeting = new_meeting(tg.stack)
    sender = prepared_child(tg.stack, meeting)
    answer = "Ni bestämmer tillsammans, och ditt ord väger tungt."
    recorded = ok(tg.stack, "outcome", "--meeting", meeting["meeting_id"], "--text", TEXT,
                  "--point", "|".join(POINTS[0]), "--answer", answer, "--answer", " ")
    assert recorded["answers"] == 1  # an empty answer is not one
    run_due(tg.stack)
    said = "\n".join(r.get("text") or "" for r in tg.stack.say(sender, "hej"))
    assert TEXT in said
    assert f"Du frågade inför mötet: «vem bestämmer»\nSvar på det du frågade:\n• {answer}" in said
    assert said.index(answer) < said.index("Fråga 1 av 5")
    for _ in range(5):
        tg.stack.say(sender, "/skip")
    again = "\n".join(r.get("text") or "" for r in tg.stack.say(sender, "/read_outcome"))
    assert answer in again and "«vem bestämmer»" in again
    assert answer not in tg.stack.logs()
