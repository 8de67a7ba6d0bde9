"""Relay one message to Rasa through our REST input channel.

Every channel uses this, so each behaves the same when Rasa is slow or down: the caller
gets RasaUnavailable (and keeps the message to try again), never a silent empty answer.
The message id makes a retried message answer once (the REST channel de-duplicates it).
"""
from __future__ import annotations

import httpx

from bot.channels.typed_text import as_typed_text


class TooLong(Exception):
    """The message is longer than the REST channel accepts; ask the child to split it."""


class RasaUnavailable(Exception):
    """Rasa did not answer or answered with an error; nothing was lost, try again later."""


async def relay(client: httpx.AsyncClient, webhook_url: str, sender: str, message: str,
                message_id: str, *, payload: bool = False, timeout: float = 120) -> list[dict]:
    """Send typed text (leading `/` stripped) or an offered button payload (`payload=True`).

    Returns Rasa's replies: a list of {"text", "buttons"}.
    """
    body = {"sender": sender, "message": message if payload else as_typed_text(message),
            "message_id": message_id}
    try:
        response = await client.post(webhook_url, json=body, timeout=timeout)
    except httpx.HTTPError:
        raise RasaUnavailable("rasa did not answer") from None
    if response.status_code == 413:
        raise TooLong("message too long")
    if response.status_code >= 400:
        # The status only: the body may echo what was sent.
        raise RasaUnavailable(f"rasa answered {response.status_code}")
    replies = response.json()
    return [r for r in replies if isinstance(r, dict)] if isinstance(replies, list) else []


def register_conversation(db_url: str | None, conversation_id: str, channel: str) -> None:
    """Create the conversation row with its channel name before its first message, so that
    notices for this person (bot/services/notices.py) are queued to the right channel."""
    from bot.services.conversations import get_or_create
    from bot.store.db import open_store, transaction
    from bot.store.keyring import Keyring

    with transaction(open_store(db_url)) as session:
        get_or_create(session, Keyring(session), conversation_id, channel=channel)
