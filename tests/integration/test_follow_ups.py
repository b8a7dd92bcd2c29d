"""Messages that lean on the conversation, with the real servers: a typed yes to what the
bot offered, follow-ups for another level or place, and two questions in one message."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.commands.serve import Servers
from tests.facts import answer_problems, centre_problems, filled, response, split_sources
from tests.servers import FIXTURES, Chat, start_servers

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def closed_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """The chat is closed: asking for a counsellor gets the offer to leave a question."""
    state = tmp_path_factory.mktemp("follow-ups")
    servers = start_servers(state / "conversations.db", state / "servers.log",
                            env={"VEIVALG_OPENING_HOURS": str(FIXTURES / "always_closed.yml")})
    yield servers
    servers.stop()


@pytest.fixture
def person(closed_servers: Servers) -> Chat:
    return Chat(closed_servers)


def user_texts(chat: Chat, sender: str) -> list[str]:
    return [e.get("text") or "" for e in chat.tracker(sender)["events"] if e["event"] == "user"]


def test_a_typed_yes_to_leave_a_question_starts_the_callback_form(person: Chat) -> None:
    offer = person.send("f-yes", "jeg vil snakke med en rådgiver")
    assert [b["payload"] for b in offer[-1].get("buttons", [])] == ["/leave_question"]
    assert person.texts("f-yes", "ja takk") == response("utter_ask_callback_question", "nb")
    tracker = person.tracker("f-yes")
    assert tracker["active_loop"]["name"] == "callback_form"
    assert tracker["slots"]["offered_intent"] is None
    # The yes went on the record as the offered button would have: not as a crisis, and
    # not as something the person typed twice.
    taken = [e for e in tracker["events"] if e["event"] == "user"][-1]
    assert taken["parse_data"]["intent"]["name"] == "leave_question"
    assert taken["text"].startswith("EXTERNAL: ")
    assert tracker["slots"]["language"] == "nb"

    # A second yes is no question for a counsellor: asked for once more, once.
    assert person.texts("f-yes", "ja takk") == response("utter_ask_callback_question", "nb")
    assert person.tracker("f-yes")["slots"]["callback_question"] is None
    person.texts("f-yes", "Jeg er 45 og lurer på om jeg kan ta fagbrev som voksen.")
    assert person.texts("f-yes", "928 44 102") == response("utter_callback_saved", "nb")


def test_a_sure_out_of_scope_question_naming_the_town_just_answered_stays_out_of_scope(
        person: Chat) -> None:
    """The ferry from the town (0.89 out of scope) got the career centre's sentence with
    the town's name quoted: a word shared with the answer before."""
    person.send("f-ferry", "hei! kvar er næraste karrieresenter for oss i ålesund?")
    answer = person.texts("f-ferry", "veit du kva tid hurtigruta går frå ålesund i kveld")
    assert answer == response("utter_out_of_scope", "nn")


def test_a_regulated_occupation_told_after_recognition_gets_who_authorises_it(
        person: Chat) -> None:
    """"eg er sjukepleiar" (0.48 regulated professions) after a question whether an
    education from Poland must be recognised got the recognition answer again."""
    person.send("f-nurse", "eg har utdanning frå polen, må den godkjennast?")
    answer = person.texts("f-nurse", "eg er sjukepleiar")
    assert "Helsedirektoratet" in answer and "generell godkjenning" not in answer
    # a question of its own about an occupation keeps its reading
    person.send("f-engineer", "i have a degree from brazil, does it need to be recognised?")
    answer = person.texts("f-engineer", "is engineer a regulated profession?")
    assert "regulated" in answer.lower(), answer


def test_a_yes_after_something_else_takes_no_old_offer(person: Chat) -> None:
    person.send("f-lapsed", "I want to talk to a real person")
    answer = person.texts("f-lapsed", "when is the deadline for applying to university?")
    assert answer_problems(answer, "ask_higher_education_deadline", "en") == []
    assert person.texts("f-lapsed", "yes") == response("utter_nothing_offered", "en")
    assert person.tracker("f-lapsed")["active_loop"] in ({}, None, {"name": None})


def test_a_typed_no_declines_the_offer(person: Chat) -> None:
    person.send("f-no", "kan eg få prate med ein rådgivar?")
    assert person.texts("f-no", "nei") == response("utter_handoff_declined", "nn")
    assert person.tracker("f-no")["slots"]["offered_intent"] is None


