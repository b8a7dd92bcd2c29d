"""Veivalg's NLU components on real Rasa messages, without a trained model."""

from __future__ import annotations

import re

import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.server.nlp.components import (
    OCCUPATION_LEMMA,
    PLACE_LEMMA,
    AGreetingThatAsks,
    AnAdultsUpperSecondary,
    CrisisDetector,
    FarewellEndsIt,
    HelpToChoose,
    MoreAskedFor,
    NamedThingMasker,
    NoWishForAPerson,
    OccupationExtractor,
    PlaceExtractor,
    QuestionIsNoReply,
    SamiRecogniser,
    ThanksThatAsk,
    TheWayToAnOccupation,
    WhereToTurnIsAQuestion,
)
from bot.shared.asking import asks_to_reach_a_counsellor, says_farewell


def classified(text: str, intent: str = "ask_cv", confidence: float = 0.9) -> Message:
    return Message(data={
        TEXT: text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence},
                           {"name": "crisis", "confidence": 0.05}],
    })


def test_crisis_language_overrides_whatever_the_classifier_said() -> None:
    detector = CrisisDetector({}, None, None)
    message = detector.process([classified("jeg vil ikke leve lenger", "nlu_fallback")])[0]
    assert message.get("intent") == {"name": "crisis", "confidence": 1.0}
    names = [entry["name"] for entry in message.get("intent_ranking")]
    assert names == ["crisis", "nlu_fallback"]  # crisis once, first


def test_other_messages_keep_their_intent() -> None:
    detector = CrisisDetector({}, None, None)
    message = detector.process([classified("hvordan skriver jeg en cv")])[0]
    assert message.get("intent")["name"] == "ask_cv"


def test_sami_is_recognised_but_crisis_wins() -> None:
    sami = SamiRecogniser({}).process([classified("Bures! Mun háliidan oahppat")])[0]
    assert sami.get("intent")["name"] == "speak_sami"
    crisis = SamiRecogniser({}).process([classified("Mun áiggun goddit iežan", "crisis")])[0]
    assert crisis.get("intent")["name"] == "crisis"


FREE_OF_CHARGE = "ask_service_free_anonymous"


@pytest.mark.parametrize(
    ("text", "occupation", "written"),
    [("hva gjør en rørlegger egentlig", "rorlegger", "rørlegger"),
     ("kva gjer sjukepleiarane på jobb", "sykepleier", "sjukepleiarane"),
     ("how do I become an electrician now", "elektriker", "electrician")],
)
def test_the_occupation_is_extracted_as_its_id(text: str, occupation: str, written: str) -> None:
    message = OccupationExtractor({}).process([Message(data={TEXT: text})])[0]
    [entity] = message.get("entities")
    assert entity["entity"] == "occupation" and entity["value"] == occupation
    # The span covers the name as the person wrote it, and nothing more.
    assert text[entity["start"]:entity["end"]] == written


@pytest.mark.parametrize(("text", "occupation"), [
    # the story names the work done, the question the work wanted
    ("I'm 41 and have worked in IT support for 15 years. I have always dreamt of teaching. "
     "What is the way to become a teacher?", "laerer"),
    ("Jeg er kokk. Hva gjør en elektriker?", "elektriker"),
    # one sentence: the first named, as before
    ("er lønna bedre som snekker enn som elektriker?", "snekker"),
])
def test_of_several_occupations_the_one_the_question_names_is_extracted(
        text: str, occupation: str) -> None:
    message = OccupationExtractor({}).process([Message(data={TEXT: text})])[0]
    [entity] = message.get("entities")
    assert entity["value"] == occupation


def test_no_entity_without_an_occupation() -> None:
    message = OccupationExtractor({}).process([Message(data={TEXT: "når er fristen"})])[0]
    assert not message.get("entities")


def test_places_and_occupations_become_placeholders_for_the_featurizers() -> None:
    message = Message(data={TEXT: "hvordan blir jeg sveiser i Bodø"})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    NamedThingMasker({}).process([message])
    lemmas = [token.lemma for token in message.get(TOKENS_NAMES[TEXT])]
    assert lemmas == ["hvordan", "blir", "jeg", OCCUPATION_LEMMA, "i", PLACE_LEMMA]
    assert message.get(TEXT) == "hvordan blir jeg sveiser i Bodø"  # the text is untouched


@pytest.mark.parametrize(
    ("text", "confidence"),
    [("hva er den beste måten å leve på", 0.8),  # the classifier unsure: not a crisis
     ("jeg vil jobbe med selvmordsforebygging", 0.99)],  # sure, but career talk
)
def test_the_classifiers_own_crisis_needs_certainty_and_no_other_sense(
    text: str, confidence: float
) -> None:
    message = CrisisDetector({}, None, None).process([classified(text, "crisis", confidence)])[0]
    assert message.get("intent") == {"name": "nlu_fallback", "confidence": confidence}


def test_a_sure_classifier_keeps_crisis_the_patterns_did_not_see() -> None:
    text = "nothing feels real and i keep saying goodbye in my head"
    message = CrisisDetector({}, None, None).process([classified(text, "crisis", 0.97)])[0]
    assert message.get("intent")["name"] == "crisis"


class SureOf:
    """The learned half of the crisis net, sure to a given degree of every message."""

    def __init__(self, score: float) -> None:
        self.score = score

    def scores(self, texts: list[str], embeddings: object = None) -> list[float]:
        return [self.score] * len(texts)


def detector_sure_of(score: float) -> CrisisDetector:
    return CrisisDetector({"sense_threshold": 0.97, "check_threshold": 0.8}, None, None,
                          sense=SureOf(score))


@pytest.mark.parametrize(("score", "intent", "checked"), [
    (0.98, "crisis", False),   # sure: the help lines and an urgent case
    (0.85, "ask_cv", True),    # perhaps: the bot asks first, the intent stays
    (0.50, "ask_cv", False),   # not crisis language
])
def test_the_learned_half_decides_crisis_a_question_or_nothing(
    score: float, intent: str, checked: bool
) -> None:
    message = detector_sure_of(score).process([classified("hva skjer med lånet mitt")])[0]
    assert message.get("intent")["name"] == intent
    assert (message.get("crisis_check") is not None) is checked
    assert ("crisis_check" in message.as_dict(only_output_properties=True)) is checked



@pytest.mark.parametrize(("confidence", "checked"), [(0.85, True), (0.6, False)])
def test_the_classifiers_unsure_crisis_asks_how_the_person_is(
    confidence: float, checked: bool
) -> None:
    text = "orker ikke mer av dette egentlig"
    message = detector_sure_of(0.2).process([classified(text, "crisis", confidence)])[0]
    assert message.get("intent") == {"name": "nlu_fallback", "confidence": confidence}
    assert (message.get("crisis_check") is not None) is checked


def test_career_talk_the_classifier_took_for_crisis_is_not_questioned() -> None:
    text = "jeg vil jobbe med selvmordsforebygging"
    message = detector_sure_of(0.2).process([classified(text, "crisis", 0.9)])[0]
    assert message.get("crisis_check") is None

def test_a_pressed_button_and_excused_career_talk_are_never_questioned() -> None:
    for text in ("/ask_cv", "jeg vil jobbe med selvmordsforebygging"):
        message = detector_sure_of(0.9).process([classified(text)])[0]
        assert message.get("crisis_check") is None, text


