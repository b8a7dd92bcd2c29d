"""Crisis language wins in every state, with the real servers: in each form, after the
bot was unsure, in the queue, with a counsellor; help lines first, in the person's
language, and an urgent case that every open desk hears about."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import websockets

from bench.clients import Counsellor, add_counsellor
from bot.commands.serve import Servers
from bot.shared.settings import PROJECT_DIR
from tests.facts import PERHAPS_CRISIS, answer_problems, response
from tests.servers import Chat, Person, conversation, resume, socket_url, start_servers

pytestmark = pytest.mark.integration

HELP_LINES = ("116 123", "22 40 00 40", "https://sidetmedord.no", "https://www.soschat.no",
              "https://www.korspahalsen.no", "116 111", "113")
QUEUE_NUMBER = re.compile(r"\b(?:nummer|number)\s+\d+\b", re.IGNORECASE)


def assert_help_lines(text: str) -> None:
    missing = [line for line in HELP_LINES if line not in text]
    assert not missing, f"help lines missing {missing} in: {text}"


@pytest.fixture(scope="module")
def open_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    state = tmp_path_factory.mktemp("crisis-open")
    servers = start_servers(state / "conversations.db", state / "servers.log")
    add_counsellor(servers, "kari", "Kari")
    add_counsellor(servers, "ola", "Ola")
    yield servers
    servers.stop()


@pytest.fixture(scope="module")
def closed_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    state = tmp_path_factory.mktemp("crisis-closed")
    servers = start_servers(
        state / "conversations.db", state / "servers.log",
        env={"VEIVALG_OPENING_HOURS": str(PROJECT_DIR / "tests/fixtures/always_closed.yml")},
    )
    yield servers
    servers.stop()


class Desk:
    """A counsellor with the desk open: logged in, socket connected, events collected."""

    def __init__(self, servers: Servers, login: str) -> None:
        self.client = Counsellor(servers)
        assert self.client.log_in(login)[0] == 200
        self.loop = asyncio.new_event_loop()
        self.socket = self.loop.run_until_complete(self.client.socket())
        hello = self.next_event()
        assert hello["type"] == "hello"

    def next_event(self, timeout: float = 30) -> dict[str, Any]:
        raw = self.loop.run_until_complete(asyncio.wait_for(self.socket.recv(), timeout))
        return json.loads(raw)

    def wait_for(self, kind: str, sender: str, timeout: float = 30) -> dict[str, Any]:
        """The next event of this type about this person's case."""
        while True:
            event = self.next_event(timeout)
            if event["type"] == kind and (event.get("case") or {}).get("sender_id") == \
                    conversation(sender):
                return event

    def close(self) -> None:
        for case in self.client.cases():
            if case["status"] != "open":
                self.client.take(case["id"])
            self.client.close(case["id"])
        self.loop.run_until_complete(self.socket.close())
        self.loop.close()


@pytest.fixture
def kari(open_servers: Servers) -> Iterator[Desk]:
    desk = Desk(open_servers, "kari")
    yield desk
    desk.close()


@pytest.fixture
def ola(open_servers: Servers, kari: Desk) -> Iterator[Desk]:
    desk = Desk(open_servers, "ola")
    yield desk
    desk.loop.run_until_complete(desk.socket.close())
    desk.loop.close()


def texts(replies: list[dict[str, Any]]) -> list[str]:
    return [reply.get("text") or "" for reply in replies]


def in_the_callback_form(person: Chat, sender: str) -> None:
    """Outside opening hours, the person has chosen to leave a question: the form asks it."""
    person.send(sender, "kan jeg snakke med en veileder?")
    assert "Hva vil du spørre" in person.texts(sender, "/leave_question")


def test_crisis_in_the_callback_form_interrupts_it_and_the_form_resumes_if_wanted(
    closed_servers: Servers,
) -> None:
    person = Chat(closed_servers)
    in_the_callback_form(person, "c-callback")

    replies = texts(person.send("c-callback", "jeg vil ikke leve lenger"))
    assert_help_lines(replies[0])
    said = "\n".join(replies)
    assert "nå deg" not in said  # the form did not ask for contact details
    assert "Ingen rådgivere er på chatten" in said
    assert "fortsette å legge igjen spørsmålet" in replies[-1]

    tracker = person.tracker("c-callback")
    assert tracker["active_loop"] == {} or tracker["active_loop"].get("name") is None
    assert tracker["slots"]["callback_question"] is None  # the crisis is not the question

    assert "Hva vil du spørre" in person.texts("c-callback", "ja")
    assert "nå deg" in person.texts("c-callback", "Hvordan søker jeg fagskole?")
    assert "Takk!" in person.texts("c-callback", "ola.testperson@eksempel.no")


