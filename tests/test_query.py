"""SPARQL everywhere: kg query, KnowledgeGraph, evidence, networkx."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import URIRef

from kg import KnowledgeGraph
from kg.cli import main
from kg.errors import ConfigError, QueryError
from kg.query import EVIDENCE_QUERY, prepare_query

TEXT = (
    "Grace Hopper worked for the Navy in Arlington. Hopper wrote to Howard Aiken. "
    "Howard Aiken wrote to Grace Hopper in the spring.\n"
)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?st a rdf:Statement }"


@pytest.fixture(scope="module")
def out(build_text) -> Path:  # type: ignore[no-untyped-def]
    return build_text(TEXT, "q")


def test_query_csv_tsv_json(out: Path, capsysbinary) -> None:
    kg = KnowledgeGraph.open(out)
    expected = int(kg.frame(COUNT)["n"][0])
    assert expected > 0
    assert main(["query", COUNT, "--out", str(out), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsysbinary.readouterr().out.decode())))
    assert rows == [["n"], [str(expected)]]
    assert main(["query", COUNT, "--out", str(out), "--format", "tsv"]) == 0
    assert capsysbinary.readouterr().out.decode().splitlines()[0] == "?n"
    assert main(["query", COUNT, "--out", str(out), "--format", "json"]) == 0
    data = json.loads(capsysbinary.readouterr().out)
    assert int(data["results"]["bindings"][0]["n"]["value"]) == expected


def test_query_from_file_and_table(out: Path, tmp_path: Path, capsys) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text(
        "SELECT ?label WHERE { ?e a kgo:Person ; rdfs:label ?label } ORDER BY ?label\n"
    )
    assert main(["query", "-f", str(rq), "--out", str(out), "--format", "table"]) == 0
    shown = capsys.readouterr().out
    people = KnowledgeGraph.open(out).frame(rq.read_text())["label"].tolist()
    assert people
    assert all(name in shown for name in people)


def test_syntax_error_is_one_line_with_position(out: Path, capsys) -> None:
    assert main(["query", "SELECT ?s WHERE { ?s kgo:owns }", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("kg: error: SPARQL syntax error at line 1, column ")


def test_update_is_refused(out: Path, capsys) -> None:
    assert main(["query", "INSERT DATA { kg:a kg:b kg:c }", "--out", str(out)]) == 2
    assert "kg: error:" in capsys.readouterr().err
    assert len(KnowledgeGraph.open(out)) > 0


def test_prepare_query_raises_query_error() -> None:
    with pytest.raises(QueryError, match="line 2, column"):
        prepare_query("SELECT ?s\nWHERE { ?s kgo:owns ")


def test_knowledge_graph_api(out: Path) -> None:
    kg = KnowledgeGraph.open(out)
    entities = kg.entities()
    assert {"entity", "label", "class", "mentions"} <= set(entities.columns)
    assert (entities["mentions"] >= 1).all()
    graph = kg.to_networkx()
    assert set(entities["entity"]) == set(graph.nodes)
    assert graph.number_of_edges() > 0
    s, o, p = next(iter(graph.edges(keys=True)))
    evidence = kg.evidence((URIRef(s), URIRef(p), URIRef(o)))
    assert len(evidence) >= 1
    for row in evidence.itertuples():
        assert row.text in TEXT
        assert 0 <= row.confidence <= 1
        assert row.source.endswith("doc.txt")
        assert len(row.hash) == 64
    html = kg._repr_html_()
    assert html.startswith("<iframe")
    assert "srcdoc" in html
    assert "<table>" in kg.select(COUNT)._repr_html_()


def test_evidence_query_is_the_documented_one(out: Path) -> None:
    # the same SPARQL runs as-is on the exported Turtle with rdflib
    from kg.rdf import NS
    from kg.store import load_graph

    graph = load_graph(out)
    rows = list(graph.query(EVIDENCE_QUERY, initNs=NS))
    kg_rows = KnowledgeGraph.open(out).select(EVIDENCE_QUERY)
    assert len(rows) == len(kg_rows) > 0


def test_network_helpers(out: Path) -> None:
    kg = KnowledgeGraph.open(out)
    central = kg.central_entities(top=3)
    assert 0 < len(central) <= 3
    assert list(central["betweenness"]) == sorted(central["betweenness"], reverse=True)
    graph = kg.to_networkx()
    label_of = {n: d["label"] for n, d in graph.nodes(data=True)}
    s, o, _p = next(iter(graph.edges(keys=True)))
    assert kg.find_entity(label_of[s].upper()) == URIRef(s)
    path = kg.shortest_path(label_of[s], label_of[o])
    assert len(path) == 1
    assert {path["subject"][0], path["object"][0]} == {label_of[s], label_of[o]}
    assert path["sentence"][0] in TEXT
    with pytest.raises(QueryError, match="no entity is labelled"):
        kg.find_entity("Nobody At All")


def test_open_a_turtle_file_without_a_store(out: Path, tmp_path: Path) -> None:
    from rdflib.compare import isomorphic

    from kg.store import load_graph

    copy = tmp_path / "graph.ttl"
    copy.write_bytes((out / "graph.ttl").read_bytes())
    for target in (tmp_path, copy):
        kg = KnowledgeGraph.open(target)
        assert len(kg) == len(KnowledgeGraph.open(out))
        assert isomorphic(kg.graph(), load_graph(out))
    with pytest.raises(ConfigError, match="no kg store"):
        KnowledgeGraph.open(tmp_path / "empty")


# --- the API at corpus scale: names, neighbours, paths, evidence ---------------------


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A made-up chain A → B → C → D (stated), B ~ D (reported), two Carrowmeres."""
    from kg.store import write_documents
    from tests.test_render import _doc

    people = [(f"Orla {x}mont", "Person") for x in "ABCD"]
    facts = [
        (people[0], "employer", ("Vexlo Holdings", "Organization"), 0.9, "asserted"),
        (people[1], "employer", ("Vexlo Holdings", "Organization"), 0.8, "asserted"),
        (people[1], "meets", people[2], 0.7, "asserted"),
        (people[2], "meets", people[3], 0.6, "asserted"),
        (people[1], "meets", people[3], 0.9, "reported"),
        (("Carrowmere", "Person"), "meets", people[0], 0.9, "asserted"),
    ]
    other = [(("Carrowmere", "Country"), "meets", people[3], 0.5, "hedged")]
    out = tmp_path_factory.mktemp("chain") / "out"
    docs = [_doc("one.txt", facts)]
    # the second Carrowmere gets another key: a different entity with the same name
    second = _doc("two.txt", other)
    entities = tuple(
        replace(e, key="carrowmere-country") if e.name == "Carrowmere" else e
        for e in second.entities
    )
    triples = tuple(
        replace(t, subject="carrowmere-country") if t.subject == "Carrowmere" else t
        for t in second.triples
    )
    docs.append(replace(second, entities=entities, triples=triples))
    write_documents(out, docs)
    return out


