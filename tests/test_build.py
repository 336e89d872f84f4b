"""End to end: ``kg build`` on the sample article, checked through the written RDF."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.ontology import KGO, KGO_URI, load_ontology
from tests.fixtures import SEEDS


@pytest.fixture(scope="module")
def graph(seed_build: Path) -> Graph:
    return Graph().parse(seed_build / "graph.ttl", format="turtle")


def _entities(graph: Graph) -> set[URIRef]:
    return {URIRef(e) for e in graph.subjects(KGO.mention, None)}


def _relation_triples(graph: Graph) -> list[tuple[URIRef, URIRef, URIRef]]:
    entities = _entities(graph)
    return [
        (s, p, o)  # type: ignore[misc]
        for s, p, o in graph
        if s in entities and o in entities and str(p).startswith(KGO_URI)
    ]


def test_build_writes_turtle_and_html(seed_build: Path) -> None:
    assert (seed_build / "graph.ttl").stat().st_size > 0
    assert (seed_build / "graph.html").stat().st_size > 0


def test_relations_connect_typed_labelled_entities(graph: Graph) -> None:
    onto = load_ontology()
    relations = _relation_triples(graph)
    assert relations, "the sample article yields no relation between entities"
    for s, _p, o in relations:
        for node in (s, o):
            types = [t for t in graph.objects(node, RDF.type) if str(t).startswith(KGO_URI)]
            assert types, f"{node} has no ontology class"
            assert all(str(t)[len(KGO_URI) :] in onto.classes for t in types)
            assert graph.value(node, RDFS.label) is not None, f"{node} has no label"


def test_every_predicate_is_declared_in_the_ontology(graph: Graph) -> None:
    onto = load_ontology().graph
    for predicate in set(graph.predicates()):
        if str(predicate).startswith(KGO_URI):
            declared = {
                t
                for t in onto.objects(predicate, RDF.type)
                if t in {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
            }
            assert declared, f"{predicate} is used but not declared in ontology/"


def test_every_relation_is_traceable_to_a_sentence_holding_both_mentions(graph: Graph) -> None:
    from rdflib import PROV

    statements = list(graph.subjects(RDF.type, RDF.Statement))
    assert statements
    for stmt in statements:
        s, p, o = (graph.value(stmt, t) for t in (RDF.subject, RDF.predicate, RDF.object))
        if str(graph.value(stmt, KGO.modality)) == "asserted":
            assert (s, p, o) in graph, "asserted statement has no plain triple"
        else:  # negated, asked, hedged, reported: the statement only
            assert (s, p, o) not in graph or any(
                str(graph.value(other, KGO.modality)) == "asserted"
                for other in graph.subjects(RDF.subject, s)
                if graph.value(other, RDF.predicate) == p
                and graph.value(other, RDF.object) == o
            ), "a statement that is not asserted is a plain triple"
        sentence = graph.value(stmt, PROV.wasDerivedFrom)
        text = str(graph.value(sentence, RDF.value))
        start, end = (int(graph.value(stmt, t)) for t in (KGO.startChar, KGO.endChar))  # type: ignore[arg-type]
        sent_start = int(graph.value(sentence, KGO.startChar))  # type: ignore[arg-type]
        assert 0 <= start - sent_start <= end - sent_start <= len(text)


def test_people_of_the_article_are_nodes_linked_by_relations(graph: Graph) -> None:
    # people are the nodes a proper name refers to (described things such as
    # "father of X" carry X's name in their label but are not X)
    named = {
        e
        for e, m in graph.subject_objects(KGO.mention)
        if str(graph.value(m, KGO.mentionKind)) == "name"
    }
    names = {e: str(graph.value(e, RDFS.label)).split() for e in named}
    relations = _relation_triples(graph)
    linked = {s for s, _, _ in relations} | {o for _, _, o in relations}
    for surname in ("Maldonado-Passage", "Kardashian", "Baskin"):
        nodes = {e for e, words in names.items() if surname in words}
        assert nodes, f"no node named {surname}"
        assert nodes & linked, f"{surname} takes part in no relation"
        for node in nodes:
            assert (node, RDF.type, KGO.Person) in graph


def test_cli_build_prints_summary(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", str(SEEDS), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for word in ("documents 1", "sentences", "entities", "relations"):
        assert word in result.stdout
    assert (out / "graph.ttl").exists() and (out / "graph.html").exists()


_SHORT_NEWS = [
    "Ada Lovelace wrote to Charles Babbage in London. Babbage replied a week later.",
    "The Royal Society elected Mary Somerville in 1835. She lived in Florence.",
    "Acme Corp. acquired Globex for $2 billion. Globex was founded in Ohio in 1990.",
    "Pierre Curie married Marie Sklodowska in Paris. They worked at the Sorbonne.",
    "The mayor of Springfield met the governor in Boston on Monday.",
    "Tesla opened a factory in Berlin. Elon Musk attended the ceremony.",
    "Lovelace met Somerville at a dinner. Somerville introduced her to Babbage.",
    "Globex sued Acme Corp. in Delaware. The court dismissed the case in May.",
]


def test_a_build_with_an_extraction_worker_writes_the_same_output(
    nlp, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    from rdflib.compare import isomorphic

    from kg.build import BuildConfig, run_build
    from kg.nlp import DEFAULT_MODEL

    folder = tmp_path / "in"
    folder.mkdir()
    for i, text in enumerate(_SHORT_NEWS):
        (folder / f"n{i}.txt").write_text(text, encoding="utf-8")
    outputs = {}
    for workers in (0, 1):
        out = tmp_path / f"out{workers}"
        config = BuildConfig(
            out=out, model=DEFAULT_MODEL, batch_size=2, workers=workers
        )
        report = run_build([folder], config=config)
        assert report.documents == len(_SHORT_NEWS)
        outputs[workers] = (report, out)
    (single, out0), (overlapped, out1) = outputs[0], outputs[1]
    assert (single.words, single.entities, single.relations) == (
        overlapped.words,
        overlapped.entities,
        overlapped.relations,
    )
    ttl0 = Graph().parse(out0 / "graph.ttl", format="turtle")
    ttl1 = Graph().parse(out1 / "graph.ttl", format="turtle")
    assert len(ttl0) > 50
    assert isomorphic(ttl0, ttl1)
    assert (out0 / "graph.html").read_bytes() == (out1 / "graph.html").read_bytes()


def test_negative_workers_is_a_config_error(tmp_path: Path) -> None:
    from kg.build import BuildConfig, run_build
    from kg.errors import ConfigError

    with pytest.raises(ConfigError, match="workers"):
        run_build([SEEDS], config=BuildConfig(out=tmp_path / "o", workers=-1))


def test_an_error_in_the_extraction_worker_reaches_the_caller(
    nlp, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    from kg.build import BuildConfig, run_build
    from kg.errors import ConfigError

    folder = tmp_path / "in"
    folder.mkdir()
    for i, text in enumerate(_SHORT_NEWS[:3]):
        (folder / f"n{i}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    config = BuildConfig(out=out, extractor="kg.no-such-extractor.v1", workers=1)
    with pytest.raises(ConfigError, match="no-such-extractor"):
        run_build([folder], config=config)
    assert not (out / "graph.ttl").exists()


def test_cli_workers_option(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from kg.cli import main
    from kg.nlp import DEFAULT_MODEL

    folder = tmp_path / "in"
    folder.mkdir()
    for i, text in enumerate(_SHORT_NEWS[:4]):
        (folder / f"n{i}.txt").write_text(text, encoding="utf-8")
    ttl = {}
    for workers in ("0", "1"):
        out = tmp_path / f"out{workers}"
        args = ["build", str(folder), "--out", str(out), "--workers", workers]
        assert main([*args, "--model", DEFAULT_MODEL]) == 0
        ttl[workers] = Graph().parse(out / "graph.ttl", format="turtle")
    from rdflib.compare import isomorphic

    assert len(ttl["0"]) > 20
    assert isomorphic(ttl["0"], ttl["1"])
    bad = ["build", str(folder), "--out", str(tmp_path / "x"), "--workers", "-1"]
    assert main(bad) == 2
