"""Messaging apps end to end: real servers, real Telegram-shaped updates and a fake Bot
API; and Messenger's webhook verification."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.clients import Counsellor, add_counsellor
from bench.fake_telegram import SECRET, TOKEN, FakeTelegram, button_update, text_update
from bot.commands.serve import Servers
from tests.facts import PERHAPS_CRISIS, answer_problems, response
from tests.servers import Chat, start_servers

pytestmark = pytest.mark.integration

WEBHOOK_URL = "https://veivalg.example/webhooks/telegram/webhook"
MESSENGER_VERIFY = "verify-token-for-tests"
MESSENGER_SECRET = "app-secret-for-tests"


@pytest.fixture(scope="module")
def tg_servers(tmp_path_factory: pytest.TempPathFactory,
               telegram: FakeTelegram) -> Iterator[Servers]:
    state = tmp_path_factory.mktemp("telegram")
    servers = start_servers(state / "conversations.db", state / "servers.log", env={
        "VEIVALG_TELEGRAM_TOKEN": TOKEN,
        "VEIVALG_TELEGRAM_SECRET": SECRET,
        "VEIVALG_TELEGRAM_API_URL": telegram.url,
        "VEIVALG_TELEGRAM_WEBHOOK_URL": WEBHOOK_URL,
        "VEIVALG_TELEGRAM_SET_WEBHOOK": "true",
        "VEIVALG_MESSENGER_VERIFY": MESSENGER_VERIFY,
        "VEIVALG_MESSENGER_SECRET": MESSENGER_SECRET,
        "VEIVALG_MESSENGER_PAGE_TOKEN": "page-token-for-tests",
    })
    add_counsellor(servers, "kari", "Kari")
    yield servers
    servers.stop()


def post_update(servers: Servers, update: Any, secret: str | None = SECRET) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(
        f"{servers.rasa_url}/webhooks/telegram/webhook",
        data=json.dumps(update).encode(), headers=headers,
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def say(servers: Servers, telegram: FakeTelegram, chat_id: int, text: str,
        **options: Any) -> list[str]:
    """What the bot sends to the chat in answer to one message."""
    before = len(telegram.sent(chat_id))
    assert post_update(servers, text_update(chat_id, text, **options)) == 200
    return telegram.texts(chat_id)[before:]


def test_the_webhook_is_set_with_the_secret_at_start(tg_servers: Servers,
                                                     telegram: FakeTelegram) -> None:
    [call] = telegram.wait_for(lambda c: c.method == "setWebhook")
    assert call.payload["url"] == WEBHOOK_URL
    assert call.payload["secret_token"] == SECRET


def test_a_conversation_with_answers_and_links(tg_servers: Servers,
                                               telegram: FakeTelegram) -> None:
    assert say(tg_servers, telegram, 1001, "/start") == [response("utter_greet", "nb")]
    [answer] = say(tg_servers, telegram, 1001, "Når er fristen for å søke på Samordna opptak?")
    assert answer_problems(answer, "ask_higher_education_deadline", "nb") == []
    [nynorsk] = say(tg_servers, telegram, 1001, "kva er fristen for å søkje studielån?")
    assert answer_problems(nynorsk, "ask_student_finance_deadline", "nn") == []


def test_buttons_are_inline_keyboards_and_presses_are_answered(
    tg_servers: Servers, telegram: FakeTelegram
) -> None:
    say(tg_servers, telegram, 1002, "hva blir været i morgen?")
    keyboard = telegram.sent(1002)[-1].payload["reply_markup"]["inline_keyboard"]
    assert [row[0]["callback_data"] for row in keyboard] == [
        "/ask_higher_education_deadline", "/ask_upper_secondary_application",
        "/ask_student_finance_deadline",
    ]
    before = len(telegram.sent(1002))
    update = button_update(1002, "/ask_student_finance_deadline", "Lån og stipend")
    assert post_update(tg_servers, update) == 200
    answered = [c for c in telegram.calls if c.method == "answerCallbackQuery"]
    assert answered[-1].payload["callback_query_id"] == update["callback_query"]["id"]
    [answer] = telegram.texts(1002)[before:]
    assert answer_problems(answer, "ask_student_finance_deadline", "nb") == []
    said = Chat(tg_servers).tracker("telegram:1002")["events"]
    shown = [e["metadata"].get("veivalg_display") for e in said if e["event"] == "user"]
    assert shown[-1] == "Lån og stipend"


def test_a_wrong_or_missing_secret_is_refused(tg_servers: Servers,
                                              telegram: FakeTelegram) -> None:
    before = len(telegram.calls)
    assert post_update(tg_servers, text_update(1003, "hei"), secret="wrong") == 403
    assert post_update(tg_servers, text_update(1003, "hei"), secret=None) == 403
    assert len(telegram.calls) == before
    status, _ = Chat(tg_servers).get("/conversations/telegram:1003/tracker")
    assert status == 200 and not [e for e in Chat(tg_servers).tracker("telegram:1003")["events"]
                                  if e["event"] == "user"]


def test_what_is_not_text_gets_a_polite_answer(tg_servers: Servers,
                                               telegram: FakeTelegram) -> None:
    def without_text(kind: str, value: Any, language: str = "nb") -> dict[str, Any]:
        update = text_update(1004, "", language=language)
        del update["message"]["text"]
        update["message"][kind] = value
        return update

    for kind, value in [("sticker", {"file_id": "s1", "emoji": "👍"}),
                        ("photo", [{"file_id": "p1", "width": 90, "height": 90}]),
                        ("voice", {"file_id": "v1", "duration": 3}),
                        ("document", {"file_id": "d1", "file_name": "cv.pdf"})]:
        before = len(telegram.sent(1004))
        assert post_update(tg_servers, without_text(kind, value)) == 200
        assert telegram.texts(1004)[before:] == [
            "Her kan jeg bare lese tekst. Skriv spørsmålet ditt, så svarer jeg så godt jeg kan."
        ]

    english = without_text("sticker", {"file_id": "s2"}, language="en")
    english["message"]["chat"]["id"] = english["message"]["from"]["id"] = 1005
    assert post_update(tg_servers, english) == 200
    assert telegram.texts(1005)[-1].startswith("I can only read text here")

    edited = text_update(1004, "endret tekst")
    edited["edited_message"] = edited.pop("message")
    assert post_update(tg_servers, edited) == 200
    assert "endrede meldinger" in telegram.texts(1004)[-1]

    assert post_update(tg_servers, text_update(77, "hei alle", chat_type="group")) == 200
    assert "private samtaler" in telegram.texts(-77)[-1]

    # Updates we do not handle are taken (Telegram would resend them) and not answered.
    sent = len(telegram.sent())
    assert post_update(tg_servers, {"update_id": 5, "poll": {"id": "1"}}) == 200
    assert post_update(tg_servers, ["not", "an", "update"]) == 400
    assert len(telegram.sent()) == sent


def test_crisis_gets_the_help_lines(tg_servers: Servers, telegram: FakeTelegram) -> None:
    answer = say(tg_servers, telegram, 1006, "jeg vil ikke leve lenger")
    assert "116 123" in answer[0] and "113" in answer[0]


def test_perhaps_crisis_language_is_asked_about_with_buttons_and_a_press_of_yes_is_a_crisis(
    tg_servers: Servers, telegram: FakeTelegram
) -> None:
    [asked] = say(tg_servers, telegram, 1011, PERHAPS_CRISIS)
    assert "har du det vondt nå" in asked and "116 123" in asked and "113" in asked
    keyboard = telegram.sent(1011)[-1].payload["reply_markup"]["inline_keyboard"]
    assert [row[0]["callback_data"] for row in keyboard] == ["/affirm", "/deny"]
    before = len(telegram.sent(1011))
    assert post_update(tg_servers, button_update(1011, "/affirm", "Ja, jeg har det vondt")) == 200
    help_lines = telegram.texts(1011)[before:][0]
    assert "116 123" in help_lines and "https://www.soschat.no" in help_lines


def test_a_whole_handoff_through_telegram(tg_servers: Servers, telegram: FakeTelegram) -> None:
    kari = Counsellor(tg_servers)
    kari.log_in("kari")

    async def with_desk_open() -> None:
        desk = await kari.socket()
        await desk.recv()  # hello: Kari is online
        answer = await asyncio.to_thread(say, tg_servers, telegram, 1007,
                                         "jeg vil snakke med en rådgiver")
        assert any("nummer 1 i køen" in text for text in answer)
        case = await asyncio.to_thread(kari.case_of, "telegram:1007")
        assert case["channel"] == "telegram"
        assert (await asyncio.to_thread(kari.take, case["id"]))[0] == 200
        telegram.wait_for(lambda c: c.method == "sendMessage"
                          and "Rådgiver Kari har kommet inn" in c.payload["text"])
        # The place in the queue was said once, in the reply, not again as a notice.
        assert sum("i køen" in text for text in telegram.texts(1007)) == 1

        await asyncio.to_thread(kari.say, case["id"], "Hei, jeg heter Kari.")
        telegram.wait_for(lambda c: c.method == "sendMessage"
                          and c.payload["text"] == "Kari (rådgiver): Hei, jeg heter Kari.")

        # The person's reply reaches the desk, and the bot stays quiet.
        reply = "takk, jeg lurer på fagbrev"
        quiet = await asyncio.to_thread(say, tg_servers, telegram, 1007, reply)
        assert quiet == []
        detail = (await asyncio.to_thread(kari.call, "GET", f"/desk/api/cases/{case['id']}"))[1]
        assert detail["transcript"][-1]["text"] == "takk, jeg lurer på fagbrev"

        await asyncio.to_thread(kari.close, case["id"])
        telegram.wait_for(lambda c: c.method == "sendMessage"
                          and "avsluttet samtalen" in c.payload["text"])
        # An optional rating of the conversation, 1-5, as buttons; pressed once.
        [rate] = telegram.wait_for(lambda c: c.method == "sendMessage"
                                   and "samtalen med rådgiveren" in c.payload["text"])
        buttons = rate.payload["reply_markup"]["inline_keyboard"][0]
        assert [b["text"] for b in buttons] == ["1", "2", "3", "4", "5"]
        for _ in range(2):
            assert await asyncio.to_thread(post_update, tg_servers, button_update(
                1007, buttons[4]["callback_data"], "5")) == 200
        answers = telegram.wait_for(lambda c: c.method == "answerCallbackQuery"
                                    and "text" in c.payload)
        assert [a.payload["text"] for a in answers[-2:]] == [
            "Takk for svaret!", "Svaret kunne ikke lagres."]
        await desk.close()

    asyncio.run(with_desk_open())
    assert say(tg_servers, telegram, 1007, "takk for hjelpen")[0].startswith("Bare hyggelig")


def test_a_long_answer_arrives_split_at_4096_characters(tg_servers: Servers,
                                                        telegram: FakeTelegram) -> None:
    """A counsellor's long reply goes through the Telegram channel to the Bot API."""
    kari = Counsellor(tg_servers)
    kari.log_in("kari")
    # Numbered words: a piece lost, repeated, reordered or cut inside a word shows.
    long_reply = " ".join(f"ord{n}" for n in range(1300))  # 9,289 characters
    expected = f"Kari (rådgiver): {long_reply}"

    async def reply_at_length() -> list[str]:
        desk = await kari.socket()
        await desk.recv()  # hello: Kari is online
        await asyncio.to_thread(say, tg_servers, telegram, 1010, "jeg vil snakke med en rådgiver")
        case = await asyncio.to_thread(kari.case_of, "telegram:1010")
        assert (await asyncio.to_thread(kari.take, case["id"]))[0] == 200
        await asyncio.to_thread(telegram.wait_for, lambda c: c.method == "sendMessage"
                                and "Rådgiver Kari har kommet inn" in c.payload["text"])
        before = len(telegram.sent(1010))
        assert (await asyncio.to_thread(kari.say, case["id"], long_reply))[0] == 201
        await asyncio.to_thread(telegram.wait_for, lambda c: c.method == "sendMessage"
                                and c.payload["text"].endswith("ord1299"))
        pieces = telegram.texts(1010)[before:]
        await asyncio.to_thread(kari.close, case["id"])
        await desk.close()
        return pieces

    pieces = asyncio.run(reply_at_length())
    assert len(pieces) == 3  # 9,306 characters, at most 4,096 in a message
    assert pieces == cut_at_spaces(expected)


