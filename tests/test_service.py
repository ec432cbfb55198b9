"""The HTTP service (pactwatch serve): same findings as the CLI, tokens scoped to one
organisation, append-only idempotent events, problem details, limits, and a kill -9 that
loses no acknowledged event."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import EXAMPLES, ROOT, SANITIZER, pw
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, text

from pactwatch.service.app import Settings, create_app
from pactwatch.service.store import Store
from pactwatch.service.tokens import create_token

EXAMPLE = EXAMPLES / "hosting-2026"
AS_OF = "2026-06-01T00:00:00+00:00"


#: a PostgreSQL server the tests may create databases on (.ci/run starts Debian's and sets this)
POSTGRES = os.environ.get("PACTWATCH_TEST_POSTGRES")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each store test runs on SQLite and on PostgreSQL, in a database of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    if not POSTGRES:
        if os.environ.get("CI"):
            pytest.fail("CI must test the PostgreSQL store: set PACTWATCH_TEST_POSTGRES (.ci/run does)")
        pytest.skip("PACTWATCH_TEST_POSTGRES is not set (docs/service.md, 'Testing')")
    server = make_url(POSTGRES)
    name = f"pactwatch_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture()
def store(store_url: str) -> Iterator[Store]:
    opened = Store(store_url)
    yield opened
    opened.engine.dispose()


@pytest.fixture()
def audit() -> io.StringIO:
    return io.StringIO()


@pytest.fixture()
def client(store: Store, library, audit: io.StringIO) -> TestClient:
    return TestClient(create_app(store, library, audit_stream=audit))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def open_case(client: TestClient, token: str, name: str = "acme") -> None:
    r = client.put("/v1/contracts/hosting", content=(EXAMPLE / "contract.yaml").read_bytes(),
                   headers={**bearer(token), "content-type": "application/yaml"})
    assert r.status_code in (200, 201), r.text
    r = client.post("/v1/cases", json={"name": name, "contract": "hosting", "title": "Hosting outage"}, headers=bearer(token))
    assert r.status_code in (200, 201), r.text


def post_events(client: TestClient, token: str, body: bytes, name: str = "acme",
                media: str = "application/x-ndjson") -> httpx.Response:
    return client.post(f"/v1/cases/{name}/events", content=body, headers={**bearer(token), "content-type": media})


def test_a_case_posted_over_http_gets_the_findings_pactwatch_check_gives(client, store, tmp_path):
    token = create_token(store, "agency")
    open_case(client, token)
    r = post_events(client, token, (EXAMPLE / "events.jsonl").read_bytes())
    assert r.status_code == 200 and r.json() == {"stored": 40, "unchanged": 0, "events": 40}
    served = client.get("/v1/cases/acme/report", params={"as_of": AS_OF}, headers=bearer(token))
    assert served.status_code == 200 and served.headers["content-type"] == "application/json"

    out = tmp_path / "cli.json"
    done = pw("check", EXAMPLE / "events.jsonl", "--contract", EXAMPLE / "contract.yaml", "--as-of", AS_OF,
              "-f", "json", "-o", out)
    assert done.returncode == 1, done.stderr
    cli, svc = json.loads(out.read_text()), served.json()
    assert svc["violations"] and svc["violations"] == cli["violations"]
    assert svc["outcomes"] == cli["outcomes"] and svc["counts"] == cli["counts"]
    assert svc["ruleset_hash"] == cli["ruleset_hash"] and svc["input"]["digest"] == cli["input"]["digest"]
    assert svc["input"]["files"] == [{"path": "cases/acme/events", "events": 40, "rejected": 0}]


def test_every_report_format_is_served_escaped(client, store):
    token = create_token(store, "agency")
    open_case(client, token)
    hostile = {"id": "evil", "at": "2026-03-03T09:00:00+01:00", "type": "message.sent", "vendor": "webhost-nord",
               "actor": "vendor", "incident": "INC-2026-0302", "text": "<script>alert(1)</script> =cmd|' /C calc'!A0"}
    assert post_events(client, token, (EXAMPLE / "events.jsonl").read_bytes()).status_code == 200
    assert post_events(client, token, json.dumps(hostile).encode(), media="application/json").json()["stored"] == 1
    for fmt, media in (("html", "text/html"), ("md", "text/markdown"), ("csv", "text/csv"), ("text", "text/plain")):
        r = client.get("/v1/cases/acme/report", params={"format": fmt, "as_of": AS_OF}, headers=bearer(token))
        assert r.status_code == 200 and r.headers["content-type"].startswith(media), (fmt, r.text[:200])
        assert "<script>" not in r.text
    bad = client.get("/v1/cases/acme/report", params={"format": "exe"}, headers=bearer(token))
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"


def test_without_a_valid_token_every_route_answers_401(client, store):
    token = create_token(store, "agency")
    for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": token},
                    {"Authorization": f"Bearer {token}x"}):
        for method, path in (("GET", "/v1/cases"), ("GET", "/v1/contracts"), ("POST", "/v1/cases"),
                             ("GET", "/v1/cases/acme/report")):
            r = client.request(method, path, headers=headers, json={})
            assert r.status_code == 401, (headers, path, r.text)
            assert r.headers["www-authenticate"] == "Bearer"
            assert r.json()["status"] == 401 and r.headers["content-type"] == "application/problem+json"
    assert client.get("/v1/cases", headers=bearer(token)).status_code == 200


def test_a_revoked_token_is_refused(client, store):
    token = create_token(store, "agency")
    assert client.get("/v1/cases", headers=bearer(token)).status_code == 200
    (row, _), = store.tokens("agency")
    assert store.revoke_token(row.id)
    assert client.get("/v1/cases", headers=bearer(token)).status_code == 401


def test_another_organisation_sees_nothing_and_changes_nothing(client, store):
    mine, theirs = create_token(store, "agency"), create_token(store, "rival")
    open_case(client, mine)
    assert post_events(client, mine, (EXAMPLE / "events.jsonl").read_bytes()).status_code == 200
    for path in ("/v1/cases/acme", "/v1/cases/acme/report", "/v1/cases/acme/events", "/v1/contracts/hosting"):
        r = client.get(path, headers=bearer(theirs))
        assert r.status_code == 404, (path, r.text)  # not 403: the case's existence is not disclosed
    assert client.get("/v1/cases", headers=bearer(theirs)).json() == []
    assert client.get("/v1/contracts", headers=bearer(theirs)).json() == []
    r = post_events(client, theirs, (EXAMPLE / "events.jsonl").read_bytes())
    assert r.status_code == 404
    r = client.post("/v1/cases", json={"name": "acme", "contract": "hosting"}, headers=bearer(theirs))
    assert r.status_code == 422  # their organisation has no contract "hosting"
    # the same names in the other organisation are theirs, and separate
    open_case(client, theirs)
    assert client.get("/v1/cases/acme", headers=bearer(theirs)).json()["events"] == 0
    assert client.get("/v1/cases/acme", headers=bearer(mine)).json()["events"] == 40


def test_events_are_idempotent_by_id_and_append_only(client, store):
    token = create_token(store, "agency")
    open_case(client, token)
    lines = (EXAMPLE / "events.jsonl").read_text().splitlines()
    assert post_events(client, token, "\n".join(lines[:10]).encode()).json() == {"stored": 10, "unchanged": 0, "events": 10}
    # a retried request that overlaps: the known ids are not stored twice
    assert post_events(client, token, "\n".join(lines[5:20]).encode()).json() == {"stored": 10, "unchanged": 5, "events": 20}
    changed = json.loads(lines[0])
    changed["text"] = "something else entirely"
    r = post_events(client, token, json.dumps([changed]).encode(), media="application/json")
    assert r.status_code == 409 and changed["id"] in r.json()["detail"]
    stored = client.get("/v1/cases/acme/events", headers=bearer(token)).text.splitlines()
    assert len(stored) == 20 and json.loads(stored[0]) == json.loads(lines[0])


def test_an_event_without_an_id_gets_its_content_id_so_a_retry_is_recognised(client, store):
    token = create_token(store, "agency")
    open_case(client, token)
    raw = {"at": "2026-03-02T09:00:00+01:00", "type": "probe", "vendor": "webhost-nord", "service": "shop.example",
           "data": {"check": "https", "up": False}}
    first = post_events(client, token, json.dumps(raw).encode(), media="application/json").json()
    again = post_events(client, token, json.dumps(raw).encode(), media="application/json").json()
    assert (first["stored"], again["stored"], again["unchanged"]) == (1, 0, 1)


def test_a_batch_with_an_invalid_event_is_refused_whole_with_every_problem_located(client, store):
    token = create_token(store, "agency")
    open_case(client, token)
    lines = (EXAMPLE / "events.jsonl").read_text().splitlines()
    bad = [*lines[:3], '{"id": "x1", "type": "probe"}', "not json", *lines[3:5]]
    r = post_events(client, token, "\n".join(bad).encode())
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    problems = r.json()["problems"]
    assert {(p["line"], p["code"]) for p in problems} >= {(4, "event-invalid"), (5, "event-bad-json")}
    assert all(p["file"] == "cases/acme/events" for p in problems)
    assert client.get("/v1/cases/acme", headers=bearer(token)).json()["events"] == 0  # nothing stored


def test_contracts_are_validated_as_the_cli_does_and_never_replaced(client, store):
    token = create_token(store, "agency")
    r = client.put("/v1/contracts/broken", content=b"id: C-1\nvendor: [unclosed\n", headers=bearer(token))
    assert r.status_code == 422 and r.json()["code"] == "yaml-syntax" and r.json()["problems"][0]["line"]
    text = (EXAMPLE / "contract.yaml").read_text()
    r = client.put("/v1/contracts/wrong", content=text.replace("timezone:", "timezone: Mars/Olympus\nx_zone:", 1).encode(),
                   headers=bearer(token))
    assert r.status_code == 422 and r.json()["problems"][0]["file"] == "contracts/wrong"
    assert client.put("/v1/contracts/hosting", content=text.encode(), headers=bearer(token)).status_code == 201
    assert client.put("/v1/contracts/hosting", content=text.encode(), headers=bearer(token)).status_code == 200
    r = client.put("/v1/contracts/hosting", content=(text + "\n# changed\n").encode(), headers=bearer(token))
    assert r.status_code == 409
    assert client.get("/v1/contracts/hosting", headers=bearer(token)).text == text
    r = client.put("/v1/contracts/..%2Fetc", content=text.encode(), headers=bearer(token))
    assert r.status_code in (404, 422)


def test_body_size_and_request_rate_are_limited(store, library):
    token = create_token(store, "agency")
    client = TestClient(create_app(store, library, Settings(max_body=1000, rate_per_minute=5), audit_stream=io.StringIO()))
    r = client.post("/v1/cases/acme/events", content=b"x" * 2000, headers=bearer(token))
    assert r.status_code == 413 and r.json()["title"] == "Request body too large"
    codes = [client.get("/v1/cases", headers=bearer(token)).status_code for _ in range(6)]
    assert codes[:5] == [200] * 5 and codes[5] == 429
    r = client.get("/v1/cases", headers=bearer(token))
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    other = create_token(store, "agency")  # the limit is per token
    assert client.get("/v1/cases", headers=bearer(other)).status_code == 200


def test_events_posted_with_a_byte_order_mark_lose_no_line(client, store):
    token = create_token(store, "agency")
    open_case(client, token)
    r = post_events(client, token, b"\xef\xbb\xbf" + (EXAMPLE / "events.jsonl").read_bytes())
    assert r.status_code == 200 and r.json() == {"stored": 40, "unchanged": 0, "events": 40}, r.text


def test_writes_and_decisions_are_in_the_audit_log_without_the_token(client, store, audit):
    token = create_token(store, "agency")
    open_case(client, token)
    post_events(client, token, (EXAMPLE / "events.jsonl").read_bytes(), media="application/x-ndjson")
    client.get("/v1/cases/acme/report", params={"as_of": AS_OF}, headers=bearer(token))
    records = [json.loads(line) for line in audit.getvalue().splitlines()]
    assert [r["event"] for r in records] == ["service.contract_stored", "service.case_created", "service.events_appended",
                                              "service.case_evaluated"]
    token_id = token.split("_")[1]
    assert all(r["organisation"] == "agency" and r["token_id"] == token_id and r["request_id"] for r in records)
    assert records[2]["stored"] == 40 and records[3]["violations"] > 0
    assert token.split("_", 2)[2] not in audit.getvalue()


def test_the_openapi_document_describes_the_v1_routes(client):
    doc = client.get("/openapi.json").json()
    assert {"/v1/contracts/{name}", "/v1/cases", "/v1/cases/{name}/events", "/v1/cases/{name}/report"} <= set(doc["paths"])


def test_tokens_are_created_listed_and_revoked_from_the_cli(tmp_path):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    made = pw("tokens", "create", "--org", "agency", "--db", db)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert token.startswith("pw_")
    listed = pw("tokens", "list", "--db", db)
    token_id = token.split("_")[1]
    assert listed.returncode == 0 and token_id in listed.stdout and "active" in listed.stdout
    assert token.split("_", 2)[2] not in listed.stdout
    assert pw("tokens", "revoke", token_id, "--db", db).returncode == 0
    assert "revoked" in pw("tokens", "list", "--db", db).stdout
    again = pw("tokens", "revoke", token_id, "--db", db)
    assert again.returncode == 2 and "no active token" in again.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(db: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as sink:  # the child keeps its own descriptor; nothing is left open here
        proc = subprocess.Popen([sys.executable, "-m", "pactwatch.cli", "serve", "--db", db, "--port", str(port)],
                                cwd=ROOT, env={"PATH": "/usr/bin:/bin", **SANITIZER}, stdout=sink, stderr=sink)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    proc.wait()
    raise AssertionError(f"server did not start: {log.read_text()}")


def test_a_server_killed_mid_load_loses_no_acknowledged_event(tmp_path, store_url):
    db = store_url
    token = pw("tokens", "create", "--org", "agency", "--db", db).stdout.strip()
    port = _free_port()
    server = _serve(db, port, tmp_path / "server.log")
    base, headers = f"http://127.0.0.1:{port}", bearer(token)
    try:
        httpx.put(f"{base}/v1/contracts/hosting", content=(EXAMPLE / "contract.yaml").read_bytes(), headers=headers)
        httpx.post(f"{base}/v1/cases", json={"name": "acme", "contract": "hosting"}, headers=headers)
        acknowledged: list[str] = []
        stop = threading.Event()

        def load() -> None:
            with httpx.Client(base_url=base, headers=headers, timeout=5) as http:
                n = 0
                while not stop.is_set():
                    n += 1
                    ev = {"id": f"p{n}", "at": f"2026-03-02T{8 + n // 3600 % 12:02d}:{n // 60 % 60:02d}:{n % 60:02d}+01:00",
                          "type": "probe", "vendor": "webhost-nord", "service": "shop.example",
                          "data": {"check": "https", "up": n % 2 == 0}}
                    try:
                        if http.post("/v1/cases/acme/events", json=ev).status_code == 200:
                            acknowledged.append(ev["id"])
                    except httpx.TransportError:
                        return

        worker = threading.Thread(target=load)
        worker.start()
        deadline = time.monotonic() + 30
        while len(acknowledged) < 30 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        stop.set()
        worker.join()
        assert len(acknowledged) >= 30
    finally:
        if server.poll() is None:
            server.kill()
    server = _serve(db, port, tmp_path / "server.log")
    try:
        stored = httpx.get(f"{base}/v1/cases/acme/events", headers=headers).text.splitlines()
        ids = [json.loads(line)["id"] for line in stored]
        assert set(acknowledged) <= set(ids) and len(ids) == len(set(ids))
    finally:
        server.kill()
        server.wait()


def test_the_published_openapi_document_is_current(client):
    """docs/openapi.json is what the server serves (PACTWATCH_UPDATE_GOLDEN=1 rewrites it)."""
    served = json.dumps(client.get("/openapi.json").json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    published = ROOT / "docs" / "openapi.json"
    if os.environ.get("PACTWATCH_UPDATE_GOLDEN"):
        published.write_text(served, encoding="utf-8")
    assert published.read_text(encoding="utf-8") == served, "docs/openapi.json is stale; PACTWATCH_UPDATE_GOLDEN=1"


def test_the_letter_is_drafted_as_pactwatch_letter_drafts_it(client, store, tmp_path):
    token = create_token(store, "agency")
    open_case(client, token)
    assert post_events(client, token, (EXAMPLE / "events.jsonl").read_bytes()).status_code == 200
    served = client.get("/v1/cases/acme/letter", params={"as_of": AS_OF, "lang": "en", "date": "2026-06-02"},
                        headers=bearer(token))
    assert served.status_code == 200 and served.headers["content-type"].startswith("text/markdown")
    out = tmp_path / "letter.md"
    done = pw("letter", EXAMPLE / "events.jsonl", "--contract", EXAMPLE / "contract.yaml", "--as-of", AS_OF,
              "--lang", "en", "--date", "2026-06-02", "-o", out)
    assert done.returncode == 0, done.stderr
    assert served.text == out.read_text(encoding="utf-8")
    bad = client.get("/v1/cases/acme/letter", params={"date": "June"}, headers=bearer(token))
    assert bad.status_code == 422 and bad.json()["problems"][0]["field"] == "date"
    client.post("/v1/cases", json={"name": "quiet", "contract": "hosting"}, headers=bearer(token))
    assert client.get("/v1/cases/quiet/letter", headers=bearer(token)).status_code == 404


def test_review_annotations_sent_over_http_decide_the_next_report(client, store):
    """The review round trip of a case folder (tests/test_review.py), through the API."""
    from test_review import CLAIM_RULES, EVENTS, UNSURE

    token = create_token(store, "agency")
    open_case(client, token)
    body = "".join(json.dumps({**e, "vendor": "webhost-nord"}) + "\n" for e in EVENTS).encode()
    assert post_events(client, token, body).status_code == 200

    def findings() -> dict[str, dict]:
        r = client.get("/v1/cases/acme/report", params={"as_of": AS_OF}, headers=bearer(token))
        return {v["rule"]: v for v in r.json()["violations"]}

    assert set(findings()) >= CLAIM_RULES and findings()["false-resolution-claim"]["unconfirmed"] == ["m1"]
    assert client.get("/v1/cases/acme/annotations", headers=bearer(token)).text == "[]\n"
    confirm = [{"event": "m1", "start": 0, "end": len(UNSURE), "sentence": UNSURE, "labels": ["resolution_claim"],
                "reviewer": "A. Weber", "date": "2026-03-10"}]
    r = client.put("/v1/cases/acme/annotations", content=json.dumps(confirm).encode(), headers=bearer(token))
    assert r.status_code == 200 and r.json()["annotations"] == 1
    claim = findings()["false-resolution-claim"]
    assert claim["unconfirmed"] == [] and {e["event"]: e["reading"] for e in claim["evidence"]}["m1"] == "reviewed"
    md = client.get("/v1/cases/acme/report", params={"as_of": AS_OF, "format": "md"}, headers=bearer(token)).text
    assert "— *confirmed by reviewer*" in md or "— *vom Prüfer bestätigt*" in md
    corrected = f"- {{event: m1, start: 0, end: {len(UNSURE)}, sentence: '{UNSURE}', labels: [], reviewer: A. Weber, date: '2026-03-11'}}\n"
    assert client.put("/v1/cases/acme/annotations", content=corrected.encode(), headers=bearer(token)).status_code == 200
    assert not CLAIM_RULES & set(findings())
    assert client.get("/v1/cases/acme/annotations", headers=bearer(token)).text == corrected
    bad = client.put("/v1/cases/acme/annotations", content=corrected.replace("labels: []", "labels: [apologee]").encode(),
                     headers=bearer(token))
    assert bad.status_code == 422 and bad.json()["code"] == "annotations-invalid" and bad.json()["problems"][0]["line"] == 1
    assert client.get("/v1/cases/acme/annotations", headers=bearer(token)).text == corrected  # the bad one was not stored


def test_the_load_benchmark_checks_isolation_and_exactly_once_on_a_short_run(store_url):
    """benchmarks/service_load.py, bounded: 12 clients of two organisations for 3 s (the figures
    of the full run are in docs/service.md; here only its checks count, never its timing)."""
    bench = str(ROOT / "benchmarks")
    sys.path.insert(0, bench)
    try:
        from service_load import run
    finally:
        sys.path.remove(bench)
    result = run(12, 3.0, store_url)
    assert result["accepted"] > 0 and result["errors"] == 0, result
    assert all(result["checks"].values()), result


def test_evidence_files_go_through_the_importers_and_give_the_cli_s_findings(client, store, tmp_path):
    """The raw-praxis story (Thunderbird mbox, UptimeRobot export, a status page with named components)
    posted as files: the same events as `pactwatch import`, the same findings as `check` on that folder."""
    raw = ROOT / "tests" / "data" / "raw-praxis"
    token = create_token(store, "praxis-it")
    auth = bearer(token)
    assert client.put("/v1/contracts/praxis", content=(raw / "contract.yaml").read_bytes(),
                      headers={**auth, "content-type": "application/yaml"}).status_code == 201
    assert client.post("/v1/cases", json={"name": "st-1", "contract": "praxis"}, headers=auth).status_code == 201

    def upload(kind: str, path: Path, **params: object) -> httpx.Response:
        return client.post(f"/v1/cases/st-1/evidence/{kind}", content=path.read_bytes(),
                           params={"filename": path.name, "incident": "ST-1", **params},
                           headers={**auth, "content-type": "application/octet-stream"})

    mails = upload("mail", raw / "Posteingang.mbox", vendor_domain="provi.example", customer_domain="zahnarzt-mohr.de")
    assert mails.status_code == 200, mails.text
    assert mails.json()["stored"] == 6 and mails.json()["skipped"] == []
    again = upload("mail", raw / "Posteingang.mbox", vendor_domain="provi.example", customer_domain="zahnarzt-mohr.de")
    assert again.json()["stored"] == 0 and again.json()["unchanged"] == 6 and again.json()["events"] == 6
    probes = upload("probes", raw / "uptimerobot.json", format="uptimerobot")
    assert probes.status_code == 200 and probes.json()["stored"] == 6, probes.text
    status = upload("statuspage", raw / "incidents.json",
                    component=["Webhosting=www.zahnarzt-mohr.de", "E-Mail=mail.zahnarzt-mohr.de"])
    assert status.status_code == 200 and status.json()["stored"] == 3 and status.json()["events"] == 15, status.text
    later = "2026-12-31T00:00:00+00:00"  # the story is in June 2026
    served = client.get("/v1/cases/st-1/report", params={"as_of": later}, headers=auth).json()

    folder = tmp_path / "case"
    assert pw("case", "init", folder, "--template", "hosting-de").returncode == 0
    (folder / "contract.yaml").write_bytes((raw / "contract.yaml").read_bytes())
    assert pw("import", "mail", raw / "Posteingang.mbox", "--case", folder, "--vendor-domain", "provi.example",
              "--customer-domain", "zahnarzt-mohr.de", "--incident", "ST-1").returncode == 0
    assert pw("import", "probes", raw / "uptimerobot.json", "--case", folder, "--format", "uptimerobot",
              "--incident", "ST-1").returncode == 0
    assert pw("import", "statuspage", raw / "incidents.json", "--case", folder, "--incident", "ST-1",
              "--component", "Webhosting=www.zahnarzt-mohr.de", "--component", "E-Mail=mail.zahnarzt-mohr.de").returncode == 0
    cli = json.loads(pw("check", folder, "-f", "json", "--as-of", later).stdout)
    assert [(v["rule"], v["services"]) for v in served["violations"]] == \
        [(v["rule"], v["services"]) for v in cli["violations"]]
    assert {"false-resolution-claim", "unverified-resolution-claim"} <= {v["rule"] for v in served["violations"]}


def test_evidence_that_cannot_be_read_is_answered_with_reasons(client, store):
    token = create_token(store, "agency")
    open_case(client, token)
    auth = {**bearer(token), "content-type": "application/octet-stream"}
    r = client.post("/v1/cases/acme/evidence/mail", content=b"From: a@b\n\nhi", headers=auth)
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "vendor_domain"
    r = client.post("/v1/cases/acme/evidence/fax", content=b"x", headers=auth)
    assert r.status_code == 422
    r = client.post("/v1/cases/acme/evidence/probes", content=b"\x00\x01 not a csv", params={"filename": "x.csv"},
                    headers=auth)
    assert r.status_code == 422 and r.json()["code"] == "import-empty", r.text
    assert "pactwatch-evidence" not in r.text  # the upload's temporary path stays inside
    r = client.post("/v1/cases/acme/evidence/probes", content=b"x", params={"map": "time=when"}, headers=auth)
    assert r.status_code == 422 and r.json()["problems"][0]["field"] == "map"
    other = create_token(store, "other")
    r = client.post("/v1/cases/acme/evidence/probes", content=b"x", headers={**auth, **bearer(other)})
    assert r.status_code == 404


def test_the_scorecard_over_http_is_the_cli_s(client, store, tmp_path):
    """Three vendors, a year of incidents (examples/multi-vendor): each vendor's events posted as one case
    on its contract; the scorecard compares them as `pactwatch scorecard` does, and narrows to a vendor
    and a period."""
    example = EXAMPLES / "multi-vendor"
    token = create_token(store, "procurement")
    auth = bearer(token)
    lines = (example / "events.jsonl").read_text(encoding="utf-8").splitlines()
    for path in sorted((example / "contracts").glob("*.yaml")):
        vendor = path.stem
        assert client.put(f"/v1/contracts/{vendor}", content=path.read_bytes(),
                          headers={**auth, "content-type": "application/yaml"}).status_code == 201
        assert client.post("/v1/cases", json={"name": f"{vendor}-2025", "contract": vendor}, headers=auth).status_code == 201
        mine = "".join(line + "\n" for line in lines if json.loads(line)["vendor"] == vendor).encode("utf-8")
        assert post_events(client, token, mine, name=f"{vendor}-2025").status_code == 200
    as_of = "2026-06-01T00:00:00+00:00"
    served = client.get("/v1/scorecard", params={"as_of": as_of}, headers=auth)
    assert served.status_code == 200, served.text
    cli = pw("scorecard", example / "events.jsonl", "--contracts", example / "contracts", "--format", "json", "--as-of", as_of)
    assert cli.returncode in (0, 1), cli.stderr
    assert served.json()["vendors"] == json.loads(cli.stdout)["vendors"]
    one = client.get("/v1/scorecard", params={"as_of": as_of, "vendor": "mailwerk", "from": "2025-07-01",
                                              "to": "2026-01-01"}, headers=auth).json()
    assert [v["vendor"] for v in one["vendors"]] == ["mailwerk"]
    # cases start inside the period; a deadline of one may fall due after it (a credit owed for December)
    started = [m["month"] for m in one["vendors"][0]["months"] if m["cases"]]
    assert started and all("2025-07" <= m < "2026-01" for m in started)
    assert one["vendors"][0]["cases"] < served.json()["vendors"][1]["cases"]
    html = client.get("/v1/scorecard", params={"as_of": as_of, "format": "html"}, headers=auth)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert client.get("/v1/scorecard", params={"from": "July"}, headers=auth).status_code == 422
    other = create_token(store, "other")
    assert client.get("/v1/scorecard", headers=bearer(other)).json()["vendors"] == []


def test_reports_and_letters_are_served_as_pdf_typeset_from_the_served_html(client, store, monkeypatch):
    """PDF over HTTP is the HTML the same request would give, typeset (same HTML, same PDF bytes)."""
    from pactwatch.reports.pdf import to_pdf

    token = create_token(store, "agency")
    open_case(client, token)
    assert post_events(client, token, (EXAMPLE / "events.jsonl").read_bytes()).status_code == 200
    for path, params in (("report", {"as_of": AS_OF}), ("letter", {"as_of": AS_OF, "date": "2026-06-02"})):
        pdf = client.get(f"/v1/cases/acme/{path}", params={**params, "format": "pdf"}, headers=bearer(token))
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.headers["content-disposition"] == f'inline; filename="acme-{path}.pdf"'
        html = client.get(f"/v1/cases/acme/{path}", params={**params, "format": "html"}, headers=bearer(token))
        assert pdf.content.startswith(b"%PDF-") and pdf.content == to_pdf(html.text)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # a server installed without the [pdf] extra
    missing = client.get("/v1/cases/acme/report", params={"format": "pdf"}, headers=bearer(token))
    assert missing.status_code == 501 and missing.json()["code"] == "missing-dependency"


def test_uncertain_readings_are_listed_until_a_reviewer_settles_them(client, store):
    """The review list of `pactwatch review` and the web page, as an API resource."""
    from test_review import EVENTS, UNSURE

    token = create_token(store, "agency")
    open_case(client, token)
    body = "".join(json.dumps({**e, "vendor": "webhost-nord"}) + "\n" for e in EVENTS).encode()
    assert post_events(client, token, body).status_code == 200
    r = client.get("/v1/cases/acme/readings", params={"as_of": AS_OF}, headers=bearer(token))
    assert r.status_code == 200
    (unsure,) = [s for s in r.json() if s["sentence"] == UNSURE]
    assert unsure["event"] == "m1" and unsure["key"] == "m1#1" and (unsure["start"], unsure["end"]) == (0, len(UNSURE))
    assert "false-resolution-claim" in unsure["decides"] and "resolution_claim" in unsure["close"]
    everything = client.get("/v1/cases/acme/readings", params={"as_of": AS_OF, "all": "true"}, headers=bearer(token))
    assert len(everything.json()) >= len(r.json())
    confirm = [{"event": "m1", "start": unsure["start"], "end": unsure["end"], "sentence": unsure["sentence"],
                "labels": unsure["reading"], "reviewer": "A. Weber", "date": "2026-03-10"}]
    assert client.put("/v1/cases/acme/annotations", content=json.dumps(confirm).encode(), headers=bearer(token)).status_code == 200
    after = client.get("/v1/cases/acme/readings", params={"as_of": AS_OF}, headers=bearer(token)).json()
    assert UNSURE not in [s["sentence"] for s in after]
    other = create_token(store, "rival")
    assert client.get("/v1/cases/acme/readings", headers=bearer(other)).status_code == 404
