"""Crisis patterns for the detector, written against the folded text.

Every pattern here sees the output of `normalise.variants`: lowercase, å/ä→a,
ö→o, punctuation turned into single spaces, stretched letters shortened. So
"dö" is written "do", "självmord" is "sjalvmord", "slår" is "slar".

Placeholders in angle brackets (<MIG>, <DO>, ...) are expanded from FRAGMENTS
before compiling, so one spelling list (mig/mej, vill/vil/ville ...) is kept in
one place instead of being copied into fifty regexes.

The detector is tuned for recall: a missed child in danger is far worse than a
helpline shown to someone who was exaggerating. Precision is protected by the
guards (GUARD_PATTERNS, the "soft" flag and the accident check), never by
making a crisis pattern narrower than the way children actually write.
"""

from __future__ import annotations

from .patterns_exploitation import EXPLOITATION_RULES
from .patterns_home import HOME_RULES
from .patterns_intent import INTENT_RULES
from .rulespec import (
    ABUSE,
    ACUTE,
    ADULT_PEER,
    FRIEND,
    HONOUR,
    NEGLECT,
    PRIORITY,
    SELF_HARM,
    SEXUAL_ABUSE,
    SUICIDE,
    VIOLENCE,
    RuleSpec,
)

__all__ = [
    "ABUSE", "ACUTE", "ADULT_PEER", "FRIEND", "HONOUR", "NEGLECT", "PRIORITY", "SELF_HARM",
    "SEXUAL_ABUSE", "SUICIDE", "VIOLENCE", "RuleSpec",
]

FRAGMENTS: dict[str, str] = {
    "MIG": r"(?:mig|mej|mj)",
    "SIG": r"(?:sig|sej)",
    "SJALV": r"(?:sjalv|sjalva|sjav|sjelv|sjalf|salv|sjal)",
    "JAG": r"(?:jag|jg|ja|jaa)",
    # "dö", "döö", "döh"; \b so that "dom", "dog", "doktor" never count.
    "DO": r"(?:do+h?)\b",
    "VILL": r"(?:vill|vil|vll|ville|vilja|vel)",
    # Fillers teens put between "vill" and the verb. Deliberately no negation
    # ("inte", "aldrig"): "vill inte dö" must not read as "vill dö".
    "ADV": r"(?:(?:bara|ba|bah|typ|helst|verkligen|nog|ju|assa|alltsa|liksom|sa|ocksa|oxa|"
    r"nastan|egentligen|faktiskt|just|nu|ibland|fortfarande|ofta|mest|lite|kanske|garna|"
    r"hellre|seriost|bokstavligen|helt|arligt|sjukt|jatte|snart|mer|bra|forst|ocksa|sjalv) )",
    "LEVA": r"(?:leva|lva|lev|leeva|lefva)",
    # Ages under 18, as digits or words: marriage or engagement of a minor.
    "MINOR_AGE": r"(?:1[0-7]|[89]|tio|elva|tolv|tretton|fjorton|femton|sexton|sjutton)",
    # Sexual pictures, as children name them.
    "NUDES": r"(?:naken\w*|nakna \w+|nudes?|sexiga bilder|sexbild\w*|dick ?pic\w*|bilder (?:pa <MIG> )?(?:utan klader|i underklader|naken|i bh|i trosor|i kalsonger|i bikini))",
    # Someone else as the object: "tafsar på henne", "våldtog min kompis".
    "OTHER_OBJ": r"(?:henne|honom|hen|dem|dom|hennes|hans|her|him|my friend|(?:min|mina) (?:kompis\w*|van|vannen|"
    r"vanner|bastis|syster|lillasyster|storasyster|bror|lillebror|storebror|kusin|syskon))",
    # Existing, but not "finnas med" (be included) or "finnas på listan".
    "FINNAS": r"(?:finnas|finns|existera|existerar)(?: kvar| till)?\b(?! med\b| pa (?!jorden\b)| i (?:gruppen|chatten|klassen|laget|bilden|filmen|videon|listan|appen|systemet)\b)",
    "PILL": r"(?:\w*piller\w*|pillr\w*|\w*tablett\w*|tabbar|tabbs|medicin\w*|medcin\w*|somntablett\w*|"
    r"alvedon\w*|panodil\w*|ipren\w*|ibuprofen|paracetamol\w*|treo\w*|sobril\w*|atarax|"
    r"melatonin\w*|propavan\w*|imovane|zopiklon\w*|sertralin\w*|citalopram\w*|oxycodon\w*|"
    r"tramadol\w*|lergigan\w*|stesolid\w*|pills|meds|tablets|medicine|medication)",
    "MANY": r"(?:alla|alla mina|allihop|massa|en massa|massor (?:av|med)|manga|jattemanga|flera|"
    r"en hel (?:burk|ask|karta|kartong|forpackning|flaska|rad|hog)|hela (?:burken|asken|kartan|"
    r"kartongen|forpackningen|flaskan|lagret|medicinskapet)|ett gang|en dros|"
    r"(?:alldeles )?for manga|sa manga|too many|(?:typ |ca |kanske |over |nastan |runt |like )?(?:[5-9]|\d\d+|tio|elva|tolv|femton|tjugo\w*|"
    r"trettio\w*|fyrtio\w*|femtio\w*|hundra\w*|ett hundra))",
    "TAKE_PAST": r"(?:tagit|tog|tagi|svalt|svalde|svalj|atit|at|knaprat|knaprade|"
    r"(?:slangt|slangde|tryckt|tryckte|tokat) i <MIG>)",
    "TAKE": r"(?:ta|tar|svalja|svaljer|ata|ater|knapra|knaprar|trycka i <MIG>|trycker i <MIG>)",
    # People a child might want to hurt. An explicit list so "döda matteläxan"
    # or "döda tråkigheten" never look like a plan to hurt someone.
    "PERSON": r"(?:honom|henne|hen|dem|dom|han|hon|nagon|nan|ngn|nagra|alla|folk|personer|"
    r"manniskor|(?:min|mina|mitt|hela) (?:pappa|mamma|bror|brorsa|brorsan|syster|syrra|syrran|"
    r"lillebror|lillasyster|storebror|storasyster|larare|lararen|mentor|kompis|kompisar|"
    r"klasskompis\w*|van|vanner|ex|pojkvan|flickvan|styv\w+|bonus\w+|tranare|granne|kusin|"
    r"klass|klassen|familj|familjen|skola|skolan|syskon)|lararen|lararna|killen|killarna|"
    r"tjejen|tjejerna|mobbarna|mobbaren|pappa|mamma|brorsan|syrran|him|her|them|someone|"
    r"everyone|people|andra|elever|eleverna|de i klassen|dom i klassen)",
    # A short gap inside a guard phrase: only small filler words and scores.
    # Anything wider could reach into a neighbouring crisis phrase ("pappa slår
    # mig, bästa vapnet i minecraft ..." must not mask "slår mig").
    "GAP": r"(?: (?:alltid|jamt|ofta|igen|ibland|totalt|helt|latt|enkelt|stort|hela tiden|varje gang|sa|typ|assa|"
    r"alltsa|nastan|verkligen|direkt|forst|snabbt|med \d+(?: \d+)?|\d+(?: \d+)?|igar|idag|ar|e|var|bara|sjukt|mega|"
    r"jatte|lite|mest|man|(?:pa|i) (?:benet|armen|foten|knat|knaet|huvudet|handen|ryggen|magen|smalbenet|ansiktet))){0,3}?",
    # Adults around a child: who makes hitting "abuse" rather than "violence".
    # (Not "min mammas ..." or "min mor": a match can start at "mammas", and a
    # pattern starting with "min" would run on almost every message.)
    "ADULT": r"(?:(?:mammas|pappas) (?:nya )?\w+|mamma|mamman|morsan|morsa|pappa|pappan|farsan|farsa|"
    r"foraldrar\w*|foralder|styv\w+|bonus\w+|foster\w+|larar\w*|lararen|mentor\w*|rektor\w*|"
    r"tranar\w*|ledar\w*|personal\w*|farbror|morbror|moster|faster|mormor|morfar|farmor|farfar|vuxen|vuxna|"
    r"en man|mannen|gubbe\w*|killen i familjehemmet|familjehem\w*|uncle|dad|mom|mum|stepdad|stepmom|teacher|coach)",
    "HIT": r"(?:slar|slog|slagit|sla|slaa|slogs|sparkar|sparkade|sparkat|sparka|nyper|nop|"
    r"nypt|knuffar|knuffade|knuffat|stryper|strypte|strop|strypt|strypa|orfilar|orfilade|orfilat|"
    r"orfila|misshandlar|misshandlade|misshandlat|misshandla|bankar|bankade|bankat|spoar|"
    r"spoade|spoat|pucklar|pucklade|puckla|klappar till|klappade till|lappar till|"
    r"lappade till|drammer till|drammde till|smaller till|small till|hugger|hogg|haller fast|holl fast|"
    r"tar hart i|tog hart i|tar tag i|tog tag i|puttar|puttade|puttat|putta|knuffa|luggar|luggade|luggat|lugga)",
    "GAMES": r"(?:fifa|schack|chess|alfapet|scrabble|memory|luffarschack|fia|ludo|plump|poker|sanka skepp|twister|kubb|"
    r"bowling|minigolf|biljard|dart|bradspel|kortspel|wordfeud|sudoku|trivial pursuit|othello|backgammon|bingo|domino|"
    r"tarningsspel|sallskapsspel|fortnite|minecraft|roblox|cod|warzone|cs|csgo|cs2|valorant|"
    r"lol|league|spelet|spel|matchen|match|finalen|pingis|badminton|tennis|bordtennis|"
    r"kortspel|kort|uno|monopol|mario ?kart|smash|brawl ?stars|clash|apex|overwatch|rocket ?league|"
    r"nhl|nba|padel|fotboll|innebandy|basket|tavlingen|quizet|quiz|kahoot|fragesporten|"
    r"armbrytning|racet|loppet|sprinten|simning|tavling|matchen|yatzy|schackmatchen|"
    r"gta|among us|game|games|leken|lek|lekte|brottning|kuddkrig|tafatt|kull|dunkgomme|kurragomma)",
}

