"""The web page: the organisation's cases for the people who work on them, server-rendered.

Log in with an API token, list the cases with their findings and next deadline, open one
(findings with their evidence, outcomes, deadlines, the timeline, the letter), add events and
settle the uncertain readings a finding rests on. Plain HTML forms and redirects: no
JavaScript, no build step, and every value autoescaped (vendor text is hostile input).

The token is kept in an HttpOnly, SameSite=Strict cookie scoped to ``/ui``, so another site
can neither read it nor make the browser send it with a form; a POST whose ``Origin`` names
another host is refused as well. The page sees exactly what the token sees through ``/v1``
(another organisation's case is "not found"), and every write goes to the same audit log.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from fastapi import APIRouter, FastAPI, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.concurrency import run_in_threadpool

from ..enrich.messages import CATEGORIES
from ..enrich.review import dump_annotations
from ..enrich.uncertain import annotation_for, sentences, with_decisions
from ..errors import PactwatchError, Problem
from ..models import Contract, Report
from ..remedies.waivers import is_active
from ..reports import render_html
from ..reports.letter import render_letter
from ..rules import RuleLibrary
from .cases import case_events, case_review, parse_contract, stored_annotations
from .evidence import parse_options
from .problems import ApiProblem
from .store import Conflict, Store, StoredCase
from .tokens import Principal, verify_token

__all__ = ["COOKIE", "CaseApi", "mount_web", "problem_page"]

COOKIE = "pactwatch_token"
_TEMPLATES = Path(__file__).parent / "templates"
#: what a page may load: its own inline styles, nothing else (no scripts at all)
_HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                                      "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store",
            # "same-origin": a form posted by the page itself carries its Origin (with "no-referrer" the
            # browser sends "Origin: null", which same_origin() refuses); other sites learn nothing
            "Referrer-Policy": "same-origin"}
_MEDIA_OF_SUFFIX = {".jsonl": "application/x-ndjson", ".ndjson": "application/x-ndjson", ".json": "application/json"}


class _LoggedOut(Exception):
    """No valid token cookie: the page answers with the login form."""


@dataclass(frozen=True)
class CaseApi:
    """What the page needs of the API's machinery (``app.py``), so both act the same way."""

    own_case: Callable[[Principal, str], StoredCase]
    evaluated: Callable[..., tuple[Contract, Report]]
    log: Callable[..., None]
    append: Callable[[Request, Principal, str, bytes, str], Any]
    import_upload: Callable[..., Any]
    rate_wait: Callable[[str], float]


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(_TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["urlpart"] = lambda value: quote(str(value), safe="")
    return env


def _local(stamp: str | None, tz: str) -> str:
    """An RFC 3339 UTC stamp as the contract's local time, for people."""
    if not stamp:
        return ""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(ZoneInfo(tz))
    return moment.strftime("%a %d %b %Y %H:%M %Z")


def problem_page(status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> HTMLResponse:
    """An error of a page as a page (the API answers the same error as problem details)."""
    html = _environment().get_template("message.html").render(title=title, text=detail)
    return HTMLResponse(html, status_code=status, headers={**_HEADERS, **(headers or {})})


def mount_web(app: FastAPI, store: Store, library: RuleLibrary, api: CaseApi) -> None:
    """Add the ``/ui`` pages to the app."""
    env = _environment()
    router = APIRouter(prefix="/ui", include_in_schema=False)

    def page(name: str, status: int = 200, **values: Any) -> HTMLResponse:
        html = env.get_template(name).render(**values)
        return HTMLResponse(html, status_code=status, headers=_HEADERS)

    def who(request: Request) -> Principal:
        found = verify_token(store, request.cookies.get(COOKIE, ""))
        if found is None:
            raise _LoggedOut
        wait = api.rate_wait(found.token_id)
        if wait:
            raise ApiProblem(429, "Too many requests", "slow down", headers={"Retry-After": str(max(1, round(wait)))})
        return found

    def same_origin(request: Request) -> None:
        origin = request.headers.get("origin")  # "null" (a sandboxed frame, a file) is another site too
        if origin and urlsplit(origin).netloc != request.headers.get("host"):
            raise ApiProblem(403, "Forbidden", "a form of another site may not act on this page")

    @app.exception_handler(_LoggedOut)
    async def _login_first(request: Request, exc: _LoggedOut) -> Response:
        return RedirectResponse("/ui/login", status_code=303)

    @router.get("", response_class=HTMLResponse)
    def home() -> Response:
        return RedirectResponse("/ui/cases", status_code=303)

    @router.get("/login", response_class=HTMLResponse)
    def login_form() -> HTMLResponse:
        return page("login.html", error=None)

    @router.post("/login", response_class=HTMLResponse)
    def login(request: Request, token: Annotated[str, Form()] = "") -> Response:
        same_origin(request)
        found = verify_token(store, token.strip())
        if found is None:
            return page("login.html", status=401, error="That token is not valid (pactwatch tokens create --org NAME).")
        api.log(request, found, "service.web_login")
        response = RedirectResponse("/ui/cases", status_code=303)
        response.set_cookie(COOKIE, token.strip(), httponly=True, samesite="strict", path="/ui",
                            secure=request.url.scheme == "https")
        return response

    @router.post("/logout")
    def logout(request: Request) -> Response:
        same_origin(request)
        response = RedirectResponse("/ui/login", status_code=303)
        response.delete_cookie(COOKIE, path="/ui")
        return response

    @router.get("/cases", response_class=HTMLResponse)
    def cases(request: Request) -> HTMLResponse:
        principal = who(request)
        rows = []
        for case, events in store.cases(principal.organisation_id):
            contract, report = api.evaluated(request, principal, case.name, None, detail=False)
            active = [v for v in report.violations if is_active(v)]
            due = sorted(report.pending, key=lambda p: p.due)
            rows.append({"name": case.name, "title": case.title or "", "vendor": contract.vendor, "events": events,
                         "findings": len(active), "worst": _worst(active),
                         "next": f"{_local(due[0].due, contract.timezone)} ({due[0].rule})" if due else "—"})
        return page("cases.html", organisation=principal.organisation, cases=rows)

    def case_page(request: Request, principal: Principal, name: str, *, status: int = 200,
                  problems: list[Problem] | None = None, notice: str | None = None) -> HTMLResponse:
        case = api.own_case(principal, name)
        contract, report = api.evaluated(request, principal, name, None, detail=False)
        review = case_review(library, store, case, contract, report)
        tz = contract.timezone
        return page(
            "case.html", status=status, organisation=principal.organisation, case=case, contract=contract,
            report=report, tz=tz, local=lambda s: _local(s, tz), active=is_active, queue=review.queue,
            categories=CATEGORIES, reviewed=sum(len(v) for v in review.annotations.values()), problems=problems or [],
            notice=notice, timeline=[{"at": _local(e.at.astimezone(UTC).isoformat(), tz), "event": e} for e in review.events],
            outcomes=[o for o in report.outcomes if o.status not in ("not_applicable",)],
            letter=any(is_active(v) and v.clauses for v in report.violations))

    @router.get("/cases/{name}", response_class=HTMLResponse)
    def case(request: Request, name: str, added: int | None = None, reviewed: str | None = None) -> HTMLResponse:
        principal = who(request)
        notice = (f"{added} event(s) added." if added is not None else None) or \
                 (f"Reading of {reviewed} recorded." if reviewed else None)
        return case_page(request, principal, name, notice=notice)

    @router.post("/cases/{name}/events", response_class=HTMLResponse)
    async def upload(request: Request, name: str, file: Annotated[UploadFile, File()],
                     kind: Annotated[str, Form()] = "events", vendor_domain: Annotated[str, Form()] = "",
                     customer_domain: Annotated[str, Form()] = "", format: Annotated[str, Form()] = "generic",
                     service: Annotated[str, Form()] = "", component: Annotated[str, Form()] = "") -> Response:
        same_origin(request)
        principal = who(request)
        body = await file.read()
        skipped: list[Problem] = []
        try:
            if kind == "events":
                media = _MEDIA_OF_SUFFIX.get(Path(file.filename or "").suffix.lower(), "application/x-ndjson")
                result = await run_in_threadpool(api.append, request, principal, name, body, media)
            else:
                options = parse_options(vendor_domains=_listed(vendor_domain), customer_domains=_listed(customer_domain),
                                        preset=format, mapping=[], service=service, check="https", collapse=False,
                                        timezone=None, components=[c for c in component.splitlines() if c.strip()],
                                        incident=None)
                result = await run_in_threadpool(api.import_upload, request, principal, name, kind, file.filename, body,
                                                 options)
                skipped = [Problem(p["code"], p["message"], file=p.get("file"), line=p.get("line"))
                           for p in result.skipped]
        except PactwatchError as exc:
            status, problems = 422, exc.problems
        except Conflict as exc:
            status, problems = 409, [Problem("event-conflict", str(exc), file=file.filename or "upload")]
        else:
            if not skipped:
                return RedirectResponse(f"/ui/cases/{quote(name, safe='')}?added={result.stored}", status_code=303)
            status, problems = 200, skipped
            notice = f"{result.stored} event(s) added; {len(skipped)} item(s) of the file could not be read:"
            return await run_in_threadpool(lambda: case_page(request, principal, name, status=status,
                                                             problems=problems, notice=notice))
        return await run_in_threadpool(lambda: case_page(request, principal, name, status=status, problems=problems))

    @router.post("/cases/{name}/review", response_class=HTMLResponse)
    def review(request: Request, name: str, key: Annotated[str, Form()], reviewer: Annotated[str, Form()] = "",
               action: Annotated[str, Form()] = "confirm",
               labels: Annotated[list[str] | None, Form()] = None) -> Response:
        same_origin(request)
        principal = who(request)
        case = api.own_case(principal, name)
        contract = store.contract_by_pk(case.contract_pk)
        assert contract is not None
        parsed = parse_contract(library, f"contracts/{contract.name}", contract.text)
        events = case_events(parsed, f"cases/{name}/events", store.events(case))
        found = next((s for e in events if e.text for s in sentences(library.analyzer(), e) if s.key == key), None)
        problems = []
        if found is None:
            problems.append(Problem("review-unknown-sentence", f"no sentence {key!r} in this case", file="form",
                                    field="key"))
        if not reviewer.strip():
            problems.append(Problem("usage", "say who decides (reviewer)", file="form", field="reviewer"))
        chosen = None if action == "confirm" else sorted(set(labels or []))
        if chosen is not None and set(chosen) - set(CATEGORIES):
            problems.append(Problem("review-unknown-category", f"unknown categories {sorted(set(chosen) - set(CATEGORIES))}",
                                    file="form", field="labels"))
        if problems or found is None:
            return case_page(request, principal, name, status=422, problems=problems)
        note = annotation_for(found, chosen, reviewer.strip(), datetime.fromtimestamp(time.time(), UTC).date())
        text = dump_annotations(with_decisions(stored_annotations(store, case), [note]))
        digest = store.put_annotations(case, text)
        api.log(request, principal, "service.annotations_stored", case=name, sentence=key, labels=note.labels,
                sha256=digest)
        return RedirectResponse(f"/ui/cases/{quote(name, safe='')}?reviewed={quote(key, safe='')}", status_code=303)

    @router.get("/cases/{name}/report", response_class=HTMLResponse)
    def report(request: Request, name: str) -> HTMLResponse:
        principal = who(request)
        contract, evaluated = api.evaluated(request, principal, name, None, detail=True)
        return HTMLResponse(render_html(evaluated, contract), headers=_HEADERS)

    @router.get("/cases/{name}/letter", response_class=HTMLResponse)
    def letter(request: Request, name: str) -> HTMLResponse:
        principal = who(request)
        contract, evaluated = api.evaluated(request, principal, name, None, detail=True)
        if not any(is_active(v) and v.clauses for v in evaluated.violations):
            return problem_page(404, "Nothing to claim", "No finding of this case is covered by a clause of its contract.")
        api.log(request, principal, "service.letter_drafted", case=name, violations=len(evaluated.violations))
        # dated as `pactwatch letter` dates it (the case end), never by the wall clock
        return HTMLResponse(render_letter(evaluated, contract, fmt="html"), headers=_HEADERS)

    app.include_router(router)


def _listed(text: str) -> list[str]:
    """Domains typed into one field, separated by commas or spaces."""
    return [x for x in re.split(r"[,\s]+", text) if x]


_SEVERITY = ("critical", "high", "medium", "low")


def _worst(violations: list[Any]) -> str:
    found = {v.severity for v in violations}
    return next((s for s in _SEVERITY if s in found), "")
