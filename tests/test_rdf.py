"""RDF building blocks: IRI minting, round trips, atomic writes."""

from __future__ import annotations

import string
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.rdf import (
    BASE_IRI,
    build_graph,
    document_quads,
    mint_iri,
    serialize,
    write_atomic,
)
from kg.types import Document, Entity, Mention, Provenance, Sentence, Triple
from tests.fixtures import SEEDS

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


@pytest.mark.parametrize("kind", ["directory", "symlink", "fifo"])
def test_write_atomic_refuses_a_special_destination(tmp_path: Path, kind: str) -> None:
    import os

    from kg.errors import OutputError

    target = tmp_path / "graph.ttl"
    aside = tmp_path / "aside.txt"
    aside.write_bytes(b"theirs")
    if kind == "directory":
        target.mkdir()
    elif kind == "symlink":
        target.symlink_to(aside)
    else:
        os.mkfifo(target)  # opening it for writing would block for ever
    with pytest.raises(OutputError, match=r"^will not write over .*not a regular file"):
        write_atomic(target, b"ours")
    assert aside.read_bytes() == b"theirs"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aside.txt", "graph.ttl"]
    assert target.is_symlink() == (kind == "symlink")
    assert target.is_dir() == (kind == "directory")


def test_write_atomic_names_a_folder_it_cannot_create(tmp_path: Path) -> None:
    from kg.errors import OutputError

    blocker = tmp_path / "file"
    blocker.write_bytes(b"x")
    with pytest.raises(OutputError, match=r"^cannot write .*choose another file$"):
        write_atomic(blocker / "sub" / "graph.html", b"ours")
    assert blocker.read_bytes() == b"x"


def test_kg_render_over_a_directory_is_a_one_line_error(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    serialize(build_graph([]), tmp_path / "graph.ttl")
    (tmp_path / "graph.html").mkdir()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    proc = subprocess.run(
        [sys.executable, "-m", "kg", "render", "--out", str(tmp_path)],
        capture_output=True, text=True, env=env, check=False, timeout=120,
    )  # fmt: skip
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("kg: error: will not write over "), lines
    assert (tmp_path / "graph.html").is_dir()


def _same_quads(documents: list[Document]) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """The quads of the direct path and of build_graph read back by Oxigraph."""
    direct = ox.Store()
    direct.extend(document_quads(documents))
    via_rdflib = ox.Store()
    data = build_graph(documents).serialize(format="nt", encoding="utf-8")
    if data.strip():
        via_rdflib.load(data, format=ox.RdfFormat.N_TRIPLES)
    return set(direct), set(via_rdflib)


_words = st.text(alphabet=string.ascii_letters + " .'\"<>&é\\", min_size=1, max_size=12)


@settings(max_examples=40, deadline=None)
@given(
    entities=st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c"]),  # shared keys: merged across documents
            st.sampled_from(["Person", "Organization", "Place"]),
            _words,
            st.lists(_words, max_size=2),
        ),
        max_size=6,
    ),
    conf=st.floats(0, 1),
    docs=st.integers(1, 3),
)
def test_document_quads_equal_build_graph(
    entities: list[tuple[str, str, str, list[str]]], conf: float, docs: int
) -> None:
    documents = []
    for d in range(docs):
        text = "Some words here. More words there."
        sents = (Sentence(0, 0, 16, text[:16]), Sentence(1, 17, len(text), text[17:]))
        ents = {}
        for i, (key, label, name, aliases) in enumerate(entities[d::docs]):
            mention = Mention(name, "PERSON", i, i + 3, i % 2)
            ents[key] = Entity(key, label, name, (mention,), aliases=tuple(aliases))
        keys = sorted(ents)
        triples = tuple(
            Triple(s, "meets", o, Provenance(f"d{d}.txt", 1, 17, 30, text[17:]), conf,
                   rule="svo", lemma="meet")
            for s, o in zip(keys, keys[1:], strict=False)
        )
        documents.append(
            Document(f"d{d}.txt", f"in/d{d}.txt", f"{d:064d}", sents,
                     tuple(ents.values()), triples)
        )
    direct, via_rdflib = _same_quads(documents)
    assert direct == via_rdflib


def test_document_quads_equal_build_graph_on_a_real_parse(nlp) -> None:  # type: ignore[no-untyped-def]
    from kg.build import extract_document

    text = (SEEDS / "tiger-king-pardon.txt").read_text(encoding="utf-8")
    documents = [
        extract_document(nlp(text), doc_id="seed.txt"),
        extract_document(
            nlp("Ada Lovelace wrote to Charles Babbage. Lovelace met him in London."),
            doc_id="ada.txt",
        ),
    ]
    direct, via_rdflib = _same_quads(documents)
    assert len(direct) > 100
    assert direct == via_rdflib
