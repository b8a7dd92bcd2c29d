"""Fuzzing the REST channel (/webhooks/rest/webhook): bodies of every shape, encoding and
content type. No input may get a 5xx; the bot answers normally afterwards."""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.fuzz.harness import FUZZ, Fuzzing, a_real_answer, tally_for
from tests.fuzz.strategies import (
    any_char,
    content_types,
    deeply_nested,
    dumps,
    json_values,
    message_texts,
    raw_bodies,
    texts,
    weighted,
    wrong_types,
)

pytestmark = pytest.mark.integration

# Conversations that well-formed messages go to: a few, so that each grows a little.
SENDERS = tuple(f"fuzz-rest-{n}" for n in range(8))

senders = weighted(
    (4, st.sampled_from(SENDERS)),
    (2, st.from_regex(r"[A-Za-z0-9_.:@-]{1,140}", fullmatch=True)),
    (1, st.text(any_char, max_size=140)),
    (1, st.sampled_from(["", " ", "a" * 128, "a" * 129, "telegram-123456789", "telegram:1",
                         "web:abc", "../../etc/passwd", "default", "x\x00y", "\u202eabc"])),
)
metadata = weighted((3, st.dictionaries(texts, json_values, max_size=4)), (1, wrong_types))

well_formed = st.fixed_dictionaries(
    {"sender": st.sampled_from(SENDERS), "message": message_texts},
    optional={"metadata": st.dictionaries(st.sampled_from(["source", "lang", "x"]), texts,
                                          max_size=2)},
)
mixed = st.fixed_dictionaries({}, optional={
    "sender": senders | wrong_types, "message": texts | wrong_types, "metadata": metadata,
    "extra": json_values,
})
rest_bodies = weighted(
    (2, well_formed.map(dumps)),  # at most a few hundred of these reach NLU
    (5, mixed.map(dumps)),
    (3, raw_bodies(mixed)),
)


def replies_of(raw: bytes) -> list[dict]:
    replies = json.loads(raw)
    assert isinstance(replies, list)
    return replies


def test_rest_channel_survives_any_body(fuzzing: Fuzzing) -> None:
    tally = tally_for("rest")
    fuzzing.log.mark()

    @FUZZ
    # Found by this suite: JSON nested past Python's limit was a 500 (RecursionError).
    @example(body=deeply_nested(5000, "dict").encode(), content_type=None, method="POST")
    @example(body=b'{"sender": "fuzz-rest-0", "message": "hei", "metadata": '
             + deeply_nested(995, "list").encode() + b"}",
             content_type="application/json", method="POST")
    @given(body=rest_bodies, content_type=content_types,
           method=weighted((20, st.just("POST")), (1, st.sampled_from(["GET", "PUT"]))))
    def post(body: bytes, content_type: str | None, method: str) -> None:
        headers = {"Content-Type": content_type} if content_type is not None else {}
        status, raw = fuzzing.http.send(method, "/webhooks/rest/webhook", body, headers)
        tally.record(status, body, answered=status == 200 and bool(replies_of(raw)))

    post()
    assert a_real_answer(fuzzing.rest_replies("fuzz-rest-after"))
    fuzzing.assert_clean(tally)
