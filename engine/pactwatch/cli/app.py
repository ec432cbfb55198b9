"""The typer application, its sub-commands and what every command shares."""

from __future__ import annotations

import io
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, BinaryIO, NoReturn, TextIO

import typer
from rich.console import Console
from rich.markup import escape

from .._files import write_atomically
from .._version import __version__
from ..errors import PactwatchError, Problem
from . import _help

EXIT_OK, EXIT_VIOLATIONS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

_help.install()
app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="pactwatch: hold vendors to their contracts.")


def _group(name: str, help: str) -> typer.Typer:
    """A sub-command group (``pactwatch NAME …``)."""
    group = typer.Typer(no_args_is_help=True, help=help)
    app.add_typer(group, name=name)
    return group


rules_app = _group("rules", "Inspect the rule library.")
policy_app = _group("policy", "Gherkin feature files as living policy.")
contract_app = _group("contract", "Contracts: start one from a template.")
lexicon_app = _group("lexicon", "Message-analysis lexicons.")
case_app = _group("case", "Case folders: contract, events and evidence together.")
import_app = _group("import", "Import evidence into a case folder.")

err = Console(stderr=True, highlight=False, soft_wrap=True)
CaseOpt = Annotated[Path, typer.Option("--case", help="The case folder (see 'pactwatch case init').")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Stop with exit 2 at the first item that cannot be imported.")]


class Language(str, Enum):
    de = "de"
    en = "en"


RulesOpt = Annotated[Path | None, typer.Option("--rules", help="Rule library directory (default: the bundled one).")]
LexiconOpt = Annotated[list[Path] | None, typer.Option("--lexicon", metavar="FILE", help="Extra lexicon file(s) with your own phrases (see docs/message-analysis.md).")]


def _fail(problems: list[Problem]) -> NoReturn:
    for p in problems:
        err.print(f"[red]error[/]: {escape(str(p))}")
    raise typer.Exit(EXIT_INPUT)


def _expand_cases(args: list[str], contract: Path | None) -> tuple[list[str | Path], Path]:
    """Case folders become their event files; their contract is used unless --contract is given."""
    from ..importers.casefolder import CaseFolder, is_case_folder

    sources: list[str | Path] = []
    for arg in args:
        path = Path(arg)
        if arg != "-" and is_case_folder(path):
            case = CaseFolder(path)
            sources += case.event_files()
            contract = contract or case.contract
        elif arg != "-" and path.is_dir():
            raise PactwatchError(not_a_case_folder(path))
        else:
            sources.append(arg)
    if contract is None:
        raise PactwatchError(Problem("usage", "no contract: pass --contract FILE or a case folder"))
    return sources, contract


def not_a_case_folder(path: Path) -> Problem:
    """What a folder lacks to be a case folder (contract.yaml and events/)."""
    missing = [name for name, ok in (("contract.yaml", (path / "contract.yaml").is_file()),
                                     ("events/", (path / "events").is_dir())) if not ok]
    return Problem("not-a-case-folder", f"is a folder but not a case folder: it has no {' and no '.join(missing)} "
                   "(create one with 'pactwatch case init', or pass event files)", file=str(path))


def _case_annotations(args: list[str]) -> dict[str, list[Any]]:
    """The reviewers' readings (``annotations.yaml``) of the case folders among the arguments."""
    from ..enrich.review import ANNOTATIONS_FILE, load_annotations
    from ..importers.casefolder import is_case_folder

    merged: dict[str, list[Any]] = {}
    for arg in args:
        if arg != "-" and is_case_folder(Path(arg)):
            for event, items in load_annotations(Path(arg) / ANNOTATIONS_FILE).items():
                merged.setdefault(event, []).extend(items)
    return merged


AsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", help="Evaluate as of this instant (RFC 3339, or a local time in the contract's timezone): "
                    "deadlines up to it are decided, later events are not yet known.")]