def test_names_stand_for_entities_and_ambiguity_lists_candidates(chain: Path) -> None:
    kg = KnowledgeGraph.open(chain)
    a = kg.find_entity("orla amont")
    assert a == URIRef("https://w3id.org/kg/id/entity/orla-amont")
    assert kg.find_entity("kg:entity/orla-amont") == a
    assert kg.find_entity(f"<{a}>") == a
    with pytest.raises(QueryError) as err:
        kg.find_entity("Carrowmere")
    message = str(err.value)
    assert "names 2 entities" in message
    assert "https://w3id.org/kg/id/entity/carrowmere" in message
    assert "https://w3id.org/kg/id/entity/carrowmere-country" in message
    assert "Person" in message
    assert "Country" in message
    assert main(["query", "ASK { ?s ?p ?o }", "--out", str(chain)]) == 0


def test_neighbours_carry_modality_and_stated_only_filters(chain: Path) -> None:
    kg = KnowledgeGraph.open(chain)
    frame = kg.neighbours("Orla Bmont")
    rows = {(r.direction, r.label, r.modality) for r in frame.itertuples()}
    assert rows == {
        ("out", "Vexlo Holdings", "asserted"),
        ("out", "Orla Cmont", "asserted"),
        ("out", "Orla Dmont", "reported"),
    }
    assert list(frame["modality"])[-1] == "reported"  # stated facts first
    stated = kg.neighbours("Orla Bmont", stated_only=True)
    assert "reported" not in set(stated["modality"])
    into = kg.neighbours("Orla Dmont")
    assert set(into["direction"]) == {"in"}
    assert "hedged" in set(into["modality"])


