"""Fuzzing the desk API as a logged-in counsellor (and its internal routes with the API
token): every route, with fuzzed path parameters and bodies. Cases exist to act on, so
that take, write, note, transfer and close reach the case book, not only validation."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.fuzz.harness import FUZZ, Fuzzing, tally_for
from tests.fuzz.strategies import (
    content_types,
    dumps,
    json_values,
    near_limit,
    raw_bodies,
    texts,
    weighted,
    wrong_types,
)
from tests.servers import API_TOKEN

pytestmark = pytest.mark.integration

MAX_TEXT_CHARS = 10_000  # bot/server/handoff/desk.py
LOGGED_IN = (
    ("GET", "/desk/api/me"), ("GET", "/desk/api/cases"), ("GET", "/desk/api/cases/{}"),
    ("POST", "/desk/api/cases/{}/take"), ("POST", "/desk/api/cases/{}/messages"),
    ("POST", "/desk/api/cases/{}/notes"), ("POST", "/desk/api/cases/{}/transfer"),
    ("POST", "/desk/api/cases/{}/close"), ("GET", "/desk/api/counsellors"),
)
INTERNAL = (("POST", "/desk/internal/cases"), ("POST", "/desk/internal/callbacks"),
            ("GET", "/desk/internal/opening-hours"))
KEYS = ("text", "to", "sender_id", "contact", "channel", "language", "topic", "county",
        "summary", "priority", "tags", "question", "alert_text", "login", "password")
CASES = 60  # case ids up to this one exist or come to exist during the run


def path_part(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


case_ids = weighted(
    (6, st.integers(1, CASES).map(str)),
    (2, st.sampled_from(["0", "-1", "2147483648", "9223372036854775807", "9223372036854775808",
                         "-9223372036854775809", "1" * 40, "1.5", "1e3", "%201", "0x1", "abc",
                         "%00", "%F0%9F%98%80", "..%2F..", "1;DROP", "", "1/2"])),
    (1, texts.map(path_part)),
)
desk_texts = weighted((4, texts), (1, near_limit(MAX_TEXT_CHARS)))
well_formed = st.fixed_dictionaries({}, optional={
    "text": desk_texts, "to": st.none() | st.integers(-2, 4), "sender_id": texts,
    "contact": texts, "priority": st.sampled_from(["low", "medium", "high", "urgent"]),
    "tags": st.lists(texts, max_size=3), "summary": texts, "channel": st.just("rest"),
})
mixed = st.dictionaries(st.sampled_from(KEYS) | texts, json_values | wrong_types, max_size=5)
bodies = weighted((4, well_formed.map(dumps)), (3, mixed.map(dumps)), (2, raw_bodies(mixed)),
                  (1, st.none()))
routes = weighted((12, st.sampled_from(LOGGED_IN)), (3, st.sampled_from(INTERNAL)),
                  (1, st.just(("POST", "/desk/api/login"))),
                  (1, st.tuples(st.sampled_from(["PUT", "DELETE", "PATCH", "GET", "POST"]),
                                st.sampled_from([p for _, p in LOGGED_IN + INTERNAL]))))
# Whose request it is: the logged-in counsellor's (mostly), nobody's, or a made-up session.
cookies = weighted((16, st.just("ours")), (1, st.just("")),
                   (1, texts.map(lambda t: "veivalg_desk=" + path_part(t))))
bearers = weighted((8, st.just(f"Bearer {API_TOKEN}")),
                   (1, st.sampled_from(["", "Bearer", "Bearer x", API_TOKEN, "Basic eDp5"])))


def open_callback_case(fuzzing: Fuzzing, number: int) -> None:
    """A question left for a callback: a case that exists whatever the opening hours."""
    status, raw = fuzzing.http.send(
        "POST", "/desk/internal/callbacks",
        json.dumps({"sender_id": f"fuzz-desk-{number}", "contact": "999 99 999",
                    "question": "Kan dere ringe meg?", "channel": "rest"}).encode(),
        {"Content-Type": "application/json", "Authorization": f"Bearer {API_TOKEN}"},
    )
    assert status == 200, raw


def test_desk_api_survives_any_request(fuzzing: Fuzzing) -> None:
    tally = tally_for("desk")
    cookie = fuzzing.desk_cookie()
    for number in range(5):
        open_callback_case(fuzzing, number)
    fuzzing.log.mark()
    origin = fuzzing.servers.rasa_url

    @FUZZ
    # Found by this suite: a case id past 64 bits was a 500 (OverflowError in SQLite),
    # and so was a lone surrogate in a field the desk stores.
    @example(route=("POST", "/desk/api/cases/{}/take"), case_id="9223372036854775808",
             body=b"{}", who="ours", bearer="", content_type="application/json")
    @example(route=("POST", "/desk/internal/callbacks"), case_id="1",
             body=b'{"sender_id": "fuzz-desk-x", "contact": "\\ud800"}', who="ours",
             bearer=f"Bearer {API_TOKEN}", content_type="application/json")
    @given(route=routes, case_id=case_ids, body=bodies, who=cookies, bearer=bearers,
           content_type=content_types)
    def call(route: tuple[str, str], case_id: str, body: bytes | None, who: str, bearer: str,
             content_type: str | None) -> None:
        if tally.tried % 50 == 0:  # new cases keep coming, as the bot opens them
            open_callback_case(fuzzing, tally.tried)
        method, path = route
        headers = {"Origin": origin, "Cookie": cookie if who == "ours" else who}
        if path.startswith("/desk/internal/"):
            headers["Authorization"] = bearer
        if content_type is not None:
            headers["Content-Type"] = content_type
        path = path.replace("{}", case_id)
        status, _ = fuzzing.http.send(method, path, body, headers)
        tally.record(status, (method, path, body))

    call()

    status, raw = fuzzing.http.send("GET", "/desk/api/cases", None, {"Cookie": cookie})
    assert status == 200 and json.loads(raw)["cases"] is not None
    # The bot still answers the people whose cases were fuzzed over.
    assert fuzzing.rest_replies("fuzz-desk-after")
    fuzzing.assert_clean(tally)
