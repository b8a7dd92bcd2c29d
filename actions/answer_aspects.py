"""The part of an answer a follow-up asks about: its price, how long it takes, whom to contact.

"and is it free?" after fagskole, "how long does it take?" after recognition, "who do i
contact?" after prior learning, "og søknadsfristen?" or "can i go there without a trade
certificate?" after fagskole are read with the question before and answered with that
answer again: four paragraphs for one sentence's worth of question, three times over in a
conversation. When a follow-up asks one of these aspects and the answer has sentences on
it, those sentences are what the person needs; with none, the whole answer is given again.
"""

from __future__ import annotations

import re

# (what the follow-up asks, what a sentence that answers it says), in Bokmål, Nynorsk and
# English. A sentence is one of the answer's, its source line left out.
# A referral asked about, as people write it: the aspect below, and the body it would
# come from (``_REFERRED_BY``).
_REFERRAL = r"(?:referrals?|referred|henvisning\w*|henvist|tilvising\w*|tilvist)"
# The days of a weekend, as people write them (actions/deadlines reads a deadline on one).
WEEKEND_WORDS = (r"l[øo]rdag\w*|laurdag\w*|s[øo]ndag\w*|sundag\w*|helg\w*|weekends?|"
                 r"saturdays?|sundays?")
_WEEKEND = rf"\b(?:{WEEKEND_WORDS})\b"
# A day and a month, as the answers write them: "1. mars", "15 April".
A_DATE = (r"\b\d{1,2}\.?\s*(?:januar|februar|mars|april|mai|juni|juli|august|september|"
         r"oktober|november|desember|january|february|march|may|june|july|october|december)\b")
