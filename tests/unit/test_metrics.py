"""The operators' metrics: Prometheus' text format, fed by the stored events."""

from __future__ import annotations

import re

from bot.server import metrics
from bot.server.metrics import Counter, Histogram, ReplyClock, exposition, gauge_lines

LINE = re.compile(
    r'^(# (HELP|TYPE) \w+ .+|\w+(\{(\w+="[^"]*",?)+\})? [0-9.e+-]+|\w+\{le="\+Inf"\} \d+)$')


def value(text: str, series: str) -> float:
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.split()[-1])
    raise AssertionError(f"{series} not in the page")


def test_the_page_is_prometheus_text_format() -> None:
    page = exposition([gauge_lines("veivalg_queue_length", "Cases waiting.", 3),
                       gauge_lines("veivalg_counsellors_online", "Online.", None)])
    assert page.endswith("\n")
    for line in page.splitlines():
        assert LINE.match(line), line
    assert value(page, "veivalg_queue_length") == 3
    assert "\nveivalg_counsellors_online " not in page  # no answer: no sample, not a zero


def test_a_histogram_counts_into_every_bucket_from_its_bound_up() -> None:
    histogram = Histogram("t_seconds", "Test.", (1.0, 5.0))
    for seconds in (0.5, 2.0, 9.0):
        histogram.observe(seconds)
    page = "\n".join(histogram.lines())
    assert value(page, 't_seconds_bucket{le="1"}') == 1
    assert value(page, 't_seconds_bucket{le="5"}') == 2
    assert value(page, 't_seconds_bucket{le="+Inf"}') == 3
    assert value(page, "t_seconds_sum") == 11.5 and value(page, "t_seconds_count") == 3


def test_label_values_are_escaped_and_bounded() -> None:
    counter = Counter("t_total", "Test.", ["reason"])
    counter.inc('a"b\\c')
    for n in range(metrics.MAX_SERIES + 50):
        counter.inc(f"r{n}")
    lines = list(counter.lines())
    assert 't_total{reason="a\\"b\\\\c"} 1' in lines
    assert len(lines) == 2 + metrics.MAX_SERIES


def test_messages_and_reply_times_come_from_the_events() -> None:
    before = exposition()
    clock = ReplyClock()
    clock.event({"event": "user", "sender_id": "web:1", "timestamp": 100.0,
                 "input_channel": "webchat", "parse_data": {"intent": {"name": "nlu_fallback"}}})
    clock.event({"event": "bot", "sender_id": "web:1", "timestamp": 100.3})
    clock.event({"event": "bot", "sender_id": "web:1", "timestamp": 100.4})  # not a new reply
    clock.event({"event": "user", "sender_id": "x", "timestamp": 1.0, "input_channel": "evil"})
    after = exposition()
    for series, added in [('veivalg_messages_total{channel="webchat"}', 1),
                          ('veivalg_unanswered_total{intent="nlu_fallback"}', 1),
                          ("veivalg_reply_seconds_count", 1),
                          ('veivalg_reply_seconds_bucket{le="0.5"}', 1)]:
        old = value(before, series) if series in before else 0
        assert value(after, series) - old == added, series
    assert 'channel="evil"' not in after and 'channel="other"' in after
