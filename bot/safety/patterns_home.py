"""Crisis rules about home: honour-related control and marriage, neglect, violence heard at home.

Written as small grammars, not as sentences: who (the family, a parent, a
brother, "de") x what they do (decide a husband, send abroad, keep watch,
lock in, stay away) x whom (the writer). Each slot lists the inflections and
the spellings children use, folded (å/ä→a, ö→o), so "bröllop" is "brollop".
Placeholders (<MIG>, <JAG>, <HIT>, <GAMES>) are expanded by the detector from
patterns.FRAGMENTS.
"""

from __future__ import annotations

from .rulespec import ABUSE, HONOUR, NEGLECT, RuleSpec

# Parents and the adults a child lives with.
_PARENT = (
    r"(?:mamma|mamman|morsan|morsa|pappa|pappan|farsan|farsa|foraldrar\w*|mina foraldrar|styv\w+|bonus\w+|"
    r"fosterfor\w*|mammas \w+|pappas \w+)"
)
# Relatives who keep watch in an honour context: brothers and cousins more
# than parents (a parent checking homework is ordinary).
_WATCHERS = r"(?:bror|brorsan|brorsa|broder|broderna|brorsorna|kusin\w*|slakt\w*|farbror\w*|morbror\w*|hela familjen)"
# Marriage words, as the one married.
_MARRY = (
    r"(?:gifta <MIG>|giftas|gifter <MIG>|bli gift|bli bortgift|forlova <MIG>|forlovas|bli forlovad|"
    r"forlovar <MIG>)"
)
# Places a child is sent to or left in, against their will.
_ABROAD = (
    r"(?:hemlandet|hemlandet igen|utomlands|landet|ett annat land|pappas land|mammas land|"
    r"(?:en )?koranskola\w*|(?:en )?internatskola utomlands|slakten (?:i|utomlands|dar)|"
    r"irak|iran|syrien|somalia|afghanistan|turkiet|libanon|pakistan|marocko|eritrea|etiopien|kosovo|"
    r"bosnien|bangladesh|indien|jemen|tjetjenien|gambia|nigeria)"
)

