"""Events tables: times as people write them, data as key=value pairs."""

import pytest

from pactwatch.policy.timeline import TimelineError, parse_data, rows_to_events


def test_weekdays_relative_and_absolute_times():
    table = [["at", "type"], ["Monday 07:40", "a"], ["+2h", "b"], ["Dienstag 20:48", "c"], ["+30m", "d"],
             ["next Monday 07:55", "e"], ["2026-03-20 10:00", "f"], ["2026-03-21T10:00:00Z", "g"]]
    ats = [e["at"] for e in rows_to_events(table, tz="Europe/Berlin", vendor="v")]
    assert ats == ["2026-03-02T07:40:00+01:00", "2026-03-02T09:40:00+01:00", "2026-03-03T20:48:00+01:00",
                   "2026-03-03T21:18:00+01:00", "2026-03-09T07:55:00+01:00", "2026-03-20T10:00:00+01:00",
                   "2026-03-21T10:00:00+00:00"]


def test_german_columns_and_actors():
    table = [["Zeit", "Typ", "Dienst", "Akteur", "Daten"], ["Montag 07:55", "probe", "a.de", "Monitor", "check=https, up=false"]]
    (event,) = rows_to_events(table, tz="Europe/Berlin", vendor="v")
    assert event["actor"] == "monitor" and event["service"] == "a.de"
    assert event["data"] == {"check": "https", "up": False}


def test_data_lists_numbers_and_strings():
    assert parse_data("host=srv-1, services=[a.de, b.de], amount=4.99, n=3") == {
        "host": "srv-1", "services": ["a.de", "b.de"], "amount": 4.99, "n": 3}


@pytest.mark.parametrize(("table", "message"), [
    ([["at", "type"], ["+2h", "a"]], "needs an earlier row"),
    ([["at", "type"], ["Caturday 07:00", "a"]], "unknown weekday"),
    ([["at", "type"], ["soon", "a"]], "not a time"),
    ([["at", "colour"], ["Monday 07:00", "a"]], "unknown column"),
    ([["at", "type", "data"], ["Monday 07:00", "a", "kind warning"]], "key=value"),
])
def test_bad_cells_say_which_row_and_why(table, message):
    with pytest.raises(TimelineError, match=message):
        rows_to_events(table, tz="Europe/Berlin", vendor="v")
