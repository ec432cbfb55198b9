"""The web page of the service (/ui): log in with a token, cases with findings and deadlines, a case's
findings, evidence, timeline and letter, events uploaded, uncertain readings confirmed — escaped,
isolated per organisation, and working in a real browser (headless Chromium)."""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from fastapi.testclient import TestClient
from test_review import UNSURE  # the reader is unsure of it, and both claim rules rest on it

from pactwatch.service.app import create_app
from pactwatch.service.store import Store
from pactwatch.service.tokens import create_token

HOSTILE = "<script>alert('pwned')</script><img src=x onerror=alert(1)> Wir prüfen das."
EVENTS = [
    {"id": "h1", "at": "2026-03-03T09:00:00+01:00", "type": "host.failed", "service": "www.kunde-a.de",
     "data": {"host": "s1"}},
    {"id": "c1", "at": "2026-03-03T09:30:00+01:00", "type": "message.sent", "actor": "customer",
     "service": "www.kunde-a.de", "text": "Die Seite ist down!", "data": {"kind": "complaint"}},
    {"id": "m0", "at": "2026-03-03T10:00:00+01:00", "type": "message.sent", "actor": "vendor", "text": HOSTILE,
     "data": {"kind": "reply"}},
    {"id": "m1", "at": "2026-03-03T20:48:00+01:00", "type": "message.sent", "actor": "vendor", "text": UNSURE,
     "data": {"kind": "update"}},
    {"id": "p1", "at": "2026-03-03T21:00:00+01:00", "type": "probe", "service": "www.kunde-a.de",
     "data": {"check": "https", "up": False}},
]


def _contract() -> bytes:
    body = yaml.safe_load((ROOT / "rules" / "contract-templates" / "hosting-de.yaml").read_text(encoding="utf-8"))
    body.update(vendor="acme", services=["www.kunde-a.de"])
    return yaml.safe_dump(body, allow_unicode=True).encode("utf-8")


def _jsonl(events: list[dict]) -> bytes:
    return "".join(json.dumps({**e, "vendor": "acme"}) + "\n" for e in events).encode("utf-8")


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(f"sqlite:///{tmp_path / 'store.db'}")
    yield opened
    opened.engine.dispose()


def _setup(store: Store, library, org: str = "agentur") -> tuple[TestClient, str]:
    client = TestClient(create_app(store, library, audit_stream=io.StringIO()))
    token = create_token(store, org)
    auth = {"Authorization": f"Bearer {token}"}
    assert client.put("/v1/contracts/hosting", content=_contract(),
                      headers={**auth, "content-type": "application/yaml"}).status_code == 201
    assert client.post("/v1/cases", json={"name": "kunde-a", "contract": "hosting", "title": "Ausfall <b>März</b>"},
                       headers=auth).status_code == 201
    r = client.post("/v1/cases/kunde-a/events", content=_jsonl(EVENTS),
                    headers={**auth, "content-type": "application/x-ndjson"})
    assert r.status_code == 200, r.text
    return client, token


