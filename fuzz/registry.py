"""Every fuzz target: name -> the function taking bytes, its seeds, its input size limit.

`cost` says what one execution costs, so a short run (CI) can give slow targets fewer
executions: "cheap" (pure Python, >5,000/s), "slow" (the detector, HPKE), "store" (a
SQLite lookup or commit), "scrypt" (0.1 s a try).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Target:
    name: str
    function: str  # "module:function"
    handler: str  # what it exercises, for the report
    cost: str = "cheap"
    max_len: int = 4096
    seeds: tuple[bytes, ...] = field(default=())
    seed_function: str | None = None
    uses_world: bool = False  # needs fuzz/world.py's store (built before fuzzing starts)

    def load(self):
        module, _, name = self.function.partition(":")
        return getattr(importlib.import_module(module), name)

    def all_seeds(self) -> list[bytes]:
        seeds = list(self.seeds)
        if self.seed_function:
            module, _, name = self.seed_function.partition(":")
            seeds += getattr(importlib.import_module(module), name)()
        return seeds


_TEXT = (b"\x00hej", b"\x00/affirm{\"slot\": 1}", b"\x00\xef\xbc\x8fapprove_summary",
         b"\x01" + "\u2060/skip".encode("utf-16-le"), b"\x002", b"\x00Hoppa \xc3\xb6ver")
_UPDATE = (b'{"update_id": 1, "message": {"message_id": 5, "chat": {"id": 7, "type": "private"},'
           b' "text": "hej"}}',
           b'{"update_id": 2, "callback_query": {"id": "1", "data": "abc", "from": {"id": 7},'
           b' "message": {"chat": {"id": 7}}}}',
           b'{"update_id": 3, "edited_message": {"chat": {"id": 7, "type": "group"}, "caption": "x"}}')

TARGETS = {t.name: t for t in [
    Target("typed_text", "fuzz.targets_text:fuzz_typed_text",
           "bot/channels/typed_text.py normalise, as_typed_text, resolve_choice", seeds=_TEXT),
    Target("invite_code", "fuzz.targets_text:fuzz_invite_code", "bot/services/invites.py normalise",
           seeds=(b"\x00min kod \xc3\xa4r abcd-efgh-jkmn", b"\x00ABCDEFGHJKMN", b"\x00abcd efgh jkm")),
    Target("crisis_normaliser", "fuzz.targets_text:fuzz_crisis_normaliser",
           "bot/safety/normalise.py normalise, variants, marked_variants", max_len=16384, seeds=_TEXT),
    Target("crisis_detector", "fuzz.targets_text:fuzz_crisis_detector", "bot/safety/detector.py detect",
           cost="slow", max_len=16384, seeds=_TEXT + (b"\x00jag vill inte leva l\xc3\xa4ngre",)),
    Target("telegram_update", "fuzz.targets_telegram:fuzz_update",
           "bot/channels/telegram/updates.py chat_key, typed_words", seeds=_UPDATE),
    Target("telegram_command", "fuzz.targets_telegram:fuzz_command",
           "bot/channels/telegram/handlers.py _command",
           seeds=(b"\x00/start ABCD", b"\x00/hjalp_nu@bot", b"\x00/radera")),
    Target("telegram_callback", "fuzz.targets_telegram:fuzz_callback",
           "bot/channels/telegram/chats.py offered_payload (SQLite)", cost="store",
           seeds=(b"\x00\x00", b"\x00\x01x", b"\x00abc"), uses_world=True),
    Target("telegram_split_text", "fuzz.targets_telegram:fuzz_split_text",
           "bot/channels/telegram/keyboard.py split_text", seeds=_TEXT),
    Target("web_session_cookie", "fuzz.targets_web:fuzz_session_cookie",
           "Sanic Request.cookies -> bot/channels/web/sessions.py load, csrf_ok (SQLite)", cost="store",
           seeds=(b"sipkompis_session=abc; other=1\x00csrf", b'sipkompis_session="a\\"b"\x00'), uses_world=True),
    Target("web_nonce", "fuzz.targets_web:fuzz_nonce",
           "bot/channels/web/app.py _NONCE -> bot/channels/web/nonces.py claim (SQLite)", cost="store",
           seeds=(b"abcdefghijklmnopqrstuvwx", b"A-_" * 8), uses_world=True),
    Target("web_code_field", "fuzz.targets_web:fuzz_code_field",
           "bot/channels/web/logins.py submit_code (SQLite)", cost="store",
           seeds=(b"ABCD-EFGH-JKMN", b"min kod \xc3\xa4r 2345 6789 abcd"), seed_function="fuzz.seeds:codes", uses_world=True),
    Target("web_pin_field", "fuzz.targets_web:fuzz_pin_field",
           "bot/channels/web/pins.py well_formed, new_pin_problem",
           seeds=(b"1234", b" 123456 ", b"12a4")),
    Target("web_pin_check", "fuzz.targets_web:fuzz_pin_check", "bot/channels/web/pins.py check_pin (scrypt)",
           cost="scrypt", max_len=64, seeds=(b"4711", b"0000")),
    Target("cli_args", "fuzz.targets_cli:fuzz_cli_args", "bot/cli argparse + --at/--participant/--point",
           cost="slow", max_len=1024,
           seeds=(b"\x00meeting\x00create\x00--at\x002030-05-20 09:30", b"\x00inbox\x00--json",
                  b"\x00outcome\x00--point\x00a|b|c")),
    Target("sealed_file", "fuzz.targets_cli:fuzz_sealed_file", "bot/cli/admin.py inbox --file (HPKE)",
           cost="slow", max_len=8192, seed_function="fuzz.targets_cli:seed_sealed_file", uses_world=True),
]}
