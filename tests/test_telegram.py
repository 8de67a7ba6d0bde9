"""The Telegram channel end to end: a real `serve` with the real python-telegram-bot,
talking to a local fake Bot API server (tests/fake_telegram.py).

One stack serves the whole module (serve takes most of a minute to start); each test uses
its own chats and meeting. The last tests kill the bot mid-conversation and restart it.
"""
from __future__ import annotations

import contextlib

import json
import os
import signal
import sqlite3

import pytest

from tests.conftest import new_meeting, start_stack, stop_stack
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.stack

CHILD_WORDS = ("jag har en bra kompis som heter Kim", "det är svårt att sova och mattelektionerna",
               "att jag får vara i ett lugnare rum ibland", "varför flyttar ni min mentor")


class Running:
    """The fake Telegram server and the current stack (replaced when the bot is restarted)."""

    def __init__(self, fake: FakeTelegram, var, env: dict) -> None:
        self.fake, self.var, self.env = fake, var, env
        self.stack = start_stack(var, env)

    def restart(self) -> None:
        self.stack = start_stack(self.var, self.env)


@contextlib.contextmanager
def telegram_stack(tmp_path_factory, name: str):
    """A `serve` with the Telegram bridge against a fresh fake Bot API server."""
    fake = FakeTelegram().start()
    env = {"TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_BASE": fake.api_base,
           "TELEGRAM_BOT_USERNAME": "sipkompis_test_bot"}
    running = Running(fake, tmp_path_factory.mktemp(name) / "var", env)
    try:
        yield running
    finally:
        stop_stack(running.stack)
        fake.stop()


@pytest.fixture(scope="module")
def tg(trained_model, tmp_path_factory):
    with telegram_stack(tmp_path_factory, "telegram") as running:
        yield running


class Chat:
    """One person's Telegram chat with the bot, as the test sees it."""

    def __init__(self, fake: FakeTelegram, chat_id: int) -> None:
        self.fake, self.id = fake, chat_id

    @property
    def messages(self):
        return self.fake.sent_to(self.id, "sendMessage")

    def say(self, text: str) -> str:
        before = len(self.messages)
        self.fake.send_text(self.id, text)
        return self._replies(before)

    def sticker(self) -> str:
        before = len(self.messages)
        self.fake.send_sticker(self.id)
        return self._replies(before)

    def _replies(self, before: int) -> str:
        self.last = self.fake.messages_after(self.id, before)
        return "\n".join(m.text for m in self.last)

    def button(self, title_start: str) -> dict:
        for message in reversed(self.messages):
            for button in message.buttons:
                if button["text"].startswith(title_start):
                    return {**button, "message_id": message.message_id}
        raise AssertionError(f"no button starting with {title_start!r}")

    def tap(self, title_start: str) -> str:
        button = self.button(title_start)
        before = len(self.messages)
        self.fake.tap(self.id, button["callback_data"], button["message_id"])
        return self._replies(before)


def link_coordinator(tg: Running, meeting: dict, chat_id: int) -> Chat:
    linked = json.loads(tg.stack.cli("coordinator", "link", "--coordinator", meeting["coordinator_id"],
                                     "--json").stdout)
    assert linked["link"].startswith("https://t.me/sipkompis_test_bot?start=")
    coordinator = Chat(tg.fake, chat_id)
    said = coordinator.say("/start " + linked["link"].partition("start=")[2])
    assert "samordnare" in said
    return coordinator


def child_joins(tg: Running, meeting: dict, chat_id: int) -> Chat:
    child = Chat(tg.fake, chat_id)
    said = child.say("/start " + meeting["child_code"].replace("-", ""))  # as the deep link sends it
    assert "Alva" in said and "måndag 20 maj 2030 kl. 09.30" in said
    assert "Telegrams servrar" in said  # the honest start says where this chat passes
    return child


