"""The sentence model: trained reproducibly, loaded as data, rebuilt and scored from the CLI."""

import gzip
import json
import math

import pytest
from conftest import ROOT, pw

from pactwatch.enrich.corpus import Sample, load_corpus
from pactwatch.enrich.messages import MessageAnalyzer
from pactwatch.enrich.sentence_model import MODEL_FILE, SentenceModel
from pactwatch.enrich.training import TrainParams, dump_model, train

CORPUS = ROOT / "rules" / "corpus" / "messages"



@pytest.fixture(scope="module")
def small(library):
    """A few stories of the real corpus: enough to train on in a second."""
    return [s for s in load_corpus(CORPUS, "train") if s.story and s.story.startswith(("en-apology", "de-entschuldigung",
                                                                                      "en-boilerplate", "de-verweis"))]


def test_the_same_corpus_gives_the_same_model_bytes(library, small):
    analyzer = MessageAnalyzer(list(library.lexicons))
    params = TrainParams(folds=3)
    first, second = dump_model(train(analyzer, small, params)), dump_model(train(analyzer, small, params))
    assert first == second
    assert gzip.decompress(first)[:1] == b"{"


def test_the_line_shift_raises_every_line_but_the_tone_s_and_leaves_the_weights(library, small):
    """``threshold_shift`` moves lines only: apology's and regret's stay, every other head's (the merged one too)
    is raised by it; the weights and biases are those trained without it."""
    from dataclasses import replace

    analyzer = MessageAnalyzer(list(library.lexicons))
    plain = train(analyzer, small, TrainParams(folds=3, threshold_shift=0.0))
    shifted = train(analyzer, small, replace(TrainParams(folds=3), threshold_shift=0.06))
    assert plain["weights"] == shifted["weights"] and plain["bias"] == shifted["bias"]
    for category, before, after in zip(plain["categories"], plain["thresholds"], shifted["thresholds"], strict=True):
        assert after == (before if category in ("apology", "regret") else round(before + 0.06, 2)), category
    assert shifted["merged"]["compensation"]["threshold"] == round(plain["merged"]["compensation"]["threshold"] + 0.06, 2)


def test_a_trained_model_is_data_that_changes_the_reading(library, small):
    doc = train(MessageAnalyzer(list(library.lexicons)), small, TrainParams(folds=3))
    model = SentenceModel(doc)
    assert model.categories[0] == "apology" and len(model.categories) == 11
    assert model.heads == (*model.categories, "compensation") and set(model.thresholds) == set(model.heads)
    reading = MessageAnalyzer(list(library.lexicons), model).analyze("We apologise for the late reply.")
    assert reading.apology == "explicit"


def test_inference_reads_the_features_training_counts(library):
    """The reader looks character n-grams up once per word and sums integer weights; that must be
    the model's definition: each block's named features (``blocks()``, what training counts), the
    n-grams of a sentence counted once however many words share them, unknown names counting for
    the block's length."""
    model = library.sentence_model
    analyzer = library.analyzer()
    samples = load_corpus(CORPUS)[::7]
    samples.append(Sample(text="Sorry, sorry: the server's server-side log is lost (lost!) again?", labels=[], lang="en"))
    for sample in samples:
        lang, units = analyzer.units(sample.text, sample.lang)
        for unit in units:
            if not unit.words.strip():
                continue
            features = analyzer.features(unit, lang)
            totals = list(model.bias)
            for block, names in features.blocks().items():
                rows = [model.index[n] for n in names if n in model.index]
                if not rows:  # a block the model knows nothing of adds nothing (also an empty one: "back up!")
                    continue
                factor = (len(names) ** -0.5 if block in model.normalised else 1.0) * model.block_scale.get(block, 1.0)
                for k in range(len(totals)):
                    totals[k] += sum(int(model.weights[r][k]) for r in rows) * factor / model.scale
            expected = [1 / (1 + math.exp(-max(-40.0, min(40.0, t)))) for t in totals]
            got = model.probabilities(features)
            assert list(got.values()) == pytest.approx(expected, rel=1e-12, abs=1e-12), unit.words


