"""Message analysis: apology strength and resolution claims, DE and EN, with spans."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pactwatch import load_rules
from pactwatch.enrich.quality import predicted

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def analyzer():
    return load_rules().analyzer()


@pytest.mark.parametrize(("text", "strength"), [
    ("Wir entschuldigen uns für die Unannehmlichkeiten.", "explicit"),
    ("Dafür möchten wir uns ausdrücklich entschuldigen.", "explicit"),
    ("Es tut uns leid, dass die Seite nicht erreichbar war.", "explicit"),
    ("We apologise for the outage.", "explicit"),
    ("We are sorry that the site was not reachable.", "explicit"),
    ("Bedauerlicherweise kam es zu Problemen.", "regret-only"),
    ("Hier kam es leider zu einer unglücklichen Verkettung.", "regret-only"),
    ("We regret any inconvenience.", "regret-only"),
    ("Falls Ihnen Unannehmlichkeiten entstanden sind, bitten wir um Entschuldigung.", "regret-only"),
    ("Wir entschuldigen uns nicht.", "none"),
    ("We do not apologise for scheduled maintenance.", "none"),
    ("Für diese Sperrung werden wir uns nicht entschuldigen.", "none"),
    ("Sorry for not getting back to you sooner.", "explicit"),  # what the apology is for, not a refusal
    ("Entschuldigen Sie, dass wir uns nicht früher gemeldet haben.", "explicit"),
    ("> Es tut uns leid.\nDanke für Ihre Nachricht.", "none"),
    ("Ihre Domain wurde gesperrt.", "none"),
])
def test_apology_strength(analyzer, text, strength):
    assert analyzer.analyze(text).apology == strength


@pytest.mark.parametrize(("text", "claims"), [
    ("Mittlerweile ist der Server allerdings wieder voll erreichbar.", True),
    ("Der Fehler wurde behoben.", True),
    ("The issue has been resolved.", True),
    ("All systems are fully operational.", True),
    ("Der Server ist noch nicht wieder erreichbar.", False),
    ("Ist der Server wieder erreichbar?", False),
    ("Voraussichtlich ist der Server bis 18 Uhr wieder online.", False),
    ("The server will be back online by 6 pm.", False),
    ("Der Webshop steht Ihnen wieder uneingeschränkt zur Verfügung.", True),
    ("Das Portal steht Ihnen ab Montag, 9 Uhr, wieder zur Verfügung.", False),
    ("Das Portal steht noch nicht wieder zur Verfügung.", False),
])
def test_resolution_claim(analyzer, text, claims):
    assert analyzer.analyze(text).claims_resolution is claims


def test_the_formal_german_restoration_phrase_is_the_lexicon_s_evidence(analyzer):
    """"steht (Ihnen) wieder zur Verfügung" is how German vendors say it works again; the model alone read it under
    its line, so the phrase a lawyer can quote is the lexicon's (round 131)."""
    text = "Die Lohnabrechnung steht Ihnen wieder zur Verfügung."
    (finding,) = [f for f in analyzer.analyze(text, "de").findings if f.category == "resolution_claim"]
    assert finding.entry == "de-wieder-erreichbar" and finding.phrase == "wieder zur Verfügung"


@pytest.mark.parametrize(("text", "lang", "claims"), [
    # a repair, cause or time told first weighed against the state told after it (0.22, 0.43, 0.45)
    ("Nach einem Neustart des Routers funktioniert das Gäste-WLAN im Hotel wieder.", "de", True),
    ("Seitdem wir die Speicherkarte in der Kamera am Eingang erneuert haben, zeichnet sie wieder lückenlos auf.", "de", True),
    ("Nach der Umstellung auf den Ersatzserver laufen die Kassen im Fitnessstudio wieder.", "de", True),
    # the same fronted phrases before a condition, a question, the fault, or a time to come
    ("Falls nach dem Neustart alles wieder läuft, schließen wir das Ticket.", "de", False),
    ("Nach dem Neustart des Routers, funktioniert das WLAN bei Ihnen wieder?", "de", False),
    ("Seit dem Update läuft der Shop nicht mehr.", "de", False),
    ("Once the replacement disk arrives, the archive will be available again.", "en", False),
    # a state told back "from now": the corpus trained these words only in new practice (round 136)
    ("Ab sofort laden die Scans des Dentallabors wieder ins Portal hoch.", "de", True),
    ("Ihr Postfach steht Ihnen ab sofort wieder zur Verfügung.", "de", True),
    ("Effective immediately, you can log in to the portal again.", "en", True),
    # the same words with a new practice, an announcement, a service withdrawn, a question, another party's word
    ("Ab sofort prüfen wir jede Änderung an der Firewall zu zweit.", "de", False),
    ("Ab sofort ist die alte Schnittstelle nicht mehr erreichbar.", "de", False),
    ("Is the booking engine working again as of now?", "en", False),
    ("According to the bank, transfers are going through again as of now.", "en", False),
    # the author's own try told with its outcome: the words of success are any verb (round 138)
    ("I unlocked your door panel remotely and it opened at once.", "en", True),
    ("Ich habe Ihr Telefon eben angerufen, es klingelte sofort.", "de", True),
    ("Als ich um 9:10 Uhr nachgesehen habe, lud die Seite in unter einer Sekunde.", "de", True),
    # a try that failed, a try on a test system, an action continued, a try planned, a condition
    ("We made a test payment this morning and it was declined again.", "en", False),
    ("I booked a test appointment on our staging system and it showed up there.", "en", False),
    ("Wir haben eine Testzahlung ausgelöst, das Terminal zeigte danach eine Fehlermeldung.", "de", False),
    ("Mein Kollege hat die App neu installiert und sich angemeldet.", "de", False),
    ("Falls Sie eine Testmail schicken und sie ankommt, geben Sie uns bitte Bescheid.", "de", False),
])
def test_claims_the_model_misses_are_read_by_the_steps_after_it(analyzer, text, lang, claims):
    """A claim told after a fronted phrase (``fronted:``, round 134) or with "from now" words (``from_now:``, round
    136) is read again without them where the whole sentence reads none; the author's own try is read with its outcome
    (``try_claims:``, round 138). The claim exceptions and the conditional cues still read the whole sentence."""
    assert analyzer.analyze(text, lang).claims_resolution is claims


def test_the_fronted_phrase_ends_before_the_german_finite_verb(analyzer):
    """Without a comma, German marks the end of a fronted phrase by the verb: lower case, before its subject."""
    unit = analyzer.units("Nach einem Neustart des Routers funktioniert das Gäste-WLAN wieder.", "de")[1][0]
    rest = analyzer._main_clause(unit, "de")
    assert rest is not None and rest.words == "funktioniert das Gäste-WLAN wieder."
    (unit,) = analyzer.units("Sobald das Teil da ist, läuft die Anlage wieder.", "de")[1]
    assert analyzer._main_clause(unit, "de") is None


@pytest.mark.parametrize(("text", "lang", "measure"), [
    # a repair the author's side made, named as the point since which it works (label guide): a measure and the claim
    ("Nach einem Neustart des Routers funktioniert das Gäste-WLAN im Hotel wieder.", "de", True),
    ("Nothing has crashed since the memory upgrade.", "en", True),
    ("Seit dem Tausch des Netzteils ist der Server nicht wieder ausgefallen.", "de", True),
    # another party's act, an event that is no repair, a fix named only: the claim alone
    ("Payments are going through again since the bank renewed its certificate this morning.", "en", False),
    ("Der Server ist nach dem erneuten Absturz wieder online.", "de", False),
    ("The nightly import hasn't failed again since the fix on Monday.", "en", False),
])
def test_a_repair_named_as_the_point_since_which_it_works_is_a_measure(analyzer, text, lang, measure):
    """``measure_forms:`` reads the step beside a standing claim (rounds 132, 135); what names no repair of the
    author's side is left to the model."""
    analysis = analyzer.analyze(text, lang)
    assert analysis.claims_resolution
    assert any(f.entry == "measure_forms" and f.status == "ok" for f in analysis.findings) is measure


@pytest.mark.parametrize(("text", "lang", "author"), [
    ("Seit dem Update gestern läuft der Shop nicht mehr.", "de", None),  # no claim: the fault since a change
    ("Läuft der Shop seit dem Neustart wieder?", "de", None),  # asked
    ("Sobald wir das Netzteil getauscht haben, läuft die Anlage wieder.", "de", None),  # a forecast
    ("Since the restart at 09:30 everything has been stable.", "en", "customer"),  # a customer's words carry no measure
])
def test_a_repair_named_beside_no_standing_claim_is_no_measure_form(analyzer, text, lang, author):
    findings = analyzer.analyze(text, lang, author=author).findings
    assert not any(f.entry == "measure_forms" for f in findings)


def test_the_words_from_now_are_cut_with_the_lexicon_matches_kept_in_place(analyzer):
    (unit,) = analyzer.units("Ihr Postfach steht Ihnen ab sofort wieder zur Verfügung.", "de")[1]
    rest = analyzer._without_from_now(unit, "de")
    assert rest is not None and rest.words == "Ihr Postfach steht Ihnen wieder zur Verfügung."
    assert [rest.words[f.start:f.end] for f in rest.matches] == ["wieder zur Verfügung"]


@pytest.mark.parametrize(("text", "lang", "measure"), [
    # a state back "from now" is a claim, no measure (label guide): the words trained only new practice (round 137)
    ("Ab jetzt können Ihre Mitarbeiter wieder auf die Dateiablage zugreifen.", "de", False),
    ("Ab sofort werden Ihre E-Mails wieder zugestellt.", "de", False),
    # a step told beside it, or the author's own practice, stays a measure
    ("Wir haben das Netzteil getauscht, ab sofort läuft der Server wieder.", "de", True),
    ("We replaced the power supply, and as of now the server is running again.", "en", True),
])
def test_a_state_told_back_from_now_is_no_measure_by_those_words(analyzer, text, lang, measure):
    analysis = analyzer.analyze(text, lang)
    assert analysis.claims_resolution
    assert any(f.category == "measure" and f.status == "ok" for f in analysis.findings) is measure


def test_a_try_s_claim_names_its_reader(analyzer):
    (finding,) = [f for f in analyzer.analyze("We called your hotline number from two different phones and both calls "
                                              "were answered.", "en").findings if f.category == "resolution_claim"]
    assert finding.entry == "try_claims" and finding.reader == "lexicon"


def test_findings_carry_phrase_span_and_lexicon_entry(analyzer):
    text = "Guten Tag. Es tut uns leid."
    (finding,) = [f for f in analyzer.analyze(text).findings if f.category == "apology"]
    assert text[finding.start:finding.end] == finding.phrase == "Es tut uns leid"
    assert finding.entry == "de-tut-leid" and finding.lang == "de"


def test_test_split_figures_are_the_documented_ones_and_hold_a_floor(analyzer):
    """docs/message-analysis.md shows the current test-split figures; a regression below the floor fails."""
    from pactwatch.enrich.corpus import load_corpus, without_authors
    from pactwatch.enrich.quality import markdown_table, score

    corpus = ROOT / "rules" / "corpus" / "messages"
    test = load_corpus(corpus, "test")
    doc = (ROOT / "docs" / "message-analysis.md").read_text(encoding="utf-8")
    scores, misses = score(analyzer, test)
    assert markdown_table(scores) in doc, "docs/message-analysis.md shows stale test-split figures"
    for lang in ("de", "en"):
        lang_scores, _ = score(analyzer, [s for s in test if s.lang == lang])
        assert markdown_table(lang_scores) in doc, f"stale {lang} figures"
    unauthored, _ = score(analyzer, without_authors(test))
    assert markdown_table(unauthored) in doc, "stale figures of the test split read without authors"
    # A tripwire just below the current figures (re-based when the test split grew to 717
    # sentences with round 6; the targets themselves are far higher).
    weak = {c: (round(s.precision, 2), round(s.recall, 2)) for c, s in scores.items()
            if s.precision < 0.58 or s.recall < 0.44}
    assert not weak, f"below the regression floor: {weak}"
    assert 1 - len(misses) / len(test) >= 0.74


def test_commitment_times_resolve_in_contract_time(analyzer):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    at = datetime(2026, 3, 3, 10, 15, tzinfo=ZoneInfo("Europe/Berlin")).timestamp()
    a = analyzer.analyze("Voraussichtlich ist der Server bis 18 Uhr wieder online.")
    assert datetime.fromtimestamp(a.commitment(at, "Europe/Berlin"), ZoneInfo("Europe/Berlin")).hour == 18
    late = datetime(2026, 3, 3, 19, 0, tzinfo=ZoneInfo("Europe/Berlin")).timestamp()
    next_day = datetime.fromtimestamp(a.commitment(late, "Europe/Berlin"), ZoneInfo("Europe/Berlin"))
    assert (next_day.day, next_day.hour) == (4, 18)


@pytest.mark.parametrize(("text", "minutes"), [
    ("We'll update you within the hour.", 60),
    ("Next update in the next half hour.", 30),
    ("Wir melden uns innerhalb der nächsten Stunde bei Ihnen.", 60),
    ("Wir melden uns in einer halben Stunde.", 30),
    ("We will update you within 2 hours.", 120),
])
def test_spans_named_without_a_number_are_due_times(analyzer, text, minutes):
    (promise,) = analyzer.analyze(text).commitments(1_000_000.0, "UTC")
    assert (promise.kind, promise.due) == ("update", 1_000_000.0 + minutes * 60)


@pytest.mark.parametrize(("text", "hhmm"), [
    # a clock time that ends the sentence: its full stop is no part of a longer number (test story
    # en-nonnative-update-latest-at-16-missed: "latest at 16:00." had no due time, and missed-update never judged it)
    ("We will inform you when is ready, latest at 16:00.", (16, 0)),
    ("Next update at 16:30.", (16, 30)),
    ("Wir melden uns um 16:30.", (16, 30)),
    ("Nächstes Update: 14:45.", (14, 45)),
    ("We expect the site back by 18:15.", (18, 15)),
])
def test_a_clock_time_at_the_end_of_a_sentence_is_due(analyzer, text, hhmm):
    _, due = _due(analyzer, text, datetime(2026, 11, 17, 11, 5, tzinfo=ZoneInfo("Europe/London")), "Europe/London")
    assert (due.day, due.hour, due.minute) == (17, *hhmm)


@pytest.mark.parametrize(("text", "kind", "due"), [
    # "we will update you" is a promise, not an announced update of servers ("We will update our servers on …")
    ("We will update you in 30 minutes.", "update", (17, 11, 35)),
    ("Wir melden uns in 2 Std.", "update", (17, 13, 5)),
    ("Bis Mitternacht ist alles wieder online.", "restoration", (17, 23, 59)),
    ("We'll have it fixed first thing tomorrow.", "restoration", (18, 9, 0)),
])
def test_everyday_promise_times(analyzer, text, kind, due):
    read, when = _due(analyzer, text, datetime(2026, 11, 17, 11, 5, tzinfo=ZoneInfo("Europe/Berlin")))
    assert (read, (when.day, when.hour, when.minute)) == (kind, due)


@pytest.mark.parametrize(("text", "due"), [
    # times told in words (lexicon `dates: hour_words:`, `clock_offsets:`); written Monday 23 November, 18:15
    ("Morgen um halb neun ist Ihr Postfach wieder erreichbar.", (24, 8, 30)),  # test story of batch 20
    ("Bis viertel nach zehn ist alles wieder online.", (23, 22, 15)),
    ("Heute Abend um dreiviertel neun melden wir uns.", (23, 20, 45)),
    ("We'll be back by half past seven.", (23, 19, 30)),
    ("We will call you tomorrow at a quarter to ten.", (24, 9, 45)),
])
def test_times_told_in_words(analyzer, text, due):
    _, when = _due(analyzer, text, datetime(2026, 11, 23, 18, 15, tzinfo=ZoneInfo("Europe/Berlin")))
    assert (when.day, when.hour, when.minute) == due


def test_the_model_reads_a_time_told_in_words_as_a_clock_reads_it(analyzer):
    """The model learnt promises from times in digits: "um Viertel vor zwei" read 0.39 as a promise (test
    story of batch 21), "um 13:45 Uhr" 0.75. It now sees the words as the clock reads them."""
    due = analyzer._promises.due
    assert due.in_digits("Wir rufen Sie um Viertel vor zwei zurück.") == "Wir rufen Sie um 1:45 zurück."
    assert due.in_digits("at half past twelve, halb so schlimm") == "at 12:30, halb so schlimm"
    promise = analyzer.analyze("Wir analysieren das Problem und rufen Sie um Viertel vor zwei zurück.", "de", author="vendor")
    assert promise.has("commitment")
    past = analyzer.analyze("Wir haben um halb neun mit der Wartung begonnen.", "de", author="vendor")
    assert not past.has("commitment")


def test_an_announced_server_update_is_still_no_promise(analyzer):
    assert not analyzer.analyze("We will update our servers on Saturday between 02:00 and 04:00.").has("commitment")


def test_a_longer_number_is_no_clock_time(analyzer):
    due = analyzer._promises.due
    assert due.due("the log shows 10:14:30.", 0.0, "UTC") is None


def test_on_the_hour_is_no_due_time(analyzer):
    assert all(p.due is None for p in analyzer.analyze("Our monitor checks the site on the hour.").commitments(0.0, "UTC"))


# Sentences written for these tests, not taken from the corpus: each category both ways.
@pytest.mark.parametrize(("text", "category", "expected"), [
    ("We are very sorry for the disruption to your checkout.", "apology", True),
    ("We will not apologise for enforcing the fair-use policy.", "apology", False),
    ("Leider hat sich die Lieferung des Ersatzteils verzögert.", "regret", True),
    ("Die Lieferung des Ersatzteils ist heute eingetroffen.", "regret", False),
    ("The web servers are back online and serving traffic normally.", "resolution_claim", True),
    ("The web servers are not back online yet.", "resolution_claim", False),
    ("Ist die Störung inzwischen behoben?", "resolution_claim", False),
    ("Wir haben den Fehler gefunden, das Problem ist gelöst.", "resolution_claim", True),
    ("Das Problem ist noch nicht gelöst.", "resolution_claim", False),
    ("The login problem has been solved.", "resolution_claim", True),
    ("The login problem has not been solved yet.", "resolution_claim", False),
    ("The dashboard is available again, and we are now restoring the reporting servers.", "resolution_claim", False),
    ("Das Portal ist wieder erreichbar, die Datenbanken werden gerade wiederhergestellt.", "resolution_claim", False),
    ("Wir nehmen Ihre Beschwerde sehr ernst.", "boilerplate", True),
    ("We are confident that our abuse desk acted in line with our policies, and we thank you for your understanding.",
     "boilerplate", True),
    ("Please contact our accounts department about the invoice.", "referral", True),
    # the model reads a referral here (round 14); the label guide's hand-over (lexicon `handover:`) settles it
    ("Our accounts department will contact you about the invoice.", "referral", False),
    ("Wir erstatten Ihnen die Gebühren für den gesamten Monat.", "compensation_offer", True),
    ("Eine Erstattung der Gebühren ist leider nicht möglich.", "compensation_offer", False),
    ("We hereby claim a reduction of the fee for April.", "compensation_request", True),
    ("Der Techniker ist morgen bis 11 Uhr bei Ihnen.", "commitment", True),
    ("We will keep you posted.", "commitment", False),
    ("Das war ganz klar unser Fehler.", "admission", True),
    ("That was not our fault.", "admission", False),
    ("The outage was caused by a faulty power supply in the storage array.", "cause", True),
    ("Wir haben ein zusätzliches Monitoring für alle Domains eingerichtet.", "measure", True),
])
def test_each_category_is_read_both_ways(analyzer, text, category, expected):
    assert (category in predicted(analyzer.analyze(text))) is expected


