"""One hostile-text fixture through every output format: nothing in it may act in any of them."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
import yaml

from conftest import SANITIZER, pw

EVIL = "<script>alert(1)</script><img src=x onerror=alert(2)>[click](javascript:alert(3))\x1b[31m\x07\x01|*_`"
VENDOR = "acme <b onmouseover=alert(4)>"
SERVICE = "=HYPERLINK(\"http://x\")<svg onload=alert(5)>"
INCIDENT = "@SUM(1+1)<iframe src=javascript:alert(6)>"

CONTRACT = {
    "id": "C-<img src=x onerror=alert(7)>", "vendor": VENDOR, "customer": "+cmd|' /C calc'!A0 <u>Kunde</u>",
    "currency": "EUR", "monthly_fee": 100, "timezone": "Europe/Berlin", "language": "de",
    "clauses": [
        {"id": "§1<script>", "title": "-Notice <b>bold</b>", "text": EVIL, "covers": ["suspension_notice"]},
        {"id": "§2", "title": "Apology " + EVIL, "covers": ["apology"]},
        {"id": "§3", "title": "Availability", "covers": ["availability", "service_credits"]},
    ],
}
EVENTS = [
    {"at": "2026-03-02T07:55:00+01:00", "type": "service.suspended", "vendor": VENDOR, "incident": INCIDENT,
     "service": SERVICE, "actor": "vendor", "text": EVIL, "data": {"reason": EVIL}},
    {"at": "2026-03-02T09:00:00+01:00", "type": "message.sent", "vendor": VENDOR, "incident": INCIDENT,
     "actor": "customer", "text": "Beschwerde: " + EVIL, "data": {"kind": "complaint"}},
    {"at": "2026-03-02T10:00:00+01:00", "type": "message.sent", "vendor": VENDOR, "incident": INCIDENT,
     "actor": "vendor", "text": "Der Dienst ist wieder erreichbar. " + EVIL, "data": {"kind": "reply"}},
    {"at": "2026-03-02T10:05:00+01:00", "type": "probe", "vendor": VENDOR, "incident": INCIDENT, "service": SERVICE,
     "actor": "monitor", "data": {"check": "https", "up": False, "detail": EVIL}},
    {"at": "2026-03-04T10:00:00+01:00", "type": "service.restored", "vendor": VENDOR, "incident": INCIDENT,
     "service": SERVICE, "actor": "vendor"},
]
TAGS = re.compile(r"<(script|img|svg onload|iframe|b onmouseover|b>|u>)")
MD_LINK = re.compile(r"(?<!\\)\]\(javascript:")
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: what would act, per format: markup in HTML, markup and links in Markdown, control codes on a terminal
ACTIVE = {"html": [TAGS], "md": [TAGS, MD_LINK, CONTROLS], "text": [CONTROLS], "txt": [CONTROLS]}


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "contracts").mkdir()
    for path in (folder / "contract.yaml", folder / "contracts" / "acme.yaml"):
        path.write_text(yaml.safe_dump(CONTRACT, allow_unicode=True), encoding="utf-8")
    (folder / "events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in EVENTS), encoding="utf-8")
    return folder


def _out(*args):
    run = pw(*args)
    assert run.returncode in (0, 1), run.stderr
    assert run.stdout.strip()
    return run.stdout


def _inert(text, fmt):
    found = [m.group() for pattern in ACTIVE[fmt] for m in pattern.finditer(text)]
    assert not found, f"active content came through in {fmt}: {found}"


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_reports_leave_nothing_active(case, fmt):
    _inert(_out("check", case / "events.jsonl", "-c", case / "contract.yaml", "-f", fmt), fmt)


@pytest.mark.parametrize("fmt", ["md", "html", "txt"])
def test_letters_leave_nothing_active(case, fmt):
    _inert(_out("letter", case / "events.jsonl", "-c", case / "contract.yaml", "--format", fmt), fmt)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_scorecards_leave_nothing_active(case, fmt):
    _inert(_out("scorecard", case / "events.jsonl", "--contracts", case / "contracts", "-f", fmt), fmt)


def test_markdown_shows_the_text_not_its_effect(case):
    md = _out("check", case / "events.jsonl", "-c", case / "contract.yaml", "-f", "md")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md and "\\[click\\]" in md and "\\x1b" in md


def test_csv_cells_cannot_run_as_formulas(case):
    for args in (("check", case / "events.jsonl", "-c", case / "contract.yaml", "-f", "csv"),
                 ("scorecard", case / "events.jsonl", "--contracts", case / "contracts", "-f", "csv")):
        rows = list(csv.reader(io.StringIO(_out(*args))))
        cells = [c for row in rows[1:] for c in row]
        assert cells and not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    report = list(csv.DictReader(io.StringIO(_out("check", case / "events.jsonl", "-c", case / "contract.yaml", "-f", "csv"))))
    assert any(r["services"].startswith("'=HYPERLINK") for r in report)


def test_junit_is_valid_xml(case):
    suite = ET.fromstring(_out("check", case / "events.jsonl", "-c", case / "contract.yaml", "-f", "junit").split("?>", 1)[1])
    assert suite.findall("testcase")


def test_json_keeps_the_text_exactly(case):
    report = json.loads(_out("check", case / "events.jsonl", "-c", case / "contract.yaml", "-f", "json"))
    quoted = [e["text"] for v in report["violations"] for e in v["evidence"] if e["text"]]
    assert EVIL in quoted  # JSON is data: exact, escaped by the JSON encoding itself


@pytest.mark.parametrize("command", ["check", "letter"])
def test_pdf_shows_the_text_and_carries_no_script_or_link_to_it(case, tmp_path, command):
    pypdfium2 = pytest.importorskip("pypdfium2")
    out = tmp_path / f"{command}.pdf"
    run = pw(command, case / "events.jsonl", "-c", case / "contract.yaml", "--format", "pdf", "-o", out)
    assert run.returncode in (0, 1), run.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    for action in (b"/JavaScript", b"/JS ", b"/JS(", b"/Launch", b"/URI (javascript", b"/URI(javascript"):
        assert action not in data, action
    doc = pypdfium2.PdfDocument(str(out))
    text = " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "<script>alert(1)</script>" in text  # shown as text, not taken as markup


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_a_failed_case_is_named_inertly(case, fmt):
    """A case that could not be evaluated (here: the test-only fault hook kills its workers) is
    named in every format, and its hostile vendor and incident act in none of them."""
    import subprocess
    import sys

    from conftest import ROOT

    run = subprocess.run([sys.executable, "-m", "pactwatch.cli", "check", case / "events.jsonl", "-c",
                          case / "contract.yaml", "-f", fmt, "-j", "1"], capture_output=True, text=True, cwd=ROOT,
                         env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", **SANITIZER, "PACTWATCH_FAULT_CASE": f"{VENDOR}/{INCIDENT}"})
    assert run.returncode == 3, run.stderr
    assert "not evaluated" in run.stdout.lower() or "Nicht ausgewertet" in run.stdout
    _inert(run.stdout, fmt)
    _inert(run.stderr, "text")
