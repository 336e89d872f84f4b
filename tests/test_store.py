"""The persistent store: incremental builds, removal, atomic writes, export."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from kg.build import BuildConfig, run_build
from kg.cli import main
from kg.errors import ConfigError, OutputError
from kg.inputs import document_id
from kg.ontology import KGO, load_ontology
from kg.rdf import NS, document_iri, mint_iri
from kg.store import (
    EXPORT_FORMATS,
    export_store,
    list_documents,
    load_graph,
    remove_documents,
    store_path,
    write_documents,
)
from kg.types import Document

TEXT_A = (
    "Ada Lovelace wrote to Charles Babbage in London. "
    "Charles Babbage founded the Analytical Society with John Herschel.\n"
)
TEXT_B = "Mary Somerville met Babbage in Paris. Ada Lovelace wrote to Charles Babbage about the engine.\n"


SUPPORTED_BY_BOTH = """
SELECT DISTINCT ?s ?p ?o WHERE {
  ?s ?p ?o .
  ?st1 rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
       prov:wasDerivedFrom/dcterms:isPartOf ?d1 .
  ?st2 rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
       prov:wasDerivedFrom/dcterms:isPartOf ?d2 .
  FILTER(?d1 != ?d2)
}
"""


@pytest.fixture
def texts(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    paths = {}
    for name, text in (("a", TEXT_A), ("b", TEXT_B)):
        paths[name] = folder / f"{name}.txt"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def _build(out: Path, *paths: Path) -> Graph:
    run_build(list(paths), config=BuildConfig(out=out))
    return load_graph(out)


def _relations(graph: Graph) -> set[tuple[str, str, str]]:
    props = {info.iri for info in load_ontology().properties.values()}
    return {(str(s), str(p), str(o)) for s, p, o in graph if p in props}


def test_rebuilding_the_same_document_changes_nothing(nlp, tmp_path, texts) -> None:
    out = tmp_path / "out"
    first = _build(out, texts["a"])
    second = _build(out, texts["a"])
    assert len(first) == len(second) > 0
    assert isomorphic(first, second)
    assert [d.source for d in list_documents(out)] == ["a.txt"]
    # graph.ttl is derived from the store and says the same
    ttl = Graph().parse(out / "graph.ttl", format="turtle")
    assert isomorphic(ttl, second)
    # the unchanged rebuild wrote nothing: one generation, no staging folder
    generations = {p for p in out.iterdir() if p.name.startswith(".store-")}
    assert store_path(out).resolve() in generations
    assert len(generations) == 1
    # a change publishes a new generation and keeps the one it replaced (for
    # readers that opened it just before the switch), no more
    _build(out, texts["a"], texts["b"])
    _build(out, texts["a"], texts["b"], texts["a"])
    assert len({p for p in out.iterdir() if p.name.startswith(".store-")}) == 2


def test_refreshing_a_document_replaces_it_with_the_same_facts(
    nlp, tmp_path, texts
) -> None:
    from kg.build import extract_document

    out = tmp_path / "out"
    first = _build(out, texts["a"], texts["b"])
    a_id = document_id(texts["a"])
    doc = extract_document(nlp(TEXT_A), doc_id=a_id, source="a.txt")
    skipped = write_documents(out, [doc])
    assert (skipped.written, skipped.unchanged) == ((), (a_id,))
    assert skipped.triples_after == skipped.triples_before
    # forced: a's facts are taken out and put back (b's stay), same graph
    report = write_documents(out, [doc], refresh=True)
    assert report.written == (a_id,)
    assert isomorphic(load_graph(out), first)


def test_new_document_merges_with_stored_entities(nlp, tmp_path, texts) -> None:
    out = tmp_path / "out"
    _build(out, texts["a"])
    both = _build(out, texts["b"])
    assert {d.source for d in list_documents(out)} == {"a.txt", "b.txt"}
    babbage = mint_iri("entity", "charles babbage")
    # "Babbage" in the second document is the stored Charles Babbage: no new node
    assert both.value(babbage, SKOS.prefLabel) == Literal("Charles Babbage")
    assert (mint_iri("entity", "babbage"), None, None) not in both
    docs = {
        str(both.value(both.value(m, KGO.inSentence), DCTERMS.isPartOf))
        for m in both.objects(babbage, KGO.mention)
    }
    assert docs == {str(document_iri(document_id(texts[n]))) for n in "ab"}
    # one label per entity even though the documents name it differently
    for entity in set(both.subjects(SKOS.prefLabel, None)):
        assert len(set(both.objects(entity, SKOS.prefLabel))) == 1


def test_remove_takes_out_only_what_the_document_alone_supports(
    nlp, tmp_path, texts
) -> None:
    only_a = _build(tmp_path / "a", texts["a"])
    out = tmp_path / "ab"
    both = _build(out, texts["a"], texts["b"])
    assert len(both) > len(only_a)
    report = remove_documents(out, ["b.txt"])
    assert report.removed == (document_id(texts["b"]),)
    after = load_graph(out)
    assert isomorphic(after, only_a), "removing b must give back the graph of a alone"

    # a fact both documents state survives the removal of either one
    out2 = tmp_path / "ab2"
    both = _build(out2, texts["a"], texts["b"])
    shared = {
        (str(r.s), str(r.p), str(r.o)) for r in both.query(SUPPORTED_BY_BOTH, initNs=NS)
    }
    assert shared, "the two texts state one relation by construction"
    remove_documents(out2, ["a.txt"])
    left = load_graph(out2)
    assert shared <= _relations(left)
    b_iri = document_iri(document_id(texts["b"]))
    assert list(left.subjects(RDF.type, KGO.Document)) == [b_iri]


def test_remove_unknown_document_lists_the_stored_ones(nlp, tmp_path, texts) -> None:
    out = tmp_path / "out"
    _build(out, texts["a"])
    with pytest.raises(ConfigError, match=r"stored documents: '/.*/a\.txt'"):
        remove_documents(out, ["nope.txt"])


def test_failed_write_leaves_the_store_as_it_was(nlp, tmp_path, texts) -> None:
    out = tmp_path / "out"
    before = _build(out, texts["a"])
    ttl_before = (out / "graph.ttl").read_bytes()
    target = store_path(out).resolve()
    hidden_before = {p.name for p in out.iterdir() if p.name.startswith(".")}
    from kg.build import extract_document

    doc = extract_document(nlp(TEXT_B), doc_id="b.txt")

    def explode(_graph: Graph) -> dict[str, bytes]:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_documents(out, [doc], derive=explode)
    assert store_path(out).resolve() == target
    assert isomorphic(load_graph(out), before)
    assert (out / "graph.ttl").read_bytes() == ttl_before
    hidden = {p.name for p in out.iterdir() if p.name.startswith(".")}
    assert hidden == hidden_before, "the staged copy and temporary files are removed"


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_export_round_trips(nlp, tmp_path, texts, fmt) -> None:
    out = tmp_path / "out"
    graph = _build(out, texts["a"])
    data = export_store(out, None, format=fmt)
    assert data
    rdflib_format = {
        "turtle": "turtle",
        "ntriples": "nt",
        "nquads": "nquads",
        "trig": "trig",
        "jsonld": "json-ld",
        "xml": "xml",
    }[fmt]
    if fmt == "jsonld":
        json.loads(data)
    parsed = Graph().parse(data=data, format=rdflib_format)
    assert isomorphic(parsed, graph)


def test_export_cli_writes_a_file_and_rejects_unknown_formats(
    nlp, tmp_path, texts, capsys
) -> None:
    out = tmp_path / "out"
    graph = _build(out, texts["a"])
    dest = tmp_path / "g.nq"
    assert main(["export", str(dest), "--out", str(out), "--format", "nquads"]) == 0
    assert isomorphic(Graph().parse(dest, format="nquads"), graph)
    assert main(["export", "--out", str(out), "--format", "yaml"]) == 2
    assert "kg: error: unknown export format 'yaml'" in capsys.readouterr().err


def test_load_graph_without_a_store_is_a_config_error(tmp_path) -> None:
    with pytest.raises(ConfigError, match="no kg store"):
        load_graph(tmp_path)


def test_cli_build_incrementally_then_remove(nlp, tmp_path, texts, capsys) -> None:
    out = tmp_path / "out"
    assert main(["build", str(texts["a"]), "--out", str(out)]) == 0
    only_a = load_graph(out)
    assert main(["build", str(texts["b"]), "--out", str(out)]) == 0
    assert {d.source for d in list_documents(out)} == {"a.txt", "b.txt"}
    capsys.readouterr()
    assert main(["remove", str(texts["b"]), "--out", str(out)]) == 0
    assert f"removed {document_id(texts['b'])}" in capsys.readouterr().out
    assert isomorphic(load_graph(out), only_a)
    # graph.ttl follows the store
    assert isomorphic(Graph().parse(out / "graph.ttl", format="turtle"), only_a)
    assert main(["remove", "b.txt", "--out", str(out)]) == 2
    assert "kg: error: no document 'b.txt' in the store" in capsys.readouterr().err


def test_concurrent_writers_do_not_lose_documents(nlp, tmp_path) -> None:
    import threading

    from kg.build import extract_document

    out = tmp_path / "out"
    docs = [
        extract_document(nlp(text), doc_id=f"{i}.txt")
        for i, text in enumerate((TEXT_A, TEXT_B, "Grace Hopper met Howard Aiken.\n"))
    ]
    threads = [threading.Thread(target=write_documents, args=(out, [d])) for d in docs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {d.doc_id for d in list_documents(out)} == {"0.txt", "1.txt", "2.txt"}


def test_build_skips_unchanged_inputs(nlp, tmp_path, texts, capsys) -> None:
    out = tmp_path / "out"
    first = run_build([texts["a"]], config=BuildConfig(out=out))
    assert (first.documents, first.unchanged) == (1, 0)
    again = run_build([texts["a"], texts["b"]], config=BuildConfig(out=out))
    assert (again.documents, again.unchanged) == (1, 1)
    texts["a"].write_text(TEXT_A.replace("London", "Paris"), encoding="utf-8")
    edited = run_build([texts["a"], texts["b"]], config=BuildConfig(out=out))
    assert (edited.documents, edited.unchanged) == (1, 1)
    graph = load_graph(out)
    assert any("Paris" in str(o) for o in graph.objects(None, RDF.value))
    assert not any("London" in str(o) for o in graph.objects(None, RDF.value))
    assert main(["build", str(texts["a"]), "--out", str(out)]) == 0
    assert "unchanged 1" in capsys.readouterr().out


def test_removing_the_document_that_named_an_entity_relabels_it(nlp, tmp_path) -> None:
    full, short = tmp_path / "full.txt", tmp_path / "short.txt"
    full.write_text("Ada Lovelace visited Paris in the spring.\n", encoding="utf-8")
    # a surname alone links across documents when they share some context
    short.write_text("Lovelace said she liked numbers and Paris.\n", encoding="utf-8")
    out = tmp_path / "out"
    run_build([full], config=BuildConfig(out=out))
    run_build([short], config=BuildConfig(out=out))
    node = mint_iri("entity", "ada lovelace")
    graph = load_graph(out)
    assert graph.value(node, SKOS.prefLabel) == Literal("Ada Lovelace")
    assert Literal("Lovelace") in set(graph.objects(node, SKOS.altLabel))
    remove_documents(out, ["full.txt"])
    graph = load_graph(out)
    assert set(graph.objects(node, SKOS.prefLabel)) == {Literal("Lovelace")}
    assert set(graph.objects(node, RDFS.label)) == {Literal("Lovelace")}
    assert set(graph.objects(node, SKOS.altLabel)) == set()


# --- property: removing the last document added gives back the store before it ---

_PEOPLE = (
    ("Ada Lovelace", "Lovelace"),
    ("Charles Babbage", "Babbage"),
    ("Mary Somerville", "Somerville"),
)
_PLACES = (("London", "London"), ("Paris", "Paris"))
_PROPS = ("meets", "wroteTo", "locatedIn", "relatedTo")


def _synthetic_document(
    doc_id: str, picks: list[tuple[int, int, int, bool]]
) -> Document:
    """One sentence per fact, 'X <verb> Y.', with entities keyed as coref would."""
    from kg.coref import name_key
    from kg.types import Entity, Mention, Provenance, Sentence, Triple

    pool = [(n, "Person", "PERSON") for n in _PEOPLE] + [
        (n, "Place", "GPE") for n in _PLACES
    ]
    chosen: dict[int, str] = {}
    sentences, triples, mentions = [], [], {}
    offset = 0
    for a, b, prop, full in picks:
        a, b = a % len(pool), b % len(pool)
        if a == b:
            continue
        names = []
        for idx in (a, b):
            # one surface form per entity and document (full or short name)
            chosen.setdefault(idx, pool[idx][0][0] if full else pool[idx][0][1])
            names.append(chosen[idx])
        text = f"{names[0]} met {names[1]}."
        sentences.append(Sentence(len(sentences), offset, offset + len(text), text))
        s_i = sentences[-1].index
        for idx, name, start in (
            (a, names[0], offset),
            (b, names[1], offset + len(names[0]) + 5),
        ):
            label = pool[idx][2]
            mentions.setdefault(idx, []).append(
                Mention(name, label, start, start + len(name), s_i)
            )
        triples.append(
            Triple(
                name_key(names[0]),
                _PROPS[prop % len(_PROPS)],
                name_key(names[1]),
                Provenance(doc_id, s_i, offset, offset + len(text), text),
                confidence=0.5 + 0.1 * (prop % 4),
                rule="synthetic.v1",
            )
        )
        offset += len(text) + 1
    entities = tuple(
        Entity(name_key(chosen[idx]), pool[idx][1], chosen[idx], tuple(ms))
        for idx, ms in mentions.items()
    )
    return Document(
        doc_id,
        doc_id,
        f"{abs(hash(tuple(picks))):064x}"[:64],
        tuple(sentences),
        entities,
        tuple(dict.fromkeys(triples)),
    )


_picks = st.lists(
    st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(0, 3), st.booleans()),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(first=st.lists(_picks, min_size=1, max_size=2), last=_picks)
def test_removing_the_last_document_restores_the_store(
    tmp_path_factory, first, last
) -> None:
    out = tmp_path_factory.mktemp("prop")
    earlier = [_synthetic_document(f"d{i}.txt", picks) for i, picks in enumerate(first)]
    for doc in earlier:
        write_documents(out, [doc])
    before = load_graph(out)
    write_documents(out, [_synthetic_document("new.txt", last)])
    remove_documents(out, ["new.txt"])
    after = load_graph(out)
    assert isomorphic(after, before)


def test_build_refresh_re_extracts_unchanged_inputs(nlp, tmp_path, texts) -> None:
    out = tmp_path / "out"
    first = _build(out, texts["a"], texts["b"])
    assert main(["build", str(texts["a"]), "--out", str(out), "--refresh"]) == 0
    report = run_build([texts["a"]], config=BuildConfig(out=out, refresh=True))
    assert (report.documents, report.unchanged) == (1, 0)
    assert isomorphic(load_graph(out), first)


def test_turtle_written_by_a_forked_process_is_the_same(
    nlp, tmp_path, texts, monkeypatch
) -> None:
    import kg.generations

    inline, forked = tmp_path / "inline", tmp_path / "forked"
    # b is added to a stored a: graph.ttl is dumped from the store
    monkeypatch.setattr(kg.generations, "_PARALLEL_TURTLE_BYTES", 10**12)
    _build(inline, texts["a"])
    _build(inline, texts["b"])
    monkeypatch.setattr(kg.generations, "_PARALLEL_TURTLE_BYTES", 0)
    # workers=1: the build may fork (extraction worker, Turtle dump)
    run_build([texts["a"]], config=BuildConfig(out=forked, workers=1))
    run_build([texts["b"]], config=BuildConfig(out=forked, workers=1))
    ttl = (forked / "graph.ttl").read_bytes()
    assert b"kgo:Document" in ttl
    assert ttl == (inline / "graph.ttl").read_bytes()
    assert (forked / "graph.html").read_bytes() == (inline / "graph.html").read_bytes()


def _fail_dump(_stage: str, _path: str) -> None:
    raise OSError("disk full")


def test_a_failed_turtle_process_leaves_the_files_recorded_behind(
    nlp, tmp_path, texts, monkeypatch
) -> None:
    import kg.generations
    from kg.generations import stale_files

    out = tmp_path / "out"
    _build(out, texts["a"])
    ttl_before = (out / "graph.ttl").read_bytes()
    hidden_before = {p.name for p in out.iterdir() if p.name.startswith(".")}
    monkeypatch.setattr(kg.generations, "_PARALLEL_TURTLE_BYTES", 0)
    monkeypatch.setattr(kg.generations, "_dump_turtle", _fail_dump)
    with pytest.raises(OutputError, match="was updated.*graph.ttl and graph.html"):
        run_build([texts["b"]], config=BuildConfig(out=out, workers=1))
    # the store holds both documents; the files are the old ones, recorded behind
    assert [d.source for d in list_documents(out)] == ["a.txt", "b.txt"]
    assert (out / "graph.ttl").read_bytes() == ttl_before
    assert stale_files(out) == ("graph.ttl", "graph.html")
    hidden = {p.name for p in out.iterdir() if p.name.startswith(".")}
    assert {h for h in hidden if not h.startswith(".store-")} == {
        h for h in hidden_before if not h.startswith(".store-")
    }
    # a build with nothing new writes them again
    monkeypatch.undo()
    report = run_build([texts["a"], texts["b"]], config=BuildConfig(out=out))
    assert report.documents == 0
    assert {p.name for p in report.outputs} == {"graph.ttl", "graph.html"}
    assert stale_files(out) == ()
    graph = Graph().parse(out / "graph.ttl", format="turtle")
    assert isomorphic(graph, load_graph(out))


def test_incremental_builds_with_a_worker_write_the_same_store(
    nlp, tmp_path, texts
) -> None:
    graphs = []
    for workers in (0, 1):
        out = tmp_path / f"out{workers}"
        for name in ("a", "b"):  # b merges into entities a stored
            run_build([texts[name]], config=BuildConfig(out=out, workers=workers))
        graphs.append(load_graph(out))
    assert len(graphs[0]) > 50
    assert isomorphic(graphs[0], graphs[1])


def test_a_new_output_gets_the_page_its_store_gives(nlp, tmp_path, texts) -> None:
    from kg.render import render_build

    for workers in (0, 1):  # drawn in this process, or forked beside the load
        out = tmp_path / f"out{workers}"
        config = BuildConfig(out=out, workers=workers)
        report = run_build([texts["a"], texts["b"]], config=config)
        drawn = (out / "graph.html").read_bytes()
        assert report.render is not None
        assert report.render.nodes > 5
        # kg render reads the published store back (SPARQL): the same page
        assert render_build(out) == replace(report.render, path=out / "graph.html")
        assert (out / "graph.html").read_bytes() == drawn


def _no_page(*_args: object, **_kwargs: object) -> object:
    raise ValueError("cannot draw")


def test_a_failed_page_process_falls_back_to_the_store(
    nlp, tmp_path, texts, monkeypatch, caplog
) -> None:
    import kg.derived

    inline = tmp_path / "inline"
    run_build([texts["a"], texts["b"]], config=BuildConfig(out=inline, workers=0))
    monkeypatch.setattr(kg.derived, "_draw_page", _no_page)  # inherited by the fork
    out = tmp_path / "out"
    with caplog.at_level("WARNING", logger="kg.derived"):
        run_build([texts["a"], texts["b"]], config=BuildConfig(out=out, workers=1))
    assert "ValueError: cannot draw" in caplog.text
    assert (out / "graph.html").read_bytes() == (inline / "graph.html").read_bytes()


def test_a_new_outputs_turtle_holds_what_its_store_holds(
    nlp, tmp_path, texts
) -> None:
    for workers in (0, 1):  # quads serialised here, or by the extraction worker
        out = tmp_path / f"out{workers}"
        run_build([texts["a"], texts["b"]], config=BuildConfig(out=out, workers=workers))
        # a new store's graph.ttl is pieced together from the documents' Turtle
        ttl = Graph().parse(out / "graph.ttl", format="turtle")
        assert len(ttl) > 50
        assert set(ttl) == set(load_graph(out))
        # and a later write dumps the store: the same triples either way
        (out / "graph.ttl").unlink()
        run_build([texts["a"], texts["b"]], config=BuildConfig(out=out, refresh=True))
        assert set(Graph().parse(out / "graph.ttl", format="turtle")) == set(ttl)


def test_a_write_reopens_its_staged_store_after_each_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each batch gets the staged store opened afresh (RocksDB's caches freed).

    Nothing written by a batch before is lost by closing and opening again.
    """
    import pyoxigraph as ox

    import kg.generations
    import kg.store_writes
    from kg.store import open_store, stored_hash, write_batches
    from kg.types import Entity, Mention

    sizes: list[int] = []
    reopened: list[int] = []
    write_batch = kg.store_writes._write_batch
    reopen = kg.generations.StagedStore.reopen

    def counted(store: ox.Store, documents, *args, **options):  # type: ignore[no-untyped-def]
        sizes.append(len(store))
        return write_batch(store, documents, *args, **options)

    def counted_reopen(staged: kg.generations.StagedStore) -> None:
        reopen(staged)  # (a reference kept across it would hold RocksDB's lock)
        reopened.append(len(staged.store))

    monkeypatch.setattr(kg.store_writes, "_write_batch", counted)
    monkeypatch.setattr(kg.generations.StagedStore, "reopen", counted_reopen)

    def doc(name: str) -> Document:
        m = Mention("Tarvik Oland", "PERSON", 0, 12, 0)
        e = Entity("tarvik oland", "Person", "Tarvik Oland", (m,))
        return Document(name, name, name[0] * 64, (), (e,))

    batches = [([doc(f"{c}.txt")], {}) for c in "abc"]
    report = write_batches(tmp_path, batches, turtle=None)
    assert report.written == ("a.txt", "b.txt", "c.txt")
    # opened again after each batch, holding what the batches before wrote
    assert sizes[0] == 0 < sizes[1] < sizes[2]
    assert reopened == [*sizes[1:], reopened[-1]]
    assert reopened[-1] > sizes[2]
    store = open_store(tmp_path)
    assert all(stored_hash(store, f"{c}.txt") == c * 64 for c in "abc")
