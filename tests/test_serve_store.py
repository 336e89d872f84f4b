"""kg serve --store URL: a real Oxigraph server behind kg serve, a real HTTP client."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph

from tests.fixtures import free_port
from tests.test_serve import running

OXIGRAPH = shutil.which("oxigraph")
KGO = "https://w3id.org/kg/ontology#"
DOC_A = "https://w3id.org/kg/id/doc/a"
DOC_B = "https://w3id.org/kg/id/doc/b"
TURTLE = {
    DOC_A: (
        "@prefix kgo: <https://w3id.org/kg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/kg/id/entity/ines-arbo> a kgo:Person ; "
        'rdfs:label "Ines Arbo" .\n'
        "<https://w3id.org/kg/id/entity/service-load-ltd> a kgo:Organization ; "
        'rdfs:label "Service Load Ltd" .\n'
    ),
    DOC_B: (
        "@prefix kgo: <https://w3id.org/kg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/kg/id/entity/pavel-orn> a kgo:Person ; "
        'rdfs:label "Pavel Orn" .\n'
    ),
}
PEOPLE = "SELECT ?l WHERE { ?e a kgo:Person ; rdfs:label ?l } ORDER BY ?l"


def _oxigraph(
    location: Path, port: int | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    assert OXIGRAPH is not None
    port = port or free_port()
    proc = subprocess.Popen(
        [OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=2)
            return proc, base
        except httpx.TransportError:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("oxigraph server did not start")
            time.sleep(0.2)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    if OXIGRAPH is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    proc, base = _oxigraph(tmp_path / "db")
    for graph, data in TURTLE.items():  # one named graph per document, as kg writes
        r = httpx.put(
            f"{base}/store",
            params={"graph": graph},
            content=data.encode(),
            headers={"Content-Type": "text/turtle"},
        )
        assert r.status_code in {201, 204}, r.text
    yield proc, base
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=10)


def _count(base: str) -> int:
    r = httpx.get(
        f"{base}/query",
        params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "text/csv"},
    )
    return int(r.text.split()[1])


def test_queries_are_answered_by_the_external_store(
    store: tuple[subprocess.Popen[bytes], str], tmp_path: Path
) -> None:
    _, base = store
    with running(tmp_path / "out", store_url=base, workers=2) as url:
        with httpx.Client(base_url=url, timeout=10) as client:
            r = client.get(
                "/sparql",
                params={"query": PEOPLE},
                headers={"Accept": "application/sparql-results+json"},
            )
            assert r.status_code == 200, r.text
            assert r.headers["content-type"].startswith(
                "application/sparql-results+json"
            )
            labels = [b["l"]["value"] for b in r.json()["results"]["bindings"]]
            assert labels == ["Ines Arbo", "Pavel Orn"]  # the union of the graphs
            r = client.post(
                "/sparql", data={"query": PEOPLE}, headers={"Accept": "text/csv"}
            )
            assert list(csv.reader(io.StringIO(r.text))) == [
                ["l"],
                ["Ines Arbo"],
                ["Pavel Orn"],
            ]
            assert client.get(
                "/sparql", params={"query": "ASK { ?e a kgo:Person }"}
            ).json()["boolean"]
            r = client.get(
                "/sparql",
                params={"query": "CONSTRUCT WHERE { ?e a kgo:Person }"},
                headers={"Accept": "text/turtle"},
            )
            assert r.status_code == 200 and r.headers["content-type"].startswith(
                "text/turtle"
            )
            assert len(Graph().parse(data=r.text, format="turtle")) == 2
            # the dataset of the request is passed on
            r = client.get(
                "/sparql",
                params={"query": PEOPLE, "default-graph-uri": DOC_B},
                headers={"Accept": "text/csv"},
            )
            assert r.text.split() == ["l", "Pavel", "Orn"]
            # words the checks look for, where they are data
            r = client.get(
                "/sparql",
                params={
                    "query": 'SELECT ?e WHERE { ?e rdfs:label "Service Load Ltd" }'
                },
            )
            assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 1
            assert client.get("/query").status_code == 200
            assert client.get("/").status_code == 200


def test_updates_load_and_service_are_refused_before_the_store(
    store: tuple[subprocess.Popen[bytes], str], tmp_path: Path
) -> None:
    _, base = store
    before = _count(base)
    update = (
        "INSERT DATA { GRAPH <http://x/g> { <http://x/a> <http://x/b> <http://x/c> } }"
    )
    with running(tmp_path / "out", store_url=base, workers=1) as url:
        with httpx.Client(base_url=url, timeout=10) as client:
            for r in (
                client.post("/sparql", data={"update": update}),
                client.post(
                    "/sparql",
                    content=update,
                    headers={"Content-Type": "application/sparql-update"},
                ),
                client.post("/sparql", data={"query": update}),
                client.get(
                    "/sparql", params={"query": "LOAD <http://127.0.0.1:9/x.ttl>"}
                ),
                client.get("/sparql", params={"query": "DROP ALL"}),
            ):
                assert r.status_code == 403 and "read-only" in r.text, r.text
            service = "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
            r = client.get("/sparql", params={"query": service})
            assert r.status_code == 403 and "SERVICE" in r.text
            r = client.get(
                "/sparql", params={"query": "SELECT ?s WHERE { ?s kgo:owns }"}
            )
            assert r.status_code == 400
    assert _count(base) == before


def test_a_store_that_restarts_or_goes_down(
    store: tuple[subprocess.Popen[bytes], str], tmp_path: Path
) -> None:
    proc, base = store
    with running(tmp_path / "out", store_url=base, workers=1) as url:
        assert httpx.get(f"{url}/sparql", params={"query": PEOPLE}).status_code == 200
        proc.terminate()
        proc.wait(timeout=10)
        # restarted on the same port: the kept-alive connection is stale, a fresh
        # one answers
        again, _ = _oxigraph(tmp_path / "db", int(base.rsplit(":", 1)[1]))
        try:
            r = httpx.get(f"{url}/sparql", params={"query": PEOPLE}, timeout=10)
            assert r.status_code == 200, r.text
        finally:
            again.terminate()
            again.wait(timeout=10)
        r = httpx.get(f"{url}/sparql", params={"query": PEOPLE}, timeout=10)
        assert r.status_code == 502
        assert "cannot reach the store" in r.text
        assert len(r.text.strip().splitlines()) == 1
        assert httpx.get(f"{url}/query").status_code == 200  # the pages still serve


def test_cli_refuses_a_store_that_is_down(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    for url, words in (
        (dead, "cannot reach the store"),
        ("ftp://x", "not an http(s) URL"),
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "kg", "serve", "--store", url, "--port", "0"],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
        assert proc.returncode != 0
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("kg: error:"), proc.stderr
        assert words in lines[0]


def _numbers(count: int) -> str:
    return " ".join(str(i) for i in range(count))


def test_time_and_size_limits_hold_in_front_of_the_store(
    store: tuple[subprocess.Popen[bytes], str], tmp_path: Path
) -> None:
    _, base = store
    values = _numbers(200)
    # 40,000 rows of about 60 bytes: over a 1 MB result limit
    big = (
        f"SELECT ?w WHERE {{ VALUES ?x {{ {values} }} VALUES ?y {{ {values} }} "
        'BIND(CONCAT(STR(?x), "-", STR(?y), "-a-long-enough-padding") AS ?w) }'
    )
    # 8 million rows sorted: far longer than the limit
    slow = (
        f"SELECT ?w WHERE {{ VALUES ?x {{ {values} }} VALUES ?y {{ {values} }} "
        f"VALUES ?z {{ {values} }} BIND(CONCAT(STR(?x), STR(?y), STR(?z)) AS ?w) }} "
        "ORDER BY DESC(?w) LIMIT 1"
    )
    with running(
        tmp_path / "out", store_url=base, workers=1, timeout=2.0, max_result_mb=1
    ) as url:
        r = httpx.post(f"{url}/sparql", data={"query": big}, timeout=30)
        assert r.status_code == 413
        assert "1 MB" in r.text
        started = time.perf_counter()
        r = httpx.post(f"{url}/sparql", data={"query": slow}, timeout=30)
        assert r.status_code == 503
        assert "time limit" in r.text
        assert time.perf_counter() - started < 3.5
        r = httpx.get(f"{url}/sparql", params={"query": "ASK { ?e a kgo:Person }"})
        assert r.json()["boolean"] is True