ASPECTS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (re.compile(asked, re.IGNORECASE), re.compile(said, re.IGNORECASE)) for asked, said in (
        # the price
        (r"\b(?:gratis|free|kost\w*|cost\w*|betal\w*|pay|price|pris\w*|fees?|avgift\w*|"
         r"dyrt|dyr|expensive)\b",
         # (paying a loan back is no price: "penger du ikke trenger å betale tilbake"; nor
         # is "it pays to get in touch early")
         r"\b(?:gratis|free|kost\w*|cost\w*|betal\w*(?!\s+(?:\w+\s+)?tilbake)|"
         r"(?<!\bit\s)pay\w*(?!\s+(?:\w+\s+)?back)|pris\w*|price\w*|fees?|avgift\w*|"
         r"skolepeng\w*|skulepeng\w*|tuition)\b"),
        # how long a text should be: "kor lang bør ho vere?" after a CV («Hald han kort og
        # oversiktleg …»; before how long it takes, which "how long" asks too)
        (r"\b(?:hvor|kor|how)\s+(?:lang|langt|long)\s+(?:bør|skal|ska|må|should|must|can|kan|"
         r"is|er|e)\s+(?:(?:den|det|ho|han|it|a|my|the|en|ein|ei)\s+)?(?:(?:cv|cv-?en|"
         r"søknaden|søknad|letter|application)\s+)?(?:være|vere|bli|be)?\b(?!\s*\w)|"
         r"\b(?:hvor|kor|how)\s+many\s+pages\b|\b(?:hvor|kor)\s+mange\s+sider\b|"
         r"\blengde\w*|\blength\b",
         r"\bkort\s+og\b|\bshort\b|\bkortfatt\w*|\b(?:ei|en|one|to|two)\s+(?:sider?|pages?)\b"),
        # how long it takes or lasts
        # (how much experience is how long one has worked: "how much experience does she
        # need first?" after a trade certificate on the job, «… around a year …»)
        (r"\b(?:hvor|kor|how)\s+(?:lenge|lang\s+tid|long)\b|\bvarighet\b|\bduration\b|"
         r"\b(?:hvor|kor|how)\s+(?:mye|mykje|much|mange|many)\s+(?:års?\s+|years?\s+(?:of\s+)?)?"
         r"(?:erfaring|praksis|experience|years|år)\b",
         r"\b\d+\s*(?:år|years?|måneder|månader|months?|uker|veker|weeks?|semest\w*)\b|"
         r"\b(?:seks|six|to|two|tre|three|fire|four|fem|five|ett|eitt|one|et|eit|a|an)\s+"
         r"(?:(?:extra|ekstra)\s+)?(?:års?|years?|måneder|månader|months?|uker|veker|weeks?)\b"),
        # a deadline on a weekend: "fristen faller på en lørdag i år, hva gjør vi da?" after
        # upper secondary's (its answer says the Monday after counts; before the deadline,
        # which "fristen" asks too)
        (_WEEKEND, _WEEKEND),
        # the deadline: "og søknadsfristen?" after fagskole, answered with that answer again
        (r"\b(?:\w*frist\w*|deadlines?)\b",
         rf"\b(?:\w*frist\w*|deadlines?)\b|{A_DATE}"),
        # how or where to apply: "hvordan søker jeg om bytte" after a pupil's rights (0.61
        # out of scope) got the sentence on switching, not «Søknaden om nytt program sender
        # du på vigo.no …»
        (r"\b(?:hvordan|korleis|koss|kossn|åssen|how|hvor|kvar|kor|where)\b.{0,20}"
         r"\b(?:søker|søkjer|søke|søkje|sender|sende|apply|send)\b",
         r"\b(?:søknad\w*|apply|application\w*)\b.{0,60}\b(?:vigo\.no|samordnaopptak\.no|"
         r"lanekassen\.no|nav\.no)|\b(?:vigo\.no|samordnaopptak\.no)\b"),
        # the hour: "ka klokkeslett" after Samordna opptak's deadline ("kva tid" is "when")
        (r"\bklokkeslett\w*|\bwhat\s+time\b|\bklokka\b|\bklokken\b|\bhvilken\s+tid\b|"
         r"\bkl\.?\s*(?:hva|kva|ka)\b|\b(?:hva|kva|ka)\s+kl\b",
         r"\bkl\.\s*\d|\b\d{1,2}[:.]\d{2}\b"),
        # the conditions for it: "hva er kravene for det" after the grant («For å få det må
        # du bo borte …»; before getting in, which "krav" asks too)
        (r"\b(?:krav(?:et|ene|a)?|vilkår(?:et|ene|a)?|betingelse(?:n|ne)?|conditions?|"
         r"requirements?|criteria)\s+(?:for|til|to)\s+(?:det|dette|den|denne|that|this|it)\b",
         r"\b(?:for\s+å\s+få\s+(?:det|dette|den)|to\s+qualify|vilkår\w*|conditions?)\b"),
        # what it takes to get in: "kan jeg gå der uten fagbrev" after fagskole
        (r"\b(?:uten|utan|without)\b|\bkrav\b|\brequire(?:d|ments?)?\b|"
         r"\b(?:komme|kome|komma)\s+inn\b|\bget\s+in(?:to)?\b",
         # a place of study, not work ("more education to get into work")
         r"\b(?:komme|kome|komma)\s+inn\b|\bget\s+in(?:to)?\b(?!\s+(?:work|a\s+job|jobs?)\b)|"
         r"\badmitted\b|"
         r"\b(?:opptakskrav|entry\s+requirements?|admission\s+requirements?)\b"),
        # how many hours: of a subject, "hvor mange timer matte", "kor mange timar norsk må
        # ein ha" after the 23/5 rule («… norsk (393 timer), …»), or of guidance, "how many
        # hours can I get?" after Troms's centre («… up to three hours of free …»)
        (r"\b(?:hvor|kor|ka|how)\s+(?:mange|many)\s+(?:timer|timar|hours)\b",
         r"\b(?:norsk|norwegian)\b.{0,40}\b(?:engelsk|english)\b|"
         r"\b(?:\d+|one|two|three|four|five|six|ten|en|ein|eitt?|to|tre|fire|fem|seks|ti)\s+"
         r"(?:(?:free|gratis)\s+)?(?:hours|timer|timar)\b"),
        # the subjects: "ka fag må ho ha då" after the 23/5 rule, «… bestått seks fag: norsk
        # (393 timer), …»
        (r"\b(?:which|what)\s+subjects?\b|\bsubjects?\s+(?:do|would|does|must)\b|"
         r"\b(?:hvilke|kvilke|hva\s+slags|kva\s+slags|hva|kva|ka)\s+fag\b|\bfagene\b|\bfaga\b",
         r"\b(?:norsk|norwegian)\b.{0,40}\b(?:engelsk|english)\b"),
        # an appeal: "hva om jeg er uenig i resultatet?" after prior learning («Er du uenig
        # i resultatet …, kan du klage.»)
        (r"\b(?:uenig|ueinig|disagree\w*|klag\w*|appeal\w*|complain\w*)\b",
         r"\b(?:klag\w*|appeal\w*|uenig|ueinig|disagree)\b"),
        # whom to contact, or where to turn
        # (also in dialect, and who arranges it: "kæm ordne det" after prior learning)
        (r"\b(?:hvem|kven|kæm|kem|who)\b.{0,25}\b(?:kontakt\w*|contact\w*|ringe|ringje|call|spør\w*|"
         r"ask|ordn\w*|arrange\w*|organi[sz]\w*|handles?)\b|"
         r"\b(?:hvor|kor|kvar|where)\b.{0,25}\b(?:kontakt\w*|contact\w*|henvend\w*|turn)\b",
         r"\b(?:kontakt\w*|contact\w*|ta\s+kontakt|get\s+in\s+touch|henvend\w*|organi[sz]\w*)\b"),
        # a referral: "she need referral from NAV?" after a career centre («… you need no
        # referral.», read as NAV's courses)
        (rf"\b{_REFERRAL}\b", r"\b(?:referrals?|henvisning\w*|tilvising\w*)\b"),
        # who decides: "er det saksbehandlaren min som bestemmer om eg kjem med på eit slikt
        # kurs?" after NAV's courses («Det er NAV-kontoret ditt som avgjer …»)
        (r"\b(?:(?:saksbehandl\w*|caseworker|case\s+worker)\b.{0,20})?"
         r"\b(?:bestemm(?:er|ar|e)|avgj(?:er|ør|ere|øre)|decides?|decision)\b",
         r"\b(?:avgj\w*|bestemm\w*|decid\w*)\b"),
        # whether it is kept from NAV or the employer: "they will tell NAV about me?" after a
        # career centre («… have a duty of confidentiality and do not report to NAV …»)
        # "seier dei noko vidare til nav eller arbeidsgjevaren?"
        (r"\b(?:tell|report|inform|pass\w*\s+(?:it\s+)?on|(?:si|sier|seier|seie|seia)\s+"
         r"(?:(?:de|dei|dere|dykk)\s+)?(?:(?:noe|noko)\s+)?(?:fra|frå|ifra|ifrå|i\s+frå|videre|vidare)|"
         # "sier de noe til nav?"
         r"(?:sier|seier|seie|seia)\s+(?:de|dei|dere|dykk)\s+(?:noe|noko)|"
         r"fortelle|fortelje|rapporter\w*|melde)\b.{0,25}\b(?:nav|employers?|boss|arbeidsgiver\w*|arbeidsgjevar\w*|sjef\w*)\b|"
         r"\b(?:taushetsplikt|teieplikt|confidential\w*)\b",
         r"\b(?:taushetsplikt|teieplikt|confidentiality|rapporterer|report)\b"),
        # booking: "treng eg timebestilling der?" after a career centre («Du bestiller time
        # sjølv, …»)
        (r"\btimebestilling\w*|\b(?:booke|booker|bestille|bestiller|bestilla|"
         r"book|make)\s+(?:(?:en|ein|a|an)\s+)?(?:time|timar|timer|appointment)\b|"
         r"\bappointments?\b",
         r"\bbestill\w*\s+(?:du\s+)?time\b|\bbook\s+an\s+appointment\b"),
        # where it is: "kor ligg kontora deira?" after a career centre («… har kontor i Alta
        # og Vadsø og rettleiingsdagar i Hammerfest og Kirkenes.»)
        (r"\b(?:hvor|kor|kvar|where)\s+(?:ligg\w*|er|e|is|are)\s+(?:(?:the|their|your)\s+)?"
         r"(?:kontor\w*|offices?|they|de|dei|dere|dykk|you)\b"
         r"(?:\s+(?:deira|deres|dykkar|hen|located))?|"
         r"\b(?:hvor|kor|kvar|where)\b.{0,20}\blocated\b|\badress\w*|\baddress\w*",
         r"\bkontor\w*|\boffices?\b|\badress\w*|\baddress\w*|\bveiledningsdag\w*|"
         r"\brettleiingsdag\w*|\bvisiting\s+days?\b"),
    ))