# An offer told as a value idiom ("for free", "throw in", "geht auf uns"): the idioms are offer cues, which the model
# reads with the weight the usual words (credit, refund, kostenlos) taught it; a price or a plan that includes something
# free stays no offer. Sentences written for this test; the first three were no offer to the model before the cues.
@pytest.mark.parametrize(("text", "lang", "offer"), [
    ("Your next two orders ship for free.", "en", True),
    ("We'll throw in a second licence for the year.", "en", True),
    ("Die Kurierkosten gehen auf uns.", "de", True),
    ("Daily backups are included in every plan at no extra cost.", "en", False),
    ("Im Business-Tarif sind zwei Postfächer ohne Aufpreis enthalten.", "de", False),
])
def test_an_offer_told_as_a_value_idiom(analyzer, text, lang, offer):
    assert ("compensation_offer" in predicted(analyzer.analyze(text, lang))) is offer


# An admission phrase of the lexicon, found unconditioned, admits whatever else the sentence says (as an
# apology phrase apologises); the label guide's exceptions still undo it. Sentences written for this test.
@pytest.mark.parametrize(("text", "expected"), [
    ("Wir hätten Ihnen den Umzug des Postfachs vorher ankündigen müssen.", True),
    ("Ich hätte die Sicherung vor dem Update selbst prüfen sollen.", True),
    ("We should have warned you before we moved the database.", True),
    ("We made a careless error in the DNS change on Friday.", True),
    ("The missed deadline is entirely on us.", True),
    ("Für die verspätete Lieferung tragen wir die volle Verantwortung.", True),
    ("Die falsche Abbuchung war ein Fehler unsererseits.", True),
    # a fault owned in so many words: a long clause, an oversight, a mistake by our staff, the wrong thing checked
    ("Wir hätten die neue Firewall-Regel vor dem Einspielen an allen Standorten Ihrer Filialen testen müssen.", True),
    ("Unser Bereitschaftstechniker hat den Alarm in der Nacht übersehen.", True),
    ("Eine Kollegin hat Ihre Domain irrtümlich gekündigt.", True),
    ("Wir hatten nur den Hauptshop geprüft, bevor wir Entwarnung gaben.", True),
    ("The fault lies with us: the certificate was never renewed.", True),
    ("Our on-call engineer overlooked the disk alert overnight.", True),
    ("One of our admins pushed the change to the wrong DNS zone.", True),
    ("We had only tested the staging site before we told you it was fixed.", True),
    # a forecast, a denial, a condition, a refusal of responsibility
    ("We should have the replacement server ready by 5 pm.", False),
    ("We do not accept that the delay was our fault.", False),
    ("Sollten wir Ihnen den Umzug nicht angekündigt haben, bitten wir um Nachricht.", False),
    ("Für Schäden durch Dritte übernehmen wir keine Verantwortung.", False),
    # a customer's passive complaint, an oversight denied, the reader's own mistake
    ("Wir hätten früher informiert werden müssen.", False),
    ("We should have been informed before the move.", False),
    ("Wir haben nichts übersehen, die Warnung kam nie bei uns an.", False),
    ("We have not overlooked the alert; it never reached us.", False),
    ("I think you uploaded the wrong file.", False),
    ("Sie haben versehentlich die falsche Datei hochgeladen.", False),
    ("We have taken the wrong invoices off the portal.", False),
])
def test_an_admission_phrase_admits(analyzer, text, expected):
    assert ("admission" in predicted(analyzer.analyze(text))) is expected


@pytest.mark.parametrize(("text", "admission"), [
    # the author denies a fault (lexicon `not_admission:`): the first two read 0.61 and more as admissions after the
    # training material of 5 December taught "übersehen" and "falsch gemacht" as admission words
    ("Wir haben nichts übersehen, die Warnung kam nie bei uns an.", False),
    ("Wir sind nicht der Meinung, dass unsere Techniker etwas falsch gemacht haben.", False),
    ("We didn't miss anything on our side.", False),
    ("That was not our fault, the carrier lost the parcel.", False),
    # a fault owned in words with a negation is still an admission
    ("Wir haben die Warnung nicht gesehen, das war unser Fehler.", True),
    ("We didn't test it, and that was our mistake.", True),
    ("Wir haben zwei Tage lang nichts unternommen, das war falsch.", True),
    ("It wasn't the carrier, it was our own error.", True),
])
def test_a_denial_is_no_admission(analyzer, text, admission):
    assert ("admission" in predicted(analyzer.analyze(text))) is admission


@pytest.mark.parametrize(("text", "admission"), [
    # a fault, blame or responsibility denied in other words (lexicon `not_admission:`)
    ("Das war definitiv nicht unser Fehler.", False),
    ("Ein Fehler unseres Teams lag nach der Prüfung nicht vor.", False),
    ("Wir haben uns bei diesem Auftrag nichts vorzuwerfen.", False),
    ("It was truly not our error this time.", False),
    # a fault owned beside a negation elsewhere, or "not only … but"
    ("Wir haben die Wartung nicht angekündigt, das war unser Fehler.", True),
    ("Das war nicht nur Pech, sondern unser Fehler.", True),
    ("We did not warn you, and that was our fault.", True),
    ("That was not only bad luck but our mistake.", True),
])
def test_a_fault_denied_in_other_words_is_no_admission(analyzer, text, admission):
    """"Ein Fehler auf unserer Seite liegt nach unserer Prüfung nicht vor", "Die Verantwortung dafür übernehmen wir nicht",
    "This was honestly not our error" were read as admissions (the fault word outweighed the negation before it); a
    denial is no admission (label guide), and `no-apology` / the letter must not quote it as one."""
    assert ("admission" in predicted(analyzer.analyze(text))) is admission


@pytest.mark.parametrize(("text", "admission"), [
    # the author forgetting is an admission the model read as nothing or a measure (lexicon `admission_forms:`)
    ("We forgot to update the DNS records for your shop.", True),
    ("Our engineers forgot to re-enable the backups after the migration.", True),
    ("Ich habe vergessen, Ihre Mail weiterzuleiten.", True),
    # the reader's forgetting, a reminder, a question, a condition, a denial
    ("Did you forget to renew the domain?", False),
    ("Vergessen Sie bitte nicht, die Zugangsdaten zu ändern.", False),
    ("Did we forget to send you the report?", False),
    ("Falls wir etwas vergessen haben, melden Sie sich bitte.", False),
    ("We did not forget your cancellation.", False),
])
def test_the_author_forgetting_is_an_admission(analyzer, text, admission):
    analysis = analyzer.analyze(text)
    assert ("admission" in predicted(analysis)) is admission


@pytest.mark.parametrize(("text", "cause"), [
    # an event and the failure it led to, joined by a consequence connector: a cause the model read as nothing
    # (lexicon `cause_forms:`, probe round 84)
    ("The carrier mislabelled the pallet, which is why it never left the hub.", True),
    ("Our scheduler skipped the Friday run, which is why the reports were not sent.", True),
    ("Der Fahrer hat die Adresse verwechselt, weshalb das Paket nie ankam.", True),
    ("Der Kollege hat den Auftrag doppelt erfasst, deshalb kam die Ware nicht rechtzeitig.", True),
    # harm denied, a denial, a condition, a question, a new practice, a step taken
    ("Our backup ran as planned, so nothing was lost.", False),
    ("Nothing was changed on our side, which is why the fault could not have come from us.", False),
    ("If the certificate expired, so the shop went down, please tell us.", False),
    ("Did the router fail, so the office went offline?", False),
    ("Der Server lief stabil, daher gingen keine Daten verloren.", False),
    ("Nothing looked wrong on our dashboards at first, which is why the alert was missed.", False),
])
def test_an_event_told_with_the_failure_it_led_to_is_a_cause(analyzer, text, cause):
    assert _vendor_reads(analyzer, text, "cause") is cause


def test_a_customer_telling_what_the_vendor_did_states_no_cause(analyzer):
    """A customer's account of the vendor's fault is an allegation, not the vendor stating a cause (label guide)."""
    text = "Your scheduler skipped the Friday run, which is why our reports were not sent."
    assert "cause" not in predicted(analyzer.analyze(text, author="customer"))


@pytest.mark.parametrize(("text", "claim"), [
    # the vendor having solved the problem, in verbs and forms the model read as nothing (lexicon `solved_claims:`,
    # probe round 85)
    ("We have solved the problem.", True),
    ("We have remedied the issue.", True),
    ("We managed to fix the issue.", True),
    ("We’ve solved the problem.", True),
    ("Wir konnten das Problem lösen.", True),
    # the team as a German compound or hyphenated, the fault named first with a phrase after it (probe round 118)
    ("Unser Datenbankteam hat den Fehler in der Nacht behoben.", True),
    ("Den Fehler im Kalender haben unsere Servicetechniker gestern beseitigt.", True),
    ("Unser Service-Team hat die Störung an Ihrer Leitung repariert.", True),
    ("Unser Datenbankteam konnte den Fehler noch nicht beheben.", False),
    ("Sobald unser Datenbankteam den Fehler behoben hat, melden wir uns.", False),
    # not yet, asked, a forecast, another customer, a fix taken back
    ("We haven't solved the problem yet.", False),
    ("Have we solved the problem?", False),
    ("As soon as we have solved the problem, we will call you.", False),
    ("We solved a similar problem for another customer last year.", False),
    ("Sobald wir das Problem gelöst haben, melden wir uns.", False),
    ("Wir haben das Problem behoben, aber die Seite lädt noch nicht.", False),
])
def test_the_vendor_having_solved_the_problem_is_a_claim(analyzer, text, claim):
    assert _vendor_reads(analyzer, text, "resolution_claim") is claim


def test_a_customer_who_solved_the_problem_makes_no_vendor_claim(analyzer):
    text = "We have solved the problem ourselves by restarting the router."
    assert "resolution_claim" not in predicted(analyzer.analyze(text, author="customer"))


@pytest.mark.parametrize(("text", "admission"), [
    # the fault owned in plain words, which the model read as nothing, or responsibility taken with words between,
    # which it read as an offer (lexicon `admission_forms:`, probe round 86)
    ("We messed up.", True),
    ("We screwed up on this one.", True),
    ("That one is on me.", True),
    ("Wir übernehmen dafür die Verantwortung.", True),
    ("Die Verantwortung dafür übernehmen wir voll und ganz.", True),
    # asked, conditional, the reader's, denied before or after
    ("Did we mess up the configuration?", False),
    ("If we messed up, we will put it right.", False),
    ("You messed up the firewall rules.", False),
    ("Für Plugins von Drittanbietern übernehmen wir keine Verantwortung.", False),
    ("Die Verantwortung dafür übernehmen wir nicht.", False),
])
def test_the_fault_owned_in_plain_words_is_an_admission(analyzer, text, admission):
    assert _vendor_reads(analyzer, text, "admission") is admission


@pytest.mark.parametrize(("text", "offer"), [
    ("Wir übernehmen dafür die Verantwortung.", False),
    ("Dafür übernehmen wir die Verantwortung.", False),
    ("Wir übernehmen die Kosten für den Technikereinsatz.", True),
    ("Wir übernehmen die Verantwortung und erstatten Ihnen die Gebühr für März.", True),
])
def test_responsibility_taken_is_no_offer(analyzer, text, offer):
    """"übernehmen" offers costs ("Wir übernehmen die Kosten"); taking responsibility with no word of money offers
    nothing (lexicon `not_offer:`)."""
    assert _vendor_reads(analyzer, text, "compensation_offer") is offer


@pytest.mark.parametrize(("text", "referral"), [
    # another party named as the one who handles the customer's matter (lexicon `referral_forms:`, probe round 87)
    ("That's something your reseller handles.", True),
    ("Our partner handles all returns.", True),
    ("The retailer is responsible for all refunds.", True),
    ("Only the domain registrar can unlock the domain.", True),
    ("Das regelt Ihr Händler.", True),
    ("Nur Ihr Registrar kann die Domain entsperren.", True),
    # a fault blamed, the vendor's own team coming back, a party that does not, asked, conditional
    ("Our partner is responsible for the delay.", False),
    ("Our network team is handling the outage.", False),
    ("Your reseller does not handle refunds for licences bought from us.", False),
    ("Does your bank handle chargebacks?", False),
    ("Falls Ihr Händler die Reklamation nicht bearbeitet, helfen wir Ihnen gerne weiter.", False),
])
def test_another_party_handling_the_customers_matter_is_a_referral(analyzer, text, referral):
    assert _vendor_reads(analyzer, text, "referral") is referral


def test_a_customer_naming_who_handles_the_matter_makes_no_referral(analyzer):
    text = "Our insurer handles the claim, but we expect you to pay the excess."
    assert "referral" not in predicted(analyzer.analyze(text, author="customer"))


@pytest.mark.parametrize(("text", "offer"), [
    # a fee waived with the payer told not to pay, or cut with the object first (lexicon `offer_forms:`, round 88)
    ("You don't have to pay for March.", True),
    ("You don't need to pay for the days the shop was down.", True),
    ("Sie müssen für März nichts bezahlen.", True),
    ("Den Monatsbeitrag für März brauchen Sie nicht zu bezahlen.", True),
    ("Sie zahlen für den April nichts.", True),
    ("Ihre nächste Rechnung reduzieren wir um 50 Euro.", True),
    ("We're cutting this month's bill in half.", True),
    # deferred, conditional, asked, a double charge, negated before the form
    ("You don't have to pay the invoice yet.", False),
    ("You don't have to pay the setup fee if you upgrade.", False),
    ("Do I have to pay for March?", False),
    ("Sie müssen die Rechnung noch nicht bezahlen.", False),
    ("Wenn Sie verlängern, müssen Sie die Einrichtung nicht bezahlen.", False),
    ("It is not true that you don't have to pay for March.", False),
])
def test_a_fee_waived_or_cut_is_an_offer(analyzer, text, offer):
    assert _vendor_reads(analyzer, text, "compensation_offer") is offer


def test_a_form_of_either_language_is_found_in_a_sentence_of_unknown_language():
    """A sentence whose language is unknown is searched with every language's patterns, the leftmost match winning and
    the earlier language's on a tie, as one alternation would; two languages' patterns may both name the group ``ok``,
    which one alternation could not hold."""
    from pactwatch.enrich.messages import _PerLanguage

    forms = _PerLanguage.of_patterns({"de": [r"(?P<ok>b)c", "a"], "en": [r"x(?P<ok>a)", "b"]})
    assert forms.search(None, "zz bc xa").group(0) == "bc"  # leftmost: de's at 3
    assert forms.search(None, "xa").group(0) == "xa"  # de's "a" starts at 1, en's "xa" at 0
    assert forms.search(None, "b").group(0) == "b"  # en's only
    assert forms.search(None, "bc").group(0) == "bc"  # a tie at 0 (de's "bc", en's "b"): de first
    assert forms.search("en", "bc").group(0) == "b"
    assert forms.search("fr", "a") is not None  # a language without a lexicon is unknown
    assert _PerLanguage.of_patterns({"de": []}).search(None, "a") is None
    # one language's patterns, searched one by one past those whose literal text is missing, find what their
    # alternation finds: the leftmost match, the earlier pattern's on a tie
    one = _PerLanguage.of_patterns({"en": [r"\bcredit\s+note\b", r"\bcredit\b", r"\bnote\b"]})
    assert one.search("en", "a note and a credit note").group(0) == "note"
    assert one.search("en", "the credit note").group(0) == "credit note"
    assert one.search("en", "nothing here") is None


@pytest.mark.parametrize(("text", "admission"), [
    # a slip owned in its verb, which the model read as nothing (lexicon `admission_forms:`, probe round 89)
    ("I misread your ticket.", True),
    ("We mixed up your delivery address with another customer's.", True),
    ("Mea culpa.", True),
    ("Ich habe die beiden Aufträge verwechselt.", True),
    ("Ich habe Ihre Mail falsch verstanden.", True),
    ("Wir haben uns bei der Adresse vertan.", True),
    # denied, asked, conditional, another party's, a state
    ("We did not mix up the orders.", False),
    ("Haben wir die Aufträge verwechselt?", False),
    ("If we misread your request, please let us know.", False),
    ("Wir haben nichts verwechselt.", False),
    ("We are confused by the error message.", False),
])
def test_a_slip_owned_in_its_verb_is_an_admission(analyzer, text, admission):
    assert _vendor_reads(analyzer, text, "admission") is admission


def test_a_customer_forgetting_is_no_admission_of_the_vendor(analyzer):
    assert "admission" not in predicted(analyzer.analyze("We forgot to pay the May invoice.", author="customer"))


@pytest.mark.parametrize(("text", "admission"), [
    # "should have" with something had done by a time is a forecast (lexicon `not_admission:`, probe round 50)
    ("We should have the replacement disk fitted by tonight.", False),
    ("I should have your refund processed within two working days.", False),
    # "should have" with a participle owns a fault, whatever time follows
    ("We should have replaced the disk by Monday at the latest.", True),
    ("We should have had the firmware tested before the rollout.", True),
])
def test_should_have_with_a_time_is_a_forecast(analyzer, text, admission):
    assert ("admission" in predicted(analyzer.analyze(text))) is admission


