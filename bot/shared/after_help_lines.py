"""What a person writes right after the help lines, when it is about reaching them.

"kan jeg ringe noen nå? klokka er over 12 på natta" right after the help lines asks
whether they answer now, not when the counsellors' chat is open; "jeg vet ikke om jeg tør
å ringe" is fear of calling, and the ways to write instead answer it; "ok. jeg ringer
sammen med henne nå. takk" says they will call, which is met with that, not with a
counsellor's hours. All are read by the crisis-first policy (bot/server/crisis_first.py),
whatever the classifier made of them.
"""

from __future__ import annotations

import re

from bot.shared.crisis import normalise, tolerant

_I = r"(?:jeg|eg|e|æ|i|je)"
_NOT = r"(?:ikke|ikkje|ikkj|ik|itj|ikk|ække)"
_CALL = r"(?:ringe|ringje|ringa|ring|call|phone)"
_SOMEONE = r"(?:noen|nokon|nån|nåen|non|someone|somebody|anyone|anybody|them|dem|dei|de)"
_NOW = r"(?:nå|no|nu|now|i\s+natt|i\s+kveld|tonight|right\s+now)"

# "nei eg vil ikkje ringje nokon", "i dont want to talk to anyone", "vet ikke om jeg tør å
# ringe", "too scared to call": calling is too much, not an answer that all is well.
_REFUSES_HELP = re.compile(tolerant(
    r"\b(?:vil|orker|orkar|gidder|klarer|klarar|tør|tørr|kan)\s+" + _NOT + r"\s+(?:å\s+)?"
    r"(?:ringe|ringje|ringa|snakke|snakka|prate|prata|kontakte|kontakta)\b|"
    r"\b(?:vet|veit|vett)\s+" + _NOT + r"\s+om\s+" + _I + r"\s+(?:tør|tørr|klarer|klarar|"
    r"orker|orkar|får\s+til)\s+(?:å\s+)?(?:ringe|ringje|ringa|snakke|snakka|prate|prata)\b|"
    r"\b(?:redd|livredd|engstelig)\s+for\s+å\s+(?:ringe|ringje|ringa|snakke|snakka)\b|"
    r"\b(?:don'?t|dont|do\s+not|won'?t|wont|can'?t|cant|not\s+going\s+to)\s+"
    r"(?:want\s+to\s+|wanna\s+|dare\s+(?:to\s+)?)?(?:call|phone|ring|talk|speak|contact)\b|"
    r"\b(?:scared|afraid|too\s+scared|too\s+afraid|frightened|not\s+sure\s+i\s+can)\s+"
    r"(?:to\s+|of\s+)?(?:call|calling|phone|phoning|ring|ringing|talk|talking)\b"),
    re.IGNORECASE)

# "kan jeg ringe noen nå?", "hvem kan jeg ringe midt på natta", "er de åpne nå?", "is
# anyone awake at this hour", "klokka er over 12": whether anyone answers now.
_WHO_ANSWERS_NOW = re.compile(tolerant(
    r"\bkan\s+" + _I + r"\s+" + _CALL + r"\s+(?:til\s+)?" + _SOMEONE + r"\b|"
    r"\b(?:hvem|kven|kem|kæm|ka|kva|hva)\s+(?:kan|ska|skal)\s+" + _I + r"\s+" + _CALL + r"\b|"
    r"\b(?:er|e|svarer|svarar)\s+(?:det\s+)?" + _SOMEONE + r"\s+(?:som\s+(?:er\s+|e\s+)?)?"
    r"(?:våken|vaken|oppe|der|åpne?|opne?|ope|åpent|svarer|svarar|på\s+jobb)\b|"
    r"\b(?:er|e)\s+(?:de|dei|dem|dere|dokker|det)\s+(?:åpne?|opne?|ope|åpent)\s+" + _NOW + r"\b|"
    r"\b(?:klokka|klokken|klokkå)\s+(?:er\s+)?(?:over|etter|nesten|snart|halv|kvart|\d)|"
    r"\bmidt\s+på\s+natt(?:a|en)?\b|"
    r"\b(?:can|could|may)\s+i\s+" + _CALL + r"\s+(?:them\s+|someone\s+|anyone\s+)?(?:now|tonight|"
    r"at\s+night|this\s+late)\b|"
    r"\bcan\s+i\s+call\s+(?:someone|anyone|somebody|anybody)\b|"
    r"\bwho\s+(?:can|could|should)\s+i\s+(?:call|phone|ring)\b|"
    r"\b(?:is|are)\s+(?:anyone|someone|anybody|somebody|they)\s+(?:awake|there|available|open|"
    r"answering)\b|"
    r"\b(?:past|after)\s+midnight\b|\bmiddle\s+of\s+the\s+night\b|\b\d\s*(?:am|a\.m\.)\b"),
    re.IGNORECASE)


def refuses_help(text: str) -> bool:
    """Whether a typed answer turns down calling or talking to someone, or fears it."""
    return bool(_REFUSES_HELP.search(normalise(text)))


def asks_who_answers_now(text: str) -> bool:
    """Whether ``text`` asks whether someone can be called or reached now."""
    return bool(_WHO_ANSWERS_NOW.search(normalise(text)))


# "ok. jeg ringer sammen med henne nå", "då ringjer eg dei", "ok i'll call them now": the
# person says they will call. Not a question ("skal jeg ringe?", "kan eg ringje no"), not
# a refusal ("jeg ringer ikke").
_WILL_CALL = re.compile(
    # (the look-behinds outside ``tolerant``, which widens "å" beyond a fixed width)
    r"(?<!\bkan\s)(?<!\bskal\s)(?<!\bska\s)(?<!\bb[øo]r\s)(?<!\bm[åa]\s)(?<!\bburde\s)"
    + tolerant(
    r"\b(?:jeg|eg|e|æ|je|vi|me)\s+(?:skal\s+|ska\s+)?(?:ringer|ringjer|ringar|ringe|"
    r"ringje|ringa)\b(?!\s+" + _NOT + r"\b)|"
    r"\b(?:ringer|ringjer|ringar)\s+(?:jeg|eg|æ|e|vi|me)\b(?!\s+" + _NOT + r"\b)|"
    r"\b(?:i|we)(?:'ll|\s+will|'m\s+going\s+to|\s+am\s+going\s+to|'re\s+going\s+to|m\s+gonna|"
    r"'m\s+gonna|\s+am\s+gonna)\s+(?:call|phone|ring)\b|\b(?:calling|phoning)\s+(?:them|now)\b"),
    re.IGNORECASE)


def says_they_will_call(text: str) -> bool:
    """Whether ``text`` says the person will call (the help lines), asking nothing."""
    return "?" not in text and bool(_WILL_CALL.search(normalise(text)))
