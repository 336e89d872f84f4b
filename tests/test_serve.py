"""kg serve: the SPARQL 1.1 Protocol over real HTTP (httpx) against a running server."""

from __future__ import annotations

import csv
import io
import multiprocessing
import re
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph

from kg.build import BuildConfig, run_build
from kg.query import KnowledgeGraph
from kg.serve import make_server
from tests.fixtures import free_port

TEXT = "Grace Hopper wrote to Howard Aiken. Howard Aiken founded the Harvard Computation Lab.\n"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def out(build_text) -> Path:  # type: ignore[no-untyped-def]
    return build_text(TEXT, "serve")


@pytest.fixture(scope="module")
def base(out: Path) -> Iterator[str]:
    server = make_server(out, port=0, timeout=2.0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


def test_get_and_post_in_every_results_format(out: Path, base: str) -> None:
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
        assert r.status_code == 200 and r.text.splitlines()[0] == "?n"

        r = client.get(
            "/sparql",
            params={"query": COUNT},
            headers={"Accept": "application/sparql-results+xml"},
        )
        assert r.status_code == 200
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        literal = ET.fromstring(r.content).find(".//r:literal", ns)
        assert literal is not None and int(literal.text or 0) == expected

        # q-values are honoured
        r = client.get(
            "/sparql",
            params={"query": COUNT},
            headers={"Accept": "text/csv;q=0.5, application/sparql-results+json"},
        )
        assert r.headers["content-type"].startswith("application/sparql-results+json")

        r = client.get("/sparql", params={"query": "ASK { ?s a kgo:Document }"})
        assert r.json()["boolean"] is True

        r = client.get(
            "/sparql",
            params={"query": "CONSTRUCT WHERE { ?s a kgo:Sentence }"},
            headers={"Accept": "text/turtle"},
        )
        assert r.status_code == 200 and r.headers["content-type"].startswith(
            "text/turtle"
        )
        assert len(Graph().parse(data=r.text, format="turtle")) > 0


def test_read_only_and_refusals(out: Path, base: str) -> None:
    before = len(KnowledgeGraph.open(out))
    with httpx.Client(base_url=base, timeout=10) as client:
        update = "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }"
        for r in (
            client.post("/sparql", data={"update": update}),
            client.post(
                "/sparql",
                content=update,
                headers={"Content-Type": "application/sparql-update"},
            ),
            client.post("/sparql", data={"query": update}),
            client.get("/sparql", params={"query": "LOAD <http://x/data.ttl>"}),
        ):
            assert r.status_code == 403, r.text
            assert "read-only" in r.text
        r = client.get(
            "/sparql",
            params={
                "query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
            },
        )
        assert r.status_code == 403 and "SERVICE" in r.text
        r = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s kgo:owns }"})
        assert r.status_code == 400 and "1:" in r.text
        assert client.get("/sparql").status_code == 400
    assert len(KnowledgeGraph.open(out)) == before


def test_query_time_limit(base: str) -> None:
    # a cross product that takes far longer than the 2 s limit
    slow = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l "
        "FILTER(STRLEN(CONCAT(STR(?c), STR(?f), STR(?i), STR(?l))) > 0) }"
    )
    started = time.perf_counter()
    r = httpx.get(f"{base}/sparql", params={"query": slow}, timeout=30)
    assert r.status_code == 503 and "time limit" in r.text
    assert time.perf_counter() - started < 10
    assert multiprocessing.active_children() == [], (
        "the runaway query's worker is killed"
    )


def test_pages_are_offline(out: Path, base: str) -> None:
    graph_page = httpx.get(f"{base}/graph").text
    assert graph_page == (out / "graph.html").read_text(encoding="utf-8")
    query_page = httpx.get(f"{base}/query").text
    for page in (query_page, httpx.get(f"{base}/").text):
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
        assert "<link" not in page and "@import" not in page


@pytest.mark.browser
def test_query_page_runs_a_query_in_chromium(base: str, browser) -> None:
    page = browser.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda req: outside.append(req.url) if not req.url.startswith(base) else None,
    )
    page.goto(f"{base}/query")
    page.fill("#q", "SELECT ?label WHERE { ?e a kgo:Person ; rdfs:label ?label }")
    page.click("#run")
    page.wait_for_selector("#out table")
    cells = page.locator("#out td").all_inner_texts()
    assert any("Hopper" in c for c in cells)
    assert outside == []
    page.close()


def test_cli_serve_binds_localhost(out: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kg.cli",
            "serve",
            "--out",
            str(out),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.time() + 30
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
        proc.wait(timeout=10)


def test_server_answers_from_the_latest_build(nlp, tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(TEXT, encoding="utf-8")
    second.write_text("Ada Lovelace wrote to Mary Somerville.\n", encoding="utf-8")
    out = tmp_path / "out"
    run_build([first], config=BuildConfig(out=out))
    server = make_server(out, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = "http://{}:{}/sparql".format(*server.server_address[:2])
    docs = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a kgo:Document }"
    try:
        count = httpx.get(url, params={"query": docs}, headers={"Accept": "text/csv"})
        assert count.text.split() == ["n", "1"]
        run_build([second], config=BuildConfig(out=out))
        count = httpx.get(url, params={"query": docs}, headers={"Accept": "text/csv"})
        assert count.text.split() == ["n", "2"]
    finally:
        server.shutdown()
        server.server_close()
