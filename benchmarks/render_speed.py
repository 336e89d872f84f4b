"""The graph page at corpus scale: first view, legibility, interaction latency.

Pages of real builds (``benchmarks/corpora.py``: 24 ECB+ news articles, the
500 Re-DocRED dev documents, and 3,148 documents of every inspect split) and
of constructed news-like graphs (5,000 entities; 5,000 stories) are written
by :func:`kg.render.render_page` and opened in Debian's headless Chromium
(Playwright, ``executable_path="/usr/bin/chromium"``, 1280×800).

Measured per page:

* ``read_s`` / ``page_s``: Python time from the store to the view, and from
  the view to the HTML (communities, label order, layout, template);
* ``size_mb``: the page;
* ``first_view_s``: navigation start to the first drawing of the first view
  (``window.kgStableAt``); ``longest_task_ms``: the longest main-thread task
  while loading;
* ``labels``: node labels drawn in the first view at 10 px or more, and the
  share of them overlapping another label;
* interactions, each started by a real input event (mouse click on the most
  important entity, a filter checkbox, a class checkbox, a search typed and
  submitted, a document chosen) and timed in the page with
  ``performance.now()`` from the event to the end of the next drawing; the
  median of ``--repeat`` rounds.

Run::

    python benchmarks/render_speed.py --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import DEFAULT_ROOT, build_corpus, news_like_view  # noqa: E402

from kg.render import RenderOptions, collect_store_view, render_page  # noqa: E402
from kg.store import open_store  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
REAL = {
    "ecb24": "ECB+ train, 24 longest articles",
    "redocred500": "Re-DocRED dev, 500 documents",
    "mixed": "ECB+ train + Re-DocRED + GUM + GAP dev, 3,148 documents",
}


def _overlap(boxes: list[dict[str, float]]) -> float:
    hit = set()
    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            b = boxes[j]
            if (
                a["x"] < b["x"] + b["w"]
                and b["x"] < a["x"] + a["w"]
                and a["y"] < b["y"] + b["h"]
                and b["y"] < a["y"] + a["h"]
            ):
                hit.update((i, j))
    return len(hit) / len(boxes) if boxes else 0.0


def _answer(page, action) -> float:  # type: ignore[no-untyped-def]
    page.evaluate("() => window.kgNetwork.redraw()")
    action()
    page.wait_for_function(
        "() => window.kg.lastInteraction().ms !== null", timeout=60_000
    )
    return float(page.evaluate("() => window.kg.lastInteraction().ms"))


def measure_page(browser, path: Path, repeat: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.add_init_script(
        """window.__longest = 0;
        new PerformanceObserver(l => l.getEntries().forEach(e => {
            window.__longest = Math.max(window.__longest, e.duration); }))
          .observe({type: 'longtask', buffered: true});"""
    )
    page.goto(path.resolve().as_uri())
    page.wait_for_function(
        "() => document.body.dataset.stable === '1'", timeout=600_000
    )
    first_view = float(page.evaluate("() => window.kgStableAt")) / 1000
    longest = float(page.evaluate("() => window.__longest"))
    labels = page.evaluate("() => window.kg.labels().filter(l => l.kind === 'node')")
    legible = [lab for lab in labels if lab["size"] >= 10]
    counts = page.evaluate(
        "() => [window.kg.visibleNodes().length, window.kg.visibleEdges().length,"
        " window.kg.data.nodes.length, window.kg.data.edges.length]"
    )
    box = page.locator("#kg-network").bounding_box()
    top = page.evaluate(
        "() => { const shown = new Set(window.kg.visibleNodes());"
        " return window.kg.data.nodes.slice().sort((a, b) => a.rank - b.rank)"
        ".filter(n => shown.has(n.id)).slice(0, 10).map(n => n.id); }"
    )
    names = page.evaluate(
        "() => window.kg.data.nodes.slice().sort((a, b) => b.rank - a.rank)"
        ".slice(0, 10).map(n => n.name)"
    )
    cls = page.evaluate("() => window.kg.data.classes[0].cls")
    docs = page.evaluate("() => window.kg.data.documents.length")
    timings: dict[str, list[float]] = {
        k: [] for k in ("click", "filter", "class", "search", "document")
    }
    for i in range(repeat):
        if top:
            point = page.evaluate("(id) => window.kg.toDOM(id)", top[i % len(top)])
            timings["click"].append(
                _answer(
                    page,
                    lambda p=point: page.mouse.click(
                        box["x"] + p["x"], box["y"] + p["y"]
                    ),
                )
            )
            page.keyboard.press("Escape")
        timings["filter"].append(_answer(page, lambda: page.click("#kg-loose")))
        timings["class"].append(
            _answer(page, lambda: page.click(f"#kg-legend input[data-cls='{cls}']"))
        )
        timings["search"].append(
            _answer(
                page,
                lambda i=i: (
                    page.fill("#kg-search", names[i % len(names)]),
                    page.press("#kg-search", "Enter"),
                ),
            )
        )
        if docs > 1:
            timings["document"].append(
                _answer(
                    page, lambda i=i: page.select_option("#kg-doc", index=1 + i % docs)
                )
            )
        page.keyboard.press("Escape")
        page.click("#kg-reset")
    page.close()
    return {
        "first_view_s": round(first_view, 2),
        "longest_task_ms": round(longest),
        "labels": len(legible),
        "labels_overlapping": round(_overlap(legible), 3),
        "shown": counts[:2],
        "total": counts[2:],
        "interactions_ms": {
            k: {
                "median": round(statistics.median(v), 1),
                "all": [round(x, 1) for x in v],
            }
            for k, v in timings.items()
            if v
        },
    }


def _write(view, path: Path, heading: str | None) -> dict[str, float]:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    html, report = render_page(view, options=RenderOptions(heading=heading))
    page_s = time.perf_counter() - started
    path.write_text(html, encoding="utf-8")
    return {
        "page_s": round(page_s, 2),
        "size_mb": round(path.stat().st_size / 1e6, 2),
        "entities": report.nodes,
        "relations": report.edges,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="*", default=list(REAL), choices=list(REAL))
    parser.add_argument("--constructed", nargs="*", type=int, default=[5000, 32000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows = []
    work = Path(tempfile.mkdtemp(prefix="kg-render-bench-"))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for name in args.corpora:
            out = build_corpus(name, args.root)
            built = json.loads((out / ".built").read_text("utf-8"))
            started = time.perf_counter()
            view = collect_store_view(open_store(out))
            read_s = time.perf_counter() - started
            row = {
                "graph": REAL[name],
                "documents": built["documents"],
                "read_s": round(read_s, 2),
            }
            row |= _write(view, work / f"{name}.html", None)
            row |= measure_page(browser, work / f"{name}.html", args.repeat)
            rows.append(row)
            print(json.dumps(row), flush=True)
        for size in args.constructed:
            view = news_like_view(size)
            row = {
                "graph": f"constructed, {size:,} entities",
                "documents": len(view.documents),
                "read_s": 0.0,
            }
            row |= _write(view, work / f"constructed-{size}.html", "constructed")
            row |= measure_page(browser, work / f"constructed-{size}.html", args.repeat)
            rows.append(row)
            print(json.dumps(row), flush=True)
        browser.close()
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "cpus": os.cpu_count(),
        "load": os.getloadavg(),
        "python": platform.python_version(),
        "repeat": args.repeat,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "render.json").write_text(
        json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n"
    )
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
