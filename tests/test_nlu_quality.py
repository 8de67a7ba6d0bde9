"""NLU and dialogue quality against the real model.

The held-out score reuses benchmarks/nlu_eval.py, so the test and the benchmark measure the
same thing. The floor catches regressions; the target (0.90) is only reported. Only
aggregate figures are printed: the held-out texts never appear in a log.
"""
from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from benchmarks.nlu_eval import REPO, TARGET_MACRO_F1, evaluate_agent, quiet_rasa_logs, rasa_env, weakest

# On 2026-12-04 the held-out set lost 163 sentences that were also training examples (and
# 14 that differed only in å/ä/ö or punctuation): it had measured memory, not language.
# On the cleaned set the model before that day scores 0.819 and today's 0.851 (371
# examples); the floor sits below the measurement, for training noise.
MACRO_F1_FLOOR = 0.83
TEST_STORIES = REPO / "tests" / "stories" / "test_stories.yml"


@pytest.fixture(scope="module")
def agent(trained_model):
    from rasa.core.agent import Agent

    quiet_rasa_logs()
    return Agent.load(str(trained_model))


def test_heldout_macro_f1_stays_above_the_floor(agent, capsys):
    result = asyncio.run(evaluate_agent(agent))
    lows = ", ".join(f"{name} {f1:.2f}" for name, f1 in weakest(result))
    with capsys.disabled():  # pytest captures fd 1 too: let this one line through
        print(f"\nNLU held-out macro-F1 {result['macro_f1']:.3f} "
              f"(accuracy {result['accuracy']:.3f}, "
              f"{result['examples']} examples; floor {MACRO_F1_FLOOR:.2f}, target "
              f"{TARGET_MACRO_F1:.2f}); weakest: {lows}", file=sys.__stdout__, flush=True)
    assert result["examples"] > 0
    assert result["macro_f1"] >= MACRO_F1_FLOOR, (
        f"held-out macro-F1 {result['macro_f1']:.3f} < {MACRO_F1_FLOOR}; weakest: {lows}; "
        f"confusions: {result['confusions'][:5]}")


def test_the_quickly_loaded_model_ranks_every_message_exactly_as_rasas_own_loader(agent, trained_model,
                                                                                 monkeypatch):
    # Start-up loads DIET without its training graph (bot/rasa_plugins/quick_load_diet.py).
    # If a variable that prediction uses were missed or loaded wrongly, the intents would
    # differ: compare with a model loaded by Rasa's own loader, message by message.
    from rasa.core.agent import Agent
    from rasa.utils.tensorflow.models import RasaModel

    from benchmarks.nlu_eval import load_heldout
    from bot.rasa_plugins.quick_load_diet import QuickLoadDIET, QuickLoadDIETClassifier

    loaded = [node for node in agent.processor.graph_runner._instantiated_nodes.values()
              if isinstance(node._component, QuickLoadDIETClassifier)]
    assert loaded, "config.yml no longer uses the quick-loading DIET classifier"
    monkeypatch.setattr(QuickLoadDIET, "load", RasaModel.__dict__["load"])
    stock = Agent.load(str(trained_model))

    async def rankings(which):
        ranked = []
        for text, _ in load_heldout():
            parsed = await which.parse_message(text)
            ranked.append([(i["name"], round(i["confidence"], 6)) for i in parsed["intent_ranking"]])
        return ranked

    quick, rasa_own = asyncio.run(rankings(agent)), asyncio.run(rankings(stock))
    assert len(quick) > 300
    differing = sum(q != r for q, r in zip(quick, rasa_own))
    assert differing == 0, f"{differing} of {len(quick)} messages ranked differently"


@pytest.mark.parametrize("text, written, role", [
    ("vad gör kuratorn", "kuratorn", "kurator"), ("vad gör en god man", "god man", "god man"),
    ("vad är BUP för nåt", "BUP", "bup"), ("vem är sip-samordnaren", "sip-samordnaren", "samordnare"),
    ("vad gör skolsköterskan på mötet", "skolsköterskan", "skolsköterska")])
def test_a_question_about_a_role_carries_the_role_entity(agent, text, written, role):
    # DESIGN section 5: `ask_about_role` (entity `role`), named as in the role list.
    parsed = asyncio.run(agent.parse_message(text))
    assert parsed["intent"]["name"] == "ask_about_role"
    assert [(e["entity"], e["value"]) for e in parsed["entities"]] == [("role", role)]
    start, end = parsed["entities"][0]["start"], parsed["entities"][0]["end"]
    assert text[start:end] == written


def test_an_invite_code_carries_the_code_entity(agent):
    from bot.services.invites import display, new_code

    code = display(new_code())
    for text in (code, f"min kod är {code}", code.lower().replace("-", " ")):
        parsed = asyncio.run(agent.parse_message(text))
        assert parsed["intent"]["name"] == "provide_invite_code", text
        assert [(e["entity"], e["value"]) for e in parsed["entities"]] == [("invite_code", code)], text


def test_rule_driven_test_stories_pass(trained_model, tmp_path):
    # `rasa test core` runs no custom action and opens no tracker store: it only checks
    # the policies' next-action predictions, so no endpoints are needed.
    command = [sys.executable, "-m", "rasa", "test", "core", "--stories", str(TEST_STORIES),
               "--model", str(trained_model), "--fail-on-prediction-errors", "--no-plot",
               "--out", str(tmp_path / "core-results")]
    result = subprocess.run(command, cwd=REPO, env=rasa_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, timeout=600)
    failed = tmp_path / "core-results" / "failed_test_stories.yml"
    detail = failed.read_text() if failed.exists() else ""
    tail = "\n".join(result.stdout.strip().splitlines()[-25:])
    assert result.returncode == 0, f"rasa test core failed (exit {result.returncode}):\n{detail}\n{tail}"
