"""PDF letters and reports: typeset by WeasyPrint, checked by rendering a page to pixels."""

import sys

import pypdfium2
import pytest
from conftest import EXAMPLES
from test_cli import pw

from pactwatch.errors import PactwatchError
from pactwatch.reports.pdf import to_pdf

LATE = EXAMPLES / "late-apology"
HOSTING = EXAMPLES / "hosting-2026"


def _pages(path):
    doc = pypdfium2.PdfDocument(str(path))
    return doc, [" ".join(doc[i].get_textpage().get_text_range().replace("\u00a0", " ").split()) for i in range(len(doc))]


def _ink(page) -> float:
    """Share of the first page's pixels that are not white: a blank page has none."""
    histogram = page.render(scale=0.5).to_pil().convert("L").histogram()
    return sum(histogram[:200]) / sum(histogram)


def test_letter_as_pdf_is_a4_with_the_letters_text(tmp_path):
    out = tmp_path / "letter.pdf"
    run = pw("letter", LATE / "events.jsonl", "-c", LATE / "contract.yaml", "-f", "pdf", "-o", out)
    assert run.returncode == 0, run.stderr
    assert out.read_bytes().startswith(b"%PDF-") and f"wrote {out}" in run.stderr
    doc, texts = _pages(out)
    width, height = doc[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = " ".join(texts)
    assert "Rüge einer Vertragsverletzung" in text and "Frau Dr. Berger" in text
    assert _ink(doc[0]) > 0.005


def test_report_as_pdf_has_every_section_and_the_timeline(tmp_path):
    out = tmp_path / "report.pdf"
    run = pw("check", HOSTING / "events.jsonl", "-c", HOSTING / "contract.yaml", "-f", "pdf", "-o", out)
    assert run.returncode == 1, run.stderr  # violations found, as with every format
    doc, texts = _pages(out)
    text = " ".join(texts)
    for heading in ("Störungsbericht", "Zusammenfassung", "Verstöße", "Zeitleiste"):
        assert heading in text, heading
    assert "49,90 €" in text
    assert len(doc) > 3 and all(_ink(doc[i]) > 0.002 for i in range(len(doc)))


def test_same_html_gives_the_same_pdf_bytes():
    html = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>t</title></head><body><p>Störung</p></body></html>"
    assert to_pdf(html) == to_pdf(html)


def test_without_weasyprint_the_reason_is_given(monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(PactwatchError) as info:
        to_pdf("<p>x</p>")
    assert info.value.problems[0].code == "missing-dependency" and "pactwatch[pdf]" in info.value.problems[0].message


def test_hostile_vendor_text_is_escaped_before_it_reaches_the_pdf(tmp_path):
    events = tmp_path / "e.jsonl"
    events.write_text((HOSTING / "events.jsonl").read_text(encoding="utf-8").replace(
        "Mittlerweile ist der Server", "<img src=x onerror=alert(1)> Mittlerweile ist der Server"), encoding="utf-8")
    out = tmp_path / "l.pdf"
    run = pw("letter", events, "-c", HOSTING / "contract.yaml", "-f", "pdf", "-o", out)
    assert run.returncode == 0, run.stderr
    assert "<img src=x onerror=alert(1)>" in " ".join(_pages(out)[1])  # shown as text, not taken as markup