def test_the_interrupted_form_can_be_left(closed_servers: Servers) -> None:
    person = Chat(closed_servers)
    in_the_callback_form(person, "c-callback-no")
    person.send("c-callback-no", "har kutta meg igjen")
    assert "helt greit" in person.texts("c-callback-no", "nei")
    tracker = person.tracker("c-callback-no")
    assert tracker["slots"]["resume_offered"] is False
    assert tracker["slots"]["interrupted_form"] is None


@pytest.mark.parametrize(("sender", "crisis", "after", "language"), [
    ("c-after-en", "i dont see the point of anything anymore, i just want it all to stop",
     "no i dont want to call anyone", "en"),
    ("c-after-nb", "jeg orker ikke mer, vil bare forsvinne", "nei", "nb"),
])
def test_a_no_or_an_unclear_message_after_the_help_lines_gets_the_written_ones(
        closed_servers: Servers, sender: str, crisis: str, after: str, language: str) -> None:
    person = Chat(closed_servers)
    assert_help_lines(texts(person.send(sender, crisis))[0])
    assert person.texts(sender, after) == response("utter_crisis_stay", language)
    # A question after that is answered as any other.
    answered = person.texts(sender, "når er fristen for å søke videregående?"
                            if language == "nb" else "when is the deadline for upper secondary?")
    assert answer_problems(answered, "ask_upper_secondary_deadline", language) == []


@pytest.mark.parametrize(("sender", "crisis", "after", "reply", "language"), [
    ("c-now-nb", "orker ikke mer. noen ganger tenker jeg at det er bedre å bare forsvinne",
     "kan jeg ringe noen nå? klokka er over 12 på natta", "utter_crisis_lines_open", "nb"),
    ("c-dare-en", "i dont see the point of anything anymore, i just want it all to stop",
     "i'm not sure i can call, i'm scared to talk to them", "utter_crisis_stay", "en"),
])
def test_reaching_the_help_lines_asked_right_after_them_is_answered(
        closed_servers: Servers, sender: str, crisis: str, after: str, reply: str,
        language: str) -> None:
    """At midnight the counsellors' chat is closed, but the help lines answer: a person
    who asks whether anyone can be called now is told so, not the chat's hours."""
    person = Chat(closed_servers)
    assert_help_lines(texts(person.send(sender, crisis))[0])
    assert person.texts(sender, after) == response(reply, language)


def test_crisis_in_the_county_form_opens_an_urgent_case_without_a_queue_number(
    open_servers: Servers, kari: Desk
) -> None:
    person = Chat(open_servers)
    asked = person.texts("c-county", "hvor er nærmeste karrieresenter?")
    assert "fylke" in asked or "bur" in asked or "bor" in asked
    replies = texts(person.send("c-county", "orker ikke mer, vil bare forsvinne for godt"))
    assert_help_lines(replies[0])
    assert "først" in replies[-1]
    assert not QUEUE_NUMBER.search("\n".join(replies)), replies

    alert = kari.wait_for("conversation.urgent", "c-county")
    assert alert["reason"] == "crisis"
    case = kari.client.case_of("c-county")
    assert case["priority"] == "urgent" and "crisis" in case["tags"]
    assert case["position"] == 1


def test_crisis_in_the_occupation_form_is_answered_in_english(
    open_servers: Servers, kari: Desk
) -> None:
    person = Chat(open_servers)
    person.send("c-occupation", "What does this occupation involve?")
    replies = texts(person.send("c-occupation",
                                "honestly I'd rather not wake up tomorrow, I can't do this"))
    assert_help_lines(replies[0])
    assert replies[0].startswith("I'm glad you told me")
    assert kari.client.case_of("c-occupation")["priority"] == "urgent"


def test_crisis_after_the_bot_was_unsure(open_servers: Servers, kari: Desk) -> None:
    person = Chat(open_servers)
    person.send("c-fallback", "xqzj vvkw")
    replies = texts(person.send(
        "c-fallback", "i'm just a burden to everyone, they'd all be better off without me"))
    assert_help_lines(replies[0])
    assert kari.client.case_of("c-fallback")["priority"] == "urgent"


