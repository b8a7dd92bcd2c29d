"""The level of education a question is about, and the same question for another level.

A question that could be asked of any level is taken for the level the person asked about
just before, when the message does not say which. "kor mange utdanningar kan eg føre opp
på søknaden?" right after Samordna opptak's deadline is about Samordna opptak; "how many
programmes can i list there" right after upper secondary's is about upper secondary; "how
do i apply" right after a question about folk high schools is about folk high schools.
Read alone, such a message is a toss-up between the levels' intents (0.55 and 0.50 for
the other level in the seventh probe; 0.66 upper secondary's application for "how do i
apply"), so only a reading short of ``SURE`` is turned to the level of the conversation.
A follow-up that names a level ("og for fagskole?") is answered for that level
(actions/follow_ups.py) from the same tables.
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker

from actions.answer_aspects import NAMES_ANOTHER_PERSON
from actions.conversation import FALLBACK_INTENT, first_readings, previous_question, user_messages
from actions.in_context import (
    ABOUT_THE_SERVICE,
    WEAK_CAREER_READING,
    named_in_recent_messages,
    previous_answered_question,
)
from actions.occupation_answers import (
    ASKS_PAY,
    OCCUPATION_QUESTIONS,
    OCCUPATION_SLOT,
    PROSPECTS_INTENT,
    occupation_of,
)
from bot.shared.adults import ADULT_FROM_AGE, ages_in, says_an_adults_age
from bot.shared.asking import says_what_was_meant
from bot.shared.crisis import sentences
from bot.shared.knowledge import KnowledgeBase
from bot.shared.language import ENGLISH
from bot.shared.occupations import occupations

UPPER_SECONDARY = "upper_secondary"
HIGHER_EDUCATION = "higher_education"
FAGSKOLE = "fagskole"
FOLK_HIGH_SCHOOL = "folk_high_school"
ADULT = "adult"

# How people name a level, written as a keyboard without æ, ø and å writes it (the text
# is folded the same way). Checked in this order: "folkehøgskole" holds "høgskole", and
# "vocational college" holds "college".
LEVEL_WORDS: tuple[tuple[str, str], ...] = (
    (FOLK_HIGH_SCHOOL, r"folkeh[oy]+g?sk[ou]l|folk high school"),
    (FAGSKOLE, r"fagsk[ou]l|vocational (college|school)|tertiary vocational"),
    (UPPER_SECONDARY, r"vid[ae]reg[ae]+[an]+de|\bvgs\b|\bvg[123]\b|upper secondary|"
                      r"high school|secondary school"),
    (HIGHER_EDUCATION, r"h[oy]+g?[ae]?re utdann|h[oy]+g?sk[ou]l|universitet|universit|"
                       r"\buni\b|higher education|college|bachelor|master|"
                       # "sjukepleiarstudiet", Samordna opptak's "studieønske"/"studieval"
                       r"\b\w{3,}studiet\b|\bstudie(?:onsk|val)\w*|"
                       # "og fristen for å søke studier året etter?" after folk high school
                       r"\bstudi(?:er|ar|um|a|ene|et)\b|"
                       # the Police University College: "what about police then?"
                       r"\bpolice\b|\bpoliti(et)?\b|politiutdann|politistud|"
                       # studies only universities give: "what's the general deadline
                       # for medicine" (torn between the two levels' deadlines)
                       r"\bmedisin\b|\bmedicine\b|\bs[yj]u?kepleie\b|\bnursing\s+degree|"
                       r"\bpsykologi\b|\bpsychology\b|\bjuss?\b|\blaw\s+(?:school|degree)\b|"
                       r"\bengineering\b|\bingeni[øo]rutdann\w*|"
                       # "What's the application deadline for teacher training?" (0.56
                       # upper secondary's)
                       r"\bl(?:ae|a)r[ea]r?utdann\w*|\bteacher\s+(?:training|education)\b|"
                       r"\blektorutdann\w*|"
                       # the universities and university colleges by their short names: "the
                       # aviation programme at UiT has a different deadline?" (after upper
                       # secondary's deadline), "går 1. året på økonomi på BI"
                       r"\b(?:uit|uio|uib|ntnu|oslomet|nmbu|nhh|uia|usn|hvl|himolde|hiof|"
                       r"hvo|nord\s+universitet|handelsh[oy]+g?sk[ou]len)\b|\b(?:på|pa|at)\s+bi\b"),
    (ADULT, r"\bvoks(en|ne)\b|\bvaks(en|ne)\b|\bvoksenopp|\bvaksenopp|\badults?\b|grown[ -]?ups?"),
)

_LEVELS = [(level, re.compile(pattern)) for level, pattern in LEVEL_WORDS]
_ADULT_WORDS = dict(_LEVELS)[ADULT]


def fold(text: str) -> str:
    """Lower case, with æ, ø and å as people type them without a Norwegian keyboard."""
    text = text.lower()
    for letter, typed in (("æ", "ae"), ("ø", "o"), ("å", "a"), ("aa", "a")):
        text = text.replace(letter, typed)
    return text


def levels_named(text: str) -> list[str]:
    """Every level ``text`` names, in ``LEVEL_WORDS``' order; a name counts once
    ("folkehøgskole" is no "høgskole" too)."""
    folded, named = fold(text), []
    for level, pattern in _LEVELS:
        if pattern.search(folded):
            named.append(level)
            folded = pattern.sub(" ", folded)
    return _for_adults(named)


def names_upper_secondary_for_adults(text: str) -> bool:
    folded = fold(text)
    return all(pattern.search(folded) for level, pattern in _LEVELS
               if level in (UPPER_SECONDARY, ADULT))


def _for_adults(named: list[str]) -> list[str]:
    """Upper secondary named for adults is one level, the adults' ("hva med vgs for
    voksne, er det noe for meg" got a choice of upper secondary's questions)."""
    if UPPER_SECONDARY in named and ADULT in named:
        return [level for level in named if level != UPPER_SECONDARY]
    return named


