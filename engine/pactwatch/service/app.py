"""The HTTP API (FastAPI): contracts, cases, events and reports of one organisation per token.

Every ``/v1`` route needs ``Authorization: Bearer TOKEN``; a token sees only its
organisation's contracts and cases, and another organisation's case is "not found" (404),
never "forbidden" (403), so its existence is not disclosed. Errors are RFC 9457 problem
details carrying the CLI's problem codes, files, lines and fields. Reports are evaluated from
the stored events on each request, so they are always current; deadlines are decided as of the
request unless ``as_of`` is given.
"""

from __future__ import annotations

import re
import sys
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date as _date
from typing import Annotated, Any

import orjson
from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from .._version import __version__
from ..audit import audit_logger
from ..enrich.review import parse_annotations
from ..errors import PactwatchError, Problem
from ..models import Contract, Report
from ..remedies.waivers import is_active
from ..reports import DETAILED, RENDERERS
from ..reports.letter import render_letter
from ..reports.pdf import to_pdf
from ..rules import RuleLibrary, load_rules
from .cases import case_report, case_review, contract_report, parse_contract, parse_events, stored_annotations
from .evidence import EvidenceOptions, import_evidence, parse_options
from .problems import ApiProblem
from .store import Conflict, Store, StoredCase, StoredContract
from .tokens import Principal, verify_token
from .web import CaseApi, mount_web, problem_page

__all__ = ["Settings", "create_app"]

_MEDIA = {"json": "application/json", "md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
          "csv": "text/csv; charset=utf-8", "text": "text/plain; charset=utf-8", "pdf": "application/pdf"}
_NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$"


@dataclass(frozen=True)
class Settings:
    #: largest request body accepted (413 above it)
    max_body: int = 10 * 2**20
    #: requests per token and minute (429 above it, with Retry-After)
    rate_per_minute: int = 600


def _problem_response(status: int, title: str, detail: str, problems: list[Problem], request_id: str,
                      headers: dict[str, str] | None = None) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail,
                            "request_id": request_id}
    if problems:
        body["code"] = problems[0].code
        body["problems"] = [p.as_dict() for p in problems]
    return Response(orjson.dumps(body), status_code=status, media_type="application/problem+json",
                    headers={**(headers or {}), "X-Request-Id": request_id})


