"""Case folders are transactional: imports take turns, and a full disk or kill -9 never leaves a broken case."""

import errno
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import ROOT, pw

from pactwatch.errors import PactwatchError
from pactwatch.importers import CaseFolder
from pactwatch.importers.probes import import_probes

ROWS = 20_000


@pytest.fixture
def case(tmp_path):
    folder = tmp_path / "case"
    assert pw("case", "init", folder, "--template", "hosting-de").returncode == 0
    return folder


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "checks.csv"
    rows = [f"2026-03-{2 + i // 1440:02d}T{(i // 60) % 24:02d}:{i % 60:02d}:00+01:00,www.kunde-a.de,{'up' if i % 7 else 'down'}"
            for i in range(ROWS)]
    path.write_text("timestamp,service,up\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _lines(case):
    """Every line of every events file, parsed: a half-written line fails here."""
    return [json.loads(line) for f in sorted((case / "events").glob("*.jsonl"))
            for line in f.read_text(encoding="utf-8").splitlines()]


def test_a_second_writer_waits_for_the_lock_and_then_gives_up_with_a_reason(case):
    with CaseFolder(case).locked():
        with pytest.raises(PactwatchError) as caught:
            with CaseFolder(case).locked(wait=0.2):
                pass
    assert caught.value.problems[0].code == "case-locked"
    with CaseFolder(case).locked(wait=0):  # released
        pass


def test_parallel_imports_of_the_same_export_store_each_event_once(case, export):
    command = [sys.executable, "-m", "pactwatch.cli", "import", "probes", str(export), "--case", str(case)]
    runs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(3)]
    outputs = [r.communicate(timeout=300) for r in runs]
    assert [r.returncode for r in runs] == [0, 0, 0], outputs
    ids = [e["id"] for e in _lines(case)]
    assert len(ids) == len(set(ids)) == ROWS
    assert sorted(out for out, _ in outputs)[0].startswith("imported 0") and any(f"imported {ROWS}" in o for o, _ in outputs)


def test_a_full_disk_leaves_the_case_as_it_was_and_the_next_import_works(case, export, monkeypatch):
    import pactwatch._files as files

    real_open = open

    class _Full:
        def __init__(self, path, mode):
            self.handle = real_open(path, mode)

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

    folder = CaseFolder(case)
    first = import_probes(export, folder, vendor="v", tz="Europe/Berlin")
    before = (case / "events" / "probes.jsonl").read_bytes()
    more = export.with_name("more.csv")
    more.write_text("timestamp,service,up\n2026-04-01T08:00:00+02:00,mail.kunde-a.de,down\n", encoding="utf-8")

    monkeypatch.setattr(files, "open", _Full, raising=False)
    with pytest.raises(PactwatchError) as caught:
        import_probes(more, folder, vendor="v", tz="Europe/Berlin")
    assert caught.value.problems[0].code == "case-unwritable" and "No space left" in caught.value.problems[0].message
    assert (case / "events" / "probes.jsonl").read_bytes() == before
    assert not list(case.rglob("*.pactwatch-tmp"))

    monkeypatch.undo()
    again = import_probes(more, folder, vendor="v", tz="Europe/Berlin")
    assert (first.imported, again.imported) == (ROWS, 1) and len(_lines(case)) == ROWS + 1


@pytest.mark.slow
def test_kill_9_at_any_moment_leaves_an_importable_case(case, export):
    command = [sys.executable, "-m", "pactwatch.cli", "import", "probes", str(export), "--case", str(case)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "engine")}
    for delay in (0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.2, 2.6, 3.0):
        run = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        run.send_signal(signal.SIGKILL)
        run.wait()
        lines = _lines(case)  # whole lines only, whatever the moment
        assert len(lines) in (0, ROWS)
    final = pw("import", "probes", export, "--case", case)
    assert final.returncode == 0, final.stderr
    assert len(_lines(case)) == ROWS and not list(case.rglob("*.pactwatch-tmp"))
    assert pw("check", case).returncode in (0, 1)


def test_a_read_only_case_folder_is_a_clear_error_and_nothing_changes(case, export, monkeypatch):
    """Simulated (the tests may run as root, for whom chmod changes nothing): every write is refused."""
    import pactwatch._files as files

    def refuse(path, mode="r", *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    before = sorted(p.name for p in case.rglob("*"))
    monkeypatch.setattr(files, "open", refuse, raising=False)
    with pytest.raises(PactwatchError) as caught:
        import_probes(export, CaseFolder(case), vendor="v", tz="Europe/Berlin")
    assert caught.value.problems[0].code == "case-unwritable" and "Permission denied" in caught.value.problems[0].message
    assert sorted(p.name for p in case.rglob("*") if p.name != ".pactwatch.lock") == before
