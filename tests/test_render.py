"""The graph page: what it draws from the RDF, and how it behaves in Chromium.

Pages come from real graphs: the seed build (real spaCy pipeline, real
store) and graphs built with kg's own ``build_graph`` from constructed
documents (made-up names, so every relation, sentence and offset is known).
Expected values are computed from the RDF with SPARQL, never copied from the
renderer.
"""

from __future__ import annotations

import base64
import json
import math
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from rdflib import RDF, RDFS, SKOS, Graph, URIRef
from rdflib.plugins.sparql import prepareQuery

from kg.cli import main
from kg.errors import ConfigError
from kg.ontology import KGO, load_ontology
from kg.rdf import NS, build_graph, serialize
from kg.render import (
    PHYSICS_LIMIT,
    EdgeView,
    GraphView,
    NodeView,
    RenderOptions,
    _repulsion,
    build_network,
    collect_store_view,
    collect_view,
    layout_positions,
    render_page,
    select_view,
    write_html,
)
from kg.types import Document, Entity, Mention, Provenance, Sentence, Triple
from tests.fixtures import SEEDS

_LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

# What the page should draw, read from the RDF plus the ontology: an entity has
# a mention or an entity class; a relation is a reified statement or a plain
# triple of a sub-property of kgo:relatedTo, between two entities.
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
        OPTIONAL { ?st kgo:confidence ?c } }
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

XSS = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(2)</script>"


def _doc(
    doc_id: str,
    facts: list[tuple[tuple[str, str], str, tuple[str, str], float]],
    *,
    prefix: str = "",
) -> Document:
    """One document, one sentence per fact ``((name, cls), prop, (name, cls), conf)``.

    Each sentence reads ``"<prefix><subject> <property label> <object> on
    Monday."``; mentions and provenance get exact offsets (code points).
    """
    onto = load_ontology()
    sentences, triples = [], []
    mentions: dict[str, list[Mention]] = {}
    classes: dict[str, str] = {}
    offset = 0
    for i, ((subj, s_cls), prop, (obj, o_cls), conf) in enumerate(facts):
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
            )
        )
        offset += len(text) + 1
    entities = tuple(Entity(n, classes[n], n, tuple(ms)) for n, ms in mentions.items())
    return Document(
        doc_id, doc_id, "0" * 64, tuple(sentences), entities, tuple(triples)
    )


