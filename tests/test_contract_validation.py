"""Contracts a lawyer would reject are rejected: exit 2, file, line and field, never silently accepted."""

import pytest
from conftest import pw

BASE = """id: C-1
vendor: acme
customer: Kunde GmbH
currency: EUR
monthly_fee: {fee}
timezone: Europe/Berlin
clauses:
  - id: "§3.1"
    title: Verfügbarkeit
    covers: [availability]
    params: {{target_percent: {target}}}
  - id: "{second_id}"
    title: Sperrung
    covers: [suspension_notice]
    params: {{notice_hours: {notice}}}
  - id: "§3.2"
    title: Gutschriften
    covers: [service_credits]
    params:
      tiers: {tiers}
"""
GOOD = {"fee": 49.9, "target": 99.9, "second_id": "§5.1", "notice": 24,
        "tiers": "[{below_percent: 99.9, credit_percent: 10}, {below_percent: 99.0, credit_percent: 25}]"}


def validate(tmp_path, **changes):
    path = tmp_path / "contract.yaml"
    path.write_text(BASE.format(**{**GOOD, **changes}), encoding="utf-8")
    return pw("validate", path)


def test_a_sound_contract_passes(tmp_path):
    run = validate(tmp_path)
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize(("change", "line", "words"), [
    ({"second_id": "§3.1"}, 12, "used twice"),
    ({"target": 150}, 11, "less than or equal to 100"),
    ({"target": 0}, 11, "greater than 0"),
    ({"notice": "true"}, 15, "notice_hours"),
    ({"notice": '"24"'}, 15, "notice_hours"),
    ({"fee": ".inf"}, 5, "monthly_fee"),
    ({"fee": "-1"}, 5, "monthly_fee"),
    ({"tiers": "[{below_percent: 99.9, credit_percent: 25}, {below_percent: 99.0, credit_percent: 10}]"}, 20, "contradict"),
    ({"tiers": "[{below_percent: 99.0, credit_percent: 10}, {below_percent: 99.0, credit_percent: 25}]"}, 20, "same below_percent"),
])
def test_a_contract_that_contradicts_itself_or_its_units_is_an_input_error(tmp_path, change, line, words):
    run = validate(tmp_path, **change)
    assert run.returncode == 2, (change, run.stdout, run.stderr)
    assert f"contract.yaml:{line}" in run.stderr and words in run.stderr, run.stderr
    assert "Traceback" not in run.stderr


def test_events_of_another_vendor_than_the_contracts_stop_check_and_letter(tmp_path):
    from conftest import EXAMPLES

    hosting = EXAMPLES / "hosting-2026"
    other = tmp_path / "contract.yaml"
    other.write_text((hosting / "contract.yaml").read_text(encoding="utf-8").replace("vendor: webhost-nord",
                                                                                     "vendor: another-host"), encoding="utf-8")
    assert "vendor: another-host" in other.read_text(encoding="utf-8")
    for command in ("check", "letter"):
        run = pw(command, hosting / "events.jsonl", "--contract", other)
        assert run.returncode == 2, (command, run.stderr)
        assert "vendor-mismatch" in run.stderr and "'webhost-nord'" in run.stderr and "'another-host'" in run.stderr
        assert f"{other}:" in run.stderr and "Traceback" not in run.stderr and not run.stdout
    allowed = pw("check", hosting / "events.jsonl", "--contract", other, "--allow-vendor-mismatch")
    assert allowed.returncode == 1 and "violations" in allowed.stdout


@pytest.mark.parametrize("zone", ["Mars/Olympus", "ß" * 300, "..", "/etc/passwd"])
def test_an_unknown_timezone_is_an_input_error_whatever_its_name(zone):
    """With the tzdata package installed (pandas brings it), a long name was an OSError from the file lookup."""
    from pydantic import ValidationError

    from pactwatch.models.contract import Contract

    with pytest.raises(ValidationError, match="unknown IANA timezone"):
        Contract.model_validate({"id": "C", "vendor": "v", "customer": "c", "currency": "EUR", "monthly_fee": 1,
                                 "timezone": zone, "clauses": []})
