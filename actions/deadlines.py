"""Which deadline a bare "når er fristen?" asks for: the one of the topic before it.

"når er fristen da", "ka e fristen", "and the deadline?" name no topic. The classifier
still has to pick a deadline, and picks the one it has seen most (Samordna opptak's), so
a person who has just asked how to apply to upper secondary or for a student loan got the
university deadline. Such a message asks for the deadline of what the person asked
about just before; with no earlier question, or one without a deadline of its own, the
classifier's reading stands.
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker

from actions.answer_aspects import A_DATE, WEEKEND_WORDS
from actions.in_context import (
    ABOUT_THE_SERVICE,
    WEAK_CAREER_READING,
    named_in_recent_messages,
    previous_answered_question,
)
from actions.levels import (
    APPRENTICESHIP_WORDS,
    BEFORE_UPPER_SECONDARY,
    COUNTERPARTS,
    NAMES_AN_APPRENTICESHIP,
    NAMES_PABYGG,
    STUDENT_FINANCE_DEADLINE,
    UPPER_SECONDARY,
    UPPER_SECONDARY_APPLICATION,
    level_named,
    levels_named,
    names_a_child_of_school_age,
    names_student_finance,
    names_what_it_is_for,
    the_one_level_named,
    without_comparisons,
)
from actions.offers import EXTERNAL_MESSAGE_PREFIX
from actions.several_questions import asks, questions_in
from bot.shared.crisis import sentences
from bot.shared.knowledge import KnowledgeBase

UPPER_SECONDARY_DEADLINE = "ask_upper_secondary_deadline"
HIGHER_EDUCATION_DEADLINE = "ask_higher_education_deadline"
_NAMES_SAMORDNA = re.compile(r"\bsamordna", re.IGNORECASE)

# The question that answers "when is the deadline?" for each topic that has one. The
# fagskole, folk high school and adult entries hold their deadlines themselves.
DEADLINE_OF: dict[str, str] = {
    **dict.fromkeys((
        "ask_upper_secondary_application", "ask_upper_secondary_choices",
        "ask_upper_secondary_rights", "ask_apprenticeship", "ask_pabygg",
        UPPER_SECONDARY_DEADLINE,
    ), UPPER_SECONDARY_DEADLINE),
    **dict.fromkeys((
        "ask_higher_education_choices", "ask_admission_requirements", "ask_23_5_rule",
        "ask_competition_points", "ask_quotas", "ask_admission_changes",
        HIGHER_EDUCATION_DEADLINE,
    ), HIGHER_EDUCATION_DEADLINE),
    **dict.fromkeys((
        "ask_student_grant", "ask_student_finance_extra", "ask_study_finance_abroad",
        "ask_study_finance_part_time", STUDENT_FINANCE_DEADLINE,
    ), STUDENT_FINANCE_DEADLINE),
    "ask_fagskole": "ask_fagskole",
    "ask_folkehogskole": "ask_folkehogskole",
    "ask_adult_upper_secondary": "ask_adult_upper_secondary",
    # where the private candidate's exam deadlines are: "og må eg melde meg opp før ein
    # frist?" after retaking a subject got Samordna opptak's deadline
    "ask_improve_grades": "ask_improve_grades",
}

# A bare deadline question is short: a longer one usually says what it is about.
MAX_WORDS = 9
_HOW_LONG_TO_APPLY = (
    r"\b(hvor|kor|ka|how)\s+(lenge|long)\s+(har|do|does)\s+(jeg|eg|æ|e|man|du|i|you|he|she)\s+"
    r"(på\s+(meg|mæ|seg|deg)|got|have|get)\s+((til|te|to)\s+)?(å\s+)?(s[oø]kj?e?[ar]?|apply|"
    r"sende|senda|send|levere|submit)\b")
_ASKS_DEADLINE = re.compile(
    r"\b(\w*frist(en|ene|er|ane|ar)?|deadlines?|due date|closing date)\b|"
    # "Kva dato må søknaden til sjukepleie vere send inn?", "what date is it due"; "nr" is
    # "når" typed fast ("nr soker man" after fagskole)
    r"\b(n[aå]r|nr|kva tid|when|kva dato|hvilken dato|kva for ein dato|what date|which date)\b"
    r".{0,30}\b(s[oø]kj?e?[ar]?|s[oø]knad\w*|(inn)?lever\w*|apply(ing)?|"
    r"applications?|submit\w*|due|inne|sendes inn|sendast inn|send(e)? inn)\b|"
    # "er det for sent nå?" asks whether the deadline has passed; "what time on the day"
    # asks the hour of the deadline just given
    r"\b(for sent|for seint|too late)\b|"
    # another date than the one given: "is there other date for new arrived people?"
    r"\b(other|another|different|earlier|special|own|annen|anna|ein annan|en annen|egen|eiga)"
    r"\s+(date|dato|frist)\b|"
    # "innen når?", "by when": until when
    r"\b(innen|innan|inntil|til|by|until)\s+(n[aå]r|when|kva\s+tid)\b|"
    r"\b(what time (on|of) (the|that) day|what time exactly|hvilket klokkeslett|"
    r"what time (on|of) (the )?\d{1,2}(st|nd|rd|th)?|"
    r"(kva|hva|ka) tid på (den )?dagen|når på (den )?dagen|"
    r"kl\w*\.?\s+(kor|hvor|ka)\s+(mykje|mye|mykkje|møkje)\s+(den|på)\s+dagen)\b|"
    # "kor lenge har eg på meg te å søka", "how long do I have to apply": until when
    + _HOW_LONG_TO_APPLY, re.IGNORECASE)
# "and when does he need to do it by", "hvor lenge har jeg på meg til å søke?": longer,
# but it names nothing.
_DUE_BY = re.compile(r"\bwhen\b.{0,30}\b(need|have|has|must|should)\b.{0,30}\bby\s*\??\s*$|"
                     + _HOW_LONG_TO_APPLY, re.IGNORECASE)
MAX_WORDS_DUE_BY = 10
# Words that say which deadline is meant; folded as a keyboard without æ, ø, å types.
_NAMES_A_TOPIC = re.compile(
    r"\w*l[aå]+n(et)?\b|stipend|l[aå]+nekass|studiest[oø]tte|loan|grant|student finance|samordna|"
    rf"vigo|vid[ae]reg|vgs|{APPRENTICESHIP_WORDS}|h[oø]y?g?sk[ou]l|universit|"
    r"\buni\b|college|fagsk[ou]l|folkeh|voks|vaks|adult|upper secondary|higher education|"
    r"h[oø][yg](are|ere|re) utdanning|"
    r"p[aå]bygg|privatist|eksamen|exam|jobb|stilling|job|\bpolice\b|\bpoliti",
    re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# When the person wants to start says nothing of which deadline, so it does not count
# towards a bare question's length: "når er fristen for å søkje til hausten?", "when do
# I have to apply for the autumn semester?".
_WHEN_STARTING = re.compile(
    # "whats the deadline to apply if i start in august" after a loan for study abroad
    r"\b((if|when|hvis|viss|om|n[aå]r|dersom)\s+(i|jeg|eg|æ|e|you|he|she|han|hun|ho|we|vi)\s+"
    r"(start|starts|begin|begins|starter|startar|begynner|byrjar|byrjer)\s+)?"
    r"(for|til|i|in|to|from|fr[aå]|om|this|next|neste)\s+(the\s+)?(autumn|fall|spring|"
    r"winter|summer|haust(en)?|h[oø]st(en)?|v[aå]r(en)?|vinter(en)?|som+[ae]r(en)?|"
    r"januar[y]?|februar[y]?|mars|march|april|mai|may|juni|june|juli|july|august|september|"
    r"oktober|october|november|desember|december)"
    r"(\s*semester\w*|\s+term)?\b", re.IGNORECASE)  # "for vårsemesteret" too


# A message may tell something first and end with the bare question: "han har ADHD og
# trenger nok litt ekstra tilrettelegging, gjelder samme frist da?".
_CLAUSE_END = re.compile(r"[.,;:!]+\s+")
_AFTER_A_QUESTION = re.compile(r"(?<=\?)\s+")


# "kan jeg endre rekkefølgen etter fristen", "can I still apply after the deadline": what
# may be done once the deadline has passed, not when it is.
_AFTER_THE_DEADLINE = re.compile(
    r"\b(etter|after|past)\s+(\w*frist\w*|(the\s+)?deadlines?)\b", re.IGNORECASE)


# What if one does not make it: "hva om jeg ikke rekker fristen", "if I don't make it".
_NOT_MAKING_IT = (
    r"\b(?:ikke|ikkje|itj)\s+(?:rekk(?:er|e|a|ar)?|rek+er)\b|"
    r"\b(?:rekker|rekk|rekk(?:ar|e))\s+(?:jeg|eg|æ|e|vi|han|ho|hun)\s+(?:det\s+)?(?:ikke|ikkje|itj)\b|"
    r"\b(?:don'?t|do\s+not|doesn'?t|won'?t|can'?t)\s+make\s+(?:it|the\s+deadline)\b|"
    r"\bfor\s+sein?t?\s+ute\b")
# Not making it asks what comes after, not when the deadline is.
_NOT_MAKING_IT_NOW = re.compile(_NOT_MAKING_IT, re.IGNORECASE)


def deadline_of_the_topic_told(text: str, intent: str) -> str | None:
    """For a message read as a topic with a deadline that ends by asking only when the
    deadline is: that topic's deadline ("eg er 38 … vil søkje sjukepleie på grunnlag av
    realkompetanse. kva er fristen?", read as the admission requirements, 0.51). None for a
    deadline read, or a message that asks more."""
    told = sentences(text)
    if intent in DEADLINES or intent not in DEADLINE_OF or not told \
            or not asks_only_when_the_deadline_is(told[-1]):
        return None
    return DEADLINE_OF[intent]


# Applying by a date asks whether that is the deadline: "og søker jeg påbygg innen 1. mars?"
_BY_A_DATE = re.compile(rf"\b(?:innen|innan|by|before|før)\s+(?:the\s+|den\s+)?{A_DATE}",
                        re.IGNORECASE)


# The deadline asked for, not named in passing ("kan jeg endre rekkefølgen før fristen?"):
# "hva er fristen for påbygg", "er det egen frist for fortrinnsrett?", "when is the
# deadline", or whether one applies by a date.
_ASKS_FOR_THE_DEADLINE = re.compile(
    # ("whens", "whats": typed without the apostrophe)
    r"\b(?:n[aå]r|kva|hva|ka|when|whens|what|whats|which|er|e|is|are|finnes|fins|finst|har|"
    r"has)\b[^.?!]{0,25}?\b(?:\w*frist(?:en|ene|er|ane|ar)?|deadlines?)\b|"
    # by when it must be in: "når må søknaden vere inne om eg søkjer på grunnlag av
    # realkompetanse?" (0.50 the admission requirements)
    r"\b(?:n[aå]r|when|innen\s+når|innan\s+når|by\s+when)\b[^.?!]{0,30}?\b(?:være\s+inne|"
    r"vere\s+inne|vera\s+inne|sendt\s+inn|sende\s+inn|send\s+inn|levert|be\s+in|"
    r"be\s+submitted|be\s+sent\s+in)\b",
    re.IGNORECASE)


def deadline_of_the_topic_named(text: str, intent: str) -> str | None:
    """For a message read as a topic whose deadline is another's that asks for a deadline,
    the topic named with it: that deadline ("og søker jeg påbygg innen 1. mars?", 0.65
    påbygg, whose answer has no date), or the deadline of another level it names. None
    for a deadline read, a topic with a deadline of its own, or a message that asks more,
    or asks what comes after it."""
    deadline = DEADLINE_OF.get(intent)
    if deadline in (None, intent) or intent in DEADLINES \
            or not (_ASKS_FOR_THE_DEADLINE.search(text) or _BY_A_DATE.search(text)) \
            or _AFTER_THE_DEADLINE.search(text) or _NOT_MAKING_IT_NOW.search(text) \
            or sum(asks(part, text) for part in questions_in(text)) >= 2:
        return None
    return deadline_named_in(text) or deadline


# Anything about time or dates: a question with none of it asks no deadline.
_ABOUT_TIME = re.compile(
    r"\b(?:n[aå]r|naar|kva\s*tid|ka\s*tid|when|dato\w*|dates?|time|tid\w*|\w*frist\w*|"
    r"deadlines?|lenge|long|for\s+(?:sent|seint)|too\s+late|[aå]pne\w*|opne\w*|open\w*|"
    r"steng\w*|close\w*|klokk\w*|innen|innan|until|by|\w*dag|\w*day|helg\w*|"
    r"weekend|januar|februar|mars|april|january|february|march|n[aå]|no|now|snart|soon|"
    r"vent\w*|wait\w*|seinare|senere|later|earlier|sooner|tidligere|tidlegare|\d+)\b",
    re.IGNORECASE)
# Applying, where and how: "må eg søkje på vigo som alle andre".
_APPLYING = re.compile(r"\b(?:s[oø]kj?e[rn]?|s[oø]kja|s[oø]kn\w*|apply\w*|application)\b",
                       re.IGNORECASE)


# The grounds for applying to upper secondary by 1 February, which only its deadline's
# answer explains.
_APPLIES_EARLY_FOR = re.compile(
    r"\bfortrinnsrett\w*|\bindividuell(?:e)?\s+(?:behandling|vurdering)|"
    r"\bs(?:æ|ae|a)rskilt\s+spr(?:å|aa|a)kopp\w*|\bpriority\s+admission|"
    r"\bspecial\s+(?:norwegian|language)\s+(?:classes|lessons|teaching|tuition|training)|"
    r"\bindividual\s+assessment", re.IGNORECASE)
# The readings such a question was taken for: applying, a pupil's rights, the programmes.
_EARLY_APPLICATION_READ_AS = frozenset({
    UPPER_SECONDARY_APPLICATION, "ask_upper_secondary_rights", "ask_upper_secondary_choices",
    "nlu_fallback"})


def applying_without_a_date(text: str, intent: str) -> str | None:
    """Applying to upper secondary, for a message read as its deadline that says nothing
    of time: "må eg søkje på vigo som alle andre" (0.43 the deadline) asks how one
    applies. Not when it names the grounds for applying early ("Kan han søkje om
    fortrinnsrett på grunn av skaden?"): those are the deadline's. None for any other
    message."""
    if intent != UPPER_SECONDARY_DEADLINE or not _APPLYING.search(text) \
            or _ABOUT_TIME.search(text) or _APPLIES_EARLY_FOR.search(text):
        return None
    return UPPER_SECONDARY_APPLICATION


# Newly arrived in Norway, a ground for 1 February when a deadline is asked with it ("is
# there a different deadline for people who are new in norway?"; the application's
# sentence on its deadline was quoted).
_NEWLY_ARRIVED = re.compile(
    r"\b(?:new(?:ly)?\s+(?:arrived\s+)?(?:in|to)\s+norway|just\s+(?:arrived|came|moved)\s+"
    r"(?:in|to)\s+norway|nyankom\w*|ny(?:lig|leg)?\s+(?:kommet|komne?|komen)\s+til\s+noreg|"
    r"(?:nylig|nyleg|nettopp|nett)\s+(?:har\s+)?(?:kommet|kome|komme)\s+til\s+nor(?:ge|eg)|"
    r"ny\s+i\s+nor(?:ge|eg)|"
    # a short time lived here: "hun har bare bodd i Norge i ett år", "only been in Norway
    # for a few months"
    r"(?:bare|berre|kun|only|just)\s+(?:har\s+|have\s+|has\s+)?(?:bodd|budd|budt|vært|vore|"
    r"been|lived)\s+(?:i|in|her|here)\s+(?:nor(?:ge|eg|way)\s+)?(?:i\s+|for\s+)?(?:ett|eitt|"
    r"et|eit|ei|1|2|to|two|a|one|noen|nokre|nokon|a\s+few|few)\s+(?:år|years?|måneder|"
    r"månader|månadar|months?))\b", re.IGNORECASE)


def early_application_asked(text: str, intent: str) -> str | None:
    """Upper secondary's deadline, for a message read as applying there, a pupil's rights
    or not understood that names the grounds for applying by 1 February: "kan hun søke om
    individuell vurdering" (the fallback) after a daughter's absence through illness; the
    deadline's answer is the one that explains them. None for any other."""
    grounds = _APPLIES_EARLY_FOR.search(text) or (
        _NEWLY_ARRIVED.search(text) and asks_for_a_deadline(text))
    if intent not in _EARLY_APPLICATION_READ_AS or not grounds \
            or the_one_level_named(text) not in (None, UPPER_SECONDARY):
        return None
    return UPPER_SECONDARY_DEADLINE


def asks_for_a_deadline(text: str) -> bool:
    """Whether ``text`` asks for a deadline in so many words ("ok and when is the deadline
    to apply?"), however long it is."""
    return bool(_ASKS_DEADLINE.search(text))


def asks_only_when_the_deadline_is(text: str) -> bool:
    """Whether a message asks for a deadline without saying which one, alone or in its
    last clause (a level it compares with is no topic of its own)."""
    text = without_comparisons(text)
    # (a study only a university gives names its level: "Kva dato må søknaden til
    # sjukepleie vere send inn?" after the extra loan is Samordna opptak's)
    if _NAMES_A_TOPIC.search(text) or names_what_it_is_for(text) or levels_named(text) \
            or _AFTER_THE_DEADLINE.search(text) \
            or _NOT_MAKING_IT_NOW.search(text):
        return False
    clauses = [clause for clause in _CLAUSE_END.split(text.strip()) if _WORD.search(clause)]
    # A question, then a remark: "og fristen? må vite det før eg døyr av stress haha"; or a
    # situation asked about, then the deadline: "og hvis hun bor i Alta? er det samme frist
    # der?"
    asked = [part for part in _AFTER_A_QUESTION.split(text.strip()) if _WORD.search(part)]
    return (_asks_the_deadline(text) or (len(clauses) > 1 and _asks_the_deadline(clauses[-1]))
            or (len(asked) > 1 and any(_asks_the_deadline(part) for part in asked)))


# "what time tho", "kva tid då?", "ka klokkeslett", "hva klokka?": the hour of the deadline
# just given, asked in a word or two (longer, "what time do they close" asks something
# else).
_WHAT_TIME = re.compile(
    r"^\W*(what time|(hva|kva|ka) tid|((hva|kva|ka) )?(klokkeslett|klokka|klokken)|"
    r"kl\.?(\s*(hva|kva|ka)\b|\s*\?|$)|(hva|kva|ka) kl\b)",  # "kl hva", "hva kl?"
    re.IGNORECASE)
MAX_WORDS_WHAT_TIME = 4
# The hour named, to check it: "is it 23:59 or like end of office hours", "er det til
# midnatt?" (read as the 23/5 rule for the "23").
_CLOCK_TIME = re.compile(
    r"\b(?:23[:.]59|midnight|midnatt|midnat)\b|\b(?:end|close) of (?:the )?(?:office|working|"
    r"business) (?:hours|day)\b|\bkontortid\b|\bslutten av arbeidsdagen\b", re.IGNORECASE)


# Sending it "to them" names nothing either: "hva er fristen for å sende søknad til dem?"
# after Lånekassen's extra support; nor does applying "that way": "and the deadline if I
# apply that way?" after the 23/5 rule.
_TO_THEM_OR_THAT_WAY = re.compile(
    r"\b(?:for\s+å\s+|to\s+)?(?:sende|senda|levere|søke|søkje|send|submit|apply)"
    r"(?:\s+inn)?(?:\s+(?:søknad(?:en)?|soknad(?:en)?|it|the\s+application|an\s+application))?"
    r"\s+(?:til\s+(?:dem|dei|de|den|dit)|dit|to\s+them|there)\b|"
    r"\b(?:if|when|hvis|viss|om|når)\s+(?:i|jeg|eg|æ|e|you|he|she|han|hun|ho|man|ein|en)\s+"
    r"(?:apply|applies|søker|søkjer|søke|søkje)\s+(?:that\s+way|like\s+that|this\s+way|"
    r"(?:på\s+)?(?:den|denne|sånn|slik)\s+måten|sånn|slik|sånn\s+som\s+det)\b|"
    # applying for "it": "kva er fristen for å søkje om det?" after the grant, "what's the
    # deadline for applying for it?" after a loan for study abroad
    r"\b(?:for\s+)?(?:å\s+|to\s+)?(?:søke|søkje|soke|sokje|apply|applying)\s+"
    r"(?:om|for|på|til|to)\s+(?:det|dette|den|it|that|this|them|one)\b|"
    # the same as everyone's: "er fristen den samme som for alle andre?"
    r"\b(?:den\s+)?samme\s+som\s+for\s+(?:alle\s+)?andre\b|"
    r"\bsame\s+as\s+(?:for\s+)?(?:everyone|everybody|the\s+others|others)(?:\s+else)?\b",
    re.IGNORECASE)


# A weekend the deadline falls on says nothing of which deadline either: "fristen faller på
# en lørdag i år, hva gjør vi da?" after upper secondary's programmes.
_ON_A_WEEKEND = re.compile(
    rf"\b(?:på|pa|on|in|i|over)\s+(?:(?:en|ein|ei|a|the|this)\s+)?(?:{WEEKEND_WORDS})\b"
    r"(?:\s+(?:i\s+år|i\s+ar|this\s+year))?", re.IGNORECASE)


def _asks_the_deadline(text: str) -> bool:
    words = len(_WORD.findall(_ON_A_WEEKEND.sub(" ", _WHEN_STARTING.sub(
        " ", _TO_THEM_OR_THAT_WAY.sub(" ", text)))))
    # applying by a date asks whether it is the deadline: "kan hun søke ordinært innen 1
    # mars da?" after upper secondary's deadline (0.94 Samordna opptak's)
    return bool((0 < words <= MAX_WORDS
                 and (_ASKS_DEADLINE.search(text) or _BY_A_DATE.search(text)))
                or (0 < words <= MAX_WORDS_DUE_BY and _DUE_BY.search(text))
                or (0 < words <= MAX_WORDS_WHAT_TIME and _WHAT_TIME.search(text))
                or (0 < words <= MAX_WORDS_DUE_BY and _CLOCK_TIME.search(text)))


def deadline_meant(tracker: Tracker, knowledge: KnowledgeBase) -> str | None:
    """The deadline question a bare "when's the deadline?" asks, from the topic the
    person asked about before; None when the message names its topic, or no earlier
    question has a deadline."""
    text = ((tracker.latest_message or {}).get("text") or "").strip()
    if text.startswith(EXTERNAL_MESSAGE_PREFIX) or not asks_only_when_the_deadline_is(text):
        return None
    # A question about this chat in between ("does it cost anything?") has no deadline:
    # the topic before it is meant.
    before = previous_answered_question(tracker, knowledge, passing=ABOUT_THE_SERVICE)
    if before is not None:
        # A topic with no deadline of its own (the recognition of a diploma) asked about
        # one level: that level's ("jeg har videregående fra eritrea, kan jeg søke
        # universitet?", then "når er fristen").
        if before[1] in DEADLINE_OF:
            return DEADLINE_OF[before[1]]
        # Named a few messages back if not in that question: "må jeg kunne norsk?" after
        # "jeg har videregående fra litauen. kan jeg søke på bachelor i norge?".
        level = the_one_level_named(before[0]) \
            or named_in_recent_messages(tracker, the_one_level_named)
        return COUNTERPARTS["deadline"].get(level) if level else None
    # No answered question before ("går i 10. klasse og aner ikke hva jeg skal søke på
    # vgs" got a counsellor's offer): the deadline of what the person's last few messages
    # named, the latest first.
    return named_in_recent_messages(tracker, deadline_named_in)


# "when does it open", "når åpner det?": right after a deadline, when applying opens.
_WHEN_IT_OPENS = re.compile(
    r"^\W*(?:(?:and|og|but|men|so|så|ok)\W+)?(?:(?:when|what\s+time)\s+(?:does|do|will)\s+"
    r"(?:it|that|they)\s+open|(?:n[aå]r|kva\s+tid|hva\s+tid|ka\s+tid)\s+(?:åpner|apner|opnar|"
    r"opner)\s+(?:det|den|dei|de|søknaden|soknaden)|(?:n[aå]r|kva\s+tid)\s+(?:er|e)\s+"
    r"(?:det|den)\s+(?:åpen|apen|open|opent?))\b", re.IGNORECASE)


def opening_after_a_deadline(tracker: Tracker, knowledge: KnowledgeBase) -> str | None:
    """The deadline just answered, for "when does it open?" right after it: the answer
    says when applying opens (it was read as this chat's opening hours, 0.82)."""
    text = ((tracker.latest_message or {}).get("text") or "").strip()
    if not _WHEN_IT_OPENS.search(text):
        return None
    before = previous_answered_question(tracker, knowledge)
    return before[1] if before is not None and before[1] in DEADLINES else None


def deadline_named(text: str) -> str | None:
    """The deadline a message asks for when it names whose: "dottera mi treng individuell
    vurdering ved opptak til vidaregåande. er fristen den same?" (a long story the
    classifier was unsure of). None when it asks no deadline, asks more than that, or
    names no level."""
    if not _ASKS_DEADLINE.search(text) or \
            sum(asks(part, text) for part in questions_in(text)) >= 2:
        return None  # "når er fristen, og hvor mye får jeg i stipend?" asks two things
    return deadline_named_in(text)


DEADLINES = frozenset({UPPER_SECONDARY_DEADLINE, HIGHER_EDUCATION_DEADLINE,
                       STUDENT_FINANCE_DEADLINE})


# Applying for the loan, in the question: "starting nursing at university in Bodø in
# august. when do i apply for loan?" (0.86 Samordna opptak's deadline for the university).
_APPLIES_FOR_THE_LOAN = re.compile(
    r"\b(?:apply|applying|søke|søkje|søker|søkjer)\s+(?:for\s+|om\s+)?(?:(?:the|a|my)\s+)?"
    r"(?:student\s+)?(?:loan|lån|lånet|studielån\w*)\b", re.IGNORECASE)


_CLAUSES = re.compile(r"[,;]|\s+(?:og|and|men|but)\s+", re.IGNORECASE)


def deadline_of_the_loan_asked(text: str, intent: str) -> str | None:
    """For a message read as a school's deadline whose question asks when to apply for the
    loan (in one clause: "når er søknadsfristen, og hvor mye får jeg i stipend?" asks two
    things), and names no level: the loan's deadline. None for any other message."""
    told = sentences(text)
    question = told[-1] if told else ""
    if intent not in DEADLINES or intent == STUDENT_FINANCE_DEADLINE \
            or level_named(question) is not None:
        return None
    asks_the_loans = any(_APPLIES_FOR_THE_LOAN.search(clause) or (
        names_student_finance(clause) and asks_for_a_deadline(clause))
        for clause in _CLAUSES.split(question))
    return STUDENT_FINANCE_DEADLINE if asks_the_loans else None


def deadline_of_the_one_level_named(text: str, intent: str) -> str | None:
    """For a message read as one deadline that names one level only, and another's: that
    level's deadline. A parent's long story about a son starting upper secondary, asking
    whether pupils who need individual assessment apply earlier, read as Samordna
    opptak's deadline (special assessment there is 1 March). A pupil in lower secondary
    ("ungdomsskolen", "10. klasse") applies to upper secondary, and so does one who asks
    for an apprenticeship and names no level ("ka e fristen for å søkje læreplass", 0.40
    Samordna opptak's)."""
    level = the_one_level_named(text) or _apprenticeship_alone(text)
    if intent not in DEADLINES or level is None \
            or names_student_finance(text) or deadline_named(text) is None:
        return None  # no deadline asked, or more than that
    if intent == HIGHER_EDUCATION_DEADLINE and _NAMES_SAMORDNA.search(text):
        return None  # "går vg3 … når er fristen på samordna?": Samordna opptak's, by name
    # The level counted, not the first found: "10. klasse" in a story about fagskole.
    named = COUNTERPARTS["deadline"].get(level)
    return named if named not in (None, intent) else None


def deadline_named_in_a_weak_reading(text: str, intent: str, confidence: float) -> str | None:
    """For a message read weakly as a topic with no deadline of its own, that asks for a
    deadline and names whose: that deadline ("her Norwegian is still weak. teacher … said
    something about special language teaching and early deadline?", 0.47 a regulated
    profession). None otherwise."""
    # (below in_context's bar for a weak career reading)
    if confidence >= WEAK_CAREER_READING or intent in DEADLINES or intent in DEADLINE_OF:
        return None
    return deadline_named(text)


# Having missed Samordna opptak's deadline: "I miss the deadline in april. is too late for
# this year?" (read as the deadline itself) asks what can be done now; the study choices'
# answer says that vacant places are applied for in July.
_MISSED_IT = re.compile(
    r"\bmiss(?:ed|ing)?\s+(?:the\s+|it|that)|\btoo\s+late\b|\bfor\s+seint?\b|"
    r"\b(?:rakk|rekte|rakk\s+eg|rakk\s+jeg)\s+(?:ikke|ikkje)\b|\bglem(?:te|de)\s+(?:å\s+)?s[oø]k|"
    r"\bgløymde\s+(?:å\s+)?søk|" + _NOT_MAKING_IT, re.IGNORECASE)
AFTER_HIGHER_EDUCATIONS_DEADLINE = "ask_higher_education_choices"


def after_a_missed_deadline(text: str, intent: str) -> str | None:
    """What can be done after missing Samordna opptak's deadline, for a message read as
    that deadline which says it was missed; None for any other."""
    if intent == HIGHER_EDUCATION_DEADLINE and _MISSED_IT.search(text) \
            and not _ASKS_WHEN_IT_WAS.search(text):
        return AFTER_HIGHER_EDUCATIONS_DEADLINE
    return None


# "…but missed the deadline. when was it?": the deadline itself, asked of the past.
_ASKS_WHEN_IT_WAS = re.compile(
    r"\b(?:when|what)\s+(?:was|were)\b|\b(?:når|kva\s+tid|hva\s+tid|ka\s+tid)\s+var\b|"
    r"\b(?:hva|kva|ka)\s+var\s+(?:fristen|datoen)\b", re.IGNORECASE)


MISSED_IT_MAX_WORDS = 10


def missed_the_deadline_before(tracker: Tracker, knowledge: KnowledgeBase) -> str | None:
    """``after_a_missed_deadline`` for a short follow-up naming no topic ("what if I miss
    it", read as going on with the topic) right after Samordna opptak's deadline."""
    text = ((tracker.latest_message or {}).get("text") or "").strip()
    if _NAMES_A_TOPIC.search(text) or len(_WORD.findall(text)) > MISSED_IT_MAX_WORDS:
        return None
    before = previous_answered_question(tracker, knowledge, passing=ABOUT_THE_SERVICE)
    return after_a_missed_deadline(text, before[1]) if before is not None else None


def _apprenticeship_alone(text: str) -> str | None:
    """Upper secondary, for a message that names an apprenticeship and no level: an
    apprenticeship is applied for at vigo.no, by upper secondary's deadline."""
    named = NAMES_AN_APPRENTICESHIP.search(text) and not levels_named(text)
    return UPPER_SECONDARY if named else None


def deadline_named_in(text: str) -> str | None:
    """The deadline of the level or student finance ``text`` names, if it names one; a
    pupil in 10th grade applies to upper secondary."""
    if names_student_finance(text):
        return STUDENT_FINANCE_DEADLINE
    if NAMES_AN_APPRENTICESHIP.search(text):
        return UPPER_SECONDARY_DEADLINE  # "og for lærlingplass, samme frist?": vigo.no's
    level = UPPER_SECONDARY if BEFORE_UPPER_SECONDARY.search(text) else level_named(text)
    if level is None and NAMES_PABYGG.search(text):
        level = UPPER_SECONDARY  # påbygg is a year (Vg3) of upper secondary
    if level is None and names_a_child_of_school_age(text):
        level = UPPER_SECONDARY  # "Sønnen min er 15 …": on the way to upper secondary
    if level is None and _NAMES_SAMORDNA.search(text):
        return HIGHER_EDUCATION_DEADLINE
    return COUNTERPARTS["deadline"].get(level) if level else None
