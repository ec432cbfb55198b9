"""Case folders: a contract, event files, and the raw evidence they came from.

    DIR/contract.yaml      the contract (from a template)
    DIR/events/*.jsonl     events (JSON Lines; imported files land here)
    DIR/events/*.yaml      hand-written timelines (times may omit the offset: contract time)
    DIR/evidence/          raw files as they came (mails, exports), never changed
    DIR/annotations.yaml   sentences a reviewer read (pactwatch review), optional
    DIR/README.md          what goes where, in the user's language
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import i18n
from .._files import write_atomically
from ..errors import PactwatchError, Problem
from ..policy.templates import template_path
from .result import ImportResult

__all__ = ["CaseFolder", "init_case", "open_case", "is_case_folder", "LOCK_FILE", "LOCK_WAIT_SECONDS"]

#: Imports into one case folder take turns on this file (``fcntl.flock``), so two imports of
#: the same mailbox never both decide that an id is new.
LOCK_FILE = ".pactwatch.lock"
LOCK_WAIT_SECONDS = 60.0

@dataclass(frozen=True)
class CaseFolder:
    root: Path

    @property
    def contract(self) -> Path:
        return self.root / "contract.yaml"

    @property
    def events_dir(self) -> Path:
        return self.root / "events"

    @property
    def evidence_dir(self) -> Path:
        return self.root / "evidence"

    def event_files(self) -> list[Path]:
        """The event files, refusing any that a symlink takes outside the case folder (the case is what is in it)."""
        files = [p for p in self.events_dir.iterdir() if p.suffix.lower() in (".jsonl", ".ndjson", ".json", ".yaml", ".yml")]
        root = self.root.resolve()
        for path in [*files, self.contract]:
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                raise PactwatchError(Problem("case-symlink", "a symlink that leads outside the case folder; copy the file "
                                             "into the case instead", file=str(path)))
        return sorted(files)

    def _inside(self, target: Path) -> Path:
        """A path to write to, refused if a symlink would take the write outside the case folder."""
        root = self.root.resolve()
        resolved = target.resolve()
        if target.is_symlink() or not resolved.is_relative_to(root):
            raise PactwatchError(Problem("case-symlink", "leads outside the case folder (a symlink?); imports only "
                                         "write inside it", file=str(target)))
        return resolved

    @contextlib.contextmanager
    def locked(self, wait: float | None = None) -> Iterator[None]:
        """Hold the case's write lock; another process waits up to ``wait`` seconds, then gives up (exit 2)."""
        path = self._inside(self.root / LOCK_FILE)
        try:
            handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        except OSError as exc:
            raise PactwatchError(Problem("case-unwritable", f"cannot create the lock file: {exc.strerror or exc}",
                                         file=str(path))) from None
        try:
            deadline = time.monotonic() + (LOCK_WAIT_SECONDS if wait is None else wait)
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise PactwatchError(Problem("case-locked", "another import into this case folder is still "
                                                     "running; try again when it has finished", file=str(self.root))) from None
                    time.sleep(0.05)
            yield
        finally:
            os.close(handle)  # closing releases the lock

    @staticmethod
    def _sweep(folder: Path) -> None:
        """Remove what a writer killed mid-write left beside its target (writers hold the lock while writing)."""
        if folder.is_dir() and not folder.is_symlink():
            for temp in folder.glob(".*.pactwatch-tmp"):
                if temp.is_file() and not temp.is_symlink():
                    temp.unlink(missing_ok=True)

    def keep_evidence(self, source: Path, subdir: str) -> Path:
        """Copy a raw file into evidence/ unchanged.

        The same file again is the same evidence (kept once); another file with the same name
        (from another folder) is kept beside it under its content hash, never dropped.
        """
        data = source.read_bytes()
        target = self._inside(self.evidence_dir / subdir / source.name)
        with self.locked():
            self._sweep(target.parent)
            if target.exists() and target.read_bytes() != data:
                digest = hashlib.sha256(data).hexdigest()[:12]
                target = self._inside(target.with_name(f"{target.stem}-{digest}{target.suffix}"))
            if not target.exists():
                _write_atomically(target, data)
        return target

    def existing_ids(self, name: str) -> set[str]:
        path = self.events_dir / name
        if not path.is_file():
            return set()
        ids = set()
        for line in path.read_text(encoding="utf-8-sig").splitlines():
            try:
                record = json.loads(line) if line.strip() else None
            except json.JSONDecodeError:
                continue  # a damaged line: 'check' reports it with its line number
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                ids.add(record["id"])
        return ids

    def store(self, name: str, events: list[dict[str, Any]], result: ImportResult, incident: str | None = None) -> ImportResult:
        """Write imported events (with the case id, if given) and count new ones and duplicates."""
        if incident:
            events = [dict(e, incident=incident) for e in events]
        written = self.append(name, events)
        result.imported += written
        result.duplicates += len(events) - written
        return result

    def append(self, name: str, events: list[dict[str, Any]]) -> int:
        """Add events to events/NAME (JSON Lines), skipping ids already there; returns how many were new.

        The file is rewritten beside itself and moved into place: a full disk or a signal
        leaves the old file whole, never half a line that would break every later import.
        """
        target = self._inside(self.events_dir / name)
        with self.locked():
            self._sweep(target.parent)
            known = self.existing_ids(name)
            fresh = [e for e in events if e["id"] not in known]
            if fresh:
                old = target.read_bytes() if target.exists() else b""
                if old and not old.endswith(b"\n"):
                    old += b"\n"
                new = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n"
                              for e in sorted(fresh, key=lambda e: (e["at"], e["id"])))
                _write_atomically(target, old + new.encode("utf-8"))
        return len(fresh)


def _write_atomically(target: Path, data: bytes) -> None:
    created = not target.parent.exists()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data)
    except OSError as exc:
        if created:  # leave the folder as it was: no empty evidence/monitoring/ from a failed import
            with contextlib.suppress(OSError):
                target.parent.rmdir()
        raise PactwatchError(Problem("case-unwritable", f"cannot write: {exc.strerror or exc}", file=str(target))) from None


def is_case_folder(path: Path) -> bool:
    return path.is_dir() and (path / "contract.yaml").is_file() and (path / "events").is_dir()


def init_case(root: Path, template: str = "hosting-de", language: str | None = None) -> CaseFolder:
    if root.exists() and any(root.iterdir()):
        raise PactwatchError(Problem("case-exists", "folder exists and is not empty", file=str(root)))
    source = template_path(template)
    lang = language or ("de" if template.endswith("-de") else "en")
    case = CaseFolder(root)
    case.events_dir.mkdir(parents=True)
    case.evidence_dir.mkdir()
    shutil.copyfile(source, case.contract)
    (root / "README.md").write_text(i18n.text(lang, "casefolder.readme"), encoding="utf-8")
    return case


def open_case(root: Path) -> CaseFolder:
    if not is_case_folder(root):
        raise PactwatchError(Problem("case-not-found", "not a case folder (needs contract.yaml and events/); "
                                     "create one with 'pactwatch case init'", file=str(root)))
    return CaseFolder(root)
