"""The web chat as a child on a shared family computer or a phone finds it (issue 15,
points 15 and 16): titles that say nothing, numbers to tap, help that opens the help page
without being put in the child's mouth, a page that says you are logged out, and a
transcript a screen reader can follow."""
from __future__ import annotations

import re

import pytest

from bot.safety.helplines import load_helplines
from tests.conftest import new_meeting
from tests.web_browser import csrf_of, http_log_in, nonce_of, web_client

pytestmark = pytest.mark.stack


def web_url(stack) -> str:
    return f"http://127.0.0.1:{stack.env['WEB_PORT']}"


def titles(html: str) -> list[str]:
    return re.findall(r"<title>(.*?)</title>", html, re.S)


def test_every_page_has_the_same_neutral_title(stack):
    with web_client(web_url(stack)) as child:
        pages = [child.get("/"), child.get("/hjalp"), child.get("/finns-inte")]
        start = pages[0]
        pin = child.get(child.post("/login", data={"csrf": csrf_of(start.text),
                                                   "code": new_meeting(stack)["child_code"]}
                                   ).headers["location"])
        pages.append(pin)
        chat = child.post("/pin", data={"csrf": csrf_of(pin.text), "pin": "246813", "pin2": "246813"})
        pages.append(child.get(chat.headers["location"]))
        pages.append(child.get(child.post("/logout", data={"csrf": csrf_of(pages[-1].text)}
                                          ).headers["location"]))
    for page in pages:
        assert titles(page.text) == ["SIP-kompis"], page.url


def test_numbers_on_the_help_page_are_links_a_phone_dials(stack):
    with web_client(web_url(stack)) as child:
        page = child.get("/hjalp").text
    assert 'href="tel:112"' in page
    for line in load_helplines().lines:
        if line.number:
            digits = re.sub(r"[^0-9+]", "", line.number)
            assert f'href="tel:{digits}"' in page, line.key
        if line.web:
            assert f'href="{line.web_link}"' in page, line.key
    # As in every crisis reply in the chat: who must tell the social services, after the numbers.
    assert page.index("tel:112") < page.index("tystnadsplikt") < page.index("måste de säga till socialtjänsten")


def test_help_now_in_the_chat_opens_the_help_page_and_is_not_put_in_the_childs_mouth(stack):
    with web_client(web_url(stack)) as child:
        chat = http_log_in(child, new_meeting(stack)["child_code"], "246813")
        sent = child.post("/send", data={"csrf": csrf_of(chat.text), "nonce": nonce_of(chat.text),
                                         "payload": "/help_now"})
        assert sent.status_code == 303 and sent.headers["location"] == "/hjalp"
        transcript = child.get("/chat").text
    assert "112" in transcript  # the help is in the chat as well, for later
    child_lines = re.findall(r'<li class="line child".*?</li>', transcript, re.S)
    assert not any("Hjälp nu" in line for line in child_lines)


def test_logging_out_says_so(stack):
    with web_client(web_url(stack)) as child:
        chat = http_log_in(child, new_meeting(stack)["child_code"], "246813")
        out = child.post("/logout", data={"csrf": csrf_of(chat.text)})
        assert out.headers["location"] == "/utloggad"
        page = child.get("/utloggad").text
        assert "Du är utloggad" in page
        assert child.get("/chat").headers["location"] == "/"  # and really is


def test_the_transcript_is_a_live_log_and_every_bubble_says_who_wrote_it(stack):
    with web_client(web_url(stack)) as child:
        chat = http_log_in(child, new_meeting(stack)["child_code"], "246813")
        child.post("/send", data={"csrf": csrf_of(chat.text), "nonce": nonce_of(chat.text),
                                  "payload": "/affirm"})
        page = child.get("/chat").text
    # The live region wraps the list, so the list keeps its list semantics.
    assert re.search(r'<div class="log" role="log" aria-live="polite" aria-label="Chatten">\s*<ol class="transcript">', page)
    bubbles = re.findall(r'<li class="line (\w+)".*?</li>', page, re.S)
    items = re.findall(r'<li class="line \w+".*?</li>', page, re.S)
    assert len(items) >= 3 and len(bubbles) == len(items)
    for item in items:
        assert re.search(r'<span class="(who|visually-hidden)">(Du|SIP-kompis|Meddelande):</span>', item)