# Upper secondary's, though not named: a pupil in lower secondary applies there, and
# "fortrinnsrett" and "individuell behandling" are its application's (the early deadline).
BEFORE_UPPER_SECONDARY = re.compile(
    r"\b(?:9|10)\.? ?(klasse|trinn)|\b(?:9|10)th grade|\bungdomssk[uo]len?\b|\blower secondary|"
    # "Sønnen min (15) er ferdig med 10. og søkte 3 ulike programmer"
    r"\b(?:ferdig\s+med|done\s+with|finished)\s+(?:the\s+)?10(?:\.|th\b)(?!\s*\d)|"
    r"\bfortrinnsrett\w*|\bindividuell(e)? (?:behandling|vurdering)|"
    # special language teaching, applied for by 1 February with upper secondary
    r"\bs(?:æ|ae|a)rskilt\s+spr(?:å|aa|a)kopp(?:læ|lae|la)ring|"
    r"\bspecial\s+language\s+(?:teaching|training|tuition|education|classes)|"
    # "eg e far te ein gut i 10." (not "i 10. mars")
    r"\bi 10\.(?!\s*(?:\d|jan|feb|mar|apr|mai|jun|jul|aug|sep|okt|nov|des))",
    re.IGNORECASE)
# A child of 13 to 16, in a message that names no level: "Sønnen min er 15 og vil bli
# elektriker. Når er søknadsfristen?" (0.81 Samordna opptak's), "my daughter (16)",
# "gutten vår på 14".
_A_CHILD_OF_SCHOOL_AGE = re.compile(
    r"\b(?:sønnen|sonen|sønn|son|dattera|datteren|dottera|dotter|daughter|gutten|guten|"
    r"jenta|jenten|ungen|barnet|barnebarnet|grandson|granddaughter|boy|girl|kid|child)"
    r"(?:\s+(?:min|mi|mitt|vår|vårt|vaar|my|our))?\s*(?:\(|,\s*|\s+(?:er|e|is|på|who'?s|"
    r"som\s+er|som\s+e)\s+|'s\s+)(?:1[3-6])\b(?!\s*(?:%|kr|poeng|\.\s*\d))",
    re.IGNORECASE)


def names_a_child_of_school_age(text: str) -> bool:
    return bool(_A_CHILD_OF_SCHOOL_AGE.search(text))


# Upper secondary by its names.
_UPPER_SECONDARY_NAMES = r"vg3|vgs|videregående|vidaregåande|high\s+school|upper\s+secondary"
# Higher education's, though upper secondary is named: a pupil finishing it who wants to
# study ("my daughter is finishing Vg3 and wants to study nursing", "går siste året på vgs
# og vil studere") applies through Samordna opptak next.
_FINISHING_UPPER_SECONDARY = re.compile(
    r"\b(?:finish\w*|complet\w*|graduat\w*|(?:in|doing)\s+(?:her|his|my|the)\s+last\s+year\s+"
    r"(?:of|at|in)|ferdig\s+med|fullfør\w*|går\s+(?:på\s+|i\s+)?siste\s+år(?:et)?\s+(?:på|av)|"
    rf"siste\s+år(?:et)?\s+(?:på|av))\s+(?:{_UPPER_SECONDARY_NAMES})\b|"
    # in its last year: "jeg går vg3 og lurer på … fristen til samordna"
    r"\b(?:går|gå|er|e|in|on|doing|tar|tek)\s+(?:(?:på|i|in|on)\s+)?vg\s?3\b", re.IGNORECASE)
# (applying through Samordna opptak is applying to study: "jeg går vg3 … fristen til samordna")
_TO_STUDY = re.compile(r"\b(?:study|studying|studere|studera|studer|studium|studiet|samordna)\b",
                       re.IGNORECASE)
# Having upper secondary already, and naming higher education: the level one goes to ("jeg
# har videregående fra eritrea, kan jeg søke universitet?").
# ("she has an American high school diploma …, wants to apply to a Norwegian university":
# an article and a word of where from may come between.)
_HAS_UPPER_SECONDARY = re.compile(
    r"\b(?:har|have|has|i'?ve|with|med)\s+(?:fullført\s+|fullfort\s+|tatt\s+|teke\s+|completed\s+|"
    r"finished\s+|got\s+)?(?:(?:a|an|en|ein|ei|eit|et)\s+)?(?:[^\W\d_]+\s+)?"
    rf"(?:{_UPPER_SECONDARY_NAMES}|videregaende)\b", re.IGNORECASE)


# Upper secondary named as what the person lacks: "i am 40 and have no vgs", "har ikkje
# fullført vidaregåande", "never finished high school". It is not the level asked about
# ("can i apply based on prior learning? i am 40 and have no vgs" got upper secondary's
# rights). "har ikke søkt videregående" still names it.
_LACKS_UPPER_SECONDARY = re.compile(
    rf"\b(?:(?:no|without|uten|utan|ingen)\s+(?:fullført\s+|completed\s+|finished\s+)?|"
    rf"(?:not|never|ikke|ikkje|ikkj|aldri)\s+(?:\w+\s+)?(?:fullført|fullfort|fullførte|"
    rf"finished|completed|gjennomført|tatt|teke|got|have)\s+(?:\w+\s+)?|"
    rf"(?:har|have|has|hev)\s+(?:ikke|ikkje|not|no)\s+)(?:{_UPPER_SECONDARY_NAMES}|videregaende|"
    rf"vidaregaande)\b", re.IGNORECASE)


# Upper secondary left: "dropped out of vgs in vadso years ago. can i still go to
# university?". Not the level asked about when another is named; alone ("jeg sluttet på
# videregående, hva nå?") it still is.
_LEFT_UPPER_SECONDARY = re.compile(
    r"\b(?:dropped\s+out\s+of|quit|left|droppa\s+ut\s+av|droppet\s+ut\s+av|hoppa\s+av|"
    r"hoppet\s+av|slutta\s+på|sluttet\s+på|slutta\s+i|sluttet\s+i)\s+"
    rf"(?:{_UPPER_SECONDARY_NAMES}|videregaende|vidaregaande)\b", re.IGNORECASE)


def the_one_level_named(text: str) -> str | None:
    """The level a message names when it names one only; a pupil in lower secondary
    ("går i 10. klasse") is on the way to upper secondary, one finishing upper secondary
    who wants to study to higher education, and so is one who has upper secondary and
    names higher education."""
    text = _LACKS_UPPER_SECONDARY.sub(" ", text)
    without_left = _LEFT_UPPER_SECONDARY.sub(" ", text)
    if without_left != text and levels_named(without_left):
        text = without_left
    named = levels_named(text) or ([UPPER_SECONDARY] if BEFORE_UPPER_SECONDARY.search(text)
                                   or names_a_child_of_school_age(text) else [])
    if named == [UPPER_SECONDARY] and _FINISHING_UPPER_SECONDARY.search(text) \
            and _TO_STUDY.search(text):
        return HIGHER_EDUCATION
    if set(named) == {UPPER_SECONDARY, HIGHER_EDUCATION} \
            and (_FINISHING_UPPER_SECONDARY.search(text) or _HAS_UPPER_SECONDARY.search(text)):
        return HIGHER_EDUCATION
    return named[0] if len(named) == 1 else None