def test_child_does_the_golden_path_by_deep_link_taps_and_typing(tg, tmp_path):
    meeting = new_meeting(tg.stack)
    coordinator = link_coordinator(tg, meeting, 7001)
    child = child_joins(tg, meeting, 7002)
    assert child.button("Ja")["callback_data"] and len(child.button("Ja")["callback_data"]) <= 16
    tg.fake.wait_for(lambda: any("använts" in m.text for m in coordinator.messages))

    again = child.say("/start " + meeting["child_code"].replace("-", ""))
    assert "fortsätter" in again  # the same deep link again simply continues

    child.tap("Ja")
    said = child.tap("Förbered")
    assert "1 av 5" in said
    assert "svårt" in child.say(CHILD_WORDS[0]).lower()
    assert "önskar" in child.say(CHILD_WORDS[1]).lower()
    assert "4 av 5" in child.say(CHILD_WORDS[2])
    assert "vara med" in child.say(CHILD_WORDS[3]).lower()
    summary = child.tap("En del av mötet")
    for words in CHILD_WORDS:
        assert words in summary
    sent = child.tap("Skicka")
    assert "samordnaren" in sent
    assert "48 timmarna" in sent  # the offer to tidy the chat says what it covers
    assert "tagit bort" in child.tap("Ja, ta bort")
    deleted = json.loads(tg.fake.sent_to(child.id, "deleteMessages")[0].params["message_ids"])
    assert len(deleted) > 10  # the child's messages and the replies that quoted them

    # The keyboard was removed after each choice.
    assert tg.fake.sent_to(child.id, "editMessageReplyMarkup")

    tg.fake.wait_for(lambda: tg.fake.sent_to(coordinator.id, "sendDocument"))
    document = tg.fake.sent_to(coordinator.id, "sendDocument")[0]
    assert "Ny förberedelse inför mötet" in document.text
    for words in CHILD_WORDS:
        assert words not in document.text
        assert words.encode() not in document.document
    path = tmp_path / document.filename
    path.write_bytes(document.document)
    opened = tg.stack.cli("inbox", "--coordinator", meeting["coordinator_id"], "--key",
                          meeting["key_file"], "--file", str(path), "--json")
    assert opened.returncode == 0, opened.stderr
    statement = json.loads(opened.stdout)["statements"][0]
    assert {i["kind"]: i["text"] for i in statement["items"]}["good"] == CHILD_WORDS[0]

    moten = coordinator.say("/moten")
    assert "måndag 20 maj 2030" in moten and "klar och skickad" in moten


def test_guardian_sees_only_status(tg):
    meeting = new_meeting(tg.stack)
    child = child_joins(tg, meeting, 7101)
    child.tap("Ja")
    child.tap("Förbered")
    for answer in ("hemlis-bra-grej", "hemlig-svår-sak", "hemlig-önskan", "hemlig-fråga"):
        child.say(answer)
    child.tap("Hela mötet")
    sent = child.say("skicka det")  # typed, not tapped: the offer to tidy the chat comes all the same
    assert "samordnaren" in sent and "48 timmarna" in sent
    invite = json.loads(tg.stack.cli("invite", "--meeting", meeting["meeting_id"], "--role", "guardian",
                                     "--name", "Anna Svensson", "--json").stdout)
    guardian = Chat(tg.fake, 7102)
    seen = guardian.say("/start " + invite["link"].partition("start=")[2])
    seen += guardian.tap("Hur går")
    assert "Anna" in seen and "klar och skickad" in seen
    for secret in ("hemlis-bra-grej", "hemlig-svår-sak", "hemlig-önskan", "hemlig-fråga"):
        assert secret not in seen

    # A coordinator who links their chat only now still gets what was waiting, once.
    coordinator = link_coordinator(tg, meeting, 7103)
    tg.fake.wait_for(lambda: tg.fake.sent_to(coordinator.id, "sendDocument"))
    coordinator.say("/moten")
    assert len(tg.fake.sent_to(coordinator.id, "sendDocument")) == 1


