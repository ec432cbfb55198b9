"""Bad input gets a located error and nothing is lost; --strict stops at the first."""

import json

import pytest

from pactwatch import PactwatchError, load_events

GOOD = {"id": "e1", "at": "2026-03-02T08:00:00+01:00", "type": "service.suspended", "vendor": "acme", "service": "a.de"}


def write(tmp_path, lines, name="events.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("bad", "code", "field"),
    [
        ("{not json", "event-bad-json", None),
        ({**GOOD, "id": "x", "at": None}, "event-invalid", "at"),
        ({k: v for k, v in GOOD.items() if k != "at"} | {"id": "x"}, "event-invalid", "at"),
        ({**GOOD, "id": "x", "at": "2026-03-02T08:00:00"}, "event-invalid", "at"),
        ({**GOOD, "id": "x", "type": "service.exploded"}, "event-unknown-type", "type"),
        ({**GOOD, "id": "x", "type": "probe", "data": {"check": "http"}}, "event-bad-data", "data.up"),
        ({**GOOD, "id": "x", "type": "probe", "data": {"check": "gopher", "up": False}}, "event-bad-data", "data.check"),
        ({**GOOD, "id": "x", "vendor": None}, "event-invalid", None),
        ({**GOOD, "id": "x", "type": "status.claimed", "data": {"status": "fixed"}}, "event-bad-data", "data.status"),
        ({**GOOD, "id": "x", "colour": "red"}, "event-invalid", "colour"),
        ("[1, 2]", "event-not-object", None),
    ],
)
def test_each_rejection_names_file_line_field_and_reason(tmp_path, bad, code, field):
    path = write(tmp_path, [GOOD, bad])
    loaded = load_events(path)
    assert [e.id for e in loaded] == ["e1"]
    (rej,) = loaded.summary.rejected
    assert (rej.file, rej.line, rej.code) == (str(path), 2, code)
    if field:
        assert rej.field == field and rej.reason
    assert loaded.summary.events_read == 2


def test_a_status_page_s_words_for_a_status_are_read_as_pactwatch_s(tmp_path):
    words = {"monitoring": "degraded", "identified": "investigating", "postmortem": "resolved", "resolved": "resolved"}
    lines = [{**GOOD, "id": f"s{i}", "type": "status.claimed", "data": {"status": word}} for i, word in enumerate(words)]
    loaded = load_events(write(tmp_path, lines), strict=True)
    assert [e.data["status"] for e in loaded] == list(words.values())


def test_strict_stops_at_first_rejection(tmp_path):
    path = write(tmp_path, [GOOD, "{oops"])
    with pytest.raises(PactwatchError) as err:
        load_events(path, strict=True)
    assert f"{path}:2: event-bad-json" in str(err.value)


def test_unknown_types_are_kept_and_counted_when_allowed(tmp_path):
    path = write(tmp_path, [GOOD, {**GOOD, "id": "u", "type": "custom.thing"}])
    loaded = load_events(path, allow_unknown=True)
    assert [e.id for e in loaded] == ["e1", "u"] and loaded.summary.unknown_types == 1


def test_missing_id_is_derived_stably_from_content(tmp_path):
    body = {k: v for k, v in GOOD.items() if k != "id"}
    first = load_events(write(tmp_path, [body], "a.jsonl")).events[0].id
    again = load_events(write(tmp_path, [dict(reversed(body.items()))], "b.jsonl")).events[0].id
    assert first == again and first.startswith("ev-")


def test_files_are_merged_in_event_time_ties_by_id(tmp_path):
    a = write(tmp_path, [{**GOOD, "id": "b", "at": "2026-03-02T09:00:00+01:00"}, {**GOOD, "id": "z", "at": "2026-03-02T10:00:00+01:00"}], "a.jsonl")
    b = write(tmp_path, [{**GOOD, "id": "a", "at": "2026-03-02T09:00:00+01:00"}, {**GOOD, "id": "c", "at": "2026-03-02T07:00:00Z"}], "b.jsonl")
    assert [e.id for e in load_events(a, b)] == ["c", "a", "b", "z"]  # 07:00Z is 08:00+01:00; b.jsonl is out of order