@pytest.mark.parametrize("text", [
    "Takk. Det var alt.", "Det var alt.", "ok takk, det var det jeg lurte på",
    "Takk for hjelpa. Det var alt eg lurte på.", "thanks, that's all 🙂",
])
def test_a_plain_closing_is_no_farewell_in_crisis(text: str) -> None:
    # The learned half read "Det var alt." as a farewell (1.0).
    message = detector_sure_of(1.0).process([classified(text, "thank", 0.92)])[0]
    assert message.get("intent")["name"] == "thank"
    assert message.get("crisis_check") is None


@pytest.mark.parametrize("text", [
    "og hvis jeg ikke har det?", "og om eg ikkje har det då?", "hva om han ikke har det",
    "and if I don't have it?", "what if she doesn't have one yet",
])
def test_asking_what_if_one_lacks_it_is_no_sign_of_crisis(text: str) -> None:
    # "og hvis jeg ikke har det?" after fagskole's requirements (0.89 the learned half)
    message = detector_sure_of(0.89).process([classified(text, "continue_topic", 0.81)])[0]
    assert message.get("intent")["name"] == "continue_topic"
    assert message.get("crisis_check") is None


@pytest.mark.parametrize("text", [
    # how one is, or more than the bare question: the learned half reads it
    "hva om jeg ikke har det bra?", "og hvis jeg ikke har det, hva er vitsen med alt",
    "jeg har det ikke godt",
])
def test_how_one_is_stays_with_the_learned_half(text: str) -> None:
    message = detector_sure_of(0.89).process([classified(text, "continue_topic", 0.81)])[0]
    assert message.get("crisis_check") is not None


@pytest.mark.parametrize("text", [
    "takk for alt", "Takk for alt. Det var alt.", "det var alt. ha det",
    "Det var alt for meg.", "takk, det var alt, eg har alt klart no",
])
def test_a_closing_with_more_in_it_stays_with_the_learned_half(text: str) -> None:
    message = detector_sure_of(1.0).process([classified(text, "thank", 0.92)])[0]
    assert message.get("intent")["name"] == "crisis"


@pytest.mark.parametrize("text", ["takk, giitu", "Giitu ollu!", "tusen takk, giitu. det var alt"])
def test_thanks_in_sami_at_the_end_of_a_chat_is_thanks(text: str) -> None:
    # "takk, giitu" was handed to a Sami counsellor, with the queue's notice.
    message = SamiRecogniser({}).process([classified(text, "thank")])[0]
    assert message.get("intent")["name"] == "thank"


def test_a_request_for_more_goes_on_with_the_topic_before() -> None:
    asked = MoreAskedFor({}).process([classified("kan du si litt mer om det?", "out_of_scope")])
    assert asked[0].get("intent") == {"name": "continue_topic", "confidence": 1.0}
    named = MoreAskedFor({}).process([classified("kan du si mer om fagskole?", "ask_fagskole")])
    assert named[0].get("intent")["name"] == "ask_fagskole"


def test_a_request_for_the_answer_in_another_language_goes_on_with_the_topic_before() -> None:
    asked = MoreAskedFor({}).process([classified(
        "sorry my norwegian is not so good, can you explain that in english?",
        "ask_about_service")])
    assert asked[0].get("intent") == {"name": "continue_topic", "confidence": 1.0}


@pytest.mark.parametrize(("text", "intent"), [
    ("er det ikke NOKUT som gjør det?", "nlu_fallback"),  # was deny, 0.40
    ("skal jeg bare vente?", "nlu_fallback"),
    ("nei, hva er det?", "deny"), ("ja?", "affirm"), ("ok?", "affirm"),
    ("nei takk", "deny"), ("sure, why not", "affirm"),
    # a question word opening a clause asks, without a question mark too
    ("ugh ok. who do I contact then", "nlu_fallback"),  # was affirm, 0.59
    ("ugh. so who decides that", "nlu_fallback"),
    ("ok, men hvem bestemmer det da", "nlu_fallback"),
    ("nei, hvem gjør det da", "deny"), ("ja, når kan jeg snakke med en", "affirm"),
    ("ok bra, da vet jeg hva jeg skal gjøre", "affirm"),
    # its verb first, without a question mark
    ("do i get one of them for sure", "nlu_fallback"),  # was affirm, 0.70
    ("yes do it", "affirm"),
    # a no that corrects the question before says what was meant
    ("nei, ikkje kurs, eg meinte fagskule", "nlu_fallback"),  # was deny, 0.44
    ("no, for spring semester", "nlu_fallback"),  # was deny, 0.88
    ("nei jeg spurte ikke om lærling", "nlu_fallback"),
    ("thats not what I asked. i mean for people over 25", "nlu_fallback"),
    # a correction that names nothing is a no as any other
    ("nope, that's not what I meant", "deny"), ("nei, jeg mente ikke det", "deny"),
    ("nei, det var alt", "deny"), ("no, not now", "deny"), ("no, for now i'm fine", "deny"),
    ("nei, ikke for meg", "deny"),
])
def test_a_question_is_no_yes_or_no(text: str, intent: str) -> None:
    read = classified(text, "affirm" if intent == "affirm" else "deny", 0.4)
    assert QuestionIsNoReply({}).process([read])[0].get("intent")["name"] == intent


@pytest.mark.parametrize(("text", "intent"), [
    ("kor tek eg kontakt?", "nlu_fallback"),  # was leave_question, 0.66
    ("hvem tar jeg kontakt med da", "nlu_fallback"),
    ("who do I contact about that?", "nlu_fallback"),
    # a counsellor or the chat named, or no question where to turn: a wish to leave one
    ("hvordan tar jeg kontakt med en veileder?", "leave_question"),
    ("can someone contact me later?", "leave_question"),
    ("kan jeg legge igjen et spørsmål?", "leave_question"),
    ("hvor kan jeg legge igjen et spørsmål?", "leave_question"),
    ("where do I leave a message for someone to call me?", "leave_question"),
])
def test_where_to_turn_is_a_question_not_a_wish_to_leave_one(text: str, intent: str) -> None:
    read = classified(text, "leave_question", 0.66)
    assert WhereToTurnIsAQuestion({}).process([read])[0].get("intent")["name"] == intent


@pytest.mark.parametrize(("text", "reading", "intent"), [
    ("hvem maa jeg kontakte for a komme i gang", "out_of_scope", "nlu_fallback"),
    ("hvem må jeg kontakte", "ask_service_free_anonymous", "nlu_fallback"),
    # the chat named: a question about this service
    ("er det gratis å kontakte dere?", "ask_service_free_anonymous",
     "ask_service_free_anonymous"),
    ("what is the weather in Oslo?", "out_of_scope", "out_of_scope"),
    # something else asked about: out of scope stands
    ("who do I call to get my lost wallet back?", "out_of_scope", "out_of_scope"),
    ("hvem kontakter jeg om skattemeldingen?", "out_of_scope", "out_of_scope"),
])
def test_where_to_turn_read_as_no_topic_is_read_with_the_answer_before(
        text: str, reading: str, intent: str) -> None:
    read = classified(text, reading, 0.51)
    assert WhereToTurnIsAQuestion({}).process([read])[0].get("intent")["name"] == intent