_CORE_RULES: tuple[RuleSpec, ...] = (
    # ------------------------------------------------------------------ suicide
    RuleSpec("wish_to_die", SUICIDE, (
        # (<JAG> )?: Swedish V2 word order puts the subject after the verb,
        # "ärligt talat vill jag dö", "då orkar jag inte leva".
        r"\b<VILL> (?:<JAG> )?<ADV>{0,3}(?:att )?<DO>",
        r"\b<VILL> (?:<JAG> )?<ADV>{0,3}(?:va|vara|bli|vare) dod\b",
        r"\b(?:lust|langtar|langtan|langta) (?:efter )?(?:att )?(?:<DO>|doden)",
        r"\bkanner for att <DO>",
        r"\b(?:borde|fortjanar att|ska bara|skulle vilja|skulle bara|kunde lika garna) <ADV>{0,2}<DO>",
        r"\bfortjanar inte att <LEVA>",
        r"\bonskar (?:att )?(?:<JAG> )?<ADV>{0,2}(?:var|vore|va|kunde vara) (?:dod|borta)\b",
        r"\bonskar (?:att )?(?:<JAG> )?<ADV>{0,2}(?:aldrig|inte) (?:hade )?(?:fotts|fodd|fotts|funnits|fanns|existerade|existerat|levde)",
        r"\bonskar (?:att )?(?:<JAG> )?<ADV>{0,2}(?:kunde|fick|fick bara) (?:<DO>|forsvinna|somna for alltid|sluta <LEVA>|sluta finnas)",
        r"\bonskar (?:att )?<JAG> (?:dog|dor)\b",
        r"\b(?:battre|lattare|lyckligare|gladare) (?:for (?:alla|dem|dom|familjen|mamma|pappa) )?(?:om <JAG> (?:var dod|vore dod|inte fanns|inte levde|dog|var borta|forsvann)|utan <MIG>)",
        r"\bingen (?:skulle|kommer|hade|kommer att|skulle ens|kommer ens|bryr sig) (?:att )?(?:ens )?(?:sakna <MIG>|marka (?:om|nar|att) <JAG>|bry sig (?:om|nar) <JAG> (?:dog|dor|forsvann|var borta|inte fanns))",
        r"\b(?:ar|e|kanner <MIG> som) (?:bara )?en borda\b",
        # Fillers may come before the negation too: "vill typ inte leva".
        r"\b(?:<VILL>|orkar|orka|pallar|klarar) (?:<JAG> )?<ADV>{0,2}(?:inte|int|inge|ej) (?:att )?<ADV>{0,2}(?:<LEVA>|<FINNAS>|vara vid liv)\b(?! utan\b)",
        r"\b<VILL> (?:inte|int|aldrig) (?:mer )?vakna\b(?! (?:tidigt|sa tidigt|klockan|kl\w*|\d|i tid|forran|innan|till|pa morgonen|mitt i)\b)",
        r"\b<VILL> sluta (?:<LEVA>|andas|existera|finnas)\b",
        r"\b(?:sova|somna|somna in) (?:for alltid|for evigt|for gott|i evighet|och (?:aldrig|inte) (?:mer )?vakna)",
        # Hoping not to wake up, hoping to die: "hoppas jag dör i sömnen".
        r"\bhoppas (?:att )?(?:<JAG> )?<ADV>{0,2}(?:dor|far <DO>|ska <DO>|inte vaknar|aldrig vaknar|slipper vakna|somnar for alltid|inte finns|blir pakord|blir overkord)\b(?! (?:tidigt|sa tidigt|klockan|kl\w*|\d+|i tid|forran|innan|for sent|av)\b)",
        # How good it would be not to exist: "skulle vara skönt att inte finnas",
        # "det är bäst för alla om jag inte finns".
        r"\b(?:skont|skulle vara skont|vore skont|battre|bast|lattast|lattare|enklast|en lattnad|lika bra) (?:for (?:alla|\w+) )?(?:att |om <JAG> )?(?:inte (?:<FINNAS>|fanns|levde|lever|leva)|fick <DO>|fa <DO>|<DO>|bara <DO>|vara dod|va dod|dog|dor|var dod|vore dod|slapp (?:<LEVA>|finnas)|slippa (?:<LEVA>|finnas))",
        # "om jag dog skulle det inte spela nån roll"
        r"\bom <JAG> (?:dog|dor|tog livet av <MIG>|forsvann|forsvinner|inte fanns|inte finns) (?:\w+ ){0,4}?(?:spela\w* (?:ingen|nan|nagon) roll|skulle (?:ingen|nan|nagon)|marker ingen|bryr <SIG> ingen|ingen (?:skulle|marker|bryr|saknar|kommer))",
        # Wanting it all to end: "vill bara att allt ska ta slut".
        r"\b(?:<VILL>|onskar|hoppas|langtar efter) (?:\w+ ){0,2}?(?:att )?(?:allt|livet|mitt liv) (?:bara )?(?:ska |skulle |kunde )?(?:ta slut|vara over|sluta|upphora)\b",
        # A decision: "har bestämt att jag ska dö".
        r"\b(?:bestamt|beslutat|bestamt <MIG>)(?: for)? (?:att )?(?:<JAG> ska )?(?:<DO>|ta livet av <MIG>|ta mitt liv|avsluta (?:det|allt|livet|mitt liv)|gora slut pa (?:allt|livet|mitt liv))",
        r"\b(?:slippa|aldrig|inte) vakna (?:igen|mer|nagonsin|upp igen)\b",
        r"\bkan inte <LEVA> (?:sa har|langre|mer|med <MIG> sjalv|sa har langre)",
        r"\b(?:<LEVA>|livet) (?:ar|kanns|e) (?:inte vart|meningslost|poanglost|inte vart att leva)",
        r"\bingen (?:mening|ide|anledning|poang) (?:att|med att|till att|i att) (?:<LEVA>|fortsatta|finnas|vakna|kampa)",
        r"\bingen (?:mening|ide|poang) med (?:livet|mitt liv|nagonting|nanting|nagot|allt|att <LEVA>)",
        r"\bingen (?:annan )?utvag\b",
        r"\bger upp (?:pa )?(?:livet|allt|mitt liv)\b",
        # Subordinate-clause word order puts the negation first:
        # "det svåra är att jag inte vill leva", "om jag inte orkar leva".
        r"\b(?:inte|int|inge) (?:<VILL>|orkar|orka|pallar|klarar) (?:att )?<ADV>{0,2}(?:<LEVA>|<FINNAS>|vara vid liv)\b(?! utan\b)",
        # "att få dö", "vad jag önskar? att få dö"
        r"\b(?:att )?fa <DO>",
        r"\b(?:fa|att fa) (?:somna|sova) (?:in )?(?:for alltid|och aldrig vakna)",
        # Not being around any more: "snart är jag inte här längre",
        # "kommer nog inte finnas kvar till mötet", "ifall jag inte finns imorrn".
        r"\b(?:ar|e|finns) (?:<JAG> )?(?:inte|int|inge) (?:har|kvar) (?:langre|mer|snart|till|efter)\b",
        r"\b<JAG> (?:ar|e|kommer) (?:snart |nog |kanske |inte )*(?:inte|int) (?:att )?(?:vara |va )?(?:har|kvar) (?:langre|mer|snart|imorgon|imorrn|till|efter|nasta)\b",
        r"\b(?:inte|int|inge) (?:finnas|finns|existera|existerar) (?:kvar\b|langre\b|mer\b(?! \w)|imorgon|imorrn|imon|till (?:motet|imorgon|imorrn|helgen|sommaren|dess|nasta))",
        r"\b(?:kommer|ska) (?:nog |snart |kanske )*inte (?:att )?(?:vara har|finnas|leva) (?:sa )?(?:lange|mycket) (?:till|mer|kvar)",
        # Giving possessions away, "won't need them".
        r"\b(?:behover|behova|behovs) (?:dom|dem|det|den|de|nagonting|nat|nagot) (?:inte|inge) (?:snart|langre|mer|efter|dar <JAG> ska)\b",
        r"\b(?:(?:gett|gav|ger|ge|borjat ge) bort|delat ut|delar ut|skankt|skanker|skankte) (?:nastan )?(?:(?:alla|allt|mina|mitt|min) (?:mina |mitt |min )?(?:\w+ )?(?:saker|grejer|grejor|prylar|klader|spel|smycken|gosedjur|djur|katt|hund)\b|allt (?:mitt|jag har|jag ager)\b)",
        # English: "what's the point of living".
        r"\bwhat(?:s| is)? (?:even |really |actually )?the point (?:of|in) (?:living|life|being alive|going on|existing|anything|even trying)",
        r"\b(?:inte|int) <JAG> (?:kommer (?:att )?|ska )?(?:vara|va|finnas) (?:har|kvar) (?:sa )?(?:lange|langre|mer|till|efter)\b",
        r"\b(?:satt|satten|metoder|metod) (?:att|for att) <DO>\b|\bletat (?:\w+ ){0,3}?efter (?:hur man|satt att) <DO>\b",
        r"\b(?:skulle inte gora (?:nat|nagot|nanting)|vore (?:skont|okej)|bryr <MIG> inte|spelar ingen roll) (?:\w+ ){0,2}?om <JAG> (?:blev|blir) (?:pakord|overkord|skjuten|dodad|dodsskjuten)\b",
        r"\b(?:tanker|tankt|tankte|tanka|funderar|funderat|funderade|fantiserar|drommer|grubblar) (?:\w+ ){0,2}?(?:pa|om) (?:att )?(?:<DO>|doden|ta livet|ta mitt liv|att inte <LEVA>|inte <LEVA>|att inte finnas|inte finnas|hur det vore att <DO>)\b",
        r"\bslippa (?:allt|livet|alltihop|allting|det har livet) (?:for alltid|for gott)\b",
        r"\b(?:going to|gonna|will|want to|wanna|ready to|about to|plan to|planning to) end it\b|\bend it (?:all|tonight|today|now)\b",
        r"\b(?:not|won ?t) (?:gonna |going to )?be (?:here|around|alive) (?:tomorrow|much longer|anymore|for long|next week)\b",
        r"\b<VILL> (?:<JAG> )?<ADV>{0,2}(?:inte|int) <ADV>{0,2}(?:vara|va) (?:har|kvar) (?:langre|mer|langer)\b(?! (?:pa|i) (?:skolan|klassen|laget|gruppen|stan|sverige)\b)",
        r"\b(?:inte|int) (?:ar |e |finns )?(?:nagon|nan) (?:mening|ide|poang|anledning) (?:att|med att|i att) (?:<LEVA>|fortsatta|finnas)\b",
        r"\b(?:livet|mitt liv) (?:har|kanns|ger) (?:ingen|inte nagon|noll) (?:mening|poang)\b",
        r"\b(?:onskar|ville|vill|hoppades|hoppas) (?:att )?(?:\w+ ){0,2}?(?:skulle |ska )?(?:kora (?:pa|over|ihjal)|meja ner) <MIG>\b",
        r"\bcan ?t (?:do this|take (?:it|this)|go on|handle (?:it|this|life)|keep going) (?:anymore|any more|much longer)\b",
        r"\b(?:tanker|kommer|ska) (?:inte|int) (?:att )?(?:vara|va|finnas) (?:har|kvar) (?:efter|till|pa|nasta)\b",
        r"\b(?:hatar|trott pa|less pa|orkar inte med) (?:att )?(?:<LEVA>|att finnas|att vara vid liv|att vakna varje dag)\b(?! (?:utan|med|i|pa|har)\b)|\b(?:trott pa|less pa) livet\b",
        r"\b(?:sova|somna|forsvinna|<DO>) (?:och|for att) slippa (?:allt|alltihop|allting|livet)\b",
    ), victim=True),
    RuleSpec("cant_go_on", SUICIDE, (
        # "orkar inte mer" is how Swedish teens most often say they cannot go
        # on; the everyday version ("orkar inte mer med läxorna") is masked by
        # a guard rather than excluded here.
        r"\b(?:orkar|orka|pallar|palla|klarar|klara|ork) (?:<JAG> )?(?:inte|int|inge|ej) (?:mer|langre|langer)\b",
        r"\b(?:orkar|orka|pallar|klarar) (?:<JAG> )?(?:inte|int|inge|ej) (?:mer |langre )?(?:med |av )?(?:livet|mitt liv|det har livet|<LEVA>|att <LEVA>|att finnas|allt|nagonting|nanting|nagot mer|<MIG> sjalv|att vara <MIG>|att vara jag|vara kvar)\b",
        r"\bingen ork kvar\b",
        r"\b(?:orkar|pallar) inte (?:en dag till|fler dagar|en dag mer)",
    ), victim=True),
    RuleSpec("disappear", SUICIDE, (
        r"\b(?:<VILL>|onskar (?:att )?<JAG> kunde|ska|tanker) <ADV>{0,3}forsvinna\b(?! (?:in i|in pa|ut i|bort en stund|en stund|en liten stund|ett tag|en sekund|till (?:mitt rum|rummet|sangen))\b)",
    ), soft=True, victim=True),
    RuleSpec("disappear_forever", SUICIDE, (
        r"\bforsvinna (?:for alltid|fran (?:jorden|varlden|allt|livet|denna varld|den har varlden))",
    ), victim=True),
    RuleSpec("take_my_life", SUICIDE, (
        r"\b(?:ta|tar|tog|tagit|taga|tar jag|ta ja|tar ja)(?: <JAG>)? <ADV>{0,2}livet av <MIG>\b",
        r"\b(?:ta|tar|avsluta|avslutar) <ADV>{0,2}(?:mitt (?:eget )?liv|livet nu)\b|\bavsluta(?:r)? allt nu\b",
        r"\bavsluta (?:livet|allt|mitt liv|det har livet)\b",
        r"\b(?:gora|gor|gjort) (?:<JAG> )?slut pa (?:mitt liv|livet|<MIG> sjalv|allt\b(?! (?:godis|glass|chips|mat|pengar|kakor)\b))",
        r"\b(?:vill|ska|tanker|tankte|funderar pa|planerar|forsokte|forsokt|forsoker|kommer|hotar|hotade|pratar om|pratade om|skrev|sa|sager) (?:att )?(?:\w+ )?ta livet av <SIG>\b",
        r"\b(?:sjalv ?mord\w*|suicid\w*|sucid\w*|suiside\w*|suicide\w*)",
        r"\b(?:dodstankar|dodslangtan)\b",
        r"\b(?:doda|morda|skjuta|strypa|forgifta|dranka) <MIG> <SJALV>\b",
        r"\btankar pa (?:att <DO>|doden|att ta livet|att inte <LEVA>|att inte finnas)",
        r"\btanker (?:\w+ ){0,2}pa (?:att <DO>|doden|att ta livet|att inte finnas|att inte <LEVA>)",
        r"\bhur (?:\w+ ){0,3}?(?:dor man|tar man livet|hanger man <SIG>|tar <JAG> livet|kan <JAG> <DO>|ska <JAG> <DO>|kan man <DO>|man dor snabbt)",
        r"\b(?:smartfritt|snabbaste|enklaste|basta) (?:sattet |satt )?att <DO>",
        r"\b(?:har )?planerat (?:hur|nar|mitt|min) (?:<JAG> ska )?(?:<DO>|dod|ta livet)",
        r"\bavskedsbrev\w*|\b(?:mitt|ett) sista brev\b",
    ), victim=True),
    RuleSpec("method_reflexive", SUICIDE, (
        # "jag vill hänga mig" is suicidal; "han ska hänga mig" is a threat.
        r"\b(?:hanga|hanger|hangde|hangt|hang) <MIG>\b",
        r"\b(?:dranka|dranker) <MIG>\b",
        r"\bskjuta <MIG> (?:sjalv|i huvudet)\b",
    ), subject={"adult": ABUSE, "peer": VIOLENCE, "pron": VIOLENCE, "group": VIOLENCE, "self": SUICIDE}),
    RuleSpec("method", SUICIDE, (
        r"\bsnar(?:a|an|or|orna)\b",
        r"\brep\w* (?:\w+ ){0,4}?(?:runt |om |kring )?(?:halsen|nacken)\b",
        r"\b(?:hoppa|hoppar|hoppat|kasta <MIG>|kastar <MIG>|ga ut|kliva ut|springa ut|stiga ut|stalla <MIG>|gar ut) (?:rakt )?framfor (?:ett |en )?(?:tag\w*|tunnelban\w*|tuben|pendel\w*|buss\w*|bil\w*|lastbil\w*|lokomotiv\w*)",
        r"\b(?:hoppa|hoppar|hoppat|kasta <MIG>|kastar <MIG>|falla|slanga <MIG>) (?:ner |ut )?(?:fran|ifran|ner fran|ut fran|ut genom|ut ur|ut|av|over) (?:\w+ )?(?:bron|en bro|broracket|taket|hustaket|balkongen|fonstret|stupet|klippan|hoghuset|parkeringshuset|tornet|vattentornet|kanten|racket)\b",
        r"\b(?:lagga <MIG>|lagger <MIG>|ligga|ligger) (?:pa|over) (?:sparet|sparen|ralsen|tagralsen|tagsparet|motorvagen)\b",
        r"\b(?:hoppa|hoppar|kasta <MIG>|ga ut|kliva ut|springa ut) (?:\w+ ){0,4}?(?:nar|framfor) (?:nasta |ett |en |forsta )?(?:tag|taget|tunnelban\w*|tuben|pendel\w*|buss\w*|lastbil\w*)\b",
        r"\bskara upp (?:mina |min )?(?:handled\w*|pulsad\w*|halsen|armarna|armen|handlovarna)",
        r"\bpulsad\w*",
        r"\b(?:kniv\w*|saxen|bladet) (?:\w+ )?(?:i|mot|genom) (?:mitt |min )?(?:hjartat|halsen|strupen|handleden|pulsadern)",
        r"\b(?:ta|tar|tog|tagit) en overdos\b|\boverdos\w*",
        r"\b(?:<VILL>|ska|tanker|tankte|funderar pa att|planerar att|kommer|borde|tankt|ska bara) (?:\w+ ){0,3}?<TAKE> (?:<MIG> )?(?:<MANY>) (?:st |stycken |av )?(?!(?:mg|ml|milligram|gram|g|mikrogram)\b)(?:\w+ )?<PILL>",
        r"\bhur (?:manga|mycket) (?:\w+ )?<PILL> (?:\w+ ){0,6}?(?:<DO>|doda|dor|dodlig\w*|overdos|ihjal|ta livet)",
        r"\b(?:samla|samlar|samlat|spara|sparar|sparat|gomt|gommer|hamstrat|hamstrar|lagt undan|lagger undan|kopt|kopte|kopa|skaffat) (?:ihop |undan |pa <MIG> )?(?:en massa |massa |manga |flera |alla |lite )?(?:\w+ )?<PILL>",
        r"\b(?:har|skaffat|kopt|kopte|gomt|gommer|hittat|fixat) (?:ett |en |mitt |min )?(?:rep|snara|snaran|rakblad|tabletter|piller|medicin)\b(?: \w+){0,5}? (?:ifall|for sakerhets skull|om det behovs|nar det blir dags|nar det ar dags|redo|till sen|till ikvall|tills vidare)\b",
    ), victim=True),
    RuleSpec("pills_to_die", SUICIDE, (
        # "tabletter så att jag dör": anchored on the purpose, with a pill word
        # required elsewhere (a pattern starting with the pill word could not
        # be prefiltered, because of compounds like "värktabletter").
        r"\b(?:for att|sa att|sa <JAG>) (?:\w+ ){0,2}?(?:<DO>|dor|aldrig vaknar|inte vaknar|somnar for alltid)",
    ), requires="pill_context", victim=True),
    RuleSpec("means_ready", SUICIDE, (
        # Means laid out: "har repet framme nu", "kniven i handen nu". Acute when now.
        r"\b(?:har|ligger|star|hanger|haller|sitter med) (?:\w+ )?(?:repet|snaran|rakbladet|rakbladen|kniven|tabletterna|pillren|pillerna|medicinen|vapnet|pistolen|burken|saxen|bladet) (?:\w+ )?(?:framme|redo|uppsatt|upphangd|klar|klart|i handen|i handerna|bredvid <MIG>|framfor <MIG>|mot (?:handleden|halsen|armen))\b",
        r"\b(?:repet|snaran|rakbladet|rakbladen|tabletterna|pillren|pillerna|vapnet|pistolen) (?:ar|e|hanger|ligger|star) (?:\w+ )?(?:framme|redo|uppsatt|upphangd|klar|klart|framfor <MIG>)\b",
    ), now=True, accident=True),
    RuleSpec("english_suicide", SUICIDE, (
        r"\b(?:want|wanna|wish|going|gonna|plan|planning|need|trying|tried|will|ready) (?:to )?(?:just )?(?:die|be dead|kill my ?self|end (?:it all|my life|everything)|commit suicide|not exist|not be alive|unalive my ?self|disappear forever)\b",
        r"\bkill(?:ing|ed)? my ?self\b|\bunaliv\w*|\bsuicidal\b|\bend my life\b|\btake my (?:own )?life\b",
        r"\bdon ?t (?:want|wanna) (?:to )?(?:live|be alive|exist|be here anymore|wake up)",
        r"\bno (?:reason|point) (?:to|in) (?:live|living|going on)\b",
        r"\bbetter off (?:dead|without me)\b",
        r"\bwish(?:ed)? i (?:was|were|had) (?:dead|never been born|not born)|\bwish i (?:wasn ?t|wasnt|weren ?t|was not) (?:alive|born|here)\b|\bwish i didn ?t exist\b",
        r"\bhang my ?self\b|\bjump (?:off|from|in front of) (?:the |a )?(?:bridge|roof|building|train|car|cliff)",
    ), victim=True),
    RuleSpec("kms", SUICIDE, (
        # Often used as a joke ("kms lol"), so soft; serious use still counts.
        r"\bkms\b|\b(?<!to )(?<!gonna )(?<!will )(?<!ll )(?<!wants )(?<!want )kill me\b(?! now\b)",
    ), soft=True),
    # ---------------------------------------------------------------- self-harm
    RuleSpec("self_harm_reflexive", SELF_HARM, (
        r"\b(?:skara|skar|skarit|skurit|skurt|karva|karvar|karvat|rispa|rispar|rispat|rispade|"
        r"riva|river|rivit|klosa|klosar|branna|branner|brande|brant|bita|biter|sla|slar|slog|"
        r"slagit|nypa|nyper|skada|skadar|skadade|skadat|straffa|straffar|straffade|svalta|"
        r"svalter|svaltat) <MIG> <SJALV>\b(?! (?:i (?:fotboll|matchen|traningen|"
        r"spelet)|pa traningen|av misstag)\b)",
        r"\b(?:gora|gor|gjort|gjorde) <MIG> <SJALV> illa\b|\b(?:gora|gor|gjort|gjorde) illa (?:pa )?<MIG> <SJALV>\b",
        r"\bsjalv ?skad\w*|\bsjalvdestruktiv\w*",
        r"\bself ?harm\w*|\b(?:cut|cutting|hurt|hurting|burn|burning|harm|harming) my ?self\b",
        r"\bcutt(?:a|ar|at|ade|er)\b(?! (?:har|haret|lugg|luggen|frisyr|klipp|video|film)\b)",
        r"\b(?:been|started|start|stop|stopped|keep|kept|i ?m|i am|still|relapsed) cutting\b|\bcutting (?:myself|again|my (?:arms?|wrists?|legs?|thighs?))\b",
        r"\brakblad\w*|\b(?:plock\w*|ta|tog|tagit) (?:isar|loss|ut) (?:\w+ )?(?:blad\w*|vassare|pennvassare|rakhyvel)",
        r"\b(?:dolja|doljer|dolde|gomma|gommer|gomde|tacka|tacker|skams? over|skams? for) (?:\w+ )?(?:mina |alla )?(?:arr|arren|skarsar|skarsaren)\b",
        r"\bskarsar (?:pa|over) (?:mina |min )?(?:arm\w*|lar\w*|handled\w*|ben\w*|mage\w*)",
        r"\b(?:svalter|svalta) <MIG>\b",
        r"\b(?:spyr|spya|spydde|kraks|kraktes|kraka|tvingar <MIG> att (?:spy|kraka)) (?:upp )?(?:\w+ ){0,3}?(?:med flit|medvetet|efter (?:varje |alla )?(?:mal|maltid|maltider|maten)|allt <JAG> ater|allt <JAG> at)",
        r"\b(?:slutat|sluta) ata (?:helt|for att|nastan|sa att)|\bater (?:ingenting|inget|knappt nagot) (?:langre|alls|pa flera)",
        # Community slang: "sh igen", "har sh:at", "relapsade efter 3 månader clean".
        r"\bsh (?:igen|ibland|varje|nar|sen|clean|fri|free|relapse\w*|ar|ade|at|a)\b|\bsh(?:ar|ade|at|a)\b|\b(?:mitt|min|har|gjorde|gjort|borjat|borja|sluta|slutat|mer|ingen|om|med|kan inte sluta med) sh\b",
        r"\baterfall\w* (?:i|med|till) (?:\w+ )?(?:skar\w*|sh|sjalvskad\w*|skadandet|rispandet)|\bskarandet\b|\brelaps\w*|\bclean (?:i|sen|sedan|in|for) (?:\w+ )?(?:dagar|veckor|manader|ar|days|weeks|months|years)\b|\b(?:dagar|veckor|manader|days|weeks|months) clean\b",
        # Scars and wounds on arms/thighs, kept hidden.
        r"\b(?:arr|arren|sar|saren|skarsar|rispor|skador|markena|snitt) (?:pa|over|langs) (?:mina |min |hela |bada )?(?:arm\w*|handled\w*|lar\w*|ben\w*|mage\w*|magen|hoft\w*|underarm\w*|handlov\w*)",
        r"\b(?:ingen (?:ser|ska se|far se|marker|vet om)|dolja|gomma|tacka|doljer|gommer|tacker) (?:\w+ ){0,2}?(?:arr|arren|sar|saren|skarsar|rispor|markena)\b",
        r"\blangarmat\w* (?:\w+ ){0,6}?(?:sar|saren|arr|arren|armarna|skador|markena)\b",
        # Hitting walls until it bleeds: "slår knytnäven i väggen tills knogarna blöder".
        r"\b(?:slar|slog|bankar|bankade|dunkar|dunkade|boxar|boxade|sparkar|sparkade) (?:knytnaven|handen|handerna|huvudet|knogarna|armen|pannan|navarna|foten) (?:i|mot|pa) (?:vaggen|vaggar|dorren|golvet|bordet|spegeln|skapet|elementet)",
        # Getting blades out of sharpeners and razors.
        r"\b(?:pennvassare|vassare|rakhyvel|hyvel)\w* (?:\w+ ){0,6}?(?:bladet|bladen|blad)\b|\b(?:fa|far|ta|tog|plocka|plockade|fatt|banda|bande|bander|bant) (?:man |<JAG> )?(?:ut|loss) (?:bladet|bladen|ett blad|rakbladet|rakbladen)\b",
    ), victim=True),
    RuleSpec("self_harm_impersonal", SELF_HARM, (
        # "typ att skära sig, då känns det bättre": the infinitive with "sig".
        r"\b(?:skara|skada|rispa|branna|svalta) <SIG>\b",
    ), accident=True, victim=True),
    RuleSpec("hurts_me", SELF_HARM, (
        # "gör illa mig", "gör mig illa": self-harm unless someone else does it.
        r"\b(?:gora|gor|gjort|gjorde) (?:<JAG> )?illa (?:pa )?<MIG>\b",
        r"\b(?:gora|gor|gjort|gjorde) (?:<JAG> )?<MIG> illa\b",
    ), accident=True, now=True, subject={"adult": ABUSE, "peer": VIOLENCE, "pron": ABUSE, "group": VIOLENCE, "self": SELF_HARM}),
    RuleSpec("cutting", SELF_HARM, (
        r"\b(?:skara|skar|skarit|skurit|karva|karvar|karvat|karvade|rispa|rispar|rispat|rispade|snitta|snittar|cutta|cuttar|cuttat|cuttade) <MIG>\b",
        r"\b(?:skara|skar|skurit|skarit|rispa|rispar|rispat|karva|karvar|snitta) (?:\w+ )?(?:i|pa|upp|sonder) (?:mina? |min )?(?:arm\w*|handled\w*|lar\w*|ben\w*|mage\w*|magen|hud\w*|handlov\w*|underarm\w*|hals\w*)",
        r"\b(?:skada|skadar|skadat|skadade|branna|branner|brande|brant) <MIG>\b",
        r"\b(?:river|rev|rivit|riva|klosa|kloser|klos|nyper|nypa|biter|bita) <MIG> (?:\w+ ){0,4}?(?:tills|sa att|sa det|sonder|till blods|blod\w*)\b",
        r"\b(?:branna|branner|brande|brant) <MIG> (?:med|pa) (?:cigg\w*|tandare|tandstick\w*|strykjarn\w*|platt\w*|varmt vatten|ljus\w*)",
        r"\b(?:slar|slog|banka|bankar|bankade|dunka|dunkar|dunkade) (?:mitt )?huvudet (?:i|mot) (?:vaggen|vaggar|golvet|dorren|bordet)",
    ), accident=True, subject={"adult": ABUSE, "peer": VIOLENCE, "pron": VIOLENCE, "group": VIOLENCE, "self": SELF_HARM}),
    RuleSpec("not_eating", SELF_HARM, (
        r"\b(?<!vi )(?<!vi har )(?<!vi hade )(?:har |hade )?inte (?:atit|att) (?:\w+ )?(?:pa|sedan|sen|i) (?:\w+ )?(?:dagar|dygn|veckor|vecka)\b",
        r"\b(?<!we )haven ?t eaten (?:in|for) (?:\w+ )?days\b",
    ), requires="not_neglect", victim=True),
    # -------------------------------------------------------------------- abuse
    RuleSpec("hits_me", ABUSE, (
        r"\b<HIT> (?:pa |till |ner |omkull |in |ut )?(?:ofta |alltid |ibland |jamt |igen |bade |aven |ocksa )?(?:\w+ (?:och|o) )?(?:<MIG>|oss)\b",
        # Someone else first, then me: "slår han mamma och sedan mig".
        r"\b<HIT> (?:(?:han|hon|hen|de|dom) )?(?:(?:min|mina|hans|hennes|sin|sina) )?(?:<PERSON>|hunden|katten|lillebror|lillasyster|storebror|storasyster|syskonen|bror|syster|brorsan|syrran) (?:och|o) (?:sen|sedan|da|efter det|till och med|ocksa|aven) (?:<MIG>|oss)\b(?! (?:i|pa) <GAMES>\b)",
        # Throwing things at me (not balls or snowballs).
        r"\b(?:kastar|kastade|kastat|slanger|slangde|slangt) (?:(?!boll|snoboll|vattenballong|kudd)\w+ ){1,3}?(?:pa|mot|at|efter) <MIG>\b",
        r"\b(?:drar|drog|dra|slet|sliter|rycker|ryckte) <MIG> i (?:haret|armen|oronen|ororna|nacken)",
        r"\b(?:kastar|kastade|slanger|slangde|trycker|tryckte|knuffar|knuffade|tryckt|trycka) <MIG> (?:i|mot|in i|ner i|nerfor|i golvet|i vaggen|ner pa)\b",
        r"\b(?<!blir )(?<!blev )(?<!blivit )(?<!bli )misshandl\w*",
        r"\b(?:hits|hitting|beats|beating|kicks|kicked|punch(?:es|ed|ing)|slap(?:s|ped|ping)|chok(?:es|ed|ing)|abus(?:es|ed|ing)|strangl\w*) (?:me|us)\b",
    ), now=True, subject={"adult": ABUSE, "peer": VIOLENCE, "self": SELF_HARM, "pron": ABUSE, "group": VIOLENCE},
       victim=True),  # "min kusin blir misshandlad": the one named before it is in danger
    RuleSpec("locked_in_habit", NEGLECT, (
        # Present tense describes a habit ("låser in mig när hon blir arg").
        r"\b(?:lasa|laser|brukar lasa|stanger|stanga|brukar stanga) in <MIG>\b",
        r"\b(?:blir|bli|blev ofta) (?:\w+ )?inlast\w*",
    ), now=True, acute_if_tonight=True, victim=True),
    RuleSpec("beaten_passive", ABUSE, (
        # Passive: the word before names the victim ("jag blir slagen"), so only
        # an agent after the verb ("av killarna") can change the category.
        r"\b(?:blir|blev|har blivit|brukar bli|blivit|ar|var) (?:(?!inte |int |aldrig )\w+ ){0,3}?(?:slagen|slagna|sparkad|misshandlad\w*|nedslagen|nerslagen|strypt|pucklad|spoad|utsatt for vald)\b",
        r"\b(?:far|fick|fatt|brukar fa|ska fa|kommer fa|kommer att fa) (?:\w+ )?(?:stryk|smisk|orfil\w*|spo|en lavett|en snyting|pisk)\b",
    ), now=True, subject=ADULT_PEER, victim=True),
    RuleSpec("strangling", ABUSE, (
        # "tar stryptag på mig", "håller mig om halsen": never the child's own doing.
        r"\b(?:tar|tog|tagit|hade|har|satte) (?:\w+ )?(?:stryptag|strypgrepp|struptag|nackgrepp|halsgrepp|kvavningsgrepp|kvavgrepp) (?:pa|om|runt) <MIG>",
        r"\b(?:haller|holl|tar|tog|trycker|tryckte|greppar|greppade) <MIG> (?:om|runt|i|kring) (?:halsen|strupen)\b",
    ), now=True, subject={"adult": ABUSE, "peer": VIOLENCE, "pron": ABUSE, "group": VIOLENCE}),
    RuleSpec("abuse_signs", ABUSE, (
        # Secrecy imposed by an adult: "vår hemlis", "får inte säga det till nån",
        # "annars blir det värre".
        r"\b(?:var|vaar|varan|vaaran|var lilla) (?:hemlis|hemlighet)\b",
        r"\b(?:sager|sa|sagt|tycker|skrev|hotar) (?:att )?(?:<JAG>|<MIG>) (?:inte|int) (?:far|ska|maste|borde) (?:saga|beratta|snacka|prata|skriva)\b(?: \w+){0,5}? (?:nagon|nan|ngn|nagot|nat|er|dig|polisen|soc|skolan|mamma|pappa|nagra|till nan|for nan|hur det ar|vad som hander|vad (?:han|hon|de|dom) gor|hemma)\b",
        # Bruises "from" an adult, lies about them.
        r"\b(?:blamark\w*|blamarke|marken|skador|sar|blatira|blatiran|svullnad\w*) (?:\w+ ){0,2}?(?:fran|efter|av) (?:min |mitt )?<ADULT>\b",
        r"\b(?:ljuger|ljog|sager att <JAG> (?:ramlat|ramlade|slagit <MIG>|slog <MIG>)) (?:\w+ ){0,4}?(?:blamark\w*|marken|skador|saren)|\b(?:blamark\w*) (?:\w+ ){0,6}?(?:ramlat|ramlade|sager att)",
    ), now=True, victim=True),
    RuleSpec("domestic_violence", ABUSE, (
        r"\b(?:pappa|pappan|farsan|styv\w+|bonus\w+|mammas \w+|han|hon|mamma|morsan) (?:\w+ )?(?:<HIT>|haller pa att (?:<HIT>|sla ihjal)) (?:min |mina )?(?:mamma|mamman|morsan|pappa|lillebror|lillasyster|storebror|storasyster|syster|bror|brorsan|syrran|syskon|oss|hunden)\b",
        r"\b(?:vald|valdsam\w*) (?:hemma|i (?:familjen|hemmet))",
        # Adults fighting at home: "dom slåss därute", "mamma och hennes kille slåss i köket".
        r"\b(?:slass|brakar och slass|slogs) (?:\w+ ){0,3}?(?:darute|dar ute|hemma|i koket|i vardagsrummet|i hallen|i sovrummet|i rummet bredvid|utanfor (?:mitt )?rum\w*)\b",
        r"\b(?:pappa|mamma|farsan|morsan|styv\w+|bonus\w+|mammas \w+|pappas \w+|foraldrar\w*) (?:\w+ )?(?:ar|blir|var|e) (?:\w+ )?valdsam\w*",
        r"\b(?:radd|livradd|skrackslagen|skraamd|skramd|rasande radd) for (?:min |mitt )?(?:pappa|mamma|styv\w+|bonus\w+|mammas \w+|pappas \w+|honom hemma)\b",
        r"\b(?:radd|livradd|skrackslagen|skraamd|skramd) (?:for )?att (?:ga hem|komma hem|vara hemma|aka hem|sova hemma)\b",
        r"\bvagar inte vara hemma\b",
        r"\b(?:dad|mom|mum|father|mother|stepdad|stepmom|parents?) (?:\w+ )?(?:hits|beats|hurts|abuses|is violent)\b",
        r"\b(?:scared|afraid|terrified) of (?:my )?(?:dad|mom|mum|father|mother|stepdad|stepmom|stepfather|stepmother|parents)\b",
        r"\bhemma (?:\w+ ){0,4}?(?:mycket |sa mycket |massa )?vald\b|\bvald\w* (?:\w+ ){0,3}?hemma\b",
        r"\b(?:<ADULT>|han|hon) (?:\w+ ){0,3}?(?:kastar|slanger|kastade|slangde) (?:\w+ )?(?:saker|grejer|tallrikar|mobler|stolar|glas)\b(?! (?:i|pa) (?:soporna|sopor|papperskorgen|atervinning\w*|tippen)\b)",
        r"\b(?:get|got|getting|am|being) (?:hit|beaten|slapped|kicked|abused) (?:at home|by my (?:dad|mom|mum|father|mother|stepdad|parents))\b",
        r"\b(?:<ADULT>) (?:\w+ ){0,3}?(?:slar|slog|har slagit)(?: (?:nar|om)\b|$| (?:ibland|ofta|jamt|alltid|hela tiden|varje dag)(?:$| (?:nar|om|och)\b))",
        r"\bvagar inte (?:beratta|saga|prata om) (?:\w+ )?(?:vad som hander|hur det ar|vad (?:han|hon|de|dom|pappa|mamma) gor) (?:\w+ )?hemma\b",
    ), now=True, victim=True),
    RuleSpec("reported_threat", VIOLENCE, (
        # Someone else's threat, reported: "han sa att han ska döda mig", "dom
        # säger att dom ska skjuta min bror". Not the idiom "mamma kommer döda
        # mig", so a joke elsewhere in the message does not silence it.
        r"\b(?:sa|sager|sagt|skrev|skriver|lovade|lovar|smsade|messade|snappade|ropade|hotar|hotade) (?:att )?(?:\w+ ){0,3}?(?:ska|kommer|tanker|skulle|tankte) (?:att )?(?:doda|morda|sla ihjal|ha ihjal|skjuta|knivhugga|hugga ner|sticka ner|strypa|ta livet av|spoa|sla|misshandla|skada|puckla pa|gora illa|hanga|jumpa|valdta|hamta) (?:<MIG>|oss|min \w+|mina \w+|<PERSON>)\b",
        r"\b(?:threaten\w* to|said (?:he|she|they) (?:would|will|d)|say (?:they|he|she) (?:will|gonna|are going to)) (?:kill|hurt|beat|stab|shoot|murder|jump) (?:me|us|my \w+)\b",
        # Written death threats: "nån skrev att jag ska dö", "dom skriver på snap att jag kommer dö".
        r"\b(?:skrev|sa|sager|skriver|smsade|messade|snappade|ropade|sagt|skrivit|hotat|lovat) (?:\w+ ){0,3}?att (?:<JAG>|du) (?:ska|kommer att|kommer|borde) <DO>",
    ), now=True, subject={"adult": ABUSE, "peer": VIOLENCE, "pron": VIOLENCE, "group": VIOLENCE}),
    RuleSpec("threat_to_kill_me", VIOLENCE, (
        r"\b(?:ska|kommer|tanker|hotar|hotade|sa|sager|skrev|skriver|lovade|sagt|vill|ville) (?:\w+ ){0,3}?(?:doda|morda|sla ihjal|ha ihjal|skjuta|knivhugga|hugga ner|sticka ner|strypa|ta livet av|sla sonder|spoa|sla|misshandla|skada|puckla pa|ge <MIG> stryk|ge <MIG> spo|jumpa) <MIG>\b",
        r"\b(?:going to|gonna|will|wants? to|trying to|tried to|threaten\w* to|said (?:he|she|they) (?:would|will|d)) (?:kill|hurt|beat|stab|shoot|murder|jump) (?:me|us)\b",
        r"\b(?:ska|kommer|tanker|hotar|hotade) (?:\w+ ){0,3}?(?:gora illa|gora <MIG> illa|gora nat med|gora nagot med) <MIG>?\b",
        r"\bdu (?:ska|kommer att) <DO>\b",
    ), soft=True, now=True, trivial_scope="near", subject={"adult": ABUSE, "peer": VIOLENCE, "pron": VIOLENCE, "group": VIOLENCE}),
    RuleSpec("neglect_tonight", NEGLECT, (
        # Drunk or high carer, thrown out, nowhere to sleep: acute when it is tonight.
        r"\b(?:pappa|pappan|farsan|mamma|mamman|morsan|foraldrar\w*|styv\w+|bonus\w+|mammas \w+|pappas \w+) (?:\w+ )?(?:ar|blir|var|e) (?:\w+ )?(?:full|fulla|packad|packade|aspackad|dyngrak|drogad|drogade|hog|hoga|pa fyllan|pa fylla|knarkpaverkad|paverkad|onykter|bakis)\b(?! (?:av|pa|i|med|fart|energi|skratt|glad)\b)",
        r"\b(?:pappa|pappan|farsan|mamma|mamman|morsan|foraldrar\w*|styv\w+|bonus\w+|mammas \w+|pappas \w+) (?:(?:brukar|har borjat|borjat|alltid|ofta|jamt|bara|typ|fortfarande|igen|har|ar) )?(?:super\b(?! (?:\w*(?:ig|t|a)|bra|snall|kul|glad|fin|sot|nice)\b)|knarkar|tar droger|knarka|roker (?:pa|gras|braj)|dricker (?:(?:alkohol|sprit|vin|ol|vodka|starkol|box\w*|cider|whisky) (?:\w+ )?|for mycket|hela tiden|jamt|sa mycket|varje (?:dag|kvall|helg)\b(?! (?:kaffe|te|vatten|mjolk|juice)\b)|massor))",
        r"\b(?:kastade|kastat|kastar|slangde|slangt|slanger|sparkade|sparkat|sparkar) ut <MIG>\b(?! (?:fran|ur) (?:laget|gruppen|chatten|servern|spelet|klassen|klassrummet|jobbet|lektionen|salen)\b)",
        r"\bblev (?:ut)?kastad (?:ut|hemifran)|\bingenstans att (?:sova|bo|ta vagen)\b|\bsover (?:ute|pa gatan|i trapphuset|i en trappuppgang|i parken|utomhus)\b(?! (?:i (?:talt\w*|hangmatta\w*|tradgarden|sovsack\w*|vindskydd\w*)|pa (?:lagret|balkongen|scoutlagret|klassresan)|med (?:scouterna|klassen|pappa|mamma|kompisarna))\b)|\bhemlos\w*",
    ), acute_if_tonight=True, victim=True),
    RuleSpec("smashing_things", ABUSE, (
        # An adult smashing things at home: acute when it is tonight.
        r"\b(?:slar|slog|har slagit|kastar|kastade) sonder (?:saker|allt|grejer|mobler|dorren|dorrar|tallrikar|lampor|fonster)\b",
    ), acute_if_tonight=True),
    RuleSpec("food_withheld", NEGLECT, (
        # Food withheld as punishment.
        r"\b(?:(?:far|fick) (?:<JAG> )?(?:inte|int) (?:ata|aeta|aete)|far (?:<JAG> )?ingen (?:mat|middag))\b(?! (?:godis|glass|chips|snacks|socker|kakor|bullar|efter|innan|forran|pa (?:lektionen|bussen)|i (?:klassrummet|soffan|mitt rum|bilen))\b)",
        r"\b(?:ingen mat|inte ata|ingen middag|svalt) som straff\b|\blater <MIG> inte (?:ata|fa mat)\b|\bvagrar ge <MIG> mat\b",
    ), victim=True),
    RuleSpec("neglect", NEGLECT, (
        r"\b(?:far|fick|har|ges|ger <MIG>|fatt) (?:ingen|inte nagon|inte nan|aldrig|sallan|knappt) (?:\w+ )?mat\b(?! (?:kvar )?(?:i|pa|till) (?:matladan|lunchladan|matsalen|vaskan|utflykten|restaurangen|skolan|bussen|laget|lagret)\b)",
        r"\b(?:ingen|ingen riktig|inte nagon|nastan ingen) mat (?:hemma|i kylen|i huset|i kylskapet|pa flera dagar)",
        r"\bkylskapet ar (?:alltid |helt )?tomt",
        r"\b(?:ensam hemma|lamnad ensam|lamnar <MIG> (?:\w+ )?ensam|lamnade <MIG> (?:\w+ )?ensam|lamnar oss (?:\w+ )?ensamma) (?:\w+ ){0,3}?(?:i|pa|under|hela) (?:flera|tva|tre|fyra|fem|manga|en|\d+) (?:hela )?(?:dagar|veckor|vecka|dygn|natter)",
        r"\b(?:pappa|mamma|foraldrar\w*|farsan|morsan) (?:\w+ ){0,2}?(?:inte|aldrig) (?:varit|kommit) hem\w* (?:pa|sedan|sen|i) (?:\w+ )?(?:dagar|dygn|igar|forrgar|veckor|vecka|mandags|tisdags|onsdags|torsdags|fredags|lordags|sondags|helgen)",
        r"\bingen (?:vuxen )?(?:tar hand om|lagar mat at|ger <MIG> mat) (?:<MIG>|oss|mina syskon|lillebror|lillasyster)",
        r"\bingen (?:vuxen )?(?:lagar|handlar|fixar|gor) (?:\w+ )?(?:mat|middag|frukost|lunch)\b",
        r"\bingen (?:vuxen|av mina foraldrar|foralder) (?:har )?(?:varit|kommit|ar|e|finns|bryr <SIG>|kollar|tar hand) (?:hemma|har|hem|om <MIG>|om oss)?",
        r"\binte (?:kunnat|fatt|haft rad att) (?:duscha|tvatta \w+|tvatta|ata|ata mat|borsta tanderna|byta klader)\b(?: \w+){0,2}? (?:pa|sedan|sen|i) (?:\w+ )?(?:dagar|veckor|vecka|manader|dygn)",
        r"\b(?:elen|strommen|vattnet|varmen) (?:ar|har blivit|blev) (?:avstangd|avstangt)",
        r"\b(?:pappa|pappan|farsan|mamma|mamman|morsan|foraldrar\w*|styv\w+|bonus\w+) (?:\w+ )?(?:sover|ligger i sangen|ligger till sangs) hela (?:dagarna|dagen|tiden|helgerna)\b(?! (?:(?:for|eftersom) (?:hon|han|hen|de|dom) (?:jobbar|ar sjuk|har jobbat)|efter (?:natt\w*|jobbet|nattpasset)|nar (?:hon|han) (?:jobbat|har jobbat))\b)",
        r"\b(?:lasar|laste|last|lasa|stanger|stangde) ute <MIG>\b|\butelast\w* (?:\w+ ){0,3}?(?:hela (?:natten|kvallen|dagen|helgen)|i kylan|som straff|pa natten|flera timmar|over natten)",
        r"\bno food at home\b|\b(?:mom|mum|dad|parents?) (?:is|are) (?:always )?(?:drunk|high)\b|\bkicked me out\b",
    ), victim=True),
    RuleSpec("sexual_abuse", SEXUAL_ABUSE, (
        # Not when someone else is the victim ("tafsar på henne"): friend_touch.
        r"\btafs\w*\b(?! (?:pa )?<OTHER_OBJ>\b)",
        r"\b(?:valdt(?:og|ar|a|agit|akt\w*|akts\w*)|vald tog)\b(?! <OTHER_OBJ>\b)",
        r"\bofred\w*",
        r"\b(?<!jag )(?<!jg )(?<!ja )(?<!jag har )(?<!jag ska )(?<!jag vill )(?<!jag maste )(?:ta|tar|tog|tagit|tafsar|ror|rora|rorde|rort|kanner pa|kande pa|smeker|smekte|klamar|klamde|pillar|pillade|stoppar|stoppade|kysser|kysste|slickar|slickade) (?:\w+ ){0,2}?(?:pa |vid |i )?(?:<MIG>|mina|min|mitt)\b(?: \w+){0,4}? (?:pa |i |mellan |under |vid )?(?:brost\w*|tuttar\w*|tutte\w*|rump\w*|snipp\w*|snopp\w*|kuk\w*|fitt\w*|underliv\w*|mitt kon|konsorgan\w*|laren|laret|mina lar|privata \w+|dar nere|mellan benen|under (?:kladerna|trojan|kjolen|byxorna|tacket|trosorna|kalsongerna|linnet|pyjamasen))\b",
        r"\b(?:ror|rorde|rort|tar pa|tog pa|tagit pa|tafsar pa|kanner pa|kande pa|smeker) <MIG> (?:dar|pa ett (?:konstigt|obehagligt|sexuellt|sant|kladdigt) satt|konstigt|overallt|nar <JAG> sover|pa natten|pa natterna|fast <JAG> (?:inte vill|sagt nej|sa nej|inte ville))",
        r"\b(?:tvingar|tvingade|tvingat|tvinga|pressar|pressade|pressat|tjatar pa <MIG> att|tjatade pa <MIG> att|lurade|lurar|vill att|ville att|hotar|hotade|utpressar|utpressade|kraver att|kravde att|ber <MIG>|bad <MIG>|fick <MIG> att|far <MIG> att) (?:<MIG> |<JAG> )?(?:att |om att |om |till )?(?:ska )?(?:ha sex|har sex|sex|ligga med|ligger med|suga|suger|runka|runkar|kla av <MIG>|klar av <MIG>|visa <MIG> naken|visa (?:brosten|tuttarna|rumpan|min kropp|snippan|snoppen)|skicka\w* (?:\w+ ){0,2}?(?:naken\w*|nakna|nudes|nude|sexiga bilder|dick ?pic\w*|bilder pa min kropp|bild pa min kropp|bilder pa <MIG> naken|bild pa <MIG> naken|bilder utan klader)|gor?a? (?:sexuella|snuskiga|sexiga|sex) (?:saker|grejer)|titta pa porr|kolla pa porr)",
        r"\b(?:vill|ville|forsokte|forsoker|forsokt) (?:ha sex|ligga) med <MIG>",
        r"\bsex (?:\w+ ){0,3}?(?:fast|trots att|utan att|fastan|nar) <JAG> (?:inte ville|sa nej|sagt nej|inte vill|sov|var full|var packad|grat)",
        r"\b<JAG> sa (?:nej|stopp|sluta) (?:\w+ ){0,3}?(?:men|och) (?:han|hon|de|dom|hen) (?:fortsatte|slutade inte|brydde <SIG> inte|lyssnade inte)",
        r"\b(?:sprida|sprider|spred|spritt|lagga ut|lagger ut|la ut|lade ut|skicka vidare|publicera|publicerade) (?:\w+ )?(?:mina |min |de |dom )?(?:naken\w*|nakna \w+|nudes|bilder pa <MIG> naken|bilderna <JAG> skickade|bilder <JAG> skickat|bilder som <JAG> skickat|sexbild\w*|intima bilder|privata bilder|sexfilm\w*)",
        r"\bhota\w* (?:med )?att (?:sprida|lagga ut|visa|skicka) (?:\w+ ){0,3}?(?:bild\w*|video\w*|film\w*|nudes)",
        r"\b(?:vuxen|aldre|gammal|[2-9]\d ?ar\w*(?: gammal)?) (?:man|kille|gubbe|snubbe|kvinna|person|typ)\b(?: \w+){0,10}? (?:vill traffa <MIG>|vill att <JAG> (?:skickar|skicka|kommer|ska komma|traffar|klar av)|skickar (?:\w+ )?(?:bilder|bild|snusk\w*|dick\w*|nakenbild\w*|nudes)|skickade (?:\w+ )?(?:bilder|bild|nudes|nakenbild\w*|snusk\w*|dick\w*)|ber om (?:bilder|nudes)|erbjuder <MIG> pengar|erbjod <MIG> pengar|vill betala <MIG>|vill ha bilder|fragar efter bilder)",
        r"\berbjod\w* <MIG> (?:\w+ )?(?:pengar|betalt) for (?:bilder|sex|att)",
        r"\b(?:betalar|betalade|betala|betalat|erbjuder|erbjod|ger|gav|swishar|swishade|swishat) <MIG> (?:\w+ )?(?:pengar |betalt |\d+ (?:kr|kronor|spann) )?(?:for|mot|om <JAG>|sa att <JAG>) (?:skickar |skicka |visar |visa )?(?:varje |en |ett |nagra |fler )?(?:bilder|bild|nudes|nakenbild\w*|sex|att (?:skicka|visa|traffa|ta av|kla av|ligga))",
        r"\b(?:<ADULT>|han|hon|nagon|nan|en kille|en tjej|kvinnan) (?:\w+ ){0,3}?(?:skickar|skickade|skickat|visar|visade|visat) (?:\w+ )?(?:snusk\w*|sexig\w*|naken\w*|nakna|porr\w*|ackl\w*|konstig\w*|olamplig\w*) (?:bilder|bild|filmer|film|videos|video|grejer|snaps)",
        r"\bvill ha (?:\w+ )?(?:bilder|bild|nudes|nakenbild\w*|filmer) (?:tillbaka|pa <MIG>|av <MIG>|pa min kropp|utan klader)",
        r"\b(?:pa|fran|via) (?:snap|snapchat|insta|instagram|discord|tiktok|natet|internet|roblox|fortnite|kik|omegle|chatten|appen|telegram|whatsapp)\b(?: \w+){0,6}? (?:vill traffa <MIG>|vill traffas|vill att <JAG> (?:kommer|traffar|skickar|skicka)|skickar (?:\w+ )?(?:bilder|snusk\w*|dick\w*|nudes)|ber om bilder|erbjuder|betala\w*)",
        r"\b(?:man|gubbe|kille|snubbe|kvinna|vuxen|person|typ) (?:pa|som ar|som e|pa typ|pa nastan) (?:typ )?(?:[2-9]\d|1[89])\b",
        r"\b(?:<ADULT>) (?:\w+ )?(?:(?:ror|rorde|rort) (?:vid )?|(?:tar|tog|tagit) pa )<MIG>\b",
        r"\b(?:ror|rorde|rort|rora|ta pa|tar pa|tog pa|tafsar pa|kanner pa|smeker|pillar pa) (?:vid )?<MIG> (?:\w+ ){0,2}?(?:nar|naer) (?:vi|<JAG>|ingen|mamma|pappa|alla andra|mormor|morfar) (?:\w+ ){0,2}?(?:ensamma|ensam|sjalva|sover|ar borta|inte ar hemma|inte ser|ser|marker|ar hemma)\b",
        r"\b(?:tvinga\w*|vill att <JAG>|ville att <JAG>|later <MIG> inte) (?:<MIG> )?(?:att )?(?:sova|sover|ligga|ligger|bada|badar|duscha|duschar|sitta i (?:hans|hennes) kna|sitter i (?:hans|hennes) kna|pussa|pussar|kyssa|kysser|massera|masserar) (?:\w+ ){0,2}?(?:i (?:hans|hennes|deras) sang|med (?:honom|henne|dom|dem)|tillsammans|naken|nakna)",
        r"\bmaste (?:sova|ligga|bada|duscha) (?:\w+ ){0,2}?(?:i (?:hans|hennes) sang|med (?:honom|henne|styv\w+|<ADULT>))",
        r"\b(?:touched|groped|fondled|molested|raped|abused|assaulted) by (?:my |a |an |his |her |our )?\w+",
        r"\bdick ?pic\w*",
        r"\b(?:visar|visade|visat) (?:\w+ )?porr (?:for|till) <MIG>|\btvinga\w* <MIG> (?:att )?(?:titta|kolla) pa porr",
        r"\bblott(?:ade|ar|at|a) <SIG>|\b(?:visar|visade|visat) (?:<MIG> )?(?:sin|sitt|sina) (?:snopp|kuk|penis|kon|underliv)",
        r"\b(?:kommer|kom|smyger|smog|gar|gick|lagger <SIG>|la <SIG>|kryper|krop) (?:in )?(?:i|till|hos) (?:mitt rum|min sang|<MIG>|sangen) (?:\w+ ){0,2}?(?:pa|om|varje|mitt i|sent pa) (?:natten|natterna|kvallarna|natt|kvallen)",
        r"\bgor (?:saker|grejer) (?:med|mot) <MIG> (?:som )?<JAG> (?:inte vill|inte gillar|inte ville)",
        r"\btouch(?:es|ed|ing)? (?:me\b|my (?:body|breasts?|private\w*|butt|chest|vagina|penis|dick|thigh\w*|boobs))|\brap(?:e|ed|es|ing|ist)\b|\bmolest\w*|\bsexually (?:abus|assault|harass)\w*|\bsend (?:him |her |them )?nudes\b|\bforced me to (?:have sex|do sexual|touch|suck|undress)",
    ), unguarded=True, now=True),
    # ----------------------------------------------------------------- violence
    RuleSpec("threatened", VIOLENCE, (
        r"\bhota(?:r|de|t|s)? <MIG>\b",
        r"\bhota(?:r|de|t)? (?:<MIG> )?(?:med )?(?:att )?(?:sla|doda|skada|skjuta|knivhugga|hugga|misshandla|spoa|sla ihjal|ha ihjal|morda|valdta|sticka ner|kniv|pistol|vapen|stryk|vald|spranga|gora illa|gora nat|gora nagot|hamta)\b",
        r"\bdodshot\w*|\bhot (?:mot|om) <MIG>\b|\bkanner <MIG> hotad\b",
        r"\bhota(?:r|de|t|s)? (?:hela )?(?:min familj|mina foraldrar|mina syskon|min (?:mamma|pappa|bror|syster|lillebror|lillasyster))\b(?! (?:med )?att (?:beratta|skvallra|saga (?:det )?till|tjalla|inte leka)\b)",
        r"\bthreaten(?:s|ed|ing)? (?:me|us)\b",
        r"\bannars blir det (?:varre|varst|annu varre|vart)\b|\bnasta gang blir det (?:varre|allvar)",
    ), now=True, subject={"adult": ABUSE, "peer": VIOLENCE, "pron": VIOLENCE, "group": VIOLENCE}),
    RuleSpec("want_to_hurt", VIOLENCE, (
        r"\b(?:<VILL>|ska|tanker|kommer|planerar att|funderar pa att|lust att) <ADV>{0,2}(?:att )?(?:doda|morda|sla ihjal|skjuta|knivhugga|hugga|sticka ner|spoa|misshandla|skada|strypa|ha ihjal|ta livet av|spranga|branna|kill|stab|shoot|hurt) (?:<PERSON>)\b",
        r"\b(?:<VILL>|ska|tanker|kommer|lust att) <ADV>{0,2}(?:att )?sla (?:honom|henne|hen|han|hon|ihjal)\b",
        r"\b(?:want|wanna|gonna|going|plan|planning) (?:to )?(?:kill|stab|shoot|hurt|murder) (?:<PERSON>|my \w+)\b",
    ), soft=True),
    RuleSpec("intimidation", VIOLENCE, (
        # Threats by someone else: "dom vet var jag bor", a picture of a knife
        # with my address. Not "jag vet var du bor" (said in jest to a friend).
        r"\b(?:vi|dom|de|han|hon|nan|nagon|ngn|killarna|ganget|dem) vet (?:var|vart) (?:<JAG>|du) bor\b|\b(?:they|he|she|we) know where (?:you|i) live\b",
        r"\b(?:bild|bilder|video|film|meddelande|sms|snap)\w* (?:\w+ ){0,4}?(?:med|pa) (?:en |ett )?(?:kniv|pistol|vapen|gevar)\w* (?:\w+ ){0,6}?(?:adress|hus|port|skola|namn)",
        r"\b(?:lagt|la|lade|lagger) ut (?:min|mitt) (?:adress|nummer|personnummer)",
    )),
    RuleSpec("revenge", VIOLENCE, (
        r"\bskyldig (?:\w+ ){0,3}?(?:pengar|\d+|en tusenlapp|kronor|spann|kr)\b(?: \w+){0,8}? (?:hotar|annars|ska (?:\w+ )?(?:sla|doda|gora|skada|hamta|ta)|gora illa|doda|sla)",
        r"\b(?:hamnas|hamna) pa (?:honom|henne|dom|dem|alla|killarna|tjejerna|han|hon|<PERSON>)\b",
        r"\b(?:<VILL>|ska|tanker|kommer|planerar att) <ADV>{0,2}(?:att )?(?:branna ner|tanda eld pa|satta eld pa|spranga) (?:\w+ )?(?:hans|hennes|deras|dom|skolan|huset|hela|\w+s (?:hus|bil|lagenhet|hem|rum))",
    ), soft=True),
    RuleSpec("weapons", VIOLENCE, (
        r"\b(?:ta|tar|tagit|tog|ha|har|bar|bara|barit|haft|gomt|gommer|kopt|kopa|kopte|skaffa|skaffat|fixat|fixa) (?:med )?(?:<MIG> )?(?:en |ett |min |mitt )?(?:kniv|pistol|vapen|gevar|yxa|machete|slagtra|knogjarn|batong|skjutvapen|revolver|pippa|pang)\b(?: \w+){0,4}? (?:till|i|pa) (?:skolan|skolgarden|lektionen|klassen|vaskan|fickan|jackan)\b",
        r"\b(?:har|hade|bar|bara|gommer|gomt|visar|visade|viftar med|tog med|tar med|kopt|kopte|skaffat|skaffa|fixat|fixa|hittat) (?:\w+ ){0,2}?(?:en |ett |sin |sitt |sina |riktiga? )?(?:pistol\w*|vapen\w*|vapnet|gevar\w*|revolver\w*|skjutvapen|automatvapen|k ?pist|ak ?47|jaktgevar\w*|handgranat\w*|sprangmedel|pippa|pang|knogjarn)\b",
        r"\b(?:kniv\w*|pistol\w*|vapen\w*|gevar\w*|jaktgevar\w*|bomb\w*|skjutvapen|revolver\w*) (?:\w+ ){0,3}?(?:till|in i|in pa|pa|i) (?:skolan|skolgarden|klassen|lektionen|matsalen|fritids)\b",
        r"\b(?:skolskjutning\w*|skjuta (?:upp )?(?:skolan|alla|folk|klassen)|spranga (?:skolan|klassrummet)|bomb (?:i|pa|mot) skolan|massaker\w*|knivattack\w*)",
        r"\bbring (?:a )?(?:knife|gun) to school\b|\bschool shooting\b",
        r"\bi (?:have|got|brought|carry|bring|took|bought) (?:a |my |his |her |dads |moms )?(?:knife|gun|weapon|blade|pistol)\b",
    )),
    RuleSpec("assaulted", VIOLENCE, (
        r"\b(?:knivhugg\w*|knivskar\w*|skjuten|blev skjuten|nedslagen|nerslagen|slagen medvetslos|jumpad\w*|jumpade <MIG>|jumpar <MIG>|hoppade pa <MIG>|hoppar pa <MIG>|overfoll\w*|overfallen|ranad\w*|ranade <MIG>|ranar <MIG>)",
        r"\b(?:gang\w*|kriminella|langare|langaren)\b(?: \w+){0,8}? (?:hotar|hotade|tvingar|tvingade|vill att <JAG>|kraver|kravde|letar efter|jagar|skuld\w*|skyldig)",
        r"\btvinga\w* <MIG> (?:att )?(?:salja|langa|forvara|gomma|bara|springa med|leverera|hamta|rana|sla|skjuta|knivhugga|spranga|baera)\b",
        r"\b(?:forfoljer|forfoljde|stalkar|stalkade) <MIG>\b",
        r"\bbeat (?:me|us) up\b|\bjumped me\b|\bgot (?:stabbed|shot|jumped|robbed)\b",
    ), now=True, subject=ADULT_PEER),
    RuleSpec("thinks_of_hurting", VIOLENCE, (
        r"\b(?:tanker|tankte|tankt|fantiserar|drommer|funderar) (?:\w+ ){0,2}?(?:pa|om) att (?:doda|morda|skada|sla|skjuta|knivhugga|sticka ner|spranga|hamnas pa) (?:<PERSON>)\b",
    )),
    # ------------------------------------------------- generalised (issue 11)
    RuleSpec("will_die", SUICIDE, (
        # Future intent in the writer's own words: "jag ska dö innan jul",
        # "imorgon kommer jag dö". Soft: "jag kommer dö om mötet håller på i
        # tre timmar 😂" is hyperbole; "dö av/om/på" is left out.
        # Not reported speech: "nån skrev att jag ska dö" is a threat (reported_threat).
        # Only its own clause can excuse it: an everyday sentence before a real
        # "jag kommer dö imorgon" must not hide it, so "provet imorgon, jag
        # kommer dö" is a (counted) false alarm in the dev set.
        r"\b(?<!att )(?:<JAG> (?:ska|kommer(?: att)?|tanker)|(?:ska|kommer(?: att)?|tanker) <JAG>) <ADV>{0,2}<DO>(?! (?:av|pa|i|om|nar|utan|for|med)\b)",
    ), soft=True, victim=True),
    RuleSpec("pills_future", SUICIDE, (
        # Verb-second word order after a time word: "ikväll tar jag alla tabletter".
        r"\b<TAKE> <JAG> (?:<MIG> )?(?:<MANY>) (?:st |stycken |av )?(?!(?:mg|ml|milligram|gram|g|mikrogram)\b)(?:\w+ )?<PILL>",
        # A plan, with pills mentioned: "har planerat hur jag ska göra det, med tabletter".
        r"\b(?:planerat|planerar|planera|bestamt|tankt ut|kommit pa) (?:hur|nar|var) <JAG> ska (?:gora det|gora slut|<DO>|ta dom|ta dem|ta alla)",
    ), requires="pill_context", victim=True),
    RuleSpec("self_harm_more", SELF_HARM, (
        # Wounds the writer made: "sår som jag gjort själv", "armarna är fulla med sår".
        r"\b(?:sar|saren|arr|arren|skarsar|rispor|snitt|skador|markena) (?:\w+ )?(?:som )?<JAG> (?:har )?(?:gjort|skurit|rispat|orsakat|skadat)\b",
        r"\b(?:mina )?(?:armar|armarna|armen|laren|benen|handlederna|handleden|magen) (?:ar |e )?(?:full|fulla|tackt|tackta) (?:av|med) (?:sar|arr|rispor|skarsar|snitt)\b",
        r"\b(?:my )?(?:arms?|wrists?|legs?|thighs?) (?:are |is )?(?:full of|covered (?:in|with)) (?:cuts|scars|wounds)\b",
        # The slang "sh" as something wanted: "vill sh så mycket".
        r"\b(?:<VILL>|ska|maste|behover|tanker|sugen pa att|lust att) <ADV>{0,2}(?:gora )?sh\b",
        # Common typos of the reflexive verbs: "jag skader mig själv".
        r"\b(?:skader|skadr|skadde|skadaa|skarr|skaer) <MIG> <SJALV>\b",
        r"\b(?:branner|brande|brant|branna|skar|skarit|skurit|rispar|rispade|rispat|skadar|karvar) (?:mina|min) (?:armar|armen|arm|lar|laren|ben|benen|handleder|handleden|hud|huden|mage|magen|handlovar)\b",
        r"\b(?:river|rev|rivit|kliar|klar|pillar|petar) upp (?:mina |min |alla )?(?:sar|saren|arr|arren|skorpor\w*|skarsar)\b",
    ), accident=True),
    RuleSpec("until_bleeding", SELF_HARM, (
        # "slår knytnäven i väggen tills knogarna blöder" is self-harm; "de
        # slog mig tills jag blödde" is violence: the doer decides.
        r"\btills (?:det|knogarna|huden|jag|handen|armen|blodet|det borjar) (?:\w+ )?(?:bloder|blodde|blodar|spricker|sprack|gor jatteont|rinner)\b",
    ), subject={"adult": ABUSE, "peer": VIOLENCE, "pron": VIOLENCE, "group": VIOLENCE, "self": SELF_HARM}),
    RuleSpec("unsafe_home", ABUSE, (
        # Not safe at home, with "säker" or "trygg": "känner mig inte säker
        # hemma", "det är inte tryggt hemma hos pappa". Not "inte säker på"
        # (not sure about).
        r"\b(?:kanner <MIG>|ar|e|kanns det|kanns|det ar|det e|blir|var|kande <MIG>) (?:<JAG> )?<ADV>{0,2}(?:inte|int|aldrig|inte alls|inte sa) (?:sa |speciellt |alls )?(?:saker|trygg|tryggt|sakert|trygga)\b(?! pa\b| om\b| att (?:<JAG>|du|vi|han|hon|det|de|dom|mamma|pappa|ni)\b)(?: \w+){0,3}? (?:hemma|hemmet|dar hemma|hos (?:mamma|pappa|foraldrar\w*|styv\w+|bonus\w+|\w+s))\b",
        r"\b(?:hemma|hemmet|mitt hem|hos (?:mamma|pappa|styv\w+|bonus\w+)) (?:ar|e|kanns) (?:det )?(?:inte|int|aldrig) (?:en |ett )?(?:saker|trygg|sakert|tryggt|safe|sakra|trygga)\b(?! pa\b)",
        # Without a verb, and the English "safe": "inte trygg hemma", "känner mig inte safe hos pappa".
        r"\b(?:inte|int|aldrig) (?:sa |alls |langre )?(?:saker|trygg|tryggt|sakert|trygga|safe) (?:langre |nagonsin |alls )?(?:hemma|hemmet|dar ?hemma|hos (?:mamma|pappa|foraldrar\w*|styv\w+|bonus\w+))\b",
        r"\b(?:otrygg|otryggt|otrygga) (?:\w+ ){0,2}?(?:hemma|dar hemma|hemmet)\b|\bhemma (?:ar|e|kanns) (?:det )?otryggt\b",
        r"\b(?:don ?t|do not|never) feel safe (?:at home|in my (?:home|house))\b|\b(?:not|isn ?t) safe (?:at home|in my (?:home|house))\b",
    )),
    RuleSpec("hits_me_more", ABUSE, (
        # Being given slaps or beatings: "pappa ger mig örfilar".
        r"\b(?:ger|gav|gett|ge) <MIG> (?:en |ett )?(?:orfil\w*|smisk|stryk|spo|smallar|en small|lavett\w*|snyting\w*|slag|knytnavsslag|sparkar)\b",
    ), now=True, subject={"adult": ABUSE, "peer": VIOLENCE, "pron": ABUSE, "group": VIOLENCE}),
    RuleSpec("threat_in_home", ABUSE, (
        # An adult threatening to kill or hurt someone at home: "pappa skriker
        # att han ska döda mamma".
        r"\b(?:ska|kommer att|kommer|hotar (?:med )?att|tanker|skulle) (?:doda|sla ihjal|morda|skada|sla|knivhugga|skjuta|strypa) (?:min |mina )?(?:mamma|pappa|lillebror|lillasyster|storebror|storasyster|bror|syster|syskon|barnen|oss)\b",
        r"\bhota\w* (?:min |mina )?(?:mamma|pappa|lillebror|lillasyster|bror|syster|syskon|oss) (?:med )?(?:kniv|pistol|vapen|yxa|att doda|att sla)\b",
        r"\btvingar <MIG> (?:att )?(?:sta|sitta|sova|ligga|vara) (?:\w+ ){0,3}?(?:hela natten|i timmar|ute i kylan|i kylan|pa knan|utan mat|i hornet)\b",
    ), subject={"adult": ABUSE, "pron": ABUSE, "peer": VIOLENCE, "group": VIOLENCE, "self": VIOLENCE}),
    RuleSpec("run_from_adult", ABUSE, (
        # Running away from an adult at home: "har rymt från min pappa".
        r"\b(?:rymt|rymde|rymmer|rymma|flytt|flydde|flyr|fly) (?:hemifran |hemma ifran )?(?:ifran|fran|undan) (?:min |mitt |mina )?(?:pappa|pappan|mamma|mamman|farsan|morsan|styv\w+|bonus\w+|foraldrar\w*|mammas \w+|pappas \w+|familjen|familjehemmet)\b",
        r"\b(?:rymt|rymde|sprang|stack|flydde|flytt) hemifran (?:\w+ ){0,3}?(?:for att|eftersom|for) (?:\w+ ){0,3}?(?:sla|slar|slog|doda|skada|hotar|hotade|farlig|full|packad|arg)\b",
    ), soft=True, excuse="play"),
    RuleSpec("run_from_others", VIOLENCE, (
        # Running from danger: "sprang därifrån när dom kom med kniv", "har
        # flytt från några killar som vill slå mig".
        r"\b(?:rymt|rymde|flytt|flydde|flyr|sprang|springer|fick springa) (?:\w+ ){0,2}?(?:ifran|fran|undan|darifran|hem) (?:\w+ ){0,4}?(?:kniv\w*|pistol\w*|vapen|hotade|hotar|jagade|jagar|slog|slar|sla|ville sla|vill sla|skulle sla|doda|misshandla|ranade|ranar)\b",
        # Chased (past): "några killar jagade mig".
        r"\b(?:jagade|jagat|har jagat|forfoljde|forfoljt|sprang efter) <MIG>\b",
    ), soft=True, excuse="play", subject={"adult": ABUSE, "peer": VIOLENCE, "pron": VIOLENCE, "group": VIOLENCE}),
    RuleSpec("threatened_passive", VIOLENCE, (
        r"\b(?:blivit|blir|blev|ar|var|brukar bli) (?:\w+ )?hotad\w*\b",
    ), now=True, subject=ADULT_PEER, victim=True),
    # ------------------------------------------------------------ neglect
    RuleSpec("neglect_more", NEGLECT, (
        # No food: "det finns ingen mat", "vi har inte haft mat på tre dagar".
        r"\b(?:finns|fanns) (?:\w+ )?(?:ingen|inte nagon|inte nan|knappt nagon|nastan ingen|aldrig) mat\b(?! (?:kvar )?(?:i|pa|till) (?:matladan|lunchladan|matsalen|vaskan|utflykten|restaurangen|skolan|bussen)\b)(?! (?:som |<JAG> |jag )?(?:gillar|tycker om|vill ha|kan ata|ater)\b| kvar\b(?! hemma)| (?:i|pa) skolan\b)",
        r"\binte (?:haft|fatt|atit) (?:nagon |nan |riktig )?mat (?:pa|sedan|sen|i) (?:\w+ )?(?:dagar|dygn|veckor|vecka|igar|forrgar|helgen)\b",
        r"\b(?:kylen|kylskapet|frysen|skafferiet|skapen) (?:ar|e|var) (?:alltid|jamt|nastan alltid|hela tiden) (?:helt )?tom\w*|\b(?:kylen|kylskapet|frysen|skafferiet) (?:ar|e|var) (?:helt )?tom\w* (?:hela tiden|jamt|alltid|varje (?:dag|vecka))",
        r"\bingen (?:vuxen )?(?:handlar|lagar mat|tar hand om (?:<MIG>|oss))\b",
        r"\b(?:glommer|orkar inte|struntar i att|bryr <SIG> inte om att) (?:alltid |jamt |ofta )?(?:att )?(?:ge (?:<MIG>|oss|barnen)|laga mat at (?:<MIG>|oss)) (?:\w+ )?(?:mat|middag|frukost|lunch)?\b",
        r"\b(?:las\w*|stanger|stangde) (?:in )?(?:kylen|kylskapet|maten|skafferiet|frysen)\b",
        # Left alone for long: "vi blir lämnade ensamma hela helgen".
        r"\b(?:lamnade|lamnad|lamnas|lamnar (?:<MIG>|oss)|lamnade (?:<MIG>|oss)|blir lamnade|blev lamnade) (?:\w+ ){0,2}?ensamma? (?:\w+ ){0,3}?(?:utan mat|hela (?:helgen|helgerna|veckan|natten|natterna|dagarna)|i (?:flera|\d+) (?:dagar|dygn|veckor))",
        # Carers away, asleep, drinking or never home (one regex: the <ADULT> list is
        # costly to try at every word of a long message).
        r"\b(?:<ADULT>) (?:(?:har varit|ar|varit|var) borta (?:i|pa|sedan|sen|hela) (?:\w+ )?(?:dagar|dygn|veckor|vecka)\b|(?:\w+ )?(?:dricker|super|knarkar|festar) hela (?:helgerna|helgen|dagarna|natterna|kvallarna|tiden)\b|(?:\w+ )?(?:sover|ligger (?:och sover|i sangen|till sangs)) hela (?:dagarna|dagen|tiden|helgerna)\b(?! (?:(?:for|eftersom) (?:hon|han|hen|de|dom) (?:jobbar|ar sjuk|har jobbat)|efter (?:natt\w*|jobbet|nattpasset)|nar (?:hon|han) (?:jobbat|har jobbat))\b)|(?:\w+ ){0,2}?(?:(?:inte|aldrig) (?:kommer|kom)|(?:kommer|kom) (?:inte|aldrig)) hem\w* (?:pa|pa flera|sedan|sen|i) (?:\w+ )?(?:dagar|dygn|natter|veckor|vecka)\b|(?:ar|e) aldrig hemma\b)",
        r"\bensam hemma (?:i|pa|hela) (?:\w+ )?(?:vecka|veckor|dagar|dygn)\b",
        # Thrown out: "får inte bo hemma längre".
        r"\b(?:(?:far|fick|fa) (?:<JAG> )?(?:inte|int|aldrig)|(?:inte|int|aldrig) (?:far|fick)) (?:bo|komma|vara|sova) hem\w* (?:langre|mer|igen)\b|\b(?:slangde|slangt|slanger|kastade|kastat) ut <MIG> hemifran\b",
        # Carers drinking and children left to cope: "vi får klara oss själva".
        r"\b(?:vi|<JAG>) (?:far|fick|maste) klara (?:oss|<MIG>) (?:helt )?(?:sjalva|sjalv)\b",
        r"\bglommer bort (?:<MIG>|oss)\b",
        r"\b(?:leaves?|left) (?:me|us) (?:home )?alone for (?:days|weeks|a week|\w+ days)\b|\bthere ?s no food\b|\bthere is no food\b",
        r"\b(?:enda|enda riktiga) maten? <JAG> (?:far|ater|fick|at) (?:ar|e|var) (?:i skolan|skollunchen|skolmaten|lunchen i skolan|pa skolan|skollunch)\b|\bater (?:bara|enbart|bara nagot) (?:i|pa) skolan\b",
        r"\b(?:finns|fanns) (?:inget|ingenting|inte nagot|inte nat|aldrig nagot|aldrig nat|aldrig) (?:att ata|mat)\b(?! (?:som |<JAG> |jag )?(?:gillar|tycker om|vill ha|kan ata|ater)\b| kvar\b(?! hemma)| (?:i|pa) skolan\b)|\bnothing to eat\b",
        r"\b(?:slappte|slapper|slappt|slapper) (?:inte|aldrig) in <MIG>\b|\b(?:slappte|slapper) <MIG> (?:inte|aldrig) (?:in|komma in)\b",
        r"\b(?:sov|sova|fick sova|maste sova|sover) (?:ute|pa gatan|i trapphuset|i trappuppgangen|i en trappuppgang|i parken|utomhus|i porten)\b(?! (?:i (?:talt\w*|hangmatta\w*|tradgarden|sovsack\w*|vindskydd\w*)|pa (?:lagret|balkongen|scoutlagret|klassresan)|med (?:scouterna|klassen|pappa|mamma|kompisarna))\b)",
        r"\b(?:blev|blivit|har blivit|blir) (?:\w+ )?utkastad\w*",
        r"\blamnar (?:<MIG>|oss) (?:\w+ )?ensamma? (?:pa natterna|pa natten|over natten|varje natt|varje helg|hela natterna)\b",
        r"\b(?:far|maste|fick) ta hand om (?:oss|<MIG>) (?:helt )?(?:sjalva|sjalv)\b",
        r"\bglommer (?:hon |han |de |dom )?(?:bort )?(?:att )?(?:<MIG>|oss|vi finns|<JAG> finns)\b",
        r"\bnar (?:<ADULT>|han|hon) (?:dricker\b(?! (?:kaffe|te|vatten|mjolk|juice|lask|cola|saft|smoothie|choklad|oboy|energidryck)\b)|super\b|ar full\b|blir full\b|har druckit\b|knarkar\b|tar droger\b)",
        r"\binte (?:har|hade|far|fick) (?:nagon|nan|riktig) mat (?:hemma|i kylen|i huset|pa flera dagar)\b",
        r"\bingen (?:vuxen )?(?:bryr <SIG>|fragar|kollar|marker)\b(?: \w+){0,8}? (?:om|var|nar) <JAG> (?:har )?(?:atit|ater|sovit|sover|kommer hem|ar hemma|gar till skolan)\b",
        # Utilities cut off and nobody fixing it, not a storm.
        r"\b(?:har|hade) (?:inte|ingen|inget) (?:el|strom|varmvatten|varme)\b(?: \w+){0,4}? (?:och ingen|ingen (?:vuxen )?(?:fixar|betalar|bryr)|for ingen|pa flera (?:dagar|veckor)|sedan flera)\b",
        r"\b(?:don ?t|do not|never|doesn ?t|does not) (?:feed|give) (?:me|us) (?:any )?food\b|\b(?:don ?t|do not|doesn ?t) feed (?:me|us)\b|\b(?:nobody|no one|noone) (?:takes care of|looks after|feeds) (?:me|us)\b",
        r"\bingen (?:vuxen )?tvattar\b",
        r"\b(?:blir|brukar bli) utelast\w*",
        r"\b(?:vi|<JAG> och (?:\w+ )?(?:syskon\w*|lillebror|lillasyster|bror|syster)) (?:har |hade )?inte (?:atit|fatt (?:nagon )?mat) (?:\w+ )?(?:pa|pa hela|sedan|sen|i) (?:\w+ )?(?:dagen|dag|dagar|dygn|igar|morse|helgen)\b",
        r"\b(?:har|far|fick) inte (?:nagon |nan |riktig )?mat (?:hemma|i kylen|i huset)\b",
        r"\binga pengar (?:till|for att kopa|att kopa) mat\b|\binte rad (?:med|till|att kopa) mat\b|\bwe (?:have|got) no food\b|\bwe don ?t have (?:any )?food\b",
        r"\b(?:maste|far|fick|tar|tog) (?:alltid |jamt |sjalv )?(?:ta )?hand om (?:mina )?(?:sma)?syskon\w*\b(?: \w+){0,6}? (?:for att|eftersom|nar|for) (?:<ADULT>|hon|han) (?:\w+ )?(?:orkar inte|ar aldrig hemma|inte ar hemma|ligger|sover|dricker|super|ar full|ar borta|jobbar jamt)\b",
        r"\b(?:<ADULT>) (?:har )?(?:stuckit|lamnat oss|lamnat <MIG>|dragit|forsvunnit|dragit ivag)\b(?: \w+){0,4}? (?:ensam|ensamma|sjalva|sjalv)\b",
        r"\b(?:har ingen|inte har nagon|ingen egen) sang\b|\bsover pa golvet\b(?! (?:hos|pa (?:lagret|kalaset|festen|sovovning\w*)|i taltet)\b)",
        r"\b(?:far|fick) (?:<JAG> )?(?:inte|int|aldrig) (?:ga|aka|komma|fa komma) (?:till )?(?:doktorn|lakaren|tandlakaren|sjukhuset|vardcentralen|akuten)\b",
        r"\bingen (?:vuxen )?bryr <SIG> (?:om <MIG>|nat om <MIG>)\b(?: \w+){0,4}? (?:klara <MIG> sjalv|sjalv|ater|mat)\b",
        r"\bvi (?:har |hade )?inte (?:atit|fatt (?:nagon )?mat) (?:\w+ )?(?:pa|sedan|sen|i) (?:\w+ )?(?:dagar|dygn|veckor|vecka)\b|\bwe (?:have ?n ?t|havent|have not|haven t|didn ?t) (?:eaten|had (?:any )?food)\b",
        r"\binte (?:haft|fatt|atit) (?:nagon |nan |riktig )?(?:middag|frukost|lunch) (?:pa|sedan|sen|i) (?:\w+ )?(?:dagar|dygn|veckor|vecka|igar|forrgar|helgen)\b",
        r"\b(?:bor|lever|sover) pa gatan\b",
        r"\b(?:far|maste|fick) (?:laga|fixa|kopa) (?:\w+ )?mat (?:\w+ )?(?:sjalv|sjalva|at (?:oss|mina syskon))\b(?: \w+){0,4}? <JAG> (?:ar|e) (?:[4-9]|1[0-2]|fyra|fem|sex|sju|atta|nio|tio|elva|tolv)\b",
        r"\b(?:bara|inga|ingen) (?:sommarklader|vinterklader|vinterjacka|jacka|vinterskor|hela klader|rena klader)\b(?: \w+){0,5}? (?:vinter|kallt|minus|ingen kopar|ingen tvattar|ingen bryr)\b",
        r"\b(?:hungrig|jattehungrig|svalter|har inte atit)\b(?: \w+){0,6}? (?:finns|fanns) (?:inget|ingenting|inte nagot|ingen mat)\b",
        r"\b(?:<ADULT>|de|dom|ingen) (?:\w+ )?(?:tar|tog) (?:inte|aldrig) hand om (?:<MIG>|oss|mina syskon|barnen)\b",
    ), victim=True),
    # ------------------------------------------------------ sexual abuse
    RuleSpec("sexual_passive", SEXUAL_ABUSE, (
        # Words for what happened; who it happened to comes before them
        # ("min kompis blir utsatt för grooming" is about the friend).
        r"\bsexuell\w* (?:overgrepp|ofredande|trakasserier|utnyttj\w*|vald)|\bovergrepp\w*|\bincest\w*|\bpedofil\w*|\bgroom\w*|\bsextortion\b|\bsexutpress\w*",
        # The victim is the subject: "blev våldtagen", "min kompis blev tafsad på".
        r"\b(?:blev|blir|har blivit|blivit|var|ar|e) (?:\w+ )?(?:valdtagen|valdtagna|valdtogs|tafsad\w*|ofredad\w*|antastad\w*|sexuellt (?:utnyttjad|ofredad|trakasserad)\w*|utnyttjad sexuellt|groomad\w*|utsatt for (?:sexuella \w+|ett overgrepp|overgrepp|valdtakt\w*|grooming|sextortion|sexutpressning))\b",
        r"\b(?:har varit|varit|var) med om (?:ett |en )?(?:overgrepp|valdtakt|sexuellt overgrepp)\b",
        r"\b(?:tvingad|tvingades|tvingats|pressad|pressades|lurad|lurades) (?:\w+ )?(?:till|att ha|att) sex\b",
        r"\b(?:got|was|been|being) (?:groomed|raped|molested|sexually \w+)\b",
        r"\b(?:blev|blir|har blivit|blivit) (?:\w+ )?(?:tagen|tafsad|kladdad|tagna) pa (?:i )?(?:brost\w*|rump\w*|tuttar\w*|snipp\w*|snopp\w*|kuk\w*|underliv\w*|laren|skrevet|mellan benen)\b",
        r"\butnyttja(?:d|s|des|t)\w* (?:\w+ )?(?:av|by) (?:en )?(?:vuxen|aldre|man|gubbe|kille pa \d+|\d+)\b",
        r"\b(?:blev|har blivit|blivit|blir) (?:\w+ )?(?:utnyttjad\w*|tagen pa|anvand) (?:\w+ )?nar <JAG> (?:sov|var full|var drogad|var packad|var borta|inte kunde)\b",
        r"\b(?:blir|blev|har blivit|blivit|ar) (?:\w+ )?utpressad\w* (?:med|pa|for) (?:\w+ )?(?:bild\w*|nudes|video\w*|film\w*|nakenbild\w*)\b",
        r"\b(?:tvingad|tvingades|pressad|pressades|lurad|lurades|hotad) (?:\w+ )?(?:att |till att )?(?:skicka|visa|ta) (?:\w+ ){0,2}?(?:bild\w*|nudes|video\w*|film\w*)\b",
    ), unguarded=True, victim=True),
    RuleSpec("sextortion", SEXUAL_ABUSE, (
        # Pictures used as a threat: "annars skickar han den till alla",
        # "han har mina nudes och säger att han lägger ut dom".
        r"\b(?:annars|om <JAG> inte|if i don ?t|or else|otherwise) (?:\w+ ){0,6}?(?:skickar|skicka|sprider|sprida|lagger ut|lagga ut|visar|visa|postar|posta|post|share|send|leak|publicerar|berattar|beratta) (?:\w+ ){0,4}?(?:bild\w*|nudes|pics|video\w*|film\w*|den|dom|dem|till alla|for alla|till (?:mina|min|hela|skolan)|for (?:mina|min)|pa natet)",
        r"\b(?:har|sparat|sparade|screenshotat|screenshotade|screenat|fick) (?:kvar )?(?:mina|min|bilder pa <MIG>|bilderna|bilden|nakenbilder\w*|nudes)\b(?: \w+){0,8}? (?:lagger ut|lagga ut|sprider|sprida|skickar (?:den|dom|dem|de|bilderna|bilden|vidare|till)|visar (?:den|dom|dem|bilderna)|publicera\w*|om <JAG> inte)",
        r"\bom <JAG> inte (?:skickar|skickade|skicka|visar|visade) (?:\w+ ){0,2}?(?:bild\w*|nudes|nakenbild\w*|video\w*|film\w*|fler|mer)\b",
        r"\b(?:will|gonna|going to|threaten\w* to|says? (?:he|she|they) (?:will|ll)|said (?:he|she|they) (?:will|would|ll)) (?:post|share|leak|spread|send) (?:my|the|those|these) (?:pics|nudes|photos|pictures|videos?)\b",
        r"\b(?:blackmail\w*|utpress\w*) (?:<MIG>|me) (?:med|with)\b",
        r"\b(?:ska|skulle|kommer(?: att)?) (?:sprida|lagga ut|skicka (?:ut|runt|till alla)|publicera|visa (?:alla|for alla)) (?:\w+ )?(?:<NUDES>|bilderna|bilden|filmen|videon|mina bilder)(?: pa <MIG>)?\b(?: \w+){0,3}? (?:om <JAG>|annars|if i)\b",
    ), unguarded=True, requires="pics_context"),
    RuleSpec("pictures_spread", SEXUAL_ABUSE, (
        # Intimate pictures spread or taken in secret.
        r"\b(?:cirkulerar|sprids|sprider|sprida|spred|spritt|lagt ut|la ut|lade ut|lagger ut|skickar runt|skickat runt|skickade runt|delar|delat|delade) (?:\w+ ){0,3}?(?:naken\w*|nudes|sexbild\w*|sexfilm\w*|(?:video\w*|film\w*|bild\w*) pa <MIG> naken)\b",
        r"\b(?:bild\w*|video\w*|film\w*|filmade|fotade) (?:pa )?<MIG> (?:naken|nar <JAG> (?:duschade|duschar|bytte om|byter om|sov|sover|var full|var naken|kissade))\b",
        r"\b<NUDES>\b(?: \w+){0,8}? (?:sprids|spreds|har spritts|ligger ute|har lagts ut|lades ut|cirkulerar|delas)\b",
    ), unguarded=True),
    RuleSpec("secret_meeting", SEXUAL_ABUSE, (
        # Someone who wants to meet and wants it kept secret - unless it is a
        # surprise ("det är hemligt för det är en överraskning till mamma").
        r"\b(?:vill att <JAG> (?:ska )?(?:kommer|komma|traffar|traffa)|vill traffa <MIG>|vill traffas)\b(?: \w+){0,8}? (?:inte (?:ska |far |borde )?(?:beratta|saga)|hemlig\w*|ingen (?:far|ska) veta)\b(?!(?: \w+){0,8}? (?:overraskning\w*|kalas\w*|present\w*|julklapp\w*|fodelsedag\w*)\b)",
    ), unguarded=True),
    RuleSpec("grooming", SEXUAL_ABUSE, (
        # An adult ("en 25-åring", "han är 30") and secrecy, love or meeting.
        r"\b(?:hemlig\w*|hemlis|ingen (?:far|ska|kommer|maste) (?:veta|fa veta|fa reda)|speciell (?:relation|vanskap)|mogen for (?:min|din) alder|radera (?:chatten|meddelandena|allt)|alskar <MIG>|inte (?:beratta|saga) (?:det )?(?:for|till) (?:mamma|pappa|nagon|nan|nan vuxen|mina foraldrar))\b",
        r"\b(?:vill att <JAG>|ber <MIG>|bad <MIG>|fick <MIG> att) (?:\w+ ){0,2}?(?:slar pa|satter pa|sla pa|satta pa) (?:kameran|kamera|videon|webbkameran)\b",
        r"\b(?:han|hon|hen) (?:ar|e) (?:[2-9]\d|1[89])(?: ar)?\b(?: \w+){0,8}? (?:sex|ligger med|legat med|ligga med|nakenbild\w*|nudes)\b|\b(?:vi har|har vi) sex\b",
    ), unguarded=True, requires="adult_age_context"),
    RuleSpec("sexual_more", SEXUAL_ABUSE, (
        # Payment for pictures: "ger mig presentkort om jag skickar bilder".
        r"\b(?:pengar|betalt|presentkort|robux|vbucks|v bucks|swish|kronor|kr|spann|gavor|skins)\b(?: \w+){0,4}? (?:for att|om <JAG>|mot|for) (?:\w+ )?(?:skicka\w*|visa\w*|ta\w*) (?:\w+ ){0,2}?(?:bild\w*|nudes|video\w*|film\w*)",
        # Undressing on camera: "bad mig ta av tröjan i videosamtalet".
        r"\b(?:ta|tar|tog|kla|klar|klade) av (?:<MIG>|trojan|allt|kladerna|tshirten|linnet|bh\w*|byxorna)\b(?: \w+){0,4}? (?:i|pa|framfor) (?:kamera\w*|videosamtal\w*|facetime|videon|webbkamera\w*|live|snap\w*|skype|discord)",
        r"\b(?:kamera\w*|videosamtal\w*|facetime|webbkamera\w*)\b(?: \w+){0,6}? (?:ta av|tar av|kla av|klar av) (?:<MIG>|trojan|allt|kladerna)\b",
        # Forced "things": "tvingade mig att göra saker jag inte ville".
        r"\b(?:tvingar|tvingade|tvingat|pressar|pressade|pressat|lurade|lurar) <MIG> (?:att gora|till|att|gora) (?:saker|grejer|sant|nat|nagot)\b(?: \w+){0,4}? (?:<JAG> (?:inte|aldrig) (?:ville|vill|gillar)|i sangen|fast <JAG>|sexuell\w*|som <JAG> inte)",
        # A stranger asking for pictures: "a guy online wants me to send pics".
        r"\b(?:guy|man|someone|somebody|stranger|person|dude|adult)\b(?: \w+){0,3}? (?:wants|asked|asks|keeps asking|is asking|told|tells|forces|forced|pressures?|pressured) me (?:to )?(?:send|show) (?:him |her |them )?(?:pics|nudes|pictures|photos|my body)\b",
        # A non-parent adult kissing the writer.
        r"\b(?:tranar\w*|larar\w*|ledar\w*|personal\w*|mentor\w*|rektor\w*|granne\w*|styv\w+|bonus\w+|en vuxen|vuxen|en man|gubbe\w*) (?:\w+ )?(?:kysste|kysser|kysst|tungkysste|tungkysser|hanglade|hanglar) <MIG>\b",
        r"\b(?:skickat|skickade|skickar|visat|visade|visar) (?:\w+ )?(?:bild\w*|video\w*|film\w*|snaps?) (?:pa|av) (?:sin|sitt|sina) (?:snopp|kuk|penis|kon|underliv|brost|tuttar|naken\w*|nakna kropp)\b",
        r"\b(?:ber|bad|vill att) (?:<MIG> )?(?:<JAG> )?(?:ska )?(?:visa <MIG>|visar <MIG>|klar av <MIG>|kla av <MIG>|ta av <MIG>) (?:\w+ )?(?:i|pa|framfor) (?:kamera\w*|videosamtal\w*|facetime|webbkamera\w*|video\w*|live)\b",
        r"\b(?:filmade|filmat|fotade|fotat|spelade in) (?:\w+ ){0,3}?(?:nar|medan) (?:vi|<JAG>) (?:hade sex|har sex|lag med|duschade|bytte om|var naken|sov)\b",
        r"\b(?:satte|stoppade|stack|trakade|tryckte|for) (?:in )?(?:sina |sin |hans )?(?:fingrar\w*|finger|handen|kuken|snoppen|penis) (?:in )?(?:i|in i) <MIG>\b",
        r"\btvinga\w* <SIG> pa <MIG>\b",
        r"\b(?:vaknade|vaknar) (?:\w+ ){0,3}?(?:och|nar|av att) (?:han|hon|hen|nagon|nan|<ADULT>) (?:\w+ )?(?:lag pa <MIG>|ligger pa <MIG>|tog pa <MIG>|tar pa <MIG>|rorde <MIG>|ror <MIG>|hade handen|var i min sang|lag i min sang|klade av <MIG>)\b",
        r"\bvaknade (?:\w+ ){0,3}?naken\b|\bnaken (?:\w+ ){0,6}?minns inte\b|\bminns inte vad som (?:hande|hant)\b(?: \w+){0,6}? (?:naken|drogad|sex)\b",
        r"\b(?:kommer|kom|gar|gick|smyger|smog|tittar|tittade|kikar|kikade) (?:in )?(?:\w+ ){0,2}?(?:nar|medan) <JAG> (?:duschar|duschade|badar|badade|byter om|bytte om|klar av <MIG>|ar naken|var naken)\b",
        r"\b(?:fejk\w*|fake\w*|falsk\w*|redigerad\w*|photoshoppad\w*|ai) (?:\w+ )?(?:naken\w*|nude\w*|porr\w*|sexbild\w*)|\bdeepfake\w*",
        r"\b(?:bad|ber|fragade|fragar|tjatar|tjatade|vill ha|ville ha|kraver|kravde) (?:\w+ ){0,2}?(?:om |efter )?(?:fler )?<NUDES>",
        r"\b(?:vill|ville) att <JAG> (?:ska )?(?:skickar|skicka|tar|ta) (?:\w+ ){0,2}?<NUDES>",
        r"\b(?:gor|gjorde|gjort) (?:saker|grejer|sant) (?:med|mot) <MIG> (?:\w+ )?nar <JAG> (?:var full|sov|var drogad|var packad|inte kunde|var borta)\b",
        r"\bmogen for (?:min|din) alder\b",
        r"\btvinga\w* <MIG> (?:att )?(?:ta pa|ror|rora|kyssa|suga|runka|smeka) (?:\w+ )?(?:honom|henne|hans|hennes|dem|dom|hen|den)\b",
        r"\b(?:skriver|skrev|skrivit|skickar|skickade|skickat|sager|sa|sagt) (?:\w+ )?(?:sexuella|snuskiga|ackliga|sexiga|kata|olampliga|sexiga) (?:saker|grejer|meddelanden|kommentarer|ord|sms|snaps)\b",
        r"\b(?:gor|gjorde|gjort) (?:saker|grejer|sant) (?:med|mot) <MIG> (?:\w+ )?(?:pa natten|pa natterna|nar <JAG> sover|nar <JAG> sov|i min sang|nar mamma (?:jobbar|sover|ar borta))\b",
        r"\b(?:gor|gjorde|gjort) (?:\w+ )?(?:sexuella|snuskiga|konstiga|ackliga) (?:saker|grejer) (?:med|mot) <MIG>\b",
        r"\b(?:asked|told|wants|wanted|made|forced|asks) me to (?:take off|remove) my (?:clothes|shirt|top|pants|bra)\b|\b(?:undress|strip)\b(?: \w+){0,3}? (?:on|for) (?:camera|cam|video)\b",
        r"\b(?:comes?|came|sneaks?|snuck|gets?) (?:into|in) (?:my )?(?:room|bed)\b(?: \w+){0,3}? (?:at night|every night|when i ?m asleep|when i sleep)\b",
        r"\b(?:fatt|fick|far|lurat|lurade|pressat|tvingat) <MIG> att (?:skicka|visa|ta) (?:\w+ ){0,2}?(?:bild\w*|nudes|video\w*|film\w*)\b(?!(?: \w+){0,3}? (?:till|at) (?:mormor|morfar|farmor|farfar|mamma|pappa|familjen|lararen|skolan)\b)",
    ), unguarded=True),
    # --------------------------------------------------------- honour
    RuleSpec("forced_marriage", HONOUR, (
        r"\b(?:gifta|gifter|gifte|giftas|giftes|lova|lovar|lovat|lovade) bort\b",
        r"\b(?:tvangs ?gift\w*|tvangs ?aktenskap\w*|tvangsaktenskap\w*|barnaktenskap\w*|barnbrud\w*|heders ?vald\w*|heders ?relat\w*|heders ?fortryck\w*|heders ?mord\w*|heders ?brott\w*|heders ?kultur\w*)",
        # Coerced to marry or get engaged: "pappa säger att jag ska gifta mig med en man jag aldrig träffat".
        r"\b(?:sager|sa|bestamt|bestammer|tvingar|tvingade|kraver|planerar|ska|har bestamt) (?:att )?<JAG> (?:ska|maste|kommer att) (?:gifta <MIG>|giftas|forlovas|forlova <MIG>)\b",
        # A specific person, time or place, not a wish for some day ("vill att jag gifter mig med någon från samma religion").
        r"\b(?:vill|ville) att <JAG> (?:ska )?(?:gifter <MIG>|gifta <MIG>|giftas|forlovar <MIG>|forlovas) (?:med )?(?:min kusin|en kusin|min \w+s \w+|en man|en kille|en aldre|honom|nagon <JAG> (?:inte|aldrig)|nan <JAG> (?:inte|aldrig)|i sommar|snart|nu|nasta (?:ar|sommar)|i (?:hemlandet|\w+landet|\w+stan))\b",
        r"\b(?:tvingad|tvingas|tvingades|pressad|pressas|maste) (?:att )?(?:gifta <MIG>|giftas|forlova <MIG>|forlovas)\b",
        r"\b(?:tvingad|tvingas|tvingades|pressad|pressas) (?:att )?(?:gifta <SIG>|forlova <SIG>)\b",
        r"\b(?:ska|maste) (?:gifta <MIG>|giftas|forlovas) (?:med )?(?:\w+ ){0,5}?(?:<JAG> (?:aldrig|inte) (?:har )?(?:traffat|kanner|valt|vill)|i slakten|min kusin|som ar \d+|mot min vilja)\b",
        # Taken abroad against one's will.
        r"\b(?:skicka|skickar|ta|tar|aka|akar|flytta|flyttar|lamna|lamnar) (?:<MIG>|oss) (?:\w+ )?(?:(?:till|i) )?(?:hemlandet|ett annat land|utlandet|utomlands|\w+ for att (?:gifta|giftas|forlova\w*|uppfostra\w*))\b(?: \w+){0,6}? (?:om <JAG> inte|annars|inte (?:far|kommer (?:att )?fa) komma (?:hem|tillbaka)|gifta|gift\w*|forlova\w*|for alltid|mot min vilja)",
        r"\b(?:force|forcing|forced) me to (?:marry|get married)\b|\b(?:marry me off|arranged marriage|forced marriage|honou?r (?:violence|killing|based))\b|\b(?:sending|send|take|taking) me (?:abroad|back home|to \w+) to (?:get married|marry)\b",
        # Who to marry decided by others, a wedding planned, a refusal, the passport taken.
        r"\b(?:bestammer|bestamt|bestamde|valt|valjer|valde|har valt|hittat|hittade|ordnat|ordnar|planerar|planerat) (?:\w+ ){0,2}?(?:vem|vilken|vilka) (?:\w+ )?<JAG> (?:ska |maste )?(?:gifta <MIG>|gifter <MIG>|giftas|forlovas)\b",
        r"\b(?:far|fick) (?:<JAG> )?(?:inte|int|aldrig) (?:sjalv )?valja (?:vem|vilken) <JAG> (?:ska )?(?:gifta|gifter|giftas|forlova)",
        r"\b(?:hittat|hittade|valt|valde|ordnat|ordnade|bestamt) (?:en )?(?:man|kille|fru|make|maka|brudgum|brud) (?:at|till|for) <MIG>\b",
        r"\b(?:planerar|planerat|ordnar|ordnat|bestamt|fixar|fixat) (?:\w+ )?(?:mitt|ett|vart) brollop\b",
        r"\b<JAG> (?:ska|maste|kommer att) giftas\b(?! (?:nar|om) <JAG> (?:blir|ar) (?:stor|vuxen|aldre)\b)",
        r"\b(?:gifta <MIG>|giftas|forlovas|forlova <MIG>)\b(?: \w+){0,6}? (?:och|men) (?:<JAG> )?(?:vill inte|ville inte|vagrar|vagar inte saga nej)\b",
        r"\bvagra\w* (?:att )?(?:gifta|giftas|forlova\w*)\b",
        r"\b(?:tagit|tog|tar|gomt|gommer|gomde|lagt beslag pa|beslagtagit) (?:\w+ )?(?:mitt|min|mina) pass\b(?! (?:for att|sa att|sa) (?:<JAG> )?(?:inte |det inte )?(?:fornya|tappa|tappar|glommer|forsvinner|kommer bort|ar sakert)\w*)|\b(?:took|taken|hid|hidden|have) my passport\b",
        r"\bvill inte (?:gifta <MIG>|giftas|forlovas)\b(?: \w+){0,6}? (?:men|fast) <JAG> (?:maste|ar tvungen|tvingas)\b",
        r"\b(?:bortgift\w*|bortlov\w*|bortgiftning\w*|giftermal mot min vilja)\b",
        r"\b(?:lovad|lovat|utlovad) (?:bort )?(?:till|at) (?:en |min )?(?:kusin\w*|man|kille|aldre|slakting\w*)\b",
        r"\b(?:forlovat|forlovade|forlovar) <MIG>\b",
        r"\b<JAG> (?:ar|e) (?:1[0-7]|[0-9]|tio|elva|tolv|tretton|fjorton|femton|sexton|sjutton)\b(?: \w+){0,4}? (?:ska|maste) (?:gifta <MIG>|giftas|forlovas)\b",
        r"\b(?:maste|ska|tvingas) (?:gifta <MIG>|giftas) (?:innan|nar|forran) <JAG> (?:blir|fyller|ar) (?:1[0-8]|arton|sjutton|sexton|myndig)\b",
        r"\b(?:vill|ska|tanker|planerar|hotar med att|kommer att) (?:att )?(?:skicka|lamna|lampa av) <MIG> (?:tillbaka )?(?:till|i|hos) (?:hemlandet|\w+landet|ett annat land|utlandet|utomlands|slakten)\b",
        r"\bforced to marry\b|\bmarry my cousin\b",
        r"\bmarry me off\b|\bmarried off\b",
    ), victim=True),
    RuleSpec("honour_control", HONOUR, (
        # Shame, control and threats over relationships or sexuality.
        r"\b(?:drar|dra|drog|dragit) skam over (?:familjen|slakten|oss)|\b(?:skamt|skammer|skammar) ut (?:familjen|slakten|oss|dem|dom)\b|\bvanar\w* (?:familjen|slakten|oss)\b|\b(?:forstort|forstor|smutsat) (?:familjens|slaktens) (?:heder|rykte|ara)\b",
        r"\b(?:vaktar|bevakar|kontrollerar|kontrollera|foljer efter|kollar) <MIG>\b(?: \w+){0,4}? (?:sa att|sa) <JAG> (?:inte|aldrig) (?:ska )?(?:traffar|traffa|pratar|prata|umgas)\b",
        r"\bkontrollera\w* (?:vem|vilka|vad|var|nar) <JAG> (?:pratar|traffar|umgas|ar)\b",
        # Death threats over a boyfriend, sexuality or virginity: "om min familj får veta att jag har pojkvän dödar de mig".
        r"\b(?:om|nar) (?:\w+ ){0,4}?(?:far (?:veta|reda pa)|marker|ser|upptacker|hittar|kommer pa) (?:att )?(?:<JAG> )?(?:har|ar|e|har haft|traffar|traffat|pratar|pratat) (?:en )?(?:pojkvan|flickvan|kille|tjej|gay|bi|homo|lesbisk|flata|trans|kar|sex|inte oskuld)\b(?: \w+){0,5}? (?:doda|dodar|mordar|morda|slar ihjal|sla ihjal|ha ihjal|skickar|gifter bort|kastar ut|straffa\w*|slar|sla)\b",
        r"\b(?:maste vara|ar inte|inte ar) oskuld\b(?: \w+){0,6}? (?:annars|doda|dodar|straffa|slar)\b|\b(?:doda|dodar|straffar|slar) (?:\w+ ){0,3}?om <JAG> inte (?:ar|e) oskuld\b",
        r"\b(?:vaktar|bevakar|kontrollerar|kollar|foljer (?:efter )?<MIG>|kollar min mobil|laser mina meddelanden|spionerar pa <MIG>)\b(?: \w+){0,8}? (?:sa att|sa|for att) <JAG> (?:inte|aldrig) (?:ska )?(?:traffar|traffa|pratar|prata|umgas|har|ska ha)\b(?! med (?:framling\w*|okanda|vuxna pa natet|nan pa natet))",
        r"\bforstor\w* (?:familjens|slaktens|deras|vart|hans|pappas|mammas) (?:heder|rykte|ara|namn)\b",
        r"\b(?:kill|hurt|beat|disown|marry) me (?:off )?if (?:they|he|she|my \w+) (?:ever )?(?:find|finds|found) out (?:that )?i (?:have|m|am|had|was|like) (?:a )?(?:boyfriend|girlfriend|gay|lesbian|bi|not a virgin|dating)\b",
        r"\b(?:blir|ar|e) (?:\w+ )?(?:kontrollerad|bevakad|overvakad|vaktad) (?:\w+ ){0,3}?av (?:min |mina )?(?:familj\w*|bror\w*|broder\w*|pappa|foraldrar\w*|slakt\w*|kusin\w*)\b",
        r"\b(?:bror|brorsan|broder|brorsor|pappa|familjen|min familj|kusin\w*|slakten|farbror|morbror) (?:\w+ )?(?:bevakar|vaktar|overvakar|kontrollerar|spionerar pa) <MIG>\b",
        r"\bhota\w* (?:med )?att (?:skicka|ta|flytta|lamna) (?:ivag |bort )?<MIG> (?:ivag |bort )?(?:\w+ ){0,3}?(?:till|i) (?:hemlandet|ett annat land|utlandet|utomlands|\w*landet)\b",
        r"\b(?:doda|dodar|mordar|slar ihjal|sla ihjal|ha ihjal|straffa|kastar ut|gifter bort|skickar(?: bort)?) (?:<MIG>|oss) (?:\w+ )?om <JAG> (?:blir ihop med|ar ihop med|har|traffar|gifter <MIG> med|ar kar i|kysser|pratar med|umgas med) (?:en |ett )?(?:\w+ )?(?:kille|tjej|pojkvan|flickvan|svensk\w*|kristen|muslim|annan|honom|henne)\b",
        r"\b(?:radd|livradd|skraamd) (?:for )?(?:min familj|familjen|pappa|mina foraldrar|slakten|min bror|mina broder)\b(?: \w+){0,4}? (?:for att|eftersom|om|nar) (?:de |dom )?(?:\w+ )?(?:<JAG> ar|<JAG> e|ar|att <JAG> ar) (?:gay|bi|homo|lesbisk|flata|trans|queer|kar)\b",
        r"\b(?:far|fick) (?:<JAG> )?(?:inte|int|aldrig) (?:bestamma|valja) (?:over|sjalv over)? ?(?:mitt (?:eget )?liv|mina (?:egna )?vanner|vem <JAG> (?:ska )?(?:traffa|umgas|vara med))\b",
        r"\b(?:familjen|min familj|mina foraldrar|pappa|min bror|brorsan) (?:\w+ )?(?:bestammer|kontrollerar) (?:allt|over allt|hela mitt liv|mitt liv|vad <JAG> (?:gor|far gora)|vem <JAG>)\b",
        r"\b(?:far|fick) (?:<JAG> )?(?:inte|int|aldrig) (?:prata|traffa|umgas|vara) med (?:killar|tjejer|en kille|en tjej)\b(?: \w+){0,4}? (?:straff\w*|stryk|slar|doda\w*|skam|skams|annars)\b",
        r"\b(?:tvingar|tvingade|tvingas|tvingad) (?:<MIG> )?(?:att )?(?:bara|bar|ha pa <MIG>) (?:sloja|slojan|hijab|nikab|burka)\b",
        r"\bfamiljs? heder\b|\b(?:familjens|vart|var|slaktens) (?:heder|hedern)\b|\bheder(?:n)?\b(?: \w+){0,6}? (?:forstor|forstort|skam|skams|doda|straff)",
        r"\b(?:controls?|control) (?:everything|my life|who i)\b(?: \w+){0,6}? (?:honou?r|family)|\b(?:honou?r)\b(?: \w+){0,6}? (?:kill|hurt|beat|marry|control)",
        r"\b(?:familj\w*|slakt\w*|pappa|bror|broder|brorsan|foraldrar\w*|mamma|kusin\w*) (?:\w+ ){0,3}?(?:sager|tycker|sa|bestammer|har bestamt) (?:att )?<JAG> (?:inte|int|aldrig) (?:far|kan|ska|maste) (?:vara kar|bli kar|ha (?:en )?(?:pojkvan|flickvan)|traffa (?:killar|tjejer|nagon)|ga i skolan|ha kompisar|valja)\b",
        r"\b(?:far|fick) (?:<JAG> )?(?:inte|int|aldrig) (?:ga|vara|aka) (?:ut|nagonstans|till skolan|hemifran) (?:\w+ )?utan (?:min |mina )?(?:bror|brorsan|broder|kusin\w*|pappa|familj\w*)\b",
        r"\b(?:far|fick) (?:<JAG> )?(?:inte|int|aldrig) (?:ga pa|vara med pa|delta i|vara med i) (?:\w+ )?(?:sim\w*|idrott\w*|gympa\w*|skolresa\w*|klassresa\w*|lagerskola\w*|fest\w*|sexualundervisning\w*|sex och samlevnad)\b(?: \w+){0,3}? (?:for|av) (?:min |mina )?(?:familj\w*|pappa|bror\w*|foraldrar\w*|slakt\w*)\b",
        r"\b(?:hemlandet|\w+landet|utomlands|utlandet|somalia|irak|afghanistan|pakistan|syrien|turkiet|iran|libanon|marocko|eritrea|etiopien|kosovo|bosnien)\b(?: \w+){0,8}? (?:lamna <MIG>|lamnar <MIG>|lamnas kvar|stanna (?:dar|kvar)|bo kvar|inte komma tillbaka|inte fa komma (?:hem|tillbaka))\b",
        r"\b(?:skammer|skammar|skamt) ut (?:\w+ )?(?:infor|for|i) (?:slakten|familjen|vart samhalle|moskeen|kyrkan)\b",
        r"\b(?:bring|brought|bringing|brings) shame (?:on|to) (?:the|my|our) family\b|\bdishonou?r\w*",
        r"\b(?:familj\w*|pappa|mamma|foraldrar\w*|bror\w*|broder|slakt\w*) (?:\w+ ){0,6}?oskuld\w*",
    )),
    RuleSpec("honour_threat", HONOUR, (
        # Present-tense threats from the family in an honour context.
        r"\b(?:doda|dodar|mordar|morda|slar ihjal|sla ihjal|straffa|straffar|kommer straffa|ska straffa) (?:de |dom |han |hon |dem |pappa |mamma |familjen |min familj )?<MIG>\b",
        r"\bhota\w* <MIG>\b",
    ), requires="honour_context"),
    # ------------------------------------------------- friend in danger
    RuleSpec("hang_self", SUICIDE, (
        # "pratar om att hänga sig" (not "datorn hänger sig": a guard).
        r"\b(?:hanga|hanger|hangde|hangt) <SIG>\b(?! (?:pa|kvar|med|fast|i|ut|upp|efter|kring)\b)",
    ), victim=True),
    RuleSpec("friend_self_harm", SELF_HARM, (
        # Third person forms: "min kompis skär sig", "min bror skadar sig själv".
        r"\b(?:skar|skurit|skarit|rispar|rispat|skadar|skadat|skadade|branner|brande|svalter|cuttar|cuttat|karvar) <SIG>(?: <SJALV>)?\b",
    ), accident=True, victim=True),
    RuleSpec("friend_reported", FRIEND, (
        # A friend's own words reported: "skrev att hon ska ta tabletter ikväll".
        r"\b(?:sa|sager|sagt|skrev|skriver|skrivit|hotar|hotade|pratar om) (?:att )?(?:hon|han|hen|dom|de) (?:ska|kommer|tanker|vill) (?:att )?(?:ta|svalja) (?:\w+ )?<PILL>",
        # Someone else touched or hit, with a friend or their family named:
        # "hennes styvpappa tar på henne", "min kompis pappa slår henne".
        r"\b<HIT> (?:henne|honom|hen)\b(?! (?:i (?:fifa|schack|spelet|matchen)|pa (?:axeln|handen|armen))\b)",
    ), requires="friend_context"),
    RuleSpec("abused_other", FRIEND, (
        # Someone else raped or abused: "han våldtog min kompis", "våldtog henne".
        r"\b(?:valdtog|valdtar|valdtagit|ofredade|ofredar|utnyttjade|utnyttjar|tafsade pa|tafsar pa) (?:\w+ )?<OTHER_OBJ>\b",
        # A friend afraid of their own parent: "min kompis är rädd för sin pappa".
        r"\b(?:radd|livradd|skraamd) for (?:sin|sina|hennes|hans|hens) (?:pappa|mamma|styv\w+|bonus\w+|foraldrar|bror|familj|pojkvan|flickvan)\b",
    )),
    RuleSpec("touched_other", FRIEND, (
        # "min lillasyster berättade att morbror tar på henne"
        r"\b(?:tar pa|tog pa|tafsar pa|tafsade pa|ror vid|rorde vid|ror|rorde|kladdar pa|smeker|kysser) (?:henne|honom|hen)\b(?! (?:jackan|mossan|skorna|kladerna|trojan|handen|armen|overallen|vantarna|halsduken|i (?:fifa|schack|spelet|matchen)|pa (?:axeln|handen|armen))\b)",
        r"\b(?:gor|gjorde|gjort) (?:\w+ )?(?:saker|grejer|sant|sexuella saker) (?:med|mot) (?:henne|honom|hen)\b",
    ), requires="friend_or_sibling_context"),
    RuleSpec("friend_english", FRIEND, (
        r"\b(?:wants? to|wanna|is going to|gonna|tried to|trying to|will|might|is planning to|plans to|threatens to|talks about) (?:kill|hurt|cut|harm|unalive|starve) (?:him|her|them)sel(?:f|ves)\b",
        r"\b(?:is|are|s|has been|have been|keeps|started|been) (?:cutting|hurting|harming|starving) (?:him|her|them)sel(?:f|ves)\b",
        r"\b(?:my )?(?:friend|bestie|best friend|bff|brother|sister|cousin|classmate) (?:\w+ ){0,2}?(?:wants to die|is suicidal|tried to kill|is being (?:abused|hit|beaten|raped)|gets (?:hit|beaten)|doesn ?t want to live)\b",
        r"\b(?:told me|says|said|thinks|think) (?:that )?(?:her|his|their) (?:\w+ )?(?:touch(?:es|ed)?|hits?|beats?|rapes?|raped|abuses?|abused|hurts?) (?:her|him|them)\b",
    )),
    # ------------------------------------------------------------- acute danger
    RuleSpec("intruder", ACUTE, (
        r"\b(?:forsoker (?:ta <SIG> |bryta <SIG> )in|forsoker komma in\b(?!(?: pa| till| i (?:skolan|klassen|laget|gymnasiet))\b)|bryter <SIG> in|bryter in|har brutit <SIG> in|tar <SIG> in\b(?! pa\b)|sparkar (?:pa|in) dorren|sparkar in)\b",
        r"\b(?:bankar|bultar|slar|hamrar|bankade|bultade|slog|hamrade|sparkade|sparkar) (?:pa|in) (?:dorren|fonstret|min dorr|ytterdorren|badrumsdorren|rumsdorren)\b",
        r"\bvagar inte (?:ga|komma|kliva|oppna) (?:ut|dorren) (?:ur|fran)? ?(?:rummet|mitt rum|badrummet|garderoben|toan|toaletten|huset|lagenheten|forradet)?\b",
        r"\b(?:det ar|nagon gor|nan gor|de gor|dom gor|han gor|pagaende) inbrott|\binbrottstjuv\w* (?:ar|i|har|star)\b",
        r"\b(?:someone|somebody|he|she|they|a man|man) (?:is |are |s )?(?:trying to (?:get|break) in|breaking in)\b",
        r"\b(?:slar|slog|forsoker sla|sparkar|forsoker sparka|bankar) (?:sonder|in|upp) (?:\w+ )?(?:dorren|dorrarna|fonstret|ytterdorren|min dorr)\b",
    )),
    RuleSpec("outside_coming", ACUTE, (
        r"\b(?:star|ar|vantar|sitter) utanfor (?:dorren|min dorr|huset|fonstret|lagenheten|mitt rum|rummet|porten|ytterdorren)\b",
        r"\b(?:ar|e) pa vag hit\b|\bkommer hit (?:nu|snart|ikvall|inatt)\b|\bar har nu\b|\bkommer (?:tillbaka|hem) (?:nu|snart|ikvall|inatt)\b",
        r"\b(?:foljer|foljde|jagar|springer) efter <MIG>\b|\bjagar <MIG>\b|\bletar efter <MIG>\b",
        r"\b(?:han|hon|de|dom|pappa|mamma|styv\w+|<ADULT>|nagon|nan|killarna) (?:ar |e )?(?:kommer (?:hit|nu|snart|tillbaka|hem|in|upp)\b|kommer$|kommer (?=hjalp|snalla|och|help|pls)|pa vag\b|har kommit\b|ar tillbaka\b|kom tillbaka\b)",
        r"\b(?:he ?s|she ?s|they ?re|he is|she is|they are|someone ?s|someone is) (?:coming|here|outside|back|on (?:his|her|their) way)\b",
        # A stranger inside, with fear or hiding: "nån är i lägenheten och jag gömmer mig".
        r"\b(?:nagon|nan|ngn|en man|en kille|nagra|en framling|framlingar) (?:\w+ )?(?:ar|e|star|gar|smyger) (?:runt )?(?:i|inne i) (?:huset|lagenheten|mitt rum|rummet|hallen|koket|tradgarden|trapphuset)\b",
        # "hjälp han är här", "pappa är hemma igen och jag är rädd".
        r"\b(?:han|hon|hen|de|dom|pappa|mamma|farsan|styv\w+|mammas \w+) (?:ar|e) (?:har|har igen|hemma igen|tillbaka|inne|i huset|i hallen)(?:$| (?=(?:nu|igen|hjalp|help|snalla|och (?:<JAG> )?(?:ar|e) (?:radd|livradd))\b))",
        r"\b(?:coming (?:for|after) me|outside my (?:door|house|window|room)|following me|chasing me)\b",
    ), requires="threat_context", soft=True),
    RuleSpec("danger_now", ACUTE, (
        # Said to be happening now, no extra context needed.
        r"\b(?:han|hon|hen|de|dom|he ?s|she ?s|they ?re|he is|she is|they are) (?:ar |e )?(?:har|here|hit|utanfor|outside|inne) (?:nu|now|right now|just nu)\b",
        r"\b(?:nagon|nan|ngn|en (?:man|kille|gubbe|bil|person|typ)|nagra|nan kille|killar) (?:\w+ ){0,2}?(?:foljer|foljde|har foljt|jagar|jagade|smyger) efter <MIG>",
        r"\b(?:foljer|jagar|springer) efter <MIG> (?:nu|just nu)\b|\bjagar <MIG> (?:nu|just nu)\b",
        r"\b(?:slapper|slappte) (?:inte ut <MIG>|<MIG> inte|inte <MIG>)\b|\b(?:haller|holl) kvar <MIG>\b",
        r"\b(?:inte later <MIG>|later (?:<MIG>|oss) inte|slapper inte|slappte inte) (?:<MIG> )?(?:ga|aka|lamna|komma ut|komma harifran)\b(?! (?:pa|till|hem till|ut pa|pa fest\w*|pa bio|pa kalas\w*|och lagga <MIG>|och sova|och plugga)\b)",
        r"\b(?:la|lagt|lade|hallt|hallde|stoppade|stoppat|blandade|blandat|hallde) (?:\w+ ){0,2}?(?:i|pa) (?:min|mitt) (?:drink|dricka|glas|ol|cider|lask|drickan|vatten|flaska|mugg)\b|\b(?:blivit|blev|ar|e) drogad\b|\bspiked my drink\b",
        r"\b(?:rymt|rymde|rymmer|stuckit|stack) (?:hemifran|hemma ifran|fran (?:boendet|familjehemmet|hemmet|hem|hvb))\b|\bvet inte (?:var|vart) <JAG> ska (?:sova|ta vagen|bo) (?:inatt|ikvall|i natt)\b|\bingenstans att sova (?:inatt|ikvall|i natt)\b",
        r"\b(?:<ADULT>) (?:\w+ ){0,2}?(?:ar borta|har varit borta|har inte kommit hem|kom inte hem|ar forsvunnen|forsvann) (?:sen|sedan|i) (?:igar|i forrgar|forrgar|inatt|i natt|i morse|natten)\b",
        r"\b(?:sitter|star|ligger|haller|har) (?:med )?(?:\w+ )?(?:kniven|rakbladet|saxen|bladet|pistolen) (?:\w+ )?(?:mot|runt|vid|pa) (?:min |mitt )?(?:handleden|handlederna|halsen|strupen|tinningen|pulsadern)\b",
        r"\b(?:redan|precis|just|nyss) (?:har )?(?:tagit|svalt|atit|tog|svalde) (?:\w+ )?(?:alla |hela |mina |de |dom )?<PILL>",
        r"\b(?:druckit|drack) (?:\w+ ){0,3}?(?:och|o) (?:tagit|tog|svalt|svalde) (?:\w+ )?<PILL>|\b(?:tagit|tog|svalt) (?:\w+ )?<PILL> (?:\w+ ){0,2}?(?:och|o) (?:sen |sedan |da |typ )?(?:druckit|drack|har druckit)",
        r"\b(?:det ar|det e) (?:nagon|nan|en man|en kille|nagra|folk) (?:\w+ )?(?:i|inne i) (?:huset|lagenheten|mitt rum|rummet|hallen|koket|tradgarden)\b(?! som (?:fyller|har|heter|jobbar|spelar|lagar|stadar|bor|ar|pratar|sjunger|festar)\b)",
        r"\b(?:forsoker|forsokte|ville|vill) (?:\w+ )?(?:dra|tvinga|lura|slita|knuffa) (?:in )?<MIG> (?:in )?(?:i|in i) (?:en |sin |deras )?bil\w*",
        r"\b(?:kor|korde) (?:\w+ )?(?:full|fulla|packad|berusad|drogad|onykter|pa fyllan)\b|\b(?:ar|e) (?:full|packad|berusad) (?:och )?(?:kor|ska kora)\b",
        r"\b(?:forsoker|forsokte) (?:\w+ )?(?:valdta|doda|strypa|sla ihjal|knivhugga|kidnappa|rova) <MIG>\b",
        r"\b(?:drog|drar|tvingade|slet|knuffade|lurade) (?:in )?<MIG> (?:in )?(?:i|in i) (?:en |sin |deras |hans )?bil\w*",
        r"\b(?:instangd\w*|fast (?:i|inne i) (?:rummet|huset|hissen|bilen|lagenheten|kallaren|forradet|badrummet))\b",
        r"\b(?:rok|brinner|brand|eld|instangd|inlast)\b(?: \w+){0,6}? (?:kommer inte ut|kan inte (?:komma|ta <MIG>) ut)\b",
        r"\b(?:ska|tanker|kommer att) hoppa (?:nu|just nu)\b(?! (?:i|pa|ner i|fran tian|studs\w*|hopprep|over|in|ut i)\b)",
    )),
    RuleSpec("farewell", ACUTE, (
        # A goodbye written now: the child may be acting on it right now.
        r"\b(?:detta|det har|de har) (?:ar|blir|e) (?:mitt |det )?sista (?:meddelande\w*|gangen (?:ni|du) hor)",
        r"\b(?:mitt|ett) sista meddelande\b|\bhejda for alltid\b|\bfarval (?:for alltid|till alla)\b",
    )),
    RuleSpec("cant_go_home", ACUTE, (
        r"\bvagar inte (?:ga|aka|komma|sova) hem\w*",
    )),
    RuleSpec("cant_go_home_threat", ACUTE, (
        r"\bkan inte (?:ga|aka|komma|sova) hem\w*",
    ), requires="threat_context"),
    RuleSpec("lying_in_wait", ACUTE, (
        r"\butanfor (?:\w+ ){0,2}?(?:och )?vantar pa <MIG>|\bvantar pa <MIG> (?:utanfor|vid|nere|darute|dar ute)",
    ), subject={"adult": "", "self": ""}),
    RuleSpec("at_station", ACUTE, (
        r"\b(?:sitter|star|ar|e|gar) (?:\w+ )?(?:pa|vid) (?:stationen|perrongen|plattformen|tagstationen|tunnelbanestationen|centralen|sparet|sparen|bron)\b",
    ), requires="suicide_context"),
    RuleSpec("locked_door", ACUTE, (
        r"\b(?:har |hade )?(?:last|laste|lasa|laser) (?:dorren|dorrarna|ytterdorren|in oss)\b",
    ), requires="threat_context"),
    RuleSpec("fear_tonight", ABUSE, (
        r"\b(?:radd|livradd) (?:for|over) (?:vad som (?:hander|kommer (?:att )?handa|ska handa)|vad (?:han|hon|de|dom|<ADULT>) (?:ska |kommer (?:att )?)?gora)",
        r"\b(?:<ADULT>) (?:\w+ )?(?:ar|e) ensam (?:hemma )?med <MIG>",
    ), acute_if_tonight=True),
    RuleSpec("hiding", ACUTE, (
        r"\b(?:gommer|gomt|gommde|gomde|gomma) <MIG>\b",
        r"\bi ?m hiding\b",
    ), soft=True, trivial_scope="clause", excuse="play"),
    RuleSpec("locked_in_by", ACUTE, (
        r"\b(?:har last|last) in <MIG>\b",
    ), subject={"self": ""}),
    RuleSpec("locked_in_past", NEGLECT, (
        r"\blaste in <MIG>\b|\blocked me (?:in|up)\b",
    ), acute_if_tonight=True, subject={"self": ""}),  # "jag låste in mig på toa för att få vara ifred"
    RuleSpec("locked_in", ACUTE, (
        # "blir inlåst när de går ut" is a habit (locked_in_habit), not now.
        r"\b(?<!blir )(?<!bli )(?<!blev ofta )inlast\w*|\blast inne\b|\blasta inne\b|\blaste in oss\b",
        r"\bkan inte (?:komma|ta <MIG>) ut (?:ur|fran) (?:rummet|huset|lagenheten|garderoben|badrummet|forradet|bilen|kallaren)",
        r"\bi ?m locked in\b|\bi am locked in\b|\blocked in (?:right )?now\b",
        r"\b(?:ar|e|blev|sitter) (?:\w+ )?last (?:in )?(?:i|inne i) (?:ett|mitt|en|rummet|garderoben|badrummet|kallaren|forradet|bilen)\b",
    )),
    RuleSpec("overdose_now", ACUTE, (
        r"\b<TAKE_PAST> (?:<MIG> )?(?:nyss |precis |just |redan |typ |nu )?(?:<MANY>) (?:st |stycken |av (?:mina |mammas |pappas )?)?(?!(?:mg|ml|milligram|gram|g|mikrogram)\b)(?:\w+ )?<PILL>",
        r"\b(?:alla|hela|massa) (?:\w+ ){0,2}?<PILL> (?:\w+ ){0,4}?(?:tagit|svalt|svalde|tog|atit)\b",
        r"\b(?:har |just |precis )?(?:overdoserat|overdoserade|odat|odade|tagit en overdos|tog en overdos|tagit overdos)",
        r"\b(?:took|taken|swallowed|ate|have taken) (?:all|a lot of|lots of|too many|so many|a bunch of|a whole|the whole|like \d+|\d+) (?:of )?(?:my |the |moms |dads |her |his )?(?:\w+ )?(?:pills|meds|tablets|medicine|medication|bottle)",
        r"\boverdosed\b|\bjust od\b",
        r"\b<TAKE_PAST> (?:\w+ )?<PILL> (?:\w+ )?(?:hela burken|hela kartan|hela asken|hela forpackningen|allihop|alltihop)\b",
    )),
    RuleSpec("edge_place", ACUTE, (
        r"\b(?:star|sitter|ar|stod|satt|befinner <MIG>|klattrat upp|klattrar upp|har klattrat|e) (?:nu |just nu |precis |redan )?(?:pa|uppe pa|ute pa|over|vid kanten av|pa kanten av) (?:\w+ )?(?:bron|broracket|racket|taket|hustaket|kanten|stupet|klippan|balkongracket|balkongkanten|fonsterkarmen|tornet|hoghuset)\b",
        r"\b(?:star|sitter|ar|ligger|e) (?:nu |just nu |precis )?(?:pa|vid|mellan) (?:\w+ )?(?:sparet|sparen|ralsen|tagralsen|perrongkanten|tagsparet)\b",
        r"\b(?:i ?m|i am|standing|sitting) (?:on|at) (?:the )?(?:edge|roof|bridge|tracks|railing|ledge)\b",
    )),
    RuleSpec("fire", ACUTE, (
        r"\bdet brinner\b(?! i knutarna\b)|\b(?:huset|lagenheten|koket|rummet|mitt rum|hemma|vardagsrummet|spisen|sovrummet|trapphuset) (?:\w+ )?brinner\b",
        r"\bbrand (?:hemma|i (?:huset|lagenheten|koket|rummet|trapphuset|mitt rum))|\brok (?:overallt|i (?:huset|lagenheten|trapphuset|rummet|hela))|\beld i (?:huset|lagenheten|koket|rummet|sovrummet)",
        r"\b(?:house|apartment|room|kitchen|home) (?:is )?on fire\b|\bthere ?s a fire\b",
    )),
    RuleSpec("medical", ACUTE, (
        r"\b(?:mamma|pappa|han|hon|lillebror|lillasyster|lillebrorsan|min \w+|farsan|morsan|kompisen|hen|nagon|nan|bebisen) (?:\w+ ){0,4}?(?:andas inte|andas konstigt|andas knappt|har slutat andas|slutade andas|vaknar inte|gar inte att vacka|ar medvetslos|har svimmat och|svimmade och vaknar inte|har tagit en overdos|ror <SIG> inte)\b",
        r"\b(?:jattehog|sjukt hog|hog|40|41) (?:graders )?feber\b(?: \w+){0,8}? (?:vet inte vad <JAG> ska gora|ingen vuxen|ensam|ar borta|inte hemma)|\b(?:ar borta|inte hemma|ingen vuxen|ensam|ensam hemma)\b(?: \w+){0,8}? (?:jattehog|sjukt hog|hog|40|41) (?:graders )?feber\b",
        r"\bmedvetslos\w*",
        r"\bbloder (?:jatte|sjukt|valdigt|massor|sa mycket|mycket|och det slutar inte|fortfarande)|\bslutar inte bloda|\bkan inte sluta bloda",
        r"\bnot breathing\b|\bwon ?t wake up\b|\bunconscious\b|\bbleeding (?:a lot|badly|heavily)\b",
        r"\bbloder (?:fran|ur|i) (?:mina |min |hela )?(?:handled\w*|halsen|huvudet|armarna|armen|magen|munnen|pulsadern|laret|laren)\b|\bbloder (?:jattemycket|massor|sjukt mycket)\b",
        r"\b(?:skurit|skar|skadat) <MIG> (?:\w+ )?(?:for djupt|jattedjupt|sa djupt|djupt)\b",
        r"\b(?:har (?:blivit|just blivit)|blev (?:nyss|precis|just)) (?:knivhuggen|knivskuren|skjuten|pakord|overkord|nedslagen)\b",
        r"\b(?:svarar inte|vaknar inte|ror <SIG> inte|andas inte|ar livlos)\b(?: \w+){0,4}? ligger (?:pa golvet|pa marken|i badrummet|stilla|livlos)|\bligger (?:pa golvet|pa marken|livlos|medvetslos)\b(?: \w+){0,4}? (?:svarar inte|vaknar inte|ror <SIG> inte|andas inte)",
        r"\b(?:druckit|drack|svept|svepte) (?:\w+ ){0,2}?(?:en hel flaska|hela flaskan|en flaska|massa|sa mycket|for mycket|en halv flaska|en liter)\b(?: \w+){0,6}? (?:mar (?:jatte|sjukt|valdigt)? ?dalig\w*|spyr|kraks|snurrar|kan inte sta|svimma\w*|andas)",
        r"\b(?:svart att andas|kan knappt andas|far ingen luft|far inte luft)\b",
        r"\b(?:svalt|atit|druckit|slickat pa) (?:\w+ )?(?:nagot|nat|klorin\w*|rengoringsmedel|diskmedel|tvattmedel|gift|batteri\w*|lampolja|tandvatska|rattgift|svamp\w*|\w+ fran (?:stadskapet|badrumsskapet|medicinskapet))\b",
        r"\btror <JAG> (?:kommer att |kommer |ska )?(?:<DO>|dor|svimma|svimmar)\b(?! (?:av|pa|i|om)\b)",
        r"\b(?:slagit|slog|skar|skurit|knivhugg\w*|sparkat|sparkade|slar)\b(?: \w+){0,5}? (?:och|sa) (?:<JAG> |hon |han |hen )?bloder\b",
        r"\b(?:har |just |nyss )?(?:skurit|skar) upp (?:mina |min )?(?:handled\w*|pulsad\w*|armen|halsen)\b",
        r"\b(?:har|just|nyss) (?:knivhuggit|skjutit|stuckit ner|slagit ner) (?:<MIG>|min \w+|mamma|pappa|honom|henne|nagon)\b",
        r"\b(?:<ADULT>|lillebror|lillasyster|min \w+|han|hon|kompisen) (?:har )?(?:svimmat|svimmade|kollapsat|kollapsade)\b",
    )),
    RuleSpec("cant_breathe", ACUTE, (r"\bkan inte andas\b|\bcan ?t breathe\b",), soft=True),
    RuleSpec("call_emergency", ACUTE, (
        r"\bring(?:a|er)? (?:polisen|ambulans\w*|112|snuten|efter hjalp|brandkaren)\b|\bbehover (?:en )?ambulans\b",
        r"\bcall (?:the )?(?:police|cops|ambulance|911|112)\b",
    )),
    RuleSpec("armed_person", ACUTE, (
        r"\b(?:pappa|pappan|mamma|mamman|farsan|morsan|styv\w+|bonus\w+|mammas \w+|pappas \w+|han|hon|nagon|nan|de|dom|killen|mannen|killarna|hen) (?:\w+ )?(?:har|hade|haller i|haller|viftar med|tog fram|tar fram|springer runt med|star med|kom med) (?:en |ett )?(?:kniv|pistol|vapen|gevar|yxa|machete|slagtra)\b(?! (?:hemma|i (?:garderoben|rummet|bilen|lagenheten)|(?:i|pa|med <SIG> (?:till|i)) (?:skolan|skolgarden|fickan|vaskan|jackan))\b)",
        r"\b(?:he|she|they|someone) (?:has|have|got) a (?:knife|gun|weapon)\b",
    )),
    RuleSpec("in_danger", ACUTE, (
        r"\bradd for mitt liv\b|\blivsfara\b|\bmitt liv ar i fara\b|\bar i fara\b|\bi ?m in danger\b|\bscared for my life\b",
        r"\bradd (?:att )?(?:han|hon|de|dom|pappa|mamma) (?:ska|kommer att|kommer) (?:doda|sla ihjal|morda) <MIG>",
    )),
    # ------------------------------------- generalised from the tuning split (issue 11)
    # Families of phrasings, each with its own dev cases in safety_cases.yml
    # ("added 2026-12 ... tuning families"); none is a copied sentence.
    RuleSpec("decided_end", SUICIDE, (
        # A decision with a time for "the end": "har bestämt mig, efter lovet är
        # det över". Not "slut på terminen", and not about ending a hobby or a
        # relationship ("bestämt mig för att sluta med fotboll, sen är det slut").
        r"\b(?:bestamt|beslutat) <MIG>\b(?: (?!sluta\b|gora\b|gor\b|att\b|for\b)\w+){0,6}? (?:ar|e|blir) det (?:slut|over)\b(?! (?:pa|med|mellan|for (?:terminen|idag|i dag|i ar|veckan))\b)",
        r"\b(?:snart|imorgon|imorrn|ikvall|inatt|sen|da|efter \w+) (?:ar|e|blir) det (?:slut|over) (?:med|for) <MIG>\b",
    ), victim=True),
    RuleSpec("not_around_later", SUICIDE, (
        # Not being alive later, the negation before the subject or after an
        # adverb: "tror inte att jag finns kvar till sommaren", "lever nog inte
        # efter nyår". Only "finnas"/"leva": "inte kvar i laget" is not about life.
        r"\b(?:inte|int|aldrig) (?:sakert |saker pa |sakert pa |sa sakert )?(?:att )?<JAG> (?:nog |ens |kanske )?(?:finns|kommer (?:att )?finnas|ska finnas|lever|kommer (?:att )?leva|ar i livet|ar vid liv) (?:kvar )?(?:langre|efter|till|imorgon|imorrn|nasta|om|over)\b",
        r"\b(?:finns|lever) (?:<JAG> )?(?:nog |kanske |antagligen |troligen |snart )(?:inte|int|inge) (?:kvar )?(?:langre |mer )?(?:efter|till|imorgon|imorrn|nasta|om|over)\b",
    ), victim=True),
    RuleSpec("pill_symptoms", ACUTE, (
        # Severe symptoms after pills: "svimmade efter tabletterna", "tog
        # sömntabletter och nu ser jag dubbelt". Ordinary side effects (spyr,
        # mår illa) are left out: a pill for a headache is not a crisis.
        r"\b(?:svimmade|svimmat|svimmar|svimma|tuppade av|tuppat av|kollapsade|kollapsat|daskade ihop)\b(?: \w+){0,3}? (?:efter|av|pga|fran) ",
        r"\b(?:och|nu|sen|sedan) (?:<JAG> )?(?:nu )?(?:svimmar|svimmade|tuppar av|tuppade av|ser (?:<JAG> )?(?:suddigt|dubbelt)|kan (?:<JAG> )?inte halla ogonen oppna)\b",
        # Verb-second after the pills: "efter pillren tuppade jag av".
        r"\b(?:efter|av|pga) (?:alla |de |dom |mina |mammas |pappas )?<PILL> (?:\w+ ){0,2}?(?:svimmade|svimmat|svimmar|tuppade|tuppar|kollapsade|ser <JAG> (?:suddigt|dubbelt)|ar allt (?:suddigt|svart))\b",
        r"\b(?:allt|allting|rummet) (?:ar |e |blir |blev )?(?:suddigt|svart|snurrar)\b",
    ), requires="pill_context"),
    RuleSpec("bleeding_badly", ACUTE, (
        # Bleeding that a towel or bandage does not stop.
        r"\bbloder (?:rakt )?(?:igenom|genom) (?:\w+ )?(?:handduk\w*|forband\w*|plaster\w*|papper\w*|trojan|trojor|lakan\w*|toapapper\w*|bandage\w*|tyget|kladerna|strumpan|tishan|tshirten)\b",
        r"\b(?:blodet|det) (?:\w+ )?(?:slutar inte|vill inte sluta|gar inte att stoppa|sprutar|forsar)\b",
    )),
    RuleSpec("head_injury", ACUTE, (
        # A blow to the head with concussion signs (1177 says: go now).
        r"\b(?:slagit|slog|dunkat|dunkade|bankat|bankade) (?:i )?(?:mitt )?huvudet\b(?: \w+){0,6}? (?:kraks|kraktes|kraks|spyr|spydde|spyr|svimmade|svimmat|ser dubbelt|medvetslos|minns inte|kan inte halla ogonen)",
    )),
    RuleSpec("coerced_despite_no", SEXUAL_ABUSE, (
        # Forced after saying no: "tvingade mig fast jag sa nej". Refusal events
        # only; "tvingar mig fast jag inte vill" alone is also homework.
        r"\b(?:tvingar|tvingade|tvingat|tvinga|pressade|pressat|pressar) <MIG>(?: (?:till det|till att|igen|anda|iallafall|anda till det))? (?:fast|trots att|fastan|aven om|nar) <JAG> (?:sa nej|sagt nej|sa stopp|sa sluta|sagt stopp|inte ville|grat|skrek)\b",
    ), unguarded=True),
    RuleSpec("sent_pics_to_adult", SEXUAL_ABUSE, (
        # Pictures sent to an adult: the writer ("jag har skickat bilder till en
        # vuxen man") or, when named first, a friend (victim).
        r"\b(?:skickat|skickade|skickar|skicka) (?:\w+ )?(?:bilder|bild|nudes|naken\w*|<NUDES>) (?:\w+ )?till (?:en )?(?:vuxen|aldre|gammal|gubbe\w*|[2-9]\d ?ar\w*) ?(?:man|kille|snubbe|person|typ|kvinna)?\b",
    ), unguarded=True, victim=True),
    RuleSpec("friend_exploited", FRIEND, (
        # An adult asking a friend for pictures: "hennes pojkvän som är 30 vill att hon skickar bilder".
        r"\b(?:vill att|ville att|ber|bad|tjatar pa|tjatade pa|pressar|pressade|tvingar|tvingade) (?:hon|han|hen|henne|honom) (?:att )?(?:(?:hon|han|hen) )?(?:ska )?(?:skickar|skicka|visar|visa|tar|ta) (?:\w+ ){0,2}?(?:bilder|bild|nudes|<NUDES>)\b",
    ), requires="adult_age_context"),
    RuleSpec("friend_threatened", FRIEND, (
        # "och nu hotar han henne": someone else threatened, a friend named.
        r"\bhota(?:r|de|t)? (?:\w+ )?(?:henne|honom|hen|min (?:kompis|van|bastis|syster|bror))\b",
    ), requires="friend_context"),
    RuleSpec("forced_engagement", HONOUR, (
        # Engaged, promised or married against one's will or as a minor.
        r"\b(?:forlovad|forlovade|forlovat|bortlovad|lovad|gift|gifta|giftas|gifter <MIG>|gifta <MIG>|forlovas|forlova <MIG>|brollop\w*|forlovning\w*) (?:\w+ ){0,3}?mot (?:min|var) vilja\b",
        # The writer's own engagement or wedding (not a sister's: "min syster är förlovad och jag är 12").
        r"\b(?:mitt brollop|mitt giftermal|mitt aktenskap|min forlovning|<JAG> (?:ar|blev|har blivit|ska bli) (?:\w+ )?(?:forlovad|bortlovad|gift|bortgift))\b(?: \w+){0,8}? <JAG> (?:bara )?(?:ar|e) (?:bara )?<MINOR_AGE>\b",
        r"\b<JAG> (?:ar|e) (?:bara )?<MINOR_AGE>\b(?: (?:och|men|o) (?:redan )?(?:forlovad|bortlovad|gift)\b|(?: \w+){0,6}? (?:mitt brollop|min forlovning|mitt giftermal)\b)",
        r"\b(?:bortgift\w*|gift\w* bort|tvangsgift\w*|bortlovad\w*|forlovad\w*)\b(?: \w+){0,10}? (?:min tur|<JAG> (?:ar|e|blir) (?:nasta|den nasta|nasta pa tur))\b",
    )),
    RuleSpec("honour_watched", HONOUR, (
        # Brothers or relatives shadowing the writer and reporting to the family.
        r"\b(?:bror|brorsan|broder|brorsor|brorsorna|broderna|storebror|kusin\w*|slakting\w*|farbror|morbror|pappa|familjen) (?:\w+ )?(?:foljer efter|foljer|skuggar|smygfoljer|vaktar|spionerar pa|kollar pa|haller koll pa) <MIG>\b(?: \w+){0,6}? (?:rapporter\w*|berattar (?:allt|vad|vem|var|vilka|for (?:pappa|mamma|familjen|slakten))|sager (?:allt )?(?:till|at) (?:pappa|familjen|mamma|slakten)|skvallrar|vem <JAG>|vilka <JAG>)\b",
    )),
    RuleSpec("rather_dead", ABUSE, (
        # "would rather see me dead": family rejection as a threat; honour
        # context (sexuality, a boyfriend) makes it honour_violence.
        r"\b(?:hellre|heller) (?:\w+ ){0,2}?(?:ser|se|ha|har|hade|skulle se|vill se|sett) <MIG> (?:dod|doda|begravd|i graven|under jorden)\b",
        r"\bhellre (?:ha |har |hade )?(?:en )?(?:dod|dott|doda) (?:son|dotter|barn|unge|tjej|kille)\b",
    ), subject={"adult": ABUSE, "peer": VIOLENCE, "group": ABUSE, "pron": ABUSE}),
    RuleSpec("honour_found_out", HONOUR, (
        # Punishment when the family finds out about a relationship or sexuality.
        r"\b(?:far|fick|skulle fa) (?:veta|reda pa|nys om|hora)\b(?: \w+){0,8}? (?:blir <JAG> (?:straffad|slagen|dodad|bortskickad|utkastad|bortgift|ihjalslagen|mordad|forskjuten)|(?:straffar|dodar|slar|mordar|skickar|forskjuter|gifter bort) (?:\w+ )?<MIG>|(?:kastar|slanger) (?:\w+ )?ut <MIG>|ar <JAG> (?:dod|kord))\b",
    ), requires="honour_context"),
    RuleSpec("threat_get_me", VIOLENCE, (
        # "säger att de ska ta mig / få tag på mig" with fear in the message.
        r"\b(?:sa|sager|sagt|skrev|skriver|hotar|hotade|lovar|lovade|snappade|smsade|ropade) (?:att )?(?:\w+ ){0,3}?(?:ska|kommer(?: att)?|tanker) (?:ta|fa tag pa|ge <SIG> pa|hoppa pa|komma efter|ga pa) <MIG>\b(?! (?:till|med|hem|ut|pa (?:bio|fika|stan)|i (?:bilen|skolan))\b)",
    ), requires="threat_context", now=True, subject={"adult": ABUSE, "peer": VIOLENCE, "pron": VIOLENCE, "group": VIOLENCE}),
    RuleSpec("locked_out", NEGLECT, (
        # Locked out of home on purpose: "låser dörren så att jag inte kommer in".
        r"\b(?:laser|laste|last|lasa|stanger|stangde) (?:\w+ )?(?:dorren|ytterdorren|dorrarna|porten|lagenheten|huset)\b(?: \w+){0,3}? (?:sa att|sa|for att) (?:<JAG>|vi|ingen av oss) (?:inte|int|aldrig) (?:kommer|kan komma|ska komma|kan ta <MIG>) in\b",
    ), victim=True),
    # ------------------------------- second batch: the detector helper's own phrasings
    RuleSpec("gone_soon", SUICIDE, (
        # Others being rid of the writer: "snart slipper ni mig", "ni behöver
        # inte bry er om mig mer", "ni blir av med mig för alltid".
        r"\b(?:snart|da|sen|sedan|ikvall|inatt|imorgon) (?:slipper|blir) (?:ni|du|alla|familjen|mamma|pappa|ni alla) (?:av med )?<MIG>\b(?! (?:pa|i|under|hela|idag|en stund|ett tag|nagra)\b)",
        r"\b(?:slipper|blir av med) <MIG> (?:for alltid|for gott|snart nog|pa riktigt)\b",
        r"\b(?:behova|behover|behovs) (?:\w+ )?(?:bry (?:er|dig|sig) om|oroa (?:er|dig|sig) for|tanka pa|ta hand om) <MIG> (?:mer|langre|nagonsin igen|snart)\b",
        # Not "being part of it" any more, about life (not a team): "vill inte vara med längre".
        r"\b<VILL> (?:<JAG> )?<ADV>{0,2}(?:inte|int) (?:vara|va) med (?:langre|mer)\b(?! (?:i|pa|pa det|och|for att|ikvall|idag)\b)",
        # When I am dead they will understand/miss me; a letter for when I am gone.
        r"\bnar <JAG> (?:ar dod|har dott|inte finns (?:langre|kvar|mer)|ar borta for alltid) (?:\w+ ){0,3}?(?:kommer|ska|forstar|saknar|ser|marker|angrar|fattar)\b",
        r"\b(?:brev|meddelande|sms|video|lapp)\w* (?:\w+ ){0,4}?(?:om|ifall|till nar|for nar|nar) <JAG> (?:inte finns|inte lever|ar borta|ar dod|dor|har dott)\b",
        # Subordinate order: "känner att jag inte vill vakna imorgon".
        r"\b(?:inte|int|aldrig) <VILL> (?:mer )?vakna\b(?! (?:tidigt|sa tidigt|klockan|kl\w*|\d|i tid|forran|innan|till|pa morgonen|mitt i)\b)",
        r"\bser (?:ingen|inte nagon|ingen som helst) (?:framtid|utvag|annan utvag)\b(?! (?:med|i|for (?:oss|laget|klubben|bandet|relationen))\b)",
        r"\b(?:googla\w*|sokte|sokt|kollat upp|kollade upp|letat|letade|laste om) (?:pa |upp |efter |om )?hur (?:manga|mycket) (?:\w+ )?<PILL>(?: \w+){0,3}? (?:kravs|behovs|man behover|som behovs|for att|ar dodligt|ar farligt|dodar)\b",
        r"\b(?<!vi )(?<!vi har )(?:pratar|pratade|pratat|skriver|skrev|snackar|snackade) (?:\w+ )?(?:ofta |mycket |jamt |hela tiden )?om att (?:<DO>|ta livet|inte vilja <LEVA>|inte orka <LEVA>|inte finnas)\b",
    ), victim=True),
    RuleSpec("might_as_well_die", SUICIDE, (
        # "kan lika gärna dö", "lika bra att jag dör": soft, hyperbole uses it too.
        r"\b(?:kan|kunde|skulle kunna) lika (?:garna|bra) <DO>",
        r"\b(?:lika bra|lika garna|bast|enklast) (?:att|om) <JAG> (?:<DO>|dor|dog|tar livet av <MIG>|forsvinner for alltid)",
        # Never growing up: "kommer aldrig bli 18" (soft: also said about a strict parent, laughing).
        r"\b(?:kommer|tanker|ska) (?:nog |aldrig |inte |ens )+(?:att )?(?:bli|fylla) (?:1[0-9]|arton|sjutton|sexton|femton|fjorton|myndig)\b",
    ), soft=True, victim=True),
    RuleSpec("tonight_it_happens", SUICIDE, (
        # "ikväll gör jag det" after talk of dying: the time makes it acute.
        r"\b(?:ikvall|inatt|idag|imorgon|nu|snart) (?:ska |kommer )?(?:gor|gora) <JAG> det\b|\b<JAG> (?:ska |kommer (?:att )?)?gora det (?:ikvall|inatt|idag|nu)\b",
    ), requires="suicide_context", acute_if_tonight=True, victim=True),
    RuleSpec("cant_go_on_subordinate", SUICIDE, (
        # "att hon inte orkar mer": the negation before the verb.
        r"\b(?:inte|int) (?:orkar|pallar|klarar) (?:mer|langre)\b(?! (?:med|an|av|pa|i|just|efter|nar|idag|ikvall|sen|forran|innan)\b)",
    ), victim=True),
    RuleSpec("took_pills_bare", ACUTE, (
        # "har tagit tabletter", said on its own: no reason, no dose.
        r"\b(?:har|hade) (?:tagit|svalt|atit) (?:en massa |massa )?(?:tabletter|piller|mediciner|hennes medicin|hans medicin|mammas medicin|pappas medicin|mammas tabletter|pappas tabletter)(?:$| (?=(?:och|o|nu|hjalp|vad|snalla|help)\b))",
    ), victim=True),
    RuleSpec("ran_away_alone", ACUTE, (
        # Ran away and out alone or not answering.
        r"\b(?:har )?(?:rymt|stuckit hemifran|forsvunnit)\b(?: \w+){0,4}? (?:ar ute (?:sjalv|ensam|pa natten)|svarar inte|ingen vet var|vet inte var (?:hon|han|hen|<JAG>) (?:ar|ska))\b",
    ), victim=True),
    RuleSpec("stopped_eating", SELF_HARM, (
        r"\b(?:har )?slutat ata\b(?! (?:kott|godis|socker|gluten|mjolk|fisk|lunch|skolmaten|frukost|fisk|skrap|snacks|chips|vete|agg|ost|pa restaurang\w*)\b)",
    ), requires="not_neglect", victim=True),
    RuleSpec("bleeding_unstoppable", ACUTE, (
        r"\b(?:kan|kunde|gar|lyckas) (?:inte|int) (?:att )?(?:fa stopp pa|stoppa|stilla|fa blodet att sluta) (?:\w+ )?(?:blodet|blodningen|det)\b",
    )),
    RuleSpec("sexual_when_drunk", SEXUAL_ABUSE, (
        r"\b(?:var|var sa|blev) (?:\w+ )?(?:full|packad|drogad|borta|berusad|medvetslos|sovande)\b(?: \w+){0,6}? (?:gjorde|gjort|gor) (?:\w+ )?(?:saker|grejer|sant|nat|nagot) (?:med|mot) <MIG>\b",
        r"\b(?:ror|rorde|rort|tar pa|tog pa|kande pa|kanner pa|smekte|smeker) (?:vid )?<MIG> (?:\w+ ){0,3}?(?:som|sa som|pa ett satt) (?:som )?<JAG> (?:inte|aldrig) (?:ville|vill|gillar|gillade|tyckte om)\b",
    ), unguarded=True),
    RuleSpec("neglect_family", NEGLECT, (
        r"\b(?:<ADULT>|ingen|de|dom|hon|han) (?:\w+ )?(?:har )?(?:inte|aldrig) (?:handlat|kopt|lagat|gett oss|gett <MIG>) (?:\w+ )?(?:mat|middag|frukost|lunch)\b(?: \w+){0,2}? (?:pa|sedan|sen|i) (?:\w+ )?(?:dagar|dygn|veckor|vecka|helgen|manader)\b",
        r"\b(?:ingen mat|ingen middag|ingen frukost|inte ata|inte fa mat|svalta|ingen lunch)\b(?: \w+){0,3}? som straff\b",
        r"\b(?:kylen|kylskapet|skafferiet|skapen) (?:ar|e|har varit|star) (?:alltid |helt |jamt |typ )?(?:tom|tomt|toma)\b(?: \w+){0,4}? (?:och|men) (?:<ADULT>|ingen|hon|han|de|dom) (?:\w+ )?(?:ar borta|ar inte hemma|sover|ar full|bryr|handlar inte|har inte handlat|kommer inte hem)\b",
        r"\b(?:haft|har haft|gatt i|gar i|har pa <MIG>) samma klader (?:\w+ )?(?:i|pa|sen|sedan) (?:\w+ )?(?:dagar|veckor|vecka|manader)\b",
        r"\bingen (?:betalar|har betalat|betalade) (?:elen|hyran|strommen|rakningarna|varmen)\b",
        r"\b(?:fick|far|fatt) (?:<JAG> )?(?:inte|int|aldrig) (?:komma|ga) (?:in )?hem\b(?! (?:forran|innan|efter|till|sent|sa sent|om|nar|fran|med)\b)|\b(?:fick|far|fatt) (?:<JAG> )?(?:inte|int|aldrig) komma in (?:i lagenheten|i huset|hemma)\b",
        r"\b(?:ensam|ensamma) hemma (?:\w+ ){0,2}?(?:sen|sedan) (?:flera|tva|tre|fyra|fem|manga|\d+) (?:dagar|dygn|veckor|natter)\b",
    ), victim=True),
    RuleSpec("wait_for_me_fear", VIOLENCE, (
        r"\bvagar inte (?:ga|aka|komma|cykla) (?:till|ut|hem|fran|pa) (?:\w+ )?(?:skolan|traningen|stan|bussen|rasten)?\b(?: \w+){0,3}? (?:for|eftersom) (?:de|dom|han|hon|killarna|ganget|nan|nagon|tjejerna) (?:\w+ )?(?:vantar|slar|hotar|ska|jagar|letar|kommer)\b",
    ), subject={"adult": ABUSE, "peer": VIOLENCE, "pron": VIOLENCE, "group": VIOLENCE}),
    RuleSpec("hits_me_v2", ABUSE, (
        # Verb-second with the doer after the verb: "då slår pappa mig".
        r"\b<HIT> (?:han|hon|hen|de|dom|pappa|mamma|farsan|morsan|styv\w+|bonus\w+|brorsan|min \w+|mina \w+) (?:(?:ofta|alltid|ibland|jamt|igen) )?<MIG>\b(?! (?:i|pa) <GAMES>\b)",
    ), now=True, subject={"adult": ABUSE, "peer": VIOLENCE, "pron": ABUSE, "group": VIOLENCE}),
    RuleSpec("honour_more", HONOUR, (
        r"\b(?:om|nar|ifall) (?:\w+ ){0,3}?(?:ser|sag|hittar|kommer pa|far se|fick se) <MIG> (?:med|tillsammans med|ihop med|kyssa|krama|prata med) (?:en |min )?(?:kille|tjej|pojkvan|flickvan|killar|tjejer|honom|henne)\b(?: \w+){0,5}? (?:doda|dodar|mordar|slar|sla|straffa\w*|skickar|gifter bort|kastar ut|ar <JAG> dod|blir det)\b",
        r"\b(?:ar|e|blivit|kallar <MIG>) (?:en )?(?:skam|vanara|skandal) (?:for|over|infor) (?:familjen|slakten|oss|dem|dom|hela familjen)\b|\bvanar\w* (?:dem|dom|hela familjen|mina foraldrar|pappa|mamma)\b",
        r"\b(?:maste|tvingas|tvingad|tvingades) (?:bara|bar|ha pa <MIG>|ha) (?:sloja|slojan|hijab|hijaben|nikab|burka)\b(?: \w+){0,4}? (?:annars|om <JAG> inte)\b",
        r"\b(?:om <JAG> inte|annars) (?:\w+ ){0,3}?(?:gifter <MIG>|gifta <MIG>|giftas|forlovar <MIG>|forlovas)\b(?: \w+){0,6}? (?:inte (?:deras|hans|hennes|var) (?:dotter|son|barn)|forskjut\w*|kastar ut|doda\w*|straff\w*|slar)\b",
        # Several relatives (not one sibling, which is also ordinary nosiness).
        r"\b(?:broder\w*|brorsorna|kusin\w*|slakt\w*|farbror|morbror) (?:\w+ )?(?:kontrollerar|kollar igenom|gar igenom|laser|kollar) (?:min |mina |allt pa min )?(?:mobil|telefon|insta|instagram|snap|snapchat|meddelanden|chattar|sms|dm)\b",
    )),
    RuleSpec("honour_watched_ctx", HONOUR, (
        # Watched or followed by relatives, in a message about a boyfriend, honour ...
        r"\b(?:bror|brorsan|broder|brorsor|brorsorna|broderna|storebror|kusin\w*|slakting\w*|farbror|morbror|familjen) (?:\w+ )?(?:foljer(?: efter)?|skuggar|smygfoljer|vaktar|bevakar|kontrollerar|spionerar pa) <MIG>\b",
    ), requires="honour_context"),
    RuleSpec("kept_abroad", HONOUR, (
        # A trip "home" where the writer is to stay or marry, said with fear.
        r"\b(?:\w*resa\w*|aka (?:till|ner till|hem till)|semester\w*|sommarlov\w*)\b(?: \w+){0,10}? <JAG> (?:ska|maste|kommer (?:att )?)(?: fa)? (?:stanna (?:kvar )?(?:dar|dar nere)|inte (?:fa )?komma (?:tillbaka|hem)|gifta <MIG>|giftas|forlovas)\b",
    ), requires="threat_context"),
    # ------------------------------- third batch: the detector helper's second probe
    RuleSpec("if_i_see_him", HONOUR, (
        # A death threat over a relationship: "om jag träffar killen igen dödar han mig".
        r"\b(?:om|ifall|nar) <JAG> (?:\w+ )?(?:traffar|traffa|pratar med|ar med|umgas med|kysser|blir ihop med|ar ihop med|skaffar) (?:en |den |min )?(?:kille|killen|tjej|tjejen|pojkvan|pojkvannen|flickvan|flickvannen|killar|tjejer|honom|henne)\b(?: \w+){0,4}? (?:(?:sa )?(?:dodar|mordar|slar ihjal|slar|straffar|gifter bort|kastar ut|skickar(?: bort| ivag)?) (?:\w+ )?<MIG>|ar <JAG> dod)\b",
        # To the "home country" to marry: "jag ska åka till hemlandet och gifta mig".
        r"\b<JAG> (?:ska|maste|kommer att|tvingas) (?:aka|flytta|resa|skickas) (?:\w+ ){0,3}?(?:och|for att) (?:gifta <MIG>|giftas|forlovas|forlova <MIG>)\b",
    ), subject={"peer": VIOLENCE}),
    RuleSpec("tired_of_days", SUICIDE, (
        r"\b(?:orkar|orka|pallar|klarar|vill) (?:<JAG> )?(?:inte|int) (?:vakna|leva|finnas|ga upp|kampa|fortsatta|vara har|andas) (?:en dag till|fler dagar|en dag mer|en enda dag till|en vecka till|fler morgnar|en morgon till)\b",
        r"\b(?:klar|fardig|klart|fardigt|done) med (?:livet|mitt liv|att <LEVA>|allt och alla|det har livet)\b(?! som\b)",
        r"\b(?:brev|meddelande|lapp|sms)\w* (?:\w+ ){0,6}?(?:forlat|ledsen|sorry) (?:\w+ ){0,3}?(?:lamnar|lamna|gor det har|gjorde det har|inte finns)\b",
        r"\b(?:inte|int|aldrig) (?:att )?(?:<LEVA>|finnas kvar|finnas|vara kvar) (?:tills|till dess|till att|sa lange som|tills att) <JAG> (?:fyller|blir|tar|gar)\b",
        # Verb-second after a time: "efter helgen finns jag inte".
        r"\b(?:efter|till|om|pa|innan|imorgon|ikvall|nasta) (?:\w+ ){0,2}?(?:finns|lever) <JAG> (?:inte|int|inge)(?: kvar| langre| mer)?\b(?! (?:i|pa|hemma|med|har|dar|kvar i|kvar pa)\b)",
    ), victim=True),
    RuleSpec("sexual_third", SEXUAL_ABUSE, (
        r"\b(?:tvingar|tvingade|tvingat|tvinga|pressade|pressar|fick|far|lurade) <MIG> (?:att )?(?:ta av <MIG>|kla av <MIG>|ta av) (?:\w+ )?(?:kladerna|allt|trojan|byxorna|trosorna|kalsongerna|bh\w*|underklader\w*|naken)\b(?! (?:som|for att|eftersom) (?:\w+ )?(?:var|ar|blev) (?:blota|blot|smutsiga|leriga|skitiga)\b)",
        r"\b(?:blev|blir|har blivit|blivit) (?:\w+ )?utnyttjad\w* (?:pa|efter|under) (?:\w+ )?(?:festen|fest|natten|kalaset|efterfesten|partyt|party|lagret|resan)\b",
        r"\b(?:har|fick|sparat) (?:kvar )?(?:mina|min) (?:<NUDES>|bilder|bild|video\w*)\b(?: \w+){0,4}? (?:vill ha|kraver|tjatar om|ber om) (?:mer|fler|nya|en till)\b",
        r"\b(?:filmade|filmat|filmar|fotade|fotat|fotar|smygfilmade|smygfilmar|smygfotade|tog bilder pa) <MIG> (?:\w+ )?(?:i duschen|i omkladningsrummet|pa toa|pa toaletten|nar <JAG> (?:duschade|duschar|bytte om|byter om|sov|sover|var naken)|naken|utan klader)\b",
        r"\b(?:larar\w*|tranar\w*|ledar\w*|mentor\w*|rektor\w*|personal\w*|granne\w*|styv\w+|bonus\w+|farbror|morbror|en vuxen|vuxen|en man|gubbe\w*) (?:\w+ )?(?:skriver|skickar|sager|skrev|skickade|sa) (?:\w+ )?(?:konstiga|obehagliga|kladdiga|kata|olampliga|sexiga|snuskiga) (?:saker|grejer|meddelanden|kommentarer|sms|snaps) (?:till|om) <MIG>\b",
        r"\b(?:la|lagger|lade|kryper|krop|kom|kommer) (?:<SIG> |in )?(?:i|till) (?:min sang|mitt rum|sangen)\b(?: \w+){0,4}? (?:och )?(?:tog pa|tar pa|rorde|ror|tafsade|tafsar|kande pa|kanner pa|smekte|smeker|klade av|klar av) <MIG>\b(?! (?:\w+ )?(?:mossan|jackan|skorna|kladerna|trojan|vantarna|halsduken|overallen|pyjamasen|strumporna|byxorna|tacket)\b)",
    ), unguarded=True),
    RuleSpec("neglect_third", NEGLECT, (
        r"\b(?:far|fick|kan) (?:bara|enbart|bara nagonsin) ata (?:i|pa) skolan\b(?! (?:idag|i dag|ikvall|imorgon|pa (?:mandag|tisdag|onsdag|torsdag|fredag)\w*)\b)|\b(?:enda|enda gangen) <JAG> (?:far|ater|fick) (?:mat|ata) (?:ar|e|var) (?:i|pa) skolan\b",
        r"\bingen (?:har )?(?:varit|kommit|sovit) hem\w* (?:pa|sedan|sen|i) (?:\w+ )?(?:dagar|dygn|veckor|vecka|natter)\b",
        r"\b(?:glomde|glomt|har glomt) bort (?:oss|<MIG>|mina syskon|lillebror|lillasyster)\b(?: \w+){0,2}? (?:helgen|hela (?:dagen|natten|helgen|veckan)|i (?:flera|tva|tre) dagar|over natten|igen)\b",
        r"\b(?:har|hade) (?:inte|inget|ingen) (?:haft |fatt )?(?:el|strom|varmvatten|varme|vatten)\b(?: \w+){0,2}? (?:pa|i|sen|sedan) (?:en|tva|tre|flera|\d+) (?:dagar|veckor|vecka|manader)\b(?!(?: \w+){0,3} (?:storm\w*|ovadr\w*|avbrott\w*|stromavbrott\w*|renover\w*|reparation\w*|flytt\w*)\b)",
    ), victim=True),
    RuleSpec("you_are_next", VIOLENCE, (
        r"\b(?:skrev|skriver|sa|sager|sagt|skrivit|snappade|smsade) (?:att )?(?:<JAG> (?:ar|e|blir) (?:nasta|den nasta|nasta pa tur)|du (?:ar|e|blir) (?:nasta|den nasta))\b",
    ), requires="threat_context"),
    # ------------------------------- fourth batch: the detector helper's third probe
    RuleSpec("no_reason_to_live", SUICIDE, (
        r"\bstar (?:<JAG> )?(?:inte|int) ut (?:langre|mer)\b(?! (?:med|pa|i|hos)\b)",
        r"\bvarfor (?:ska|skulle|ens|orkar|vill) (?:<JAG> )?(?:ens )?(?:<LEVA>|finnas|fortsatta <LEVA>|vakna)\b(?! (?:pa|med|i|utan|sa)\b)",
        r"\b(?:inte|int) (?:borde|ska|fortjanar att|har ratt att) (?:fa )?(?:<LEVA>|finnas)\b(?! (?:pa|med|i|sa|utan|har|kvar i)\b)",
        r"\b(?:ar|e|blir|kommer (?:att )?vara) (?:<JAG> )?borta for (?:alltid|gott)\b(?! (?:fran|pa|ur|i)\b)",
        r"\b(?:inget|ingenting|inte nagot|inte nat|inget alls) (?:kvar )?att (?:<LEVA>|kampa|finnas) for\b",
        r"\b(?:har |jag )?(?:kopt|skaffat|fixat|hittat|gomt) (?:ett )?(?:rep|snara)\b(?! (?:till|for|att|som|och|i (?:affaren|butiken))\b)",
    ), victim=True),
    RuleSpec("dead_before", SUICIDE, (
        # "kommer vara död innan dess": soft, also hyperbole about a long meeting.
        r"\b<JAG> (?:kommer(?: att)?|ska) (?:nog |redan |kanske )?(?:vara|va) dod (?:innan|fore|till|da|nar|efter|om)\b",
    ), soft=True, victim=True),
    RuleSpec("acute_more", ACUTE, (
        r"\bfast (?:i|inne i) (?:en |hans |hennes |deras |ett )?(?:rum|hus|hiss|bil|lagenhet)\b(?! (?:ko|kon)\b)",
        r"\b(?:svalde|svalt|at|atit|drack|druckit) (?:\w+ )?(?:batteri\w*|klorin\w*|rengoringsmedel|diskmedel|tvattmedel|tvattkapsel\w*|lampolja|rattgift|avloppsrens\w*|frostskydd\w*)\b",
        r"\b(?:druckit|drack|svept|svepte) (?:\w+ ){0,2}?(?:en hel flaska|hela flaskan|en flaska|massa|sa mycket|for mycket|en halv flaska|en liter)\b(?! (?:\w+ )?(?:vatten|lask|cola|saft|juice|mjolk|te|kaffe|festis|pucko|energidryck|fanta|sprite|oboy|smoothie)\b)(?: \w+){0,6}? (?:mar (?:skit|pyton|illa|jattedaligt|sa daligt)|ser dubbelt|kan inte ga|kan inte sta)\b",
    )),
    RuleSpec("neglect_fourth", NEGLECT, (
        r"\b(?:blev|blivit|har blivit|blir) (?:\w+ )?(?:utslangd|utsparkad|utslangda|utsparkade)\b(?! (?:fran|ur) (?:laget|gruppen|chatten|servern|spelet|klassen|klassrummet|lektionen|salen|matchen|planen)\b)",
        r"\bingen (?:\w+ )?(?:hamtar|hamtade|har hamtat|kom och hamtade|kommer och hamtar) <MIG>\b(?: \w+){0,8}? (?:timmar|timme|morkret|natten|ikvall|kallt|ensam)\b",
        r"\b(?:varit|ar|vara|lamnad|lamnade oss|lamnar oss) (?:helt )?(?:sjalv|ensam|ensamma|sjalva) hemma (?:hela|i|pa|sen|sedan|under) (?:\w+ )?(?:veckan|vecka|veckor|dygn|natter|flera dagar)\b",
    ), victim=True),
    RuleSpec("honour_fourth", HONOUR, (
        r"\b(?:tvingar|tvingade|tvingat|tvinga|pressar|pressade) <MIG> (?:att |till att )?(?:gifta <MIG>|giftas|forlova <MIG>|forlovas|ett giftermal|ett aktenskap)\b",
    ), victim=True),
    RuleSpec("honour_slur", HONOUR, (
        r"\b(?:kallar <MIG>|kallade <MIG>|sager att <JAG> (?:ar|e)|sa att <JAG> (?:ar|e|var)) (?:en )?(?:hora|slampa|slyna|billig|skamlos|horunge)\b",
    ), requires="honour_context"),
    RuleSpec("sexual_fourth", SEXUAL_ABUSE, (
        r"\b(?:man|kille|gubbe|snubbe|kvinna|person|typ) (?:i|runt|kring) (?:[2-9]\d) ?(?:ars ?aldern|arsaldern|ar)?\b(?: \w+){0,4}? (?:skriver|skickar|chattar|snappar|vill|ber|messar|addade|adderade|lade till|foljer)\b",
        r"\b(?:skickat|skickade|skickar) (?:\w+ )?<NUDES>(?: \w+){0,6}? (?:hotar|hotade|utpressar|utpressade|kraver|vill ha pengar|vill ha mer|vill ha fler)\b",
        r"\b(?<!jag )(?<!ja )(?:gjorde|gor|gjort) (?:saker|grejer|sant) (?:med <MIG> |mot <MIG> )?(?:som )?<JAG> (?:inte|aldrig) (?:ville|vill|gillade|gillar|bad om)\b",
    ), unguarded=True, victim=True),
    RuleSpec("violence_fourth", VIOLENCE, (
        r"\b(?:lovat|lovade|lovar|hotat|hotade|hotar|sagt|svurit) (?:att )?(?:ta|fa tag pa|ge <SIG> pa|hoppa pa|komma efter|ga pa) <MIG>\b(?! (?:till|med|hem|ut|pa (?:bio|fika|stan)|i (?:bilen|skolan))\b)",
        r"\b(?:gang\w*|killarna|nagon|nan|nagra|de|dom|han|hon|kriminella)\b (?:\w+ )?(?:ar|e) (?:ute )?efter <MIG>\b",
    ), soft=True, now=True, subject={"adult": ABUSE, "peer": VIOLENCE, "pron": VIOLENCE, "group": VIOLENCE}),
    RuleSpec("confined", NEGLECT, (
        # Not allowed out of a room even for the toilet or food.
        r"\b(?:far|fick|kan|kunde|tillats) (?:<JAG> |vi )?(?:inte|int|aldrig) (?:ens )?(?:komma ut|ga ut|lamna|ta <MIG> ut) (?:ur |fran )?(?:\w+ )?(?:rummet|mitt rum|kallaren|garderoben|forradet)\b(?: \w+){0,4}? (?:ens |inte ens )?(?:for att |nar <JAG> (?:maste|behover) )?(?:ga pa (?:toa|toan|toaletten|muggen)|kissa|bajsa|ata|dricka)\b",
        r"\blater (?:<MIG>|oss) (?:inte|aldrig) (?:ens )?(?:komma ut|ga ut|lamna) (?:ur |fran )?(?:\w+ )?(?:rummet|mitt rum|kallaren|garderoben|forradet)\b(?: \w+){0,4}? (?:ens |inte ens )?(?:for att |nar <JAG> (?:maste|behover) )?(?:ga pa (?:toa|toan|toaletten|muggen)|kissa|bajsa|ata|dricka)\b",
    ), victim=True),
)