def test_forged_stale_and_double_taps_are_refused_and_change_nothing(tg):
    meeting = new_meeting(tg.stack)
    child = child_joins(tg, meeting, 7201)
    yes = child.button("Ja")
    other = Chat(tg.fake, 7202)
    other.say("hej")

    # Another chat replaying this chat's button, and made-up data, are refused.
    for chat_id, data in ((other.id, yes["callback_data"]), (child.id, "forged-123"),
                          (child.id, '/affirm')):
        answers = len(tg.fake.sent_to(None, "answerCallbackQuery"))
        before = len(tg.fake.sent_to(chat_id, "sendMessage"))
        tg.fake.tap(chat_id, data)
        tg.fake.wait_for(lambda: len(tg.fake.sent_to(None, "answerCallbackQuery")) > answers)
        notice = tg.fake.sent_to(None, "answerCallbackQuery")[-1]
        assert "gäller inte" in notice.params.get("text", "")
        assert len(tg.fake.sent_to(chat_id, "sendMessage")) == before

    said = child.tap("Ja")  # the real button still works, once
    assert "Förbered" in " ".join(b["text"] for m in child.last for b in m.buttons), said
    answers = len(tg.fake.sent_to(None, "answerCallbackQuery"))
    before = len(child.messages)
    tg.fake.tap(child.id, yes["callback_data"], yes["message_id"])  # a double tap
    tg.fake.wait_for(lambda: len(tg.fake.sent_to(None, "answerCallbackQuery")) > answers)
    assert len(child.messages) == before


def test_sticker_photo_and_edit_get_a_kind_line_and_a_crisis_caption_gets_help(tg):
    chat = Chat(tg.fake, 7301)
    assert "Jag kan bara läsa text just nu" in chat.sticker()
    before = len(chat.messages)
    tg.fake.edit_text(chat.id, 1, "ändrad text")
    assert "Jag kan bara läsa text just nu" in "\n".join(m.text for m in tg.fake.messages_after(chat.id, before))
    before = len(chat.messages)
    tg.fake.send_photo(chat.id, caption="jag vill inte leva längre")
    tg.fake.wait_for(lambda: any("112" in m.text for m in chat.messages[before:]))


def test_help_now_command_gives_numbers_at_once(tg):
    chat = Chat(tg.fake, 7302)
    assert "112" in chat.say("/hjalp_nu")
    commands = tg.fake.sent_to(None, "setMyCommands")[0].params["commands"]
    assert {c["command"] for c in json.loads(commands)} == {"start", "hjalp", "hjalp_nu", "radera", "stopp"}
    assert "telegram: @sipkompis_test_bot (polling)" in tg.stack.output


def test_stop_pauses_and_erase_asks_first_then_the_chat_starts_over(tg):
    meeting = new_meeting(tg.stack)
    child = child_joins(tg, meeting, 7303)
    child.tap("Ja")
    assert "Inget är raderat" in child.say("/stopp")
    assert "Det går inte att ångra" in child.say("/radera")
    assert "allt raderat" in child.tap("Ja, radera")
    assert "kod" in child.say("hej").lower()  # a new conversation: the old one is gone


def test_429_and_500_are_survived_with_nothing_lost_or_duplicated(tg):
    meeting = new_meeting(tg.stack)
    tg.fake.fail_next("getUpdates", 500)
    tg.fake.fail_next("sendMessage", 429, retry_after=1)
    tg.fake.fail_next("sendMessage", 500)
    child = Chat(tg.fake, 7401)
    tg.fake.send_text(child.id, "/start " + meeting["child_code"].replace("-", ""))
    tg.fake.wait_for(lambda: any("Vill du fortsätta" in m.text for m in child.messages))
    tg.fake.wait_for(lambda: not tg.fake.pending_failures())
    child.last = tg.fake.messages_after(child.id, 0)  # let the turn settle
    texts = [m.text for m in child.messages]
    assert len(texts) == len(set(texts))  # each reply exactly once
    assert any("Alva" in t for t in texts)
    assert texts[-1].startswith("Vill du fortsätta")  # still in order


