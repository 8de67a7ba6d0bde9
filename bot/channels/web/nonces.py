"""One-time form nonces: a form submitted twice (a double click, a resent POST after a
reload) is relayed once. The nonce is also the message id sent to Rasa, whose REST channel
answers a repeated id from its first reply, so even a race is answered once.
"""
from __future__ import annotations

import asyncio

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from bot.store.db import transaction
from bot.store.web_models import WebFormNonce

WAIT_STEPS, STEP_SECONDS = 600, 0.2  # a duplicate waits up to two minutes for the first


async def claim(factory: sessionmaker, nonce: str, session_hash: str) -> bool:
    """True if this request owns the nonce; a duplicate waits for the first to finish."""
    try:
        with transaction(factory) as session:
            session.add(WebFormNonce(nonce=nonce, session_hash=session_hash, state="busy"))
        return True
    except IntegrityError:
        pass
    for _ in range(WAIT_STEPS):
        with transaction(factory) as session:
            row = session.get(WebFormNonce, nonce)
            if row is None or row.state == "done":
                return False
        await asyncio.sleep(STEP_SECONDS)
    return False


def release(factory: sessionmaker, nonce: str) -> None:
    """Rasa did not answer: the same form may be sent again."""
    with transaction(factory) as session:
        row = session.get(WebFormNonce, nonce)
        if row is not None:
            session.delete(row)


def done(session, nonce: str) -> None:
    row = session.get(WebFormNonce, nonce)
    if row is not None:
        row.state = "done"