class _RateLimiter:
    """A token bucket per API token: ``rate`` requests a minute, bursts up to that many."""

    def __init__(self, rate: int):
        self.rate = rate
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def wait_time(self, key: str) -> float:
        """0 if the request may pass (and is counted), else the seconds until it may."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.rate), now))
            tokens = min(float(self.rate), tokens + (now - last) * self.rate / 60)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                return (1 - tokens) * 60 / self.rate
            self._buckets[key] = (tokens - 1, now)
            return 0.0


class ContractInfo(BaseModel):
    name: str
    sha256: str
    vendor: str
    created: str


class CaseIn(BaseModel):
    name: str = Field(pattern=_NAME, description="the case's name, unique in the organisation")
    contract: str = Field(description="name of an uploaded contract")
    title: str | None = Field(default=None, max_length=500)


class CaseInfo(BaseModel):
    name: str
    contract: str
    title: str | None
    events: int
    created: str


class Imported(BaseModel):
    stored: int = Field(description="events stored by this upload")
    unchanged: int = Field(description="events of the upload already stored (sent before)")
    events: int = Field(description="events in the case now")
    skipped: list[dict[str, Any]] = Field(description="items the importer could not read, each with its reason")
    notes: list[dict[str, Any]] = Field(description="imported, but worth knowing (e.g. a date taken from Received)")


class Reading(BaseModel):
    key: str = Field(description="EVENT#N: the N-th sentence of the event's text")
    event: str
    start: int = Field(description="the sentence's span in the event's text (what an annotation names)")
    end: int
    sentence: str
    reading: list[str] = Field(description="the categories the model reads in it")
    close: dict[str, float] = Field(description="categories within the review margin of their threshold: probability")
    decides: list[str] = Field(description="rules whose findings cite the event")


def _pdf(body: bytes, filename: str) -> Response:
    """A PDF answer, named for saving (case names are restricted to safe characters)."""
    return Response(body, media_type=_MEDIA["pdf"], headers={"Content-Disposition": f'inline; filename="{filename}"'})


class Appended(BaseModel):
    stored: int = Field(description="events stored by this request")
    unchanged: int = Field(description="events already stored with the same content (a retried request)")
    events: int = Field(description="events in the case now")


def _principal(request: Request) -> Principal:
    """The organisation and token a request acts for (401 without a valid token, 429 above the rate)."""
    store: Store = request.app.state.store
    limiter: _RateLimiter = request.app.state.limiter
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    found = verify_token(store, token.strip()) if scheme.lower() == "bearer" else None
    if found is None:
        raise ApiProblem(401, "Unauthorized", "send a valid API token as 'Authorization: Bearer TOKEN' "
                         "(pactwatch tokens create --org NAME)", headers={"WWW-Authenticate": "Bearer"})
    wait = limiter.wait_time(found.token_id)
    if wait:
        raise ApiProblem(429, "Too many requests", f"this token may send {limiter.rate} requests a minute",
                         headers={"Retry-After": str(max(1, round(wait)))})
    return found


Who = Annotated[Principal, Depends(_principal)]


def create_app(store: Store, library: RuleLibrary | None = None, settings: Settings | None = None,
               audit_stream: Any = None) -> FastAPI:
    """The ASGI application over ``store``; ``audit_stream`` receives the structlog audit log."""
    library = library or load_rules()
    settings = settings or Settings()
    audit = audit_logger(audit_stream or sys.stderr)
    limiter = _RateLimiter(settings.rate_per_minute)
    app = FastAPI(title="pactwatch", version=__version__,
                  description="Hold vendors to their contracts: contracts, cases, events and reports over HTTP.")

    @app.middleware("http")
    async def request_id_and_size(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        request.state.request_id = request.headers.get("X-Request-Id") or uuid.uuid4().hex
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > settings.max_body):
            return _problem_response(413, "Request body too large",
                                     f"the body may be at most {settings.max_body} bytes; send events in smaller batches",
                                     [], request.state.request_id)
        response = await call_next(request)
        response.headers["X-Request-Id"] = request.state.request_id
        return response

    @app.exception_handler(ApiProblem)
    async def _api_problem(request: Request, exc: ApiProblem) -> Response:
        if request.url.path.startswith("/ui"):
            return problem_page(exc.status, exc.title, exc.detail, exc.headers)
        return _problem_response(exc.status, exc.title, exc.detail, exc.problems, request.state.request_id, exc.headers)

    @app.exception_handler(PactwatchError)
    async def _input_problem(request: Request, exc: PactwatchError) -> Response:
        if any(p.code == "missing-dependency" for p in exc.problems):  # e.g. PDF without WeasyPrint on this server
            return _problem_response(501, "Not available on this server", exc.problems[0].message, exc.problems,
                                     request.state.request_id)
        return _problem_response(422, "Invalid input", exc.problems[0].message, exc.problems, request.state.request_id)

    @app.exception_handler(RequestValidationError)
    async def _request_problem(request: Request, exc: RequestValidationError) -> Response:
        problems = [Problem("request-invalid", str(e.get("msg", "")), file="request",
                            field=".".join(str(p) for p in e.get("loc", ()))) for e in exc.errors()]
        return _problem_response(422, "Invalid request", problems[0].message if problems else "invalid request",
                                 problems, request.state.request_id)

    @app.exception_handler(StarletteHTTPException)
    async def _http_problem(request: Request, exc: StarletteHTTPException) -> Response:
        return _problem_response(exc.status_code, str(exc.detail), str(exc.detail), [], request.state.request_id)

    app.state.store, app.state.limiter = store, limiter

    def log(request: Request, who: Principal, action: str, **fields: Any) -> None:
        audit.info(action, request_id=request.state.request_id, organisation=who.organisation, token_id=who.token_id,
                   **fields)

    def own_case(who: Principal, name: str) -> StoredCase:
        case = store.case(who.organisation_id, name)
        if case is None:
            raise ApiProblem(404, "Not found", f"no case {name!r}")
        return case

    def evaluated(request: Request, who: Principal, name: str, as_of: str | None, *, detail: bool,
                  lang: str | None = None) -> tuple[Contract, Report]:
        """The case evaluated from its stored events, contract and annotations, as ``check`` would."""
        case = own_case(who, name)
        stored = store.contract_by_pk(case.contract_pk)
        assert stored is not None
        contract = parse_contract(library, f"contracts/{stored.name}", stored.text)
        if lang and lang != contract.language:  # findings worded in the letter's language
            contract = contract.model_copy(update={"language": lang})
        moment = _as_of(as_of, contract.timezone)
        report = case_report(library, contract, f"cases/{name}/events", store.events(case), as_of=moment,
                             detail=detail, annotations=stored_annotations(store, case) or None)
        log(request, who, "service.case_evaluated", case=name, as_of=moment, violations=len(report.violations),
            input_digest=report.input.digest)
        return contract, report

    def append(request: Request, who: Principal, name: str, body: bytes, media: str) -> Appended:
        """Validate and store a batch of events (all or nothing), as the API and the page do."""
        case = own_case(who, name)
        events = parse_events(body, media, f"cases/{name}/events")
        result = store.append(case, events)
        total = store.count_events(case)
        log(request, who, "service.events_appended", case=name, stored=result.stored, unchanged=result.unchanged,
            events=total)
        return Appended(stored=result.stored, unchanged=result.unchanged, events=total)

    def import_upload(request: Request, who: Principal, name: str, kind: str, filename: str | None, body: bytes,
                      options: EvidenceOptions) -> Imported:
        """Evidence through the importers, then stored as a posted batch is: all or nothing."""
        case = own_case(who, name)
        stored_contract = store.contract_by_pk(case.contract_pk)
        assert stored_contract is not None
        contract = parse_contract(library, f"contracts/{stored_contract.name}", stored_contract.text)
        fresh, result = import_evidence(contract, stored_contract.text, store.events(case), kind, filename, body, options)
        if fresh:
            payload = b"".join(orjson.dumps(e) + b"\n" for e in fresh)
            appended = append(request, who, name, payload, "application/x-ndjson")
            stored_now, total = appended.stored, appended.events
        else:
            stored_now, total = 0, store.count_events(case)
        log(request, who, "service.evidence_imported", case=name, kind=kind, stored=stored_now,
            skipped=len(result.skipped))
        return Imported(stored=stored_now, unchanged=result.duplicates, events=total,
                        skipped=[p.as_dict() for p in result.skipped], notes=[p.as_dict() for p in result.notes])

    def case_info(case: StoredCase, contract: str, events: int | None = None) -> CaseInfo:
        return CaseInfo(name=case.name, contract=contract, title=case.title,
                        events=store.count_events(case) if events is None else events, created=case.created.isoformat())

    def conflict(exc: Conflict) -> ApiProblem:
        return ApiProblem(409, "Conflict", str(exc))

    @app.get("/v1/contracts", response_model=list[ContractInfo])
    def list_contracts(who: Who) -> list[ContractInfo]:
        return [_contract_info(c, parse_contract(library, f"contracts/{c.name}", c.text))
                for c in store.contracts(who.organisation_id)]

    @app.put("/v1/contracts/{name}", response_model=ContractInfo, status_code=201,
             openapi_extra={"requestBody": {"required": True, "content": {"application/yaml": {"schema": {"type": "string"}},
                                                                           "application/json": {"schema": {"type": "object"}}}}})
    async def put_contract(name: str, request: Request, who: Who,
                           response: Response) -> ContractInfo:
        """Upload a contract (YAML or JSON), validated as ``pactwatch contract validate`` does."""
        _check_name(name)
        text = _utf8(await request.body(), "the contract")
        contract = await run_in_threadpool(parse_contract, library, f"contracts/{name}", text)
        try:
            row, created = await run_in_threadpool(store.put_contract, who.organisation_id, name, text)
        except Conflict as exc:
            raise conflict(exc) from None
        if not created:
            response.status_code = 200
        log(request, who, "service.contract_stored", contract=name, sha256=row.sha256, created=created)
        return _contract_info(row, contract)

    @app.get("/v1/contracts/{name}")
    def get_contract(name: str, who: Who) -> Response:
        row = store.contract(who.organisation_id, name)
        if row is None:
            raise ApiProblem(404, "Not found", f"no contract {name!r}")
        return Response(row.text, media_type="application/yaml")

    @app.get("/v1/cases", response_model=list[CaseInfo])
    def list_cases(who: Who) -> list[CaseInfo]:
        names = {c.pk: c.name for c in store.contracts(who.organisation_id)}
        return [case_info(c, names[c.contract_pk], n) for c, n in store.cases(who.organisation_id)]

    @app.post("/v1/cases", response_model=CaseInfo, status_code=201)
    def create_case(body: CaseIn, request: Request, who: Who, response: Response) -> CaseInfo:
        contract = store.contract(who.organisation_id, body.contract)
        if contract is None:
            raise ApiProblem(422, "Invalid input", f"no contract {body.contract!r}: upload it first (PUT /v1/contracts/NAME)",
                             [Problem("case-invalid", f"no contract {body.contract!r}", file="request", field="contract")])
        try:
            case, created = store.create_case(who.organisation_id, body.name, contract, body.title)
        except Conflict as exc:
            raise conflict(exc) from None
        if not created:
            response.status_code = 200
        log(request, who, "service.case_created", case=body.name, contract=body.contract, created=created)
        return case_info(case, contract.name)

    @app.get("/v1/cases/{name}", response_model=CaseInfo)
    def get_case(name: str, who: Who) -> CaseInfo:
        case = own_case(who, name)
        contract = store.contract_by_pk(case.contract_pk)
        assert contract is not None
        return case_info(case, contract.name)

    @app.post("/v1/cases/{name}/events", response_model=Appended,
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": {"oneOf": [{"type": "object"}, {"type": "array"}]}},
                  "application/x-ndjson": {"schema": {"type": "string"}}}}})
    async def append_events(name: str, request: Request, who: Who) -> Appended:
        """Append one event, a JSON array of them or JSON Lines; idempotent by event id."""
        media = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
        body = await request.body()
        # validation and the database write block: off the event loop, so other requests go on
        try:
            return await run_in_threadpool(append, request, who, name, body, media)
        except Conflict as exc:
            raise conflict(exc) from None

    @app.post("/v1/cases/{name}/evidence/{kind}", response_model=Imported,
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
    async def upload_evidence(
        name: str, request: Request, who: Who,
        kind: Annotated[str, Path(pattern="^(mail|probes|statuspage)$", description="mail (.eml or mbox), probes "
                                  "(a monitoring export, CSV or JSON) or statuspage (incidents.json)")],
        filename: Annotated[str | None, Query(description="the file's name: its suffix tells .eml from mbox, CSV from JSON")] = None,
        vendor_domain: Annotated[list[str] | None, Query(description="mail: the vendor's mail domain(s)")] = None,
        customer_domain: Annotated[list[str] | None, Query(description="mail: the customer's mail domain(s)")] = None,
        format: Annotated[str, Query(description="probes: generic (with map), uptimerobot or pingdom")] = "generic",
        map: Annotated[list[str] | None, Query(description="probes: COLUMN=FIELD (timestamp, service, up, check, detail)")] = None,
        service: Annotated[str | None, Query(description="probes: the service of rows that name none")] = None,
        check: Annotated[str, Query(description="probes: the check of rows that name none")] = "https",
        collapse: Annotated[bool, Query(description="probes: keep only changes of state")] = False,
        timezone: Annotated[str | None, Query(description="probes: zone of times without offset (default: the contract's)")] = None,
        component: Annotated[list[str] | None, Query(description="statuspage: NAME=SERVICE[,SERVICE]")] = None,
        incident: Annotated[str | None, Query(description="case id for the imported events")] = None,
    ) -> Imported:
        """Evidence files through the same importers as ``pactwatch import``: mail, monitoring exports,
        status pages. The events they yield are validated and stored like a posted batch (all or none;
        a file sent twice adds nothing); what could not be read comes back with its reason."""
        options = parse_options(vendor_domains=vendor_domain or [], customer_domains=customer_domain or [], preset=format,
                                mapping=map or [], service=service, check=check, collapse=collapse, timezone=timezone,
                                components=component or [], incident=incident)
        body = await request.body()
        try:
            return await run_in_threadpool(import_upload, request, who, name, kind, filename, body, options)
        except Conflict as exc:
            raise conflict(exc) from None

    @app.get("/v1/cases/{name}/events")
    def list_events(name: str, who: Who) -> Response:
        """The case's events as JSON Lines, in the order they were stored."""
        rows = store.events(own_case(who, name))
        return Response(b"".join(orjson.dumps(r.body, option=orjson.OPT_SORT_KEYS) + b"\n" for r in rows),
                        media_type="application/x-ndjson")

    @app.get("/v1/cases/{name}/report")
    def get_report(name: str, request: Request, who: Who,
                   format: Annotated[str, Query(pattern="^(json|md|html|csv|text|pdf)$")] = "json",
                   as_of: Annotated[str | None, Query(description="decide deadlines as of this time "
                                                      "(ISO 8601; without offset: the contract's zone); default now")] = None,
                   ) -> Response:
        """The case's report, evaluated from its events now, in any of the CLI's formats (PDF: the HTML
        report typeset, where the server has WeasyPrint; 501 otherwise)."""
        contract, report = evaluated(request, who, name, as_of, detail=format in DETAILED)
        if format == "pdf":
            return _pdf(to_pdf(RENDERERS["html"](report, contract)), f"{name}-report.pdf")
        return Response(RENDERERS[format](report, contract), media_type=_MEDIA[format])

    @app.get("/v1/cases/{name}/readings", response_model=list[Reading])
    def get_readings(name: str, request: Request, who: Who,
                     every: Annotated[bool, Query(alias="all", description="also sentences no finding rests on")] = False,
                     as_of: Annotated[str | None, Query(description="as for the report; default now")] = None,
                     ) -> list[Reading]:
        """The uncertain readings a reviewer should settle (what ``pactwatch review`` and the web page
        list): sentences with a category near the model's threshold, by default only those a finding
        rests on, not yet annotated. Settle them with ``PUT …/annotations``."""
        contract, report = evaluated(request, who, name, as_of, detail=False)
        queue = case_review(library, store, own_case(who, name), contract, report, show_all=every).queue
        return [Reading(key=s.key, event=s.event.id or "", start=s.start, end=s.end, sentence=s.text, reading=s.reading,
                        close={c: round(p, 3) for c, p in sorted(s.close.items())}, decides=list(s.decides))
                for s in queue]

    @app.put("/v1/cases/{name}/annotations",
             openapi_extra={"requestBody": {"required": True, "content": {"application/yaml": {"schema": {"type": "string"}},
                                                                           "application/json": {"schema": {"type": "array"}}}}})
    async def put_annotations(name: str, request: Request, who: Who) -> dict[str, Any]:
        """Replace the case's review annotations (the annotations.yaml format, docs/message-analysis.md):
        the next report reads those sentences as the reviewers said ("confirmed by reviewer")."""
        case = await run_in_threadpool(own_case, who, name)
        text = _utf8(await request.body(), "the annotations")
        found = await run_in_threadpool(parse_annotations, text, f"cases/{name}/annotations")
        digest = await run_in_threadpool(store.put_annotations, case, text)
        count = sum(len(v) for v in found.values())
        log(request, who, "service.annotations_stored", case=name, annotations=count, sha256=digest)
        return {"annotations": count, "sha256": digest}

    @app.get("/v1/cases/{name}/annotations")
    def get_annotations(name: str, who: Who) -> Response:
        return Response(store.annotations(own_case(who, name)) or "[]\n", media_type="application/yaml")

    @app.get("/v1/cases/{name}/letter")
    def get_letter(name: str, request: Request, who: Who,
                   format: Annotated[str, Query(pattern="^(md|html|txt|pdf)$")] = "md",
                   lang: Annotated[str | None, Query(pattern="^(de|en)$", description="default: the contract's")] = None,
                   date: Annotated[str | None, Query(description="date of the letter, YYYY-MM-DD (default: the case end)")] = None,
                   reply_days: Annotated[int, Query(ge=1, le=365)] = 14,
                   as_of: Annotated[str | None, Query(description="as for the report; default now")] = None) -> Response:
        """A formal claim to the vendor from the case's findings, as ``pactwatch letter`` drafts it."""
        try:
            when = _date.fromisoformat(date) if date else None
        except ValueError:
            raise ApiProblem(422, "Invalid input", f"date {date!r} is not YYYY-MM-DD",
                             [Problem("usage", "not YYYY-MM-DD", file="request", field="date")]) from None
        contract, report = evaluated(request, who, name, as_of, detail=True, lang=lang)
        if not any(is_active(v) and v.clauses for v in report.violations):
            raise ApiProblem(404, "Nothing to claim", "no violation of this case is covered by a clause of its contract, "
                             "so there is no letter to draft")
        log(request, who, "service.letter_drafted", case=name, violations=len(report.violations))
        text = render_letter(report, contract, fmt="html" if format == "pdf" else format, letter_date=when,
                             reply_days=reply_days)
        if format == "pdf":
            return _pdf(to_pdf(text), f"{name}-letter.pdf")
        return Response(text, media_type={"md": _MEDIA["md"], "html": _MEDIA["html"], "txt": _MEDIA["text"]}[format])

    @app.get("/v1/scorecard")
    def get_scorecard(request: Request, who: Who,
                      format: Annotated[str, Query(pattern="^(json|md|csv|html)$")] = "json",
                      vendor: Annotated[str | None, Query(description="only this vendor (default: every vendor)")] = None,
                      since: Annotated[str | None, Query(alias="from", description="start of the period (ISO 8601 date or "
                                                         "time; without offset: each contract's zone), inclusive")] = None,
                      until: Annotated[str | None, Query(alias="to", description="end of the period, exclusive")] = None,
                      as_of: Annotated[str | None, Query(description="decide deadlines as of this time; default now")] = None,
                      ) -> Response:
        """Vendors compared across the organisation's cases, as ``pactwatch scorecard`` compares them:
        the cases on one contract are evaluated together, each stored case one case."""
        from ..reports.scorecard import build_scorecard, load_weights, render_scorecard

        grouped: dict[int, list[tuple[str, list[Any]]]] = {}
        for case, _ in store.cases(who.organisation_id):
            grouped.setdefault(case.contract_pk, []).append((case.name, store.events(case)))
        evaluated = []
        for contract_pk, cases in sorted(grouped.items()):
            stored = store.contract_by_pk(contract_pk)
            assert stored is not None
            contract = parse_contract(library, f"contracts/{stored.name}", stored.text)
            if vendor is not None and contract.vendor != vendor:
                continue
            evaluated.append((contract, contract_report(
                library, contract, f"contracts/{stored.name}/cases", cases, as_of=_as_of(as_of, contract.timezone),
                since=_moment(since, contract.timezone, "from"), until=_moment(until, contract.timezone, "to"))))
        card = build_scorecard(evaluated, load_weights())
        log(request, who, "service.scorecard", vendors=len(card.vendors), since=since, until=until)
        return Response(render_scorecard(card, format), media_type=_MEDIA[format])

    mount_web(app, store, library, CaseApi(own_case=own_case, evaluated=evaluated, log=log, append=append,
                                           import_upload=import_upload, rate_wait=limiter.wait_time))
    return app


def _check_name(name: str) -> None:
    if not re.fullmatch(_NAME, name):
        raise ApiProblem(422, "Invalid input", "a name is 1-200 letters, digits, '.', '_' or '-', starting with a letter "
                         "or digit", [Problem("request-invalid", "bad name", file="request", field="name")])


def _contract_info(row: StoredContract, contract: Contract) -> ContractInfo:
    return ContractInfo(name=row.name, sha256=row.sha256, vendor=contract.vendor, created=row.created.isoformat())


def _utf8(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiProblem(422, "Invalid input", f"{what} is not UTF-8 text") from None


def _moment(value: str | None, timezone: str, name: str) -> float | None:
    """A period bound: a date is its midnight in the contract's zone."""
    from ..cli.app import parse_as_of

    if value is None:
        return None
    try:
        return parse_as_of(value, timezone)
    except PactwatchError:
        raise ApiProblem(422, "Invalid input", f"{name} {value!r} is not an ISO 8601 date or time",
                         [Problem("usage", "not a date or time", file="request", field=name)]) from None


def _as_of(value: str | None, timezone: str) -> float:
    from ..cli.app import parse_as_of

    if value is None:
        return time.time()
    moment = parse_as_of(value, timezone)
    assert moment is not None
    return moment