def cut_at_spaces(text: str, limit: int = 4096) -> list[str]:
    """Pieces of at most ``limit`` characters, each cut at the last space that fits."""
    pieces = []
    while len(text) > limit:
        cut = text.rindex(" ", 0, limit + 1)
        pieces.append(text[:cut])
        text = text[cut + 1:]
    return [*pieces, text]


async def counsellor_message(desk: Any, text: str) -> dict[str, Any]:
    """The desk socket's next ``message.created`` for a counsellor's message ``text``."""
    while True:
        frame = json.loads(await asyncio.wait_for(desk.recv(), 30))
        message = frame.get("message") or {}
        if frame["type"] == "message.created" and message.get("text") == text:
            return message


def test_a_reply_telegram_does_not_take_is_shown_as_not_delivered(
    tg_servers: Servers, telegram: FakeTelegram
) -> None:
    """Issue #16: a counsellor's reply that Telegram refused, or that never got through,
    looked sent in the desk. Now the answer, the live event and the case's transcript
    all say it was not delivered, and why; the text stays in the conversation."""
    kari = Counsellor(tg_servers)
    kari.log_in("kari")
    blocked, down, fine = "Er du der fortsatt?", "Jeg prøver igjen.", "Nå gikk det."

    async def three_replies() -> tuple[list[Any], list[dict[str, Any]], dict[str, Any]]:
        desk = await kari.socket()
        await desk.recv()  # hello: Kari is online
        await asyncio.to_thread(say, tg_servers, telegram, 1011, "jeg vil snakke med en rådgiver")
        case = await asyncio.to_thread(kari.case_of, "telegram:1011")
        assert (await asyncio.to_thread(kari.take, case["id"]))[0] == 200
        await asyncio.to_thread(telegram.wait_for, lambda c: c.method == "sendMessage"
                                and str(c.payload["chat_id"]) == "1011"
                                and "Rådgiver Kari har kommet inn" in c.payload["text"])
        answers, events = [], []
        for text, failure in [(blocked, (403, 1, "Forbidden: bot was blocked by the user")),
                              (down, (502, 4, "Bad Gateway")), (fine, None)]:
            if failure is not None:
                status, times, description = failure
                telegram.fail_next(status, times=times, description=description,
                                   method="sendMessage")
            answers.append(await asyncio.to_thread(kari.say, case["id"], text))
            events.append(await counsellor_message(desk, text))
        detail = (await asyncio.to_thread(kari.call, "GET", f"/desk/api/cases/{case['id']}"))[1]
        await asyncio.to_thread(kari.close, case["id"])
        await desk.close()
        return answers, events, detail

    answers, events, detail = asyncio.run(three_replies())
    not_blocked = {"reason": "blocked", "channel": "telegram", "parts": 1, "delivered_parts": 0,
                   "detail": "HTTP 403: Forbidden: bot was blocked by the user"}
    not_through = {"reason": "unreachable", "channel": "telegram", "parts": 1,
                   "delivered_parts": 0, "detail": "HTTP 502: Bad Gateway, 4 attempts"}
    assert [status for status, _ in answers] == [201, 201, 201]
    assert [body["message"].get("undelivered") for _, body in answers] == [
        not_blocked, not_through, None]
    assert [event.get("undelivered") for event in events] == [not_blocked, not_through, None]
    # Loaded later, the case still says so; nothing is lost from the conversation.
    said = {m["text"]: m.get("undelivered") for m in detail["transcript"]
            if m["from"] == "counsellor"}
    assert said == {blocked: not_blocked, down: not_through, fine: None}
    assert telegram.texts(1011).count(f"Kari (rådgiver): {fine}") == 1