# The label guide's exceptions to an apology (lexicon `sympathy:` and `not_apology:`), on sentences
# written for this test: sympathy and conditional apologies are regret; an apology asked for, awaited,
# refused or named as a gesture is none; an apology beside such words still counts.
@pytest.mark.parametrize(("text", "apology", "regret"), [
    ("I'm so sorry to hear that your launch was affected.", False, True),
    ("Es tut uns leid zu lesen, dass die Lieferung erneut ausgeblieben ist.", False, True),
    ("Es tut mir leid, dass Sie es so erlebt haben.", False, True),
    ("In case your users noticed anything, we apologise.", False, True),
    # the condition after the apology makes it conditional too
    ("We regret the inconvenience and apologise if this caused trouble.", False, True),
    ("Wir entschuldigen uns, falls Ihnen dadurch Nachteile entstanden sind.", False, True),
    ("We apologise for the outage; if you need anything, call us.", True, False),
    ("Your director asked us to apologise to the board.", False, False),
    ("Wir warten bis heute auf eine Entschuldigung.", False, False),
    ("We see no need to apologise for a planned update.", False, False),
    ("Eine Entschuldigung haben wir ausdrücklich verlangt.", False, False),
    ("By way of an apology, the setup fee is waived.", False, False),
    # a gift named as an apology with words between is a gesture too (probe round 55)
    ("We're sending your team lunch as a small way of saying sorry.", False, False),
    ("Als kleine Entschuldigung erhalten Sie einen Monat gratis.", False, False),
    # the message itself offered as the author's apology is one
    ("Please accept this e-mail as our formal apology for the outage.", True, False),
    ("Bitte betrachten Sie diese Mail als unsere offizielle Entschuldigung für den Ausfall.", True, False),
    # also as "an" apology: the words before "as" / "als" name the message, not a gift
    ("Kindly accept this letter as an apology for the missed deadline.", True, False),
    ("Please take this as an apology for how long the answer took.", True, False),
    ("Verstehen Sie dieses Schreiben bitte als Entschuldigung für die lange Wartezeit.", True, False),
    ("We have added a week to your plan as an apology.", False, False),
    ("Den Gutschein legen wir als Entschuldigung bei.", False, False),
    # a refusal to apologise, by anyone, is none (probe round 50)
    ("The hosting partner refused to apologise for the data loss.", False, False),
    ("Der Dienstleister hat es abgelehnt, sich bei unseren Kunden zu entschuldigen.", False, False),
    ("Eine Entschuldigung hat der Vermieter bisher verweigert.", False, False),
    # a payment declined beside the author's own apology refuses nothing
    ("Your payment was declined and we apologise for the trouble.", True, False),
    ("Ihre Zahlung wurde abgelehnt, wir bitten um Entschuldigung.", True, False),
    # with a word of regret beside it, the regret stands once the apology is undone (probe round 52)
    ("Unfortunately the hosting partner refused to apologise for the data loss.", False, True),
    ("Leider hat der Hersteller abgelehnt, sich für den Ausfall zu entschuldigen.", False, True),
    ("We want to apologise for the missed call.", True, False),
    ("Wir bitten um Entschuldigung für die Verzögerung.", True, False),
    ("We're sorry to hear it hit your launch, and we apologise for the delay.", True, False),
])
def test_apology_exceptions_of_the_label_guide(analyzer, text, apology, regret):
    got = predicted(analyzer.analyze(text))
    assert ("apology" in got, "regret" in got) == (apology, regret)


# A forecast or a hope is no claim that it works now (lexicon `forecast:`); "once again" is no forecast.
@pytest.mark.parametrize(("text", "claim"), [
    ("We hope the dashboards are back to normal now.", False),
    ("Once the patch is deployed, everything works again.", False),
    ("Sobald das Update eingespielt ist, funktioniert der Export wieder.", False),
    ("Once again, all mailboxes are reachable.", True),
    ("Der Export funktioniert wieder.", True),
    # a repair in the German present tense is an intention; done, it is a claim
    ("Wir beheben den Fehler und melden uns bis 15 Uhr wieder.", False),
    ("Wir haben das repariert, der Export funktioniert wieder.", True),
    # an aim or the future tense is no state
    ("Our engineers are working hard to bring the portal back online.", False),
    ("Wir arbeiten mit Hochdruck daran, dass der Webshop wieder erreichbar ist.", False),
    ("When the new disk is in, the database will be available again.", False),
    ("Nach dem Neustart werden alle Postfächer wieder erreichbar sein.", False),
    # "sich wieder melden" is a message promised, not a restoration
    ("Das habe ich an unsere Technik gegeben, ich melde mich morgen wieder.", False),
    ("Alle Postfächer sind wieder erreichbar, ich melde mich wieder.", True),
    ("All mailboxes are working again, and we will keep an eye on them.", True),
    # work in progress is no state; finished work that names the state is (round 26)
    ("We are bringing the primary back now.", False),
    ("We're restoring last night's backup onto the new node at the moment.", False),
    ("Wir sind gerade dabei, den Server neu aufzusetzen.", False),
    ("We are restarting the last node and the site is already answering again.", True),
    # "as usual" in German ("wie gewohnt") is the state of things working (a claim cue)
    # open from reading round 28 (0.40) until "ab sofort" was read out (from_now:, round 136)
    ("Ihre Postfächer laufen ab sofort auf dem neuen Cluster und sind wie gewohnt erreichbar.", True),
])
def test_a_forecast_is_no_resolution_claim(analyzer, text, claim):
    assert ("resolution_claim" in predicted(analyzer.analyze(text))) is claim


@pytest.mark.parametrize("tag", ["de-CH", "de_AT", "DE", " de "])
def test_a_language_tag_with_a_region_names_its_language(analyzer, tag):
    """A Swiss corpus or mail client writes "de-CH": the German lexicon reads it, not a guess from the
    words (which for a short line may be English)."""
    analysis = analyzer.analyze("Support OK, Server läuft.", tag)
    assert analysis.lang == "de"
    assert {f.lang for f in analysis.findings} <= {"de"}


def test_a_customer_claims_compensation_and_never_offers_it(analyzer):
    text = "We will take the service credit off your next invoice ourselves."
    by_customer = predicted(analyzer.analyze(text, author="customer"))
    assert "compensation_request" in by_customer and "compensation_offer" not in by_customer


def test_for_a_customer_the_compensation_head_decides_whether_it_is_a_request(analyzer):
    """A customer's words about compensation claim it, so the model need only see compensation: the
    head trained on offers and requests together decides, not the request head alone."""
    model = analyzer.model
    assert model.merged == {"compensation": ("compensation_offer", "compensation_request")}
    assert model.author_heads == {"customer": "compensation"}
    zero = dict.fromkeys(model.heads, 0.0)
    line = model.thresholds["compensation"]
    assert model.present({**zero, "compensation": line}, "customer") == {"compensation_request"}
    assert model.present({**zero, "compensation": line - 0.01, "compensation_request": 0.99}, "customer") == set()
    # the vendor's offers and text without an author are read by their own heads, as before
    assert model.present({**zero, "compensation": 0.99}, "vendor") == set()
    assert model.present({**zero, "compensation": 0.99}) == set()


def test_review_asks_of_a_customer_request_what_decides_it(analyzer):
    """The review queue offers a sentence whose deciding reading is close to its line: for a customer's
    request that is the compensation head, not the request head."""
    model = analyzer.model
    zero = dict.fromkeys(model.heads, 0.0)
    line, margin = model.thresholds["compensation"], model.review_margin
    near = {**zero, "compensation": line + margin / 2, "compensation_request": 0.01, "compensation_offer": 0.99}
    assert analyzer.unsure(near, "customer") == ["compensation_request"]
    assert analyzer.doubtful({**near, "compensation": line - margin / 2}, "customer") == ["compensation_request"]
    assert "compensation_request" not in analyzer.unsure(near) and "compensation_offer" not in analyzer.unsure(near)
    assert model.deciding(near, "customer")["compensation_request"] == (near["compensation"], line)
    assert "compensation_offer" not in model.deciding(near, "customer")


def test_a_category_one_sentence_reads_clearly_is_not_uncertain_for_another_near_its_line(analyzer, monkeypatch):
    """The bundled case's "wir bitten um Aufklärung: …" read close to the line as a request beside "Wir erwarten
    zudem ein finanzielles Entgegenkommen" (0.99): the request does not rest on the unsure sentence."""
    model = analyzer.model
    line, margin = model.thresholds["resolution_claim"], model.review_margin
    zero = dict.fromkeys(model.heads, 0.0)
    near, clear = {**zero, "resolution_claim": line + margin / 2}, {**zero, "resolution_claim": 0.999}
    readings = {"Is it fixed?": near, "The site works again.": clear}
    monkeypatch.setattr(model, "probabilities_many",
                        lambda batch: [dict(readings["The site works again." if any("work" in w for w in f.spelled) else "Is it fixed?"])
                                       for f in batch])
    assert analyzer.analyze("Is it fixed? The site works again.", "en").uncertain == ()
    assert analyzer.analyze("Is it fixed?", "en").uncertain == ("resolution_claim",)


@pytest.mark.parametrize("text", [
    # without an author: 0.29 as a request, 0.03 as an offer; the compensation head, which decides a
    # customer's words, 0.58 (for the customer 0.69, over its line)
    "Der Juni-Beitrag wird von uns um die Ausfalltage gekürzt.",
    "Die Einrichtungsgebühr sollte unter diesen Umständen entfallen.",  # 0.13 and 0.42; the head 0.78 for the customer
])
def test_a_customer_request_in_words_of_neither_kind_is_read_as_one_because_the_customer_wrote_it(analyzer, text):
    assert "compensation_request" in predicted(analyzer.analyze(text, author="customer"))
    assert "compensation_request" not in predicted(analyzer.analyze(text))


@pytest.mark.parametrize("text", [
    "Please apply the service credit under clause 3.2.",
    "Kindly issue a refund for the three days of downtime.",
])
def test_a_customer_asking_for_what_a_vendor_offers_claims_it_however_unsure_the_model(analyzer, monkeypatch, text):
    # the model alone cannot carry it: with its line for requests out of reach, the customer's request
    # form and the offer phrase still make it one; the vendor's own words stay no request
    monkeypatch.setitem(analyzer.model.thresholds, "compensation_request", 0.999)
    assert "compensation_request" in predicted(analyzer.analyze(text, author="customer"))
    assert "compensation_request" not in predicted(analyzer.analyze(text, author="vendor"))
    thanks = "Please note that the refund arrived today, thank you."
    assert "compensation_request" not in predicted(analyzer.analyze(thanks, author="customer"))


def test_an_apology_phrase_the_lexicon_finds_unconditioned_apologises_whatever_the_model_weighs(analyzer, monkeypatch):
    # the rest of the sentence weighed against "We're sorry" (0.23); with the model's line out of reach
    # the phrase still apologises, and the label guide's exceptions still undo what is no apology
    monkeypatch.setitem(analyzer.model.thresholds, "apology", 0.999)
    read = predicted(analyzer.analyze("We're sorry - the fix only reached part of our servers, so we closed the "
                                      "incident too early."))
    assert "apology" in read
    assert "apology" in predicted(analyzer.analyze("Wir entschuldigen uns für den Ausfall von gestern."))
    assert predicted(analyzer.analyze("I'm sorry to hear about the wait.")) == {"regret"}
    assert "apology" not in predicted(analyzer.analyze("We do not see any reason to apologise."))
    assert "apology" not in predicted(analyzer.analyze("Our upstream provider has apologised to us for the outage."))


def test_a_customer_s_words_are_read_only_as_what_a_customer_does(analyzer):
    demand = "We expect a written root-cause report by Friday noon."
    assert "commitment" in predicted(analyzer.analyze(demand))  # read without an author: a promise
    assert predicted(analyzer.analyze(demand, author="customer")) == set()  # a customer's demand
    own = predicted(analyzer.analyze("Wir haben uns leider zu spät gemeldet, das war unser Fehler.", author="customer"))
    assert own == {"regret"}


def test_the_scorer_reads_the_complaint_register_as_the_customer_s(analyzer):
    from pactwatch.enrich.corpus import Sample
    from pactwatch.enrich.quality import author_of, score

    said = {"story": "s", "lang": "en", "text": "We will take the service credit off your next invoice ourselves.",
            "labels": ["compensation_request"]}
    complaint = Sample.model_validate({**said, "register": "complaint"})
    assert author_of(complaint) == "customer" and author_of(Sample.model_validate({**said, "register": "mail"})) is None
    scores, misses = score(analyzer, [complaint])
    assert scores["compensation_request"].tp == 1 and scores["compensation_offer"].fp == 0 and not misses


# No admission of the author's, no referral where the vendor hands over and comes back, no offer in a claim passed on, no promise in an
# announcement or a schedule, no claim in a question, no measure or cause in work on the ticket (lexicon
# `not_admission:`, `handover:`, `not_offer:`, `not_commitment:`, `forecast:`, `not_measure:`, `not_cause:`), on sentences written for this test.
@pytest.mark.parametrize(("text", "category", "expected"), [
    ("Should it turn out that our update caused this, we will say so.", "admission", False),
    ("Sollte sich herausstellen, dass der Fehler bei uns lag, melden wir uns.", "admission", False),
    ("We do not accept that our network caused the delay.", "admission", False),
    ("Der Netzbetreiber hat inzwischen eingeräumt, dass die Leitung falsch geschaltet war.", "admission", False),
    ("That one is on us: we skipped the test before the release.", "admission", True),
    ("I have passed your question to our billing team, who will reply today.", "referral", False),
    ("Ihre Anfrage haben wir an die Fachabteilung weitergeleitet.", "referral", False),
    ("Please take billing questions to our accounts team directly.", "referral", True),
    ("Bitte wenden Sie sich dafür an Ihren Händler.", "referral", True),
    # a hand-over that still sends the customer elsewhere is a referral (lexicon `referral_imperative:`)
    ("Für Rechnungsfragen ist unsere Buchhaltung zuständig; bitte schreiben Sie an buchhaltung@example.ch, die Kollegen "
     "melden sich dann bei Ihnen.", "referral", True),
    ("Billing questions are handled by our accounts team; please write to accounts@example.com and they will get back "
     "to you.", "referral", True),
    # a customer's claim for money passed on inside the vendor is no offer ("Ihre Bitte um" is no "bitte")
    ("I've passed your credit request on to our billing team, they'll be in touch.", "compensation_offer", False),
    ("Your refund request has been forwarded to our finance team.", "compensation_offer", False),
    ("Ihre Bitte um Gutschrift haben wir an unsere Buchhaltung weitergegeben.", "compensation_offer", False),
    ("Ihre Bitte um Gutschrift haben wir an unsere Buchhaltung weitergegeben.", "referral", False),
    ("We'll refund the full amount; your request has been passed to billing to process it.", "compensation_offer", True),
    ("Wir haben Ihnen 50 € gutgeschrieben und die Rechnung an die Buchhaltung weitergegeben.", "compensation_offer", True),
    # another party paying is its offer, not the author's; the author's own offer naming another party stays one
    ("Your insurer will pick up the tab for the rental car.", "compensation_offer", False),
    ("The supplier has agreed to refund you directly.", "compensation_offer", False),
    ("Die Miete für den Ersatzwagen übernimmt Ihre Versicherung.", "compensation_offer", False),
    ("Die Kosten werden von Ihrer Versicherung übernommen.", "compensation_offer", False),
    ("We will refund the fee the carrier charged you.", "compensation_offer", True),
    ("We will reimburse anything your insurer does not cover.", "compensation_offer", True),
    ("Was Ihre Versicherung nicht übernimmt, erstatten wir Ihnen.", "compensation_offer", True),
    ("Scheduled maintenance on Saturday from 01:00 to 03:00 CET.", "commitment", False),
    ("Das Wartungsfenster liegt jeden Mittwoch zwischen 23 und 1 Uhr.", "commitment", False),
    ("Refunds usually reach your card within five business days.", "commitment", False),
    ("We expect the export to be working again by 14:00 today.", "commitment", True),
    # a deadline set for the reader is not the author's promise
    ("Kindly remove the script and confirm by Friday 12:00 UTC, or we will restrict the instance.", "commitment", False),
    ("You must settle the open invoice by 30 June.", "commitment", False),
    ("Bitte sichern Sie das Formular bis morgen 10 Uhr, sonst sperren wir den Zugang.", "commitment", False),
    ("Sie müssen die Last bis heute Abend reduzieren.", "commitment", False),
    ("Wir schicken sie Ihnen bis Montag zu.", "commitment", True),
    ("We will send you the corrected invoice by Friday.", "commitment", True),
    # opening hours, and a status update's time stamp when nothing else is timed
    ("Die Hotline ist Montag bis Freitag von 8 bis 20 Uhr besetzt.", "commitment", False),
    ("Phone support is staffed Monday to Friday, 9 am to 5 pm.", "commitment", False),
    ("Stand 09:40 Uhr: Die Techniker sind weiter mit der Fehlersuche beschäftigt.", "commitment", False),
    ("Update 09:40 UTC: engineers are still investigating the database cluster.", "commitment", False),
    ("Stand 09:40 Uhr: Wir rechnen mit einer Lösung bis 12 Uhr.", "commitment", True),
    ("Update 09:40 UTC: we expect the cluster to be back by 12:00.", "commitment", True),
    # what happened at a time is no promise, nor is a deadline inside a condition
    ("Der Techniker war am Dienstag um 10 Uhr bei Ihnen.", "commitment", False),
    ("The engineer was on site within two hours on Tuesday.", "commitment", False),
    ("Der Techniker war heute früh vor Ort; den Bericht schicken wir Ihnen morgen bis 12 Uhr.", "commitment", True),
    ("The engineer was on site at 9 and will be back tomorrow at 10.", "commitment", True),
    ("If the payment has not arrived by 5 May, the account will be suspended.", "commitment", False),
    ("Sollte die Zahlung nicht bis zum 5. Mai eingehen, sperren wir das Konto.", "commitment", False),
    # each language's exceptions read its own sentences: the English "was" is no German past tense
    ("Ich schaue mir das an und sage Ihnen bis 15 Uhr, was los ist.", "commitment", True),
    # an operation announced for a day or a window is no promise; a deadline or a word of coming back is
    ("The web cluster will be patched on Sunday between 02:00 and 02:30 UTC.", "commitment", False),
    ("There will be a short interruption of the VPN gateway on 2 July from 23:00 to 23:10.", "commitment", False),
    ("Am Dienstag zwischen 5 und 6 Uhr wird Ihr Datenbankserver neu gestartet.", "commitment", False),
    ("Das Ticketsystem ist am Freitag von 18 bis 19 Uhr nicht erreichbar.", "commitment", False),
    ("We will call you on Monday between 9 and 10 am.", "commitment", True),
    ("Your shop will be moved to the new cluster by Friday.", "commitment", True),
    ("Wir gehen davon aus, dass Ihr Server bis 18 Uhr wieder erreichbar ist.", "commitment", True),
    # an out-of-office reply or a hope names a time but promises nothing, unless another clause does
    ("Thanks for your e-mail, I am on holiday until 3 June.", "commitment", False),
    ("Ich bin bis Freitag im Urlaub.", "commitment", False),
    ("Hopefully your shop will be online again by noon.", "commitment", False),
    ("Wir hoffen, dass die Seite bis Mittag wieder läuft.", "commitment", False),
    ("We hope that helps; we will send the report by Friday.", "commitment", True),
    # a window in the past and another party's forecast promise nothing; asking to be told when it works
    # claims nothing (`forecast:`); work on the ticket or a change only weighed is no measure (`not_measure:`)
    ("The booking engine was unavailable from 07:15 to 09:50 CET.", "commitment", False),
    ("Zwischen 7:15 und 9:50 Uhr konnten keine Buchungen angelegt werden.", "commitment", False),
    ("The booking engine will be back between 09:00 and 09:30 at the latest.", "commitment", True),
    ("The manufacturer expects to ship the spare board on Thursday.", "commitment", False),
    ("Laut Hersteller soll die Ersatzplatine am Donnerstag verschickt werden.", "commitment", False),
    ("The manufacturer ships the board on Thursday and we will fit it on Friday by noon.", "commitment", True),
    ("Please let us know once the booking engine is working again.", "resolution_claim", False),
    ("Geben Sie uns bitte Bescheid, sobald die Buchungen wieder funktionieren.", "resolution_claim", False),
    ("I've logged a ticket with our database team.", "measure", False),
    ("Ihr Fall wurde an das Datenbankteam eskaliert.", "measure", False),
    ("We are weighing whether to move the database to faster disks.", "measure", False),
    ("We have moved the database to faster disks.", "measure", True),
    # nor is it a cause, unless the sentence gives one (`not_cause:`)
    ("A support case was opened for the outage at 09:12.", "cause", False),
    ("Für die Störung wurde ein Ticket angelegt.", "cause", False),
    ("We opened an incident because the disk controller failed.", "cause", True),
    ("Der Vorgang wurde angelegt, weil der Router ausgefallen ist.", "cause", True),
    # the fault only named is no cause either (`not_cause:`); a reason, the part that failed or a compound naming it is
    ("Leider kam es heute Nachmittag zu einer Störung auf dem Server srv-204.", "cause", False),
    ("Gestern Abend gab es einen kurzen Ausfall.", "cause", False),
    ("Unfortunately there was a short outage this afternoon.", "cause", False),
    ("We had some issues on Thursday between 10:05 and 10:40.", "cause", False),
    ("Es kam zu einer Störung auf dem Server srv-388.", "cause", False),
    ("Unfortunately there was an outage on server srv-112.", "cause", False),
    ("Es kam zu einer Störung, weil der Speicher des Datenbankservers voll war.", "cause", True),
    ("Es gab einen Ausfall der Stromversorgung im Rechenzentrum.", "cause", True),
    ("There was an outage because the storage controller failed.", "cause", True),
    ("We had a problem with the storage controller in rack 4.", "cause", True),
])
def test_exceptions_of_the_label_guide(analyzer, text, category, expected):
    assert (category in predicted(analyzer.analyze(text))) is expected


