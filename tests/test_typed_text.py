"""The typed-command guard: nothing a person types reaches Rasa as `/intent{...}`.

What Rasa finally reads is the REST channel's `clean_text` of what a channel sent, then
Rasa's own `str.strip()` (UserMessage). Every property below is checked on exactly that
composition, over every Unicode format (Cf) and control (Cc) character, alone and mixed
with whitespace, slashes and look-alikes."""
from __future__ import annotations

import sys
import unicodedata

from hypothesis import given, settings, strategies as st

from bot.channels.typed_text import as_typed_text, normalise, resolve_choice
from bot.rasa_plugins.rest_channel import clean_text

INVISIBLE = [chr(c) for c in range(sys.maxunicode + 1)
             if unicodedata.category(chr(c)) in ("Cf", "Cc")]
SPACES = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
# Characters that are, or become under NFKC, a slash or whitespace.
SLASHY = ["/", "\uff0f", "\ufe68"] + [chr(c) for c in range(0x2000, 0x200b)] + ["\u3000", "\u00a0"]
COMMANDS = ['approve_summary{"x": 1}', "affirm", "stop_and_delete", "start_preparation"]


def rasa_reads(typed: str) -> str:
    """What Rasa's processor sees for typed text sent by any of our channels."""
    return clean_text(as_typed_text(typed)).strip()


def test_every_format_and_control_character_alone_before_a_command():
    for ch in INVISIBLE + SPACES:
        for command in COMMANDS:
            for typed in (ch + "/" + command, "/" + ch + command, ch + "/" + ch + "/" + command):
                assert not rasa_reads(typed).startswith("/"), repr(typed)


def test_the_reported_case():
    assert rasa_reads('\u2060/approve_summary{"pending": "x"}') == 'approve_summary{"pending": "x"}'
    assert rasa_reads("\ufeff\u200b /\n/affirm") == "affirm"
    assert rasa_reads("\uff0fapprove_summary") == "approve_summary"  # a fullwidth slash


prefix = st.lists(st.sampled_from(INVISIBLE + SPACES + SLASHY), min_size=0, max_size=12).map("".join)


@settings(max_examples=3000, deadline=None)
@given(prefix, st.sampled_from(COMMANDS), st.text(max_size=20))
def test_no_mix_of_invisible_characters_slashes_and_spaces_makes_a_command(before, command, after):
    assert not rasa_reads(before + "/" + command + after).startswith("/")


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=40))
def test_for_any_text_rasa_never_reads_a_command(typed):
    assert not rasa_reads(typed).startswith("/")


@settings(max_examples=2000, deadline=None)
@given(st.text(max_size=40))
def test_normalise_is_idempotent_and_removes_every_invisible_character(text):
    once = normalise(text)
    assert normalise(once) == once
    assert clean_text(once) == once.strip()  # the REST channel changes nothing more
    assert not any(unicodedata.category(ch) in ("Cf", "Cc") and ch not in "\n\t" for ch in once)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from([c for c in INVISIBLE if c not in "\n\t"]), max_size=5))
def test_inside_words_invisible_characters_vanish_and_swedish_letters_stay(inner):
    assert normalise("jag vill inte le" + inner + "va längre") == "jag vill inte leva längre"


def test_tabs_and_newlines_stay_and_text_keeps_its_letters():
    assert normalise("rad ett\nrad\ttvå") == "rad ett\nrad\ttvå"
    assert normalise("Åsa är glad ö") == "Åsa är glad ö"
    assert normalise("ｊａｇ") == "jag"  # fullwidth letters as the NLU knows them


def test_only_an_offered_button_becomes_a_payload():
    buttons = [{"title": "Ja, kör", "payload": "/affirm"}]
    assert resolve_choice("\u2060/affirm", buttons) == "/affirm"  # the offered payload
    assert resolve_choice("\u2060/approve_summary", buttons) == "approve_summary"
    assert resolve_choice("1\u200b", buttons) == "/affirm"