HOME_RULES: tuple[RuleSpec, ...] = (
    # ------------------------------------------------------------ honour
    RuleSpec("marriage_arranged", HONOUR, (
        # Someone else decides the writer's spouse or plans their wedding.
        r"\b(?:bestamt|bestammer|bestamde|valt|valjer|valde|hittat|hittade|ordnat|ordnar|fixat|planerar|"
        r"planerat|planerade|pratar om|pratade om|bokat|lovat bort <MIG> till) (?:redan )?(?:\w+ )?"
        r"(?:mitt brollop|min (?:blivande |framtida |nya )?(?:man|make|fru|brudgum)|en (?:man|make|fru) (?:at|till|for) <MIG>|"
        r"vem <JAG> ska (?:gifta <MIG>|giftas|vara) med)\b",
        # Married or engaged without a say.
        r"\b(?:forlovad|bortgift|bortlovad|lovad bort|gift|bli gift|giftas|forlovas|gifta <MIG>)\b(?: \w+){0,3}? "
        r"(?:utan att (?:fa |ens )?(?:valja|bli tillfragad|fragas|fa fraga|vilja)|mot min vilja|utan min vilja|"
        r"fast <JAG> (?:inte vill|inte ville|sa nej|sagt nej|ar for ung))\b",
        # "vill inte gifta mig men de tvingar mig"
        r"\b(?:vill|ville) (?:inte|int|aldrig) " + _MARRY + r"\b(?: \w+){0,6}? (?:men|fast|och) (?:\w+ ){0,3}?"
        r"(?:tvingar|tvingade|tvinga|bestamt|bestammer|lovat|har lovat|maste|ska)\b",
        # A wedding of a minor being talked about: "mitt bröllop ... fast jag bara är 14".
        r"\bmitt brollop\b(?: \w+){0,8}? (?:fast|trots att|men) <JAG> (?:bara |ju )?(?:ar|e) (?:<MINOR_AGE>)\b",
    )),
    RuleSpec("sent_abroad", HONOUR, (
        # Sent to or left in another country: "ska skickas till hemlandet",
        # "jag ska lämnas kvar i hemlandet", "hotat att skicka mig utomlands".
        r"\b(?:(?:skicka|skickar|skickade|skickat|lamna|lamnar|lamnade|lamnat|tvinga|tvingar|flytta|flyttar|gomma) <MIG>|"
        r"skickas|skickad|lamnas|lamnad|tvingas|flyttas|gommas) (?:bort )?(?:kvar )?(?:hem )?(?:till |i |pa )?"
        r"(?:\w+ )?" + _ABROAD + r"\b(?! (?:pa semester|pa sommarlovet|pa lovet|for att halsa pa|en vecka|tva veckor)\b)",
        r"\b(?:bortskickad\w*|skickas bort|skicka bort <MIG>|skickar bort <MIG>)\b",
    )),
    RuleSpec("honour_watched_by_relatives", HONOUR, (
        # Brothers and cousins keeping watch: "mina kusiner håller koll på vad jag gör".
        r"\b" + _WATCHERS + r" (?:\w+ ){0,2}?(?:haller koll pa|haller ett oga pa|vaktar|overvakar|bevakar|spionerar pa|"
        r"skuggar|rapporterar|kontrollerar|kollar vem|kollar vad|kollar var) (?:<MIG>|vad <JAG>|var <JAG>|"
        r"vem <JAG>|allt <JAG>|allt|min \w+|mina \w+)\b",
    )),
    RuleSpec("honour_only_school", HONOUR, (
        # Kept in: "får inte gå ut alls utom till skolan".
        r"\b(?:far|fick|tillats) (?:<JAG> )?(?:inte|int|aldrig) (?:ga|gaa|vara|komma|lamna huset|lamna hemmet)(?: ut)? "
        r"(?:alls|nagonsin|nagonstans)?\b ?(?:utom|forutom|annat an|mer an|bara) (?:till |i )?(?:skolan|mosken|kyrkan)\b",
        # "får inte leva som en svensk tjej"
        r"\b(?:far|fick) (?:<JAG> )?(?:inte|int|aldrig) (?:leva|vara|bli|kla <MIG>) (?:som|lika) (?:en )?"
        r"(?:svensk\w*|de andra tjejerna|andra tjejer|mina kompisar)\b",
    )),
    RuleSpec("if_family_finds_out", HONOUR, (
        # "om familjen får veta ... vet jag inte vad som händer": about a
        # relationship or sexuality (the honour context), not a bad grade.
        r"\bom (?:\w+ ){0,2}?(?:far|fick) (?:veta|reda pa|nys om|hora)\b(?: \w+){0,10}? "
        r"(?:vet <JAG> inte vad (?:som )?(?:hander|kommer handa|de gor|dom gor|han gor)|blir det farligt|"
        r"ar <JAG> (?:dod|illa ute|kord)|(?:dodar|doda|slar|straffar|skickar bort|gifter bort) (?:de|dom|han|hon|pappa|\w+ )?<MIG>|"
        r"blir <JAG> (?:straffad|slagen|bortskickad|bortgift|dodad))",
    ), requires="honour_context"),
    RuleSpec("shame_on_family", HONOUR, (
        # "förstört familjens heder", "jag är en skam för familjen".
        r"\b(?:forstort|forstor|forstorde|smutsat ner|smutsar ner|vanhedrat|vanhedrar|svartnat) (?:\w+ )?"
        r"(?:familjens|slaktens|var|vart|pappas|mammas) (?:heder|ara|rykte|namn)\b",
        r"\b(?:ar|e|blivit) (?:en )?(?:skam|vanara|vanheder) (?:for|over) (?:familjen|slakten|oss|hela familjen|pappa|mamma)\b",
        r"\bskamm(?:er|a|de|t) ut (?:oss|familjen|slakten|hela familjen|pappa|mamma)\b(?: \w+){0,8}? "
        r"(?:ska|kommer|hotar|straff\w*|doda|sla|skicka|gifta|far det jag fortjanar|far <JAG> det)",
        r"\b(?:ska|kommer att|kommer) (?:<JAG> )?fa det <JAG> fortjanar\b",
    ), requires="honour_context"),
    # ------------------------------------------------------------ neglect
    RuleSpec("nothing_to_eat", NEGLECT, (
        # "vi har inget att äta hemma", "det finns inget att äta".
        r"\b(?:inget|ingenting|inte (?:nagot|nat|nanting)|knappt (?:nagot|nat|nanting)) (?:kvar )?att ata\b"
        r"(?! (?:som <JAG> gillar|i (?:matladan|skolan|matsalen)|pa (?:bion|bussen|resan|skolan|lagret))\b)",
        r"\binte fatt (?:nagon |nan |ngn )?(?:mat|middag|frukost|lunch|kvallsmat)\b(?: (?:idag|igar|pa hela dagen|sen igar|"
        r"sen i (?:morse|forrgar|\w+dags)|pa (?:\w+ )?(?:dagar|dygn|veckan|vecka)))",
        r"\binte (?:atit|att|ett) (?:nagon |nan |riktig |ordentlig )?(?:mat|middag|frukost|kvallsmat|nagot|nat|nanting) "
        r"(?:pa|sen|sedan|i) (?:hela |flera |manga |\w+ )?(?:veckan|vecka|veckor|dagar|dygn|forrgar|helgen)\b",
        r"\b(?:bara|enbart|endast) (?:atit|ater|fatt|far) (?:\w+ )?(?:skollunch\w*|skolmat\w*|lunchen i skolan|maten i skolan|"
        r"mat i skolan|skolfrukost\w*)",
        r"\bdet enda (?:<JAG> |vi )?(?:ater|fatt|far|atit|ar) (?:ar|e) (?:\w+ )?(?:skollunch\w*|skolmat\w*|i skolan)",
        r"\bpengarna (?:ar|e|har tagit|tog) slut\b(?: \w+){0,6}? (?:mat|ata|hungrig\w*|middag)\b",
        r"\binga pengar (?:till|for) mat\b",
    ), soft=True, victim=True),
    RuleSpec("carer_gone", NEGLECT, (
        # A parent who left or did not come back: "mamma åkte iväg och har inte
        # kommit tillbaka", "vet inte var pappa är, han har inte kommit hem".
        r"\b" + _PARENT + r" (?:\w+ ){0,2}?(?:akte|gick|stack|drog|forsvann|lamnade oss|lamnade <MIG>) "
        r"(?:ivag |hemifran |bort |harifran )?(?:\w+ ){0,3}?(?:och )?(?:har |hade )?(?:inte|aldrig) (?:kommit|varit) "
        r"(?:hem|tillbaka)\b",
        r"\bvet (?:inte|int) var (?:min )?" + _PARENT + r" (?:ar|e|finns|tog vagen|har tagit vagen)\b(?: \w+){0,8}? "
        r"(?:inte kommit (?:hem|tillbaka)|inte varit hemma|svarar inte|ensam|borta)",
        r"\b(?:inte kommit (?:hem|tillbaka)|inte varit hemma|svarar inte|ensam hemma)\b(?: \w+){0,6}? vet (?:inte|int) "
        r"var (?:min )?" + _PARENT + r" (?:ar|e|finns)\b",
        # Living alone because the adult left.
        r"\b(?:bor|bodde) (?:helt )?(?:sjalv|ensam|sjalva|ensamma)\b(?: \w+){0,3}? (?:for|eftersom|sen|sedan) (?:min )?"
        + _PARENT + r" (?:\w+ )?(?:flyttade|stack|drog|lamnade|akte|forsvann|sitter|ar pa behandling)",
    ), victim=True),
    RuleSpec("nobody_cares_for_me", NEGLECT, (
        r"\b(?:har )?ingen (?:vuxen )?(?:som )?(?:tar hand om|ser efter|bryr <SIG> om|tittar till|kollar till) "
        r"(?:<MIG>|oss|mina syskon)\b(?! (?:nar|om|pa|i) (?:rasten|rasterna|skolan|traningen|lektionen)\b)",
        r"\bingen (?:vuxen )?(?:hamtar|tar|foljer|kor) <MIG> (?:fran|till) (?:fritids|forskolan|skolan|tandlakaren|lakaren|"
        r"doktorn|vardcentralen|sjukhuset|akuten|bvc)\b",
        r"\b(?:ar|var|blir) sjuk (?:\w+ ){0,3}?men ingen (?:bryr <SIG>|tar hand om <MIG>|hjalper <MIG>|ger <MIG>|tar <MIG>)",
    ), victim=True),
    RuleSpec("carer_drunk", NEGLECT, (
        r"\b" + _PARENT + r" (?:\w+ )?(?:ar|blir|var|e) (?:\w+ )?(?:berusad|berusade|onykter|full hela tiden|"
        r"full varje (?:dag|kvall|helg)|packad varje (?:dag|kvall|helg))\b",
        r"\b" + _PARENT + r" (?:ligger|sitter|sover) (?:\w+ )?(?:full|packad|drogad|hog|dyngrak|nerdrogad)\b",
    ), acute_if_tonight=True, victim=True),
    RuleSpec("kept_in_room", NEGLECT, (
        # "får inte gå ut ur rummet", unless it ends at a condition ("förrän jag städat").
        r"\b(?:far|fick) (?:<JAG> |vi )?(?:inte|int|aldrig) (?:ens )?(?:komma|ga|gaa) ut (?:ur|fran) (?:mitt )?"
        r"(?:rum|rummet|kallaren|garderoben|forradet)\b(?! (?:forran|innan|nar|utan att|om|pa lektionen|under lektionen|"
        r"efter|klockan|kl|for att spela)\b)",
        r"\b(?:fick|far|fatt|maste|tvingades|tvingas|tvingade <MIG> att) (?:sta|sova|vara|sitta|ligga) ute "
        r"(?:hela natten|hela kvallen|i kylan|pa natten|over natten|i flera timmar|i timmar)\b"
        r"(?! (?:med|i talt|pa lagret|pa lager)\b)",
        r"\b(?:ingen|inte|ingen fungerande) (?:varme|el|strom|vatten|varmvatten) (?:hemma|i lagenheten|i huset|"
        r"pa flera dagar|sen)\b",
    ), victim=True),
    RuleSpec("door_locked_on_me", NEGLECT, (
        # "de låser dörren till mitt rum": not the writer's own door-locking.
        r"\b(?:lasa|laser|laste|last|lasade|stanger|stangde) (?:\w+ )?dorren (?:till|in till|pa|om) (?:mitt rum|rummet|"
        r"kallaren|garderoben)\b",
    ), subject={"self": ""}, victim=True),
    # ------------------------------------------------------------ violence heard at home
    RuleSpec("hears_violence", ABUSE, (
        # A man hitting a woman at home, told by the child who hears it:
        # "jag hör hur han slår henne", "mammas kille slår henne och jag hör allt".
        r"\b(?:hor|horde|ser|sag|hort|sett) (?:hur |nar |att )?(?:han|pappa|styv\w+|bonus\w+|mammas \w+|hon|de|dom) "
        r"(?:\w+ )?<HIT> (?:henne|honom|mamma|pappa|varandra|min \w+|mina syskon)\b(?! (?:i|pa) <GAMES>\b)",
        r"\b(?:mammas|pappas|hennes) (?:nya )?(?:kille|man|sambo|pojkvan|tjej|flickvan|fru) (?:\w+ )?<HIT> "
        r"(?:henne|honom|mamma|pappa)\b(?! (?:i|pa) <GAMES>\b)",
        r"\b(?:har|har fatt) en (?:kille|pojkvan|man|sambo) som (?:\w+ )?<HIT> (?:henne|honom|<MIG>)\b"
        r"(?! (?:i|pa) <GAMES>\b)",
    ), victim=True),
    RuleSpec("honour_rather_dead", HONOUR, (
        # "de hellre vill att jag är död än gay", "hellre ser mig död".
        r"\bhellre (?:\w+ ){0,4}?(?:<JAG> (?:ar|var|vore|e) dod|ser <MIG> dod|<MIG> dod|<JAG> dor)\b",
        r"\b(?:<JAG> )?(?:inte|int) far (?:leva|vara|kla <MIG>) (?:som|lika) (?:en )?(?:svensk\w*|de andra)\b",
    )),
    RuleSpec("no_adult_home", NEGLECT, (
        r"\bingen vuxen (?:har varit |ar |har kommit )?hem(?:ma)? (?:pa|i|sen|sedan) (?:\w+ )?(?:dagar|dygn|veckor|vecka|natter)\b",
    ), victim=True),
)

