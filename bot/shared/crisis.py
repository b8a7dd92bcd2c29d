"""Recognise messages about suicide or self-harm, or about being hurt or abused by someone,
so the help lines come first, always.

The intent classifier learns crisis language from examples, but a statistical model can
miss a phrasing it has not seen. This is the safety net under it: patterns for direct
and indirect phrasings in Bokmål, Nynorsk, dialect, English and Northern Sami, tuned for
recall. A false alarm costs a person a few lines about help they did not need; a miss can
cost far more. Career talk that uses the same words ("selvmordsforebygging", "deadline is
killing me", "drepe tida", "vil ikke leve på NAV resten av livet") is excused explicitly.

Text is normalised before matching (case, apostrophes, letters typed three times, Sami
letters without diacritics), and every æ, ø and å in a pattern also matches how people
type without them ("onsker a do", "vil ikke vaere her").
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from bot.shared.language import TYPED_WITHOUT

CRISIS_INTENT = "crisis"
# Help lines, then an urgent case (actions/crisis.py).
CRISIS_ACTION = "action_crisis"
# A message that may be crisis language, below the certainty of ``crisis``, keeps its
# intent and gets this key in its parse data (how sure the learned half was): the bot asks
# how the person is first, with the help lines (bot/server/crisis_first.py); a "yes" makes the
# message a crisis, a "no" has it answered as it was understood.
CHECK_KEY = "crisis_check"
CHECK_RESPONSE = "utter_crisis_check"
CHECK_ANSWERED_ACTION = "action_crisis_check_answered"
# A yes that welcomes an offer ("ja takk", "yes please") answers the question how the
# person is only in part: it is asked once more, plainly (actions/crisis.py).
CHECK_AGAIN_RESPONSE = "utter_crisis_check_again"
# In the metadata of a message put back on the tracker after the answer to that question:
# the person wrote it once, and the transcript shows it once.
REPLAYED_KEY = "veivalg_replayed"
# The patterns read this much of a message, so that no message costs them more than some
# tens of milliseconds, however long; before, a long one took seconds or more
# (bench/crisis_cost.py). As long as Telegram's longest message; the channels take 2,000.
SCAN_CHARS = 4096
# Rasa reads a message that starts with "/" as an intent name, without NLU.
INTENT_PREFIX = "/"

# Bokmål and Nynorsk share most patterns; alternatives cover both, dialects and typos.
_ME = r"(?:meg|mæ|me|mej|mæg)\b"
_SELF = r"(?:selv|sjølv|sjøl|sjæl|sæl|sjølve)"
_NOT = r"(?:ikke|ikkje|ikkj|ik|itj|itte|ikk|kke|ke|ikek|ej|ikkei)"
_I = r"(?:jeg|eg|e|æ|i|jæ|je|jæi)"
_AM = r"(?:er|e|æ|va|var|føler\s+meg\s+(?:som\s+)?|kjenner\s+meg\s+(?:som\s+)?)"
_JUST = r"(?:bare\s+|berre\s+|bære\s+|bærre\s+|bar\s+|helst\s+|heller\s+|egentlig\s+|eigentleg\s+|rett\s+og\s+slett\s+)?"
# "leve" but not "leve på NAV" / "leve av lønna" / "leve som student" / "resten av livet".
_LIVE = r"(?:leve|leva|lev)\b(?!\s+(?:på|av|som|uten|utan|slik\s+resten|sånn\s+resten|hele\s+livet|heile\s+livet|i\s+samme|med\s+det|godt|bra|sunt|sunnere|billig|billigere|billigare)\b)"
_DIE = r"(?:dø|døy|døe|do|doe|dødd|døy\b|dau|daud)"
_DEAD = r"(?:død|daud|dau|dead)"
_ENDURE = r"(?:orker|orke|orkar|orka|gidder|gidd|gidde|klarer|klarar|tåler|or+ker)(?:\s+(?:egentlig|eigentleg|rett\s+og\s+slett|bare|berre|bære))?"
# Enduring life itself; "gidder ikke mer" is said of a chore too often to count alone.
_ENDURE_LIFE = r"(?:orker|orke|orkar|orka|klarer|klarar|or+ker)(?:\s+(?:egentlig|eigentleg|rett\s+og\s+slett|bare|berre|bære))?"
# Enduring now: "orka ikke mer" is mostly past ("slutta på vg1, orka ikke mer"), a story of
# a hard time the bot asks about (_DISTRESS) rather than a crisis.
_ENDURE_NOW = r"(?:orker|orke|orkar|klarer|klarar|or+ker)(?:\s+(?:egentlig|eigentleg|rett\s+og\s+slett|bare|berre|bære))?"
_MORE = r"(?:lenger|lengre|lengar|meir|mer|mere|meire)"
_FOREVER = r"(?:for\s+godt|for\s+alltid|for\s+altid|for\s+evig|for\s+ever|forever|for\s+good|agibeaivái|agibeaivai)"
# Waking as such, without getting up: "vil ikke stå opp i morgen" is a Monday.
_AWAKEN = r"(?:våkne|våkner|vakne|vaknar|våkn|vakna|våkna|våknet|vaknet)"
_WAKE = r"(?:våkne|våkner|vakne|vaknar|våkn|vakna|våkna|våknet|vaknet|stå\s+opp)"
_EXIST = r"(?:finnes|finnast|fins|eksistere|eksisterer|være\s+til|vere\s+til|vera\s+til|vær\s+te|vere\s+te|vera\s+te|være\s+her|vere\s+her|vera\s+her|være\s+i\s+live|vere\s+i\s+live|i\s+live)"
_PILLS = r"(?:piller|pillene|pillar|pillane|pilla|tabletter|tablettene|tablettar|tablettane|sovetabletter|sovepiller|medisinene|medisinane)"
# What a cook, a carpenter or anyone cuts or burns themselves on by accident.
_MISHAP = r"(?:\w*kniv\w*|\w*glass\w*|glasskår\w*|\w*papir\w*|ark\w*|boks\w*|sag\w*|\w*ovn\w*|\w*omn\w*|komfyr\w*|kjele\w*|frityr\w*|sola|sol\b|stryke\w*|grill\w*|panne\w*|\w*flaske\w*|spiker\w*|tråd\w*|verktøy\w*|maskin\w*|rivjern\w*|fingeren|tommelen|knife|glass|paper|can|saw|oven|stove|pan|iron|grill|fryer|tool|machine)"
_HIGH_PLACES = r"(?:brua|broa|bruen|brui|bru|bro|taket|toget|kanten|stupet|blokka|fjellet|perrongen|skinnene)"

_NORWEGIAN = [
    # --- suicide named (career talk about it is excused below)
    r"s(?:e|æ)lv\s?mor",
    r"sj(?:ø|o|e)?l?v?\s?mord",
    r"sjølmord",
    r"suicid",
    r"tanker\s+om\s+å\s+" + _DIE + r"\b",
    r"tankene\s+(?:om|på)\s+å\s+" + _DIE + r"\b",
    # --- taking one's life
    r"t(?:a|ar|ok|ek|ak)(?:\s+(?:man|ein|en|eg|jeg))?\s+(?:livet|live)\s+(?:av\s+)?(?:" + _ME + r"|mitt|mit|seg|sitt)",
    r"ta(?:r|)\s+mitt\s+(?:eget|eige)\s+liv",
    r"\bav\s+dage\b",
    # a word of its own: "må eg betale attende alt" (pay back everything) is no ending
    r"(?<!\w)(?:ende|avslutte|avslutta|avslutt)\s+(?:livet|alt|det\s+hele|det\s+heile)",
    # in the present, said of oneself: "så avslutter jeg livet", "eg avsluttar livet"
    r"(?<!\w)(?:avslutter|avsluttar|ender|endar)\s+(?:jeg|eg|æ|e)\s+livet\b",
    r"(?<!\w)(?:jeg|eg|æ|e)\s+(?:\w+\s+)?(?:avslutter|avsluttar|ender|endar)\s+livet\b",
    r"gjø?re?\s+slutt\s+på\s+(?:livet|alt|det\s+hele|det\s+heile|meg|det)",
    r"gjer(?:e)?\s+slutt\s+på\s+(?:livet|alt|meg|det)",
    r"(?:gjør|gjer|gjere|gjøre)\s+(?:jeg|eg|æ)\s+slutt\s+på\s+(?:livet|alt|det)",
    r"(?:setje|setja|sette|sett|setter|setjer|set)\s+strek\s+for\s+(?:alt|livet|det\s+hele|det\s+heile)",
    r"alt\s+(?:skal|skulle|må)\s+ta\s+slutt",
    r"(?:henge|skyte|drukne)\s+" + _ME,
    r"(?:drepe|drepa|drep)\s+" + _ME + r"\s+" + _SELF,
    r"gjø?re?\s+(?:noe|noko|noko\s+dumt|noe\s+dumt)\s+med\s+" + _ME + r"\s+" + _SELF,
    r"gjer\s+(?:noe|noko)\s+med\s+" + _ME + r"\s+" + _SELF,
    r"(?:" + _HIGH_PLACES + r")\b.{0,40}\bhopp",
    r"hopp\w*\s+(?:fra|frå|ut\s+fra|ut\s+frå|foran|framfor|ned\s+fra|ned\s+frå|ut\s+av)\s+(?:brua|broa|bruen|taket|toget|et\s+tak|eit\s+tak|blokka|fjellet|vinduet)",
    r"står\s+på\s+(?:brua|broa|taket|kanten)",
    r"(?:gå|gikk)\s+(?:ut\s+)?(?:foran|framfor)\s+(?:toget|bussen|en\s+bil|ein\s+bil)",
    r"(?:kaste|kasta)\s+" + _ME + r"\s+(?:foran|framfor|ut)",
    r"ta\s+(?:ett|eitt|et|eit)\s+steg\s+(?:fram|frem)",
    r"(?:kjøre|kjøyre|køyre|kjør)\s+(?:bilen\s+)?(?:av\s+vegen|av\s+veien|utfor|rett\s+i|inn\s+i)\b",
    r"gå\s+ut\s+i\s+(?:sjøen|havet|vannet|elva)\s+og\s+" + _NOT + r"\s+komme?\s+tilbake",
    r"(?:sted|stad|plass)\s+(?:som\s+er\s+|som\s+e\s+)?(?:høyt|høgt)\s+nok",
    r"(?:hvor|kor)\s+(?:høyt|høgt)\s+det\s+(?:er|e)\s+(?:fra|frå|ned\s+fra|ned\s+frå)\s+(?:taket|brua|broa|blokka|fjellet)",
    r"(?:sjå|se)\s+(?:hvor|kor)\s+(?:høyt|høgt)\s+det\s+(?:er|e)",
    r"(?:fjell|sted|stad)\s+der\s+ingen\s+(?:ville|vil|kommer\s+til\s+å)\s+(?:finne|funne|funnet)\s+" + _ME,
    r"overdose",
    r"(?:samla|samlet|samle|spart|spara|samlar)\s+(?:på\s+)?" + _PILLS,
    _PILLS + r"\b.{0,50}\b(?:" + _DIE + r"\b|ta\s+(?:alle|dei\s+alle|dem\s+alle)|" + _NOT + r"\s+" + _WAKE + r"|ligger\s+klare|ligg\s+klare|foran\s+meg|framfor\s+meg)",
    r"(?:hvor|kor)\s+mange\s+" + _PILLS + r"\b.{0,30}\b(?:skal\s+til|må\s+til|trengs|trengst)",
    r"(?:ta|tar|tek)\s+alle\s+" + _PILLS,
    r"(?:kjøpt|kjøpte|kjøpe|kjøpa)\s+(?:et\s+|eit\s+)?tau",
    r"(?:smertefrie|smertefri|smertefritt)\s+(?:måter|måtar|måte)\s+å\s+" + _DIE,
    r"(?:måter|måtar|måte|metode|metodar)\s+å\s+(?:" + _DIE + r"|ta\s+livet)\b",
    # --- goodbye letters, last messages, affairs put in order
    r"(?:avskjedsbrev|avskilsbrev|farvelbrev|avskjedsmelding)",
    r"(?:ha\s+det|farvel|adjø)\b.{0,50}\b" + _FOREVER,
    r"(?:sagt|sa|seie|sei|si)\s+(?:ha\s+det|farvel|adjø)\s+(?:til|te)\s+.{0,40}(?:uten\s+at|utan\s+at|for\s+siste\s+gang|" + _FOREVER + r")",
    r"(?:gitt|gi|gav|ga|gjett|gje|delt\s+ut)\s+(?:bort\s+)?(?:alle\s+)?(?:tingene|tinga|tingan|ting)\s+(?:mine|min)\b",
    r"(?:gitt|gi|gav|ga|gjett|gje|delt\s+ut)\s+bort\s+(?:alt|tinga|tingene)",
    r"(?:gitt|gi|gav|ga|gjett|gje)\s+bort\b.{0,60}\b(?:trenger|treng|træng|trengs)\s+(?:dem|dei|dæm|den|det)?\s*" + _NOT + r"\b",
    r"(?:gitt|gi|gav|ga|gjett|gje)\s+\w+\s+(?:alle|alt)\s+.{0,40}\b(?:ta\s+vare\s+på|passe\s+på)\s+.{0,20}\b(?:etter\s+meg|når\s+jeg\s+er\s+borte)",
    r"(?:ikke|ikkje)\s+(?:noe|noko|noen)\s+(?:poeng|vits)\s+(?:å|i\s+å)\s+ha\s+(?:dem|dei|det|tinga|tingene)\s+" + _MORE,
    r"testamente\w*\b.{0,60}\b(?:klar|ferdig|brevet)",
    r"(?:siste|sist)\s+(?:melding|meldinga|meldingen|innlegg|innlegget)\s+(?:fra|frå)\s+" + _ME + r"(?!\s*[,:]?\s*(?:før|om|i\s+dag|for\s+i\s+dag|til\s+dere\s+før))",
    r"(?:min|mi)\s+siste\s+(?:melding|meldinga)\b",
    r"(?:dette|det)\s+(?:er|e)\s+(?:min|mi|den)\s+siste\s+(?:melding|meldinga)\b(?!\s+(?:før|om|til|i\s+dag))",
    r"(?:den|det)\s+siste\s+(?:meldinga|meldingen)\s+(?:mi|min)\b",
    r"siste\s+gang\s+(?:dere|du|dokker|dykk|de)\s+(?:hører|høyrer|hør)\s+(?:fra|frå)\s+" + _ME,
    r"(?:skrevet|skrive|skrivi|skreiv|skrev|skrivd)\s+(?:et\s+|eit\s+|ei\s+|en\s+)?(?:brev|meldinger|melding|brev)\b.{0,60}\b(?:i\s+tilfelle|etterpå|når\s+" + _I + r"\s+(?:er|e)\s+borte|ska\s+finn|skal\s+finne|skal\s+sendes|ska\s+sendes)",
    r"(?:hvis|om|viss|dersom)\s+(?:noen|nokon)\s+(?:leser|les)\s+dette\W+(?:beklager|orsak|sorry|unnskyld)",
    r"klemde?\s+.{0,30}\b(?:ein|en)\s+siste\s+gong",
    r"(?:klemte|klemde|klemt)\s+.{0,30}\b(?:en|ein)\s+siste\s+gang",
    # --- wanting to die / not to live / not to exist / not to wake up
    r"(?:vil|ville|vl|vi)\s+" + _I + r"\s+" + _JUST + _DIE + r"(?:\b|$)",
    r"(?:vil|ville|vl|vi|lyst\s+(?:til\s+|te\s+)?(?:å\s+)?|ønsker\s+(?:å\s+)?|ønskjer\s+(?:å\s+)?|lengter\s+(?:etter\s+)?(?:å\s+)?|lengtar\s+(?:etter\s+)?(?:å\s+)?)\s*" + _JUST + _DIE + r"(?:\b|$)",
    r"(?:ønsker|ønskjer|ønske)\s+meg\s+" + _DEAD,
    r"(?:heller|helst)\s+(?:være|vere|vera|vær)\s+" + _DEAD,
    r"(?:bedre|betre)\s+(?:å\s+)?(?:være|vere|vera)?\s*" + _DEAD + r"\b",
    r"(?:hvorfor|kvifor|korfor)\s+(?:kunne|kan)\s+" + _I + r"\s+" + _NOT + r"\s+(?:bare|berre)\s+(?:være|vere|vera)\s+" + _DEAD,
    r"tenk\w*\s+(?:mye\s+|mykje\s+|ofte\s+|mest\s+)?på\s+(?:å\s+)?(?:dø|døy|døden)\b",
    r"(?:eneste|einaste)\s+" + _I + r"\s+tenker\s+på\s+(?:er|e)\s+å\s+" + _DIE,
    r"(?:ingenting|ikke\s+noe|ikkje\s+noko|ikke\s+noen\s+ting)\s+(?:å\s+)?(?:leve|leva)\s+for",
    r"(?:hvis|om|viss|dersom)\s+" + _I + r"\s+(?:forsvinner|forsvinn|var\s+borte|døde|dør|døyr|døydde)\b.{0,40}\b(?:ingen|inga)",
    r"(?:ingen|ingen\s+som|ingen\s+hadde)\s+.{0,20}\b(?:merke|merka|merker|bry\s+seg|brydd\s+seg)\b.{0,20}\b(?:om|viss|hvis)\s+" + _I + r"\s+(?:døde|døyr|døydde|dør|forsvant|var\s+borte)",
    r"(?:vil|ville)\s+(?:bare\s+|berre\s+)forsvinne\s*(?:$|[.!,])",
    r"(?:har\s+)?" + _NOT + r"\s+lyst\s+(?:til\s+|te\s+)?(?:å\s+)?(?:(?:være|vere|vera)\s+(?:her|til|te|i\s+live)|" + _LIVE + r"|våkne|vakne|eksistere)\b(?!\s+(?:klokka|kl|tidlig|tidleg|hver\s+dag|kvar\s+dag)\b)",
    r"(?:vil|ville|want|wanna)\s+(?:" + _I + r"\s+)?(?:ut\s+av|bort\s+fra|bort\s+frå|out\s+of)\s+(?:dette|det|this)\s+(?:livet|life)\b",
    r"(?:ønske|ønsker|ønskje|ønskjer|skulle\s+ønske)\s+(?:at\s+)?" + _I + r"\s+(?:var|va)\s+" + _DEAD,
    r"(?:ønske|ønsker|ønskje|ønskjer|skulle\s+ønske)\s+(?:at\s+)?" + _I + r"\s+aldri\s+(?:ble|vart|var|hadde\s+blitt)\s+(?:født|fødd)",
    # "skulle ønske jeg ikke fantes" (read as out of scope, 0.44, and not asked about)
    r"(?:ønske|ønsker|ønskje|ønskjer|skulle\s+ønske|skulle\s+ønskje)\s+(?:at\s+)?" + _I + r"\s+" + _NOT + r"\s+(?:fantes|fanst|fins|finnes|eksisterte|eksisterer|var\s+til|levde|var\s+i\s+live)\b",
    r"(?:bedre|betre)\s+(?:om|hvis|viss|dersom|at)\s+" + _I + r"\s+aldri\s+(?:ble|vart|var)\s+(?:født|fødd)",
    r"aldri\s+(?:ble|vart|var|hadde\s+blitt)\s+(?:født|fødd)",
    r"(?:bedre|betre|best|beste|lettere|lettare|lettast|lettest|enklare|enklere|enklast|enklest)\b.{0,40}\b(?:om|hvis|viss|dersom|at)\s+" + _I + r"\s+(?:bare\s+|berre\s+|bar\s+)?(?:var\s+" + _DEAD + r"|va\s+" + _DEAD + r"|døde|døydde|dør|døyr|" + _NOT + r"\s+(?:fantes|fanst|fins|finnes|var\s+til|var\s+her|va\s+her|er\s+her|e\s+her|eksisterte|levde)|var\s+borte|forsvant|forsvann|blir\s+borte|vart\s+borte)",
    r"(?:bedre|betre)\s+(?:uten|utan)\s+" + _ME,
    r"(?:verden|verda)\s+(?:blir|vil\s+bli|hadde\s+vært|hadde\s+vore)\s+(?:et\s+|ein\s+)?(?:bedre|betre)\s+(?:sted\s+|stad\s+)?(?:uten|utan)\s+" + _ME,
    r"(?:vil|ville|vl|har\s+lyst\s+(?:til\s+)?(?:å\s+)?)\s*(?:" + _I + r"\s+)?" + _NOT + r"\s+(?:å\s+)?" + _LIVE,
    r"(?:vil|ville|orker|orkar|klarer|klarar)\s+(?:" + _I + r"\s+)?" + _NOT + r"\s+(?:holde|halde|halda)\s+ut\s+" + _MORE,
    r"(?:hadde|hadd)\s+" + _I + r"\s+" + _NOT + r"\s+(?:vært|vore|vorte)\s+(?:i\s+live|her)\s+" + _MORE,
    r"(?:ikke|ikkje|ingen|inga)\b.{0,20}\b(?:vits|grunn|mening|meining|poeng)\s+(?:i|med|til)\s+å\s+(?:fortsette\s+(?:å\s+)?|halde\s+fram\s+(?:med\s+)?(?:å\s+)?)?(?:leve|leva)\b",
    r"(?:gitt|gav|ga)\b.{0,60}\bta\s+vare\s+på\b.{0,30}\better\s+meg\b",
    r"(?:hadde|ville)\s+(?:sluppe|sloppet|spart)\b.{0,20}\b(?:om|hvis|viss)\s+" + _I + r"\s+" + _NOT + r"\s+(?:fanst|fantes|fans|var\s+til|levde)",
    r"(?:vil|ville)\s+" + _NOT + r"\s+" + _EXIST,
    r"(?:slutte|slutta)\s+å\s+(?:finnes|finnast|eksistere|leve|leva)",
    r"(?:slippe|slipper|sleppe|sleppa|slepp|slapp)\s+(?:" + _I + r"\s+)?å\s+(?:leve|leva|lev|våkne|vakne|være\s+til|vere\s+til)",
    _ENDURE + r"\s+" + _NOT + r"\s+(?:å\s+)?(?:" + _LIVE + r"|være\s+til|vere\s+til|vera\s+til|eksistere)",
    _ENDURE_LIFE + r"\s+" + _NOT + r"\s+livet\s*(?:$|[.!?,]|(?:nå|no|altså|egentlig|eigentleg|lenger|lengre)\b)",
    _ENDURE_NOW + r"\s+" + _NOT + r"\s+(?:meir|mer)\s*(?:$|[.!?,]|(?:nå|no|altså|egentlig|eigentleg|lenger|lengre)\b)",
    _ENDURE + r"\s+" + _NOT + r"\s+(?:mer|meir)\s+(?:av\s+)?(?:dette|det)\s+livet",
    # "orker ikke å være her lenger", and after "at/fordi/om": "at jeg ikke orker å leve mer"
    _ENDURE_LIFE + r"\s+" + _NOT + r"\s+(?:å\s+)?(?:være|vere|vera)\s+(?:her|til|te|i\s+live)\b(?!\s+(?:på|i|med|hos)\b)",
    _NOT + r"\s+(?:" + _I + r"\s+)?" + _ENDURE_LIFE + r"\s+(?:å\s+)?(?:" + _LIVE + r"|(?:være|vere|vera)\s+(?:her|til|i\s+live)\s+" + _MORE + r")",
    r"(?:om|if|hvis|viss)\s+" + _I + r"\s+(?:orker|orkar|orke|klarer|klarar)\s+(?:å\s+)?(?:" + _LIVE + r"|(?:være|vere|vera)\s+(?:her|til|i\s+live))\s+(?:" + _MORE + r"|så\s+lenge|til)",
    _ENDURE + r"\s+" + _NOT + r"\s+(?:dette|det)\s+livet",
    r"(?:ikke|ikkje)\s+" + _MORE + r"\s+lyst\s+(?:til\s+|te\s+)?(?:å\s+)?" + _LIVE,
    r"(?:ingen|inga|ikke\s+noen|ikkje\s+nokon)\s+(?:grunn|vits|mening|meining)\s+(?:i\s+|med\s+|til\s+)?(?:å\s+)?(?:fortsette\s+(?:å\s+)?|halde\s+fram\s+(?:med\s+)?(?:å\s+)?|holde\s+ut|halde\s+ut)?(?:" + _LIVE + r"|fortsette|halde\s+fram|livet|holde\s+ut|halde\s+ut)",
    r"(?:ingen|inga)\s+(?:vits|mening|meining)\s+i\s+(?:noe|noko|noen\s+ting)\s+" + _MORE,
    r"(?:vitsen|vits|poenget|poeng)\s+(?:(?:med|i)\s+(?:å\s+)?|å\s+)(?:" + _LIVE + r"|livet)",
    r"(?:meininga|meningen)\s+(?:med|i)\s+å\s+" + _LIVE,
    r"(?:meningsløst|meiningslaust|ikke\s+verdt|ikkje\s+verdt)\s+(?:å\s+)?" + _LIVE,
    r"(?:hvorfor|kvifor|korfor|ka\s+e\s+vitsen|hva\s+er\s+vitsen)\s+.{0,20}\b(?:fortsette|halde\s+fram|holde\s+ut|halde\s+ut)\s+(?:å\s+|med\s+å\s+)?(?:" + _LIVE + r"|\?|$)",
    r"(?:hvorfor|kvifor|korfor)\s+skal\s+" + _I + r"\s+(?:fortsette|halde\s+fram|holde\s+ut|halde\s+ut)\b",
    r"(?:hvorfor|kvifor|korfor)\s+(?:skal|skulle|ska|bør)\s+" + _I + r"\s+(?:i\s+det\s+hele\s+tatt\s+|i\s+det\s+heile\s+teke\s+|egentlig\s+|eigentleg\s+|liksom\s+)?" + _LIVE + r"\s*(?:$|[.!?,]|" + _MORE + r")",
    r"(?:vil|ville|har\s+lyst\s+(?:til\s+)?(?:å\s+)?)\s*" + _NOT + r"\s+(?:være|vere|vera|vær)\s+her\s+(?:i\s+verden\s+)?" + _MORE,
    r"" + _NOT + r"\s+(?:finnes|finnast|fantes|fanst|eksistere)\s+" + _MORE,
    r"(?:skal|kommer|kjem|kjæm)\s+" + _NOT + r"\s+(?:til\s+å\s+)?" + _LIVE + r"\s+(?:så\s+)?lenge",
    r"(?:tenkt|planlagt)\s+å\s+(?:leve|leva|være\s+her|vere\s+her)\s+(?:så\s+)?lenge",
    r"(?:ikke|ikkje)\s+(?:har\s+)?(?:tenkt|planlagt)\s+å\s+(?:være|vere)\s+(?:her|i\s+live)\s+(?:så\s+(?:mye\s+|mykje\s+)?)?(?:lenge|lenger|lengre)",
    r"(?:trenge|trenger|treng|træng)\s+(?:dei|dem|dæm|den|det)\s+når\s+" + _I + r"\s+(?:er|e)\s+borte",
    r"(?:skal|kommer|kjem)\s+" + _NOT + r"\s+(?:til\s+å\s+)?(?:være|vere|vera)\s+(?:her|i\s+live)\s+(?:til|i|om|så|etter|på)\b",
    r"(?:ikke|ikkje)\s+(?:tror|trur)\s+" + _I + r"\s+(?:er|e|blir)\s+her\s+(?:så\s+lenge|lenge)",
    r"(?:snart|om\s+en\s+uke|om\s+ei\s+veke|i\s+morgen|i\s+morra)\s+(?:er|e)\s+" + _I + r"\s+(?:" + _NOT + r"\s+her\s+" + _MORE + r"|borte)",
    r"(?:snart|no|nå)\s+(?:er|e)\s+" + _I + r"\s+borte\s+" + _FOREVER,
    r"(?:snart|så)\s+(?:er|e)\s+det\s+over\s+(?:for|med)\s+" + _ME,
    r"(?:satt|sett|valt|valgt)\s+(?:en|ein)\s+dato\b",
    r"(?:lei|sliten|trøtt)\s+av\s+å\s+(?:leve|leva|lev|være\s+til|vere\s+til|vær\s+te|vera\s+til|eksistere|være\s+i\s+live)",
    r"(?:sove|sovne|sovna|sovnet|legge\s+" + _ME + r"\s+ned|leggje\s+" + _ME + r"|legge\s+" + _ME + r")(?:\s+og\s+sove)?\s+(?:inn\s+)?og\s+(?:aldri|ikke|ikkje)\s+(?:" + _WAKE + r")",
    r"(?:sove|sova)\s+(?:for\s+alltid|for\s+evig|evig|i\s+all\s+evighet)",
    r"(?:vil|ville|håper|håpar|håpe|håpa|ønske|ønsker|ønskjer)\s+(?:" + _I + r"\s+)?(?:at\s+)?(?:" + _I + r"\s+)?" + _NOT + r"\s+(?:å\s+)?" + _AWAKEN + r"\b(?!\s+(?:til|te|klokka|kl|tidlig|tidleg|hver\s+dag|kvar\s+dag)\b)",
    r"(?:slippe|sleppe)\s+å\s+" + _WAKE,
    r"(?:skuffa|skuffet|lei\s+meg)\b.{0,30}\b" + _I + r"\s+(?:våknet|vakna|vaknar|våkner|framleis\s+lever|fortsatt\s+lever)",
    r"(?:ingen|ingen\s+som)\s+(?:vil|ville|kommer\s+til\s+å|kjem\s+til\s+å)\s+(?:savne|sakne|merke|merka)",
    r"\bingen\b.{0,25}\b(?:savne|sakne|sakn|savn)\w*\s+(?:meg|mæ|me)\b",
    r"(?:byrde|belastning|stein\s+om\s+halsen)\s+(?:for|på|te|til)\s+(?:alle|familien|dei|de|dere|mamma|pappa|mor|far|oss|heile|hele|kona|mannen)",
    _I + r"\s+" + _AM + r"\s*" + _JUST + r"(?:en\s+|ein\s+|ei\s+)?(?:stor\s+)?(?:byrde|belastning|til\s+bry|te\s+bry|til\s+bryderi)\s+(?:for|på|te|til)\s+(?:alle|familien|dei|de|dere|mamma|pappa|mor|far|oss|heile|hele|kona|mannen)",
    r"(?:stor\s+)?(?:byrde|belastning)\b.{0,20}\b(?:snart\s+)?(?:slipper|sleppe|slepp)\s+(?:dere|de|dokker|dykk|alle)\s+" + _ME,
    r"(?:slipper|slepp|sleppe)\s+(?:alle|noen|nokon|dere|dokker)\s+å\s+(?:bry\s+seg|bekymre\s+seg|uroe\s+seg|passe\s+på)\s+(?:om|for|på)\s+" + _ME,
    r"(?:forsvinne|forsvinna|bli\s+borte|vere\s+borte|være\s+borte)\s+" + _FOREVER,
    r"(?:bli|blir|vere|være)\s+borte\s+og\s+aldri\s+(?:komme?|kom)\s+(?:tilbake|tebake|att)",
    r"forsvinne\s+.{0,30}\baldri\s+(?:komme?|kom)\s+(?:tilbake|tebake|att)",
    r"forsvinne\b.{0,30}\b(?:aldri|ikke|ikkje)\s+(?:" + _AWAKEN + r")",
    r"(?:vil|ville|håper|håpar|ønsker|ønskjer)\s+(?:" + _I + r"\s+)?(?:at\s+)?(?:" + _I + r"\s+)?aldri\s+(?:å\s+)?" + _AWAKEN + r"\s+(?:opp\s+)?(?:igjen|att|igjæn|atte)\b",
    r"(?:alle|alt|dei|de|familien|mamma\s+og\s+pappa)\s+(?:hadde|ville|hadd)\s+(?:hatt\s+det\s+|vore\s+|vært\s+|sluppe\s+mykje\s+)?(?:bedre|betre|sluppe)\s+(?:uten|utan|om|viss)\s+(?:" + _ME + r"|" + _I + r"\s+" + _NOT + r")",
    r"(?:livsforsikringen|livsforsikringa)\b.{0,30}\b(?:verdt\s+mer|verd\s+meir|bedre|betre)",
    r"(?:fortjener|fortener)\s+(?:bedre|betre|en\s+bedre|ein\s+betre)\b.{0,60}\b(?:borte|brev|" + _FOREVER + r")",
    r"(?:ser|finn|finner|ser\s+ikkje|ser\s+ikke)\s+(?:ingen|inga|noen|nokon)\s+(?:annen\s+|anna\s+|annan\s+)?(?:utvei|utveg|vei\s+ut|veg\s+ut)\b(?!\s*[:,-]?\s*(?:jeg|eg)\s+må)(?!\s+(?:enn|annet\s+enn|anna\s+enn)\s+å\s+(?:ta|søke|søkje|gå))",
    r"(?:ingen|inga)\s+(?:vei|veg)\s+ut,?\s+(?:bare|berre)\s+(?:én|ein|en|ei)",
    r"(?:gitt|gjeve)\s+opp\s+(?:alt|livet)\b.{0,20}\b(?:livet|også|og)",
    r"(?:smerten|smerta|vondt)\s+(?:skal|til\s+å)\s+(?:ta\s+slutt|stoppe|slutte)\W*" + _FOREVER,
    r"(?:bare\s+|berre\s+)?(?:et|eit)\s+spørsmål\s+om\s+tid\s+før\s+" + _I + r"\s+gjør\s+det",
    r"(?:gjort|gjorde|gjorte)\s+(?:et|eit)\s+(?:forsøk|selvmordsforsøk)",
    r"(?:prøvd|prøvde|prøvd\s+å)\s+(?:å\s+)?ta\s+livet",
    r"(?:vil|ville|vl)\s+" + _NOT + r"\s+(?:mer|meir)\s*(?:$|[.!😢😭💔]|,\s*(?:har|eg|jeg))",
    r"\b" + _I + r"\s+(?:vil|vi)\s+" + _NOT + r"\s+(?:mer|meir)\s*(?:$|[.!😢😭💔])",
    r"(?:ferdig|færdi|ferdi|lei)\s+(?:med|av)\s+livet\b(?!\s+som\b)",
    r"(?:sletta|slettet|sletta)\s+alle\s+(?:bileta|bildene|bilda)\b.{0,40}\bsiste",
    r"(?:ikke|ikkje)\s+(?:tenkt|tenk)\s+å\s+(?:være\s+med|vere\s+med)\s+på\s+(?:den|det)",
    # --- not deserving to live, no right to, not worth it
    r"(?:fortjener|fortener|fortjene|fortene)\s+" + _NOT + r"\s+(?:å\s+)?(?:" + _LIVE + r"|være\s+her|vere\s+her|være\s+til)",
    r"(?:ingen|inga)\s+rett\s+til\s+å\s+(?:leve|leva|lev)\b",
    r"(?:er|e|æ)\s+" + _NOT + r"\s+(?:verd|verdt)\s+(?:å\s+)?(?:leve|leva|lev)\b",
    r"(?:livsforsikring\w*)\b.{0,50}\b(?:verdt|verd)\b",
    # --- not going on: no strength, why live, not lasting until a date
    r"(?:ikke|ikkje|itj|ingen|inga)\b.{0,40}\b(?:fortsette|halde\s+fram|holde\s+fram)\s+(?:med\s+)?(?:å\s+)?(?:leve|leva|lev)\b",
    r"(?:hvorfor|kvifor|korfor|koffor|kofor)\s+(?:skal|ska|burde)\s+" + _I + r"\s+(?:\w+\s+)?(?:leve|leva|lev)\b(?!\s+(?:på|av|som|i|med)\b)",
    r"(?:ikke|ikkje|itj|aldri)\b.{0,40}\b(?:leve|leva|lev|være\s+her|vere\s+her|være\s+i\s+live|vere\s+i\s+live)\s+(?:til|te|så\s+lenge)\s*(?:høsten|hausten|jul|sommeren|sommaren|våren|helga|neste|$|[.,!])",
    r"(?:holder|held|halde|holde|halda)\s+" + _NOT + r"\s+ut\s+(?:" + _MORE + r"|til|te)\b",
    r"(?:tror|trur)\s+" + _NOT + r"\s+" + _I + r"\s+(?:holder|held|klarer|klarar)\s+(?:ut\s+)?(?:til|te)\s+(?:jul|sommeren|sommaren|helga|høsten|hausten|våren)",
    # --- wanting it over, ending it, a plan or a date
    r"(?:vil|ville|ønsker|ønskjer|håper|håpar)\s+(?:" + _I + r"\s+)?" + _JUST + r"(?:at\s+)?(?:det|alt|alt\s+sammen|livet)\s+(?:skal\s+)?(?:ta\s+slutt|være\s+over|vere\s+over|vera\s+over)",
    r"(?:ferdig|færdi|ferdi)\s+med\s+alt\b.{0,20}\b" + _FOREVER,
    r"(?:bestemt|bestemte)\s+meg\s+for\s+å\s+(?:" + _DIE + r"|ta\s+livet|gjøre\s+det|gjere\s+det|avslutte)",
    r"(?:planlagt|planla)\s+(?:hvordan|korleis)\s+og\s+(?:når|kva\s+tid)",
    r"(?:har|hev)\s+(?:en|ein)\s+dato\b.{0,60}\b(?:ferdig|over|slutt|" + _FOREVER + r")",
    r"(?:tar|ta|tek)\s+vare\s+på\s+(?:katten|hunden|kattene|hundane|hundene)\s+(?:min|mine|mi)?\s*(?:etterpå|etter\s+meg)",
    # --- means: pills taken or gathered, weapons, knives, traffic, water, rope, heights
    r"(?:tatt|teke|tok|tar|svelget|svelgde|svelga)\s+(?:en\s+haug\s+med\s+|ein\s+haug\s+med\s+|alle\s+|masse\s+|mange\s+)" + _PILLS,
    r"(?:spart|spara|sparer|samler|samlar)\s+(?:opp\s+)?(?:på\s+)?(?:dem|dei|" + _PILLS + r")\b.{0,30}\b(?:har\s+nok|nok\s+nå|nok\s+no|skal\s+til|må\s+til)",
    _PILLS + r"\b.{0,60}\b(?:har\s+nok|nok\s+nå|nok\s+no)\b",
    r"(?:paracet\w*|paralgin\w*|ibux|sovemedisin\w*|insulin)\b.{0,40}\b(?:" + _DIE + r"\b|skal\s+til|må\s+til)",
    _PILLS + r"\b.{0,40}\bså\s+(?:" + _I + r"\s+)?(?:slipper|slepp|sleppe)\s+(?:" + _I + r"\s+)?å\s+" + _WAKE,
    r"(?:våpen\w*|pistol\w*|rifle\w*|hagle\w*|hagla|gevær\w*)\b.{0,80}\b(?:bruke|bruk|bruka)\s+(?:det|den|dei|dem)\s+på\s+" + _ME,
    r"\btau(?:et)?\b.{0,80}\b(?:feste\s+det|bruke\s+det\s+på|bruk\s+det\s+på|bruka\s+det\s+på|henge)",
    r"(?:kniv\w*|barberblad\w*|blad(?:et)?)\b.{0,30}\b(?:håndledd\w*|handledd\w*|pulsåre\w*)",
    r"(?:svinge|styre|kjøre|kjøyre|køyre)\s+(?:rett\s+)?(?:inn\s+i|ut\s+foran|i)\s+(?:en\s+|ein\s+)?(?:trailer|lastebil|vogntog|motgående|møtande|fjellvegg\w*|bergvegg\w*)",
    r"(?:ender|endar|ende)\s+i\s+(?:en\s+|ein\s+)?(?:fjellvegg|bergvegg|trailer)",
    r"(?:håper|håpar|ønsker|ønskjer)\s+(?:at\s+)?" + _I + r"\s+(?:blir|vert|blei)\s+(?:påkjørt|påkøyrd|påkjørd|overkjørt)",
    r"(?:gå|gå\s+ut|går)\s+(?:ut\s+)?(?:i|uti)\s+(?:sjøen|havet|fjorden|vannet|vatnet|elva)\b.{0,60}\b(?:" + _NOT + r"|aldri)\s+(?:kommer|komme|kome|kjem|kjæm)\s+(?:opp|tilbake)",
    r"(?:perrong\w*|skinnene|jernbane\w*)\b.{0,80}\b(?:gå\s+ut\s+foran|gå\s+foran|hoppe\s+foran|hoppe\s+ut|steg\s+fram)",
    r"(?:sitter|sit|står|stend)\s+på\s+(?:kanten|rekkverket|taket|brua|broa)\b",
    r"(?:kanten|kant)\s+(?:av|på)\s+(?:taket|brua|stupet|fjellet|blokka)\b.{0,60}\b(?:langt\s+ned|hoppe|ikke\s+lyst|ikkje\s+lyst)",
    # --- when I am gone: letters, fault, pets
    r"(?:skyld|brev|brevet|lappen|hunden|katten|dyra)\b.{0,60}\b(?:når|etter\s+at|etter)\s+" + _I + r"\s+(?:er|e)\s+(?:borte|død|daud)\b",
    r"(?:når|etter\s+at)\s+" + _I + r"\s+(?:er|e)\s+(?:borte|død|daud)\b.{0,60}\b(?:skyld|brev|brevet|lappen|hunden|katten)",
    r"(?:når|om|viss)\s+" + _I + r"\s+" + _NOT + r"\s+(?:er|e)\s+her\s+" + _MORE,
    r"(?:skal|ska|kjem|kommer)\s+" + _NOT + r"\s+(?:til\s+å\s+)?(?:være|vere|vera|vær)\s+her\s+(?:da|lenger|lengre|meir|mer)\b",
    r"(?:skrevet|skrive|skreve|skrivi|skreiv)\s+lappen",
    r"siste\s+gang\s+" + _I + r"\s+(?:skriver|skriv)\s+(?:til|te)\s+(?:noen|nokon|nån)",
    r"(?:siste|sist)\s+(?:kvelden|kveld|natta|natt|dagen)\s+(?:min|mi|mitt)\b(?!\s+(?:på|i|som|her|hos|med|før)\b)",
    r"(?:sagt|sa)\s+ha\s+det\s+(?:til|te)\s+(?:alle|de|dei|dem)\b.{0,60}\b(?:klar|før\s+" + _I + r"\s+(?:gjør|gjer)\s+det)",
    r"(?:seie|si|sei)\s+ha\s+det\s+(?:til|te)\s+(?:noen|nokon)\s+før\s+" + _I + r"\s+(?:gjør|gjer)\s+det",
    r"(?:om|hvis|viss|dersom)\s+" + _I + r"\s+" + _JUST + r"(?:var|va)\s+" + _DEAD + r"\b",
    r"(?:letting|lettelse|lette)\b.{0,30}\b(?:om|hvis|viss|dersom)\s+" + _I + r"\s+(?:" + _NOT + r"\s+(?:levde|fanst|fantes|var\s+her)|var\s+" + _DEAD + r"|døde|døydde)",
    r"(?:enklere|enklare|lettere|lettare|bedre|betre)\s+(?:å\s+)?" + _JUST + r"(?:" + _DIE + r"|være\s+død|vere\s+daud|vere\s+død)\b",
    r"(?:ønske|ønsker|ønskje|ønskjer|håper|håpar|skulle\s+ønske)\b.{0,50}\b(?:i\s+søvne|i\s+søvnen|i\s+svevne)\b",
    r"(?:min|mi)\s+(?:egen|eiga|eigen)\s+(?:begravelse|gravferd|bisettelse)",
    r"\boff(?:e|a)?\s+(?:meg|mæ|me|seg)\s+" + _SELF,
    # --- self-harm
    r"(?:straffer|straffe|straff|straffar)\s+" + _ME + r"\s*(?:" + _SELF + r")?\b.{0,40}\b(?:spise|ete|sulte|mat|kutte|skade)",
    r"(?:sulter|svelter|sultar|svelt)\s+" + _ME + r"\b",
    r"(?:et|eter|spiser|ete)\s+" + _NOT + r"\b.{0,50}\b(?:fortener|fortjener|straff)",
    r"(?:skade|skader|skada|skadar|skadet|skadd|skad)\s+" + _ME + r"(?:\s+" + _SELF + r")?(?!\s+(?:på|i)\s+(?:trening|fotball|jobb|jobben|praksis))",
    r"(?:selv|sjølv|sjøl)\s?skad",
    r"(?:gjøre|gjere|gjer|gjør)\s+" + _ME + r"\s+" + _SELF + r"\s+vondt",
    # (from the start of a word: "skjer meg" is not in "ønskjer meg")
    # ("ka skjer me lånet" asks what happens with the loan: "me" is "med" in many dialects)
    r"(?<!\w)(?<!\bhva\s)(?<!\bkva\s)(?<!\bka\s)(?<!\bk[åæe]\s)(?<!\bko\s)(?<!\bva\s)(?:kutte|kutter|kutta|kuttar|kuttet|kutt|skjære|skjærer|skjær|skjere|skjera|skjer|skar|stikke|stikker|skåret|skore|skjært|risper|rispe|rispar|rispa|rispet|brenne|brenner|brenn|brende|brent)\s+" + _ME + r"(?!\s+(?:ned|ut|i\s+håret|på\s+håret|i\s+(?:fingeren|fingern|fingern|tommelen|hånda|handa|sola)))(?!\s+(?:på|i|med)\s+(?:en\s+|ei\s+|et\s+|eit\s+|den\s+|det\s+)?" + _MISHAP + r")",
    r"(?:klorer|klorar|slår|slå|slått|slo|dunker|banker)\s+" + _ME + r"\b.{0,30}\b(?:til\s+blods|blør|blod|blåmerke|blåmerker)",
    r"(?:slår|slå|slått|slo)\s+" + _ME + r"\s+" + _SELF + r"\b",
    r"(?:slår|slå|dunker)\s+(?:hodet|hovudet)\s+i\s+(?:veggen|vegg)",
    r"(?:til|te)\s+(?:" + _I + r"\s+|det\s+|d\s+)?(?:blør|blø|blods)\b",
    r"(?:skjule|skjuler|gøyme|gjemme)\s+.{0,30}\b(?:kuttene|kutta|kutt|arrene|arra|sårene)\b",
    r"(?:ferske|nye)\s+(?:kutt|kuttene|sår)\s+på\s+(?:armen|armene|armane|låret|lårene)",
    r"(?:begynt|byrja|starta|starte)\s+(?:å\s+)?(?:skade|skada|kutte|kutta|skjære|skjera)\s+(?:" + _ME + r"\s+)?(?:igjen|att)",
]

_EN_ME = r"(?:my\s?self|meself|mys(?:e|el)f)"
_ENGLISH = [
    r"suicid",
    r"\bkms\b",
    r"\bctb\b",
    r"\bunaliv",
    r"sewer\s?slide",
    r"self[\s-]?delet",
    r"kill(?:ing)?\s+" + _EN_ME,
    r"\boff(?:ing)?\s+" + _EN_ME,
    r"(?:end|ending|take|taking)\s+my\s+(?:own\s+)?life",
    r"end(?:ing)?\s+it\s+(?:all|tonight|today|now|soon)",
    r"(?:date|day)\s+to\s+end\s+it",
    r"(?:want|wanna|wanted)\s+(?:it\s+all\s+)?to\s+end\b",
    r"(?:want|wanna|wanted)\s+(?:to\s+)?die\b",
    r"(?:let\s+me|i\s+could\s+just|i\s+should\s+just|i'?d\s+rather)\s+die\b(?!\s+(?:on|than))",
    r"(?:pray|hope|wish)\s+(?:that\s+)?i\s+(?:just\s+)?die\s+in\s+my\s+sleep",
    r"(?:pills|tablets|meds)\b.{0,30}\b(?:die|take\s+them\s+all|not\s+wake\s+up|lined\s+up|enough)",
    r"(?:saved\s+up|saving\s+up|hoarding|stockpiling|collecting)\s+(?:\w+\s+)?(?:pills|tablets|meds)",
    r"(?:take|taking|swallow)\s+all\s+(?:of\s+)?my\s+(?:pills|meds|tablets|medication)",
    r"how\s+many\s+(?:\w+\s+)?(?:pills|tablets)\b.{0,30}\b(?:take|die|wake)",
    r"how\s+many\s+of\s+these\s+would\s+be\s+enough",
    r"take\s+them\s+(?:all\s+)?tonight",
    r"pills\s+saved\s+up",
    r"(?:easiest|painless|quickest)\s+ways?\s+to\s+die",
    r"nothing\s+(?:left\s+)?to\s+live\s+for",
    r"reason\s+to\s+keep\s+(?:living|going)|(?:no|any|a)\s+reason\s+to\s+(?:live|stay\s+alive)\b",
    r"wish\s+i\s+(?:was|were)\s+dead",
    r"wish\s+i(?:\s+had|'d|\s+was|\s+were)?\s+never\s+(?:been\s+)?born",
    r"wish\s+i\s+(?:didn'?t|did\s+not)\s+(?:exist|live)\b|wish\s+i\s+(?:wasn'?t|weren'?t|was\s+not)\s+alive\b",
    r"better\s+off\s+(?:dead|without\s+me|if\s+i\s+was\s+gone|if\s+i\s+were\s+gone|with\s+(?:the|my)\s+life\s+insurance)",
    r"better\s+(?:off\s+)?if\s+i(?:'m|\s+am|\s+was|\s+were)?\s+(?:just\s+)?(?:dead|gone|died|not\s+around|wasn'?t\s+around|weren'?t\s+around|wasn'?t\s+here)",
    r"(?:easier|better|happier)\s+(?:for\s+everyone\s+)?if\s+i\s+(?:was|were|just\s+was|just\s+were)?\s*(?:dead|gone|not\s+around|never\s+born)",
    r"(?:easier|better|happier)\s+(?:for\s+everyone\s+)?if\s+i\s+(?:just\s+)?(?:wasn'?t|weren'?t)\s+(?:around|here|alive)",
    r"(?:don'?t|do\s+not|dont)\s+(?:want|wanna)\s+(?:to\s+)?(?:live|be\s+alive|be\s+here\s+anymore|exist)\b(?!\s+(?:on|as|in|with|off|at|abroad|here\s+in|there|like\s+an?|near|far|alone|together)\b)",
    r"not\s+sure\s+i\s+want\s+to\s+be\s+alive",
    r"(?:tired|sick)\s+of\s+(?:being\s+alive|existing|living|life)\b",
    r"no\s+(?:reason|point)\s+(?:for\s+me\s+)?(?:to|in|of)\s+(?:keep\s+)?(?:live|living|going\s+on|life|carry\s+on|staying\s+alive|being\s+alive)",
    r"(?:way\s+out|escape)\b.{0,30}\b(?:dying|death|die|suicide|killing\s+myself|ending\s+it)\b",
    r"(?:see|is)\s+(?:the\s+|no\s+)?point\s+(?:in|of)\s+(?:living|being\s+alive|life)\b",
    r"what'?s\s+(?:even\s+)?the\s+point\s+(?:of|in)\s+(?:living|going\s+on|life|being\s+alive)",
    r"(?:not|isn'?t)\s+worth\s+living",
    r"can'?t\s+go\s+on(?:\s+living)?(?:\s*$|[.!,])",
    r"can'?t\s+do\s+(?:this\s+)?life\s+anymore",
    r"(?:hurt|hurting|harm|harming|cut|cutting|burn|burning|burned|burnt|hit|hitting)\s+" + _EN_ME + r"(?!\s+on\s+(?:a|an|the|some|my)\s+" + _MISHAP + r")(?!\s+(?:shaving|cooking|in\s+the\s+kitchen|at\s+work))",
    r"(?:been\s+)?cutting\s+(?:again|myself|my\s+arms)",
    r"cutting\s+is\s+the\s+only",
    r"relapsed\b.{0,30}\b(?:cut|cutting|self[\s-]?harm)",
    r"(?:hide|hiding|cover|covering)\s+(?:the\s+|my\s+)?(?:fresh\s+|new\s+)?(?:cuts|scars)\b",
    r"until\s+(?:they|it|i|my\s+\w+)\s+bleed",
    r"self[\s-]?harm",
    r"(?:jump|jumping)\s+(?:off|from|in\s+front\s+of)\s+(?:a|the)\s+(?:bridge|roof|building|train)",
    r"(?:stepping|step|walk|walking|throw\s+myself)\s+in\s+front\s+of\s+(?:a|the)\s+(?:train|bus|car|truck)",
    r"(?:bridge|roof|ledge)\b.{0,40}\blooking\s+down",
    r"(?:place|spot)\s+(?:that'?s|that\s+is|which\s+is)\s+high\s+enough",
    r"bought\s+(?:a\s+)?rope",
    r"drive\s+(?:my\s+)?car\s+(?:into|off)\b",
    r"hang\s+" + _EN_ME,
    r"(?:sleep|fall\s+asleep)\s+(?:and\s+never\s+wake\s+up|forever)",
    r"(?:disappear|vanish)\b.{0,30}\bnever\s+wake\s+up",
    r"(?:rather|hope|want\s+to|wish\s+i\s+could|wish\s+i\s+would|wish\s+i\s+wouldn'?t)\s+(?:i\s+)?(?:not|don'?t|won'?t|never)\s+wake\s+up",
    r"(?:hope|wish|rather)\s+i\s+(?:don'?t|do\s+not|won'?t|never)\s+wake\s+up",
    r"(?:could\s+)?just\s+not\s+wake\s+up",
    r"disappointed\s+(?:that\s+)?i\s+(?:woke|wake)\s+up",
    r"no\s?(?:one|body)\s+(?:would|will)\s+(?:even\s+)?(?:miss|care|notice)\b.{0,20}\b(?:if\s+i|when\s+i|me)\b",
    r"(?:suicide|goodbye)\s+(?:note|letter)",
    r"wrote\s+(?:letters?|notes?)\s+to\s+.{0,30}\bjust\s+in\s+case",
    r"(?:given|gave|give|giving)\s+(?:away\s+)?(?:all\s+)?my\s+(?:stuff|things|belongings|cat|dog)\b.{0,60}\b(?:won'?t\s+need|don'?t\s+need|ready|anymore|after\s+i'?m\s+gone)",
    r"(?:given|gave|give|giving)\s+away\s+(?:all\s+)?my\s+(?:stuff|things|belongings)",
    r"cancell?ed\s+everything\b.{0,20}\bready",
    r"goodbye\b.{0,40}\bfor\s+good",
    r"goodbye\s+everyone\b.{0,40}\bnice\s+knowing",
    r"(?:been\s+)?nice\s+knowing\s+(?:you|y'?all|everyone)",
    r"said\s+goodbye\s+to\s+.{0,30}\bwithout\s+them\s+knowing",
    r"if\s+anyone\s+reads\s+this\W+(?:i'?m\s+)?sorry",
    r"this\s+is\s+my\s+last\s+message\b(?!\s+(?:before|about|for\s+today))",
    r"my\s+last\s+message\s+(?:to|here|ever)",
    r"disappear\s+(?:forever|for\s+good)",
    r"vanish\s+(?:forever|for\s+good)",
    r"never\s+come\s+back\b(?!\s+to\s+(?:school|work|uni|this\s+job))",
    r"(?:overdose|od\s+on)",
    r"burden\s+(?:to|on|for)\s+(?:everyone|everybody|my\s+family|them|you\s+all)",
    r"i'?m\s+(?:just\s+)?(?:a\s+)?burden\b(?!\s+on\s+the\s+(?:budget|system))",
    r"(?:done|finished)\s+with\s+(?:life|living)",
    r"(?:no|there'?s\s+no)\s+way\s+out\s*(?:$|[.!]|anymore|for\s+me)",
    r"i'?m\s+done\W*$",
    r"(?:i\s+)?won'?t\s+be\s+(?:here|around|alive)\s+(?:tomorrow|much\s+longer|anymore|by\s+then|in\s+the\s+(?:autumn|fall|spring|summer))",
    r"(?:don'?t|do\s+not|dont)\s+plan\s+(?:on|to)\s+(?:being|be)\s+(?:here|around|alive)",
    r"(?:not|n'?t)\s+(?:going|gonna)\s+to\s+be\s+(?:alive|around|here)\s+(?:by|for|much|in|tomorrow)",
    r"soon\s+i\s+won'?t\s+be\s+(?:here|around)",
    r"made\s+up\s+my\s+mind\b.{0,30}\bwon'?t\s+be\s+here",
    r"(?:attempted|tried)\s+(?:before|once|last\s+year)\b.{0,40}\b(?:thoughts|again|back)",
    r"i'?ve\s+attempted\b",
    r"(?:want|wanted)\s+the\s+pain\s+to\s+(?:stop|end)\s+(?:permanently|forever|for\s+good)",
    r"do\s+something\s+to\s+" + _EN_ME,
    r"(?:don'?t|do\s+not)\s+deserve\s+to\s+(?:live|be\s+alive|be\s+here|exist)",
    r"life\s+insurance\b.{0,50}\bworth\b",
    r"(?:i'?m|i\s+am)\s+ending\s+it\s*(?:$|[.!]|tonight|after|soon|now)",
    r"(?:want|wanna|wanted)\s+(?:it\s+)?(?:all\s+)?(?:it\s+)?to\s+(?:be\s+over|stop)\b(?!\s+(?:raining|snowing))",
    r"(?:won'?t|will\s+not|not\s+going\s+to|not\s+gonna)\s+be\s+(?:alive|around|here)\s+(?:by|after|past|in|next|tomorrow|much\s+longer|anymore)",
    r"not\s+planning\s+on\s+being\s+(?:around|here|alive)",
    r"last\s+(?:night|day)\s+alive",
    r"(?:knife|blade|razor)\b.{0,30}\b(?:wrist|wrists|vein)",
    r"(?:easier|better)\s+to\s+(?:just\s+)?(?:be\s+dead|die)\b",
    # "easier to just be done with all of it": done with everything, not with a task
    r"(?:easier|better)\s+(?:to|if\s+i)\s+(?:just\s+)?(?:was\s+|were\s+|be\s+|am\s+)?(?:just\s+)?done\s+with\s+"
    r"(?:it\s+all|all\s+of\s+it|everything|all\s+this|life)\b(?!\s+(?:at\s+once|in\s+one|before|by|first))",
    r"steer\w*\s+into\s+(?:oncoming|a\s+truck|a\s+wall|traffic|a\s+tree)",
    r"(?:hope|wish)\s+i\s+(?:get|got)\s+hit\s+by\s+a\s+(?:car|bus|train|truck)",
    r"so\s+i\s+(?:don'?t|do\s+not|won'?t)\s+have\s+to\s+(?:live|wake\s+up|be\s+here)",
    r"(?:walk|walking|go)\s+into\s+the\s+(?:sea|ocean|water|lake|river|fjord)\b.{0,50}\b(?:gone|never|until|not\s+come)",
    r"(?:platform|tracks)\b.{0,80}\b(?:step\s+back|in\s+front|jump)",
    r"bridge\b.{0,50}\b(?:jump|jumping)",
    r"(?:taken|took|swallowed)\s+(?:all\s+(?:of\s+)?(?:the\s+|my\s+)?|a\s+bunch\s+of\s+|a\s+lot\s+of\s+)(?:pills|tablets|meds|paracetamol)",
    r"(?:paracetamol|tylenol|sleeping\s+pills)\b.{0,40}\b(?:die|takes|enough)",
    r"(?:pills|meds|tablets)\b.{0,40}\bso\s+i\s+(?:don'?t|won'?t)\s+(?:have\s+to\s+)?wake",
    r"(?:gun|rifle|pistol|rope)\b.{0,80}\b(?:using|use)\s+it\b",
    r"(?:rope|gun)\b.{0,80}\bon\s+" + _EN_ME,
    r"(?:fault|letters?|notes?|cat|dog)\b.{0,60}\b(?:when|after|for\s+when)\s+i'?m\s+(?:gone|dead)\b",
    r"(?:when|after|for\s+when)\s+i'?m\s+(?:gone|dead)\b.{0,60}\b(?:fault|letters?|notes?|cat|dog)\b",
    r"said\s+goodbye\s+to\s+everyone\b.{0,60}\bready",
    r"(?:punish|punishing)\s+" + _EN_ME,
    r"(?:starve|starving)\s+" + _EN_ME,
    r"my\s+own\s+funeral",
    r"(?:if|when)\s+i\s+(?:was|were|am)\s+(?:just\s+)?dead\b",
    r"(?:scared|afraid)\s+i'?ll\s+(?:do\s+something|hurt\s+myself)",
]
# Despair that may be about life or only about a bad day ("i can't do this anymore", "eg
# klarar ikkje dette meir", "feeling hopeless"): not a crisis on its own, but the bot asks
# how the person is, with the help lines, before it answers (the check,
# bot/server/crisis_first.py). The English ones the classifier read as crisis at 0.66-0.79,
# below the check, and the person got "which of these?" instead.
_DISTRESS = [
    r"(?:can'?t|cannot|can\s+not|could\s?n'?t)\s+(?:do|take|handle|bear|stand|cope\s+with|deal\s+with)"
    r"\s+(?:this|it|that|any\s?more\s+of\s+this)(?:\s+(?:shit|stuff|life|pressure|stress|feeling|pain))?"
    r"\s+(?:any\s?more|no\s+more|much\s+longer)\b",
    r"(?:i\s+)?(?:just\s+)?can'?t\s+(?:do\s+it\s+)?any\s?more\s*(?:$|[.!,])",
    r"(?:don'?t|do\s+not|dont|can'?t|cannot)\s+see\s+(?:any|the|a)\s+point\s+(?:in|of|to|with)\s+"
    r"(?:anything|everything|continu\w*|go(?:ing)?\s+on|carry(?:ing)?\s+on|keep(?:ing)?\s+going|try\w*)",
    r"(?:no|what'?s\s+the|what\s+is\s+the)\s+point\s+(?:in|of|to)\s+(?:anything|everything)\b",
    r"(?:give|gave|giving|given)\s+up\s+on\s+(?:everything|life|myself|it\s+all)",
    r"(?:feel|feels|feeling|felt)\s+like\s+giving\s+up\b(?!\s+(?:on\s+)?(?:the|my|this)\s+(?:course|job|study|studies|degree|programme|program|plan|idea))",
    r"(?:i'?m|i\s+am|feel|feeling|felt|so)\s+(?:so\s+|completely\s+|totally\s+|utterly\s+)?(?:hopeless|worthless)\b",
    r"(?:everything|it\s+all|life)\s+(?:is|feels|seems)\s+(?:so\s+|completely\s+)?(?:hopeless|pointless|meaningless)",
    r"(?:klarer|klarar|orker|orkar|takler|taklar)\s+" + _NOT + r"\s+(?:dette|det\s+her|dette\s+her|noe|noko|alt)\s+" + _MORE + r"\b",
    # Past: "jeg orka ikke mer", "orket bare ikke mer" (a crisis when life is named, above).
    r"(?:orka|orket|orkte)\s+(?:bare\s+|berre\s+)?" + _NOT + r"\s+(?:meir|mer)\s*(?:$|[.!?,]|(?:nå|no|altså|lenger|lengre)\b)",
    r"(?:gir|gi|gjev|gje|ga|gav)\s+opp\s+(?:alt|livet|(?:meg|mæ)\s+(?:selv|sjølv|sjøl))\b",
    r"(?:føler|kjenner)\s+(?:meg|mæ)\s+(?:helt\s+|heilt\s+|så\s+)?(?:håpløs|verdiløs|verdilaus)\b",
    r"(?:alt|livet)\s+(?:er|føles|kjennes|virker|verkar)\s+(?:så\s+|helt\s+|heilt\s+)?(?:håpløst|meningsløst|meiningslaust)",
]

# Hurt, threatened or abused by someone else: at home, by a partner, at work or school. The
# same help lines (116 111 for children and young people, 113) and an urgent case. A person
# does it, so "det slo meg at …" (it struck me), "hun slår meg alltid i sjakk", "my dad hit
# me up" and "sjefen sparket meg" (fired) are no violence.
_SOMEONE_NB = (r"(?:pappa|papa|far|faren|fatter|fattern|muttern|mamma|mor|mora|moren|stefar|stefaren|stemor|"
               r"stemora|foreldra|foreldrene|kjæresten|kjærasten|typen|mannen|kona|samboeren|"
               r"sambuaren|eksen|broren|bror|brorn|søstera|søsteren|syster|sjefen|sjefen\s+min|"
               r"leiaren|lederen|læremesteren|læremeisteren|instruktøren|veilederen|læreren|"
               r"læraren|treneren|kollegaen|kollegaen\s+min|onkel|onkelen|han|hun|ho|dei|de|dem)")
_SOMEONE_EN = (r"(?:dad|daddy|father|mom|mum|mother|stepdad|stepfather|stepmom|stepmother|parents?|"
               r"boyfriend|bf|girlfriend|gf|husband|wife|partner|ex|brother|sister|boss|manager|"
               r"supervisor|trainer|instructor|teacher|coach|colleague|co-?worker|uncle|he|she|they)")
# After the act: the end, a reason, how often, where on the body. Not "i sjakk" (at chess).
_HOW_NB = (r"(?=\s*$|\s*[.,!?]|\s+(?:når|nar|hvis|viss|om|kvar|hver|ofte|ofta|heile|hele|igjen|"
           r"flere|fleire|mange|att|og|så|sa|med|blå|gul|gule|helseløs|ned|hardt|i\s+(?:ansiktet|andletet|fjeset|"
           r"trynet|magen|hodet|hovudet|ryggen|veggen|golvet|gulvet|bakken)|på\s+(?:jobb|jobben|skolen|"
           r"skulen|verkstedet|trening|treninga|fest)))")
_HOW_EN = (r"(?=\s*$|\s*[.,!?]|\s+(?:when|if|whenever|every|often|again|and|so|with|black|hard|"
           r"in\s+the\s+(?:face|head|stomach|back)|against|into|to\s+the\s+(?:floor|ground)))")
_HURT_BY_SOMEONE = [
    _SOMEONE_NB + r"\s+(?:\S+\s+){0,2}?(?:slår|slo|slått|slog|banker|banka|banket|dengjer|denger|"
    r"juler|jula|kveler|kvelte|lugger|lugga|klyper|klypa|dytter|dytta|dyttet|kaster|kasta|kastet|"
    r"slenger|slengte|slengde|slegne|slege|slegen)\s+"
    + _ME + _HOW_NB,
    r"(?:tok|tar|tek)\s+kvelertak\s+på\s+" + _ME,
    r"(?:truer|truet|trua|trugar|truga)\s+(?:" + _ME + r"\s+)?med\s+å\s+(?:drepe|drepa|slå|skade|skada)\s+" + _ME,
    r"(?:skal|ska|vil)\s+drepe\s+" + _ME + r"\s+(?:hvis|viss|om|når|nar)\s+(?:" + _I + r"\s+)?(?:går|drar|reiser|flytter|flyttar|sier|seier|forteller|fortel|sladrer)",
    r"(?:voldtatt|voldtok|valdteken|valdteke|valdtok|voldta|valdta)",
    r"(?:forgrep|forgripe|forgriper|forgreip|forgrip)\s+(?:seg|seg\s+seksuelt)\s+på\s+" + _ME,
    r"(?:misbruker|misbrukte|misbrukt|mishandler|mishandlet|mishandla|mishandlar)\s+" + _ME,
    r"(?:tafser|tafsa|tafset|beføler|befølte|føler\s+på)\s+(?:på\s+)?" + _ME,
    r"(?:tvinger|tvang|tvingar|tvinga)\s+" + _ME + r"\s+til\s+(?:å\s+ha\s+)?(?:sex|å\s+ligge|samleie)",
    _I + r"\s+(?:blir|ble|blei|vart|er|har\s+blitt|har\s+vorte)\s+(?:\S+\s+){0,2}?(?:utsatt|utsett)\s+for\s+"
    r"(?:vold|vald|overgrep|seksuell\w*\s+trakassering|mishandling)",
    r"(?:redd|livredd)\s+for\s+(?:pappa|faren\s+min|mamma|mora\s+mi|stefaren\s+min|mannen\s+min|"
    r"kona\s+mi|kjæresten\s+min|samboeren\s+min|sambuaren\s+min|eksen\s+min|sjefen\s+min|han|ho|hun)\b"
    r"(?!\s+(?:blir|vert|skal|kommer\s+til\s+å)\s+(?:skuffa|skuffet|sur|lei))",
]
_HURT_BY_SOMEONE_EN = [
    r"(?:my\s+|our\s+|the\s+)?" + _SOMEONE_EN + r"\s+(?:\S+\s+){0,2}?(?:hits|hit|hitting|beats|beat|"
    r"beating|punches|punched|slaps|slapped|kicks|kicked|chokes|choked|strangles|strangled|"
    r"shoves|shoved)\s+me" + _HOW_EN,
    r"(?:pushed|pushes|threw|throws)\s+me\s+(?:into|against|down|to\s+the\s+(?:floor|ground))",
    r"(?:threaten|threatens|threatened|threatening)\s+(?:me\s+)?to\s+(?:kill|hurt|beat|hit)\s+me",
    r"(?:will|gonna|going\s+to)\s+kill\s+me\s+if\s+i\s+(?:leave|tell|go|report)",
    r"(?:raped|rape\s+me|rapes\s+me|sexually\s+(?:abused|assaulted|abuses|assaults)\s+me|"
    r"(?:was|been|being|got)\s+sexually\s+(?:abused|assaulted))",
    r"(?:abuses|abused|abusing)\s+me\b",
    r"(?:i'?m|i\s+am|i\s+was|i\s+get|i\s+got|i'?ve\s+been|i\s+have\s+been)\s+(?:being\s+)?(?:abused|beaten(?:\s+up)?|assaulted)\b",
    r"(?:gropes|groped|touches|touched)\s+me\b.{0,40}\b(?:don'?t|didn'?t|do\s+not|did\s+not|no|without|against)\b",
    r"(?:forces|forced)\s+me\s+to\s+have\s+sex",
    r"(?:scared|afraid|terrified)\s+of\s+my\s+(?:dad|father|stepdad|stepfather|mom|mum|mother|"
    r"husband|wife|boyfriend|girlfriend|partner|ex|boss)\b(?!\s+(?:being\s+)?(?:disappointed|upset|mad|angry\s+about\s+my\s+grades))",
    r"abusive\s+(?:relationship|partner|husband|wife|boyfriend|girlfriend|dad|father|mom|mother|stepdad|home|boss)",
]

# Northern Sami, matched without diacritics (á→a, č→c, đ→d, ŋ→n, š→s, ŧ→t, ž→z):
# "iešsorbmen" (suicide), "goddit/sorbmet iežan" (kill myself), "jápmit" (die), "eallit"
# (live) after a negation, "morihit" (wake up), "čuohppat/bávččagahttit/vahágahttit
# iežan" (cut/hurt/harm myself), "noađđi" (burden), "jávkat" (disappear).
_SAMI = [
    r"iess?orbm",
    r"(?:sorbmet|goddit|godde)\s+iez",
    r"(?:haliidan|halidan|haliidivccen|haliidat|haliida)\s+japmit",
    r"\bin\b(?:\s+\w+){0,3}\s+eallit",
    r"\bii\b(?:\s+\w+){0,3}\s+eallit",
    r"\bin\s+sat\s+haliit",
    r"(?:in|ii)\s+(?:haliit|halit)\s+morihit",
    r"(?:cuohpan|cuohpa|cuohppat|bavccagahtan|bavccagahttat|vahagahtan|vahagahttan|vahagahtta|vahagahttat)\s+iez",
    r"(?:javkat|javkkan)\s+agibeaivai",
    r"noaddi\s+buohkaide",
    r"valdit\s+iezan\s+hega",
    r"ii\s+leat\s+sat\s+veara\s+eallit",
    r"iess?oard",
    r"buorebut\s+mu\s+haga",
    r"(?:in|ii)\s+(?:haliit|halit)\s+(?:sat\s+)?(?:gohccat|morihit)",
]
# A few words between an activity and its subject, none of them the person's own.
_GAP = (r"(?:(?!(?:jeg|eg|æ|i|my|me|meg|mæ|har|have|has|had|tenker|tenkjer|tenkt|thinking|think|"
        r"feel|føler|kjenner|og\s+(?:jeg|eg|har))\b)\S+\s+){0,4}?")
# The same words in other senses: laughing, time, deadlines, processes, and career talk
# about helping others or studying the subject ("jobbe med selvmordsforebygging", "help
# people who self-harm", "bacheloroppgave om selvmordsrisiko").
# The subject, as a noun: what career talk names, what a person's own words never excuse.
_SUBJECT = (r"(?:s(?:e|æ)lv\s?mord\w*|sj(?:ø|o|e)?l?v?\s?mord\w*|suicid\w*|self[\s-]?harm\w*"
            r"|selv\s?skad\w*|sjølv\s?skad\w*|\w*overdose\w*)")
_OTHERS_HARM = (r"(?:skader|skadar|skade|kutter|kuttar|harm|hurt|cut)\s+(?:seg|themselves|himself|herself)"
                r"(?:\s+(?:selv|sjølv|sjøl))?|(?:prøvd|prøvde|tried|attempted)\s+(?:å\s+|to\s+)?(?:ta\s+livet\s+(?:sitt|seg)|take\s+their\s+(?:own\s+)?life|kill\s+themselves)"
                r"|(?:attempts?|attempted)\s+suicide|ta\s+livet\s+(?:sitt|seg)")
# The same words in other senses: laughing, time, deadlines, processes, and career talk
# about the subject or about others ("jobbe med selvmordsforebygging", "help people who
# self-harm", "bacheloroppgave om selvmordsrisiko blant unge menn"). An excuse never
# reaches a person's own words: "fikk ikke jobb, har selvmordstanker" is a crisis.
_NOT_CRISIS = [
    r"(?:dø|døy|døde|dødde|die|died|dying)\s+(?:av|of)\s+(?:latter|laughter|kjedsomhet|kjedsemd|keisemd|boredom)",
    r"kill(?:ing)?\s+(?:the\s+)?(?:process|time|app|task)",
    # hyperbole about schoolwork: "denne prøven tar livet av meg haha"
    r"\b(?!(?:jeg|eg|æ|e|i|je|å|og|for|vil|skal)\b)\w+\s+(?:tar|tek|tok)\s+livet\s+av\s+(?:meg|mæ)\b",
    # working, studying or writing ON the subject: a verb, then a preposition, then it
    r"(?:jobbe|jobber|jobba|arbeide|arbeider|work|working|hjelpe|help|helping|studere|studerer|study|studying|forske|forsker|research\w*|skrive|skriver|skriv|writing|write|spesialisere|specialis\w*|videreutdann\w*|utdanne|lære|lærer|learn\w*|treat\w*|behandle)"
    r"\s+" + _GAP + r"(?:med|with|om|about|innen|within|mot|against|into)\s+" + _GAP + _SUBJECT,
    # a course, a thesis, a topic about it: "ei oppgåve om sjølvskading", "thesis is about
    # preventing suicides", "eit emne om sjølvmord"
    r"(?:emne|tema|fag|kurs|forelesning\w*|oppgave|oppgåve|oppgaven|oppgåva|thesis|course|module|lecture|essay|paper|project|prosjekt\w*|bachelor\w*|master\w*)\s+"
    + _GAP + r"(?:om|about|on)\s+" + _GAP + _SUBJECT,
    # others at risk as the object of a job: "jobbe med folk som skader seg selv"
    r"(?:pasient\w*|folk|people|patients|elever|ungdom\w*|unge|someone|somebody|personer|mennesker|noen)\s+(?:som|who|med|with)\s+(?:\S+\s+){0,3}?(?:" + _OTHERS_HARM + r"|" + _SUBJECT + r")",
    r"(?:håndterer|håndtere|handles?|handling|deal\s+with|dealing\s+with)\s+(?:\S+\s+){0,2}?(?:selvmordsforsøk\w*|suicide\s+attempts?|attempted\s+suicides?)",
    r"(?:when|if)\s+someone\s+(?:attempts|tries)\s+(?:suicide|to\s+kill\s+themselves)",
    # the subject as a field: prevention, risk, statistics, among a group
    r"(?:s(?:e|æ)lv\s?mord|sjølv\s?mord|suicide)s?\s?(?:forebygg|førebygg|prevention|risiko|risk|rate|statistikk|statistics)\w*",
    r"(?:s(?:e|æ)lv\s?mord|sjø?l\s?v?\s?mord|suicide)\w*\s+(?:blant|among|hos)\s+(?:unge|eldre|bønder|menn|kvinner|farmers|men|women|young|elderly|studenter|students|ungdom\w*)",
    # taking life easy, and disappearing for a while or from an app
    r"ta\s+livet\s+(?:med\s+ro|rolig|lett)",
    r"(?:forsvinne|forsvinn|bli\s+borte|disappear|vanish)\s+(?:fra|frå|ut\s+av|from|off)\s+(?:sosiale\s+medier|some|snap\w*|insta\w*|facebook|tiktok|nett\w*|social\s+media|the\s+internet)",
    r"(?:forsvinne|forsvinn|bli\s+borte|disappear|vanish)\b.{0,40}?\b(?:en\s+stund|ei\s+stund|for\s+a\s+while|for\s+a\s+bit|en\s+uke|ei\s+veke|a\s+week|noen\s+dager|nokre\s+dagar)",
    # moving away: "eg skal ikkje vere her etter sommaren, eg flyttar til Trondheim"
    r"(?:være|vere|vera|be)\s+(?:her|around)\b.{0,80}?\b(?:flytt\w*|moving|move\s+to|relocat\w*|utveksling|exchange)",
    # studies, work and wages: "vil ikke leve på NAV / som student / slik resten av livet"
    r"(?:leve|leva|lev|live)\s+(?:på|av|som|on|as|off)\b",
    r"\b(?:live|leve|leva)\s+\w*\s*(?:resten\s+av\s+livet|hele\s+livet|heile\s+livet|for\s+the\s+rest\s+of\s+my\s+life)",
]

# How people type æ, ø and å without them, or on a foreign keyboard.
_FOLDS = {letter: f"(?:{'|'.join((letter, *typed))})" for letter, typed in TYPED_WITHOUT.items()}


def tolerant(pattern: str) -> str:
    """``pattern`` with every æ, ø and å outside a character class also matching the
    letters people type in their place."""
    out, in_class, escaped = [], False, False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif char == "[":
            in_class = True
            out.append(char)
        elif char == "]":
            in_class = False
            out.append(char)
        else:
            out.append(char if in_class else _FOLDS.get(char, char))
    return "".join(out)


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{tolerant(p)})" for p in patterns), re.IGNORECASE)


def _word_first(patterns: list[str]) -> list[str]:
    """``patterns`` matched only from the start of a word: "od on" is not in "have a good
    one". Norwegian patterns may start inside a word, for compounds ("takkanten") and
    the spellings of "ikke" ("ække")."""
    return [f"(?<!\\w)(?:{pattern})" for pattern in patterns]


_CRISIS = _compile(_NORWEGIAN + _word_first(_ENGLISH) + _SAMI
                   + _word_first(_HURT_BY_SOMEONE + _HURT_BY_SOMEONE_EN))
_EXCUSED = _compile(_NOT_CRISIS)
_DISTRESSED = _compile(_word_first(_DISTRESS))
_SPACES = re.compile(r"\s+")
_REPEATED = re.compile(r"(\w)\1{2,}")
_SAMI_LETTERS = str.maketrans("áčđŋšŧž", "acdnstz")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})


def normalise(text: str) -> str:
    """Lower case, one kind of apostrophe, letters typed three times once ("dieee"),
    Sami letters without diacritics, single spaces."""
    text = unicodedata.normalize("NFC", text).lower().translate(_APOSTROPHES)
    text = _REPEATED.sub(r"\1", text.translate(_SAMI_LETTERS))
    return _SPACES.sub(" ", text).strip()


def is_excused(text: str) -> bool:
    """Whether ``text`` uses crisis words in another sense (career talk, idioms)."""
    return _EXCUSED.search(normalise(text[:SCAN_CHARS])) is not None


# A whole message that only closes the conversation: "Takk. Det var alt.", "ok, det var
# det jeg lurte på", "thanks, that's all". The learned half read "Det var alt." as a
# farewell (1.0): people close a chat so every day. "takk for alt" and "ha det" stay with
# the learned half, as a farewell in crisis may use them.
_OK = r"(?:ok(?:ei|ay)?|okidoki|fint|flott|supert?|topp|greit|great|perfect|nice|cool|kult)"
_THANKS = (r"(?:(?:tusen|mange|hjertelig)\s+)?(?:takk|tak|tnx|thx|thanks?|thank\s+you|ty)"
           r"(?:\s+(?:skal\s+du\s+ha|ska\s+du\s+ha|så\s+mykje|så\s+mye|(?:so|very)\s+much|a\s+lot))?"
           r"(?:\s+for\s+(?:(?:the|your)\s+)?(?:hjelpa|hjelpen|hjelp|svaret|svara|svar|svarene|"
           r"informasjonen|infoen|info|praten|samtalen|help|answers?|info(?:rmation)?))?")
_THAT_WAS_ALL = (r"(?:det\s+var\s+(?:alt|det)|that'?s\s+(?:all|it)|that\s+was\s+(?:all|it)|"
                 r"thats\s+(?:all|it))"
                 r"(?:\s+(?:jeg|eg|e|æ|i)\s+(?:lurte\s+på|ville\s+vite|ville\s+spørre\s+om|"
                 r"ville\s+spørje\s+om|trengte(?:\s+å\s+vite)?|wanted\s+to\s+(?:know|ask)|"
                 r"needed(?:\s+to\s+know)?))?"
                 r"(?:\s+(?:for\s+(?:nå|no|i\s*dag|now|today)))?")
_CLOSING_PART = f"(?:{_OK}|{_THANKS}|{_THAT_WAS_ALL})"
_PLAIN_CLOSING = re.compile(
    tolerant(rf"{_CLOSING_PART}(?:[\s.,!:)(😊🙂👍]+{_CLOSING_PART})*[\s.,!:)(😊🙂👍]*"),
    re.IGNORECASE)


# Thanks in Northern Sami, as a Sami speaker may close a chat held in Norwegian.
_SAMI_THANKS = re.compile(r"\b(?:giitu|giittus|ollu|gijtto)\b")


# A whole message that asks what if one lacks the thing just named: "og hvis jeg ikke har
# det?" after fagskole's requirements (the learned half read "ikke har det" as not being
# well, 0.89, and the bot asked how the person was). How one is ("har det bra", "har det
# vondt") takes a word after "det"; this is the whole message, so nothing else is excused.
_IF_ONE_LACKS_IT = re.compile(
    r"(?:(?:og|and|men|but|så|so|ok)\s+)?(?:(?:hva|kva|ka|what)\s+)?(?:hvis|om|viss|dersom|if)\s+"
    r"(?:jeg|eg|æ|e|i|han|hun|ho|hen|he|she|vi|me|we|de|dei|they|man|ein|en|du|you|dattera\s+mi|"
    r"sonen\s+min|sønnen\s+min)\s+"
    r"(?:(?:ikke|ikkje|ikkj|itj|ikk)\s+har|har\s+(?:ikke|ikkje|ikkj|itj)|don'?t\s+have|"
    r"doesn'?t\s+have|do\s+not\s+have|does\s+not\s+have)\s+"
    r"(?:det|den|dem|dei|de|dette|denne|it|one|that|them|this)(?:\s+(?:da|då|then|enda|ennå|enno|"
    r"yet))?[\s?.!]*")


def lacks_what_was_named(text: str) -> bool:
    """Whether the whole of ``text`` asks what if one does not have what was just named."""
    return _IF_ONE_LACKS_IT.fullmatch(normalise(text[:SCAN_CHARS])) is not None


def is_a_plain_closing(text: str) -> bool:
    """Whether the whole of ``text`` only thanks and says that was all ("Takk. Det var
    alt.", "takk, giitu"), which the learned half must not read as a farewell in crisis."""
    normalised = normalise(text[:SCAN_CHARS])
    without_sami = _SAMI_THANKS.sub(" ", normalised).strip(" ,.!")
    if not without_sami:
        return bool(normalised)  # "Giitu!", "giitu ollu"
    return _PLAIN_CLOSING.fullmatch(without_sami) is not None


def mentions_crisis(text: str) -> bool:
    """True when ``text`` speaks of suicide, self-harm, wanting to die or being hurt,
    threatened or abused by someone (in its first ``SCAN_CHARS`` characters)."""
    normalised = normalise(text[:SCAN_CHARS])
    if not normalised:
        return False
    excused = _EXCUSED.sub(" ", normalised)
    return _CRISIS.search(excused) is not None


def sounds_distressed(text: str) -> bool:
    """True when ``text`` speaks of despair that may be a crisis ("i can't take it
    anymore"): the bot asks how the person is before it answers."""
    normalised = normalise(text[:SCAN_CHARS])
    return bool(normalised) and _DISTRESSED.search(_EXCUSED.sub(" ", normalised)) is not None


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, as written: cut after . ! ? and at line breaks."""
    return [sentence.strip() for sentence in _SENTENCE_END.split(text) if sentence.strip()]


def sentences_of(text: str) -> list[str]:
    """The sentences of the start of ``text`` the patterns read, as written."""
    return sentences(text[:SCAN_CHARS])


def said_in_crisis(parse_data: dict[str, Any] | None, text: str | None = None) -> bool:
    """Whether a person's message was understood as crisis language.

    A crisis understood from what was written, not an intent typed as ``/crisis``: that
    one skips understanding, and must not put a conversation first in the queue.
    """
    data = parse_data or {}
    written = text if text is not None else data.get("text") or ""
    intent = (data.get("intent") or {}).get("name")
    return intent == CRISIS_INTENT and not is_payload(written)


def is_payload(text: str) -> bool:
    """An intent as Rasa reads "/intent": a button's payload (the channels make any other
    "/..." a person types into text, bot/server/channels/incoming.py ``as_written``)."""
    return text.lstrip().startswith(INTENT_PREFIX)
