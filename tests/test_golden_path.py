"""The golden path of DESIGN section 5, over the REST channel of a real `serve`, ending with
the coordinator reading the child's own words with `inbox`."""
from __future__ import annotations

import json
import secrets

import pytest

from tests.conftest import new_meeting

pytestmark = pytest.mark.stack


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def buttons(replies: list[dict]) -> list[dict]:
    return [b for r in replies for b in r.get("buttons") or []]


def payloads(replies: list[dict]) -> list[str]:
    return [b["payload"] for b in buttons(replies)]


def test_golden_path_from_hello_to_inbox(stack):
    meeting = new_meeting(stack)
    sender = secrets.token_hex(8)

    step1 = stack.say(sender, "hej")
    assert "kod" in texts(step1).lower()

    step2 = stack.say(sender, f"min kod är {meeting['child_code']}")
    said = texts(step2)
    assert "Alva" in said
    assert "måndag 20 maj 2030 kl. 09.30" in said
    assert "ja" in said.lower() and "skickas" in said  # privacy explained before consent
    consent = buttons(step2)
    assert [b["payload"] for b in consent] == ["/affirm", "/deny"]
    assert consent[0]["title"].split()[0].rstrip(",") == "Ja"

    step3 = stack.say(sender, "/affirm")
    prepare = [b for b in buttons(step3) if b["payload"] == "/start_preparation"]
    assert prepare and prepare[0]["title"].startswith("Förbered")

    step4 = stack.say(sender, "/start_preparation")
    assert "bra" in texts(step4).lower() and "1 av 5" in texts(step4)
    step5 = stack.say(sender, "jag har en bra kompis som heter Kim")
    assert "svårt" in texts(step5).lower()
    step6 = stack.say(sender, "det är svårt att sova och mattelektionerna")
    assert "önskar" in texts(step6).lower()
    step7 = stack.say(sender, "att jag får vara i ett lugnare rum ibland")
    assert "fråga" in texts(step7).lower() and "4 av 5" in texts(step7)
    step8 = stack.say(sender, "varför flyttar ni min mentor")
    assert "vara med" in texts(step8).lower()
    assert "/skip" in payloads(step8)

    step9 = stack.say(sender, '/choose_participation{"participation": "part"}')
    summary = texts(step9)
    for words in ("jag har en bra kompis som heter Kim", "det är svårt att sova och mattelektionerna",
                  "att jag får vara i ett lugnare rum ibland", "varför flyttar ni min mentor",
                  "en del av mötet"):
        assert words in summary
    assert "samordnaren" in summary
    send = [b for b in buttons(step9) if b["title"].startswith("Skicka")]
    assert [b["payload"] for b in send] == ["/approve_summary"]

    step10 = stack.say(sender, "/approve_summary")
    assert "samordnaren" in texts(step10) and "ändra" in texts(step10).lower()

    inbox = stack.cli("inbox", "--coordinator", meeting["coordinator_id"], "--key",
                      meeting["key_file"], "--json")
    assert inbox.returncode == 0, inbox.stderr
    statements = json.loads(inbox.stdout)["statements"]
    assert len(statements) == 1
    items = {i["kind"]: i["text"] for i in statements[0]["items"]}
    assert items["good"] == "jag har en bra kompis som heter Kim"
    assert items["hard"] == "det är svårt att sova och mattelektionerna"
    assert items["wish"] == "att jag får vara i ett lugnare rum ibland"
    assert items["question"] == "varför flyttar ni min mentor"
    assert statements[0]["meeting_id"] == meeting["meeting_id"] and statements[0]["version"] == 1


def test_bare_code_in_any_case_with_spaces_gets_in(stack):
    meeting = new_meeting(stack)
    sender = secrets.token_hex(8)
    code = meeting["child_code"].replace("-", " ").lower()
    replies = stack.say(sender, code)
    assert "Alva" in texts(replies)


def test_wrong_code_reveals_nothing_and_five_tries_make_the_sender_wait(stack):
    sender = secrets.token_hex(8)
    first = texts(stack.say(sender, "min kod är ABCD-EFGH-JKMN"))
    assert "fungerade inte" in first
    for _ in range(4):
        stack.say(sender, "min kod är ABCD-EFGH-JKMN")
    meeting = new_meeting(stack)
    locked = texts(stack.say(sender, meeting["child_code"]))
    assert "Vänta" in locked and "Alva" not in locked


def test_typed_question_during_first_question_is_answered_and_asked_again(stack):
    meeting = new_meeting(stack)
    sender = secrets.token_hex(8)
    stack.say(sender, meeting["child_code"])
    stack.say(sender, "/affirm")
    stack.say(sender, "/start_preparation")
    replies = stack.say(sender, "när är mötet")
    said = texts(replies)
    assert "måndag 20 maj 2030 kl. 09.30" in said
    assert "1 av 5" in said  # the same question again