@pytest.mark.parametrize(("text", "reading", "intent"), [
    ("ok i will ask nav. bye", "ask_nav_courses", "goodbye"),  # was 0.51 NAV's courses
    ("takk, da søker jeg på vigo. ha det!", "ask_upper_secondary_application", "goodbye"),
    ("skjønner, eg prøver det. ha det bra", "affirm", "goodbye"),
    ("ok, takk for no", "deny", "goodbye"),  # was deny: "Heilt i orden! Spør meg gjerne …"
    ("ok, eg tek kontakt seinare. ha det", "leave_question", "goodbye"),
    ("ok, då ringjer eg i morgon. ha det", "leave_question", "goodbye"),  # the verb first
    ("kan noen ringe meg i morgen. ha det", "leave_question", "leave_question"),
    # it asks, or says no farewell at the end: the reading stands
    ("bye the way, når er fristen?", "ask_upper_secondary_deadline",
     "ask_upper_secondary_deadline"),
    ("ok bye, but where do I apply", "ask_upper_secondary_application",
     "ask_upper_secondary_application"),
    ("ha det bra, når åpner dere i morgen", "ask_opening_hours", "ask_opening_hours"),
    ("when do you open tomorrow? bye", "ask_opening_hours", "ask_opening_hours"),
    # thanks with a farewell take leave ("Er det noe mer du lurer på?" was the answer)
    ("haha ok. takk for hjelpen, ha det", "thank", "goodbye"),
    ("Great, thanks so much, that's all for now", "thank", "goodbye"),
    ("takk, det var alt for i dag", "thank", "goodbye"),
    ("tusen takk!", "thank", "thank"),
    ("takk for hjelpen", "thank", "thank"),  # thanks; the person may go on
    ("takk for svaret, ha en fin dag!", "thank", "goodbye"),
    ("ok, skjønner. adjø", "affirm", "goodbye"),
    ("perfect, thanks a lot, have a good one!", "thank", "goodbye"),
    ("Thank you, good night", "thank", "goodbye"),
    ("takk, ha ein fin kveld vidare", "thank", "goodbye"),
    ("takk, god helg", "thank", "goodbye"),
    # wishes for the rest of the day take leave ("kos deg" was out of scope)
    ("kos deg resten av kvelden", "out_of_scope", "goodbye"),
    ("supert! kos deg resten av dagen", "out_of_scope", "goodbye"),
    ("nyt resten av dagen", "out_of_scope", "goodbye"),
    ("ha en fortsatt fin dag", "out_of_scope", "goodbye"),
    ("ok, enjoy the rest of your evening", "out_of_scope", "goodbye"),
    ("ok i will come back tomorrow, thanks", "leave_question", "goodbye"),
    ("eg kjem tilbake seinare, takk", "nlu_fallback", "goodbye"),
    ("ok thanks, take care", "thank", "goodbye"),
    ("take care of the loan first?", "ask_student_finance_deadline",
     "ask_student_finance_deadline"),
    # a wish for a counsellor and crisis are not undone by a farewell
    ("jeg vil snakke med en veileder i morgen. ha det", "human_handoff", "human_handoff"),
    ("jeg orker ikke mer. ha det", "crisis", "crisis"),
    # a question that takes no leave is no goodbye, whatever "ha" sounded like
    ("må jeg ha et bestemt snitt", "goodbye", "nlu_fallback"),
    ("Er det obligatorisk å ha det?", "goodbye", "nlu_fallback"),
    # thanks and a wish, no question
    ("Thank you, have nice day", "goodbye", "goodbye"),
    ("see you tomorrow then", "goodbye", "goodbye"),
    ("what do i need to have?", "goodbye", "nlu_fallback"),
    # a question, then leave taken
    ("kan jeg spørre igjen senere? ha det", "goodbye", "goodbye"),
    ("ha det bra", "goodbye", "goodbye"),
    # thanks that take no leave: thanks
    ("supert takk", "goodbye", "thank"),
    ("great, thanks", "goodbye", "thank"),
    ("takk, ha det", "goodbye", "goodbye"),
    # a word of praise alone thanks; a yes stays a yes, and praise with more is as read
    ("flott", "nlu_fallback", "thank"),
    ("så bra!", "nlu_fallback", "thank"),
    ("topp det", "out_of_scope", "thank"),
    ("nice", "goodbye", "thank"),
    ("perfekt", "affirm", "affirm"),
    ("flott vær i dag", "out_of_scope", "out_of_scope"),
    ("bra skole?", "nlu_fallback", "nlu_fallback"),
    ("bra?", "nlu_fallback", "nlu_fallback"),
    ("fint, ha det", "goodbye", "goodbye"),
])
def test_a_remark_then_a_farewell_is_goodbye(text: str, reading: str, intent: str) -> None:
    read = classified(text, reading, 0.51)
    assert FarewellEndsIt({}).process([read])[0].get("intent")["name"] == intent


@pytest.mark.parametrize(("text", "place", "county", "reading", "intent"), [
    # someone to talk to *at* the place: its career centre (0.41 a wish for the chat)
    ("er det nokon eg kan snakka med på stord?", "stord", "Vestland", "human_handoff",
     "ask_career_centre"),
    ("can i talk to a counsellor in tromsø about this?", "tromsø", "Troms", "human_handoff",
     "ask_career_centre"),
    ("er det nokon å prate med om dette her på Stord?", "Stord", "Vestland", "human_handoff",
     "ask_career_centre"),
    # read as a wish for guidance on the chat, the same
    ("hei, en kompis av meg har droppa ut av vgs. finnes det noen han kan snakke med i "
     "drammen?", "drammen", "Buskerud", "ask_personal_guidance", "ask_career_centre"),
    ("kor kan barnebarnet mitt få hjelp til å velje utdanning, ho bur på lillehammer",
     "lillehammer", "Innlandet", "ask_personal_guidance", "ask_career_centre"),
    # the place is where the person lives: a wish for this chat's counsellor
    ("eg bur på stord, kan eg snakke med ein rettleiar?", "stord", "Vestland",
     "human_handoff", "human_handoff"),
    ("i live in tromsø and want to talk to a counsellor", "tromsø", "Troms", "human_handoff",
     "human_handoff"),
    ("eg bur her i Førde, kan eg chatte med ein rettleiar?", "Førde", "Vestland",
     "human_handoff", "human_handoff"),
    # the place is what it is about
    ("ok connect me pls. I want advice about studying in Tromsø, my degree is from Nigeria",
     "Tromsø", "Troms", "human_handoff", "human_handoff"),
    ("jeg bor i bodø og trenger hjelp til å velge utdanning", "bodø", "Nordland",
     "ask_personal_guidance", "ask_personal_guidance"),
    # the place in the story, the question for help asks the chat
    ("Hello. I'm a 45 year old carpenter in Kristiansand and my back is giving up. Can "
     "someone help me figure out my options?", "Kristiansand", "Agder",
     "ask_personal_guidance", "ask_personal_guidance"),
])
def test_someone_to_talk_to_at_a_place_is_its_career_centre(
        text: str, place: str, county: str, reading: str, intent: str) -> None:
    read = classified(text, reading, 0.41)
    start = text.index(place)
    read.set("entities", [{"entity": "county", "value": county, "start": start,
                           "end": start + len(place)}])
    assert WhereToTurnIsAQuestion({}).process([read])[0].get("intent")["name"] == intent


