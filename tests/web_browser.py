"""Helpers for the web chat tests: a headless Debian Chromium driven by Selenium, and a
plain httpx client that logs in the way a browser does."""
from __future__ import annotations

import re
import shutil
import tempfile
import time
from pathlib import Path

import httpx

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = Path(__file__).parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=430,1200")


def browser_missing() -> str | None:
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        return "/usr/bin/chromium or /usr/bin/chromedriver is missing (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed"
    return None


class Browser:
    """One fresh Chromium profile; `javascript=False` turns scripts off entirely."""

    def __init__(self, javascript: bool = True) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="sipkompis-chromium-")
        options = Options()
        options.binary_location = str(CHROMIUM)
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self.profile}")
        if not javascript:
            options.add_experimental_option(
                "prefs", {"profile.managed_default_content_settings.javascript": 2})
        self.driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        self.driver.set_page_load_timeout(180)
        self.driver.set_script_timeout(60)
        self.driver.implicitly_wait(5)

    def quit(self) -> None:
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)

    # What a child does ------------------------------------------------------------------
    def open(self, url: str) -> None:
        self.driver.get(url)

    def type_into(self, element_id: str, text: str) -> None:
        from selenium.webdriver.common.by import By

        def do() -> None:
            field = self.driver.find_element(By.ID, element_id)
            field.clear()
            field.send_keys(text)

        settled(do)

    def click_button(self, starts_with: str) -> None:
        """Click the first button whose visible text begins with `starts_with`."""
        from selenium.webdriver.common.by import By

        path = f"//button[starts-with(normalize-space(.), {xpath_literal(starts_with)})]"
        self.submit(settled(lambda: self.driver.find_element(By.XPATH, path)))

    def submit(self, element=None, keys: str | None = None) -> None:
        """Click (or type `keys` into `element`) and wait until the next page has replaced
        this one (every form posts)."""
        from selenium.common.exceptions import ElementClickInterceptedException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        from selenium.webdriver.support.ui import WebDriverWait

        page = settled(lambda: self.driver.find_element(By.TAG_NAME, "html"))
        if keys is not None:
            (element or self.driver.switch_to.active_element).send_keys(keys)
        else:
            try:
                element.click()
            except ElementClickInterceptedException:
                # The sticky header can cover a button scrolled to the top edge; a keyboard
                # user presses Enter on it instead, which the page must support anyway.
                element.send_keys(Keys.ENTER)
        WebDriverWait(self.driver, 180).until(lambda driver: replaced(page))
        WebDriverWait(self.driver, 180).until(
            lambda driver: driver.find_elements(By.CSS_SELECTOR, "footer"))

    def buttons(self) -> list[str]:
        from selenium.webdriver.common.by import By

        return settled(lambda: [b.text.strip() for b in
                                self.driver.find_elements(By.CSS_SELECTOR, "button.choice")])

    def shot(self, path: Path, height: int = 1400) -> None:
        """A phone-width screenshot (the page is built mobile first)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.driver.set_window_size(430, height)
        self.driver.save_screenshot(str(path))

    def say(self, text: str) -> None:
        self.type_into("text", text)
        self.click_button("Sänd")

    def log_in(self, base: str, code: str, pin: str) -> None:
        self.open(base)
        self.type_into("code", code)
        self.click_button("Fortsätt")
        self.type_into("pin", pin)
        if self.driver.find_elements("id", "pin2"):
            self.type_into("pin2", pin)
            self.click_button("Spara")
        else:
            self.click_button("Logga in")

    @property
    def text(self) -> str:
        from selenium.webdriver.common.by import By

        return settled(lambda: self.driver.find_element(By.TAG_NAME, "body").text)

    @property
    def source(self) -> str:
        return self.driver.page_source


def axe_missing() -> str | None:
    if not AXE.exists():
        return f"{AXE} is missing (cd tests/a11y && npm ci)"
    return None


def axe_violations(driver) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page the browser shows, one line each
    (rule id and how many elements). The script is put into the page by the test driver,
    never served by us."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        ".then(r => done(r.violations.map(v => v.id + ' (' + v.nodes.length + ')')))"
        ".catch(e => done(['axe failed: ' + e]));")
    return list(result)


def replaced(element) -> bool:
    """Whether `element` has left the document: Selenium's own staleness check lets
    Chromium's other word for it ("does not belong to the document") escape as an error."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    try:
        element.is_enabled()
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error):
            return True
        raise
    return False


def settled(action):
    """Run a page lookup again if it raced with the page still being replaced.

    Chromium reports such a race as a stale element or as a node "that does not belong to
    the document"; neither is a failure of the page under test.
    """
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    for attempt in range(20):
        try:
            return action()
        except StaleElementReferenceException:
            pass
        except WebDriverException as error:
            if "does not belong to the document" not in str(error):
                raise
        time.sleep(0.25)
    return action()


def xpath_literal(text: str) -> str:
    return f"'{text}'" if "'" not in text else f'"{text}"'


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def nonce_of(html: str) -> str:
    return re.search(r'name="nonce" value="([^"]+)"', html).group(1)


def web_client(base_url: str, address: str | None = None) -> httpx.Client:
    """A browser of its own at its own client address (the stack trusts one proxy, as
    behind docker's Caddy), so that one test's wrong guesses never lock another's logins."""
    import secrets

    address = address or f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{1 + secrets.randbelow(254)}"
    return httpx.Client(base_url=base_url, timeout=180, headers={"X-Forwarded-For": address})


def http_log_in(client: httpx.Client, code: str, pin: str) -> httpx.Response:
    """Code, then PIN (chosen or entered), as the forms post them; returns the last page."""
    page = client.get("/")
    page = client.post("/login", data={"csrf": csrf_of(page.text), "code": code})
    if page.status_code == 303:
        page = client.get(page.headers["location"])
    if 'name="pin"' not in page.text:
        return page
    data = {"csrf": csrf_of(page.text), "pin": pin}
    if 'name="pin2"' in page.text:
        data["pin2"] = pin
    page = client.post("/pin", data=data)
    if page.status_code == 303:
        page = client.get(page.headers["location"])
    return page
