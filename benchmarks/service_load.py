"""Load and isolation of the HTTP service, on loopback: many clients of two organisations post
events at once; then every accepted event must be stored exactly once and no request may have
read or written the other organisation's case.

    python benchmarks/service_load.py [--clients 200] [--seconds 60] [--db URL] [--json]

Starts ``pactwatch serve`` in a subprocess on a free port with a fresh SQLite store (or
``--db``), gives every client a token of its own (half in organisation "a", half in "b"; both
organisations have a case named "shared", so names cannot keep them apart, only tokens; each
also has a case "only-a" / "only-b" the other must not reach), and
runs the clients as asyncio tasks over one HTTP connection each. Every client posts one probe
event per request to its organisation's case "shared", and every tenth request also tries to read
and to write the other organisation's own case (both must answer 404). At the end each
organisation's "shared" must hold exactly the events its clients were told were stored, once each,
and none of the other's. Prints throughput, p50/p99 latency of the
posts, and the checks. Exit status 1 if a check fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "examples" / "hosting-2026" / "contract.yaml"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tokens(db: str, clients: int) -> list[tuple[str, str]]:
    """(organisation, token) per client, made through the store as `pactwatch tokens create` does."""
    from pactwatch.service.store import Store
    from pactwatch.service.tokens import create_token

    store = Store(db)
    made = [("ab"[i % 2], create_token(store, "ab"[i % 2])) for i in range(clients)]
    store.engine.dispose()
    return made


async def _client(n: int, org: str, token: str, base: str, until: float, out: dict) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as http:
        i = 0
        while time.monotonic() < until:
            i += 1
            event = {"id": f"c{n}-{i}", "at": f"2026-03-02T{8 + i // 3600 % 12:02d}:{i // 60 % 60:02d}:{i % 60:02d}+01:00",
                     "type": "probe", "vendor": "webhost-nord", "service": f"site-{org}.example",
                     "data": {"check": "https", "up": True}}
            start = time.perf_counter()
            try:
                r = await http.post("/v1/cases/shared/events", json=event)
            except httpx.TransportError as exc:
                out["errors"].append(f"{type(exc).__name__}")
                continue
            out["latency"].append(time.perf_counter() - start)
            if r.status_code == 200:
                out["accepted"][org].add(event["id"])
            else:
                out["errors"].append(str(r.status_code))
            if i % 10 == 0:  # the other organisation's own case, by its name: neither readable nor writable
                other = "b" if org == "a" else "a"
                r = await http.get(f"/v1/cases/only-{other}")
                if r.status_code != 404:
                    out["leaks"].append(f"client {n} of {org} read a case of {other}: {r.status_code}")
                r = await http.post(f"/v1/cases/only-{other}/events", json=event)
                if r.status_code != 404:
                    out["leaks"].append(f"client {n} of {org} wrote to a case of {other}: {r.status_code}")


async def _load(clients: list[tuple[str, str]], base: str, seconds: float) -> dict:
    out: dict = {"latency": [], "accepted": {"a": set(), "b": set()}, "errors": [], "leaks": []}
    until = time.monotonic() + seconds
    await asyncio.gather(*(_client(n, org, token, base, until, out) for n, (org, token) in enumerate(clients)))
    return out


def run(clients: int, seconds: float, db: str | None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        url = db or f"sqlite:///{Path(tmp) / 'load.db'}"
        made = _tokens(url, clients)
        port = _free_port()
        log = Path(tmp) / "server.log"
        with log.open("wb") as sink:
            server = subprocess.Popen([sys.executable, "-m", "pactwatch.cli", "serve", "--db", url, "--port", str(port),
                                       "--rate", "1000000"], cwd=ROOT, stdout=sink, stderr=sink)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(f"{base}/openapi.json", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            for org in "ab":
                token = next(t for o, t in made if o == org)
                h = {"Authorization": f"Bearer {token}"}
                httpx.put(f"{base}/v1/contracts/hosting", content=CONTRACT.read_bytes(), headers=h).raise_for_status()
                httpx.post(f"{base}/v1/cases", json={"name": "shared", "contract": "hosting"}, headers=h).raise_for_status()
                # a case only this organisation has: the other's writes to it must be 404
                httpx.post(f"{base}/v1/cases", json={"name": f"only-{org}", "contract": "hosting"},
                           headers=h).raise_for_status()
            began = time.perf_counter()
            out = asyncio.run(_load(made, base, seconds))
            elapsed = time.perf_counter() - began
            stored = {}
            for org in "ab":
                h = {"Authorization": f"Bearer {next(t for o, t in made if o == org)}"}
                lines = httpx.get(f"{base}/v1/cases/shared/events", headers=h, timeout=120).text.splitlines()
                stored[org] = [json.loads(line)["id"] for line in lines]
        finally:
            server.terminate()
            server.wait()
    lat = sorted(out["latency"])
    checks = {
        "every accepted event stored": all(out["accepted"][o] <= set(stored[o]) for o in "ab"),
        "stored exactly once": all(len(stored[o]) == len(set(stored[o])) for o in "ab"),
        "nothing stored that was not sent by its organisation": all(
            all(i.split("-")[0][1:].isdigit() and int(i.split("-")[0][1:]) % 2 == "ab".index(o) for i in stored[o])
            for o in "ab"),
        "no cross-organisation read or write": not out["leaks"],
    }
    return {
        "clients": clients, "seconds": round(elapsed, 1), "requests": len(lat),
        "accepted": sum(len(v) for v in out["accepted"].values()),
        "posts_per_s": round(len(lat) / elapsed, 1),
        "p50_ms": round(statistics.median(lat) * 1000, 1) if lat else None,
        "p99_ms": round(lat[int(len(lat) * 0.99) - 1] * 1000, 1) if lat else None,
        "errors": len(out["errors"]), "error_kinds": sorted(set(out["errors"]))[:5],
        "checks": checks, "leaks": out["leaks"][:5],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--db", default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.clients, args.seconds, args.db)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{result['clients']} clients, {result['seconds']} s: {result['requests']} posts, "
              f"{result['posts_per_s']}/s, p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
              f"{result['errors']} errors {result['error_kinds']}")
        for name, ok in result["checks"].items():
            print(f"  {'ok  ' if ok else 'FAIL'} {name}")
    sys.exit(0 if all(result["checks"].values()) else 1)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
