"""Relay one message to Rasa through our REST input channel.

Every channel uses this, so each behaves the same when Rasa is slow, hung or down: the
caller gets RasaUnavailable (and keeps the message to try again), never a silent empty
answer and never an endless wait. The message id makes a retried message answer once (the
REST channel de-duplicates it), so a turn that timed out can simply be sent again.

With several Rasa replicas (RASA_REPLICAS, docker/compose.yml) the caller passes every
replica's webhook URL and the turns spread over them (see `replica_order`).
"""
from __future__ import annotations

import hashlib
import logging
import time
from typing import Sequence

import httpx

from bot.channels import channel_secret
from bot.channels.typed_text import as_typed_text

logger = logging.getLogger("bot.channels.relay")

# Long enough for a slow turn on a busy machine, short enough that a hung Rasa (SIGSTOP,
# a stuck action) cannot hold a chat: the caller retries with the same message id.
TIMEOUT = 60.0


class TooLong(Exception):
    """The message is longer than the REST channel accepts; ask the child to split it."""


class RasaUnavailable(Exception):
    """Rasa did not answer in time, or answered with an error or with something that is
    not an answer; nothing was lost, try again later."""


class Refused(Exception):
    """The REST channel refused the request itself (4xx): sending it again cannot help."""


def webhooks(webhook_url: str | Sequence[str]) -> tuple[str, ...]:
    """One replica's webhook URL, or several."""
    return (webhook_url,) if isinstance(webhook_url, str) else tuple(webhook_url)


def status_urls(webhook_url: str | Sequence[str]) -> list[str]:
    return [url.rsplit("/", 1)[0] + "/status" for url in webhooks(webhook_url)]


def replica_order(urls: tuple[str, ...], sender: str, message_id: str) -> list[str]:
    """The replicas to try for this message, in order.

    The first is chosen by a hash of the message id, not by a counter: different turns
    spread evenly over the replicas, while a retry of the same message (same id) goes to
    the same replica, whose REST channel holds the retry until the first attempt has
    answered and then answers it from that. Sent to another replica while the first was
    still working, the retry would be processed twice. The others follow only as
    fail-over for a replica that refused the connection, which it never received.
    """
    digest = hashlib.sha256(f"{sender}\0{message_id}".encode()).digest()
    first = int.from_bytes(digest[:4], "big") % len(urls)
    return list(urls[first:] + urls[:first])


async def relay(client: httpx.AsyncClient, webhook_url: str | Sequence[str], sender: str,
                message: str, message_id: str, *, payload: bool = False,
                timeout: float = TIMEOUT, metadata: dict | None = None) -> list[dict]:
    """Send typed text (normalised, leading `/` stripped) or an offered button payload
    (`payload=True`) to one of the Rasa replicas at `webhook_url` (a URL or several).
    `metadata` goes to Rasa with the message, e.g. {"help_shown": True} when the channel
    has already shown the crisis help.

    Returns Rasa's replies: a list of {"text": str, "buttons": [{"title", "payload"}]}.
    """
    body = {"sender": sender, "message": message if payload else as_typed_text(message),
            "message_id": message_id}
    if metadata:
        body["metadata"] = metadata
    try:
        channel_secret.secret()
    except channel_secret.SecretUnavailable:
        # Without the master key no message can be vouched for; the child is told we are
        # having trouble (the channels' RasaUnavailable path), nothing is lost.
        raise RasaUnavailable("this process cannot read the master key") from None
    response = None
    started = time.monotonic()
    for tried, url in enumerate(replica_order(webhooks(webhook_url), sender, message_id), 1):
        response = await _post_to_replica(client, url, body, timeout)
        if response is not None:
            break
    if response is not None:
        # Ids and figures only: what to look at when a turn is slow or fails over.
        logger.debug("turn relayed: %d replica(s) tried, status %d, %.0f ms", tried,
                     response.status_code, (time.monotonic() - started) * 1000)
    if response is None:
        raise RasaUnavailable("no rasa replica accepted the connection")
    if response.status_code == 413:
        raise TooLong("message too long")
    if response.status_code >= 500:
        # The status only: the body may echo what was sent.
        raise RasaUnavailable(f"rasa answered {response.status_code}")
    if response.status_code >= 400:
        raise Refused(f"rasa refused the message ({response.status_code})")
    try:
        replies = response.json()
    except ValueError:
        raise RasaUnavailable("rasa answered something that is not JSON") from None
    if not isinstance(replies, list):
        raise RasaUnavailable("rasa answered something that is not a list of replies")
    return [_reply(r) for r in replies if isinstance(r, dict)]


# A replica killed just as a turn reached it (the kernel had accepted the connection), or a
# pooled keep-alive connection to one that has died, fails with one of these, not with a
# refusal: only a fresh connection tells "down" (refused) from "alive but dropped the turn".
_STALE_CONNECTION = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)


async def _post_to_replica(client: httpx.AsyncClient, url: str, body: dict,
                           timeout: float) -> httpx.Response | None:
    """Rasa's answer from one replica, or None when that replica is down (try the next).

    A dropped connection is sent once more to the same replica on a new connection: if it
    is refused, the replica is down and its turn died with it, so the next replica may take
    the message; if it is accepted, the replica is alive and may hold the first attempt, and
    the same message id makes its REST channel answer the two once.
    """
    try:
        return await client.post(url, json=body, timeout=timeout, headers=channel_secret.headers())
    except (httpx.ConnectError, httpx.ConnectTimeout):
        return None  # never reached this replica (down, restarting)
    except _STALE_CONNECTION:
        pass
    except httpx.HTTPError as error:  # no answer in time: it may have the turn, retry it there
        # The exception's type only: its message may quote the request.
        raise RasaUnavailable(f"rasa did not answer ({type(error).__name__})") from None
    # The shared client's pool may hold more dead connections to this replica: a client of
    # its own guarantees the new connection.
    async with httpx.AsyncClient() as fresh:
        try:
            return await fresh.post(url, json=body, timeout=timeout, headers=channel_secret.headers())
        except (httpx.ConnectError, httpx.ConnectTimeout):
            return None
        except httpx.HTTPError as error:
            raise RasaUnavailable(f"rasa did not answer ({type(error).__name__})") from None


def _reply(raw: dict) -> dict:
    """Only the parts a channel shows, each of the type it expects."""
    text = raw.get("text")
    listed = raw.get("buttons")
    buttons = []
    for button in listed if isinstance(listed, list) else []:
        if isinstance(button, dict) and button.get("payload"):
            buttons.append({"title": str(button.get("title") or ""), "payload": str(button["payload"])})
    return {"text": text if isinstance(text, str) else ("" if text is None else str(text)),
            "buttons": buttons}


def register_conversation(db_url: str | None, conversation_id: str, channel: str) -> None:
    """Create the conversation row with its channel name before its first message, so that
    notices for this person (bot/services/notices.py) are queued to the right channel."""
    from bot.services.conversations import get_or_create
    from bot.store.db import open_store, transaction
    from bot.store.keyring import Keyring

    with transaction(open_store(db_url)) as session:
        get_or_create(session, Keyring(session), conversation_id, channel=channel)