def test_a_follow_up_for_fagskole_answers_the_deadline_question_for_fagskole(
    person: Chat,
) -> None:
    answer = person.texts("f-level", "Når er søknadsfristen for videregående?")
    assert answer_problems(answer, "ask_upper_secondary_deadline", "nb") == []
    answer = person.texts("f-level", "og for fagskole?")
    assert answer_problems(answer, "ask_fagskole", "nb") == []
    # The person's own words stay on the record once.
    assert user_texts(person, "f-level").count("og for fagskole?") == 1


def test_a_follow_up_naming_another_topic_gets_that_topic(person: Chat) -> None:
    answer = person.texts("f-topic", "kva tid må eg søkje lån")
    assert answer_problems(answer, "ask_student_finance_deadline", "nn") == []
    # The grant, not the loan deadline again.
    answer = person.texts("f-topic", "kva med stipend?")
    assert answer_problems(answer, "ask_student_grant", "nn") == []


def test_a_bare_deadline_gets_the_deadline_of_the_topic_before(person: Chat) -> None:
    answer = person.texts("f-deadline-vgs", "hvordan sender jeg inn søknad til vgs")
    assert answer_problems(answer, "ask_upper_secondary_application", "nb") == []
    # Not Samordna opptak's, the deadline the classifier reads into a bare "frist".
    answer = person.texts("f-deadline-vgs", "når er fristen da")
    assert answer_problems(answer, "ask_upper_secondary_deadline", "nb") == []


def test_a_bare_deadline_right_after_the_answer_that_holds_it_gets_its_sentence(
        person: Chat) -> None:
    """"and the deadline?" right after the student loan's answer, which says it: that
    sentence quoted, not the whole answer once more (nor Samordna opptak's deadline)."""
    person.send("f-deadline-loan", "how do i apply for a student loan")
    [said] = person.send("f-deadline-loan", "and the deadline?")
    quote = filled(said["text"], "utter_from_the_answer", "en")["quote"]
    assert "15 November" in quote and "15 March" in quote
    assert "Samordna" not in quote


def test_a_situation_named_after_a_finance_question_gets_its_answer(person: Chat) -> None:
    answer = person.texts("f-finance", "hvor mye får jeg i stipend hvis jeg bor hjemme")
    assert answer_problems(answer, "ask_student_grant", "nb") == []
    answer = person.texts("f-finance", "og hvis jeg har barn?")
    assert answer_problems(answer, "ask_student_finance_extra", "nb") == []


def test_a_question_with_the_ha_of_ha_det_gets_no_goodbye(person: Chat) -> None:
    answer = person.texts("f-no-goodbye", "haha ok. hvilke fag må jeg ha da")
    assert answer and response("utter_goodbye", "nb") not in answer


def test_a_follow_up_with_another_town_gets_that_towns_career_centre(person: Chat) -> None:
    answer = person.texts("f-place", "Hvor er karrieresenteret i Oslo?")
    assert centre_problems(answer, "Oslo", "nb") == []
    answer = person.texts("f-place", "hva med Bergen?")
    assert centre_problems(answer, "Vestland", "nb") == []


def test_two_questions_in_one_message_get_both_answers(person: Chat) -> None:
    replies = person.send(
        "f-two", "Når er søknadsfristen for høyere utdanning, og hvor mye får jeg i stipend?")
    assert len(replies) == 2, replies
    assert answer_problems(replies[0]["text"], "ask_higher_education_deadline", "nb") == []
    assert answer_problems(replies[1]["text"], "ask_student_grant", "nb") == []


def test_a_follow_up_that_asks_the_same_again_gets_the_answer_again_and_a_counsellor(
        person: Chat) -> None:
    """"enn om jeg flytter ut?" names no topic (alone the bot is unsure, or reads a
    follow-up without a new level or place); read after the grant question it asks about
    the grant, whose answer says what moving out changes."""
    person.send("f-context", "hvor mye får jeg i stipend hvis jeg bor hjemme")
    replies = [reply.get("text", "") for reply in person.send("f-context",
                                                              "enn om jeg flytter ut?")]
    assert answer_problems("\n\n".join(replies[:-1]), "ask_student_grant", "nb") == []
    assert replies[-1] == response("utter_answer_again_offer_counsellor", "nb")
    # The offer stands: a typed yes takes it (closed: the offer to leave a question).
    assert "legge igjen et spørsmål" in person.texts("f-context", "ja")


