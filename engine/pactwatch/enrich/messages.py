"""Message analysis: text → findings with character spans, reader and confidence.

Two readers work sentence by sentence on the author's own words (quotations in any
common style are masked, see ``_text``):

- the **lexicon** (``rules/lexicons/*.yaml``): exact phrases as regular expressions with
  ids, and the checks that disqualify a match (a negation near it, a question, a
  conditional or a forecast earlier in the sentence). Its matches are evidence a lawyer
  can quote;
- the **trained sentence model** (``sentence_model``), which sees the lexicon's hits as
  features beside lemmas and character n-grams and decides in context. It confirms a
  lexicon match, rejects one the context undoes (negation at a distance), and finds
  paraphrases no phrase lists.

Each finding records which reader found it and the model's confidence. Without a model
file the lexicon decides alone, as it always did.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, ValidationError

from .._validation import problems_from_validation
from .._yaml import load_yaml
from ..errors import PactwatchError, Problem
from ..models._base import Frozen
from ._features import SPEAKING, Cues, Features, featurize, lemmatised, load_lemmatizer, normalise, tokens
from ._literals import Needs, fold, may_match, required
from ._scan import Scanner
from ._text import alternation, any_of, cut_courtesy, either, quoted_spans, sentences, translated
from .categories import CATEGORIES
from .due import DateWords, DueResolver, Promise
from .sentence_model import SentenceModel

if TYPE_CHECKING:
    from .review import Annotation

__all__ = ["Finding", "Analysis", "MessageAnalyzer", "Lexicon", "Text", "Unit", "load_lexicons", "CATEGORIES"]

ApologyStrength = Literal["explicit", "regret-only", "none"]
Status = Literal["ok", "negated", "conditional", "question", "prospective", "quoted", "rejected"]
Reader = Literal["lexicon", "model", "reviewer"]
Check = Literal["negation", "question", "conditional", "prospective"]

#: what a customer's own words can be read as; the rest describes what vendors do (label guide)
CUSTOMER_CATEGORIES = frozenset({"apology", "regret", "resolution_claim", "compensation_request"})




class _Resolve(Frozen):
    """How a commitment's matched text becomes a time."""

    kind: Literal["clock", "relative", "fixed"]
    day: int = 0
    hour: int = 0
    minute: int = 0


class _Entry(Frozen):
    id: str
    pattern: str
    resolve: _Resolve | None = None


class _Category(Frozen):
    checks: list[Check] = Field(default_factory=list)
    entries: list[_Entry]


class _Cues(Frozen):
    cues: list[str]
    before: int = 3
    after: int = 1


class _Scope(Frozen):
    """Words that make a resolution claim general ("all services", "the server") or
    limit it to a component ("the dashboard", "the infrastructure"), and the words that name
    a kind of service ("die Webseite" is the web services, "das Postfach" the mail services)."""

    general: list[str] = Field(default_factory=list)
    components: list[str] = Field(default_factory=list)
    kinds: dict[str, list[str]] = Field(default_factory=dict)


@dataclass(frozen=True)
class ScopeWords:
    """The scope words of all lexicons, compiled."""

    general: re.Pattern[str] | None = None
    components: re.Pattern[str] | None = None
    kinds: tuple[tuple[str, re.Pattern[str]], ...] = ()


