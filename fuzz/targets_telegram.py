"""Telegram: stored updates of any JSON shape, typed commands, callback data, long texts."""
from __future__ import annotations

import json

from bot.channels.telegram import chats, keyboard
from bot.channels.telegram.handlers import _command
from bot.channels.telegram.updates import chat_key, typed_words
from bot.store.keyring import Keyring
from fuzz.contract import require
from fuzz.decode import text_of, utf8_text
from fuzz.world import world

# What the webhook lets through is any JSON object with an integer update_id (webhook.py),
# so every reader of a stored update must cope with any shape below that.


def check_update(data: object) -> None:
    if not isinstance(data, dict):
        return  # the webhook answers 400 before storing
    key = chat_key(data)
    require(isinstance(key, str) and key.startswith(("chat:", "update:")), "chat_key not a lane")
    chat_id, words = typed_words(data)
    require(chat_id is None or (isinstance(chat_id, int) and not isinstance(chat_id, bool)),
            "typed_words chat id is not an int")
    require(words is None or isinstance(words, str), "typed_words words not a str")


def fuzz_update(data: bytes) -> None:
    try:
        parsed = json.loads(utf8_text(data))
    except (ValueError, RecursionError):
        return  # not JSON: the webhook answers 400
    check_update(parsed)


def check_command(text: str) -> None:
    """("name", rest) only for a real slash command; the text itself otherwise."""
    name, rest = _command(text)
    if name is None:
        require(rest == text, "non-command text was changed")
    else:
        require(name.replace("_", "").isalnum() and name == name.casefold(), "odd command name")
        require(isinstance(rest, str), "command rest is not text")


def fuzz_command(data: bytes) -> None:
    check_command(text_of(data))


def check_callback(callback_data: str | None) -> None:
    """Only a callback id this chat was offered (and has not used) opens a payload."""
    w = world()
    with w.factory() as session:
        keys = Keyring(session)
        chat = chats.find(session, keys, w.chat_id)
        offered = chats.offered_payload(session, keys, chat, callback_data)
    if callback_data in w.offered:
        require(offered is not None and offered[1] == w.offered[callback_data],
                "an offered button did not open its payload")
    else:
        require(offered is None, "a callback that was never offered opened a payload")


def fuzz_callback(data: bytes) -> None:
    w = world()
    text = text_of(data)
    # Half the time start from a real offered id, so mutations stay near the valid ones.
    if data[:1] == b"\x00" and len(data) > 1:
        ids = sorted(w.offered)
        text = ids[data[1] % len(ids)] + text_of(data[2:])[: data[1] % 3]
    check_callback(text)


def check_split_text(text: str) -> None:
    """Pieces within Telegram's limit, none empty, nothing but whitespace lost."""
    limit = 64
    pieces = keyboard.split_text(text, limit)
    require(all(0 < len(p) <= limit for p in pieces), "a piece is empty or over the limit")
    require("".join("".join(p.split()) for p in pieces) == "".join(text.split()),
            "split_text lost or added visible characters")


def fuzz_split_text(data: bytes) -> None:
    check_split_text(text_of(data))
