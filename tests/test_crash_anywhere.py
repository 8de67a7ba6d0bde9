"""Crash anywhere (issue 18 point 1).

The short run: a real `serve` with Telegram against the fake Bot API server, on SQLite
and on PostgreSQL, a child over REST and a child over Telegram preparing, approving and
answering the follow-up while processes of the stack are killed with SIGKILL. Nothing may
be lost or duplicated and no question asked again. The 50-kill run is
`python -m reliability.crash_run` (see docs/reliability.md).

The outbox tests: a sealed statement goes to the coordinator's Telegram at most once,
also when the sending process died after claiming it (the file may or may not have left).
"""
from __future__ import annotations

import asyncio
import json
import os
import random
import time
from datetime import datetime

import pytest

from tests.crash_world import CrashRun

SHORT_KILLS = int(os.environ.get("SIPKOMPIS_CRASH_KILLS", "1"))  # each costs a restart (~1 min)


@pytest.mark.stack
@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_killed_anywhere_nothing_is_lost_duplicated_or_asked_again(database, trained_model,
                                                                   tmp_path, request):
    db_url = request.getfixturevalue("pg_url") if database == "postgresql" else None
    seed = int(os.environ.get("SIPKOMPIS_CRASH_SEED") or random.SystemRandom().randrange(10**6))
    print(f"\ncrash seed {seed} ({database}); replay with SIPKOMPIS_CRASH_SEED={seed}")
    run = CrashRun(tmp_path / "var", db_url=db_url, seed=seed, kills=SHORT_KILLS, max_gap=4.0)
    try:
        findings = run.run()
        report = run.report()
    finally:
        run.close()
    print(json.dumps(report, ensure_ascii=False))
    assert report["harness_errors"] == []
    assert findings.broken == [], f"seed {seed}: {findings.broken}"
    assert findings.conversations == 2  # both children got to the end
    assert report["kills"] >= 1  # the run did crash the stack


# --- the outbox: a sealed statement at most once ------------------------------------------

class CoordinatorWorld:
    """A meeting whose child approved, a coordinator with a linked Telegram chat and the
    statement's notice waiting in the outbox; the real Sender talks to the fake server."""

    CHAT = 6060

    def __init__(self, tmp_path) -> None:
        from bot.channels.telegram import chats
        from bot.store.db import transaction
        from bot.store.keyring import Keyring
        from tests.followup_world import FollowupWorld

        self.world = FollowupWorld(os.environ["SIPKOMPIS_DB_URL"], tmp_path / "keys")
        meeting_id, child_id = self.world.meeting(at=datetime(2030, 5, 20, 7, 30))
        self.meeting_id = meeting_id
        with transaction(self.world.factory) as session:
            chat, _ = chats.find_or_create(session, Keyring(session), self.CHAT)
            chat.coordinator_id = self.world.coordinator.id
        self.world.approve(child_id, {"good": "jag gillar att rita", "hard": "rasterna"})

    def statement_row(self):
        from sqlalchemy import select

        from bot.store.models import OutboxMessage

        with self.world.factory() as session:
            return session.scalars(select(OutboxMessage).where(
                OutboxMessage.kind == "statement")).one()

    def pass_of(self, fake, sender=None, claim_only: bool = False):
        """One outbox pass by `sender` (a fresh process's Sender by default). With
        `claim_only` the process stops right after its claim is committed, as a kill there
        would leave it."""
        from telegram import Bot

        from bot.channels.telegram.outbox import CLAIMED, Sender

        async def send():
            bot = Bot(fake.token, base_url=fake.api_base)
            await bot.initialize()
            try:
                running = sender or Sender(bot, self.world.factory)
                running.bot = bot
                if claim_only:
                    assert await running._send_row(self.statement_row().id, set()) == CLAIMED
                else:
                    await running.send_due()
                return running
            finally:
                await bot.shutdown()

        return asyncio.run(send())


@pytest.fixture
def coordinator_world(isolated_env, tmp_path):
    from tests.fake_telegram import FakeTelegram

    fake = FakeTelegram().start()
    yield CoordinatorWorld(tmp_path), fake
    fake.stop()


def test_the_sealed_statement_goes_once_and_a_second_pass_sends_nothing(coordinator_world):
    world, fake = coordinator_world
    sender = world.pass_of(fake)
    world.pass_of(fake, sender)
    documents = fake.sent_to(CoordinatorWorld.CHAT, "sendDocument")
    assert [d.filename for d in documents] == [f"forberedelse-{world.meeting_id[:8]}-v1.sipkompis"]
    assert world.statement_row().sent_at is not None


def test_a_statement_claimed_by_a_process_that_died_is_never_sent_again_but_pointed_to(coordinator_world):
    world, fake = coordinator_world
    world.pass_of(fake, claim_only=True)  # killed after its claim: did the file go? unknown
    assert fake.sent_to(CoordinatorWorld.CHAT) == []
    world.pass_of(fake)  # the restarted bridge
    world.pass_of(fake)
    assert fake.sent_to(CoordinatorWorld.CHAT, "sendDocument") == []
    pointer = fake.sent_to(CoordinatorWorld.CHAT, "sendMessage")
    assert len(pointer) == 1 and "inkorg" in pointer[0].text and "Ny förberedelse" in pointer[0].text
    assert "rita" not in pointer[0].text  # content-free, like every notice
    assert world.statement_row().sent_at is not None


def test_a_statement_telegram_refused_with_429_is_sent_as_a_file_later(coordinator_world):
    world, fake = coordinator_world
    fake.fail_next("sendDocument", 429, retry_after=1)
    sender = world.pass_of(fake)
    assert fake.sent_to(CoordinatorWorld.CHAT, "sendDocument") == []
    time.sleep(1.1)
    world.pass_of(fake, sender)
    # Telegram said no, so nothing went out: the file is not in doubt and goes once.
    assert len(fake.sent_to(CoordinatorWorld.CHAT, "sendDocument")) == 1
    assert fake.sent_to(CoordinatorWorld.CHAT, "sendMessage") == []


# --- approval retried after a crash: one statement ----------------------------------------

def test_an_approval_run_again_without_changes_seals_no_second_statement(isolated_env, tmp_path):
    """The crash run found two statements for one child who approved once: the approval
    was committed, the turn died before Rasa saved it, and the kept update ran it again."""
    from sqlalchemy import func, select

    from bot.store.models import OutboxMessage, Statement
    from tests.followup_world import FollowupWorld

    world = FollowupWorld(os.environ["SIPKOMPIS_DB_URL"], tmp_path / "keys")
    meeting_id, child_id = world.meeting(at=datetime(2030, 5, 20, 7, 30))
    answers = {"good": "jag gillar att rita", "hard": "rasterna"}
    world.approve(child_id, answers)
    world.approve(child_id, answers)  # the same turn again
    with world.factory() as session:
        versions = session.scalars(select(Statement.version).where(
            Statement.meeting_id == meeting_id)).all()
        notices = session.scalar(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.kind == "statement"))
    assert versions == [1] and notices == 1
    world.approve(child_id, {**answers, "wish": "ett lugnare rum"})  # a real change still goes
    with world.factory() as session:
        assert sorted(session.scalars(select(Statement.version).where(
            Statement.meeting_id == meeting_id)).all()) == [1, 2]
