"""When counsellors answer: weekday hours and holidays in Norwegian time, from a file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_NAMES = {
    "nb": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    "nn": ("måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "søndag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
CLOSED_WORD = {"nb": "stengt", "nn": "stengt", "en": "closed"}
HOLIDAY_NOTE = {
    "nb": "Stengt på helligdager.",
    "nn": "Stengt på heilagdagar.",
    "en": "Closed on public holidays.",
}


def _time(value: str) -> dt.time:
    if str(value) == "24:00":
        return dt.time.max  # open until midnight
    hours, minutes = str(value).split(":")
    return dt.time(int(hours), int(minutes))


@dataclass(frozen=True)
class OpeningHours:
    timezone: ZoneInfo
    hours: dict[int, tuple[dt.time, dt.time]]  # weekday number -> (opens, closes)
    holidays: frozenset[dt.date]

    @classmethod
    def load(cls, path: str | Path) -> OpeningHours:
        config = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        hours = {}
        for day, span in (config.get("hours") or {}).items():
            if day not in WEEKDAYS:
                raise ValueError(f"{path}: unknown weekday {day!r}")
            opens, closes = _time(span[0]), _time(span[1])
            if closes <= opens:
                raise ValueError(f"{path}: {day} closes before it opens")
            hours[WEEKDAYS.index(day)] = (opens, closes)
        return cls(
            timezone=ZoneInfo(config.get("timezone", "Europe/Oslo")),
            hours=hours,
            holidays=frozenset(config.get("holidays") or []),
        )

    def is_open(self, at: dt.datetime | None = None) -> bool:
        local = (at or dt.datetime.now(dt.timezone.utc)).astimezone(self.timezone)
        if local.date() in self.holidays or local.weekday() not in self.hours:
            return False
        opens, closes = self.hours[local.weekday()]
        return opens <= local.time() < closes

    def next_opening(self, at: dt.datetime | None = None) -> dt.datetime | None:
        """When the desk next opens (now, if open), within the coming two weeks."""
        local = (at or dt.datetime.now(dt.timezone.utc)).astimezone(self.timezone)
        for offset in range(15):
            day = local.date() + dt.timedelta(days=offset)
            if day in self.holidays or day.weekday() not in self.hours:
                continue
            opens, closes = self.hours[day.weekday()]
            start = dt.datetime.combine(day, opens, self.timezone)
            end = dt.datetime.combine(day, closes, self.timezone)
            if local < end:
                return max(start, local)
        return None

    def describe(self, language: str) -> str:
        """The week's hours as a person reads them, e.g. "mandag–torsdag 08.00–20.00"."""
        names = DAY_NAMES.get(language, DAY_NAMES["nb"])
        groups: list[tuple[int, int, str]] = []
        for day in range(7):
            span = self.hours.get(day)
            text = (f"{span[0]:%H.%M}–{span[1]:%H.%M}" if span
                    else CLOSED_WORD.get(language, "stengt"))
            if groups and groups[-1][2] == text and groups[-1][1] == day - 1:
                groups[-1] = (groups[-1][0], day, text)
            else:
                groups.append((day, day, text))
        parts = [
            f"{names[first]}{'' if first == last else '–' + names[last]} {text}"
            for first, last, text in groups
        ]
        return "; ".join(parts) + ". " + HOLIDAY_NOTE.get(language, HOLIDAY_NOTE["nb"])

    def as_json(self, at: dt.datetime | None = None) -> dict:
        upcoming = self.next_opening(at)
        return {
            "open_now": self.is_open(at),
            "next_open": upcoming.isoformat() if upcoming else None,
            "text": {language: self.describe(language) for language in DAY_NAMES},
        }
