"""Questions a child asks at any point, answered from the real meeting data (issue 4.3).

Asked as children type them, against the real model and a running `serve`; each test
uses its own meeting so the answers must come from that meeting, not from examples.
"""
from __future__ import annotations

import secrets

import pytest

from tests.conftest import new_meeting


def texts(replies):
    return "\n".join(r.get("text") or "" for r in replies)


@pytest.fixture
def child(stack):
    meeting = new_meeting(stack, participants=("Omar Haddad:kuratorn", "Eva Berg:Socialsekreterare",
                                               "Lina Ek:logoped"),
                          at="2031-03-14 13:05")
    sender = secrets.token_hex(8)
    stack.say(sender, meeting["child_code"])
    stack.say(sender, "/affirm")
    return lambda message: texts(stack.say(sender, message))


def test_when_and_where_in_the_long_swedish_form(child):
    said = child("när är mötet")
    assert "fredag 14 mars 2031 kl. 13.05" in said and "Skolans konferensrum" in said


def test_why_the_meeting_uses_the_coordinators_purpose(child):
    assert "hitta bättre stöd i skolan" in child("varför ska vi ha mötet")


def test_who_comes_each_with_a_child_friendly_role_line(child):
    said = child("vilka kommer")
    assert "Omar Haddad" in said and "Eva Berg" in said and "Lina Ek" in said
    assert "prata med i skolan" in said  # kurator, matched from "kuratorn"
    assert "socialtjänst" in said.lower() or "socialsekreterare" in said


def test_the_child_reads_the_purpose_written_for_them(stack):
    """Issue 15 point 9: the coordinator's wording is often unclear to a child."""
    meeting = new_meeting(stack, extra=("--purpose-for-child", "hur skolan kan bli lugnare för dig"))
    sender = secrets.token_hex(8)
    stack.say(sender, meeting["child_code"])
    stack.say(sender, "/affirm")
    said = texts(stack.say(sender, "varför ska vi ha mötet"))
    assert "hur skolan kan bli lugnare för dig" in said and "hitta bättre stöd" not in said
    stack.cli("meeting", "update", "--meeting", meeting["meeting_id"], "--purpose-for-child", "")
    assert "hitta bättre stöd i skolan" in texts(stack.say(sender, "varför ska vi ha mötet"))


@pytest.mark.parametrize("message, expected", [
    ("vad gör ett familjehem", "Ett familjehem är en familj"),
    ("vad är ett hvb", "hem för vård eller boende"),
    ("vad gör en kontaktperson", "En kontaktperson är en vuxen som socialtjänsten"),
    ("vad är umo", "På ungdomsmottagningen"),
])
def test_roles_of_care_and_health_are_explained_when_asked(child, message, expected):
    assert expected in child(message)


def test_the_start_promises_no_more_than_is_true(stack):
    """Issue 15 point 2: not "no adult learns anything unless you want", since the adults
    must tell the social services if they think a child is being harmed."""
    meeting = new_meeting(stack)
    sender = secrets.token_hex(8)
    stack.say(sender, "hej")
    said = texts(stack.say(sender, meeting["child_code"]))
    assert "Ingen vuxen får veta" not in said
    assert "måste säga till socialtjänsten om de tror att ett barn far illa" in said


def test_a_known_and_an_unknown_role(child):
    assert "hälsan" in child("vad gör en skolsköterska")
    unknown = child("vad gör en logoped")
    assert "logoped" in unknown.lower() and "hjälpa" in unknown


def test_must_i_be_there_names_the_options(child):
    said = child("måste jag vara med på mötet")
    assert "en del" in said and "läsa upp" in said and "stödperson" in said


@pytest.mark.parametrize("message, expected", [
    ("vad är sip", "samordnad individuell plan"),
    ("vem kan läsa det jag skriver", "ja"),
    ("är du en robot", "chattbot"),
    ("vad kan du hjälpa mig med", "SIP"),
])
def test_general_questions(child, message, expected):
    assert expected in child(message)


def test_before_the_code_general_questions_work_and_meeting_questions_ask_for_the_code(stack):
    sender = secrets.token_hex(8)
    assert "samordnad individuell plan" in texts(stack.say(sender, "vad är sip"))
    assert "kod" in texts(stack.say(sender, "när är mötet")).lower()