@pytest.fixture(scope="module")
def small_docs() -> list[Document]:
    """A dozen made-up entities over two documents, one with markup in its names."""
    ada, bo = ("Ada Quellmark", "Person"), ("Bo Tarrant", "Person")
    vex, nor = ("Vexlo Holdings", "Organization"), ("Norrabay", "Place")
    xss, scr = (XSS, "Person"), (SCRIPT, "Organization")
    first = _doc(
        "first.txt",
        [
            (ada, "employer", vex, 0.9),
            (bo, "meets", ada, 0.4),
            (vex, "headquarters", nor, 0.7),
            (xss, "meets", ada, 0.8),
            (xss, "employer", scr, 0.6),
        ],
    )
    second = _doc(
        "second.txt",
        [
            (("Cyra Dunmore", "Person"), "meets", bo, 0.95),
            (("Dalk Orrin", "Person"), "employer", vex, 0.5),
            (("Elm Vasquill", "Person"), "meets", ("Fen Osterby", "Person"), 0.3),
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
        "third.txt", "third.txt", "0" * 64, (Sentence(0, 0, len(text), text),), (alone,)
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
        facts = []
        for a in group[:4]:
            b = rng.choice([g for g in group if g != a])
            facts.append(
                (
                    (a, "Person"),
                    "meets",
                    (b, "Organization"),
                    round(rng.uniform(0.2, 1), 2),
                )
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


def test_parallel_edges_curve_apart() -> None:
    a, b = (
        NodeView("a", "A", "Person", "person"),
        NodeView("b", "B", "Person", "person"),
    )
    view = GraphView(
        (a, b),
        (
            EdgeView("a", "b", "p1", "met", 0.9),
            EdgeView("b", "a", "p1", "met", 0.8),
            EdgeView("a", "b", "p2", "owns", 0.7),
        ),
    )
    smooth = [e.get("smooth") for e in build_network(view, physics=False).edges]
    assert smooth[0] is None
    assert smooth[1]["type"] == smooth[2]["type"] == "curvedCW"
    assert smooth[1]["roundness"] != smooth[2]["roundness"]


def test_bad_options_raise_config_errors() -> None:
    for bad in ({"max_nodes": 0}, {"min_confidence": 1.5}, {"size_by": "colour"}):
        with pytest.raises(ConfigError):
            RenderOptions(**bad)  # type: ignore[arg-type]


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
    labels = {n["label"] for n in _page_data(html)["nodes"]}
    assert {XSS, SCRIPT} <= labels


def test_render_command_redraws_with_max_nodes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    graph = _grid_graph(60)
    serialize(graph, tmp_path / "graph.ttl")
    assert (
        main(["render", "--out", str(tmp_path), "--max-nodes", "12", "--no-physics"])
        == 0
    )
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
    assert all(e["kg"]["confidence"] >= 0.7 for e in data["edges"])
    assert data["omitted"]["filteredEdges"] == weak


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
    assert edge.evidence[0].modality == "reported"
    html, _ = render_page(collect_view(build_graph([doc])))
    assert _page_data(html)["edges"][0]["kg"]["evidence"][0]["modality"] == "reported"


# --- in Chromium ---------------------------------------------------------------------


def _drawn_fraction(browser, png: bytes) -> float:  # type: ignore[no-untyped-def]
    """Share of a screenshot's pixels that differ from the white background.

    The PNG is decoded by Chromium itself, in a blank page of its own.
    """
    page = browser.new_page()
    fraction = page.evaluate(
        """async (b64) => {
            const img = new Image();
            img.src = "data:image/png;base64," + b64;
            await img.decode();
            const c = document.createElement("canvas");
            c.width = img.width; c.height = img.height;
            const ctx = c.getContext("2d");
            ctx.drawImage(img, 0, 0);
            const d = ctx.getImageData(0, 0, c.width, c.height).data;
            let drawn = 0;
            for (let i = 0; i < d.length; i += 4) {
                if (765 - d[i] - d[i + 1] - d[i + 2] > 30) drawn++;
            }
            return drawn / (c.width * c.height);
        }""",
        base64.b64encode(png).decode("ascii"),
    )
    page.close()
    return float(fraction)


def _open(browser, path: Path):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1200, "height": 800})
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


@pytest.mark.browser
def test_seed_page_is_offline_drawn_and_complete(browser, seed_build: Path) -> None:  # type: ignore[no-untyped-def]
    from kg.store import load_graph

    graph = load_graph(seed_build)
    page, outside, _dialogs, errors = _open(browser, seed_build / "graph.html")
    counts = page.evaluate("() => [window.kg.nodes.length, window.kg.edges.length]")
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
    page.fill("#kg-search", "zzqx no such entity")
    page.press("#kg-search", "Enter")
    status = page.text_content("#kg-search-status")
    page.close()
    assert selected == [iri]
    assert gap < 1.0
    assert title == label
    assert "no entity matches" in (status or "")


def _edge_midpoint(page, edge_id: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    box = page.locator("#kg-network").bounding_box()
    x, y = page.evaluate(
        """(id) => { const n = window.kgNetwork, e = window.kg.edges.get(id);
                     const p = n.getPositions([e.from, e.to]);
                     const d = n.canvasToDOM({x: (p[e.from].x + p[e.to].x) / 2,
                                              y: (p[e.from].y + p[e.to].y) / 2});
                     return [d.x, d.y]; }""",
        edge_id,
    )
    return box["x"] + x, box["y"] + y


@pytest.mark.browser
def test_edge_tooltip_holds_its_sentence(
    browser, small_graph: Graph, small_page: Path
) -> None:  # type: ignore[no-untyped-def]
    view = collect_view(small_graph)
    labels = {n.id: n.label for n in view.nodes}
    page, *_ = _open(browser, small_page)
    edges = page.evaluate("() => window.kg.edges.get().map(e => [e.id, e.from, e.to])")
    checked = 0
    for edge_id, source, target in edges:
        page.mouse.move(5, 5)
        page.mouse.move(*_edge_midpoint(page, edge_id))
        page.wait_for_selector("#kg-info[data-kind='edge']", timeout=5_000)
        if page.get_attribute("#kg-info", "data-id") != edge_id:
            continue  # another edge or node lies on this one's midpoint
        sentence = page.text_content("#kg-info .kg-sentence")
        marks = page.evaluate(
            "() => [...document.querySelectorAll('#kg-info .kg-sentence mark')]"
            ".map(m => [m.className, m.textContent])"
        )
        edge = next(e for e in view.edges if (e.source, e.target) == (source, target))
        assert sentence == edge.evidence[0].sentence
        assert ["kg-s", labels[source]] in marks
        assert ["kg-o", labels[target]] in marks
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
def test_node_tooltip_shows_type_mentions_documents(  # type: ignore[no-untyped-def]
    browser, small_graph: Graph, small_page: Path
) -> None:
    rows = {
        str(r.e): (int(r.n), set(str(r.docs).split("|")))
        for r in small_graph.query(MENTIONS_Q)
    }
    page, *_ = _open(browser, small_page)
    box = page.locator("#kg-network").bounding_box()
    checked = 0
    for iri, (mentions, docs) in rows.items():
        point = page.evaluate(
            "(id) => window.kgNetwork.canvasToDOM("
            "window.kgNetwork.getPositions([id])[id])",
            iri,
        )
        page.mouse.move(5, 5)
        page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
        page.wait_for_selector("#kg-info[data-kind='node']", timeout=5_000)
        if page.get_attribute("#kg-info", "data-id") != iri:
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
    suggestions = page.evaluate(
        "() => [...document.querySelectorAll('#kg-names option')].map(o => o.value)"
    )
    page.evaluate("() => window.kg.edges.get().forEach(e => window.kg.showEdge(e.id))")
    page.evaluate("() => window.kg.nodes.get().forEach(n => window.kg.showNode(n.id))")
    xss_edge = page.evaluate(
        "(name) => window.kg.edges.get()"
        ".find(e => window.kg.nodes.get(e.from).label === name).id",
        XSS,
    )
    page.mouse.move(*_edge_midpoint(page, xss_edge))
    page.wait_for_timeout(300)
    injected = page.evaluate(
        "() => document.querySelectorAll('img, #kg-info script, #kg-bar script').length"
    )
    title = page.title()
    notice_html = page.evaluate("() => document.getElementById('kg-info').innerHTML")
    page.close()
    assert not dialogs, f"a script ran: {dialogs}"
    assert not errors
    assert not outside
    assert shown == XSS
    assert XSS in suggestions
    assert injected == 0
    assert title == f"kg {XSS}"
    assert "<img" not in notice_html


@pytest.mark.browser
def test_filters_highlight_and_reset(
    browser, small_graph: Graph, small_page: Path
) -> None:  # type: ignore[no-untyped-def]
    relations = _relations(small_graph)
    entities = _entities(small_graph)
    page, *_ = _open(browser, small_page)
    counts = "() => [window.kg.nodeView.length, window.kg.edgeView.length]"
    assert page.evaluate(counts) == [len(entities), len(relations)]
    page.evaluate(
        "() => { const s = document.getElementById('kg-confidence'); s.value = '0.6';"
        " s.dispatchEvent(new Event('input')); }"
    )
    strong = sum(1 for c in relations.values() if c is None or c >= 0.6)
    assert page.evaluate(counts)[1] == strong
    page.uncheck("#kg-legend input[data-cls='Organization']")
    orgs = {
        iri
        for iri in entities
        if (URIRef(iri), RDF.type, KGO.Organization) in small_graph
    }
    nodes_now = page.evaluate(counts)[0]
    assert nodes_now == len(entities) - len(orgs)
    # click a node: its neighbourhood stays coloured, the rest is dimmed
    hub = max(
        sorted(entities), key=lambda e: sum(e in (s, o) for s, _p, o in relations)
    )
    page.click("#kg-reset")
    point = page.evaluate(
        "(id) => window.kgNetwork.canvasToDOM(window.kgNetwork.getPositions([id])[id])",
        hub,
    )
    box = page.locator("#kg-network").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    colours = page.evaluate(
        "() => Object.fromEntries("
        "window.kg.nodes.get().map(n => [n.id, String(n.color)]))"
    )
    neighbours = {o for s, _p, o in relations if s == hub} | {
        s for s, _p, o in relations if o == hub
    }
    assert page.get_attribute("#kg-info", "data-id") == hub
    hub_relations = sum(1 for s, _p, o in relations if hub in (s, o))
    assert page.locator("#kg-info .kg-link").count() == min(hub_relations, 25)
    page.locator("#kg-info .kg-link").first.click()
    assert page.get_attribute("#kg-info", "data-kind") == "edge"
    assert page.text_content("#kg-info .kg-sentence")
    for iri, colour in colours.items():
        assert ("rgba(200,200,200" in colour) == (iri not in neighbours | {hub})
    page.check("#kg-linked")
    linked = {x for s, _p, o in relations for x in (s, o)}
    assert len(linked) < len(entities)
    assert page.evaluate(counts)[0] == len(linked)
    page.keyboard.press("Escape")
    assert page.is_hidden("#kg-info")
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.id") == "kg-search"
    page.click("#kg-reset")
    after = page.evaluate(counts)
    dimmed = page.evaluate(
        "() => window.kg.nodes.get()"
        ".filter(n => String(n.color).startsWith('rgba(200')).length"
    )
    page.close()
    assert after == [len(entities), len(relations)]
    assert dimmed == 0


@pytest.mark.browser
def test_max_nodes_keeps_n_and_says_what_it_left_out(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    graph = _grid_graph(PHYSICS_LIMIT + 150)
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
    drawn = page.evaluate("() => window.kg.nodes.getIds()")
    edges = page.evaluate("() => window.kg.edges.length")
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
def test_large_graph_is_laid_out_in_python(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    graph = _grid_graph(PHYSICS_LIMIT + 150)
    report = write_html(graph, tmp_path / "graph.html")
    page, outside, _d, errors = _open(browser, tmp_path / "graph.html")
    physics = page.evaluate("() => window.kgNetwork.physics.options.enabled")
    moved = page.evaluate(
        """() => new Promise(resolve => {
            const n = window.kgNetwork, before = JSON.stringify(n.getPositions());
            setTimeout(() => resolve(JSON.stringify(n.getPositions()) !== before), 500);
        })"""
    )
    count = page.evaluate("() => window.kg.nodes.length")
    page.close()
    assert not outside
    assert not errors
    assert report.physics is False
    assert physics is False
    assert not moved
    assert count == len(_entities(graph)) > PHYSICS_LIMIT


@pytest.mark.browser
def test_empty_graph_page_loads(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_html(build_graph([]), tmp_path / "graph.html")
    page, outside, _d, errors = _open(browser, tmp_path / "graph.html")
    counts = page.text_content("#kg-counts")
    page.close()
    assert not outside
    assert not errors
    assert (counts or "").startswith("0 entities")


_NEWS = (
    "Ada Lovelace wrote to Charles Babbage in London. Lovelace praised the engine.",
    "Babbage met Mary Somerville in Paris. Somerville admired Babbage.",
    "Acme Corp. sued Globex in Delaware. Globex appealed to the court in May.",
    "Mary Somerville was born on 26 December 1780. She died in Naples in 1872.",
)


def test_documents_view_is_the_view_of_a_new_store(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from kg.build import extract_document
    from kg.link import link_documents
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
    assert collect_documents_view(link_documents(documents)) == stored
