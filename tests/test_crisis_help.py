"""Help that fits: the crisis help per category and per reader (a child, someone 18 or
over, a guardian, or unknown), built from helplines.yml, in easy Swedish, honest about
what the bot cannot do; and the same over REST from the running stack, in any state."""
from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

import pytest

from bot.safety.help import (
    AUDIENCES,
    CATEGORIES,
    SAFE_QUESTION,
    Signal,
    crisis_messages,
    follow_up_messages,
    not_safe_messages,
    safe_messages,
    services_for,
)
from bot.safety.helplines import load_helplines

REPO = Path(__file__).resolve().parent.parent
HELPLINES = load_helplines()
NUMBER = {line.key: line.number for line in HELPLINES.lines}
ALL_CATEGORIES = (None,) + CATEGORIES

BRIS = NUMBER["bris"]  # 116 111, for under-18s only
BRIS_ADULTS = NUMBER["bris_adult"]
SUICIDE_LINE = NUMBER["suicide_line"]
JOURHAVANDE = NUMBER["jourhavande_medmanniska"]
KVINNOFRID = NUMBER["kvinnofridslinjen"]
EMERGENCY = NUMBER["emergency"]
HEALTHCARE = NUMBER["healthcare"]
POLICE = NUMBER["police"]


def said(category, audience="child", **kw) -> str:
    return "\n".join(crisis_messages(category, audience, **kw))


def digits(text: str) -> str:
    return re.sub(r"[ -]", "", text)


def numbers_in(text: str) -> set[str]:
    """Every dialable number in the text (three digits or more, spaces and dashes allowed),
    so opening hours such as "21 till 06" are not counted."""
    found = re.findall(r"(?<![\d])\d+(?:[ -]\d+)*(?![\d])", text)
    return {digits(n) for n in found if len(digits(n)) >= 3}


def position(text: str, number: str) -> int:
    assert number in text, number
    return text.index(number)


# ---- every category, every reader -----------------------------------------------------

@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("category", ALL_CATEGORIES)
def test_every_message_ends_with_the_safe_place_question_and_never_says_saker(category, audience):
    messages = crisis_messages(category, audience)
    assert messages[-1] == SAFE_QUESTION == "Är du på en trygg plats just nu?"
    text = "\n".join(messages).lower()
    assert "säker" not in text  # a child reads "Är du säker?" as "are you sure?"
    assert "jag är ett program" in text and "kan inte ringa" in text
    assert "ingen människa läser" in text
    assert EMERGENCY in text  # 112 is always there


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("category", ALL_CATEGORIES)
def test_every_number_shown_is_one_from_helplines_yml(category, audience):
    known = {digits(n) for n in HELPLINES.numbers}
    text = said(category, audience, signal=Signal())
    shown = numbers_in(text)
    assert shown and shown <= known, shown - known


@pytest.mark.parametrize("category", ALL_CATEGORIES)
def test_someone_18_or_over_never_gets_bris_as_theirs(category):
    text = said(category, "adult")
    assert BRIS not in text and "BRIS" not in text
    assert "under 18" not in text  # nothing to explain: the help is theirs


@pytest.mark.parametrize("category", ALL_CATEGORIES)
def test_a_guardian_gets_bris_vuxentelefon_not_the_childrens_line(category):
    text = said(category, "guardian")
    assert BRIS_ADULTS in text
    assert BRIS not in text


@pytest.mark.parametrize("category", ALL_CATEGORIES)
def test_unknown_age_gets_the_childs_help_and_one_line_for_18_or_over(category):
    child, unknown = crisis_messages(category, "child"), crisis_messages(category, "unknown")
    adult_lines = [m for m in unknown if m.startswith("Är du 18 år eller äldre?")]
    assert len(adult_lines) == 1
    assert numbers_in(adult_lines[0])  # it names somewhere to call
    assert BRIS not in adult_lines[0]
    assert [m for m in unknown if m not in adult_lines] == child
    assert not [m for m in child if "18 år" in m]


def test_an_unknown_audience_or_category_still_gets_help():
    assert crisis_messages("no_such_category", "child") == crisis_messages(None, "child")
    assert crisis_messages("suicide", "martian") == crisis_messages("suicide", "unknown")


# ---- what fits each category -----------------------------------------------------------

def test_suicide_gets_112_the_suicide_line_bris_and_1177():
    text = said("suicide")
    for number in (EMERGENCY, SUICIDE_LINE, BRIS, HEALTHCARE):
        assert number in text
    assert position(text, SUICIDE_LINE) < position(text, BRIS)


