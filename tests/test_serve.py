"""kg serve: a real HTTP client (httpx, raw sockets, Chromium) against the real server."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import re
import socket
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from rdflib import Graph

from kg.build import BuildConfig, run_build
from kg.query import KnowledgeGraph
from kg.serve.server import ServeOptions, SparqlServer, make_server
from tests.fixtures import free_port

TEXT = "Grace Hopper wrote to Howard Aiken. Howard Aiken founded the Harvard Computation Lab.\n"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# a cross product that runs far longer than any limit below
SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
    "?m ?n2 ?o FILTER(STRLEN(CONCAT(STR(?c), STR(?f), STR(?i), STR(?l), STR(?o))) > 0) }"
)
LIMIT = 2.0


@contextmanager
def running(
    out: Path, store_url: str | None = None, **options: object
) -> Iterator[str]:
    """Start a real server on a free port in a thread; yield its base URL."""
    server: SparqlServer = make_server(
        out,
        port=0,
        options=ServeOptions(**options),  # type: ignore[arg-type]
        store_url=store_url,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address
    base = f"http://{host}:{port}"
    deadline = time.time() + 60
    while True:  # ready once the workers have the store open
        try:
            if httpx.get(f"{base}/", timeout=5).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert time.time() < deadline, "kg serve did not start"
        time.sleep(0.1)
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(30)


def worker_pids() -> set[int]:
    """Query worker processes started by this test process."""
    pids = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == os.getpid() and b"kg/serve/worker.py" in cmdline:
            pids.add(int(entry.name))
    return pids


@pytest.fixture(scope="module")
def out(build_text) -> Path:  # type: ignore[no-untyped-def]
    return build_text(TEXT, "serve")


@pytest.fixture(scope="module")
def base(out: Path) -> Iterator[str]:
    with running(out, timeout=LIMIT, workers=2, head_timeout=1.0) as url:
        yield url


def test_every_query_form_and_result_format(out: Path, base: str) -> None:
    expected = len(KnowledgeGraph.open(out))
    with httpx.Client(base_url=base, timeout=10) as client:
        r = client.get(
            "/sparql",
            params={"query": COUNT},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("application/sparql-results+json")
        assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == expected

        r = client.post(
            "/sparql", data={"query": COUNT}, headers={"Accept": "text/csv"}
        )
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        assert list(csv.reader(io.StringIO(r.text))) == [["n"], [str(expected)]]

        r = client.post(
            "/sparql",
            content=COUNT,
            headers={
                "Content-Type": "application/sparql-query",
                "Accept": "text/tab-separated-values",
            },
        )
        assert r.status_code == 200 and r.text.splitlines() == ["?n", str(expected)]

        r = client.get(
            "/sparql",
            params={"query": COUNT},
            headers={"Accept": "application/sparql-results+xml"},
        )
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        literal = ET.fromstring(r.content).find(".//r:literal", ns)
        assert literal is not None and int(literal.text or 0) == expected

        r = client.get(
            "/sparql",
            params={"query": COUNT},
            headers={"Accept": "text/csv;q=0.5, application/sparql-results+json"},
        )
        assert r.headers["content-type"].startswith("application/sparql-results+json")

        assert (
            client.get("/sparql", params={"query": "ASK { ?s a kgo:Document }"}).json()[
                "boolean"
            ]
            is True
        )
        assert (
            client.get("/sparql", params={"query": "ASK { ?s a kgo:Nothing }"}).json()[
                "boolean"
            ]
            is False
        )

        for query, accept, fmt in (
            ("CONSTRUCT WHERE { ?s a kgo:Sentence }", "text/turtle", "turtle"),
            ("CONSTRUCT WHERE { ?s a kgo:Person }", "application/n-triples", "nt"),
            ("DESCRIBE ?e WHERE { ?e a kgo:Person }", "application/ld+json", "json-ld"),
            ("DESCRIBE ?e WHERE { ?e a kgo:Person }", "application/rdf+xml", "xml"),
        ):
            r = client.get(
                "/sparql", params={"query": query}, headers={"Accept": accept}
            )
            assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
            assert len(Graph().parse(data=r.text, format=fmt)) > 0, query


def test_refusals_are_by_structure_not_by_text(out: Path, base: str) -> None:
    before = len(KnowledgeGraph.open(out))
    update = "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }"
    with httpx.Client(base_url=base, timeout=10) as client:
        for r in (
            client.post("/sparql", data={"update": update}),
            client.post(
                "/sparql",
                content=update,
                headers={"Content-Type": "application/sparql-update"},
            ),
            client.post("/sparql", data={"query": update}),
            client.get("/sparql", params={"query": "LOAD <http://x/data.ttl>"}),
            client.get(
                "/sparql",
                params={"query": "# a comment\nPREFIX x: <http://x/> CLEAR ALL"},
            ),
        ):
            assert r.status_code == 403, r.text
            assert "read-only" in r.text
        service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
        r = client.get("/sparql", params={"query": service})
        assert r.status_code == 403 and "SERVICE" in r.text
        r = client.get(
            "/sparql", params={"query": service.replace("SERVICE", "service")}
        )
        assert r.status_code == 403
        # the same words inside strings, IRIs, prefixed names, variables, comments
        for query in (
            'SELECT ?s WHERE { ?s ?p "SERVICE <http://x/> { }" }',
            "SELECT ?s WHERE { ?s <http://example.org/service> ?o }",
            "PREFIX service: <http://x/> SELECT ?s WHERE { ?s service:load ?o }",
            "SELECT ?service ?load WHERE { ?service ?load ?o } # SERVICE LOAD",
            "SELECT ?s WHERE { ?s ?p '''INSERT DATA { }''' }",
            'ASK { ?s ?p "x"@service }',
        ):
            r = client.get("/sparql", params={"query": query})
            assert r.status_code == 200, (query, r.text)
        # codepoint escapes outside strings are not keywords to the engine either
        r = client.get(
            "/sparql",
            params={"query": r"SELECT * { \u0053ERVICE <http://x/> { ?s ?p ?o } }"},
        )
        assert r.status_code == 400
        r = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s kgo:owns }"})
        assert r.status_code == 400 and "line 1, column" in r.text
        assert client.get("/sparql").status_code == 400
    assert len(KnowledgeGraph.open(out)) == before


def test_a_query_over_the_time_limit_is_stopped(base: str) -> None:
    workers = worker_pids()
    answers: list[int] = []
    done = threading.Event()

    def others() -> None:  # new connections and short queries all along
        while not done.is_set():
            answers.append(
                httpx.get(
                    f"{base}/sparql", params={"query": COUNT}, timeout=10
                ).status_code
            )

    thread = threading.Thread(target=others)
    thread.start()
    started = time.perf_counter()
    r = httpx.get(f"{base}/sparql", params={"query": SLOW}, timeout=30)
    elapsed = time.perf_counter() - started
    assert r.status_code == 503 and "time limit" in r.text
    assert elapsed < LIMIT + 1.5
    # the runaway query's worker goes once a fresh one serves
    deadline = time.time() + 30
    while workers <= worker_pids() and time.time() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)
    done.set()
    thread.join()
    assert not workers <= worker_pids(), "a worker was retired and replaced"
    assert len(worker_pids()) == 2
    # no other request failed meanwhile (no refused connection, no error)
    assert len(answers) > 10 and set(answers) == {200}, answers
    assert httpx.get(f"{base}/sparql", params={"query": "ASK {}"}).status_code == 200


def test_a_query_over_the_memory_limit_is_stopped(out: Path) -> None:
    values = " ".join(str(i) for i in range(200))
    # 8 million rows sorted: memory grows by tens of MB a second
    hungry = (
        f"SELECT ?w WHERE {{ VALUES ?x {{ {values} }} VALUES ?y {{ {values} }} "
        f"VALUES ?z {{ {values} }} BIND(CONCAT(STR(?x), STR(?y), STR(?z)) AS ?w) }} "
        "ORDER BY DESC(?w) LIMIT 1"
    )
    with running(out, timeout=60.0, workers=1, max_memory_mb=300) as url:
        started = time.perf_counter()
        r = httpx.get(f"{url}/sparql", params={"query": hungry}, timeout=60)
        assert r.status_code == 503
        assert "300 MB" in r.text
        assert time.perf_counter() - started < 30
        deadline = time.time() + 30
        while True:  # a fresh worker serves
            try:
                r = httpx.get(f"{url}/sparql", params={"query": "ASK {}"}, timeout=10)
                if r.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.time() < deadline, "no worker serves after the memory stop"
            time.sleep(0.2)


def test_saturation_answers_503(out: Path) -> None:
    with running(out, timeout=4.0, workers=1, max_pending=1) as url:
        slow = threading.Thread(
            target=lambda: httpx.get(
                f"{url}/sparql", params={"query": SLOW}, timeout=30
            )
        )
        slow.start()
        time.sleep(0.5)
        started = time.perf_counter()
        r = httpx.get(f"{url}/sparql", params={"query": "ASK {}"}, timeout=30)
        assert r.status_code == 503 and "busy" in r.text
        assert r.headers["retry-after"] == "1"
        assert time.perf_counter() - started < 1.0
        slow.join()
        deadline = time.time() + 30
        while True:  # once the slow one is stopped, the pool serves again
            r = httpx.get(f"{url}/sparql", params={"query": "ASK {}"}, timeout=30)
            if r.status_code == 200 or time.time() > deadline:
                break
            time.sleep(0.2)
        assert r.status_code == 200


def _raw(base: str, data: bytes, wait: float = 5.0) -> bytes:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as sock:
        sock.sendall(data)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except TimeoutError:
            pass
        except ConnectionResetError:  # refused while the client was still sending
            return received or b"RESET"
    return received


def test_request_size_limits(base: str) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } # " + "x" * (1 << 20)
    r = httpx.post(
        f"{base}/sparql",
        content=big,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert r.status_code == 413

    def chunks() -> Iterator[bytes]:  # chunked: no Content-Length to check
        yield b"SELECT * WHERE { ?s ?p ?o } # "
        for _ in range(40):
            yield b"x" * 65536

    r = httpx.post(
        f"{base}/sparql",
        content=chunks(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert r.status_code == 413
    head = b"POST /sparql HTTP/1.1\r\nHost: localhost\r\n"
    query = b"ASK {}"
    reply = _raw(
        base,
        head
        + b"Content-Type: application/sparql-query\r\nContent-Length: -1\r\n\r\n"
        + query * 1000,
    )
    assert reply.startswith(b"HTTP/1.1 400")
    # a body without any length: read as empty; its bytes are no valid request
    reply = _raw(
        base,
        head
        + b"Content-Type: application/sparql-query\r\nConnection: close\r\n\r\n"
        + query,
    )
    assert reply.startswith(b"HTTP/1.1 400")
    reply = _raw(
        base,
        b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: localhost\r\nX-Pad: "
        + b"a" * (200 << 10)
        + b"\r\n\r\n",
    )
    assert reply.startswith(b"HTTP/1.1 431") or reply == b"RESET"
    assert httpx.get(f"{base}/sparql", params={"query": "ASK {}"}).status_code == 200


def test_slow_headers_are_cut_and_do_not_block_others(base: str) -> None:
    host, port = base.removeprefix("http://").split(":")
    slow = []
    for _ in range(50):
        sock = socket.create_connection((host, int(port)), timeout=10)
        sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: local")
        slow.append(sock)
    started = time.perf_counter()
    r = httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, timeout=10)
    assert r.status_code == 200 and time.perf_counter() - started < 2
    for sock in slow:  # the header deadline (1 s here) closes each one
        reply = sock.recv(65536)
        assert reply == b"" or reply.startswith(b"HTTP/1.1 408"), reply
        assert sock.recv(65536) == b""
        sock.close()


def test_host_allow_list_and_security_headers(out: Path, base: str) -> None:
    port = base.rsplit(":", 1)[1]
    r = httpx.get(f"{base}/", headers={"Host": f"attacker.example:{port}"})
    assert r.status_code == 403 and "--allow-host" in r.text
    r = httpx.get(
        f"{base}/sparql", params={"query": "ASK {}"}, headers={"Host": "rebind.example"}
    )
    assert r.status_code == 403
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", "LOCALHOST"):
        assert httpx.get(f"{base}/", headers={"Host": host}).status_code == 200
    for path in ("/", "/query", "/graph", "/sparql?query=ASK%7B%7D"):
        r = httpx.get(f"{base}{path}")
        assert r.status_code == 200, path
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
        assert "http" not in csp  # no other origin may be loaded
    with running(out, allow_hosts=("kg.example",)) as url:
        r = httpx.get(f"{url}/", headers={"Host": "kg.example:80"})
        assert r.status_code == 200


def test_many_parallel_queries_all_answered(base: str) -> None:
    queries = [
        "SELECT ?l WHERE { ?e a kgo:Person ; rdfs:label ?l } ORDER BY ?l",
        "SELECT ?s WHERE { ?s <http://example.org/service> ?o }",
        'SELECT ?s WHERE { ?s rdfs:label "LOAD service" }',
        "ASK { ?s a kgo:Person }",
    ]

    async def main() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=32)
        async with httpx.AsyncClient(
            base_url=base, limits=limits, timeout=30
        ) as client:
            gate = asyncio.Semaphore(32)

            async def one(i: int) -> httpx.Response:
                async with gate:
                    return await client.get(
                        "/sparql", params={"query": queries[i % len(queries)]}
                    )

            return await asyncio.gather(*(one(i) for i in range(400)))

    # a thread of its own: Playwright's sync API may own this thread's event loop
    with ThreadPoolExecutor(1) as pool:
        responses = pool.submit(asyncio.run, main()).result()
    assert [r.status_code for r in responses] == [200] * 400
    people = responses[0].json()["results"]["bindings"]
    assert [b["l"]["value"] for b in people] == ["Grace Hopper", "Howard Aiken"]
    assert all(r.json() == responses[i % 4].json() for i, r in enumerate(responses))


def test_pages_are_offline(out: Path, base: str) -> None:
    graph_page = httpx.get(f"{base}/graph").text
    assert graph_page == (out / "graph.html").read_text(encoding="utf-8")
    query_page = httpx.get(f"{base}/query").text
    for page in (query_page, httpx.get(f"{base}/").text):
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
        assert "<link" not in page and "@import" not in page


@pytest.mark.browser
def test_query_page_shows_every_query_form_in_chromium(base: str, browser) -> None:
    page = browser.new_page()
    outside: list[str] = []
    problems: list[str] = []
    page.on(
        "request",
        lambda req: outside.append(req.url) if not req.url.startswith(base) else None,
    )
    page.on(
        "console",
        lambda msg: (
            problems.append(msg.text) if msg.type in {"error", "warning"} else None
        ),
    )
    page.goto(f"{base}/query")

    def run(query: str, done: str) -> list[str]:
        page.fill("#q", query)
        page.click("#run")
        page.wait_for_selector(done, timeout=15000)
        return page.locator("#out td, #out .answer").all_inner_texts()

    cells = run(
        "SELECT ?label WHERE { ?e a kgo:Person ; rdfs:label ?label }", "#out table"
    )
    assert "Grace Hopper" in cells
    assert run("ASK { ?e a kgo:Person }", "#out .answer") == ["yes"]
    assert page.inner_text("#status").endswith("ms")
    cells = run("CONSTRUCT WHERE { ?e a kgo:Person ; rdfs:label ?l }", "#out table")
    assert "Howard Aiken" in cells and "rdf:type" in cells and "kgo:Person" in cells
    assert page.inner_text("#status").startswith("4 triples")
    cells = run("DESCRIBE ?e WHERE { ?e rdfs:label 'Grace Hopper' }", "#out table")
    assert "Grace Hopper" in cells
    assert outside == [] and problems == []  # no CSP violation, no script error
    run("SELECT WHERE { }", "#out pre")
    assert "after SELECT" in page.inner_text("#out pre")
    page.close()


@pytest.mark.browser
def test_graph_page_runs_under_its_csp(base: str, browser) -> None:
    page = browser.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if msg.type == "error" else None,
    )
    page.goto(f"{base}/graph")
    page.wait_for_selector("canvas", timeout=15000)
    assert not [p for p in problems if "Content Security Policy" in p], problems
    page.close()


def test_cli_serve_binds_localhost(out: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--out", str(out), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.time() + 60
        while True:
            try:
                r = httpx.get(
                    f"http://127.0.0.1:{port}/sparql",
                    params={"query": "ASK { ?s ?p ?o }"},
                    timeout=2,
                )
                break
            except httpx.TransportError:
                if time.time() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        assert r.json()["boolean"] is True
        listening = subprocess.run(
            ["ss", "-ltnH", f"sport = :{port}"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        if listening:  # iproute2 present: the local address column is loopback only
            assert listening.split()[3] == f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert proc.returncode in {0, -15}


def test_server_answers_from_the_latest_build(nlp, tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(TEXT, encoding="utf-8")
    second.write_text("Ada Lovelace wrote to Mary Somerville.\n", encoding="utf-8")
    out = tmp_path / "out"
    run_build([first], config=BuildConfig(out=out))
    docs = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a kgo:Document }"
    with running(out, workers=2) as url:
        count = httpx.get(
            f"{url}/sparql", params={"query": docs}, headers={"Accept": "text/csv"}
        )
        assert count.text.split() == ["n", "1"]
        run_build([second], config=BuildConfig(out=out))
        for _ in range(4):  # every worker follows the new generation
            count = httpx.get(
                f"{url}/sparql", params={"query": docs}, headers={"Accept": "text/csv"}
            )
            assert count.text.split() == ["n", "2"]
