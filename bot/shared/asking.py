"""Whether a message greets, asks something, takes leave or asks for a counsellor: read
from its wording.

The classifier reads "hvilke fag må jeg ha da" as goodbye ("ha" is half of "ha det"),
"ugh ok. who do I contact then" as a yes and "ok i will ask nav. bye" as a question about
NAV's courses. These patterns let the rules over its reading tell a question, a farewell
and a reply apart (bot/server/nlp/nonsense.py, bot/server/nlp/components.py), and the
action server take a greeting off the questions it reads (actions/several_questions.py).
"""

from __future__ import annotations

import re

# The NLU's nonsense guard (bot/server/nlp/nonsense.py) marks markup, keyboard mash and sums
# with this key in the parse data: the actions never read such a message in context.
NONSENSE_KEY = "nonsense"

# Question words in Norwegian and in English.
_NORWEGIAN_QUESTION_WORDS = (r"hva|kva|ka|hvem|kven|hvor|kor|kvar|når|hvordan|korleis|koss|"
                             r"hvorfor|kvifor|hvilke\w*|kvilke\w*")
_ENGLISH_QUESTION_WORDS = r"what|which|how|where|when|who|why"
# A question word opening a sentence or a clause: "ugh. so who decides that".
_ASKS = re.compile(
    r"(?:^|[.,!?;:]\s*|\b(?:so|and|but|then|og|men|så|da|då)\s+)"
    rf"(?:{_NORWEGIAN_QUESTION_WORDS}|{_ENGLISH_QUESTION_WORDS})\b", re.IGNORECASE)
# "ha det" after "å" or a person is to have it: "Er det obligatorisk å ha det?" (a
# recognition) was said goodbye to, as "må jeg ha det" would be.
_TO_HAVE = "".join(rf"(?<!\b{word}\s)" for word in (
    "å", "a", "jeg", "eg", "æ", "man", "ein", "du", "vi", "han", "hun", "ho", "dere", "de",
    "dei", "dykk"))
# Taking leave in so many words, in any of the three languages.
_LEAVE = (
    r"bye(?:\s*bye)?|good\s*bye|cya|see\s+you(?:\s+later)?|"
    rf"{_TO_HAVE}ha\s*det(?:\s+(?:bra|godt|fint))?|"
    r"hadet(?:\s*bra)?|ha\s+de(?=\s+(?:bra|godt)\b|\W*$)|ha\s+(?:en|ein|ei)\s+(?:fin|god|flott|riktig\s+god)\s+"
    r"(?:dag|kveld|helg)(?:\s+(?:videre|vidare))?|god\s+helg|farvel|adjø|snakkes|go(?:d)?\s*natt|sees|sjåast|"
    r"have\s+a\s+(?:good|nice|great|lovely)\s+(?:one|day|evening|night|weekend)|good\s*night|take\s+care(?!\s+of)|"
    r"(?:that'?s|thats|that\s+is|that\s+was)\s+(?:all|it)\s+for\s+(?:now|today)|"
    r"det\s+var\s+(?:alt|det)\s+for\s+(?:nå|no|na|i\s*dag)|"
    # wishes for the rest of the day, and coming back another time
    r"(?:kos|nyt)\s+(?:deg\s+)?(?:videre|vidare|resten\s+av\s+(?:dagen|kvelden|helga|helgen|uka|veka))|"
    r"(?:ha\s+(?:en|ein)\s+)?fortsatt\s+(?:fin|god|flott)\s+(?:dag|kveld|helg)|"
    r"enjoy\s+(?:the\s+rest\s+of\s+)?(?:your|the)\s+(?:day|evening|night|weekend)|"
    r"i(?:'ll|\s+will)\s+come\s+back\s+(?:later|tomorrow|another\s+day)|"
    r"(?:jeg|eg|æ|e)\s+(?:kommer|kjem)\s+tilbake\s+(?:senere|seinare|i\s+morgen|i\s+morgon|"
    r"en\s+annen\s+dag|ein\s+annan\s+dag)")