def test_self_harm_gets_care_advice_and_the_suicide_line():
    text = said("self_harm")
    for number in (EMERGENCY, HEALTHCARE, BRIS, SUICIDE_LINE):
        assert number in text
    assert "skadat dig" in text


def test_abuse_at_home_gets_112_bris_and_what_telling_the_school_means():
    text = said("abuse")
    assert EMERGENCY in text and BRIS in text
    assert SUICIDE_LINE not in text  # abuse is not a suicide crisis: never led by Självmordslinjen
    assert "Du får berätta för en vuxen på skolan" in text
    assert "socialtjänsten" in text and "pratar då med dig" in text  # what happens then
    assert "inte ditt fel" in text


def test_abuse_for_an_adult_gets_adult_services():
    text = said("abuse", "adult")
    assert KVINNOFRID in text and NUMBER["brottsofferjouren"] in text
    assert SUICIDE_LINE not in text


def test_sexual_abuse_gets_bris_112_and_the_police_tip_line():
    text = said("sexual_abuse")
    assert BRIS in text and EMERGENCY in text
    assert HELPLINES.get("police_tip").web in text and POLICE in text
    assert "aldrig ditt fel" in text
    assert "Betala inte" in text  # sextortion: do not pay, do not send more
    assert SUICIDE_LINE not in text


def test_honour_violence_gets_honour_support_and_that_no_one_may_force_a_marriage():
    text = said("honour_violence")
    assert EMERGENCY in text and BRIS in text
    assert HELPLINES.get("origo").web in text
    assert "Ingen får tvinga dig att gifta dig" in text
    assert "socialtjänsten" in text and "stoppa en resa" in text
    assert SUICIDE_LINE not in text


def test_neglect_gets_bris_and_social_services():
    text = said("neglect")
    assert BRIS in text and "socialtjänsten" in text and "mat" in text
    assert SUICIDE_LINE not in text


def test_violence_from_others_gets_bris_and_the_police():
    text = said("violence")
    assert BRIS in text and POLICE in text
    assert SUICIDE_LINE not in text


def test_a_friend_in_danger_gets_what_to_do_for_the_friend():
    text = said("friend_in_danger")
    assert "kompis" in text and EMERGENCY in text and BRIS in text
    assert "Berätta för en vuxen du litar på" in text
    assert "Har du tankar på att ta ditt liv" not in text  # the writer is not the one in danger


def test_acute_danger_puts_112_first_then_1177():
    messages = crisis_messages("acute_danger")
    assert EMERGENCY in messages[0]
    services = services_for("acute_danger")
    assert services[:2] == ("emergency", "healthcare")


def test_help_now_without_a_crisis_gets_the_general_four():
    text = said(None)
    for number in (EMERGENCY, BRIS, SUICIDE_LINE, HEALTHCARE):
        assert number in text


def test_adults_and_guardians_in_a_suicide_crisis_get_mind_and_jourhavande():
    for audience in ("adult", "guardian"):
        text = said("suicide", audience)
        assert SUICIDE_LINE in text and JOURHAVANDE in text


# ---- honest about who may pass it on (issue 15 point 3) ---------------------------------

DUTY = "måste de säga till socialtjänsten"


def number_positions(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"(?<![\d])\d+(?:[ -]\d+)*(?![\d])", text)
            if len(digits(m.group())) >= 3]


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("category", ALL_CATEGORIES)
def test_every_reply_says_once_after_the_numbers_that_adults_keep_quiet_but_must_tell_social_services(
        category, audience):
    text = said(category, audience)
    assert text.count("tystnadsplikt") == 1, text
    assert text.count(DUTY) == 1 and "ett barn far illa" in text
    assert "De får inte berätta för andra." in text  # the word said in plain words too
    # The numbers come first: the duty is read after every number to call.
    assert max(number_positions(text)) < text.index("tystnadsplikt")


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("category", ALL_CATEGORIES)
def test_the_crisis_reply_stays_short(category, audience):
    messages = crisis_messages(category, audience)
    # Six bubbles at most (seven with the signal), as before the duty line was added: it
    # shares the bubble that says who reads this. The longest reply (unknown age, honour
    # violence) is about a minute's reading; nothing may make it longer unnoticed.
    assert len(messages) <= 6
    assert len(crisis_messages(category, audience, signal=Signal())) <= 7
    assert len(" ".join(messages).split()) <= 215
    duty = next(m for m in messages if "tystnadsplikt" in m)
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", duty[duty.index("Vuxna som"):]) if s]
    assert len(sentences) <= 3 and all(len(s.split()) <= 14 for s in sentences), sentences