def test_a_joined_notice_telegram_refuses_is_told_to_the_desk(
    tg_servers: Servers, telegram: FakeTelegram
) -> None:
    """Issue #16: Kari takes a case, and Telegram refuses "Rådgiver Kari har kommet inn i
    samtalen" (the person blocked the bot). The desks must hear it on that case, with
    why, instead of Kari believing the person was told."""
    kari = Counsellor(tg_servers)
    kari.log_in("kari")

    async def take_a_blocked_case() -> tuple[int, dict[str, Any]]:
        desk = await kari.socket()
        await desk.recv()  # hello: Kari is online
        await asyncio.to_thread(say, tg_servers, telegram, 1015, "jeg vil snakke med en rådgiver")
        case = await asyncio.to_thread(kari.case_of, "telegram:1015")
        telegram.fail_next(403, description="Forbidden: bot was blocked by the user",
                           method="sendMessage")
        assert (await asyncio.to_thread(kari.take, case["id"]))[0] == 200
        while True:
            frame = json.loads(await asyncio.wait_for(desk.recv(), 30))
            if frame["type"] == "notice.undelivered" and frame["case_id"] == case["id"]:
                break
        await asyncio.to_thread(kari.close, case["id"])
        await desk.close()
        return case["id"], frame

    case_id, notice = asyncio.run(take_a_blocked_case())
    assert notice["notice"] == "joined"
    assert notice["counsellor"]["name"] == "Kari"
    assert notice["undelivered"] == {
        "reason": "blocked", "channel": "telegram", "parts": 1, "delivered_parts": 0,
        "detail": "HTTP 403: Forbidden: bot was blocked by the user"}
    # Asked once, refused once: a person who blocked the bot is not asked again.
    assert telegram.texts(1015).count("Rådgiver Kari har kommet inn i samtalen.") == 1