# Thanks that close a conversation, though the person may still go on.
_THANKS_FOR_THE_HELP = r"takk\s+for\s+(?:nå|no|na|i\s*dag|praten|meg|hjelpa?|hjelpen)"
_FAREWELL = re.compile(rf"\b(?:{_LEAVE}|{_THANKS_FOR_THE_HELP})\b", re.IGNORECASE)
_GOODBYE = re.compile(rf"\b(?:{_LEAVE})\b", re.IGNORECASE)
# A farewell that ends the message: "ok i will ask nav. bye", "takk, da søker jeg. ha det!"
# (thanks may follow it: "ok i will come back tomorrow, thanks")
_ENDS_WITH_FAREWELL = re.compile(
    rf"(?:^|[\s.,!;:])(?:{_LEAVE}|{_THANKS_FOR_THE_HELP})"
    r"(?:[\s.,!;:]+(?:tusen\s+)?(?:takk|thanks?|thank\s+you|thx))?\W*$", re.IGNORECASE)


# A greeting that opens a message; what follows it is the message's errand.
_OPENING_GREETING = re.compile(
    r"^\W*(?:hei+(?:sann|a)?|hallo|hoi|heisann|halla|god\s+(?:morgen|morgon|dag|kveld)|"
    r"hi|hello|hey|good\s+(?:morning|afternoon|evening))\b[\s,.!:]*", re.IGNORECASE)


def without_opening_greeting(text: str) -> str:
    """``text`` without the greeting it opens with ("God morgon. Er denne tenesta gratis?")."""
    return _OPENING_GREETING.sub("", text, count=1)


# Still a greeting: whether anyone is there, or can help.
_ANYONE_THERE = re.compile(
    r"\b(?:noen|nokon|anyone|anybody|someone|somebody|du|you)\s+(?:der|her|there|here)\b|"
    # the counsellors: "are they there now?" after a wish for one (what this service is)
    r"\b(?:are|is|er)\s+(?:they|de|dei|dere|dykk|the\s+counsell?ors|rådgiverne|veilederne|"
    r"rettleiarane|rådgivarane)\s+(?:der|her|there|here|online|på\s+jobb|at\s+work|inne)\b|"
    r"\b(?:kan|can)\s+(?:du|dere|you)\s+(?:hjelpe|help)\b|\bgår\s+det\s+(?:bra|fint|greit)\b|"
    r"\b(?:hvordan|korleis|koss)\s+går\s+det\b|\bhow\s+are\s+you\b|\bhow'?s\s+it\s+going\b|"
    r"\bwhat'?s\s+up\b", re.IGNORECASE)
MIN_QUESTION_WORDS = 3
# Whether anyone is there now asks whether counsellors are on the chat: "er det noen der nå"
# after the opening hours (0.41 what this service is).
_NOW = re.compile(r"\b(?:nå|na|no|now|atm|i\s+dag|today|tonight|i\s+kveld|akkurat\s+nå)\b",
                  re.IGNORECASE)


# Nobody answering here: "its 11pm, nobody answers?", "hallo? svarer ingen her" (not someone
# else who does not answer: "ingen svarer på e-posten fra lånekassen").
_NOBODY_ANSWERS = re.compile(
    r"\b(?:nobody|no\s*one|ingen)\s+(?:answers?|answering|replies|replying|svarer|svarar|"
    r"(?:is|er|e)\s+(?:here|there|online|her|der|inne|pålogga|pålogget))\b"
    r"(?!\s+(?:på|pa|on|to|from|fra|frå|my|mine?|mi|mitt)\b)|"
    r"\b(?:svarer|svarar)\s+(?:ingen|ikke\s+noen|ikkje\s+nokon)\b"
    r"(?!\s+(?:på|pa|fra|frå|mine?|mi|mitt)\b)", re.IGNORECASE)


def asks_if_anyone_is_there_now(text: str) -> bool:
    return bool(_ANYONE_THERE.search(text) and _NOW.search(text) and asks_anything(text)) \
        or nobody_answers(text)


def nobody_answers(text: str) -> bool:
    return bool(_NOBODY_ANSWERS.search(text))



