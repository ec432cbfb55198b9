"""From the files people have to a case: mail, monitoring exports, status pages, timelines."""

import json
import shutil

import pytest
from conftest import EXAMPLES, ROOT, pw
from test_cli import HOSTING_RULES

DATA = ROOT / "tests" / "data" / "import"


@pytest.fixture
def case(tmp_path):
    folder = tmp_path / "case"
    assert pw("case", "init", folder, "--template", "hosting-de").returncode == 0
    return folder


def _events(case, name):
    return [json.loads(line) for line in (case / "events" / name).read_text(encoding="utf-8").splitlines()]


def _mail(case, *sources, extra=()):
    return pw("import", "mail", *sources, "--case", case, "--vendor-domain", "hoster.example",
              "--customer-domain", "agentur.example", *extra)


def test_case_init_creates_the_folder_and_refuses_to_overwrite(case):
    assert (case / "contract.yaml").is_file() and (case / "events").is_dir() and (case / "evidence").is_dir()
    assert "Ereignisse" in (case / "README.md").read_text(encoding="utf-8")
    assert pw("case", "init", case).returncode == 2


def test_mail_encodings_html_attachments_threading_and_quotes(case):
    run = _mail(case, DATA / "latin1-qp.eml", DATA / "base64-attachment.eml", DATA / "html-only.eml",
                DATA / "quoted-reply.eml")
    assert run.returncode == 0 and "imported 4, skipped 0" in run.stdout
    by_source = {e["source"].split()[1]: e for e in _events(case, "mail.jsonl")}
    latin = by_source["latin1-qp.eml"]
    assert "Störung ist behoben" in latin["text"] and latin["actor"] == "vendor"
    assert latin["data"]["subject"] == "Ihre Störungsmeldung – Rückmeldung"
    start = by_source["base64-attachment.eml"]
    assert start["data"]["attachments"] == ["error.log"] and start["data"]["kind"] == "complaint"
    assert "error.log" not in start["text"] and "nicht erreichbar" in start["text"]
    assert latin["data"]["in_reply_to"] == start["id"] and latin["data"]["kind"] == "reply"
    html = by_source["html-only.eml"]
    assert "Wir entschuldigen uns für den Ausfall." in html["text"].replace("\n", " ").replace("  ", " ")
    quoted = by_source["quoted-reply.eml"]
    assert quoted["text"].splitlines()[0] == "Danke, aber das reicht nicht."
    assert all(line.startswith(">") for line in quoted["text"].splitlines()[2:])
    assert (case / "evidence" / "mail" / "latin1-qp.eml").is_file()


def test_quoted_apology_does_not_count_for_the_customer(case, library):
    from pactwatch.enrich import MessageAnalyzer

    _mail(case, DATA / "quoted-reply.eml")
    (event,) = _events(case, "mail.jsonl")
    assert library.analyzer().analyze(event["text"]).apology == "none"


def test_reimport_adds_nothing(case):
    _mail(case, DATA / "html-only.eml")
    again = _mail(case, DATA / "html-only.eml")
    assert "imported 0, skipped 0 with reasons, 1 already in the case" in again.stdout
    assert len(_events(case, "mail.jsonl")) == 1


def test_bad_dates_unknown_senders_and_strict(case):
    run = _mail(case, DATA / "broken-date.eml", DATA / "no-date.eml", DATA / "unknown-sender.eml")
    assert run.returncode == 0 and "imported 2, skipped 1 with reasons" in run.stdout
    assert "mail-date-from-received" in run.stderr and "mail-no-date" in run.stderr and "nothing@hoster.example" in run.stderr
    assert "mail-unknown-sender" in run.stderr
    fallback = next(e for e in _events(case, "mail.jsonl") if "broken-date" in e["source"])
    assert fallback["at"] == "2026-03-03T14:00:05+01:00"
    strict = _mail(case, DATA / "no-date.eml", extra=("--strict",))
    assert strict.returncode == 2 and "mail-no-date" in strict.stderr


def test_kind_override(case):
    _mail(case, DATA / "html-only.eml", extra=("--kind", "html@hoster.example=notice"))
    assert _events(case, "mail.jsonl")[0]["data"]["kind"] == "notice"


