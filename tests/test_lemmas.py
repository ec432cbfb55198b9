"""The cached tries give simplemma's own lemmas, and a damaged or unwritable cache changes nothing."""

from __future__ import annotations

import re

import pytest
import simplemma
from conftest import ROOT

from pactwatch.enrich import lemmas
from pactwatch.enrich.corpus import load_corpus


@pytest.fixture()
def fresh(tmp_path, monkeypatch):
    """A lemmatizer built anew on an empty cache folder."""
    monkeypatch.setenv("PACTWATCH_CACHE_DIR", str(tmp_path / "cache"))
    lemmas.lemmatizer.cache_clear()
    yield tmp_path / "cache" / "lemmas"
    lemmas.lemmatizer.cache_clear()


def _words() -> list[str]:
    samples = load_corpus(ROOT / "rules" / "corpus" / "messages")
    return sorted({w for s in samples for w in re.findall(r"[^\W\d_]+", s.text)})


def test_every_corpus_word_gets_simplemma_s_lemma_from_the_tries(fresh):
    words = _words()
    assert len(words) > 5000
    built = lemmas.lemmatizer()  # the tries are built on the first word of each language
    for lang in ("de", "en", ("de", "en")):
        differ = [w for w in words if built(w, lang) != simplemma.lemmatize(w, lang=lang)]
        assert not differ, differ[:10]
    assert sorted(p.name for p in fresh.iterdir()) == sorted(f"{lang}-{simplemma.__version__}.marisa" for lang in ("de", "en"))
    lemmas.lemmatizer.cache_clear()  # the next process maps the cached files
    again = lemmas.lemmatizer()
    assert [again(w, "de") for w in words[:2000]] == [simplemma.lemmatize(w, lang="de") for w in words[:2000]]


def test_a_damaged_cache_file_is_rebuilt_not_trusted(fresh):
    lemmas.lemmatizer()("Störungen", "de")
    damaged = fresh / f"de-{simplemma.__version__}.marisa"
    damaged.write_bytes(b"not a trie")
    lemmas.lemmatizer.cache_clear()
    assert lemmas.lemmatizer()("Störungen", "de") == simplemma.lemmatize("Störungen", lang="de")
    assert damaged.stat().st_size > 1000


def test_an_unwritable_cache_folder_falls_back_to_simplemma_s_dictionaries(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would go")
    monkeypatch.setenv("PACTWATCH_CACHE_DIR", str(blocked))
    lemmas.lemmatizer.cache_clear()
    try:
        assert lemmas.lemmatizer()("entschuldigten", "de") == simplemma.lemmatize("entschuldigten", lang="de")
    finally:
        lemmas.lemmatizer.cache_clear()