# Every rule the detector runs: the families above, then the grammar-shaped
# families kept in their own modules (home, intent, exploitation).
RULES: tuple[RuleSpec, ...] = _CORE_RULES + HOME_RULES + INTENT_RULES + EXPLOITATION_RULES

# A message that is nothing but a cry for help ("HJÄÄÄLP!!!", "snälla hjälp
# mig"): matched against the whole folded message, never inside a longer one
# ("hjälp mig med läxan" is not a crisis).
HELP_CRY_PATTERN = (
    r"(?:snalla |please |help |hjalp |nagon )*(?:hjalp|help)(?: <MIG>| me)?(?: snalla| nu| please| now| hjalp| help)*"
)

# Hyperbole and everyday phrases. Each match is replaced by a separator before
# the crisis rules run, so the guard can only remove the phrase itself and a
# real crisis signal elsewhere in the message still matches. Never applied to
# sexual_abuse (that rule reads the unguarded text).
GUARD_PATTERNS: tuple[str, ...] = (
    # "jag dör av tristess", "ville dö av skam", "dog av skratt"
    r"\b(?:<VILL> (?:bara )?)?(?:do+|dor|dog|doende|dott|doo)\w* (?:\w+ )?(?:av|pa grund av|pga) (?:\w+ )?(?:tristess|skratt\w*|skam|pinsamhet|hunger|torst|varme|varmen|kyla|kylan|trakighet|trak|langtrakighet|nyfikenhet|avund|sotma|gullighet\w*|cuteness|lycka|gladje|laxor\w*|laxan|plugg\w*|trotthet|sommar\w*|hetta|hettan|tristessen)\b",
    # Devices and batteries "die".
    r"\b(?:mobil|telefon|batteri|laddare|dator|lur|ipad|surfplatta|skarm|horlurar|airpods|plantan|blomm|vaxt|fisken|hamstern|kontrollen|handkontroll|bilen)\w* (?:har )?(?:dog|do|dor|dott|ar dod)\b",
    # Games and sport: "slog mig i fifa", "spöade mig i schack", "fick stryk i matchen".
    r"\b(?:slog|slar|slagit|spoade|spoar|spoat|krossade|krossar|agde|ager|dodade|dodar|sparkade|knuffade|knuffar|puttade|puttar|brottades med|vann over|vinner over|beat|beats|killed|kills) (?:<MIG>|honom|henne|oss|dem|dom|me|us|him|her|them)\b<GAP> (?:i|pa|at|in|med) (?:\w+ )?<GAMES>\w*\b",
    r"\b(?:spoad|slagen|krossad|agd|dodad|stryk|spo|en small|sparkad|knuffad|tacklad|traffad|nedtacklad)\b<GAP> (?:i|pa|mot|med) (?:\w+ )?(?:<GAMES>\w*|\d+ ?\d*)\b",
    # Scores: "slog oss med 10-0".
    r"\b(?:slog|slar|slagit|spoade|spoar|krossade|krossar|agde|vann over|vinner over) (?:<MIG>|oss|dem|dom|honom|henne|laget)\b<GAP> med \d+ ?\d*\b",
    # "blev slagen av bollen", "slagen av häpnad"
    r"\b(?:slagen|traffad|sparkad|slog|traffade) (?:\w+ )?(?:av|med|i) (?:en |ett )?(?:boll\w*|puck\w*|klubb\w*|dorr\w*|gren\w*|hapnad|forvaning|overraskning|blixt\w*)\b",
    # Weapons inside games: "har en pistol i fortnite".
    r"\b(?:pistol|vapen|vapnet|gevar|svard|kniv|bazooka|sniper|bomb)\w*<GAP> (?:i|pa|in) (?:\w+ )?<GAMES>\w*\b",
    # Dying in games: "hur dör man i minecraft", "dog direkt i fortnite". Not the
    # infinitive "dö", so "vill dö i ..." is never masked.
    r"\b(?:dor|dog|dott|dodade|dodar|died|dies|killed)<GAP> (?:i|pa|in) (?:\w+ )?<GAMES>\w*\b",
    # Waiting for the train is not standing on the tracks.
    r"\b(?:star|sitter|ar|e) (?:\w+ )?(?:vid|pa) (?:sparet|perrongen|plattformen|stationen|hallplatsen) (?:och )?(?:vantar|vanta|kollar) (?:pa|efter) (?:taget|tag|tunnelbanan|tuben|pendeln|bussen|mamma|pappa|\w+)\b",
    # Idioms: "det slog mig att", "slog mig ner i soffan", own accidents ("jag slog mig i knät").
    r"\bdet (?:slog|slar|har slagit) <MIG> (?:att|hur|nar|plotsligt|inte|just)\b",
    r"\b(?:slog|slar|sla|slagit) <MIG> ner\b",
    r"\b<JAG> (?:slog|har slagit) <MIG>\b(?!(?: <SJALV>| med flit| medvetet| for att)\b)",
    # "orkar inte mer med läxorna" and similar: tired of something ordinary.
    r"\b(?:orkar|orka|pallar|palla|klarar) (?:<JAG> )?(?:inte|int|inge|ej) (?:mer|langre) (?:med |av |pa )?(?:den har |det har |detta |denna |min |mitt |mina )?(?:skola\w*|laxor\w*|laxa\w*|plugg\w*|matte\w*|prov\w*|lektion\w*|traning\w*|tjat\w*|dag\w*|veckan|vecka|kylan|varmen|filmen|serien|idag|ikvall|just nu|nu|att (?:plugga|vanta|lasa|skriva|springa|trana|stada|diska|ga upp|jobba|sitta)|syskon\w*|lillebror|lillasyster|storebror|storasyster|buss\w*|vadret|snon|regnet|jobbet|uppsats\w*|projekt\w*|grupparbete\w*|kon|musiken|ljudet|fotboll\w*|tranaren|lararen|mentorn|kompis\w*|spelet|engelska\w*|svenska\w*|kemi\w*|fysik\w*|biologi\w*|historia|sfi|simning|pianot|gitarren)\b",
    # Computers hang: "datorn hänger sig".
    r"\b(?:dator\w*|mobil\w*|spelet|appen|ipad\w*|telefon\w*|skarm\w*|program\w*|systemet|servern|tvn|lur\w*|wifi\w*|natet|switch\w*|ps[45]|xbox) (?:\w+ )?(?:hanger|hangde|hangt|hanga) <SIG>\b",
    # Animals chase and bite: "hunden jagade mig".
    r"\b(?:hunden|hundarna|katten|en hund|grannens hund|en geting|getingen|getingar|bin|ett bi|en fluga|tuppen|kon|kossan|hasten|svanen|masen|masar|gassen) (?:\w+ )?(?:jagade|jagar|jagat|sprang efter|bet|biter|sparkade|sparkar|attackerade) <MIG>\b",
    # "hotar med att ta mobilen", "hotar mig med kvarsittning"
    r"\bhota(?:r|de|t)? (?:<MIG> )?med (?:att )?(?:ta (?:ifran <MIG> )?(?:min |mitt |mina )?\w+|dra in|stanga av|ringa|saga till|beratta|kvarsittning\w*|utegangsforbud|indragen|indragna|samtal|lappen|ett mejl|varning|prickar|att skicka hem)\b",
    # Kicked out of a team, group or game (not out of home).
    r"\b(?:sparkade|sparkat|sparkar|sparka|kastade|kastat|kastar) (?:ut )?<MIG> (?:fran|ur|ut ur) (?:laget|gruppen|chatten|servern|spelet|klassen|jobbet|lektionen|matchen|discord\w*|gruppchatten|snapgruppen)\b",
    r"\bkicked me (?:out of|from) (?:the )?(?:team|group|chat|server|game|class)\b",
    # Idioms with "brinner".
    r"\bdet brinner i knutarna\b",
    # Summer fun: "hoppade från bron ner i sjön".
    r"\bhopp\w* (?:fran|ifran|ner fran|av) (?:\w+ )?(?:bron|en bro|klippan|klipporna|bryggan|hopptornet|tornet) (?:\w+ ){0,2}?(?:i|ner i|till) (?:sjon|vattnet|havet|alven|badet|ana|kanalen)\b(?! och (?:<DO>|drunkna)\b)",
)

