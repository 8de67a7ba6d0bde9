"""The coordinator's desk (issue 16) in a real headless Chromium against a real `serve`: sign
in with passphrase and TOTP, create a meeting, print an invitation, read what a child
approved in the web chat, write the outcome the child then reads, and the promise behind it
all: every byte between the browser and the desk goes through a recording proxy, and
neither the passphrase, nor the private key, nor the child's words are in it.
"""
from __future__ import annotations

import base64
import json
import re
import socket
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pyotp
import pytest
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from bot.crypto.keyfile import read_key_file
from bot.crypto.sealing import open_statement
from tests.conftest import REPO
from tests.web_browser import csrf_of

pytestmark = pytest.mark.stack

PASSPHRASE = "test-passphrase"  # what start_stack gives the CLI
ANSWERS = ("jag gillar att rita serier med Kim", "rasterna är långa och bullriga",
           "att jag får sitta nära fönstret", "får jag byta klass")
OUTCOME = "Ni bestämde att du får en lugn plats på rasterna."
ARTIFACTS = REPO / "test-artifacts"


class RecordingProxy:
    """A TCP relay that keeps every byte the browser sends and receives: the desk's whole
    request log, headers and bodies, exactly as they crossed the wire."""

    def __init__(self, target_port: int) -> None:
        self.target = target_port
        self.sent = bytearray()
        self.received = bytearray()
        self.lock = threading.Lock()
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(32)
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pipe, args=(client, upstream, self.sent), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, self.received), daemon=True).start()

    def _pipe(self, source, sink, record: bytearray) -> None:
        try:
            while data := source.recv(65536):
                with self.lock:
                    record.extend(data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.server.close()


def cli_json(stack, *args: str) -> dict:
    result = stack.cli(*args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def new_coordinator(stack) -> dict:
    key_dir = stack.var / "desk-keys" / base64.b16encode(__import__("os").urandom(3)).decode()
    made = cli_json(stack, "coordinator", "add", "--name", "Sara Lind", "--key-out", str(key_dir))
    secret = parse_qs(urlparse(made["totp_uri"]).query)["secret"][0]
    return {**made, "totp": pyotp.TOTP(secret)}


def next_code(coordinator: dict) -> str:
    """A code for a time step not used yet (a code is good once: the desk refuses replays)."""
    import time

    totp, used = coordinator["totp"], coordinator.setdefault("used_steps", set())
    while True:
        step = int(time.time()) // 30
        if step not in used:
            used.add(step)
            return totp.at(step * 30)
        time.sleep(1)


def desk_port(stack) -> int:
    return int(stack.env["COORDINATOR_PORT"])


@pytest.fixture
def proxy(stack):
    running = RecordingProxy(desk_port(stack))
    yield running
    running.close()


def sign_in_in_browser(window, base: str, coordinator: dict, passphrase: str = PASSPHRASE) -> None:
    window.open(base + "/logga-in")
    window.type_into("coordinator_id", coordinator["coordinator_id"])
    window.type_into("passphrase", passphrase)
    window.type_into("totp", next_code(coordinator))
    window.click_button("Logga in")


def python_sign_in(http: httpx.Client, coordinator: dict, passphrase: str = PASSPHRASE) -> None:
    """What the page's script does, done by the test with the Python crypto: for the tests
    about routes rather than the browser (access, CSRF, forms)."""
    page = http.get("/logga-in")
    csrf = csrf_of(page.text)
    totp = next_code(coordinator)
    challenge = http.post("/signin/challenge", data={"coordinator_id": coordinator["coordinator_id"],
                                                      "csrf": csrf, "totp": totp}).json()
    private, header = read_key_file(Path(coordinator["key_file"]), passphrase)
    opened = open_statement(challenge["envelope"].encode(), recipient_private_key=private,
                            verify_key=header["service_verify_key"])
    done = http.post("/logga-in", data={
        "csrf": csrf, "coordinator_id": coordinator["coordinator_id"],
        "challenge_id": challenge["challenge_id"], "challenge_response": opened["payload"]["challenge"],
        "totp": totp})
    assert done.status_code == 303, done.text
    return done


def child_prepares_in_the_web_chat(window, web: str, code: str) -> None:
    window.log_in(web + "/", code, "246813")
    window.click_button("Ja")
    window.click_button("Förbered")
    for answer in ANSWERS:
        window.say(answer)
    window.click_button(window.buttons()[0])  # a participation choice, as offered
    window.click_button("Skicka")
    assert "samordnaren" in window.text


def wait_for_text(window, text: str, seconds: float = 60) -> str:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(window.driver, seconds).until(lambda _d: text in window.text)
    return window.text


def test_a_coordinator_runs_a_meeting_in_the_browser_and_the_server_never_sees_the_childs_words(
        stack, browser, proxy):
    coordinator = new_coordinator(stack)
    desk = browser()
    desk.open(proxy.url + "/logga-in")
    desk.shot(ARTIFACTS / "desk-signin.png", 900)
    sign_in_in_browser(desk, proxy.url, coordinator)
    assert "Mina möten" in desk.text
    desk.shot(ARTIFACTS / "desk-meetings-empty.png", 900)

    # A new meeting, with the purpose written for the child.
    desk.open(proxy.url + "/moten/nytt")
    desk.type_into("child_name", "Noah Berg")
    desk.type_into("child_age", "13")
    desk.driver.execute_script("document.getElementById('day').value='2030-05-20';"
                               "document.getElementById('time').value='09:30';")
    desk.type_into("place", "Skolans konferensrum")
    desk.type_into("purpose", "samordning av insatser skola och BUP")
    desk.type_into("purpose_for_child", "hur skolan och BUP kan hjälpa dig på rasterna")
    desk.type_into("participants", "Omar Haddad:kurator\nEva Berg:BUP")
    desk.click_button("Skapa möte")
    assert "måndag 20 maj 2030 kl. 09.30" in desk.text and "Omar Haddad" in desk.text
    meeting_url = desk.driver.current_url
    meeting_id = meeting_url.rstrip("/").rsplit("/", 1)[1]

    # The invitation letter: the code once, the chat's address, a QR code, easy Swedish.
    desk.click_button("Inbjudan till barnet")
    letter = desk.text
    code = re.search(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", letter).group(0)
    assert "Hej! Du är bjuden till ett möte" in letter
    assert "hur skolan och BUP kan hjälpa dig på rasterna" in letter
    assert f"http://127.0.0.1:{stack.env['WEB_PORT']}/" in letter
    assert desk.driver.find_elements("css selector", ".qr svg")
    assert code not in desk.driver.current_url
    desk.shot(ARTIFACTS / "desk-invitation.png", 1400)

    # The child prepares and approves in the web chat.
    child = browser()
    child_prepares_in_the_web_chat(child, f"http://127.0.0.1:{stack.env['WEB_PORT']}", code)

    # The list says, without content, that something came and is not opened yet.
    desk.open(proxy.url + "/moten")
    assert "Noah Berg" in desk.text and "oläst" in desk.text
    desk.shot(ARTIFACTS / "desk-meetings.png", 900)

    # The statement opens in the coordinator's browser, and the receipt reaches the server.
    desk.open(meeting_url)
    shown = wait_for_text(desk, ANSWERS[-1])
    for answer in ANSWERS:
        assert answer in shown
    assert "Det här är svårt" in shown
    desk.shot(ARTIFACTS / "desk-statement.png", 2200)
    row = next(r for r in cli_json(stack, "meeting", "list")["meetings"] if r["meeting_id"] == meeting_id)
    assert row["statement_sent"] is True
    events = [(e["actor"], e["action"]) for e in cli_json(stack, "audit", "--meeting", meeting_id)["events"]]
    assert (f"coordinator:{coordinator['coordinator_id']}", "decrypt") in events

    # The child's words as a page to print for the meeting, and the meeting's audit trail.
    desk.open(meeting_url + "/barnets-ord")
    printed = wait_for_text(desk, ANSWERS[0])
    assert all(answer in printed for answer in ANSWERS) and desk.driver.find_elements(
        "css selector", "button[data-print]")
    desk.open(meeting_url + "/handelser")
    assert "samordnaren" in desk.text and "öppnade" in desk.text and "godkände och skickade" in desk.text
    for answer in ANSWERS:
        assert answer not in desk.text

    # The outcome, written at the desk, reaches the child.
    desk.open(meeting_url)
    desk.type_into("text", OUTCOME)
    desk.type_into("points", "En lugn plats på rasterna | Omar | från 1 juni")
    desk.click_button("Spara beslutet")
    assert OUTCOME in desk.text
    assert cli_json(stack, "followups", "run-due", "--now", "2030-05-21T10:00:00+02:00")["sent"] >= 1
    child.open(f"http://127.0.0.1:{stack.env['WEB_PORT']}/chat")  # the child's next visit
    child.click_button("Läs")
    assert OUTCOME in child.text and "En lugn plats på rasterna" in child.text

    # Sign out clears the key from the browser's storage.
    desk.click_button("Logga ut")
    assert "Du är utloggad" in desk.text
    stored = desk.driver.execute_async_script(
        "const done = arguments[0];"
        "const r = indexedDB.open('sipkompis-desk');"
        "r.onsuccess = () => { const db = r.result;"
        "  if (!db.objectStoreNames.contains('keys')) { done(0); return; }"
        "  const c = db.transaction('keys').objectStore('keys').count();"
        "  c.onsuccess = () => done(c.result); c.onerror = () => done(-1); };"
        "r.onerror = () => done(-1);")
    assert stored == 0

    # What crossed the wire, both ways: no passphrase, no private key, no child's words.
    private, _ = read_key_file(Path(coordinator["key_file"]), PASSPHRASE)
    raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    wire = bytes(proxy.sent) + bytes(proxy.received)
    assert b"POST /logga-in" in proxy.sent and b"/forseglat/" in proxy.sent  # the log is real
    for secret in (PASSPHRASE.encode(), raw, raw.hex().encode(), base64.b64encode(raw),
                   base64.urlsafe_b64encode(raw).rstrip(b"=")):
        assert secret not in wire
    for answer in ANSWERS:
        for form in (answer.encode(), json.dumps(answer).encode().strip(b'"'),
                     httpx.QueryParams({"a": answer}).__str__().encode()[2:]):
            assert form not in wire
    desk_log = (stack.var / "logs" / "desk.log").read_text(errors="replace")
    for secret in (PASSPHRASE, code, *ANSWERS, OUTCOME):
        assert secret not in desk_log


def test_a_wrong_passphrase_is_told_in_the_browser_and_nothing_reaches_the_server(
        stack, browser, proxy):
    coordinator = new_coordinator(stack)
    desk = browser()
    desk.open(proxy.url + "/logga-in")
    desk.type_into("coordinator_id", coordinator["coordinator_id"])
    desk.type_into("passphrase", "inte-min-fras")
    desk.type_into("totp", next_code(coordinator))
    desk.driver.find_element("css selector", "#signin button[type=submit]").click()
    wait_for_text(desk, "Fel lösenfras")
    assert "/logga-in" in desk.driver.current_url and "Mina möten" not in desk.text
    assert b"POST /logga-in" not in proxy.sent  # only the challenge was asked for
    assert b"inte-min-fras" not in proxy.sent


def test_without_the_right_totp_code_the_server_hands_out_no_key_file_and_nothing_opens(stack):
    coordinator = new_coordinator(stack)
    with httpx.Client(base_url=f"http://127.0.0.1:{desk_port(stack)}", timeout=60) as http:
        csrf = csrf_of(http.get("/logga-in").text)
        right = next_code(coordinator)
        for wrong in (f"{(int(right) + 1) % 1000000:06d}", "", "abcdef"):
            refused = http.post("/signin/challenge", data={
                "coordinator_id": coordinator["coordinator_id"], "csrf": csrf, "totp": wrong})
            assert refused.status_code == 403
            assert refused.json() == {"error": "Fel användarnamn, lösenfras eller kod."}
        # A made-up answer to a challenge never asked for does not sign anyone in either.
        page = http.post("/logga-in", data={
            "csrf": csrf, "coordinator_id": coordinator["coordinator_id"], "challenge_id": "x" * 32,
            "challenge_response": base64.b64encode(b"\0" * 32).decode(), "totp": right})
        assert page.status_code == 403 and "Fel användarnamn, lösenfras eller kod" in page.text
        assert http.get("/moten").status_code == 401
        # And a code used once is not good twice.
        python_sign_in(http, coordinator)
        used = max(coordinator["used_steps"])
        again = http.post("/signin/challenge", data={
            "coordinator_id": coordinator["coordinator_id"], "csrf": csrf_of(http.get("/logga-in").text),
            "totp": coordinator["totp"].at(used * 30)})
        assert again.status_code == 403


def test_a_coordinator_reaches_only_their_own_meetings(stack):
    owner, other = new_coordinator(stack), new_coordinator(stack)
    made = cli_json(stack, "meeting", "create", "--coordinator", owner["coordinator_id"],
                    "--child-name", "Liv Ek", "--at", "2030-05-20 09:30", "--place", "Skolan",
                    "--purpose", "stöd i skolan")
    with httpx.Client(base_url=f"http://127.0.0.1:{desk_port(stack)}", timeout=60) as http:
        python_sign_in(http, other)
        listing = http.get("/moten")
        assert listing.status_code == 200 and "Liv Ek" not in listing.text
        for path in ("", "/handelser", "/barnets-ord"):
            assert http.get(f"/moten/{made['meeting_id']}{path}").status_code == 404
        csrf = csrf_of(listing.text)
        assert http.post(f"/moten/{made['meeting_id']}/inbjudan",
                         data={"csrf": csrf, "role": "child"}).status_code == 404
    with httpx.Client(base_url=f"http://127.0.0.1:{desk_port(stack)}", timeout=60) as http:
        python_sign_in(http, owner)
        assert "Liv Ek" in http.get("/moten").text


def test_a_post_without_the_csrf_token_changes_nothing(stack):
    coordinator = new_coordinator(stack)
    with httpx.Client(base_url=f"http://127.0.0.1:{desk_port(stack)}", timeout=60) as http:
        python_sign_in(http, coordinator)
        form = {"child_name": "Ida", "day": "2030-05-20", "time": "09:30", "place": "Skolan",
                "purpose": "stöd", "form_id": "x"}
        assert http.post("/moten", data=form).status_code == 401
        assert http.post("/moten", data={**form, "csrf": "fel"}).status_code == 401
        assert "Ida" not in http.get("/moten").text


def test_a_form_with_mistakes_comes_back_with_everything_typed_and_a_double_submit_makes_one_meeting(stack):
    coordinator = new_coordinator(stack)
    with httpx.Client(base_url=f"http://127.0.0.1:{desk_port(stack)}", timeout=60) as http:
        python_sign_in(http, coordinator)
        page = http.get("/moten/nytt")
        form = {"csrf": csrf_of(page.text), "form_id": re.search(r'name="form_id" value="([^"]+)"',
                                                                  page.text).group(1),
                "child_name": "Maja Öberg", "day": "2030-13-40", "time": "09:30",
                "place": "Fritids <b>rum</b>", "purpose": "stöd", "participants": "Kim utan roll"}
        again = http.post("/moten", data=form)
        assert again.status_code == 400
        assert "Skriv datum och tid" in again.text and "Namn:roll" in again.text
        assert "Maja Öberg" in again.text and "Fritids &lt;b&gt;rum&lt;/b&gt;" in again.text
        fixed = {**form, "day": "2030-05-20", "participants": "Kim Ek:kurator"}
        first = http.post("/moten", data=fixed)
        second = http.post("/moten", data=fixed)
        assert first.status_code == second.status_code == 303
        assert first.headers["location"] == second.headers["location"]
        assert http.get("/moten").text.count("Maja Öberg") == 1


def test_desk_pages_carry_a_strict_csp_and_a_strict_cookie_and_listen_on_their_own_port(stack):
    assert any(line.startswith("coordinator desk:") for line in stack.output)
    assert desk_port(stack) != int(stack.env["WEB_PORT"])
    coordinator = new_coordinator(stack)
    with httpx.Client(base_url=f"http://127.0.0.1:{desk_port(stack)}", timeout=60) as http:
        page = http.get("/logga-in")
        csp = page.headers["content-security-policy"]
        assert "script-src 'self' 'wasm-unsafe-eval'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp and page.headers["cache-control"] == "no-store"
        assert 'id="passphrase"' in page.text and not re.search(r'id="passphrase"[^>]*name=', page.text)
        done = python_sign_in(http, coordinator)
        cookie = next(v for k, v in done.headers.multi_items()
                      if k == "set-cookie" and v.startswith("sipkompis_desk="))
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie


def test_erasing_the_child_from_the_desk_needs_the_box_ticked_and_then_leaves_nothing(stack):
    coordinator = new_coordinator(stack)
    made = cli_json(stack, "meeting", "create", "--coordinator", coordinator["coordinator_id"],
                    "--child-name", "Elsa Lund", "--at", "2030-05-20 09:30", "--place", "Skolan",
                    "--purpose", "stöd i skolan")
    with httpx.Client(base_url=f"http://127.0.0.1:{desk_port(stack)}", timeout=60) as http:
        python_sign_in(http, coordinator)
        page = http.get(f"/moten/{made['meeting_id']}")
        form = {"csrf": csrf_of(page.text), "person_id": made["child_id"]}
        unticked = http.post(f"/moten/{made['meeting_id']}/radera", data=form)
        assert unticked.status_code == 400 and "Kryssa i rutan" in unticked.text
        assert "Elsa Lund" in http.get("/moten").text
        done = http.post(f"/moten/{made['meeting_id']}/radera", data={**form, "confirm": "ja"})
        assert done.status_code == 303
        gone = http.get(f"/moten/{made['meeting_id']}")
        assert gone.status_code == 410 and "Mötet är raderat" in gone.text
        assert "Elsa Lund" not in http.get("/moten").text and "Skolan" not in gone.text
        assert http.get(f"/moten/{made['meeting_id']}/barnets-ord").status_code == 410
        trail = http.get(f"/moten/{made['meeting_id']}/handelser")  # what happened stays told
        assert trail.status_code == 200 and "raderade" in trail.text
    events = [(e["actor"], e["action"]) for e in cli_json(stack, "audit", "--meeting", made["meeting_id"])["events"]]
    assert (f"coordinator:{coordinator['coordinator_id']}", "erase") in events


def test_the_desk_gives_a_one_time_telegram_link_code_like_coordinator_link(stack):
    coordinator = new_coordinator(stack)
    with httpx.Client(base_url=f"http://127.0.0.1:{desk_port(stack)}", timeout=60) as http:
        python_sign_in(http, coordinator)
        page = http.post("/telegram", data={"csrf": csrf_of(http.get("/moten").text)})
        assert page.status_code == 200 and "Koppla din Telegram" in page.text
        assert re.search(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", page.text)
        assert http.post("/telegram", data={"csrf": "fel"}).status_code == 401


def test_an_expired_or_made_up_session_gets_the_signed_out_page_and_changes_nothing(stack):
    with httpx.Client(base_url=f"http://127.0.0.1:{desk_port(stack)}", timeout=60,
                      cookies={"sipkompis_desk": "gissat-varde"}) as http:
        page = http.get("/moten")
        assert page.status_code == 401 and "Du är utloggad" in page.text
        assert http.post("/moten", data={"csrf": "x", "child_name": "Nils"}).status_code == 401
        assert http.get("/nyckelfil").status_code == 401
