"""Corpus entity resolution (kg.link): constructed multi-document corpora.

Unit tests build :class:`~kg.types.Document` objects by hand (names,
classes, mentions in a sentence) so each rule is tested on exactly what it
reads; integration tests build small constructed corpora with the real
pipeline and drive ``kg explain``, ``kg merge`` and ``kg split``; the last
test scores a slice of two ECB+ training topics with the reference scorer.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, URIRef

from kg.build import BuildConfig, run_build
from kg.cli import main
from kg.link import (
    LinkResult,
    Premapped,
    link_documents,
    link_into_store,
    premap,
    summarize_document,
)
from kg.link.cluster import MAX_BLOCK, SMALL_BLOCK, resolve
from kg.link.curation import parse_curation
from kg.link.summary import EntitySummary, block_keys
from kg.ontology import KGO
from kg.store import write_documents
from kg.types import Document
from tests.fixtures import SEEDS, SHARED_EVAL
from tests.fixtures import hand_document as _doc
from tests.fixtures import linked_keys as _keys

# --- aliases carried across documents -----------------------------------------


def test_an_acronym_a_document_established_links_other_documents() -> None:
    docs = [
        _doc(
            "a.txt",
            "The Bureau of Kelp Surveys (BKS) mapped the Dunmere reef in May.",
            (
                "bureau of kelp surveys",
                "Organization",
                ["Bureau of Kelp Surveys", "BKS"],
            ),
            ("dunmere", "Place", ["Dunmere"]),
        ),
        _doc(
            "b.txt",
            "BKS divers counted fish on the Dunmere reef.",
            ("bks", "Organization", ["BKS"]),
            ("dunmere", "Place", ["Dunmere"]),
        ),
        _doc(
            "c.txt",
            "A report of the Bureau of Kelp Surveys praised the Dunmere reef divers.",
            ("bureau of kelp surveys", "Organization", ["Bureau of Kelp Surveys"]),
            ("dunmere", "Place", ["Dunmere"]),
        ),
    ]
    keys = _keys(docs)
    bureau = {keys[("a.txt", "bureau of kelp surveys")], keys[("b.txt", "bks")]}
    bureau.add(keys[("c.txt", "bureau of kelp surveys")])
    assert bureau == {"bureau of kelp surveys"}
    decisions = resolve([s for d in docs for s in summarize_document(d)])
    rules = {d.uid: d.rule for d in decisions}
    assert rules[("b.txt", "bks")] in {"kg.link.alias.v1", "kg.link.acronym.v1"}


def test_company_suffix_variants_are_one_company() -> None:
    names = ["Vexmoor Co.", "Vexmoor Inc.", "Vexmoor Company", "Vexmoor"]
    docs = [
        _doc(
            f"{i}.txt",
            f"{name} opened a depot in Dunmere to ship tiles.",
            (name.lower(), "Organization", [name]),
            ("dunmere", "Place", ["Dunmere"]),
        )
        for i, name in enumerate(names)
    ]
    keys = _keys(docs)
    assert len({keys[(f"{i}.txt", n.lower())] for i, n in enumerate(names)}) == 1


def test_a_hyphenated_name_stays_whole() -> None:
    (summary,) = summarize_document(
        _doc("a.txt", "Q-Vexmoor won.", ("q-vexmoor", "Organization", ["Q-Vexmoor"]))
    )
    assert summary.forms[0] == "q-vexmoor"
    assert "w:vexmoor" not in summary.keys


# --- entities kept apart --------------------------------------------------------


def test_a_person_and_a_place_with_one_name_are_kept_apart() -> None:
    docs = [
        _doc(
            "a.txt",
            "Ossery said he would sail from Dunmere harbour at dawn.",
            ("ossery", "Person", ["Ossery", "he"]),
            ("dunmere", "Place", ["Dunmere"]),
        ),
        _doc(
            "b.txt",
            "Ferries sail from Dunmere harbour to Ossery at dawn.",
            ("ossery", "Place", ["Ossery"]),
            ("dunmere", "Place", ["Dunmere"]),
        ),
    ]
    keys = _keys(docs)
    assert keys[("a.txt", "ossery")] != keys[("b.txt", "ossery")]
    assert keys[("a.txt", "dunmere")] == keys[("b.txt", "dunmere")]


def test_a_name_inside_a_longer_one_is_kept_apart_as_a_document_keeps_it() -> None:
    docs = [
        _doc(
            "a.txt",
            "Storms hit West Dunmere and Dunmere on the same night.",
            ("west dunmere", "Place", ["West Dunmere"]),
            ("dunmere", "Place", ["Dunmere"]),
        ),
        _doc(
            "b.txt",
            "Storms hit Dunmere at night, and roofs fell.",
            ("dunmere", "Place", ["Dunmere"]),
        ),
        _doc(
            "c.txt",
            "Storms hit West Dunmere at night, and roofs fell.",
            ("west dunmere", "Place", ["West Dunmere"]),
        ),
    ]
    keys = _keys(docs)
    assert keys[("a.txt", "west dunmere")] != keys[("a.txt", "dunmere")]
    assert keys[("b.txt", "dunmere")] == keys[("a.txt", "dunmere")]
    assert keys[("c.txt", "west dunmere")] == keys[("a.txt", "west dunmere")]


def test_a_qualified_place_is_not_its_namesake() -> None:
    docs = [
        _doc(
            "a.txt",
            "Floods hit South Dunmere.",
            ("south dunmere", "Place", ["South Dunmere"]),
        ),
        _doc("b.txt", "Floods hit Dunmere.", ("dunmere", "Place", ["Dunmere"])),
    ]
    keys = _keys(docs)
    assert keys[("a.txt", "south dunmere")] != keys[("b.txt", "dunmere")]


def test_two_people_of_one_surname_are_kept_apart() -> None:
    text = "Ilse Tarrow and Tom Tarrow met in Dunmere."
    docs = [
        _doc(
            "a.txt",
            "Ilse Tarrow spoke in Dunmere.",
            ("ilse tarrow", "Person", ["Ilse Tarrow"]),
        ),
        _doc(
            "b.txt",
            "Tom Tarrow spoke in Dunmere.",
            ("tom tarrow", "Person", ["Tom Tarrow"]),
        ),
        # a bare surname fitting both links to neither
        _doc("c.txt", "Tarrow spoke in Dunmere.", ("tarrow", "Person", ["Tarrow"])),
    ]
    keys = _keys(docs)
    assert len({keys[("a.txt", "ilse tarrow")], keys[("b.txt", "tom tarrow")]}) == 2
    assert keys[("c.txt", "tarrow")] == "tarrow"
    assert text  # the two names, side by side, are two people


def test_nothing_a_document_keeps_apart_is_merged() -> None:
    """Two entities of one document never share a corpus node (cannot-link)."""
    docs = [
        # the document kept "Tarrow" and "Ilse Tarrow" apart
        _doc(
            "a.txt",
            "Ilse Tarrow met Tarrow in Dunmere.",
            ("ilse tarrow", "Person", ["Ilse Tarrow"]),
            ("tarrow", "Person", ["Tarrow"]),
        ),
        _doc(
            "b.txt",
            "Ilse Tarrow, called Tarrow, met friends in Dunmere.",
            ("ilse tarrow", "Person", ["Ilse Tarrow", "Tarrow"]),
        ),
        _doc(
            "c.txt", "Tarrow met friends in Dunmere.", ("tarrow", "Person", ["Tarrow"])
        ),
    ]
    linked = link_documents(docs)
    for document in linked:
        keys = [e.key for e in document.entities]
        assert len(keys) == len(set(keys)), document.doc_id


# --- the store: entity links, incremental resolution --------------------------


def _corpus() -> list[Document]:
    return [
        _doc(
            "a.txt",
            "Quillon Robotics hired Ilse Tarrow in Dunmere.",
            ("quillon robotics", "Organization", ["Quillon Robotics"]),
            ("ilse tarrow", "Person", ["Ilse Tarrow"]),
            ("dunmere", "Place", ["Dunmere"]),
        ),
        _doc(
            "b.txt",
            "Quillon Robotics Inc. said Tarrow will run the Dunmere plant.",
            ("quillon robotics inc", "Organization", ["Quillon Robotics Inc."]),
            ("tarrow", "Person", ["Tarrow"]),
            ("dunmere", "Place", ["Dunmere"]),
        ),
        _doc(
            "c.txt",
            "QR, the Dunmere robot maker, opened a lab.",
            ("qr", "Organization", ["QR"]),
            ("dunmere", "Place", ["Dunmere"]),
        ),
        _doc(
            "d.txt",
            "Quillon Robotics (QR) moved its lab out of Dunmere.",
            ("quillon robotics", "Organization", ["Quillon Robotics", "QR"]),
            ("dunmere", "Place", ["Dunmere"]),
        ),
    ]


def _partition(out: Path) -> set[frozenset[str]]:
    graph = Graph().parse(out / "graph.ttl", format="turtle")
    by: dict[str, set[str]] = defaultdict(set)
    for link in graph.subjects(RDF.type, KGO.EntityLink):
        (entity,) = graph.objects(link, KGO.linksTo)
        by[str(entity)].add(str(link))
    return {frozenset(v) for v in by.values()}


def test_entity_links_in_the_rdf_say_why(tmp_path: Path) -> None:
    write_documents(tmp_path, _corpus())
    graph = Graph().parse(tmp_path / "graph.ttl", format="turtle")
    links = list(graph.subjects(RDF.type, KGO.EntityLink))
    assert len(links) == 10
    for link in links:
        (entity,) = graph.objects(link, KGO.linksTo)
        assert (entity, KGO.mention, None) in graph
        assert (
            next(graph.objects(link, KGO.inDocument)),
            RDF.type,
            KGO.Document,
        ) in graph
        assert str(next(graph.objects(link, KGO.linkRule))).startswith("kg.link.")
        assert 0 <= float(next(graph.objects(link, KGO.linkScore))) <= 1
    robots = URIRef(_node_of(graph, "a.txt", "quillon robotics"))
    assert len(list(graph.subjects(KGO.linksTo, robots))) == 4


def test_one_document_at_a_time_gives_the_batch_partition(tmp_path: Path) -> None:
    write_documents(tmp_path / "batch", _corpus())
    for document in _corpus():
        write_documents(tmp_path / "one", [document])
    assert _partition(tmp_path / "batch") == _partition(tmp_path / "one")


def test_a_new_document_reads_only_its_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.link import persist

    corpus = _corpus()
    write_documents(tmp_path, corpus[:3])
    asked: list[str] = []
    real = persist.links_with_key

    def spy(store, key, **options):  # type: ignore[no-untyped-def]
        asked.append(key)
        return real(store, key, **options)

    monkeypatch.setattr(persist, "links_with_key", spy)
    write_documents(tmp_path, corpus[3:])
    own = {k for s in summarize_document(corpus[3]) for k in s.keys}
    assert asked
    assert set(asked) <= own


def test_a_document_bridging_two_stored_entities_merges_them(tmp_path: Path) -> None:
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
    write_documents(tmp_path, [_corpus()[0], nickname])
    stored = Graph().parse(tmp_path / "graph.ttl", format="turtle")
    bots = _node_of(stored, "e.txt", "q-bots")
    assert _node_of(stored, "a.txt", "quillon robotics") != bots
    write_documents(tmp_path, [both])
    graph = Graph().parse(tmp_path / "graph.ttl", format="turtle")
    robots = URIRef(_node_of(graph, "a.txt", "quillon robotics"))
    docs = {
        str(doc).rsplit("/", 1)[-1].rsplit("-", 1)[0]  # less the id hash
        for link in graph.subjects(KGO.linksTo, robots)
        for doc in graph.objects(link, KGO.inDocument)
    }
    assert docs == {"a-txt", "e-txt", "f-txt"}
    # the merged node is gone, and nothing refers to it any more
    assert (URIRef(bots), None, None) not in graph
    assert (None, None, URIRef(bots)) not in graph


# --- the curation file ----------------------------------------------------------


def _curated(tmp_path: Path, text: str, documents: Sequence[Document]) -> Graph:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "curation.txt").write_text(text, encoding="utf-8")
    write_documents(tmp_path, documents)
    return Graph().parse(tmp_path / "graph.ttl", format="turtle")


def _node_of(graph: Graph, doc_id: str, key: str) -> str:
    slug = f"{doc_id}-{key}".replace(".", "-").replace(" ", "-")
    (entity,) = graph.objects(
        URIRef(f"https://w3id.org/kg/id/link/{slug}"), KGO.linksTo
    )
    return str(entity)


def test_curation_same_as_joins_what_the_rules_keep_apart(tmp_path: Path) -> None:
    docs = [
        _doc("a.txt", "Vexmoor sold tiles.", ("vexmoor", "Organization", ["Vexmoor"])),
        _doc(
            "b.txt",
            "Grey Tile Works sold tiles.",
            ("grey tile works", "Organization", ["Grey Tile Works"]),
        ),
    ]
    plain = _curated(tmp_path / "plain", "", docs)
    assert _node_of(plain, "a.txt", "vexmoor") != _node_of(
        plain, "b.txt", "grey tile works"
    )
    graph = _curated(tmp_path / "same", "same-as: Vexmoor | grey tile works\n", docs)
    assert _node_of(graph, "a.txt", "vexmoor") == _node_of(
        graph, "b.txt", "grey tile works"
    )


def test_curation_not_same_as_alias_and_ignore(tmp_path: Path) -> None:
    docs = [
        _doc(
            "a.txt",
            "Vexmoor sold tiles in Dunmere.",
            ("vexmoor", "Organization", ["Vexmoor"]),
            ("dunmere", "Place", ["Dunmere"]),
        ),
        _doc(
            "b.txt",
            "Vexmoor bought tiles in Dunmere.",
            ("vexmoor", "Organization", ["Vexmoor"]),
            ("dunmere", "Place", ["Dunmere"]),
        ),
        _doc(
            "c.txt",
            "Grey Tile Works bought clay in Dunmere.",
            ("grey tile works", "Organization", ["Grey Tile Works"]),
            ("dunmere", "Place", ["Dunmere"]),
        ),
    ]
    plain = _curated(tmp_path / "plain", "", docs)
    assert _node_of(plain, "a.txt", "vexmoor") == _node_of(plain, "b.txt", "vexmoor")
    apart = _curated(
        tmp_path / "apart", "not-same-as: Vexmoor @ a.txt | Vexmoor @ b.txt\n", docs
    )
    assert _node_of(apart, "a.txt", "vexmoor") != _node_of(apart, "b.txt", "vexmoor")
    alias = _curated(tmp_path / "alias", "alias: Grey Tile Works | Vexmoor\n", docs)
    assert _node_of(alias, "c.txt", "grey tile works") == _node_of(
        alias, "a.txt", "vexmoor"
    )
    ignore = _curated(tmp_path / "ignore", "# a comment\nignore: dunmere\n", docs)
    assert (
        len({_node_of(ignore, d, "dunmere") for d in ("a.txt", "b.txt", "c.txt")}) == 3
    )


def test_a_bad_curation_line_stops_the_build_with_its_number(tmp_path: Path) -> None:
    from kg.errors import ConfigError

    with pytest.raises(ConfigError, match="line 2"):
        parse_curation("ignore: A\nmerge: A | B\n")
    (tmp_path / "curation.txt").write_text("same-as: A\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 1"):
        write_documents(tmp_path, _corpus())
    assert not (tmp_path / "store").exists()


# --- kg explain, kg merge, kg split (real pipeline) -----------------------------


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory: pytest.TempPathFactory, nlp) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("seed") / "out"
    run_build([SEEDS / "tiger-king-pardon.txt"], config=BuildConfig(out=out))
    return out


def test_explain_the_sample_article(
    seed_out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kg.link.explanation import explain

    graph = Graph().parse(seed_out / "graph.ttl", format="turtle")
    people = [
        str(e)
        for e in graph.subjects(RDF.type, KGO.Person)
        if len(list(graph.objects(e, KGO.mention))) > 1
    ]
    assert people
    code, out, err = _run(capsys, "explain", people[0], "--out", str(seed_out))
    assert code == 0
    assert not err
    lines = out.splitlines()
    assert people[0] in lines[0]
    assert "(Person)" in lines[0]
    assert "kg.link.new.v1" in out
    x = explain(seed_out, people[0])
    assert sum(len(d.mentions) for d in x.documents) == len(
        list(graph.objects(URIRef(people[0]), KGO.mention))
    )
    code, out, err = _run(
        capsys, "explain", "no such entity at all", "--out", str(seed_out)
    )
    assert code == 2
    assert not out
    assert err.startswith("kg: error: no entity is called")
    assert err.count("\n") == 1


_TEXTS = {
    "a.txt": "Quillon Robotics opened a plant in Dunmere. Ilse Tarrow runs it.",
    "b.txt": "Ilse Tarrow of Quillon Robotics hired forty welders in Dunmere.",
    "c.txt": "The Vexmoor Group bought a warehouse in Dunmere last week.",
}


@pytest.fixture
def small_out(tmp_path: Path, nlp) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in _TEXTS.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    out = tmp_path / "out"
    run_build([folder], config=BuildConfig(out=out))
    return out


def _snapshot(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != ".kg-write.lock"
    }


def test_merge_and_split_round_trip(
    small_out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kg.link.explanation import find_entities
    from kg.store import open_store

    def nodes(name: str) -> list[str]:
        return [iri for iri, _label in find_entities(open_store(small_out), name)]

    assert len(nodes("Quillon Robotics")) == 1
    assert len(nodes("Vexmoor Group")) == 1
    assert nodes("Quillon Robotics") != nodes("Vexmoor Group")
    code, out, err = _run(
        capsys, "merge", "Quillon Robotics", "Vexmoor Group", "--out", str(small_out)
    )
    assert code == 0, err
    assert nodes("Quillon Robotics") == nodes("Vexmoor Group")
    code, out, _ = _run(capsys, "explain", "Vexmoor Group", "--out", str(small_out))
    assert "kg.link.curated.v1" in out
    curation = (small_out / "curation.txt").read_text(encoding="utf-8")
    assert "same-as: Quillon Robotics | Vexmoor Group" in curation
    code, out, err = _run(
        capsys, "split", "Quillon Robotics", "Vexmoor Group", "--out", str(small_out)
    )
    assert code == 0, err
    assert nodes("Quillon Robotics") != nodes("Vexmoor Group")
    rules = parse_curation(
        (small_out / "curation.txt").read_text(encoding="utf-8")
    ).rules
    assert [r.kind for r in rules] == ["not-same-as"]  # the newer decision won
    # kg render applies a hand edit of the file to the store
    (small_out / "curation.txt").write_text(
        "same-as: Quillon Robotics | Vexmoor Group\n", encoding="utf-8"
    )
    code, _, err = _run(capsys, "render", "--out", str(small_out))
    assert code == 0, err
    assert nodes("Quillon Robotics") == nodes("Vexmoor Group")


@pytest.mark.parametrize(
    "args",
    [
        ("merge", "Quillon Robotics", "Nobody Anywhere"),
        ("merge", "Quillon Robotics", "quillon robotics"),
        ("split", "Quillon Robotics", "Nobody Anywhere"),
        ("split", "Quillon Robotics", "Vexmoor Group"),
        ("explain", ""),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    small_out: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    before = _snapshot(small_out)
    code, out, err = _run(capsys, *args, "--out", str(small_out))
    assert code == 2
    assert err.startswith("kg: error: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert _snapshot(small_out) == before


# --- ECB+: two training topics with the reference scorer ---------------------------

ECB = SHARED_EVAL / "ecbplus"
_TOPICS = ("3", "16")


@pytest.mark.slow
@pytest.mark.skipif(
    not (ECB / "score_ecb.py").is_file(), reason="no ../shared/eval/ecbplus"
)
def test_ecbplus_train_slice(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    from kg.store import export_store

    gold = json.loads((ECB / "ecb_train_gold.json").read_text(encoding="utf-8"))
    gold["documents"] = [d for d in gold["documents"] if d["topic"] in _TOPICS]
    ids = {d["id"] for d in gold["documents"]}
    chains = []
    for chain in gold["entities"]:
        mentions = [m for m in chain["mentions"] if m["doc_id"] in ids]
        if mentions:
            docs = sorted({m["doc_id"] for m in mentions})
            chains.append(chain | {"mentions": mentions, "docs": docs})
    gold["entities"] = chains
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    for topic in _TOPICS:
        out = tmp_path / "out" / topic
        run_build([ECB / "docs-train" / topic], config=BuildConfig(out=out))
        export_store(out, out / "export.nq", format="nquads")
    figures = tmp_path / "figures.json"
    subprocess.run(
        [
            sys.executable,
            str(ECB / "score_ecb.py"),
            str(tmp_path / "gold.json"),
            str(tmp_path / "out"),
            "--no-baselines",
            "--json",
            str(figures),
        ],
        check=True,
        capture_output=True,
    )
    named = json.loads(figures.read_text())["results"]
    kg, split = named["kg"]["named"]["G"], named["kg-docsplit"]["named"]["G"]
    precision, recall = kg["xdoc_pairs"][1], kg["xdoc_pairs"][0]
    assert precision >= 0.85
    assert recall > 0.15
    assert kg["conll_f1"] > split["conll_f1"] + 0.1


# --- the map and reduce of a cluster build (kg.link.shuffle) -----------------


@pytest.fixture(scope="module")
def synthetic() -> tuple[list[Document], LinkResult]:
    """600 invented documents (blocks big enough to be sampled, and skipped), linked."""
    from benchmarks.link_incremental import synthetic_corpus

    corpus = synthetic_corpus(600)
    sizes: dict[str, int] = defaultdict(int)
    for document in corpus:
        for s in summarize_document(document):
            for key in s.keys:
                sizes[key] += 1
    assert max(n for k, n in sizes.items() if k.startswith("n:")) > SMALL_BLOCK
    assert max(n for k, n in sizes.items() if k.startswith("w:")) > MAX_BLOCK
    return corpus, link_into_store(ox.Store(), corpus)


@pytest.mark.parametrize("parts", [1, 5])
def test_the_map_and_reduce_give_the_in_memory_resolution(
    synthetic: tuple[list[Document], LinkResult],
    parts: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kg.link import cluster as link_cluster

    corpus, here = synthetic
    mapped = premap(corpus, parts=parts)
    assert mapped.pairs
    # with the pairs judged by the reduce, the step finds none itself
    monkeypatch.setattr(link_cluster, "candidate_pairs", _no_candidates)
    reduced = link_into_store(ox.Store(), corpus, premapped=mapped)
    assert reduced.decisions == here.decisions
    assert reduced.documents == here.documents
    assert set(reduced.quads) == set(here.quads)
    merged = {d.target for d in here.decisions if d.rule != "kg.link.new.v1"}
    assert len(merged) > 100  # the corpus links many entities across documents


def _no_candidates(*_args: object, **_options: object) -> None:
    raise AssertionError("the corpus step looked for candidate pairs itself")


def test_premapped_pairs_serve_only_the_documents_they_were_found_for(
    tmp_path: Path,
) -> None:
    corpus = _corpus()
    mapped = premap(corpus, parts=2)
    # another order: the pairs are not used, the step finds them itself
    backwards = list(reversed(corpus))
    assert (
        link_into_store(ox.Store(), backwards, premapped=mapped).decisions
        == link_into_store(ox.Store(), backwards).decisions
    )
    summaries = [s for d in corpus for s in summarize_document(d)]
    assert mapped.indexed(summaries)
    assert mapped.indexed(summaries[:-1]) is None  # a pair beyond them
    assert Premapped(mapped.summaries, (), {0: 0}).indexed(summaries) == []
    # stored entities share the blocks: compared here, with pairs found here
    write_documents(tmp_path / "mapped", corpus[:2])
    write_documents(tmp_path / "mapped", corpus[2:], premapped=premap(corpus[2:]))
    write_documents(tmp_path / "plain", corpus[:2])
    write_documents(tmp_path / "plain", corpus[2:])
    write_documents(tmp_path / "batch", corpus)
    assert _partition(tmp_path / "mapped") == _partition(tmp_path / "plain")
    assert _partition(tmp_path / "mapped") == _partition(tmp_path / "batch")


def _org(doc: str, name: str, written: tuple[str, ...] = ()) -> EntitySummary:
    form = name.lower()
    return EntitySummary(
        doc,
        form,
        "Organization",
        name,
        (form,),
        keys=block_keys((form,), written),
        written=written,
        cooccur=("arden",),
    )


def test_an_acronym_fitting_two_unrelated_names_links_to_neither() -> None:
    # "VC" fits "Vardon Capital" and "Velmor Cycles" as well: no precise
    # name rule makes those one, so the acronym would chain them.
    ambiguous = resolve(
        [
            _org("a", "VC", ("vc",)),
            _org("b", "Vardon Capital"),
            _org("c", "Velmor Cycles"),
        ]
    )
    assert len({d.target for d in ambiguous}) == 3
    # Two documents naming one "Vardon Capital": one candidate, linked.
    one = resolve(
        [
            _org("a", "VC", ("vc",)),
            _org("b", "Vardon Capital"),
            _org("c", "Vardon Capital"),
        ]
    )
    assert len({d.target for d in one}) == 1
    # Stored as one corpus entity already: still one candidate.
    stored = resolve(
        [
            _org("a", "VC", ("vc",)),
            _org("b", "Vardon Capital"),
            _org("c", "Vardon Capital"),
        ],
        fixed={
            ("b", "vardon capital"): "vardon capital",
            ("c", "vardon capital"): "vardon capital",
        },
    )
    assert len({d.target for d in stored}) == 1


def test_a_known_nationality_or_country_name_is_not_a_longer_name() -> None:
    def summary(doc: str, label: str, name: str, votes: int) -> EntitySummary:
        form = name.lower()
        return EntitySummary(
            doc,
            form,
            label,
            name,
            (form,),
            keys=block_keys((form,)),
            votes=votes,
            cooccur=("arden",),
        )

    decisions = resolve(
        [
            summary("a", "Nationality", "French", 0),
            summary("b", "Person", "Ivo French", 2),
            summary("c", "Nationality", "French", 0),
        ]
    )
    targets = {d.uid: d.target for d in decisions}
    assert targets[("a", "french")] == targets[("c", "french")]
    assert targets[("a", "french")] != targets[("b", "ivo french")]


def test_candidate_pairs_leave_out_pairs_of_two_settled_entities() -> None:
    """Stored members of a common name are paired only with the new entities.

    Their pairs among themselves were judged before (score_pairs skipped
    them): leaving them out of the candidates gives the same pairs to
    judge, without remembering pairs in proportion to the store.
    """
    from kg.link.cluster import candidate_pairs

    def summary(doc: str, name: str) -> EntitySummary:
        form = name.lower()
        return EntitySummary(doc, form, "Person", name, (form,), keys=(f"n:{form}",))

    name = "Brannigan Quell"
    stored = [summary(f"old-{i:03d}", name) for i in range(3 * SMALL_BLOCK)]
    new = [summary("new-a", "Brannigan Quell"), summary("new-b", "Brannigan Quell")]
    summaries = [*new, *stored]
    settled = frozenset(range(len(new), len(summaries)))
    everything = list(candidate_pairs(summaries))
    kept = list(candidate_pairs(summaries, settled=settled))
    assert kept == [p for p in everything if not (p[0] in settled and p[1] in settled)]
    assert kept
    assert all(i < len(new) or j < len(new) for i, j in kept)
    assert len(kept) < len(everything) / 10