@pytest.mark.parametrize(("text", "reading", "county", "intent"), [
    ("bur i Førde, kven skal eg ta kontakt med?", "out_of_scope", "Vestland",
     "ask_career_centre"),  # 0.42 out of scope
    ("kven kan eg vende meg til på Hamar?", "nlu_fallback", "Innlandet", "ask_career_centre"),
    ("jeg bor i Tromsø, hvem kan jeg snakke med?", "inform", "Troms", "ask_career_centre"),
    ("i live in drammen, where can i go for help with this", "nlu_fallback", "Buskerud",
     "ask_career_centre"),
    # no place: read with the answer before (the fallback); a topic of its own, or no
    # question where to get help: as read
    ("kven skal eg ta kontakt med?", "out_of_scope", None, "nlu_fallback"),
    ("who do I contact about the loan in Oslo?", "ask_student_finance_deadline", "Oslo",
     "ask_student_finance_deadline"),
    ("jeg bor i Bodø", "inform", "Nordland", "inform"),
    # a wish for someone there, where the person lives; a wish for a counsellor here stands
    ("eg bur på stord, er det nokon der eg kan snakka med?", "human_handoff", "Vestland",
     "ask_career_centre"),
    ("jeg bor i Bodø, kan jeg snakke med en veileder nå?", "human_handoff", "Nordland",
     "human_handoff"),
    ("hvor kan vi snakke med noen i bodo", "human_handoff", "Nordland", "ask_career_centre"),
    ("kor lenge må eg vente på ein rettleiar? bur i Bodø", "human_handoff", "Nordland",
     "human_handoff"),
    ("where can I get help? I'm in Oslo and I can't go on", "crisis", "Oslo", "crisis"),
    # guidance face to face, or near: the career centre, the place asked for when none is
    # named (0.6 the chat's price, a wish for the chat, the fallback)
    ("and if I want to meet someone in person, not chat?", "ask_service_free_anonymous", None,
     "ask_career_centre"),
    ("could I talk to someone about this face to face, in Vadsø maybe?", "human_handoff",
     "Finnmark", "ask_career_centre"),
    ("and could he get guidance somewhere nearby? he's not really sure what he wants",
     "nlu_fallback", None, "ask_career_centre"),
    ("kan eg få rettleiing ansikt til ansikt?", "human_handoff", None, "ask_career_centre"),
    ("is there a local counsellor my son could talk to?", "human_handoff", None,
     "ask_career_centre"),
    # the chat, or near in another sense: as read
    ("can I talk to someone on the chat now?", "human_handoff", None, "human_handoff"),
    ("is there a fagskole nearby?", "ask_fagskole", None, "ask_fagskole"),
    ("I work face to face with customers all day and I'm tired. What else could I do?",
     "ask_personal_guidance", None, "ask_personal_guidance"),
])
def test_where_to_get_help_with_a_place_named_asks_for_the_career_centre(
        text: str, reading: str, county: str | None, intent: str) -> None:
    read = classified(text, reading, 0.42)
    if county:
        read.set("entities", [{"entity": "county", "value": county, "start": 0, "end": 1}])
    assert WhereToTurnIsAQuestion({}).process([read])[0].get("intent")["name"] == intent


@pytest.mark.parametrize(("text", "reading", "intent"), [
    ("my grandma is much more comfortable in North Sami. can she chat with someone in "
     "sámegiella?", "ask_quotas", "speak_sami"),
    ("går det an å få veiledning på samisk?", "ask_about_service", "speak_sami"),
    ("can I talk to a counsellor in Sami?", "human_handoff", "speak_sami"),
    # the Sami quotas, or learning Sami, are questions of their own
    ("vi har samisk bakgrunn, har det noe å si for opptaket?", "ask_quotas", "ask_quotas"),
    ("are there study places set aside for Sami applicants?", "ask_quotas", "ask_quotas"),
])
def test_asking_to_be_helped_in_sami_goes_to_a_sami_speaking_counsellor(
        text: str, reading: str, intent: str) -> None:
    read = classified(text, reading, 0.5)
    assert SamiRecogniser({}).process([read])[0].get("intent")["name"] == intent


@pytest.mark.parametrize("text", [
    "i cant do this anymore, i dont see any point to continue",
    "I just can't take it anymore",
    "eg klarar ikkje dette meir",
])
def test_despair_the_classifier_is_unsure_of_asks_how_the_person_is(text: str) -> None:
    """The classifier read these as crisis at 0.66-0.79, below the check: the person got
    "which of these?" and no help line."""
    message = detector_sure_of(0.2).process([classified(text, "crisis", 0.7)])[0]
    assert message.get("crisis_check") is not None
    assert message.get("intent")["name"] != "crisis"  # asked, not alarmed


def test_tiredness_of_a_job_is_not_despair() -> None:
    text = "I can't take this job anymore, what are my options for retraining?"
    message = detector_sure_of(0.2).process([classified(text, "ask_personal_guidance")])[0]
    assert message.get("crisis_check") is None


def way_read(text: str, intent: str) -> Message:
    message = classified(text, intent, 0.8)
    message.set("entities", [{"entity": "occupation", "value": "laerer", "start": 0, "end": 1}])
    return TheWayToAnOccupation({}).process([message])[0]


@pytest.mark.parametrize(("text", "intent", "occupation"), [
    ("Hello. I'm a 41-year-old English teacher from Manchester. Honestly I'm tired of "
     "teaching and I've always fancied becoming an electrician. How would I go about that?",
     "ask_personal_guidance", "elektriker"),
    ("my daughter is 15, in 10th class. she want to be nurse. what she must choose in vgs?",
     "nlu_fallback", "sykepleier"),
    ("Har sittet på kontor i 20 år og er lei. Har lyst til å bli elektriker. Hvordan blir "
     "man det når man er så gammel som meg?", "nlu_fallback", "elektriker"),
    # where to start, and whether school is needed, ask the way too
    ("Our daughter (17) dreams of becoming a veterinarian. We live in Bodø. Where does she even "
     "start?", "inform", "veterinaer"),
    ("im in 9th grade and want to be a plumber. do i need to go to school or can i just "
     "start working", "nlu_fallback", "rorlegger"),
    ("i'm 31, working in a shop, thinking about becoming a plumber. what kind of training "
     "is that?", "nlu_fallback", "rorlegger"),
    ("jobber på lager og vil bli elektriker. hva slags utdanning må til?", "nlu_fallback",
     "elektriker"),
    # wanting to work as one
    ("har alltid likt fly og vil jobbe som pilot, hva slags utdanning trenger jeg?",
     "nlu_fallback", "pilot"),
    # how long the way takes
    ("eg vil bli elektrikar her. kor lang tid tek det?", "nlu_fallback", "elektriker"),
    ("vil bli tømrer. hvor lenge tar det?", "nlu_fallback", "tomrer"),
    # the first step
    ("hello. I am 43, from Syria, living in Vadsø 5 years. I finished norwegian course and "
     "now I want to become helsefagarbeider. What is the first step?", "nlu_fallback",
     "helsefagarbeider"),
    # what it takes; school first or an apprenticeship, typed without å
    ("hei jeg er 45 og har bare ungdomsskolen. Har lyst til å bli sykepleier. Hva trenger "
     "jeg for å komme inn?", "ask_admission_requirements", "sykepleier"),
    ("gutten min vil bli elektriker, ma han ga vgs forst eller kan han begynne som laerling "
     "rett etter 10. klasse?", "nlu_fallback", "elektriker"),
    # years of work told, read as a trade certificate by experience
    ("My situation: 33, working in a call centre for 7 years, never finished upper "
     "secondary. I think I'd like to become an electrician. What's the route for someone "
     "like me?", "ask_praksiskandidat", "elektriker"),
    # read as going on, or as what the work is
    ("hei, kva må eg søkje på viss eg vil bli sjukepleiar?", "continue_topic", "sykepleier"),
    ("I want to become a nurse, how do I get there?", "ask_occupation_description",
     "sykepleier"),
    # a story with school in it, read as the right to upper secondary or what counsellors
    # do; a remark after the question; getting in, or whether it is possible at all
    ("hei, sonen min er 19 og tok vg2 bygg, men no har han funne ut at han vil bli politi. "
     "han har ikkje studiekompetanse. kva ma han gjere for a kome inn pa politihogskulen? han "
     "er flink og i god form", "ask_counsellor_help", "politibetjent"),
    ("hey, so im 24 and i dropped out of vgs in vg2 years ago, been working in a warehouse "
     "since. lately ive been thinking seriously about becoming a police officer. is that even "
     "possible without finishing school?", "nlu_fallback", "politibetjent"),
    ("im 36 and done with screens. ive always loved woodwork and want to become a carpenter. "
     "whats the realistic route for someone my age?", "nlu_fallback", "tomrer"),
    ("hei jeg er 34 og har lyst til a bli sykepleier. jeg har bare yrkesfag fra vgs. kan jeg "
     "komme inn pa sykepleie?", "ask_upper_secondary_rights", "sykepleier"),
    # how one becomes the occupation named, whatever is told beside it
    ("Hvordan blir man kokk i Norge? Jeg er 35, kommer fra Vietnam", "out_of_scope", "kokk"),
    ("how can my son become a chef? he is 15", "ask_trade_certificate_adult", "kokk"),
    ("korleis blir ein elektrikar når ein er vaksen?", "ask_trade_certificate_adult",
     "elektriker"),
    # a short question that is only the wish ("and after that …" after påbygg)
    ("and after that become engineer?", "continue_topic", "ingenior"),
    # the wish as a condition, after what another occupation does
    ("og hvis jeg vil bli elektriker etterpå?", "continue_topic", "elektriker"),
    ("what if I want to become an electrician?", "continue_topic", "elektriker"),
    # the way read as applying to upper secondary, where it starts
    ("Datteren min vil bli frisør. Hvordan er veien dit? Hun går i 10. klasse nå",
     "ask_upper_secondary_application", "frisor"),
    ("eg vil bli sjukepleiar, kva bør eg ta på vgs?", "ask_upper_secondary_application",
     "sykepleier"),
])
def test_wanting_to_become_and_asking_the_way_is_the_way_there(
        text: str, intent: str, occupation: str) -> None:
    message = way_read(text, intent)
    assert message.get("intent")["name"] == "ask_occupation_path"
    assert [entity["value"] for entity in message.get("entities")] == [occupation]


