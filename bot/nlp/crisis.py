"""Recognise messages about suicide or self-harm, so the help lines come first, always.

The intent classifier learns crisis language from examples, but a statistical model can
miss a phrasing it has not seen. This is the safety net under it: patterns for direct
and indirect phrasings in Bokmål, Nynorsk, English and Northern Sami, tuned for recall.
A false alarm costs a person a few lines about help they did not need; a miss can cost
far more. Career talk that uses the same words ("selvmordsforebygging", "deadline is
killing me", "drepe tida") is excluded explicitly.
"""

from __future__ import annotations

import re
from typing import Any

CRISIS_INTENT = "crisis"
# Rasa reads a message that starts with "/" as an intent name, without NLU.
INTENT_PREFIX = "/"

# Bokmål and Nynorsk share most patterns; alternatives cover both and common typos.
_ME = r"(?:meg|mæ|me|mej)\b"
_SELF = r"(?:selv|sjølv|sjøl|sjæl|sæl)"
_NOT = r"(?:ikke|ikkje|ikkj|ik|itj|ikk|ke|ikek|ej)"
# "leve" but not "leve på NAV" / "leve av lønna".
_LIVE = r"(?:leve|leva|lev)\b(?!\s+(?:på|av|som|uten|utan)\b)"
_DIE = r"(?:dø|døy|døe|do|doe|dødd|dø\.)"
_ENDURE = r"(?:orker|orke|orkar|orka|gidder|gidd|gidde|klarer|klarar|tåler)(?:\s+(?:egentlig|eigentleg|rett\s+og\s+slett|bare|berre))?"
_I = r"(?:jeg|eg|e|æ|i|jæ)"
_NORWEGIAN = [
    # suicide named (career talk about it is excused below)
    r"s(?:e|æ)lv\s?mord",
    r"sjølv\s?mord",
    r"suicid",
    # taking one's life
    r"t(?:a|ar|ok)(?:\s+(?:man|ein|en|eg|jeg))?\s+(?:livet|live)\s+(?:av\s+)?(?:" + _ME + r"|mitt|seg|sitt)",
    r"ta(?:r|)\s+mitt\s+(?:eget|eige)\s+liv",
    r"\bav\s+dage\b",
    r"(?:ende|avslutte|avslutta)\s+(?:livet|alt)",
    r"gjø?re?\s+slutt\s+på\s+(?:livet|alt|det\s+hele|det\s+heile|meg)",
    r"gjer\s+slutt\s+på\s+(?:livet|alt|meg)",
    r"alt\s+(?:skal|skulle|må)\s+ta\s+slutt",
    r"(?:henge|skyte|drukne)\s+" + _ME,
    r"(?:brua|broa|bruen|taket|toget|kanten|stupet)\b.{0,40}\bhopp",
    r"hopp\w*\s+(?:fra|frå|ut\s+fra|ut\s+frå|foran|framfor|ned\s+fra|ned\s+frå|ut\s+av)\s+(?:brua|broa|bruen|taket|toget|et\s+tak|eit\s+tak|blokka|fjellet|vinduet)",
    r"står\s+på\s+(?:brua|broa|taket|kanten)",
    r"(?:kjøre|kjøyre|køyre)\s+(?:av\s+vegen|av\s+veien|utfor)",
    r"overdose",
    r"(?:samla|samlet|samle|spart)\s+(?:på\s+)?(?:tabletter|tablettar|piller|pillar)",
    r"(?:tabletter|tablettar|piller|pillar)\b.{0,40}\b(?:" + _DIE + r"\b|ta\s+(?:alle|dei\s+alle|dem\s+alle))",
    r"(?:kjøpt|kjøpte|kjøpe)\s+(?:et\s+|eit\s+)?tau",
    r"(?:avskjedsbrev|avskilsbrev|farvelbrev)",
    r"(?:ha\s+det|farvel|adjø)\b.{0,50}\bfor\s+(?:godt|alltid)",
    r"(?:gitt|gi|gav|ga)\s+bort\s+(?:tinga|tingene|tinga\s+mine|alt)",
    r"(?:ferdig|lei)\s+(?:med|av)\s+livet",
    r"siste\s+melding\s+(?:fra|frå)\s+" + _ME,
    # wanting to die / not to live / not to exist
    r"(?:vil|ville|vl|lyst\s+(?:til\s+|te\s+)?(?:å\s+)?|ønsker\s+(?:å\s+)?|ønskjer\s+(?:å\s+)?)\s*(?:bare\s+|berre\s+|helst\s+)?" + _DIE + r"(?:\b|$)",
    r"tenk\w*\s+(?:mye\s+|mykje\s+|ofte\s+|mest\s+)?på\s+(?:å\s+)?(?:dø|døy|døden)\b",
    r"(?:måten|måte|metode)\s+å\s+(?:dø|døy)\b",
    r"(?:ingenting|ikke\s+noe|ikkje\s+noko|ikke\s+noen\s+ting)\s+(?:å\s+)?(?:leve|leva)\s+for",
    r"(?:hvis|om|viss|dersom)\s+" + _I + r"\s+(?:forsvinner|forsvinn|var\s+borte|døde|dør)\b.{0,40}\bingen",
    r"(?:vil|ville)\s+(?:bare\s+|berre\s+)forsvinne\s*(?:$|[.!,])",
    r"(?:har\s+)?" + _NOT + r"\s+lyst\s+(?:til\s+|te\s+)?(?:å\s+)?(?:(?:være|vere|vera)\s+her|" + _LIVE + r"|våkne|vakne)",
    r"(?:ønske|ønsker|ønskje|ønskjer|skulle\s+ønske)\s+" + _I + r"\s+(?:var|va)\s+død",
    r"(?:bedre|betre|best|beste|lettere|lettare|lettast|lettest)\b.{0,30}\b(?:om|hvis|viss|dersom|at)\s+" + _I + r"\s+(?:bare\s+|berre\s+|bar\s+)?(?:var\s+død|va\s+død|døde|døydde|dør|døyr|døde|ikke\s+fantes|ikkje\s+fanst|var\s+borte|forsvant|forsvann)",
    r"(?:bedre|betre)\s+død",
    r"(?:bedre|betre)\s+(?:uten|utan)\s+" + _ME,
    r"(?:vil|ville|vl|har\s+lyst\s+(?:til\s+)?(?:å\s+)?)\s*" + _NOT + r"\s+(?:å\s+)?" + _LIVE,
    _ENDURE + r"\s+" + _NOT + r"\s+(?:å\s+)?" + _LIVE,
    _ENDURE + r"\s+" + _NOT + r"\s+(?:livet|meir|mer)\s*(?:$|[.!?,]|nå|no|altså|egentlig|eigentleg|lenger|lengre)",
    r"(?:ikke|ikkje)\s+(?:lenger|lengre|meir|mer)\s+lyst\s+(?:til\s+|te\s+)?(?:å\s+)?" + _LIVE,
    r"(?:ingen|inga)\s+(?:grunn|vits|mening|meining)\s+(?:i\s+|med\s+|til\s+)?(?:å\s+)?(?:fortsette\s+(?:å\s+)?|halde\s+fram\s+(?:med\s+)?(?:å\s+)?)?(?:" + _LIVE + r"|fortsette|halde\s+fram|livet)",
    r"(?:vitsen|vits|poenget)\s+(?:med|i)\s+(?:å\s+)?(?:" + _LIVE + r"|livet)",
    r"(?:meininga|meningen)\s+(?:med|i)\s+å\s+" + _LIVE,
    r"(?:meningsløst|meiningslaust|ikke\s+verdt|ikkje\s+verdt)\s+(?:å\s+)?" + _LIVE,
    r"(?:vil|ville|har\s+lyst\s+(?:til\s+)?(?:å\s+)?)\s*" + _NOT + r"\s+(?:være|vere|vera)\s+her\s+(?:mer|meir|lenger|lengre)",
    r"" + _NOT + r"\s+(?:finnes|finnast|fantes|fanst|eksistere)\s+(?:mer|meir|lenger|lengre)",
    r"(?:skal|kommer|kjem)\s+" + _NOT + r"\s+(?:til\s+å\s+)?" + _LIVE + r"\s+(?:så\s+)?lenge",
    r"(?:sove|sovne|legge\s+" + _ME + r"\s+ned)\s+(?:inn\s+)?og\s+(?:aldri|ikke|ikkje)\s+(?:våkne|vakne|stå\s+opp)",
    r"(?:ingen|ingen\s+som)\s+(?:vil|ville|kommer\s+til\s+å|kjem\s+til\s+å)\s+(?:savne|sakne)",
    r"byrde\s+for\s+(?:alle|familien|dei|de)",
    r"(?:forsvinne|forsvinna)\s+for\s+(?:alltid|godt)",
    r"(?:alle|alt)\s+(?:hadde|ville)\s+(?:hatt\s+det\s+|vore\s+|vært\s+)?(?:bedre|betre)\s+(?:uten|utan)\s+" + _ME,
    # self-harm
    r"(?:skade|skader|skada|skadar|skadet|skadd)\s+" + _ME + r"(?:\s+" + _SELF + r")?(?!\s+(?:på|i)\s+(?:trening|fotball|jobb))",
    r"(?:selv|sjølv)\s?skad",
    r"(?:gjøre|gjere|gjer|gjør)\s+" + _ME + r"\s+" + _SELF + r"\s+vondt",
    r"(?:kutte|kutter|kutta|kuttar|kuttet|kutt|skjære|skjærer|skjere|skar|skåret|skore|skjært|risper|rispe|brenne|brenner)\s+" + _ME + r"(?!\s+(?:ned|ut|i\s+håret|på\s+håret))",
    r"(?:klorer|klorar|slår|slå)\s+" + _ME + r"\b.{0,30}\b(?:til\s+blods|blør|blod)",
    r"(?:slår|slå|dunker)\s+(?:hodet|hovudet)\s+i\s+(?:veggen|vegg)",
    r"til\s+(?:" + _I + r"\s+|det\s+)?(?:blør|blods)",
]
_ENGLISH = [
    r"suicid",
    r"\bkms\b",
    r"kill(?:ing)?\s+my\s?self",
    r"(?:end|ending|take|taking)\s+my\s+(?:own\s+)?life",
    r"end(?:ing)?\s+it\s+(?:all|tonight|today|now|soon)",
    r"(?:want|wanna|wanted)\s+(?:to\s+)?die\b",
    r"(?:pills|tablets)\b.{0,30}\b(?:die|take\s+them\s+all)",
    r"(?:saved\s+up|hoarding|stockpiling|collecting)\s+(?:\w+\s+)?(?:pills|tablets)",
    r"take\s+them\s+(?:all\s+)?tonight",
    r"pills\s+saved\s+up",
    r"easiest\s+way\s+to\s+die",
    r"nothing\s+(?:left\s+)?to\s+live\s+for",
    r"reason\s+to\s+keep\s+(?:living|going)|(?:no|any|a)\s+reason\s+to\s+live\b",
    r"wish\s+i\s+(?:was|were)\s+dead",
    r"better\s+off\s+(?:dead|without\s+me)",
    r"better\s+if\s+i(?:'m|\s+am|\s+was|\s+were)?\s+(?:just\s+)?(?:dead|gone|died)",
    r"(?:don'?t|do\s+not|dont)\s+(?:want|wanna)\s+(?:to\s+)?(?:live|be\s+alive|be\s+here\s+anymore|exist)",
    r"no\s+(?:reason|point)\s+(?:to|in|of)\s+(?:keep\s+)?(?:live|living|going\s+on|life|carry\s+on)",
    r"what'?s\s+the\s+point\s+(?:of|in)\s+(?:living|going\s+on|life|being\s+alive)",
    r"(?:not|isn'?t)\s+worth\s+living",
    r"can'?t\s+go\s+on(?:\s+living)?(?:\s*$|[.!,])",
    r"(?:hurt|hurting|harm|harming|cut|cutting|burn|burning)\s+my\s?self",
    r"(?:been\s+)?cutting\s+(?:again|myself|my\s+arms)",
    r"until\s+(?:they|it|i|my\s+\w+)\s+bleed",
    r"self[\s-]?harm",
    r"(?:jump|jumping)\s+(?:off|from|in\s+front\s+of)\s+(?:a|the)\s+(?:bridge|roof|building|train)",
    r"hang\s+my\s?self",
    r"(?:sleep|fall\s+asleep)\s+and\s+never\s+wake\s+up",
    r"no\s?(?:one|body)\s+(?:would|will)\s+(?:miss|care\s+if)",
    r"(?:suicide|goodbye)\s+(?:note|letter)",
    r"(?:given|gave|give)\s+away\s+(?:all\s+)?my\s+(?:stuff|things|belongings)",
    r"goodbye\b.{0,40}\bfor\s+good",
    r"disappear\s+(?:forever|for\s+good)",
    r"(?:overdose|od\s+on)",
    r"burden\s+(?:to|on|for)\s+(?:everyone|everybody|my\s+family)",
    r"(?:done|finished)\s+with\s+(?:life|living)",
]
# Northern Sami: "iešsorbmen" (suicide), "goddit/sorbmet iežan" (kill myself), "jápmit"
# (die), "eallit" (live) after a negation.
_SAMI = [
    r"iešsorbm",
    r"(?:sorbmet|goddit)\s+iežan",
    r"(?:háliidan|hálidan|háliidivččen)\s+jápmit",
    r"\bin\b(?:\s+\w+){0,3}\s+eallit",
    r"\bin\s+šat\s+háliit",
]
# The same words in other senses: laughing, time, deadlines, processes, and career talk
# about helping others ("jobbe med selvmordsforebygging", "help people who self-harm").
_NOT_CRISIS = [
    r"(?:dø|døy|døde|dødde|die|died|dying)\s+(?:av|of)\s+(?:latter|laughter|kjedsomhet|keisemd|boredom)",
    r"kill(?:ing)?\s+(?:the\s+)?(?:process|time|app|task)",
    # hyperbole about schoolwork: "denne prøven tar livet av meg haha"
    r"(?:prøven|prøva|eksamen|matten|matta|leksene|lekser|jobben)\s+(?:tar|tek)\s+livet\s+av\s+meg",
    r"(?:jobbe|jobb|arbeide|arbeid|work|working|help|helping|hjelpe|hjelp|utdann\w*|education|stud\w*|career|karriere|forsk\w*|research\w*)\b.{0,50}?"
    r"(?:s(?:e|æ)lv\s?mord\w*|sjølv\s?mord\w*|suicid\w*|self[\s-]?harm\w*|selv\s?skad\w*|sjølv\s?skad\w*)",
    r"(?:s(?:e|æ)lv\s?mord|sjølv\s?mord|suicide)s?\s?(?:forebygg|førebygg|prevention)\w*",
]

_CRISIS = re.compile("|".join(f"(?:{p})" for p in _NORWEGIAN + _ENGLISH + _SAMI), re.IGNORECASE)
_EXCUSED = re.compile("|".join(f"(?:{p})" for p in _NOT_CRISIS), re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def mentions_crisis(text: str) -> bool:
    """True when ``text`` speaks of suicide, self-harm or wanting to die."""
    normalised = _SPACES.sub(" ", text.lower()).strip()
    if not normalised:
        return False
    excused = _EXCUSED.sub(" ", normalised)
    return _CRISIS.search(excused) is not None


def said_in_crisis(parse_data: dict[str, Any] | None, text: str | None = None) -> bool:
    """Whether a person's message was understood as crisis language.

    A crisis understood from what was written, not an intent typed as ``/crisis``: that
    one skips understanding, and must not put a conversation first in the queue.
    """
    data = parse_data or {}
    written = text if text is not None else data.get("text") or ""
    intent = (data.get("intent") or {}).get("name")
    return intent == CRISIS_INTENT and not written.lstrip().startswith(INTENT_PREFIX)