def question_after_greeting(text: str) -> str | None:
    """What a message asks after the greeting it opens with ("God morgon. Er denne
    tenesta gratis?"), or None: no greeting, too little after it, no question, or only
    whether anyone is there."""
    rest = without_opening_greeting(text)
    if rest == text or len(rest.split()) < MIN_QUESTION_WORDS or _ANYONE_THERE.search(rest):
        return None
    return rest if "?" in rest or asks(rest) else None


# Thanks that open a message, with a word of praise before or after them: "takk, det var
# nyttig.", "ok thanks!", "tusen takk for svaret".
# (The words of praise alone thank too, ``_PRAISE_ALONE``; "ok" and "greit" only beside
# thanks.)
_PRAISE_WORDS = r"supert|flott|fint|nice|great|perfekt|kjempebra|bra|cool|kult"
_PRAISE = rf"(?:ok|okei|okay|oki|greit|{_PRAISE_WORDS})"
_THANKS = r"(?:tusen\s+)?(?:takk|takker|thanks?|thank\s+you|thx|ty|tack)"
_OPENING_THANKS = re.compile(
    rf"^\W*(?:{_PRAISE}\W+)?{_THANKS}\b"
    r"(?:\s+(?:skal\s+du\s+ha|for\s+(?:svaret|svar|svara|hjelpa|hjelpen|det|info\w*)|so\s+much|"
    r"a\s+lot|for\s+(?:the\s+)?(?:help|answer|info)))?[\s,.!:]*", re.IGNORECASE)
# Thanks alone, perhaps with a word of praise: "nice takk", "great, thanks".
_THANKS_ALONE = re.compile(
    rf"^\W*(?:{_PRAISE}\W+)?{_THANKS}"
    r"(?:\s+(?:skal\s+du\s+ha|så\s+mye|så\s+mykje|so\s+much|a\s+lot))?\W*$", re.IGNORECASE)
# Whether one may ask more asks nothing yet: "takk. kan jeg spørre om en ting til?"
_MAY_ASK_MORE = re.compile(
    r"\b(?:spørre|spørje|spørja|sporre|ask)\s+(?:om\s+)?(?:en|ei|ein|eit|et|noe|noko|nokre|"
    r"noen|something|one|another|a)\s*(?:ting|spørsmål|more|thing|question)?\b", re.IGNORECASE)
# A remark after the thanks, before the question: "det var nyttig.", "that helps!"
_REMARK = re.compile(r"^[^.!?]*[.!]+\s+")


def thanks_alone(text: str) -> bool:
    """Whether ``text`` only thanks, perhaps with a word of praise ("nice takk")."""
    return bool(_THANKS_ALONE.match(text))


# A word of praise alone thanks for an answer: "flott", "så bra!", "topp det". ("ok" and
# "greit" are left out: after an offer they take it.)
_PRAISE_ALONE = re.compile(
    rf"^\W*(?:så\s+|sa\s+|so\s+|really\s+)?(?:{_PRAISE_WORDS}|flotters|perfect|kjempefint|"
    r"topp|toppers|herlig|glimrende|glimrande|strålende|fantastisk|excellent|awesome|lovely)"
    r"(?:\s+(?:det|da|då|altså|assa|asså|svar|answer))?[^\w?]*$", re.IGNORECASE)


def praise_alone(text: str) -> bool:
    """Whether ``text`` is only a word of praise ("flott", "så bra!")."""
    return bool(_PRAISE_ALONE.match(text))


def question_after_thanks(text: str) -> str | None:
    """What a message asks after the thanks it opens with ("takk! kvar søkjer eg lån
    etterpå", "takk, det var nyttig. eg har ein son på to år, kan eg få meir støtte då?"),
    or None: no thanks first, or nothing asked after them."""
    rest = _OPENING_THANKS.sub("", text, count=1)
    if rest == text:
        return None
    while (remark := _REMARK.match(rest)) and not asks_anything(remark.group(0)):
        rest = rest[remark.end():]
    if len(rest.split()) < MIN_QUESTION_WORDS or says_goodbye(rest) or _MAY_ASK_MORE.search(rest):
        return None
    return rest if "?" in rest or asks_anything(rest) else None