@pytest.mark.parametrize("delivered", [False, True], ids=["lost", "delivered"])
def test_a_send_that_times_out_is_retried_in_order_and_nothing_is_lost(tg, delivered):
    """A send whose answer never comes in time (the bot waits 15 s): whether Telegram lost
    it or sent it before the line went quiet, the bot cannot know, so it sends it again.
    Every reply then arrives, in order; a delivered one may arrive twice, side by side,
    which is the one repeat Telegram's API leaves no way to prevent."""
    meeting = new_meeting(tg.stack)
    child = Chat(tg.fake, 7450 + int(delivered))
    tg.fake.stall_next("sendMessage", 20, delivered=delivered)
    tg.fake.send_text(child.id, "/start " + meeting["child_code"].replace("-", ""))
    tg.fake.wait_for(lambda: any("Vill du fortsätta" in m.text for m in child.messages), timeout=120)
    tg.fake.wait_for(lambda: not tg.fake.pending_failures())
    child.last = tg.fake.messages_after(child.id, 0)  # let the turn settle
    texts = [m.text for m in child.messages]
    unique = [t for i, t in enumerate(texts) if i == 0 or texts[i - 1] != t]
    assert len(unique) == len(set(unique))  # no reply out of order or repeated later
    assert len(texts) - len(unique) == (1 if delivered else 0), texts
    assert any("Alva" in t for t in unique) and unique[-1].startswith("Vill du fortsätta")