def test_generic_probes_with_mapping_status_codes_local_times_and_bad_rows(case):
    run = pw("import", "probes", DATA / "generic.csv", "--case", case, "--map", "when=timestamp", "--map", "site=service",
             "--map", "code=up", "--map", "kind=check", "--map", "note=detail")
    assert run.returncode == 0 and "imported 3, skipped 3 with reasons" in run.stdout
    assert "generic.csv:4: probe-row-invalid: cannot tell up from down in 'maybe'" in run.stderr
    assert "generic.csv:5" in run.stderr and "generic.csv:6" in run.stderr
    events = _events(case, "probes.jsonl")
    assert [(e["at"], e["data"]["up"]) for e in events] == [
        ("2026-03-02T07:00:00+00:00", True), ("2026-03-02T08:05:00+01:00", False), ("2026-03-02T08:20:00+01:00", True)]


def test_uptimerobot_and_pingdom_presets_and_collapse(case):
    run = pw("import", "probes", DATA / "uptimerobot.json", "--case", case, "--format", "uptimerobot")
    assert "imported 2, skipped 1" in run.stdout and "log type 98" in run.stderr
    robot = _events(case, "probes.jsonl")
    assert [(e["service"], e["data"]["up"], e["data"]["detail"]) for e in robot] == [
        ("www.kunde-a.de", False, "503 Service Unavailable"), ("www.kunde-a.de", True, "200 OK")]
    run = pw("import", "probes", DATA / "pingdom.json", "--case", case, "--format", "pingdom", "--service", "mail.kunde-a.de",
             "--check", "smtp", "--collapse")
    assert "imported 2, skipped 0" in run.stdout  # 4 results, 2 changes of state


def test_statuspage_updates_become_claims(case):
    run = pw("import", "statuspage", DATA / "statuspage.json", "--case", case)
    assert "imported 2, skipped 1" in run.stdout and "unknown status 'exploded'" in run.stderr
    claims = _events(case, "statuspage.jsonl")
    resolved = next(e for e in claims if e["data"]["status"] == "resolved")
    assert resolved["data"]["services"] == ["mail.kunde-a.de", "www.kunde-a.de"]
    assert resolved["text"] == "This incident has been resolved." and resolved["at"] == "2026-03-03T20:48:00+01:00"


def test_yaml_timeline_in_contract_time_and_dst_errors(case):
    (case / "events" / "calls.yaml").write_text(
        "- {at: 2026-03-02 07:55, type: service.suspended, vendor: anbieter-gmbh, service: a.de, actor: vendor}\n"
        "- {at: '2026-03-29 02:30', type: service.restored, vendor: anbieter-gmbh, service: a.de, actor: vendor}\n"
        "- {at: '2026-10-25 02:30', type: service.restored, vendor: anbieter-gmbh, service: a.de, actor: vendor}\n",
        encoding="utf-8")
    run = pw("check", case, "-f", "json")
    report = json.loads(run.stdout)
    reasons = [(r["line"], r["reason"]) for r in report["input"]["rejected"]]
    assert reasons == [(2, "at: 2026-03-29 02:30 does not exist in Europe/Berlin (the clocks skip it): write the time with its offset"),
                       (3, "at: 2026-10-25 02:30 happens twice in Europe/Berlin (the clocks go back): write the time with its offset")]
    suspension = next(v for v in report["violations"] if v["rule"] == "suspension-without-notice")
    assert suspension["evidence"][0]["at"] == "2026-03-02T06:55:00Z"


def test_raw_hosting_case_finds_what_the_hand_written_one_finds(tmp_path):
    raw = EXAMPLES / "hosting-2026-raw"
    folder = tmp_path / "raw-case"
    assert pw("case", "init", folder, "--template", "hosting-de").returncode == 0
    shutil.copyfile(EXAMPLES / "hosting-2026" / "contract.yaml", folder / "contract.yaml")
    shutil.copyfile(raw / "timeline.yaml", folder / "events" / "timeline.yaml")
    mails = pw("import", "mail", raw / "mailbox.mbox", "--case", folder, "--vendor-domain", "webhost-nord.example",
               "--customer-domain", "agentur-lichtblick.example", "--incident", "INC-2026-0302")
    assert "imported 9, skipped 0" in mails.stdout
    probes = pw("import", "probes", raw / "monitoring.csv", "--case", folder, "--incident", "INC-2026-0302",
                "--map", "Time (UTC)=timestamp", "--map", "Monitor=service", "--map", "Status=up", "--map", "Type=check",
                "--map", "Message=detail")
    assert "imported 19, skipped 0" in probes.stdout
    run = pw("check", folder, "-f", "json")
    assert run.returncode == 1, run.stderr
    assert {v["rule"] for v in json.loads(run.stdout)["violations"]} == HOSTING_RULES