def test_crisis_in_one_of_several_questions_opens_an_urgent_case(
    open_servers: Servers, kari: Desk
) -> None:
    # The whole message once read as a student-grant question, and its second part alone
    # as crisis language (the learned half), so the action reading its parts found it.
    # Since 2026-12-05 the crisis net reads the sentences of a message it would ask about
    # on their own and finds it itself; the parts' own path is unit-tested
    # (tests/unit/test_several_questions.py). Either way: help lines, an urgent case, no
    # grant answer.
    text = "Hvor mye får jeg i stipend? Kjenner at alt er håpløst og at ingen bryr seg"
    person = Chat(open_servers)
    replies = texts(person.send("c-part", text))
    assert_help_lines(replies[0])
    assert not any("Kilde" in reply for reply in replies), replies  # no grant answer
    alert = kari.wait_for("conversation.urgent", "c-part")
    assert alert["reason"] == "crisis"
    assert kari.client.case_of("c-part")["priority"] == "urgent"


def test_a_typed_crisis_intent_opens_no_urgent_case(open_servers: Servers, kari: Desk) -> None:
    person = Chat(open_servers)
    person.send("c-typed", "/crisis")
    assert not [c for c in kari.client.cases() if c["sender_id"] == "c-typed"]
    # The same person writing real crisis language is put first at once.
    person.send("c-typed", "jeg vil ta livet mitt")
    assert kari.client.case_of("c-typed")["priority"] == "urgent"


def test_crisis_in_northern_sami_gets_the_help_lines_in_sami(
    open_servers: Servers, kari: Desk
) -> None:
    person = Chat(open_servers)
    replies = texts(person.send("c-sami", "Mun in háliit eallit šat, mun háliidan jápmit"))
    assert_help_lines(replies[0])
    assert replies[0].startswith("Buorre go čálát munnje")
    case = kari.client.case_of("c-sami")
    assert case["priority"] == "urgent" and set(case["tags"]) == {"sami", "crisis"}


async def _until_text(person: Person, *words: str, timeout: float = 30) -> dict[str, Any]:
    """The next message frame that contains all of ``words``; queue frames are kept."""
    while True:
        frame = await asyncio.wait_for(person.until("message"), timeout)
        if all(word in frame["text"] for word in words):
            return frame


def test_crisis_while_waiting_in_the_queue(open_servers: Servers, kari: Desk) -> None:
    waiting_first = Chat(open_servers)
    waiting_first.send("c-before", "jeg vil snakke med en rådgiver")

    async def in_the_queue() -> list[dict[str, Any]]:
        async with websockets.connect(socket_url(open_servers)) as socket:
            person = await resume(socket)
            session, _ = await person.opening()
            await person.send(type="message", text="jeg vil snakke med en rådgiver")
            await _until_text(person, "nummer 2 i køen")
            await person.send(type="message", text="jeg vil ikke leve lenger")
            help_lines = await _until_text(person, "116 123")
            # The number shown so far is taken away: a person in crisis goes first.
            await person.until("queue", position=None, urgent=True)
            first = await _until_text(person, "først")
            # Nothing more comes for the person: no "du er nummer N" after the help lines.
            await person.send(type="ping")
            after = []
            while (frame := await person.receive())["type"] != "pong":
                after.append(frame)
            return [session, help_lines, first, *after]

    session, *frames = asyncio.run(in_the_queue())
    assert_help_lines(frames[0]["text"])
    numbers = [f for f in frames if f["type"] == "queue" and f.get("position") is not None]
    assert not numbers, frames

    alert = kari.wait_for("conversation.urgent", session["sender"])
    assert alert["text"] == "jeg vil ikke leve lenger" and alert["reason"] == "crisis"
    assert kari.client.case_of(session["sender"])["position"] == 1
    assert kari.client.case_of("c-before")["position"] == 2


def test_crisis_with_a_counsellor_alerts_every_desk_and_marks_the_message(
    open_servers: Servers, kari: Desk, ola: Desk
) -> None:
    async def with_counsellor() -> tuple[str, dict[str, Any]]:
        async with websockets.connect(socket_url(open_servers)) as socket:
            person = await resume(socket)
            session, _ = await person.opening()
            await person.send(type="message", text="Kan jeg få snakke med en veileder?")
            await _until_text(person, "i køen")
            case = await asyncio.to_thread(kari.client.case_of, session["sender"])
            assert (await asyncio.to_thread(kari.client.take, case["id"]))[0] == 200
            await person.send(type="message", text="har skåret meg i armene igjen i dag")
            return session["sender"], await _until_text(person, "116 123")

    sender, help_lines = asyncio.run(with_counsellor())
    assert_help_lines(help_lines["text"])
    for desk in (kari, ola):
        alert = desk.wait_for("conversation.urgent", sender)
        assert alert["case"]["status"] == "open" and alert["case"]["priority"] == "urgent"
    case = kari.client.case_of(sender)
    transcript = kari.client.call("GET", f"/desk/api/cases/{case['id']}")[1]["transcript"]
    flagged = [m["text"] for m in transcript if m.get("alert") == "crisis"]
    assert flagged == ["har skåret meg i armene igjen i dag"]