def _login(client: TestClient, token: str) -> None:
    r = client.post("/ui/login", data={"token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/ui/cases"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/ui" in cookie


def test_pages_need_a_valid_token(store, library):
    client, token = _setup(store, library)
    for path in ("/ui/cases", "/ui/cases/kunde-a", "/ui/cases/kunde-a/letter"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/ui/login", path
    r = client.post("/ui/login", data={"token": token + "x"}, follow_redirects=False)
    assert r.status_code == 401 and "not valid" in r.text and "set-cookie" not in r.headers
    _login(client, token)
    assert client.get("/ui/cases").status_code == 200
    client.post("/ui/logout")
    assert client.get("/ui/cases", follow_redirects=False).status_code == 303


def test_cases_list_findings_and_the_case_page_escapes_vendor_text(store, library):
    client, token = _setup(store, library)
    _login(client, token)
    listing = client.get("/ui/cases")
    assert listing.status_code == 200 and 'href="/ui/cases/kunde-a"' in listing.text
    assert "Ausfall &lt;b&gt;März&lt;/b&gt;" in listing.text  # the case title is data too
    page = client.get("/ui/cases/kunde-a")
    assert page.status_code == 200
    assert "false-resolution-claim" in page.text and "unverified-resolution-claim" in page.text
    assert "<script>" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in page.text
    assert "script-src" not in page.headers["content-security-policy"]  # no script may run at all
    assert "default-src 'none'" in page.headers["content-security-policy"]
    for section in ('id="findings"', 'id="review"', 'id="outcomes"', 'id="timeline"', 'id="upload"'):
        assert section in page.text
    assert UNSURE in page.text and "m1#1" in page.text  # the uncertain reading both claim findings rest on
    letter = client.get("/ui/cases/kunde-a/letter")
    assert letter.status_code == 200 and "<script>alert" not in letter.text


def test_another_organisations_case_is_not_found(store, library):
    client, _ = _setup(store, library)
    other = create_token(store, "fremd")
    _login(client, other)
    assert "kunde-a" not in client.get("/ui/cases").text
    for path in ("/ui/cases/kunde-a", "/ui/cases/kunde-a/report", "/ui/cases/kunde-a/letter"):
        r = client.get(path)
        assert r.status_code == 404 and "no case &#39;kunde-a&#39;" in r.text and r.headers["content-type"].startswith("text/html"), path
    r = client.post("/ui/cases/kunde-a/events", files={"file": ("e.jsonl", _jsonl(EVENTS[:1]))})
    assert r.status_code == 404


def test_upload_stores_valid_events_once_and_names_the_faults_of_bad_ones(store, library):
    client, token = _setup(store, library)
    _login(client, token)
    late = [{"id": "p2", "at": "2026-03-04T08:00:00+01:00", "type": "probe", "service": "www.kunde-a.de",
             "data": {"check": "https", "up": True}}]
    r = client.post("/ui/cases/kunde-a/events", files={"file": ("more.jsonl", _jsonl(late))}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("?added=1")
    r = client.post("/ui/cases/kunde-a/events", files={"file": ("more.jsonl", _jsonl(late))}, follow_redirects=True)
    assert "0 event(s) added." in r.text  # the same event again is not stored twice
    bad = _jsonl(late).replace(b'"up": true', b'"up": "ja"') + b"{not json\n"
    r = client.post("/ui/cases/kunde-a/events", files={"file": ("bad.jsonl", bad)})
    assert r.status_code == 422 and 'id="problems"' in r.text
    assert "line 1" in r.text and "data.up" in r.text and "line 2" in r.text
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/v1/cases/kunde-a", headers=auth).json()["events"] == len(EVENTS) + 1  # nothing of it stored


def test_a_confirmed_reading_is_stored_and_the_findings_say_so(store, library):
    client, token = _setup(store, library)
    _login(client, token)
    r = client.post("/ui/cases/kunde-a/review", data={"key": "m1#1", "reviewer": "A. Weber", "action": "confirm"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    page = client.get(r.headers["location"])
    assert "Reading of m1#1 recorded." in page.text and "m1#1" not in page.text.split('id="review"')[1].split("</div>")[0]
    auth = {"Authorization": f"Bearer {token}"}
    stored = yaml.safe_load(client.get("/v1/cases/kunde-a/annotations", headers=auth).text)
    assert stored[0]["event"] == "m1" and stored[0]["reviewer"] == "A. Weber" and stored[0]["sentence"] == UNSURE
    assert stored[0]["labels"] == ["resolution_claim"]
    report = client.get("/v1/cases/kunde-a/report", headers=auth).json()
    claims = [v for v in report["violations"] if v["rule"] == "false-resolution-claim"]
    assert claims and claims[0]["unconfirmed"] == []
    # corrected to "no category": the claim findings go
    r = client.post("/ui/cases/kunde-a/review", data={"key": "m1#1", "reviewer": "B. Roth", "action": "correct"})
    assert r.status_code == 200
    report = client.get("/v1/cases/kunde-a/report", headers=auth).json()
    assert not {"false-resolution-claim", "unverified-resolution-claim"} & {v["rule"] for v in report["violations"]}
    # a reviewer must be named, and only sentences of the case exist
    assert client.post("/ui/cases/kunde-a/review", data={"key": "m1#1", "action": "confirm"}).status_code == 422
    assert client.post("/ui/cases/kunde-a/review", data={"key": "zz#9", "reviewer": "X"}).status_code == 422


def test_a_form_posted_from_another_site_is_refused(store, library):
    client, token = _setup(store, library)
    _login(client, token)
    r = client.post("/ui/cases/kunde-a/review", data={"key": "m1#1", "reviewer": "Mallory", "action": "correct"},
                    headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    assert client.post("/ui/cases/kunde-a/review", data={"key": "m1#1", "reviewer": "M", "action": "correct"},
                       headers={"Origin": "null"}).status_code == 403
    assert client.get("/v1/cases/kunde-a/annotations", headers={"Authorization": f"Bearer {token}"}).text == "[]\n"


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_page_works_in_a_real_browser(store, library, tmp_path):
    browser_path = _chromium()
    if browser_path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run must install it")
        pytest.skip("chromium not installed here (CI installs it)")
    import uvicorn
    from playwright.sync_api import sync_playwright

    _, token = _setup(store, library)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(store, library, audit_stream=io.StringIO()), host="127.0.0.1",
                                          port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=browser_path, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1200, "height": 1600})
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(f"{base}/ui/cases")
            assert page.url.endswith("/ui/login")
            page.fill("#token", token)
            page.click("#login")
            page.wait_for_url(f"{base}/ui/cases")
            page.click("text=kunde-a")
            page.wait_for_url(f"{base}/ui/cases/kunde-a")
            assert page.locator("#findings .finding").count() >= 2
            assert "false-resolution-claim" in page.inner_text("#findings")
            shot = Path(os.environ.get("PACTWATCH_SHOT_DIR", tmp_path)) / "case.png"
            page.screenshot(path=str(shot), full_page=True)
            item = page.locator(".review-item").filter(has_text="m1#1")
            item.locator("input[name=reviewer]").fill("A. Weber")
            item.locator("button[value=confirm]").click()
            page.wait_for_selector("#notice")
            assert "Reading of m1#1 recorded." in page.inner_text("#notice")
            page.set_input_files("#file", files=[{"name": "p2.jsonl", "mimeType": "application/x-ndjson", "buffer": _jsonl(
                [{"id": "p2", "at": "2026-03-04T08:00:00+01:00", "type": "probe", "service": "www.kunde-a.de",
                  "data": {"check": "https", "up": True}}])}])
            page.click("#upload button")
            page.wait_for_selector("#notice")
            assert "1 event(s) added." in page.inner_text("#notice")
            assert dialogs == []  # the vendor's <script> and onerror never ran
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    from test_reports import _distinct_colours

    assert _distinct_colours(shot) > 20


def test_mail_uploaded_on_the_page_goes_through_the_mail_importer(store, library):
    client, token = _setup(store, library)
    _login(client, token)
    mail = ("From: Support <support@acme.example>\r\nTo: ops@kunde-a.de\r\nSubject: Re: Ausfall\r\n"
            "Date: Tue, 03 Mar 2026 22:10:00 +0100\r\nMessage-ID: <r1@acme.example>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nWir entschuldigen uns für den Ausfall.\r\n").encode()
    form = {"kind": "mail", "vendor_domain": "acme.example", "customer_domain": "kunde-a.de"}
    r = client.post("/ui/cases/kunde-a/events", data=form, files={"file": ("antwort.eml", mail)}, follow_redirects=True)
    assert r.status_code == 200 and "1 event(s) added." in r.text
    assert "Wir entschuldigen uns für den Ausfall." in r.text.split('id="timeline"')[1]
    r = client.post("/ui/cases/kunde-a/events", data={**form, "vendor_domain": ""}, files={"file": ("a.eml", mail)})
    assert r.status_code == 422 and "vendor" in r.text.split('id="problems"')[1]
    r = client.post("/ui/cases/kunde-a/events", data={"kind": "probes", "format": "uptimerobot"},
                    files={"file": ("export.json", b"[]")})
    assert r.status_code == 422 and "import-empty" in r.text