# Wondering asks too: "eg går i 10. og lurer på kor eg søkjer vidaregåande", "jeg lurte
# på om", "i was wondering if".
_WONDERS = re.compile(
    r"\b(?:lurer|lurar|lurte|lure|undrer|undrar|lurer\s+litt|lurte\s+litt)\s+på\s+"
    rf"(?:om|{_NORWEGIAN_QUESTION_WORDS})\b|"
    rf"\bwonder(?:ing|ed)?\s+(?:if|whether|{_ENGLISH_QUESTION_WORDS})\b", re.IGNORECASE)


def asks(text: str) -> bool:
    """A question word opens a sentence or clause of ``text`` (no question mark needed),
    or the person says they wonder."""
    return bool(_ASKS.search(text) or _WONDERS.search(text))


def says_farewell(text: str) -> bool:
    return bool(_FAREWELL.search(text))


def says_goodbye(text: str) -> bool:
    """``text`` takes leave in so many words, more than thanks for the help."""
    return bool(_GOODBYE.search(text))


def ends_with_farewell(text: str) -> bool:
    """``text`` ends by taking leave and asks nothing: a remark before a goodbye."""
    return bool(_ENDS_WITH_FAREWELL.search(text)) and "?" not in text and not asks(text)


# "no i dont want to talk to anyone i just want info", "vil ikkje prate med nokon": the
# words of a wish for a counsellor, turned down. Not "I don't want to talk to a bot".
_TURNS_DOWN_A_PERSON = re.compile(
    r"\b(?:vil|ønsker|ønskjer|trenger|treng|orker|orkar)\s+(?:ikke|ikkje|ikkj|itj|ik)\s+(?:å\s+)?"
    r"(?:snakke|snakka|prate|prata|chatte|skrive)\s+med\s+(?:noen|nokon|en\s+(?:veileder|rådgiver|"
    r"person)|ein\s+(?:rettleiar|rådgivar|person)|et\s+menneske|eit\s+menneske|folk)\b|"
    r"\b(?:don'?t|dont|do\s+not)\s+(?:want|need|wanna)\s+(?:to\s+)?(?:talk|speak|chat)\s+"
    r"(?:to|with)\s+(?:anyone|anybody|someone|somebody|a\s+(?:person|human|counsellor|counselor|"
    r"advisor|adviser))\b|"
    # No, and someone else instead: "nei, vi tar det med rådgiveren på skolen først"
    r"^\W*(?:nei|næ|nope|no|nah)\b.{0,60}?(?:\bskolerådgiver\w*|\bskulerådgjevar\w*|"
    r"\bschool\s+(?:counsell?or|advis[eo]r)|\b(?:rådgiver\w*|rådgivar\w*|rådgjevar\w*|"
    r"veileder\w*|rettleiar\w*|counsell?or\w*|advis[eo]r\w*|lærer(?:en)?|læraren|teacher)\s+"
    r"(?:på|at|i)\s+(?:the\s+|my\s+|her\s+|his\s+|our\s+)?(?:skolen|skulen|school))\b",
    re.IGNORECASE)

# Asking to be put in touch with a counsellor in so many words: a verb of talking or
# contact, then a counsellor or a person ("can you connect me with an adviser", "kan eg
# få prate med eit ekte menneske"). "hva kan en veileder hjelpe med" asks no contact.
# (In compounds too: "karriereveileder", "studierettleiar".)
_A_PERSON = (r"(?:\w*veileder\w*|\w*rettleiar\w*|\w*rådgiver\w*|\w*rådgivar\w*|"
             r"\w*rådgjevar\w*|\w*counsell?or\w*|advis[eo]r\w*|menneske\w*|human|"
             r"(?:ekte|real|verkeleg|virkelig)\s+person)")