# A customer who acknowledges a credit does not claim one (lexicon `not_request:`); a customer who has
# not received it still does.
@pytest.mark.parametrize(("text", "expected"), [
    ("Thank you, the service credit has arrived.", False),
    ("Die Gutschrift für den Ausfall ist heute bei uns eingegangen, danke.", False),
    ("The credit note has not arrived; we claim the credit under section 7.", True),
    ("Wir haben die Gutschrift nicht erhalten und fordern sie nach Ziffer 7 ein.", True),
])
def test_a_customer_acknowledging_a_credit_does_not_claim_one(analyzer, text, expected):
    assert ("compensation_request" in predicted(analyzer.analyze(text, author="customer"))) is expected


def test_each_finding_records_its_reader_and_confidence(analyzer):
    by_lexicon = analyzer.analyze("We apologise for the outage.")
    (apology,) = by_lexicon.ok("apology")
    assert apology.reader == "lexicon" and apology.entry == "en-apologise" and 0.5 <= apology.confidence <= 1
    paraphrase = analyzer.analyze("Everything is working again.")
    (claim,) = paraphrase.ok("resolution_claim")
    assert claim.reader in ("lexicon", "model") and claim.confidence >= 0.5


def test_a_lexicon_match_the_context_undoes_is_rejected_not_dropped(analyzer):
    analysis = analyzer.analyze("We are not in a position to offer any credit for this incident.")
    assert not analysis.has("compensation_offer")


@pytest.mark.parametrize("text", [
    "Danke.\n\nAm 3. März 2026 um 20:48 schrieb Support:\n> Wir entschuldigen uns für den Ausfall.",
    "Thanks.\n\n-----Original Message-----\nFrom: Support\nWe apologise for the outage.",
    "Thanks.\n\nFrom: Support <s@example.com>\nSent: Monday, 2 March 2026 09:12\nWe apologise for the outage.",
    "Sie schrieben „wir entschuldigen uns für den Ausfall“, aber nichts ist passiert.",
    "You wrote \"we apologise for the outage\" and then nothing happened.",
    "> We apologise for the outage.\nThanks for nothing.",
])
def test_quoted_material_in_any_style_is_not_the_authors_words(analyzer, text):
    assert analyzer.analyze(text).apology == "none"


def test_the_author_speaks_again_below_a_bottom_posted_quote(analyzer):
    text = "On 4 May, Anna wrote:\n> Why was nobody informed?\n\nWe apologise, that was our mistake."
    assert analyzer.analyze(text).apology == "explicit"


def test_a_claim_about_a_component_is_scoped_to_it(analyzer):
    analysis = analyzer.analyze("The private cloud infrastructure is available again.")
    assert analysis.claims_resolution and analysis.claim_scope() == ("component", "infrastructure")
    general = analyzer.analyze("Der Server ist wieder voll erreichbar.")
    assert general.claim_scope() == ("general", None)


@pytest.mark.parametrize(("text", "written", "tz", "window"), [
    # a date and a range; "24 Uhr" is the day's end
    ("Am Donnerstag, 5. November, zwischen 22 und 24 Uhr tauschen wir die Speichersysteme.", "2026-11-02T10:00:00+01:00",
     "Europe/Berlin", ("2026-11-05T22:00:00+01:00", "2026-11-06T00:00:00+01:00")),
    # an end before the start is on the next day, across the spring DST change
    ("Wartung am 28. März von 23 bis 4 Uhr.", "2026-03-20T10:00:00+01:00", "Europe/Berlin",
     ("2026-03-28T23:00:00+01:00", "2026-03-29T04:00:00+02:00")),
    # a named zone wins; a weekday without a date is the next one
    ("Webhook delivery will be paused on Saturday between 01:00 and 02:00 UTC.", "2026-03-10T10:00:00+01:00",
     "Europe/Amsterdam", ("2026-03-14T02:00:00+01:00", "2026-03-14T03:00:00+01:00")),
    ("Webmail will be unavailable on Sunday from 4 to 5 am.", "2026-02-20T10:00:00+00:00", "Europe/London",
     ("2026-02-22T04:00:00+00:00", "2026-02-22T05:00:00+00:00")),
    ("Network maintenance is planned for 3 March, 00:00-02:00 UTC.", "2026-02-20T10:00:00+00:00", "UTC",
     ("2026-03-03T00:00:00+00:00", "2026-03-03T02:00:00+00:00")),
    # no range of two times, no window
    ("We will move your sites from 2 to 3 servers next week.", "2026-02-20T10:00:00+00:00", "UTC", None),
    ("Wir melden uns gegen 15 Uhr.", "2026-02-20T10:00:00+01:00", "Europe/Berlin", None),
])
def test_a_maintenance_notice_names_its_window_in_words(analyzer, text, written, tz, window):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    read = analyzer.window(text, datetime.fromisoformat(written).timestamp(), tz)
    got = tuple(datetime.fromtimestamp(x, ZoneInfo(tz)) for x in read) if read else None
    assert got == (tuple(datetime.fromisoformat(w) for w in window) if window else None)


def _due(analyzer, text, written, tz="Europe/Berlin"):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    (promise,) = analyzer.analyze(text).commitments(written.timestamp(), tz)
    return promise.kind, datetime.fromtimestamp(promise.due, ZoneInfo(tz))


def test_a_day_of_the_month_is_a_promise_s_time(analyzer):
    """"by the 14th", "bis zum 14.": the next such day, this month's if still to come, else the next month's
    (round 140); the model's promise had been dropped for naming no time the reader knew."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    kind, due = _due(analyzer, "You'll get the final incident report from us by the 14th.", datetime(2026, 4, 8, 10, 0, tzinfo=berlin))
    assert kind == "report" and (due.month, due.day, due.hour, due.minute) == (4, 14, 23, 59)
    # the 14th has passed: next month's; a day April lacks is May's
    _, due = _due(analyzer, "You'll get the final incident report from us by the 14th.", datetime(2026, 4, 20, 10, 0, tzinfo=berlin))
    assert (due.month, due.day) == (5, 14)
    _, due = _due(analyzer, "Den Bericht erhalten Sie bis zum 31.", datetime(2026, 4, 8, 10, 0, tzinfo=berlin))
    assert (due.month, due.day) == (5, 31)
    # the next month, across the year's end; a month named; an ordinal after the month's name
    _, due = _due(analyzer, "The replacement units will ship on the 3rd of next month.", datetime(2026, 12, 15, 9, 0, tzinfo=berlin))
    assert (due.year, due.month, due.day) == (2027, 1, 3)
    _, due = _due(analyzer, "Wir melden uns bis zum 3. des nächsten Monats.", datetime(2026, 12, 15, 9, 0, tzinfo=berlin))
    assert (due.year, due.month, due.day) == (2027, 1, 3)
    _, due = _due(analyzer, "We'll have the migration plan to you by the 9th of June.", datetime(2026, 4, 8, 10, 0, tzinfo=berlin))
    assert (due.month, due.day) == (6, 9)
    _, due = _due(analyzer, "You'll have the corrected credit note by May 2nd.", datetime(2026, 4, 8, 10, 0, tzinfo=berlin))
    assert (due.month, due.day) == (5, 2)
    # the day the clocks go forward ends at 23:59 summer time
    _, due = _due(analyzer, "Wir melden uns bis zum 29.", datetime(2026, 3, 20, 9, 0, tzinfo=berlin))
    assert (due.month, due.day, due.hour, due.utcoffset().total_seconds()) == (3, 29, 23, 7200)


@pytest.mark.parametrize("text", [
    "Our office is on the 4th floor.",
    "Salaries did not arrive in our employees' accounts on the 28th.",
    "Der Ausfall am 14. dauerte drei Stunden.",
])
def test_a_day_of_the_month_alone_makes_no_promise(analyzer, text):
    assert "commitment" not in predicted(analyzer.analyze(text))


def test_promises_resolve_across_day_month_and_dst_boundaries(analyzer):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    berlin, london = ZoneInfo("Europe/Berlin"), ZoneInfo("Europe/London")
    # 28 March 2026, 19:00: "by 18:00" is tomorrow, after the clocks went forward (CEST, UTC+2)
    kind, due = _due(analyzer, "Der Server sollte bis 18 Uhr wieder laufen.", datetime(2026, 3, 28, 19, 0, tzinfo=berlin))
    assert kind == "restoration" and (due.day, due.hour, due.utcoffset().total_seconds()) == (29, 18, 7200)
    # 31 January: "tomorrow morning" is 1 February
    _, due = _due(analyzer, "Bis morgen früh ist die Platte getauscht und alles wieder online.",
                  datetime(2026, 1, 31, 22, 0, tzinfo=berlin))
    assert (due.month, due.day, due.hour) == (2, 1, 9)
    # written on Wednesday 8 April in London: Friday 10 April 18:00 BST, not 8 April
    kind, due = _due(analyzer, "All services will be restored by 6 pm BST on Friday 10 April.",
                     datetime(2026, 4, 8, 10, 15, tzinfo=london), "Europe/London")
    assert (due.day, due.hour, due.utcoffset().total_seconds()) == (10, 18, 3600)
    # a named zone wins over the contract's
    _, due = _due(analyzer, "We expect all services to be restored by 12:00 UTC.", datetime(2026, 3, 3, 9, 0, tzinfo=berlin))
    assert (due.day, due.hour) == (3, 13)
    # business days skip the weekend, and a span of days ends with its last day, as a contract counts
    kind, due = _due(analyzer, "Innerhalb von zwei Werktagen erhalten Sie eine Rückmeldung von uns.",
                     datetime(2026, 3, 6, 15, 0, tzinfo=berlin))
    assert kind == "update" and (due.day, due.hour, due.minute) == (10, 23, 59)
    # written at 02:20 on Wednesday 18 November: the fifth business day is Wednesday 25 November
    kind, due = _due(analyzer, "We will publish a full post-mortem within 5 business days.",
                     datetime(2026, 11, 18, 2, 20, tzinfo=berlin))
    assert kind == "report" and (due.month, due.day, due.hour, due.minute) == (11, 25, 23, 59)
    # calendar days across the month's end and the switch to winter time; hours are counted exactly
    _, due = _due(analyzer, "You will get our written statement within 3 days.", datetime(2026, 10, 23, 9, 0, tzinfo=berlin))
    assert (due.month, due.day, due.hour, due.utcoffset().total_seconds()) == (10, 26, 23, 3600)
    _, due = _due(analyzer, "You will get our written statement within 24 hours.", datetime(2026, 10, 23, 9, 0, tzinfo=berlin))
    assert (due.day, due.hour) == (24, 9)


@pytest.mark.parametrize(("text", "written", "expected"), [
    # a bare hour after a word of time is the first such hour after the message, in either half of the day
    ("hey, yep we're seeing it too – one of our database nodes ran out of disk space. engineers are on it, "
     "I'll ping you here by 11 with an update", (17, 9, 52), ("update", 17, 11, 0)),
    ("We'll have the site back by 3.", (17, 13, 0), ("restoration", 17, 15, 0)),
    ("We'll have the site back by 8.", (17, 9, 0), ("restoration", 17, 20, 0)),
    ("Ich melde mich bis 3 mit einem Update.", (17, 13, 0), ("update", 17, 15, 0)),
    ("Wir melden uns um 10 bei Ihnen.", (17, 8, 30), ("update", 17, 10, 0)),
    # the last hour named is the deadline
    ("We started the restore at 9 and will update you by 11.", (17, 9, 30), ("update", 17, 11, 0)),
    # at 23:30, "by 1" is half past midnight's next hour: 01:00 the next day
    ("We'll have it back by 1.", (17, 23, 30), ("restoration", 18, 1, 0)),
    # a day part or a named day says which half
    ("We'll have it back by 8 tonight.", (17, 9, 0), ("restoration", 17, 20, 0)),
    ("We will call you on Friday at 3.", (17, 9, 0), ("callback", 20, 15, 0)),
    # a count is no hour, nor a date's day
    ("We will restore service at 5 sites by Friday.", (17, 9, 0), ("restoration", 20, 23, 59)),
    ("Wir melden uns bis 11. Dezember bei Ihnen.", (17, 9, 0), ("update", None, 23, 59)),
])
def test_a_bare_hour_after_a_word_of_time_is_a_clock_time(analyzer, text, written, expected):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")  # 17 November 2026 is a Tuesday
    day, hour, minute = written
    kind, due = _due(analyzer, text, datetime(2026, 11, day, hour, minute, tzinfo=london), "Europe/London")
    want_kind, want_day, want_hour, want_minute = expected
    assert kind == want_kind
    assert (due.hour, due.minute) == (want_hour, want_minute)
    assert want_day is None or due.day == want_day
    assert want_day is not None or (due.month, due.day) == (12, 11)


def test_minutes_past_the_hour_name_no_hour(analyzer):
    (promise,) = analyzer.analyze("We will have it fixed by 20 past.").commitments(1_700_000_000, "Europe/London")
    assert promise.due is None


@pytest.mark.parametrize(("text", "kind"), [
    ("Next update by 16:30.", "update"),
    ("Our engineers will have your mailboxes back by 7:00 tomorrow.", "restoration"),
    ("We will get back in touch with you by 17:00.", "update"),
    ("You will receive a written root-cause statement within 72 hours.", "report"),
    ("An engineer will call you back within the next 30 minutes.", "callback"),
    ("Der Server sollte bis 19 Uhr wieder laufen.", "restoration"),
    # inflected: the kind's words match on lemmas too ("work again", "zurückrufen", "gutschreiben")
    ("We expect the export to be working again by 14:00 CET today.", "restoration"),
    ("Ich rufe Sie vor 17 Uhr zurück.", "callback"),
    ("I'll give you a call by 11am.", "callback"),
    ("Ich melde mich bis 15 Uhr telefonisch bei Ihnen.", "callback"),
    ("After a call with our supplier we expect the fix by 17:00.", "restoration"),
    # an engineer on site is a visit, unless the clause says what the engineer will restore
    ("Our technician will be on site tomorrow by 10 am.", "visit"),
    ("Ein Techniker kommt morgen zwischen 8 und 10 Uhr vorbei.", "visit"),
    ("Our technician will restore the line by 5 pm.", "restoration"),
    # a span named without a number is a time: "in einer halben Stunde" makes the sentence a promise
    ("Wir melden uns in einer halben Stunde wieder.", "update"),
    ("Der Betrag wird Ihnen bis Freitag gutgeschrieben.", "credit"),
    # the clause that holds the time says what is promised, before the rest of the sentence
    ("Our payment gateway integration is failing after this morning's release; we're rolling it back and "
     "expect checkout to be working by 12:00 UTC.", "restoration"),
    ("The invoice will be corrected, and the service restored by 18:00.", "restoration"),
    ("Der Server ist voraussichtlich ab 14 Uhr betriebsbereit.", "restoration"),
    # a German word does not match a kind by its last part: "Zustand" is no "Stand" (an update)
    ("Der Zustand des Servers sollte bis 18 Uhr wieder normal sein.", "restoration"),
    # a hedge's words say nothing of the kind: "Nach aktuellem Stand" is no update, "as things stand" none either
    ("Nach aktuellem Stand sollte Ihr Shop spätestens gegen 10 Uhr wieder erreichbar sein.", "restoration"),
    ("As things stand, we expect the portal to be reachable again by 15:00.", "restoration"),
    ("According to our latest update from the carrier, the line should be back by 4 pm.", "restoration"),
    ("Wir melden uns bis 13 Uhr mit dem aktuellen Stand.", "update"),
    # German puts the verb second after a time: "Bis 14 Uhr informieren wir Sie", not "wir informieren Sie"
    ("Bis 14 Uhr informieren wir Sie über den weiteren Verlauf.", "update"),
    ("Bis 10 Uhr melde ich mich wieder bei Ihnen.", "update"),
    ("Bis 16 Uhr rufen wir Sie an.", "callback"),
    ("Spätestens morgen früh hören Sie von uns.", "update"),
    ("Heute Abend schicken wir Ihnen einen neuen Sachstand.", "update"),
    ("Die nächste Information folgt um 13 Uhr.", "update"),
    ("Bis Freitag schreiben wir Ihrem Konto die Monatsgebühr gut.", "credit"),
    # news by message, in any verb: "circle back", "let you know", "ping" promise no restoration
    ("We'll circle back by noon.", "update"),
    ("We'll let you know by 6 pm how it is going.", "update"),
    ("I'll ping you by 3pm with news.", "update"),
    ("I will write to you again before the end of the day.", "update"),
    ("We should have the site back up by 18:00.", "restoration"),
])
def test_promises_have_a_kind(analyzer, text, kind):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    assert _due(analyzer, text, datetime(2026, 3, 3, 9, 0, tzinfo=ZoneInfo("Europe/Berlin")))[0] == kind


def test_reading_is_linear_a_megabyte_of_text_and_a_long_quoted_history(analyzer):
    """The one timing guard (generous bounds): a 300 kB text took 48 s before."""
    import time

    prose = "We apologise for the outage. The cause was a failed disk, which we replaced. " * 13_000
    quoted = "Thanks.\n\nOn Mon, 2 Mar 2026, Support wrote:\n" + "> The server is fully reachable again.\n" * 20_000
    start = time.perf_counter()
    assert analyzer.analyze(prose, "en").apology == "explicit"
    assert analyzer.analyze(quoted).apology == "none"
    assert analyzer.analyze("x" * 1_000_000).findings == ()
    assert time.perf_counter() - start < 30


def test_categories_that_exclude_each_other_keep_one_and_the_label_guide_settles_apology_over_regret(analyzer):
    model = analyzer.model
    zero = dict.fromkeys(model.heads, 0.0)
    # an offer and a request exclude each other; the author, where known, decides, not the margin
    both = {**zero, "compensation_offer": 0.99, "compensation_request": model.thresholds["compensation_request"] + 0.01,
            "compensation": 0.99}
    assert model.present(both) == {"compensation_offer"}
    assert model.present(both, "customer") == {"compensation_request"}
    assert model.present(both, "vendor") == {"compensation_offer"}
    assert model.present({**zero, "compensation_request": 0.99}, "vendor") == {"compensation_request"}
    # two categories no labelled sentence has together: the one further over its line stays
    pair = next(tuple(sorted(p)) for p in model.exclusive if "apology" not in p and "regret" not in p)
    a, b = pair
    probs = {**zero, a: min(0.999, model.thresholds[a] + 0.3), b: model.thresholds[b] + 0.001}
    assert model.present(probs) == {a}
    # an apology wins over regret, however sure the regret is
    probs = {**zero, "apology": model.thresholds["apology"] + 0.001, "regret": 0.999}
    assert model.present(probs) == {"apology"}
    text = "Es tut uns leid, dass Ihre Seite nicht erreichbar ist, und wir entschuldigen uns für die Unannehmlichkeiten."
    assert analyzer.analyze(text, "de").apology == "explicit"


def test_the_author_settles_offer_or_request_in_a_case(analyzer, monkeypatch):
    """A customer's claim that reads more like an offer stays a claim: the engine passes the actor."""
    from pactwatch.enrich.outages import OutageTracker
    from pactwatch.facts import build_facts
    from pactwatch.models.events import Event

    model = analyzer.model
    probs = {**dict.fromkeys(model.heads, 0.0), "compensation_offer": 0.99,
             "compensation_request": model.thresholds["compensation_request"] + 0.01, "compensation": 0.99}
    monkeypatch.setattr(model, "probabilities_many", lambda batch: [dict(probs) for _ in batch])
    reader = analyzer
    text = "Die Gutschrift für März behalten wir ein."
    assert reader.analyze(text, "de").has("compensation_offer")
    assert not reader.analyze(text, "de", author="customer").has("compensation_offer")
    assert reader.analyze(text, "de", author="customer").has("compensation_request")
    for actor, field in (("customer", "requests_compensation"), ("vendor", "offers_compensation")):
        event = Event.model_validate({"id": "m1", "type": "message.received" if actor == "customer" else "message.sent",
                             "at": "2026-03-03T10:00:00Z", "vendor": "acme", "actor": actor,
                                       "text": text, "lang": "de"})
        [fact] = build_facts(event, 0.0, reader, OutageTracker())
        assert fact[field] is True
        other = "offers_compensation" if field == "requests_compensation" else "requests_compensation"
        assert fact[other] is False


