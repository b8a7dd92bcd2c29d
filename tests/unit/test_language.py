import pytest

from bot.shared.language import (
    BOKMAAL,
    ENGLISH,
    NYNORSK,
    SAMI,
    detect_language,
    language_asked_for,
    marker_counts,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Når er fristen for å søke høyere utdanning?", "nb"),
        ("hvor mange valg kan jeg ha på samordna", "nb"),
        ("Jeg vet ikke hva jeg skal søke på", "nb"),
        ("Kva tid er fristen for å søkje høgare utdanning?", "nn"),
        ("God morgon. Er denne tenesta gratis?", "nn"),
        ("God morgen. Er denne tjenesten gratis?", "nb"),
        ("kan eg snakke med ein rettleiar", "nn"),
        ("kor mange studieval kan eg ha", "nn"),
        ("Korleis søkjer eg på vidaregåande skule?", "nn"),
        ("eg veit ikkje kva eg skal gjere", "nn"),
        ("When is the deadline for applying to university?", "en"),
        ("how many choices can I have", "en"),
        ("What is the deadline for student loans?", "en"),
    ],
)
def test_detects_the_written_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "hei", "ok", "takk", "???", "/greet", "/ask_student_finance_deadline", "12345",
     "Samordna opptak", "og cv-en?", "og ID-en?"],
)
def test_says_nothing_when_the_message_does_not_tell(text: str) -> None:
    assert detect_language(text) is None


def test_words_shared_by_bokmaal_and_nynorsk_count_for_neither() -> None:
    counts = marker_counts("søknad og frist på skolen")
    assert counts["nn"] == 0
    assert counts["nb"] == 1  # only "skolen" marks Bokmål


def test_a_tie_is_not_a_guess() -> None:
    assert detect_language("ikke ikkje") is None


@pytest.mark.parametrize(
    "text",
    ["Bures!", "Buorre beaivi", "Mun háliidan oahppat eanet", "Sáhtátgo veahkehit mu?",
     "Gos lea karriearaguovddáš?", "giitu ollu", "Mun ohcan barggu"],
)
def test_northern_sami_is_recognised(text: str) -> None:
    assert detect_language(text) == SAMI


@pytest.mark.parametrize(
    ("text", "expected"),
    [("kan jeg få veiledning i Kárášjohka", BOKMAAL),
     ("er det eit karrieresenter i Guovdageaidnu", NYNORSK),
     ("is there a career centre in Áltá", ENGLISH),
     ("I don't know what to study", ENGLISH),
     ("du må søke innen fristen", BOKMAAL)],
)
def test_sami_place_names_and_lookalike_words_do_not_make_a_message_sami(
    text: str, expected: str
) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(("text", "asked"), [
    ("sorry my norwegian is not so good, can you explain that in english?", ENGLISH),
    ("kan du skrive på engelsk?", ENGLISH),
    ("på nynorsk takk", NYNORSK),
    ("can you answer in norwegian please", BOKMAAL),
    ("english please", ENGLISH),
    ("snakker du engelsk?", ENGLISH),
    ("do you speak english?", ENGLISH),
    ("på engelsk?", ENGLISH),
])
def test_a_request_for_answers_in_a_language_names_it(text: str, asked: str) -> None:
    assert language_asked_for(text) == asked


@pytest.mark.parametrize("text", [
    # a person to talk to in a language is a wish for a counsellor
    "can she talk to a counsellor in english?",
    "my mum asks if she can talk to someone too, she only speaks english",
    # questions about studying or applying in a language
    "kan jeg skrive søknaden på engelsk?", "er studiet på engelsk?",
    "is the course taught in english?", "hvordan sier man det på engelsk",
    # a language the person speaks, or does not yet: no answer in it (it got Norwegian)
    "any general tips to find a job when you dont speak norwegian yet",
    "jeg snakker ikke norsk så godt, hvordan finner jeg jobb?",
    "hei", "",
])
def test_a_language_named_in_a_question_of_its_own_asks_for_no_answers_in_it(
        text: str) -> None:
    assert language_asked_for(text) is None