def test_a_model_without_merged_heads_still_reads(library):
    """A model trained before the merged heads (a library's own) loads and reads as it did: the
    customer's category of an authored pair wins by the author, not by a head it lacks."""
    doc = json.loads(gzip.decompress((ROOT / "rules" / MODEL_FILE).read_bytes()))
    n = len(doc["categories"])
    doc["weights"] = {name: row[:n] for name, row in doc["weights"].items()}
    del doc["merged"], doc["author_heads"]
    model = SentenceModel(doc)
    assert model.heads == model.categories and not model.author_heads
    zero = dict.fromkeys(model.categories, 0.0)
    assert model.present({**zero, "compensation_offer": 0.99}, "customer") == {"compensation_offer"}
    reading = MessageAnalyzer(list(library.lexicons), model).analyze(
        "Die Ausfalltage ziehen wir Ihnen von der Junirechnung ab.", author="customer")
    assert reading.has("compensation_request") and not reading.has("compensation_offer")


def test_a_damaged_model_file_is_an_input_error_not_a_crash(tmp_path):
    from pactwatch.errors import PactwatchError

    bad = tmp_path / "m.json.gz"
    bad.write_bytes(gzip.compress(b'{"format": 99}'))
    with pytest.raises(PactwatchError, match="sentence model"):
        SentenceModel.load(bad)


def test_lexicon_score_reads_a_split_and_prints_the_table_users_parse(tmp_path):
    run = pw("lexicon", "score", CORPUS, "--split", "test", "--by-lang")
    assert run.returncode in (0, 1), run.stderr
    lines = run.stdout.splitlines()
    assert lines[:2] == ["| category | precision | recall | n |", "|---|---:|---:|---:|"]
    assert "de:" in lines and "en:" in lines and "Traceback" not in run.stderr


def test_a_label_is_read_in_any_spelling_and_an_unknown_one_is_an_error(tmp_path):
    """Someone else's corpus spells "Regret" or "resolution claim"; a label that is no category
    ("sarcasm", "compensation") would count as nothing and skew every figure, so it stops the run."""
    spelt = tmp_path / "spelt.yaml"
    spelt.write_text('- {lang: en, labels: [Regret], text: "Unfortunately the backup could not be restored."}\n'
                     '- {lang: en, labels: [resolution claim], text: "All services have been restored."}\n'
                     '- {lang: en, labels: [Compensation-Offer], text: "We will credit 10 % of your monthly fee."}\n',
                     encoding="utf-8")
    assert [s.labels for s in load_corpus(spelt)] == [["regret"], ["resolution_claim"], ["compensation_offer"]]
    run = pw("lexicon", "score", spelt)
    assert run.returncode in (0, 1) and "| regret | 1.00 | 1.00 | 1 |" in run.stdout, run.stderr
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text('- {lang: en, labels: [apology], text: "Sorry about that!"}\n'
                       '- {lang: en, labels: [compensation], text: "We will credit you."}\n', encoding="utf-8")
    run = pw("lexicon", "score", unknown)
    assert run.returncode == 2 and run.stdout == "" and "Traceback" not in run.stderr
    assert "unknown.yaml:2" in run.stderr and "unknown label 'compensation'" in run.stderr and "compensation_offer" in run.stderr


def test_lexicon_score_by_language_counts_a_region_tag_as_its_language(tmp_path):
    swiss = tmp_path / "swiss.yaml"
    swiss.write_text('- {lang: de-CH, labels: [apology], text: "Entschuldigen Sie bitte die Verzögerung."}\n'
                     '- {lang: de, labels: [regret], text: "Leider ist der Server noch nicht erreichbar."}\n', encoding="utf-8")
    run = pw("lexicon", "score", swiss, "--by-lang")
    assert run.returncode in (0, 1) and "\nde:\n" in run.stdout and "de-CH" not in run.stdout, run.stderr


def test_training_reads_a_region_tagged_sentence_in_the_language_reading_does(library):
    """A corpus sentence tagged "de-CH" trains with the features the reader gives it ("s:lang:de", the German
    lexicon's spellings), not with a language no lexicon names."""
    from pactwatch.enrich.training import sample_features

    analyzer = library.analyzer()
    text = "Wir bitten um Entschuldigung für den Ausfall von gestern."
    tagged = sample_features(analyzer, text, "de-CH")
    assert tagged == sample_features(analyzer, text, "de") and "s:lang:de" in tagged["s"]


