"""The labelled corpus: size, balance, labels, and a split nobody can steer."""

from collections import Counter
from pathlib import Path

import pytest

from pactwatch.enrich.corpus import SPLITS, load_corpus, split_of
from pactwatch.enrich.messages import CATEGORIES
from pactwatch.errors import PactwatchError

CORPUS = Path(__file__).resolve().parent.parent / "rules" / "corpus" / "messages"


@pytest.fixture(scope="module")
def samples():
    return load_corpus(CORPUS)


def test_corpus_has_1500_sentences_in_german_and_english_about_equally(samples):
    langs = Counter(s.lang for s in samples)
    assert len(samples) >= 1500
    assert set(langs) == {"de", "en"}
    assert min(langs.values()) / len(samples) >= 0.4, langs


def test_every_label_is_a_category_and_every_category_has_hard_negatives(samples):
    for s in samples:
        assert set(s.labels) <= set(CATEGORIES), (s.text, s.labels)
    assert sum(1 for s in samples if not s.labels) >= 300, "hard negatives (sentences with no label)"


def test_the_test_split_covers_every_category_in_both_languages(samples):
    test = load_corpus(CORPUS, "test")
    counts = Counter((s.lang, label) for s in test for label in s.labels)
    thin = {(lang, c): counts[(lang, c)] for lang in ("de", "en") for c in CATEGORIES if counts[(lang, c)] < 5}
    assert not thin, f"fewer than 5 test sentences: {thin}"


def test_no_story_is_in_two_splits(samples):
    where: dict[str, set[str]] = {}
    for split in SPLITS:
        for s in load_corpus(CORPUS, split):
            where.setdefault(s.unit or "", set()).add(split)
    assert all(len(v) == 1 for v in where.values())
    assert sum(len(load_corpus(CORPUS, split)) for split in SPLITS) == len(samples)


def test_the_split_follows_from_the_story_id_alone():
    # Pinned: if the hashing changed, sentences would silently move between train and test.
    pinned = {"en-saas-login-outage": "train", "de-hosting-sperrung-logdateien": "train", "en-cdn-certificate": "dev",
              "de-ddos-nullroute": "dev", "de-negation-auf-abstand#1": "train", "de-negation-auf-abstand#2": "test"}
    assert {u: split_of(u) for u in pinned} == pinned
    shares = Counter(split_of(f"unit-{i}") for i in range(10_000))
    assert 0.5 < shares["train"] / 10_000 < 0.6 and 0.22 < shares["test"] / 10_000 < 0.28


def test_lexicon_tuning_material_only_ever_trains():
    legacy = [s for s in load_corpus(CORPUS / "legacy.yaml")]
    assert legacy and all(s.fixed_split == "train" for s in legacy)
    test_texts = {s.text for s in load_corpus(CORPUS, "test")}
    assert not test_texts & {s.text for s in legacy}


def test_a_flat_corpus_file_loads_and_has_no_split(tmp_path):
    flat = tmp_path / "c.yaml"
    flat.write_text('- {lang: en, labels: [apology], text: "Sorry!", source: "extra keys are ignored"}\n', encoding="utf-8")
    (sample,) = load_corpus(flat)
    assert sample.labels == ["apology"]
    with pytest.raises(PactwatchError, match="needs a corpus of stories"):
        load_corpus(flat, "test")


def test_a_bad_story_file_names_file_line_and_field(tmp_path):
    bad = tmp_path / "s.yaml"
    bad.write_text("- story: x\n  lang: en\n  items:\n    - {labels: [apology]}\n", encoding="utf-8")
    with pytest.raises(PactwatchError) as exc:
        load_corpus(bad)
    text = str(exc.value)
    assert "s.yaml" in text and "text" in text