MAYBE = PERHAPS_CRISIS  # the bot asks how the person is (tests/facts.py)


def test_a_message_that_may_be_crisis_language_is_asked_about_and_a_yes_opens_an_urgent_case(
    open_servers: Servers, kari: Desk,
) -> None:
    person = Chat(open_servers)
    asked = person.send("c-maybe-yes", MAYBE)
    assert len(asked) == 1, texts(asked)
    assert "har du det vondt nå" in asked[0]["text"]
    assert "116 123" in asked[0]["text"] and "113" in asked[0]["text"]
    assert [button["payload"] for button in asked[0]["buttons"]] == ["/affirm", "/deny"]
    assert not [c for c in kari.client.cases() if c["sender_id"] == "c-maybe-yes"]

    replies = texts(person.send("c-maybe-yes", "/affirm"))
    assert_help_lines(replies[0])
    alert = kari.wait_for("conversation.urgent", "c-maybe-yes")
    assert alert["case"]["priority"] == "urgent" and "crisis" in alert["case"]["tags"]
    # The counsellor reads the message once, where it was written, marked as crisis.
    case = kari.client.case_of("c-maybe-yes")
    transcript = kari.client.call("GET", f"/desk/api/cases/{case['id']}")[1]["transcript"]
    written = [m for m in transcript if m["from"] == "user" and m["text"] == MAYBE]
    assert len(written) == 1 and written[0].get("alert") == "crisis", transcript


def test_a_no_to_the_question_gives_the_message_to_the_form_it_came_in(
    closed_servers: Servers,
) -> None:
    person = Chat(closed_servers)
    in_the_callback_form(person, "c-maybe-no")
    assert "har du det vondt nå" in person.texts("c-maybe-no", MAYBE)
    # A typed no, as people answer: the callback form takes the message as the question.
    assert "nå deg" in person.texts("c-maybe-no", "nei")
    assert person.tracker("c-maybe-no")["slots"]["callback_question"] == MAYBE
    assert "Takk!" in person.texts("c-maybe-no", "ola.testperson@eksempel.no")


def test_a_yes_that_welcomes_an_offer_is_asked_once_more_and_then_counts(
    closed_servers: Servers
) -> None:
    # "ja takk" to the question how one is may be a career seeker's yes to a counsellor:
    # the bot asks once more, plainly, with the help lines; the plain yes is then a crisis.
    person = Chat(closed_servers)
    unsure = "føler meg helt tom, ser ingen vei videre"
    assert person.parse(unsure).get("crisis_check") is not None, "no longer a check"
    assert person.texts("c-again", unsure) == response("utter_crisis_check", "nb")
    assert person.texts("c-again", "ja takk") == response("utter_crisis_check_again", "nb")
    replies = texts(person.send("c-again", "ja"))
    assert_help_lines(replies[0])
    assert "Ingen rådgivere er på chatten" in "\n".join(replies), replies


def test_a_typed_yes_to_the_question_in_english_is_a_crisis(closed_servers: Servers) -> None:
    person = Chat(closed_servers)
    # The first message: the language it set must outlive the message being put back.
    asked = person.texts("c-maybe-en", "I don't see why I should keep going")
    assert "are you hurting right now" in asked, asked
    replies = texts(person.send("c-maybe-en", "yes"))
    assert_help_lines(replies[0])
    assert "No counsellors are on the chat" in "\n".join(replies)


def test_turning_down_the_help_lines_after_the_question_how_one_is_opens_an_urgent_case(
    open_servers: Servers, kari: Desk
) -> None:
    # The learned half of the net is unsure of this one: the bot asks how the person is.
    person = Chat(open_servers)
    unsure = "føler meg helt tom, ser ingen vei videre"
    assert person.parse(unsure).get("crisis_check") is not None, "no longer a check"
    assert person.texts("c-refused", unsure) == response("utter_crisis_check", "nb")
    replies = texts(person.send("c-refused", "nei jeg vil ikke ringe noen"))
    assert_help_lines(replies[0])
    assert kari.client.case_of("c-refused")["priority"] == "urgent"