# Talking with someone, in Norwegian and in English (also bot/shared/language.py).
TALK_VERBS = r"(?:snakke|snakka|prate|prata|chatte|talk|speak|chat)"
_REACH_A_COUNSELLOR = re.compile(
    rf"\b(?:{TALK_VERBS}|kontakt|touch|connect|samtale|samtala|conversation)\w*\b"
    rf".{{0,40}}?\b{_A_PERSON}|"
    # the person first: "is there a human i can chat with about …"
    rf"\b{_A_PERSON}\s+(?:that\s+|who\s+|som\s+)?(?:i|we|jeg|eg|vi|me)\s+(?:can|could|kan)\s+"
    rf"{TALK_VERBS}\b|"
    # someone, not named further: "can i talk to someone who actually knows stuff" (the
    # fallback)
    rf"\b{TALK_VERBS}\w*\s+(?:med|with|to)\s+(?:noen|nokon|nån|someone|somebody|anyone|"
    r"anybody)\b|"
    # put through, no person named: "ok let's do it, connect me please" (0.72 a yes),
    # "kan jeg bli satt over nå da" (the fallback)
    r"\b(?:connect\s+me|put\s+me\s+through|transfer\s+me|koble\s+meg|kople\s+meg|"
    r"sett\s+meg\s+over|set\s+meg\s+over|setje\s+meg\s+over|sette\s+meg\s+over|"
    r"bli\s+(?:satt|sett)\s+over|overføre\s+meg|bli\s+overført)\b", re.IGNORECASE)


# Someone to talk to, or help, named in any words: a wish for a person names one.
_SOMEONE = re.compile(
    rf"\b{_A_PERSON}|\b{TALK_VERBS}\w*|\b(?:snakk\w*|prat\w*|noen|nokon|nokre|nån|nåen|"
    r"someone|somebody|anyone|"
    r"anybody|person\w*|folk|people|ekte|real|live|help\w*|hjelp\w*|kontakt\w*|contact\w*|"
    r"ring\w*|call\w*|telefon\w*|phone\w*|connect\w*|koble|kople|transfer|overføre|"
    r"human\w*|bot|robot|veiled\w*|rettleiing\w*|guidance|counsel\w*|advice|råd)\b",
    re.IGNORECASE)


def names_someone_to_talk_to(text: str) -> bool:
    """Whether ``text`` names a person, someone, talking or help in any words: none of
    the 119 wishes for a person in the training and held-out data lacks one."""
    return bool(_SOMEONE.search(text))


def turns_down_a_person(text: str) -> bool:
    """The words of a wish for a counsellor, turned down: "no i dont want to talk to anyone
    i just want info"."""
    return bool(_TURNS_DOWN_A_PERSON.search(text))


def asks_to_reach_a_counsellor(text: str) -> bool:
    """Asks in so many words to talk to a counsellor or a person, or for their help, and
    does not turn one down."""
    return bool(_REACH_A_COUNSELLOR.search(text) or asks_help_from_a_person(text)) \
        and not turns_down_a_person(text)


# Help from a person, asked for: "kan æ få hjelp av nån?", "kan jeg få hjelp av en
# veileder?" (0.68 and 0.56 what counsellors help with), "can I get help from an actual
# person?". Not what help one gets: "hva kan jeg få hjelp av en veileder til?".
_HELP_FROM_A_PERSON = re.compile(
    r"\b(?:få|fa|get|have)\s+(?:litt\s+|noe\s+|noko\s+|some\s+)?(?:hjelp|help)\s+"
    r"(?:av|fr[aå]|from)\s+(?:en\s+|ein\s+|ei\s+|et\s+|eit\s+|a\s+|an\s+)?"
    r"(?:(?:ekte|real|actual|verkeleg|virkelig)\s+)?"
    rf"(?:{_A_PERSON}|noen|nokon|nån|nåen|someone|somebody|anyone|anybody|person)\b",
    re.IGNORECASE)
_WHAT_HELP = re.compile(r"\b(?:hva|kva|ka|what|which|hvilke\w*|kvilke\w*|hvordan|korleis|how)\b",
                        re.IGNORECASE)


def asks_help_from_a_person(text: str) -> bool:
    """Whether ``text`` asks for help from a counsellor or someone, not what help they give."""
    for match in _HELP_FROM_A_PERSON.finditer(text):
        clause = re.split(r"[.!?]", text[:match.start()])[-1]
        if not _WHAT_HELP.search(clause):
            return True
    return False