def test_validate_a_case_folder(case):
    (case / "events" / "calls.yaml").write_text(
        "- {at: 2026-03-02 07:55, type: service.suspended, vendor: anbieter-gmbh, service: a.de, actor: vendor}\n",
        encoding="utf-8")
    run = pw("validate", case)
    assert run.returncode == 0 and "contract" in run.stderr and "1 events" in run.stderr
    (case / "events" / "bad.jsonl").write_text('{"at": "soon"}\n', encoding="utf-8")
    bad = pw("validate", case)
    assert bad.returncode == 2 and "bad.jsonl:1" in bad.stderr


def test_an_import_that_imports_nothing_exits_2(case):
    run = pw("import", "probes", DATA / "pingdom.json", "--case", case, "--format", "pingdom")
    assert run.returncode == 2 and "import-empty" in run.stderr and "imported 0" in run.stdout


def test_same_named_evidence_from_two_folders_is_kept_twice(case, tmp_path):
    first, second = tmp_path / "a" / "export.csv", tmp_path / "b" / "export.csv"
    for path, up in ((first, "up"), (second, "down")):
        path.parent.mkdir()
        path.write_text(f"when,site,status\n2026-03-02 08:00,www.kunde-a.de,{up}\n", encoding="utf-8")
    for path in (first, second):
        run = pw("import", "probes", path, "--case", case, "--map", "when=timestamp", "--map", "site=service",
                 "--map", "status=up")
        assert run.returncode == 0, run.stderr
    kept = sorted(p.name for p in (case / "evidence").rglob("export*.csv"))
    assert len(kept) == 2 and "export.csv" in kept


def test_a_damaged_events_file_does_not_block_the_next_import(case):
    damaged = case / "events" / "probes.jsonl"
    damaged.write_text('{"id": "x1", "at": "2026-03-02T08:00:00+01:00", "ty', encoding="utf-8")  # a write cut short
    run = pw("import", "probes", DATA / "uptimerobot.json", "--case", case, "--format", "uptimerobot")
    assert run.returncode == 0, run.stderr
    lines = damaged.read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith('"ty') and all(json.loads(line) for line in lines[1:])
    check = pw("check", case)
    assert "probes.jsonl:1" in check.stderr and "Traceback" not in check.stderr


def test_imports_do_not_write_through_symlinks(case, tmp_path):
    outside = tmp_path / "outside.jsonl"
    outside.write_text("", encoding="utf-8")
    (case / "events" / "probes.jsonl").symlink_to(outside)
    run = pw("import", "probes", DATA / "uptimerobot.json", "--case", case, "--format", "uptimerobot")
    assert run.returncode == 2 and "case-symlink" in run.stderr and outside.read_text(encoding="utf-8") == ""


def test_status_pages_without_update_ids_and_malformed_shapes(case, tmp_path):
    def page(name, updates):
        path = tmp_path / name
        path.write_text(json.dumps({"incidents": [{"name": "Mail down", "components": [{"name": "mail.kunde-a.de"}],
                                                   "incident_updates": updates}]}), encoding="utf-8")
        return path

    first = page("a.json", [{"status": "resolved", "display_at": "2026-03-03T20:48:00+01:00", "body": "Mail works again."}])
    second = page("b.json", [{"status": "resolved", "display_at": "2026-03-04T09:00:00+01:00", "body": "Now really fixed."}])
    for path in (first, second):
        run = pw("import", "statuspage", path, "--case", case)
        assert run.returncode == 0 and "imported 1" in run.stdout, run.stdout + run.stderr  # positions never collide
    marked = page("marked.json", [{"status": "resolved", "display_at": "2026-03-05T09:00:00+01:00", "body": "Fixed."}])
    marked.write_text(marked.read_text(encoding="utf-8"), encoding="utf-8-sig")  # as a Windows tool saves it
    run = pw("import", "statuspage", marked, "--case", case)
    assert run.returncode == 0 and "imported 1" in run.stdout, run.stdout + run.stderr
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"incidents": [7, {"incident_updates": "x"}, {"incident_updates": [3, {"status": "resolved",
                                  "display_at": "99999-01-01T00:00:00Z"}], "components": "nope"}]}), encoding="utf-8")
    run = pw("import", "statuspage", broken, "--case", case)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert sum(line.startswith("skipped") for line in run.stderr.splitlines()) == 4 and "import-empty" in run.stderr


