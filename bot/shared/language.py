"""Tell which written language a person used: Bokmål, Nynorsk, English or Northern Sami.

Public bodies answer Nynorsk with Nynorsk (språklova), so the bot must notice it. This is
a deliberately simple detector: it counts words that mark one written standard and not
the others. Short messages such as "hei" or "ok" mark nothing; then we return ``None``
and the conversation keeps the language it already had.

Northern Sami is recognised by its own words and letters (á č đ ŋ š ŧ ž). The bot has no
Sami answers of its own: a Sami message is greeted in Sami and handed to a counsellor.
Sami place names ("Kárášjohka") in a Norwegian message do not make it Sami.
"""

from __future__ import annotations

import re

from bot.shared.asking import TALK_VERBS

# What a keyboard without æ, ø and å types in their place: "laerer" or "larer",
# "sjafor", "rorlegger" (the occupations' names and the crisis patterns read them so).
TYPED_WITHOUT: dict[str, tuple[str, ...]] = {"æ": ("ae", "a", "e"), "ø": ("oe", "o"),
                                             "å": ("aa", "a")}

BOKMAAL = "nb"
NYNORSK = "nn"
ENGLISH = "en"
SAMI = "se"
# The languages the bot writes its answers in.
LANGUAGES = (BOKMAAL, NYNORSK, ENGLISH)
DEFAULT_LANGUAGE = BOKMAAL


def answer_language(language: str | None) -> str:
    """The language to answer in: the person's if the bot writes it, else Bokmål (Sami)."""
    return language if language in LANGUAGES else BOKMAAL

# Words that occur in one written language only (or nearly so). Shared words such as
# "er", "og", "på", "kan", "søknad" are left out on purpose, and so are English words
# that are also Norwegian ("i", "to", "for", "me", "do").
_MARKERS: dict[str, frozenset[str]] = {
    BOKMAAL: frozenset(
        """
        ikke jeg hva hvordan hvorfor hvem hvor hvilken hvilke hvilket fra hun de
        dere deres en ett et bare noe noen mye være vært høyere høyskole høyskolen
        skole skolen skoler søke søker søkte videregående hjelp hjelpe trenger kommer
        gjør sier disse selv hjemme ennå mange mellom uten etter også hei hallo takk
        tusen utdanningen fristen søknaden meg deg seg min mitt mine din ditt dine
        blir ble vil skal kunne må ønsker jobb jobben studere lån stipend
        morgen tjeneste tjenesten tjenester veileder veilederen veiledning
        """.split()
    ),
    NYNORSK: frozenset(
        """
        ikkje eg kva korleis kvifor kven kor kvar frå ho dei dykk dykkar ein
        eitt eit berre noko nokon mykje vere vore høgare høgskule høgskulen skule
        skulen skular søkje søkjer søkte vidaregåande hjelp treng kjem gjer seier
        desse sjølv heime enno mange mellom utan etter òg hei takk tusen utdanninga
        fristen søknaden meg deg seg min mitt mine din ditt dine vert vart blir vil
        skal kunne må ønskjer jobb jobben studere lån stipend kjem korleis mogleg
        morgon teneste tenesta tenester rettleiar rettleiaren rettleiing
        """.split()
    ),
    ENGLISH: frozenset(
        """
        the is are am how what when where which who why do does did can could would
        should you my your we our they of and in on with about apply
        applying application deadline deadlines student loan loans grant school
        university college study studying job work hello hi hey thanks thank please
        bye goodbye want need help get choose choices many much it this that
        """.split()
    ),
}

_SAMI_MARKERS = frozenset(
    """
    bures buorre boahtin beaivi iđit eahket giitu ollu mun leat lea ledje dát dán mu su
    sáhtán sáhtát sáhttá sáhttet háliidan háliidit háliidivččen diehtit dieđát oahppat
    oahpu oahppu oahpposadji bargu barggu bargat bargguid ohcat ohcan ohcamis skuvla
    skuvllas skuvlii joatkkaskuvla joatkkaskuvllas allaskuvla allaskuvllas universitehta
    gos goas movt makkár gii veahkehit veahkki veahket veahkkin karriearabagadallan
    karriearabagadalli karriearaguovddáš karriearaguovddážis bagadallan bagadalli
    sámegiella sámegillii sámegielat davvisámegiella ruđat ruđa doarjja váldit juo eai dahje
    mana dearvan dearvvan dearvvuođat oaidnaleapmái
    """.split()
)
_SAMI_LETTERS = re.compile(r"[áčđŋšŧž]")

# A word shared by two standards counts for neither; only what tells them apart counts.
_SHARED = (_MARKERS[BOKMAAL] & _MARKERS[NYNORSK]) | (
    (_MARKERS[BOKMAAL] | _MARKERS[NYNORSK]) & _MARKERS[ENGLISH]
)
_DISTINCT = {lang: words - _SHARED for lang, words in _MARKERS.items()}

# A hyphenated word is one word: the "en" of "cv-en" or "ID-en" is the ending both
# Bokmål and Nynorsk give an abbreviation, not Bokmål's article.
_WORD = re.compile(r"[a-zæøåáčđŋšŧžéèêóòô]+(?:-[a-zæøåáčđŋšŧžéèêóòô]+)*", re.IGNORECASE)
# Norwegian words written with an accent that are not Sami.
_NORDIC_WITH_ACCENT = frozenset({"på", "då", "fá", "kafé", "idé", "allé", "én", "ér"})


