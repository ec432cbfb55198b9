"""Human review: uncertain readings listed, confirmed or corrected, stored as data, used by check."""

import json

import pytest
from conftest import pw

#: claims resting on a test ("our test shows the page"), each a close call for some model: which one is
#: close to the line moves with every retraining, and the review mechanics are what is tested here
CANDIDATES = ("Die Seite lädt in unserem Test.", "Die Seite lädt im Test.", "Der Shop lädt in unserem Test.",
              "Die Seite ist im Test erreichbar.", "Die Seite lädt in unserem Browser.")


def _unsure_claim() -> str:
    """The first candidate the shipped model reads as a claim with low confidence: both claim rules rest on it."""
    from conftest import bundled_library

    analyzer = bundled_library().analyzer()
    for text in CANDIDATES:
        analysis = analyzer.analyze(text, "de", (), "vendor")
        if analysis.claims_resolution and "resolution_claim" in analysis.uncertain and len(analysis.sentences) == 1:
            return text
    raise AssertionError("the model is sure of every candidate: add a sentence it reads as a claim close to its line")


UNSURE = _unsure_claim()
EVENTS = [
    {"id": "h1", "at": "2026-03-03T09:00:00+01:00", "type": "host.failed", "actor": "monitor", "service": "www.kunde-a.de",
     "data": {"host": "s1"}},
    {"id": "m1", "at": "2026-03-03T20:48:00+01:00", "type": "message.sent", "actor": "vendor", "text": UNSURE,
     "data": {"kind": "update"}},
    {"id": "p1", "at": "2026-03-03T21:00:00+01:00", "type": "probe", "actor": "monitor", "service": "www.kunde-a.de",
     "data": {"check": "https", "up": False}},
]
CLAIM_RULES = {"false-resolution-claim", "unverified-resolution-claim"}



@pytest.fixture
def case(tmp_path):
    folder = tmp_path / "case"
    assert pw("case", "init", folder, "--template", "hosting-de").returncode == 0
    vendor = next(line.split(":")[1].split()[0] for line in (folder / "contract.yaml").read_text().splitlines()
                  if line.startswith("vendor:"))
    (folder / "events" / "timeline.jsonl").write_text(
        "".join(json.dumps({**e, "vendor": vendor}) + "\n" for e in EVENTS), encoding="utf-8")
    return folder


def report(case):
    run = pw("check", case, "--format", "json")
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


def test_an_unreviewed_low_confidence_reading_is_marked_on_the_findings_that_rest_on_it(case):
    found = {v["rule"]: v for v in report(case)["violations"]}
    assert CLAIM_RULES <= set(found)
    for rule in CLAIM_RULES:
        assert found[rule]["unconfirmed"] == ["m1"]
        assert {e["event"]: e["reading"] for e in found[rule]["evidence"]}["m1"] == "uncertain"
    assert "reading: low confidence, not reviewed (m1)" in pw("check", case).stdout
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(pw("check", case, "--format", "csv").stdout)))
    assert {r["rule"]: r["unconfirmed"] for r in rows if r["rule"] in CLAIM_RULES} == dict.fromkeys(CLAIM_RULES, "m1")


def test_review_lists_the_sentence_and_the_findings_it_decides(case):
    run = pw("review", case)
    assert run.returncode == 0, run.stderr
    first, second = run.stdout.splitlines()[:2]
    assert first.startswith("m1#1  vendor  read as: resolution_claim") and "decides: " in first
    assert all(rule in first for rule in CLAIM_RULES)
    assert second.strip() == UNSURE


def test_a_correction_is_stored_as_data_and_the_next_check_reads_it(case):
    run = pw("review", case, "--correct", "m1#1=", "--reviewer", "A. Weber", "--date", "2026-03-10")
    assert run.returncode == 0, run.stderr
    stored = (case / "annotations.yaml").read_text(encoding="utf-8")
    for expected in ("event: m1", "start: 0", f"sentence: {UNSURE}", "labels: []", "reviewer: A. Weber", "'2026-03-10'"):
        assert expected in stored
    assert not CLAIM_RULES & {v["rule"] for v in report(case)["violations"]}
    assert "0 uncertain reading(s)" in pw("review", case).stderr  # reviewed sentences are not offered again


def test_a_confirmation_shows_in_the_report_as_confirmed_by_reviewer(case):
    assert pw("review", case, "--confirm", "m1#1", "--reviewer", "A. Weber", "--date", "2026-03-10").returncode == 0
    found = {v["rule"]: v for v in report(case)["violations"]}
    assert CLAIM_RULES <= set(found)
    claim = found["false-resolution-claim"]
    assert claim["unconfirmed"] == [] and {e["event"]: e["reading"] for e in claim["evidence"]}["m1"] == "reviewed"
    assert "reading: confirmed by reviewer (m1)" in pw("check", case).stdout
    md = pw("check", case, "--format", "md").stdout
    assert "— *confirmed by reviewer*" in md or "— *vom Prüfer bestätigt*" in md


def test_an_annotation_whose_sentence_changed_no_longer_applies(case):
    assert pw("review", case, "--correct", "m1#1=", "--reviewer", "A. Weber", "--date", "2026-03-10").returncode == 0
    path = case / "annotations.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Die Seite", "Der Shop"), encoding="utf-8")
    assert CLAIM_RULES <= {v["rule"] for v in report(case)["violations"]}