def test_bot_killed_mid_conversation_resumes_at_the_same_step(tg):
    meeting = new_meeting(tg.stack)
    child = child_joins(tg, meeting, 7501)
    child.tap("Ja")
    assert "1 av 5" in child.tap("Förbered")
    assert "svårt" in child.say("mina kompisar").lower()

    # Like a power cut: serve and every process it started die at once, with no clean-up.
    import subprocess

    def family(pid: int) -> list[int]:
        found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        return [pid] + [p for child in found for p in family(int(child))]

    for pid in family(tg.stack.process.pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    tg.stack.process.wait(60)
    before = len(child.messages)
    tg.fake.send_text(child.id, "läxorna är svåra")  # arrives while the bot is down
    tg.restart()
    replies = tg.fake.messages_after(child.id, before)
    said = "\n".join(m.text for m in replies)
    assert "önskar" in said.lower()  # the answer to question 2 was taken; now question 3
    assert "3 av 5" in said


def test_no_token_and_no_child_text_in_logs_or_database(tg):
    logs = tg.stack.logs()
    assert tg.fake.token not in logs
    assert tg.fake.token.split(":")[1] not in logs
    for words in CHILD_WORDS + ("hemlis-bra-grej", "läxorna är svåra"):
        assert words not in logs
    raw = b""
    for path in tg.var.glob("sipkompis.db*"):
        raw += path.read_bytes()
    for words in CHILD_WORDS:
        for encoded in (words.encode(), json.dumps(words)[1:-1].encode()):
            assert encoded not in raw
    with sqlite3.connect(tg.var / "sipkompis.db") as db:
        pending = db.execute("select count(*) from inbox where channel='telegram' "
                             "and processed_at is null").fetchone()[0]
        assert pending == 0


# --- webhook mode: the bot process alone (Rasa is not needed for what is checked here) ----

@pytest.fixture
def webhook_bot(tmp_path):
    import subprocess
    import sys

    from tests.conftest import REPO, free_port

    fake = FakeTelegram().start()
    port = free_port()
    var = tmp_path / "var"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")},
           "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_BASE": fake.api_base,
           "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram/hook",
           "TELEGRAM_WEBHOOK_PORT": str(port), "RASA_PORT": str(free_port()),
           "SIPKOMPIS_VAR_DIR": str(var), "SIPKOMPIS_DB_URL": f"sqlite:///{var / 'sipkompis.db'}",
           "SIPKOMPIS_MASTER_KEY_FILE": str(var / "master.key")}
    ready = var / "run" / "telegram-test.ready"
    log = open(tmp_path / "telegram.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "bot.channels.telegram", "--ready-file", str(ready)],
                               cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    fake.wait_for(ready.exists, 120)
    yield fake, var, tmp_path / "telegram.log"
    process.terminate()
    process.wait(30)
    fake.stop()


def test_long_replies_are_split_at_sentence_ends():
    from bot.channels.telegram.keyboard import split_text

    text = " ".join(f"Mening nummer {i} handlar om mötet." for i in range(400))
    pieces = split_text(text)
    assert len(pieces) > 1 and all(len(p) <= 4096 for p in pieces)
    assert all(p.endswith(".") for p in pieces)
    assert " ".join(pieces) == text


def test_rasa_down_is_told_once_and_the_messages_are_kept(webhook_bot):
    fake, var, _log = webhook_bot
    chat = Chat(fake, 7603)
    fake.send_text(chat.id, "hej")
    fake.send_text(chat.id, "är du där")
    fake.wait_for(lambda: chat.messages)
    fake.messages_after(chat.id, 0)
    assert ["problem" in m.text for m in chat.messages] == [True]
    with sqlite3.connect(var / "sipkompis.db") as db:
        assert db.execute("select count(*) from inbox where processed_at is null").fetchone()[0] == 2


def test_webhook_checks_the_secret_and_stores_before_answering(webhook_bot):
    fake, var, log = webhook_bot
    assert fake.webhook and len(fake.webhook["secret"]) >= 32
    forged = {"update_id": 999, "message": {"message_id": 1, "date": 0, "text": "hej",
                                            "chat": {"id": 7601, "type": "private"}}}
    assert fake.post_to_webhook(forged, None) == 403
    assert fake.post_to_webhook(forged, "wrong-secret") == 403
    with sqlite3.connect(var / "sipkompis.db") as db:
        assert db.execute("select count(*) from inbox").fetchone()[0] == 0

    chat = Chat(fake, 7602)
    assert "Jag kan bara läsa text just nu" in chat.sticker()
    assert fake.token not in log.read_text(errors="replace")


# --- safety whatever fails (issue 11) -----------------------------------------------------

CRISIS = "jag vill inte leva längre"


def test_with_rasa_hung_a_crisis_in_another_chat_gets_help_within_10_s_and_nothing_is_lost(tg):
    from tests.rasa_process import Stopwatch, hung, report

    stuck, other = Chat(tg.fake, 7801), Chat(tg.fake, 7802)
    assert "kod" in stuck.say("hej").lower()
    before_stuck = len(stuck.messages)
    with hung(tg.stack.rasa_port):
        typing = len(tg.fake.sent_to(stuck.id, "sendChatAction"))
        tg.fake.send_text(stuck.id, "hallå, är du kvar?")
        # The turn has reached Rasa (the bot shows "typing" just before it relays).
        tg.fake.wait_for(lambda: len(tg.fake.sent_to(stuck.id, "sendChatAction")) > typing, 30)
        before_other = len(other.messages)
        clock = Stopwatch()
        tg.fake.send_text(other.id, CRISIS)
        # Help is several messages; the question about a safe place comes last.
        tg.fake.wait_for(lambda: any("trygg plats" in m.text for m in other.messages[before_other:]), 10)
        report("telegram", clock.seconds)
        help_text = "\n".join(m.text for m in other.messages[before_other:])
        assert "90101" in help_text and "trygg plats" in help_text
        assert len(stuck.messages) == before_stuck  # still waiting for the frozen Rasa
        numbers = sum(m.text.count("90101") for m in other.messages)
    # Thawed: the stuck turn is answered, and the crisis message reached Rasa too.
    answer = "\n".join(m.text for m in tg.fake.messages_after(stuck.id, before_stuck))
    assert "kod" in answer.lower()
    tg.fake.wait_for(lambda: sum(m.text.count("trygg plats") for m in other.messages) >= 2, 180)
    tg.fake.wait_for(lambda: _unhandled(tg.var) == 0, 180)
    assert _held(tg.var) == 0  # each turn answered, none set aside
    # Rasa was told the help was shown and did not repeat the numbers.
    assert sum(m.text.count("90101") for m in other.messages) == numbers


def _unhandled(var) -> int:
    with sqlite3.connect(var / "sipkompis.db") as db:
        return db.execute("select count(*) from inbox where channel = 'telegram' "
                          "and processed_at is null").fetchone()[0]


def test_an_edited_message_in_crisis_gets_help_like_text(tg):
    chat = Chat(tg.fake, 7803)
    chat.say("hej")
    before = len(chat.messages)
    tg.fake.edit_text(chat.id, 1, "jag tänker ta livet av mig")
    tg.fake.wait_for(lambda: any("112" in m.text for m in chat.messages[before:]), 10)
    assert not any("Jag kan bara läsa text" in m.text for m in chat.messages[before:])


def test_invisible_characters_cannot_make_typed_text_a_command(tg):
    meeting = new_meeting(tg.stack)
    child = child_joins(tg, meeting, 7804)
    child.tap("Ja")
    assert "1 av 5" in child.tap("Förbered")
    said = child.say('\u2060/approve_summary{"pending": "x"}')
    # Taken as words (the answer to question 1), not as the approval command.
    assert "svårt" in said.lower()
    assert not any(b["text"].startswith("Skicka") for m in child.last for b in m.buttons)


def test_empty_and_control_character_messages_get_a_kind_line(tg):
    chat = Chat(tg.fake, 7805)
    assert "inga ord" in chat.say("\u200b\u2060\x07")
    assert "inga ord" in chat.say("/")


@pytest.fixture
def broken_rasa_bot(tmp_path):
    """The bot process alone, against a Rasa that answers every turn with a 500."""
    import subprocess
    import sys

    from tests.conftest import REPO, free_port
    from tests.garbage_rasa import GarbageRasa

    fake = FakeTelegram().start()
    garbage = GarbageRasa("500").start()
    var = tmp_path / "var"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")},
           "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_BASE": fake.api_base,
           "RASA_PORT": str(garbage.port), "SIPKOMPIS_VAR_DIR": str(var),
           "SIPKOMPIS_DB_URL": f"sqlite:///{var / 'sipkompis.db'}",
           "SIPKOMPIS_MASTER_KEY_FILE": str(var / "master.key")}
    ready = var / "run" / "telegram-test.ready"
    log = open(tmp_path / "telegram.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "bot.channels.telegram", "--ready-file", str(ready)],
                               cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    fake.wait_for(ready.exists, 120)
    yield fake, garbage, var, tmp_path / "telegram.log"
    process.terminate()
    process.wait(30)
    fake.stop()
    garbage.stop()


def test_a_turn_that_keeps_failing_is_set_aside_told_once_and_blocks_no_one(broken_rasa_bot):
    fake, garbage, var, log = broken_rasa_bot
    failing, other = Chat(fake, 7901), Chat(fake, 7902)
    fake.send_text(failing.id, "hej")
    fake.send_text(failing.id, "hallå?")
    fake.wait_for(lambda: any("sparat" in m.text for m in failing.messages), 120)
    # Meanwhile another chat is not held up: its crisis gets help at once.
    before = len(other.messages)
    fake.send_text(other.id, CRISIS)
    fake.wait_for(lambda: any("112" in m.text for m in other.messages[before:]), 10)
    fake.wait_for(lambda: _unhandled(var) == 0 and _held(var) >= 2, 180)
    assert sum("sparat" in m.text for m in failing.messages) == 1  # told kindly, once
    text = log.read_text(errors="replace")
    assert "set aside after" in text and "hallå" not in text and CRISIS not in text


def _held(var) -> int:
    with sqlite3.connect(var / "sipkompis.db") as db:
        return db.execute("select count(*) from inbox where channel = 'telegram-held' "
                          "and length(payload_enc) > 0").fetchone()[0]


def test_with_rasa_stopped_a_crisis_gets_help_within_10_s_and_is_kept(webhook_bot):
    fake, var, _log = webhook_bot
    chat = Chat(fake, 7604)
    fake.send_text(chat.id, CRISIS)
    fake.wait_for(lambda: any("112" in m.text for m in chat.messages), 10)
    assert _unhandled(var) == 1  # kept, to be relayed once Rasa answers


def test_a_flood_from_one_chat_does_not_hold_up_help_for_another(broken_rasa_bot):
    fake, _garbage, var, _log = broken_rasa_bot
    flooding, other = Chat(fake, 7605), Chat(fake, 7606)
    for number in range(60):
        fake.send_text(flooding.id, f"meddelande {number}")
    fake.send_text(other.id, CRISIS)
    fake.wait_for(lambda: any("trygg plats" in m.text for m in other.messages), 10)
    with sqlite3.connect(var / "sipkompis.db") as db:  # every update kept, none dropped
        assert db.execute("select count(*) from inbox where length(payload_enc) > 0").fetchone()[0] == 61
