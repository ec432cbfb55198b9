"""The command line as a user sees it: exit codes, output, no tracebacks."""

import json

from conftest import EXAMPLES, pw

HOSTING = EXAMPLES / "hosting-2026"
CLEAN = EXAMPLES / "hosting-clean"
HEADLINE = ["suspension-without-notice", "untested-hardware-change", "false-resolution-claim", "no-apology"]
#: What the hosting story supports (see examples/hosting-2026 and the seed account).
HOSTING_RULES = {*HEADLINE, "availability-breach", "collateral-outage", "support-referral", "deflection", "no-compensation",
                 "restoration-overdue", "missed-commitment", "unverified-resolution-claim"}



def test_hosting_example_reports_the_four_headline_violations_with_clauses_and_remedies():
    run = pw("check", HOSTING / "events.jsonl", "--contract", HOSTING / "contract.yaml", "--format", "json")
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    fired = [v["rule"] for v in report["violations"]]
    assert set(fired) == HOSTING_RULES and len(fired) == len(HOSTING_RULES)
    clauses = {v["rule"]: [c["id"] for c in v["clauses"]] for v in report["violations"]}
    assert {r: clauses[r] for r in HEADLINE} == {"suspension-without-notice": ["§5.1"], "untested-hardware-change": ["§6.2"],
                                                 "false-resolution-claim": ["§7.3"], "no-apology": ["§9.1"]}
    assert all(v["remedies"] for v in report["violations"])
    by_rule = {v["rule"]: v for v in report["violations"]}
    assert by_rule["collateral-outage"]["services"] == ["www.kunde-b.de", "www.kunde-c.de"]
    credit = next(r for r in by_rule["availability-breach"]["remedies"] if r["kind"] == "service_credit")
    assert (credit["amount"], credit["currency"]) == ("49.90", "EUR")  # exact, as a string
    assert clauses["availability-breach"] == ["§3.1", "§3.2"]
    assert "nur Bedauern" in by_rule["no-apology"]["summary"]  # German contract: German texts
    # The complaint's answer is not yet due; nor is an offer of the March credit (14 days).
    assert [(p["rule"], p["trigger"]) for p in report["pending"]] == [
        ("complaint-response-late", "m12"), ("no-compensation", "availability:mail.kunde-a.de:2026-03")]
    assert [(a["service"], a["percent"]) for a in report["availability"]] == [
        ("mail.kunde-a.de", 93.753), ("www.kunde-a.de", 90.915), ("www.kunde-b.de", 93.753), ("www.kunde-c.de", 93.753)]
    false_claim = by_rule["false-resolution-claim"]
    assert "wieder voll erreichbar" in false_claim["summary"]
    assert {"p09", "p13", "p14"} <= {e["event"] for e in false_claim["evidence"]}
    assert report["input"]["events_accepted"] == 40 and report["input"]["rejected"] == []


