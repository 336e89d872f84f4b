"""Load on ``kg serve`` against ``oxigraph serve-read-only`` on the same store.

One run: both servers on loopback over the store of a real ``kg build`` of 300
Re-DocRED documents (``endpoint_store.py``, cached in /tmp); for each
concurrency level (1, 8, 32) each server gets the same 10,000 SELECT/ASK
queries (point lookups, evidence, neighbours, counts, and queries whose
strings and IRIs say "service" and "load", which must be answered) from a
minimal asyncio HTTP/1.1 client with keep-alive connections (a few tens of
microseconds of client CPU per request, so the client is not what is
measured). Counted: q/s, p50/p99/max latency, errors (anything but 200),
wrong refusals (403 on these valid queries), server RSS (kg: the server
process and its worker processes) before and after each level. Then three 64 KB queries on
each server with a 10 s limit: one the engine answers fast, and two it
would plan for minutes (a 64 KB BGP, a chain of property paths). Last,
``kg serve --store URL`` in front of the Oxigraph server (restarted: one of
the 64 KB queries kills it) against the Oxigraph server itself, at
concurrency 8 on a fifth of the queries.

    python benchmarks/endpoint_load.py [--queries 10000] [--levels 1,8,32]

Writes benchmarks/results/endpoint.{md,json}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from endpoint_store import build_store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
TIME_LIMIT = 10
PREFIXES = (
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
    "PREFIX kgo: <https://w3id.org/kg/ontology#>\n"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_queries(store_dir: Path, count: int) -> list[str]:
    """A realistic mix over real entities of the store, in a fixed order."""
    store = ox.Store.read_only(str(store_dir))
    rows = list(
        store.query(
            PREFIXES + "SELECT ?e ?l WHERE { ?e kgo:mention ?m ; rdfs:label ?l } "
            "ORDER BY ?e LIMIT 400"
        )
    )
    entities = [(r["e"].value, r["l"].value) for r in rows]
    templates = [
        'SELECT ?e ?class WHERE {{ ?e rdfs:label "{label}" ; a ?class }}',
        "SELECT ?p ?o ?text WHERE {{ ?st rdf:subject <{iri}> ; rdf:predicate ?p ; "
        "rdf:object ?o ; prov:wasDerivedFrom/rdf:value ?text }} LIMIT 20",
        "SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} LIMIT 50",
        "ASK {{ <{iri}> a ?class }}",
        "SELECT (COUNT(?m) AS ?n) WHERE {{ <{iri}> kgo:mention ?m }}",
        # the words the read-only check looks for, where they are data
        'SELECT ?s WHERE {{ ?s rdfs:label "service load {label}" }}',
        "SELECT ?s ?o WHERE {{ ?s <http://example.org/service/load> ?o }} # SERVICE",
    ]
    queries = []
    for i in range(count):
        iri, label = entities[i % len(entities)]
        label = label.replace("\\", "\\\\").replace('"', '\\"')
        queries.append(PREFIXES + templates[i % len(templates)].format(iri=iri, label=label))
    return queries


def request_bytes(path: str, port: int, query: str) -> bytes:
    return (
        f"GET {path}?{urlencode({'query': query})} HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\nAccept: application/sparql-results+json\r\n\r\n"
    ).encode()


async def _read_chunks(reader: asyncio.StreamReader) -> None:
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        await reader.readexactly(size + 2)
        if size == 0:
            return


async def _connection(
    port: int, requests: list[bytes], order: asyncio.Queue[int], stats: dict[str, list]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while True:
            try:
                i = order.get_nowait()
            except asyncio.QueueEmpty:
                return
            started = time.perf_counter()
            try:
                writer.write(requests[i])
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
                status = int(head[9:12])
                length, chunked, close = 0, False, False
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    name, value = name.strip().lower(), value.strip().lower()
                    if name == b"content-length":
                        length = int(value)
                    elif name == b"transfer-encoding" and b"chunked" in value:
                        chunked = True
                    elif name == b"connection" and b"close" in value:
                        close = True
                if chunked:
                    await asyncio.wait_for(_read_chunks(reader), 30)
                else:
                    await asyncio.wait_for(reader.readexactly(length), 30)
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError):
                status, close = 0, True
            stats["latency"].append(time.perf_counter() - started)
            stats["status"].append(status)
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
    finally:
        writer.close()


async def load(port: int, path: str, queries: list[str], concurrency: int) -> dict:
    requests = [request_bytes(path, port, q) for q in queries]
    order: asyncio.Queue[int] = asyncio.Queue()
    for i in range(len(requests)):
        order.put_nowait(i)
    stats: dict[str, list] = {"latency": [], "status": []}
    started = time.perf_counter()
    await asyncio.gather(
        *(_connection(port, requests, order, stats) for _ in range(concurrency))
    )
    seconds = time.perf_counter() - started
    latency = sorted(stats["latency"])
    statuses = stats["status"]
    return {
        "queries": len(statuses),
        "seconds": round(seconds, 2),
        "qps": round(len(statuses) / seconds, 1),
        "p50_ms": round(1000 * latency[len(latency) // 2], 2),
        "p99_ms": round(1000 * latency[int(len(latency) * 0.99)], 2),
        "max_ms": round(1000 * latency[-1], 1),
        "errors": sum(1 for s in statuses if s != 200),
        "wrong_refusals": sum(1 for s in statuses if s == 403),
    }


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return round(total / 1024, 1)


def process_tree(pid: int) -> list[int]:
    pids = [pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                pids.append(int(entry.name))
    return pids


def wait_ready(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.returncode}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError("server did not start")


def big_queries() -> dict[str, str]:
    """Three 64 KB queries: one fast, two the planner would work on for minutes."""
    names = " ".join(f'"name number {i:05d}"' for i in range(3300))
    fast = PREFIXES + f"SELECT ?e WHERE {{ VALUES ?l {{ {names} }} ?e rdfs:label ?l }}"
    patterns = " ".join(f"?s{i} ?p{i} ?s{i + 1} ." for i in range(2400))
    bgp = PREFIXES + f"SELECT * WHERE {{ {patterns} }}"
    path = "/".join(["rdfs:label|kgo:mention"] * 2700)
    paths = PREFIXES + f"SELECT * WHERE {{ ?s {path} ?o }}"
    return {
        "VALUES block (fast)": fast,
        "2,400-pattern BGP": bgp,
        "2,700-step property path": paths,
    }


def run_big(port: int, path: str, proc: subprocess.Popen[bytes]) -> dict[str, dict]:
    out = {}
    for name, query in big_queries().items():
        if proc.poll() is not None:
            out[name] = {"bytes": len(query.encode()), "status": "server gone", "seconds": 0}
            continue
        started = time.perf_counter()
        try:
            r = httpx.post(
                f"http://127.0.0.1:{port}{path}",
                content=query.encode(),
                headers={"Content-Type": "application/sparql-query"},
                timeout=60,
            )
            status: int | str = r.status_code
        except httpx.TimeoutException:
            status = "no answer in 60 s"
        except httpx.HTTPError as exc:
            time.sleep(1)
            gone = proc.poll()
            status = f"{type(exc).__name__}" + (
                f" (the server process died: exit {gone})" if gone is not None else ""
            )
        out[name] = {
            "bytes": len(query.encode()),
            "status": status,
            "seconds": round(time.perf_counter() - started, 2),
        }
    return out


def start_kg(out: Path, port: int, store_url: str | None = None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    remote = ["--store", store_url] if store_url else []
    return subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--out", str(out), "--port", str(port),
         "--timeout", str(TIME_LIMIT), *remote],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def start_oxigraph(store: Path, port: int) -> subprocess.Popen[bytes]:
    binary = shutil.which("oxigraph")
    if binary is None:
        raise SystemExit("pip install oxigraph (the server) to compare")
    return subprocess.Popen(
        [binary, "serve-read-only", "--location", str(store), "--bind",
         f"127.0.0.1:{port}", "--timeout-s", str(TIME_LIMIT)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def bench_level(name: str, proc, port: int, path: str, queries, level: int) -> dict:
    before = rss_mb(process_tree(proc.pid))
    figures = asyncio.run(load(port, path, queries, level))
    figures["rss_before_mb"] = before
    figures["rss_after_mb"] = rss_mb(process_tree(proc.pid))
    print(name, level, figures, flush=True)
    return figures


def bench_servers(servers: dict[str, tuple], queries, levels) -> dict:
    """Each level on each server in turn (so both see the same machine load)."""
    results: dict = {name: {"levels": {}} for name in servers}
    for name, (proc, port, path) in servers.items():
        wait_ready(f"http://127.0.0.1:{port}{path}", proc)
        asyncio.run(load(port, path, queries[:500], 4))  # warm-up
    for level in levels:
        for name, (proc, port, path) in servers.items():
            results[name]["levels"][str(level)] = bench_level(
                name, proc, port, path, queries, level
            )
    for name, (proc, port, path) in servers.items():
        results[name]["big_queries"] = run_big(port, path, proc)
        time.sleep(5)  # kg: the worker of a stopped query is replaced, then goes
        results[name]["rss_after_big_mb"] = rss_mb(process_tree(proc.pid))
        print(name, results[name]["big_queries"], flush=True)
    return results


def bench_forwarded(out: Path, ox_port: int, queries: list[str]) -> dict:
    """``kg serve --store`` in front of the Oxigraph server, at concurrency 8."""
    port = free_port()
    proc = start_kg(out, port, f"http://127.0.0.1:{ox_port}")
    try:
        wait_ready(f"http://127.0.0.1:{port}/sparql", proc)
        differ = same_answers(port, ox_port, queries)
        asyncio.run(load(port, "/sparql", queries[:200], 4))  # warm-up
        result = {"answers_differ": differ}
        for name, p, path in (("kg serve --store", port, "/sparql"),
                              ("oxigraph", ox_port, "/query")):
            result[name] = asyncio.run(load(p, path, queries, 8))
            print("forwarded", name, result[name], flush=True)
        return result
    finally:
        proc.terminate()
        proc.wait(30)


def same_answers(kg_port: int, ox_port: int, queries: list[str]) -> int:
    """Count sample queries whose JSON answers differ between the servers."""
    differ = 0
    for q in queries[:: max(1, len(queries) // 70)]:
        answers = []
        for port, path in ((kg_port, "/sparql"), (ox_port, "/query")):
            r = httpx.get(
                f"http://127.0.0.1:{port}{path}",
                params={"query": q},
                headers={"Accept": "application/sparql-results+json"},
                timeout=30,
            )
            data = r.json()
            if "results" in data:
                data = sorted(json.dumps(b, sort_keys=True) for b in data["results"]["bindings"])
            answers.append(data)
        differ += answers[0] != answers[1]
    return differ


def write_report(data: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "endpoint.json").write_text(json.dumps(data, indent=2) + "\n")
    kg, oxi = data["kg serve"], data["oxigraph serve-read-only"]
    lines = [
        "# kg serve under load, against Oxigraph's own server",
        "",
        f"One run of `python benchmarks/endpoint_load.py` ({data['when']}), loopback, "
        f"{data['cores']} cores shared with other jobs (load average at start "
        f"{data['load_average']}, at the end {data.get('load_average_end', '?')}). Store: a real `kg build` of 300 Re-DocRED documents "
        f"({data['triples']:,} triples). {data['queries']:,} queries per level per "
        "server (7 SELECT/ASK shapes over 400 real entities, two of them with "
        "\"service\"/\"load\" in strings and IRIs), JSON results, keep-alive "
        f"connections. kg serve: {data['kg_workers']} worker processes, time limit "
        f"{TIME_LIMIT} s; Oxigraph: `--timeout-s {TIME_LIMIT}`. Sampled answers that "
        f"differ between the two servers: {data['answers_differ']}.",
        "",
        "| concurrency | server | q/s | p50 ms | p99 ms | max ms | errors | wrong "
        "refusals | RSS before → after MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for level in data["levels"]:
        for name, result in (("kg serve", kg), ("oxigraph", oxi)):
            f = result["levels"][str(level)]
            lines.append(
                f"| {level} | {name} | {f['qps']:,.0f} | {f['p50_ms']} | {f['p99_ms']} | "
                f"{f['max_ms']} | {f['errors']} | {f['wrong_refusals']} | "
                f"{f['rss_before_mb']} → {f['rss_after_mb']} |"
            )
    lines += ["", "Ratios (kg serve / Oxigraph, same run):", ""]
    for level in data["levels"]:
        k, o = kg["levels"][str(level)], oxi["levels"][str(level)]
        lines.append(
            f"- concurrency {level}: q/s × {k['qps'] / o['qps']:.2f}, "
            f"p99 × {k['p99_ms'] / o['p99_ms']:.2f}"
        )
    lines += [
        "",
        "64 KB queries (POST, time limit 10 s; status and seconds to the answer):",
        "",
        "| query | bytes | kg serve | oxigraph |",
        "|---|---|---|---|",
    ]
    for name, k in kg["big_queries"].items():
        o = oxi["big_queries"][name]
        lines.append(
            f"| {name} | {k['bytes']:,} | {k['status']} in {k['seconds']} s | "
            f"{o['status']} in {o['seconds']} s |"
        )
    lines += [
        "",
        f"RSS 5 s after the 64 KB queries: kg serve {kg['rss_after_big_mb']} MB, "
        f"Oxigraph {oxi['rss_after_big_mb']} MB.",
        "",
    ]
    fwd = data.get("forwarded")
    if fwd:
        k, o = fwd["kg serve --store"], fwd["oxigraph"]
        lines += [
            f"`kg serve --store URL` in front of the same Oxigraph server, concurrency 8, "
            f"{k['queries']:,} queries: {k['qps']:,.0f} q/s (p99 {k['p99_ms']} ms, "
            f"{k['errors']} errors) against {o['qps']:,.0f} q/s (p99 {o['p99_ms']} ms) "
            f"straight to Oxigraph; sampled answers that differ: {fwd['answers_differ']}.",
            "",
        ]
    (RESULTS / "endpoint.md").write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--levels", default="1,8,32")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    out = build_store()
    store = (out / "store").resolve()
    queries = make_queries(store, args.queries)
    data: dict = {
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "cores": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 1),
        "triples": len(ox.Store.read_only(str(store))),
        "queries": len(queries),
        "levels": levels,
    }
    kg_port, ox_port = free_port(), free_port()
    kg_proc = start_kg(out, kg_port)
    ox_proc = start_oxigraph(store, ox_port)
    try:
        wait_ready(f"http://127.0.0.1:{kg_port}/sparql", kg_proc)
        wait_ready(f"http://127.0.0.1:{ox_port}/query", ox_proc)
        data["kg_workers"] = len(process_tree(kg_proc.pid)) - 1
        data["answers_differ"] = same_answers(kg_port, ox_port, queries)
        # one server at a time (the other one idles), level by level
        data.update(
            bench_servers(
                {
                    "kg serve": (kg_proc, kg_port, "/sparql"),
                    "oxigraph serve-read-only": (ox_proc, ox_port, "/query"),
                },
                queries,
                levels,
            )
        )
        ox_proc = start_oxigraph(store, ox_port)  # it died on a 64 KB query
        wait_ready(f"http://127.0.0.1:{ox_port}/query", ox_proc)
        data["forwarded"] = bench_forwarded(out, ox_port, queries[: len(queries) // 5])
    finally:
        for proc in (kg_proc, ox_proc):
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
    data["load_average_end"] = round(os.getloadavg()[0], 1)
    write_report(data)
    print((RESULTS / "endpoint.md").read_text())


if __name__ == "__main__":
    main()
