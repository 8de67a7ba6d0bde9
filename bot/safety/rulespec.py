"""The shape of a crisis rule and the categories rules can produce.

Kept apart from the pattern modules so that each family of rules
(patterns.py, patterns_home.py, patterns_intent.py,
patterns_exploitation.py) can import it without importing the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SUICIDE = "suicide"
SELF_HARM = "self_harm"
SEXUAL_ABUSE = "sexual_abuse"
HONOUR = "honour_violence"
ABUSE = "abuse"
NEGLECT = "neglect"
VIOLENCE = "violence"
ACUTE = "acute_danger"
FRIEND = "friend_in_danger"

# Most urgent first; when several categories match, the first one wins. Agreed
# with the help texts (bot/safety/help.py): each category picks its own help.
# friend_in_danger is last so that a message about the writer AND a friend gets
# the writer's category.
PRIORITY = (ACUTE, SUICIDE, SELF_HARM, SEXUAL_ABUSE, HONOUR, ABUSE, NEGLECT, VIOLENCE, FRIEND)

# A crisis rule: any of its patterns matching (after the guards) means crisis.
@dataclass(frozen=True)
class RuleSpec:
    name: str
    category: str
    patterns: tuple[str, ...]
    # Hyperbole-prone wording ("mamma kommer döda mig", "vill döda min bror"):
    # ignored when the message is visibly joking (haha, lol, 😂) or the threat
    # is about something trivial (a phone, homework) - unless the child also
    # says they are serious ("på riktigt").
    soft: bool = False
    # Cutting/injury wording also used for accidents ("skar mig på ett papper").
    accident: bool = False
    # Evaluated on the unguarded text: sexual abuse wording is never explained
    # away as a joke or an everyday phrase.
    unguarded: bool = False
    # Category depends on who does it (see SUBJECT_PATTERNS): {"adult": ...,
    # "peer": ..., "self": ..., "pron": ..., "group": ...}; a missing key falls
    # back to `category`, and "" means "this doer makes it harmless" (a parent
    # waiting outside school).
    subject: dict[str, str] = field(default_factory=dict)
    # Upgrade to acute_danger when it is happening now ("slår mig nu").
    now: bool = False
    # Name of a message-wide condition that must also hold (see detector).
    requires: str | None = None
    # acute_danger when the message says it is happening now or tonight
    # ("ensam hemma med styvpappa ikväll och jag är rädd").
    acute_if_tonight: bool = False
    # For soft rules, where a trivial reason may be: "phrase" (its own clause,
    # also split at och/men: "en till prov och jag vill slå ihjäl honom" is not
    # about the test), "clause" (the clause between punctuation marks: "vi
    # lekte kurragömma och jag gömde mig") or "near" (within 80 characters,
    # across clauses: the idiom "tappade mobilen i toan, mamma kommer döda mig").
    trivial_scope: str = "phrase"
    # Which everyday reasons excuse a soft phrase: TRIVIAL_PATTERN, or only
    # play (PLAY_PATTERN) for hiding: a test tomorrow does not explain "jag
    # gömmer mig i garderoben".
    excuse: str = "trivial"
    # The one in danger is whoever comes right before the phrase ("min kompis
    # vill dö", "hon blev våldtagen"): a third person there, and no "jag"/"mig"
    # in the phrase, makes it friend_in_danger (see detector._about_someone_else).
    victim: bool = False


ADULT_PEER = {"adult": ABUSE, "peer": VIOLENCE, "group": VIOLENCE}