# Hyperbole guards that step aside when the child says they mean it ("det var
# pinsamt men på riktigt vill jag dö"): applied only without a SERIOUS_PATTERN
# match, so the child's own words can always override the guess.
JOKE_GUARD_PATTERNS: tuple[str, ...] = (
    # "ville dö så pinsamt", "så pinsamt jag vill dö"
    # "[ \n]": these two may reach across one comma ("jag ville dö, så pinsamt").
    r"\b(?:pinsamt|pinsam|skamsen)\b<GAP>[ \n](?:<JAG> )?<VILL> (?:<JAG> )?(?:bara )?(?:<DO>|forsvinna|sjunka genom jorden)",
    r"\b<VILL> (?:bara )?(?:<DO>|forsvinna|sjunka genom jorden)<GAP>[ \n](?:sa |vad |sjukt |mega |hur |jatte )?pinsamt\b",
    # "kill me now" about a boring lesson.
    r"\b(?:just |someone |somebody |please |pls )?kill me now\b",
)

# "den här läxan tar livet av mig": something, not someone, is "killing" me.
# Masked unless the word before is "jag" or a word that can come between the
# speaker and the verb ("då tar jag livet av mig" is handled by the crisis
# rule's own "tar jag" form). Kept apart from GUARD_PATTERNS because the check
# on the previous word is done in Python: a regex for "any word except these"
# would have to be tried at every word of a long message.
NONPERSON_SUBJECT_GUARD = r"\b(?:tar|tog|tagit|kommer (?:att )?ta|ska ta|haller pa att ta) livet av <MIG>\b"
PERSON_WORDS_BEFORE = frozenset(
    "jag ja jg att som sa da nog snart bara ba typ kanske ocksa ju nu faktiskt verkligen assa alltsa och men "
    "eller om sen sedan ikvall inatt imorgon idag annars vill ska tanker tankte kommer kan borde".split()
)

