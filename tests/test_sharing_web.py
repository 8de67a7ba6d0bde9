"""Sharing choices in the web chat, clicked as a child clicks them in headless Chromium:
every choice is kept through the next one, and what is sent is what the last summary showed."""
from __future__ import annotations

import json
import secrets

import pytest
import yaml

from tests.conftest import REPO, _missing_service, new_meeting
from tests.web_browser import Browser, browser_missing

pytestmark = pytest.mark.stack

PHRASES = yaml.safe_load((REPO / "actions" / "phrases.yml").read_text(encoding="utf-8"))
LABELS, BUTTONS = PHRASES["labels"], PHRASES["buttons"]
ANSWERS = {"good": "bra-i-webben", "hard": "svart-i-webben", "wish": "onskan-i-webben",
           "question": "fragan-i-webben"}


@pytest.fixture
def child_browser():
    why = browser_missing()
    if why:
        _missing_service("browser", why)
    browser = Browser()
    yield browser
    browser.quit()


def last_summary(page_text: str) -> str:
    return page_text[page_text.rindex("Här är allt du har skrivit"):]


def test_choices_clicked_in_the_browser_are_kept_and_sent_as_shown(stack, child_browser):
    meeting = new_meeting(stack)
    web = child_browser
    web.log_in(f"http://127.0.0.1:{stack.env['WEB_PORT']}/", meeting["child_code"], "135792")
    web.click_button("Ja")
    web.click_button("Förbered")
    for kind in ("good", "hard", "wish", "question"):
        web.say(ANSWERS[kind])
    web.click_button("Hoppa över")

    def press(menu: str, title: str) -> str:
        web.click_button(menu)
        assert title in web.buttons(), (title, web.buttons())
        web.click_button(title)
        return last_summary(web.text)

    toggle = "Välj vem som ser vad"
    hide_hard = BUTTONS["toggle_coordinator_off"].format(label=LABELS["hard"])
    share_good = BUTTONS["toggle_guardians_on"].format(label=LABELS["good"])
    unshare_good = BUTTONS["toggle_guardians_off"].format(label=LABELS["good"])
    share_hard = BUTTONS["toggle_guardians_on"].format(label=LABELS["hard"])
    remove_wish = BUTTONS["remove"].format(label=LABELS["wish"])
    remove_question = BUTTONS["remove"].format(label=LABELS["question"])

    press(toggle, hide_hard)
    summary = press(toggle, share_good)
    # The first choice survived the second one, on the page as in the data.
    assert f"«{ANSWERS['hard']}»\nSer det: {PHRASES['audience']['nobody']}" in summary
    press(toggle, unshare_good)
    press(toggle, share_good)                    # the same button twice: back to shared
    press(toggle, share_hard)
    press("Ändra ett svar", remove_wish)
    summary = press("Ändra ett svar", remove_question)
    assert ANSWERS["wish"] not in summary and ANSWERS["question"] not in summary
    assert f"«{ANSWERS['hard']}»\nSer det: {PHRASES['audience']['guardians']}" in summary

    web.click_button("Skicka")
    said = web.text[web.text.rindex("Klart!"):]
    assert f"Skickat till samordnaren: {LABELS['good']}." in said
    assert LABELS["hard"] in said.split("Dina vårdnadshavare kan läsa:")[1].splitlines()[0]

    inbox = stack.cli("inbox", "--coordinator", meeting["coordinator_id"], "--key", meeting["key_file"], "--json")
    assert inbox.returncode == 0, inbox.stderr
    sent = {i["kind"]: i["text"] for i in json.loads(inbox.stdout)["statements"][-1]["items"]}
    assert sent == {"good": ANSWERS["good"]}

    guardian = json.loads(stack.cli("invite", "--meeting", meeting["meeting_id"], "--role", "guardian",
                                    "--name", "Anna Svensson", "--json").stdout)
    sender = secrets.token_hex(8)
    stack.say(sender, guardian["code"])
    seen = "\n".join(r.get("text") or "" for r in stack.say(sender, "/ask_status"))
    assert ANSWERS["good"] in seen and ANSWERS["hard"] in seen
    assert ANSWERS["wish"] not in seen and ANSWERS["question"] not in seen
