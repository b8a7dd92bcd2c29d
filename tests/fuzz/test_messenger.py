"""Fuzzing Messenger's webhook (/webhooks/facebook/webhook): events of every shape, most
signed with the app secret as Meta signs them (so the parser behind the signature check
is reached), some unsigned or signed wrongly."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.fake_messenger import SECRET
from tests.fuzz.harness import FUZZ, Fuzzing, a_real_answer, tally_for
from tests.fuzz.strategies import (
    content_types,
    dumps,
    raw_bodies,
    short_texts,
    texts,
    weighted,
    wrong_types,
)

pytestmark = pytest.mark.integration

# Page-scoped ids of invented people that well-formed messages come from.
PEOPLE = tuple(str(7_100_000_000_000_000 + n) for n in range(8))


def optional(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """An object with any of these fields, or a value of the wrong type altogether."""
    return st.fixed_dictionaries({}, optional=fields) | wrong_types


ids = weighted((4, st.sampled_from(PEOPLE)), (1, st.from_regex(r"[0-9]{1,20}", fullmatch=True)),
               (2, texts | wrong_types))
attachment = optional(
    type=st.sampled_from(["audio", "image", "video", "file", "location", "fallback"])
    | wrong_types,
    payload=optional(url=texts | wrong_types),
)
message = optional(
    mid=texts, text=texts | wrong_types, is_echo=st.booleans() | wrong_types,
    quick_reply=optional(payload=texts | wrong_types),
    attachments=st.lists(attachment, max_size=2) | wrong_types,
)
event = optional(
    sender=optional(id=ids), recipient=optional(id=ids), timestamp=wrong_types,
    message=message, postback=optional(payload=texts | wrong_types, title=texts),
    delivery=optional(mids=wrong_types, watermark=wrong_types), read=optional(watermark=ids),
)
entry = optional(id=ids, time=wrong_types, messaging=st.lists(event, max_size=3) | wrong_types)
mixed = st.fixed_dictionaries({}, optional={
    "object": st.sampled_from(["page", "instagram", ""]) | wrong_types,
    "entry": st.lists(entry, max_size=3) | wrong_types,
})


def from_person(person: str, said: dict[str, Any]) -> dict[str, Any]:
    return {"object": "page", "entry": [{"id": "1", "time": 1, "messaging": [
        {"sender": {"id": person}, "recipient": {"id": "1"}, "timestamp": 1, **said}]}]}


# Well-formed text messages, quick replies and postbacks: these reach NLU. Short ones:
# Messenger's channel has no length limit (Rasa's handler passes any text on), and a
# 2,000-character message costs seconds there.
well_formed = st.tuples(st.sampled_from(PEOPLE), st.sampled_from(["text", "quick", "postback"]),
                        short_texts).map(lambda t: from_person(t[0], {
                            "text": {"message": {"mid": "m1", "text": t[2]}},
                            "quick": {"message": {"mid": "m2", "text": "x",
                                                  "quick_reply": {"payload": t[2]}}},
                            "postback": {"postback": {"payload": t[2], "title": "x"}},
                        }[t[1]]))
bodies = weighted((2, well_formed.map(dumps)), (6, mixed.map(dumps)), (2, raw_bodies(mixed)))


def signature(body: bytes, how: str) -> dict[str, str]:
    if how == "sha256":
        return {"X-Hub-Signature-256":
                "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()}
    if how == "sha1":
        return {"X-Hub-Signature": "sha1=" + hmac.new(SECRET.encode(), body, "sha1").hexdigest()}
    if how == "wrong":
        return {"X-Hub-Signature-256": "sha256=" + hashlib.sha256(body).hexdigest()}
    return {"X-Hub-Signature-256": how} if how else {}


signatures = weighted((16, st.just("sha256")), (2, st.just("sha1")),
                      (1, st.sampled_from(["wrong", "", "sha256=", "md5=abc", "sha256=zz"])))


def post(fuzzing: Fuzzing, body: bytes, how: str = "sha256",
         content_type: str | None = "application/json") -> int:
    headers = signature(body, how)
    if content_type is not None:
        headers["Content-Type"] = content_type
    return fuzzing.http.send("POST", "/webhooks/facebook/webhook", body, headers)[0]


def test_messenger_webhook_survives_any_event(fuzzing: Fuzzing) -> None:
    tally = tally_for("messenger")
    fuzzing.log.mark()

    @FUZZ
    # Found by this suite: a signed call without "entry", or with entries that are not
    # objects, was a 500 (KeyError, TypeError in Rasa's handler).
    @example(body=b'{"object": "page"}', how="sha256", content_type="application/json")
    @example(body=b'{"entry": [null, {}]}', how="sha256", content_type="application/json")
    @given(body=bodies, how=signatures, content_type=content_types)
    def send(body: bytes, how: str, content_type: str | None) -> None:
        before = len(fuzzing.graph.sent)
        status = post(fuzzing, body, how, content_type)
        tally.record(status, body, answered=len(fuzzing.graph.sent) > before)

    send()

    person = "7100000000000999"
    said = from_person(person, {"message": {"mid": "m", "text": "Hei"}})
    assert post(fuzzing, json.dumps(said).encode()) == 200
    assert a_real_answer(fuzzing.graph.texts(person))
    fuzzing.assert_clean(tally)
