"""When a promise is due: a sentence's time expression, read as a deadline.

General date parsers answer "which instant does this text name?"; a promise needs
deadline semantics instead, which is why this small reader exists:

- a range is due at its end ("zwischen 8 und 10 Uhr" → 10:00);
- a day without a time is due at its end ("by Friday" → Friday 23:59);
- a time without a day is the next such time after the message ("bis 18 Uhr", written at
  19:00 → tomorrow 18:00);
- a named zone wins over the contract's ("6 pm BST", "12:00 UTC");
- "within 2 business days" skips weekends and the public holidays it is given; a span counted
  in days or weeks is due at the end of its last day, one in hours or minutes exactly.

Words (weekdays, months, day parts, units, zones) are lexicon data; this module only
combines them. Local times are built in the zone with ``zoneinfo``, so DST is honoured.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from pydantic import Field

from ..models._base import Frozen
from ._text import alternation

__all__ = ["DateWords", "DueResolver", "Promise"]

_END_OF_DAY = time(23, 59)


class DateWords(Frozen):
    """One language's words for dates and times (lexicon ``dates:``)."""

    weekdays: list[list[str]] = Field(default_factory=list)
    months: list[list[str]] = Field(default_factory=list)
    relative_days: dict[str, int] = Field(default_factory=dict)
    day_parts: dict[str, str] = Field(default_factory=dict)
    end_of_week: list[str] = Field(default_factory=list)
    units: dict[str, int] = Field(default_factory=dict)
    business_units: list[str] = Field(default_factory=list)
    numbers: dict[str, int] = Field(default_factory=dict)
    #: spans named without a number, with the seconds they last ("within the hour": 3600)
    periods: dict[str, int] = Field(default_factory=dict)
    ampm: bool = False
    #: the words that open and join a range of two times ("between … and …", "von … bis …"): a
    #: maintenance notice's window
    range_open: list[str] = Field(default_factory=list)
    range_join: list[str] = Field(default_factory=list)
    #: the words before which a bare number is an hour ("I'll ping you by 11", "melde mich bis 3"), and
    #: the words after which it is a count instead ("by 5 customers", "um 10 Prozent"; units count too)
    bare_hour_after: list[str] = Field(default_factory=list)
    bare_hour_not_before: list[str] = Field(default_factory=list)
    #: hours named in words ("neun", "four") and the words that set the minutes around them, in minutes
    #: from the hour named ("halb neun" is 8:30: -30; "viertel nach zehn" +15; "half past four" +30)
    hour_words: dict[str, int] = Field(default_factory=dict)
    clock_offsets: dict[str, int] = Field(default_factory=dict)
    #: a day of the month named without its month ("by the 14th", "bis zum 14."): patterns with the day as group
    #: ``d``, and optionally the month's name as ``mn`` ("the 14th of April") or ``next`` for the next month ("the
    #: 3rd of next month", "des nächsten Monats"); without them, the next such day
    month_days: list[str] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Promise:
    """A commitment: its kind, when it is due (epoch seconds, None if no time is named), the sentence."""

    kind: str
    due: float | None
    quote: str