_NAMES_STUDENT_FINANCE = re.compile(
    r"l[aå]+nekass|studiel[aå]+n|stipend|studiest[oø]tte|student (loan|finance)|"
    r"l[aå]+ne?s[oø]knad|loan application|"
    # a loan alone: "fått studieplass på HVL i Førde. Når må eg søkje lån?"
    r"\bl[aå]+n(?:et|a)?\b|\bloans?\b",
    re.IGNORECASE)
STUDENT_FINANCE_DEADLINE = "ask_student_finance_deadline"


def names_student_finance(text: str) -> bool:
    return bool(_NAMES_STUDENT_FINANCE.search(text))


def the_same_question_for_the_level_named(intent: str, part: str, text: str,
                                          level_before: str | None = None) -> str:
    """A part of a longer message that asks a level's question without naming the level
    ("hvor mange ting kan han sette opp?"), when the rest names one ("Sønnen min går i 10.
    klasse …") or the conversation was about one (``level_before``), or read as another
    level's question than the one it names ("when does he have to apply for high school",
    0.57 Samordna opptak's deadline): that level's counterpart; else the part's own
    reading. A deadline after a question about a loan, in a message that names no level,
    is the loan's: "kan jeg få lån fra lånekassen til det, og når må jeg søke?"."""
    before = text[:max(text.find(part), 0)]
    if TOPIC_OF.get(intent) == "deadline" and not names_a_level(text) \
            and names_student_finance(before) and not names_student_finance(part):
        return STUDENT_FINANCE_DEADLINE
    if names_a_level(part):
        level = the_one_level_named(part)
    else:
        # (a pupil in lower secondary names upper secondary though no level is named:
        # "eg e far te ein gut i 10. … når e fristen då")
        named = the_one_level_named(text)
        level = named if named is not None or names_a_level(text) else level_before
    return counterpart(intent, level) or intent


def level_named(text: str) -> str | None:
    folded = fold(text)
    named = _for_adults([level for level, pattern in _LEVELS if pattern.search(folded)])
    return named[0] if named else None


# The topic each level-bound question is about.
TOPIC_OF = {
    "ask_upper_secondary_deadline": "deadline",
    "ask_higher_education_deadline": "deadline",
    "ask_upper_secondary_application": "apply",
    "ask_fagskole": "apply",
    "ask_folkehogskole": "apply",
    "ask_adult_upper_secondary": "apply",
    "ask_upper_secondary_choices": "choices",
    "ask_higher_education_choices": "choices",
    "ask_admission_requirements": "admission",
    "ask_upper_secondary_rights": "admission",
    "ask_23_5_rule": "admission",
    "ask_apprenticeship": "trade",
    "ask_trade_certificate_adult": "trade",
}
# (topic, level) -> the question that answers the topic for that level. Fagskole and
# folk high school have one entry each, which covers applying and admission.
COUNTERPARTS: dict[str, dict[str, str]] = {
    "deadline": {
        UPPER_SECONDARY: "ask_upper_secondary_deadline",
        HIGHER_EDUCATION: "ask_higher_education_deadline",
        FAGSKOLE: "ask_fagskole",
        FOLK_HIGH_SCHOOL: "ask_folkehogskole",
        ADULT: "ask_adult_upper_secondary",
    },
    "apply": {
        UPPER_SECONDARY: "ask_upper_secondary_application",
        HIGHER_EDUCATION: "ask_higher_education_deadline",
        FAGSKOLE: "ask_fagskole",
        FOLK_HIGH_SCHOOL: "ask_folkehogskole",
        ADULT: "ask_adult_upper_secondary",
    },
    "choices": {
        UPPER_SECONDARY: "ask_upper_secondary_choices",
        HIGHER_EDUCATION: "ask_higher_education_choices",
        # "how do i apply to one" after fagskole (0.44 Samordna opptak's study choices):
        # each school's one entry says how to apply there.
        FAGSKOLE: "ask_fagskole",
        FOLK_HIGH_SCHOOL: "ask_folkehogskole",
    },
    "admission": {
        UPPER_SECONDARY: "ask_upper_secondary_rights",
        HIGHER_EDUCATION: "ask_admission_requirements",
        FAGSKOLE: "ask_fagskole",
        FOLK_HIGH_SCHOOL: "ask_folkehogskole",
        ADULT: "ask_23_5_rule",
    },
    "trade": {
        UPPER_SECONDARY: "ask_apprenticeship",
        ADULT: "ask_trade_certificate_adult",
    },
}


def counterpart(question: str | None, level: str | None) -> str | None:
    if question is None or level is None:
        return None
    return COUNTERPARTS.get(TOPIC_OF.get(question, ""), {}).get(level)


# The level of each question that has one: the levels' own questions above, and the
# questions that are each level's in their own right.
LEVEL_OF: dict[str, str] = {
    **{question: level for by_level in COUNTERPARTS.values()
       for level, question in by_level.items()},
    **dict.fromkeys(("ask_upper_secondary_application", "ask_upper_secondary_deadline",
                     "ask_upper_secondary_choices", "ask_upper_secondary_rights",
                     "ask_apprenticeship", "ask_pabygg"), UPPER_SECONDARY),
    **dict.fromkeys(("ask_higher_education_deadline", "ask_higher_education_choices",
                     "ask_admission_requirements", "ask_23_5_rule", "ask_competition_points",
                     "ask_quotas", "ask_admission_changes"), HIGHER_EDUCATION),
}
SURE = 0.80
# An adult's own reading ("kan eg ta det på deltid ved sida av jobben?", 0.74 adult upper
# secondary) stays for a person who has said they are an adult: the level there is the
# person's, not the school's (bot/shared/adults.py: from 25).
# Questions whose answer turns on the person's age: an age said with one ("he's 22,
# turning 23 next year" after påbygg, 0.65 the 23/5 rule) is the person's, not a sign
# that the level asked about before is meant.
AGE_BOUND = frozenset({"ask_23_5_rule", "ask_adult_upper_secondary"})
# An apprenticeship, as people write it ("lærlingplass", "lærplass"): one set of words for
# the level named here and the deadline's topic (actions/deadlines.py).
APPRENTICESHIP_WORDS = r"\bl[aæ]e?re?plass|\bl[aæ]e?rling|\bapprentic"
NAMES_AN_APPRENTICESHIP = re.compile(APPRENTICESHIP_WORDS, re.IGNORECASE)
# Words that name a level (or a place of one), folded as a keyboard without æ, ø, å types.
_NAMES_A_LEVEL = re.compile(
    r"samordna|vigo|vid[ae]reg|\bvgs\b|vg[123]|upper secondary|high school|"
    rf"{APPRENTICESHIP_WORDS}|h[oø]y?g?sk[ou]l|universit|\buni\b|college|higher education|"
    r"bachelor|master|studieønsk|study choices|fagsk[ou]l|folkeh|10\.? ?klass|10\.? ?trinn|"
    r"10th grade|"
    r"\b23 ?/ ?5\b",  # the rule is higher education's by name
    re.IGNORECASE)


