"""End to end: ``kg build`` on the sample article, checked through the written RDF."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
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
            types = [
                t for t in graph.objects(node, RDF.type) if str(t).startswith(KGO_URI)
            ]
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
                if t
                in {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
            }
            assert declared, f"{predicate} is used but not declared in ontology/"


def test_every_relation_is_traceable_to_a_sentence_holding_both_mentions(
    graph: Graph,
) -> None:
    from rdflib import PROV

    statements = list(graph.subjects(RDF.type, RDF.Statement))
    assert statements
    for stmt in statements:
        s, p, o = (
            graph.value(stmt, t) for t in (RDF.subject, RDF.predicate, RDF.object)
        )
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
    assert (out / "graph.ttl").exists()
    assert (out / "graph.html").exists()


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
    nlp,
    tmp_path: Path,  # type: ignore[no-untyped-def]
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
    nlp,
    tmp_path: Path,  # type: ignore[no-untyped-def]
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


# --- document identity: no two inputs share a document (issue 22.1) ---------

_NFC = unicodedata.normalize("NFC", "café.txt")
_NFD = unicodedata.normalize("NFD", "café.txt")
#: pairs of file names that one slug of the file name used to merge
_COLLIDING = {
    "space-and-hyphen": ("A B.txt", "a-b.txt"),
    "case": ("News.txt", "news.txt"),
    "nfc-nfd": (_NFC, _NFD),
    "non-latin": ("新闻.txt", "报道.txt"),
    "same-name-other-folder": ("a/x.txt", "b/x.txt"),
}
_WRITERS = [
    ("Ada Lovelace", "Charles Babbage"),
    ("Mary Somerville", "John Herschel"),
    ("Grace Hopper", "Howard Aiken"),
    ("Alan Turing", "Max Newman"),
    ("Emmy Noether", "David Hilbert"),
    ("Marie Curie", "Henri Becquerel"),
    ("Lise Meitner", "Otto Hahn"),
    ("Niels Bohr", "Werner Heisenberg"),
    ("Rosalind Franklin", "Maurice Wilkins"),
    ("Dorothy Hodgkin", "John Bernal"),
]


def _collision_files(root: Path) -> dict[str, tuple[Path, Path, str, str]]:
    """Write each pair (one text each); return case -> (first, second, names)."""
    files = {}
    people = iter(_WRITERS)
    for case, (first, second) in _COLLIDING.items():
        folder = root / case
        paths = []
        for name in (first, second):
            writer, reader = next(people)
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"{writer} wrote to {reader} in 1840.\n", encoding="utf-8")
            paths.append((path, writer))
        (p1, w1), (p2, w2) = paths
        files[case] = (p1, p2, w1, w2)
    return files


_DOC_NAMES = """
SELECT ?id ?name WHERE {
  ?doc a kgo:Document ; kgo:documentPath ?id .
  ?sent dcterms:isPartOf ?doc . ?m kgo:inSentence ?sent ; rdf:value ?name .
}
"""


def _names_by_document(out: Path) -> dict[str, set[str]]:
    from kg.query import KnowledgeGraph

    result = KnowledgeGraph.open(out).query(_DOC_NAMES)
    found: dict[str, set[str]] = {}
    for doc_id, name in result.rows:  # type: ignore[union-attr]
        found.setdefault(str(doc_id), set()).add(str(name))
    return found


@pytest.fixture(scope="module")
def collisions(nlp, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The first of each pair built, then the second in a later build."""
    from kg.build import BuildConfig, run_build

    root = tmp_path_factory.mktemp("collide")
    files = _collision_files(root / "in")
    out = root / "out"
    firsts = [first for first, *_ in files.values()]
    seconds = [second for _, second, *_ in files.values()]
    run_build(firsts, config=BuildConfig(out=out, workers=0))
    report = run_build(seconds, config=BuildConfig(out=out, workers=0))
    assert report.documents == len(seconds)
    return out, files


@pytest.mark.parametrize("case", sorted(_COLLIDING))
def test_building_the_second_of_a_colliding_pair_keeps_the_first(
    collisions,
    case: str,  # type: ignore[no-untyped-def]
) -> None:
    from kg.inputs import document_id

    out, files = collisions
    first, second, writer1, writer2 = files[case]
    names = _names_by_document(out)
    assert _names(writer1, names[document_id(first)])
    assert _names(writer2, names[document_id(second)])
    assert not _names(writer2, names[document_id(first)])


