"""The web chat (issue 7) in a real headless Chromium against a real `serve`: the child's
golden path by clicking and typing, the guardian's view, quick exit, no JavaScript, and
the security promises (cookie flags, CSP, CSRF, one answer per form, PIN lock, revoke)."""
from __future__ import annotations

import json
from datetime import datetime, timedelta
import subprocess
import sys
import time

import httpx
import pytest

from tests.conftest import PREPARED_ANSWERS as ANSWERS, REPO, free_port, new_meeting, prepare_over_rest
from tests.web_browser import Browser, csrf_of, http_log_in, nonce_of, web_client

pytestmark = pytest.mark.stack

ARTIFACTS = REPO / "test-artifacts"
CRISIS = "jag vill inte leva längre"


def web_url(stack) -> str:
    return f"http://127.0.0.1:{stack.env['WEB_PORT']}"


@pytest.fixture
def client(stack):
    with web_client(web_url(stack)) as http:
        yield http


def test_serve_prints_the_web_chat_address(stack):
    lines = [line for line in stack.output if line.startswith("web chat:")]
    assert lines and web_url(stack) + "/" in lines[0]
    assert stack.output.index(lines[0]) < next(i for i, l in enumerate(stack.output) if l.startswith("ready"))


def test_child_does_the_golden_path_in_the_browser_and_the_coordinator_reads_it(stack, browser):
    meeting = new_meeting(stack)
    child = browser()
    child.open(web_url(stack) + "/")
    child.shot(ARTIFACTS / "web-start.png", 900)
    child.type_into("code", meeting["child_code"])
    child.click_button("Fortsätt")
    child.shot(ARTIFACTS / "web-pin.png", 900)
    child.type_into("pin", "246813")
    child.type_into("pin2", "246813")
    child.click_button("Spara")
    assert "Alva" in child.text and "måndag 20 maj 2030 kl. 09.30" in child.text
    child.shot(ARTIFACTS / "web-chat-consent.png", 2200)
    assert child.driver.current_url.endswith("/chat#senaste") or "/chat" in child.driver.current_url
    consent = child.buttons()
    assert consent and consent[0].split()[0].rstrip(",") == "Ja"
    child.click_button("Ja")
    child.click_button("Förbered")
    assert "1 av 5" in child.text
    for answer in ANSWERS:
        child.say(answer)
    assert "vara med" in child.text.lower()
    child.click_button(child.buttons()[0])  # a participation choice, as offered
    summary = child.text
    for answer in ANSWERS:
        assert answer in summary
    assert "samordnaren" in summary
    assert [b for b in child.buttons() if b.startswith("Skicka")][:1]
    child.shot(ARTIFACTS / "web-summary.png", 3000)
    child.click_button("Skicka")
    assert "samordnaren" in child.text and "ändra" in child.text.lower()
    for url_seen in (child.driver.current_url,):
        assert meeting["child_code"] not in url_seen and "kompis" not in url_seen

    inbox = stack.cli("inbox", "--coordinator", meeting["coordinator_id"], "--key",
                      meeting["key_file"], "--json")
    assert inbox.returncode == 0, inbox.stderr
    items = {i["kind"]: i["text"] for i in json.loads(inbox.stdout)["statements"][0]["items"]}
    assert [items[k] for k in ("good", "hard", "wish", "question")] == list(ANSWERS)

    dump = b"".join(path.read_bytes() for path in stack.var.glob("sipkompis.db*"))
    for answer in ANSWERS:
        assert answer.encode() not in dump
        assert json.dumps(answer).strip('"').encode() not in dump  # as JSON escapes it

    web_log = (stack.var / "logs" / "web.log").read_text(errors="replace")
    everything = stack.logs()
    for secret in (*ANSWERS, "Kim", "mattelektionerna", meeting["child_code"],
                   meeting["child_code"].replace("-", "")):
        assert secret not in web_log and secret not in everything


