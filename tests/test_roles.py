"""What a child is told about each adult at the meeting (issue 15, point 11): a whole
sentence written for that role, true, and every role a SIP meeting commonly has."""
from __future__ import annotations

import re

import pytest
import yaml

from bot.roles import ROLES_FILE, explain, known_roles, match_role

CATALOGUE = yaml.safe_load(ROLES_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", known_roles())
def test_each_role_is_told_in_whole_sentences_written_for_it(name):
    about = explain(name).explain
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", about) if s]
    assert sentences and all(s[0].isupper() and s[-1] in ".!?" for s in sentences), about
    assert all(len(s.split()) <= 25 for s in sentences), about  # easy Swedish: short sentences
    # Written for this role, not a template around it: the role is named in its own words.
    names = {name, *CATALOGUE[name].get("forms", []), CATALOGUE[name].get("title", name)}
    folded = about.casefold()
    assert any(n.casefold().split()[0][:6] in folded for n in names), about
    assert "{" not in about and "}" not in about


@pytest.mark.parametrize("name", ["familjehem", "hvb", "läkare", "kontaktperson", "ungdomsmottagning"])
def test_the_roles_children_in_care_and_health_meet_are_known(name):
    assert explain(name).known


@pytest.mark.parametrize("form, role", [
    ("ungdomsmottagningen", "ungdomsmottagning"),  # not första linjen
    ("kontaktpersonen", "kontaktperson"),          # not a stödperson
    ("läkaren", "läkare"),                         # not a vårdcentral
    ("fosterhemmet", "familjehem"),
    ("HVB-hemmet", "hvb"),
])
def test_roles_that_are_easily_confused_are_told_apart(form, role):
    assert match_role(form).name == role


def test_habilitering_is_not_said_to_be_for_adhd_alone():
    about = explain("habiliteringen").explain.casefold()
    assert "adhd" not in about and "hela livet" in about


def test_a_guardian_is_not_assumed_to_be_who_the_child_lives_with():
    assert "inte alltid de du bor med" in explain("vårdnadshavare").explain


def test_titles_are_written_as_children_see_them():
    assert explain("bup").title == "BUP" and explain("hvb-hem").title == "HVB"
    assert explain("kuratorn").title == "kurator"


def test_an_unknown_role_is_named_and_not_guessed_about():
    role = explain("  logoped ")
    assert not role.known
    assert role.explain.startswith("Logoped – den rollen vet jag inte så mycket om.")
    assert "hjälpa" in role.explain
