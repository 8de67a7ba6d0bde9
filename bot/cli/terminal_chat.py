"""`python -m bot chat`: the terminal channel, as the child of the demo meeting.

A thin transport like every channel: it relays text and button payloads to the REST
webhook and shows buttons as numbered choices (type the number or the button text).
If the stack is not running it starts `serve` itself. If Rasa cannot answer, a crisis
message still gets the help numbers from here, and the message is kept and sent again.
"""
from __future__ import annotations

import json
import secrets
import subprocess
import sys
import urllib.error

from bot.channels.typed_text import resolve_choice
from bot.config import REPO_ROOT, load_settings
from bot.safety.detector import detect
from bot.safety.helplines import load_helplines
from bot.stack.demo import ensure_demo
from bot.stack.supervisor import http_json

TROUBLE = "Jag har lite problem just nu. Inget du skrivit har försvunnit. Tryck Enter för att försöka igen."


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


def local_help() -> None:
    lines = load_helplines().lines
    print("SIP-kompis: Du ska inte vara ensam med det här. Ring 112 om du är i fara just nu.")
    for line in lines:
        print(f"   {line.name}: {line.number}")


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
    buttons: list[dict] = []
    pending: tuple[str, str] | None = None
    try:
        while True:
            try:
                typed = input("du> ")
            except EOFError:
                print()
                return 0
            if pending is None:
                if not typed.strip():
                    continue
                pending = (resolve_choice(typed, buttons), secrets.token_hex(8))
            message, message_id = pending
            try:
                replies = http_json(settings.webhook_url, {"sender": sender, "message": message,
                                                           "message_id": message_id}, timeout=120)
                pending = None
                buttons = render(replies) or buttons
            except (OSError, urllib.error.URLError, ValueError):
                if detect(message).crisis:
                    local_help()
                print(f"SIP-kompis: {TROUBLE}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
