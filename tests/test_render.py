"""The graph page: what it draws from the RDF, and how it behaves in Chromium.

Pages come from real graphs: the seed build (real spaCy pipeline, real
store) and graphs built with kg's own ``build_graph`` from constructed
documents (made-up names, so every relation, sentence and offset is known).
Expected values are computed from the RDF with SPARQL or networkx, never
copied from the renderer.
"""

from __future__ import annotations

import base64
import json
import math
import random
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from kg.cli import main
from kg.errors import ConfigError
from kg.ontology import KGO, KGO_URI, load_ontology
from kg.rdf import NS, build_graph, serialize
from kg.render import (
    EdgeView,
    GraphView,
    NodeView,
    RenderOptions,
    class_styles,
    collect_store_view,
    collect_view,
    corpus_title,
    detect_communities,
    is_default_edge,
    layout_positions,
    page_data,
    rank_nodes,
    render_page,
    select_view,
    write_html,
)
from kg.render.layout import _repulsion
from kg.types import Document, Entity, Mention, Provenance, Sentence, Triple
from tests.fixtures import SEEDS

_LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

# What the page should draw, read from the RDF plus the ontology: an entity has
# a mention or an entity class; a relation is a reified statement that is not
# negated or a question, or a plain triple of a sub-property of kgo:relatedTo,
# between two entities.
ENTITIES_Q = prepareQuery(
    """
    SELECT DISTINCT ?e WHERE {
      ?e ?p ?o .
      FILTER (EXISTS { ?e kgo:mention ?m }
              || EXISTS { ?e a/rdfs:subClassOf* kgo:Entity })
    }
    """,
    initNs=NS,
)
RELATIONS_Q = prepareQuery(
    """
    SELECT ?s ?p ?o (MAX(?c) AS ?conf) WHERE {
      { ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
        OPTIONAL { ?st kgo:confidence ?c }
        OPTIONAL { ?st kgo:modality ?m }
        FILTER (!BOUND(?m) || ?m IN ("asserted", "reported", "hedged")) }
      UNION
      { ?p rdfs:subPropertyOf* kgo:relatedTo . ?s ?p ?o }
      FILTER (EXISTS { ?s kgo:mention ?ms }
              || EXISTS { ?s a/rdfs:subClassOf* kgo:Entity })
      FILTER (EXISTS { ?o kgo:mention ?mo }
              || EXISTS { ?o a/rdfs:subClassOf* kgo:Entity })
    } GROUP BY ?s ?p ?o
    """,
    initNs=NS,
)


def _page_data(html: str) -> dict[str, Any]:
    start = html.index('<script id="kg-data" type="application/json">')
    block = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    data: dict[str, Any] = json.loads(block)
    return data


def _with_ontology(graph: Graph) -> Graph:
    both = Graph()
    for triple in graph:
        both.add(triple)
    for triple in load_ontology().graph:
        both.add(triple)
    return both


def _entities(graph: Graph) -> dict[str, str]:
    """Entity IRI → its label (``skos:prefLabel``, else ``rdfs:label``)."""
    found = {str(r.e) for r in _with_ontology(graph).query(ENTITIES_Q)}
    return {
        e: str(
            graph.value(URIRef(e), SKOS.prefLabel) or graph.value(URIRef(e), RDFS.label)
        )
        for e in found
    }


def _relations(graph: Graph) -> dict[tuple[str, str, str], float | None]:
    return {
        (str(r.s), str(r.p), str(r.o)): (float(r.conf) if r.conf is not None else None)
        for r in _with_ontology(graph).query(RELATIONS_Q)
    }


# --- constructed graphs ----------------------------------------------------------

OWNS = URIRef(KGO_URI + "owns")
XSS = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(2)</script>"
Fact = tuple[tuple[str, str], str, tuple[str, str], float, str]


def _doc(doc_id: str, facts: list[Fact], *, prefix: str = "") -> Document:
    """One document, one sentence per fact ``(subject, prop, object, conf, modality)``.

    Subject and object are ``(name, class)`` pairs.

    Each sentence reads ``"<prefix><subject> <property label> <object> on
    Monday."``; mentions and provenance get exact offsets (code points).
    """
    onto = load_ontology()
    sentences, triples = [], []
    mentions: dict[str, list[Mention]] = {}
    classes: dict[str, str] = {}
    offset = 0
    for i, ((subj, s_cls), prop, (obj, o_cls), conf, modality) in enumerate(facts):
        verb = onto.properties[prop].label
        text = f"{prefix}{subj} {verb} {obj} on Monday."
        sentences.append(Sentence(i, offset, offset + len(text), text))
        s_span = (offset + len(prefix), offset + len(prefix) + len(subj))
        o_start = s_span[1] + len(verb) + 2
        o_span = (o_start, o_start + len(obj))
        for name, cls, span in ((subj, s_cls, s_span), (obj, o_cls, o_span)):
            classes[name] = cls
            mentions.setdefault(name, []).append(Mention(name, "PERSON", *span, i))
        triples.append(
            Triple(
                subj,
                prop,
                obj,
                Provenance(doc_id, i, s_span[0], o_span[1], text),
                confidence=conf,
                rule=f"test.{prop}.v1",
                lemma=verb,
                modality=modality,  # type: ignore[arg-type]
            )
        )
        offset += len(text) + 1
    entities = tuple(Entity(n, classes[n], n, tuple(ms)) for n, ms in mentions.items())
    return Document(
        doc_id, doc_id, "0" * 64, tuple(sentences), entities, tuple(triples)
    )


ADA, BO = ("Ada Quellmark", "Person"), ("Bo Tarrant", "Person")
VEX, NOR = ("Vexlo Holdings", "Organization"), ("Norrabay", "Place")