def test_a_follow_up_in_nynorsk_about_the_same_thing_is_answered_in_nynorsk(
        person: Chat) -> None:
    person.send("f-context-nn", "Eg er 34 år og har jobba som assistent i barnehage i ti "
                                "år. Kan eg ta fagbrev utan å gå skule igjen?")
    replies = [reply.get("text", "") for reply in person.send("f-context-nn",
                                                              "og kor lang tid tek det?")]
    assert answer_problems("\n\n".join(replies[:-1]), "ask_trade_certificate_adult",
                           "nn") == []
    assert replies[-1] == response("utter_answer_again_offer_counsellor", "nn")


def test_a_weak_out_of_scope_reading_that_leans_back_is_answered_in_context(
        person: Chat) -> None:
    """Alone, "what if i start in january?" reads as out of scope; after the loan
    deadline it asks about that deadline: the answer's sentence on the spring semester,
    quoted, with a counsellor offered for the rest."""
    person.send("f-lean-en", "when is the deadline for student loans?")
    replies = [reply.get("text", "") for reply in person.send("f-lean-en",
                                                              "what if i start in january?")]
    [quoted] = replies
    assert "«" in quoted and "15 March for the spring semester" in quoted, replies
    assert "a counsellor can help" in quoted


def test_what_it_costs_after_a_question_is_about_that_not_about_this_service(
        person: Chat) -> None:
    person.send("f-lean-nb", "kan jeg ta opp fag som privatist?")
    replies = [reply.get("text", "") for reply in person.send("f-lean-nb", "hva koster det?")]
    assert answer_problems("\n\n".join(replies[:-1]), "ask_improve_grades", "nb") == []
    assert replies[-1] == response("utter_answer_again_offer_counsellor", "nb")
    # Asked about the service by name, it is the service's answer.
    said = person.texts("f-lean-nb", "er det gratis å snakke med dere?")
    assert answer_problems(said, "ask_service_free_anonymous", "nb") == []


def test_a_short_question_on_the_price_right_after_a_career_answer_gets_what_it_says(
        person: Chat) -> None:
    """"må jeg betale noe" after praksiskandidat, read as this chat's price (sure of it,
    with no word pointing back): the answer's sentence on the price, with a counsellor
    offered, not the whole answer again."""
    person.send("f-price-nb", "kan jeg ta fagbrev som praksiskandidat?")
    [said] = person.send("f-price-nb", "må jeg betale noe")
    assert filled(said["text"], "utter_from_the_answer", "nb")["quote"] == \
        "«Eksamensavgiften betaler du selv.»"


@pytest.mark.parametrize("after", ["hvem vant fotballkampen i går?", "kan du spille litt musikk?"])
def test_a_clear_request_outside_careers_after_a_question_gets_the_out_of_scope_reply(
        person: Chat, after: str) -> None:
    sender = f"f-lean-out-{len(after)}"
    person.send(sender, "kan jeg ta opp fag som privatist?")
    assert person.texts(sender, after) == response("utter_out_of_scope", "nb")


@pytest.mark.parametrize("after", ["asdkjh qwpoeiru", "kan du anbefale en film?"])
def test_mash_or_a_new_subject_after_a_question_is_not_read_as_a_follow_up(
        person: Chat, after: str) -> None:
    sender = f"f-context-no-{len(after)}"
    person.send(sender, "hvor mye får jeg i stipend hvis jeg bor hjemme")
    said = person.texts(sender, after)
    assert "40 prosent" not in said
    assert response("utter_answer_again_offer_counsellor", "nb") not in said


def test_the_price_of_studying_is_not_answered_with_the_price_of_this_chat(
    person: Chat,
) -> None:
    # Read as "is this service free?", but it asks what studying costs: the bot has no
    # such figures, so it asks what was meant instead of saying the chat is free.
    answer = person.texts("f-price", "hvor mye koster det å studere?")
    assert answer in (response("utter_clarify", "nb"), response("utter_default", "nb")), answer
    assert "gratis" not in answer