def test_skipping_lexicon_patterns_whose_words_are_absent_changes_no_reading():
    """The literal pre-test (enrich/_literals.py) only saves scans: every corpus sentence and
    every story read as one mail gets the same lexicon matches as with every pattern scanned."""
    import re

    from pactwatch.enrich._literals import fold, may_match, required
    from pactwatch.enrich.corpus import load_corpus

    tested, scanned = load_rules().analyzer(), load_rules().analyzer()
    for lex in scanned._lex.values():
        lex.needs = [None] * len(lex.entries)
    samples = load_corpus(Path(__file__).resolve().parent.parent / "rules" / "corpus" / "messages")
    stories: dict[str, list[str]] = {}
    for s in samples:
        stories.setdefault(s.story or s.text, []).append(s.text)
    texts = [s.text for s in samples] + ["\n\n".join(v) for v in stories.values()]
    texts += ["Wir sınd untröstlich: der Fehler ıst behoben.", "WIR HABEN DEN FEHLER BEHOBEN, SORRY!"]
    for text in texts:
        assert tested.units(text) == scanned.units(text), text
    # the requirement itself: sound on what re treats as equal, and absent where nothing is required
    needs = required(re.compile(r"\b(?:is|are)\s+(?:now\s+)?(?:fixed|resolved)\b", re.IGNORECASE))
    assert needs == {"fixed", "resolved"}
    assert may_match(needs, fold("The issue IS FIXED.")) and not may_match(needs, fold("All good."))
    assert required(re.compile(r"\bby\s+\d{1,2}:\d{2}", re.IGNORECASE)) is None  # "by" alone is too short to test
    assert required(re.compile(r"(?:sorry)?\s*ok", re.IGNORECASE)) is None  # an optional part is not required
    assert required(re.compile(r"sorry", 0)) is None  # the test casefolds: case-sensitive patterns always scan
    assert may_match(required(re.compile(r"ist\s+behoben", re.IGNORECASE)), fold("ıst behoben"))


def test_readings_kept_between_messages_change_nothing(monkeypatch):
    """Sentences already read (greetings, signatures, stock phrases) are taken from the analyzer's
    bounded cache: the same findings as a fresh analyzer, also when the cache overflows mid-text."""
    import pactwatch.enrich.messages as messages

    texts = ["Sehr geehrte Damen und Herren, wir entschuldigen uns. Die Störung ist behoben.",
             "Wir entschuldigen uns. Die Störung ist nicht behoben. Mit freundlichen Grüßen",
             "We are sorry. All services have been restored. Kind regards",
             "Die Störung ist behoben."]
    fresh = [load_rules().analyzer().analyze(t).findings for t in texts]
    kept = load_rules().analyzer()
    assert [kept.analyze(t).findings for t in texts] == fresh
    assert [kept.analyze(t).findings for t in texts] == fresh  # now all from the cache
    assert len(kept._read) == 6  # "Mit freundlichen Grüßen" and "Kind regards" are sign-offs, not read
    monkeypatch.setattr(messages, "_READINGS_KEPT", 2)
    small = load_rules().analyzer()
    assert [small.analyze(t).findings for t in texts * 2] == fresh * 2
    assert len(small._read) <= 3


def test_a_sentence_decided_once_is_decided_alike_wherever_it_stands():
    """Verdicts are kept per sentence, counted from the sentence's start: the same sentence at another
    place of another mail, by the same author, gets the findings a fresh analyzer gives it there."""
    texts = [("Wir entschuldigen uns. Die Störung ist behoben.", "customer"),
             ("Guten Tag. Leider gab es Probleme. Wir entschuldigen uns. Die Störung ist behoben.", "customer"),
             ("Guten Tag. Leider gab es Probleme. Wir entschuldigen uns. Die Störung ist behoben.", "vendor"),
             ("We are sorry. The first month is on us. Is it fixed?", None),
             ("Hello again. We are sorry. The first month is on us.", "vendor")]
    fresh = [(a.findings, a.uncertain, a.doubtful) for a in
             (load_rules().analyzer().analyze(t, author=who) for t, who in texts)]
    kept = load_rules().analyzer()
    for _ in range(2):
        assert [(a.findings, a.uncertain, a.doubtful) for a in
                (kept.analyze(t, author=who) for t, who in texts)] == fresh
    for (text, _), (findings, _, _) in zip(texts, fresh, strict=True):
        assert findings and all(text[f.start:f.end].strip() == f.phrase.strip() for f in findings)  # where they stand
    # "Wir entschuldigen uns." by a customer and by a vendor are two verdicts; the vendor's one more
    assert len(kept._decided) == len({(a.lang, who, u.words) for t, who in texts
                                      for a in [kept.analyze(t, author=who)] for u in kept.units(t)[1] if u.words.strip()})


def test_texts_read_together_are_read_as_one_at_a_time():
    """``analyze_many`` reads every new sentence of a batch at once: each text gets the analysis it gets alone,
    with its language, author and reviewer annotations; an empty text is read as nothing."""
    from pactwatch.enrich.messages import Text
    from pactwatch.enrich.review import Annotation

    claim = "Die Störung ist behoben."
    texts = [Text("Wir entschuldigen uns. " + claim, "de", "vendor"),
             Text(None), Text(""),
             Text("Wir entschuldigen uns. " + claim, "de", "vendor",
                  (Annotation(event="m1", start=23, end=23 + len(claim), sentence=claim, labels=[], reviewer="ana",
                              date="2026-03-01"),)),
             Text("We want our money back. All services have been restored.", None, "customer"),
             Text("We want our money back. All services have been restored.", None, None)]
    alone = [load_rules().analyzer().analyze(t.text, t.lang, t.reviewed, t.author) for t in texts]
    together = load_rules().analyzer().analyze_many(texts)
    assert [a.findings for a in together] == [a.findings for a in alone]
    assert [(a.lang, a.uncertain, a.doubtful, a.reviewed) for a in together] == \
        [(a.lang, a.uncertain, a.doubtful, a.reviewed) for a in alone]
    assert together[3].reviewed and not together[3].claims_resolution and together[0].claims_resolution


@pytest.mark.parametrize(("text", "lang", "promise"), [
    # a promise names its time (label guide); without one the model's reading does not stand
    ("I'll check and get back to you.", "en", False),
    ("We will look into it and come back to you.", "en", False),
    ("Wir schauen uns das an und melden uns.", "de", False),
    ("We'll get back to you within the hour.", "en", True),
    ("We will update you by end of day.", "en", True),
    ("Wir melden uns im Laufe des Tages.", "de", True),
])
def test_a_promise_names_its_time(analyzer, text, lang, promise):
    """"I'll check and get back to you" read 0.52 as a commitment, with no due time to hold the vendor to."""
    assert ("commitment" in predicted(analyzer.analyze(text, lang, author="vendor"))) is promise


@pytest.mark.parametrize(("text", "expected"), [
    ("Die Kollegen sind dran, bis Mittag sollte alles wieder laufen.", {"commitment"}),
    ("We expect all services to be restored by 12:00 UTC.", {"commitment"}),
    ("The payout has been released and should reach your account tomorrow.", {"commitment", "resolution_claim"}),
])
def test_a_restoration_forecast_is_a_promise_not_a_claim(analyzer, text, expected):
    """Label guide: a forecast ("should be back by 6") is no resolution claim; a claim beside a
    promise of another kind stays one."""
    assert predicted(analyzer.analyze(text)) & {"commitment", "resolution_claim"} == expected

@pytest.mark.parametrize(("text", "claim"), [
    # the fault said no longer to happen is a resolution claim (lexicon `absence_claims:`)
    ("The login error no longer occurs on any of your accounts.", True),
    ("Since the fix at 10:05 we have not seen a single timeout.", True),
    ("The nightly export no longer fails.", True),
    ("Die Fehlermeldung beim Login tritt nicht mehr auf.", True),
    ("Seit dem Update um 10:05 Uhr gab es keine Abbrüche mehr.", True),
    ("Der nächtliche Export schlägt nicht mehr fehl.", True),
    # a thing that no longer works is the fault; asked, conditional, partial, quoted back, or a prevention
    ("The nightly export no longer runs.", False),
    ("Der Export läuft seit gestern nicht mehr.", False),
    ("Unsere Kunden kommen seit heute nicht mehr auf die Seite.", False),
    ("Does the login error still occur, or has it stopped?", False),
    ("If the error no longer occurs after the update, you can close the ticket.", False),
    ("The login error no longer occurs for most users, but some still see it.", False),
    ("Sie schreiben, die Fehlermeldung trete nicht mehr auf, aber wir sehen sie noch.", False),
    ("The export now has its own volume, so a full disk can no longer stop it.", False),
])
def test_a_fault_no_longer_happening_is_a_claim(analyzer, text, claim):
    """A claim told as the fault's absence, which no corpus sentence told and the model read as
    nothing ("The error no longer occurs." 0.06); the label guide's exceptions still apply."""
    _read_as_claim_form(analyzer, text, claim, "absence_claims")


@pytest.mark.parametrize(("text", "claim"), [
    # the fault's state negated, both languages; no problems since; the working state held since a step or a time
    ("Der Mailserver ist nicht mehr offline.", True),
    ("Ihre Domain ist nicht mehr gesperrt.", True),
    ("Ihr Shop ist nicht länger gestört.", True),
    ("Seit heute Morgen gab es keine Probleme mehr.", True),
    ("The mail server is no longer offline.", True),
    ("Your site isn't down anymore.", True),
    ("We haven't seen any issues since the rollback.", True),
    ("Everything has been stable since the restart at 09:30.", True),
    ("The platform has been stable for the past six hours.", True),
    # "no longer reachable" is the fault; asked, conditional, a prevention, history before the fault, negated, partial
    ("Die Seite ist nicht mehr erreichbar.", False),
    ("The site is no longer reachable.", False),
    ("Ist die Seite nicht mehr offline?", False),
    ("Your account can no longer be blocked.", False),
    ("The site isn't down, it's just slow.", False),
    ("The server had been stable for months before the outage.", False),
    ("The platform hasn't been stable since the update.", False),
    ("If everything has been stable since the restart, we will close the ticket.", False),
    ("Has everything been stable since the restart?", False),
    ("The site is no longer down for most customers, but some still see errors.", False),
])
def test_the_fault_gone_or_the_state_held_is_a_claim(analyzer, text, claim):
    """Claims the model read as nothing: the fault's state negated ("nicht mehr offline", "no longer down") and
    stability held since a step ("stable since the restart at 09:30"; German "seit … stabil" the model reads)."""
    assert _vendor_reads(analyzer, text, "resolution_claim") is claim


@pytest.mark.parametrize(("text", "claim"), [
    # work on the case with nothing of its end: no claim
    ("The incident has been thoroughly analysed.", False),
    ("The issue has been fully investigated.", False),
    ("Your request has been processed.", False),
    ("Your complaint has been handled.", False),
    # its end beside it stays a claim, also after an acknowledgement
    ("The issue has been investigated and resolved.", True),
    ("Your ticket has been logged and the site is back online.", True),
    ("Your request has been processed and your site is online again.", True),
])
def test_work_on_the_case_is_no_claim(analyzer, text, claim):
    """"The incident has been thoroughly analysed." and "Your request has been processed." read as claims, each a
    false-resolution finding while the service was down (`not_claim:`); an acknowledgement with a claim after "and"
    ("Your ticket has been logged and the site is back online.") had lost the claim to the acknowledgement's pattern."""
    assert _vendor_reads(analyzer, text, "resolution_claim") is claim


@pytest.mark.parametrize(("text", "referral"), [
    # thanks for a contact already made, or a reply to this mail asked for: nobody is sent elsewhere
    ("Thanks for getting in touch with our support team.", False),
    ("Thank you for contacting our customer service.", False),
    ("Many thanks for your e-mail to the billing department.", False),
    ("Danke für Ihre Nachricht an unser Support-Team.", False),
    ("Vielen Dank für Ihre Nachricht an unser Qualitätsmanagement.", False),
    ("If you have questions about this report, reply to this e-mail.", False),
    # the thanks with the reader sent on, or sent on alone, is a referral
    ("Thanks for contacting us; for billing questions, please contact our accounts team.", True),
    ("Danke für Ihre Anfrage, für Rechnungsfragen ist unsere Buchhaltung zuständig.", True),
    ("For billing questions, please reply to our accounts team instead of this e-mail.", True),
    ("Ihre Beschwerde richten Sie bitte an unser Qualitätsmanagement.", True),
])
def test_thanks_for_the_message_is_no_referral(analyzer, text, referral):
    """"Danke für Ihre Nachricht an unser Support-Team" read as a referral (the team named after "an"): thanks for a
    message already sent sends nobody anywhere (`not_referral:`)."""
    assert _vendor_reads(analyzer, text, "referral") is referral


@pytest.mark.parametrize(("text", "referral"), [
    # another party blamed for this fault: whose fault it was, not where to go (`not_referral:`)
    ("Our partner is responsible for the delay.", False),
    ("The manufacturer is responsible for the faulty firmware.", False),
    ("Für die Verzögerung ist unser Logistikpartner verantwortlich.", False),
    ("Der Hersteller ist für den Fehler in der Firmware verantwortlich.", False),
    # a party responsible for a kind of matter, or blamed and the reader sent on: a referral
    ("The carrier is responsible for lost parcels, so please file your claim with them.", True),
    ("The carrier is responsible for the delay, so please file your claim with them.", True),
    ("Für die Verzögerung ist der Paketdienst zuständig, bitte wenden Sie sich an ihn.", True),
    ("The manufacturer is responsible for warranty repairs.", True),
    ("Für verlorene Pakete ist der Paketdienst zuständig.", True),
])
def test_another_party_blamed_is_no_referral(analyzer, text, referral):
    """"Our partner is responsible for the delay." read as a referral: the label guide's referral sends the reader
    elsewhere, and blaming a partner for this fault sends nobody anywhere."""
    assert _vendor_reads(analyzer, text, "referral") is referral


@pytest.mark.parametrize(("text", "measure"), [
    # the incident reported to an authority, a cause ruled out: no step against the fault (`not_measure:`)
    ("Wir haben den Vorfall der Datenschutzbehörde gemeldet.", False),
    ("Wir haben einen Hardwaredefekt ausgeschlossen.", False),
    ("Einen Hardwaredefekt konnten wir ausschließen.", False),
    ("We have notified the data protection authority as required.", False),
    ("We have ruled out a hardware fault.", False),
    # a step beside it, or a step that rules faults out in future, stays a measure
    ("Wir haben einen Hardwaredefekt ausgeschlossen und das Netzteil getauscht.", True),
    ("We have ruled out a hardware fault and replaced the network card.", True),
    ("Wir haben die Firewall-Regel korrigiert und den Vorfall der Datenschutzbehörde gemeldet.", True),
    ("Künftig schließen wir solche Fehler durch einen zweiten Test aus.", True),
])
def test_reporting_or_ruling_out_is_no_measure(analyzer, text, measure):
    """"Wir haben den Vorfall der Datenschutzbehörde gemeldet." and "Wir haben einen Hardwaredefekt ausgeschlossen."
    read as measures: telling an authority and excluding a cause take no step against the fault (label guide)."""
    assert _vendor_reads(analyzer, text, "measure") is measure


def _vendor_reads(analyzer, text: str, category: str) -> bool:
    """Whether the vendor's sentence is read as ``category``."""
    return category in predicted(analyzer.analyze(text, author="vendor"))


def _read_as_claim_form(analyzer, text: str, claim: bool, entry: str) -> None:
    """A claim form of the lexicon reads the sentence as a claim (or leaves it none), and says so."""
    analysis = analyzer.analyze(text)
    assert ("resolution_claim" in predicted(analysis)) is claim
    if claim:
        # The lexicon's form recognises the claim whatever the model reads, and where the model misses it the finding
        # is the lexicon's, named for the evidence. The model read all of these as nothing when the forms were
        # written; since the training material of 5 December it finds some itself, and then its reading stands.
        assert analyzer._claim_form(text, analysis.lang) == entry
        readers = {(f.reader, f.entry) for f in analysis.ok("resolution_claim")}
        assert readers in ({("lexicon", entry)}, {("model", "model")})


@pytest.mark.parametrize(("text", "claim"), [
    # one question about the state claims nothing
    ("Is your shop running again?", False),
    ("So the VPN is stable again?", False),
    ("Works now?", False),
    ("Ist das Problem jetzt behoben?", False),
    # a claim told before a question is a claim: the clause before it is read alone
    ("Everything looks fine on our end – could you clear your browser cache and try again?", True),
    ("The site is back online, can you check on your side?", True),
    ("Der Server läuft wieder; können Sie das bestätigen?", True),
    # the fault before a question is no claim, read alone or not
    ("The mailbox is still unreachable, could you send us the error message?", False),
])
def test_a_sentence_that_is_one_question_claims_nothing(analyzer, text, claim):
    """Label guide: a question is no resolution claim; "Is your shop running again?" read as one, so a vendor who only
    asked could be found to have claimed falsely. A claim told before a question was read as nothing, the question
    mark weighing on the whole sentence."""
    assert ("resolution_claim" in predicted(analyzer.analyze(text))) is claim