def names_a_level(text: str) -> bool:
    return bool(_NAMES_A_LEVEL.search(text) or level_named(text))


# "hva kreves for å komme inn", "what does it take to get in": sure of the topic, but the
# place to get into is the one asked about before (fagskole's, not Samordna opptak's).
# Only a bare one: "… komme inn på sykepleie?" names where.
_GET = r"\b(?:komme|kome|komma|kom|get|getting|gets)\s+"
_GETTING_IN = re.compile(
    _GET + r"(?:inn|in)(?:\s+(?:der|dit|dær|there|da|då|egentlig|eigentleg))?\W*$",
    re.IGNORECASE)


# What is applied to, or what a deadline is for, named after it: "whens the deadline for
# applying to nursing", "ok and the deadline for medicine?" (not "for it", "for autumn").
_FOR_SOMETHING_NAMED = re.compile(
    r"\b(?:apply(?:ing)?\s+(?:to|for)|deadlines?\s+for)\s+"
    r"(?!(?:it|that|this|them|one|autumn|fall|spring|winter|summer|next|university|"
    r"applying|applications?|the)\b)\w{4,}|"
    # "kva er søknadsfristen for sjukepleie" after påbygg (0.48 Samordna opptak's deadline)
    r"\b\w*frist(?:en|ane|ene)?\s+(?:for|til)\s+(?:(?:å\s+)?(?:søke|søkje|soke|sokje)\s+"
    r"(?:på|pa|til|om)\s+)?"
    r"(?!(?:det|dette|den|denne|dei|dem|høsten|hausten|våren|neste|søknad\w*|soknad\w*|"
    r"opptak\w*|universitet\w*|(?:h[oø]st|haust|v[aå]r|vinter|som+[ae]r)semester\w*)\b)\w{4,}",
    re.IGNORECASE)


def names_what_it_is_for(text: str) -> bool:
    """Whether ``text`` names what is applied to or what the deadline is for."""
    return bool(_FOR_SOMETHING_NAMED.search(text))


def level_meant(tracker: Tracker, knowledge: KnowledgeBase) -> str | None:
    """The same question for the level the conversation was about (``level_before``: the
    question answered last, else a level named a few messages back, as in "kva program
    bør eg velja på vgs?" answered with an offer of a counsellor), when the message does
    not name its level and the classifier is unsure of it (or it asks about getting in);
    else None."""
    latest = tracker.latest_message or {}
    intent = latest.get("intent") or {}
    name = intent.get("name") or ""
    text = latest.get("text") or ""
    if name == FALLBACK_INTENT:
        return _torn_between_levels(tracker, knowledge)
    sure = (intent.get("confidence") or 0.0) >= SURE and not _GETTING_IN.search(text)
    if name not in TOPIC_OF or sure or names_a_level(text) or names_what_it_is_for(text) or (
            name in AGE_BOUND and ages_in(text)):
        return None
    level = level_before(tracker, knowledge)
    if level in (None, LEVEL_OF.get(name)):
        return None
    if LEVEL_OF.get(name) == ADULT and said_to_be_an_adult(tracker):
        return None
    ages = ages_in(text)
    if level == ADULT and ages and all(age < ADULT_FROM_AGE for age in ages):
        # "kva med bror min som er 17, kan han byte program …?" after an adult's right to
        # finish upper secondary: a young person's rights, not an adult's counterpart.
        return None
    meant = counterpart(name, level)
    return meant if meant not in (None, name) and knowledge.for_intent(meant) else None


TORN_READINGS = 2


def _torn_between_levels(tracker: Tracker, knowledge: KnowledgeBase) -> str | None:
    """Of a message the classifier could not place, the reading among its first two that
    asks the other's question for the level the conversation was about: "How many
    programmes can she put down?" after applying to upper secondary (0.37 Samordna
    opptak's study choices, 0.33 upper secondary's) got the application again. The one
    level the message names decides before that: "my daughter is in 10th grade, how many
    programmes can she apply for" (0.33 upper secondary's, 0.32 Samordna opptak's)."""
    text = (tracker.latest_message or {}).get("text") or ""
    readings = first_readings(tracker, TORN_READINGS)
    named = the_one_level_named(text)
    if len(readings) < TORN_READINGS or (named is None and names_a_level(text)) \
            or names_what_it_is_for(text):
        return None
    first, second = readings
    if TOPIC_OF.get(first) is None or TOPIC_OF.get(first) != TOPIC_OF.get(second):
        return None
    level = named or level_before(tracker, knowledge)
    meant = counterpart(first, level)
    return meant if meant in readings and knowledge.for_intent(meant) else None


def level_before(tracker: Tracker, knowledge: KnowledgeBase) -> str | None:
    """The level the conversation was about before the latest message: right after a
    question about an occupation, the level its way starts at ("når er søknadsfristen?"
    after the way to become an engineer, a bachelor, is Samordna opptak's, though the
    person said "går studiespes nå"); else the level of the question answered last, else
    the one level the person's last few messages named ("sonen min har slutta på vg2
    elektro …", answered with a question back)."""
    if previous_question(tracker) in OCCUPATION_QUESTIONS:
        occupation = occupation_of(tracker.get_slot(OCCUPATION_SLOT), occupations())
        level = first_level_in(occupation.path[ENGLISH]) if occupation is not None else None
        if level is not None:
            return level
    before = previous_answered_question(tracker, knowledge, passing=ABOUT_THE_SERVICE)
    if before is not None and before[1] in LEVEL_OF:
        return LEVEL_OF[before[1]]
    return named_in_recent_messages(tracker, the_one_level_named)