def test_a_place_right_after_a_career_centre_answer_gets_the_centre_there(
        person: Chat) -> None:
    person.send("f-place", "finnes det et karrieresenter i nærheten av Kirkenes?")
    answer = person.texts("f-place", "ok, harstad er nærmere for meg, går det an der?")
    assert centre_problems(answer, "Troms", "nb") == [], answer
    assert "Bardufoss" in answer  # the office nearest Harstad leads
    assert person.tracker("f-place")["slots"]["county"] == "Troms"


def test_a_story_that_ends_in_a_plain_question_gets_the_answer_to_it(person: Chat) -> None:
    # Read whole as a need for guidance or as the question itself, the person gets the
    # answer (actions/personal_guidance.py when it is the former); a counsellor's offer
    # may follow it.
    replies = [reply.get("text", "") for reply in person.send(
        "f-story", "Jeg har vært sykmeldt lenge etter en ulykke og vil gjerne omskolere meg "
                   "til noe annet. Kan jeg ta utdanning og beholde pengene fra NAV?")]
    offer = response("utter_offer_counsellor", "nb")
    answer = [reply for reply in replies if reply != offer]
    assert answer_problems("\n\n".join(answer), "ask_nav_benefits_studying", "nb") == []


def test_whether_experience_is_enough_gets_the_requirements_again(person: Chat) -> None:
    # Read alone as another topic (the 23/5 rule asks for work too); it asks whether the
    # requirements just given are met, which a counsellor can say.
    person.send("f-enough", "hvordan kan jeg bli praksiskandidat som frisør?")
    replies = [reply.get("text", "") for reply in
               person.send("f-enough", "jeg har jobbet fem år i en salong, holder det?")]
    assert answer_problems("\n\n".join(replies[:-1]), "ask_praksiskandidat", "nb") == [], replies
    assert replies[-1] == response("utter_answer_again_offer_counsellor", "nb")


def test_when_applying_opens_is_not_the_chats_opening_hours(person: Chat) -> None:
    person.send("f-opens", "when is the deadline to apply for university?")
    answer = person.texts("f-opens", "and when does applying open?")
    assert answer_problems(answer, "ask_higher_education_deadline", "en") == [], answer


def test_a_detail_added_by_the_way_gets_the_answers_sentence_on_it(person: Chat) -> None:
    person.send("f-btw", "I get dagpenger from NAV and want to take a course. can I keep "
                         "the money?")
    [reply] = [reply.get("text", "") for reply in person.send("f-btw", "im 31 btw")]
    # the age: the answer's sentence on it, and a counsellor for the rest
    assert "you must be 25 or older" in reply and reply.startswith(
        "This is what the answer above says"), reply


def test_a_story_that_asks_to_leave_a_question_starts_the_callback_form(person: Chat) -> None:
    # Read whole as foreign education; what the person asks for is a counsellor.
    answer = person.texts(
        "f-leave", "I have a question about getting my engineering degree from Brazil "
                   "recognised in Norway, and it is complicated. Could a counsellor get back "
                   "to me later on this?")
    assert answer == response("utter_ask_callback_question", "en")
    assert person.tracker("f-leave")["active_loop"]["name"] == "callback_form"


def test_an_unclear_story_that_asks_for_a_counsellor_is_offered_one(person: Chat) -> None:
    # Closed: the offer to leave a question, not topic buttons.
    offer = person.send(
        "f-parent", "Sønnen min vil bli elektriker men fikk ikke læreplass i år, og vi vet "
                    "ikke hva vi skal gjøre nå. Kan jeg få snakke med en veileder om dette?")
    assert [b["payload"] for b in offer[-1].get("buttons", [])] == ["/leave_question"]


def test_a_question_and_a_wish_for_a_counsellor_get_both(person: Chat) -> None:
    replies = person.send("f-both", "når er fristen for å søke vgs? og kan jeg snakke med "
                                    "en rådgiver?")
    assert answer_problems(replies[0].get("text", ""), "ask_upper_secondary_deadline",
                           "nb") == []
    assert [b["payload"] for b in replies[-1].get("buttons", [])] == ["/leave_question"]