# The subjects of school, as people name them: "kor mange timar matte" asks of a subject
# (the 23/5 rule's hours), never of an everyday thing.
_SCHOOL_SUBJECTS = re.compile(
    r"\b(?:matte|matematikk|maths?|mathematics|norsk|norwegian|engelsk|english|historie|"
    r"history|samfunnsfag|samf|social\s+studies|naturfag|natural\s+science|science|"
    r"realfag\w*|fremmedspråk\w*|framandspråk\w*|spansk|tysk|fransk|kjemi|fysikk|"
    r"biologi|r1|r2|s1|s2|1t|1p|2p)\b", re.IGNORECASE)


def names_a_school_subject(text: str) -> bool:
    return bool(_SCHOOL_SUBJECTS.search(text))


# An age is no length of time: "19 år eller eldre", "over 25 år", "from age 25".
_AGES = re.compile(
    r"\b(?:over|fra|frå|fyller|fylt|fylte|from|aged?|under|turned?)\s+(?:age\s+)?\d+"
    r"(?:\s*(?:år|years?))?|"
    r"\b\d+\s*(?:år|years?)\s+(?:eller\s+eldre|or\s+older|old|gammal|gammel)\b",
    re.IGNORECASE)
_NAMES_A_DATE = re.compile(A_DATE, re.IGNORECASE)