def test_text_output_is_readable():
    run = pw("check", HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml")
    assert run.returncode == 1
    assert "12 violations (critical 1, high 6, medium 4, low 1)" in run.stdout
    assert "clause: §5.1 Sperrung nur nach Vorankündigung" in run.stdout


def test_clean_example_has_no_violations_and_exits_0():
    run = pw("check", CLEAN / "events.jsonl", "--contract", CLEAN / "contract.yaml", "--format", "json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["violations"] == []


def test_bad_line_is_reported_and_run_goes_on(tmp_path):
    events = tmp_path / "e.jsonl"
    events.write_text((HOSTING / "events.jsonl").read_text(encoding="utf-8") + '{"at": "yesterday"}\n', encoding="utf-8")
    run = pw("check", events, "-c", HOSTING / "contract.yaml", "-f", "json")
    assert run.returncode == 1
    assert f"{events}:41: event-invalid" in run.stderr and "Traceback" not in run.stderr
    assert len(json.loads(run.stdout)["input"]["rejected"]) == 1


def test_strict_exits_2_without_traceback(tmp_path):
    events = tmp_path / "e.jsonl"
    events.write_text('{"at": "2026-03-02T08:00:00+01:00", "type": "probe", "vendor": "v"}\n', encoding="utf-8")
    run = pw("check", events, "-c", HOSTING / "contract.yaml", "--strict")
    assert run.returncode == 2
    assert f"{events}:1: event-bad-data: data.check: is required" in run.stderr
    assert "Traceback" not in run.stderr


def test_malformed_contract_names_path_and_line(tmp_path):
    bad = tmp_path / "c.yaml"
    bad.write_text((HOSTING / "contract.yaml").read_text(encoding="utf-8").replace("notice_hours: 24", "notice_hours: soon"),
                   encoding="utf-8")
    run = pw("check", HOSTING / "events.jsonl", "-c", bad)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "contract-bad-param" in run.stderr and "clauses.0.params.notice_hours" in run.stderr
    assert f"{bad}:17: contract-bad-param" in run.stderr  # the line of the params mapping


def test_stdin_and_output_file(tmp_path):
    out = tmp_path / "report.json"
    run = pw("check", "-", "-c", CLEAN / "contract.yaml", "-f", "json", "-o", out,
             stdin=(CLEAN / "events.jsonl").read_text(encoding="utf-8"))
    assert run.returncode == 0 and run.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["input"]["files"][0]["path"] == "<stdin>"


def test_audit_log_is_json_lines_with_ruleset_hash(tmp_path):
    log = tmp_path / "audit.jsonl"
    pw("check", HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", "--log-file", log)
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    kinds = [e["event"] for e in entries]
    assert kinds[0] == "run.started" and entries[0]["ruleset_hash"].startswith("sha256:")
    assert kinds.count("violation.emitted") == 12 and "events.ingested" in kinds and "rule.fired" in kinds
    # every decision leaves a record: one per outcome of the report, met ones too
    report = json.loads(pw("check", HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", "--format", "json").stdout)
    decided = [{k: v for k, v in e.items() if k in ("rule", "vendor", "incident", "service", "status", "reason", "violation", "due")}
               for e in entries if e["event"] == "rule.decided"]
    assert decided == [{k: v for k, v in o.items() if v is not None} for o in report["outcomes"]]
    assert {"violated", "met"} <= {d["status"] for d in decided}


def test_rules_list_show_validate_schema():
    listing = pw("rules", "list")
    assert listing.returncode == 0 and all(r in listing.stdout for r in HEADLINE)
    show = pw("rules", "show", "no-apology", "--format", "json")
    assert json.loads(show.stdout)["default_params"] == {"within_hours": 72.0}
    page = pw("rules", "show", "no-apology").stdout
    assert "no-apology — No apology for customer impact" in page and "within_hours" in page and "{" not in page[:200]
    assert pw("rules", "show", "nope").returncode == 2
    ok = pw("validate", HOSTING / "events.jsonl", HOSTING / "contract.yaml")
    assert ok.returncode == 0 and "40 events" in ok.stderr and "contract" in ok.stderr
    for kind in ("events", "contract", "report"):
        schema = pw("schema", kind)
        assert schema.returncode == 0 and json.loads(schema.stdout)["type"] == "object"
    assert "suspension_notice" in json.loads(pw("schema", "contract").stdout)["x-concepts"]


def test_usage_error_exits_2():
    assert pw("check", HOSTING / "events.jsonl").returncode == 2
    assert pw("schema", "nonsense").returncode == 2


def test_english_contract_gets_english_texts(tmp_path):
    contract = tmp_path / "contract.yaml"
    contract.write_text((HOSTING / "contract.yaml").read_text(encoding="utf-8").replace("language: de", "language: en"),
                        encoding="utf-8")
    report = json.loads(pw("check", HOSTING / "events.jsonl", "-c", contract, "-f", "json").stdout)
    by_rule = {v["rule"]: v for v in report["violations"]}
    assert by_rule["no-apology"]["title"] == "No apology for customer impact"
    assert "regret only" in by_rule["no-apology"]["summary"] and "Thu 5 March 2026, 08:20 CET" in by_rule["no-apology"]["summary"]
    assert by_rule["suspension-without-notice"]["remedies"][0]["text"] == "Reinstate www.kunde-a.de immediately."


def test_output_file_is_announced_and_never_an_input(tmp_path):
    report = tmp_path / "report.md"
    run = pw("check", HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", "-f", "md", "-o", report)
    assert run.returncode == 1 and f"wrote {report}" in run.stderr and report.read_text(encoding="utf-8").startswith("#")
    events = tmp_path / "events.jsonl"
    events.write_bytes((HOSTING / "events.jsonl").read_bytes())
    same = pw("check", events, "-c", HOSTING / "contract.yaml", "-o", events)
    assert same.returncode == 2 and "output-is-input" in same.stderr
    assert events.read_bytes() == (HOSTING / "events.jsonl").read_bytes()
    folder = pw("check", HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", "-o", tmp_path)
    missing = pw("check", HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", "-o", tmp_path / "no" / "r.md")
    assert folder.returncode == missing.returncode == 2 and "is a folder" in folder.stderr and "does not exist" in missing.stderr
    letter = pw("letter", HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", "-o", HOSTING / "contract.yaml")
    assert letter.returncode == 2 and "output-is-input" in letter.stderr


def test_a_folder_that_is_not_a_case_folder_says_what_it_lacks(tmp_path):
    (tmp_path / "events").mkdir()
    for command in ("check", "validate"):
        run = pw(command, tmp_path)
        assert run.returncode == 2 and "not-a-case-folder" in run.stderr and "no contract.yaml" in run.stderr


def test_rules_docs_needs_an_output_folder(tmp_path):
    assert pw("rules", "docs").returncode == 2
    run = pw("rules", "docs", "-o", tmp_path / "pages")
    assert run.returncode == 0 and (tmp_path / "pages" / "index.md").is_file()


def test_help_names_what_to_type_not_python_types():
    import re

    from typer.main import get_command

    from pactwatch.cli.main import app

    def commands(group, path=()):
        for name, cmd in sorted(getattr(group, "commands", {}).items()):
            yield (*path, name)
            yield from commands(cmd, (*path, name))

    for path in [(), *commands(get_command(app))]:
        run = pw(*path, "--help")
        assert run.returncode == 0, (path, run.stderr)
        python_types = re.findall(r"<(?:list\[|bool|str|int|float|path|Path)[^>]*>", run.stdout)
        assert not python_types, (path, python_types)


def test_events_without_the_incident_others_name_are_pointed_out(tmp_path):
    """A phone note written without the case's incident id is a case of its own: said on stderr."""
    events = tmp_path / "events.jsonl"
    lines = (HOSTING / "events.jsonl").read_text(encoding="utf-8").splitlines()
    loose = json.loads(lines[-2])
    loose.pop("incident", None)
    loose["id"] = "phone-note"
    events.write_text("\n".join([*lines, json.dumps(loose)]) + "\n", encoding="utf-8")
    run = pw("check", events, "-c", HOSTING / "contract.yaml", "-f", "json")
    assert run.returncode == 1 and "name no incident (first: phone-note)" in " ".join(run.stderr.split())
    clean = pw("check", HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", "-f", "json")
    assert "name no incident" not in clean.stderr


def test_output_to_a_pipe_or_device_is_written_through_never_replaced(tmp_path):
    """`-o /dev/null` or a FIFO: the report goes into it, and it stays what it was (an atomic rename
    would put a plain file in place of the device; run as root, in place of /dev/null)."""
    import os
    import stat
    import threading

    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    run = pw("check", HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", "-f", "md", "-o", fifo)
    reader.join(timeout=60)
    if reader.is_alive():  # never opened by the writer: release the reader before failing
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert run.returncode == 1, run.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode), "the pipe was replaced by a file"
    assert got and got[0].startswith(b"#")


def test_an_added_lexicon_adds_phrases_and_refuses_keys_it_cannot_add(tmp_path):
    """`--lexicon FILE` adds entries to the bundled lexicon of its language; a key the merge does not
    take (spellings, hedges, salutations …) used to be dropped without a word."""
    from pactwatch import load_rules

    added = tmp_path / "mine.yaml"
    added.write_text("lang: de\ncategories:\n  apology:\n    checks: [negation]\n    entries:\n"
                     "      - {id: my-asche, pattern: \"\\\\basche auf unser haupt\\\\b\"}\n", encoding="utf-8")
    analysis = load_rules(extra_lexicons=[added]).analyzer().analyze("Asche auf unser Haupt.", "de")
    assert [(f.category, f.entry) for f in analysis.findings if f.reader == "lexicon"] == [("apology", "my-asche")]

    added.write_text(added.read_text(encoding="utf-8") + "spellings: {wida: wieder}\n", encoding="utf-8")
    run = pw("check", HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", "--lexicon", added)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert f"{added}:7: lexicon-invalid" in run.stderr and "'spellings' would be ignored" in run.stderr