# A yes that welcomes an offer rather than says how one is: "ja takk", "ja, gjerne", "yes
# please", "det hadde eg sett pris på". People looking for guidance, asked how they were
# after a long story, answered so expecting a counsellor; a person who is hurting answers
# the plainer question with a yes.
_WELCOMES_AN_OFFER = re.compile(
    r"^\W*(?:(?:ja|jo|jepp|ok|okei|yes|yeah|yep|sure)\W+)?(?:(?:takk|tack|gjerne|please|pls|thanks|"
    r"thank\s+you|ty)(?:\s+(?:det|skal\s+du\s+ha|så\s+mye|så\s+mykje|very\s+much|a\s+lot))?|"
    r"(?:det\s+)?(?:hadde|vil|ville)\s+(?:jeg|eg|æ|e)\s+(?:gjerne|satt\s+pris\s+på|sett\s+pris\s+på)|"
    r"that\s+would\s+be\s+(?:great|nice|good|lovely)|sounds\s+good)"
    r"(?:\W+(?:takk|gjerne|please|thanks))?\W*$", re.IGNORECASE)


def welcomes_an_offer(text: str) -> bool:
    return bool(_WELCOMES_AN_OFFER.match(text.strip()))


# A correction of what was asked: "nei, eg meinte for dei som søkjer individuell vurdering",
# "nei jeg spurte ikke om lærling", "that's not what I asked", "no, for spring semester"
# (the last two said after an answer that missed). "no, for now" names no thing.
_CORRECTION_MARKER = re.compile(
    r"\b(?:mente|meinte|meint|meant|i\s+mean|feil\s+av\s+(?:meg|mæ)|"
    r"(?:spurte|spurde|spurt)\s+(?:ikke|ikkje)\s+om|(?:didn'?t|did\s+not)\s+ask(?:\s+about)?|"
    r"not\s+what\s+i\s+(?:asked|meant|said)|"
    # "det var ikkje det eg spurde om"
    r"(?:ikke|ikkje)\s+det\s+(?:jeg|eg|e|æ)\s+(?:spurte|spurde|mente|meinte)(?:\s+om)?)\b",
    re.IGNORECASE)
_NO_FOR_SOMETHING = re.compile(
    r"^\W*(?:nei|no|nope)\b[\s,.!]+(?:for|about)\s+"
    r"(?!(?:nå|no|now|meg|me|det|that|it|deg|you|dykk|dere|today|i\s+dag)\b)\w+",
    re.IGNORECASE)
# Words that name nothing after a correction: "nei, jeg mente ikke det".
_NAMES_NOTHING = frozenset({"ikke", "ikkje", "itj", "det", "dette", "den", "that", "it", "this",
                            "not", "so", "sånn", "slik", "da", "då", "lol", "haha", "heller"})


def says_what_was_meant(text: str) -> bool:
    """Whether ``text`` corrects the question before rather than answering with a no."""
    text = text.strip()
    return bool(_CORRECTION_MARKER.search(text) or _NO_FOR_SOMETHING.search(text))


def names_what_was_meant(text: str) -> bool:
    """Whether a correction names something: "nei, ikkje kurs, eg meinte fagskule", "no,
    for spring semester"; not "nope, that's not what I meant", a no as any other."""
    text = text.strip()
    if _NO_FOR_SOMETHING.search(text):
        return True
    found = list(_CORRECTION_MARKER.finditer(text))
    after = re.findall(r"[^\W\d_]+|\d+", text[found[-1].end():]) if found else []
    return any(word.lower() not in _NAMES_NOTHING for word in after)


_MEANT = re.compile(r"\b(?:mente|meinte|meint|meant|mean)\b[\s,:]*(?:(?:bare|berre|just|"
                    r"egentlig|eigentleg|really|actually)\b[\s,]*)?", re.IGNORECASE)


def what_was_meant(text: str) -> str | None:
    """What a correction says was meant, after its "I meant": "fagskule" of "nei, ikkje
    kurs, eg meinte fagskule"; None when it says no such thing."""
    found = list(_MEANT.finditer(text))
    meant = text[found[-1].end():].strip(" .,!?") if found else ""
    return meant or None