@pytest.mark.parametrize(("text", "claim"), [
    # the fault said to be over is a resolution claim (lexicon `absence_claims:`)
    ("The incident has ended.", True),
    ("The incident affecting card payments is over.", True),
    ("Die Unterbrechung ist beendet.", True),
    ("Der Ausfall ist inzwischen vorüber.", True),
    ("Die Störung beim Kartenzahlungsdienst ist mittlerweile beendet.", True),
    ("We're back to full capacity.", True),
    # negated, asked, under when / once / sobald, a forecast, partial, another kind of end
    ("The outage is not over yet.", False),
    ("I don't think the outage is over.", False),
    ("Is the outage over?", False),
    ("When the incident is over, we will publish a report.", False),
    ("Sobald die Unterbrechung beendet ist, melden wir uns.", False),
    ("Die Störung ist für die meisten Kunden vorbei, einige Postfächer sind noch offline.", False),
    ("The maintenance window has ended.", False),
    ("Ihr Vertrag ist zum 31. März beendet.", False),
])
def test_the_fault_said_to_be_over_is_a_claim(analyzer, text, claim):
    """"The outage is over" was read, "The incident has ended" and "Die Unterbrechung ist beendet" were not (a batch of
    everyday sentences); a first try that wanted the verb right after the fault noun, and took "when" for no condition,
    failed its round (93) and was dropped."""
    _read_as_claim_form(analyzer, text, claim, "absence_claims")


@pytest.mark.parametrize(("text", "claim"), [
    # the vendor's own test or check reported as passing is a resolution claim (lexicon `evidence_claims:`)
    ("Our test order from this morning went through without a hitch.", True),
    ("Our status checks show your mail server accepting connections.", True),
    ("Our checks are green.", True),
    ("Unsere Testbestellung von heute früh ging ohne Probleme durch.", True),
    ("Unsere Überwachung zeigt, dass der Server Verbindungen annimmt.", True),
    # the check told in the first person, without a test noun
    ("I checked your booking page a minute ago and it loads fine.", True),
    ("I opened the portal from home and it loaded instantly.", True),
    ("Wir haben uns eben mit Ihrem Zugang angemeldet, es hat problemlos funktioniert.", True),
    ("Ich habe die Seite eben aufgerufen, sie lädt ohne Fehler.", True),
    # part checked and the rest assumed (the seed story's admission), a check on a test system, still failing
    ("We checked the first domain only and assumed the rest were fine.", False),
    ("Wir haben nur die erste Domain geprüft und angenommen, dass die anderen auch laufen.", False),
    ("I tried the fix on our staging system and it works there.", False),
    ("I checked your booking page a minute ago and it still times out.", False),
    ("Ich habe den Shop eben aufgerufen, er lädt immer noch nicht.", False),
    ("Our status page lists the API as degraded.", False),
    # negated before or after the words of success, asked, conditional, or a request to test
    ("Our test mail to your domain has not been delivered yet.", False),
    ("None of our test orders went through.", False),
    ("Our checks are not green.", False),
    ("Did our test mail reach you?", False),
    ("If the test order goes through, we will close the ticket.", False),
    ("Please place a test order.", False),
    ("Unsere Testmail an Ihre Domain wurde noch nicht zugestellt.", False),
    ("Keine unserer Testbestellungen ging durch.", False),
    ("Unsere Überwachung zeigt, dass der Server Verbindungen nicht annimmt.", False),
    ("Laut unseren Messungen antwortet die Schnittstelle nicht.", False),
    ("Wenn die Testbestellung durchgeht, schließen wir das Ticket.", False),
])
def test_the_vendors_own_passing_test_is_a_claim(analyzer, text, claim):
    """The vendor's view that it works is a claim (label guide); told as its own test or check passing,
    the model read most such sentences as nothing (probe round 38: 2 of 22 found)."""
    _read_as_claim_form(analyzer, text, claim, "evidence_claims")


@pytest.mark.parametrize(("text", "claim"), [
    # the vendor's own view that it works is a claim (lexicon `vantage_claims:`)
    ("On our side everything looks fine.", True),
    ("From our end, everything is working as expected.", True),
    ("The VPN tunnel is up on our side and passing traffic.", True),
    ("Bei uns ist alles in Ordnung.", True),
    ("Auf unserer Seite sieht alles gut aus.", True),
    ("Bei uns alles grün.", True),
    # "soweit" is a conditional cue, but not in the vantage "soweit wir sehen können"
    ("Soweit wir sehen können, ist Ihr Postfach wieder in Ordnung.", True),
    ("Soweit wir sehen können, ist Ihr Postfach nicht in Ordnung.", False),
    ("Falls bei uns alles in Ordnung ist, melden wir uns.", False),
    # negated, asked, conditional, a view of the past, work under way, another party's side
    ("It doesn't look fine on our side yet.", False),
    ("Does everything look fine on your end?", False),
    ("If everything looks fine on your side, we'll close the ticket.", False),
    ("Bei uns sieht es noch nicht gut aus.", False),
    ("Bei uns ist noch nicht alles in Ordnung.", False),
    ("Gestern Abend sah bei uns noch alles gut aus, heute sehen wir die Fehler auch.", False),
    ("Bei uns läuft gerade die Wiederherstellung.", False),
    ("Melden Sie sich bei uns, wenn die Seite wieder erreichbar ist.", False),
])
def test_the_vendors_own_view_is_a_claim(analyzer, text, claim):
    """The vendor's view that it works is a claim (label guide); "On our side everything looks fine." read 0.23
    (the florist's open story)."""
    _read_as_claim_form(analyzer, text, claim, "vantage_claims")


def test_a_customers_own_side_working_is_no_claim(analyzer):
    """A customer's "on our side everything looks fine" is about the customer's systems, not the vendor's fault."""
    text = "On our side everything looks fine."
    assert analyzer._claim_form(text, "en", "vendor") == "vantage_claims"
    assert analyzer._claim_form(text, "en", "customer") is None
    assert not analyzer.analyze(text, "en", author="customer").has("resolution_claim")


@pytest.mark.parametrize(("text", "lang", "demand"), [
    # a demand for money in so many words, read without an author (lexicon `request_forms:`)
    ("We want our money back for the tickets that were never sent.", "en", True),
    ("Refund the setup fee, please, the service never worked.", "en", True),
    ("ok thanks. we lost half a day of sales work, can we get something off the bill?", "en", True),
    ("We expect you to refund the fee.", "en", True),
    ("Wir wollen unser Geld zurück.", "de", True),
    ("gibts dafür was von der miete zurück?", "de", True),
    ("Erstatten Sie uns bitte die Monatsgebühr.", "de", True),
    # the vendor offering in the same words, a noun, another request, a negation, a condition, a clause of the author's own
    ("We'd like to offer you a refund of the setup fee.", "en", False),
    ("We'd like to apologise and refund your last invoice.", "en", False),
    ("Refund requests should be sent to our billing team.", "en", False),
    ("We need the credit card details again to renew the domain.", "en", False),
    ("We don't want a refund, we want a working service.", "en", False),
    ("If we get a credit, we will stay with you.", "en", False),
    ("Wir möchten Ihnen eine Gutschrift anbieten.", "de", False),
    ("Auf die nächste Rechnung gibt es für den Ärger 20 % Nachlass.", "de", False),
    ("Können wir den Termin zurück auf Montag legen?", "de", False),
    ("Wir brauchen Ihre Rechnungsnummer, um die Gutschrift zu buchen.", "de", False),
])
def test_a_demand_for_money_in_its_form(analyzer, text, lang, demand):
    """Without an author the request head alone decided and missed plain demands (cross-validated, 119 of 176
    found); the form reads them, and a vendor's offer in the same words stays an offer."""
    assert analyzer._request_form(text, lang) is demand
    if demand:
        assert analyzer.analyze(text, lang).has("compensation_request")


@pytest.mark.parametrize(("text", "lang", "demand"), [
    # the customer's money acts told in their form (lexicon `request_forms:`): the reader asked to act on a
    # compensation, payment withheld or cut, claims reserved, a compensation promised and not received or asked after
    ("Please issue a credit note for March.", "en", True),
    ("Kindly confirm that this credit will be applied to the November invoice.", "en", True),
    ("Bitte verrechnen Sie die 10 % Gutschrift für die verfehlte Verfügbarkeit im Mai.", "de", True),
    ("Erstatten Sie bitte den nicht genutzten Teil der Jahreslizenz.", "de", True),
    ("We will not pay the final instalment until the site is live.", "en", True),
    ("We are withholding payment of invoice 2024-118.", "en", True),
    ("Your invoice will be short-paid by the amount of the SLA penalty.", "en", True),
    ("Die Schlussrate zahlen wir erst, wenn die Seite online ist.", "de", True),
    ("We reserve the right to claim damages.", "en", True),
    ("Weitere Schadensersatzansprüche behalten wir uns vor.", "de", True),
    ("Wir behalten uns vor, Schadensersatz zu verlangen.", "de", True),
    ("The refund you confirmed on the phone has not reached our account.", "en", True),
    ("We were promised a credit note that has not arrived.", "en", True),
    ("Where is the credit note we were promised three weeks ago?", "en", True),
    ("Die im März zugesagte Gutschrift haben wir bis heute nicht erhalten.", "de", True),
    ("Wo bleibt die Gutschrift?", "de", True),
    # the reader's details or receipt, a refund request form, applying for one, another party's payment, a vendor
    # charging or refusing, a claim negated
    ("Please send us your IBAN so we can process the refund.", "en", False),
    ("Please confirm receipt of the credit note.", "en", False),
    ("Please apply for a refund through the portal.", "en", False),
    ("Please send refund requests to billing@example.com.", "en", False),
    ("Bitte senden Sie uns Ihre Kontodaten, damit wir die Erstattung veranlassen können.", "de", False),
    ("Bitte bestätigen Sie den Erhalt der Gutschrift.", "de", False),
    ("We have not received your refund request yet.", "en", False),
    ("Wir haben Ihren Erstattungsantrag noch nicht erhalten.", "de", False),
    ("Der Lieferant hat die Gutschrift an uns noch nicht ausgezahlt.", "de", False),
    ("The refund has not been paid out yet.", "en", False),
    ("We will not pay for damage caused by your own staff.", "en", False),
    ("We do not withhold payments.", "en", False),
    ("Wir behalten uns vor, Ihnen die Kosten in Rechnung zu stellen.", "de", False),
    ("Wir behalten uns keine Ansprüche vor.", "de", False),
])
def test_a_customers_money_act_in_its_form(analyzer, text, lang, demand):
    """Read without an author, a customer withholding payment, reserving claims or chasing a promised credit was
    read as nothing (cross-validated: requests found +9 to +14 of 176 per run, none read wrongly); the form reads
    these, and the vendor's instructions about its own refund stay none. Group ``ok2``, ``ok3`` name a form's own
    negating words where ``ok`` is taken in the language's alternation ("We will not pay the final instalment")."""
    assert analyzer._request_form(text, lang) is demand
    if demand:
        assert analyzer.analyze(text, lang).has("compensation_request")


@pytest.mark.parametrize(("text", "lang", "offer"), [
    # the author giving compensation in its verb (lexicon `offer_forms:`), which the model read as a demand or not at all
    ("We are refunding the setup fee.", "en", True),
    ("We are reimbursing the courier costs.", "en", True),
    ("We have waived the setup fee for the replacement server.", "en", True),
    ("We credited the March fee to your account this morning.", "en", True),
    ("We won't charge you for the days the shop was down.", "en", True),
    ("Wir haben Ihnen die Einrichtungsgebühr erstattet.", "de", True),
    ("Die Gebühr für März erstatten wir Ihnen.", "de", True),
    ("Wir verzichten auf die Einrichtungsgebühr.", "de", True),
    ("Aus Kulanz berechnen wir die Mehrstunden nicht.", "de", True),
    ("Die sechs ausgefallenen Einsätze stellen wir Ihnen diesen Monat nicht in Rechnung.", "de", True),
    # refused, asked, conditional, deferred, the author's own customers, "had to", another service withheld
    ("We will not refund the fee.", "en", False),
    ("Will we refund the fee?", "en", False),
    ("If we refund you, the case is closed.", "en", False),
    ("We won't charge you for the callout until the warranty question is settled.", "en", False),
    ("We refunded our customers for the lost orders.", "en", False),
    ("We had to refund 40 of our customers because of your outage.", "en", False),
    ("Wir können Ihnen leider nichts erstatten.", "de", False),
    ("Wir berechnen Ihnen die Mehrstunden vorerst nicht, bis der Vertrag geklärt ist.", "de", False),
    ("Die Stunden stellen wir Ihnen nicht zur Verfügung.", "de", False),
    ("Wir haben unseren Kunden die Kosten erstattet.", "de", False),
])
def test_the_author_giving_compensation_in_its_verb(analyzer, text, lang, offer):
    """"We are refunding the setup fee" read 0.996 as a customer's demand (a customer "is withholding payment" in the
    same shape), so `no-compensation` accused a vendor who was paying; the form reads the giving verb as an offer and
    takes the model's request reading away."""
    assert analyzer._offer_form(text, lang) is offer
    if offer:
        analysis = analyzer.analyze(text, lang)
        assert analysis.has("compensation_offer") and not analysis.has("compensation_request")


@pytest.mark.parametrize(("contracted", "spelled"), [
    ("We're refunding the full licence fee for May.", "We are refunding the full licence fee for May."),
    ("I've waived the late payment charge on your account.", "I have waived the late payment charge on your account."),
    ("We're withholding the June payment until the credit is agreed.",
     "We are withholding the June payment until the credit is agreed."),
])
def test_a_contraction_reads_as_the_words_spelled_out(analyzer, contracted, spelled):
    """Three English forms wanted a space after "we" before "'re", "'ve", "'ll": "We're refunding …" stayed a demand
    while "We are refunding …" was an offer."""
    assert analyzer._offer_form(contracted, "en") == analyzer._offer_form(spelled, "en")
    assert analyzer._request_form(contracted, "en") == analyzer._request_form(spelled, "en")
    assert analyzer._offer_form(spelled, "en") or analyzer._request_form(spelled, "en")
    text = "We've already taken care of it, that's something your reseller handles."
    assert analyzer._referral_form(text, "en") == analyzer._referral_form(text.replace("We've", "We have"), "en") is False


def test_an_offer_form_never_overrides_a_request_form(analyzer):
    """The model's request reading gives way to the giving verb; a demand in so many words does not."""
    text = "We want the setup fee refunded, and we will not pay the final instalment until then."
    assert analyzer._request_form(text, "en")
    analysis = analyzer.analyze(text, "en")
    assert analysis.has("compensation_request") and not analysis.has("compensation_offer")


def test_a_vendors_words_are_never_a_demand_form(monkeypatch):
    """The form is read for a customer and for text without an author, never for the vendor's own words."""
    analyzer = load_rules().analyzer()  # its own: a shared one may have decided the sentence before the patch
    model = analyzer.model
    monkeypatch.setattr(model, "present", lambda probs, author=None: set())  # the model reads nothing here
    text = "We want our money back for the tickets that were never sent."
    for author, demand in (("customer", True), (None, True), ("vendor", False)):
        found = {f.entry for f in analyzer.analyze(text, "en", author=author).ok("compensation_request")}
        assert (found == {"request_forms"}) is demand


@pytest.mark.parametrize(("text", "measure"), [
    # a state back from now on is a claim, no measure (lexicon `not_measure:`)
    ("Ab sofort funktioniert die Zeiterfassung wieder wie gewohnt.", False),
    ("Der Newsletter-Versand läuft ab sofort wieder normal.", False),
    ("Die Benutzerkonten sind ab sofort wieder freigeschaltet.", False),
    ("As of now, all terminals are connected again.", False),
    # the vendor's new practice from now on is a measure, and so is a step taken beside the state
    ("Ab sofort prüfen wir jede Firmware zwei Tage lang.", True),
    ("Ab sofort werden Sperrungen 24 Stunden vorher angekündigt.", True),
    ("Wir haben den Switch getauscht, ab sofort läuft wieder alles.", True),
    ("As of now we test every update on a spare unit.", True),
])
def test_a_state_back_from_now_on_is_no_measure(analyzer, text, measure):
    """"Ab sofort" / "as of now" stands in the corpus mostly before the vendor's new practice, so the model
    read a state back from now on as a measure beside its claim (probe round 39: 7 of 13)."""
    assert ("measure" in predicted(analyzer.analyze(text))) is measure


@pytest.mark.parametrize(("text", "demand"), [
    # a compensation judged due, a loss wanted covered or taken off: a request (lexicon `request_forms:`)
    ("can we get the lost week taken off the next bill?", True),
    ("Four days of hosting are still owed from the outage.", True),
    ("Die Kurierkosten hätten wir gerne erstattet.", True),
    ("A refund of half the setup fee would be fair after this.", True),
    # the author judging and giving, asking, a refund acknowledged or refused: no request
    ("We consider a credit of two weeks fair and have added it to your account.", False),
    ("Is a credit of one week fair for you?", False),
    ("Thanks, the refund has been paid, that seems fair.", False),
    ("No refund is due for planned maintenance.", False),
])
def test_a_demand_told_as_what_is_due_is_a_request(analyzer, text, demand):
    """Read without an author (a flat corpus), a demand told as what is due ("… are still owed", "would be fair") or as a
    wish that a loss be taken off ("can we get … taken off the next bill?") was read as nothing or as an offer: request
    recall 0.76 on the test split read so, the one category under the owners' bar for recall."""
    assert ("compensation_request" in predicted(analyzer.analyze(text))) is demand


@pytest.mark.parametrize(("text", "offer"), [
    # what gives nothing is no offer (lexicon `not_offer:`): the paperwork for a refund, a price or fee told, a thing free
    # for everyone
    ("We need your account details to send the credit.", False),
    ("The setup fee is 49 euros.", False),
    ("Für die Gutschrift benötigen wir noch Ihre Rechnungsnummer.", False),
    ("Die Einrichtungsgebühr beträgt 49 Euro.", False),
    ("Die Rücksendung ist für alle Kunden kostenlos.", False),
    ("Die Taxikosten vom Freitag übernehmen wir nicht.", False),  # a compound cost refused (probe round 119)
    # an offer beside the paperwork, a cost taken on, a fee waived stay offers
    ("We need your account details, and we will send the credit today.", True),
    ("We will pay for the hotel you booked.", True),
    ("The setup fee of 49 euros has been waived.", True),
    ("Die Hotelkosten übernehmen wir.", True),
    ("Die Einrichtungsgebühr von 49 Euro erlassen wir Ihnen.", True),
])
def test_what_gives_nothing_is_no_offer(analyzer, text, offer):
    """Read without an author, a price told ("Der Expresszuschlag beträgt 15 Euro pro Paket"), a thing free for everyone,
    the paperwork for a refund ("We need your bank details to send the refund"), a cost refused or a compensation
    received were read as offers (probe rounds 18–113: 20 such false offers), which silenced `no-compensation`."""
    assert ("compensation_offer" in predicted(analyzer.analyze(text))) is offer


