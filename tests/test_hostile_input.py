"""Hostile and broken input: exit 2 with a reason (or the event quarantined), never a traceback, a hang or a flood."""

import json
import subprocess
import sys

import pytest
from conftest import EXAMPLES, ROOT, SANITIZER, pw

HOSTING = EXAMPLES / "hosting-2026"
VENDOR = "webhost-nord"


def _probe(at):
    return {"at": at, "type": "probe", "vendor": VENDOR, "service": "a.de", "data": {"check": "https", "up": False}}


def _check(*args, stdin=None):
    run = pw("check", *args, stdin=stdin)
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    return run


def test_timestamps_at_the_edges_of_the_calendar_are_quarantined(tmp_path):
    events = tmp_path / "edges.jsonl"
    events.write_text("".join(json.dumps(_probe(at)) + "\n" for at in
                              ("0001-01-01T00:00:00+01:00", "9999-12-31T23:59:00-12:00", "2026-03-02T08:00:00+01:00")))
    run = _check(events, "-c", HOSTING / "contract.yaml", "-f", "json")
    report = json.loads(run.stdout)
    assert [r["line"] for r in report["input"]["rejected"]] == [1, 2] and report["input"]["events_accepted"] == 1
    assert "year 1 is outside 1970-2999" in run.stderr


def test_a_date_without_a_time_in_yaml_says_so(tmp_path):
    timeline = tmp_path / "timeline.yaml"
    timeline.write_text(f"- at: 2026-03-02\n  type: probe\n  vendor: {VENDOR}\n  service: a.de\n"
                        "  data: {check: https, up: false}\n")
    run = _check(timeline, "-c", HOSTING / "contract.yaml")
    assert "timeline.yaml:1: event-invalid" in run.stderr and "date without a time" in run.stderr


def test_stdin_that_is_not_utf8_or_has_no_line_ends(tmp_path):
    bad = subprocess.run([sys.executable, "-m", "pactwatch.cli", "check", "-", "-c", str(HOSTING / "contract.yaml")],
                         input=b"\xff\xfe{", capture_output=True, cwd=ROOT, env={"PATH": "/usr/bin:/bin", **SANITIZER})
    assert bad.returncode == 0 and b"<stdin>:1: event-not-utf8: not UTF-8 text: byte 0xff" in bad.stderr
    assert b"Traceback" not in bad.stderr
    huge = _check("-", "-c", HOSTING / "contract.yaml", "-f", "json", stdin="\0" * (17 * 2**20))
    assert "event-too-large" in huge.stderr and json.loads(huge.stdout)["input"]["rejected"][0]["code"] == "event-too-large"