def test_guardian_sees_status_but_never_the_childs_words(stack, browser):
    meeting = new_meeting(stack)
    prepare_over_rest(stack, meeting["child_code"])
    guardian_code = json.loads(stack.cli("invite", "--meeting", meeting["meeting_id"], "--role",
                                         "guardian", "--name", "Lena Svensson", "--json").stdout)["code"]
    guardian = browser()
    guardian.log_in(web_url(stack) + "/", guardian_code, "135792")
    assert "Lena" in guardian.text
    guardian.click_button("Hur går förberedelsen")
    assert "klar och skickad" in guardian.text
    guardian.shot(ARTIFACTS / "web-guardian.png", 1600)
    for answer in ANSWERS:
        assert answer not in guardian.source
    assert not any(b.startswith("Förbered") for b in guardian.buttons())


def leave_quickly(browser: Browser) -> None:
    browser.driver.find_element("id", "lamna-snabbt").click()
    deadline = time.monotonic() + 30
    while "127.0.0.1" in browser.driver.current_url and time.monotonic() < deadline:
        time.sleep(0.2)
    assert browser.driver.current_url.startswith("https://www.google.com/search")


def test_quick_exit_leaves_at_once_and_back_does_not_return_to_the_chat(stack, browser):
    meeting = new_meeting(stack)
    child = browser()
    child.log_in(web_url(stack) + "/", meeting["child_code"], "246813")
    assert "/chat" in child.driver.current_url
    leave_quickly(child)
    child.driver.back()
    assert "Din kod" in child.text and "Alva" not in child.text


def test_the_whole_chat_works_with_javascript_turned_off(stack, browser):
    meeting = new_meeting(stack)
    child = browser(javascript=False)
    child.log_in(web_url(stack) + "/", meeting["child_code"], "246813")
    child.click_button("Ja")
    child.click_button("Förbered")
    child.say(ANSWERS[0])
    assert "svårt" in child.text.lower() and ANSWERS[0] in child.text
    child.click_button("Hjälp nu")
    assert "112" in child.text and child.driver.current_url.endswith("/hjalp")
    child.open(web_url(stack) + "/chat")
    assert "Du: Hjälp nu" not in child.text  # a button, not something the child said
    child.click_button("Logga ut")
    assert "Du är utloggad" in child.text
    child.open(web_url(stack) + "/chat")
    assert "Din kod" in child.text  # the session really ended
    child.log_in(web_url(stack) + "/", meeting["child_code"], "246813")
    assert ANSWERS[0] in child.text  # the same conversation, shown again after code + PIN
    leave_quickly(child)
    child.driver.back()
    # Without script Chrome may show its back-forward copy, but the session is gone.
    child.driver.refresh()
    assert "Din kod" in child.text and ANSWERS[0] not in child.text