def test_yaml_event_file_reports_the_line_of_the_bad_item(tmp_path):
    path = tmp_path / "timeline.yaml"
    path.write_text(
        "- {id: y1, at: '2026-03-02T08:00:00+01:00', type: notice.sent, vendor: acme, service: a.de, data: {kind: warning}}\n"
        "- {id: y2, at: '2026-03-02T09:00:00+01:00', type: notice.sent, vendor: acme, data: {kind: shouting}}\n",
        encoding="utf-8",
    )
    loaded = load_events(path)
    assert [e.id for e in loaded] == ["y1"]
    assert (loaded.summary.rejected[0].line, loaded.summary.rejected[0].field) == (2, "data.kind")


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(PactwatchError, match="file-not-found"):
        load_events(tmp_path / "nope.jsonl")


@pytest.mark.parametrize("line, expected", [
    ('{"at": "2026-01-01T00:00:00+01:00", "type": "probe"}', 1767222000.0),
    # quoted text that looks like an "at" member is not one
    ('{"at": "2026-01-01T00:00:00+01:00", "text": "x \\"at\\": \\"2020-01-01T00:00:00Z\\""}', 1767222000.0),
    ('{"text": "x \\"at\\": \\"2020-01-01T00:00:00Z\\""}', None),
    # a nested "at" makes two matches: the line is parsed, the envelope's at wins
    ('{"data": {"at": "2020-01-01T00:00:00Z"}, "at": "2026-01-01T00:00:00+01:00"}', 1767222000.0),
    # an escaped key is still the envelope's at, also beside a nested literal one
    ('{"\\u0061t": "2026-01-01T00:00:00+01:00"}', 1767222000.0),
    ('{"\\u0061t": "2026-01-01T00:00:00+01:00", "data": {"at": "2020-01-01T00:00:00Z"}}', 1767222000.0),
    ('{"at": "2026-01-01T00:00:00"}', None),  # no offset: rejected later, not ordered
    # "at" as a value, not a key: the line is parsed
    ('{"data": {"to": "at"}}', None),
    ('{"data": {"to": "at"}, "at": "2026-01-01T00:00:00+01:00"}', 1767222000.0),
    ('{"data": {"to": ["at", "2020-01-01T00:00:00Z"]}, "at": "2026-01-01T00:00:00+01:00"}', 1767222000.0),
    ('not json', None),
])
def test_the_ordering_pass_reads_the_envelope_timestamp(line, expected):
    from pactwatch.ingest.stream import _line_epoch

    assert _line_epoch(line) == expected


def test_a_file_out_of_order_is_sorted(tmp_path):
    lines = [{"id": f"e{i}", "at": f"2026-01-01T0{9 - i}:00:00+00:00", "type": "clock"} for i in range(3)]
    path = tmp_path / "e.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    assert [e.id for e in load_events(path)] == ["e2", "e1", "e0"]


def test_repeated_data_shapes_validate_like_fresh_ones():
    """The validation cache must not change a result: 1, 1.0 and True are equal in Python, not in JSON."""
    from pydantic import ValidationError

    from pactwatch.ingest import records
    from pactwatch.ingest.records import parse_record
    from pactwatch.models.events import DATA_MODELS

    payloads = [("probe", {"check": "http", "up": True}), ("probe", {"check": "http", "up": 1}),
                ("probe", {"check": "http", "up": 1.0}), ("probe", {"check": "http", "up": "maybe"}),
                ("probe", {"check": "http", "up": False, "detail": "503"}),
                ("compensation.offered", {"amount": 1, "kind": "credit"}),
                ("compensation.offered", {"amount": True, "kind": "credit"}),
                ("compensation.offered", {"amount": 1.5, "kind": "credit"})]

    def fresh(kind, data):
        try:
            return DATA_MODELS[kind].model_validate(data).model_dump(mode="json", exclude_none=True)
        except ValidationError:
            return "rejected"

    def cached(kind, data):
        line = json.dumps({"at": "2026-01-01T00:00:00Z", "type": kind, "vendor": "v", "data": data})
        event = parse_record(line, file="x", line=1, allow_unknown=False)[0]
        return event.data if event else "rejected"

    records._DATA_CACHE.clear()
    for _ in range(2):  # the second round answers from the cache
        for kind, data in payloads:
            assert cached(kind, data) == fresh(kind, data), (kind, data)
    assert len(records._DATA_CACHE) == sum(1 for k, d in payloads if fresh(k, d) != "rejected")
    one, two = (cached("probe", {"check": "dns", "up": True}) for _ in range(2))
    assert one == two and one is not two  # no event shares another's dict
