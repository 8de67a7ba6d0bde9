"""`python -m bot chat`: the terminal channel, as the child of the demo meeting.

A thin transport like every channel: it relays text and button payloads to the REST
webhook and shows buttons as numbered choices (type the number or the button text).
If the stack is not running it starts `serve` itself.

Reading and relaying are apart: a worker thread sends the lines to Rasa one after another
(a number is read as a button against the replies shown by then), while the prompt keeps
reading. Every line is checked by the crisis detector as it is typed, so a crisis gets the
help numbers from here at once, even while an earlier turn waits for a slow, hung or
stopped Rasa; the line is then relayed with {"help_shown": true}, retried until Rasa
answers, so nothing typed is lost while the chat runs.
"""
from __future__ import annotations

import json
import queue
import secrets
import subprocess
import sys
import threading
import urllib.error

from bot.channels import channel_secret, crisis
from bot.channels.relay import TIMEOUT
from bot.channels.typed_text import normalise, resolve_choice
from bot.config import REPO_ROOT, load_settings
from bot.stack.demo import ensure_demo
from bot.stack.supervisor import http_json

TROUBLE = "Jag har lite problem just nu. Inget du skrivit har försvunnit, jag skickar det så snart jag kan."
TOO_LONG = "Det blev lite för långt för mig. Dela gärna upp det i några kortare meddelanden."
NOT_TAKEN = "Jag kunde inte ta emot det meddelandet. Skriv det gärna på ett annat sätt."
GAVE_UP = "Ditt senaste meddelande kom inte fram innan du avslutade. Skriv det gärna igen nästa gång."
HELP_NOW = "/help_now"
MAX_BACKOFF = 30.0


def stack_running(settings) -> bool:
    try:
        return bool(http_json(f"{settings.rasa_url}/webhooks/rest/status", timeout=2)["model_loaded"])
    except (OSError, urllib.error.URLError, ValueError, KeyError, TypeError):
        return False


def start_serve() -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=REPO_ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in process.stdout:
        print(f"  [serve] {line.rstrip()}", flush=True)
        if line.startswith("ready"):
            return process
    raise SystemExit(f"error: `python -m bot serve` stopped (exit {process.wait()}); see the lines above")


def _store(settings):
    """The store, to know who is writing (for help that fits); None if it cannot open."""
    try:
        from bot.store.db import open_store

        return open_store(settings.db_url)
    except Exception:  # noqa: BLE001 - the help then comes for an unknown reader
        return None


def conversation_id(settings) -> str:
    path = settings.var_dir / "demo" / "chat.json"
    if path.exists():
        return json.loads(path.read_text())["conversation_id"]
    value = secrets.token_hex(16)
    path.write_text(json.dumps({"conversation_id": value}))
    return value


def render(messages: list[dict]) -> list[dict]:
    """Print the replies; return the buttons offered last, numbered from 1."""
    buttons: list[dict] = []
    for message in messages:
        if message.get("text"):
            print(f"SIP-kompis: {message['text']}")
        if message.get("buttons"):
            buttons = message["buttons"]
            for number, button in enumerate(buttons, start=1):
                print(f"   {number}) {button['title']}")
    return buttons


def local_help(texts: list[str]) -> None:
    for text in texts:
        print(f"SIP-kompis: {text}", flush=True)


def _garbage(replies) -> bool:
    return not isinstance(replies, list)


class Relayer:
    """The worker thread: sends typed lines to Rasa in order, retrying until answered."""

    def __init__(self, settings, sender: str) -> None:
        self.settings, self.sender = settings, sender
        self.lines: queue.Queue = queue.Queue()
        self.buttons: list[dict] = []
        self.lock = threading.Lock()
        self.closing = threading.Event()
        self.unsent = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def current_buttons(self) -> list[dict]:
        with self.lock:
            return list(self.buttons)

    def send(self, typed: str, helped: bool) -> None:
        self.lines.put((typed, secrets.token_hex(8), helped))

    def finish(self) -> bool:
        """After Ctrl-D: let queued lines go while Rasa answers. False if some did not."""
        self.closing.set()
        self.lines.put(None)
        self.thread.join()
        return not self.unsent

    def _run(self) -> None:
        while True:
            item = self.lines.get()
            if item is None:
                return
            typed, message_id, helped = item
            message = resolve_choice(typed, self.current_buttons())
            body = {"sender": self.sender, "message": message, "message_id": message_id}
            if helped:
                body["metadata"] = crisis.HELP_SHOWN
            told, attempt = False, 0
            while True:
                try:
                    replies = http_json(self.settings.webhook_url, body, timeout=TIMEOUT,
                                        headers=channel_secret.headers())
                    if _garbage(replies):
                        raise ValueError("not a list of replies")
                    break
                except urllib.error.HTTPError as error:
                    if 400 <= error.code < 500:  # refused as such: sending it again cannot help
                        replies = [{"text": TOO_LONG if error.code == 413 else NOT_TAKEN}]
                        break
                except (OSError, urllib.error.URLError, ValueError):
                    pass  # no answer, an error, or garbage: the same line again, later
                if not told:
                    print(f"SIP-kompis: {TROUBLE}", flush=True)
                    told = True
                if self.closing.is_set():
                    self.unsent = True
                    print(f"SIP-kompis: {GAVE_UP}", flush=True)
                    self._drain()
                    return
                # Ctrl-D ends the wait at once: one last try, then the chat can close.
                self.closing.wait(min(MAX_BACKOFF, 2.0 ** attempt))
                attempt += 1
            shown = render([r for r in replies if isinstance(r, dict)])
            if shown:
                with self.lock:
                    self.buttons = shown

    def _drain(self) -> None:
        while True:
            try:
                if self.lines.get_nowait() is None:
                    return
            except queue.Empty:
                return


def crisis_category(typed: str, buttons: list[dict]) -> str | None:
    """The crisis category of a typed line; "Hjälp nu" (by number, title or command) gets
    the general help."""
    if resolve_choice(typed, buttons) == HELP_NOW or normalise(typed).strip().casefold() in (
            "hjälp nu", "/hjalp_nu"):
        return crisis.GENERAL
    return crisis.category_of(typed)


def run_chat() -> int:
    settings = load_settings()
    info, created = ensure_demo(settings.var_dir, settings.db_url)
    sender = conversation_id(settings)
    server = None if stack_running(settings) else start_serve()
    print("\nDu chattar med SIP-kompis som barnet i ett demo-möte. Avsluta med Ctrl-D.")
    if created:
        print(f"Din kod: {info['code']}  (skriv hej och sedan koden)")
    # The same demo can be tried in the browser; a code opens one chat, so use one or the other.
    print(f"Eller chatta i webbläsaren: {settings.web_base_url}/  (samma kod; en kod fungerar bara på ett ställe)")
    print(f"Samordnarens sida (DEMO, lösenfrasen är inte hemlig: {info['passphrase']}):\n"
          f"  SIPKOMPIS_KEY_PASSPHRASE={info['passphrase']} .venv/bin/python -m bot inbox "
          f"--coordinator {info['coordinator_id']} --key {info['key_file']}\n")
    factory = _store(settings)
    crisis.warm_up()
    relayer = Relayer(settings, sender)
    try:
        while True:
            try:
                typed = input("du> ")
            except EOFError:
                print()
                relayer.finish()
                return 0
            if not normalise(typed).strip():
                continue
            category = crisis_category(typed, relayer.current_buttons())
            if category is not None:
                # From here, before Rasa is asked: it may be slow, hung or down.
                local_help(crisis.messages_for(factory, sender, category))
            relayer.send(typed, helped=category is not None)
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