# Whether one must say who one is: "må jeg oppgi navn eller personnummer for å snakke med
# en veileder", "do i have to give my name to talk to someone" (read as a wish for a
# person, 1.0): the service is anonymous, which its answer on that says.
_WHO_ONE_IS_ASKED = re.compile(
    r"\b(?:må|trenger|treng|trengs|skal|need|have\s+to|must|should|do\s+you\s+need)\s+"
    r"(?:(?:jeg|eg|æ|e|man|ein|en|i|you|one|dere|dykk)\s+)?(?:to\s+)?(?:å\s+)?"
    r"(?:oppgi|oppgje|gi|gje|si|seie|skrive|skriva|vise|give|tell|provide|share|enter|show)\s+"
    r"(?:(?:dere|dykk|you|them|dei|de)\s+)?(?:(?:mitt|my|the)\s+)?"
    r"(?:(?:fulle\s+|full\s+|real\s+|ekte\s+)?(?:navn\w*|namn\w*|name)|personnumm\w*|"
    r"fødselsnumm\w*|fodselsnumm\w*|hvem\s+jeg\s+er|kven\s+eg\s+er|who\s+i\s+am)",
    re.IGNORECASE)


def asks_if_one_must_say_who_one_is(text: str) -> bool:
    return bool(_WHO_ONE_IS_ASKED.search(text))


# A yes/no question puts the verb before its subject, and people leave out the question
# mark: "koster det noe", "må jeg betale noe", "varer det lenge". Greetings and answers
# before a pronoun ("hei jeg ...", "ok du") are not verbs, nor thanks and wishes ("Thank
# you, have nice day" was asked what it meant). English "i" only after an auxiliary: the
# Norwegian preposition "i" follows any verb ("lagre i kontakter").
_VERB_FIRST = re.compile(
    r"^(?!(hei|hallo|heisann|takk|tusen|ok|okei|ja|nei|jo|hi|hello|hey|thanks|thank|bless|"
    r"see|yes|no|so|men|og|and|but)\b)[^\W\d_]+ (det|jeg|eg|æ|du|man|me|vi|dere|de|dei|han|hun|ho|"
    # someone as the subject: "ok and can someone help me with my CV …" (taken for an
    # occupation told after recognition)
    r"it|you|we|they|he|she|someone|somebody|anyone|anybody|noen|nokon)\b|"
    r"^(should|would|could|can|will|shall|may|might|must|have|am|was|were|need|do|did)\s+i\b",
    re.IGNORECASE)
# A question may open with a word that ties it to the one before: "and after that can i
# get fagbrev as electrician" (taken for a trade told after recognition), "men må eg".
# Not Norwegian "så", "da", "etterpå": a statement puts its verb first after them too
# ("og så jobber jeg i butikk").
_TIED_ON = re.compile(
    r"^(?:(?:and|og|men|but|so|ok|okay|okei)\b[\s,]*)+"
    r"(?:(?:after\s+that|then|also)\b[\s,]*)?", re.IGNORECASE)


def asks_yes_or_no(text: str) -> bool:
    """Whether ``text`` opens as a yes/no question, its verb before the subject."""
    text = text.strip()
    return bool(_VERB_FIRST.match(text) or _VERB_FIRST.match(_TIED_ON.sub("", text, count=1)))


def asks_anything(text: str) -> bool:
    """Whether ``text`` asks, by a question word or as a yes/no question (no question
    mark needed)."""
    return asks(text) or asks_yes_or_no(text)