def test_telegram_429_is_retried_after_the_given_delay(tg_servers: Servers,
                                                       telegram: FakeTelegram) -> None:
    telegram.fail_next(429, retry_after=1)
    answer = say(tg_servers, telegram, 1008, "hei")
    attempts = telegram.sent(1008)
    assert len(attempts) == 2 and answer[-1] == response("utter_greet", "nb")
    assert attempts[1].at - attempts[0].at >= 1.0


def test_telegram_down_is_retried_then_given_up_without_losing_the_message(
    tg_servers: Servers, telegram: FakeTelegram
) -> None:
    telegram.fail_next(502, times=4)
    say(tg_servers, telegram, 1009, "hei")
    assert len(telegram.sent(1009)) == 4  # tried four times
    log = Path(tg_servers.log_path).read_text()
    assert "Telegram sendMessage: gave up after 4 attempts" in log
    said = Chat(tg_servers).tracker("telegram:1009")["events"]
    assert [e["text"] for e in said if e["event"] == "bot"][-1].startswith("Hei!")


def messenger(servers: Servers, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(
        f"{servers.rasa_url}/webhooks/facebook/webhook", data=body,
        headers={"Content-Type": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode()


def test_messenger_checks_the_verify_token(tg_servers: Servers) -> None:
    base = f"{tg_servers.rasa_url}/webhooks/facebook/webhook?hub.mode=subscribe"
    with urllib.request.urlopen(f"{base}&hub.verify_token={MESSENGER_VERIFY}"
                                f"&hub.challenge=4711", timeout=10) as answer:
        assert answer.read() == b"4711"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{base}&hub.verify_token=wrong&hub.challenge=1", timeout=10)
    refused.value.close()
    assert refused.value.code == 403


def test_messenger_refuses_what_meta_did_not_sign(tg_servers: Servers) -> None:
    # A delivery receipt: signed correctly it is taken, and needs no answer to Meta.
    body = json.dumps({"object": "page", "entry": [{"id": "1", "time": 1, "messaging": [
        {"sender": {"id": "42"}, "recipient": {"id": "1"},
         "delivery": {"mids": ["m1"], "watermark": 1}}]}]}).encode()
    good = "sha256=" + hmac.new(MESSENGER_SECRET.encode(), body, hashlib.sha256).hexdigest()
    wrong = "sha256=" + hmac.new(b"another-secret", body, hashlib.sha256).hexdigest()

    assert messenger(tg_servers, body, {})[0] == 403
    assert messenger(tg_servers, body, {"X-Hub-Signature-256": wrong})[0] == 403
    assert messenger(tg_servers, body, {"X-Hub-Signature-256": "md5=abc"})[0] == 403
    assert messenger(tg_servers, body, {"X-Hub-Signature-256": good}) == (200, "success")


def test_a_flooding_chat_is_told_once_and_then_dropped(tg_servers: Servers,
                                                       telegram: FakeTelegram) -> None:
    """Per chat: 30 messages a minute in bursts of 10 (the default). Telegram gets 200 for
    what is dropped, or it would deliver the update again and again."""
    sticker = text_update(1020, "")
    del sticker["message"]["text"]
    sticker["message"]["sticker"] = {"file_id": "s1", "emoji": "👍"}
    statuses = [post_update(tg_servers, sticker) for _ in range(13)]
    assert statuses == [200] * 13
    texts = telegram.texts(1020)
    assert texts.count(
        "Her kan jeg bare lese tekst. Skriv spørsmålet ditt, så svarer jeg så godt jeg kan."
    ) == 10
    assert texts[10:] == ["Du sender mange meldinger fort. Vent litt og prøv igjen."]


def test_a_removed_identity_number_is_told_after_the_answer_and_its_buttons(
        tg_servers: Servers, telegram: FakeTelegram) -> None:
    answer, notice = say(tg_servers, telegram, 1031,
                         "fnr 01019912368, når er fristen for å søke på Samordna opptak?")
    assert answer_problems(answer, "ask_higher_education_deadline", "nb") == []
    assert notice.startswith("Jeg har fjernet personnummeret"), notice
    [marked] = telegram.wait_for(lambda c: c.method == "editMessageReplyMarkup"
                                 and str(c.payload["chat_id"]) == "1031")
    # The fake numbers a message by its place among the calls received.
    answered = next(number for number, call in enumerate(telegram.calls, start=1)
                    if call.method == "sendMessage" and call.payload.get("text") == answer
                    and str(call.payload["chat_id"]) == "1031")
    assert marked.payload["message_id"] == answered  # the buttons are on the answer
    assert "01019912368" not in json.dumps(telegram.calls, default=str)


def test_an_answer_gets_helpful_buttons_and_a_press_is_kept(tg_servers: Servers,
                                                            telegram: FakeTelegram) -> None:
    [answer] = say(tg_servers, telegram, 1030, "Når er fristen for å søke på Samordna opptak?")
    [marked] = telegram.wait_for(lambda c: c.method == "editMessageReplyMarkup"
                                 and str(c.payload["chat_id"]) == "1030")
    buttons = marked.payload["reply_markup"]["inline_keyboard"][0]
    assert [b["text"] for b in buttons] == ["👍 Nyttig", "👎 Ikke nyttig"]
    assert say(tg_servers, telegram, 1030, "hei") != []
    edits = [c for c in telegram.calls if c.method == "editMessageReplyMarkup"
             and str(c.payload["chat_id"]) == "1030"]
    assert len(edits) == 1  # a greeting is not asked about

    sent = len(telegram.sent())
    assert post_update(tg_servers, button_update(1030, buttons[0]["callback_data"],
                                                 buttons[0]["text"])) == 200
    telegram.wait_for(lambda c: c.method == "answerCallbackQuery"
                      and c.payload.get("text") == "Takk for svaret!")
    telegram.wait_for(lambda c: c.method == "editMessageReplyMarkup"
                      and c.payload["reply_markup"] == {"inline_keyboard": []})
    assert len(telegram.sent()) == sent  # nothing said to the bot, nothing answered
    # A made-up button (not on the message) is not counted.
    forged = button_update(1030, "veivalg:nyttig:1", "👍 Nyttig")
    forged["callback_query"]["message"]["reply_markup"] = {"inline_keyboard": []}
    assert post_update(tg_servers, forged) == 200


def test_help_lines_telegram_refuses_in_the_queue_are_flagged_on_the_desk(
    tg_servers: Servers, telegram: FakeTelegram
) -> None:
    """A person waiting in the queue writes crisis language; the desk answers with the help
    lines, and Telegram refuses them. The counsellors' alert must say the person did not
    get them, not that they did."""
    kari = Counsellor(tg_servers)
    kari.log_in("kari")

    async def crisis_while_waiting() -> dict[str, Any]:
        desk = await kari.socket()
        await desk.recv()  # hello: Kari is online
        await asyncio.to_thread(say, tg_servers, telegram, 1013, "jeg vil snakke med en rådgiver")
        telegram.fail_next(403, description="Forbidden: bot was blocked by the user",
                           method="sendMessage")
        await asyncio.to_thread(say, tg_servers, telegram, 1013, "jeg vil ikke leve lenger")
        while True:
            frame = json.loads(await asyncio.wait_for(desk.recv(), 30))
            if frame["type"] == "conversation.urgent" and \
                    frame["case"]["sender_id"] == "telegram:1013":
                await desk.close()
                return frame

    alert = asyncio.run(crisis_while_waiting())
    assert alert["reason"] == "crisis"
    assert alert["help_lines_undelivered"] == {
        "reason": "blocked", "channel": "telegram", "parts": 1, "delivered_parts": 0,
        "detail": "HTTP 403: Forbidden: bot was blocked by the user"}


def urgent_alerts(frames: list[dict[str, Any]], sender_id: str) -> list[dict[str, Any]]:
    return [frame for frame in frames if frame["type"] == "conversation.urgent"
            and frame["case"]["sender_id"] == sender_id]


def test_help_lines_telegram_refuses_in_the_bot_reply_are_flagged_on_the_desk(
    tg_servers: Servers, telegram: FakeTelegram
) -> None:
    """A person writes crisis language to the bot: action_crisis opens an urgent case (the
    desks hear the person has the help lines), then Telegram refuses the reply with the
    help lines. Every desk must hear that the person did not get them (#16)."""
    kari = Counsellor(tg_servers)
    kari.log_in("kari")

    async def crisis_to_the_bot() -> list[dict[str, Any]]:
        desk = await kari.socket()
        await desk.recv()  # hello: Kari is online
        telegram.fail_next(403, description="Forbidden: bot was blocked by the user",
                           method="sendMessage")
        await asyncio.to_thread(say, tg_servers, telegram, 1014, "jeg vil ikke leve lenger")
        frames: list[dict[str, Any]] = []
        with contextlib.suppress(asyncio.TimeoutError):  # told within the turn, or never
            while not any(alert["help_lines_undelivered"]
                          for alert in urgent_alerts(frames, "telegram:1014")):
                frames.append(json.loads(await asyncio.wait_for(desk.recv(), 10)))
        await desk.close()
        return urgent_alerts(frames, "telegram:1014")

    first, *after = asyncio.run(crisis_to_the_bot())
    assert first["text"] == "jeg vil ikke leve lenger"
    assert first["help_lines_undelivered"] is None  # action_crisis, before the reply went
    assert [alert["help_lines_undelivered"] for alert in after] == [{
        "reason": "blocked", "channel": "telegram", "parts": 1, "delivered_parts": 0,
        "detail": "HTTP 403: Forbidden: bot was blocked by the user"}]
    assert after[0]["reason"] == "crisis" and after[0]["case"]["priority"] == "urgent"