@pytest.mark.parametrize(("text", "lang", "offer"), [
    # a thing given to the reader at no charge, what it costs the reader told as nothing, a fee cancelled: an offer in its
    # form (lexicon `offer_forms:`)
    ("Die Bearbeitungsgebühr ist gestrichen.", "de", True),
    ("Die Reparatur kostet Sie keinen Cent.", "de", True),
    ("Wir schalten Ihnen eine zweite Leitung kostenlos frei.", "de", True),
    ("We'll add a second static IP to your line free of charge.", "en", True),
    ("Your setup fee has been waived.", "en", True),
    ("You won't be charged for the extra data used during the outage.", "en", True),
    # free for everyone, a charge deferred, a fee refused or due, a gift denied: none
    ("Shipping is free for all customers.", "en", False),
    ("You won't be charged until the trial period ends.", "en", False),
    ("We will not waive the setup fee.", "en", False),
    ("Die Rücksendung ist für alle Kunden kostenlos.", "de", False),
    ("Die Bearbeitungsgebühr wird fällig, wenn Sie den Termin absagen.", "de", False),
    ("Sie bekommen keine Postfächer ohne Aufpreis.", "de", False),
])
def test_a_thing_given_at_no_charge_or_a_fee_cancelled_is_an_offer(analyzer, text, lang, offer):
    """"Die Mahngebühr ist gestrichen", "Das Ersatzgerät … kostet Sie nichts", "You'll get three additional mailboxes at
    no charge" were read as nothing (probe rounds 16–88: 17 of 42 missed offers). Where the form reads one, the reading
    is an offer. The model's own false offers for things free to everyone stay (a later change's matter)."""
    assert analyzer._offer_form(text, lang) is offer
    if offer:
        assert analyzer.analyze(text, lang).has("compensation_offer")


@pytest.mark.parametrize(("text", "demand"), [
    # the author withholding payment for the service, a fee or a period, or chasing a credit the other side promised:
    # a request (lexicon `request_forms:`)
    ("We won't be paying for a mail service that lost a week of our email.", True),
    ("We refuse to pay the invoice for a month without a working line.", True),
    ("The credit you promised in March is still missing from our bill.", True),
    ("Die Gebühr für diesen Monat zahlen wir nicht.", True),
    ("Die zugesagte Gutschrift haben wir bis heute nicht erhalten.", True),
    # German compounds (probe round 119)
    ("Die zugesagte Jahresgutschrift fehlt immer noch.", True),
    ("Die bestätigte Teilrückzahlung ist nach wie vor offen.", True),
    ("Die Jahresgutschrift erscheint auf Ihrer nächsten Rechnung.", False),
    # compensation or a cost refused (a vendor's refusal), a threat under a condition, an invoice not yet paid: none
    ("We don't pay refunds for partial months.", False),
    ("We will not pay for your courier's mistakes.", False),
    ("If the site is still down tomorrow, we won't pay for the month.", False),
    ("We haven't paid the invoice yet.", False),
])
def test_a_payment_withheld_or_a_promised_credit_chased_is_a_request(analyzer, text, demand):
    """Read without an author, "We're not paying for a service that didn't work for a week" and "The reimbursement your
    account manager confirmed in writing is still outstanding" were read as nothing or as an offer (probe rounds 24–88:
    13 of 33 missed requests): the customer's money act is the refusal, or the chase."""
    assert ("compensation_request" in predicted(analyzer.analyze(text))) is demand


@pytest.mark.parametrize(("text", "offer"), [
    # a gift named as an apology or a gesture: an offer (lexicon `offer_forms:`)
    ("Your next three washes are free as an apology for the broken machine.", True),
    ("We're sending your office a fruit basket to say sorry for the delay.", True),
    ("Als kleine Entschuldigung schicken wir Ihnen Blumen.", True),
    # a gesture demanded, called too little or told of the past: no offer
    ("As an apology, we expect a full refund.", False),
    ("A voucher as an apology is not enough.", False),
    ("The vouchers were meant as a gesture from our old manager.", False),
])
def test_a_gift_named_as_an_apology_is_an_offer(analyzer, text, offer):
    """Label guide: an apology named as a gesture is no apology, and the gift is an offer. "Your next five rides are
    free as an apology" read as nothing (probe rounds 48–71: ten such offers missed)."""
    assert ("compensation_offer" in predicted(analyzer.analyze(text))) is offer


@pytest.mark.parametrize(("text", "offer"), [
    # a cost borne by the author, an amount taken off the reader's bill: an offer (lexicon `offer_forms:`)
    ("The new router and the technician's visit are at our expense.", True),
    ("The courier costs for the return are on our side.", True),
    ("The rental car you needed will be paid by us.", True),
    ("Die Portokosten bekommen Sie von uns zurück.", True),
    ("Die verpassten Termine erscheinen nicht auf Ihrer nächsten Rechnung.", True),
    # the customer's own cost, an invoice the customer pays late: no offer
    ("We had to rent a server at our own expense.", False),
    ("Die Aprilrechnung bezahlen wir erst, wenn alles läuft.", False),
])
def test_a_cost_borne_or_taken_off_the_bill_is_an_offer(analyzer, text, offer):
    """"… are at our expense", "… will be paid by us", "… bekommen Sie von uns zurück" give; read as nothing or as the
    customer's demand (probe rounds 54–69: nine such offers missed), `no-compensation` accused a vendor who paid."""
    assert ("compensation_offer" in predicted(analyzer.analyze(text))) is offer


@pytest.mark.parametrize(("text", "offer", "demand"), [
    # compensation refused, or the reader's claim refused: neither offer nor request (`not_offer:`, `not_request:`)
    ("We have to decline your request for a refund of the setup fee.", False, False),
    ("Your application for a service credit has been rejected.", False, False),
    ("Die Kosten für das Ersatzgerät können wir nicht übernehmen.", False, False),
    ("Ihren Antrag auf Gutschrift lehnen wir ab.", False, False),
    ("Your claim for a refund of the licence fee has been rejected.", False, False),
    ("Ihre Forderung nach Schadensersatz weisen wir zurück.", False, False),
    # an offer beside the refusal stays one, and so does a customer's demand beside refusing an offer
    ("We can't refund the licence, but we will credit one month of hosting.", True, False),
    ("Die Gebühr können wir nicht erlassen, dafür schreiben wir Ihnen einen Monat gut.", True, False),
    ("Wir lehnen Ihr Angebot ab und fordern die volle Erstattung.", False, True),
])
def test_a_compensation_refused_is_neither_offer_nor_request(analyzer, text, offer, demand):
    """Label guide: a refused compensation is neither. "We have to decline your request for a refund" read as an offer
    (probe rounds 36–53: "We are unable to offer a refund …" three times), which silenced `no-compensation` for a vendor
    who refused; the reader's claim refused read as a claim of the author's."""
    read = predicted(analyzer.analyze(text))
    assert ("compensation_offer" in read, "compensation_request" in read) == (offer, demand)


@pytest.mark.parametrize(("text", "claim"), [
    # the fault not back: a claim (lexicon `absence_claims:`)
    ("The checkout errors haven't come back since the rollback.", True),
    ("The backup job has not failed again since we moved it to 02:00.", True),
    ("Nothing has crashed since the memory upgrade on Friday.", True),
    ("Seit dem Tausch ist der Router nicht wieder ausgefallen.", True),
    ("Seit dem Patch ist nichts mehr abgestürzt.", True),
    # the service not back, a condition, a question: no claim
    ("The portal has not come back up yet.", False),
    ("If the job has not failed again by Friday, we will close the ticket.", False),
    ("Der Server ist noch nicht wieder erreichbar.", False),
    ("Has the error not come back since the rollback?", False),
])
def test_the_fault_not_back_is_a_claim(analyzer, text, claim):
    """Label guide: the fault said no longer to happen is a claim; told as "not … again" / "nicht wieder" / "nothing has
    … since" it was read as nothing (probe round 99: both such claims missed), so a vendor saying so while the site was
    down escaped `false-resolution-claim`."""
    assert ("resolution_claim" in predicted(analyzer.analyze(text, author="vendor"))) is claim


@pytest.mark.parametrize(("text", "claim"), [
    # the fault back again: no claim (lexicon `fault_again:`; what is told after it is read alone)
    ("The upload page is timing out again for all users.", False),
    ("Our test order was rejected again with the same card error.", False),
    ("The sync errors are back since this morning.", False),
    ("Die Kasse ist seit 9 Uhr schon wieder offline.", False),
    ("Der Fehler tritt seit dem Update wieder auf.", False),
    ("Unsere Testmail kam wieder mit demselben Fehler zurück.", False),
    ("We fixed the login on Tuesday, but it has come back since then.", False),
    # refused or declined again, "erneut" for "wieder" (the failure words and synonyms of round 117)
    ("The card payments on your shop were declined again.", False),
    ("Die Kartenzahlungen in Ihrem Shop wurden wieder abgelehnt.", False),
    ("Logins to the portal are refused once more.", False),
    ("Der Import bricht heute erneut ab.", False),
    ("The payments were declined in the morning, but now they go through again.", True),
    # working again, and a claim told after the fault's return, are claims
    ("The VPN is connecting again.", True),
    ("The shop went down again at 08:40, but it has been up since 08:55.", True),
    ("Die Kasse war heute früh wieder offline, jetzt läuft sie wieder.", True),
])
def test_the_fault_back_again_is_no_claim(analyzer, text, claim):
    """"Again" / "wieder" is a claim's sign where the thing works again and the fault's where the fault is back: the
    model read both as claims (probe rounds 33–85: six such false claims). The state told last stands."""
    assert ("resolution_claim" in predicted(analyzer.analyze(text))) is claim


@pytest.mark.parametrize(("text", "measure"), [
    # the vendor's check or test passing, a thing forgotten: no fix, so no measure (lexicon `check_reports:`, the claim
    # forms, `admission_forms:`; the clauses they touch are taken out and the rest read alone)
    ("Die Kasse läuft wieder, wir haben jede Karte einzeln getestet.", False),
    ("Wir haben die Firewall-Protokolle geprüft und festgestellt, dass die Anfragen abgewiesen werden.", False),
    ("We ran a test payment at 08:30 and it was authorised straight away.", False),
    ("We sent a test fax to your number at 10:12 and it came through.", False),
    ("We forgot to add your new site to the monitoring.", False),
    # a fix told beside the check or the slip stays a measure, and so does a check as new practice
    ("We replaced the broken switch and tested every port afterwards.", True),
    ("Wir haben den Router getauscht und danach alle Leitungen getestet.", True),
    ("We forgot to renew the certificate; it has been renewed and renewal is now automatic.", True),
    ("We restarted the mail relay, and test mails have arrived since.", True),
    ("From now on we test every release on a copy of your shop.", True),
    ("Updates for your site are paused until we have tested them on one of your devices.", True),
])
def test_what_is_no_fix_is_no_measure(analyzer, text, measure):
    """Label guide: a measure is an action on the cause; the vendor's test passing is a claim, a thing forgotten an
    admission. The model read them as measures beside the claim or the admission (probe rounds 37–51: 18 of 54 false
    measures), which kept a stock-phrase reply from being a deflection."""
    assert ("measure" in predicted(analyzer.analyze(text))) is measure


@pytest.mark.parametrize(("text", "measure"), [
    # a thing told working, in a clause of its own with no act: the state a claim tells, no measure (lexicon
    # `working_states:`; the clauses it touches are taken out and the rest read alone)
    ("Your shop is now reachable again.", False),
    ("The booking page is now available again.", False),
    ("All mailboxes are now reachable again.", False),
    ("Alle Buchungen sind jetzt wieder sichtbar.", False),
    ("Der Fehler lag beim Zertifikat, jetzt geht wieder alles.", False),
    ("läuft jetzt", False),
    # a fix told beside the state stays a measure, and so does a new arrangement told as a state
    ("Wir haben die Platte getauscht, jetzt läuft der Server wieder.", True),
    ("We replaced the power supply and the server is running again.", True),
    ("Die Sicherungen laufen jetzt in ein zweites Rechenzentrum.", True),
    ("Backups now run to a second data centre.", True),
    ("Der Server läuft jetzt auf neuer Hardware.", True),
])
def test_a_thing_told_working_is_no_measure(analyzer, text, measure):
    """Label guide: a measure is an action on the cause. "jetzt", "now" and "ab jetzt" are measure cues, so a claim told
    as a state ("Alle Domains funktionieren jetzt wieder normal") was read as a measure too (probe rounds 16–107: 8 of
    39 false measures); the claim stands either way."""
    got = predicted(analyzer.analyze(text))
    assert ("measure" in got) is measure
    assert "resolution_claim" in got or measure


@pytest.mark.parametrize(("text", "cause"), [
    # a cause phrase with no cause in it is boilerplate, no cause (lexicon `not_cause:`)
    ("The delay was caused by technical difficulties.", False),
    ("Die Störung war auf unvorhersehbare Umstände zurückzuführen.", False),
    ("Die Störung ging auf eine unglückliche Verkettung von Ereignissen zurück.", False),
    # a concrete cause in the same grammar stays one
    ("The outage was caused by a failed disk in the RAID array.", True),
    ("The outage was the result of an unfortunate series of errors in our deployment pipeline.", True),
    ("Der Ausfall war auf ein defektes Netzteil zurückzuführen.", True),
    ("Die Störung ist auf einen Konfigurationsfehler zurückzuführen.", True),
])
def test_a_cause_phrase_with_no_cause_in_it_is_no_cause(analyzer, text, cause):
    """Label guide: "unforeseeable circumstances" is boilerplate, not a cause (lexicon `vague_causes:`)."""
    analysis = analyzer.analyze(text)
    assert ("cause" in predicted(analysis)) is cause
    assert ("boilerplate" in predicted(analysis)) is not cause
    if not cause:  # the lexicon's reading (`vague_causes:` or a stock-phrase entry), quotable as evidence
        assert any(f.reader == "lexicon" for f in analysis.ok("boilerplate"))


@pytest.mark.parametrize(("text", "measure"), [
    # a measure told only in vague words, the whole sentence, is boilerplate (lexicon `vague_measures:`)
    ("We have implemented additional safeguards.", False),
    ("Steps have been taken to prevent a recurrence.", False),
    ("Rest assured that we have taken all necessary steps to prevent this from happening again.", False),
    ("As a result, we have put additional safeguards in place.", False),
    ("Wir haben unsere Prozesse bereits angepasst.", False),
    ("Es wurden entsprechende Maßnahmen eingeleitet, damit sich so etwas nicht wiederholt.", False),
    ("Seitens unserer Technik wurden alle notwendigen Schritte unternommen.", False),
    # what was done, named anywhere in the sentence, keeps the measure
    ("We have replaced the faulty disk and taken additional measures to prevent a recurrence.", True),
    ("We have taken additional measures: every new server is now load-tested for 48 hours.", True),
    ("We have put a second power supply in place.", True),
    ("Wir haben das Netzteil getauscht und weitere Maßnahmen ergriffen.", True),
    ("Wir haben zusätzliche Maßnahmen ergriffen: Neue Hardware wird jetzt 48 Stunden getestet.", True),
])
def test_a_measure_told_only_in_vague_words_is_boilerplate(analyzer, text, measure):
    """Label guide: a measure is a concrete action; "appropriate measures have been taken" could stand in any reply,
    and read as a measure it kept a quality-management reply of stock phrases from being a deflection."""
    analysis = analyzer.analyze(text)
    assert ("measure" in predicted(analysis)) is measure
    assert ("boilerplate" in predicted(analysis)) is not measure


def test_a_question_about_vague_measures_is_neither(analyzer):
    assert predicted(analyzer.analyze("Have you taken the necessary steps to prevent a recurrence?")) & {"measure", "boilerplate"} == set()


@pytest.mark.parametrize(("text", "offer", "admission"), [
    # a thing one pays for, on us or on the house: an offer (lexicon `offer_forms:`), no admission (`not_admission:`)
    ("The first month of the new package is on us.", True, False),
    ("Shipping for the replacement is on us.", True, False),
    ("This month's hosting fee is on us.", True, False),
    ("To make amends, your next delivery is on us.", True, False),
    # a fault on us is an admission, and offers nothing
    ("That one is on us, sorry.", False, True),
    ("The delay of your order is on us.", False, True),
    ("The wrong invoice you received is on us.", False, True),
    ("This order mix-up is on us.", False, True),
    # asked or refused: neither
    ("Is the first month on us?", False, False),
    ("Shipping is not on us.", False, False),
    # a fault line is a telephone line
    ("Call our fault line if it happens again.", False, False),
])
def test_a_thing_given_on_us_is_an_offer_not_an_admission(analyzer, text, offer, admission):
    got = predicted(analyzer.analyze(text))
    assert ("compensation_offer" in got, "admission" in got) == (offer, admission)


@pytest.mark.parametrize(("text", "claim"), [
    # the fault stated, with no word of return or contrast, is no claim (lexicon `not_claim:`)
    ("Your website has been down since this morning.", False),
    ("The website has been down since this morning, we are working on it.", False),
    ("Die Website ist seit heute Morgen offline.", False),
    # a return or a contrast beside the fault keeps the claim
    ("Your website, which had been down since this morning, is back online.", True),
    ("Der Server ist seit 14 Uhr wieder erreichbar.", True),
    ("Der Shop war zwei Stunden offline, läuft jetzt wieder.", True),
])
def test_a_sentence_that_states_the_fault_is_no_claim(analyzer, text, claim):
    assert ("resolution_claim" in predicted(analyzer.analyze(text))) is claim


@pytest.mark.parametrize(("text", "claim"), [
    # when the fault began or was noticed, with no word of its end, is no claim (lexicon `not_claim:`)
    ("The disruption began at 14:05 and was noticed by our monitoring at 14:09.", False),
    ("Our monitoring detected the problem at 02:40.", False),
    ("Die Störung begann um 14:05 Uhr und wurde um 14:09 Uhr bemerkt.", False),
    # the end told as well: a claim
    ("The outage began at 14:05 and service was restored at 15:10.", True),
    ("Die Störung begann um 14:05 Uhr, seit 15:10 Uhr läuft alles wieder.", True),
])
def test_when_the_fault_began_is_no_claim(analyzer, text, claim):
    assert ("resolution_claim" in predicted(analyzer.analyze(text))) is claim


def test_a_question_about_a_vague_cause_is_neither(analyzer):
    assert predicted(analyzer.analyze("Was this incident due to technical issues on your side?")) & {"cause", "boilerplate"} == set()