def test_a_one_line_sign_off_trains_though_reading_skips_it(library):
    """"Kind regards, Daniel Weber, Customer Care" stands in the corpus labelled as saying nothing: it trains
    the model as a negative, while reading does not ask the model about such a line. Skipped in training too,
    the model lost those negatives and read worse on a fresh round."""
    from pactwatch.enrich.training import sample_features

    analyzer = library.analyzer()
    text = "Kind regards, Daniel Weber, Customer Care"
    _, units = analyzer.units(text, "en")
    assert analyzer.courtesy(units, "en") == [True]
    assert analyzer.analyze(text, "en").findings == ()
    assert sample_features(analyzer, text, "en")["w"]


def test_lexicon_train_refuses_to_overwrite_and_reports_bad_corpora(tmp_path):
    existing = tmp_path / "model.json.gz"
    existing.write_bytes(b"x")
    run = pw("lexicon", "train", CORPUS, "-o", existing)
    assert run.returncode == 2 and "exists already" in run.stderr
    flat = tmp_path / "flat.yaml"
    flat.write_text('- {lang: en, labels: [], text: "Hello."}\n', encoding="utf-8")
    run = pw("lexicon", "train", flat, "-o", tmp_path / "new.json.gz")
    assert run.returncode == 2 and "needs a corpus of stories" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.slow
def test_the_shipped_model_is_what_the_bundled_corpus_trains(library, tmp_path):
    """Anyone can rebuild the shipped model from the corpus (train and dev splits; never test)."""
    out = tmp_path / "rebuilt.json.gz"
    run = pw("lexicon", "train", "-o", out)
    assert run.returncode == 0, run.stderr
    rebuilt = json.loads(gzip.decompress(out.read_bytes()))
    shipped = json.loads(gzip.decompress((ROOT / "rules" / MODEL_FILE).read_bytes()))
    assert rebuilt["meta"] == shipped["meta"] and rebuilt["thresholds"] == shipped["thresholds"]
    assert rebuilt["weights"].keys() == shipped["weights"].keys()
    # Identical on the machine that trained it; a different BLAS may move a weight by a unit.
    drift = max(abs(a - b) for name in shipped["weights"] for a, b in zip(rebuilt["weights"][name], shipped["weights"][name]))
    assert drift <= 2


def test_cross_validation_scores_each_train_and_dev_sentence_once_never_test(library, small):
    from pactwatch.enrich.crossval import cross_validate, fold_of, macro_f1

    legacy = load_corpus(CORPUS / "legacy.yaml")[:20]
    samples = small + legacy
    scores = cross_validate(list(library.lexicons), samples, folds=2, params=TrainParams(folds=3))
    scored = [s for s in small if not s.fixed_split]  # legacy trains every fold, is never scored
    for category, s in scores.items():
        assert s.support == sum(category in x.labels for x in scored)
    assert 0.0 < macro_f1(scores) <= 1.0
    by_unit: dict[str, set[int]] = {}
    for s in load_corpus(CORPUS, "dev"):  # a story (or one sentence of a collection) is never split across folds
        by_unit.setdefault(s.unit or "", set()).add(fold_of(s, 4))
    assert all(len(folds) == 1 for folds in by_unit.values()) and len(by_unit) < len(load_corpus(CORPUS, "dev"))
    # another assignment deals the same stories out anew, each still whole
    dev = load_corpus(CORPUS, "dev")
    moved = sum(fold_of(s, 4) != fold_of(s, 4, assignment=1) for s in dev)
    assert 0 < moved < len(dev)
    again: dict[str, set[int]] = {}
    for s in dev:
        again.setdefault(s.unit or "", set()).add(fold_of(s, 4, assignment=1))
    assert all(len(folds) == 1 for folds in again.values())


