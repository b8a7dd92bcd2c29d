"""Fuzzing Telegram's webhook (/webhooks/telegram/webhook): updates of every kind and
shape, with and without the secret. Telegram only sends well-formed updates, but the
webhook is on the internet: nothing may get a 5xx (which Telegram would redeliver)."""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bench.fake_telegram import SECRET, text_update
from tests.fuzz.harness import FUZZ, Fuzzing, a_real_answer, tally_for
from tests.fuzz.strategies import (
    content_types,
    dumps,
    message_texts,
    raw_bodies,
    short_texts,
    texts,
    weighted,
    wrong_types,
)
from tests.waiting import wait_until

pytestmark = pytest.mark.integration

# Private chats that well-formed messages go to: a few, invented ids.
CHATS = tuple(range(910_000_001, 910_000_009))
KINDS = ("message", "edited_message", "callback_query", "channel_post", "my_chat_member",
         "inline_query", "poll", "")

ids = weighted(
    (4, st.integers(-(10**13), 10**13)),
    (1, st.integers(2**52, 2**64 + 5) | st.integers(-(2**64) - 5, -(2**52))),
    (2, wrong_types),
)
users = st.fixed_dictionaries(
    {"id": ids, "is_bot": st.booleans(), "first_name": texts},
    optional={"language_code": st.sampled_from(["nb", "nn", "no", "en", "se", ""]) | texts},
) | wrong_types
chats = st.fixed_dictionaries({}, optional={
    "id": ids, "type": st.sampled_from(["private", "group", "supergroup", "channel"]) | texts,
}) | wrong_types
keyboards = st.lists(st.lists(st.fixed_dictionaries({}, optional={
    "text": texts | wrong_types, "callback_data": texts | wrong_types,
}) | wrong_types, max_size=3) | wrong_types, max_size=3)
messages = st.fixed_dictionaries({"message_id": ids, "date": ids}, optional={
    "chat": chats, "from": users, "text": texts | wrong_types,
    "sticker": st.just({"file_id": "x"}), "photo": st.just([{"file_id": "y"}]),
    "reply_markup": st.fixed_dictionaries({}, optional={"inline_keyboard": keyboards}),
}) | wrong_types
callback_queries = st.fixed_dictionaries({}, optional={
    "id": ids, "data": texts | wrong_types, "from": users, "message": messages,
}) | wrong_types
mixed = st.tuples(ids, st.dictionaries(
    st.sampled_from(KINDS), messages | callback_queries | wrong_types, max_size=2,
)).map(lambda t: {"update_id": t[0], **t[1]})

# A well-formed private text message or button press: these reach NLU.
private = st.tuples(st.sampled_from(CHATS), message_texts).map(lambda t: text_update(*t))
pressed = st.tuples(st.sampled_from(CHATS), message_texts, short_texts).map(lambda t: {
    "update_id": t[0], "callback_query": {
        "id": str(t[0]), "data": t[1], "from": {"id": t[0], "is_bot": False, "first_name": "T"},
        "message": {"message_id": 1, "chat": {"id": t[0], "type": "private"},
                    "reply_markup": {"inline_keyboard": [[{"text": t[2], "callback_data": t[1]}]]}},
    }})

updates = weighted(
    (2, st.one_of(private, pressed).map(dumps)),
    (6, mixed.map(dumps)),
    (2, raw_bodies(mixed)),
)
secrets = weighted((20, st.just(SECRET)), (1, st.sampled_from(["", "wrong", SECRET + "x"])))


def test_telegram_webhook_survives_any_update(fuzzing: Fuzzing) -> None:
    tally = tally_for("telegram")
    fuzzing.log.mark()

    @FUZZ
    # Found by this suite: a message without a chat id was a 503 (KeyError), a
    # callback_query whose message or chat was not an object a 500.
    @example(body=b'{"update_id": 1, "message": {"message_id": 1, "date": 1, "chat": {},'
             b' "text": "hei"}}', secret=SECRET, content_type="application/json")
    @example(body=b'{"update_id": 1, "callback_query": {"id": "1", "data": "a",'
             b' "message": {"chat": []}}}', secret=SECRET, content_type="application/json")
    @given(body=updates, secret=secrets, content_type=content_types)
    def post(body: bytes, secret: str, content_type: str | None) -> None:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
        if content_type is not None:
            headers["Content-Type"] = content_type
        before = len(fuzzing.telegram.calls)
        status, _ = fuzzing.http.send("POST", "/webhooks/telegram/webhook", body, headers)
        tally.record(status, body, answered=len(fuzzing.telegram.calls) > before)

    post()

    chat_id = 910_000_100
    status, _ = fuzzing.http.send("POST", "/webhooks/telegram/webhook",
                                  json.dumps(text_update(chat_id, "Hei")).encode(),
                                  {"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert status == 200
    wait_until(lambda: fuzzing.telegram.texts(chat_id), timeout=10, what="an answer to Hei")
    assert a_real_answer(fuzzing.telegram.texts(chat_id))
    fuzzing.assert_clean(tally)