@pytest.mark.parametrize(("text", "claim"), [
    # a state forecast on a condition after it is no claim (lexicon `forecast:`)
    ("The shop should load normally again once you have cleared your browser cache.", False),
    ("Der Export sollte wieder funktionieren, sobald die Warteschlange abgearbeitet ist.", False),
    ("Die App müsste wieder normal laden, wenn Sie sie neu starten.", False),
    # a state that holds now, with the step that made it, is one
    ("The shop loads normally again now that the cache has been cleared.", True),
    ("Der Export funktioniert wieder, nachdem wir die Warteschlange abgearbeitet haben.", True),
])
def test_a_state_forecast_on_a_condition_is_no_claim(analyzer, text, claim):
    assert ("resolution_claim" in predicted(analyzer.analyze(text))) is claim


@pytest.mark.parametrize(("text", "expected"), [
    # a state held since a time: the time is when it began, nothing is due, and the claim stands
    ("Der Server ist seit 14 Uhr wieder erreichbar.", {"resolution_claim"}),
    ("The server has been reachable again since 14:00.", {"resolution_claim"}),
    # a real due time beside it is still a forecast, and no claim
    ("Seit 9 Uhr arbeiten wir an der Störung; bis 14 Uhr sollte alles wieder laufen.", {"commitment"}),
    ("Der Server ist ab 14 Uhr wieder erreichbar.", {"commitment"}),
])
def test_a_state_held_since_a_time_is_a_claim_not_a_promise(analyzer, text, expected):
    """Label guide: a commitment names when something is due. "seit 14 Uhr" / "since 14:00" says
    when a state began; read as a promise of 14:00, it undid the claim as a forecast."""
    assert predicted(analyzer.analyze(text)) & {"commitment", "resolution_claim"} == expected



@pytest.mark.parametrize(("text", "parts"), [
    # a domain, URL or address begins a sentence in lower case
    ("Apologies for the disruption. www.acme-shop.example is back online.", 2),
    ("Bitte rufen Sie an. kunde-a.de läuft wieder.", 2),
    ("Thanks. support@host.example has your ticket.", 2),
    # a lower-case word after an unlisted abbreviation does not
    ("Die Migration dauert voraussichtl. drei Stunden.", 1),
])
def test_sentence_ends_before_a_lower_case_address(text, parts):
    from pactwatch.enrich._text import sentences

    assert len(sentences(text)) == parts


@pytest.mark.parametrize(("text", "parts"), [
    # chat: a sentence begun in lower case with a word that begins sentences (lexicon `sentence_starts:`)
    ("our db failover didnt go as planned, team is on it. should be sorted by EOD", 2),
    ("team ist dran. sollte bis 18 uhr wieder laufen", 2),
    ("ok thanks. we lost half a day of sales work", 2),
    ("sorry, mein fehler. der loadbalancer hatte euren knoten rausgenommen", 2),
    ("thanks for waiting. the node is back in the pool", 2),
    # an unlisted abbreviation before another lower-case word still does not end one
    ("Die Migration dauert voraussichtl. drei Stunden.", 1),
    ("The move takes approx. three hours.", 1),
])
def test_chat_sentences_begun_in_lower_case_are_sentences(analyzer, text, parts):
    from pactwatch.enrich._text import sentences

    assert len(sentences(text, analyzer._abbreviations, analyzer._starts)) == parts


@pytest.mark.parametrize(("text", "units"), [
    # letters abbreviated one by one stay in their sentence ("i. A." signs for someone, "z. B." is "for example")
    ("Mit freundlichen Grüßen\n\ni. A. Sven Hinrichs\nKundenservice",
     ["Mit freundlichen Grüßen", "i. A. Sven Hinrichs", "Kundenservice"]),
    ("Mit freundlichen Grüßen\ni.A. Sven Hinrichs", ["Mit freundlichen Grüßen", "i.A. Sven Hinrichs"]),
    ("Das betrifft z. B. Ihre Domain. Wir prüfen das.", ["Das betrifft z. B. Ihre Domain.", "Wir prüfen das."]),
    ("Wir haben u. a. die Logs geprüft. Danke.", ["Wir haben u. a. die Logs geprüft.", "Danke."]),
    # a lone capital at a sentence's end still ends it
    ("We switched to plan B. A new server is ready.", ["We switched to plan B.", "A new server is ready."]),
])
def test_an_abbreviation_spelt_letter_by_letter_does_not_end_a_sentence(analyzer, text, units):
    from pactwatch.enrich._text import sentences

    assert [text[a:b] for a, b in sentences(text, analyzer._abbreviations, analyzer._starts)] == units


@pytest.mark.parametrize(("text", "units"), [
    # a day or floor number before its noun or month stays in the sentence
    ("Am 3. März war der Server down. Im 2. Stock ist ein Rack.", ["Am 3. März war der Server down.", "Im 2. Stock ist ein Rack."]),
    ("Die Rechnung vom 12. Mai ist falsch.", ["Die Rechnung vom 12. Mai ist falsch."]),
    # a number ending a sentence before a word that begins one (pronoun, article, preposition, greeting) ends it
    ("The root cause was a failed power supply in rack 25. We apologise for the disruption.",
     ["The root cause was a failed power supply in rack 25.", "We apologise for the disruption."]),
    ("Der Fehler lag in Rack 25. Trotz aller Vorsichtsmaßnahmen lassen sich solche Ausfälle nicht vermeiden.",
     ["Der Fehler lag in Rack 25.", "Trotz aller Vorsichtsmaßnahmen lassen sich solche Ausfälle nicht vermeiden."]),
    ("Ihr Ticket hat die Nummer 42. Wir melden uns bis 13 Uhr.", ["Ihr Ticket hat die Nummer 42.", "Wir melden uns bis 13 Uhr."]),
    ("Das betrifft Server 7. Für Rückfragen wenden Sie sich an die Buchhaltung.",
     ["Das betrifft Server 7.", "Für Rückfragen wenden Sie sich an die Buchhaltung."]),
    ("The fault was in rack 29. Kind regards, the Support Team", ["The fault was in rack 29.", "Kind regards, the Support Team"]),
])
def test_a_number_before_a_period_ends_a_sentence_unless_it_is_an_ordinal(analyzer, text, units):
    """The benchmark stream's "… in rack 25. Trotz aller Vorsichtsmaßnahmen …" was one sentence: a German
    ordinal ("3. März") does not end one, but no ordinal stands before a pronoun, article or preposition. Glued,
    the cause read as boilerplate (a wrong ``deflection``) and the apology, claim or promise after it went unread."""
    from pactwatch.enrich._text import sentences

    assert [text[a:b] for a, b in sentences(text, analyzer._abbreviations, analyzer._starts)] == units


def test_a_cause_ending_in_a_number_leaves_the_claim_after_it_readable(analyzer):
    analysis = analyzer.analyze("The root cause was a failed power supply in rack 20. "
                                "All services on srv-100 have been restored.", author="vendor")
    assert analysis.has("cause") and analysis.claims_resolution


def test_a_signature_signed_on_behalf_is_no_cause(analyzer):
    """Test story de-mailcluster-floskeln-im-langen-mailverlauf: "i. A. Sven Hinrichs" under a German mail
    was cut after "i." and "A.", and the model read "A." as a cause, so a reply of stock phrases had substance."""
    reply = ("Leider kam es heute Morgen zu einer Störung unseres Mailclusters. Wir bitten um Ihr Verständnis.\n\n"
             "Mit freundlichen Grüßen\n\ni. A. Sven Hinrichs\nKundenservice")
    assert not analyzer.analyze(reply, author="vendor").has("cause")


def test_a_chat_promise_after_a_lower_case_period_is_read(analyzer):
    """Test story en-chat-eod-promise-credit-passed-to-billing: the promise, glued to the sentence before
    it by a period and a lower-case word, was no promise to the model."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    at = datetime(2026, 11, 25, 10, 20, tzinfo=ZoneInfo("Europe/Amsterdam")).timestamp()
    analysis = analyzer.analyze("hey Lena, sry about this!! our db failover didnt go as planned, team is on it. "
                                "should be sorted by EOD")
    (promise,) = [p for p in analysis.commitments(at, "Europe/Amsterdam") if p.due is not None]
    assert datetime.fromtimestamp(promise.due, ZoneInfo("Europe/Amsterdam")).hour == 18


def test_a_chat_apology_glued_to_its_explanation_is_an_apology(analyzer):
    """Test story de-chat-bei-uns-alles-gruen-loadbalancer: "sorry, mein fehler." in one unit with the long
    explanation after it was no apology, and `no-apology` fired against a vendor that had apologised."""
    analysis = analyzer.analyze("sorry, mein fehler. der loadbalancer hatte euren knoten nach einem healthcheck-fehler "
                                "rausgenommen, hab ihn wieder reingenommen und die seite lädt jetzt")
    assert analysis.apology == "explicit"


def test_an_apology_before_a_sentence_that_starts_with_a_domain_is_read(analyzer):
    analysis = analyzer.analyze("Apologies for the disruption. www.acme-shop.example is back online; "
                                "we are still working on mail and the API.")
    assert analysis.apology == "explicit"


def test_be_back_by_a_time_is_a_restoration_promise(analyzer):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    kind, due = _due(analyzer, "A storage migration went wrong; the app will be back by 9 am tomorrow.",
                     datetime(2026, 3, 28, 20, 0, tzinfo=ZoneInfo("Europe/Amsterdam")), "Europe/Amsterdam")
    # written the evening before the clocks go forward: due at 09:00 summer time
    assert kind == "restoration" and (due.day, due.hour, due.utcoffset().total_seconds()) == (29, 9, 7200)


@pytest.mark.parametrize(("text", "category"), [
    ("We’re sorry – our engineers are on it.", "apology"),  # Word/Outlook/Apple Mail apostrophe
    ("We‘re sorry for the outage.", "apology"),
])
def test_typographic_apostrophes_read_as_plain_ones(analyzer, text, category):
    found = [f for f in analyzer.analyze(text).findings if f.category == category and f.reader == "lexicon"]
    # the phrase quoted as evidence is the text as written
    assert any(f.phrase == text[f.start:f.end] and f.phrase[2] in "’‘" for f in found)


@pytest.mark.parametrize(("text", "claim"), [
    # another party's report is theirs; the vendor's own sources are the vendor's word
    ("According to Microsoft, the issue has been resolved on their side.", False),
    ("The power company says supply to the site has been restored.", False),
    ("Nach Angaben von Microsoft ist das Problem auf deren Seite behoben.", False),
    ("Das Energieunternehmen teilt mit, dass der Standort wieder versorgt ist.", False),
    ("According to our monitoring, all services are back up.", True),
    ("Laut unserem Monitoring läuft alles wieder.", True),
    # part of it back is no claim; the rest of it back is one
    ("Approximately 45% of affected buckets are available again.", False),
    ("Die meisten Dienste laufen wieder, E-Mail ist noch gestört.", False),
    ("Etwa zwei Drittel der betroffenen Server sind wieder online, der Rest folgt.", False),
    ("All remaining servers are back online.", True),
    ("Auch die restlichen Server sind wieder online.", True),
])
def test_only_the_authors_own_claim_that_all_works_is_one(analyzer, text, claim):
    """Label guide: not another party's claim, not a partial recovery."""
    assert ("resolution_claim" in predicted(analyzer.analyze(text))) is claim


@pytest.mark.parametrize("text", [
    "Hi Priya,\n\nSorry for the outage: the gateway failed after the release.\n\nBest,\nMarco\nCartly Support",
    "Hallo Herr Graf,\n\ndie Zahlungen laufen seit 11:40 Uhr wieder.\n\nBeste Grüße,\nTeam Support",
])
def test_greeting_sign_off_and_signature_lines_are_not_read_as_anything(analyzer, text):
    analysis = analyzer.analyze(text)
    opening, closing = text.split("\n\n", 1)[0], text.rsplit("\n\n", 1)[1].splitlines()  # sign-off and signature
    assert not [f for f in analysis.findings if f.status == "ok" and f.phrase.strip() in (opening, *closing)]
    assert analysis.findings  # the body is still read


def test_a_sentence_after_the_signature_is_read_again(analyzer):
    text = "Hi Priya,\n\nWe rolled back the release.\n\nBest,\nMarco\nPlease contact billing for invoices."
    assert analyzer.analyze(text, "en").has("referral")


@pytest.mark.parametrize(("line", "courtesy"), [
    # a sign-off and its signature on one line (a mail client that drops the line break; lexicon `closings:`)
    ("Kind regards, the Support Team", True),
    ("Best regards, Jonas Weber, Customer Care", True),
    ("Mit freundlichen Grüßen, Ihr Support-Team", True),
    # a line that says something after a greeting, or a sign-off beside an apology, is read
    ("Cheers, the site is back up", False),
    ("Thanks for your patience, the mail server is running again", False),
    ("Sorry for the trouble, kind regards, Team", False),
    ("Regards, we have credited your account with one month's fee.", False),
])
def test_a_sign_off_and_signature_on_one_line_is_courtesy(analyzer, line, courtesy):
    """"Kind regards, the Support Team" read 0.52 as a claim once a retraining moved the claim line to 0.51, and
    every vendor mail of the benchmark stream that ended so made a false-resolution finding."""
    text = "We will credit one month of fees to your account. " + line
    _, units = analyzer.units(text, "en")
    assert analyzer.courtesy(units, "en")[-1] is courtesy


@pytest.mark.parametrize(("text", "lang", "parts"), [
    # a flattened mail (a ticket export, a web form): the sign-off, its signature and the next greeting glued to the
    # sentence are cut off (lexicon `greetings:`, `signatures:`, `sign_offs:`)
    ("Mit freundlichen Grüßen, Ihr Support-Team Sehr geehrte Damen und Herren, All services on srv-350 have been "
     "restored.", None, ["Mit freundlichen Grüßen, Ihr Support-Team", "Sehr geehrte Damen und Herren,",
                         "All services on srv-350 have been restored."]),
    ("Mit freundlichen Grüßen Ihr Support-Team Leider kam es zu einer Störung.", "de",
     ["Mit freundlichen Grüßen Ihr Support-Team", "Leider kam es zu einer Störung."]),
    ("Kind regards, the Support Team We apologise for the disruption.", "en",
     ["Kind regards, the Support Team", "We apologise for the disruption."]),
    ("Regards, The server is back.", "en", ["Regards,", "The server is back."]),
    ("Dear Dr. Lewis, we replaced the network card.", "en", ["Dear Dr. Lewis,", "we replaced the network card."]),
    ("Liebe Frau Schenk, wir schreiben Ihnen eine Monatsgebühr gut.", "de",
     ["Liebe Frau Schenk,", "wir schreiben Ihnen eine Monatsgebühr gut."]),
    # what only looks so stays whole: a sign-off word before a lower-case word, a noun, a word that is no sign-off alone
    ("Danke nochmals, dass Sie so geduldig waren.", "de", ["Danke nochmals, dass Sie so geduldig waren."]),
    ("Thanks again, everything is working now.", "en", ["Thanks again, everything is working now."]),
    ("Die Liebe zum Detail, die wir pflegen, hat gelitten.", "de", ["Die Liebe zum Detail, die wir pflegen, hat gelitten."]),
    ("Liebe Grüße, Ihr Team", "de", ["Liebe Grüße, Ihr Team"]),
    # a sign-off and the name under it is one courtesy line: no sentence follows the sign-off
    ("Mit freundlichen Grüßen, Daniel Weber, Kundenservice", "de", ["Mit freundlichen Grüßen, Daniel Weber, Kundenservice"]),
    ("Best regards, Support Desk", "en", ["Best regards, Support Desk"]),
    ("Best Practices sind bei uns Standard.", "de", ["Best Practices sind bei uns Standard."]),
    ("We restored the site, Dear customers asked.", "en", ["We restored the site, Dear customers asked."]),
])
def test_a_greeting_or_sign_off_glued_to_a_sentence_is_cut_off(analyzer, text, lang, parts):
    """The benchmark's flattened mails glued "Mit freundlichen Grüßen, Ihr Support-Team Sehr geehrte Damen und
    Herren," to a claim, which the model then read at 0.55, just above its line; raised thresholds lost it."""
    _, units = analyzer.units(text, lang)
    assert [u.words for u in units] == parts
    if len(parts) > 1:  # the courtesy lines are not read, the sentence is
        assert analyzer.courtesy(units, lang) == [True] * (len(parts) - 1) + [False]


@pytest.mark.parametrize(("text", "lang", "claim", "apology"), [
    # a stock sign-off line without its comma is courtesy (lexicon `sign_offs:`), and so is the signature under it
    ("We are still investigating.\n\nAll the best\nMarco", "en", False, False),
    ("We are still investigating.\n\nThanks again!\nMarco", "en", False, False),
    ("We are still investigating.\n\nRegards\nSupport Team", "en", False, False),
    ("Wir prüfen das noch.\n\nViele Grüße\nIhr Support-Team", "de", False, False),
    # a sentence that is only thanks or an apology claims nothing works (lexicon `not_claim:`); the apology stays
    ("We are still investigating. Thanks again for your patience.", "en", False, False),
    ("Apologies again.", "en", False, True),
    ("Wir prüfen das noch. Wieder einmal vielen Dank.", "de", False, False),
    # a message acknowledged or a courtesy reply claims nothing either (lexicon `not_claim:`)
    ("Your request has been received.", "en", False, False),
    ("No problem at all.", "en", False, False),
    ("Feel free to reach out again.", "en", False, False),
    ("Alles klar, danke.", "de", False, False),
    ("Ihre Störungsmeldung ist bei uns eingegangen.", "de", False, False),
    # an instruction to try again asks the reader to check; it does not say it works
    ("Please restart your router and try again.", "en", False, False),
    ("Bitte leeren Sie den Browser-Cache und versuchen Sie es erneut.", "de", False, False),
    ("We fixed the DNS record, please try again.", "en", True, False),
    # a claim beside the thanks, or told with "again", stays one
    ("Thanks again, everything is working now.", "en", True, False),
    ("Alles klar, die Seite läuft wieder.", "de", True, False),
    ("Your site has been restored.", "en", True, False),
    ("The shop works again.\n\nAll the best\nMarco", "en", True, False),
    ("Danke nochmals, die Seite läuft wieder.", "de", True, False),
])
def test_thanks_and_sign_offs_said_again_claim_nothing(analyzer, text, lang, claim, apology):
    """"All the best" without its comma read 0.96 as a resolution claim, "Thanks again." 0.96, "Apologies again."
    0.91: every such mail made a false-resolution finding while the service was down."""
    got = predicted(analyzer.analyze(text, lang))
    assert ("resolution_claim" in got, "apology" in got) == (claim, apology)


def test_a_sign_off_with_a_known_phrase_is_still_read(analyzer):
    assert analyzer.analyze("Thanks for your patience.\n\nApologies again for the delay,\nMarco", "en").apology == "explicit"


# Chat spellings are read as the word meant (lexicon `spellings:`); a finding quotes what was written.
@pytest.mark.parametrize(("text", "claim"), [
    ("sry dafür!! hab den dienst neu gestartet, seite läuft wieda", True),
    ("seite läuft noch nich, sry", False),
    ("ur site is back up now, sry for the trouble", True),
    ("site isnt back yet, sry", False),
])
def test_chat_spellings_are_read_as_the_word_meant(analyzer, text, claim):
    analysis = analyzer.analyze(text, author="vendor")
    assert ("resolution_claim" in predicted(analysis)) is claim
    assert all(text[f.start:f.end] == f.phrase for f in analysis.findings)