def test_csv_columns_named_service_and_check_are_read(case, tmp_path):
    export = tmp_path / "checks.csv"
    export.write_text("timestamp,service,check,up\n2026-03-02T08:00:00+01:00,www.kunde-a.de,smtp,down\n"
                      "2026-03-02T08:05:00+01:00,,,up\n", encoding="utf-8")
    run = pw("import", "probes", export, "--case", case, "--service", "mail.kunde-a.de")
    assert run.returncode == 0 and "imported 2" in run.stdout, run.stdout + run.stderr
    events = sorted(_events(case, "probes.jsonl"), key=lambda e: e["at"])
    assert [(e["service"], e["data"]["check"]) for e in events] == [("www.kunde-a.de", "smtp"), ("mail.kunde-a.de", "https")]


def test_a_case_folder_does_not_read_through_symlinks_that_leave_it(case, tmp_path):
    outside = tmp_path / "elsewhere.jsonl"
    outside.write_text('{"id": "x", "at": "2026-03-02T08:00:00+01:00", "type": "clock"}\n', encoding="utf-8")
    (case / "events" / "linked.jsonl").symlink_to(outside)
    for command in (("check", case), ("validate", case)):
        run = pw(*command)
        assert run.returncode == 2 and "case-symlink" in run.stderr and "linked.jsonl" in run.stderr, run.stderr
    inside = case / "events" / "linked.jsonl"
    inside.unlink()
    (case / "notes.jsonl").write_text(outside.read_text(encoding="utf-8"), encoding="utf-8")
    inside.symlink_to(case / "notes.jsonl")  # a symlink within the folder is fine
    assert pw("check", case).returncode in (0, 1)


def _raw_case(tmp_path, raw, template):
    """A fresh case folder with the raw story's contract."""
    folder = tmp_path / "case"
    assert pw("case", "init", folder, "--template", template).returncode == 0
    shutil.copyfile(raw / "contract.yaml", folder / "contract.yaml")
    return folder


def test_an_english_case_from_raw_mail_and_monitoring_is_judged_as_a_contract_manager_would(tmp_path):
    """A dev story from raw evidence (docs/stories.md): Gmail, Outlook, HTML-only and Apple Mail
    quoting, an auto-reply, a CSV export; the promise "expect checkout to be working by 12:00 UTC"
    follows a clause about the payment gateway and is still a restoration promise."""
    raw = ROOT / "tests" / "data" / "raw-checkout"
    folder = _raw_case(tmp_path, raw, "saas-en")
    mails = pw("import", "mail", raw / "inbox.mbox", "--case", folder, "--vendor-domain", "cartly.example",
               "--customer-domain", "fernway.example", "--incident", "INC-1")
    assert "imported 8, skipped 0" in mails.stdout
    # "Still getting 502 errors" and "We'd like a service credit" in the thread are complaints too
    assert {e["data"]["kind"] for e in _events(folder, "mail.jsonl") if e["actor"] == "customer"} == {"complaint"}
    probes = pw("import", "probes", raw / "monitoring.csv", "--case", folder, "--incident", "INC-1", "--map", "time=timestamp",
                "--map", "monitor=service", "--map", "status=up", "--map", "type=check", "--map", "message=detail")
    assert "imported 12, skipped 0" in probes.stdout
    run = pw("check", folder, "-f", "json")
    assert run.returncode == 1, run.stderr
    assert {v["rule"] for v in json.loads(run.stdout)["violations"]} == {
        "false-resolution-claim", "unverified-resolution-claim", "missed-commitment", "availability-breach",
        "complaint-response-late"}