def test_lexicon_cv_prints_the_table_and_one_number(tmp_path):
    sentences = [("We apologise for the outage.", "apology"), ("Sorry for the delay, that was our fault.", "apology"),
                 ("Please accept our apologies.", "apology"), ("We are sorry for the trouble.", "apology"),
                 ("Unfortunately the server failed.", "regret"), ("Sadly the disk broke.", "regret"),
                 ("The service is back online.", "resolution_claim"), ("Everything works again.", "resolution_claim"),
                 ("The mail server is up again.", "resolution_claim"), ("Your site loads again.", "resolution_claim"),
                 ("Please contact billing.", "referral"), ("Talk to your reseller about this.", "referral"),
                 ("We will credit one month.", "compensation_offer"), ("A credit note is attached.", "compensation_offer"),
                 ("We claim a refund.", "compensation_request"), ("Please refund the fee.", "compensation_request")]
    sentences += [(f"Ticket {n} was opened by your colleague.", "") for n in range(12)]
    items = "\n".join(f'    - {{labels: [{label}], text: "{text}"}}' for text, label in sentences)
    corpus = tmp_path / "tiny.yaml"
    corpus.write_text(f"- story: tiny\n  lang: en\n  collection: true\n  items:\n{items}\n", encoding="utf-8")
    run = pw("lexicon", "cv", corpus, "--folds", "2")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[:2] == ["| category | precision | recall | n |", "|---|---:|---:|---:|"]
    assert "macro-F1 " in run.stdout and "2 folds, assignment 0" in run.stdout
    other = pw("lexicon", "cv", corpus, "--folds", "2", "--assignment", "1", "--misses")
    assert other.returncode == 0, other.stderr
    assert "2 folds, assignment 1" in other.stdout
    texts = {text for text, _ in sentences}
    for line in (x for x in other.stdout.splitlines() if x.startswith("miss: labels ")):
        labels, _, rest = line.removeprefix("miss: labels ").partition(" got ")
        got, _, text = rest.partition(": ")
        assert text in texts and labels != got, line  # a sentence of the corpus, read otherwise than labelled
    flat = tmp_path / "flat.yaml"
    flat.write_text('- {lang: en, labels: [], text: "Hello."}\n', encoding="utf-8")
    run = pw("lexicon", "cv", flat)
    assert run.returncode == 2 and "needs a corpus of stories" in run.stderr and "Traceback" not in run.stderr


def test_noisy_copies_are_typed_variants_fixed_by_the_text():
    """Each training sentence gets one copy as it is often typed; the same text, the same copy."""
    from pactwatch.enrich.noise import noisy_copy, typo

    sentences = ["Wir entschuldigen uns für die Störung.", "The mail server is back online.",
                 "Leider müssen wir die Gutschrift ablehnen.", "Your refund will arrive within five days."]
    copies = [noisy_copy(s) for s in sentences]
    assert copies == [noisy_copy(s) for s in sentences]  # deterministic: same corpus, same model bytes
    assert all(c and c != s for c, s in zip(copies, sentences, strict=True))
    for s in sentences:
        changed = typo(s)
        assert changed is not None and changed != s and abs(len(changed) - len(s)) <= 1
        assert [w[0] for w in changed.split()] == [w[0] for w in s.split()]  # first letters kept
    assert noisy_copy("OK") is None or noisy_copy("OK") != "OK"


def test_the_threshold_is_the_middle_of_the_near_best_plateau_not_its_peak():
    """A lone F1 peak at a plateau's edge moves with a handful of sentences; the plateau's middle less."""
    from pactwatch.enrich.training import TrainParams, _best_threshold

    positives = [0.62] * 18 + [0.35, 0.40]
    negatives = [0.05] * 20 + [0.33]
    probs, truth = positives + negatives, [1] * len(positives) + [0] * len(negatives)
    # F1 by threshold: 0.20-0.33 keep the negative at 0.33 (0.976), 0.34-0.35 are perfect (1.0),
    # 0.36-0.40 lose the positive at 0.35 (0.974), 0.41-0.60 both weak positives (0.947)
    assert _best_threshold(probs, truth, TrainParams(threshold_tolerance=0.0)) == 0.35  # the peak
    assert _best_threshold(probs, truth, TrainParams(threshold_tolerance=0.02)) == 0.35  # nothing else near
    # within 0.03 of the best lies 0.20-0.40: its middle, not the peak at one end of it
    assert _best_threshold(probs, truth, TrainParams(threshold_tolerance=0.03)) == 0.30


