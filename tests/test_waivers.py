"""Contract waivers: switched-off or re-rated findings stay in the report, marked."""

import json

from conftest import EXAMPLES, clause, contract, evaluate_raw, event
from test_cli import pw

from pactwatch.models.contract import Waiver


def _suspension():
    return [event(0, "service.suspended", actor="vendor", service="a.de"),
            event(1, "message.sent", actor="vendor", text="We apologise.", data={"kind": "reply"}),
            event(2, "service.restored", actor="vendor", service="a.de")]


def test_waiver_off_marks_the_finding_and_removes_it_from_the_counts(library):
    c = contract(clause("§5.1", "suspension_notice"), clause("§3", "availability", target_percent=99.0),
                 waivers=[Waiver(rule="suspension-without-notice", severity="off", justification="emergency, agreed by phone")])
    report = evaluate_raw(library, _suspension(), c)
    (v,) = [v for v in report.violations if v.rule == "suspension-without-notice"]
    assert v.waived is not None and v.waived.justification == "emergency, agreed by phone"
    assert report.counts["waived"] == 1 and report.counts["high"] == 0


def test_severity_waiver_changes_the_level_and_keeps_the_old_one(library):
    c = contract(waivers=[Waiver(rule="suspension-without-notice", severity="low", justification="small site")])
    v = next(v for v in evaluate_raw(library, _suspension(), c).violations if v.rule == "suspension-without-notice")
    assert (v.severity, v.waived.severity_was) == ("low", "high")


def test_expired_waiver_no_longer_applies(library):
    from datetime import date

    c = contract(waivers=[Waiver(rule="suspension-without-notice", severity="off", justification="trial",
                                 expires=date(2026, 3, 1))])
    v = next(v for v in evaluate_raw(library, _suspension(), c).violations if v.rule == "suspension-without-notice")
    assert v.waived is None


def test_cli_exit_0_when_every_finding_is_waived_off(tmp_path):
    source = (EXAMPLES / "hosting-2026" / "contract.yaml").read_text(encoding="utf-8")
    rules = json.loads(pw("check", EXAMPLES / "hosting-2026" / "events.jsonl", "-c", EXAMPLES / "hosting-2026" / "contract.yaml",
                          "-f", "json").stdout)["violations"]
    waivers = "waivers:\n" + "".join(f"  - {{rule: {r}, severity: 'off', justification: settled}}\n"
                                     for r in sorted({v['rule'] for v in rules}))
    path = tmp_path / "contract.yaml"
    path.write_text(source + waivers, encoding="utf-8")
    run = pw("check", EXAMPLES / "hosting-2026" / "events.jsonl", "-c", path)
    assert run.returncode == 0, run.stdout
    assert "waived (settled)" in run.stdout


def test_waiver_for_an_unknown_rule_is_rejected(tmp_path):
    path = tmp_path / "contract.yaml"
    path.write_text((EXAMPLES / "hosting-2026" / "contract.yaml").read_text(encoding="utf-8")
                    + "waivers:\n  - {rule: no-such-rule, severity: 'off', justification: x}\n", encoding="utf-8")
    run = pw("validate", path)
    assert run.returncode == 2 and "contract-unknown-rule" in run.stderr
