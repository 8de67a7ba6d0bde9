"""Two replicas taking tickets for one conversation at the same moment get distinct
tickets, in order: the lock store's queue is never read and written back by both."""
from __future__ import annotations

import secrets
import threading
from urllib.parse import urlparse

from rasa.utils.endpoints import EndpointConfig

from bot.rasa_plugins.lock_store import AtomicRedisLockStore

TICKETS_EACH = 150


def _store(url: str) -> AtomicRedisLockStore:
    parsed = urlparse(url)
    return AtomicRedisLockStore(EndpointConfig(type="x", url=parsed.hostname, port=parsed.port or 6379,
                                               db=int((parsed.path or "/0").strip("/") or 0)))


def test_replicas_taking_tickets_at_once_never_share_one(redis_url):
    conversation = "lock-test-" + secrets.token_hex(6)
    replicas = [_store(redis_url), _store(redis_url)]
    taken: list[list[int]] = [[], []]
    start = threading.Barrier(2)

    def take(k: int) -> None:
        start.wait()
        for _ in range(TICKETS_EACH):
            taken[k].append(replicas[k].issue_ticket(conversation, lock_lifetime=60))

    threads = [threading.Thread(target=take, args=(k,)) for k in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    every = taken[0] + taken[1]
    assert len(every) == 2 * TICKETS_EACH
    assert len(set(every)) == len(every), "two replicas were given the same ticket"
    assert sorted(every) == list(range(len(every)))
    assert all(a < b for a, b in zip(taken[0], taken[0][1:]))
    lock = replicas[0].get_lock(conversation)
    assert lock is not None and len(lock.tickets) == len(every)
    for ticket in every:
        replicas[ticket % 2].cleanup(conversation, ticket)
    assert replicas[0].get_lock(conversation) is None  # the last one out removes the queue
