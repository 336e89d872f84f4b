"""kg build/query/remove --store: a real Oxigraph server as the external store."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.build import BuildConfig, run_build
from kg.cli import main
from kg.rdf import NS
from kg.store import list_documents, load_graph
from tests.fixtures import free_port

OXIGRAPH = shutil.which("oxigraph")
TEXT_A = (
    "Marta Velloso founded Quintrel Systems in Lisbon. "
    "Marta Velloso hired Tomas Brandt.\n"
)
TEXT_B = (
    "Tomas Brandt joined Quintrel Systems. "
    "Quintrel Systems opened an office in Porto.\n"
)
KGO = NS["kgo"]


class Servers:
    """Oxigraph servers over one database folder, started by a test."""

    def __init__(self, location: Path) -> None:
        self.location = location
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, *, read_only: bool = False) -> str:
        """Start ``oxigraph serve`` (or ``serve-read-only``) on a free port."""
        assert OXIGRAPH is not None
        port = free_port()
        mode = "serve-read-only" if read_only else "serve"
        cmd = [OXIGRAPH, mode, "--location", str(self.location)]
        proc = subprocess.Popen(
            [*cmd, "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        self.procs[base] = proc
        deadline = time.time() + 30
        while True:
            try:
                httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=2)
                return base
            except httpx.TransportError:
                if time.time() > deadline or proc.poll() is not None:
                    proc.kill()
                    pytest.fail("oxigraph server did not start")
                time.sleep(0.2)

    def stop(self, base: str) -> None:
        proc = self.procs.pop(base)
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Servers]:
    if OXIGRAPH is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    started = Servers(tmp_path / "db")
    yield started
    for base in list(started.procs):
        started.stop(base)


@pytest.fixture
def inputs(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "news"
    folder.mkdir()
    a, b = folder / "a.txt", folder / "b.txt"
    a.write_text(TEXT_A, encoding="utf-8")
    b.write_text(TEXT_B, encoding="utf-8")
    return [a, b]


def _build(paths: list[Path], base: str, *extra: str) -> int:
    return main(["build", *map(str, paths), "--store", base, "--workers", "0", *extra])


def _graphs(base: str) -> dict[str, int]:
    """Named graph → triple count, read with SPARQL over GRAPH ?g."""
    r = httpx.post(
        f"{base}/query",
        data={
            "query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
            "GROUP BY ?g"
        },
        headers={"Accept": "application/sparql-results+json"},
    )
    r.raise_for_status()
    rows = r.json()["results"]["bindings"]
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}


def _named_graph(base: str, iri: str) -> Graph:
    r = httpx.get(
        f"{base}/store",
        params={"graph": iri},
        headers={"Accept": "application/n-triples"},
    )
    r.raise_for_status()
    return Graph().parse(data=r.text, format="nt")


def _union(base: str) -> Graph:
    r = httpx.post(
        f"{base}/query",
        params={"union-default-graph": ""},
        data={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/n-triples"},
    )
    r.raise_for_status()
    return Graph().parse(data=r.text, format="nt")


def test_one_named_graph_per_document_same_graph_as_local(
    servers: Servers, inputs: list[Path], tmp_path: Path, nlp: object
) -> None:
    base = servers.start()
    assert _build(inputs, base) == 0
    out = tmp_path / "local"
    run_build(inputs, config=BuildConfig(out=out, workers=0, page=False))
    stored = {d.doc_id: d for d in list_documents(out)}
    graphs = _graphs(base)
    assert set(graphs) == {d.iri for d in stored.values()}
    for doc in stored.values():
        g = _named_graph(base, doc.iri)
        node = URIRef(doc.iri)
        assert (node, KGO["contentHash"], Literal(doc.sha256)) in g
        sentences = set(g.subjects(NS["dcterms"]["isPartOf"], node))
        assert len(sentences) == doc.sentences == 2
        # statements and mentions of this document only
        for sentence in g.objects(None, NS["prov"]["wasDerivedFrom"]):
            assert sentence in sentences
    a_graph = _named_graph(base, stored[min(stored)].iri)
    assert any(a_graph.triples((None, KGO["founded"], None)))
    # the union of the document graphs is the graph a local build writes
    assert isomorphic(_union(base), load_graph(out))


def test_rebuild_is_idempotent_and_replaces_a_changed_document(
    servers: Servers, inputs: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    base = servers.start()
    assert _build(inputs, base) == 0
    before = _graphs(base)
    capsys.readouterr()
    assert _build(inputs, base) == 0
    assert "unchanged 2" in capsys.readouterr().out
    assert _build(inputs, base, "--refresh") == 0
    assert _graphs(base) == before
    inputs[0].write_text("Marta Velloso hired Tomas Brandt.\n", encoding="utf-8")
    assert _build(inputs, base) == 0
    after = _graphs(base)
    assert set(after) == set(before)
    changed = [g for g in after if after[g] != before[g]]
    assert len(changed) == 1
    g = _named_graph(base, changed[0])
    texts = {str(o) for o in g.objects(None, NS["rdf"]["value"])}
    assert "Marta Velloso hired Tomas Brandt.\n" in texts
    assert not any("Lisbon" in t for t in texts)
    assert not any(g.triples((None, KGO["founded"], None)))


def test_query_and_remove(
    servers: Servers, inputs: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    base = servers.start()
    assert _build(inputs, base) == 0
    capsys.readouterr()
    select = (
        "SELECT DISTINCT ?name WHERE { ?e a kgo:Person ; rdfs:label ?name } "
        "ORDER BY ?name"
    )
    assert main(["query", "--store", base, "--format", "csv", select]) == 0
    assert capsys.readouterr().out.split("\r\n")[:3] == [
        "name",
        "Marta Velloso",
        "Tomas Brandt",
    ]
    assert main(["query", "--store", base, "--format", "json", select]) == 0
    rows = json.loads(capsys.readouterr().out)["results"]["bindings"]
    names = [row["name"]["value"] for row in rows]
    assert names == ["Marta Velloso", "Tomas Brandt"]
    ask = "ASK { ?s kgo:founded ?o }"
    assert main(["query", "--store", base, "--format", "table", ask]) == 0
    assert capsys.readouterr().out.strip() == "yes"
    # remove one document: its graph goes, the other stays
    graphs = _graphs(base)
    assert main(["remove", "a.txt", "--store", base]) == 0
    left = _graphs(base)
    assert len(left) == 1
    assert set(left) < set(graphs)
    assert main(["query", "--store", base, "--format", "table", ask]) == 0
    assert capsys.readouterr().out.strip().endswith("no")
    r = httpx.get(f"{base}/store", params={"graph": (set(graphs) - set(left)).pop()})
    assert r.status_code == 404
    # a document the store does not hold: one line, exit 2, nothing deleted
    assert main(["remove", "a.txt", "--store", base]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kg: error: no document 'a.txt'")
    assert err.count("\n") == 1
    assert _graphs(base) == left


def test_query_errors_are_one_line(
    servers: Servers, capsys: pytest.CaptureFixture[str]
) -> None:
    base = servers.start()
    assert main(["query", "--store", base, "INSERT DATA { <a:x> <a:y> <a:z> }"]) == 2
    assert main(["query", "--store", base, "SELECT ?s WHERE { ?s"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2
    assert all(line.startswith("kg: error: ") for line in err)
    assert _graphs(base) == {}


def _assert_one_line_error(capsys: pytest.CaptureFixture[str], code: int) -> str:
    err = capsys.readouterr().err
    assert code != 0
    assert err.startswith("kg: error: "), err
    assert err.count("\n") == 1, err
    return err


def test_store_down_or_failing_writes_nothing(
    servers: Servers,
    inputs: list[Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    # nothing listens: stops before parsing, no output folder either
    code = _build(inputs, f"http://127.0.0.1:{free_port()}", "--out", str(out))
    assert "cannot reach" in _assert_one_line_error(capsys, code)
    assert code == 1
    assert not out.exists()
    assert main(["query", "--store", f"http://127.0.0.1:{free_port()}", "ASK {}"]) == 1
    _assert_one_line_error(capsys, 1)
    # not an http(s) URL: a usage error before any work
    code = _build(inputs, "ftp://127.0.0.1/store")
    assert code == 2
    assert "not an http" in _assert_one_line_error(capsys, code)
    # a server that answers errors (no such endpoint): nothing written
    base = servers.start()
    code = _build(inputs, f"{base}/no-such-path")
    assert code == 1
    assert "HTTP 404" in _assert_one_line_error(capsys, code)
    assert _graphs(base) == {}


def test_store_refusing_writes_keeps_what_it_held(
    servers: Servers, inputs: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    base = servers.start()
    assert _build(inputs[:1], base) == 0
    held = _graphs(base)
    assert len(held) == 1
    # the same database served read-only: queries answer, every PUT is refused
    servers.stop(base)
    read_only = servers.start(read_only=True)
    capsys.readouterr()
    code = _build(inputs, read_only)
    err = _assert_one_line_error(capsys, code)
    assert code == 1
    assert "answered HTTP" in err
    assert _graphs(read_only) == held


def _apart(tmp_path: Path) -> tuple[Path, Path]:
    """Two documents; the second names the first's entities by short names."""
    a, b = tmp_path / "first.txt", tmp_path / "second.txt"
    a.write_text(
        "Marta Velloso founded Quintrel Systems Inc. in Lisbon. "
        "Marta Velloso hired Tomas Brandt.\n",
        encoding="utf-8",
    )
    b.write_text(
        "Quintrel Systems opened an office in Porto. "
        "Velloso praised Brandt for the move.\n",
        encoding="utf-8",
    )
    return a, b