@pytest.fixture(scope="module")
def small_docs() -> list[Document]:
    """A dozen made-up entities over three documents, one with markup in its names."""
    xss, scr = (XSS, "Person"), (SCRIPT, "Organization")
    first = _doc(
        "news/first.txt",
        [
            (ADA, "employer", VEX, 0.9, "asserted"),
            (BO, "meets", ADA, 0.4, "asserted"),
            (VEX, "headquarters", NOR, 0.7, "asserted"),
            (xss, "meets", ADA, 0.8, "asserted"),
            (xss, "employer", scr, 0.6, "reported"),
        ],
    )
    second = _doc(
        "news/second.txt",
        [
            (("Cyra Dunmore", "Person"), "meets", BO, 0.95, "asserted"),
            (("Dalk Orrin", "Person"), "employer", VEX, 0.5, "hedged"),
            (
                ("Elm Vasquill", "Person"),
                "meets",
                ("Fen Osterby", "Person"),
                0.3,
                "asserted",
            ),
        ],
        # a character outside the BMP: JS string offsets differ from Python's
        prefix="\U0001f42f Ünïcode \u2014 ",
    )
    text = "Gisla Wren stayed quiet."
    alone = Entity(
        "Gisla Wren",
        "Person",
        "Gisla Wren",
        (Mention("Gisla Wren", "PERSON", 0, 10, 0),),
    )
    third = Document(
        "news/third.txt",
        "news/third.txt",
        "0" * 64,
        (Sentence(0, 0, len(text), text),),
        (alone,),
    )
    return [first, second, third]


@pytest.fixture(scope="module")
def small_graph(small_docs: list[Document]) -> Graph:
    return build_graph(small_docs)