@pytest.mark.parametrize(("text", "reading", "intent"), [
    # how to become that: the way to the occupation before
    ("og hvordan blir jeg det når jeg er 35 og har studiekompetanse fra før",
     "ask_trade_certificate_adult", "ask_occupation_path"),
    ("korleis blir eg det?", "continue_topic", "ask_occupation_path"),
    ("kva utdanningsveg må eg velje for å kunne jobbe som det?", "ask_personal_guidance",
     "ask_occupation_path"),
    ("what education do I need to work as one?", "ask_personal_guidance",
     "ask_occupation_path"),
    ("how do I become one at 40?", "ask_23_5_rule", "ask_occupation_path"),
    ("how do I become that? I can't go on like this", "crisis", "crisis"),
    ("hvordan blir det med lånet?", "ask_student_grant", "ask_student_grant"),
    # whether work counts, read as an occupation: the fallback reads it with the answer
    # before ("teller militæret som arbeid?" after the 23/5 rule)
    ("teller militæret som arbeid?", "ask_occupation_description", "nlu_fallback"),
    ("does my job as a soldier count?", "ask_occupation_path", "nlu_fallback"),
    # upper secondary's programmes, no occupation named: the programmes
    ("hvor finner jeg info om de ulike programmene?", "ask_occupation_description",
     "ask_upper_secondary_choices"),
    ("kvar finn eg info om programma", "ask_occupation_description",
     "ask_upper_secondary_choices"),
    ("what are the different programmes like in vgs", "ask_occupation_description",
     "ask_upper_secondary_choices"),
    # an occupation named, or another level's programmes: as read
    ("hvilket program må jeg ta for å bli elektriker?", "ask_occupation_path",
     "ask_occupation_path"),
    ("where can I read about the study programmes at university?",
     "ask_occupation_description", "ask_occupation_description"),
    # what the work is, or how to get there
    ("hva gjør en soldat?", "ask_occupation_description", "ask_occupation_description"),
    ("how do I become a soldier?", "ask_occupation_path", "ask_occupation_path"),
    # the question before for another occupation: as read
    ("men hvis jeg vil bli maler i stedet?", "continue_topic", "continue_topic"),
    ("and if I'd rather become a plumber?", "continue_topic", "continue_topic"),
])
def test_a_question_about_becoming_or_counting_is_reread_as_asked(
        text: str, reading: str, intent: str) -> None:
    assert way_read(text, reading).get("intent")["name"] == intent


@pytest.mark.parametrize(("text", "intent"), [
    ("I want to become a nurse or a teacher, how do I know what suits me?",
     "ask_personal_guidance"),
    ("foreldra mine vil at eg skal bli lege. kva skal eg velje?", "ask_personal_guidance"),
    ("I trained as a doctor in Poland, how can I practise in Norway", "nlu_fallback"),
    ("I want to become a nurse. How much do nurses earn?", "ask_job_prospects"),
    ("I want to become a nurse. Is that a good idea for me?", "ask_personal_guidance"),
    ("Thinking of becoming a teacher. My degree is from York - do I need to get it approved "
     "here?", "nlu_fallback"),
    ("vil bli lærer. må jeg ta utdanningen min fra Polen godkjent først?", "nlu_fallback"),
    # a degree from abroad: its recognition answers it (the fallback reads it so)
    ("I have a nursing degree from Kenya. How do I become a nurse in Norway?", "nlu_fallback"),
    ("hvordan blir jeg sykepleier i Norge? utdanningen min er fra Filippinene",
     "ask_foreign_education_recognition"),
    ("hvordan blir man lærer? jeg vil vite det", "human_handoff"),
    # how to apply, or what the work is like, asked in so many words
    ("vil bli elektriker, hvordan søker jeg vgs?", "ask_upper_secondary_application"),
    ("sønnen min vil bli rørlegger. hvordan er den jobben egentlig?",
     "ask_occupation_description"),
    ("dottera mi har lyst til å bli frisør, korleis er det å jobbe som det?",
     "ask_occupation_description"),
])
def test_other_questions_about_becoming_keep_their_reading(text: str, intent: str) -> None:
    assert way_read(text, intent).get("intent")["name"] == intent


@pytest.mark.parametrize(("text", "reading", "intent"), [
    ("is karriere oslo for people like me or only norwegians?", "ask_about_service",
     "ask_career_centre"),  # was 0.61 this service
    ("er karrieresenteret gratis?", "ask_service_free_anonymous", "ask_career_centre"),
    ("can the career centre help me with my CV?", "ask_cv", "ask_cv"),  # a topic of its own
    ("er chatten gratis?", "ask_service_free_anonymous", "ask_service_free_anonymous"),
])
def test_a_career_centre_named_is_asked_about(text: str, reading: str, intent: str) -> None:
    read = classified(text, reading, 0.61)
    assert WhereToTurnIsAQuestion({}).process([read])[0].get("intent")["name"] == intent


def test_every_career_centre_named_in_the_knowledge_is_recognised() -> None:
    from bot.server.nlp.components import _NAMES_A_CAREER_CENTRE
    from bot.shared.settings import PROJECT_DIR
    text = (PROJECT_DIR / "data/knowledge/career_centres.yml").read_text(encoding="utf-8")
    names = set(re.findall(r"Karriere [A-ZÆØÅ][a-zæøå]+", text))
    assert names and all(_NAMES_A_CAREER_CENTRE.search(name) for name in names)


