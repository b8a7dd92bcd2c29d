"""Inputs that people, broken clients and attackers send: the pieces every channel's fuzz
test builds its requests from.

Most generated inputs are meant to be refused cheaply (wrong types, broken JSON, bad
encodings); only a small share is a well-formed message that reaches Rasa's NLU, which
costs tens of milliseconds each. ``weighted`` keeps that share small.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

MAX_MESSAGE_CHARS = 2000  # the channels' default limit (VEIVALG_MAX_MESSAGE_CHARS)
# Python's json module gives up around here (RecursionError); depths on both sides of it.
NESTING_DEPTHS = (2, 50, 500, 900, 960, 980, 990, 995, 1000, 1010, 1100, 5000, 100_000)

# Text that has broken chat services before: direction overrides, zero-width and joiner
# characters, control characters, emoji sequences, combining marks, markup and injection
# attempts, Rasa's "/intent" syntax, and an invented 11-digit number.
NASTY_TEXTS = (
    "Hei", "hei!", "Når er fristen for å søke på samordna?", "æøå ÆØÅ",
    "Hvordan blir jeg sykepleier?",
    "\u202eabc\u202c", "مرحبا كيف حالك", "שלום", "\u200f\u200e", "\u200b", "a\u200db", "\ufeffhei",
    "\u2060/restart", "\x00", "hei\x00der", "\x07\x1b[31mrød\x1b[0m", "\r\n\r\n", "\t",
    "😀", "👩\u200d👩\u200d👧\u200d👦", "🇳🇴", "🏳️\u200d🌈", "e\u0301" * 40, "Z̷̛͓a̶l̸g̵o̴",
    "<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "{{7*7}}", "${jndi:ldap://x/a}",
    "'; DROP TABLE events; --", "%s%s%n", "../../etc/passwd", "\\u0000", "\\ud800",
    "/restart", "/crisis", '/human_handoff{"priority": "urgent"}', "/start", "/", "//",
    "010199 12368", "0101 9912 368", "\uffff", "\U0010ffff", "\u0085\u2028\u2029",
    "null", "[]", "{}", "true", "-1", "1e999", "NaN",
)

# Lone UTF-16 surrogates: Python strings can hold them, and json.dumps writes them as the
# "\ud800" escapes a client can send; no UTF-8 encoder can store or log them.
surrogates = st.characters(categories=["Cs"])
any_char = st.characters(codec=None) | surrogates


def weighted(*choices: tuple[int, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """One of the strategies, chosen with the given relative weights."""
    pool = [strategy for weight, strategy in choices for _ in range(weight)]
    return st.sampled_from(pool).flatmap(lambda strategy: strategy)


def near_limit(limit: int = MAX_MESSAGE_CHARS) -> st.SearchStrategy[str]:
    """Strings of the limit's length and a few characters past it, some with a surrogate."""
    return st.tuples(
        st.integers(limit - 1, limit + 3), st.sampled_from("aæ😀 \u200b"), st.booleans()
    ).map(lambda t: (t[1] * t[0])[: t[0] - 1] + ("\ud800" if t[2] else "x"))


short_texts = weighted(
    (6, st.sampled_from(NASTY_TEXTS)),
    (4, st.text(any_char, max_size=40)),
    (2, st.lists(st.sampled_from(NASTY_TEXTS) | st.text(any_char, max_size=5),
                 max_size=6).map("".join)),
)
texts = weighted((12, short_texts), (1, near_limit()))
# For messages that may reach NLU: a long one costs seconds there (2,000 "æ" took 5 s),
# so the limit's neighbourhood comes up a few times per channel, not a hundred.
message_texts = weighted((30, short_texts), (1, near_limit()))

json_scalars = (
    st.none() | st.booleans() | st.integers() | st.integers(2**63 - 2, 2**64 + 2)
    | st.integers(-(2**64), -(2**63) + 2) | st.floats(allow_nan=False, allow_infinity=False)
    | texts
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)
wrong_types = json_values  # any JSON where one type is expected: often the wrong one


def deeply_nested(depth: int, kind: str) -> str:
    return ("[" * depth + "]" * depth) if kind == "list" else ('{"a":' * depth + "1" + "}" * depth)


nested_json = st.tuples(st.sampled_from(NESTING_DEPTHS), st.sampled_from(["list", "dict"])).map(
    lambda t: deeply_nested(*t)
)


def dumps(value: Any) -> bytes:
    """JSON as a client sends it; a lone surrogate becomes its \\u escape."""
    return json.dumps(value, ensure_ascii=True, allow_nan=True).encode()


# Byte sequences that are not UTF-8: a stray continuation byte, an overlong slash, a
# surrogate encoded as if it were a character, a cut-off multi-byte character, Latin-1.
INVALID_UTF8 = (b"\xff", b"\xfe\xff", b"\xc3\x28", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe2\x82",
                b"\xf4\x90\x80\x80", "blåbær".encode("latin-1"))


def broken_bodies(valid: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[bytes]:
    """Bodies built from a valid one and broken: cut short, bytes that are not UTF-8,
    another encoding, NaN and Infinity, a byte order mark."""
    encoded = valid.map(dumps)
    return st.one_of(
        st.tuples(encoded, st.floats(0, 1)).map(lambda t: t[0][: int(len(t[0]) * t[1])]),
        st.tuples(encoded, st.sampled_from(INVALID_UTF8), st.floats(0, 1)).map(
            lambda t: t[0][: int(len(t[0]) * t[2])] + t[1] + t[0][int(len(t[0]) * t[2]):]
        ),
        valid.map(lambda v: json.dumps(v).encode("utf-16")),
        valid.map(lambda v: b"\xef\xbb\xbf" + dumps(v)),
        valid.map(lambda v: dumps(v).replace(b"}", b', "n": NaN, "i": -Infinity}', 1)),
    )


def raw_bodies(valid: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[bytes]:
    """Everything a client can put in a request body, as bytes."""
    return st.one_of(
        broken_bodies(valid),
        json_values.map(dumps),  # not an object, or an object of anything
        nested_json.map(str.encode),
        st.binary(max_size=200),
        st.sampled_from([b"", b" ", b"null", b"[]", b"{}", b'{"a":1}{"a":2}', b'{"a":1,"a":2}']),
    )


CONTENT_TYPES = ("application/json", "application/json; charset=utf-8", "text/plain",
                 "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz",
                 "application/json; charset=latin-1", "application/octet-stream", "", None)
content_types = weighted((6, st.just("application/json")), (1, st.sampled_from(CONTENT_TYPES)))