def test_a_german_case_from_thunderbird_uptimerobot_and_a_status_page(tmp_path):
    """A dev story from raw evidence (docs/stories.md): ISO-8859-1 quoted-printable mail with Outlook
    and Thunderbird quoting, an UptimeRobot export whose logs are changes of state (an smtp:// monitor),
    a status page whose components are named, not domains. The status page's "resolved" at 13:10 came
    while the monitor showed mail down until 16:15: a false claim, though no failing check followed it."""
    raw = ROOT / "tests" / "data" / "raw-praxis"
    folder = _raw_case(tmp_path, raw, "hosting-de")
    mails = pw("import", "mail", raw / "Posteingang.mbox", "--case", folder, "--vendor-domain", "provi.example",
               "--customer-domain", "zahnarzt-mohr.de", "--incident", "ST-1")
    assert "imported 6, skipped 0" in mails.stdout
    probes = pw("import", "probes", raw / "uptimerobot.json", "--case", folder, "--format", "uptimerobot", "--incident", "ST-1")
    assert "imported 6, skipped 0" in probes.stdout
    stored = [json.loads(line) for line in (folder / "events" / "probes.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {p["data"]["check"] for p in stored if p["service"].startswith("mail.")} == {"smtp"}
    assert all(p["data"]["state_change"] is True for p in stored)
    status = pw("import", "statuspage", raw / "incidents.json", "--case", folder, "--incident", "ST-1",
                "--component", "Webhosting=www.zahnarzt-mohr.de", "--component", "E-Mail=mail.zahnarzt-mohr.de")
    assert "imported 3, skipped 0" in status.stdout and "statuspage-component-unmapped" not in status.stderr
    run = pw("check", folder, "-f", "json")
    assert run.returncode == 1, run.stderr
    found = json.loads(run.stdout)["violations"]
    assert {v["rule"] for v in found} == {"missed-update", "unverified-resolution-claim", "false-resolution-claim",
                                          "availability-breach"}
    # the website's "wieder erreichbar" at 12:40 is about the website, which was back: no claim about mail
    assert {v["services"][0] for v in found if v["rule"].endswith("resolution-claim")} == {"mail.zahnarzt-mohr.de"}


def test_unmapped_status_page_components_are_named_with_the_option_that_maps_them(tmp_path):
    raw = ROOT / "tests" / "data" / "raw-praxis"
    folder = _raw_case(tmp_path, raw, "hosting-de")
    status = pw("import", "statuspage", raw / "incidents.json", "--case", folder)
    assert status.returncode == 0 and "imported 3" in status.stdout
    said = " ".join(status.stderr.split())
    assert "statuspage-component-unmapped" in said and "--component 'E-Mail=SERVICE'" in said and "import again" in said
    bad = pw("import", "statuspage", raw / "incidents.json", "--case", folder, "--component", "E-Mail")
    assert bad.returncode == 2 and "NAME=SERVICE" in bad.stderr


def test_an_english_case_from_eml_files_pingdom_and_a_phone_note_across_the_clocks_going_back(tmp_path):
    """A dev story from raw evidence (docs/stories.md): .eml files, one Windows-1252 with an HTML
    alternative and a typographic apostrophe ("We’re sorry"), a forward from an unknown sender,
    Pingdom results every five minutes, a phone note in local time; a promise of "2am" on the night
    the clocks go back."""
    raw = ROOT / "tests" / "data" / "raw-bakery"
    folder = _raw_case(tmp_path, raw, "hosting-en")
    shutil.copyfile(raw / "phone.yaml", folder / "events" / "phone.yaml")
    mails = pw("import", "mail", raw / "mails", "--case", folder, "--vendor-domain", "hostwave.example",
               "--customer-domain", "bakery-lane.example", "--incident", "HW-1")
    assert "imported 6, skipped 0" in mails.stdout and "mail-unknown-sender" in mails.stderr
    probes = pw("import", "probes", raw / "pingdom.json", "--case", folder, "--format", "pingdom",
                "--service", "www.bakery-lane.example", "--incident", "HW-1")
    assert "imported 169, skipped 0" in probes.stdout
    run = pw("check", folder, "-f", "json")
    assert run.returncode == 1, run.stderr
    assert {v["rule"] for v in json.loads(run.stdout)["violations"]} == {
        "missed-commitment", "false-resolution-claim", "unverified-resolution-claim", "availability-breach", "no-compensation"}


def test_a_german_excel_export_imports_as_written(tmp_path, case):
    """Excel in German-speaking countries saves ';'-separated Windows-1252 with day-first local times
    and its own words for the states; every row comes in, in the contract's zone."""
    export = tmp_path / "Überwachung.csv"
    export.write_bytes("Zeitpunkt;Dienst;Status;Prüfung;Meldung\n"
                       "15.06.2026 08:00;www.praxis.ch;OK;https;200\n"
                       "15.06.2026 08:05:30;www.praxis.ch;Fehler;https;Zeitüberschreitung\n"
                       "15.06.2026 09:30;www.praxis.ch;nicht erreichbar;https;\n".encode("cp1252"))
    run = pw("import", "probes", export, "--case", case, "--map", "Zeitpunkt=timestamp", "--map", "Dienst=service",
             "--map", "Status=up", "--map", "Prüfung=check", "--map", "Meldung=detail")
    assert "imported 3, skipped 0" in run.stdout, run.stderr
    rows = [json.loads(line) for line in (case / "events" / "probes.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["at"], r["data"]["up"]) for r in rows] == [
        ("2026-06-15T08:00:00+02:00", True), ("2026-06-15T08:05:30+02:00", False), ("2026-06-15T09:30:00+02:00", False)]
    assert rows[1]["data"]["detail"] == "Zeitüberschreitung"