# Laughing words. Only "soft" rules listen to them, and only when they belong
# to the phrase (see detector._laugh_near).
LAUGH_PATTERN = (
    r"\b(?:a?(?:ha){2,}h?|ah(?:ha)+|(?:he){2,}|(?:hi){2,}|hah|haah\w*|lol+|lo+l|lmf?ao+|rofl|xd+|jk|jks|jkjk|"
    r"skamt\w*|skoja\w*|skojar|asg\w*|dog av skratt|dor av skratt|garvar|garva)\b"
)
# Laughing emoji and emoticons (😂, :D) are turned into a laugh mark by the
# normaliser (normalise.LAUGH_EMOJI), so they are positioned like words.

# "På riktigt", "inte skämt": the child tells us the joke framing is off.
SERIOUS_PATTERN = (
    r"\b(?:pa riktigt|pa allvar|allvarligt(?: talat)?|inte (?:ett |nagot |nat )?skamt|inget skamt|skamt asido|"
    r"skamtar inte|skojar inte|menar (?:det|allvar|verkligen)|ingen overdrift|overdriver inte|no joke|"
    r"not joking|not a joke|i ?m serious|i am serious|for real|fr fr|kms fr|fr(?=\n|$)|seriously|jk nej|nej men)\b"
)

# Something ordinary near a "soft" threat: the threat is about this.
TRIVIAL_PATTERN = (
    r"\b(?:mobil\w*|telefon\w*|iphone\w*|laddare\w*|laddsladd\w*|dator\w*|ipad\w*|betyg\w*|prov|provet|proven|"
    r"provresultat\w*|laxa\w*|laxor\w*|rummet|mitt rum|disk|disken|diska\w*|stada\w*|stadar|tvatt\w*|sent hem|hem sent|"
    r"(?:kommer|kom|komma) (?:hem )?(?:for )?sent|for sent|"
    r"glomde|glomt|tappade|tappat|sonder|paj|pajade|forstorde|spillde|godis|chips|glass|kakor?|pizza\w*|"
    r"troja\w*|kladerna|jacka\w*|skor|skorna|nycklar\w*|fifa|ps[45]|playstation|xbox|switch|spel\w*|netflix|"
    r"tvn|kvarsittning|franvaro\w*|skolk\w*|wifi|smink\w*|haret|harfarg\w*|frisyr\w*|tatuering\w*|piercing\w*|"
    r"kvitto|bilen|cykeln|nagellack|glasogon|sminket|fotboll\w*|matchen|traning\w*|lektion\w*|lararen|"
    r"homework|phone|grades?|test|room)\b"
)

