"""Business time on the contract's calendar: working days, working hours, public holidays.

Support contracts count "4 business hours" and "2 Werktage", not clock hours. The calendar
is the contract's (``calendar:`` block; default Monday to Friday, 09:00 to 17:00, no public
holidays); public holidays come from the maintained ``holidays`` package by country and
region, plus any extra days the contract lists. All arithmetic is in the contract's
timezone, so a DST switch changes the clock, not the count.

Conventions (docs/contracts.md):
- N business hours run only inside working hours of working days; from a time outside them,
  the count starts at the next opening.
- N business days keep the time of day and skip non-working days: 2 business days from
  Friday 15:00 are Tuesday 15:00 (Wednesday, if Monday is a public holiday).
- Going back (a notice due "2 Werktage" before) mirrors both.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays as holiday_tables

__all__ = ["BusinessCalendar", "DAY_NAMES"]

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MAX_DAYS = 3660  # ten years of calendar: a calendar with no working day at all would loop forever


@dataclass(frozen=True)
class BusinessCalendar:
    tz: str
    working_days: frozenset[int] = frozenset(range(5))
    opens: time = time(9, 0)
    closes: time = time(17, 0)
    country: str | None = None
    subdivision: str | None = None
    extra_holidays: frozenset[date] = frozenset()

    @functools.cached_property
    def _zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @functools.cached_property
    def _public(self) -> Any:
        if self.country is None:
            return {}
        return holiday_tables.country_holidays(self.country, subdiv=self.subdivision)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.working_days and day not in self.extra_holidays and day not in self._public

    def _at(self, day: date, clock: time) -> float:
        return datetime.combine(day, clock, self._zone).timestamp()

    def add(self, epoch: float, amount: float, unit: str, sign: int = 1) -> float:
        """``epoch`` plus (sign 1) or minus (sign -1) ``amount`` business hours or days."""
        return self._days(epoch, amount, sign) if unit == "days" else self._hours(epoch, amount * 3600, sign)

    def _days(self, epoch: float, amount: float, sign: int) -> float:
        start = datetime.fromtimestamp(epoch, self._zone)
        whole, frac = divmod(amount, 1)
        day, left, steps = start.date(), int(whole), 0
        while left > 0:
            day += timedelta(days=sign)
            steps += 1
            if steps > _MAX_DAYS:
                raise ValueError("the contract calendar has no working days")
            if self.is_working_day(day):
                left -= 1
        moved = datetime.combine(day, start.time().replace(tzinfo=None), self._zone).timestamp()
        return self._hours(moved, frac * self._day_seconds(), sign) if frac else moved

    def _day_seconds(self) -> float:
        return (datetime.combine(date(2000, 1, 3), self.closes) - datetime.combine(date(2000, 1, 3), self.opens)).total_seconds()

    def _hours(self, epoch: float, seconds: float, sign: int) -> float:
        cursor = datetime.fromtimestamp(epoch, self._zone)
        day, left, steps = cursor.date(), seconds, 0
        while True:
            if self.is_working_day(day):
                lo, hi = self._at(day, self.opens), self._at(day, self.closes)
                if sign > 0:
                    begin = max(lo, epoch) if day == cursor.date() else lo
                    if begin < hi:
                        if begin + left <= hi:
                            return begin + left
                        left -= hi - begin
                else:
                    end = min(hi, epoch) if day == cursor.date() else hi
                    if end > lo:
                        if end - left >= lo:
                            return end - left
                        left -= end - lo
            day += timedelta(days=sign)
            steps += 1
            if steps > _MAX_DAYS:
                raise ValueError("the contract calendar has no working hours")

    @classmethod
    def of(cls, tz: str, spec: Any = None) -> BusinessCalendar:
        """From a contract's ``calendar`` block (a :class:`pactwatch.models.contract.Calendar`) or the default."""
        if spec is None:
            return cls(tz)
        return cls(tz, working_days=frozenset(DAY_NAMES.index(d) for d in spec.working_days),
                   opens=spec.hours.opens, closes=spec.hours.closes, country=spec.country,
                   subdivision=spec.subdivision, extra_holidays=frozenset(spec.extra_holidays))