def test_documents_built_apart_resolve_against_the_stored_entities(
    servers: Servers, tmp_path: Path, nlp: object
) -> None:
    a, b = _apart(tmp_path)
    base = servers.start()
    out = tmp_path / "local"
    for path in (a, b):  # two builds, one document each, on both sides
        assert _build([path], base) == 0
        run_build([path], config=BuildConfig(out=out, workers=0, page=False))
    union = _union(base)
    # the second document's short names joined the first's entities
    rules = {str(r) for r in union.objects(None, KGO["linkRule"])}
    assert {"kg.link.surname.v3", "kg.link.alias.v1"} <= rules
    people = set(union.subjects(NS["rdf"]["type"], KGO["Person"]))
    assert len(people) == 2
    assert isomorphic(union, load_graph(out))


def test_a_build_stopped_part_way_is_completed_by_the_next(
    servers: Servers,
    inputs: list[Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    nlp: object,
) -> None:
    import kg.remote

    base = servers.start()
    real = kg.remote._request
    puts: list[str] = []

    def second_put_fails(store: kg.remote.RemoteStore, method: str, url: str, **kw):  # type: ignore[no-untyped-def]
        if method == "PUT":
            puts.append(url)
            if len(puts) == 2:
                servers.stop(base)  # the store goes down mid-build
        return real(store, method, url, **kw)

    monkeypatch.setattr(kg.remote, "_request", second_put_fails)
    code = _build(inputs, base)
    assert code == 1
    # (the progress bar of two documents, off a terminal, leaves a blank line)
    err = capsys.readouterr().err.lstrip("\n").splitlines()
    assert len(err) == 1
    assert err[0].startswith("kg: error: cannot reach")
    monkeypatch.setattr(kg.remote, "_request", real)
    # the same database again: the first document complete, the second absent
    base = servers.start()
    out = tmp_path / "local"
    run_build(inputs, config=BuildConfig(out=out, workers=0, page=False))
    first, second = sorted(list_documents(out), key=lambda d: d.doc_id)
    assert set(_graphs(base)) == {first.iri}
    assert isomorphic(
        _named_graph(base, first.iri),
        _union(base),
    )
    capsys.readouterr()
    assert _build(inputs, base) == 0
    assert "unchanged 1" in capsys.readouterr().out
    assert set(_graphs(base)) == {first.iri, second.iri}
    assert isomorphic(_union(base), load_graph(out))


def test_a_document_bridging_two_stored_entities_merges_them(
    servers: Servers, tmp_path: Path
) -> None:
    from kg.remote import RemoteStore, write_remote
    from kg.store import write_documents
    from tests.test_link import _corpus, _doc

    nickname = _doc(
        "e.txt",
        "Q-Bots, the Dunmere robot maker, opened a lab.",
        ("q-bots", "Organization", ["Q-Bots"]),
        ("dunmere", "Place", ["Dunmere"]),
    )
    both = _doc(
        "f.txt",
        "Quillon Robotics, known as Q-Bots, left Dunmere.",
        ("quillon robotics", "Organization", ["Quillon Robotics", "Q-Bots"]),
        ("dunmere", "Place", ["Dunmere"]),
    )
    store = RemoteStore.parse(servers.start())
    out = tmp_path / "local"
    for batch in ([_corpus()[0], nickname], [both]):
        write_remote(store, batch)
        write_documents(out, batch)
    union = _union(store.base)
    bots = URIRef("https://w3id.org/kg/id/entity/q-bots")
    assert (bots, None, None) not in union
    assert (None, None, bots) not in union
    # the same graph as the embedded store's, which merges them in place
    assert isomorphic(union, load_graph(out))


def test_a_build_writes_in_batches_each_resolved_against_the_earlier(
    servers: Servers,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    nlp: object,
) -> None:
    import kg.remote

    a, b = _apart(tmp_path)
    puts: list[int] = []
    real = kg.remote.write_remote

    def spy(store, documents, **kw):  # type: ignore[no-untyped-def]
        puts.append(len(documents))
        return real(store, documents, **kw)

    monkeypatch.setattr(kg.remote, "WRITE_BATCH", 1)
    monkeypatch.setattr(kg.remote, "write_remote", spy)
    base = servers.start()
    assert _build([a, b], base) == 0  # one build, two batches of one
    assert puts == [1, 1]
    out = tmp_path / "local"
    for path in (a, b):
        run_build([path], config=BuildConfig(out=out, workers=0, page=False))
    union = _union(base)
    rules = {str(r) for r in union.objects(None, KGO["linkRule"])}
    assert "kg.link.surname.v3" in rules
    assert isomorphic(union, load_graph(out))


def test_render_and_explain_from_the_store(
    servers: Servers,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    nlp: object,
) -> None:
    a, b = _apart(tmp_path)
    base = servers.start()
    assert _build([a, b], base) == 0
    page = tmp_path / "page"
    assert main(["render", "--store", base, "--out", str(page)]) == 0
    html = (page / "graph.html").read_text(encoding="utf-8")
    assert "Marta Velloso" in html
    assert "Quintrel Systems Inc." in html
    assert not (page / "store").exists()  # a page, not a copy of the store
    capsys.readouterr()
    assert main(["explain", "Tomas Brandt", "--store", base]) == 0
    text = capsys.readouterr().out
    assert "kg.link.surname.v3" in text
    assert "second.txt" in text
    assert main(["explain", "Nobody Here", "--store", base]) == 2
    assert capsys.readouterr().err.startswith("kg: error: ")


def test_a_graph_without_its_content_hash_counts_as_absent(
    servers: Servers,
    inputs: list[Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    nlp: object,
) -> None:
    import kg.remote

    base = servers.start()
    bodies: list[bytes] = []
    real = kg.remote._request

    def keep(store: kg.remote.RemoteStore, method: str, url: str, **kw):  # type: ignore[no-untyped-def]
        if method == "PUT":
            bodies.append(kw["content"])
        return real(store, method, url, **kw)

    monkeypatch.setattr(kg.remote, "_request", keep)
    assert _build(inputs, base) == 0
    # the hash, the mark of a complete document, is the last triple sent
    for body in bodies:
        assert b"#contentHash>" in body.splitlines()[-1]
    # a store that loaded a body only in part: everything but the hash
    before = _graphs(base)
    partial = b"\n".join(bodies[0].splitlines()[:-1]) + b"\n"
    iri = next(g for g in before if g.encode() in bodies[0].splitlines()[-1])
    httpx.put(
        f"{base}/store",
        params={"graph": iri},
        content=partial,
        headers={"Content-Type": "application/n-triples"},
    ).raise_for_status()
    capsys.readouterr()
    assert _build(inputs, base) == 0
    out = capsys.readouterr().out
    assert "documents 1" in out
    assert "unchanged 1" in out
    assert _graphs(base) == before


# --- kg export and the curation file against the external store -----------------

_CURATED = {
    "a.txt": "Quillon Robotics opened a plant in Dunmere. Ilse Tarrow runs it.",
    "b.txt": "Ilse Tarrow of Quillon Robotics hired forty welders in Dunmere.",
    "c.txt": "The Vexmoor Group bought a warehouse in Dunmere last week.",
}


@pytest.fixture
def curated_inputs(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "curated"
    folder.mkdir()
    paths = []
    for name, text in _CURATED.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
        paths.append(folder / name)
    return paths


def _entity_nodes(graph: Graph, name: str) -> set[str]:
    from rdflib.namespace import RDFS, SKOS

    return {
        str(s)
        for p in (RDFS.label, SKOS.altLabel)
        for s in graph.subjects(p, Literal(name))
        if "/entity/" in str(s)
    }


def test_export_from_the_store_is_the_local_export(
    servers: Servers,
    curated_inputs: list[Path],
    tmp_path: Path,
    capsysbinary: pytest.CaptureFixture[bytes],
    nlp: object,
) -> None:
    base = servers.start()
    assert _build(curated_inputs, base) == 0
    out = tmp_path / "local"
    run_build(curated_inputs, config=BuildConfig(out=out, workers=0, page=False))
    capsysbinary.readouterr()
    for fmt in ("nodes-csv", "edges-csv"):
        assert main(["export", "--store", base, "--format", fmt]) == 0
        remote = capsysbinary.readouterr().out
        assert main(["export", "--out", str(out), "--format", fmt]) == 0
        local = capsysbinary.readouterr().out
        assert remote.count(b"\n") > 2
        assert remote == local
    dest = tmp_path / "export" / "graph.ttl"
    dest.parent.mkdir()
    assert main(["export", str(dest), "--store", base]) == 0
    exported = Graph().parse(dest, format="turtle")
    assert isomorphic(exported, load_graph(out))
    # a store that is down: one line, nothing written
    servers.stop(base)
    before = dest.read_bytes()
    capsysbinary.readouterr()
    assert main(["export", str(dest), "--store", base]) == 1
    err = capsysbinary.readouterr().err.decode()
    assert err.startswith("kg: error: cannot reach the store")
    assert err.count("\n") == 1
    assert dest.read_bytes() == before


def test_merge_and_split_against_the_store_as_against_the_embedded(
    servers: Servers,
    curated_inputs: list[Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    nlp: object,
) -> None:
    base = servers.start()
    assert _build(curated_inputs, base) == 0
    local, remote_out = tmp_path / "local", tmp_path / "remote-out"
    run_build(curated_inputs, config=BuildConfig(out=local, workers=0, page=False))
    assert isomorphic(_union(base), load_graph(local))
    pair = ("Quillon Robotics", "Vexmoor Group")
    assert _entity_nodes(_union(base), pair[0]) != _entity_nodes(_union(base), pair[1])
    for command in ("merge", "split"):
        capsys.readouterr()
        assert main([command, *pair, "--out", str(local)]) == 0
        assert main([command, *pair, "--out", str(remote_out), "--store", base]) == 0
        union = _union(base)
        merged = _entity_nodes(union, pair[0]) == _entity_nodes(union, pair[1])
        assert merged == (command == "merge")
        # the external store holds what the embedded store holds after the same edit
        assert isomorphic(union, load_graph(local))
        assert (remote_out / "curation.txt").read_text(encoding="utf-8") == (
            local / "curation.txt"
        ).read_text(encoding="utf-8")
    # a name the store does not hold: one line, the store and the file unchanged
    before = _union(base)
    curation = (remote_out / "curation.txt").read_bytes()
    capsys.readouterr()
    code = main(
        ["merge", pair[0], "Nobody Anywhere", "--out", str(remote_out), "--store", base]
    )
    assert code == 2
    assert capsys.readouterr().err.startswith("kg: error: ")
    assert isomorphic(_union(base), before)
    assert (remote_out / "curation.txt").read_bytes() == curation


def test_the_curation_file_is_applied_by_build_and_render_with_the_store(
    servers: Servers,
    curated_inputs: list[Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    nlp: object,
) -> None:
    base = servers.start()
    out = tmp_path / "out"
    out.mkdir()
    pair = ("Quillon Robotics", "Vexmoor Group")
    (out / "curation.txt").write_text(f"same-as: {pair[0]} | {pair[1]}\n", "utf-8")
    # the build reads OUT/curation.txt: the two are one entity from the start
    assert _build(curated_inputs, base, "--out", str(out)) == 0
    union = _union(base)
    assert _entity_nodes(union, pair[0]) == _entity_nodes(union, pair[1]) != set()
    local = tmp_path / "local"
    local.mkdir()
    (local / "curation.txt").write_text(f"same-as: {pair[0]} | {pair[1]}\n", "utf-8")
    run_build(curated_inputs, config=BuildConfig(out=local, workers=0, page=False))
    assert isomorphic(union, load_graph(local))
    # a hand edit reaches the store with kg render --store
    (out / "curation.txt").write_text(f"not-same-as: {pair[0]} | {pair[1]}\n", "utf-8")
    capsys.readouterr()
    assert main(["render", "--store", base, "--out", str(out)]) == 0
    union = _union(base)
    assert _entity_nodes(union, pair[0]) != _entity_nodes(union, pair[1])
    # the same steps give the embedded store the same graph
    shutil.copy(out / "curation.txt", local / "curation.txt")
    assert main(["render", "--out", str(local)]) == 0
    assert isomorphic(union, load_graph(local))
    # a render with nothing to change sends no update
    graphs = {iri: _named_graph(base, iri) for iri in _graphs(base)}
    assert main(["render", "--store", base, "--out", str(out)]) == 0
    for iri, g in graphs.items():
        assert isomorphic(_named_graph(base, iri), g)
