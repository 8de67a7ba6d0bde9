"""Crisis rules about the writer's own intent: suicide and self-harm, said as a plan or a hope.

A small grammar rather than sentences: (future or wish: ska, tänker, kommer
att, snart, hoppas, önskar) x (an act: being run over, a last day, looking up
a method) x (the writer). Folded text (å/ä→a, ö→o); placeholders (<MIG>,
<JAG>, <SIG>, <PILL>, <DO>, <VILL>) come from patterns.FRAGMENTS.
"""

from __future__ import annotations

from .rulespec import ACUTE, SELF_HARM, SUICIDE, RuleSpec

_VEHICLE = r"(?:nagon|nan|ngn|en bil|bilen|en buss|bussen|ett tag|taget|tunnelbanan|en lastbil|lastbilen|nagot|nat)"

INTENT_RULES: tuple[RuleSpec, ...] = (
    RuleSpec("hope_run_over", SUICIDE, (
        # "hoppas en bil kör på mig", "önskar att nån körde över mig".
        r"\b(?:onskar|hoppas|vill|langtar efter) (?:att )?(?:bara )?" + _VEHICLE + r" (?:ska |skulle |kunde |bara |kommer )?"
        r"(?:kor|korde|kora|kor over|korde over|kora over|kor pa|korde pa|kora pa|kor ihjal|korde ihjal) ?(?:<MIG>)?\b",
    ), soft=True),
    RuleSpec("looked_up_method", SUICIDE, (
        # Searching for a method or a place: "googlade hur man tar livet av sig",
        # "har letat upp en hög bro".
        r"\b(?:letat upp|letade upp|hittat|hittade|kollat upp|kollade upp|googlat|googlade|googla|sokt pa|sokte pa|"
        r"sokt efter|sokte efter|laser om|last om|kollar upp) (?:\w+ ){0,2}?(?:en hog bro|hoga broar|en bro att hoppa|"
        r"hoga hus|ett hoghus|hur man (?:tar livet av <SIG>|tar sitt liv|dor|hanger <SIG>|skar <SIG>|begar sjalvmord|"
        r"drunknar|overdoserar|tar en overdos)|smartfria satt att <DO>|"
        r"satt att (?:<DO>|ta livet av <SIG>))",
    )),
    RuleSpec("last_day", SUICIDE, (
        # "det här blir min sista vecka", "idag är min sista dag": not at a job or school.
        r"\b(?:det har|detta|idag|ikvall|inatt|imorgon|det) (?:blir|ar|e|kommer bli) (?:min|mitt) (?:allra )?sista "
        r"(?:dag|vecka|kvall|natt|manad|jul|sommar|ar|helg)\b(?! (?:pa|i|som|innan|med|hos|har pa|av)\b)",
    ), soft=True),
    RuleSpec("not_live_until", SUICIDE, (
        # "kommer inte leva till mötet", "tror inte jag överlever till jul".
        r"\b(?:kommer|tror) (?:inte|int|nog inte) (?:att )?(?:<JAG> )?(?:leva|lever|overleva|overlever|finnas kvar|"
        r"vara kvar|vara vid liv) (?:anda |hela vagen )?(?:till|tills|lange till|sa lange till)\b",
    ), soft=True),
    RuleSpec("will_end_life", SUICIDE, (
        # Future or decided intent, any word order: "snart avslutar jag mitt liv",
        # "ska sluta leva", "har bestämt mig för att sluta andas".
        r"\b(?:ska|tanker|kommer att|kommer|planerar att|funderar pa att|har bestamt <MIG> for att|bestamt att|"
        r"snart|ikvall|imorgon|inatt|<VILL>) (?:<JAG> )?(?:\w+ )?(?:sluta (?:leva|andas|existera|finnas till)|"
        r"avsluta (?:mitt liv|livet|min existens|alltihop|det hela for gott)|avslutar (?:mitt liv|livet))\b",
    )),
    RuleSpec("on_edge_to_jump", ACUTE, (
        # On a balcony, roof or bridge and about to jump.
        r"\b(?:star|sitter|ar|klattrat upp|klattrade upp|gatt upp|gick upp|ligger) (?:pa|vid|uppe pa|ute pa|over) (?:\w+ )?"
        r"(?:balkongen|balkong|taket|tak|bron|kanten|racket|fonstret|fonsterbradan|stupet|klippan|perrongen|sparet|"
        r"sparen|hustaket)\b(?: \w+){0,3}? (?:och )?(?:ska|tanker|vill|kommer|ska bara|tankte|funderar pa att) "
        r"(?:\w+ )?(?:hoppa|kasta <MIG>|slappa taget|lata <MIG> falla|lagga <MIG>)\b",
    )),
    RuleSpec("body_bleeding", SELF_HARM, (
        # "mina armar blöder", "handleden blöder igen": where self-harm shows.
        r"\b(?:mina |min |mitt )?(?:armar|armarna|armen|handleden|handlederna|laren|laret|lar|handlovarna) "
        r"(?:\w+ )?(?:bloder|blodde|blodar|bloda)\b",
    ), accident=True),
    RuleSpec("scars_everywhere", SELF_HARM, (
        r"\b(?:arr|skarsar|sar|rispor) (?:overallt|pa hela (?:kroppen|armen|armarna|benen|laren))\b",
        r"\btvingar <MIG> (?:att )?(?:spy|kraka|kraks|kasta upp)\b",
    ), accident=True),
    RuleSpec("allergic_reaction", ACUTE, (
        r"\b(?:allergisk (?:reaktion|chock)|anafylax\w*|svullnar i (?:halsen|munnen|ansiktet)|halsen svullnar)\b",
    )),
    RuleSpec("gone_soon_v2", SUICIDE, (
        # V2 and future forms of being gone: "snart är jag borta", "ska dö snart".
        r"\b(?:ska|kommer att|kommer) <DO> snart\b",
    ), soft=True, trivial_scope="near"),
    RuleSpec("gone_soon_plain", SUICIDE, (
        # Not excused by a joke nearby: nobody says these as a joke.
        r"\bsnart (?:ar|e|kommer) <JAG> (?:att )?(?:vara )?(?:borta|dod|inte har|inte kvar|ur vagen)\b"
        r"(?! (?:pa|i|over|en|ett|fran|hemifran|hos|med|for)\b)",
        # "ta livt av mig": the typo of "livet"; "livet" itself is take_my_life's.
        r"\bta (?:livt|live|liv) av <MIG>\b",
    )),
)