_FUNCTION_WORDS = frozenset().union(*_MARKERS.values())


def is_function_word(word: str) -> bool:
    """Whether ``word`` is one of the common words that tell the languages apart ("hvordan",
    "korleis", "which", "mange"), which say nothing of a topic."""
    return word.lower() in _FUNCTION_WORDS


def marker_counts(text: str) -> dict[str, int]:
    """How many words in ``text`` mark each written language."""
    words = _WORD.findall(text.lower())
    return {lang: sum(word in markers for word in words) for lang, markers in _DISTINCT.items()}


def sami_score(text: str) -> int:
    """Words that are Northern Sami: known Sami words, or words with Sami letters.

    Place names are not counted: "karrieresenter i Kárášjohka" is Bokmål.
    """
    from bot.shared.places import county_of  # the gazetteer reads YAML; only load it when asked

    score = 0
    for word in _WORD.findall(text.lower()):
        if county_of(word) is not None:
            continue
        sami_letters = _SAMI_LETTERS.search(word) and word not in _NORDIC_WITH_ACCENT
        if word in _SAMI_MARKERS or sami_letters:
            score += 1
    return score


def detect_language(text: str) -> str | None:
    """The written language of ``text``, or ``None`` when the text does not tell."""
    if text.startswith("/"):
        return None  # a button payload such as "/ask_student_finance_deadline"
    counts = marker_counts(text)
    sami = sami_score(text)
    if sami and sami >= max(counts.values()):
        return SAMI
    best = max(counts.values())
    if best == 0:
        return None
    leaders = [lang for lang, count in counts.items() if count == best]
    return leaders[0] if len(leaders) == 1 else None


# Asking for the answers in another language: "can you explain that in english?", "kan du
# skrive på nynorsk?", "english please", "snakker du engelsk?". The language named decides,
# not the one the request is written in. Talking *to someone* in a language asks for a
# person ("can she talk to a counsellor in english?"), not for this answer again.
_NAMED_LANGUAGE = r"(?P<language>english|engelsk|nynorsk|norwegian|norsk|bokmål|bokmal)"
_LANGUAGE_OF_THE_NAME = {"english": ENGLISH, "engelsk": ENGLISH, "nynorsk": NYNORSK}
_IN_A_LANGUAGE = re.compile(rf"\b(?:in|på|pa|til|into|on)\s+{_NAMED_LANGUAGE}\b", re.IGNORECASE)
# Asked of the bot, not said of oneself: "any tips to find a job when you dont speak
# norwegian yet" asks for no Norwegian (it got a Norwegian answer).
_SPEAKS_A_LANGUAGE = re.compile(
    r"\b(?:(?:do|can|could|will)\s+(?:you|u)\s+(?:speak|understand|talk)|"
    r"(?:snakker|snakkar|prater|pratar|forstår|skjønner|skjønar)\s+(?:du|dere|de|dykk)|"
    r"(?:kan|kunne)\s+(?:du|dere|de|dykk)\s+(?:snakke|snakka|prate|prata|forstå|skrive))\s+"
    rf"{_NAMED_LANGUAGE}\b", re.IGNORECASE)
# Said to the bot: "can you …", "kan du …", an imperative first, or "please"; "kan jeg
# skrive søknaden på engelsk?" asks about the application.
_ASKS_THE_BOT = re.compile(
    r"\b(?:can|could|would|will)\s+(?:you|u)\b|\b(?:kan|kunne|vil|gidder)\s+(?:du|dere|de|dykk)\b|"
    r"^\W*(?:(?:sorry|ok|please|pls)\W+)?(?:explain|say|write|answer|reply|translate|repeat|"
    r"forklar|skriv|svar|oversett|omset|si|sei)\b|\b(?:please|pls|plz)\b", re.IGNORECASE)
_TO_SOMEONE = re.compile(rf"\b{TALK_VERBS}\s+(?:to|with|med)\b", re.IGNORECASE)
# The language's name alone, perhaps with a please: "english please", "nynorsk takk".
_ONLY_A_LANGUAGE = re.compile(rf"\W*{_NAMED_LANGUAGE}\W*(?:please|pls|plz|takk)?\W*",
                              re.IGNORECASE)
MAX_WORDS_ASKING_FOR_A_LANGUAGE = 16
BARE_REQUEST_WORDS = 3


def language_asked_for(text: str) -> str | None:
    """The written language a short request asks the bot to answer in, or None."""
    words = text.split()
    if not words or len(words) > MAX_WORDS_ASKING_FOR_A_LANGUAGE or _TO_SOMEONE.search(text):
        return None
    named = _IN_A_LANGUAGE.search(text)
    if named is None or not (_ASKS_THE_BOT.search(text) or len(words) <= BARE_REQUEST_WORDS):
        named = _SPEAKS_A_LANGUAGE.search(text) or _ONLY_A_LANGUAGE.fullmatch(text)
    if named is None:
        return None
    return _LANGUAGE_OF_THE_NAME.get(named.group("language").lower(), BOKMAAL)