def parse_as_of(value: str | None, timezone: str) -> float | None:
    """The --as-of instant in epoch seconds; a time without offset is in the contract's timezone."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise PactwatchError(Problem("usage", f"--as-of {value!r} is not a date and time (e.g. 2026-03-20T12:00 or "
                                     "2026-03-20T12:00:00+01:00)")) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment.timestamp()


def _size(value: str | None) -> int | None:
    from ..evaluation.memory import parse_size

    if value is None:
        return None
    try:
        return parse_size(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


MaxMemoryOpt = Annotated[int | None, typer.Option(
    "--max-memory", metavar="SIZE", parser=_size,
    help="Stop with exit 2 (and the number of open cases) when the run needs more memory than this, e.g. 2G "
         "(default: 90 % of what the process may use).")]


def default_workers() -> int:
    """One worker per core this process may use."""
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


WorkersOpt = Annotated[int | None, typer.Option(
    "--workers", "-j", min=0, metavar="N",
    help="Evaluate cases in N worker processes, one case at a time each (default: one per core). "
         "0 evaluates in this process, all cases interleaved. The report is the same either way.")]

SpillDirOpt = Annotated[Path | None, typer.Option(
    "--spill-dir", metavar="DIR",
    help="Where workers' events are grouped by case on disk (default: the system's temporary directory).")]


AllowVendorOpt = Annotated[bool, typer.Option(
    "--allow-vendor-mismatch", help="Evaluate events of another vendor than the contract's (normally an error).")]


class VendorGuard:
    """Passes the event stream through and remembers vendors the contract does not name.

    A contract applied to another vendor's events accuses the wrong party; the command
    stops with exit 2 after reading (so every mismatch is named), unless allowed.
    """

    def __init__(self, stream: Iterable[Any], vendor: str):
        self.stream = stream
        self.vendor = vendor
        self.others: Counter[str] = Counter()  # vendor → events naming it
        self.first: dict[str, str] = {}  # vendor → the first of them
        #: per vendor: events that name no incident (and the first of them), and the incidents named
        self.loose: Counter[str] = Counter()
        self.first_loose: dict[str, str] = {}
        self.incidents: dict[str, set[str]] = {}

    def __iter__(self) -> Iterator[Any]:
        for item in self.stream:
            event = item[2]
            if event.vendor and event.vendor != self.vendor:
                self.others[event.vendor] += 1
                self.first.setdefault(event.vendor, event.id or "?")
            if event.vendor:
                if event.incident:
                    self.incidents.setdefault(event.vendor, set()).add(event.incident)
                else:
                    self.loose[event.vendor] += 1
                    self.first_loose.setdefault(event.vendor, event.id or "?")
            yield item

    def notes(self) -> list[str]:
        """Events without an incident beside events with one: a case of their own, which the
        rules of the other cases do not see (a phone note without the case's incident id, probes
        exported without it). Said, not changed: the input may mean it."""
        out = []
        for vendor, n in sorted(self.loose.items()):
            named = sorted(self.incidents.get(vendor, ()))
            if named:
                shown = ", ".join(named[:3]) + (", …" if len(named) > 3 else "")
                out.append(f"{n} event(s) of vendor {vendor!r} name no incident (first: {self.first_loose[vendor]}), while "
                           f"others name {shown}: they are evaluated as a case of their own, and the rules of the other "
                           f"cases do not see them; give them `incident:` if they belong to one")
        return out

    def problems(self, contract_file: Path) -> list[Problem]:
        from .._yaml import load_yaml

        line = load_yaml(contract_file).line_of(("vendor",))
        return [Problem("vendor-mismatch", f"{n} event(s) (first: {self.first[other]}) name vendor {other!r}, but the contract is "
                        f"with {self.vendor!r}; fix the contract's vendor, or pass --allow-vendor-mismatch",
                        file=str(contract_file), line=line, field="vendor")
                for other, n in sorted(self.others.items())]


@app.callback(invoke_without_command=True)
def _main(version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False) -> None:
    if version:
        typer.echo(f"pactwatch {__version__}")
        raise typer.Exit(EXIT_OK)


def emit(text: str | bytes | Callable[[TextIO], None], output: Path | None, inputs: Iterable[str | Path] = ()) -> None:
    """Write a rendered result to the file asked for (and say so on stderr), or to stdout.

    An output that is one of the inputs is refused: overwriting the evidence with its report
    loses it. The file is written next to its final name and moved into place, so a full
    disk or a signal never leaves half a report under that name. ``text`` may be a function
    that writes the text to a stream: a report kept on disk is written a finding at a time.
    """
    if output is None:
        if isinstance(text, bytes):  # a PDF: to a pipe or file, never into a terminal
            if sys.stdout.isatty():
                _fail([Problem("usage", "PDF is binary: write it with --output FILE (or redirect stdout)")])
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
            return
        if callable(text):
            text(sys.stdout)
        else:
            sys.stdout.write(text)
        return
    target = output.resolve()
    if any(str(i) != "-" and Path(i).resolve() == target for i in inputs):
        _fail([Problem("output-is-input", "would overwrite an input; choose another --output", file=str(output))])
    if output.is_dir():
        _fail([Problem("output-not-writable", "is a folder; --output needs a file name", file=str(output))])
    if not target.parent.is_dir():
        _fail([Problem("output-not-writable", f"the folder {target.parent} does not exist", file=str(output))])
    try:
        write_atomically(target, _in_text(text) if callable(text) else
                         text if isinstance(text, bytes) else text.encode("utf-8"))
    except OSError as exc:
        _fail([Problem("output-not-writable", exc.strerror or str(exc), file=str(output))])
    err.print(f"wrote {escape(str(output))}")


def _in_text(write: Callable[[TextIO], None]) -> Callable[[BinaryIO], None]:
    """A text writer as a writer of the UTF-8 bytes (the file stays open for the atomic rename)."""
    def to_bytes(handle: BinaryIO) -> None:
        wrapper = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        write(wrapper)
        wrapper.flush()
        wrapper.detach()

    return to_bytes