def first_level_in(text: str) -> str | None:
    """The level ``text`` names first: where an occupation's way starts ("Vg1 Building and
    Construction …, then two years as an apprentice" is upper secondary's)."""
    folded = fold(text)
    found = [(match.start(), level) for level, pattern in _LEVELS
             if level != ADULT and (match := pattern.search(folded))]
    return min(found)[1] if found else None


def said_to_be_an_adult(tracker: Tracker) -> bool:
    """Whether the person has said they are an adult: "voksen", or an age of 25 or more."""
    for event in user_messages(tracker):
        text = event.get("text") or ""
        if _ADULT_WORDS.search(fold(text)):
            return True
        if says_an_adults_age(text):
            return True
    return False


# A pupil's questions about upper secondary, which an adult's own upper secondary answers.
_A_PUPILS_QUESTIONS = frozenset({"ask_upper_secondary_rights", "ask_upper_secondary_application"})


def an_adults_schooling(tracker: Tracker, intent: str, confidence: float) -> str | None:
    """Upper secondary for adults, for a pupil's question about it read unsurely from a
    person who has said they are an adult, asked for themselves: "må æ gå vg1 og vg2 med
    16-åringer?" (0.61 a pupil's rights) after "Jobbe i barnehage men har lyst å bli
    frisør. E 32." got the right to switch programmes until 19."""
    text = (tracker.latest_message or {}).get("text") or ""
    if intent not in _A_PUPILS_QUESTIONS or confidence >= SURE \
            or NAMES_ANOTHER_PERSON.search(text) \
            or ages_in(text) or level_named(text) not in (None, UPPER_SECONDARY) \
            or not said_to_be_an_adult(tracker):
        return None
    return COUNTERPARTS["apply"][ADULT]


# "og hvor søker man?", "where do I apply then?": how or where to apply, and nothing else.
_ASKS_WHERE_TO_APPLY = re.compile(
    r"\W*(?:(?:og|men|and|but|so|ok(?:ei|ay)?|okay)\W+)?"
    r"(?:hvor|hvordan|korleis|kvar|kor|koss|hvor\s+og\s+når|where|how)\s+"
    # "kvar skal ho sende søknaden?" after a pupil's rights
    r"(?:(?:skal|må|kan)\s+(?:man|jeg|eg|ein|en|du|vi|me|han|hun|ho|dei|de)\s+)?"
    r"(?:søker|søkjer|soker|sokjer|søke|søkje|soke|sokje|sender|sendar|sende|senda)"
    r"(?:\s+(?:søknaden|søknaden\s+sin|soknaden))?"
    r"(?:\s+(?:man|jeg|eg|ein|en|du|vi|me|han|hun|ho|dei|de|inn|eg\s+inn|man\s+inn)\b)*"
    r"|\W*(?:(?:og|men|and|but|so|ok(?:ei|ay)?|okay)\W+)?(?:where|how)\s+(?:do|can|should|does)"
    r"\s+(?:i|you|we|one|he|she|they)\s+(?:apply|send\s+(?:it\s+in|in\s+it|it|the\s+application|"
    r"my\s+application|the\s+papers|my\s+papers|the\s+documents))"
    r"|\W*(?:(?:og|men|and|but|so)\W+)?(?:where|how)\s+to\s+apply"
    # "og hvilken nettside leverer man søknaden på egt" after upper secondary's deadline
    r"|\W*(?:(?:og|men|and|but|so)\W+)?(?:hvilken|hvilke|kva|which|what)\s+"
    r"(?:nettside|nettstad|side|website|site|page)\s+"
    r"(?:(?:leverer|sender|søker|søkjer|soker|skal|må|do|should|can)\s+)?"
    r"(?:(?:man|jeg|eg|ein|en|du|i|you|we)\s+)?"
    r"(?:(?:levere|sende|søke|søkje|apply|send|submit)\s+)?(?:inn\s+)?"
    r"(?:(?:søknaden|soknaden|the\s+application|it)\s+)?(?:inn\s+)?"
    r"(?:på|pa|i|on|at|through|to)?",
    re.IGNORECASE)
_THEN = re.compile(r"(?:,?\s+(?:da|då|så|then|egentlig|eigentleg|egt|eigtl|"
                   r"for\s+(?:det|it|that|this|dette)|"
                   # "og hvor soker man, er det pa nett?" after upper secondary's deadline
                   r"(?:er|e|is)\s+(?:det|den|it)\s+(?:på|pa|on)\s+(?:nett(?:et)?|internett|"
                   r"the\s+internet)|(?:er|e|is)\s+(?:det|it)\s+online|(?:på|pa)\s+nett(?:et)?|"
                   r"online|"
                   # "Og kvar søkjer ein, er det på papir som i gamle dagar?"
                   r"(?:er|e|is)\s+(?:det|it)\s+(?:på|pa|on)\s+papir(?:et)?|(?:on\s+)?paper|"
                   r"(?:som|like)\s+(?:i\s+gamle\s+dag(?:ar|er)|før|in\s+the\s+old\s+days)|"
                   # "og kor søkjer eg det?" after changing programme
                   r"det|it|dit|there|"
                   r"to\s+(?:it|them)|"
                   # "how do i apply and when?": the application's answer gives the date
                   r"(?:and|og|&)\s+(?:when|n[aå]r|kva\s+tid|innen\s+n[aå]r|by\s+when)|"
                   r"til\s+(?:det|den|dei|dem)|"
                   # "Hvor sender man søknaden?" after upper secondary's deadline
                   r"søknaden|soknaden|søknaden\s+min|the\s+application|my\s+application|"
                   # "hvor søker jeg påbygg og når?" after påbygg: its own name
                   r"(?:om\s+|til\s+|på\s+)?p[aå]bygg\w*|"
                   # a laugh or a filler typed on a phone: "og hvor søker man lol"
                   r"lol|lmao|haha\w*|hehe\w*|xd|btw|bro))*"
                   r"[\W_]*$", re.IGNORECASE)


# Påbygg, a year of upper secondary applied for on vigo.no (actions/deadlines reads its
# deadline).
NAMES_PABYGG = re.compile(r"\bp[aå]bygg", re.IGNORECASE)