class SureOfOne:
    """The learned half, sure of one text only."""

    def __init__(self, text: str) -> None:
        self.text = text

    def scores(self, texts: list[str], embeddings: object = None) -> list[float]:
        return [0.99 if text == self.text else 0.3 for text in texts]


def test_a_despairing_sentence_that_alone_is_a_crisis_makes_the_message_one() -> None:
    """Asked first, "Hvor mye får jeg i stipend? Kjenner at alt er håpløst og at ingen
    bryr seg" would wait for a yes before the help lines and the urgent case; read alone,
    its second sentence is a crisis."""
    despair = "Kjenner at alt er håpløst og at ingen bryr seg"
    detector = CrisisDetector({"sense_threshold": 0.97, "check_threshold": 0.8}, None, None,
                              sense=SureOfOne(despair))
    message = detector.process([classified(f"Hvor mye får jeg i stipend? {despair}",
                                           "ask_student_grant")])[0]
    assert message.get("intent")["name"] == "crisis"
    assert message.get("crisis_check") is None
    # one sentence only: the whole message was read already, so it is asked about
    alone = detector.process([classified("I just can't take it anymore", "nlu_fallback")])[0]
    assert alone.get("intent")["name"] != "crisis" and alone.get("crisis_check") is not None


def test_an_unsure_crisis_whose_sentence_alone_is_one_is_a_crisis() -> None:
    part = "Ingen bryr seg om meg lenger og jeg orker ikke tanken på i morgen"
    detector = CrisisDetector({"sense_threshold": 0.97, "check_threshold": 0.8}, None, None,
                              sense=SureOfOne(part))
    message = detector.process([classified(f"Hvor mye får jeg i stipend? {part}",
                                           "crisis", 0.85)])[0]
    assert message.get("intent")["name"] == "crisis" and message.get("crisis_check") is None


class SureOfOneSomewhatOfAll(SureOfOne):
    """Sure of one sentence; the whole message (any other text) reads 0.79."""

    def scores(self, texts: list[str], embeddings: object = None) -> list[float]:
        return [0.99 if text == self.text else 0.79 for text in texts]


def test_a_message_somewhat_like_crisis_has_its_sentences_read_alone() -> None:
    """"Kan jeg ta ut BSU-en nå? Vil gi pengene …" read 0.79 whole, under the question
    how the person is: its second sentence alone is a crisis."""
    part = "Vil gi pengene til søsteren min så hun har noe etter meg"
    config = {"sense_threshold": 0.97, "check_threshold": 0.8, "second_look_threshold": 0.5}
    detector = CrisisDetector(config, None, None, sense=SureOfOneSomewhatOfAll(part))
    message = detector.process([classified(f"Kan jeg ta ut BSU-en nå? {part}",
                                           "nlu_fallback")])[0]
    assert message.get("intent")["name"] == "crisis"
    # without the second look, nothing: the whole is under the question's threshold
    config["second_look_threshold"] = 1.0
    detector = CrisisDetector(config, None, None, sense=SureOfOneSomewhatOfAll(part))
    message = detector.process([classified(f"Kan jeg ta ut BSU-en nå? {part}",
                                           "nlu_fallback")])[0]
    assert message.get("intent")["name"] == "nlu_fallback"
    assert message.get("crisis_check") is None


def test_spelled_out_letters_are_no_sentences_to_read_alone() -> None:
    """MASSIVE's "tid nå i g. m. t." cut at each dot gave "t." alone, which the learned
    half scored as a crisis (four requests became urgent cases in bench.crisis)."""
    class SureOfLetters:
        def scores(self, texts: list[str], embeddings: object = None) -> list[float]:
            return [0.99 if len(text) <= 2 else 0.85 for text in texts]

    detector = CrisisDetector({"sense_threshold": 0.97, "check_threshold": 0.8}, None, None,
                              sense=SureOfLetters())
    message = detector.process([classified("tid nå i g. m. t.", "inform")])[0]
    assert message.get("intent")["name"] == "inform" and message.get("crisis_check") is not None


@pytest.mark.parametrize(("text", "reading", "intent"), [
    ("God morgon. Er denne tenesta gratis?", "greet", "nlu_fallback"),
    ("hi, how do I apply for a student loan", "greet", "nlu_fallback"),
    # wondering asks, with no question mark
    ("hei! eg går i 10. og lurer på kor eg søkjer vidaregåande", "greet", "nlu_fallback"),
    ("hello, i was wondering if the chat is free", "greet", "nlu_fallback"),
    # a greeting alone, asking whether anyone is there or can help: a greeting
    ("hei, er det noen der?", "greet", "greet"),
    ("hallo! kan du hjelpe meg?", "greet", "greet"),
    ("hei hei", "greet", "greet"),
    ("hei! går det bra?", "greet", "greet"),  # too little after the greeting to ask
    # read as the question already: as read
    ("hei, når er fristen for vgs?", "ask_upper_secondary_deadline",
     "ask_upper_secondary_deadline"),
])
def test_a_greeting_that_asks_is_read_for_its_question(
        text: str, reading: str, intent: str) -> None:
    read = classified(text, reading, 0.6)
    assert AGreetingThatAsks({}).process([read])[0].get("intent")["name"] == intent


@pytest.mark.parametrize(("text", "intent"), [
    ("takk! kvar søkjer eg lån etterpå", "nlu_fallback"),
    ("ok thanks! and when is the deadline for fagskole?", "nlu_fallback"),
    # a remark between the thanks and the question
    ("tusen takk, det hjalp. har de åpent i helga?", "nlu_fallback"),
    # thanks alone, with praise, with a farewell, or asking whether one may ask more
    ("takk for hjelpen", "thank"),
    ("takk for svaret. det var nyttig.", "thank"),
    ("tusen takk, ha det bra", "thank"),
    ("takk. kan jeg spørre om en ting til?", "thank"),
])
def test_thanks_that_ask_are_read_for_their_question(text: str, intent: str) -> None:
    read = classified(text, "thank", 0.6)
    assert ThanksThatAsk({}).process([read])[0].get("intent")["name"] == intent


@pytest.mark.parametrize(("text", "reading", "intent"), [
    ("i need help picking a programme for vg1", "ask_upper_secondary_choices",
     "ask_personal_guidance"),
    ("kan du hjelpe meg å velje mellom studia?", "ask_higher_education_choices",
     "ask_personal_guidance"),
    # how many may be listed, or no help asked: as read
    ("can you help me, how many programmes can i pick", "ask_upper_secondary_choices",
     "ask_upper_secondary_choices"),
    ("how many programmes can i pick for vg1", "ask_upper_secondary_choices",
     "ask_upper_secondary_choices"),
    ("hjelp til å velge utdanning", "ask_personal_guidance", "ask_personal_guidance"),
    # read as a pupil's rights, or not placed
    ("who can help him choose the programme?", "nlu_fallback", "ask_personal_guidance"),
    ("kven kan hjelpe ho å velje linje?", "ask_upper_secondary_rights", "ask_personal_guidance"),
])
def test_help_to_choose_is_guidance(text: str, reading: str, intent: str) -> None:
    read = classified(text, reading, 0.66)
    assert HelpToChoose({}).process([read])[0].get("intent")["name"] == intent


def weighed(text: str, reading: str, *others: str) -> Message:
    read = classified(text, reading, 0.45)
    read.set("intent_ranking", [{"name": name, "confidence": 0.2}
                                for name in (reading, *others)])
    return read


