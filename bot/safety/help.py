"""Help that fits: the Swedish crisis messages for one category and one audience.

Pure (no store, no clock): every channel shows these at once when the detector fires,
and the Rasa action shows the same. Which services a reader gets is decided here,
per category and audience; every number and opening hour comes from helplines.yml,
so a number is changed in one reviewed place and never copied into code or domain.

Audiences: "child" (under 18), "adult" (18 or over: BRIS answers only under-18s),
"guardian" (a parent worried about a child, or in crisis themselves), and "unknown"
(the child's help plus one line for those who are 18 or over).

Wording: short sentences, one idea each. The question is "Är du på en trygg plats
just nu?", never "säker", which a child reads as "are you sure?".
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.safety.helplines import Helplines, load_helplines

__all__ = [
    "AUDIENCES",
    "CATEGORIES",
    "SAFE_BUTTONS",
    "SAFE_QUESTION",
    "Signal",
    "crisis_messages",
    "follow_up_messages",
    "not_safe_messages",
    "safe_messages",
    "services_for",
]

AUDIENCES = ("child", "adult", "guardian", "unknown")
CATEGORIES = ("acute_danger", "suicide", "self_harm", "sexual_abuse", "honour_violence",
              "abuse", "neglect", "violence", "friend_in_danger")
SAFE_QUESTION = "Är du på en trygg plats just nu?"
# Buttons for SAFE_QUESTION, the same in every channel.
SAFE_BUTTONS = (
    {"title": "Ja, jag är trygg", "payload": "/affirm"},
    {"title": "Nej", "payload": "/deny"},
    {"title": "Vet inte", "payload": "/dont_know"},
)

# Which helplines (keys in helplines.yml), in the order shown. None is "Hjälp nu"
# pressed without a crisis message: the general set of DESIGN principle 3.
_SERVICES: dict[str | None, dict[str, tuple[str, ...]]] = {
    None: {
        "child": ("emergency", "bris", "suicide_line", "healthcare"),
        "adult": ("emergency", "suicide_line", "jourhavande_medmanniska", "healthcare"),
        "guardian": ("emergency", "bris_adult", "suicide_line", "jourhavande_medmanniska", "healthcare"),
    },
    "acute_danger": {
        "child": ("emergency", "healthcare", "bris"),
        "adult": ("emergency", "healthcare", "suicide_line"),
        "guardian": ("emergency", "healthcare", "bris_adult"),
    },
    "suicide": {
        "child": ("emergency", "suicide_line", "bris", "healthcare"),
        "adult": ("emergency", "suicide_line", "jourhavande_medmanniska", "healthcare"),
        "guardian": ("emergency", "suicide_line", "bris_adult", "jourhavande_medmanniska", "healthcare"),
    },
    "self_harm": {
        "child": ("emergency", "healthcare", "bris", "suicide_line"),
        "adult": ("emergency", "healthcare", "suicide_line", "jourhavande_medmanniska"),
        "guardian": ("emergency", "healthcare", "bris_adult", "suicide_line"),
    },
    "sexual_abuse": {
        "child": ("bris", "emergency", "police_tip"),
        "adult": ("emergency", "kvinnofridslinjen", "brottsofferjouren", "police"),
        "guardian": ("emergency", "bris_adult", "police_tip", "kvinnofridslinjen"),
    },
    "honour_violence": {
        "child": ("emergency", "bris", "origo", "police"),
        "adult": ("emergency", "kvinnofridslinjen", "origo", "police"),
        "guardian": ("emergency", "bris_adult", "kvinnofridslinjen", "police"),
    },
    "abuse": {
        "child": ("emergency", "bris"),
        "adult": ("emergency", "kvinnofridslinjen", "brottsofferjouren", "police"),
        "guardian": ("emergency", "bris_adult", "kvinnofridslinjen", "brottsofferjouren"),
    },
    "neglect": {
        "child": ("emergency", "bris"),
        "adult": ("emergency", "jourhavande_medmanniska"),
        "guardian": ("emergency", "bris_adult", "jourhavande_medmanniska"),
    },
    "violence": {
        "child": ("emergency", "bris", "police"),
        "adult": ("emergency", "brottsofferjouren", "police", "jourhavande_medmanniska"),
        "guardian": ("emergency", "bris_adult", "brottsofferjouren", "police"),
    },
    "friend_in_danger": {
        "child": ("emergency", "bris"),
        "adult": ("emergency", "suicide_line", "jourhavande_medmanniska"),
        "guardian": ("emergency", "bris_adult", "suicide_line"),
    },
}

# The first thing the reader sees: warm, and about what they wrote.
_OPENING: dict[str | None, str] = {
    None: "Här är hjälp du kan få nu. Du ska inte vara ensam med det här.",
    "acute_danger": "Det här låter akut. Ring {emergency} nu.",
    "suicide": "Tack för att du berättar. Det låter väldigt tungt. Du ska inte vara ensam med det här.",
    "self_harm": "Tack för att du berättar. Du förtjänar hjälp. Du ska inte vara ensam med det här.",
    "sexual_abuse": "Tack för att du berättar. Det som har hänt är aldrig ditt fel. Du har rätt att få hjälp.",
    "honour_violence": "Tack för att du berättar. Du har rätt att bestämma över ditt eget liv. Ingen får tvinga dig att gifta dig.",
    "abuse": "Tack för att du berättar. Ingen får slå dig eller hota dig, inte heller en förälder. Det är inte ditt fel.",
    "neglect": "Tack för att du berättar. Du har rätt till mat, ett hem och vuxna som tar hand om dig.",
    "violence": "Tack för att du berättar. Ingen har rätt att göra dig illa eller hota dig.",
    "friend_in_danger": "Vad bra att du bryr dig om din kompis. Du behöver inte klara det här ensam.",
}
_OPENING_GUARDIAN = "Tack för att du berättar. Du ska inte behöva bära det här ensam."

# What the reader can do next, beyond calling. The school and social services lines
# say what is allowed and what happens then, because children fear that telling makes
# things worse.
# (The adults' duty to tell social services is said in every reply, by DUTY, not here.)
_TELL_SCHOOL = (
    "Du får berätta för en vuxen på skolan, till exempel kuratorn, skolsköterskan eller en lärare. "
    "Du får också själv kontakta socialtjänsten i din kommun. "
    "Socialtjänsten pratar då med dig och tar reda på hur du har det. "
    "De ska lyssna på vad du tycker, och tillsammans letar ni efter ett sätt så att du blir trygg."
)
_ADVICE: dict[str | None, dict[str, str]] = {
    None: {},
    "acute_danger": {
        "child": "Gå till en plats där det finns andra människor, om du kan.",
        "adult": "Gå till en plats där det finns andra människor, om du kan.",
    },
    "suicide": {
        "child": "Om du orkar: berätta för en vuxen du litar på hur du mår. Du behöver inte ha orden klara.",
        "adult": "Om du orkar: berätta för någon du litar på hur du mår. Du behöver inte ha orden klara.",
        "guardian": "Oroar du dig för att ett barn vill ta sitt liv? Fråga rakt ut och lyssna. Det ökar inte risken.",
    },
    "self_harm": {
        "child": "Blöder det mycket, eller har du tagit något? Ring {emergency} nu. "
                 "Du får berätta för skolsköterskan eller kuratorn. De vill hjälpa dig.",
        "adult": "Blöder det mycket, eller har du tagit något? Ring {emergency} nu.",
    },
    "sexual_abuse": {
        "child": "Du får berätta för en vuxen du litar på. "
                 "Hotar någon att sprida bilder på dig? Betala inte och skicka inget mer. "
                 "Spara meddelandena och blockera personen. Du har inte gjort något fel.",
        "adult": "Hotar någon att sprida bilder på dig? Betala inte och skicka inget mer. "
                 "Spara meddelandena och blockera personen.",
        "guardian": "Du kan också kontakta socialtjänsten i din kommun. De har jour dygnet runt.",
    },
    "honour_violence": {
        "child": "Är du rädd att bli bortgift eller lämnad i ett annat land? Berätta för någon före resan. "
                 "Du får berätta för en vuxen på skolan, eller själv kontakta socialtjänsten i din kommun. "
                 "Socialtjänsten ska hjälpa dig att vara trygg. De kan också stoppa en resa.",
        "adult": "Du kan också kontakta socialtjänsten i din kommun. De har jour dygnet runt.",
        "guardian": "Du kan också kontakta socialtjänsten i din kommun. De har jour dygnet runt.",
    },
    "abuse": {
        "child": _TELL_SCHOOL,
        "adult": "Du kan också kontakta socialtjänsten i din kommun. De har jour dygnet runt.",
        "guardian": "Oroar du dig för ett barn? Du kan alltid kontakta socialtjänsten i din kommun.",
    },
    "neglect": {
        "child": _TELL_SCHOOL,
        "adult": "Socialtjänsten i din kommun kan hjälpa dig med mat och tak över huvudet. De har jour dygnet runt.",
        "guardian": "Oroar du dig för ett barn? Du kan alltid kontakta socialtjänsten i din kommun.",
    },
    "violence": {
        "child": "Berätta för en vuxen du litar på, hemma eller i skolan. "
                 "Skolan måste göra något när en elev blir illa behandlad.",
    },
    "friend_in_danger": {
        "child": "Är din kompis i fara just nu? Ring {emergency}. "
                 "Berätta för en vuxen du litar på, även om kompisen bett dig att inte säga något. "
                 "Du kan ringa BRIS och få råd om hur du kan hjälpa. "
                 "Lyssna på din kompis. Du behöver inte lösa allt själv.",
        "adult": "Är personen i fara just nu? Ring {emergency}. Stanna hos hen om du kan.",
        "guardian": "Är barnet i fara just nu? Ring {emergency}.",
    },
}

_PROGRAM = "Jag är ett program. Jag kan inte ringa någon. Ingen människa läser det här just nu."
# Issue 15 point 2: whoever the reader tells next may have to pass it on, and a child who
# learns that afterwards stops telling. Said once in every reply, after the numbers,
# beside _PROGRAM.
DUTY = ("Vuxna som jobbar med barn har tystnadsplikt. De får inte berätta för andra. "
         "Men tror de att ett barn far illa, måste de säga till socialtjänsten.")


@dataclass(frozen=True)
class Signal:
    """Who gets a content-free signal when escalation is on (bot.config `escalation`)."""

    coordinator: bool = True
    on_duty: str | None = None  # bot.config `on_duty_contact`, named to the reader as given


@lru_cache(maxsize=1)
def _helplines() -> Helplines:
    return load_helplines()


def _fill(text: str, helplines: Helplines) -> str:
    # Wording may name a service by key ("Ring {emergency} nu."): the number comes
    # from helplines.yml, so it is never written twice.
    return text.format(**{line.key: line.number or line.web for line in helplines.lines})


def _audience(audience: str) -> str:
    return audience if audience in AUDIENCES else "unknown"


def _category(category: str | None) -> str | None:
    return category if category in _SERVICES else None


def services_for(category: str | None, audience: str = "child") -> tuple[str, ...]:
    """The helpline keys shown, in order ("unknown" gets the child's, plus the 18+ line)."""
    audience = _audience(audience)
    plan = _SERVICES[_category(category)]
    return plan["child" if audience == "unknown" else audience]


def _adult_line(category: str | None, helplines: Helplines) -> str:
    # One line, so that an 18-20-year-old of unknown age is not sent to BRIS only.
    keys = [k for k in _SERVICES[_category(category)]["adult"]
            if k not in ("emergency", "healthcare") and helplines[k].number][:2]
    names = [f"{helplines[k].name} {helplines[k].number}" for k in keys]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " eller " + names[-1]
    return f"Är du 18 år eller äldre? BRIS är för dig under 18. Du kan ringa {joined}."


def _signal_text(signal: Signal | None) -> str | None:
    if signal is None or not (signal.coordinator or signal.on_duty):
        return None
    who = []
    if signal.coordinator:
        who.append("din samordnare")
    if signal.on_duty:
        who.append(f"jourkontakten ({signal.on_duty})")
    receivers = " och ".join(who)
    they = "de" if len(who) > 1 else "hen"
    # Honest about timing: the coordinator sees it when they next read their messages
    # (Telegram or `meeting list`), which can be the next working day.
    return (f"Jag skickar en kort signal till {receivers} att höra av sig till dig. "
            "Signalen säger inte vad du skrev. "
            f"Den syns först när {they} läser sina meddelanden, och det kan dröja till nästa arbetsdag. "
            "Ring själv om du behöver hjälp nu.")


def follow_up_messages(audience: str = "child", signal: Signal | None = None) -> list[str]:
    """What the bot says when a channel has already shown the numbers: the signal, if
    any, and the question (so the numbers are not repeated)."""
    text = _signal_text(signal)
    return ([text] if text else []) + [SAFE_QUESTION]


# Who to talk to next, when the reader has answered the question about a safe place.
_TALK_TO = {
    "child": ("bris",),
    "adult": ("suicide_line", "jourhavande_medmanniska"),
    "guardian": ("bris_adult", "jourhavande_medmanniska"),
    "unknown": ("bris", "suicide_line"),
}


def _call(key: str, helplines: Helplines) -> str:
    line = helplines[key]
    return f"{line.name}: {line.number or line.web}. {line.when}"


def not_safe_messages(audience: str = "child") -> list[str]:
    """After "nej" or "vet inte": concrete steps, and the question stays open, because
    one "nej" must never end the safety path."""
    helplines = _helplines()
    audience = _audience(audience)
    someone = ("Finns det en vuxen du litar på i närheten? En lärare, skolsköterskan, en granne "
               "eller någon i familjen. Berätta för hen nu, eller visa hen det här.")
    if audience in ("adult", "guardian"):
        someone = "Finns det någon du litar på i närheten? Berätta för hen nu, eller visa hen det här."
    return [
        f"Ring {helplines['emergency'].number} nu om någon kan skada dig, eller om du kan skada dig själv.",
        "Gå till en plats där det finns andra människor, om du kan.",
        someone,
        "Du kan också ringa och prata med någon:\n"
        + "\n".join(_call(key, helplines) for key in _TALK_TO[audience]),
        SAFE_QUESTION,
    ]


def safe_messages(audience: str = "child") -> list[str]:
    """After "ja": relief, and where help stays available."""
    helplines = _helplines()
    audience = _audience(audience)
    return [
        "Vad bra att du är på en trygg plats just nu.",
        "Om det ändras kan du alltid skriva \"hjälp nu\".\n"
        + "\n".join(_call(key, helplines) for key in _TALK_TO[audience]),
    ]


def crisis_messages(category: str | None, audience: str = "child", *,
                    signal: Signal | None = None) -> list[str]:
    """Short Swedish messages, in order, ending with the question about a safe place.

    `category` is the detector's (None for "Hjälp nu"); an unknown category gets the
    general help. `signal`: who is told (without content) when escalation is on.
    """
    helplines = _helplines()
    audience = _audience(audience)
    category = _category(category)
    base = "child" if audience == "unknown" else audience
    opening = _OPENING_GUARDIAN if audience == "guardian" and category not in (None, "acute_danger") \
        else _OPENING[category]
    messages = [_fill(opening, helplines)]
    messages.append("\n".join(helplines[key].text for key in services_for(category, audience)))
    advice = _ADVICE[category].get(base)
    if advice:
        messages.append(_fill(advice, helplines))
    if audience == "unknown":
        messages.append(_adult_line(category, helplines))
    messages.append(f"{_PROGRAM} {DUTY}")  # in the bubble on who reads what: no extra bubble
    messages.extend(follow_up_messages(audience, signal))
    return messages