def asks_only_where_to_apply(text: str) -> bool:
    """Whether the whole message asks how or where to apply, naming nothing."""
    start = _ASKS_WHERE_TO_APPLY.match(text.strip())
    return start is not None and _THEN.fullmatch(text.strip(), start.end()) is not None


# "søker man det gjennom samordna?" after folk high school, "do u apply thru samordna or
# directly" after fagskole: Samordna opptak's deadline, as read, is not what they ask.
_THROUGH_SAMORDNA = re.compile(
    r"\b(?:gjennom|via|thru|through|på|i|in|using)\s+samordna\w*|"
    r"\bsamordna\w*\s+(?:eller|or)\s+(?:direkte|directly)|"
    r"\b(?:direkte|directly)\s+(?:eller|or)\s+(?:gjennom|via|thru|through)\s+samordna",
    re.IGNORECASE)
THROUGH_SAMORDNA_MAX_WORDS = 10
# "Hvor mange studier kan jeg søke på i Samordna opptak?" asks something else of it.
_ASKS_SOMETHING_ELSE = re.compile(
    r"\b(?:hvor|kor|how)\s+(?:mange|mykje|mye|many|much|lenge|long)\b|"
    r"\b(?:når|when|hva|kva|ka|what|which|hvilke\w*|kva\s+for|hvorfor|kvifor|why)\b",
    re.IGNORECASE)


# A level named to compare with is not the level asked about: "is it through samordna
# opptak like university?" after folk high school.
_COMPARED_WITH = re.compile(
    r"\b(?:like|as\s+(?:for|with)|same(?:\s+(?:system|way|process|thing|place))?\s+as|"
    r"samme(?:\s+(?:system|måte|måten|sted|stad|plass))?\s+som|som(?:\s+(?:for|til|på|ved))?)\s+(?:the\s+|a\s+)?"
    r"(?:uni\w*|college|h[oø]y?g?sk[ou]l\w*|vgs|vid[ae]reg\w*|upper\s+secondary|"
    r"samordna\w*(?:\s+opptak)?)\b", re.IGNORECASE)


def without_comparisons(text: str) -> str:
    """``text`` without the levels it compares with: "is there a deadline like samordna?"
    after folk high school names no deadline of its own."""
    return _COMPARED_WITH.sub(" ", text)


def asks_if_through_samordna(text: str) -> bool:
    """Whether a short message asks if one applies through Samordna opptak, and nothing
    else, naming no level (but perhaps one to compare with)."""
    return bool(_THROUGH_SAMORDNA.search(text)) \
        and not levels_named(without_comparisons(text)) \
        and not _ASKS_SOMETHING_ELSE.search(text) \
        and len(text.split()) <= THROUGH_SAMORDNA_MAX_WORDS


# Levels whose one question covers everything about them.
_ONE_QUESTION_LEVELS = (FAGSKOLE, FOLK_HIGH_SCHOOL)


def through_samordna_to_the_school_named(text: str) -> str | None:
    """Whether one applies to the school a message names through Samordna opptak:
    "søker man folkehøgskole via samordna også? med frist 15 april?" (0.5 Samordna
    opptak's deadline) asks about folk high school, whose answer says how. None for a
    message that asks nothing of the kind or names no such school."""
    if not _THROUGH_SAMORDNA.search(text):
        return None
    named = levels_named(without_comparisons(_THROUGH_SAMORDNA.sub(" ", text)))
    if len(named) != 1 or named[0] not in _ONE_QUESTION_LEVELS:
        return None
    return COUNTERPARTS["apply"][named[0]]


def names_its_own_level(text: str, intent: str) -> bool:
    """Whether a message read as the one question of fagskole or folk high school names
    that school ("koss blir det med folkehøgskole da?" after fagskole, read weakly as folk
    high school): it asks about it, whatever the answer before was about."""
    level = level_named(text)
    return level in _ONE_QUESTION_LEVELS and COUNTERPARTS["apply"][level] == intent


# Topics with no level whose answers say where one applies: to the authority, HK-dir,
# Lånekassen, the county or NAV.
APPLIED_FOR_ELSEWHERE = frozenset({
    "ask_regulated_profession", "ask_foreign_education_recognition",
    "ask_qualifications_without_papers", "ask_prior_learning", "ask_praksiskandidat",
    "ask_fagbrev_on_the_job", "ask_trade_certificate_adult", "ask_student_finance_deadline",
    "ask_student_grant", "ask_student_finance_extra", "ask_study_finance_abroad",
    "ask_study_finance_part_time", "ask_nav_courses", "ask_nav_benefits_studying"})


def application_meant(tracker: Tracker, knowledge: KnowledgeBase) -> str | None:
    """How to apply to the level asked about just before, for a bare "og hvor søker
    man?" (after upper secondary's deadline, read as a job search or not understood) or
    whether one applies through Samordna opptak; None for any other message, or when the
    question before has no level."""
    text = ((tracker.latest_message or {}).get("text") or "").strip()
    told = sentences(text)
    if len(told) > 1 and says_what_was_meant(" ".join(told[:-1])):
        # "det var ikkje det eg spurde om. korleis søkjer eg" after the loan's deadline: the
        # question after the complaint
        text = told[-1].strip()
    # "how do i apply, same system as uni?" after folk high school: uni is compared with
    where = asks_only_where_to_apply(without_comparisons(text).strip(" ,?!."))
    if not (where or asks_if_through_samordna(text)):
        return None
    before = previous_answered_question(tracker, knowledge, passing=ABOUT_THE_SERVICE)
    meant = _for_the_level_of(before, knowledge, "apply")
    if where and NAMES_PABYGG.search(text):
        # "hvor søker jeg påbygg og når?" (0.70 påbygg, whose answer says neither): upper
        # secondary's application, whatever was asked before.
        meant = COUNTERPARTS["apply"][UPPER_SECONDARY]
    if meant is None and where:
        # "could i apply to norwegian universities after?" (read as recognition), then
        # "where do i apply": the level it asked about applying to.
        applied_to = level_applied_to(before[0]) if before is not None else None
        meant = COUNTERPARTS["apply"].get(applied_to) if applied_to else None
        if meant is None and before is not None and before[1] in APPLIED_FOR_ELSEWHERE:
            # "and where do i send the application" after a psychologist's authorisation:
            # its answer says where (it got upper secondary's application, 0.68).
            meant = before[1]
    return meant


