"""The ``kg`` command line (typer), with errors turned into one-line messages."""

from __future__ import annotations

import logging
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kg.build import BuildConfig, run_build
from kg.errors import KGError
from kg.nlp import MODEL_ENV_VAR
from kg.types import Document

__all__ = ["app", "main"]

app = typer.Typer(
    name="kg",
    help="Turn news text into a knowledge graph: RDF, an offline HTML page, SPARQL.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_stderr = Console(stderr=True)
_state = {"debug": False}


@app.callback()
def _main_options(
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress.")] = False,
) -> None:
    _state["debug"] = debug
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING)


@app.command()
def build(
    paths: Annotated[list[Path], typer.Argument(help=".txt files or directories of them.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("output"),
    model: Annotated[
        str | None,
        typer.Option("--model", "-m", help=f"Installed spaCy pipeline (or ${MODEL_ENV_VAR})."),
    ] = None,
    max_nodes: Annotated[
        int | None,
        typer.Option("--max-nodes", help="Draw only the N most connected entities in graph.html."),
    ] = None,
) -> None:
    """Extract entities and relations from text and write the graph."""
    config = BuildConfig(out=out, model=model, max_nodes=max_nodes)
    progress = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_stderr,
        transient=True,
    )
    task: list[int] = []

    def on_start(total: int) -> None:
        if total > 1:
            progress.start()
            task.append(progress.add_task("extracting", total=total))

    def on_document(_document: Document) -> None:
        if task:
            progress.advance(task[0])

    try:
        report = run_build(paths, config=config, on_start=on_start, on_document=on_document)
    finally:
        progress.stop()
    console = Console()
    console.print(
        f"documents {report.documents} · sentences {report.sentences} · "
        f"entities {report.entities} · relations {report.relations} · "
        f"{report.seconds:.1f} s ({report.words / max(report.seconds, 1e-9):,.0f} words/s)"
    )
    for path in report.outputs:
        console.print(f"wrote {path}")
    if report.render is not None and (report.render.omitted_nodes or report.render.filtered_edges):
        console.print(
            f"graph.html: {report.render.summary()}", markup=False, highlight=False, soft_wrap=True
        )


@app.command()
def render(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder of a build.")] = Path(
        "output"
    ),
    max_nodes: Annotated[
        int | None, typer.Option("--max-nodes", help="Draw only the N most connected entities.")
    ] = None,
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", help="Leave out relations below this confidence.")
    ] = 0.0,
    physics: Annotated[
        bool | None,
        typer.Option(
            "--physics/--no-physics",
            help="Lay out in the browser, then stop (default up to 250 entities), "
            "or compute the layout in Python.",
        ),
    ] = None,
    size_by: Annotated[
        str, typer.Option("--size-by", help="Node size by 'mentions' or 'degree'.")
    ] = "mentions",
) -> None:
    """Redraw OUT/graph.html from an existing build, without re-extracting."""
    from kg.render import RenderOptions, render_build

    options = RenderOptions(
        max_nodes=max_nodes,
        min_confidence=min_confidence,
        physics=physics,
        size_by=size_by,  # type: ignore[arg-type]
    )
    report = render_build(out, options=options)
    console = Console()
    console.print(report.summary(), markup=False, highlight=False, soft_wrap=True)
    console.print(f"wrote {report.path}")


# --- kg eval: measure extraction on benchmarks and annotated news (kg.eval) ---


class _EvalTask(str, Enum):
    gap = "gap"
    carb = "carb"
    redocred = "redocred"
    coref = "coref"
    news = "news"


@app.command("eval")
def eval_(
    task: Annotated[_EvalTask, typer.Argument(help="gap, carb, redocred, coref or news.")],
    gold: Annotated[
        Path, typer.Argument(help="Gold file or folder (e.g. ../shared/eval/gap/gap-development.tsv).")
    ],
    system_out: Annotated[
        Path | None,
        typer.Option("--system-out", help="Write the system output (official format for gap/carb)."),
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the figures as JSON for scripts.")
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", help="Score only the first N items.")
    ] = None,
    model: Annotated[
        str | None,
        typer.Option("--model", "-m", help=f"Installed spaCy pipeline (or ${MODEL_ENV_VAR})."),
    ] = None,
    baseline: Annotated[
        bool, typer.Option("--naive", help="Score the naive floor (NER spans, one node per string).")
    ] = False,
) -> None:
    """Score kg on a benchmark (GAP, CaRB, Re-DocRED, GUM/CorefUD) or annotated news."""
    import json

    from rich.table import Table

    from kg.eval import evaluate

    progress = Progress(
        TextColumn(f"[progress.description]{task.value}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_stderr,
        transient=True,
    )
    bar: list[int] = []

    def on_progress(done: int, total: int) -> None:
        if not bar:
            progress.start()
            bar.append(progress.add_task(task.value, total=total))
        progress.update(bar[0], completed=done)

    try:
        result = evaluate(
            task.value,
            gold,
            limit=limit,
            model=model,
            system_out=system_out,
            system="naive" if baseline else "kg",
            progress=on_progress,
        )
    finally:
        if bar:
            progress.stop()
    figures = result.to_dict()
    run = figures.get("run", {})
    table = Table("metric", "value", title=f"kg eval {task.value}: {gold}")
    for name, value in result.rows():
        table.add_row(name, value)
    console = Console()
    console.print(table)
    if run:
        console.print(
            f"model {run['model']} · {run['items']} items · {run['seconds']:.1f} s", style="dim"
        )
    if system_out is not None:
        console.print(f"wrote {system_out}")
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        console.print(f"wrote {json_out}")


def main(argv: list[str] | None = None) -> int:
    """Run the ``kg`` command; return its exit code.

    :class:`KGError` becomes ``kg: error: …`` on stderr and its exit code;
    ``--debug`` re-raises it with its traceback.
    """
    args = sys.argv[1:] if argv is None else argv
    try:
        app(args=args, prog_name="kg")
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except KGError as exc:
        if _state["debug"] or "--debug" in args:
            raise
        print(f"kg: error: {exc}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