class Lexicon(Frozen):
    lang: str
    #: optional, so that a file added with ``--lexicon`` can hold phrases only (as documented)
    negation: _Cues = _Cues(cues=[])
    conditional: _Cues = _Cues(cues=[])
    prospective: _Cues = _Cues(cues=[])
    currencies: dict[str, str] = Field(default_factory=dict)
    abbreviations: list[str] = Field(default_factory=list)
    #: words that begin a sentence in chat, written in lower case ("team is on it. should be sorted by
    #: EOD"): after a period they start a new sentence even though an unknown abbreviation ("ca. drei")
    #: is followed by a lower-case word too
    sentence_starts: list[str] = Field(default_factory=list)
    categories: dict[Literal[CATEGORIES], _Category]  # type: ignore[valid-type]
    cues: dict[Literal[CATEGORIES], list[str]] = Field(default_factory=dict)  # type: ignore[valid-type]
    markers: dict[str, list[str]] = Field(default_factory=dict)
    time: list[str] = Field(default_factory=list)
    scope: _Scope = Field(default_factory=lambda: _Scope())
    commitment_kinds: dict[str, list[str]] = Field(default_factory=dict)
    #: stock openings that only hedge a promise ("Nach aktuellem Stand …", "As things stand …"):
    #: their words say nothing of the promise's kind ("Stand" is not an update there)
    commitment_hedges: list[str] = Field(default_factory=list)
    auto_reply: list[str] = Field(default_factory=list)
    reasons: dict[str, list[str]] = Field(default_factory=dict)
    #: patterns of another party's report ("according to Microsoft", "laut Energieversorger"): a
    #: resolution claim in such words is theirs, not the author's (label guide)
    reported: list[str] = Field(default_factory=list)
    #: patterns of a partial recovery ("45 % of buckets", "die meisten Dienste", "E-Mail ist noch
    #: gestört"): a sentence that says part is back claims nothing is solved (label guide)
    partial: list[str] = Field(default_factory=list)
    #: a forecast or a hope ("Once the fix is rolled out, everything should work again", "Sobald der
    #: Patch ausgerollt ist, …", "We hope to have everything up again soon"): no claim that it works now
    forecast: list[str] = Field(default_factory=list)
    #: whole sentences that read like a claim and claim nothing: only thanks or an apology ("Thanks again.",
    #: "Nochmals vielen Dank für Ihr Verständnis."), a message acknowledged ("Your request has been received"), a
    #: courtesy reply ("No problem at all"), an instruction to try again ("Please restart your router and try again")
    not_claim: list[str] = Field(default_factory=list)
    #: sympathy and hedged apologies ("sorry to hear", "tut mir leid zu hören", "to the extent that
    #: you experienced …, we are sorry"): an apology read in such words is regret (label guide)
    sympathy: list[str] = Field(default_factory=list)
    #: apologies that are not the author's own, made now: asked for, awaited, refused, another
    #: party's, or a gesture named so ("we asked for an apology", "keinen Anlass, uns zu
    #: entschuldigen", "as an apology, your next month is free"): no apology (label guide)
    not_apology: list[str] = Field(default_factory=list)
    #: no admission of the author's: conditional, a denial, another party's ("If we find that the
    #: outage was our fault, …", "Nichts in unseren Unterlagen deutet auf einen Fehler bei uns hin",
    #: "Die Spedition hat eingeräumt, …"; label guide)
    not_admission: list[str] = Field(default_factory=list)
    #: a hand-over inside the vendor, who comes back ("Ihr Ticket haben wir an den Second-Level-Support
    #: weitergeleitet", "Our accounts department will contact you"): no referral, unless the sentence
    #: also sends the customer elsewhere (``referral_imperative``; label guide)
    handover: list[str] = Field(default_factory=list)
    #: no promise: planned maintenance announced, a standing schedule or a rule of thumb ("Unser
    #: Wartungsfenster ist jeden Dienstag von 22 bis 24 Uhr", "Erstattungen werden in der Regel
    #: innerhalb von 5 Werktagen bearbeitet"; label guide)
    not_commitment: list[str] = Field(default_factory=list)
    #: a customer's acknowledgement of a credit, not a claim to one ("Danke, die Gutschrift ist
    #: eingegangen", "We have received the credit note"; label guide)
    not_request: list[str] = Field(default_factory=list)
    #: a customer's claim for money passed on inside the vendor, not an offer ("I've passed your credit
    #: request on to our billing team", "Ihre Bitte um Gutschrift haben wir an die Buchhaltung
    #: weitergegeben"), unless another clause offers; label guide
    not_offer: list[str] = Field(default_factory=list)
    #: no referral: thanks for a contact already made ("Thanks for getting in touch with our support team",
    #: "Vielen Dank für Ihre Nachricht an unser Qualitätsmanagement") and a reply to this very mail asked
    #: for; nobody is sent elsewhere (label guide)
    not_referral: list[str] = Field(default_factory=list)
    #: words that hand a document over ("please find attached", "anbei", "has been published"): with
    #: a report word in the same sentence, the promised report is delivered (``missed-report``)
    report_delivery: list[str] = Field(default_factory=list)
    #: words that say, in the clause of a hand-over, that the document is not there yet ("The report
    #: isn't attached yet", "Der Bericht ist noch nicht fertig"): such a clause hands nothing over
    report_pending: list[str] = Field(default_factory=list)
    #: work on the ticket, not on the fault: raised, escalated, assigned, or a change only weighed
    #: ("I've raised a ticket with our network team", "Wir überlegen, ob wir den Switch tauschen"; label guide)
    not_measure: list[str] = Field(default_factory=list)
    #: a check or look at this incident reported ("we tested it from our side", "das haben wir mit jedem Mandanten
    #: geprüft", "All our checks pass"): the vendor's test is evidence for a claim, not the action on the cause the
    #: label guide asks of a measure. A clause holding one is taken out before a measure the model alone read is read
    #: again (see ``MessageAnalyzer._unfixed``); a check as new practice ("from now on", "künftig", "will") is left alone.
    check_reports: list[str] = Field(default_factory=list)
    #: the fault back again ("bounced again with the same error", "the errors are back this morning", "seit gestern
    #: tritt er wieder auf"): "again" / "wieder" there is the fault's, not a claim's. A clause holding such words is
    #: taken out before a resolution claim the model read is read again (see ``MessageAnalyzer._recurring``).
    fault_again: list[str] = Field(default_factory=list)
    #: a thing told working, in a clause of its own with no act in it ("Alle Domains funktionieren jetzt wieder
    #: normal", "the payment page is back online", "works now"): the state a claim tells, not the action on the cause
    #: the label guide asks of a measure ("jetzt", "now", "ab sofort" are measure cues). A clause holding one is taken
    #: out before a measure the model alone read is read again (see ``MessageAnalyzer._unfixed``); a fix told beside
    #: it ("Wir haben das Netzteil getauscht, der Server läuft wieder") stays a measure.
    working_states: list[str] = Field(default_factory=list)
    #: work on the ticket is no cause either: a ticket or case opened, a request logged ("A new support
    #: case has been created for you", "Ihre Anfrage wurde unter der Ticketnummer … erfasst"; label guide)
    not_cause: list[str] = Field(default_factory=list)
    #: a cause phrase with no cause in it ("the result of unforeseeable circumstances", "auf technische Probleme
    #: zurückzuführen"): the label guide calls it boilerplate, not a cause; read so after the model
    vague_causes: list[str] = Field(default_factory=list)
    #: a measure told only in vague words ("We have taken appropriate measures", "Es wurden entsprechende Maßnahmen
    #: eingeleitet"), the whole sentence: a stock phrase, not the concrete action the label guide asks of a
    #: measure; read as boilerplate after the model, so a reply of such words is still a deflection
    vague_measures: list[str] = Field(default_factory=list)
    #: a resolution claim told as the fault no longer happening ("Der Fehler tritt nicht mehr auf", "no more
    #: 502s since the rollback"): the model learns "nicht mehr" / "no longer" as a fault's sign from the
    #: complaints, so these are read here (not in a question or after a conditional cue; the claim
    #: exceptions still apply). A thing that no longer works is the fault, not its absence. So is the fault said to
    #: be over ("The incident affecting card payments has ended", "Die Unterbrechung ist beendet").
    absence_claims: list[str] = Field(default_factory=list)
    #: a resolution claim told as the vendor's own test or check passing ("Unsere Testmails an Ihr Postfach
    #: sind alle angekommen", "Our status checks show your mail server accepting connections"): the vendor's
    #: view that it works, which the label guide reads as a claim. Each pattern names its words of success
    #: as the group ``ok``; a negation cue before them ("the test mail has not arrived") undoes it.
    evidence_claims: list[str] = Field(default_factory=list)
    #: a resolution claim told as the vendor's own view ("On our side everything looks fine", "Bei uns ist alles
    #: in Ordnung"): a vantage and a state of success (group ``ok``) in one clause, which the model reads as
    #: nothing where the vantage outweighs the rest. Read as ``evidence_claims`` are, and never in a customer's
    #: sentence: a customer's own side working says nothing about the vendor's fault.
    vantage_claims: list[str] = Field(default_factory=list)
    #: a resolution claim told as the vendor having solved the problem ("We have solved the problem", "Our engineers
    #: rectified the fault", "Wir konnten die Störung beseitigen"): the model knows "fixed" and "resolved" but reads
    #: "solved", "rectified", "remedied" or "were able to fix" with "we" as nothing. The vendor as subject, a problem
    #: as object, the words of success as group ``ok``; read as ``vantage_claims`` are, never in a customer's sentence.
    solved_claims: list[str] = Field(default_factory=list)
    #: an admission told as the author (we, I, our staff) forgetting ("We forgot to renew the domain", "Unsere
    #: Disposition hat vergessen, …"), which the model reads as nothing or a measure. Read here, after the model,
    #: not as a category entry: as a model feature it moved other admissions in cross-validation (round 50).
    #: Not asked, not conditional, not negated before or inside the words ("Wir haben nichts vergessen"), not
    #: a customer's; the admission exceptions (denials) still apply.
    admission_forms: list[str] = Field(default_factory=list)
    #: the author's own try told with its outcome ("I unlocked your door panel remotely and it opened at once", "Ich
    #: habe Ihr Telefon eben angerufen, es klingelte sofort"): the words of success are any verb, which no list
    #: reaches, so the outcome clause (group ``out``) is read for what would make it none (``try_failures``).
    try_claims: list[str] = Field(default_factory=list)
    #: what makes a try's outcome no success: negation, failure, still, only, hedges, the fault's words, an action of
    #: the author's continued ("… und die Logs geprüft")
    try_failures: list[str] = Field(default_factory=list)
    #: a repair named as the point since which it works ("Since we replaced the hard drive, the export has been
    #: stable", "Seit dem Austausch der Festplatte ist der Export stabil"): the model reads the claim and misses the
    #: step, which it learnt only from steps told in a main clause. A measure by the label guide (the reader learns what
    #: was done); read after the model and the exceptions, where the claim stands, for any author but the customer,
    #: stated (not asked, conditional or negated inside its words); the measure exceptions still apply.
    measure_forms: list[str] = Field(default_factory=list)
    #: a fronted phrase of time, cause or means at a sentence's start, up to where its main clause begins ("Since we
    #: swapped the fan, …", "Nach einem Neustart des Routers | funktioniert das Gäste-WLAN wieder"): a repair or cause
    #: told first weighed against the claim told after it (0.22 where the main clause alone reads 0.98). Where the model
    #: reads no claim, the rest is read alone and its claim is the sentence's; not after a condition or a time to come.
    fronted: list[str] = Field(default_factory=list)
    #: words that say "from now" ("ab sofort", "effective immediately", "as of now"), which the corpus knows almost only
    #: in new practice and announcements: where the model reads no claim, the sentence is read again without them
    #: ("Ab sofort laden die Scans des Dentallabors wieder ins Portal hoch" read nothing). Claims only: a new practice
    #: told with them stays what the model read.
    from_now: list[str] = Field(default_factory=list)
    #: a cause told with the failure it led to ("Heavy snow closed the motorway, so the truck could not reach your
    #: depot", "…, deshalb kam es am Freitag nicht an"), which the model reads as nothing when the sentence names no
    #: cause word. Group ``e`` is the clause telling the event, group ``c`` the connector and the failure. Read after
    #: the model, not for a customer (an allegation), not asked, not conditional, not negated in the event clause
    #: ("Nothing looked wrong at first, which is why the alert was missed"); the cause exceptions still apply.
    cause_forms: list[str] = Field(default_factory=list)
    #: a referral told as another party handling the customer's matter ("That's something your reseller handles",
    #: "Das regelt Ihr Händler", "Only the registrar can unlock the domain"), which the model reads as nothing when
    #: no word sends the reader anywhere. Read after the model for any author but the customer, stated (not asked,
    #: conditional or negated); the referral exceptions still apply.
    referral_forms: list[str] = Field(default_factory=list)
    #: a demand for money told in so many words ("We want our money back", "Refund the setup fee, please", "can we get
    #: something off the bill?", "Wir wollen unser Geld zurück") or a customer's money act (payment withheld, claims
    #: reserved, a promised credit chased, the reader asked to issue one): read after the model where the author is not
    #: the vendor. Without an author (a flat corpus, an event without ``actor``) the request head alone decides, and it
    #: had leant on the author; with it, the compensation head finds these. Not under a condition, not negated
    #: before or inside the words; the request exceptions (a credit acknowledged) still apply. A form found makes
    #: the sentence a request, not an offer.
    request_forms: list[str] = Field(default_factory=list)
    #: an offer told in its form ("The first month of the new package is on us"): the lexicon's admission phrase
    #: "on us" outweighed it in the model; a waiver told with the payer ("You don't have to pay for March", "Sie
    #: müssen für März nichts bezahlen"), whose negation outweighed it. Read after the model where the author is
    #: not the customer, stated (not asked, conditional or negated before its group ``ok``, ``ok2`` …); the author
    #: giving in its verb ("We are refunding the setup fee", "Die Gebühr erstatten wir Ihnen"), which the model read as
    #: a demand. It takes the model's request reading away, never a request form's.
    offer_forms: list[str] = Field(default_factory=list)
    referral_imperative: list[str] = Field(default_factory=list)
    #: first words of greeting and sign-off lines ("hi", "dear", "best", "regards", "grüße")
    salutations: list[str] = Field(default_factory=list)
    #: words that close a mail ("regards", "sincerely", "Grüße"): a sign-off with its signature on one line ("Kind
    #: regards, the Support Team") is a courtesy line too, which the model is not asked about
    closings: list[str] = Field(default_factory=list)
    #: stock sign-off lines, each matched against a whole line in lower case, its words alone ("all the best",
    #: "thanks again", "viele grüße"): such a line is a courtesy line whatever its punctuation
    sign_offs: list[str] = Field(default_factory=list)
    #: a greeting up to its comma ("Sehr geehrte Damen und Herren,", "Hi Priya,"): where a flattened mail glued it
    #: to the sentence beside it, it is cut off as a courtesy line of its own
    greetings: list[str] = Field(default_factory=list)
    #: the signature after a sign-off ("Ihr Support-Team", "the Support Team"): a sign-off and its signature glued
    #: to the next sentence are cut off from it
    signatures: list[str] = Field(default_factory=list)
    #: chat and typing spellings the model reads as the standard word ("wieda" → "wieder", "u" → "you");
    #: only what the model reads changes, never the text a finding quotes
    spellings: dict[str, str] = Field(default_factory=dict)
    dates: DateWords | None = None
    zones: dict[str, float] = Field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Finding:
    """One recognised phrase: what it is, where it stands, and which entry found it."""

    category: str
    phrase: str
    start: int
    end: int
    entry: str
    lang: str
    status: Status = "ok"
    groups: tuple[tuple[str, str], ...] = ()
    reader: Reader = "lexicon"
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Analysis:
    findings: tuple[Finding, ...]
    text: str = ""
    _currencies: dict[str, str] = field(default_factory=dict)
    _resolvers: dict[str, _Resolve] = field(default_factory=dict)
    lang: str | None = None
    sentences: tuple[tuple[int, int], ...] = ()
    _scope: ScopeWords = ScopeWords()
    _promises: _PromiseReader | None = None
    #: categories read with low confidence (a positive reading close to its threshold)
    uncertain: tuple[str, ...] = ()
    #: a reviewer's reading replaced the model's for at least one sentence
    reviewed: bool = False
    #: categories read as absent with low confidence (a probability just below the threshold):
    #: a finding that rests on their absence ("no apology") is as unsure as one resting on a reading
    doubtful: tuple[str, ...] = ()

    def ok(self, category: str) -> list[Finding]:
        return [f for f in self.findings if f.category == category and f.status == "ok"]

    def has(self, category: str) -> bool:
        return bool(self.ok(category))

    @property
    def apology(self) -> ApologyStrength:
        if self.has("apology"):
            return "explicit"
        conditional = any(f.category == "apology" and f.status == "conditional" for f in self.findings)
        return "regret-only" if self.has("regret") or conditional else "none"

    @property
    def claims_resolution(self) -> bool:
        return self.has("resolution_claim")

    def sentence(self, finding: Finding) -> str:
        """The sentence around a finding, for quoting it in a report (list markers dropped)."""
        i = bisect.bisect_right([a for a, _ in self.sentences], finding.start) - 1
        left, right = self.sentences[i] if i >= 0 else (finding.start, finding.end)
        text = self.text[left:max(right, finding.end)].strip()
        return _LIST_MARKER.sub("", text, count=1).lstrip(":;,-– ").strip()

    def _promise_kind(self, f: Finding, quote: str) -> str:
        """What is promised: read in the clause that holds the promised time first ("…; we expect
        checkout to be working by 12:00" is a restoration, whatever "payment gateway" earlier in
        the sentence says), then in the whole sentence."""
        if self._promises is None:
            return "other"
        i = bisect.bisect_right([a for a, _ in self.sentences], f.start) - 1
        if i >= 0:
            lo, hi = self.sentences[i]
            left, right = _clause(self.text, f.start, f.end, lo, max(hi, f.end))
            kind = self._promises.kind(self.text[left:right], f.lang)
            if kind != "other":
                return kind
        return self._promises.kind(quote, f.lang)

    def claim_sentences(self) -> list[str]:
        """The sentences in which the author claims resolution."""
        return list(dict.fromkeys(self.sentence(f) for f in self.ok("resolution_claim")))

    def claim_kinds(self) -> frozenset[str]:
        """The kinds of service a resolution claim names by word ("Ihre Webseite ist wieder online":
        web), unless another word makes it general ("alle Seiten", "der Server ist wieder erreichbar")."""
        text = " ".join(self.claim_sentences())
        kinds = frozenset(kind for kind, pattern in self._scope.kinds if pattern.search(text))
        general = self._scope.general
        if not kinds or general is None:
            return kinds
        spans = [(m.start(), m.end()) for _, p in self._scope.kinds for m in p.finditer(text)]
        # "Dienst" in "der E-Mail-Dienst" is part of the kind's name; "alle", "der Server" are not
        if any(not any(a <= m.start() and m.end() <= b for a, b in spans) for m in general.finditer(text)):
            return frozenset()
        return kinds

    def claim_scope(self) -> tuple[Literal["general", "component"], str | None]:
        """Whether the resolution claim is about everything or only a component (which one)."""
        general, components = self._scope.general, self._scope.components
        text = " ".join(self.claim_sentences())
        if general is not None and general.search(text):
            return "general", None
        found = components.search(text) if components is not None else None
        return ("component", found.group(0).lower()) if found else ("general", None)

    def quote(self, category: str) -> str | None:
        found = self.ok(category)
        return self.sentence(found[0]) if found else None

    def amount(self) -> tuple[float, str | None] | None:
        """The first amount named in a compensation offer or request, with its currency."""
        for f in self.findings:
            if f.category in ("compensation_offer", "compensation_request") and f.status == "ok":
                groups = dict(f.groups)
                if groups.get("amount"):
                    value = float(groups["amount"].replace(".", "").replace(",", ".")
                                  if "," in groups["amount"] else groups["amount"])
                    symbol = (groups.get("currency") or groups.get("symbol") or "").lower()
                    return value, self._currencies.get(symbol, symbol.upper() or None)
        return None

    def delivers_report(self) -> bool:
        """Whether a sentence hands a report over ("Please find attached the post-mortem", "Anbei
        erhalten Sie den Störungsbericht"): a report is often attached, its cause not in the mail."""
        if self._promises is None:
            return False
        spans = self.sentences or ((0, len(self.text)),)
        return any(self._promises.delivers_report(self.text[lo:hi]) for lo, hi in spans)

    def commitment(self, at: float, tz: str) -> float | None:
        """The time of the first promise that names one (any kind), in epoch seconds."""
        return next((p.due for p in self.commitments(at, tz) if p.due is not None), None)

    def commitments(self, at: float, tz: str, holidays: frozenset[date] = frozenset()) -> list[Promise]:
        """Every promise: its kind and due time, resolved against the message time in the contract zone.

        The due time comes from the sentence's time expression (``due.py``); a lexicon
        entry with its own ``resolve`` is the fallback.
        """
        out: list[Promise] = []
        for f in self.ok("commitment"):
            quote = self.sentence(f)
            if any(p.quote == quote for p in out):
                continue
            due = self._promises.due.due(quote, at, tz, holidays) if self._promises is not None else None
            if due is None:
                due = _resolve(f, self._resolvers.get(f.entry), at, tz)
            kind = self._promise_kind(f, quote)
            out.append(Promise(kind, due, quote))
        return out