# Play, the only excuse for hiding.
PLAY_PATTERN = (
    r"\b(?:kurragomma|dunkgomme|lek\w*|overraskning\w*|julklapp\w*|paket\w*|tittut|hide and seek|spel\w*|"
    r"kompisar\w* (?:leker|lekte)|barnen|lillebror|lillasyster|kusin\w*)\b"
)

# Accidents near a cutting/injury phrase: "skar mig på ett papper".
ACCIDENT_PATTERN = (
    r"\b(?:av misstag|olycka\w*|rakade|raka <MIG>|rakning|papper\w*|slojd\w*|hemkunskap\w*|matlagning|"
    r"lagade mat|laga mat|skar (?:lok|gronsaker|brod|tomat\w*|gurka|morot\w*|kott|potatis|frukt|apple)|"
    r"fotboll\w*|innebandy|hockey|handboll|basket|gympa\w*|idrott\w*|traning\w*|matchen|ramlade|ramla|"
    r"snubblade|halkade|cykla\w*|trampolin\w*|by accident|accidentally|spik|glas\w*|burk\w*|knat|knaet|fingret|tummen|"
    r"ryggen|foten|fotleden|axeln|tan|solen|sol|solbrand|ugn\w*|spis\w*|kaffe\w*|plattang\w* (?:i haret)|lattsinne)\b"
)
# ...unless the context also shows intent.
INTENT_PATTERN = (
    r"\b(?:med flit|med avsikt|medvetet|avsiktligt|<SJALV>|igen|varje (?:dag|kvall|natt)|vill|behover|"
    r"for att (?:slippa|kanna|straffa|dova|klara)|armarna|handled\w*|laren|on purpose|arr|blod\w*|ingen vet)\b"
)