def test_shortest_path_follows_relations_either_way(chain: Path) -> None:
    kg = KnowledgeGraph.open(chain)
    path = kg.shortest_path("Orla Amont", "Orla Dmont")
    # A → Vexlo ← B → D (reported), or A → Vexlo ← B → C → D stated only
    assert len(path) == 3
    assert list(path["subject"])[0] == "Orla Amont"
    assert all(isinstance(s, str) and s for s in path["sentence"])
    stated = kg.shortest_path("Orla Amont", "Orla Dmont", stated_only=True)
    assert len(stated) == 4
    assert set(stated["modality"]) == {"asserted"}
    assert kg.shortest_path("Orla Amont", "Orla Amont").empty
    graph = kg.to_networkx(stated_only=True)
    assert all(d["modality"] == "asserted" for _s, _o, d in graph.edges(data=True))


def test_evidence_accepts_names_and_prefixed_properties(chain: Path) -> None:
    kg = KnowledgeGraph.open(chain)
    by_name = kg.evidence(("Orla Bmont", "kgo:meets", "Orla Dmont"))
    by_local = kg.evidence(("Orla Bmont", "meets", "Orla Dmont"))
    by_iri = kg.evidence(
        (
            kg.find_entity("Orla Bmont"),
            URIRef("https://w3id.org/kg/ontology#meets"),
            kg.find_entity("Orla Dmont"),
        )
    )
    assert by_name.equals(by_local)
    assert by_name.equals(by_iri)
    assert list(by_name["modality"]) == ["reported"]
    assert "Orla Bmont" in by_name["text"][0]
    # the same rows as the documented SPARQL query
    rows = kg.frame(
        EVIDENCE_QUERY,
        bindings={
            "s": kg.find_entity("Orla Bmont"),
            "p": URIRef("https://w3id.org/kg/ontology#meets"),
            "o": kg.find_entity("Orla Dmont"),
        },
    )
    assert list(rows["statement"]) == list(by_name["statement"])


def test_bound_values_are_terms_not_text(chain: Path) -> None:
    from rdflib import Literal

    from kg.query import bind_values

    kg = KnowledgeGraph.open(chain)
    hostile = Literal('x" } ; DROP ALL ; SELECT * { "')
    text = "SELECT ?e WHERE { ?e rdfs:label ?name }"
    bound = bind_values(text, {"name": hostile})
    assert bound is not None
    assert kg.select(text, bindings={"name": hostile}).rows == ()
    assert kg.select(text, bindings={"name": Literal("Orla Amont")}).rows
    with pytest.raises(QueryError, match="bad variable"):
        bind_values(text, {"name } ": hostile})


# --- paths: the level-by-level search against networkx --------------------------------

