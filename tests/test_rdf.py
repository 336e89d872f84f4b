"""RDF building blocks: IRI minting, round trips, atomic writes."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.rdf import BASE_IRI, build_graph, mint_iri, serialize, write_atomic
from kg.types import Document, Entity, Mention, Provenance, Sentence, Triple

_FORBIDDEN = set(' \t\n\r<>"{}|\\^`')
_KINDS = ["entity", "sentence", "doc", "stmt", "mention"]


@given(kind=st.sampled_from(_KINDS), name=st.text(max_size=300))
def test_mint_iri_is_safe_and_deterministic(kind: str, name: str) -> None:
    iri = mint_iri(kind, name)  # type: ignore[arg-type]
    assert iri == mint_iri(kind, name)  # type: ignore[arg-type]
    assert str(iri).startswith(f"{BASE_IRI}{kind}/")
    slug = str(iri)[len(f"{BASE_IRI}{kind}/") :]
    assert slug and not (_FORBIDDEN & set(slug))
    assert set(slug) <= set(string.ascii_lowercase + string.digits + "-")
    assert len(slug) <= 80 + 1 + 10


@given(a=st.text(max_size=40), b=st.text(max_size=40))
def test_mint_iri_truncated_slugs_stay_distinct(a: str, b: str) -> None:
    prefix = "word " * 30  # slug longer than the cap: truncated and hashed
    if a != b:
        assert mint_iri("entity", prefix + a) != mint_iri("entity", prefix + b)


def test_mint_iri_empty_slugs_are_hashed_apart() -> None:
    assert mint_iri("entity", "!!!") != mint_iri("entity", "???")


def test_mint_iri_folds_accents_and_case() -> None:
    assert mint_iri("entity", "Émile ZOLA") == mint_iri("entity", "emile zola")


def test_mint_iri_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError, match="IRI kind"):
        mint_iri("person", "x")  # type: ignore[arg-type]


_names = st.text(alphabet=string.ascii_letters + " -'\"<>&é", min_size=1, max_size=30).filter(
    lambda s: s.strip()
)


@settings(max_examples=30, deadline=None)
@given(names=st.lists(_names, min_size=2, max_size=5, unique=True), conf=st.floats(0, 1))
def test_serialize_parse_round_trip_is_isomorphic(names: list[str], conf: float, tmp_path_factory: pytest.TempPathFactory) -> None:
    sentence = " and ".join(names) + " met."
    sent = Sentence(0, 0, len(sentence), sentence)
    entities = []
    offset = 0
    for i, name in enumerate(names):
        mention = Mention(name, "PERSON", offset, offset + len(name), 0)
        offset += len(name) + 5
        entities.append(Entity(f"e{i}", "Person", name, (mention,)))
    triple = Triple("e0", "meets", "e1", Provenance("d.txt", 0, 0, len(sentence), sentence), conf)
    doc = Document("d.txt", "d.txt", "0" * 64, (sent,), tuple(entities), (triple,))
    graph = build_graph([doc])
    for fmt in ("turtle", "nt", "xml", "json-ld"):
        path = serialize(graph, tmp_path_factory.mktemp("rt") / f"g.{fmt}", format=fmt)
        assert isomorphic(graph, Graph().parse(path, format=fmt)), fmt


def test_write_atomic_keeps_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"old")

    with pytest.raises(TypeError):
        write_atomic(target, object())  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]