# Applying *to* a level: "could i apply to norwegian universities after?", "kan jeg søke
# på høgskole med dette?" (not a level the person went to: "studied at a university").
_APPLYING_TO = re.compile(
    r"\b(?:apply|applying|søke|søkje|soke|sokje|søker|søkjer)\s+(?:to|for|på|pa|til|om)\s+"
    r"((?:\w+\s+){0,2}\w+)", re.IGNORECASE)


def level_applied_to(text: str) -> str | None:
    """The level a message asks about applying to, when it names one."""
    for match in _APPLYING_TO.finditer(text):
        level = level_named(match.group(1))
        if level is not None:
            return level
    return None


# "må man ha fagbrev for å kom inn der? æ har bare vg2 bygg" after fagskole: getting in
# *there* is the level asked about before, whatever level the person's own story names
# (upper secondary's rights, for "vg2").
# So is going *there* without something: "kan jeg gå der uten fagbrev" after fagskole (read
# 0.67 as an adult's trade certificate).
_GETTING_IN_THERE = re.compile(
    _GET + r"(?:inn|in|into)\s+(?:der|dit|dær|there|one)\b|"
    r"\b(?:gå|ga|gaa|begynne|begynna|byrje|starte|studere|go|start|study)\s+(?:der|dær|there)\b"
    r".*\b(?:uten|utan|without)\b",
    re.IGNORECASE)


def getting_in_meant(tracker: Tracker, knowledge: KnowledgeBase) -> str | None:
    """What it takes to get into the level asked about just before, for a question about
    getting in "there"; None for any other message, or when the question before has no
    level."""
    text = ((tracker.latest_message or {}).get("text") or "").strip()
    if not (_GETTING_IN_THERE.search(text) or _GETTING_IN.search(text)):
        return None  # "må ein ha fagbrev for å kome inn?" after fagskole: getting in there
    before = previous_answered_question(tracker, knowledge, passing=ABOUT_THE_SERVICE)
    return _for_the_level_of(before, knowledge, "admission")


# Correcting oneself: "sorry mente vg2, hun går allerede vg1 elektro", "oops i meant
# university", "feil av meg, det var fagskule".
def correction_meant(tracker: Tracker, knowledge: KnowledgeBase) -> str | None:
    """The question answered just before, for the level a correction names ("sorry, I
    meant Vg2", unclear to the classifier); None for any other message."""
    latest = tracker.latest_message or {}
    text = (latest.get("text") or "").strip()
    level = level_named(text) if says_what_was_meant(text) else None
    before = previous_answered_question(tracker, knowledge, passing=ABOUT_THE_SERVICE) \
        if level is not None else None
    if before is None:
        return None
    # A question of its own after the correction is asked for the level meant: "sorry, I
    # meant she's in vg3 now … when's the deadline?" after the admission requirements got
    # upper secondary's rights (the requirements' counterpart).
    reading = (latest.get("intent") or {}).get("name") or ""
    asked = reading if TOPIC_OF.get(reading) not in (None, TOPIC_OF.get(before[1])) else before[1]
    meant = counterpart(asked, level) \
        or (asked if LEVEL_OF.get(asked) == level else None)
    return meant if meant and knowledge.for_intent(meant) else None


# The levels whose admission or choices a question may be read for instead of the one it
# names; an adult's way in turns on age, which has rules of its own (AGE_BOUND).
_ADMISSION_LEVELS = frozenset({UPPER_SECONDARY, HIGHER_EDUCATION, FAGSKOLE, FOLK_HIGH_SCHOOL})


def application_of_the_one_level_named(text: str, intent: str) -> str | None:
    """How to apply to the one level a message names, when its last sentence asks only how
    or where to apply: "… vil gjerne ta fagskole i bygg. hvordan søke?" was read as the
    experience-based trade certificate it told of (praksiskandidat). None otherwise."""
    told = sentences(text)
    if len(told) < 2 or not asks_only_where_to_apply(told[-1].strip(" ,?!.")):
        return None
    level = the_one_level_named(text)
    meant = COUNTERPARTS["apply"].get(level) if level else None
    return meant if meant not in (None, intent) else None


# The topics whose question is read, unsurely, for the one level a message names instead of
# another level's: what it takes to get in, and how many choices one lists.
_ONE_LEVEL_TOPICS = ("admission", "choices")


def question_of_the_one_level_named(text: str, intent: str, confidence: float) -> str | None:
    """For a message read, unsurely, as another level's question on getting in or on the
    choices one lists than the one level it names: that level's. "må man ha studiespes for
    å komme inn på fagskole?" read 0.47 as higher education's admission requirements
    (fagskole 0.44) got universities' general study qualification; "Sønnen min (15) er
    ferdig med 10. og søkte 3 ulike programmer. Han fikk ikke førsteønsket. Kan vi klage?"
    (0.44 Samordna opptak's study choices) got Samordna opptak."""
    topic = TOPIC_OF.get(intent)
    if topic not in _ONE_LEVEL_TOPICS or intent in AGE_BOUND or confidence >= SURE:
        return None  # the 23/5 rule is an adult's way in, whatever level is named
    level = the_one_level_named(text)
    meant = COUNTERPARTS[topic].get(level) if level in _ADMISSION_LEVELS else None
    return meant if meant not in (None, intent) else None


def admission_of_the_level_applied_to(text: str, intent: str, confidence: float) -> str | None:
    """What it takes to get into the level a message's last question asks whether one can
    apply to, for a weak reading of another topic: "Hei! Eg blir 23 til hausten, har
    fagbrev som tømrar og har jobba sidan. Kan eg søkje på høgskule?" (0.43 an adult's trade
    certificate) got the ways to a trade certificate it already has."""
    told = sentences(text)
    level = level_applied_to(told[-1]) if told else None
    if confidence >= WEAK_CAREER_READING or level not in _ADMISSION_LEVELS \
            or LEVEL_OF.get(intent) == level:
        return None
    meant = COUNTERPARTS["admission"][level]
    return meant if meant != intent else None


PRIOR_LEARNING = "ask_prior_learning"


def prior_learning_for_higher_education(text: str, intent: str,
                                        confidence: float) -> str | None:
    """Higher education's admission requirements, for a message read unsurely as the
    assessment of prior learning that names higher education only: "what is realkompetanse
    for university, how does it work?" (0.40) got the county's assessment against upper
    secondary's curricula; admission on prior learning from 25 is the requirements'."""
    if intent != PRIOR_LEARNING or confidence >= SURE \
            or the_one_level_named(text) != HIGHER_EDUCATION:
        return None
    return COUNTERPARTS["admission"][HIGHER_EDUCATION]