ADULT = "ask_adult_upper_secondary"


@pytest.mark.parametrize(("text", "reading", "intent"), [
    ("hello, i am 26 and from Eritrea. i only finished 10 years of school in my country. "
     "can i go to upper secondary school in norway at my age?", "nlu_fallback", ADULT),
    ("jeg er 41, har jeg rett til å fullføre videregående?", "ask_upper_secondary_rights",
     ADULT),
    ("hvordan søker jeg vgs som voksen", "ask_upper_secondary_application", ADULT),
    # a pupil's age, or a parent's with a child's question: as read
    ("im 17, can i still go to vgs?", "ask_upper_secondary_rights",
     "ask_upper_secondary_rights"),
    ("I'm 45 and my daughter wants to start upper secondary, can she?",
     "ask_upper_secondary_rights", "ask_upper_secondary_rights"),
    # no level named
    ("i am 30, do i have any rights?", "ask_upper_secondary_rights",
     "ask_upper_secondary_rights"),
    # higher education or admission on prior learning asked about
    ("and if I'm 25 with no upper secondary, can I use realkompetanse instead?",
     "nlu_fallback", "nlu_fallback"),
    ("er 26 og har ikke fullført vgs, kan jeg komme inn på høyskolen?", "nlu_fallback",
     "nlu_fallback"),
])
def test_upper_secondary_asked_by_an_adult_is_for_adults(
        text: str, reading: str, intent: str) -> None:
    read = weighed(text, reading, "ask_foreign_education_recognition", ADULT)
    assert AnAdultsUpperSecondary({}).process([read])[0].get("intent")["name"] == intent


def test_only_an_adult_reading_the_classifier_weighed() -> None:
    read = weighed("jeg er 41, har jeg rett til å fullføre videregående?",
                   "ask_upper_secondary_rights", "ask_cv", "ask_job_search", ADULT)
    read = AnAdultsUpperSecondary({}).process([read])[0]
    assert read.get("intent")["name"] == "ask_upper_secondary_rights"


@pytest.mark.parametrize(("text", "asks"), [
    ("dette vart litt innfløkt, kan du setje meg i kontakt med ein rettleiar?", True),
    ("can you connect me with an adviser", True),
    ("kan eg få prate med eit ekte menneske", True),
    # someone, not named further; being put through
    ("i've no clue what to pick. could i speak with somebody who knows this stuff", True),
    ("går det an å bli satt over til chatten?", True),
    # a counsellor in a compound; a conversation asked for
    ("kan jeg snakke med en karriereveileder?", True),
    ("eg vil gjerne ha ein samtale med ein studierettleiar", True),
    ("hva kan en veileder hjelpe med", False),  # asks no contact
    ("jeg har ingen å snakke med om dette", False),  # no wish to reach one
    ("no i dont want to talk to a counsellor i just want info", False),  # turned down
    ("vil ikkje prate med ein rettleiar no", False),
    # their help asked for, not what help they give
    ("ka gjør æ da. kan æ få hjelp av nån?", True),
    ("can I get help from an actual person?", True),
    ("hva kan jeg få hjelp av en veileder til?", False),
    ("kan jeg få hjelp av NAV?", False),
])
def test_asking_to_reach_a_counsellor(text: str, asks: bool) -> None:
    assert asks_to_reach_a_counsellor(text) is asks


@pytest.mark.parametrize(("text", "farewell"), [
    ("hvilke karakterer må jeg ha en sjanse med", False),  # "ha en" is no "ha en fin dag"
    ("må jeg ha de papirene med meg når jeg søker", False),
    ("ok takk, ha de bra", True),
    ("takk for hjelpa, sjåast", True),
    # "ha det" after "å" or a person is to have it
    ("Er det obligatorisk å ha det?", False),
    ("er det obligatorisk a ha det", False),
    ("må jeg ha det for å søke", False),
    ("takk, ha det", True),
    ("du får ha det bra", True),
])
def test_a_farewell_is_told_from_the_same_words_in_a_question(text: str, farewell: bool) -> None:
    assert says_farewell(text) is farewell


def places_found(text: str) -> list[tuple[str, str]]:
    message = Message(data={TEXT: text, "entities": []})
    [read] = PlaceExtractor({}).process([message])
    return [(text[entity["start"]:entity["end"]], entity["value"])
            for entity in read.get("entities")]


def test_a_place_is_found_with_its_county_as_the_value() -> None:
    assert places_found("jeg bor i Bodø") == [("Bodø", "Nordland")]
    assert places_found("eg bur i Vestland") == [("Vestland", "Vestland")]
    assert places_found("karrieresenter i Mo i Rana?") == [("Mo i Rana", "Nordland")]
    assert places_found("mon bádjen Guovdageainnus, lean Kárášjogas") == []  # inflected
    assert places_found("Kárášjohka") == [("Kárášjohka", "Finnmark")]
    assert places_found("fra Alta, men bor i Oslo nå") == [("Alta", "Finnmark"), ("Oslo", "Oslo")]


def test_a_place_typed_without_norwegian_letters_is_found() -> None:
    assert places_found("hvor kan vi snakke med noen i bodo") == [("bodo", "Nordland")]
    assert places_found("I live in Tromso now") == [("Tromso", "Troms")]
    assert places_found("hvor skal jeg bo?") == []  # "Bø" typed "bo" is no place here


def test_everyday_words_are_no_places() -> None:
    assert places_found("jeg liker å gå på ski, og altmuligmann er et yrke") == []


@pytest.mark.parametrize(("text", "intent"), [
    ("no i dont want to talk to anyone i just want info", "deny"),
    ("nei, eg vil ikkje prate med nokon, berre ha svar", "deny"),
    ("I don't need to speak with a counsellor, thanks", "deny"),
    # no, and someone else instead
    ("nei, vi tar det med rådgiveren på skolen først", "deny"),
    ("no thanks, he'll ask the school counsellor", "deny"),
    # a wish for a person stands
    ("I don't want to talk to a bot, I want a human", "human_handoff"),
    ("kan jeg snakke med en veileder?", "human_handoff"),
    ("jeg vil ikke ringe, kan jeg chatte med noen her?", "human_handoff"),
    ("nei, jeg vil snakke med en veileder her", "human_handoff"),
    # asking whether a person answers is about the service
    ("is this a real person?", "ask_about_service"),
    ("am i talking to a bot", "ask_about_service"),
    ("er dette et ekte menneske?", "ask_about_service"),
    ("snakkar eg med ein robot no?", "ask_about_service"),
    ("is this chat a real person or a bot", "ask_about_service"),
    ("er chatten en ekte person?", "ask_about_service"),
    # unless a person is wished for too
    ("is this a bot? i want a real person", "human_handoff"),
    ("can i talk to a human", "human_handoff"),
    ("er det en ekte person jeg kan prate med akkurat nå?", "human_handoff"),
    ("is it a real person i can talk to tonight?", "human_handoff"),
    # a question that names no one is asked of the answer before
    ("må jeg få en av dem?", "nlu_fallback"),
    ("do i have to take one of them?", "nlu_fallback"),
    # help or someone named, or no question: a wish
    ("kan jeg få hjelp?", "human_handoff"),
    ("kan æ snakk med nån om dette", "human_handoff"),
    ("connect me please", "human_handoff"),
    ("ja, gjerne det", "human_handoff"),
    # whether one must say who one is asks whether the service is anonymous
    ("må jeg oppgi navn eller personnummer for å snakke med en veileder", FREE_OF_CHARGE),
    ("do i have to give my name to talk to someone", FREE_OF_CHARGE),
    ("må eg seie kven eg er når eg pratar med ein rettleiar?", FREE_OF_CHARGE),
])
def test_a_counsellor_turned_down_is_a_no(text: str, intent: str) -> None:
    read = classified(text, "human_handoff", 0.8)
    assert NoWishForAPerson({}).process([read])[0].get("intent")["name"] == intent


