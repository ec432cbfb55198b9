"""Commands for case folders and importing evidence into them."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from ..contracts import load_contract
from ..errors import PactwatchError, Problem
from ..rules import load_rules
from .app import (
    CaseOpt,
    Language,
    StrictOpt,
    _fail,
    case_app,
    err,
    import_app,
)

if TYPE_CHECKING:
    from ..importers.casefolder import CaseFolder
    from ..importers.result import ImportResult
    from ..models.contract import Contract


@case_app.command("init")
def case_init(
    directory: Annotated[Path, typer.Argument(help="New (or empty) folder for the case.")],
    template: Annotated[str, typer.Option("--template", "-t", help="Contract template.")] = "hosting-de",
    lang: Annotated[Language | None, typer.Option("--lang", help="Language of the folder's README.")] = None,
) -> None:
    """Create a case folder: contract.yaml, events/, evidence/ and a README."""
    from ..importers import init_case

    try:
        init_case(directory, template, lang.value if lang else None)
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    err.print(f"created case folder {escape(str(directory))} (contract from template {template})")


def _finish_import(result: ImportResult, inputs: list[Path]) -> None:
    """Report what was imported; an import that took in nothing new and skipped items exits 2."""
    for p in result.notes:
        err.print(f"[yellow]note[/] {escape(str(p))}")
    for p in result.skipped:
        err.print(f"[magenta]skipped[/] {escape(str(p))}")
    Console(highlight=False).print(result.line())
    if result.imported == 0 and not result.duplicates:
        reason = ("every item was skipped (reasons above)" if result.skipped else "the file held nothing to import")
        _fail([Problem("import-empty", f"nothing was imported: {reason}", file=", ".join(map(str, inputs)))])


def _case_and_vendor(case_dir: Path, vendor: str | None) -> tuple[CaseFolder, Contract, str]:
    from ..importers import open_case

    case = open_case(case_dir)
    contract = load_contract(case.contract, load_rules().concepts)
    return case, contract, vendor or contract.vendor


def _pairs(items: list[str] | None, allowed: tuple[str, ...], option: str, key: str) -> dict[str, str]:
    """``KEY=VALUE`` options, each VALUE one of ``allowed``."""
    out = {}
    for item in items or []:
        name, _, value = item.partition("=")
        if value not in allowed:
            raise PactwatchError(Problem("usage", f"{option} {item!r}: write {key}=VALUE, VALUE one of {', '.join(allowed)}"))
        out[name] = value
    return out


@import_app.command("mail")
def import_mail_cmd(
    sources: Annotated[list[Path], typer.Argument(metavar="MAIL...", help=".eml files, folders of them, or mbox files.")],
    case: CaseOpt,
    vendor_domain: Annotated[list[str], typer.Option("--vendor-domain", metavar="DOMAIN", help="Mail domain(s) of the vendor.")],
    customer_domain: Annotated[list[str] | None, typer.Option("--customer-domain", metavar="DOMAIN", help="Mail domain(s) of the customer.")] = None,
    vendor: Annotated[str | None, typer.Option("--vendor", help="Vendor name in the events (default: the contract's).")] = None,
    incident: Annotated[str | None, typer.Option("--incident", help="Case id for the imported events.")] = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", metavar="MESSAGE-ID=KIND", help="Override: MESSAGE-ID=complaint|reply|update|notice|other.")] = None,
    strict: StrictOpt = False,
) -> None:
    """Import mails as message.sent events (threading, quoting, encodings handled)."""
    from ..importers import ImportResult
    from ..importers.mail import KINDS, import_mail

    try:
        the_case, _, vendor_name = _case_and_vendor(case, vendor)
        overrides = {mid.strip().strip("<>"): value for mid, value in _pairs(kind, KINDS, "--kind", "MESSAGE-ID").items()}
        result = import_mail(sources, the_case, vendor=vendor_name, vendor_domains=[d.lower() for d in vendor_domain],
                             customer_domains=[d.lower() for d in customer_domain or []], incident=incident,
                             kinds=overrides, result=ImportResult(strict=strict))
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    _finish_import(result, sources)


class ProbeFormat(str, Enum):
    generic = "generic"
    uptimerobot = "uptimerobot"
    pingdom = "pingdom"


@import_app.command("probes")
def import_probes_cmd(
    export: Annotated[Path, typer.Argument(help="Monitoring export: CSV or JSON.")],
    case: CaseOpt,
    fmt: Annotated[ProbeFormat, typer.Option("--format", help="generic (with --map) or a preset.")] = ProbeFormat.generic,
    mapping: Annotated[list[str] | None, typer.Option("--map", metavar="COLUMN=FIELD", help="COLUMN=FIELD, FIELD one of timestamp, service, up, check, detail.")] = None,
    service: Annotated[str | None, typer.Option("--service", help="Service for rows that name none.")] = None,
    check: Annotated[str, typer.Option("--check", help="Check kind for rows that name none.")] = "https",
    collapse: Annotated[bool, typer.Option("--collapse", help="Keep only changes of state per service and check.")] = False,
    timezone: Annotated[str | None, typer.Option("--timezone", help="Zone of timestamps without offset (default: the contract's).")] = None,
    vendor: Annotated[str | None, typer.Option("--vendor")] = None,
    incident: Annotated[str | None, typer.Option("--incident")] = None,
    strict: StrictOpt = False,
) -> None:
    """Import uptime checks as probe events."""
    from ..importers import ImportResult
    from ..importers.probes import FIELDS, import_probes

    try:
        the_case, contract, vendor_name = _case_and_vendor(case, vendor)
        pairs = _pairs(mapping, FIELDS, "--map", "COLUMN")
        result = import_probes(export, the_case, vendor=vendor_name, tz=timezone or contract.timezone, preset=fmt.value,
                               mapping=pairs, service=service, check=check, collapse=collapse, incident=incident,
                               result=ImportResult(strict=strict))
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    _finish_import(result, [export])


@import_app.command("statuspage")
def import_statuspage_cmd(
    export: Annotated[Path, typer.Argument(help="incidents.json saved from the status page.")],
    case: CaseOpt,
    component: Annotated[list[str] | None, typer.Option(
        "--component", metavar="NAME=SERVICE[,SERVICE…]",
        help="The contract's services a status-page component stands for, e.g. 'E-Mail=mail.kunde.de'.")] = None,
    vendor: Annotated[str | None, typer.Option("--vendor")] = None,
    incident: Annotated[str | None, typer.Option("--incident")] = None,
    strict: StrictOpt = False,
) -> None:
    """Import status-page incident updates as status.claimed events."""
    from ..importers import ImportResult
    from ..importers.statuspage import import_statuspage

    try:
        the_case, contract, vendor_name = _case_and_vendor(case, vendor)
        mapped: dict[str, list[str]] = {}
        for item in component or []:
            name, _, services = item.partition("=")
            listed = [s.strip() for s in services.split(",") if s.strip()]
            if not name.strip() or not listed:
                raise PactwatchError(Problem("usage", f"--component {item!r}: write NAME=SERVICE (several: NAME=SERVICE,SERVICE)"))
            mapped[name.strip()] = listed
        result = import_statuspage(export, the_case, vendor=vendor_name, incident=incident, components=mapped,
                                   services=contract.services, result=ImportResult(strict=strict))
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    _finish_import(result, [export])