def _names(person: str, mentions: set[str]) -> bool:
    surname = person.split()[-1]
    return any(surname in mention for mention in mentions)


@pytest.mark.parametrize("case", sorted(_COLLIDING))
def test_removing_one_of_a_colliding_pair_keeps_the_other(
    collisions,
    tmp_path: Path,
    case: str,  # type: ignore[no-untyped-def]
) -> None:
    import shutil

    from kg.inputs import document_id
    from kg.store import remove_documents

    built, files = collisions
    out = tmp_path / "out"
    shutil.copytree(built, out, symlinks=True)
    first, second, writer1, writer2 = files[case]
    report = remove_documents(out, [str(first)])
    assert report.removed == (document_id(first),)
    names = _names_by_document(out)
    assert document_id(first) not in names
    assert _names(writer2, names[document_id(second)])
    assert len(names) == 2 * len(_COLLIDING) - 1


def test_kg_remove_refuses_an_ambiguous_name_and_takes_a_unique_one(
    collisions,
    tmp_path: Path,
    capsys,  # type: ignore[no-untyped-def]
) -> None:
    import shutil

    from kg.cli import main
    from kg.inputs import document_id

    built, files = collisions
    out = tmp_path / "out"
    shutil.copytree(built, out, symlinks=True)
    before = _names_by_document(out)
    assert main(["remove", "x.txt", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    first, second, *_ = files["same-name-other-folder"]
    assert len(err) == 1
    assert "'x.txt' names 2 documents" in err[0]
    assert document_id(first) in err[0]
    assert document_id(second) in err[0]
    assert _names_by_document(out) == before
    # a bare file name that names one document only is enough
    assert main(["remove", "新闻.txt", "--out", str(out)]) == 0
    after = _names_by_document(out)
    assert set(before) - set(after) == {document_id(files["non-latin"][0])}


# --- limits: no single input stalls the build (issue 22.2) --------------------


def _sentences(out: Path) -> list[tuple[int, int, str]]:
    from rdflib import Graph

    from kg.ontology import KGO

    graph = Graph().parse(out / "graph.ttl", format="turtle")
    return sorted(
        (
            int(graph.value(s, KGO.startChar)),  # type: ignore[arg-type]
            int(graph.value(s, KGO.endChar)),  # type: ignore[arg-type]
            str(graph.value(s, RDF.value)),
        )
        for s in graph.subjects(RDF.type, KGO.Sentence)
    )


def test_a_document_longer_than_the_parser_takes_is_parsed_in_pieces(
    nlp,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    from kg.build import BuildConfig, run_build

    paragraphs = [
        f"{a} wrote to {b} in {1800 + i}. {b} replied a week later."
        for i, (a, b) in enumerate(_WRITERS * 3)
    ]
    text = "\n\n".join(paragraphs) + "\n"
    source = tmp_path / "long.txt"
    source.write_text(text, encoding="utf-8")
    monkeypatch.setattr(nlp, "max_length", 1000)  # spaCy's E088 past this
    assert len(text) > 2 * nlp.max_length
    out = tmp_path / "out"
    report = run_build([source], config=BuildConfig(out=out, workers=0))
    assert report.warnings == ()
    sentences = _sentences(out)
    assert len(sentences) >= len(paragraphs)
    for start, end, sentence in sentences:
        assert text[start:end] == sentence  # offsets are those of the file
    names = set().union(*_names_by_document(out).values())
    assert {"Ada Lovelace", "Dorothy Hodgkin"} <= names  # first and last pieces


def test_a_sentence_longer_than_the_limit_is_cut_with_a_warning(
    nlp,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from kg.build import BuildConfig, run_build
    from kg.limits import Limits

    words = " ".join(f"word{i % 50}" for i in range(3000))
    text = f"Ada Lovelace wrote to Charles Babbage. {words}\n"
    source = tmp_path / "run-on.txt"
    source.write_text(text, encoding="utf-8")
    warnings: list[str] = []
    config = BuildConfig(
        out=tmp_path / "out", workers=0, limits=Limits(max_sentence_tokens=60)
    )
    run_build([source], config=config, on_warning=warnings.append)
    assert len(warnings) == 1
    assert "run-on.txt" in warnings[0]
    assert "--max-sentence-tokens" in warnings[0]
    assert "\n" not in warnings[0]
    sentences = _sentences(tmp_path / "out")
    assert max(len(s.split()) for _a, _b, s in sentences) <= 60
    assert "Ada Lovelace" in set().union(*_names_by_document(tmp_path / "out").values())


def test_text_nested_past_the_limit_is_left_out_with_a_warning(
    nlp,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from kg.build import BuildConfig, run_build
    from kg.limits import Limits

    nested = "(" * 80 + "Otto Hahn" + ")" * 80
    text = f"Ada Lovelace wrote to Charles Babbage. He said {nested} twice.\n"
    source = tmp_path / "nested.txt"
    source.write_text(text, encoding="utf-8")
    warnings: list[str] = []
    out = tmp_path / "out"
    config = BuildConfig(out=out, workers=0, limits=Limits(max_nesting=10))
    run_build([source], config=config, on_warning=warnings.append)
    assert len(warnings) == 1
    assert "--max-nesting" in warnings[0]
    names = set().union(*_names_by_document(out).values())
    assert "Ada Lovelace" in names
    assert "Otto Hahn" not in names
    for start, end, sentence in _sentences(out):
        assert len(sentence) == end - start  # blanked, not removed: offsets hold
        assert sentence.count("(") <= 10


def test_a_word_past_the_limit_is_blanked_with_a_warning(
    nlp,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    # found by the fuzz: the tokenizer's cost grows with the square of a run
    # of emoji without a space (4,000: 3 s; 100,000: half an hour)
    from kg.build import BuildConfig, run_build
    from kg.limits import Limits

    flood = "#" + "\U0001f600" * 5000
    text = f"Ada Lovelace wrote {flood} to Charles Babbage. Otto Hahn met him.\n"
    source = tmp_path / "flood.txt"
    source.write_text(text, encoding="utf-8")
    warnings: list[str] = []
    out = tmp_path / "out"
    config = BuildConfig(out=out, workers=0, limits=Limits(max_word_chars=150))
    run_build([source], config=config, on_warning=warnings.append)
    assert len(warnings) == 1
    assert "--max-word-chars" in warnings[0]
    assert "4,851 characters of 1 word(s)" in warnings[0]
    names = set().union(*_names_by_document(out).values())
    assert {"Ada Lovelace", "Otto Hahn"} <= names
    for start, end, sentence in _sentences(out):
        assert len(sentence) == end - start  # blanked, not removed: offsets hold
        assert sentence.count("\U0001f600") < 150


def test_a_document_over_the_size_limit_is_skipped_or_refused(
    nlp,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from kg.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "big.txt").write_text("Ada Lovelace wrote to Charles Babbage. " * 20)
    (folder / "small.txt").write_text("Grace Hopper wrote to Howard Aiken.")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(folder), "--out", str(out),
         "--max-document-chars", "100"],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    warning = [x for x in result.stderr.splitlines() if x.startswith("kg: warning:")]
    assert len(warning) == 1
    assert "big.txt" in warning[0]
    assert "skipped" in warning[0]
    assert "documents 1" in result.stdout
    # the only input over the limit: nothing to build, an error, nothing written
    alone = tmp_path / "alone"
    code = main(["build", str(folder / "big.txt"), "--out", str(alone),
                 "--max-document-chars", "100"])  # fmt: skip
    assert code == 2
    assert not alone.exists()


# --- re-running on unchanged input writes nothing (issue 21.3) ----------------


def test_an_unchanged_rebuild_says_so_and_writes_nothing(
    nlp,
    tmp_path: Path,
    capsys,  # type: ignore[no-untyped-def]
) -> None:
    from kg.cli import main
    from kg.store import store_path

    folder = tmp_path / "in"
    folder.mkdir()
    for i, text in enumerate(_SHORT_NEWS[:2]):
        (folder / f"n{i}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(folder), "--out", str(out), "--workers", "0"]) == 0

    def state() -> dict[str, tuple[int, int]]:
        return {
            p.name: (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in out.iterdir()
            if not p.is_symlink()
        } | {"store": (0, hash(os.readlink(store_path(out))))}

    before = state()
    capsys.readouterr()
    assert main(["build", str(folder), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert said.startswith("unchanged 2:")
    assert "nothing written" in said
    assert state() == before  # same files, same generation, no new one


def test_kg_build_takes_globs_lists_and_jsonl_corpora(
    nlp,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys,  # type: ignore[no-untyped-def]
) -> None:
    import json

    from kg.cli import main
    from kg.store import list_documents

    monkeypatch.chdir(tmp_path)
    (tmp_path / "news" / "2024").mkdir(parents=True)
    (tmp_path / "news" / "2024" / "a.txt").write_text(_SHORT_NEWS[0])
    (tmp_path / "news" / "b.txt").write_text(_SHORT_NEWS[1])
    (tmp_path / "c.txt").write_text(_SHORT_NEWS[2])
    (tmp_path / "list.txt").write_text("# one more\nc.txt\n")
    records = [{"id": "r1", "text": _SHORT_NEWS[3]}, {"id": 2, "text": _SHORT_NEWS[4]}]
    (tmp_path / "corpus.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records)
    )
    args = ["build", "news/**/*.txt", "@list.txt", "corpus.jsonl", "--out", "out"]
    assert main([*args, "--workers", "0"]) == 0
    assert "documents 5" in capsys.readouterr().out
    stored = {(d.doc_id, d.source) for d in list_documents("out")}
    assert stored == {
        ("news/2024/a.txt", "a.txt"),
        ("news/b.txt", "b.txt"),
        ("c.txt", "c.txt"),
        ("corpus.jsonl#r1", "r1"),
        ("corpus.jsonl#2", "2"),
    }


# --- the derived files follow the store: a full disk, a kill after the switch ---

_DERIVED_TEXTS = {
    "a.txt": "Ada Lovelace wrote to Charles Babbage in London.\n",
    "b.txt": "Mary Somerville met Charles Babbage in Paris last spring.\n",
}
#: runs ``kg`` with its largest file capped (RLIMIT_FSIZE): a bigger write
#: fails with EFBIG, as on a full disk (SIGXFSZ ignored, so it is an error)
_CAPPED_KG = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from kg.cli import main
sys.exit(main(sys.argv[2:]))
"""
#: runs ``kg`` and kills it (SIGKILL) when the derived files are renamed into
#: place, i.e. right after the store switched to its new generation
_KILLED_KG = """
import os, signal, sys
import kg.generations
def killed(staged):
    os.kill(os.getpid(), signal.SIGKILL)
kg.generations._commit_files = killed
from kg.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _kg_child(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.fixture
def two_inputs(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in _DERIVED_TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return {name[0]: folder / name for name in _DERIVED_TEXTS}


def _derived_bytes(out: Path) -> dict[str, bytes]:
    return {n: (out / n).read_bytes() for n in ("graph.ttl", "graph.html")}


def _hidden_leftovers(out: Path) -> list[str]:
    return sorted(
        p.name
        for p in out.iterdir()
        if p.name.startswith((".graph.", ".kg-derived.json.", ".store."))
    )


def test_a_full_disk_writing_the_derived_files_keeps_the_store_and_says_so(
    nlp, tmp_path: Path, two_inputs: dict[str, Path]
) -> None:
    from kg.build import BuildConfig, run_build
    from kg.generations import stale_files
    from kg.store import list_documents, load_graph, store_path

    out = tmp_path / "out"
    run_build([two_inputs["a"]], config=BuildConfig(out=out, workers=0))
    before = _derived_bytes(out)
    largest_store_file = max(f.stat().st_size for f in store_path(out).iterdir())
    # graph.html (the page with its scripts) is far bigger than any store file
    limit = max(4 * largest_store_file, 64 * 1024)
    assert len(before["graph.html"]) > limit
    done = _kg_child(
        _CAPPED_KG, str(limit), "build", str(two_inputs["b"]), "--out", str(out),
        "--workers", "0",
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("kg: error: the store in ")
    assert "was updated" in done.stderr
    assert "File too large" in done.stderr
    assert "graph.ttl and graph.html are behind the store" in done.stderr
    assert "kg render" in done.stderr
    assert "Traceback" not in done.stderr
    # the store holds the build; the old files are there, recorded as behind it
    assert {d.source for d in list_documents(out)} == {"a.txt", "b.txt"}
    assert _derived_bytes(out) == before
    assert stale_files(out) == ("graph.ttl", "graph.html")
    assert _hidden_leftovers(out) == []
    # kg render writes both again from the store
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    render = subprocess.run(
        [sys.executable, "-m", "kg", "render", "--out", str(out)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert render.returncode == 0, render.stderr
    assert stale_files(out) == ()
    ttl = Graph().parse(out / "graph.ttl", format="turtle")
    assert (
        len(ttl) == len(load_graph(out)) > len(Graph().parse(data=before["graph.ttl"]))
    )
    assert b"Somerville" in (out / "graph.html").read_bytes()


def test_a_kill_after_the_store_switch_is_repaired_by_the_next_build(
    nlp, tmp_path: Path, two_inputs: dict[str, Path]
) -> None:
    from kg.build import BuildConfig, run_build
    from kg.generations import stale_files
    from kg.store import list_documents, load_graph

    out = tmp_path / "out"
    run_build([two_inputs["a"]], config=BuildConfig(out=out, workers=0))
    before = _derived_bytes(out)
    killed = _kg_child(
        _KILLED_KG, "build", str(two_inputs["b"]), "--out", str(out), "--workers", "0"
    )
    assert killed.returncode == -9
    # the switch happened: the store holds b; the files did not follow
    assert {d.source for d in list_documents(out)} == {"a.txt", "b.txt"}
    assert _derived_bytes(out) == before
    assert stale_files(out) == ("graph.ttl", "graph.html")
    assert _hidden_leftovers(out)  # the staged files the kill left
    warnings: list[str] = []
    report = run_build(
        [two_inputs["a"], two_inputs["b"]],
        config=BuildConfig(out=out, workers=0),
        on_warning=warnings.append,
    )
    assert report.documents == 0
    assert report.unchanged == 2
    assert warnings == ["graph.ttl and graph.html were behind the store: written again"]
    assert stale_files(out) == ()
    assert _hidden_leftovers(out) == []
    ttl = Graph().parse(out / "graph.ttl", format="turtle")
    assert len(ttl) == len(load_graph(out))
    assert b"Somerville" in (out / "graph.html").read_bytes()


def test_derived_policy_never_and_auto_on_a_big_store(
    nlp, tmp_path: Path, two_inputs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.store_writes
    from kg.build import BuildConfig, run_build
    from kg.cli import main
    from kg.generations import stale_files

    out = tmp_path / "out"
    report = run_build(
        [two_inputs["a"]], config=BuildConfig(out=out, workers=0, derived="never")
    )
    assert report.outputs == ()
    assert not (out / "graph.ttl").exists()
    assert not (out / "graph.html").exists()
    assert main(["render", "--out", str(out)]) == 0  # writes both
    assert (out / "graph.ttl").is_file()
    assert (out / "graph.html").is_file()
    assert stale_files(out) == ()
    # auto on a store over the threshold: the files stay, recorded behind it
    monkeypatch.setattr(kg.store_writes, "AUTO_DERIVE_BYTES", 0)
    before = _derived_bytes(out)
    warnings: list[str] = []
    report = run_build(
        [two_inputs["b"]], config=BuildConfig(out=out, workers=0),
        on_warning=warnings.append,
    )  # fmt: skip
    assert report.documents == 1
    assert report.outputs == ()
    assert _derived_bytes(out) == before
    assert stale_files(out) == ("graph.ttl", "graph.html")
    assert any("not rewritten" in w and "kg render" in w for w in warnings)
    assert main(["render", "--out", str(out)]) == 0
    assert stale_files(out) == ()
    assert b"Somerville" in (out / "graph.html").read_bytes()


def test_a_build_in_batches_equals_builds_one_after_another(
    nlp, tmp_path: Path, two_inputs: dict[str, Path]
) -> None:
    from rdflib.compare import isomorphic

    from kg.build import BuildConfig, run_build
    from kg.store import load_graph

    batched, apart = tmp_path / "batched", tmp_path / "apart"
    # batch_words=1: each document is written, and linked, as its own batch
    config = BuildConfig(out=batched, workers=0, batch_words=1)
    report = run_build([two_inputs["a"], two_inputs["b"]], config=config)
    assert report.documents == 2
    for name in ("a", "b"):
        run_build([two_inputs[name]], config=BuildConfig(out=apart, workers=0))
    assert isomorphic(load_graph(batched), load_graph(apart))
    # graph.ttl of a store written in several batches is the store's
    ttl = Graph().parse(batched / "graph.ttl", format="turtle")
    assert isomorphic(ttl, load_graph(batched))
    assert b"Somerville" in (batched / "graph.html").read_bytes()
