"""kg push: the graph goes to a real Oxigraph server over the Graph Store Protocol."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.cli import main
from kg.errors import ConfigError
from kg.push import PushError, push_store
from kg.store import load_graph
from tests.fixtures import free_port

TEXT = "Grace Hopper wrote to Howard Aiken. Howard Aiken founded the Harvard Computation Lab.\n"
OXIGRAPH = shutil.which("oxigraph")


@pytest.fixture(scope="module")
def out(build_text) -> Path:  # type: ignore[no-untyped-def]
    return build_text(TEXT, "push")


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[str]:
    if OXIGRAPH is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    port = free_port()
    proc = subprocess.Popen(
        [
            OXIGRAPH,
            "serve",
            "--location",
            str(tmp_path / "db"),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=2)
            break
        except httpx.TransportError:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("oxigraph server did not start")
            time.sleep(0.2)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def _remote_default_graph(base: str) -> Graph:
    r = httpx.get(
        f"{base}/store",
        params={"default": ""},
        headers={"Accept": "application/n-triples"},
    )
    r.raise_for_status()
    return Graph().parse(data=r.text, format="nt")


def test_push_replaces_the_default_graph(out: Path, oxigraph: str) -> None:
    local = load_graph(out)
    report = push_store(out, f"{oxigraph}/store")
    assert report.status in {200, 201, 204}
    assert report.triples == len(local)
    assert isomorphic(_remote_default_graph(oxigraph), local)
    # PUT again replaces instead of duplicating
    push_store(out, f"{oxigraph}/store")
    count = httpx.get(
        f"{oxigraph}/query",
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    ).json()
    assert int(count["results"]["bindings"][0]["n"]["value"]) == len(local)


def test_push_cli_to_a_named_graph(out: Path, oxigraph: str, capsys) -> None:
    iri = "https://example.org/graphs/news"
    assert (
        main(
            [
                "push",
                "--endpoint",
                f"{oxigraph}/store",
                "--out",
                str(out),
                "--graph",
                iri,
            ]
        )
        == 0
    )
    assert "pushed" in capsys.readouterr().out
    r = httpx.get(
        f"{oxigraph}/store", params={"graph": iri}, headers={"Accept": "text/turtle"}
    )
    assert isomorphic(Graph().parse(data=r.text, format="turtle"), load_graph(out))
    # the endpoint's SPARQL sees the relation with its provenance
    ask = "ASK { GRAPH ?g { ?st a <http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> } }"
    r = httpx.get(
        f"{oxigraph}/query",
        params={"query": ask},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.json()["boolean"] is True


def test_push_errors(out: Path) -> None:
    with pytest.raises(ConfigError, match="not an http"):
        push_store(out, "ftp://example.org/store")
    with pytest.raises(PushError, match="cannot reach"):
        push_store(out, f"http://127.0.0.1:{free_port()}/store", timeout=2)
