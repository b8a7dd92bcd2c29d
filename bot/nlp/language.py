"""Tell which written language a person used: Bokmål, Nynorsk or English.

Public bodies answer Nynorsk with Nynorsk (språklova), so the bot must notice it. This is
a deliberately simple detector: it counts words that mark one written standard and not
the others. Short messages such as "hei" or "ok" mark nothing; then we return ``None``
and the conversation keeps the language it already had.
"""

from __future__ import annotations

import re

BOKMAAL = "nb"
NYNORSK = "nn"
ENGLISH = "en"
LANGUAGES = (BOKMAAL, NYNORSK, ENGLISH)
DEFAULT_LANGUAGE = BOKMAAL

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

# A word shared by two standards counts for neither; only what tells them apart counts.
_SHARED = (_MARKERS[BOKMAAL] & _MARKERS[NYNORSK]) | (
    (_MARKERS[BOKMAAL] | _MARKERS[NYNORSK]) & _MARKERS[ENGLISH]
)
_DISTINCT = {lang: words - _SHARED for lang, words in _MARKERS.items()}

_WORD = re.compile(r"[a-zæøåáčđŋšŧž]+", re.IGNORECASE)


def marker_counts(text: str) -> dict[str, int]:
    """How many words in ``text`` mark each written language."""
    words = _WORD.findall(text.lower())
    return {lang: sum(word in markers for word in words) for lang, markers in _DISTINCT.items()}


def detect_language(text: str) -> str | None:
    """The written language of ``text``, or ``None`` when the text does not tell."""
    if text.startswith("/"):
        return None  # a button payload such as "/ask_student_finance_deadline"
    counts = marker_counts(text)
    best = max(counts.values())
    if best == 0:
        return None
    leaders = [lang for lang, count in counts.items() if count == best]
    return leaders[0] if len(leaders) == 1 else None