# Something frightening in the message: makes "han är på väg hit" acute.
THREAT_CONTEXT_PATTERN = (
    r"\b(?:radd|livradd|skraamd|skramd|hotar|hotade|hot|arg|rasande|full|packad|kniv|pistol|vapen|doda|"
    r"sla|slar|slog|slagit|gommer|gomt|hjalp|snalla|fara|panik|skriker|valdsam|farlig|scared|afraid|help|pls|please|"
    r"knife|gun|kill|hurt|tagit min (?:mobil|telefon)|tog min (?:mobil|telefon)|skriver (?:fran|pa|via) \w+|"
    r"kan (?:jag |ja )?inte ringa|kommer (?:jag )?inte ut|gang|ganget|gangen)\b"
)

# Makes a "fear_tonight" message acute: the danger is tonight or now.
TONIGHT_PATTERN = r"\b(?:ikvall|i kvall|inatt|i natt|nu|just nu|right now|tonight|snart)\b"

# Suicidal intent anywhere in the message: makes "sitter på stationen" acute.
SUICIDE_CONTEXT_PATTERN = (
    r"\b(?:hoppa|hoppar|kasta <MIG>|ga ut framfor|<DO>|ta livet|sjalvmord|avsluta|sista gangen|hejda|"
    r"aldrig mer|inte orkar|orkar inte|jump|end it)\b"
)

