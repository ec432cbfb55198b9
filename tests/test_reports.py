"""Incident reports a contract manager forwards: Markdown, CSV, JUnit snapshots; HTML escaping; a real browser."""

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from conftest import EXAMPLES, ROOT, event
from test_cli import pw

from pactwatch import Evaluator, load_contract, load_events
from pactwatch.reports import render_csv, render_html, render_junit, render_markdown

GOLDEN = ROOT / "tests" / "golden"
FORMATS = {"md": render_markdown, "csv": render_csv}


def _report(name, library, detail=True):
    contract = load_contract(EXAMPLES / name / "contract.yaml", library.concepts)
    events = load_events(EXAMPLES / name / "events.jsonl")
    return Evaluator(library, contract).run_events(events.events, events.summary, detail=detail), contract


def _check(path, text):
    if os.environ.get("PACTWATCH_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"missing snapshot {path}; run with PACTWATCH_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{path} differs; inspect and refresh with PACTWATCH_UPDATE_GOLDEN=1"


@pytest.mark.parametrize("example", ["hosting-2026", "hosting-clean"])
@pytest.mark.parametrize("fmt", ["md", "csv", "junit"])
def test_snapshots(library, example, fmt):
    report, contract = _report(example, library, detail=fmt == "md")
    text = (render_junit(report, contract, [r.id for r in library.rules]) if fmt == "junit"
            else FORMATS[fmt](report, contract))
    _check(GOLDEN / f"{example}.{fmt}", text)


def test_junit_has_a_case_per_obligation_outcome(library):
    report, contract = _report("hosting-2026", library, detail=False)
    suite = ET.fromstring(render_junit(report, contract, [r.id for r in library.rules]).split("?>", 1)[1])
    cases = suite.findall("testcase")
    assert len(cases) == len(report.outcomes) and {c.get("name").split(" ")[0] for c in cases} == {r.id for r in library.rules}
    statuses = [o.status for o in report.outcomes]
    assert int(suite.get("failures")) == statuses.count("violated") > 0
    assert int(suite.get("skipped")) == len(statuses) - statuses.count("violated") - statuses.count("met")
    # a rule that found nothing is not a pass: not applicable is skipped, with the reason
    update = next(c for c in cases if c.get("name") == "missed-update")
    assert update.find("skipped").get("message").startswith("not_applicable: no event it applies to")
    met = next(c for c in cases if c.get("name") == "repeat-incident [www.kunde-a.de]")
    assert met.find("skipped") is None and met.find("failure") is None


def test_vendor_text_is_escaped_in_html(library):
    raws = [event(0, "service.suspended", actor="vendor", service="a.de", text="<script>alert(1)</script> & <b>bold</b>")]
    from conftest import contract as make_contract

    c = make_contract()
    from pactwatch.ingest import parse_record

    ev, _, _ = parse_record(raws[0], file="t", line=1, allow_unknown=False)
    report = Evaluator(library, c).run_events([ev], detail=True)
    html = render_html(report, c)
    assert "<script>alert(1)</script>" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "<script" not in html.lower().replace("&lt;script", "")


def test_html_report_sections_timeline_and_language(library):
    report, contract = _report("hosting-2026", library)
    html = render_html(report, contract)
    for section in ('id="header"', 'id="summary"', 'id="findings"', 'id="timeline"', 'id="evidence"'):
        assert section in html
    assert "<svg" in html and html.count("<rect") > 10 and "Störungsbericht" in html
    assert "49,90\u00a0€" in html and "Mittlerweile ist der Server allerdings wieder voll erreichbar." in html
    assert "http" not in re.sub(r'xmlns="http://www.w3.org/2000/svg"', "", html).split("<body>", 1)[1].split("Mittlerweile")[0] \
        or "https://" not in html  # no CDN or remote resource
    assert "<script" not in html
    # tooltips in contract time like the rest of the page, not UTC
    assert "<title>Ausfall www.kunde-a.de: Mo., 2. März 2026, 07:55 MEZ – Mo., 2. März 2026, 11:40 MEZ</title>" in html
    assert not re.search(r"<title>[^<]*\d{4}-\d\d-\d\dT[^<]*Z", html)


def test_cli_writes_html_and_md(tmp_path):
    for fmt in ("html", "md", "csv", "junit"):
        out = tmp_path / f"report.{fmt}"
        run = pw("check", EXAMPLES / "hosting-2026" / "events.jsonl", "-c", EXAMPLES / "hosting-2026" / "contract.yaml",
                 "-f", fmt, "-o", out)
        assert run.returncode == 1 and out.stat().st_size > 500


def _chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_html_renders_in_a_real_browser(library, tmp_path):
    browser = _chromium()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run must install it")
        pytest.skip("chromium not installed here (CI installs it)")
    report, contract = _report("hosting-2026", library)
    page = tmp_path / "report.html"
    page.write_text(render_html(report, contract), encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    png = tmp_path / "shot.png"
    subprocess.run([browser, *flags, f"--screenshot={png}", "--window-size=1200,2400", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a blank page compresses to a few KB
    colours = _distinct_colours(png)
    assert colours > 20, f"screenshot looks blank ({colours} colours)"
    dom = subprocess.run([browser, *flags, "--dump-dom", page.as_uri()], check=True, capture_output=True, text=True,
                         timeout=120).stdout
    for section in ('id="header"', 'id="summary"', 'id="findings"', 'id="timeline"', 'id="evidence"'):
        assert section in dom


def _distinct_colours(png_path):
    """A blankness heuristic with the standard library only: distinct 3-byte samples of the
    (still filtered) scanlines; a blank page yields a handful, a rendered report hundreds."""
    import struct
    import zlib

    raw = png_path.read_bytes()
    pos, chunks = 8, []
    width = height = 0
    colour_type = 0
    while pos < len(raw):
        length, kind = struct.unpack(">I4s", raw[pos:pos + 8])
        body = raw[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, _, colour_type = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    pixels = zlib.decompress(b"".join(chunks))
    bpp = 4 if colour_type == 6 else 3
    stride = width * bpp + 1
    seen = set()
    for row in range(0, height, max(1, height // 200)):
        line = pixels[row * stride + 1:(row + 1) * stride]
        for col in range(0, len(line) - bpp, bpp * 7):
            seen.add(line[col:col + 3])
    return len(seen)


def test_probe_evidence_shows_check_result_and_detail(library):
    report, contract = _report("hosting-2026", library, detail=False)
    md, html = render_markdown(report, contract), render_html(report, contract)
    line = "probe (probe, monitor, www.kunde-a.de): https nicht erreichbar (connection timed out)"
    assert line in md and "https nicht erreichbar (connection timed out)" in html


def test_the_timeline_scales_to_the_incident_and_marks_what_it_compresses():
    """A 9.5 h outage in a case that closes 10 days later is not 45 px of 790: quiet stretches become breaks."""
    from pactwatch.models.report import CaseDetail, Marker, OutageSpan
    from pactwatch.reports.timeline import BREAK_W, MIN_BAR_W, layout

    def marker(ev, at, type_, services=("www.a.de",)):
        return Marker(event=ev, at=at, type=type_, services=list(services))

    case = CaseDetail(
        vendor="acme", incident="I-1", start="2026-03-02T07:00:00Z", end="2026-03-12T17:00:00Z", events=5,
        markers=[marker("s", "2026-03-02T07:00:00Z", "service.suspended"),
                 marker("r", "2026-03-02T16:30:00Z", "service.restored"),
                 marker("p", "2026-03-03T09:00:00Z", "probe"),
                 marker("p2", "2026-03-03T09:05:00Z", "probe"),
                 marker("c", "2026-03-12T17:00:00Z", "incident.closed", ())],
        outages=[OutageSpan(service="www.a.de", start="2026-03-02T07:00:00Z", end="2026-03-02T16:30:00Z",
                            cause="s", cause_type="service.suspended"),
                 OutageSpan(service="www.a.de", start="2026-03-03T09:00:00Z", end="2026-03-03T09:05:00Z",
                            cause="p", cause_type="probe")],
        availability=[], apologised=False, impact=True)
    tl = layout(case, "Europe/Berlin")
    plot = tl.width - 150 - 20
    long_bar, short_bar = (w for _, _, w, _ in tl.bars)
    assert long_bar > plot / 3  # was 45 px of 790 with a linear axis
    assert short_bar >= MIN_BAR_W
    [(x1, x2, label)] = tl.breaks  # the nine quiet days before the close
    assert x2 - x1 == pytest.approx(BREAK_W) and label == "≈ 9 d"
    assert all(not (x1 < x < x2) for x, _ in tl.ticks)
    # the outage keeps its true length even where nothing else happens during it
    assert long_bar > (tl.marks[1].x - tl.marks[0].x) - 1
    # an outage is never compressed: a quiet stretch *inside* an outage is no break
    quiet_outage = case.model_copy(update={"outages": [OutageSpan(
        service="www.a.de", start="2026-03-02T07:00:00Z", end="2026-03-12T17:00:00Z", cause="s", cause_type="service.suspended")]})
    assert layout(quiet_outage, "Europe/Berlin").breaks == []