def test_review_mistakes_exit_2_with_a_reason(case):
    no_reviewer = pw("review", case, "--confirm", "m1#1")
    assert no_reviewer.returncode == 2 and "--reviewer" in no_reviewer.stderr
    unknown = pw("review", case, "--confirm", "m9#4", "--reviewer", "x")
    assert unknown.returncode == 2 and "review-unknown-sentence" in unknown.stderr
    category = pw("review", case, "--correct", "m1#1=sorry", "--reviewer", "x")
    assert category.returncode == 2 and "unknown categories ['sorry']" in category.stderr
    assert not (case / "annotations.yaml").exists()
    assert pw("review", case.parent).returncode == 2


def test_a_bad_annotations_file_names_file_line_and_field(case):
    (case / "annotations.yaml").write_text(
        "- event: m1\n  start: 0\n  end: 82\n  sentence: x\n  labels: [apologee]\n  reviewer: A\n  date: '2026-03-10'\n",
        encoding="utf-8")
    run = pw("check", case)
    assert run.returncode == 2 and "annotations.yaml:5" in run.stderr and "apologee" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_finding_of_absence_rests_on_the_sentences_that_came_close_and_a_review_settles_it():
    """"No apology" is unsure when a vendor sentence was read as no apology with low confidence.

    The model's line is moved (on a private copy of the library) so that this sentence's
    apology probability sits just below it, whatever a retrained model gives it.
    """
    import copy

    from conftest import clause, contract, event
    from pactwatch import Evaluator, load_rules
    from pactwatch.enrich.review import Annotation
    from pactwatch.ingest import parse_record

    library = copy.deepcopy(load_rules())
    close = "We regret the inconvenience and apologise if this caused trouble."
    _, _, verdicts = library.analyzer().readings(close, "en")
    model = library.sentence_model
    model.thresholds["apology"] = verdicts[0]["apology"] + model.review_margin / 2
    raws = [event(0, "message.sent", id="c1", actor="customer", text="Our shop is down!", data={"kind": "complaint"}),
            event(3, "message.sent", id="m1", actor="vendor", text=close, lang="en", data={"kind": "reply"}),
            event(4, "message.sent", id="m2", actor="vendor", text="The shop is back online.", lang="en",
                  data={"kind": "reply"}),
            event(30, "clock", id="k1")]
    events = [parse_record(r, file="t", line=i, allow_unknown=False)[0] for i, r in enumerate(raws, 1)]
    terms = contract(clause("§1", "apology", within_hours=24))

    found = next(v for v in Evaluator(library, terms).run_events(events).violations if v.rule == "no-apology")
    assert found.unconfirmed == ["m1"]
    assert {e.event: (e.role, e.reading) for e in found.evidence}["m1"] == ("apology", "uncertain")
    assert "m2" not in {e.event for e in found.evidence}  # read as no apology with confidence

    # the reviewer reads it as regret only: the finding stands, now confirmed
    start = close.index("We")
    reviewed = {"m1": [Annotation(event="m1", start=start, end=start + len(close), sentence=close, labels=["regret"],
                                  reviewer="A. Weber", date="2026-03-10")]}
    again = next(v for v in Evaluator(library, terms).run_events(events, annotations=reviewed).violations
                 if v.rule == "no-apology")
    assert again.unconfirmed == [] and again.id == found.id
    # read as an apology by the reviewer: no finding
    reviewed["m1"] = [reviewed["m1"][0].model_copy(update={"labels": ["apology"]})]
    assert "no-apology" not in {v.rule for v in Evaluator(library, terms).run_events(events, annotations=reviewed).violations}


def test_a_close_call_on_another_category_leaves_a_finding_confirmed():
    """A finding rests on the categories its rule asks about: a claim read with confidence is no
    unconfirmed claim because the cause sentence of the same message was a close call.

    The model's line for causes is moved (on a private copy of the library) so that the cause
    sentence sits just over it, whatever a retrained model gives it.
    """
    import copy

    from conftest import clause, contract, event
    from pactwatch import Evaluator, load_rules
    from pactwatch.ingest import parse_record

    library = copy.deepcopy(load_rules())
    cause, claim = "A failed disk in the storage array caused the outage.", "The website is back online."
    model = library.sentence_model
    _, _, verdicts = library.analyzer().readings(f"{cause} {claim}", "en")
    assert verdicts[1]["resolution_claim"] >= model.thresholds["resolution_claim"] + model.review_margin
    model.thresholds["cause"] = verdicts[0]["cause"] - model.review_margin / 2
    raws = [event(0, "host.failed", id="h1", actor="monitor", service="www.kunde-a.de", data={"host": "s1"}),
            event(2, "message.sent", id="m1", actor="vendor", text=f"{cause} {claim}", lang="en", data={"kind": "update"}),
            event(3, "probe", id="p1", actor="monitor", service="www.kunde-a.de", data={"check": "https", "up": False})]
    events = [parse_record(r, file="t", line=i, allow_unknown=False)[0] for i, r in enumerate(raws, 1)]
    terms = contract(clause("§7.3", "resolution_verification", verify_window_hours=24))

    found = {v.rule: v for v in Evaluator(library, terms).run_events(events).violations}
    assert CLAIM_RULES <= set(found)
    for rule in CLAIM_RULES:
        assert found[rule].unconfirmed == []
        assert {e.event: e.reading for e in found[rule].evidence}["m1"] is None

    # the claim itself a close call: now the findings rest on an unconfirmed reading
    model.thresholds["resolution_claim"] = verdicts[1]["resolution_claim"] - model.review_margin / 2
    found = {v.rule: v for v in Evaluator(library, terms).run_events(events).violations}
    assert all(found[rule].unconfirmed == ["m1"] for rule in CLAIM_RULES)
