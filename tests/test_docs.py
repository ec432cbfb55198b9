"""Docs are part of the feature: rule pages are generated from real runs and current."""

from conftest import ROOT

from pactwatch.rules.docs import index_page, rule_page


def test_every_rule_page_is_generated_and_current(library):
    docs = ROOT / "docs" / "rules"
    for rule in library.rules:
        page = docs / f"{rule.id}.md"
        assert page.is_file(), f"missing {page}; run: pactwatch rules docs"
        assert page.read_text(encoding="utf-8") == rule_page(rule, library), f"{page} is stale; run: pactwatch rules docs"
    assert (docs / "index.md").read_text(encoding="utf-8") == index_page(library)


def test_readme_commands_are_the_ci_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_cmd = next(line for line in readme.splitlines() if "pytest" in line and line.startswith("python3"))
    assert test_cmd in ci


def test_policy_vocabulary_is_documented():
    from pactwatch.policy.vocabulary import PHRASES

    text = (ROOT / "docs" / "policy-authoring.md").read_text(encoding="utf-8")
    missing = [p for group in PHRASES.values() for p in group if f"`{p}`" not in text]
    assert not missing, f"undocumented phrasings: {missing}"


def test_every_concept_and_parameter_is_documented(library):
    text = (ROOT / "docs" / "contracts.md").read_text(encoding="utf-8")
    for concept in library.concepts:
        assert f"`{concept.name}`" in text
        for name in concept.params_model.model_fields:
            assert f"`{name}`" in text, f"{concept.name}.{name} missing from docs/contracts.md"