class DueResolver:
    """Built once from the lexicons' date words; ``due()`` per commitment sentence."""

    def __init__(self, words: list[DateWords], zones: dict[str, float]):
        self.weekday = {w.lower(): i for dw in words for i, names in enumerate(dw.weekdays) for w in names[:1]}
        self.month = {w.lower(): i + 1 for dw in words for i, names in enumerate(dw.months) for w in names}
        self.relative = {k.lower(): v for dw in words for k, v in dw.relative_days.items()}
        self.parts = {k.lower(): _hhmm(v) for dw in words for k, v in dw.day_parts.items()}
        self.eow = {w.lower() for dw in words for w in dw.end_of_week}
        self.units = {k.lower(): v for dw in words for k, v in dw.units.items()}
        self.business = {w.lower() for dw in words for w in dw.business_units}
        self.numbers = {k.lower(): v for dw in words for k, v in dw.numbers.items()}
        self.periods = {k.lower(): v for dw in words for k, v in dw.periods.items()}
        self.zones = {k.lower(): v for k, v in zones.items()}
        months = alternation(list(self.month))
        weekdays = alternation(list(self.weekday))
        phrases = alternation([*self.relative, *self.parts, *self.eow])
        units = alternation([*self.units, *self.business])
        numbers = alternation(list(self.numbers))
        zones_alt = alternation(list(self.zones))
        self._clock = re.compile(
            r"(?<![\d.:])(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<suffix>uhr|h\b|am\b|pm\b|a\.m\.|p\.m\.)"
            # a sentence's full stop may follow ("at 16:30."), not another digit group ("10:14:30", "16:30.5")
            r"|(?<![\d.:])(?P<h2>\d{1,2}):(?P<m2>\d{2})(?![\d:]|\.\d)", re.IGNORECASE)
        self._date = re.compile(
            rf"(?<!\d)(?P<y1>\d{{4}})-(?P<mo1>\d{{1,2}})-(?P<d1>\d{{1,2}})(?!\d)"
            rf"|(?<![\d.])(?P<d2>\d{{1,2}})\.(?P<mo2>\d{{1,2}})\.(?P<y2>\d{{2,4}})?(?![\d])"
            rf"|(?<!\d)(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?P<mn3>{months})\b\.?(?:\s+(?P<y3>\d{{4}}))?"
            rf"|\b(?P<mn4>{months})\.?\s+(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y4>\d{{4}}))?",
            re.IGNORECASE) if months else None
        self._month_days = [re.compile(p, re.IGNORECASE) for dw in words for p in dw.month_days]
        self._weekday = re.compile(rf"\b(?P<wd>{weekdays})(?P<glued>{alternation(list(self.parts))})?\w*",
                                   re.IGNORECASE) if weekdays else None
        self._phrase = re.compile(rf"(?<!\w)(?:{phrases})(?!\w)", re.IGNORECASE) if phrases else None
        self._duration = re.compile(
            rf"(?<!\w)(?P<n>\d+|{numbers})\s+(?P<unit>{units})(?!\w)", re.IGNORECASE) if units else None
        self._zone = re.compile(rf"(?<![\w-])(?P<z>{zones_alt})(?![\w-])", re.IGNORECASE) if zones_alt else None
        periods = alternation(list(self.periods))
        self._period = re.compile(rf"(?<!\w)(?:{periods})(?!\w)", re.IGNORECASE) if periods else None
        opens = alternation([w for dw in words for w in dw.range_open])
        joins = alternation([w for dw in words for w in dw.range_join])
        one = r"(?P<h{n}>\d{{1,2}})(?:[:.](?P<m{n}>\d{{2}}))?\s*(?P<s{n}>uhr|h\b|am\b|pm\b|a\.m\.|p\.m\.)?"
        preps = alternation([w for dw in words for w in dw.bare_hour_after])
        counts = alternation([*self.units, *self.business, *(w for dw in words for w in dw.bare_hour_not_before)])
        self._bare = re.compile(
            rf"(?<!\w)(?:{preps})\s+(?P<h>\d{{1,2}})(?![\d:]|\.\d|\.?\s*(?:{months or '(?!)'})\b|\s*%"
            rf"|\s+(?:{counts or '(?!)'})(?!\w))", re.IGNORECASE) if preps else None
        offsets = {k.lower(): v for dw in words for k, v in dw.clock_offsets.items()}
        self._offsets = offsets
        self._hour_words = {k.lower(): v for dw in words for k, v in dw.hour_words.items()}
        hours = alternation(list(self._hour_words))
        self._worded = re.compile(
            rf"(?<!\w)(?P<off>{alternation(list(offsets))})\s+(?P<h>\d{{1,2}}|{hours or '(?!)'})(?![\w:]|\.\d)",
            re.IGNORECASE) if offsets else None
        self._range = re.compile(
            rf"(?<!\w)(?:{opens})\s+{one.format(n=1)}\s*(?:{joins}|-|–)\s*{one.format(n=2)}"
            rf"|(?<![\d.:])(?P<h3>\d{{1,2}}):(?P<m3>\d{{2}})\s*(?:-|–)\s*(?P<h4>\d{{1,2}}):(?P<m4>\d{{2}})(?![\d.:])",
            re.IGNORECASE) if opens and joins else None

    def due(self, sentence: str, at: float, tz: str, holidays: frozenset[date] = frozenset()) -> float | None:
        """The deadline a sentence names, relative to the message time ``at``; None if it names none."""
        text = sentence.lower()
        zone = self._zone_of(text, tz)
        now = datetime.fromtimestamp(at, zone)
        clock = self._last_clock(text)
        day = self._day(text, now)
        part: time | None = None
        relative: int | None = None
        if self._phrase is not None:
            for m in self._phrase.finditer(text):
                phrase = m.group(0).lower()
                if phrase in self.eow and day is None:
                    day = now.date() + timedelta(days=(4 - now.weekday()) % 7)
                if phrase in self.relative and relative is None:
                    relative = self.relative[phrase]
                if phrase in self.parts:
                    part = self.parts[phrase]
        if day is None and relative is not None:
            day = now.date() + timedelta(days=relative)
        if clock is None:
            clock = self._worded_clock(text, now, zone, day, part)
        if clock is None:
            clock = self._bare_hour(text, now, zone, day, part)
        if clock is not None:
            part = None
        if clock is None and day is None and part is None:
            return self._duration_due(text, now, holidays)
        when = clock or part
        if day is None:
            assert when is not None
            candidate = _local(now.date(), when, zone)
            if candidate <= now:
                candidate = _local(now.date() + timedelta(days=1), when, zone)
            return candidate.timestamp()
        if (glued := self._glued_part(text)) is not None and clock is None:
            when = glued
        return _local(day, when or _END_OF_DAY, zone).timestamp()

    def window(self, text: str, at: float, tz: str) -> tuple[float, float] | None:
        """The window a maintenance notice names ("am 5. November zwischen 22 und 24 Uhr", "on
        Saturday 14 March between 01:00 and 02:00 CET"), as epoch seconds; None without a range
        of two times. A day without a date is the next such day after the notice; an end not after
        the start is on the next day ("zwischen 23 und 1 Uhr")."""
        lowered = text.lower()
        m = self._range.search(lowered) if self._range is not None else None
        if m is None:
            return None
        zone = self._zone_of(lowered, tz)
        now = datetime.fromtimestamp(at, zone)
        g = m.groupdict()
        if g["h3"] is None and not (g["m1"] or g["m2"] or g["s1"] or g["s2"]):
            return None  # "from 2 to 3 servers" is no window: a time is written with ":", "Uhr" or "am"/"pm"
        if g["h3"] is not None:
            ends: list[tuple[int, int, str]] = [(int(g["h3"]), int(g["m3"]), ""), (int(g["h4"]), int(g["m4"]), "")]
        else:
            ends = [(int(g["h1"]), int(g["m1"] or 0), (g["s1"] or "").lower()),
                    (int(g["h2"]), int(g["m2"] or 0), (g["s2"] or "").lower())]
            if not ends[0][2] and ends[1][2][:1] in ("a", "p") and ends[0][0] <= ends[1][0]:
                ends[0] = (ends[0][0], ends[0][1], ends[1][2])  # "between 9 and 10 am"
        minutes = [_minutes(h, mi, suffix) for h, mi, suffix in ends]
        if any(v is None for v in minutes):
            return None
        begin, finish = minutes[0], minutes[1]
        assert begin is not None and finish is not None
        day = self._day(lowered, now)
        if day is None and self._phrase is not None:
            relative = [self.relative[p.group(0).lower()] for p in self._phrase.finditer(lowered)
                        if p.group(0).lower() in self.relative]
            day = now.date() + timedelta(days=relative[0]) if relative else None
        start_day = day or now.date()
        start = datetime.combine(start_day, time(0, 0), zone) + timedelta(minutes=begin)
        if day is None and start <= now:
            start += timedelta(days=1)
            start_day += timedelta(days=1)
        end = datetime.combine(start_day, time(0, 0), zone) + timedelta(minutes=finish)
        if end <= start:
            end += timedelta(days=1)
        # aware datetime arithmetic is wall-clock arithmetic: 22 Uhr stays 22 Uhr across a DST change
        return start.timestamp(), end.timestamp()

    def _zone_of(self, text: str, tz: str) -> tzinfo:
        """A zone the text names ("6 pm BST", "12:00 UTC") wins over the contract's."""
        named = self._zone.search(text) if self._zone is not None else None
        return timezone(timedelta(hours=self.zones[named.group("z").lower()])) if named else ZoneInfo(tz)

    def _last_clock(self, text: str) -> time | None:
        found = None
        for m in self._clock.finditer(text):
            if m.group("h") is not None:
                hour, minute, suffix = int(m.group("h")), int(m.group("m") or 0), (m.group("suffix") or "").lower()
                if suffix.startswith("p") and hour < 12:
                    hour += 12
                elif suffix.startswith("a") and hour == 12:
                    hour = 0
            else:
                hour, minute = int(m.group("h2")), int(m.group("m2"))
            if hour <= 24 and minute < 60:
                found = time(hour % 24, minute) if hour < 24 else _END_OF_DAY
        return found

    def in_digits(self, text: str) -> str:
        """The text with each time told in words written as a clock reads it ("um Viertel vor zwei" → "um
        1:45", "half past four" → "4:30"): the sentence model learnt promises from times in digits, and the
        corpus tells few in words, so "Wir rufen Sie um Viertel vor zwei zurück" read 0.39 as a promise and
        "… um 13:45 Uhr zurück" 0.75. The half of the day is not known here, nor needed."""
        if self._worded is None:
            return text

        def digits(m: re.Match[str]) -> str:
            minutes = self._worded_minutes(m)
            return m.group() if minutes is None else f"{minutes // 60 or 12}:{minutes % 60:02d}"

        return self._worded.sub(digits, text)

    def _worded_minutes(self, m: re.Match[str]) -> int | None:
        """Minutes past 12 o'clock (0–719) of a time told in words, or None for an hour that is none."""
        raw = m.group("h").lower()
        hour = int(raw) if raw.isdigit() else self._hour_words.get(raw)
        if hour is None or not 1 <= hour <= 12:
            return None
        return ((hour % 12) * 60 + self._offsets[m.group("off").lower()]) % 720

    def _worded_clock(self, text: str, now: datetime, zone: tzinfo, day: date | None, part: time | None) -> time | None:
        """A time told in words around an hour: "halb neun" (8:30), "viertel nach zehn", "half past four". Its
        half of the day is chosen as for a bare hour; the last such time is the deadline."""
        found = list(self._worded.finditer(text)) if self._worded is not None else []
        if not found:
            return None
        minutes = self._worded_minutes(found[-1])
        return None if minutes is None else _half_of_day(minutes, now, zone, day, part)

    def _bare_hour(self, text: str, now: datetime, zone: tzinfo, day: date | None, part: time | None) -> time | None:
        """An hour written without "Uhr", am/pm or minutes after a word of time ("by 11", "bis 3"). Its half
        of the day is the one that makes sense of it: past noon with a day part past noon ("by 8 tonight")
        or, with a day named, for 1 to 7 ("Friday at 3" is 15:00, "Monday at 9" 09:00); without either, the
        first such hour after the message ("by 11" at 09:52 is 11:00, "by 3" at 13:00 is 15:00). The last
        such hour is the deadline, as with written-out times ("we began at 9 and will update you by 11")."""
        found = list(self._bare.finditer(text)) if self._bare is not None else []
        m = found[-1] if found else None
        if m is None or int(m.group("h")) > 24:
            return None
        hour = int(m.group("h"))
        if hour == 24:
            return _END_OF_DAY
        if hour == 0 or hour >= 12:
            return time(hour, 0)
        return _half_of_day(hour * 60, now, zone, day, part)

    def _day(self, text: str, now: datetime) -> date | None:
        if self._date is not None:
            for m in self._date.finditer(text):
                g = m.groupdict()
                y: int | None
                if g["y1"]:
                    y, mo, d = int(g["y1"]), int(g["mo1"]), int(g["d1"])
                elif g["d2"]:
                    y, mo, d = _year(g["y2"]), int(g["mo2"]), int(g["d2"])
                elif g["d3"]:
                    y, mo, d = _year(g["y3"]), self.month[g["mn3"].lower()], int(g["d3"])
                else:
                    y, mo, d = _year(g["y4"]), self.month[g["mn4"].lower()], int(g["d4"])
                try:
                    found = date(y or now.year, mo, d)
                except ValueError:
                    continue
                if y is None and found < now.date() - timedelta(days=60):
                    found = found.replace(year=found.year + 1)
                return found
        if (month_day := self._month_day(text, now)) is not None:
            return month_day
        wd = self._last_weekday(text)
        if wd:
            ahead = (self.weekday[wd.group("wd").lower()] - now.weekday()) % 7
            return now.date() + timedelta(days=ahead)
        return None

    def _month_day(self, text: str, now: datetime) -> date | None:
        """A day of the month named without its month ("by the 14th"): the next such day from the message on, this
        month's if it is still to come, else the next month's; a month named ("the 14th of April") or the next month
        ("of next month") as said. A day the month lacks ("bis zum 31." in April) is the next month's that has it."""
        for pattern in self._month_days:
            m = pattern.search(text)
            if m is None:
                continue
            g = m.groupdict()
            day = int(g["d"])
            if not 1 <= day <= 31:
                continue
            if g.get("mn"):
                found = _valid(now.year, self.month[g["mn"].lower()], day)
                if found is not None and found < now.date() - timedelta(days=60):
                    found = _valid(now.year + 1, found.month, day)
                return found
            year, month = now.year, now.month
            if g.get("next"):
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            for _ in range(3):
                found = _valid(year, month, day)
                if found is not None and (g.get("next") or found >= now.date()):
                    return found
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            return None
        return None

    def names_day(self, sentence: str) -> bool:
        """Whether a sentence names a date or a day of the month this resolver reads (a promise's time)."""
        text = sentence.lower()
        return bool((self._date is not None and self._date.search(text)) or any(p.search(text) for p in self._month_days))

    def _last_weekday(self, text: str) -> re.Match[str] | None:
        """The last weekday named: of "on Wednesday … by Wednesday evening at the latest", the deadline."""
        if self._weekday is None:
            return None
        matches = list(self._weekday.finditer(text))
        return matches[-1] if matches else None

    def _glued_part(self, text: str) -> time | None:
        """'Mittwochabend': a weekday with its day part written as one word."""
        m = self._last_weekday(text)
        return self.parts.get(m.group("glued").lower()) if m and m.group("glued") else None

    def _duration_due(self, text: str, now: datetime, holidays: frozenset[date]) -> float | None:
        if self._duration is None:
            return None
        m = self._duration.search(text)
        if not m:
            period = self._period.search(text) if self._period is not None else None
            return now.timestamp() + self.periods[period.group(0).lower()] if period else None
        raw = m.group("n").lower()
        n = int(raw) if raw.isdigit() else self.numbers.get(raw, 1)
        unit = m.group("unit").lower()
        # "within 5 business days", "innerhalb von drei Tagen": by the end of the last day, as a
        # contract counts days (a report sent on the morning of the fifth business day is in time);
        # hours and minutes are counted exactly ("within 24 hours")
        if unit in self.business:
            return _day_end(_add_business_days(now, n, holidays)).timestamp()
        if self.units[unit] % 86_400 == 0:
            return _day_end(now + timedelta(seconds=n * self.units[unit])).timestamp()
        return now.timestamp() + n * self.units[unit]


