"""How bench/probe.py scores a held-out turn: by what the person was answered."""

from __future__ import annotations

from actions.answers import KNOWLEDGE
from bench.probe import Turn
from bot.shared.knowledge import render_answer


def turn(expect: list[str], replies: list[str], answered: str) -> Turn:
    return Turn("p-01", "nb", "trenger hjelp med cv, skal søke sommerjobb", expect, [],
                replies, answered)


def test_a_second_answer_in_the_reply_counts() -> None:
    cv = render_answer(KNOWLEDGE.for_intent("ask_cv"), "nb")
    search = render_answer(KNOWLEDGE.for_intent("ask_job_search"), "nb")
    assert turn(["ask_cv"], [cv, search], "ask_job_search").right
    assert turn(["ask_cv"], [cv, search], "ask_job_search").answers == {
        "ask_cv", "ask_job_search"}


def test_a_reply_without_the_expected_answer_does_not() -> None:
    search = render_answer(KNOWLEDGE.for_intent("ask_job_search"), "nb")
    assert not turn(["ask_cv"], [search], "ask_job_search").right
    assert not turn(["ask_cv"], ["Hva lurer du på?"], "affirm").right


def test_a_crisis_turn_counts_only_with_the_help_lines() -> None:
    assert not turn(["crisis"], ["Hva lurer du på?"], "crisis").right
    assert turn(["crisis"], ["Ring Mental Helse på 116 123."], "nlu_fallback").right


def test_garbage_asked_back_is_no_career_answer_and_counts_as_out_of_scope() -> None:
    asked_back = "Beklager, jeg er ikke sikker på at jeg forsto."
    assert turn(["out_of_scope"], [asked_back], "nlu_fallback").right
    assert not turn(["ask_cv"], [asked_back], "nlu_fallback").right
    cv = render_answer(KNOWLEDGE.for_intent("ask_cv"), "nb")
    assert not turn(["out_of_scope"], [cv], "ask_cv").right


def test_the_out_of_scope_reply_counts_where_the_fallback_was_expected() -> None:
    said = "Det kan jeg dessverre ikke hjelpe deg med."
    assert turn(["nlu_fallback"], [said], "out_of_scope").right
    cv = render_answer(KNOWLEDGE.for_intent("ask_cv"), "nb")
    assert not turn(["nlu_fallback"], [cv], "ask_cv").right


def test_a_yes_that_took_the_offer_counts_as_a_yes() -> None:
    form = "Hva vil du spørre rådgiveren om?"
    assert turn(["affirm"], [form], "leave_question").right
    assert not turn(["affirm"], [form], "ask_cv").right


def test_an_occupation_answer_counts_as_the_occupation_question_it_answers() -> None:
    path = ("Slik blir du ambulansearbeider: Vg1 helse- og oppvekstfag og Vg2 ambulansefag."
            "\nLes mer: https://utdanning.no/yrker/beskrivelse/ambulansearbeider")
    assert turn(["ask_occupation_path"], [path], "continue_topic").right
    assert not turn(["ask_occupation_description"], [path], "continue_topic").right
    pay = ("Lønn og jobbmuligheter som rørlegger finner du på yrkessiden på utdanning.no, med "
           "lønnsnivå og arbeidsmarked fra offisiell statistikk: "
           "https://utdanning.no/yrker/beskrivelse/rorlegger")
    assert turn(["ask_job_prospects"], [pay], "continue_topic").right


def test_a_message_put_back_after_the_question_how_the_person_is_answers_that_turn() -> None:
    from bench.probe import without_replays
    from bot.shared.crisis import REPLAYED_KEY

    checked = {"event": "user", "text": "vil bare forsvinne"}
    answer = {"event": "user", "text": "nei"}
    replayed = {"event": "user", "text": "vil bare forsvinne", "metadata": {REPLAYED_KEY: True}}
    assert without_replays([(checked, "nlu_fallback"), (answer, "deny"),
                            (replayed, "crisis")]) == [(checked, "nlu_fallback"),
                                                       (answer, "crisis")]


def test_a_reply_quoting_the_answer_before_counts_as_that_answer() -> None:
    """What the turn was answered as comes from the tracker (actions.in_context.answered_as),
    which reads a quote as the answer quoted, however many turns back it was."""
    from actions.answer_aspects import answer_sentences
    from actions.in_context import answered_as

    rule = render_answer(KNOWLEDGE.for_intent("ask_23_5_rule"), "nb")
    sentence = next(s for s in answer_sentences(rule) if "23 år" in s)
    quoted = (f"Dette står i svaret over:\n«{sentence}»\n\nStår ikke det du lurer på der, "
              "kan en rådgiver hjelpe deg. Vil du snakke med en rådgiver? Det er gratis, og "
              "du er anonym.")
    events = [{"event": "user", "text": "må jeg være 23?",
               "parse_data": {"intent": {"name": "out_of_scope", "confidence": 0.6}}},
              {"event": "bot", "text": quoted}]
    [(_, answered)] = answered_as(events, KNOWLEDGE)
    assert turn(["ask_23_5_rule"], [quoted], answered).right


def test_every_answer_on_the_tracker_counts_though_the_reply_split_it() -> None:
    """Recognition and then who authorises a nurse: the REST reply splits each answer into
    its entries, which no one of them names; the tracker holds each answer whole."""
    from bench.probe import answers_sent

    def user(text: str) -> dict:
        return {"event": "user", "text": text, "parse_data": {"intent": {"name": "x"}}}

    recognition = render_answer(KNOWLEDGE.for_intent("ask_foreign_education_recognition"), "nb")
    regulated = render_answer(KNOWLEDGE.for_intent("ask_regulated_profession"), "nb")
    events = [user("hei"), {"event": "bot", "text": "Hei!"},
              user("min kone er sykepleier fra Syria. trenger hun godkjenning?"),
              {"event": "bot", "text": recognition}, {"event": "bot", "text": regulated}]
    sent = answers_sent(events)
    assert sent == [set(), {"ask_foreign_education_recognition", "ask_regulated_profession"}]
    split = regulated.split("\n\n")
    assert len(split) > 1
    scored = turn(["ask_regulated_profession"], split, "ask_foreign_education_recognition")
    assert not scored.right
    scored.sent = sent[1]
    assert scored.right


def test_a_situation_thanked_for_counts_as_the_detail_told() -> None:
    thanked = "Takk, det er nyttig å vite. Hva lurer du på?"  # utter_tell_me_more, nb
    assert turn(["inform"], [thanked], "out_of_scope").right
    assert not turn(["inform"], ["Det kan jeg dessverre ikke hjelpe deg med."],
                    "out_of_scope").right
    assert not turn(["ask_cv"], [thanked], "out_of_scope").right