# ---- honest about what the bot can do -------------------------------------------------

def test_without_escalation_nobody_is_said_to_be_told():
    text = said("suicide")
    assert "signal" not in text and "samordnare" not in text


def test_with_escalation_it_says_exactly_who_gets_a_content_free_signal_and_that_it_is_not_instant():
    text = said("suicide", signal=Signal(coordinator=True, on_duty="socialjouren"))
    assert "din samordnare och jourkontakten (socialjouren)" in text
    assert "säger inte vad du skrev" in text
    assert "dröja" in text and "Ring själv" in text
    assert crisis_messages("suicide", signal=Signal())[-1] == SAFE_QUESTION


def test_when_the_channel_has_shown_the_help_only_the_signal_and_the_question_follow():
    assert follow_up_messages("child") == [SAFE_QUESTION]
    shown = follow_up_messages("child", Signal())
    assert shown[-1] == SAFE_QUESTION and not numbers_in("\n".join(shown))


@pytest.mark.parametrize("audience", AUDIENCES)
def test_after_no_the_path_goes_on_with_concrete_steps(audience):
    messages = not_safe_messages(audience)
    text = "\n".join(messages)
    assert messages[-1] == SAFE_QUESTION and EMERGENCY in text and "säker" not in text
    assert numbers_in(text) <= {digits(n) for n in HELPLINES.numbers}
    if audience in ("adult", "guardian"):
        assert BRIS not in text
    safe = "\n".join(safe_messages(audience))
    assert "trygg plats" in safe and "hjälp nu" in safe and "säker" not in safe


def test_no_number_is_copied_into_code_or_domain_responses():
    # The help is built from helplines.yml; a copy elsewhere would go stale unnoticed.
    sources = [REPO / "bot/safety/help.py", REPO / "actions/safety.py",
               *sorted((REPO / "config/domain").glob("*.yml"))]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for line in HELPLINES.lines:
            if line.number:
                assert not re.search(rf"(?<![\d.]){re.escape(line.number)}(?![\d])", text), \
                    (path.name, line.number)


# ---- over REST, from the running stack ------------------------------------------------

def texts(replies) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def meeting_with_age(stack, age: int | None) -> dict:
    """A meeting through the real CLI, with `--child-age` when given."""
    key_dir = stack.var / "keys" / secrets.token_hex(4)
    coordinator = json.loads(stack.cli("coordinator", "add", "--name", "Sara Lind", "--key-out",
                                       str(key_dir), "--json").stdout)
    args = ["meeting", "create", "--coordinator", coordinator["coordinator_id"], "--child-name",
            "Alva Svensson", "--at", "2030-05-20 09:30", "--place", "Skolans konferensrum",
            "--purpose", "hitta bättre stöd i skolan", "--participant", "Omar Haddad:kurator", "--json"]
    if age is not None:
        args += ["--child-age", str(age)]
    created = stack.cli(*args)
    assert created.returncode == 0, created.stderr
    meeting = json.loads(created.stdout)
    child = json.loads(stack.cli("invite", "--meeting", meeting["meeting_id"], "--role", "child",
                                 "--json").stdout)
    return {**meeting, "child_code": child["code"]}


def asks_safe_place(replies) -> bool:
    last = replies[-1]
    return last.get("text") == SAFE_QUESTION and \
        {b["payload"] for b in last.get("buttons") or []} == {"/affirm", "/deny", "/dont_know"}


def at_state(stack, code: str, state: str) -> str:
    sender = secrets.token_hex(8)
    stack.say(sender, code)  # now asked for consent
    if state in ("menu", "form", "review"):
        stack.say(sender, "/affirm")
    if state in ("form", "review"):
        stack.say(sender, "/start_preparation")
    if state == "review":
        for answer in ("bra", "svårt", "önskan", "fråga"):
            stack.say(sender, answer)
        stack.say(sender, "/skip")
    return sender


@pytest.mark.stack
@pytest.mark.parametrize("state", ["consent", "form", "review"])
def test_an_18_year_old_gets_adult_help_in_any_state(stack, state):
    meeting = meeting_with_age(stack, 19)
    sender = at_state(stack, meeting["child_code"], state)
    replies = stack.say(sender, "jag vill inte leva längre")
    said_ = texts(replies)
    assert EMERGENCY in said_ and SUICIDE_LINE in said_ and JOURHAVANDE in said_
    assert BRIS not in said_ and "BRIS" not in said_
    assert asks_safe_place(replies)
    again = texts(stack.say(sender, "nej"))  # one "nej" does not end the safety path
    assert EMERGENCY in again and SAFE_QUESTION in again and BRIS not in again