@pytest.fixture(scope="module")
def small_page(small_graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("small") / "graph.html"
    write_html(small_graph, path, options=RenderOptions(heading=f"kg {XSS}"))
    return path


def _grid_graph(n: int, seed: int = 3) -> Graph:
    """About ``n`` entities in small clusters, as news stories give."""
    rng = random.Random(seed)
    names = [f"Ent{i:05d} Qor" for i in range(n)]
    docs = []
    for d in range(0, n, 4):
        group = names[d : d + 4] + rng.sample(names, 2)
        facts: list[Fact] = []
        for a in group[:4]:
            b = rng.choice([g for g in group if g != a])
            conf = round(rng.uniform(0.2, 1), 2)
            facts.append(
                ((a, "Person"), "meets", (b, "Organization"), conf, "asserted")
            )
        docs.append(_doc(f"d{d}.txt", facts))
    return build_graph(docs)


# --- what the page is made of (no browser) -----------------------------------------


def test_view_counts_match_the_rdf(small_graph: Graph, seed_build: Path) -> None:
    from kg.store import load_graph

    for graph in (small_graph, load_graph(seed_build)):
        view = collect_view(graph)
        assert {n.id for n in view.nodes} == set(_entities(graph))
        assert {(e.source, e.property, e.target) for e in view.edges} == set(
            _relations(graph)
        )
        for edge in view.edges:
            assert (
                edge.confidence
                == _relations(graph)[(edge.source, edge.property, edge.target)]
            )


def test_store_view_equals_the_rdflib_view(
    small_docs: list[Document], seed_build: Path, tmp_path: Path
) -> None:
    from kg.store import load_graph, open_store, write_documents

    write_documents(tmp_path, small_docs)
    for out in (tmp_path, seed_build):
        from_store = collect_store_view(open_store(out))
        assert from_store == collect_view(load_graph(out))
    assert collect_store_view(open_store(tmp_path)).edges
    assert main(["render", "--out", str(tmp_path), "--max-nodes", "3"]) == 0
    assert (tmp_path / "graph.html").is_file()


def test_negated_statements_and_questions_are_never_edges(small_graph: Graph) -> None:
    graph = Graph()
    for triple in small_graph:
        graph.add(triple)
    (stmt, *_) = graph.subjects(RDF.type, RDF.Statement)
    subject, obj = graph.value(stmt, RDF.subject), graph.value(stmt, RDF.object)
    for modality in ("negated", "question"):
        node = URIRef(f"{stmt}-{modality}")
        for p, o in graph.predicate_objects(stmt):
            if p not in (KGO.modality, RDF.predicate):
                graph.add((node, p, o))
        graph.add((node, RDF.predicate, OWNS))
        graph.add((node, KGO.modality, Literal(modality)))
    edges = {(e.source, e.property, e.target) for e in collect_view(graph).edges}
    assert (str(subject), str(OWNS), str(obj)) not in edges
    assert edges == set(_relations(graph))


def test_edges_carry_modality_rule_and_words(small_graph: Graph) -> None:
    view = collect_view(small_graph)
    labels = {n.id: n.label for n in view.nodes}
    by_pair = {(labels[e.source], labels[e.target]): e for e in view.edges}
    reported = by_pair[(XSS, SCRIPT)]
    assert reported.modality == "reported"
    assert not is_default_edge(reported)
    assert by_pair[("Dalk Orrin", VEX[0])].modality == "hedged"
    stated = by_pair[(ADA[0], VEX[0])]
    assert is_default_edge(stated)
    (ev,) = stated.evidence
    assert ev.rule == "test.employer.v1"
    assert ev.words == load_ontology().properties["employer"].label


def test_marks_cover_the_two_mentions(small_graph: Graph) -> None:
    view = collect_view(small_graph)
    labels = {n.id: n.label for n in view.nodes}
    assert view.edges
    for edge in view.edges:
        assert edge.evidence, "every constructed relation has its sentence"
        for ev in edge.evidence:
            marked = {role: ev.sentence[a:b] for a, b, role in ev.marks}
            assert marked == {"s": labels[edge.source], "o": labels[edge.target]}


def test_edge_labels_are_property_labels(small_graph: Graph) -> None:
    onto = load_ontology()
    labels = {str(info.iri): info.label for info in onto.properties.values()}
    for edge in collect_view(small_graph).edges:
        assert edge.label == labels[edge.property]


def test_select_view_keeps_the_most_connected() -> None:
    rng = random.Random(1)
    nodes = tuple(
        NodeView(f"n{i}", f"N{i}", "Person", "person", mentions=rng.randint(1, 5))
        for i in range(40)
    )
    edges = tuple(
        EdgeView(
            f"n{rng.randrange(8)}", f"n{rng.randrange(40)}", "p", "p", rng.random()
        )
        for _ in range(60)
    )
    view = GraphView(nodes, edges)
    small = select_view(view, max_nodes=10)
    kept = {n.id for n in small.nodes}
    degree = {n.id: 0 for n in nodes}
    for e in edges:
        degree[e.source] += 1
        degree[e.target] += 1
    assert len(kept) == 10
    assert min(degree[i] for i in kept) >= max(
        degree[i] for i in degree if i not in kept
    )
    assert all(e.source in kept and e.target in kept for e in small.edges)
    assert small.omitted_nodes == 30
    assert small.omitted_edges == len(edges) - len(small.edges)
    assert set(small.omitted_names) <= {n.label for n in nodes if n.id not in kept}
    weak = select_view(view, min_confidence=0.5)
    assert all(e.confidence is not None and e.confidence >= 0.5 for e in weak.edges)
    assert weak.filtered_edges == sum(1 for e in edges if e.confidence < 0.5)


def test_bad_options_raise_config_errors() -> None:
    for bad in ({"max_nodes": 0}, {"min_confidence": 1.5}, {"size_by": "colour"}):
        with pytest.raises(ConfigError):
            RenderOptions(**bad)  # type: ignore[arg-type]


def test_every_class_gets_its_own_colour() -> None:
    onto = load_ontology()
    classes = [c for c in onto.classes if onto.is_a(c, "Entity")]
    classes += ["Software", "Publication", "Movement"]  # classes kg may grow
    styles = class_styles(classes, onto.superclasses)
    colours = [colour for colour, _shape in styles.values()]
    assert set(styles) == set(classes)
    assert len(set(colours)) == len(colours)


def test_communities_group_dense_clusters() -> None:
    # two cliques of six joined by one edge, plus a pair and a loner
    members = [f"a{i}" for i in range(6)] + [f"b{i}" for i in range(6)]
    nodes = tuple(NodeView(m, m, "Person", "person") for m in [*members, "c", "d", "z"])
    pairs = [
        (x, y)
        for g in "ab"
        for i, x in enumerate(members)
        for y in members[i + 1 :]
        if x[0] == g and y[0] == g
    ]
    pairs += [("a0", "b0"), ("c", "d")]
    edges = tuple(EdgeView(x, y, "urn:p", "p", 0.9) for x, y in pairs)
    groups = detect_communities(GraphView(nodes, edges))
    assert len({groups[m] for m in members[:6]}) == 1
    assert len({groups[m] for m in members[6:]}) == 1
    assert groups["a1"] != groups["b1"]
    assert groups["c"] == groups["d"] != groups["z"]
    ranks = rank_nodes(GraphView(nodes, edges), groups)
    assert sorted(ranks.values()) == list(range(len(nodes)))
    # each group's best-connected member gets a label before the loner
    assert ranks["a0"] < ranks["z"]
    assert ranks["b0"] < ranks["z"]


def test_corpus_title_names_the_shared_folder(small_graph: Graph) -> None:
    assert corpus_title(["/x/reports/a.txt", "/x/reports/sub/b.txt"]) == "reports"
    view = collect_view(small_graph)
    html, report = render_page(view)
    assert report.title == "news"
    assert "<title>news · kg graph</title>" in html


def test_layout_pulls_linked_nodes_together() -> None:
    rng = random.Random(0)
    ids = [f"v{i}" for i in range(600)]
    # 60 clusters of 10 nodes, each a ring
    edges = [
        (ids[c * 10 + k], ids[c * 10 + (k + 1) % 10])
        for c in range(60)
        for k in range(10)
    ]
    pos = layout_positions(ids, edges, seed=1)
    assert pos == layout_positions(ids, edges, seed=1)
    xy = np.array([pos[i] for i in ids])
    assert np.isfinite(xy).all()
    assert len({(round(x, 3), round(y, 3)) for x, y in xy}) == len(ids)
    linked = np.mean([math.dist(pos[a], pos[b]) for a, b in edges])
    pairs = [tuple(rng.sample(ids, 2)) for _ in range(2000)]
    unlinked = np.mean([math.dist(pos[a], pos[b]) for a, b in pairs])
    assert linked * 4 < unlinked


def test_layout_puts_unlinked_entities_apart() -> None:
    ids = [f"v{i}" for i in range(80)]
    edges = [(ids[i], ids[i + 1]) for i in range(0, 40, 2)]
    pos = layout_positions(ids, edges)
    lowest_linked = max(pos[i][1] for i in ids[:40])
    assert all(pos[i][1] > lowest_linked for i in ids[40:])


def test_grid_repulsion_matches_the_pairwise_sum() -> None:
    from scipy.spatial import cKDTree

    pos = np.random.default_rng(0).normal(0.0, 4.0, size=(600, 2))
    close = cKDTree(pos).query_pairs(3.0, output_type="ndarray")
    i, j = close[:, 0], close[:, 1]
    delta = pos[i] - pos[j]
    push = delta / (delta**2).sum(axis=1)[:, None]
    exact = np.zeros_like(pos)
    for axis in (0, 1):
        exact[:, axis] += np.bincount(i, push[:, axis], minlength=len(pos))
        exact[:, axis] -= np.bincount(j, push[:, axis], minlength=len(pos))
    approx = _repulsion(pos)
    # action and reaction: the forces cancel out, as the exact ones do
    assert np.allclose(approx.sum(axis=0), 0.0, atol=1e-8)
    assert np.linalg.norm(approx - exact) < 0.2 * np.linalg.norm(exact)
    assert np.corrcoef(approx.ravel(), exact.ravel())[0, 1] > 0.98


def test_page_escapes_data_in_markup(small_graph: Graph) -> None:
    html, _ = render_page(small_graph, options=RenderOptions(heading=f"kg {XSS}"))
    assert XSS not in html
    assert SCRIPT not in html
    # the data block ends where it should and still holds the names verbatim
    names = {n["name"] for n in _page_data(html)["nodes"]}
    assert {XSS, SCRIPT} <= names


def test_page_data_marks_guesses_and_first_view(small_graph: Graph) -> None:
    view = collect_view(small_graph)
    data = page_data(view, RenderOptions())
    by_pair = {(e["from"], e["to"]): e for e in data["edges"]}
    for edge in view.edges:
        shown = by_pair[(edge.source, edge.target)]
        assert shown["guess"] == (edge.confidence is not None and edge.confidence < 0.5)
        assert shown["modality"] == edge.modality
    stated = [e for e in view.edges if is_default_edge(e)]
    assert data["first"]["edges"] == len(stated)
    assert data["first"]["nodes"] == len(
        {x for e in stated for x in (e.source, e.target)}
    )


def test_render_command_redraws_with_max_nodes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    graph = _grid_graph(60)
    serialize(graph, tmp_path / "graph.ttl")
    assert main(["render", "--out", str(tmp_path), "--max-nodes", "12"]) == 0
    out = capsys.readouterr().out
    left = len(_entities(graph)) - 12
    assert "drew 12 entities" in out
    assert f"left out {left} less connected entities" in out
    assert (tmp_path / "graph.html").is_file()
    assert main(["render", "--out", str(tmp_path / "nothing")]) == 2
    assert "kg: error:" in capsys.readouterr().err
    assert main(["render", "--out", str(tmp_path), "--min-confidence", "0.7"]) == 0
    data = _page_data((tmp_path / "graph.html").read_text(encoding="utf-8"))
    weak = sum(1 for c in _relations(graph).values() if c is not None and c < 0.7)
    assert weak > 0
    assert len(data["edges"]) == len(_relations(graph)) - weak
    assert all(e["conf"] >= 0.7 for e in data["edges"])
    assert data["omitted"]["filteredEdges"] == weak
    assert main(["render", "--out", str(tmp_path), "--title", "My corpus"]) == 0
    html = (tmp_path / "graph.html").read_text(encoding="utf-8")
    assert _page_data(html)["title"] == "My corpus"


def test_build_with_max_nodes_says_what_it_left_out(
    nlp: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kg.store import load_graph

    out = tmp_path / "output"
    assert main(["build", str(SEEDS), "--out", str(out), "--max-nodes", "5"]) == 0
    printed = capsys.readouterr().out
    total = len(_entities(load_graph(out)))
    assert total > 5
    assert "graph.html: drew 5 entities" in printed
    assert f"left out {total - 5} less connected entities" in printed
    data = _page_data((out / "graph.html").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 5
    assert data["omitted"]["nodes"] == total - 5


def test_generic_relation_is_labelled_with_its_words() -> None:
    text = "Ada Quellmark sang with Bo Tarrant."
    ents = (
        Entity(
            "ada",
            "Person",
            "Ada Quellmark",
            (Mention("Ada Quellmark", "PERSON", 0, 13, 0),),
        ),
        Entity(
            "bo", "Person", "Bo Tarrant", (Mention("Bo Tarrant", "PERSON", 24, 34, 0),)
        ),
    )
    prov = Provenance("g.txt", 0, 0, 34, text)
    triple = Triple(
        "ada",
        "relatedTo",
        "bo",
        prov,
        confidence=0.5,
        lemma="sing with",
        modality="reported",
    )
    doc = Document(
        "g.txt", "g.txt", "0" * 64, (Sentence(0, 0, len(text), text),), ents, (triple,)
    )
    (edge,) = collect_view(build_graph([doc])).edges
    assert edge.label == "sing with"
    assert edge.loose
    assert not is_default_edge(edge)
    assert edge.evidence[0].modality == "reported"
    html, _ = render_page(collect_view(build_graph([doc])))
    (shown,) = _page_data(html)["edges"]
    assert shown["evidence"][0]["modality"] == "reported"
    assert shown["loose"] is True


# --- in Chromium ---------------------------------------------------------------------


def _pixels(browser, png: bytes) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Decode a PNG screenshot with Chromium itself: an (h, w, 3) array."""
    page = browser.new_page()
    data = page.evaluate(
        """async (b64) => {
            const img = new Image();
            img.src = "data:image/png;base64," + b64;
            await img.decode();
            const c = document.createElement("canvas");
            c.width = img.width; c.height = img.height;
            const ctx = c.getContext("2d");
            ctx.drawImage(img, 0, 0);
            const d = ctx.getImageData(0, 0, c.width, c.height).data;
            const rgb = [];
            for (let i = 0; i < d.length; i += 4) rgb.push(d[i], d[i + 1], d[i + 2]);
            return [c.width, c.height, rgb];
        }""",
        base64.b64encode(png).decode("ascii"),
    )
    page.close()
    width, height, rgb = data
    return np.array(rgb, dtype=np.uint8).reshape(height, width, 3)


def _drawn_fraction(browser, png: bytes) -> float:  # type: ignore[no-untyped-def]
    """Share of a screenshot's pixels that differ from the white background."""
    pixels = _pixels(browser, png).astype(int)
    return float(((765 - pixels.sum(axis=2)) > 30).mean())


def _open(browser, path: Path, *, width: int = 1200, height: int = 800):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": height})
    outside: list[str] = []
    dialogs: list[str] = []
    page.route(
        "**/*",
        lambda route: (
            outside.append(route.request.url) or route.abort()
            if not route.request.url.startswith(_LOCAL_SCHEMES)
            else route.continue_()
        ),
    )
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.resolve().as_uri())
    page.wait_for_function("() => document.body.dataset.stable === '1'", timeout=60_000)
    return page, outside, dialogs, errors


def _panel(page, kind: str) -> bool:  # type: ignore[no-untyped-def]
    """Wait for the info panel to show an entity or a relation; False if it does not."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_selector(f"#kg-info[data-kind='{kind}']", timeout=3_000)
    except PlaywrightTimeout:
        return False  # something else lies under the pointer
    return True


def _screen(page, node_id: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    box = page.locator("#kg-network").bounding_box()
    point = page.evaluate("(id) => window.kg.toDOM(id)", node_id)
    return box["x"] + point["x"], box["y"] + point["y"]


@pytest.mark.browser
def test_seed_page_is_offline_drawn_and_complete(browser, seed_build: Path) -> None:  # type: ignore[no-untyped-def]
    from kg.store import load_graph

    graph = load_graph(seed_build)
    page, outside, _dialogs, errors = _open(browser, seed_build / "graph.html")
    counts = page.evaluate(
        "() => [window.kg.data.nodes.length, window.kg.data.edges.length]"
    )
    canvas = page.locator("#kg-network canvas").screenshot()
    page.close()
    assert not outside, f"the page requested {outside}"
    assert not errors
    assert counts == [len(_entities(graph)), len(_relations(graph))]
    drawn = _drawn_fraction(browser, canvas)
    assert drawn > 0.002, f"only {drawn:.4%} of the canvas differs from the background"


@pytest.mark.browser
def test_search_box_focuses_the_entity(browser, seed_build: Path) -> None:  # type: ignore[no-untyped-def]
    from kg.store import load_graph

    entities = _entities(load_graph(seed_build))
    iri, label = max(entities.items(), key=lambda kv: (len(kv[1]), kv[0]))
    page, *_ = _open(browser, seed_build / "graph.html")
    page.fill("#kg-search", label.lower())
    page.press("#kg-search", "Enter")
    selected = page.evaluate("() => window.kgNetwork.getSelectedNodes()")
    gap = page.evaluate(
        """(id) => { const n = window.kgNetwork, p = n.getPositions([id])[id];
                     const v = n.getViewPosition();
                     return Math.hypot(p.x - v.x, p.y - v.y); }""",
        iri,
    )
    title = page.text_content("#kg-info h2")
    shown = page.evaluate("(id) => window.kg.visibleNodes().includes(id)", iri)
    page.fill("#kg-search", "zzqx no such entity")
    page.press("#kg-search", "Enter")
    status = page.text_content("#kg-search-status")
    page.close()
    assert selected == [iri]
    assert shown, "a found entity is shown even when the filters hid it"
    assert gap < 1.0
    assert title == label
    assert "no entity matches" in (status or "")


@pytest.mark.browser
def test_edge_panel_holds_sentence_rule_and_kind(
    browser, small_graph: Graph, small_page: Path
) -> None:  # type: ignore[no-untyped-def]
    view = collect_view(small_graph)
    labels = {n.id: n.label for n in view.nodes}
    page, *_ = _open(browser, small_page)
    page.check("#kg-modal")  # reported and hedged facts drawn too
    edges = page.evaluate(
        "() => window.kg.visibleEdges().map(k => [k, window.kg.data.edges[k].from,"
        " window.kg.data.edges[k].to])"
    )
    box = page.locator("#kg-network").bounding_box()
    checked = 0
    for k, source, target in edges:
        page.mouse.move(box["x"] + 3, box["y"] + 3)  # an empty corner: the panel goes
        point = page.evaluate("(k) => window.kg.edgeMidpoint(k)", k)
        page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
        if not _panel(page, "edge") or page.get_attribute("#kg-info", "data-id") != str(
            k
        ):
            continue  # another edge or node lies on this one's midpoint
        sentence = page.text_content("#kg-info .kg-sentence")
        marks = page.evaluate(
            "() => [...document.querySelectorAll('#kg-info .kg-sentence mark')]"
            ".map(m => [m.className, m.textContent])"
        )
        rule = page.text_content("#kg-info .kg-rule")
        kind = page.get_attribute("#kg-info .kg-kind", "data-kind")
        edge = next(e for e in view.edges if (e.source, e.target) == (source, target))
        assert sentence == edge.evidence[0].sentence
        assert ["kg-s", labels[source]] in marks
        assert ["kg-o", labels[target]] in marks
        assert edge.evidence[0].rule in (rule or "")
        assert edge.evidence[0].words in (rule or "")
        expected = (
            "modal"
            if edge.modality != "asserted"
            else ("guess" if (edge.confidence or 1) < 0.5 else "stated")
        )
        assert kind == expected
        checked += 1
    page.close()
    assert checked >= max(len(edges) - 2, 1)


MENTIONS_Q = prepareQuery(
    """
    SELECT ?e (COUNT(DISTINCT ?m) AS ?n)
           (GROUP_CONCAT(DISTINCT ?doc; separator="|") AS ?docs)
    WHERE { ?e kgo:mention ?m . ?m kgo:inSentence ?s . ?s dcterms:isPartOf ?d .
            ?d rdfs:label ?doc }
    GROUP BY ?e
    """,
    initNs=NS,
)


@pytest.mark.browser
def test_node_panel_shows_type_mentions_documents(  # type: ignore[no-untyped-def]
    browser, small_graph: Graph, small_page: Path
) -> None:
    rows = {
        str(r.e): (int(r.n), {d.rsplit("/", 1)[-1] for d in str(r.docs).split("|")})
        for r in small_graph.query(MENTIONS_Q)
    }
    page, *_ = _open(browser, small_page)
    page.check("#kg-unlinked")
    page.check("#kg-modal")
    checked = 0
    box = page.locator("#kg-network").bounding_box()
    for iri, (mentions, docs) in rows.items():
        page.mouse.move(box["x"] + 3, box["y"] + 3)  # an empty corner: the panel goes
        page.mouse.move(*_screen(page, iri))
        if not _panel(page, "node") or page.get_attribute("#kg-info", "data-id") != iri:
            continue
        cells = page.evaluate(
            "() => Object.fromEntries([...document.querySelectorAll('#kg-info dt')]"
            ".map(dt => [dt.textContent, dt.nextElementSibling.textContent]))"
        )
        shown_docs = page.evaluate(
            "() => [...document.querySelectorAll('#kg-info dd li')]"
            ".map(li => li.textContent)"
        )
        cls = small_graph.value(URIRef(iri), RDF.type)
        assert cells["Type"] == str(load_ontology().graph.value(cls, RDFS.label))
        assert cells["Mentions"] == str(mentions)
        assert set(shown_docs) == docs
        checked += 1
    page.close()
    assert checked >= len(rows) - 2


@pytest.mark.browser
def test_markup_in_names_runs_no_script(browser, small_page: Path) -> None:  # type: ignore[no-untyped-def]
    page, outside, dialogs, errors = _open(browser, small_page)
    page.fill("#kg-search", XSS)
    page.press("#kg-search", "Enter")
    shown = page.text_content("#kg-info h2")
    # the explanation lists the entity's mentions, markup and all, as text
    why = page.evaluate(
        "() => [...document.querySelectorAll('#kg-info .kg-why q')]"
        ".map(q => q.textContent)"
    )
    page.focus("#kg-search")
    suggestions = page.evaluate(
        "() => [...document.querySelectorAll('#kg-names option')].map(o => o.value)"
    )
    page.evaluate("() => window.kg.data.edges.forEach((e, k) => window.kg.showEdge(k))")
    page.evaluate("() => window.kg.data.nodes.forEach(n => window.kg.showNode(n.id))")
    page.evaluate("() => window.kg.setModal(true)")
    page.wait_for_timeout(200)
    injected = page.evaluate(
        "() => document.querySelectorAll('img, #kg-info script, #kg-bar script').length"
    )
    title = page.title()
    info_html = page.evaluate("() => document.getElementById('kg-info').innerHTML")
    page.close()
    assert not dialogs, f"a script ran: {dialogs}"
    assert not errors
    assert not outside
    assert shown == XSS
    assert why == [XSS, XSS]  # two sentences name it
    assert XSS in suggestions
    assert injected == 0
    assert title == f"kg {XSS} · kg graph"
    assert "<img" not in info_html


def _expected_shown(
    view: GraphView,
    *,
    loose: bool = False,
    modal: bool = False,
    min_conf: float = 0.0,
    hidden: frozenset[str] = frozenset(),
    doc: str | None = None,
    unlinked: bool = False,
) -> tuple[set[str], set[tuple[str, str, str]]]:
    """What the page should show under these filters, computed in Python."""
    ok = {
        n.id
        for n in view.nodes
        if n.cls not in hidden and (doc is None or doc in n.documents)
    }
    edges = {
        (e.source, e.property, e.target)
        for e in view.edges
        if (loose or not e.loose)
        and (modal or e.modality == "asserted")
        and (e.confidence is None or e.confidence >= min_conf)
        and (doc is None or any(ev.document == doc for ev in e.evidence))
        and e.source in ok
        and e.target in ok
    }
    linked = {x for s, _p, o in edges for x in (s, o)}
    return (ok if unlinked else ok & linked), edges


def _shown(page) -> tuple[set[str], set[tuple[str, str, str]]]:  # type: ignore[no-untyped-def]
    nodes, edges = page.evaluate(
        "() => [window.kg.visibleNodes(), window.kg.visibleEdges().map(k => {"
        " const e = window.kg.data.edges[k]; return [e.from, e.property, e.to]; })]"
    )
    return set(nodes), {tuple(e) for e in edges}


@pytest.mark.browser
def test_filters_combine(browser, small_graph: Graph, small_page: Path) -> None:  # type: ignore[no-untyped-def]
    view = collect_view(small_graph)
    page, *_ = _open(browser, small_page)
    # the first view: stated facts and the entities they link, nothing else
    assert _shown(page) == _expected_shown(view)
    counts = page.text_content("#kg-counts") or ""
    assert counts.startswith(f"{len(_expected_shown(view)[0])} of {len(view.nodes)}")
    # confidence and "only linked" together: an entity whose relations are all
    # weaker than the threshold goes too (it used to stay)
    page.evaluate(
        "() => { const s = document.getElementById('kg-confidence'); s.value = '0.6';"
        " s.dispatchEvent(new Event('input')); }"
    )
    assert _shown(page) == _expected_shown(view, min_conf=0.6)
    page.check("#kg-modal")
    assert _shown(page) == _expected_shown(view, min_conf=0.6, modal=True)
    page.uncheck("#kg-legend input[data-cls='Organization']")
    assert _shown(page) == _expected_shown(
        view, min_conf=0.6, modal=True, hidden=frozenset({"Organization"})
    )
    page.check("#kg-unlinked")
    assert _shown(page) == _expected_shown(
        view,
        min_conf=0.6,
        modal=True,
        hidden=frozenset({"Organization"}),
        unlinked=True,
    )
    page.click("#kg-reset")
    assert _shown(page) == _expected_shown(view)
    # one document's subgraph
    page.select_option("#kg-doc", label="second.txt")
    assert _shown(page) == _expected_shown(view, doc="news/second.txt")
    page.check("#kg-loose")
    page.check("#kg-modal")
    assert _shown(page) == _expected_shown(
        view, doc="news/second.txt", loose=True, modal=True
    )
    page.click("#kg-reset")
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.id") == "kg-search"
    page.close()


@pytest.mark.browser
def test_click_focuses_a_node_and_dims_the_rest(
    browser, small_graph: Graph, small_page: Path
) -> None:  # type: ignore[no-untyped-def]
    view = collect_view(small_graph)
    shown, edges = _expected_shown(view)
    graph = nx.Graph([(s, o) for s, _p, o in edges])
    hub = max(sorted(graph), key=graph.degree)
    far = next(n for n in sorted(shown) if n != hub and not graph.has_edge(hub, n))
    page, *_ = _open(browser, small_page)
    before = _pixels(browser, page.screenshot())
    x, y = _screen(page, far)
    page.mouse.click(*_screen(page, hub))
    after = _pixels(browser, page.screenshot())
    assert page.get_attribute("#kg-info", "data-id") == hub
    assert page.locator("#kg-info .kg-relations .kg-link").count() == sum(
        1 for e in view.edges if hub in (e.source, e.target)
    )
    # the entity outside the neighbourhood is paler, the clicked one is not
    far_before = before[int(y), int(x)].astype(int).sum()
    far_after = after[int(y), int(x)].astype(int).sum()
    assert far_after > far_before + 60
    page.keyboard.press("Escape")
    assert page.is_hidden("#kg-info")
    page.close()


@pytest.mark.browser
def test_neighbours_and_paths_cross_the_filters(
    browser, small_graph: Graph, small_page: Path
) -> None:  # type: ignore[no-untyped-def]
    view = collect_view(small_graph)
    ids = {n.label: n.id for n in view.nodes}
    page, *_ = _open(browser, small_page)
    page.select_option("#kg-doc", label="second.txt")
    bo = ids[BO[0]]
    assert ids[ADA[0]] not in _shown(page)[0]
    page.evaluate("(id) => window.kg.expand(id)", bo)
    stated = {
        (e.source, e.target)
        for e in view.edges
        if is_default_edge(e) and bo in (e.source, e.target)
    }
    neighbours = {x for pair in stated for x in pair}
    assert neighbours <= _shown(page)[0]
    page.click("#kg-reset")
    graph = nx.Graph([(e.source, e.target) for e in view.edges if is_default_edge(e)])
    start, end = ids["Cyra Dunmore"], ids[NOR[0]]
    path = page.evaluate("([a, b]) => window.kg.path(a, b)", [start, end])
    assert path[0] == start
    assert path[-1] == end
    assert len(path) == nx.shortest_path_length(graph, start, end) + 1
    assert all(graph.has_edge(a, b) for a, b in zip(path, path[1:], strict=False))
    assert page.get_attribute("#kg-info", "data-kind") == "path"
    assert page.locator("#kg-info ol li").count() == len(path) - 1
    none = page.evaluate("([a, b]) => window.kg.path(a, b)", [start, ids["Gisla Wren"]])
    assert none is None
    assert "No chain" in (page.text_content("#kg-info") or "")
    page.close()


def _one_edge_page(tmp_path: Path, name: str, conf: float, modality: str) -> Path:
    doc = _doc(
        "e.txt",
        [(("Ama Rokk", "Person"), "meets", ("Ivo Trask", "Person"), conf, modality)],
    )
    path = tmp_path / f"{name}.html"
    write_html(build_graph([doc]), path)
    return path


def _edge_runs(browser, page, k: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Dark and light stretches along the middle half of edge ``k`` on screen."""
    pixels = _pixels(browser, page.locator("#kg-network canvas").screenshot())
    a, b = page.evaluate(
        "(k) => { const e = window.kg.data.edges[k];"
        " return [window.kg.toDOM(e.from), window.kg.toDOM(e.to)]; }",
        k,
    )
    dark = []
    # the two stretches beside the middle, where the relation's words are written
    for t in [*np.linspace(0.2, 0.38, 100), *np.linspace(0.62, 0.8, 100)]:
        x = a["x"] + t * (b["x"] - a["x"])
        y = a["y"] + t * (b["y"] - a["y"])
        # a 3x3 patch: the edge may run at any angle (a pair is drawn upright)
        patch = (
            pixels[int(y) - 1 : int(y) + 2, int(x) - 1 : int(x) + 2]
            .astype(int)
            .sum(axis=2)
        )
        dark.append(bool((patch < 640).any()))
    pairs = list(zip(dark[:100], dark[1:100], strict=False))
    pairs += list(zip(dark[100:], dark[101:], strict=False))
    switches = sum(1 for p, q in pairs if p != q)
    return sum(dark), switches


@pytest.mark.browser
def test_a_guess_never_looks_like_a_stated_fact(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    runs = {}
    for name, conf, modality in (
        ("stated", 0.9, "asserted"),
        ("guess", 0.3, "asserted"),
        ("reported", 0.9, "reported"),
    ):
        page, _o, _d, errors = _open(
            browser, _one_edge_page(tmp_path, name, conf, modality)
        )
        page.evaluate(
            "() => { window.kg.setModal(true); window.kgNetwork.moveTo({scale: 2}); }"
        )
        page.wait_for_timeout(100)
        runs[name] = _edge_runs(browser, page, 0)
        page.close()
        assert not errors
    dark, switches = runs["stated"]
    assert dark > 190
    assert switches == 0
    for name in ("guess", "reported"):
        dark, switches = runs[name]
        assert switches >= 6, f"the {name} edge is not dashed: {runs[name]}"


@pytest.mark.browser
def test_max_nodes_keeps_n_and_says_what_it_left_out(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    graph = _grid_graph(450)
    entities = _entities(graph)
    relations = _relations(graph)
    degree = {e: 0 for e in entities}
    for s, _p, o in relations:
        degree[s] += 1
        degree[o] += 1
    report = write_html(
        graph, tmp_path / "graph.html", options=RenderOptions(max_nodes=50)
    )
    page, outside, _d, errors = _open(browser, tmp_path / "graph.html")
    drawn = page.evaluate("() => window.kg.data.nodes.map(n => n.id)")
    edges = page.evaluate("() => window.kg.data.edges.length")
    notice = page.text_content("#kg-notice")
    canvas = page.locator("#kg-network canvas").screenshot()
    page.close()
    assert not outside
    assert not errors
    assert len(drawn) == 50 == report.nodes
    assert min(degree[i] for i in drawn) >= max(
        d for i, d in degree.items() if i not in drawn
    )
    kept = set(drawn)
    assert edges == sum(1 for s, _p, o in relations if s in kept and o in kept)
    assert f"left out {len(entities) - 50} entities" in (notice or "")
    assert report.omitted_names[0] in (notice or "")
    assert _drawn_fraction(browser, canvas) > 0.002


@pytest.mark.browser
def test_layout_is_fixed_in_the_page(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    graph = _grid_graph(450)
    write_html(graph, tmp_path / "graph.html")
    page, outside, _d, errors = _open(browser, tmp_path / "graph.html")
    physics = page.evaluate("() => window.kgNetwork.physics.options.enabled")
    moved = page.evaluate(
        """() => new Promise(resolve => {
            const n = window.kgNetwork, before = JSON.stringify(n.getPositions());
            setTimeout(() => resolve(JSON.stringify(n.getPositions()) !== before), 500);
        })"""
    )
    page.close()
    assert not outside
    assert not errors
    assert physics is False
    assert not moved


@pytest.mark.browser
def test_empty_graph_page_loads(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_html(build_graph([]), tmp_path / "graph.html")
    page, outside, _d, errors = _open(browser, tmp_path / "graph.html")
    counts = page.text_content("#kg-counts")
    page.close()
    assert not outside
    assert not errors
    assert (counts or "").startswith("0 of 0 entities")


_NEWS = (
    "Ada Lovelace wrote to Charles Babbage in London. Lovelace praised the engine.",
    "Babbage met Mary Somerville in Paris. Somerville admired Babbage.",
    "Acme Corp. sued Globex in Delaware. Globex appealed to the court in May.",
    "Mary Somerville was born on 26 December 1780. She died in Naples in 1872.",
)


def test_documents_view_is_the_view_of_a_new_store(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    from kg.build import extract_document
    from kg.link import link_into_store
    from kg.render import collect_documents_view
    from kg.store import open_store, write_documents

    documents = [
        extract_document(nlp(text), doc_id=f"n{i}.txt") for i, text in enumerate(_NEWS)
    ]
    write_documents(tmp_path, documents, turtle=None)
    stored = collect_store_view(open_store(tmp_path))
    assert len(stored.nodes) > 5
    assert len(stored.edges) > 2
    # the page of a new build is drawn from the merged documents, unstored
    assert any(n.values for n in stored.nodes)  # a date stated about someone
    # with the quads of the entity links, the corpus rule of each explanation
    linked = link_into_store(ox.Store(), documents)
    drawn = collect_documents_view(linked.documents, links=linked.quads)
    assert any(d.rule for n in stored.nodes for d in n.explanation.documents)
    assert drawn == stored


@pytest.mark.browser
def test_an_entity_can_be_dragged_and_found_where_it_lands(
    browser, small_graph: Graph, small_page: Path
) -> None:  # type: ignore[no-untyped-def]
    view = collect_view(small_graph)
    ids = {n.label: n.id for n in view.nodes}
    page, *_ = _open(browser, small_page)
    node = ids[NOR[0]]
    x, y = _screen(page, node)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y + 40, steps=8)
    page.mouse.up()
    nx_, ny_ = _screen(page, node)
    assert abs(nx_ - (x + 60)) < 3
    assert abs(ny_ - (y + 40)) < 3
    page.mouse.move(5, 5)
    page.mouse.move(nx_, ny_)
    assert _panel(page, "node")
    assert page.get_attribute("#kg-info", "data-id") == node
    page.close()


@pytest.mark.browser
def test_zoomed_in_every_entity_in_view_has_its_label(
    browser, small_graph: Graph, small_page: Path
) -> None:  # type: ignore[no-untyped-def]
    view = collect_view(small_graph)
    ids = {n.label: n.id for n in view.nodes}
    page, *_ = _open(browser, small_page)
    page.check("#kg-modal")
    page.evaluate(
        "(id) => { const p = window.kgNetwork.getPositions([id])[id];"
        " window.kgNetwork.moveTo({position: p, scale: 2.5, animation: false}); }",
        ids[ADA[0]],
    )
    page.evaluate("() => window.kgNetwork.redraw()")
    box = page.locator("#kg-network").bounding_box()
    in_view = page.evaluate(
        """([w, h]) => window.kg.visibleNodes().filter(id => {
            const p = window.kg.toDOM(id);
            return p.x > 80 && p.x < w - 80 && p.y > 40 && p.y < h - 40; })""",
        [box["width"], box["height"]],
    )
    labelled = page.evaluate(
        "() => window.kg.labels().filter(l => l.kind === 'node').map(l => l.id)"
    )
    page.close()
    assert len(in_view) >= 2
    assert set(in_view) <= set(labelled)


def test_explanations_are_capped_and_count_what_they_leave_out() -> None:
    from kg.render.explain import (
        EXPLAINED_DOCUMENTS,
        EXPLAINED_MENTIONS,
        explain_entities,
    )

    documents, per_document = EXPLAINED_DOCUMENTS + 4, EXPLAINED_MENTIONS + 3
    rows, notes, sentences = [], {}, {}
    for d in range(documents):
        sentences[f"urn:s{d}"] = ("Ada met Ada.", 0, f"doc{d:02}.txt")
        for m in range(per_document):
            mention = f"urn:m{d}-{m}"
            rows.append(("urn:ada", mention, f"urn:s{d}", m * 10, m * 10 + 3))
            notes[mention] = (f"Ada{m}", "name", "kg.mentions.names.v1", "")
    links = {
        "urn:l0": {
            "linksTo": "urn:ada",
            "inDocument": "urn:d0",
            "linkRule": "kg.link.new.v1",
            "linkScore": "1",
            "linkSummary": '{"n": "Ada", "s": [[0, 3]]}',
        },
        "urn:l1": {
            "linksTo": "urn:ada",
            "inDocument": "urn:d1",
            "linkRule": "kg.link.name.v1",
            "linkScore": "0.75",
            "linkedWith": "urn:l0",
            "linkSummary": '{"n": "Ada", "s": [[0, 3]]}',
        },
    }
    names = {"urn:d0": "doc00.txt", "urn:d1": "doc01.txt"}
    why = explain_entities(rows, notes, sentences, links, names)["urn:ada"]
    assert len(why.documents) == EXPLAINED_DOCUMENTS
    assert why.more_documents == documents - EXPLAINED_DOCUMENTS
    assert why.more_mentions == (documents - EXPLAINED_DOCUMENTS) * per_document
    for note in why.documents:
        assert len(note.mentions) == EXPLAINED_MENTIONS
        assert note.more == per_document - EXPLAINED_MENTIONS
        assert [m.text for m in note.mentions] == [
            f"Ada{m}" for m in range(EXPLAINED_MENTIONS)
        ]
    first, second = why.documents[:2]
    assert (first.rule, first.partner) == ("kg.link.new.v1", None)
    assert (second.rule, second.score) == ("kg.link.name.v1", 0.75)
    assert second.partner == ("doc00.txt", "Ada")
    assert not why.documents[2].rule  # no entity link kept: mentions only
