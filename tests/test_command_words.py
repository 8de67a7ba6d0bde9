"""Erase and pause are commands only when they say what they do, whatever the model's
confidence: "inget" at a question is the child's answer, never "stop my messages"."""
from __future__ import annotations

import pytest
import yaml

from benchmarks.nlu_eval import load_heldout
from bot.config import REPO_ROOT
from bot.rasa_plugins.command_gate import says_a_cue
from tests.conftest import child_at_question, new_meeting

CUES = next(c for c in yaml.safe_load((REPO_ROOT / "config" / "config.yml").read_text())["pipeline"]
            if c["name"].endswith("CommandConfidenceGate"))["cues"]
EVERYDAY = ("inget", "inget särskilt", "nej inget", "ingenting", "inga problem", "jag vill inte",
            "vet inte", "det är lugnt", "kanske sen", "nej", "inget mer", "allt är bra")


def _examples(intent: str) -> list[str]:
    found = []
    for path in (REPO_ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text()).get("nlu") or []:
            if block.get("intent") == intent:
                found += [line[2:] for line in block["examples"].splitlines() if line.startswith("- ")]
    return found + [text for text, gold in load_heldout() if gold == intent]


@pytest.mark.parametrize("intent", sorted(CUES))
def test_every_way_children_say_the_command_names_it(intent):
    examples = _examples(intent)
    assert len(examples) > 30
    assert [e for e in examples if not says_a_cue(e, CUES[intent])] == []


@pytest.mark.parametrize("text", EVERYDAY)
def test_an_everyday_answer_is_no_command(text):
    assert not any(says_a_cue(text, cues) for cues in CUES.values())


@pytest.mark.stack
def test_inget_at_a_question_is_saved_as_the_answer(stack):
    sender = child_at_question(stack, new_meeting(stack))
    for answer in ("min katt", "skolan", "mer lugn"):
        stack.say(sender, answer)
    replies = "\n".join(r.get("text") or "" for r in stack.say(sender, "inget"))
    assert "Fråga 5 av 5" in replies and "meddelanden" not in replies
    summary = "\n".join(r.get("text") or "" for r in stack.say(sender, "/skip"))
    assert "«inget»" in summary
