"""SHACL validation: every build conforms, a broken graph is reported."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, XSD

from kg.build import BuildConfig, run_build
from kg.cli import main
from kg.ontology import KGO
from kg.rdf import serialize
from kg.store import load_graph, validate_graph, validate_output

TEXT = (
    "Grace Hopper worked for the Navy in Arlington. Hopper wrote to Howard Aiken. "
    "Howard Aiken founded the Harvard Computation Lab.\n"
)


@pytest.fixture
def built(nlp, tmp_path: Path) -> Path:
    src = tmp_path / "doc.txt"
    src.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    run_build([src], config=BuildConfig(out=out))
    return out


def test_build_output_conforms(built: Path, capsys) -> None:
    report = validate_output(built)
    assert report.conforms, report.details
    assert main(["validate", str(built)]) == 0
    assert "conforms" in capsys.readouterr().out


def test_seed_build_conforms(nlp, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_build([Path(__file__).parent.parent / "seeds"], config=BuildConfig(out=out))
    report = validate_output(out)
    assert report.conforms, report.details


def test_broken_graph_is_reported(built: Path, tmp_path: Path, capsys) -> None:
    graph = load_graph(built)
    sentence = next(graph.subjects(RDF.type, KGO.Sentence))
    graph.remove((sentence, RDF.value, None))
    statement = next(graph.subjects(RDF.type, RDF.Statement), None)
    assert statement is not None, "the text states a relation by construction"
    graph.set(
        (statement, KGO.confidence, Literal(Decimal("1.5"), datatype=XSD.decimal))
    )
    report = validate_graph(graph)
    assert not report.conforms
    assert report.violations >= 2
    assert "\n" not in report.summary
    assert "SentenceShape" in report.summary and "StatementShape" in report.summary

    broken = serialize(graph, tmp_path / "broken.ttl")
    assert main(["validate", str(broken)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("does not conform: ")
    assert any("confidence" in line for line in out[1:])
    assert all(line.startswith(("Violation ", "Warning ")) for line in out[1:])


def test_relation_without_provenance_is_reported(built: Path) -> None:
    graph = load_graph(built)
    statement = next(graph.subjects(RDF.type, RDF.Statement))
    spo = [
        graph.value(statement, part)
        for part in (RDF.subject, RDF.predicate, RDF.object)
    ]
    # take out every statement behind that relation, keeping the plain assertion
    for st in set(graph.subjects(RDF.subject, spo[0])):
        if [graph.value(st, RDF.predicate), graph.value(st, RDF.object)] == spo[1:]:
            for triple in list(graph.triples((st, None, None))):
                graph.remove(triple)
    assert tuple(spo) in graph
    report = validate_graph(graph)
    assert not report.conforms
    assert "EntityShape" in report.summary


def test_relation_against_the_ontology_types_is_a_warning(built: Path) -> None:
    graph = load_graph(built)
    assert validate_graph(graph).conforms
    statement = next(graph.subjects(RDF.type, RDF.Statement))
    s, p, o = (
        graph.value(statement, part)
        for part in (RDF.subject, RDF.predicate, RDF.object)
    )
    # retarget the fact at a document: no ontology class allows that as an object
    doc = next(graph.subjects(RDF.type, KGO.Document))
    graph.remove((s, p, o))
    graph.add((s, p, doc))
    graph.set((statement, RDF.object, doc))
    report = validate_graph(graph)
    assert report.conforms, report.summary
    assert "warnings (RelationTypesShape" in report.summary
    assert "range" in report.details


def _pyshacl_results(graph) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(severity, focus node) of every result, from pyshacl with all shapes."""
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import SH

    from kg.ontology import load_ontology
    from kg.store import shapes_path

    _c, report, _t = pyshacl.validate(
        graph,
        shacl_graph=Graph().parse(shapes_path(), format="turtle"),
        ont_graph=load_ontology().graph,
        inference="none",
        allow_warnings=True,
    )
    return {
        (
            str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
            str(report.value(r, SH.focusNode)),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }


def test_the_fast_validation_finds_what_pyshacl_finds(built: Path) -> None:
    from rdflib import URIRef

    from kg.ontology import KGO_URI
    from kg.rdf import NS

    graph = load_graph(built)
    # break it in several ways: a statement with no plain triple, a relation
    # with no statement, a relation outside its domain, a value that is no literal
    statement = next(graph.subjects(RDF.type, RDF.Statement))
    s, p, o = (
        graph.value(statement, x) for x in (RDF.subject, RDF.predicate, RDF.object)
    )
    graph.remove((s, p, o))
    doc = next(graph.subjects(RDF.type, KGO.Document))
    entity = next(graph.subjects(KGO.mention, None))
    graph.add((entity, URIRef(KGO_URI + "owns"), doc))
    graph.add((entity, URIRef(KGO_URI + "birthDate"), doc))
    expected = _pyshacl_results(graph)
    report = validate_graph(graph)
    assert len(expected) >= 3
    found = {(line.split(" ", 1)[0], line.split(": ")[1]) for line in report.lines}
    short = {
        (severity, focus.replace(str(NS["kg"]), "kg:")) for severity, focus in expected
    }
    assert found == short
    assert (
        report.violations == sum(1 for sev, _f in expected if sev == "Violation")
        or report.violations >= 1
    )


def test_validate_command_lists_warnings(built: Path, capsys) -> None:
    graph = load_graph(built)
    doc = next(graph.subjects(RDF.type, KGO.Document))
    statement = next(graph.subjects(RDF.type, RDF.Statement))
    s, p, o = (
        graph.value(statement, x) for x in (RDF.subject, RDF.predicate, RDF.object)
    )
    graph.remove((s, p, o))
    graph.add((s, p, doc))
    graph.set((statement, RDF.object, doc))
    path = serialize(graph, built.parent / "warned.ttl")
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "warnings (RelationTypesShape" in out[0]
    assert any(
        line.startswith("Warning RelationTypesShape: ") and "range" in line
        for line in out[1:]
    )
    assert main(["validate", "--out", str(built.parent / "nothing")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("kg: error:")
