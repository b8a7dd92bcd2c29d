"""Issue 13's NLU pieces on real Rasa messages: spelling, the sentence embedding, the
linear classifier and the nonsense guard. Needs the spaCy pipeline's tables (`make
spacy-model`, which `make unit` and `make test` run first), not a trained model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix

from bot.server.nlp.classifier import LinearIntentClassifier
from bot.server.nlp.crisis_sense import embed
from bot.server.nlp.features import EMBEDDING, NORMALISED_TEXT, SentenceEmbedder, SpellingNormaliser
from bot.server.nlp.lemmas import project_words
from bot.server.nlp.nonsense import NonsenseGuard
from bot.server.nlp.spelling import Speller
from bot.shared.settings import PROJECT_DIR

TABLES = PROJECT_DIR / "build" / "spacy-nb"


@pytest.fixture(scope="module")
def speller() -> Speller:
    if not (TABLES / "spelling.npz").exists():
        pytest.fail("build/spacy-nb/spelling.npz is missing: run `make spacy-model`")
    return Speller.load(TABLES)


@pytest.mark.parametrize(("typed", "written", "lemma"), [
    ("soknadsfristen", "søknadsfristen", "søknadsfrist"),
    ("laan", "lån", "lån"),
    ("hoyskole", "høyskole", "høyskole"),
    ("larling", "lærling", "lærling"),
    ("Pabygg", "påbygg", "påbygg"),
    ("koss", "hvordan", "hvordan"),
    ("ittj", "ikke", "ikke"),
    # short words typed without å, and compounds Norsk Ordbank lacks (the bot's own words)
    ("nar", "når", "når"),
    ("maa", "må", "må"),
    ("lan", "lån", "lån"),  # "nar ma eg soke lan" (0.40 Samordna opptak's deadline)
    ("lon", "lønn", "lønn"),  # "kva slags lon kan ein vente seg som kokk" (out of scope)
    ("lareplass", "læreplass", "læreplass"),
    ("folkehogskule", "folkehøgskule", "folkehøgskule"),
    ("vaksenopplaering", "vaksenopplæring", "vaksenopplæring"),
    # a letter held for emphasis
    ("takkkk", "takk", "takk"),
    ("hvaaa", "hva", "hva"),
    ("kosss", "hvordan", "hvordan"),
])
def test_words_typed_without_norwegian_letters_or_in_dialect_are_read(
        speller: Speller, typed: str, written: str, lemma: str) -> None:
    correction = speller.correct(typed)
    assert correction is not None
    assert (correction.written, correction.lemma) == (written, lemma)


@pytest.mark.parametrize("word", ["for", "skole", "over", "more", "hvordan", "stipend", "søke",
                                  "sok", "12345", "fagbrev", "ddddd", "zzzxxx"])
def test_real_words_are_left_alone(speller: Speller, word: str) -> None:
    assert speller.correct(word) is None


def tokenized(text: str) -> Message:
    message = Message(data={TEXT: text})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    for token in message.get(TOKENS_NAMES[TEXT]):
        token.lemma = token.text.lower()
    return message


def test_the_normaliser_corrects_the_features_and_keeps_the_text(speller: Speller) -> None:
    normaliser = SpellingNormaliser({}, speller)
    message = normaliser.process([tokenized("nar er soknadsfristen for hoyere utdanning")])[0]
    assert message.get(TEXT) == "nar er soknadsfristen for hoyere utdanning"
    assert message.get(NORMALISED_TEXT) == "når er søknadsfristen for høyere utdanning"
    lemmas = [token.lemma for token in message.get(TOKENS_NAMES[TEXT])]
    assert lemmas[2] == "søknadsfrist" and lemmas[3] == "for"


def test_the_known_words_include_the_projects_own_words_with_norwegian_letters(
        tmp_path: Path) -> None:
    (tmp_path / "answers.yml").write_text(
        'text: "Søk læreplass på vigo.no, og bruk folkehøgskule-året godt."\n', encoding="utf-8")
    (tmp_path / "notes.txt").write_text("vaksenopplæring", encoding="utf-8")
    assert project_words((tmp_path,)) == {"søk", "læreplass", "på", "folkehøgskule", "året"}


def test_english_is_not_read_as_norwegian(speller: Speller) -> None:
    message = SpellingNormaliser({}, speller).process(
        [tokenized("how do I apply for a student loan")])[0]
    assert message.get(NORMALISED_TEXT) is None


@pytest.mark.parametrize(("typed", "written"), [("pabygg", "påbygg"), ("Lanekassen", "Lånekassen"),
                                               ("hoyskole", "høyskole")])
def test_norwegian_words_in_english_text_are_read_with_their_letters(
        speller: Speller, typed: str, written: str) -> None:
    correction = speller.correct_in_english(typed)
    assert correction is not None and correction.written.lower() == written.lower()


@pytest.mark.parametrize("word", ["take", "have", "does", "morning", "stop", "modular", "uni",
                                  "vgs", "sore"])
def test_english_words_and_dialect_forms_stay_english(speller: Speller, word: str) -> None:
    assert speller.correct_in_english(word) is None


def test_english_text_reads_the_norwegian_word_meant() -> None:
    message = SpellingNormaliser({}, Speller.load(TABLES)).process(
        [tokenized("how long does pabygg take")])[0]
    assert message.get(TEXT) == "how long does pabygg take"
    assert message.get(NORMALISED_TEXT) == "how long does påbygg take"


def test_the_embedding_reads_the_corrected_text() -> None:
    embedder = SentenceEmbedder({"alias": None}, "embedder")
    typed = Message(data={TEXT: "nar er soknadsfristen", NORMALISED_TEXT: "nar er søknadsfristen"})
    embedder.process([typed])
    [written] = embed(["nar er søknadsfristen"])
    assert np.allclose(typed.get(EMBEDDING), written, atol=1e-5)
    _, sentence = typed.get_dense_features(TEXT)
    assert sentence is not None and sentence.features.shape == (1, written.shape[0])


def test_a_pressed_button_costs_no_embedding(monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.server.nlp.features as features

    def no_embedding(texts: list[str], cache: bool = False) -> np.ndarray:
        assert not texts, f"embedded {texts}"
        return np.zeros((0, features.EMBEDDING_DIMENSIONS), dtype=np.float32)

    monkeypatch.setattr(features, "embed", no_embedding)
    pressed = Message(data={TEXT: "/ask_student_grant"})
    SentenceEmbedder({"alias": None}, "embedder").process([pressed])
    assert not pressed.get(EMBEDDING).any()
    _, sentence = pressed.get_dense_features(TEXT)
    assert sentence.features.shape == (1, features.EMBEDDING_DIMENSIONS)


def test_the_embedding_has_the_dimensions_the_pipeline_expects() -> None:
    from bot.server.nlp.features import EMBEDDING_DIMENSIONS

    assert embed(["hei"]).shape == (1, EMBEDDING_DIMENSIONS)


@pytest.fixture
def guard(speller: Speller) -> NonsenseGuard:
    guard = NonsenseGuard({}, None, None, speller, frozenset({"what", "deadline", "kva"}))
    return guard


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<b>Når er fristen?</b>",
    "javascript:alert(document.cookie)",
    "asdkjh qwelkj zxcmn",
    "ghjkl",
    "xqzt 12345",
    "sdfsdf", "jkjkjk", "qwertyuiop", "lkjhgfdsa",
    # a letter held down is no word either
    "qqqqq", "ddddd", "jjjjjkkkk", "zzzxxx",
    "\u2060/human_handoff",
    "\u2060/greet{\"x\": 1}",
    # a link and nothing else
    "https://www.example.org/watch?v=abc123", "www.example.no/studier",
    "  <https://example.org/a>  https://example.org/b ",
    # a sum
    "whats 2+2", "hva er 12*12?", "2+2=", "regn ut 7 × 8",
])
def test_markup_mash_and_symbols_are_nonsense(guard: NonsenseGuard, text: str) -> None:
    assert guard.is_nonsense(text)
    message = Message(data={TEXT: text, "intent": {"name": "ask_cv", "confidence": 0.9}})
    processed = guard.process([message])[0]
    assert processed.get("intent")["name"] == "nlu_fallback"
    # No topic of the classifier's reading of it is offered, and the actions are told
    # not to read it with the question before.
    assert [item["name"] for item in processed.get("intent_ranking")] == ["nlu_fallback"]
    assert processed.get("nonsense") is True


@pytest.mark.parametrize("text", [
    "Når er søknadsfristen?", "nar er soknadsfristen", "kva er fristen", "what is the deadline",
    "koss blir æ lærling", "ja", "/ jeg vil snakke med en rådgiver",
    "Jeg vil ikke leve lenger <3", "928 44 102", "2027",
    # compounds Norsk Ordbank does not list, and a phrase typed as one word
    "samekvote", "yrkesfagkvote", "hadebra",
    # letters held for emphasis
    "hellooo", "takkkk!", "heiiii", "okkk", "tusen takkkk",
    # a link with a question is a question
    "what is the deadline for https://www.example.org/studier",
    "ola.nordmann@example.org",
    # the 23/5 rule as some write it, a phone number with its country code, a date
    "hva er 23+5 regelen", "+47 928 44 102", "er fristen 1/3?",
    # a sum inside a longer question, and years added up
    "jeg har 2+3 år med jobberfaring, holder det for 23/5?", "er 3+2 år nok?",
    "holder 2+2 years?",
    # thanks as people type them, however unsure the classifier is of them
    "tnx", "thx!", "ty", "tnx tnx", "ok thx",
])
def test_real_messages_are_not_nonsense(guard: NonsenseGuard, text: str) -> None:
    assert not guard.is_nonsense(text)


@pytest.mark.parametrize(("text", "intent", "confidence", "kept"), [
    ("tnx", "thank", 0.72, True),
    ("næh!", "deny", 0.84, True),
    ("qqq", "out_of_scope", 0.9, False),  # not small talk
    ("ddd", "goodbye", 0.22, False),  # not sure
    ("xcvb nmnm", "affirm", 0.9, False),  # more than one word
    ("sdfsdf", "greet", 0.9, False),  # longer than shorthand
])
def test_chat_shorthand_that_is_surely_small_talk_stands(
    guard: NonsenseGuard, text: str, intent: str, confidence: float, kept: bool
) -> None:
    message = Message(data={TEXT: text, "intent": {"name": intent, "confidence": confidence}})
    expected = intent if kept else "nlu_fallback"
    assert guard.process([message])[0].get("intent")["name"] == expected


@pytest.mark.parametrize(("text", "kept"), [
    ("hvilke fag må jeg ha", False),
    ("haha ok. hvilke fag må jeg ha da", False),
    ("ok, what do I have to bring then", False),
    # farewells, also with a question in them
    ("takk for nå, hadet", True),
    ("nei, da må jeg gå. ha det", True),
    ("ok I have to go, goodbye", True),
    ("takk for hjelpen, hvor finner jeg dere igjen?", True),
    ("ha en fin dag", True),
])
def test_a_question_is_no_goodbye(guard: NonsenseGuard, text: str, kept: bool) -> None:
    ranking = [{"name": "goodbye", "confidence": 0.66},
               {"name": "ask_admission_requirements", "confidence": 0.2}]
    message = Message(data={TEXT: text, "intent": ranking[0], "intent_ranking": ranking})
    processed = guard.process([message])[0]
    assert processed.get("intent")["name"] == ("goodbye" if kept else "nlu_fallback")
    if not kept:  # the other readings stay, as topics to offer
        assert [r["name"] for r in processed.get("intent_ranking")] == [
            "nlu_fallback", "ask_admission_requirements"]


def test_a_named_place_is_never_nonsense(guard: NonsenseGuard) -> None:
    message = Message(data={TEXT: "Guovdageaidnu", "entities": [{"entity": "county"}],
                            "intent": {"name": "inform", "confidence": 0.8}})
    assert guard.process([message])[0].get("intent")["name"] == "inform"


def featured(intent: str, sparse: list[float], dense: list[float]) -> Message:
    message = Message(data={TEXT: f"{intent} {sparse} {dense}", "intent": intent})
    message.add_features(Features(csr_matrix([sparse]), "sentence", TEXT, "counts"))
    message.add_features(Features(np.array([dense], dtype=np.float32), "sentence", TEXT, "e5"))
    return message


def test_the_linear_classifier_learns_ranks_and_survives_a_reload(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    examples = []
    for index, intent in enumerate(("ask_cv", "ask_fagskole", "greet")):
        for _ in range(12):
            sparse = [float(rng.integers(0, 2)) for _ in range(6)]
            sparse[index] = 3.0
            dense = list(rng.normal(0, 0.1, 4))
            dense[index] += 1.0
            examples.append(featured(intent, sparse, dense))
    storage = LocalModelStorage(tmp_path)
    resource = Resource("linear")
    classifier = LinearIntentClassifier({}, storage, resource)
    classifier.train(TrainingData(training_examples=examples))
    reloaded = LinearIntentClassifier.load({}, storage, resource, None)
    message = featured("?", [0, 3, 0, 0, 0, 0], [0, 1.1, 0, 0])
    reloaded.process([message])
    ranking = message.get("intent_ranking")
    assert message.get("intent")["name"] == "ask_fagskole"
    assert [entry["name"] for entry in ranking][0] == "ask_fagskole" and len(ranking) == 3
    assert abs(sum(entry["confidence"] for entry in ranking) - 1.0) < 1e-6
    assert ranking[0]["confidence"] > 0.5


def test_without_features_the_classifier_claims_nothing(tmp_path: Path) -> None:
    classifier = LinearIntentClassifier({}, LocalModelStorage(tmp_path), Resource("x"))
    message = classifier.process([Message(data={TEXT: "hei"})])[0]
    assert message.get("intent") == {"name": None, "confidence": 0.0}
