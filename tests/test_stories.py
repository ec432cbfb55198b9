"""Incident stories (tests/stories/, docs/stories.md): dev stories come out as expected, the
test split's figures in the docs are current."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("story_score", ROOT / "tests" / "stories" / "score.py")
assert _spec is not None and _spec.loader is not None
story_score = importlib.util.module_from_spec(_spec)
sys.modules["story_score"] = story_score  # dataclasses look their module up
_spec.loader.exec_module(story_score)


@pytest.mark.parametrize("folder", story_score.stories("dev"), ids=lambda p: p.name)
def test_dev_story_fires_exactly_what_a_contract_manager_expects(folder, library):
    s = story_score.score_story(folder, library)
    assert (sorted(s.missing), sorted(s.extra)) == ([], [])


def test_test_split_figures_are_the_documented_ones(library):
    table = story_score.markdown(story_score.score_split("test", library))
    assert table in (ROOT / "docs" / "stories.md").read_text(encoding="utf-8"), \
        "docs/stories.md shows stale test-split figures (run python tests/stories/score.py --split test)"


def test_every_story_says_what_happens_and_why_a_rule_is_ignored():
    from pactwatch._yaml import load_yaml

    for split in ("dev", "test", "open"):
        for folder in story_score.stories(split):
            doc = load_yaml(folder / "expected.yaml").data
            assert doc["story"].strip() and set(doc) <= {"story", "fires", "ignore"}, folder
            assert all(isinstance(why, str) and why for why in (doc.get("ignore") or {}).values()), folder