_WORD = re.compile(r"[\w']+", re.UNICODE)
#: one character for one, so spans stay the text's
_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "‛": "'", "ʼ": "'", "‐": "-", "‑": "-"})
_LIST_MARKER = re.compile(r"^(?:(?:zu|re|ad)\s+)?\(?(?:\d{1,2}|[a-h])[.)]\)?:?\s+|^[-*•]\s+", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[,;:.!?\n]")


def _within(text: str, phrase: str, spans: list[tuple[int, int]]) -> bool:
    """Does the phrase (its first occurrence in the text) overlap one of the spans?"""
    at = text.find(phrase)
    return at >= 0 and any(a < at + len(phrase) and at < b for a, b in spans)


def _words(words: list[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for a list of words and phrases (longest first)."""
    return re.compile(rf"(?<!\w)(?:{alternation(words)})(?!\w)", re.IGNORECASE) if words else None


def _clause(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """The clause around [start, end) inside the sentence [lo, hi)."""
    left = max((m.end() for m in _CLAUSE_END.finditer(text, lo, start)), default=lo)
    right_match = _CLAUSE_END.search(text, end, hi)
    return left, right_match.start() if right_match else hi


def _resolve(f: Finding, spec: _Resolve | None, at: float, tz: str) -> float | None:
    if spec is None:
        return None
    groups = {k: v for k, v in f.groups if v}
    local = datetime.fromtimestamp(at, ZoneInfo(tz))
    if spec.kind == "relative":
        delta = timedelta(days=float(groups.get("days", 0)), hours=float(groups.get("hours", 0)),
                          minutes=float(groups.get("minutes", 0)))
        return at + delta.total_seconds()
    if spec.kind == "fixed":
        target = (local + timedelta(days=spec.day)).replace(hour=spec.hour, minute=spec.minute, second=0, microsecond=0)
        return target.timestamp()
    hour = int(groups.get("hour", spec.hour))
    if groups.get("ampm", "").lower().startswith("p") and hour < 12:
        hour += 12
    target = local.replace(hour=hour % 24, minute=int(groups.get("minute", 0)), second=0, microsecond=0)
    if target <= local:
        target += timedelta(days=1)
    return target.timestamp()


def _time_patterns(lex: Lexicon) -> list[re.Pattern[str]]:
    """The lexicon's time expressions, and the spans its promises may name without a number
    ("in einer halben Stunde", "within the hour"): what a deadline can be read from is a time."""
    patterns = [re.compile(t, re.IGNORECASE) for t in lex.time]
    if lex.dates is not None and lex.dates.periods:
        patterns.append(re.compile(rf"(?<!\w)(?:{alternation(list(lex.dates.periods))})(?!\w)", re.IGNORECASE))
    return patterns


def _exceptions(lexicons: list[Lexicon]) -> list[tuple[str, re.Pattern[str]]]:
    """The label guide's exceptions as (category, pattern): a category read where its pattern matches is none."""
    return [(category, pattern) for category, pattern in (
        ("resolution_claim", any_of(p for lex in lexicons for p in [*lex.reported, *lex.partial, *lex.forecast,
                                                                    *lex.not_claim])),
        ("admission", any_of(p for lex in lexicons for p in lex.not_admission)),
        ("commitment", any_of(p for lex in lexicons for p in lex.not_commitment)),
        ("compensation_request", any_of(p for lex in lexicons for p in lex.not_request)),
        ("compensation_offer", any_of(p for lex in lexicons for p in lex.not_offer)),
        ("referral", any_of(p for lex in lexicons for p in lex.not_referral)),
        ("measure", any_of(p for lex in lexicons for p in [*lex.not_measure, *lex.vague_measures])),
        ("cause", any_of(p for lex in lexicons for p in [*lex.not_cause, *lex.vague_causes]))) if pattern is not None]


class _Compiled:
    def __init__(self, lex: Lexicon):
        self.lang = lex.lang
        self.currencies = {k.lower(): v for k, v in lex.currencies.items()}
        self.salutations = frozenset(w.lower() for w in lex.salutations)
        self.spellings = {k.lower(): v for k, v in lex.spellings.items()}
        self.respell = _words(list(self.spellings))
        self.negation = {c.lower() for c in lex.negation.cues}
        self.neg_before, self.neg_after = lex.negation.before, lex.negation.after
        self.conditional = [re.compile(rf"\b{re.escape(c)}\b", re.IGNORECASE) for c in lex.conditional.cues]
        self.prospective = [re.compile(rf"\b{re.escape(c)}\b", re.IGNORECASE) for c in lex.prospective.cues]
        self.abbreviations = {a.lower().rstrip(".") for a in lex.abbreviations}
        self.sentence_starts = {w.lower() for w in lex.sentence_starts}
        self.cues = Cues.build(lex.lang, {**{c: list(v) for c, v in lex.cues.items()},
                                          **{f"mark:{m}": list(v) for m, v in lex.markers.items()}},
                               _time_patterns(lex))
        self.entries: list[tuple[str, str, re.Pattern[str], frozenset[str]]] = []
        #: per entry, the words one of which any match contains (skip the scan when none occurs)
        self.needs: list[Needs] = []
        self.scanners: list[Scanner] = []
        self.resolvers: dict[str, _Resolve] = {}
        for name, cat in lex.categories.items():
            for e in cat.entries:
                pattern = re.compile(e.pattern, re.IGNORECASE)
                self.entries.append((name, e.id, pattern, frozenset(cat.checks)))
                self.needs.append(required(pattern))
                self.scanners.append(Scanner(pattern))
                if e.resolve is not None:
                    self.resolvers[e.id] = e.resolve


def _one_by_one(patterns: Sequence[str]) -> list[tuple[re.Pattern[str], Needs]]:
    """Patterns compiled one by one (case-insensitive), each with the literal text it cannot match without."""
    return [(c, required(c)) for c in (re.compile(p, re.IGNORECASE) for p in patterns)]


@dataclass(frozen=True, slots=True)
class _PerLanguage:
    """A lexicon key's patterns as one alternation per language: a German "stand" or an English "was" is not the
    past tense of the other language. A sentence whose language is unknown is searched with every language's, the
    leftmost match winning (the earlier language's on a tie), as one alternation of them all would find it; one
    alternation cannot hold two languages' patterns that name the same group (``ok``). ``search`` tries the patterns
    one by one, past those whose literal text the sentence lacks, and finds what the alternation would; ``patterns``
    gives the alternations, whose ``finditer`` the clause steps scan."""

    by_lang: dict[str, re.Pattern[str] | None]
    #: each language's patterns one by one, each with the literal text it cannot match without: ``search`` skips a
    #: pattern whose text the sentence lacks (most sentences lack nearly all), where the alternation tried every one
    #: at every position
    each: dict[str, list[tuple[re.Pattern[str], Needs]]]

    @classmethod
    def of(cls, lexicons: Sequence[Lexicon], key: str) -> _PerLanguage:
        return cls.of_patterns({lex.lang: getattr(lex, key) for lex in lexicons})

    @classmethod
    def of_patterns(cls, by_lang: dict[str, list[str]]) -> _PerLanguage:
        return cls({code: any_of(patterns) for code, patterns in by_lang.items()},
                   {code: _one_by_one(patterns) for code, patterns in by_lang.items()})

    def patterns(self, lang: str | None) -> list[re.Pattern[str]]:
        """The alternation of a language, or every language's where it is not known."""
        found = [self.by_lang[lang]] if lang in self.by_lang else list(self.by_lang.values())
        return [p for p in found if p is not None]

    def search(self, lang: str | None, words: str) -> re.Match[str] | None:
        """The match the language's alternation finds (every language's where it is not known): the leftmost, the
        earlier pattern's (and language's) on a tie."""
        codes = [lang or ""] if (lang or "") in self.each else list(self.each)
        folded = fold(words)
        best: re.Match[str] | None = None
        for code in codes:
            for pattern, needs in self.each[code]:
                if may_match(needs, folded) and (m := pattern.search(words)) is not None and (
                        best is None or m.start() < best.start()):
                    best = m
        return best


def _closing(lexicons: Sequence[Lexicon]) -> re.Pattern[str] | None:
    """A sign-off as a flattened mail writes it before the next sentence: with its comma and perhaps its signature
    ("Kind regards, the Support Team"), or without the comma before a signature ("Mit freundlichen Grüßen Ihr
    Support-Team", as German mails write it). A bare sign-off needs its comma ("Best Practices" is none)."""
    sign_offs = either(p for lex in lexicons for p in lex.sign_offs)
    if not sign_offs:
        return None
    signature = either(p for lex in lexicons for p in lex.signatures)
    after = rf"\s*,(?:\s*(?:{signature})\b)?|\s+(?:{signature})\b" if signature else r"\s*,"
    return re.compile(rf"(?:{sign_offs})(?:{after})", re.IGNORECASE)


def _claim_forms(lexicons: Sequence[Lexicon], key: str) -> tuple[dict[str, list[tuple[re.Pattern[str], Needs]]],
                                                                 list[tuple[re.Pattern[str], Needs]]]:
    """A claim form's patterns per language and for all languages, each with the literal text it cannot match
    without: one pattern each (each names its group "ok", which one alternation could not hold)."""
    by_lang = {lex.lang: _one_by_one(getattr(lex, key)) for lex in lexicons}
    return by_lang, [pn for lex in lexicons for pn in by_lang[lex.lang]]


@functools.lru_cache(maxsize=8)
def _detector(languages: tuple[str, ...]) -> _Detector:
    """Loading the language model takes a good part of a second: once per language set."""
    return _Detector(list(languages))


class _Detector:
    """Language identification restricted to the lexicons' languages (py3langid)."""

    def __init__(self, languages: list[str]):
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        self._ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        self._ident.set_languages(languages)

    def __call__(self, text: str, confidence: float = 0.9) -> str | None:
        lang, prob = self._ident.classify(text[:20_000])
        return lang if prob >= confidence else None


@dataclass(frozen=True, slots=True)
class Text:
    """A text to read (:meth:`MessageAnalyzer.analyze_many`): its words, language if known, author, the
    reviewer's annotations of its sentences."""

    text: str | None
    lang: str | None = None
    author: str | None = None
    reviewed: tuple[Annotation, ...] = ()


@dataclass(frozen=True, slots=True)
class Unit:
    """One sentence as the readers see it: its span, the author's words, the lexicon's matches."""

    start: int
    end: int
    words: str
    matches: tuple[Finding, ...]

    def hits(self) -> list[str]:
        """The lexicon matches as model features: ``category:status``."""
        return sorted({f"{f.category}:{f.status}" for f in self.matches})


class _PromiseReader:
    """A promise's kind (first listed kind whose words occur) and due time.

    A kind's words match as written, as a word's beginning ("restore" in "restored",
    "restoring") and on lemmas ("be working again" is "work again", "wird geliefert" is
    "liefern"): a promise is worded in any inflection.
    """

    def __init__(self, lexicons: list[Lexicon]):
        kinds: dict[str, list[str]] = {}
        for lex in lexicons:
            for kind, words in lex.commitment_kinds.items():
                kinds.setdefault(kind, []).extend(words)
        self.kinds = [(kind, re.compile(rf"(?<!\w)(?:{alternation(ws)})", re.IGNORECASE)) for kind, ws in kinds.items()]
        self.lemmas = Cues.merge([Cues.build(lex.lang, lex.commitment_kinds, [], compounds=False) for lex in lexicons])
        self.hedges = _words([h for lex in lexicons for h in lex.commitment_hedges])
        self.delivery = _words([w for lex in lexicons for w in lex.report_delivery])
        self.pending = _words([w for lex in lexicons for w in lex.report_pending])
        self.report = next((pattern for kind, pattern in self.kinds if kind == "report"), None)
        self.due = DueResolver([lex.dates for lex in lexicons if lex.dates is not None],
                               {k: v for lex in lexicons for k, v in lex.zones.items()})

    def delivers_report(self, sentence: str) -> bool:
        """A report word and a word of handing over in one clause that denies nothing ("The report
        is not attached yet", "Der Bericht ist noch nicht fertig; hier finden Sie …" hand nothing over)."""
        if self.delivery is None or self.report is None:
            return False
        pending = self.pending
        return any(self.delivery.search(c) and self.report.search(c) and not (pending and pending.search(c))
                   for c in _CLAUSE_END.split(sentence.translate(_TYPOGRAPHY)))

    def kind(self, sentence: str, lang: str | None = None) -> str:
        if self.hedges is not None:
            sentence = self.hedges.sub(lambda m: " " * len(m.group()), sentence)
        found = {kind for kind, _ in self.lemmas.matches(*lemmatised(sentence, lang))}
        return next((kind for kind, pattern in self.kinds if kind in found or pattern.search(sentence)), "other")


#: categories whose lexicon phrases, found unconditioned, decide the reading: their entries are
#: phrases a lawyer would quote as the thing itself ("we apologise", "wir hätten … müssen")
_PHRASE_DECIDES = ("apology", "admission")

#: sentence readings an analyzer keeps (about 1 KB each)
_READINGS_KEPT = 50_000
#: what a sentence's reading depends on: language, the author the model knows (``SPEAKING``), words, lexicon hits
_ReadingKey = tuple[str | None, str | None, str, tuple[str, ...]]
#: what a sentence's verdict depends on: language, author, words, the lexicon's matches counted from the sentence's start
_VerdictKey = tuple[str | None, str | None, str, tuple["Finding", ...]]
#: a verdict: the findings (counted from the sentence's start), the categories unsure and doubtful
_Verdict = tuple[tuple["Finding", ...], tuple[str, ...], tuple[str, ...]]


#: a clause before a sentence's last one: a break in punctuation, or "but" / "aber"
_CLAUSE_BEFORE = re.compile(r"[,;:\u2013\u2014]|\s-\s|\b(?:but|aber)\b", re.IGNORECASE)
#: where one clause of a sentence ends and the next begins: a break in punctuation or a joining word
_CLAUSE_JOIN = re.compile(r"[,;:\u2013\u2014]|\s-\s|\b(?:and|but|so|then|und|aber|also|dann|sowie)\b", re.IGNORECASE)


def _asked(sentence: str) -> bool:
    """A sentence that ends in a question mark asks: it states, admits, offers or refers nothing (label guide)."""
    return sentence.rstrip().endswith("?")


def _own_words(found: re.Match[str], default: int) -> int:
    """Where a form's own words begin, which may negate it or hold a condition word of its own: its group ``ok``
    (``ok2``, ``ok3`` … where a language's forms are one alternation, which cannot name one group twice), else
    ``default``."""
    return next((found.start(g) for g in found.re.groupindex if g.startswith("ok") and found.group(g) is not None), default)


def _shifted(finding: Finding, by: int) -> Finding:
    """The finding moved ``by`` characters: a verdict is kept counted from its sentence's start. Every other
    field is kept by ``replace``, so a field added to Finding cannot be lost in a kept verdict."""
    return replace(finding, start=finding.start + by, end=finding.end + by)


def _without(unit: Unit, spans: Sequence[tuple[int, int]]) -> Unit:
    """The sentence without the clauses the spans touch (a clause ends at ``_CLAUSE_JOIN``); the lexicon's matches in
    the kept clauses move with them, so the rest is read as a sentence of its own."""
    words = unit.words
    cuts = [0, *(m.start() for m in _CLAUSE_JOIN.finditer(words)), len(words)]
    kept = [(a, b) for a, b in itertools.pairwise(cuts) if a < b and not any(s < b and a < e for s, e in spans)]
    rest, matches = "", []
    for a, b in kept:
        matches += [_shifted(f, len(rest) - a) for f in unit.matches if a <= f.start and f.end <= b]
        rest += words[a:b]
    return Unit(0, len(rest), rest, tuple(matches))


def _cut_out(unit: Unit, start: int, end: int) -> Unit | None:
    """The sentence without ``words[start:end]`` (a fronted phrase, "from now" words), the lexicon's matches outside the
    cut kept in place, read as a sentence of its own; None where nothing is left."""
    head, tail = unit.words[:start].rstrip(), unit.words[end:].lstrip()
    words = f"{head} {tail}" if head else tail
    by = len(words) - len(unit.words)  # the tail moves by what was cut before it
    kept = tuple(f for f in unit.matches if f.end <= len(head)) + tuple(
        _shifted(f, by) for f in unit.matches if f.start >= end)
    rest = Unit(0, len(words), words, kept)
    return rest if _said(rest) else None


def _said(unit: Unit) -> bool:
    """Whether a sentence has words left, not only the punctuation of the clauses taken out."""
    return bool(unit.words.strip(" ,;:.!?-\u2013\u2014"))


def primary_language(code: str | None) -> str | None:
    """The language of a tag as the lexicons name it: "de-CH", "de_AT" and "DE" are German. A Swiss
    corpus or mail client tags its region; left as written, the tag named no lexicon and the language
    was guessed from the words instead."""
    if code is None:
        return None
    return code.strip().lower().replace("_", "-").split("-")[0] or None


class MessageAnalyzer:
    """Applies the lexicons and the sentence model; build once, call per message.

    Without a ``lang``, the language is detected; when detection is not confident
    (short or mixed texts), every lexicon is applied.
    """

    def __init__(self, lexicons: list[Lexicon], model: SentenceModel | None = None):
        self._lex = {lex.lang: _Compiled(lex) for lex in lexicons}
        self._detect = _detector(tuple(sorted(self._lex))) if len(self._lex) > 1 else None
        self._currencies = {k: v for c in self._lex.values() for k, v in c.currencies.items()}
        self._resolvers = {k: v for c in self._lex.values() for k, v in c.resolvers.items()}
        self._abbreviations = frozenset(a for c in self._lex.values() for a in c.abbreviations)
        self._salutations = frozenset(w for c in self._lex.values() for w in c.salutations)  # language unknown
        # a greeting's or sign-off's first word begins a sentence too ("… in rack 29. Kind regards, …")
        self._starts = frozenset(w for c in self._lex.values() for w in c.sentence_starts) | self._salutations
        self._closings = frozenset(w.lower() for lex in lexicons for w in lex.closings)
        self._sign_offs = any_of(p for lex in lexicons for p in lex.sign_offs)
        # every language's: a German sign-off ends many a mail read as English
        self._greeting = any_of(p for lex in lexicons for p in lex.greetings)
        self._closing = _closing(lexicons)
        self._all_cues = Cues.merge([c.cues for c in self._lex.values()])
        self._promises = _PromiseReader(lexicons)
        self._auto = any_of(p for lex in lexicons for p in lex.auto_reply)
        kinds = sorted({k for lex in lexicons for k in lex.reasons})
        #: the label guide's exceptions, per language (one lexicon per language, see load_lexicons): a
        #: German "stand" or an English "was" is not the past tense of the other language. A sentence
        #: of unknown language gets every lexicon's.
        self._undone = {lex.lang: _exceptions([lex]) for lex in lexicons}
        self._undone_any = _exceptions(lexicons)
        self._absence = _PerLanguage.of(lexicons, "absence_claims")
        # stock phrases in the form of a cause or a measure, by the key that holds them
        self._vague = {key: _PerLanguage.of(lexicons, key) for key in ("vague_causes", "vague_measures")}
        self._owned = _PerLanguage.of(lexicons, "admission_forms")
        self._fronted = _PerLanguage.of(lexicons, "fronted")
        self._from_now = _PerLanguage.of(lexicons, "from_now")
        self._repaired = _PerLanguage.of(lexicons, "measure_forms")
        self._elsewhere = _PerLanguage.of(lexicons, "referral_forms")
        self._consequence, self._consequence_any = _claim_forms(lexicons, "cause_forms")
        self._demanded = _PerLanguage.of(lexicons, "request_forms")
        self._given = _PerLanguage.of(lexicons, "offer_forms")
        self._checked = _PerLanguage.of(lexicons, "check_reports")
        self._working = _PerLanguage.of(lexicons, "working_states")
        self._again = _PerLanguage.of(lexicons, "fault_again")
        # the literal text tested first: most sentences have none of it
        self._evidence, self._evidence_any = _claim_forms(lexicons, "evidence_claims")
        self._tried, self._tried_any = _claim_forms(lexicons, "try_claims")
        self._try_failed = _PerLanguage.of(lexicons, "try_failures")
        self._vantage, self._vantage_any = _claim_forms(lexicons, "vantage_claims")
        self._solved, self._solved_any = _claim_forms(lexicons, "solved_claims")
        self._sympathy = any_of(p for lex in lexicons for p in lex.sympathy)
        self._not_apology = any_of(p for lex in lexicons for p in lex.not_apology)
        self._handover = any_of(p for lex in lexicons for p in lex.handover)
        self._go_elsewhere = any_of(p for lex in lexicons for p in lex.referral_imperative)
        self._reasons = [(k, re.compile(either(p for lex in lexicons for p in lex.reasons.get(k, [])), re.IGNORECASE))
                         for k in kinds]
        kind_words: dict[str, list[str]] = {}
        for lex in lexicons:
            for kind, words in lex.scope.kinds.items():
                kind_words.setdefault(kind, []).extend(words)
        self._scope = ScopeWords(_words([w for lex in lexicons for w in lex.scope.general]),
                                 _words([w for lex in lexicons for w in lex.scope.components]),
                                 tuple((k, p) for k, ws in sorted(kind_words.items()) if (p := _words(ws)) is not None))
        self.model = model
        #: sentence readings already made: (language, author the model knows, words, lexicon hits) →
        #: probabilities. A reading depends on nothing else, so this is exact; support mail repeats its
        #: greetings, signatures, disclaimers and stock phrases from message to message.
        self._read: dict[_ReadingKey, dict[str, float]] = {}
        #: verdicts already made (``_verdict``): the same stock sentence is decided once, not per message
        self._decided: dict[_VerdictKey, _Verdict] = {}
        if model is not None:
            load_lemmatizer(self.languages)

    @property
    def languages(self) -> list[str]:
        return sorted(self._lex)

    def negation(self, lang: str | None) -> frozenset[str]:
        """The negation cues for a language (all languages' when it is not known)."""
        lexicons = [self._lex[lang]] if lang in self._lex else list(self._lex.values())
        return frozenset(w for lex in lexicons for w in lex.negation)

    def is_auto_reply(self, text: str) -> bool:
        """Whether a text reads as written by a machine (an acknowledgement of receipt, an out-of-office reply)."""
        return self._auto is not None and self._auto.search(text[:2000]) is not None

    @property
    def reason_kinds(self) -> list[str]:
        return [kind for kind, _ in self._reasons]

    def window(self, text: str, at: float, tz: str) -> tuple[float, float] | None:
        """The window a maintenance notice's text names, for a notice whose data gives none: users
        forward the provider's announcement as it came, not as ``starts``/``ends``."""
        return self._promises.due.window(text[:2000], at, tz)

    def reason_kind(self, text: str) -> str | None:
        """The kind of reason a suspension states (attack, legal-order, …): the one named first."""
        head = text[:2000]
        found = [(m.start(), kind) for kind, pattern in self._reasons if (m := pattern.search(head))]
        return min(found)[1] if found else None

    def cues(self, lang: str | None) -> Cues:
        """The lemma cues and time expressions for a language (all when it is not known)."""
        return self._lex[lang].cues if lang in self._lex else self._all_cues

    def features(self, unit: Unit, lang: str | None, author: str | None = None) -> Features:
        """What the sentence model reads of one sentence."""
        words = unit.words
        lex = self._lex.get(lang) if lang is not None else None
        if lex is not None and lex.respell is not None:  # a spelling is read only where its language is known
            words = lex.respell.sub(lambda m: lex.spellings[m.group().lower()], words)
        words = self._promises.due.in_digits(words)
        return featurize(words, lang, self.negation(lang), unit.hits(), self.cues(lang), author)

    def units(self, text: str, lang: str | None = None) -> tuple[str | None, list[Unit]]:
        """The language and the sentences of a text, each with the lexicon's matches."""
        lang = primary_language(lang)
        quotes = quoted_spans(text)
        if lang not in self._lex and self._detect is not None:
            lang = self._detect(text)
        langs = [lang] if lang in self._lex else sorted(self._lex)
        spans = cut_courtesy(text, sentences(text, self._abbreviations, self._starts), self._greeting, self._closing)
        starts = [a for a, _ in spans]
        per_sentence: list[list[Finding]] = [[] for _ in spans]
        # quotations never match: they are not the author's words; typographic apostrophes and
        # hyphens (Word, Outlook, Apple Mail: "We’re sorry", "E‑Mail") read as the plain ones
        author = translated(quotes.blank(text), _TYPOGRAPHY)
        gaps = quotes.gaps(len(text))
        folded = fold(author)
        lowered = author.lower()
        # a letter whose lower case is longer ("İ") would shift positions: then the plain scan
        scan_lower = lowered if len(lowered) == len(author) else None
        for code in langs:
            lex = self._lex[code]
            for (category, entry, _, checks), needs, scanner in zip(lex.entries, lex.needs, lex.scanners, strict=True):
                if not may_match(needs, folded):
                    continue
                for m in (m for a, b in gaps for m in scanner.finditer(author, scan_lower, a, b)):
                    i = bisect.bisect_right(starts, m.start()) - 1
                    if i < 0 or m.start() >= spans[i][1]:
                        continue
                    lo, hi = spans[i]
                    status = self._status(author, m.start(), m.end(), lo, hi, checks, lex)
                    groups = tuple(sorted((k, v) for k, v in m.groupdict().items() if v))
                    per_sentence[i].append(Finding(category, text[m.start():m.end()], m.start(), m.end(), entry, code, status,
                                                   groups))
        out = []
        for (a, b), found in zip(spans, per_sentence, strict=True):
            if quotes.covers(a) and all(quotes.covers(p) for p in (b - 1, (a + b) // 2)):
                words = ""  # wholly quoted: not the author's
            else:
                words = quotes.mask(text, a, b)
            found.sort(key=lambda f: (f.start, f.end, f.category, f.entry))
            out.append(Unit(a, b, words, tuple(found)))
        return (lang if len(langs) == 1 else None), out

    def analyze(self, text: str | None, lang: str | None = None,
                reviewed: Sequence[Annotation] = (), author: str | None = None) -> Analysis:
        """Read a text; sentences a reviewer annotated are read as the reviewer said. The author
        (an event's ``actor``) settles what only the author can: an offer or a request."""
        return self.analyze_many([Text(text, lang, author, tuple(reviewed))])[0]

    def analyze_many(self, texts: Sequence[Text]) -> list[Analysis]:
        """Read many texts, each as :meth:`analyze` reads it alone.

        The texts are read step by step (every text split and matched, then every new sentence put to
        the model at once, then decided), not text by text: each step's code and data stay warm, and the
        model's matrix product runs once. On the benchmark's support mail this takes about two thirds of the time
        of reading the same messages one at a time (docs/performance.md)."""
        written = [t for t in texts if t.text]
        read = iter(self.readings_many([(t.text or "", t.lang, t.author) for t in written]))
        return [self._analysis(t.text, *next(read), t.reviewed, t.author) if t.text
                else Analysis((), "", self._currencies, self._resolvers) for t in texts]

    def _analysis(self, text: str, lang: str | None, units: list[Unit], verdicts: list[dict[str, float] | None],
                  reviewed: Sequence[Annotation], author: str | None) -> Analysis:
        findings: list[Finding] = []
        uncertain: set[str] = set()
        doubtful: set[str] = set()
        sure: set[str] = set()  # read in some sentence clear of the review margin (or as a reviewer said)
        by_span = {(a.start, a.end): a for a in reviewed if text[a.start:a.end] == a.sentence}
        for unit, probs in zip(units, verdicts, strict=True):
            annotation = by_span.get((unit.start, unit.end))
            if annotation is not None:
                read = self._reviewed(unit, annotation, lang)
                sure.update(f.category for f in read if f.status == "ok")
                findings += read
            elif probs is None:
                findings += unit.matches
            else:
                read, unsure, doubt = self._verdict(unit, probs, lang, author)
                uncertain.update(unsure)
                doubtful.update(doubt)
                sure.update(f.category for f in read if f.status == "ok" and f.category not in unsure)
                findings += read
        # a category one sentence reads clearly does not rest on another sentence's unsure reading ("wir
        # bitten um Aufklärung: …" near the line beside "Wir erwarten … ein finanzielles Entgegenkommen")
        uncertain -= sure
        findings.sort(key=lambda f: (f.start, f.end, f.category, f.entry))
        return Analysis(tuple(findings), text, self._currencies, self._resolvers, lang,
                        tuple((u.start, u.end) for u in units), self._scope, self._promises,
                        tuple(sorted(uncertain)), bool(by_span), tuple(sorted(doubtful)))

    def _salutation(self, unit: Unit, lang: str | None, all_forms: bool = True) -> bool:
        """A greeting or sign-off line ("Hi Priya,", "Best,", "Mit freundlichen Grüßen,"): a few
        words ending in a comma that open with a salutation word of the lexicon. The model is not
        asked about it ("Best," was boilerplate to it); a phrase the lexicon knows is still read.
        ``all_forms``: a stock sign-off without its comma ("All the best", "Thanks again!") and a
        sign-off with its signature on one line count too (see ``courtesy``)."""
        words = unit.words.strip()
        if unit.matches:
            return False
        if all_forms and self._sign_offs is not None and self._sign_offs.fullmatch(" ".join(_WORD.findall(words.lower()))):
            return True  # every language's: a German sign-off ends many a mail read as English
        if all_forms and self._closing is not None and self._closing.fullmatch(words):
            return True  # "Mit freundlichen Grüßen Ihr Support-Team": a sign-off and signature without the comma
        if words.endswith(","):
            if len(words.split()) > 5:
                return False
            first = _WORD.findall(words.lower())[:1]
            known = self._lex[lang].salutations if lang in self._lex else self._salutations
            return bool(first) and first[0] in known
        # a sign-off and its signature on one line ("Kind regards, the Support Team", "Mit freundlichen Grüßen, Ihr
        # Support-Team"): a closing word before the first comma, a short signature after it, no sentence end
        head, comma, tail = words.partition(",")
        if not all_forms or not comma or len(head.split()) > 4 or len(tail.split()) > 6 or words[-1] in ".!?":
            return False
        # every language's closings: a German sign-off ends many a mail read as English
        return any(w in self._closings for w in _WORD.findall(head.lower()))

    def courtesy(self, units: Sequence[Unit], lang: str | None, all_forms: bool = True) -> list[bool]:
        """Which units are greetings, sign-offs or the signature under a sign-off ("Best,",
        "Marco", "Team Support"): lines of at most four words, no lexicon phrase and no sentence
        end, after a sign-off that follows the body. The model is not asked about them ("Team
        Support" was a referral to it).

        ``all_forms=False`` leaves out a sign-off with its signature on one line ("Kind regards, the
        Support Team") and a stock sign-off without its comma ("All the best"): training asks so.
        Such a line in the corpus is labelled as saying nothing, and it teaches the model so; skipped
        in training too, the model lost two such negatives and read worse on a fresh round
        (docs/message-analysis.md, "A sign-off and its signature")."""
        out: list[bool] = []
        signature = False
        body = False
        for unit in units:
            words = unit.words.strip()
            if self._salutation(unit, lang, all_forms):
                out.append(True)
                signature = body
                continue
            short = bool(words) and len(words.split()) <= 4 and not unit.matches and words[-1] not in ".!?"
            signature = signature and short
            out.append(signature)
            body = body or (bool(words) and not signature)
        return out

    def readings(self, text: str, lang: str | None = None,
                 author: str | None = None) -> tuple[str | None, list[Unit], list[dict[str, float] | None]]:
        """The sentences of a text and the model's probabilities for each (None: not read by the model);
        ``author`` is the event's ``actor``, which the model reads too."""
        return self.readings_many([(text, lang, author)])[0]

    def readings_many(self, texts: Sequence[tuple[str, str | None, str | None]]
                      ) -> list[tuple[str | None, list[Unit], list[dict[str, float] | None]]]:
        """:meth:`readings` of many texts (text, language, author), the new sentences of all put to the model at once."""
        parsed = [(self.units(text, lang), author) for text, lang, author in texts]
        if self.model is None:
            return [(lang, units, [None] * len(units)) for (lang, units), _ in parsed]
        # A sentence's reading depends only on its language, author, words and lexicon hits: a long
        # mail repeats its signature, disclaimers and log lines, a mailbox its stock phrases; each
        # is read once (the cache is bounded, and emptied when full).
        every: list[list[_ReadingKey | None]] = []
        known: dict[_ReadingKey, dict[str, float]] = {}
        new: dict[_ReadingKey, tuple[Unit, str | None]] = {}
        for (lang, units), author in parsed:
            speaker = author if author in SPEAKING else None
            keys: list[_ReadingKey | None] = []
            for u, courtesy in zip(units, self.courtesy(units, lang), strict=True):
                key = (lang, speaker, u.words, tuple(u.hits())) if u.words.strip() and not courtesy else None
                keys.append(key)
                if key is None:
                    continue
                if key in self._read:
                    known[key] = self._read[key]
                else:
                    new.setdefault(key, (u, lang))
            every.append(keys)
        if new:
            features = [self.features(u, lang, key[1]) for key, (u, lang) in new.items()]
            fresh = dict(zip(new, self.model.probabilities_many(features), strict=True))
            if len(self._read) + len(fresh) > _READINGS_KEPT:
                self._read.clear()
            self._read.update(fresh)
            known.update(fresh)
        return [(lang, units, [None if k is None else known[k] for k in keys])
                for ((lang, units), _), keys in zip(parsed, every, strict=True)]

    def _verdict(self, unit: Unit, probs: dict[str, float], lang: str | None,
                 author: str | None) -> tuple[list[Finding], tuple[str, ...], tuple[str, ...]]:
        """The sentence decided (``_decide``) with the categories read unsure and doubtful, each sentence once.

        Deciding costs more than reading a kept probability (about 120 µs a sentence: the claim, offer and
        admission forms, the exceptions), and support mail repeats its stock sentences from message to
        message. The sentence is decided as if it stood at the start of a text, from its words, its matches
        and its probabilities alone (which follow from the words and matches), so a kept verdict is exact;
        it is moved to where the sentence stands.
        """
        matches = tuple(_shifted(f, -unit.start) for f in unit.matches)
        key = (lang, author, unit.words, matches)
        verdict = self._decided.get(key)
        if verdict is None:
            read = self._decide(Unit(0, unit.end - unit.start, unit.words, matches), probs, lang, author)
            verdict = (tuple(read), tuple(self.unsure(probs, author)), tuple(self.doubtful(probs, author)))
            if len(self._decided) >= _READINGS_KEPT:
                self._decided.clear()
            self._decided[key] = verdict
        return [_shifted(f, unit.start) for f in verdict[0]], verdict[1], verdict[2]

    def unsure(self, probs: dict[str, float], author: str | None = None) -> list[str]:
        """Categories read as present with a probability within the review margin of the threshold."""
        if self.model is None:
            return []
        margin = self.model.review_margin
        return [c for c, (p, line) in self.model.deciding(probs, author).items() if line <= p < line + margin]

    def doubtful(self, probs: dict[str, float], author: str | None = None) -> list[str]:
        """Categories read as absent with a probability within the review margin below the threshold."""
        if self.model is None:
            return []
        margin = self.model.review_margin
        return [c for c, (p, line) in self.model.deciding(probs, author).items() if line - margin <= p < line]

    def _reviewed(self, unit: Unit, annotation: Annotation, lang: str | None) -> list[Finding]:
        out = [replace(f, status="rejected") if f.status == "ok" and f.category not in annotation.labels else f
               for f in unit.matches]
        out += [Finding(c, unit.words.strip(), unit.start, unit.end, f"review:{annotation.reviewer}", lang or "", "ok",
                        reader="reviewer") for c in annotation.labels]
        return out

    def _decide(self, unit: Unit, probs: dict[str, float], lang: str | None, author: str | None = None) -> list[Finding]:
        """The model's verdict per category: confirm or reject the lexicon's matches, or add its own."""
        assert self.model is not None
        out: list[Finding] = []
        present = self.model.present(probs, author)
        if author == "customer":
            # A customer does not offer compensation, a customer claims it (label guide): "Die
            # SLA-Gutschrift ziehen wir von Ihrer nächsten Rechnung ab" from a customer is a request.
            if "compensation_offer" in present:
                present.discard("compensation_offer")
                present.add("compensation_request")
            elif self._asks_for_credit(unit, lang):
                # "Please apply the service credit under clause 3.2.": a customer who asks, in so many
                # words, for what a vendor would offer claims it, however unsure the model is of it.
                present.add("compensation_request")
            # The other categories say what a vendor does: a customer's "your update broke the shop"
            # is an allegation, not the vendor stating a cause; "we expect a report by Friday" a demand,
            # not a promise (label guide).
            present &= CUSTOMER_CATEGORIES
        for category in _PHRASE_DECIDES:
            if author == "customer" and category not in CUSTOMER_CATEGORIES:
                continue  # a customer's "das war unser Fehler" is about the customer, not the vendor's fault
            if category not in present and any(f.category == category and f.status == "ok" for f in unit.matches):
                # An apology or admission phrase the lexicon found unconditioned says so, whatever else the
                # sentence says ("We're sorry - the fix only reached part of our servers, …" read 0.23, "Wir
                # hätten Sie schon am Dienstag informieren müssen" 0.3: the rest of the sentence weighed
                # against it). The label guide's exceptions below still undo it.
                present.add(category)
        # categories a lexicon rule of this step decided, with the rule's name (reported as the lexicon's reading)
        ruled: dict[str, str] = {}
        if "resolution_claim" not in present and (form := self._claim_form(unit.words, lang, author)) is not None:
            present.add("resolution_claim")
            ruled["resolution_claim"] = form
        if "resolution_claim" not in present and not _asked(unit.words):
            # "Nach einem Neustart des Routers funktioniert das Gäste-WLAN im Hotel wieder." read 0.22 as a claim, its
            # main clause alone 0.98: the repair told first weighed against the state told after it. "Ab sofort laden die
            # Scans … wieder ins Portal hoch" read nothing: "ab sofort" trained only new practice. Each is read again
            # without those words; the claim exceptions below still read the whole sentence (a forecast, a partial
            # state, another party's word).
            for rest in (self._main_clause(unit, lang), self._without_from_now(unit, lang)):
                if rest is None:
                    continue
                rest_probs, rest_read = self._alone(rest, lang, author)
                if "resolution_claim" in rest_read and not any(
                        frozenset(("resolution_claim", other)) in self.model.exclusive for other in present):
                    present.add("resolution_claim")
                    probs = {**probs, "resolution_claim": rest_probs["resolution_claim"]}
                    break
        for key, forms in self._vague.items():
            if (author != "customer" and "boilerplate" not in present
                    and not _asked(unit.words) and forms.search(lang, unit.words)):
                # "Der Ausfall war auf unvorhersehbare Umstände zurückzuführen", "Appropriate measures have been
                # taken": a stock phrase in the form of a cause or a measure (label guide); the exceptions below
                # take the cause or the measure away
                present.add("boilerplate")
                ruled["boilerplate"] = key
        if author != "customer" and "admission" not in present and self._admission_form(unit.words, lang):
            present.add("admission")
            ruled["admission"] = "admission_forms"
        if author != "customer" and "referral" not in present and self._referral_form(unit.words, lang):
            present.add("referral")
            ruled["referral"] = "referral_forms"
        if author != "customer" and "cause" not in present and self._cause_form(unit.words, lang):
            present.add("cause")
            ruled["cause"] = "cause_forms"
        if author != "vendor" and "compensation_request" not in present and self._request_form(unit.words, lang):
            present.discard("compensation_offer")
            present.add("compensation_request")
            ruled["compensation_request"] = "request_forms"
        if (author != "customer" and "compensation_offer" not in present and "compensation_request" not in ruled
                and self._offer_form(unit.words, lang)):
            # The author giving in its verb is no request, whatever the model leant towards: "We are refunding the setup
            # fee" read 0.996 as a customer's demand ("We are withholding payment" reads like it). A request form's
            # reading stands: a demand in so many words.
            present.discard("compensation_request")
            present.add("compensation_offer")
            ruled["compensation_offer"] = "offer_forms"
        if ("commitment" in present and "s:time" not in self.features(unit, lang).s
                and not self._promises.due.names_day(unit.words)):
            # A promise names its time (label guide): "I'll check and get back to you" read 0.52 as one, with
            # nothing to hold the vendor to. What counts as a time is what the model sees as one (the lexicon's
            # `time:` patterns and `dates: periods:`), the words a due time is read from, and a date or day of the
            # month the due resolver reads ("by April 14th", "by the 14th", "bis zum 14.", `dates: month_days:`).
            present.discard("commitment")
        if _asked(unit.words):
            breaks = list(_CLAUSE_BEFORE.finditer(unit.words))
            if "resolution_claim" in present and not breaks:
                # A sentence that is one question states nothing (label guide): "Funktioniert bei Ihnen wieder alles?",
                # "Works now?" read as claims.
                present.discard("resolution_claim")
            elif "resolution_claim" not in present and breaks and author != "customer":
                # A claim told before a question ("Die Anmeldung funktioniert wieder, können Sie das kurz prüfen?") is
                # a claim: the question mark weighed on the whole sentence, so the clause before it is read alone.
                cut = breaks[-1].start()
                lead_probs, lead_read = self._alone(Unit(0, cut, unit.words[:cut], tuple(f for f in unit.matches if f.end <= cut)),
                                                    lang, author)
                if "resolution_claim" in lead_read:
                    present.add("resolution_claim")
                    probs = {**probs, "resolution_claim": lead_probs["resolution_claim"]}
        if ("measure" in present and not any(f.category == "measure" and f.status == "ok" for f in unit.matches)
                and (rest := self._unfixed(unit, lang)) is not None
                and (not _said(rest) or "measure" not in self._alone(rest, lang, author)[1])):
            # What is no fix is no measure (label guide: a measure is an action on the cause): the vendor's test
            # passing ("we ran a test booking through the API and it went through ok", "…, wir haben jede Karte
            # getestet"), a thing forgotten ("We forgot to renew the certificate") were read as measures, and compensation
            # given in its form is no fix either. Without those clauses the rest is read alone; a fix told beside them
            # stays a measure.
            present.discard("measure")
        if ("resolution_claim" in present and (rest := self._recurring(unit, lang)) is not None
                and (not _said(rest) or ("resolution_claim" not in self._alone(rest, lang, author)[1]
                                         and self._claim_form(rest.words, lang, author) is None))):
            # "Again" / "wieder" is a claim's sign where it tells the thing working again, and the fault's where it tells
            # the fault back ("Our test email to your address bounced again with the same error", "Wir hatten den Fehler
            # am Montag behoben, aber seit gestern tritt er wieder auf" were read as claims): what is told after the fault's
            # return is read alone, by the model and the claim forms, as the state told last.
            present.discard("resolution_claim")
        exceptions = self._undone.get(lang or "", self._undone_any)
        if "commitment" in present and any(c == "commitment" and p.search(unit.words) for c, p in exceptions):
            # What the guide says promises nothing is no forecast either, so it leaves a claim standing: "Der
            # Server ist seit 14 Uhr wieder erreichbar" names when the state began, not when it is due (the
            # claim was undone as a forecast of 14:00).
            present.discard("commitment")
        if {"commitment", "resolution_claim"} <= present and self._promises.kind(unit.words, lang) == "restoration":
            # A restoration promised for a time is a forecast, not a claim that it works now ("bis Mittag
            # sollte alles wieder laufen"): the label guide's first exception. A promise of another kind
            # beside a claim ("the payout is released and should reach you tomorrow") keeps both.
            present.discard("resolution_claim")
        for category, pattern in exceptions:
            # "According to Microsoft, the issue has been resolved on their side" (another party's claim),
            # "Etwa zwei Drittel der Server sind wieder online" (partial), "Once the fix is rolled out,
            # everything should work again" (a forecast), "Sollte uns ein Fehler unterlaufen sein" (no admission)
            if category in present and pattern.search(unit.words):
                present.discard(category)
        if ("resolution_claim" in present and "measure" in present and "measure" not in ruled
                and not any(f.category == "measure" and f.status == "ok" for f in unit.matches)
                and "s:mark:we" not in self.features(unit, lang).s
                and (rest := self._without_from_now(unit, lang)) is not None
                and "measure" not in self._alone(rest, lang, author)[1]):
            # "Ab sofort können Ihre Gäste das WLAN wieder nutzen" read as a measure too: "ab sofort" trained only the
            # vendor's new practice. A state back from now is a claim, no measure (label guide). Where the author speaks
            # of itself (marker ``we``: "As of now we monitor the certificates …", "Wir haben das Netzteil getauscht, ab
            # sofort läuft …"), the practice or step is the author's, and the model's measure stands.
            present.discard("measure")
        if ("resolution_claim" in present and "measure" not in present and author != "customer"
                and self._measure_form(unit.words, lang)
                and not any(c == "measure" and p.search(unit.words) for c, p in exceptions)):
            # "Since we replaced the hard drive, the export has been stable": the claim stands, and the repair it is
            # told after is a step taken (label guide), which the model, taught steps in main clauses, did not read.
            # Only beside a standing claim: "Seit dem Update ist der Shop nicht erreichbar" names the fault's start.
            present.add("measure")
            ruled["measure"] = "measure_forms"
        if "referral" in present and self._handover is not None and self._handover.search(unit.words) and not (
                self._go_elsewhere is not None and self._go_elsewhere.search(unit.words)):
            present.discard("referral")
        if "apology" in present and (undone := self._apology_undone(unit)) is not None:
            present.discard("apology")
            regret, line = self.model.deciding(probs, author).get("regret", (0.0, 1.0))
            if undone == "regret" or regret >= line:
                # No apology, so the regret the apology reading suppressed stands ("Unfortunately the carrier refused
                # to apologise" read 0.87 as an apology, 1.00 as regret, and as nothing once the apology was undone).
                present.add("regret")
        for category in self.model.categories:
            p = probs[category]
            yes = category in present
            matches = [f for f in unit.matches if f.category == category]
            confirmed = False
            for f in matches:
                if f.status == "ok" and not yes:
                    out.append(replace(f, status="rejected", confidence=round(p, 3)))
                else:
                    out.append(replace(f, confidence=round(p, 3)))
                    confirmed = confirmed or f.status == "ok"
            if yes and not confirmed and category == "apology" and any(self._refused(unit, f, lang) for f in matches):
                continue  # "Wir entschuldigen uns nicht", "we will not apologise": refused, whatever the words
            if yes and not confirmed:
                rule = ruled.get(category)
                out.append(Finding(category, unit.words.strip(), unit.start, unit.end, rule or "model", lang or "", "ok",
                                   reader="lexicon" if rule else "model", confidence=round(p, 3)))
        return out

    def _alone(self, part: Unit, lang: str | None, author: str | None) -> tuple[dict[str, float], set[str]]:
        """The model's probabilities for part of a sentence read as a sentence of its own, and the categories it reads
        there: a clause before a question, or what is left once the clauses that tell no fix or the fault's return are
        taken out."""
        assert self.model is not None
        probs = self.model.probabilities(self.features(part, lang, author))
        return probs, self.model.present(probs, author)

    def _main_clause(self, unit: Unit, lang: str | None) -> Unit | None:
        """The sentence after its fronted phrase of time, cause or means (``fronted``), read as a sentence of its own;
        None where it has none, where the phrase holds a conditional cue, or nothing is left."""
        found = self._fronted.search(lang, unit.words)
        if found is None or any(p.search(unit.words[:found.end()]) for p in self._conditional(lang)):
            return None
        return _cut_out(unit, 0, found.end())

    def _without_from_now(self, unit: Unit, lang: str | None) -> Unit | None:
        """The sentence without its words that say "from now" (``from_now``), read as a sentence of its own; None
        where it has none or nothing is left."""
        found = self._from_now.search(lang, unit.words)
        return None if found is None else _cut_out(unit, found.start(), found.end())

    def _unfixed(self, unit: Unit, lang: str | None) -> Unit | None:
        """The sentence without its clauses that tell no fix — a check or test reported (``check_reports``, the
        claim forms ``evidence_claims``, ``vantage_claims``, ``absence_claims``), a thing told working
        (``working_states``), the author forgetting
        (``admission_forms``), compensation given (``offer_forms``) — or None if it has none. A clause is dropped where
        such words touch it; the lexicon's matches in the kept clauses move with them."""
        words = unit.words
        folded = fold(words)
        spans = [(m.start(), m.end()) for forms in (self._checked, self._working, self._owned, self._given, self._absence)
                 for pattern in forms.patterns(lang) for m in pattern.finditer(words)]
        for table, every in ((self._evidence, self._evidence_any), (self._vantage, self._vantage_any)):
            spans += [(m.start(), m.end()) for pattern, needs in table.get(lang or "", every)
                      if may_match(needs, folded) for m in pattern.finditer(words)]
        return _without(unit, spans) if spans else None

    def _recurring(self, unit: Unit, lang: str | None) -> Unit | None:
        """The sentence without its clauses that tell the fault back again (``fault_again``: "bounced again with the
        same error", "seit gestern tritt er wieder auf"), and without what it tells before them: the state told last
        stands ("We fixed the sync error on Monday, but it has come back since then" claims nothing; "The errors were
        back this morning, but since 10:00 everything works" does). None if it has none. Words of negation before the
        fault in its clause ("nothing has crashed again since") undo it: that is the fault's absence, a claim."""
        words = unit.words
        spans = []
        for pattern in self._again.patterns(lang):
            for m in pattern.finditer(words):
                start = max((b.end() for b in _CLAUSE_JOIN.finditer(words, 0, m.start())), default=0)
                if not self.negation(lang).intersection(tokens(normalise(words[start:m.start()]))):
                    spans.append((m.start(), m.end()))
        return _without(unit, [(0, max(e for _, e in spans))]) if spans else None

    def _conditional(self, lang: str | None) -> list[re.Pattern[str]]:
        """The conditional cues for a language (all languages' when it is not known); asked for only where a
        claim form matched, not for every sentence."""
        lex = self._lex.get(lang or "")
        return lex.conditional if lex is not None else [p for c in self._lex.values() for p in c.conditional]

    def _claim_form(self, words: str, lang: str | None, author: str | None = None) -> str | None:
        """The lexicon key of a claim the model misses in its form, stated: a fault said no longer to happen
        (``absence_claims``), the vendor's own test passing (``evidence_claims``) or the vendor's own view
        (``vantage_claims``, not a customer's) or the vendor having solved the problem (``solved_claims``, not a
        customer's). Not asked ("Tritt der Fehler noch auf?", "Did our test mail
        arrive?") and not under a condition ("If the error no longer occurs after the restart, …"); the words
        of success not negated ("Unsere Testmail ist nicht angekommen")."""
        if _asked(words):
            return None
        found = self._absence.search(lang, words)
        if found is not None and not any(p.search(words, 0, found.start()) for p in self._conditional(lang)):
            return "absence_claims"
        folded = fold(words)
        forms = [("evidence_claims", self._evidence.get(lang or "", self._evidence_any))]
        if author != "customer":
            forms.append(("vantage_claims", self._vantage.get(lang or "", self._vantage_any)))
            forms.append(("solved_claims", self._solved.get(lang or "", self._solved_any)))
        for key, patterns in forms:
            for pattern, needs in patterns:
                if may_match(needs, folded) and (found := pattern.search(words)) is not None and self._stated(words, found, lang):
                    return key
        if not any(p.search(words) for p in self._conditional(lang)):
            for pattern, needs in self._tried.get(lang or "", self._tried_any):
                # the outcome alone, where a failure pattern is anchored to it (an action continued: "… und die Logs
                # geprüft"), and the whole try, whose own words may undo it ("… to the wrong client, which is our fault")
                if (may_match(needs, folded) and (found := pattern.search(words)) is not None
                        and self._try_failed.search(lang, found.group("out")) is None
                        and self._try_failed.search(lang, found.group()) is None):
                    return "try_claims"
        return None

    def _stated(self, words: str, found: re.Match[str], lang: str | None) -> bool:
        """Whether a claim form's words of success (its group ``ok``, else the whole match) stand unconditioned
        and not negated before them. A vantage's own words (group ``v``) are no condition: "soweit wir sehen
        können" holds the conditional cue "soweit" but states the view."""
        success = _own_words(found, found.start())
        before = words[:success]
        if "v" in found.re.groupindex and found.group("v") is not None and found.end("v") <= success:
            before = words[:found.start("v")] + " " + words[found.end("v"):success]
        return not (any(p.search(before) for p in self._conditional(lang))
                    or self.negation(lang).intersection(tokens(normalise(before))))

    def _admission_form(self, words: str, lang: str | None) -> bool:
        """An admission the model misses in its form (``admission_forms``), stated: not asked ("Did we forget
        your order?"), not under a condition, not negated before or inside its words ("Wir haben Ihre
        Bestellung nicht vergessen")."""
        if _asked(words):
            return False
        return self._affirmed(self._owned, words, lang)

    def _measure_form(self, words: str, lang: str | None) -> bool:
        """A repair named as the point since which it works (``measure_forms``), stated: not asked ("Läuft es seit
        dem Neustart wieder?"), not under a condition, not negated inside its words. A negation before them is the
        claim's ("Nothing has crashed since the memory upgrade"), not the repair's."""
        if _asked(words):
            return False
        found = self._repaired.search(lang, words)
        return found is not None and not (any(p.search(words[:found.start()]) for p in self._conditional(lang))
                                          or self.negation(lang).intersection(tokens(normalise(found.group()))))

    def _referral_form(self, words: str, lang: str | None) -> bool:
        """A referral the model misses in its form (``referral_forms``), stated: not asked ("Does your reseller
        handle refunds?"), not under a condition, not negated ("Your reseller does not handle refunds")."""
        if _asked(words):
            return False
        return self._affirmed(self._elsewhere, words, lang)

    def _cause_form(self, words: str, lang: str | None) -> bool:
        """A cause the model misses in its form (``cause_forms``): an event and the failure it led to, stated (not
        asked, not under a condition), the event clause not negated ("Nothing looked wrong at first, which is why
        the alert was missed" tells what was not seen, not what happened)."""
        if _asked(words):
            return False
        folded = fold(words)
        for pattern, needs in self._consequence.get(lang or "", self._consequence_any):
            found = pattern.search(words) if may_match(needs, folded) else None
            if (found is not None and not any(p.search(words[:found.start("c")]) for p in self._conditional(lang))
                    and not self.negation(lang).intersection(tokens(normalise(found.group("e"))))):
                return True
        return False

    def _request_form(self, words: str, lang: str | None) -> bool:
        """A demand for money in its form (``request_forms``), stated: not under a condition, not negated
        before or inside its words ("Wir wollen kein Geld zurück"). Asking is one way to demand ("can we get
        something off the bill?"), so a question counts."""
        return self._affirmed(self._demanded, words, lang)

    def _offer_form(self, words: str, lang: str | None) -> bool:
        """An offer in its form (``offer_forms``), stated: not asked ("Is the first month on us?"), not under a
        condition, not negated before or inside its words ("Shipping is not on us")."""
        if _asked(words):
            return False
        return self._affirmed(self._given, words, lang)

    def _affirmed(self, forms: _PerLanguage, words: str, lang: str | None) -> bool:
        """Whether the pattern matches with no conditional cue before it and no negation in its clause, up to
        and including the words it matched; up to its group ``ok`` only, where a form's own words negate ("You
        don't have to pay for March" waives a fee: its "don't" is the offer, a "No," before it is not)."""
        found = forms.search(lang, words)
        if found is None:
            return False
        before = words[:found.start()]
        if any(p.search(before) for p in self._conditional(lang)):
            return False
        own = _own_words(found, found.end())
        clause = re.split(r"[,;:]", before)[-1] + words[found.start():own]
        return not self.negation(lang).intersection(tokens(normalise(clause)))

    def _asks_for_credit(self, unit: Unit, lang: str | None) -> bool:
        """A lexicon phrase of an offer ("the service credit", "refund") in a request form ("please",
        "could you", "bitte"): the request form is a marker of the lexicon, so this is data too."""
        if not any(f.category == "compensation_offer" and f.status == "ok" for f in unit.matches):
            return False
        return "s:mark:request_form" in self.features(unit, lang).s

    def _apology_undone(self, unit: Unit) -> str | None:
        """Why an apology the model reads is none (``"regret"`` or ``"none"``), or None if it stands.

        The label guide's exceptions, as lexicon data: sympathy or a conditional apology is
        regret; an apology asked for, awaited, refused, another party's or a gesture named so is
        no apology. An apology phrase outside those words still apologises ("I'm sorry to hear
        that, and we apologise for the delay"); so does one the lexicon found unconditioned.
        """
        words = unit.words
        phrases = [f for f in unit.matches if f.category == "apology"]
        for verdict, pattern in (("none", self._not_apology), ("regret", self._sympathy)):
            spans = [m.span() for m in pattern.finditer(words)] if pattern is not None else []
            if not spans:
                continue
            own = [f for f in phrases if f.status == "ok" and not _within(words, f.phrase, spans)]
            if not own:
                return verdict
        if phrases and all(f.status == "conditional" for f in phrases):
            return "regret"  # "Falls Ihnen Unannehmlichkeiten entstanden sind, entschuldigen wir uns"
        if phrases and all(f.status == "question" for f in phrases):
            return "none"  # "Are you going to apologise at all?"
        return None

    def _refused(self, unit: Unit, match: Finding, lang: str | None) -> bool:
        """An apology phrase the author negates: the negation before or inside it ("we will not
        apologise", "uns nicht entschuldigen") or closing its clause ("Wir entschuldigen uns
        nicht."). Negation followed by more words is what the apology is for ("Sorry for not
        calling back") and refuses nothing."""
        lex = self._lex.get(lang or match.lang)
        at = unit.words.find(match.phrase)
        if match.status != "negated" or lex is None or at < 0:
            return False
        before = re.split(r"[,;:]", unit.words[:at])[-1]
        after = re.split(r"[,;:.!?]", unit.words[at + len(match.phrase):])[0]
        words_before = _WORD.findall(before)[-lex.neg_before:] if lex.neg_before else []
        words_after = [w.lower() for w in _WORD.findall(after)]
        inside = _WORD.findall(match.phrase)
        return (any(w.lower() in lex.negation for w in (*words_before, *inside))
                or (bool(words_after) and all(w in lex.negation for w in words_after)))

    def _status(self, text: str, start: int, end: int, lo: int, hi: int, checks: frozenset[str], lex: _Compiled) -> Status:
        if "negation" in checks:
            c_left, c_right = _clause(text, start, end, lo, hi)
            before = _WORD.findall(text[c_left:start])[-lex.neg_before:] if lex.neg_before else []
            after = _WORD.findall(text[end:c_right])[: lex.neg_after]
            inside = _WORD.findall(text[start:end])
            if any(w.lower() in lex.negation for w in (*before, *inside, *after)):
                return "negated"
        if "question" in checks and _asked(text[lo:hi]):
            return "question"
        if "conditional" in checks and any(p.search(text, lo, start) for p in lex.conditional):
            return "conditional"
        if "prospective" in checks and any(p.search(text, lo, start) for p in lex.prospective):
            return "prospective"
        return "ok"


def load_lexicons(directory: Path, extra: list[Path] | None = None) -> list[Lexicon]:
    """Bundled lexicons plus user files; a user file with the same ``lang`` adds entries."""
    lexicons: dict[str, Lexicon] = {}
    for path in [*sorted(directory.glob("*.yaml")), *(extra or [])]:
        doc = load_yaml(path)
        try:
            lex = Lexicon.model_validate(doc.data)
        except ValidationError as exc:
            raise PactwatchError(problems_from_validation(exc, code="lexicon-invalid", file=doc.file,
                                                          line_of=doc.line_of)) from None
        for name, cat in lex.categories.items():
            for i, entry in enumerate(cat.entries):
                try:
                    re.compile(entry.pattern)
                except re.error as exc:
                    raise PactwatchError(Problem("lexicon-invalid", f"bad pattern: {exc}", file=doc.file,
                                                 line=doc.line_of(("categories", name, "entries", i)),
                                                 field=f"categories.{name}.entries[{i}]")) from None
        if lex.lang in lexicons:
            # an added file adds phrases; any other key would be dropped by the merge without a word
            if extra_keys := sorted(set(doc.data) - _MERGED):
                key = extra_keys[0]
                raise PactwatchError(Problem(
                    "lexicon-invalid", f"a lexicon added to the bundled '{lex.lang}' one may hold only "
                    f"{', '.join(sorted(_MERGED))}; '{key}' would be ignored (edit a copy of the rules folder "
                    "and pass it with --rules instead)", file=doc.file, line=doc.line_of((key,)), field=key))
            lex = _merge(lexicons[lex.lang], lex)
        lexicons[lex.lang] = lex
    return [lexicons[k] for k in sorted(lexicons)]


#: what a lexicon added to one of the same language contributes (``_merge``)
_MERGED = frozenset({"lang", "categories", "currencies"})


def _merge(base: Lexicon, more: Lexicon) -> Lexicon:
    cats: dict[str, Any] = {k: v.model_dump() for k, v in base.categories.items()}
    for name, cat in more.categories.items():
        entry = cats.setdefault(name, {"checks": cat.checks, "entries": []})
        entry["entries"] = [*entry["entries"], *[e.model_dump() for e in cat.entries]]
    return Lexicon.model_validate({**base.model_dump(), "categories": cats,
                                   "currencies": {**base.currencies, **more.currencies}})