def test_a_request_for_more_gets_the_sources_and_a_counsellor(person: Chat) -> None:
    """"kan du si litt mer om det?" was out of scope (0.76): "I can't help with that"."""
    answer = person.texts("f-more", "hvor mange studieønsker kan jeg ha i samordna opptak?")
    assert answer_problems(answer, "ask_higher_education_choices", "nb") == []
    _, sources = split_sources(answer)
    replies = person.send("f-more", "Kan du si noe mer om det?")
    assert len(replies) == 1, replies
    links = "\n".join(url for _, url in sources)
    assert filled(replies[0]["text"], "utter_more_on_topic", "nb") == {"links": links}
    assert [b["payload"] for b in replies[0]["buttons"]] == ["/affirm", "/deny"]
    # The counsellor offered: closed, so the offer to leave a question.
    assert "legge igjen et spørsmål" in person.texts("f-more", "ja")


def test_a_request_for_more_in_nynorsk_after_an_occupation_links_the_occupation(
        person: Chat) -> None:
    person.send("f-more-nn", "kva gjer ein sjukepleiar?")
    replies = person.send("f-more-nn", "ok, kan du fortelje litt meir?")
    assert filled(replies[0]["text"], "utter_more_on_topic", "nn") == {
        "links": "https://utdanning.no/yrker/beskrivelse/sykepleier"}


def test_a_request_for_more_with_nothing_before_asks_what_about(person: Chat) -> None:
    assert person.texts("f-more-en", "tell me more please") == response(
        "utter_ask_what_more", "en")


def test_a_question_on_a_word_of_the_answer_gets_the_sentence_that_holds_it(
        person: Chat) -> None:
    """"kor lenge varer det" after fagskule (out of scope, 0.64): the answer says "varer"."""
    person.send("f-echo-nn", "kva er ein fagskule?")
    [said] = person.send("f-echo-nn", "kor lenge varer det")
    quote = filled(said["text"], "utter_from_the_answer", "nn")["quote"]
    assert quote.startswith("«Utdanningane varer frå eit halvt år til to år")
    assert [b["payload"] for b in said["buttons"]] == ["/affirm", "/deny"]
    # Off the subject, nothing is quoted.
    assert person.texts("f-echo-nn", "kven vann fotballkampen i går?") == response(
        "utter_out_of_scope", "nn")


def test_pay_for_one_occupation_then_another_links_each_ones_page(person: Chat) -> None:
    first = person.send("f-pay", "hva tjener en sykepleier")
    assert filled(first[-1]["text"], "utter_occupation_prospects", "nb") == {
        "name": "sykepleier", "url": "https://utdanning.no/yrker/beskrivelse/sykepleier"}
    # "hva med rørlegger?" got what a plumber does.
    [then] = person.send("f-pay", "hva med rørlegger?")
    assert filled(then["text"], "utter_occupation_prospects", "nb") == {
        "name": "rørlegger", "url": "https://utdanning.no/yrker/beskrivelse/rorlegger"}


def test_asked_for_another_language_the_answer_before_comes_again_in_it(person: Chat) -> None:
    """"sorry my norwegian is not so good, can you explain that in english?" was read as a
    question about the service; a newcomer needs the answer they could not read."""
    answer = person.texts("f-lang", "hva er fagbrev på jobb?")
    assert answer_problems(answer, "ask_fagbrev_on_the_job", "nb") == []
    again = person.texts(
        "f-lang", "sorry my norwegian is not so good, can you explain that in english?")
    assert answer_problems(again, "ask_fagbrev_on_the_job", "en") == []
    assert person.tracker("f-lang")["slots"]["language"] == "en"
    # Asked in English for Nynorsk: Nynorsk, whatever language the request is in.
    assert answer_problems(person.texts("f-lang", "can you write that in nynorsk please"),
                           "ask_fagbrev_on_the_job", "nn") == []


def test_asked_for_a_language_with_nothing_before_it_says_it_writes_it(person: Chat) -> None:
    assert person.texts("f-lang-0", "kan du skrive på engelsk?") == response(
        "utter_language_switched", "en")


def test_asking_to_talk_to_someone_in_a_language_asks_for_a_person(person: Chat) -> None:
    person.send("f-lang-p", "hva er fagbrev på jobb?")
    replies = person.texts("f-lang-p", "can my mum talk to a counsellor in english?")
    assert "leave a question" in replies, replies
