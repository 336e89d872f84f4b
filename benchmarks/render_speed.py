"""How fast is the graph page? Render time, file size, time to a stable drawing.

Synthetic graphs shaped like kg's (built with kg's own ``build_graph`` from
documents of a few sentences: entities of every class recurring across
documents with a long-tailed popularity, relations with their sentences,
mentions and confidences) are rendered with :func:`kg.render.render_page`
and opened in headless Debian Chromium through Playwright.

Measured per size (median of ``--repeat`` page loads):

* ``read_s`` + ``page_s``: Python time from the RDF to the HTML string
  (reading the view; layout and HTML);
* ``size_mb``: size of the page;
* ``stable_s``: from navigation start to the first drawing after the layout
  is final (``document.body.dataset.stable``, set by the page);
* ``longest_task_ms``: the longest main-thread task while loading (how long
  the page is unresponsive at worst);
* ``redraw_ms``: one zoom and redraw once stable (is the page usable?);
* ``search_ms``: ``kg.search()`` of an entity (focus + neighbourhood
  highlight + redraw).

Run::

    python benchmarks/render_speed.py --sizes 100 1000 5000 --repeat 3 [--build output]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kg.ontology import load_ontology
from kg.rdf import build_graph
from kg.render import (
    GraphView,
    RenderOptions,
    collect_store_view,
    collect_view,
    render_page,
)
from kg.store import has_store, load_graph, open_store
from kg.types import Document, Entity, Mention, Provenance, Sentence, Triple

RESULTS = Path(__file__).resolve().parent / "results"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
]

_CLASSES = [
    ("Person", "PERSON", 0.42),
    ("Organization", "ORG", 0.25),
    ("Place", "GPE", 0.15),
    ("Group", "NORP", 0.05),
    ("Facility", "FAC", 0.04),
    ("CreativeWork", "WORK_OF_ART", 0.04),
    ("Event", "EVENT", 0.03),
    ("Product", "PRODUCT", 0.02),
]
_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ran",
    "to",
    "vel",
    "su",
    "den",
    "mar",
    "qui",
    "bo",
    "zen",
    "tal",
    "or",
]


def _name(rng: random.Random, cls: str) -> str:
    def word() -> str:
        return "".join(
            rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))
        ).capitalize()

    if cls == "Person":
        return f"{word()} {word()}"
    if cls == "Organization":
        kind = rng.choice(["Group", "Holdings", "Agency", "Institute", "Party"])
        return f"{word()} {kind}"
    return word()


def synthetic_documents(n_entities: int, *, seed: int = 0) -> list[Document]:
    """Documents whose graph has about ``n_entities`` entities, shaped like kg's."""
    rng = random.Random(seed)
    props = [p for p in load_ontology().properties.values()]
    universe: list[tuple[str, str, str, str]] = []
    names: set[str] = set()
    for i in range(n_entities):
        cls, ner, _w = rng.choices(_CLASSES, weights=[c[2] for c in _CLASSES])[0]
        name = _name(rng, cls)
        while name in names:
            name = _name(rng, cls)
        names.add(name)
        universe.append((f"e{i}", cls, ner, name))
    popularity = [1.0 / (rank + 5) for rank in range(n_entities)]
    docs: list[Document] = []
    per_doc_new = 4
    for d in range(0, n_entities, per_doc_new):
        members = universe[d : d + per_doc_new]
        members += rng.choices(universe, weights=popularity, k=4)
        members = list(dict.fromkeys(members))
        sentences: list[Sentence] = []
        mentions: dict[str, list[Mention]] = {m[0]: [] for m in members}
        triples: list[Triple] = []
        offset = 0
        texts: list[str] = []
        for s_index in range(6):
            a, b = rng.sample(members, 2)
            if s_index < per_doc_new and s_index < len(members) - 1:
                a = members[s_index]
                b = rng.choice([m for m in members if m != a])
            prop = rng.choice(props)
            verb = prop.label
            text = f"{a[3]} {verb} {b[3]} last week, officials said."
            start = offset
            sentences.append(Sentence(s_index, start, start + len(text), text))
            a_span = (start, start + len(a[3]))
            b_start = start + len(a[3]) + 1 + len(verb) + 1
            b_span = (b_start, b_start + len(b[3]))
            mentions[a[0]].append(Mention(a[3], a[2], *a_span, s_index))
            mentions[b[0]].append(Mention(b[3], b[2], *b_span, s_index))
            if rng.random() < 0.8:
                triples.append(
                    Triple(
                        a[0],
                        prop.name,
                        b[0],
                        Provenance(f"doc-{d}.txt", s_index, a_span[0], b_span[1], text),
                        confidence=round(rng.uniform(0.3, 1.0), 2),
                        lemma=verb,
                    )
                )
            texts.append(text)
            offset += len(text) + 1
        entities = tuple(
            Entity(key, cls, name, tuple(mentions[key]))
            for key, cls, _ner, name in members
            if mentions[key]
        )
        docs.append(
            Document(
                f"doc-{d}.txt",
                f"news/doc-{d}.txt",
                "0" * 64,
                tuple(sentences),
                entities,
                tuple(triples),
            )
        )
    return docs