def _minutes(hour: int, minute: int, suffix: str) -> int | None:
    """Minutes after midnight of a clock time ("24 Uhr" is the day's end); None if it is none."""
    if suffix.startswith("p") and hour < 12:
        hour += 12
    elif suffix.startswith("a") and hour == 12:
        hour = 0
    return hour * 60 + minute if (hour < 24 and minute < 60) or (hour == 24 and minute == 0) else None


def _hhmm(value: str) -> time:
    h, m = value.split(":")
    return time(int(h), int(m))


def _valid(year: int, month: int, day: int) -> date | None:
    """The date, or None where the month lacks the day."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    y = int(raw)
    return y + 2000 if y < 100 else y


def _local(day: date, when: time, zone: tzinfo) -> datetime:
    return datetime.combine(day, when, zone)


def _half_of_day(minutes: int, now: datetime, zone: tzinfo, day: date | None, part: time | None) -> time:
    """A time of the clock face (minutes after 0:00 or 12:00, under 720) in the half of the day that makes
    sense of it: past noon with a day part past noon ("by 8 tonight"); with a day named, past noon for 1
    to 7 ("Friday at 3" is 15:00, "Monday at 9" 09:00); without either, the first after the message."""
    halves = [minutes, minutes + 720]
    if part is not None:
        chosen = halves[-1] if part >= time(12, 0) else halves[0]
    elif day is not None:
        chosen = halves[-1] if 60 <= minutes < 480 else halves[0]
    else:
        def next_at(m: int) -> datetime:
            candidate = _local(now.date(), time(m // 60, m % 60), zone)
            return candidate if candidate > now else _local(now.date() + timedelta(days=1), time(m // 60, m % 60), zone)
        chosen = min(halves, key=next_at)
    return time(chosen // 60, chosen % 60)


def _day_end(moment: datetime) -> datetime:
    """23:59 of the moment's day in its own zone (a day without a time is due at its end)."""
    return _local(moment.date(), _END_OF_DAY, moment.tzinfo or UTC)


def _add_business_days(start: datetime, n: int, holidays: frozenset[date]) -> datetime:
    day = start
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day.date() not in holidays:
            n -= 1
    return day
