"""The web chat as a child on a phone or with a keyboard uses it (issue 15 points 15 and
16), in the same headless Chromium as the other web chat tests: Enter sends, Esc leaves,
an open question puts the text box first, an error stands where the child is typing, the
way out stays on screen with the keyboard open, and axe-core finds nothing on any page."""
from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.conftest import _missing_service, new_meeting
from tests.web_browser import Browser, axe_missing, axe_violations, csrf_of, http_log_in, nonce_of, web_client

pytestmark = pytest.mark.stack


def web_url(stack) -> str:
    return f"http://127.0.0.1:{stack.env['WEB_PORT']}"


def logged_in(stack, browser) -> Browser:
    child = browser()
    child.log_in(web_url(stack) + "/", new_meeting(stack)["child_code"], "246813")
    return child


def at_first_question(child: Browser) -> None:
    child.click_button("Ja")
    child.click_button("Förbered")


def child_lines(child: Browser) -> list[str]:
    return [li.text for li in child.driver.find_elements(By.CSS_SELECTOR, "li.line.child")]


def has_left(child: Browser) -> bool:
    deadline = time.monotonic() + 30
    while "127.0.0.1" in child.driver.current_url and time.monotonic() < deadline:
        time.sleep(0.2)
    return child.driver.current_url.startswith("https://www.google.com/search")


def test_enter_sends_and_shift_enter_starts_a_new_line(stack, browser):
    child = logged_in(stack, browser)
    at_first_question(child)
    field = child.driver.find_element(By.ID, "text")
    field.send_keys("min kompis Kim")
    field.send_keys(Keys.SHIFT, Keys.ENTER)
    field.send_keys("och fotbollen")
    child.submit(field, keys=Keys.ENTER)
    said = child_lines(child)
    assert said and "min kompis Kim\noch fotbollen" in said[-1]
    assert "svårt" in child.text.lower()  # the answer was taken: the next question


def test_enter_in_an_empty_box_sends_nothing(stack, browser):
    child = logged_in(stack, browser)
    before = child.driver.page_source.count('class="line ')
    child.driver.find_element(By.ID, "text").send_keys(Keys.ENTER)
    time.sleep(1)
    assert child.driver.page_source.count('class="line ') == before


def test_escape_leaves_at_once_even_while_typing(stack, browser):
    child = logged_in(stack, browser)
    child.driver.find_element(By.ID, "text").send_keys("jag skriver något")
    child.driver.find_element(By.ID, "text").send_keys(Keys.ESCAPE)
    assert has_left(child)
    child.driver.back()
    assert "Alva" not in child.text


def test_an_open_question_puts_the_text_box_first_and_skip_below_it(stack):
    with web_client(web_url(stack)) as client:
        chat = http_log_in(client, new_meeting(stack)["child_code"], "246813")
        for payload in ("/affirm", "/start_preparation"):
            client.post("/send", data={"csrf": csrf_of(chat.text), "nonce": nonce_of(chat.text),
                                       "payload": payload})
            chat = client.get("/chat")
        page = chat.text
    assert "Skriv ditt svar" in page
    assert page.index('id="text"') < page.index(">Hoppa över<")
    # Where the bot offers real choices, the choices come first.
    assert "Välj ett svar" not in page


def test_an_error_is_shown_beside_the_text_box_with_the_text_kept_and_focused(stack, browser):
    child = logged_in(stack, browser)
    far_down = "\n".join(f"rad {n}" for n in range(1500))  # longer than Rasa takes
    child.driver.execute_script("const f = document.getElementById('text');"
                                "f.removeAttribute('maxlength'); f.value = arguments[0];", far_down)
    child.click_button("Sänd")
    error = child.driver.find_element(By.ID, "fel")
    assert "för långt" in error.text
    assert child.driver.execute_script("return document.activeElement.id") == "text"
    assert child.driver.find_element(By.ID, "text").get_attribute("value") == far_down
    # Inside the form, right above the box, and on screen.
    assert child.driver.execute_script(
        "const e = document.getElementById('fel'), t = document.getElementById('text');"
        "const r = e.getBoundingClientRect();"
        "return e.closest('form') === t.closest('form') && e.nextElementSibling === t"
        " && r.top >= 0 && r.bottom <= window.innerHeight;")


def test_the_way_out_stays_on_screen_with_the_phone_keyboard_open(stack, browser):
    child = logged_in(stack, browser)
    at_first_question(child)
    # A phone with its keyboard open leaves about a third of the screen (resizes-content).
    child.driver.set_window_size(430, 380)
    child.driver.find_element(By.ID, "text").click()
    child.driver.execute_script("window.scrollTo(0, document.body.scrollHeight);")
    assert child.driver.execute_script(
        "const r = document.getElementById('lamna-snabbt').getBoundingClientRect();"
        "return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;")
    child.driver.find_element(By.ID, "lamna-snabbt").click()
    assert has_left(child)


def test_axe_finds_no_accessibility_violations_on_any_page(stack, browser):
    why = axe_missing()
    if why:
        _missing_service("axe-core", why)
    child = browser()
    found: dict[str, list[str]] = {}

    def check(name: str) -> None:
        found[name] = axe_violations(child.driver)

    child.open(web_url(stack) + "/")
    check("start")
    child.open(web_url(stack) + "/hjalp")
    check("help")
    child.open(web_url(stack) + "/")
    child.type_into("code", new_meeting(stack)["child_code"])
    child.click_button("Fortsätt")
    check("pin")
    child.type_into("pin", "246813")
    child.type_into("pin2", "246813")
    child.click_button("Spara")
    check("chat, consent")
    at_first_question(child)
    check("chat, open question")
    child.driver.execute_script("const f = document.getElementById('text');"
                                "f.removeAttribute('maxlength'); f.value = 'x'.repeat(10050);")
    child.click_button("Sänd")
    check("chat, error")
    child.click_button("Logga ut")
    check("logged out")
    child.open(f"http://127.0.0.1:{stack.env['COORDINATOR_PORT']}/logga-in")
    check("desk sign-in")
    assert all(not v for v in found.values()), found