def test_a_cue_written_with_equals_matches_the_word_as_written_not_its_lemma():
    """A lemma drops the tense: "wurde" is a form of "werden", but a past, not a promise. A cue
    the lexicon writes ``=werden`` matches "werden" itself and nothing that lemmatises to it; a
    plain cue still matches every form ("wollte" is a "wollen")."""
    from pactwatch.enrich._features import Cues, lemmatised

    cues = Cues.build("de", {"commitment": ["=werden", "wollen"], "mark:past": ["wurde"],
                             "resolution_claim": ["=wird behoben"]}, [])

    def found(text: str) -> set[str]:
        return {c for c, _ in cues.matches(*lemmatised(text, "de"))}

    assert found("Wir werden das bis 18 Uhr beheben.") == {"commitment"}
    assert found("Das Problem wurde gelöst.") == {"mark:past"}
    assert found("Wir wollten Sie informieren.") == {"commitment"}
    assert found("Der Fehler wird behoben.") == {"resolution_claim"}
    assert "resolution_claim" not in found("Der Fehler wurde behoben.")


def test_the_shipped_cues_read_a_german_past_passive_as_no_promise(library):
    """ "Das Problem wurde gelöst." is the commonest German all-clear; before tense-bearing cues were
    matched as written, "wurde" counted as the promise word "werden" and as future."""
    analyzer = library.analyzer()
    lang, units = analyzer.units("Das Problem wurde gelöst.", "de")
    symbols = analyzer.features(units[0], lang).s
    assert "s:mark:past" in symbols
    assert not [s for s in symbols if s.startswith("s:cue:commitment") or s == "s:mark:future"]


def test_who_writes_is_read_a_customer_by_name_any_other_author_as_unknown(library):
    """The corpus tells a customer's words (the complaint register) and no one else's, so the
    features name a customer and read any other author as training saw the other registers."""
    from pactwatch.enrich._features import featurize

    def symbols(author: str | None) -> set[str]:
        return set(featurize("Our domain stopped resolving this morning.", "en", frozenset(), author=author).s)

    assert "s:by:customer" in symbols("customer")
    assert symbols("vendor") == symbols(None) == symbols("monitor") == symbols("customer") - {"s:by:customer"}


def test_the_reading_of_a_sentence_depends_on_who_wrote_it(library):
    """The shipped model learnt who writes: one sentence, two authors, two readings, and the
    cache of readings keeps them apart whichever is read first."""
    analyzer = library.analyzer()
    assert "s:by:customer" in library.sentence_model.index
    text = "Our domain stopped resolving this morning although it is set to auto-renew."
    by_customer = analyzer.readings(text, "en", "customer")[2]
    by_vendor = analyzer.readings(text, "en", "vendor")[2]
    assert by_customer != by_vendor
    assert analyzer.readings(text, "en", "customer")[2] == by_customer
    assert library.analyzer().readings(text, "en", None)[2] == by_vendor


def test_a_customer_s_words_are_read_without_the_author_too(library):
    """Trained with every authored sentence once more without its author, a reader told no author
    (a flat corpus, an event without ``actor``) reads a customer's claim for money from the words,
    not from a feature it never gets: without the copies the request head leans on ``s:by:customer``."""
    stories = ("en-requests", "en-customer-credit-claims", "en-offers", "en-boilerplate", "en-apology")
    samples = [s for s in load_corpus(CORPUS, "train") + load_corpus(CORPUS, "dev")
               if s.story and s.story.startswith(stories)]
    assert any(s.register_ == "complaint" for s in samples) and any(s.register_ != "complaint" for s in samples)
    lexicons = list(library.lexicons)
    text = "We expect the agreed service credit of 10 % to be deducted from the next invoice."

    def request(unauthored: bool) -> float:
        model = SentenceModel(train(MessageAnalyzer(lexicons), samples, TrainParams(folds=3, unauthored_copies=unauthored)))
        analyzer = MessageAnalyzer(lexicons, model)
        return analyzer.readings(text, "en", None)[2][0]["compensation_request"]

    assert request(True) > request(False) + 0.1