NETWORK = (
    "Orla Amont works for Vexlo Holdings. Brin Castell also works for Vexlo Holdings. "
    "Brin Castell met Dara Quill in Portmere. Dara Quill founded Tamsin Labs in 2004. "
    "Tamsin Labs is based in Kelvar. Ewan Stroud was born in Kelvar. "
    "Ewan Stroud married Fenna Lusk. Fenna Lusk works for Grell Bank. "
    "Grell Bank acquired Hobb Mining. Hobb Mining is based in Ostravia. "
    "Dara Quill met Fenna Lusk in Kelvar. "
    "Iris Vane may have met Orla Amont. Iris Vane did not visit Ostravia.\n"
)


@pytest.fixture(scope="module")
def network(build_text) -> Path:  # type: ignore[no-untyped-def]
    return build_text(NETWORK, "network")


@pytest.mark.parametrize("stated_only", [False, True])
def test_shortest_path_length_equals_networkx(network: Path, stated_only: bool) -> None:
    import itertools

    import networkx as nx

    kg = KnowledgeGraph.open(network)
    graph = nx.Graph(kg.to_networkx(stated_only=stated_only))
    label = {n: d["label"] for n, d in graph.nodes(data=True)}
    longest = 0
    for a, b in itertools.combinations(sorted(graph.nodes), 2):
        path = kg.shortest_path(URIRef(a), URIRef(b), stated_only=stated_only)
        if not nx.has_path(graph, a, b):
            assert path.empty
            continue
        expected = nx.shortest_path_length(graph, a, b)
        longest = max(longest, expected)
        assert len(path) == expected, (label[a], label[b])
        # the hops chain from a to b, each an edge networkx knows
        at = label[a]
        for row in path.itertuples():
            assert at in {row.subject, row.object}
            at = row.object if row.subject == at else row.subject
            assert row.sentence in NETWORK
            assert not stated_only or row.modality == "asserted"
        assert at == label[b]
    assert longest >= 4  # long chains were compared, not only neighbours


def test_shortest_chain_on_random_graphs_equals_networkx() -> None:
    import random

    import networkx as nx

    from kg.paths import shortest_chain

    def degree(graph: nx.Graph) -> Callable[[Sequence[str]], int]:
        return lambda nodes: sum(graph.degree(n) for n in nodes)

    def expand(graph: nx.Graph) -> Callable[[Sequence[str]], dict[str, set[str]]]:
        return lambda nodes: {n: set(graph[n]) for n in nodes}

    rng = random.Random(5)
    for trial in range(60):
        graph = nx.gnm_random_graph(rng.randint(2, 40), rng.randint(0, 60), seed=trial)
        # frontiers weighed by their size, or by degree (hubs expanded last)
        weigh = degree(graph) if trial % 2 else len
        a, b = rng.sample(sorted(graph.nodes), 2)
        chain = shortest_chain(expand(graph), a, b, weigh=weigh)
        if not nx.has_path(graph, a, b):
            assert chain is None
            continue
        assert chain is not None
        assert len(chain) - 1 == nx.shortest_path_length(graph, a, b)
        assert (chain[0], chain[-1]) == (a, b)
        assert all(graph.has_edge(x, y) for x, y in zip(chain, chain[1:], strict=False))


def test_a_graph_remembers_what_its_path_searches_read(network: Path) -> None:
    kg = KnowledgeGraph.open(network)
    first = kg.shortest_path("Orla Amont", "Ostravia")
    assert len(first) >= 4
    assert kg._paths is not None
    read = dict(kg._paths.neighbours[False])
    assert kg.shortest_path("Orla Amont", "Ostravia").equals(first)
    assert kg._paths.neighbours[False] == read  # nothing asked twice
    # what a fresh graph finds is what the remembering one found
    assert (
        KnowledgeGraph.open(network)
        .shortest_path("Orla Amont", "Ostravia")
        .equals(first)
    )
    stated = kg.shortest_path("Orla Amont", "Ostravia", stated_only=True)
    assert set(stated["modality"]) == {"asserted"}
    assert kg._paths.neighbours[True]  # kept apart from the drawn relations
