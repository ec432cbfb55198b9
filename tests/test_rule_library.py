"""Rule files are validated data: every problem located, templates cannot reach Python."""

import shutil

import pytest

from pactwatch import PactwatchError, load_rules
from pactwatch._template import fill
from pactwatch.rules.compiler import compile_rules


def _copy(tmp_path, library):
    target = tmp_path / "rules"
    shutil.copytree(library.directory, target)
    return target


def test_bundled_library_loads_with_the_headline_rules(library):
    ids = {r.id for r in library.rules}
    assert {"suspension-without-notice", "untested-hardware-change", "false-resolution-claim", "no-apology"} <= ids
    assert library.hash.startswith("sha256:")


def test_errors_in_a_rule_file_are_all_reported_with_lines(tmp_path, library):
    root = _copy(tmp_path, library)
    path = root / "no-apology.yaml"
    text = path.read_text(encoding="utf-8").replace("actor: customer", "acter: customer", 1)
    text = text.replace("{within_hours} h after", "{within_hourz} h after")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PactwatchError) as err:
        load_rules(root)
    codes = {(p.code, p.line) for p in err.value.problems}
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if "acter: customer" in text)
    assert ("rule-unknown-field", line) in codes
    assert any(code == "rule-unknown-placeholder" for code, _ in codes)


def test_unknown_param_in_window_is_rejected(tmp_path, library):
    root = _copy(tmp_path, library)
    path = root / "false-resolution-claim.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("hours_after: verify_window_hours", "hours_after: wait"),
                    encoding="utf-8")
    with pytest.raises(PactwatchError, match="rule-unknown-param"):
        load_rules(root)


@pytest.mark.parametrize(("bound", "code"), [
    ("{lte: {hours_before: [notice_hours, nope]}}", "rule-unknown-param"),
    ("{lte: {weeks_before: 2}}", "rule-bad-time"),
    ("{in: {hours_before: 2}}", "rule-bad-time"),
])
def test_a_time_relative_to_the_facts_own_time_is_checked(tmp_path, library, bound, code):
    root = _copy(tmp_path, library)
    path = root / "no-apology.yaml"
    text = path.read_text(encoding="utf-8")
    assert "notice_at: {lte: {hours_before: [notice_hours, cure_hours]}}" in text
    path.write_text(text.replace("notice_at: {lte: {hours_before: [notice_hours, cure_hours]}}", f"notice_at: {bound}", 1),
                    encoding="utf-8")
    with pytest.raises(PactwatchError, match=code):
        load_rules(root)


def test_templates_do_not_evaluate_attribute_access():
    assert fill("{vendor.__class__} {vendor}", {"vendor": "acme"}) == "{vendor.__class__} acme"


def test_compiled_or_terms_come_after_correlations(library):
    rule = library.get("suspension-without-notice")
    params = {rule.concept: library.concepts[rule.concept].defaults()}
    compiled = compile_rules([rule], params)
    (notice,) = [v for k, v in compiled.definition["suspension-without-notice/0/decide"]["all"][2].items()]
    terms = notice["$and"]
    assert "$or" in terms[-1] and any("service" in t for t in terms[:-1])