# Pills mentioned anywhere in the message (for "pills_to_die").
PILL_CONTEXT_PATTERN = r"\b<PILL>"

# Neglect markers: when present, "har inte ätit på tre dagar" is about a home
# without food rather than self-starvation.
NEGLECT_PATTERN = (
    r"\b(?:ingen mat|inte fatt mat|far ingen mat|fick ingen mat|ingen lagar|ingen handlar|kylskapet|"
    r"finns inget att ata|finns ingen mat|inga pengar till mat|no food)\b"
)

# "Now": makes an ongoing assault or threat acute.
# A cry for help right after it ("pappa slår mig hjälp") also means now.
NOW_AFTER_PATTERN = r"^\s*(?:(?:\w+ ){0,2}?(?:just nu|precis nu|nu|right now|now|som vi skriver|medan <JAG> skriver)|(?:hjalp|help|snalla hjalp|sos))\b"
# "hjälp pappa slår mig", "han håller på att slå mamma": it is happening.
NOW_BEFORE_PATTERN = r"(?:\b(?:just nu|precis nu|right now)|\bhaller pa|^\s*(?:hjalp|help|sos|snalla hjalp))\s*(?:\w+ ){0,3}$"

# Compound keywords matched on the text with all spaces removed, so "själv
# mord", "själv-skada" and "över dos" are still found.
COMPACT_KEYWORDS: tuple[tuple[str, str], ...] = (
    (r"sjalvmord", SUICIDE),
    (r"suicid", SUICIDE),
    (r"sjalvskad", SELF_HARM),
    (r"overdos", SUICIDE),
    (r"valdtog|valdtag|valdtakt", SEXUAL_ABUSE),
    (r"dodshot", VIOLENCE),
)

# Keyword roots tolerated with one typo ("sjävmord", "självmrod", "våldtgo").
FUZZY_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("sjalvmord", SUICIDE),
    ("sjalvskad", SELF_HARM),
    ("overdos", SUICIDE),
    ("valdtog", SEXUAL_ABUSE),
    ("valdtagen", SEXUAL_ABUSE),
    ("valdtakt", SEXUAL_ABUSE),
    ("misshandl", ABUSE),
)

# Who does it, for rules whose category depends on the subject.
SUBJECT_PATTERNS: dict[str, str] = {
    "adult": r"\b(?:(?:mammas|pappas) (?:nya )?\w+|(?:hennes|hans|sin) (?:nya )?(?:kille|pojkvan|man|sambo|tjej|flickvan|fru)|mamma|mamman|mammi|morsa|morsan|pappa|pappan|farsa|farsan|"
    r"min (?:mor|far)|foralder|foraldrar\w*|foraldern|styv\w+|bonus\w+|foster\w+|familjehem\w*|vuxen|vuxna|"
    r"vuxne|larare\w*|lararen|lararinnan|fritidsledare\w*|mentor\w*|rektor\w*|tranare\w*|tranaren|ledare\w*|"
    r"ledaren|personal\w*|farbror|morbror|moster|faster|mormor|morfar|farmor|farfar|gubbe\w*|gubben|mannen|"
    r"en man|kvinnan|pastor\w*|prast\w*|imam\w*|familj\w*|slakt\w*|dad|daddy|mom|mum|mommy|father|mother|step\w+|uncle|aunt|"
    r"teacher|coach|parents?)\b",
    "peer": r"\b(?:kompis\w*|klasskompis\w*|killar\w*|kille|killen|tjej|tjejen|tjejer\w*|grabb\w*|elev\w*|"
    r"klassen|bror|brorsan|brorsa|broder|syster|systern|syrra|syrran|lillebror|storebror|storasyster|"
    r"lillasyster|syskon\w*|kusin\w*|gang\w*|mobbare\w*|mobbarna|pojkvan\w*|flickvan\w*|ex|expojkvan\w*|"
    r"nagon|nan|nagra|ngn|folk|boys|girls|guys|someone|classmates?|brother|sister|boyfriend|girlfriend|"
    r"bully|bullies|kids)\b",
    # Not "i": in Swedish it is the preposition "in" ("drar mig i håret").
    "self": r"\b(?:jag|jg)\b",
    "pron": r"\b(?:han|hon|hen|he|she)\b",
    # A group ("de slog mig") is more often peers or a gang than a parent.
    "group": r"\b(?:de|dom|they)\b",
}
# Where it happened, when nobody is named ("blev slagen på bussen"): public
# places point to peers, home to the adults there.
PUBLIC_PLACE_PATTERN = (
    r"\b(?:skolan|skolgarden|rasten|rasterna|bussen|tunnelbanan|tuben|pendeln|omkladningsrummet|idrotten|gympan|"
    r"matsalen|korridoren|stan|centrum|parken|festen|fest|traningen|klassen|klassrummet|fritids|kiosken|torget|"
    r"gatan|vagen hem|pa vag hem|badet|simhallen|bussholplatsen|hallplatsen|lekplatsen|klatterstallningen|"
    r"fotbollsplanen|planen|gympasalen|idrottshallen|cykelstallet|school|bus|party)\b"
)
HOME_PATTERN = r"\b(?:hemma|hemmet|i koket|i vardagsrummet|at home)\b"

# "blev slagen av pappa": the agent comes after the verb.
AGENT_AFTER_PATTERN = r"^\s*(?:\w+ ){0,3}?(?:av|by) (?:min |mitt |mina |my )?(\w+(?: \w+)?)"

# ------------------------------------------------------- who is in danger
# The writer: in the phrase or right after it, it makes a "victim" rule about
# the writer ("vill jag dö", "våldtog mig"). Not "min": "min kompis vill dö".
FIRST_PERSON_PATTERN = r"\b(?:jag|jg|mig|mej|mj|oss|vi|me|myself|us|im)\b"
# One word naming a third person (matched against single words).
THIRD_PERSON_WORD_PATTERN = (
    r"(?:kompis\w*|van|vannen|vanner|vannerna|bastis\w*|polare\w*|polarn|klasskompis\w*|tjej|tjejen|kille|killen|"
    r"flickvan\w*|pojkvan\w*|bror|brorsan|brorsa|broder|syster|systern|syrra|syrran|lillebror|lillebrorsan|"
    r"storebror|storasyster|lillasyster|syskon\w*|kusin\w*|granne|grannen|grannens|elev\w*|nagon|nan|ngn|"
    r"han|hon|hen|he|she|mamma|mamman|morsan|morsa|pappa|pappan|farsan|farsa|mormor|morfar|farmor|farfar|"
    r"moster|faster|morbror|farbror|styv\w+|bonus\w+|friend|friends|bestie|bff|brother|sister|cousin|"
    r"classmate|mom|mum|dad|girl|boy|de|dom|dem|they)"
)
# Subject pronouns right after a V2 verb: "nu blir hon hotad".
THIRD_PRONOUN_PATTERN = r"\b(?:han|hon|hen|he|she)\b"
# People in the writer's own home: violence or neglect against them is about
# the writer's home too (a child witnessing violence at home is abused).
HOUSEHOLD_WORD_PATTERN = (
    r"(?:mamma|mamman|morsan|morsa|pappa|pappan|farsan|farsa|lillebror|lillebrorsan|lillasyster|storebror|"
    r"storasyster|bror|brorsan|syster|syrran|syskon\w*|styv\w+|bonus\w+|mom|mum|dad|brother|sister)"
)
# ...unless it is somebody else's family: "hennes pappa", "min kompis mamma".
OTHERS_HOME_WORD_PATTERN = r"(?:hennes|hans|hens|deras|kompis|kompisen|kompisens|vannens|her|his|their)"
# Short words between the third person and the phrase that do not end the
# subject: "min syster pratar om självmord", "en tjej i min klass blir slagen".
VICTIM_SKIP_WORDS = frozenset(
    "har hade ska skulle kommer att typ nog bara ocksa oxa kanske verkligen sa sager sagt skrev skriver skrivit "
    "berattade berattat pratar pratat snackar om tror i pa min mitt mina en ett den det som nu ju liksom "
    "asså assa alltsa inte aldrig alltid ofta jamt brukar hennes hans hens deras blir blev blivit utsatt for "
    "varit med och men o ar e var".split()
)
# A friend, or somebody else's family, mentioned anywhere (friend_* rules).
FRIEND_CONTEXT_PATTERN = (
    r"\b(?:kompis\w*|van|vannen|vanner|bastis\w*|basta van|polare\w*|polarn|klasskompis\w*|"
    r"(?:tjej|tjejen|kille|killen|en|nagon|nan) i (?:min |var |samma )?(?:klass|klassen|skolan)|"
    r"hennes|hans|hens|deras|friend\w*|bestie|bff|classmate\w*)\b"
)

# ------------------------------------------------------- sexual exploitation
# Pictures or videos, for sextortion rules ("annars skickar han den till alla").
PICS_CONTEXT_PATTERN = (
    r"\b(?:bild|bilder|bilden|bilderna|bildern|nakenbild\w*|sexbild\w*|nudes?|pics?|photos?|pictures?|"
    r"video\w*|film|filmen|filmer|filmat|filmade|snaps?|selfie\w*|dickpic\w*|naken|nakna)\b"
)
# Someone adult in the message ("en 25-åring", "han är 30", "vuxen man").
ADULT_AGE_CONTEXT_PATTERN = (
    r"\b(?:(?:[2-9]\d|1[89]) ?(?:aring\w*|ar gammal|ar|yo|y o|years? old)|(?:ar|e|is|s) (?:typ |nastan |over )?(?:[2-9]\d|1[89])\b|"
    r"vuxen|vuxna|aldre (?:man|kille|kvinna|person|typ|snubbe)|gubbe\w*|en man|older (?:guy|man)|grown ?up|adult)"
)

# ------------------------------------------------------------------- honour
# Honour, shame, marriage and sexuality in the message: violence or threats
# from the family then count as honour_violence (see detector._judge).
HONOUR_CONTEXT_PATTERN = (
    r"\b(?:heder\w*|hedern|vanar\w*|vanheder\w*|skam over (?:familjen|slakten|oss)|skamt ut|skammer ut|skamma ut|"
    r"(?:pojkvan|flickvan|kille|tjej|relation|karlek) i hemlighet|"
    r"skammar ut|familjens (?:rykte|ara|namn)|slaktens (?:rykte|ara)|oskuld\w*|sloja\w*|slojan|"
    r"(?:gifta|giftas|gifte|gifter) bort|tvangs ?gift\w*|tvangs ?aktenskap\w*|forlova\w*|"
    r"(?:pratar|pratat|prata|pratade|traffar|traffat|traffa|traffade|umgas|umgicks) med (?:killar|en kille|tjejer|en tjej)|"
    r"(?:far|fick) (?:<JAG> )?(?:inte|int|aldrig) (?:ha|skaffa|traffa) (?:en )?(?:pojkvan|flickvan|kille|killkompisar|tjej)|"
    r"(?:far|fick) (?:<JAG> )?(?:inte|int|aldrig) (?:ha|skaffa|traffa|umgas med|prata med|vara med) (?:\w+ ){0,2}?(?:killar|tjejer|killkompis\w*|tjejkompis\w*)|"
    r"(?:kompisar|vanner) som ar (?:killar|tjejer)|(?:ser|sag|hittar|hittade) <MIG> med (?:en kille|en tjej|killar|tjejer|min pojkvan|min flickvan)|(?:far|fick|fatt) (?:veta|reda pa|nys) om (?:min|mitt) (?:hemliga )?(?:pojkvan|flickvan|kille|tjej|relation)|"
    r"(?:for att|eftersom|att) <JAG> (?:har|har haft|traffar|traffat|ar ihop med) (?:en )?(?:\w+ )?(?:pojkvan|flickvan)|"
    r"(?:for att|eftersom|att) <JAG> (?:ar med|ar tillsammans med|pratar med|pratade med|umgas med|traffar|traffade) (?:en )?(?:\w+ )?(?:kille|tjej|killar|tjejer)|sminkat <MIG>|sminkade <MIG>|"
    r"find out (?:that )?i (?:have|m|am|had|was) (?:a )?(?:boyfriend|girlfriend|gay|lesbian|bi|not a virgin)|"
    r"(?:far|fick|fatt) (?:veta|reda pa) att <JAG> (?:har|ar|traffar|traffat|pratar|pratat|e)|"
    r"(?:ar|och|som|an) (?:gay|bi|bisexuell|homo|homosexuell|lesbisk|flata|trans|queer)|hemlig (?:pojkvan|flickvan|kille|tjej|relation|karlek)|honou?r|sminkar <MIG>|sminka <MIG>|smink|kjol|sloja\w*)\b"
)
# Classmates, gangs and strangers: their violence is not honour-related.
NONFAMILY_PEER_PATTERN = (
    r"\b(?:kompis\w*|klasskompis\w*|klassen|killarna|tjejerna|mobbare\w*|mobbarna|gang\w*|pojkvan\w*|"
    r"flickvan\w*|ex|elev\w*|i skolan|pa skolan|pa rasten)\b"
)

# A friend or a sibling: for someone else being touched.
FRIEND_OR_SIBLING_CONTEXT_PATTERN = FRIEND_CONTEXT_PATTERN[:-len(r")\b")] + (
    r"|syster|systern|syrran|lillasyster|storasyster|bror|brorsan|lillebror|storebror|kusin\w*|syskon\w*)\b"
)