def test_yaml_bombs_and_depths_are_refused_quickly(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n")
    deep = tmp_path / "deep.yaml"
    deep.write_text("[" * 10_000 + "]" * 10_000 + "\n")
    contract_bomb = tmp_path / "contract.yaml"
    contract_bomb.write_text((HOSTING / "contract.yaml").read_text(encoding="utf-8") + "\n".join(
        f"x{line}" for line in lines) + "\n")
    for args, reason in (((bomb, "-c", HOSTING / "contract.yaml"), "alias bomb"),
                         ((deep, "-c", HOSTING / "contract.yaml"), "nested too deeply"),
                         ((HOSTING / "events.jsonl", "-c", contract_bomb), "alias bomb")):
        run = _check(*args)
        assert run.returncode == 2 and reason in run.stderr


def test_a_device_is_not_a_contract_or_an_events_file():
    for args in (("check", HOSTING / "events.jsonl", "-c", "/dev/zero"), ("check", "/dev/zero", "-c", HOSTING / "contract.yaml"),
                 ("validate", "/dev/zero")):
        run = pw(*args)
        assert run.returncode == 2 and "not a regular file" in run.stderr, run.stderr


def test_the_python_api_checks_data_as_the_cli_does(library):
    import pytest
    from pydantic import ValidationError

    from conftest import contract, event
    from pactwatch import Evaluator
    from pactwatch.models.events import Event

    with pytest.raises(ValidationError, match="up"):
        Event(**event(0, "probe", service="a.de", data={"check": "https"}))
    with pytest.raises(ValidationError, match="check"):
        Event(**event(0, "probe", service="a.de", data={"check": "carrier-pigeon", "up": False}))
    raws = [event(0, "probe", service="a.de", data={"check": "https", "up": "false"}),
            event(30, "probe", service="a.de", data={"check": "https", "up": "true"})]
    api = Evaluator(library, contract()).run_events([Event(**r) for r in raws])
    from conftest import evaluate_raw

    cli_like = evaluate_raw(library, raws)
    assert [v.id for v in api.violations] == [v.id for v in cli_like.violations] and api.violations


def test_a_log_file_that_cannot_be_written_is_a_usage_error(tmp_path):
    for target, reason in ((tmp_path, "Is a directory"), (tmp_path / "no" / "audit.log", "No such file")):
        run = _check(HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", "--log-file", target)
        assert run.returncode == 2 and "output-not-writable" in run.stderr and reason in run.stderr


def test_duplicate_keys_are_rejected_in_json_lines_and_in_yaml(tmp_path):
    events = tmp_path / "dup.jsonl"
    good = json.dumps(_probe("2026-03-02T08:00:00+01:00"))
    # the same key twice in one object; the same name in two different objects is fine
    events.write_text(good[:-1] + ', "type": "clock"}\n'
                      + json.dumps({**_probe("2026-03-02T08:05:00+01:00"), "data": {"check": "https", "up": False,
                                                                                  "detail": "service: down"}}) + "\n",
                      encoding="utf-8")
    run = _check(events, "--contract", HOSTING / "contract.yaml", "--format", "json")
    report = json.loads(run.stdout)
    assert report["input"]["events_accepted"] == 1
    assert [(r["line"], r["code"]) for r in report["input"]["rejected"]] == [(1, "event-duplicate-key")]
    assert "'type' appears twice" in str(report["input"]["rejected"][0])

    contract = tmp_path / "contract.yaml"
    contract.write_text((HOSTING / "contract.yaml").read_text(encoding="utf-8") + "timezone: UTC\n", encoding="utf-8")
    run = _check(events, "--contract", contract)
    assert run.returncode == 2 and "contract.yaml:" in run.stderr and "'timezone' appears twice" in run.stderr


def _mail(tmp_path, name, date, extra=""):
    path = tmp_path / name
    path.write_bytes(f"From: support@hoster.example\nTo: a@agentur.example\nDate: {date}\nMessage-ID: <{name}@x>\n"
                     f"Subject: Status\n{extra}\nDer Server ist wieder erreichbar.\n".encode())
    return path


def test_mails_with_impossible_dates_or_unknown_charsets_are_skipped_or_read_with_a_note(tmp_path):
    case = tmp_path / "case"
    assert pw("case", "init", case, "--template", "hosting-de").returncode == 0
    far = _mail(tmp_path, "far.eml", "Mon, 2 Mar 99999999999 08:00:00 +0100")
    edge = _mail(tmp_path, "edge.eml", "Tue, 31 Dec 2999 23:00:00 -1200")  # year 3000 in UTC
    odd = _mail(tmp_path, "odd.eml", "Mon, 2 Mar 2026 08:00:00 +0100", "Content-Type: text/plain; charset=x-unknown-zz\n")
    run = pw("import", "mail", far, edge, odd, "--case", case, "--vendor-domain", "hoster.example")
    assert run.returncode == 0 and "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    assert "imported 1, skipped 2" in run.stdout
    assert "mail-charset-unknown" in run.stderr and "year 3000 is outside" in run.stderr
    [event] = [json.loads(line) for line in (case / "events" / "mail.jsonl").read_text(encoding="utf-8").splitlines()]
    assert event["text"] == "Der Server ist wieder erreichbar."
    assert _check(case).returncode in (0, 1)


@pytest.mark.parametrize("fmt, body", [
    ("generic", "null"), ("generic", "[1, 2]"), ("generic", '{"rows": 5}'), ("generic", "[[[[[[[[" * 20_000),
    ("generic", '[{"timestamp": 99999999999999, "up": true}]'), ("generic", '[{"timestamp": 1e300, "up": true}]'),
    ("generic", '[{"timestamp": 1700000000, "up": true, "service": ["x"]}]'),
    ("pingdom", "[]"), ("pingdom", '{"results": 5}'), ("pingdom", '{"results": [1, {"time": 1e300, "status": "up"}]}'),
    ("uptimerobot", "null"), ("uptimerobot", '{"monitors": {"a": 1}}'),
    ("uptimerobot", '{"monitors": [1, {"logs": 5}, {"logs": [1, {"type": 1, "datetime": "x", "reason": 5}]}]}'),
])
def test_malformed_probe_exports_exit_2_with_a_reason(tmp_path, fmt, body):
    case = tmp_path / "case"
    assert pw("case", "init", case, "--template", "hosting-de").returncode == 0
    export = tmp_path / "export.json"
    export.write_text(body, encoding="utf-8")
    run = pw("import", "probes", export, "--case", case, "--format", fmt, "--service", "www.kunde-a.de")
    assert run.returncode == 2 and "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    assert "export.json" in run.stderr


def test_a_line_that_is_not_utf8_is_quarantined_with_its_line_and_the_rest_is_read(tmp_path):
    events = tmp_path / "latin1.jsonl"
    lines = [json.dumps(_probe("2026-03-02T08:00:00+01:00")).encode(),
             json.dumps({**_probe("2026-03-02T08:05:00+01:00"), "text": "caf\u00e9"}).encode().replace(b"\\u00e9", b"\xe9"),
             json.dumps(_probe("2026-03-02T08:10:00+01:00")).encode()]
    events.write_bytes(b"\n".join(lines) + b"\n")
    report = json.loads(_check(events, "--contract", HOSTING / "contract.yaml", "--format", "json").stdout)
    assert report["input"]["events_accepted"] == 2
    [rejected] = report["input"]["rejected"]
    assert (rejected["line"], rejected["code"]) == (2, "event-not-utf8") and "0xe9" in str(rejected)


def test_an_internal_fault_exits_3_with_one_line_and_the_traceback_kept_in_a_file(monkeypatch, capsys, tmp_path):
    import re
    import tempfile

    from pactwatch.cli import main

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the kept traceback goes where the test cleans up

    def broken(**_):
        raise RuntimeError("a bug")

    monkeypatch.setattr(main, "app", broken)
    with pytest.raises(SystemExit) as stopped:
        main.run()
    assert stopped.value.code == 3
    said = capsys.readouterr().err
    assert "internal error: RuntimeError: a bug" in said and "Traceback" not in said
    kept = re.search(r"traceback is in (\S+\.txt)", said.replace("\n", ""))
    from pathlib import Path

    assert kept and Path(kept.group(1)).parent == tmp_path
    assert "RuntimeError: a bug" in Path(kept.group(1)).read_text(encoding="utf-8")


def test_a_byte_order_mark_before_the_first_line_is_no_part_of_it(tmp_path):
    """Notepad, Excel and PowerShell write a byte order mark before a UTF-8 file's first line; the example's
    first line is the suspension without notice, which was quarantined as "not valid JSON". From a file and
    from stdin it is read; further down a file, the mark is no file's start and its line is rejected."""
    plain = (HOSTING / "events.jsonl").read_text(encoding="utf-8")
    marked = tmp_path / "marked.jsonl"
    marked.write_text("\ufeff" + plain, encoding="utf-8")
    expected = json.loads(_check(HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", "-f", "json").stdout)
    for args, stdin in (((marked,), None), (("-",), "\ufeff" + plain)):
        report = json.loads(_check(*args, "-c", HOSTING / "contract.yaml", "-f", "json", stdin=stdin).stdout)
        assert report["input"]["rejected"] == [] and report["input"]["events_accepted"] == 40
        assert report["violations"] == expected["violations"]
    lines = plain.splitlines()
    joined = tmp_path / "joined.jsonl"
    joined.write_text("\n".join([lines[0], "\ufeff" + lines[1], *lines[2:]]) + "\n", encoding="utf-8")
    report = json.loads(_check(joined, "-c", HOSTING / "contract.yaml", "-f", "json").stdout)
    assert [(r["line"], r["code"]) for r in report["input"]["rejected"]] == [(2, "event-bad-json")]
