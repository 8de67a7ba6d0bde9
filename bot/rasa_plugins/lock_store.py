"""Rasa's Redis lock store, with its read-modify-write steps made atomic across replicas.

Rasa 3.6 keeps a conversation's ticket queue as one Redis value and changes it by reading
it, changing it in Python and writing it back (issuing a ticket, dropping expired ones,
finishing one). Two replicas receiving two messages of one conversation at the same moment
could both read the empty queue and both take ticket 0: both turns then ran at once, the
tracker store refused the second write (fail closed) and the child got an error (seen in
CI, `test_two_turns_of_one_conversation_at_once_on_both_replicas_do_not_interleave`).
Each change of the queue now happens under a short Redis lock of its own (redis-py's
`Lock`: SET NX with an expiry, released by token), so tickets are unique and ordered.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Text

from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

# Holding the queue lock takes one or two Redis round trips; the expiry only matters if a
# replica dies while holding it.
QUEUE_LOCK_SECONDS = 5


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        kwargs = endpoint_config.kwargs
        super().__init__(host=endpoint_config.url or "localhost", port=int(kwargs.get("port") or 6379),
                         db=int(kwargs.get("db") or 0), password=kwargs.get("password"))

    @contextmanager
    def _queue(self, conversation_id: Text) -> Iterator[None]:
        with self.red.lock(f"{self.key_prefix}{conversation_id}:queue", timeout=QUEUE_LOCK_SECONDS,
                           blocking_timeout=QUEUE_LOCK_SECONDS):
            yield

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._queue(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: Text) -> None:
        with self._queue(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        with self._queue(conversation_id):
            super().cleanup(conversation_id, ticket_number)