@pytest.mark.stack
def test_a_child_under_18_telling_about_abuse_gets_bris_and_the_school_not_the_suicide_line(stack):
    meeting = meeting_with_age(stack, 14)
    sender = at_state(stack, meeting["child_code"], "form")
    replies = stack.say(sender, "pappa slår mig när han är full")
    said_ = texts(replies)
    assert EMERGENCY in said_ and BRIS in said_ and "socialtjänsten" in said_
    assert SUICIDE_LINE not in said_ and "18 år eller äldre" not in said_
    assert said_.count("tystnadsplikt") == 1 and "måste de säga till socialtjänsten" in said_
    assert asks_safe_place(replies)
    assert "2 av 5" not in said_  # the form is left, the crisis is not taken as an answer


@pytest.mark.stack
def test_a_guardian_in_crisis_gets_bris_vuxentelefon_and_adult_services(stack):
    meeting = meeting_with_age(stack, 12)
    guardian = json.loads(stack.cli("invite", "--meeting", meeting["meeting_id"], "--role", "guardian",
                                    "--name", "Anna Svensson", "--json").stdout)
    sender = secrets.token_hex(8)
    stack.say(sender, guardian["code"])
    replies = stack.say(sender, "jag orkar inte leva längre")
    said_ = texts(replies)
    assert BRIS_ADULTS in said_ and SUICIDE_LINE in said_ and JOURHAVANDE in said_
    assert BRIS not in said_
    assert asks_safe_place(replies)


@pytest.mark.stack
def test_an_unknown_age_or_unlinked_sender_gets_the_childs_help_and_the_18_plus_line(stack):
    meeting = meeting_with_age(stack, None)
    for sender in (at_state(stack, meeting["child_code"], "menu"), secrets.token_hex(8)):
        said_ = texts(stack.say(sender, "jag vill inte leva längre"))
        assert BRIS in said_ and SUICIDE_LINE in said_ and "Är du 18 år eller äldre?" in said_


@pytest.mark.stack
def test_help_shown_by_the_channel_is_not_repeated_but_the_safety_path_still_runs(stack):
    meeting = meeting_with_age(stack, 15)
    sender = at_state(stack, meeting["child_code"], "form")
    stack.say(sender, "det bra är min hund")
    replies = stack.say(sender, "jag vill inte leva längre", metadata={"help_shown": True})
    said_ = texts(replies)
    assert not numbers_in(said_), said_  # the numbers are already on the child's screen
    assert asks_safe_place(replies)
    assert "3 av 5" not in said_  # the form was still left
    again = texts(stack.say(sender, "/deny"))
    assert EMERGENCY in again and BRIS in again and SAFE_QUESTION in again
    resumed = stack.say(sender, "/affirm")
    assert "/continue_preparation" in {b["payload"] for r in resumed for b in r.get("buttons") or []}
    assert "2 av 5" in texts(stack.say(sender, "/continue_preparation"))


@pytest.mark.stack
def test_the_stuck_button_explains_how_it_works_and_does_not_start_the_crisis_path(stack):
    meeting = meeting_with_age(stack, 13)
    sender = at_state(stack, meeting["child_code"], "menu")
    menu = stack.say(sender, "asdkjhasd qwe")
    buttons = {b["payload"]: b["title"] for r in menu for b in r.get("buttons") or []}
    assert "/ask_help" in buttons and "/help_now" in buttons
    assert "nummer att ringa" in buttons["/help_now"]  # labelled for what it does
    explained = stack.say(sender, "/ask_help")
    assert SAFE_QUESTION not in texts(explained) and EMERGENCY not in texts(explained)


@pytest.mark.stack
def test_help_now_gives_the_numbers_first_then_that_adults_must_tell_social_services(stack):
    meeting = meeting_with_age(stack, 13)
    sender = at_state(stack, meeting["child_code"], "menu")
    replies = stack.say(sender, "/help_now")
    said_ = texts(replies)
    assert EMERGENCY in said_ and BRIS in said_
    assert said_.count("tystnadsplikt") == 1
    assert said_.index(BRIS) < said_.index("tystnadsplikt") < said_.index("måste de säga till socialtjänsten")
    assert asks_safe_place(replies)
