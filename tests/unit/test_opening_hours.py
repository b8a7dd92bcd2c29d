"""Opening hours (bot/server/handoff/opening_hours.py): open or closed at a given moment in Oslo,
whatever zone the clock gives, summer time included; holidays; when the desk opens next;
the week in words; and files that cannot be right."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.server.handoff.opening_hours import OpeningHours
from bot.shared.settings import PROJECT_DIR

OSLO = ZoneInfo("Europe/Oslo")
WEEK = """
timezone: Europe/Oslo
hours:
  monday: ["08:00", "20:00"]
  tuesday: ["08:00", "20:00"]
  wednesday: ["08:00", "20:00"]
  thursday: ["08:00", "20:00"]
  friday: ["08:00", "16:00"]
holidays:
  - 2026-12-24
  - 2026-12-25
"""


def hours_from(tmp_path: Path, text: str) -> OpeningHours:
    path = tmp_path / "opening_hours.yml"
    path.write_text(text, encoding="utf-8")
    return OpeningHours.load(path)


def oslo(day: str, time: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=OSLO)


def utc(day: str, time: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=dt.timezone.utc)


@pytest.fixture
def week(tmp_path: Path) -> OpeningHours:
    return hours_from(tmp_path, WEEK)


@pytest.mark.parametrize(
    ("at", "open_now"),
    [
        (oslo("2026-12-03", "07:59:59"), False),  # a Thursday
        (oslo("2026-12-03", "08:00"), True),
        (oslo("2026-12-03", "19:59:59"), True),
        (oslo("2026-12-03", "20:00"), False),  # closing time is closed
        (oslo("2026-12-04", "15:59"), True),  # Friday closes earlier
        (oslo("2026-12-04", "16:00"), False),
        (oslo("2026-12-05", "12:00"), False),  # Saturday: not in the file
        (oslo("2026-12-24", "12:00"), False),  # a holiday on a Thursday
        (oslo("2026-12-25", "09:00"), False),
        # The clock's own zone does not matter; Oslo's winter and summer time do.
        (utc("2026-12-03", "07:30"), True),  # 08:30 in Oslo (UTC+1)
        (utc("2026-12-03", "06:30"), False),  # 07:30
        (utc("2026-03-30", "06:30"), True),  # the Monday after summer time began: 08:30
        (utc("2026-03-23", "06:30"), False),  # a week before: 07:30
        (utc("2026-12-03", "19:30"), False),  # 20:30
    ],
)
def test_open_or_closed_at_a_moment(week: OpeningHours, at: dt.datetime, open_now: bool) -> None:
    assert week.is_open(at) is open_now


def test_open_until_midnight_is_written_24_00(tmp_path: Path) -> None:
    late = hours_from(tmp_path, 'hours:\n  sunday: ["18:00", "24:00"]\n')
    assert late.is_open(oslo("2026-12-06", "23:59:59"))
    assert not late.is_open(oslo("2026-12-07", "00:00"))  # Monday: closed
    assert late.timezone == OSLO  # the default zone


@pytest.mark.parametrize(
    ("at", "opens"),
    [
        (oslo("2026-12-03", "10:15"), oslo("2026-12-03", "10:15")),  # open: now
        (oslo("2026-12-03", "06:00"), oslo("2026-12-03", "08:00")),  # later today
        (oslo("2026-12-04", "17:00"), oslo("2026-12-07", "08:00")),  # Friday evening: Monday
        (oslo("2026-12-23", "21:00"), oslo("2026-12-28", "08:00")),  # past two holidays
        (utc("2026-12-04", "15:30"), oslo("2026-12-07", "08:00")),  # 16:30 in Oslo
    ],
)
def test_the_next_opening(week: OpeningHours, at: dt.datetime, opens: dt.datetime) -> None:
    found = week.next_opening(at)
    assert found == opens
    assert found.utcoffset() == opens.utcoffset()  # said in Oslo time


def test_a_desk_without_hours_never_opens(tmp_path: Path) -> None:
    closed = hours_from(tmp_path, "timezone: Europe/Oslo\n")
    assert not closed.is_open(oslo("2026-12-03", "12:00"))
    assert closed.next_opening(oslo("2026-12-03", "12:00")) is None
    assert closed.as_json(oslo("2026-12-03", "12:00"))["next_open"] is None


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nb", "mandag–torsdag 08.00–20.00; fredag 08.00–16.00; lørdag–søndag stengt. "
               "Stengt på helligdager."),
        ("nn", "måndag–torsdag 08.00–20.00; fredag 08.00–16.00; laurdag–søndag stengt. "
               "Stengt på heilagdagar."),
        ("en", "Monday–Thursday 08.00–20.00; Friday 08.00–16.00; Saturday–Sunday closed. "
               "Closed on public holidays."),
        ("se", "mandag–torsdag 08.00–20.00; fredag 08.00–16.00; lørdag–søndag stengt. "
               "Stengt på helligdager."),  # no Sami wording: Bokmål
    ],
)
def test_the_week_in_words(week: OpeningHours, language: str, words: str) -> None:
    assert week.describe(language) == words


def test_only_neighbouring_days_with_the_same_hours_are_joined(tmp_path: Path) -> None:
    hours = hours_from(tmp_path, 'hours:\n  monday: ["09:00", "15:00"]\n'
                                 '  tuesday: ["10:00", "15:00"]\n'
                                 '  wednesday: ["09:00", "15:00"]\n')
    assert hours.describe("nb") == ("mandag 09.00–15.00; tirsdag 10.00–15.00; "
                                    "onsdag 09.00–15.00; torsdag–søndag stengt. "
                                    "Stengt på helligdager.")


def test_as_json_gives_now_next_and_words_in_every_language(week: OpeningHours) -> None:
    at = oslo("2026-12-04", "17:00")
    assert week.as_json(at) == {
        "open_now": False, "next_open": "2026-12-07T08:00:00+01:00",
        "text": {language: week.describe(language) for language in ("nb", "nn", "en")},
    }


@pytest.mark.parametrize(
    ("hours", "problem"),
    [
        ('  fredag: ["08:00", "16:00"]', "unknown weekday 'fredag'"),
        ('  monday: ["16:00", "08:00"]', "monday closes before it opens"),
        ('  monday: ["08:00", "08:00"]', "monday closes before it opens"),
    ],
)
def test_a_file_that_cannot_be_right_is_refused(tmp_path: Path, hours: str,
                                                problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        hours_from(tmp_path, f"hours:\n{hours}\n")


def test_the_shipped_hours_load_and_keep_the_holidays() -> None:
    shipped = OpeningHours.load(PROJECT_DIR / "opening_hours.yml")
    assert shipped.is_open(oslo("2026-05-13", "10:00"))  # a Wednesday
    assert not shipped.is_open(oslo("2026-05-14", "10:00"))  # Kristi himmelfartsdag
    assert not shipped.is_open(oslo("2026-12-25", "10:00"))
