"""Dates and numbers as values: normalisation, date relations, RDF literals, SPARQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import PROV, RDF, XSD, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.build import BuildConfig, extract_document, run_build
from kg.eval import score_redocred
from kg.ontology import KGO_URI, load_ontology
from kg.query import KnowledgeGraph
from kg.rdf import build_graph, document_quads, mint_iri, serialize
from kg.render import collect_store_view
from kg.store import open_store, validate_output
from kg.types import Document
from kg.values import extract_values, normalise_date, normalise_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("June 21, 1946", ("date", "1946-06-21")),
        ("21 June 1946", ("date", "1946-06-21")),
        ("21st of June 1946", ("date", "1946-06-21")),
        ("Sept. 3, 1801", ("date", "1801-09-03")),
        ("1946-06-21", ("date", "1946-06-21")),
        ("March 2011", ("gYearMonth", "2011-03")),
        ("1990", ("gYear", "1990")),
        ("the year 1990", ("gYear", "1990")),
        ("the 1990s", ("string", "the 1990s")),
        ("February 30, 1990", ("string", "February 30, 1990")),
        ("two weeks", ("string", "two weeks")),
    ],
)
def test_normalise_date(text: str, expected: tuple[str, str]) -> None:
    assert normalise_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19,550", ("integer", "19550")),
        ("3.25", ("decimal", "3.25")),
        ("twenty-one", ("integer", "21")),
        ("two hundred", ("integer", "200")),
        ("1.5 million", ("integer", "1500000")),
        ("$21 million", ("string", "$21 million")),
        ("40 km", ("string", "40 km")),
    ],
)
def test_normalise_number(text: str, expected: tuple[str, str]) -> None:
    assert normalise_number(text) == expected


def test_mentions_of_one_value_form_one_value_apart_from_entities(nlp) -> None:
    doc = nlp(
        "Lena Falk moved to Oslo in 1988. The museum there opened in 1988 "
        "and had 3,400 visitors in its first week."
    )
    values = {v.key: v for v in extract_values(doc)}
    assert len(values["1988^^gYear"].mentions) == 2
    assert values["3400^^integer"].kind == "number"
    document = extract_document(doc, doc_id="d")
    assert {v.key for v in document.values} >= {"1988^^gYear", "3400^^integer"}
    named = {m.text for e in document.entities for m in e.mentions}
    assert not named & {"1988", "3,400"}


def test_a_date_range_is_two_values(nlp) -> None:
    doc = nlp("Ruth Olsen (March 3, 1921 – June 9, 1990) was a chemist.")
    assert [v.lexical for v in extract_values(doc)] == ["1921-03-03", "1990-06-09"]


def test_a_list_of_years_is_one_value_per_year(nlp) -> None:
    doc = nlp("Nora Vik won the title in 1959, 1961 and 1969, and again in 1969.")
    values = {v.key: v for v in extract_values(doc)}
    assert {"1959^^gYear", "1961^^gYear", "1969^^gYear"} <= values.keys()
    assert len(values["1969^^gYear"].mentions) == 2
    doc = nlp("The bridge opened on May 3, 1950 in Ashford.")
    assert [v.lexical for v in extract_values(doc)] == ["1950-05-03"]


def _value_facts(nlp, text: str) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    document = extract_document(nlp(text), doc_id="t.txt")
    values = {v.key for v in document.values}
    return {
        (t.subject, t.predicate, t.object)
        for t in document.triples
        if t.object in values
    }


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        (
            "Maria Lopez was born on 3 May 1950 in Lisbon.",
            ("maria lopez", "birthDate", "1950-05-03^^date"),
        ),
        (
            "Peter Novak (born 12 April 1961) is a Czech chemist.",
            ("peter novak", "birthDate", "1961-04-12^^date"),
        ),
        (
            "Anna Berg (1902 – 1987) was a Swedish painter.",
            ("anna berg", "deathDate", "1987^^gYear"),
        ),
        (
            "Henrik Dahl died in March 2011.",
            ("henrik dahl", "deathDate", "2011-03^^gYearMonth"),
        ),
        (
            "Northwind Logistics was founded in 1990 by two engineers.",
            ("northwind logistics", "inception", "1990^^gYear"),
        ),
        (
            "Silver Roads is a 2005 album by the band.",
            ("silver roads", "publicationDate", "2005^^gYear"),
        ),
        (
            "Ingrid Holm wrote Winter Light (1962), her first novel.",
            ("winter light", "publicationDate", "1962^^gYear"),
        ),
        (
            "The Geneva Summit was held on 4 June 2001.",
            ("geneva summit", "pointInTime", "2001-06-04^^date"),
        ),
    ],
)
def test_date_relation_constructions(
    nlp, text: str, fact: tuple[str, str, str]
) -> None:  # type: ignore[no-untyped-def]
    assert fact in _value_facts(nlp, text)


def test_both_ends_of_a_life_span(nlp) -> None:  # type: ignore[no-untyped-def]
    facts = _value_facts(nlp, "Anna Berg (1902 – 1987) was a Swedish painter.")
    assert ("anna berg", "birthDate", "1902^^gYear") in facts


@pytest.mark.parametrize(
    "text",
    [
        "Maria Lopez was not born in 1950.",  # negated
        "Tomas Ek (1990 – 1996) led the club.",  # a term of office, not a life
        "Maria Lopez died at the age of 36.",  # an age is not a date
    ],
)
def test_no_date_fact(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert not _value_facts(nlp, text)


def test_a_person_gets_no_inception(nlp) -> None:  # type: ignore[no-untyped-def]
    facts = _value_facts(nlp, "Maria Lopez founded a small bakery in 1990.")
    assert not any(s == "maria lopez" for s, _p, _o in facts)


def test_value_properties_are_aligned_and_keep_to_their_own_triggers() -> None:
    onto = load_ontology()
    assert onto.wikidata_relations("birthDate") == (("P569", False),)
    aligned = {p for info in onto.value_properties.values() for p in info.wikidata}
    assert {"P569", "P570", "P571", "P577", "P580", "P582", "P585"} <= aligned
    # "bear in" links a person to a place; "bear" alone is the date's trigger
    assert [p.name for p in onto.properties_for("verb", "bear")] == []
    assert [p.name for p in onto.value_properties_for("verb", "bear")] == ["birthDate"]


TEXT = "Clara Weiss was born on 14 July 1931 in Graz. Weiss wrote to Otto Brandt.\n"


@pytest.fixture
def document(nlp) -> Document:  # type: ignore[no-untyped-def]
    return extract_document(nlp(TEXT), doc_id="weiss.txt")


def test_value_literal_round_trips_through_turtle(
    document: Document, tmp_path: Path
) -> None:
    path = serialize(build_graph([document]), tmp_path / "g.ttl")
    graph = Graph().parse(path, format="turtle")
    person = mint_iri("entity", "clara weiss")
    birth = URIRef(KGO_URI + "birthDate")
    (date,) = graph.objects(person, birth)
    assert isinstance(date, Literal)
    assert date.datatype == XSD.date and str(date) == "1931-07-14"
    # reified like every other fact, with its sentence
    (stmt,) = graph.subjects(RDF.object, date)
    assert graph.value(stmt, RDF.subject) == person
    sentence = graph.value(stmt, PROV.wasDerivedFrom)
    assert "14 July 1931" in str(graph.value(sentence, RDF.value))


def test_document_quads_equal_build_graph_with_values(document: Document) -> None:
    import pyoxigraph as ox

    store = ox.Store()
    store.extend(q for q in document_quads([document]))
    data = store.dump(format=ox.RdfFormat.N_QUADS)
    assert isomorphic(
        Graph().parse(data=data, format="nquads"), build_graph([document])
    )


def test_sparql_finds_a_birth_date_and_values_are_not_nodes(
    nlp, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "weiss.txt"
    src.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    run_build([src], config=BuildConfig(out=out))
    kg = KnowledgeGraph.open(out)
    rows = kg.query(
        "SELECT ?d WHERE { ?p kgo:birthDate ?d ; rdfs:label 'Clara Weiss' }"
    )
    (row,) = list(rows)
    assert row["d"] == Literal("1931-07-14", datatype=XSD.date)
    assert validate_output(out).conforms
    view = collect_store_view(open_store(out))
    labels = {n.label for n in view.nodes}
    assert "Clara Weiss" in labels and not any("1931" in label for label in labels)
    (person,) = (n for n in view.nodes if n.label == "Clara Weiss")
    assert person.values == ("date of birth: 1931-07-14",)
    assert "date of birth: 1931-07-14" in (out / "graph.html").read_text(
        encoding="utf-8"
    )


def test_redocred_counts_value_mentions_and_date_facts(nlp) -> None:  # type: ignore[no-untyped-def]
    sents = [["Clara", "Weiss", "was", "born", "in", "1931", "."]]
    gold = {
        "sents": sents,
        "vertexSet": [
            [{"sent_id": 0, "pos": [0, 2], "name": "Clara Weiss", "type": "PER"}],
            [{"sent_id": 0, "pos": [5, 6], "name": "1931", "type": "TIME"}],
        ],
        "labels": [{"h": 0, "t": 1, "r": "P569", "evidence": [0]}],
    }
    text = "Clara Weiss was born in 1931."
    spans = [[(0, 5), (6, 11), (12, 15), (16, 20), (21, 23), (24, 28), (28, 29)]]
    document = extract_document(nlp(text), doc_id="0")
    scores = score_redocred([gold], [document], [spans])
    assert scores.mention_recall_by_type["TIME"] == 1.0
    assert scores.facts.typed.recall == 1.0


def test_a_value_without_provenance_or_with_a_bad_datatype_is_reported(
    document: Document,
) -> None:
    from kg.store import validate_graph

    graph = build_graph([document])
    assert validate_graph(graph).conforms
    person = mint_iri("entity", "clara weiss")
    birth = URIRef(KGO_URI + "birthDate")
    graph.add((person, birth, Literal("sometime", datatype=XSD.token)))
    report = validate_graph(graph)
    assert not report.conforms
    assert "ValueShape" in report.summary


def test_removing_a_document_takes_its_dates_out(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from kg.store import load_graph, remove_documents

    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(TEXT, encoding="utf-8")
    second.write_text("Clara Weiss died in 1999 in Vienna.\n", encoding="utf-8")
    out = tmp_path / "out"
    run_build([first, second], config=BuildConfig(out=out))
    person = mint_iri("entity", "clara weiss")
    birth, death = (URIRef(KGO_URI + p) for p in ("birthDate", "deathDate"))
    graph = load_graph(out)
    assert graph.value(person, birth) is not None
    assert graph.value(person, death) == Literal("1999", datatype=XSD.gYear)
    remove_documents(out, ["a.txt"])
    graph = load_graph(out)
    assert graph.value(person, birth) is None
    assert graph.value(person, death) is not None


def test_numbers_past_the_int_and_float_limits_stay_strings() -> None:
    from kg.values import normalise_number

    # over Python's 4,300-digit int conversion limit
    assert normalise_number("7" * 5000) == ("string", "7" * 5000)
    # a float that overflows
    huge = "9" * 400 + ".5"
    assert normalise_number(huge) == ("string", huge)
    assert normalise_number("12.5") == ("decimal", "12.5")

