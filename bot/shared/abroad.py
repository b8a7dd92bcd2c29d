"""Education from abroad, as people tell of it: where they trained, and a degree named.

Shared by the Rasa server's components (the way to an occupation is no answer for a degree
from abroad) and the action server's occupation answers (who recognises or authorises it).
"""

from __future__ import annotations

import re

# The questions about education from abroad: having it recognised, an occupation
# regulated by law, education without papers. (The way to an occupation answers none of
# them; an occupation named after one asks whether it is regulated.)
RECOGNITION_INTENT = "ask_foreign_education_recognition"
REGULATED_INTENT = "ask_regulated_profession"
RECOGNITION_QUESTIONS = frozenset({RECOGNITION_INTENT, REGULATED_INTENT,
                                   "ask_qualifications_without_papers"})

# Where people who come to Norway most often trained (SSB's largest immigrant groups and
# more), as Bokmål, Nynorsk and English write them; "utlandet" and "abroad" say it too.
_COUNTRIES = (
    r"syria|polen|poland|litauen|lithuania|latvia|estland|estonia|ukraina|ukraine|russland|"
    r"russia|somalia|eritrea|etiopia|ethiopia|sudan|afghanistan|irak|iraq|iran|pakistan|"
    r"india|bangladesh|sri lanka|nepal|myanmar|thailand|vietnam|kina|china|filippinene|"
    r"philippines|tyrkia|turkey|romania|bulgaria|ungarn|hungary|bosnia|kosovo|serbia|"
    r"kroatia|croatia|sverige|sweden|danmark|denmark|finland|island|iceland|tyskland|"
    r"germany|nederland|netherlands|belgia|belgium|frankrike|france|spania|spain|portugal|"
    r"italia|italy|hellas|greece|storbritannia|britain|england|skottland|scotland|irland|"
    r"ireland|usa|canada|brasil|brazil|chile|colombia|venezuela|cuba|mexico|nigeria|ghana|"
    r"kenya|uganda|kongo|congo|egypt|marokko|morocco|libanon|lebanon|palestina|palestine|"
    r"jordan|tsjekkia|czechia|slovakia|"
    # and where Norwegians most often go to study
    r"uk|the\s+uk|united\s+kingdom|wales|australia|new\s+zealand|japan|s[øo]r-?korea|"
    r"south\s+korea|korea|singapore|sveits|switzerland|[øo]sterrike|austria"
)
_ABROAD = re.compile(
    rf"\b(?:utland\w*|utanlands\w*|ute?nlandsk\w*|utanlandsk\w*|abroad|overseas|foreign)\b|"
    rf"\b(?:fra|frå|from|i|in)\s+(?:{_COUNTRIES})\b", re.IGNORECASE)


def educated_abroad(text: str) -> bool:
    """Whether a message says the person (or someone they write about) comes from or
    trained in another country: "kommer fra Syria", "utdanna lege i Iran", "abroad"."""
    return bool(_ABROAD.search(text))


# Going abroad to study: the word for it, or a country gone to ("studere i Polen", "a
# year in Spain"); not a country one comes from, nor "foreign" (a student from abroad).
STUDIES_ABROAD = re.compile(
    rf"\b(?:utland\w*|utanlands\w*|abroad|overseas|utveksl\w*|exchange)\b|"
    rf"\b(?:i|in|to|til)\s+(?:{_COUNTRIES})\b", re.IGNORECASE)


def names_studies_abroad(text: str) -> bool:
    """Whether a message speaks of studying abroad: "utlandet", "exchange", "i Polen"."""
    return bool(STUDIES_ABROAD.search(text))


# A degree or diploma, named as people write it.
_A_DEGREE = re.compile(
    r"\b(?:bachelor\w*|master\w*|degree|diploma|phd|doktorgrad\w*|vitnem[aå]l\w*|"
    r"utdanning\w*|utdannelse\w*|utdanninga|education|universitetsutdann\w*)\b",
    re.IGNORECASE)


def tells_of_a_degree_from_abroad(text: str) -> bool:
    """Whether a message tells of a degree or an education taken in another country:
    "I have a nursing degree from Kenya", "utdanna lege i Iran" (a degree named, and abroad)."""
    return educated_abroad(text) and bool(_A_DEGREE.search(text))