def names_a_date(text: str) -> bool:
    """Whether ``text`` names a day of a month: "and if this 1 february is on sunday"."""
    return bool(_NAMES_A_DATE.search(text))


_SOURCE_LINE = re.compile(r"^\s*(?:kilde|kjelde|source|les mer|les meir|read more)\b",
                          re.IGNORECASE)
# More than this, and the aspect is the answer's whole subject: give it whole.
MAX_SENTENCES = 3


# The bot's answers are written with care: a sentence ends before a capital letter, not
# at an ordinal date ("Fristen er 15. november …, og 15. mars for vårsemesteret.").
_ANSWER_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«\"])")


def answer_sentences(answer: str) -> list[str]:
    """The sentences of an answer as the bot sent it, its source lines left out."""
    return [sentence.strip() for line in answer.splitlines() if not _SOURCE_LINE.match(line)
            for sentence in _ANSWER_SENTENCE_END.split(line) if sentence.strip()]


# Someone the person asks for: "and my brother is 23, same rule for him?"
ANOTHER_PERSON = (
    r"(?:brother|sister|son|daughter|wife|husband|partner|mother|mum|mom|father|dad|friend|"
    r"cousin|nephew|niece|child|kid|bror\w*|søster\w*|syster\w*|sønn\w*|sonen|datter\w*|"
    r"dotter\w*|dattera|kona|kone|mannen|samboer\w*|sambuar\w*|mora|moren|mor|faren|far|"
    r"venn\w*|kompis\w*|fetter\w*|kusine\w*|ungen|gutten|jenta)")
NAMES_ANOTHER_PERSON = re.compile(rf"\b{ANOTHER_PERSON}\b", re.IGNORECASE)
# Whether one is old or young enough: "må eg vere over 19?", "i'm 17, can i go there?"
# after a career centre (its answer says who it is for). An age is what is asked here, so
# it is not struck out as for the other aspects.
_ASKS_AN_AGE = re.compile(
    r"\b(?:over|under|above|below)\s+\d{2}\b|"
    # "og om jeg var 24?" after prior learning
    r"\b(?:i'?m|im|i\s+am|i\s+was|eg\s+er|eg\s+e|eg\s+var|jeg\s+er|jeg\s+var|æ\s+e|æ\s+va|"
    r"han\s+er|hun\s+er|ho\s+er|he'?s|she'?s)\s+"
    r"(?:bare\s+|berre\s+|only\s+|just\s+)?\d{2}\b|"
    rf"\b{ANOTHER_PERSON}(?:\s+(?:min|mi|mitt|mine|vår|vårt))?\s+"
    r"(?:who'?s|(?:(?:som|who)\s+)?(?:is|er|e|'s))\s+(?:bare\s+|berre\s+|only\s+|just\s+)?"
    r"\d{2}\b|"
    # "sjølv om eg berre e 18?"
    r"\b(?:eg|jeg|æ|i)\s+(?:bare|berre|only|just)\s+(?:er|e|am)\s+\d{2}\b|"
    # the subject left out on a phone: "er 18 tho, får jeg komme dit?"
    r"^\W*(?:er|e|æ|am)\s+(?:bare\s+|berre\s+|only\s+|just\s+)?\d{2}\b|"
    r"\baldersgrense\w*|\bage\s+limit\b|\btoo\s+(?:young|old)\b|"
    # "do I need to be over a certain age to go there" after a career centre
    r"\bcertain\s+age\b|\bhow\s+old\b|\b(?:hvor|kor)\s+gam(?:mel|mal)\b|\balder(?:en)?\b|"
    # "and what if I only turn 22 this year?" after the 23/5 rule
    r"\bturn(?:s|ing)?\s+\d{2}\b|\bfyll(?:er|ar|e)\s+\d{2}\b|"
    r"\bfor\s+(?:ung|gammel|gammal)\b", re.IGNORECASE)