def _measure_page(browser, html_path: Path, probe: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(html_path.as_uri(), timeout=300_000)
    page.wait_for_function(
        "() => document.body.dataset.stable === '1'", timeout=300_000, polling=100
    )
    stable_ms = page.evaluate("() => window.kgStableAt")
    longest_ms = page.evaluate(
        """() => new Promise(resolve => {
            new PerformanceObserver(list => resolve(
                Math.max(0, ...list.getEntries().map(e => e.duration))
            )).observe({type: 'longtask', buffered: true});
            setTimeout(() => resolve(0), 500);
        })"""
    )
    redraw_ms = page.evaluate(
        """() => new Promise(resolve => {
            const n = window.kgNetwork, t = performance.now();
            n.once('afterDrawing', () => resolve(performance.now() - t));
            n.moveTo({scale: n.getScale() * 1.5});
        })"""
    )
    search_ms = page.evaluate(
        """(name) => new Promise(resolve => {
            const n = window.kgNetwork, t = performance.now();
            n.once('afterDrawing', () => resolve(performance.now() - t));
            if (window.kg.search(name) === null) resolve(-1);
        })""",
        probe,
    )
    nodes = page.evaluate("() => window.kg.nodeView.length")
    page.close()
    return {
        "stable_s": stable_ms / 1000,
        "longest_task_ms": longest_ms,
        "redraw_ms": redraw_ms,
        "search_ms": search_ms,
        "nodes_drawn": nodes,
    }


def _row(
    browser,  # type: ignore[no-untyped-def]
    source: str,
    view: GraphView,
    physics: bool | None,
    repeat: int,
    tmp: Path,
    timings: dict[str, float],
) -> dict[str, object]:
    t = time.perf_counter()
    html, report = render_page(view, options=RenderOptions(physics=physics))
    page_s = time.perf_counter() - t
    path = tmp / f"graph-{len(view.nodes)}.html"
    path.write_text(html, encoding="utf-8")
    probe = max(view.nodes, key=lambda n: n.mentions).label
    runs = [_measure_page(browser, path, probe) for _ in range(repeat)]
    row: dict[str, object] = {
        "source": source,
        "entities": report.nodes,
        "relations": report.edges,
        "physics": report.physics,
        **{k: round(v, 2) for k, v in timings.items()},
        "page_s": round(page_s, 2),
        "size_mb": round(path.stat().st_size / 1e6, 2),
    }
    for key in ("stable_s", "longest_task_ms", "redraw_ms", "search_ms"):
        row[key] = round(
            statistics.median(float(r[key]) for r in runs),
            3 if key == "stable_s" else 1,
        )
    row["runs_stable_s"] = [round(float(r["stable_s"]), 3) for r in runs]
    print(json.dumps(row), file=sys.stderr)
    return row


def run(
    sizes: list[int], repeat: int, physics: bool | None, builds: list[Path]
) -> list[dict[str, object]]:
    """Measure synthetic graphs of ``sizes`` entities and existing build folders.

    ``read_s`` is the time to read the graph into the page's view (for a
    build: SPARQL over its store, as ``kg render`` does; for a synthetic graph:
    the walk over the rdflib graph); ``page_s`` layout plus HTML; their sum is
    what a redraw costs in Python.
    """
    from playwright.sync_api import sync_playwright

    rows: list[dict[str, object]] = []
    tmp = Path(tempfile.mkdtemp(prefix="kg-render-bench-"))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for size in sizes:
            graph = build_graph(synthetic_documents(size, seed=size))
            t = time.perf_counter()
            view = collect_view(graph)
            timings = {"read_s": time.perf_counter() - t}
            rows.append(_row(browser, "synthetic", view, physics, repeat, tmp, timings))
        for out in builds:
            t = time.perf_counter()
            if has_store(out):
                view = collect_store_view(open_store(out))
            else:
                view = collect_view(load_graph(out))
            timings = {"read_s": time.perf_counter() - t}
            rows.append(
                _row(browser, f"build:{out.name}", view, physics, repeat, tmp, timings)
            )
        browser.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--physics", choices=["auto", "on", "off"], default="auto")
    parser.add_argument("--name", default="render", help="results file stem")
    parser.add_argument(
        "--build",
        type=Path,
        nargs="*",
        default=[],
        help="also measure these build folders",
    )
    args = parser.parse_args()
    physics = {"auto": None, "on": True, "off": False}[args.physics]
    rows = run(args.sizes, args.repeat, physics, args.build)
    RESULTS.mkdir(exist_ok=True)
    meta = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "command": " ".join(["python", "benchmarks/render_speed.py", *sys.argv[1:]]),
        "physics": args.physics,
    }
    (RESULTS / f"{args.name}.json").write_text(
        json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n"
    )
    print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