@pytest.mark.parametrize(("text", "read_as", "intent"), [
    # read as the service's price, then taken for a wish by the counsellor named
    ("må jeg oppgi navn eller personnummer for å snakke med en veileder", FREE_OF_CHARGE,
     FREE_OF_CHARGE),
    # someone else who must be told: as read
    ("må jeg oppgi personnummer når jeg søker lånekassen", "ask_student_finance_deadline",
     "ask_student_finance_deadline"),
])
def test_whether_one_must_say_who_one_is_asks_about_anonymity(text: str, read_as: str,
                                                              intent: str) -> None:
    read = classified(text, read_as, 0.69)
    assert NoWishForAPerson({}).process([read])[0].get("intent")["name"] == intent


def ranked(text: str, *ranking: tuple[str, float]) -> Message:
    first, confidence = ranking[0]
    return Message(data={TEXT: text, "intent": {"name": first, "confidence": confidence},
                         "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking]})


@pytest.mark.parametrize(("text", "ranking", "intent"), [
    # a counsellor to talk to, named as if an occupation were told
    ("hi, i live in kautokeino and want to talk to a career counsellor",
     [("inform", 0.72), ("ask_career_centre", 0.18), ("human_handoff", 0.06)], "human_handoff"),
    # a person asked for, the person first, the topic after: a person
    ("hey is there a human i can chat with about getting my degree from ukraine recognised",
     [("ask_foreign_education_recognition", 0.57), ("human_handoff", 0.38)], "human_handoff"),
    # how to become one, or a question that names one without asking to talk: as read
    ("how do i become a career counsellor", [("ask_occupation_path", 0.9),
                                             ("human_handoff", 0.05)], "ask_occupation_path"),
    # a career centre named, with someone to talk to there: the centre
    ("Is there a career centre up there where he could talk to someone?",
     [("ask_career_centre", 0.6), ("human_handoff", 0.35)], "ask_career_centre"),
    ("finst det eit karrieresenter der oppe der ho kan snakke med nokon?",
     [("ask_career_centre", 0.55), ("human_handoff", 0.4)], "ask_career_centre"),
    # whether a person answers is a question about this chat
    ("hi! im an exchange student in trondheim, what is this chat actually? is it a bot or a "
     "real person", [("ask_about_service", 0.95), ("human_handoff", 0.04)], "ask_about_service"),
    ("hvordan får jeg kontakt med nav-veilederen min om kurs?",
     [("ask_nav_courses", 0.7), ("ask_job_search", 0.1)], "ask_nav_courses"),
    # what talking to someone costs is the service's price, not a wish for a person
    ("do i have to pay money if i want to speak with a counsellor",
     [("ask_service_free_anonymous", 0.80), ("human_handoff", 0.15)],
     "ask_service_free_anonymous"),
    ("koster det noe å snakke med en veileder?",
     [("ask_service_free_anonymous", 0.6), ("human_handoff", 0.3)],
     "ask_service_free_anonymous"),
    ("is it expensive to talk with a counsellor?",
     [("ask_service_free_anonymous", 0.74), ("human_handoff", 0.2)],
     "ask_service_free_anonymous"),
    ("er det dyrt å prate med en rådgiver?",
     [("ask_service_free_anonymous", 0.6), ("human_handoff", 0.3)],
     "ask_service_free_anonymous"),
    # when one can talk to a person asks the hours
    ("what hours can i chat with a real person",
     [("ask_opening_hours", 0.79), ("human_handoff", 0.2)], "ask_opening_hours"),
    ("når kan jeg snakke med en veileder?",
     [("ask_opening_hours", 0.6), ("human_handoff", 0.35)], "ask_opening_hours"),
    # put through, the person not named: a person
    ("ok let's do it, connect me please", [("affirm", 0.72), ("human_handoff", 0.24)],
     "human_handoff"),
    ("ja, koble meg over til en veileder", [("affirm", 0.6), ("human_handoff", 0.35)],
     "human_handoff"),
    # a wish, read as a topic: a person
    ("jeg vil snakke med en veileder om sykepleie",
     [("ask_occupation_description", 0.6), ("human_handoff", 0.3)], "human_handoff"),
    # someone to talk to face to face, read as the career centre: the centre
    ("is there an office in Bergen where he could talk to someone in person?",
     [("ask_career_centre", 0.75), ("human_handoff", 0.2)], "ask_career_centre"),
    # a question read surely, and a wish: the question's action answers both
    ("når er fristen for å søke vgs? og kan jeg snakke med en rådgiver?",
     [("ask_upper_secondary_deadline", 0.91), ("human_handoff", 0.05)],
     "ask_upper_secondary_deadline"),
    # leaving a question in so many words wins a toss-up with its topic
    ("ok. jeg vil gjerne legge igjen et spørsmål om godkjenning av utdanning fra "
     "Filippinene, kan noen svare på e-post?",
     [("ask_foreign_education_recognition", 0.477), ("leave_question", 0.473)],
     "leave_question"),
    ("can someone get back to me by email about my loan?",
     [("ask_student_finance_deadline", 0.5), ("leave_question", 0.4)], "leave_question"),
    # help from someone asked for, read as what counsellors help with: a person
    ("ka gjør æ da. kan æ få hjelp av nån?",
     [("ask_counsellor_help", 0.68), ("ask_personal_guidance", 0.07)], "human_handoff"),
    ("kan jeg få hjelp av en veileder?",
     [("ask_counsellor_help", 0.56), ("human_handoff", 0.38)], "human_handoff"),
    # what help they give: as read
    ("hva kan jeg få hjelp av en veileder til?",
     [("ask_counsellor_help", 0.9), ("human_handoff", 0.05)], "ask_counsellor_help"),
    # a topic asked about, leaving nothing: as read
    ("hvordan får jeg godkjent utdanning fra Filippinene?",
     [("ask_foreign_education_recognition", 0.5), ("leave_question", 0.4)],
     "ask_foreign_education_recognition"),
])
def test_a_wish_for_a_person_in_so_many_words_wins(text, ranking, intent) -> None:
    [read] = NoWishForAPerson({}).process([ranked(text, *ranking)])
    assert read.get("intent")["name"] == intent


@pytest.mark.parametrize(("text", "place", "county", "ranking"), [
    # somewhere at the place to go and talk to a counsellor: the centre, as read
    ("e det nokon plass i ålesund der eg kan gå innom og prate med ein rettleiar?", "ålesund",
     "Møre og Romsdal", [("ask_career_centre", 0.49), ("human_handoff", 0.4)]),
    ("er det noe sted rundt lillestrøm jeg kan gå for å snakke med en veileder?", "lillestrøm",
     "Akershus", [("ask_career_centre", 0.79), ("human_handoff", 0.1)]),
])
def test_somewhere_at_a_place_to_talk_to_a_counsellor_stays_its_centre(
        text: str, place: str, county: str, ranking: list[tuple[str, float]]) -> None:
    read = ranked(text, *ranking)
    start = text.index(place)
    read.set("entities", [{"entity": "county", "value": county, "start": start,
                           "end": start + len(place)}])
    assert NoWishForAPerson({}).process([read])[0].get("intent")["name"] == "ask_career_centre"