_SAYS_AN_AGE = re.compile(
    r"\b(?:over|under|fra|frå|from)\s+\d{2}\b|\b\d{2}\s*(?:år|years?)\b|"
    r"\b\d{2}\s+or\s+(?:older|over|younger)\b|\baged?\s+\d{2}\b|\bturn\s+\d{2}\b|"
    r"\b(?:aldersgrense|age\s+limit)\b", re.IGNORECASE)


def asks_an_age(text: str) -> bool:
    return bool(_ASKS_AN_AGE.search(text))


# The age something requires: "hvor gammel må man være" after the 23/5 rule (0.86 out of
# scope), "how old do you have to be"; not "hvor gammel er du".
_ASKS_THE_AGE_REQUIRED = re.compile(
    r"\b(?:hvor|kor|ko|kå)\s+gam(?:mel|mal|mæl)\s+(?:må|skal|ska|bør|treng|trenger)\b|"
    r"\bhow\s+old\s+(?:do|does|must|should|have|has|need)\b|\baldersgrense\w*|"
    r"\bage\s+limit\b|\b(?:certain|minimum)\s+age\b", re.IGNORECASE)


def asks_the_age_required(text: str) -> bool:
    return bool(_ASKS_THE_AGE_REQUIRED.search(text))


def asks_an_aspect(text: str) -> bool:
    """Whether ``text`` asks one of the aspects an answer may have sentences on."""
    return asks_an_age(text) or any(asked.search(text) for asked, _ in ASPECTS)


def sentences_on(question: str, answer: str) -> list[str]:
    """The sentences of ``answer`` on the aspect ``question`` asks about; none when it
    asks about no aspect, the answer says nothing on it, or says it everywhere."""
    sentences = answer_sentences(answer)
    if asks_an_age(question):
        found = [sentence for sentence in sentences if _SAYS_AN_AGE.search(sentence)]
        if found:
            return found if len(found) <= MAX_SENTENCES else []
    for asked, said in ASPECTS:
        if asked.search(question):
            found = [sentence for sentence in sentences
                     if said.search(_AGES.sub(" ", sentence))]
            found = _of_the_body_named(question, sentences, found)
            return found if len(found) <= MAX_SENTENCES else []
    return []


# Who pays, decides or admits, named in the question: "can NAV help pay for it or support me
# while I do it?" after fagskole asks what NAV does, not the fees.
_BODIES = re.compile(r"\b(?:nav|lånekassen|lanekassen|fylkeskommunen|samordna|nokut|hk-dir|"
                     r"arbeidsgiver\w*|arbeidsgjevar\w*|employers?)\b", re.IGNORECASE)


# The body a referral would come from is not the one asked about: "she need referral from
# NAV?" asks whether a referral is needed.
_REFERRED_BY = re.compile(rf"\b{_REFERRAL}\s+(?:from|fra|frå|ifrå|by|av)\s+\S+", re.IGNORECASE)


def _of_the_body_named(question: str, sentences: list[str], found: list[str]) -> list[str]:
    """The sentences that name the body the question names, when those on the aspect do
    not; else those on the aspect."""
    bodies = {body.lower() for body in _BODIES.findall(_REFERRED_BY.sub(" ", question))}
    if not bodies or any(body in sentence.lower() for sentence in found for body in bodies):
        return found
    named = [sentence for sentence in sentences
             if any(body in sentence.lower() for body in bodies)]
    return named or found


def blanked(text: str, *patterns: re.Pattern[str]) -> str:
    """``text`` with what ``patterns`` match blanked out, each place kept (an entity's
    offsets still hold)."""
    for pattern in patterns:
        text = pattern.sub(lambda match: " " * len(match.group()), text)
    return text


def without_the_aspects(question: str) -> str:
    """``question`` with the words that ask an aspect blanked out: "kostar" in "kostar det
    noko?" asks the price, it names nothing new."""
    return blanked(question, *(asked for asked, _ in ASPECTS), _ASKS_AN_AGE)