def test_getting_in_and_answering_works_with_the_keyboard_alone(stack, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    meeting = new_meeting(stack)
    child = browser()
    child.open(web_url(stack) + "/")
    ActionChains(child.driver).send_keys(Keys.TAB).perform()
    assert child.driver.switch_to.active_element.text == "Hoppa till innehållet"
    child.submit(child.driver.find_element("id", "code"), meeting["child_code"] + Keys.ENTER)
    child.driver.find_element("id", "pin").send_keys("246813")
    child.submit(child.driver.find_element("id", "pin2"), "246813" + Keys.ENTER)
    assert "Alva" in child.text
    # Tab from the message field backwards reaches the answer buttons; Enter presses one.
    child.driver.find_element("id", "text").click()
    for _ in range(len(child.buttons())):
        ActionChains(child.driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    assert child.driver.switch_to.active_element.text.startswith("Ja")
    child.submit(keys=Keys.ENTER)
    assert any(b.startswith("Förbered") for b in child.buttons())


def test_cookie_is_httponly_samesite_strict_and_pages_carry_a_strict_csp(client):
    page = client.get("/")
    cookie = page.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http on 127.0.0.1; see the https test below
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert page.headers["cache-control"] == "no-store"
    assert '<html lang="sv">' in page.text and "<script>" not in page.text and "style=" not in page.text


def test_behind_https_the_cookie_is_secure(stack, tmp_path):
    port = free_port()
    env = {**stack.env, "WEB_PORT": str(port), "SIPKOMPIS_WEB_BASE_URL": "https://chatt.example.se"}
    process = subprocess.Popen([sys.executable, "-m", "bot.channels.web"], cwd=REPO, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        page = wait_for(f"http://127.0.0.1:{port}/")
        assert "Secure" in page.headers["set-cookie"]
    finally:
        process.terminate()
        process.wait(30)


def wait_for(url: str) -> httpx.Response:
    deadline = time.monotonic() + 120
    while True:
        try:
            return httpx.get(url, timeout=5)
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_a_post_without_or_with_a_wrong_csrf_token_is_refused_and_nothing_is_relayed(stack, client):
    meeting = new_meeting(stack)
    assert client.post("/login", data={"code": meeting["child_code"]}).status_code == 403
    assert client.post("/login", data={"code": meeting["child_code"], "csrf": "x" * 32}).status_code == 403
    chat = http_log_in(client, meeting["child_code"], "246813")
    assert "Alva" in chat.text  # the refused posts did not use up the code
    nonce = nonce_of(chat.text)
    for csrf in (None, "wrong-token-" + "x" * 20):
        data = {"nonce": nonce, "text": "en hemlig rad som inte får skickas"}
        if csrf:
            data["csrf"] = csrf
        assert client.post("/send", data=data).status_code == 403
    assert "hemlig rad" not in client.get("/chat").text
    assert client.post("/logout", data={"csrf": "wrong"}).status_code == 403


def test_a_double_submitted_form_is_answered_once(stack, client):
    meeting = new_meeting(stack)
    chat = http_log_in(client, meeting["child_code"], "246813")
    data = {"csrf": csrf_of(chat.text), "nonce": nonce_of(chat.text), "text": "vad är sip"}
    first, second = client.post("/send", data=data), client.post("/send", data=data)
    assert first.status_code == second.status_code == 303
    page = client.get("/chat").text
    assert page.count("vad är sip") == 1


def test_a_button_not_offered_to_this_session_is_not_relayed(stack, client):
    meeting = new_meeting(stack)
    chat = http_log_in(client, meeting["child_code"], "246813")
    data = {"csrf": csrf_of(chat.text), "nonce": nonce_of(chat.text), "payload": "/approve_summary"}
    assert client.post("/send", data=data).status_code == 303
    assert "/approve_summary" not in client.get("/chat").text.split("Välj ett svar")[0]


def test_second_visit_needs_the_pin_and_five_wrong_pins_lock_it(stack, client):
    meeting = new_meeting(stack)
    http_log_in(client, meeting["child_code"], "246813")
    page = client.get("/chat")
    client.post("/logout", data={"csrf": csrf_of(page.text)})
    page = http_log_in(client, meeting["child_code"], "975310")
    assert "Fel PIN-kod" in page.text and "4 försök kvar" in page.text
    for _ in range(3):
        page = client.post("/pin", data={"csrf": csrf_of(page.text), "pin": "975310"})
    page = client.post("/pin", data={"csrf": csrf_of(page.text), "pin": "975310"})
    assert "för många" in page.text
    page = client.post("/pin", data={"csrf": csrf_of(page.text), "pin": "246813"})
    assert "för många" in page.text  # locked even with the right PIN
    with web_client(web_url(stack)) as other:
        assert "för många" in http_log_in(other, meeting["child_code"], "246813").text


def test_a_later_visit_with_code_and_pin_continues_the_same_conversation(stack, client):
    meeting = new_meeting(stack)
    chat = http_log_in(client, meeting["child_code"], "246813")
    client.post("/send", data={"csrf": csrf_of(chat.text), "nonce": nonce_of(chat.text), "payload": "/affirm"})
    with web_client(web_url(stack)) as later:
        page = http_log_in(later, meeting["child_code"], "246813")
        assert "Alva" in page.text and "Förbered" in page.text


def test_invite_revoke_ends_the_web_session_and_the_old_code(stack, client):
    meeting = new_meeting(stack)
    assert "Alva" in http_log_in(client, meeting["child_code"], "246813").text
    revoked = stack.cli("invite", "revoke", "--person", meeting["child_id"])
    assert revoked.returncode == 0, revoked.stderr
    assert client.get("/chat").status_code == 303
    with web_client(web_url(stack)) as again:
        page = http_log_in(again, meeting["child_code"], "246813")
        assert "Alva" not in page.text and "fungerade inte" in page.text


def test_a_notice_queued_while_away_is_shown_at_the_next_visit_once(stack, client):
    meeting = new_meeting(stack)
    http_log_in(client, meeting["child_code"], "246813")
    moved = stack.cli("meeting", "update", "--meeting", meeting["meeting_id"], "--place", "Biblioteket")
    assert moved.returncode == 0, moved.stderr
    first = client.get("/chat").text
    assert "Mötet har flyttats" in first and "Biblioteket" in first
    assert client.get("/chat").text.count("Mötet har flyttats") == 1


@pytest.fixture
def web_without_rasa(stack):
    """A second web chat process on the same store, pointed at a port where no Rasa runs."""
    port = free_port()
    env = {**stack.env, "WEB_PORT": str(port), "RASA_PORT": str(free_port())}
    process = subprocess.Popen([sys.executable, "-m", "bot.channels.web"], cwd=REPO, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(f"http://127.0.0.1:{port}/health")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(30)


def test_when_rasa_is_down_a_crisis_gets_help_at_once_and_the_message_is_kept(stack, client,
                                                                              web_without_rasa):
    meeting = new_meeting(stack)
    http_log_in(client, meeting["child_code"], "246813")
    cookies = {"sipkompis_session": client.cookies["sipkompis_session"]}
    # A 10-second client: help that takes longer fails the test.
    with httpx.Client(base_url=web_without_rasa, cookies=cookies, timeout=10) as down:
        chat = down.get("/chat")
        data = {"csrf": csrf_of(chat.text), "nonce": nonce_of(chat.text), "text": CRISIS}
        assert down.post("/send", data=data).status_code == 303
        page = down.get("/chat").text
        assert "116 111" in page and "90101" in page and "112" in page  # from the chat itself
        assert "trygg plats" in page
        assert CRISIS in page  # shown as sent: the chat keeps it and relays it later
        assert "Inget du skrivit har försvunnit" in page

        # Anything else typed while Rasa is down waits in line behind it, also kept.
        chat = down.get("/chat")
        data = {"csrf": csrf_of(chat.text), "nonce": nonce_of(chat.text), "text": "är du där?"}
        assert down.post("/send", data=data).status_code == 303
        assert "är du där?" in down.get("/chat").text


def test_with_rasa_hung_a_crisis_in_another_conversation_gets_help_within_10_s(stack):
    import threading

    from tests.rasa_process import Stopwatch, hung, report

    first, second = new_meeting(stack), new_meeting(stack)
    with web_client(web_url(stack)) as stuck, \
            httpx.Client(base_url=web_url(stack), timeout=10) as other:
        stuck_chat = http_log_in(stuck, first["child_code"], "246813")
        other_chat = http_log_in(other, second["child_code"], "246813")
        answered: list[int] = []
        with hung(stack.rasa_port):
            data = {"csrf": csrf_of(stuck_chat.text), "nonce": nonce_of(stuck_chat.text),
                    "text": "vad är ett sip-möte?"}
            waiting = threading.Thread(target=lambda: answered.append(
                stuck.post("/send", data=data).status_code))
            waiting.start()
            time.sleep(1)  # the first conversation's turn is on its way to the frozen Rasa
            clock = Stopwatch()
            data = {"csrf": csrf_of(other_chat.text), "nonce": nonce_of(other_chat.text),
                    "text": CRISIS}
            assert other.post("/send", data=data).status_code == 303
            page = other.get("/chat").text
            report("web chat", clock.seconds)
            assert "112" in page and "90101" in page and "trygg plats" in page
            numbers = page.count("90101")
            assert waiting.is_alive() and not answered  # still stuck in Rasa
        waiting.join(180)
        assert answered == [303]
        assert "vad är ett sip-möte?" in stuck.get("/chat").text
        # The crisis message reached Rasa once it answered; its answer joins the chat.
        deadline = time.monotonic() + 120
        while (page := other.get("/chat").text).count("trygg plats") < 2:
            assert time.monotonic() < deadline, "the kept message was never answered"
            time.sleep(1)
        assert page.count("90101") == numbers  # Rasa knew the help was shown: not repeated


def test_with_rasa_hung_help_now_comes_at_once(stack):
    from tests.rasa_process import hung

    meeting = new_meeting(stack)
    with httpx.Client(base_url=web_url(stack), timeout=10) as client:
        chat = http_log_in(client, meeting["child_code"], "246813")
        with hung(stack.rasa_port):
            data = {"csrf": csrf_of(chat.text), "nonce": nonce_of(chat.text), "payload": "/help_now"}
            assert client.post("/send", data=data).status_code == 303
            assert "112" in client.get("/chat").text


def test_empty_binary_and_huge_messages_get_a_kind_answer(stack, client):
    meeting = new_meeting(stack)
    chat = http_log_in(client, meeting["child_code"], "246813")
    for text in ("\u200b\u2060\x07", "\x00\x01\x02", "/"):
        data = {"csrf": csrf_of(chat.text), "nonce": nonce_of(chat.text), "text": text}
        assert client.post("/send", data=data).status_code == 303
        chat = client.get("/chat")
        assert chat.status_code == 200
    data = {"csrf": csrf_of(chat.text), "nonce": nonce_of(chat.text), "text": "ord " * 3000}
    page = client.post("/send", data=data)
    assert page.status_code == 200 and "kortare" in page.text


def test_a_first_visit_while_rasa_is_down_does_not_use_up_the_code(stack, client, web_without_rasa):
    meeting = new_meeting(stack)
    with httpx.Client(base_url=web_without_rasa, timeout=60) as down:
        page = http_log_in(down, meeting["child_code"], "246813")
        assert "Inget du skrivit har försvunnit" in page.text and 'name="pin2"' in page.text
    assert "Alva" in http_log_in(client, meeting["child_code"], "246813").text


def test_erase_everything_from_the_web_ends_the_session_and_shreds_the_transcript(stack, client):
    from sqlalchemy import create_engine, text

    meeting = new_meeting(stack)
    chat = http_log_in(client, meeting["child_code"], "246813")
    client.post("/send", data={"csrf": csrf_of(chat.text), "nonce": nonce_of(chat.text), "payload": "/affirm"})
    chat = client.get("/chat")
    client.post("/send", data={"csrf": csrf_of(chat.text), "nonce": nonce_of(chat.text), "text": "radera allt"})
    chat = client.get("/chat")
    assert "Ja, radera allt" in chat.text
    done = client.post("/send", data={"csrf": csrf_of(chat.text), "nonce": nonce_of(chat.text),
                                      "payload": "/affirm"})
    assert done.status_code == 200 and "raderat" in done.text and "utloggad" in done.text
    assert client.get("/chat").status_code == 303  # logged out
    engine = create_engine(stack.env["SIPKOMPIS_DB_URL"], future=True)
    with engine.connect() as connection:
        logins = connection.execute(text("select count(*) from web_logins where person_id = :p"),
                                    {"p": meeting["child_id"]}).scalar()
        sessions = connection.execute(text("select count(*) from web_sessions where person_id = :p"),
                                      {"p": meeting["child_id"]}).scalar()
    engine.dispose()
    assert sessions == 0
    assert logins == 0


def test_an_idle_session_ends_after_the_timeout(stack, client):
    from sqlalchemy import create_engine, text

    from bot.channels.web.sessions import IDLE_TIMEOUT

    meeting = new_meeting(stack)
    assert "Alva" in http_log_in(client, meeting["child_code"], "246813").text
    engine = create_engine(stack.env["SIPKOMPIS_DB_URL"], future=True)
    with engine.begin() as connection:
        # Time is moved by editing the stored last-seen, not by waiting half an hour.
        connection.execute(text("update web_sessions set last_seen = :t where person_id = :p"),
                           {"t": datetime.utcnow() - IDLE_TIMEOUT - timedelta(minutes=1),
                            "p": meeting["child_id"]})
    engine.dispose()
    assert client.get("/chat").status_code == 303


def test_an_odd_cookie_of_another_app_on_the_domain_does_not_lock_the_child_out(stack, client):
    from bot.channels.web import sessions

    http_log_in(client, new_meeting(stack)["child_code"], "246813")
    token = client.cookies.get(sessions.COOKIE)
    assert token
    for header in (f"?other=1; {sessions.COOKIE}={token}", f'{sessions.COOKIE}="{token}"; a b=c',
                   f"broken; =x; {sessions.COOKIE}={token}; trailing"):
        page = httpx.get(web_url(stack) + "/chat", headers={"Cookie": header}, timeout=60)
        assert page.status_code == 200 and "Alva" in page.text, header
    assert httpx.get(web_url(stack) + "/chat", headers={"Cookie": "?x=1"}, timeout=60).status_code == 303