# Whether a person or a machine answers: "is this a real person?", "am i talking to a
# bot?", "er dette et ekte menneske?", "snakkar eg med ein robot?". A question about the
# service, not a wish for a counsellor, unless a wish is said too.
_WHO_ANSWERS = re.compile(
    # "who's on the chat, are they real counsellors?" (handed over)
    r"\bare\s+(?:they|the\s+counsell?ors|the\s+advisers)\s+(?:real|actual)\s+(?:people|persons|"
    r"humans|counsell?ors|advisers)\b|\bwho'?s\s+on\s+the\s+(?:chat|other\s+end)\b|"
    # "is this chat a real person or a bot" (handed over)
    r"\b(?:is\s+(?:this|it|that)(?:\s+chat|\s+service)?|are\s+you|"
    r"am\s+i\s+(?:talking|chatting|speaking|writing)\s+(?:to|with))\s+(?:an?\s+)?(?:real\s+|actual\s+|live\s+)?(?:person|human|bot|robot|machine|"
    r"chatbot|ai|computer)\b|"
    r"\b(?:er|e)\s+(?:dette|det|du|denne\s+chatten|chatten)\s+(?:en\s+|ein\s+|et\s+|eit\s+)?(?:ekte\s+|verkeleg\s+|"
    r"virkelig\s+)?(?:person|menneske|robot|bot|maskin|chatbot|datamaskin)\b|"
    r"\b(?:snakker|snakkar|prater|pratar|chatter|chattar|skriver|skriv)\s+(?:jeg|eg|æ|e)\s+"
    r"med\s+(?:en\s+|ein\s+|et\s+|eit\s+)?(?:ekte\s+|verkeleg\s+|virkelig\s+)?(?:person|"
    r"menneske|robot|bot|maskin|chatbot|datamaskin)\b", re.IGNORECASE)
_WISH = re.compile(
    r"\b(?:vil|ønsk\w*|want|wanna|need|trenger|treng|please|gjerne|kan\s+(?:jeg|eg)\s+få|"
    r"can\s+i|could\s+i)\b|"
    # "er det en ekte person jeg kan prate med akkurat nå?": someone to talk to, wished for
    r"\b(?:jeg|eg|æ|e|i)\s+(?:kan|kunne|får|can|could)\s+(?:prate|prata|snakke|snakka|"
    r"snakk|chatte|chatta|skrive|talk|speak|chat)\b", re.IGNORECASE)


def asks_who_answers(text: str) -> bool:
    """Whether ``text`` asks if a person or a machine answers, and wishes for no one."""
    return bool(_WHO_ANSWERS.search(text)) and not _WISH.search(text)


# Whether something counts or is enough, for what was just answered: "eg har jobba 4 år
# på restaurant, held det?" after becoming a praksiskandidat, "teller barnehagejobben som
# arbeidserfaring?" after the 23/5 rule, "does my summer job count?". The answer before
# holds the requirements; whether they are met is for a counsellor to say.
_ASKS_IF_IT_COUNTS = re.compile(
    r"\b(holder|held|holde|rekker|rekk)\s+(det|dette|den|denne)\b|"
    r"\ber\s+(det|dette|den|denne)\s+(godt\s+)?nok\s*(\?|$|da\b|med\b)|"
    r"\b(teller|tel|telje|regnes|reknast)\s+(det|dette|den|denne|\w+\s+som)\b|"
    r"^(teller|tel|telle|regnes|reknast)\b|"
    r"\b(is|was|would|will)\s+(that|it|this)\s+(be\s+)?enough\b|"
    r"\b(does|do|would|will)\s+(that|it|this|\w+|(my|the|his|her|our|an?)(\s+\w+){1,4})\s+"
    r"(count|qualify)\b|"
    # "if I did my conscription in the army, is that included in the work experience part?"
    # after the 23/5 rule (0.78 prior learning)
    r"\b(is|are|was|would)\s+(that|it|this|they|those)\s+(be\s+)?(included|counted)\b|"
    r"\b(blir|vert|er)\s+(det|dette|den|denne)\s+(regnet|rekna|tatt|teke|teken)\s+med\b|"
    # whether a circumstance told matters there: "jeg tjener litt ved siden av, gjør det
    # noe?" after the grant (read as pay and prospects)
    r"\b(gjør|gjer|gjør)\s+(det|dette)\s+(noe|noko|nåke|noka)\b|"
    r"\bhar\s+(det|dette)\s+(noe|noko|nåke)\s+å\s+(si|seie|sei|seia)\b|"
    r"\b(spiller|spelar|speler)\s+(det|dette)\s+(noen\s+|nokon\s+)?rolle\b|"
    r"\b(does|would|will|could)\s+(that|it|this)\s+matter\b",
    re.IGNORECASE)


def asks_if_it_counts(text: str) -> bool:
    return bool(_ASKS_IF_IT_COUNTS.search(text))
