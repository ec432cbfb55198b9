"""`pactwatch policy test|render|coverage` on a policy folder kept outside the project."""

import json
import xml.etree.ElementTree as ET

from conftest import ROOT
from test_cli import pw

FEATURE = """\
@rule:suspension-without-notice
Feature: Notice before suspension

  Background:
    Given a contract with clause "§5.1" "Notice" covering suspension_notice with notice_hours 24

  @clause:§5.1
  Scenario: Suspended without warning
    Given these events:
      | at           | type              | service | actor  | text                   |
      | Monday 07:55 | service.suspended | a.de    | vendor | <script>x</script>     |
    When pactwatch evaluates the case
    Then a "suspension-without-notice" violation is reported for "a.de"

  Scenario: Wrong expectation
    Given these events:
      | at           | type              | service | actor  |
      | Monday 07:55 | service.suspended | a.de    | vendor |
    When pactwatch evaluates the case
    Then no "suspension-without-notice" violation is reported

  Scenario: Typo in a step
    Given these evnts:
      | at           | type              |
      | Monday 07:55 | service.suspended |
    When pactwatch evaluates the case
    Then no violation is reported

  @wip
  Scenario: Not ready yet
    Given a contract without clauses
"""


def _policy(tmp_path):
    folder = tmp_path / "policy"
    folder.mkdir()
    (folder / "notice.feature").write_text(FEATURE, encoding="utf-8")
    return folder


def test_policy_test_reports_each_scenario_with_failing_step_and_suggestion(tmp_path):
    folder = _policy(tmp_path)
    junit, cucumber = tmp_path / "junit.xml", tmp_path / "cucumber.json"
    run = pw("policy", "test", folder, "--junit", junit, "--cucumber", cucumber)
    assert run.returncode == 1, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert any(line.startswith("PASS") and "Suspended without warning" in line for line in lines)
    fail = lines.index(next(line for line in lines if line.startswith("FAIL") and "Wrong expectation" in line))
    assert "Then no \"suspension-without-notice\" violation is reported" in lines[fail + 1]
    assert "expected no \"suspension-without-notice\" violation" in lines[fail + 2]
    typo = next(i for i, line in enumerate(lines) if "Typo in a step" in line)
    assert "undefined step" in lines[typo + 2] and "these events:" in lines[typo + 2]
    assert any(line.startswith("SKIP") and "Not ready yet" in line for line in lines)
    assert lines[-1] == "1 passed, 2 failed, 1 skipped"
    suite = ET.parse(junit).getroot()
    assert suite.iter("testcase") and len(list(suite.iter("testcase"))) == 4
    assert len(json.loads(cucumber.read_text(encoding="utf-8"))[0]["elements"]) >= 3


def test_policy_render_html_and_md_show_rules_clauses_scenarios_and_status(tmp_path):
    folder = _policy(tmp_path)
    pw("policy", "test", folder)
    html = pw("policy", "render", folder, "--format", "html")
    assert html.returncode == 0
    assert "Service suspended without prior notice" in html.stdout and "§5.1" in html.stdout
    assert "&lt;script&gt;x&lt;/script&gt;" in html.stdout and "<script>x" not in html.stdout
    assert 'class="status passed"' in html.stdout and 'class="status failed"' in html.stdout
    md = pw("policy", "render", folder, "--format", "md")
    assert "## Service suspended without prior notice (`suspension-without-notice`)" in md.stdout
    assert "### Wrong expectation — failed" in md.stdout
    assert "| Monday 07:55 | service.suspended |" in md.stdout


def test_coverage_of_the_bundled_library_is_complete():
    run = pw("policy", "coverage", ROOT / "features")
    assert run.returncode == 0, run.stdout
    assert run.stdout.splitlines()[-1].endswith("rules fully covered")


def test_coverage_names_rules_without_scenarios(tmp_path):
    run = pw("policy", "coverage", _policy(tmp_path))
    assert run.returncode == 1
    assert "no-apology" in run.stdout and "missing firing and non-firing scenario" in run.stdout


def test_contract_init_writes_a_template_that_loads(tmp_path):
    target = tmp_path / "contract.yaml"
    assert pw("contract", "init", "--template", "hosting-de", "--output", target).returncode == 0
    assert pw("validate", target).returncode == 0
    assert pw("contract", "init", "--template", "hosting-de", "--output", target).returncode == 2
    assert "known: cloud-iaas-en, hosting-de, hosting-en, saas-en" in pw("contract", "init", "--template", "nope", "-o", tmp_path / "x").stderr


def test_every_template_is_a_valid_contract():
    from pactwatch.policy.templates import template_names

    names = template_names()
    assert names == ["cloud-iaas-en", "hosting-de", "hosting-en", "saas-en"]
    for name in names:
        assert pw("validate", ROOT / "rules" / "contract-templates" / f"{name}.yaml").returncode == 0


def test_the_handbook_counts_a_scenario_about_two_rules_once(tmp_path):
    folder = _policy(tmp_path)
    (folder / "two.feature").write_text(
        "@rule:no-apology @rule:deflection\nFeature: Answers\n\n  Scenario: One scenario, two rules\n"
        "    Given a contract without clauses\n", encoding="utf-8")
    md = pw("policy", "render", folder, "--format", "md").stdout
    assert md.count("### One scenario, two rules") == 2  # shown under each rule
    assert "0 passed, 0 failed, 1 skipped, 4 not run." in md  # 5 scenarios in the files, counted once each