UPPER_SECONDARY_APPLICATION = "ask_upper_secondary_application"
# When, asked beside how or where to apply: "hvor søker jeg påbygg og når?".
_WHEN_TOO = re.compile(r"\b(?:når|nar|when|kva\s+tid|innen\s+når|by\s+when)\b|\bfrist\w*|"
                       r"\bdeadline", re.IGNORECASE)
# How or where to apply, anywhere in a message.
_HOW_TO_APPLY = re.compile(
    r"\b(?:hvor|hvordan|korleis|kvar|kor|koss|where|how)\b.{0,25}\b(?:søk\w*|sok\w*|"
    r"apply\w*|sende\w*|send)\b", re.IGNORECASE)


def deadline_asked_with_the_application(text: str, answered: str) -> str | None:
    """Upper secondary's deadline beside its application, for a message that asks how or
    where to apply and when: the application's answer says "before the deadline", not
    which one."""
    if answered == UPPER_SECONDARY_APPLICATION and _WHEN_TOO.search(text) \
            and _HOW_TO_APPLY.search(text):
        return COUNTERPARTS["deadline"][UPPER_SECONDARY]
    return None


# Pay or prospects asked in so many words.
_ASKS_PROSPECTS = re.compile(
    r"\b(?:jobbutsikt\w*|jobbmulighet\w*|jobbmoglegheit\w*|arbeidsmarked\w*|arbeidsmarknad\w*|"
    r"prospects?|job\s+market|demand|behov|ledige\s+stilling\w*|jobs?\s+available)\b",
    re.IGNORECASE)


def school_asked_of_an_occupation(text: str, intent: str, confidence: float) -> str | None:
    """Fagskole or folk high school, for a message read unsurely as an occupation's pay
    and prospects that names one of them and asks neither: "Hei! Helsefagarbeidar her,
    vurderer fagskule i psykisk helsearbeid. Er det mogleg ved sida av jobb?" (0.66, the
    occupation named) got a health worker's pay. Their one answer covers the question."""
    if intent != PROSPECTS_INTENT or confidence >= SURE or ASKS_PAY.search(text) \
            or _ASKS_PROSPECTS.search(text):
        return None
    level = the_one_level_named(text)
    return COUNTERPARTS["apply"][level] if level in _ONE_QUESTION_LEVELS else None


def _for_the_level_of(before: tuple[str, str] | None, knowledge: KnowledgeBase,
                      topic: str) -> str | None:
    """``topic``'s question for the level of the question answered ``before``."""
    level = LEVEL_OF.get(before[1]) if before is not None else None
    meant = COUNTERPARTS[topic].get(level) if level else None
    return meant if meant and knowledge.for_intent(meant) else None


# Upper secondary's questions, whose follow-up naming another town asks about going to
# school or an apprenticeship there; what it is applied for as.
_SCHOOLING_APPLIED_FOR = {
    "ask_upper_secondary_application": "ask_upper_secondary_application",
    "ask_upper_secondary_deadline": "ask_upper_secondary_application",
    "ask_upper_secondary_rights": "ask_upper_secondary_application",
    "ask_upper_secondary_choices": "ask_upper_secondary_application",
    "ask_apprenticeship": "ask_apprenticeship",
}
# Guidance or a centre asked for there: the centre, as for any place.
_GUIDANCE_THERE = re.compile(
    r"\b(?:veiled\w*|rettleiing\w*|rettleiar\w*|rådgiv\w*|karriere\w*|senter\w*|centre\w*|"
    r"center\w*|guidance|counsel\w*|hjelp\w*|help|snakke|snakka|prate|prata|talk|kontor\w*|"
    r"office\w*)\b", re.IGNORECASE)


def schooling_there(question: str | None, text: str) -> str | None:
    """For a follow-up naming a town after one of upper secondary's questions, what going
    to school or an apprenticeship there is applied for as; None after other questions,
    or when it asks for guidance there."""
    if question not in _SCHOOLING_APPLIED_FOR or _GUIDANCE_THERE.search(text):
        return None
    return _SCHOOLING_APPLIED_FOR[question]


# A town told with going to school or applying there, not only where one lives: "vi bor på
# voss, men han vil kanskje gå på skole i bergen. kan han søke der?" (0.47 a bare place).
_SCHOOLING_WORDS = re.compile(
    r"\b(?:sk[ou]le\w*|school\w*|s[øo]kj?e[rn]?|s[øo]knad\w*|apply\w*|l[æa]e?re?plass\w*|"
    r"l[æa]e?rling\w*|apprentic\w*|vgs|vg[123]|vid[ae]reg\w*)\b", re.IGNORECASE)
_A_SCHOOL = re.compile(r"\bsk[ou]le\w*|\bschool\w*|\bvgs\b|\bvid[ae]reg\w*", re.IGNORECASE)


def schooling_told_there(question: str | None, text: str) -> str | None:
    """``schooling_there`` for a message that speaks of going to school or applying, not
    only of a town; a school there, not an apprenticeship, is applied for through upper
    secondary's application whatever the question before ("… men han vil kanskje gå på
    skole i bergen" after an apprenticeship)."""
    if not _SCHOOLING_WORDS.search(text):
        return None
    meant = schooling_there(question, text)
    if meant is not None and _A_SCHOOL.search(text) and not NAMES_AN_APPRENTICESHIP.search(text):
        return COUNTERPARTS["apply"][UPPER_SECONDARY]
    return meant


# Help asked with an application to a level: "treng hjelp med vgs-søknaden, kva gjer eg"
# (0.67 a need for guidance) asks how one applies there.
_HELP_WITH_AN_APPLICATION = re.compile(
    r"\b(?:hjelp\w*|help\w*)\s+(?:(?:med|til|with|me\s+with|to)\s+)(?:\w+\s+){0,3}?"
    r"[\w-]*(?:s[øo]knad\w*|application|applying|[åa]\s+s[øo]kj?e)", re.IGNORECASE)


def application_helped_with(text: str) -> str | None:
    """How to apply to the one level ``text`` names, when it asks for help with the
    application; None otherwise."""
    if not _HELP_WITH_AN_APPLICATION.search(text):
        return None
    level = the_one_level_named(text)
    return COUNTERPARTS["apply"].get(level) if level else None

