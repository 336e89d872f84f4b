"""The ``kg`` command line (typer), with errors turned into one-line messages."""

from __future__ import annotations

import logging
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

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
    debug: Annotated[
        bool, typer.Option("--debug", help="Show full tracebacks.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log progress.")
    ] = False,
) -> None:
    _state["debug"] = debug
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING)


_MODEL_OPTION = typer.Option(
    "--model", "-m", help=f"Installed spaCy pipeline (or ${MODEL_ENV_VAR})."
)
_EXTRACTOR_OPTION = typer.Option(
    "--extractor",
    help="Registered relation extractor: kg.clauses.v1 (default), "
    "kg.clauses.v1+context (adds weak guesses from the document context), "
    "kg.svo.v1, or a plug-in's.",
)


@app.command()
def build(
    paths: Annotated[
        list[Path], typer.Argument(help=".txt files or directories of them.")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path(
        "output"
    ),
    model: Annotated[str | None, _MODEL_OPTION] = None,
    extractor: Annotated[str | None, _EXTRACTOR_OPTION] = None,
    max_nodes: Annotated[
        int | None,
        typer.Option(
            "--max-nodes", help="Draw only the N most connected entities in graph.html."
        ),
    ] = None,
    refresh: Annotated[
        bool,
        typer.Option(
            "--refresh", help="Re-extract inputs already stored with the same content."
        ),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=0,
            help="Extraction processes beside the parser (0: one process; "
            "default: 1 on 2+ cores for bigger builds). Same output either way.",
        ),
    ] = None,
) -> None:
    """Extract entities and relations from text and add them to the store."""
    from kg.relations import DEFAULT_EXTRACTOR, get_extractor

    get_extractor(extractor or DEFAULT_EXTRACTOR)  # an unknown name fails here
    config = BuildConfig(
        out=out,
        model=model,
        max_nodes=max_nodes,
        refresh=refresh,
        workers=workers,
        extractor=extractor or DEFAULT_EXTRACTOR,
    )
    progress = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_stderr,
        transient=True,
    )
    task: list[TaskID] = []

    def on_start(total: int) -> None:
        if total > 1:
            progress.start()
            task.append(progress.add_task("extracting", total=total))

    def on_document(_document: Document) -> None:
        if task:
            progress.advance(task[0])

    try:
        report = run_build(
            paths, config=config, on_start=on_start, on_document=on_document
        )
    finally:
        progress.stop()
    console = Console()
    console.print(
        f"documents {report.documents} · sentences {report.sentences} · "
        f"entities {report.entities} · relations {report.relations} · "
        f"{report.seconds:.1f} s "
        f"({report.words / max(report.seconds, 1e-9):,.0f} words/s)"
    )
    if report.unchanged:
        console.print(
            f"unchanged {report.unchanged} (already in the store with the same "
            "content; --refresh re-extracts them)"
        )
    for path in report.outputs:
        console.print(f"wrote {path}")
    if report.render is not None and (
        report.render.omitted_nodes or report.render.filtered_edges
    ):
        console.print(
            f"graph.html: {report.render.summary()}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


@app.command()
def render(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output folder of a build.")
    ] = Path("output"),
    max_nodes: Annotated[
        int | None,
        typer.Option("--max-nodes", help="Draw only the N most connected entities."),
    ] = None,
    min_confidence: Annotated[
        float,
        typer.Option(
            "--min-confidence", help="Leave out relations below this confidence."
        ),
    ] = 0.0,
    physics: Annotated[
        bool | None,
        typer.Option(
            "--physics/--no-physics",
            help="Lay out in the browser, then stop (default for small graphs), "
            "or compute the layout in Python.",
        ),
    ] = None,
    size_by: Annotated[
        str, typer.Option("--size-by", help="Node size by 'mentions' or 'degree'.")
    ] = "mentions",
) -> None:
    """Redraw OUT/graph.html from an existing build, without re-extracting."""
    from kg.link.curate import curate_output
    from kg.render import RenderOptions, render_build

    curate_output(out)  # a hand-edited OUT/curation.txt reaches the store first
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


class _EvalTask(StrEnum):
    gap = "gap"
    carb = "carb"
    redocred = "redocred"
    coref = "coref"
    news = "news"


@app.command("eval")
def eval_(
    task: Annotated[
        _EvalTask, typer.Argument(help="gap, carb, redocred, coref or news.")
    ],
    gold: Annotated[
        Path,
        typer.Argument(
            help="Gold file or folder (e.g. ../shared/eval/gap/gap-development.tsv)."
        ),
    ],
    system_out: Annotated[
        Path | None,
        typer.Option(
            "--system-out",
            help="Write the system output (official format for gap/carb).",
        ),
    ] = None,
    json_out: Annotated[
        Path | None,
        typer.Option("--json", help="Write the figures as JSON for scripts."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", help="Score only the first N items.")
    ] = None,
    model: Annotated[str | None, _MODEL_OPTION] = None,
    extractor: Annotated[str | None, _EXTRACTOR_OPTION] = None,
    baseline: Annotated[
        bool,
        typer.Option(
            "--naive", help="Score the naive floor (NER spans, one node per string)."
        ),
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
    bar: list[TaskID] = []

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
            system="naive" if baseline else (extractor or "kg"),
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
            f"model {run['model']} · {run['items']} items · {run['seconds']:.1f} s",
            style="dim",
        )
    if system_out is not None:
        console.print(f"wrote {system_out}")
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        console.print(f"wrote {json_out}")


# --- the store: query, export, remove, validate, serve, push (kg.store, kg.query) ---
_OUT_OPTION = typer.Option("--out", "-o", help="Output folder holding the store.")


@app.command()
def query(
    text: Annotated[
        str | None, typer.Argument(help="SPARQL query (kg prefixes predeclared).")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read the query from a file.")
    ] = None,
    out: Annotated[Path, _OUT_OPTION] = Path("output"),
    fmt: Annotated[
        str,
        typer.Option(
            "--format", help="table (default on a terminal), csv, tsv, json or xml."
        ),
    ] = "",
) -> None:
    """Run a SPARQL query on the store: a table on a terminal, csv/tsv/json else."""
    from kg.errors import ConfigError
    from kg.query import KnowledgeGraph, SelectResult, run_query, serialize_result

    if (text is None) == (file is None):
        raise ConfigError("give a query as an argument or with -f FILE (exactly one)")
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(
                f"cannot read query file {str(file)!r}: {exc.strerror}"
            ) from exc
    assert text is not None
    kg = KnowledgeGraph.open(out)
    fmt = fmt or ("table" if sys.stdout.isatty() else "csv")
    if fmt != "table":
        data = serialize_result(run_query(kg.store, text), fmt)
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    result = kg.query(text)
    console = Console()
    if isinstance(result, bool):
        console.print("yes" if result else "no")
    elif isinstance(result, SelectResult):
        from rich.table import Table

        from kg.query import _display

        table = Table(*result.variables, show_lines=False)
        for row in result.rows:
            table.add_row(*(_display(v) for v in row))
        console.print(table)
        console.print(f"{len(result)} rows", style="dim")
    else:
        console.print(result.serialize(format="turtle"), markup=False, highlight=False)


@app.command()
def export(
    dest: Annotated[
        Path | None, typer.Argument(help="File to write (default: standard output).")
    ] = None,
    out: Annotated[Path, _OUT_OPTION] = Path("output"),
    fmt: Annotated[
        str,
        typer.Option("--format", help="turtle, trig, nquads, ntriples, jsonld or xml."),
    ] = "turtle",
) -> None:
    """Export the store as Turtle, TriG, N-Quads, N-Triples, JSON-LD or RDF/XML."""
    from kg.store import export_store

    data = export_store(out, dest, format=fmt)
    if data is not None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        Console(stderr=True).print(f"wrote {dest}")


@app.command()
def remove(
    documents: Annotated[
        list[str], typer.Argument(help="Document ids, file names or paths.")
    ],
    out: Annotated[Path, _OUT_OPTION] = Path("output"),
) -> None:
    """Take documents, and the facts only they support, out of the store."""
    from kg.build import _derived_files
    from kg.store import remove_documents

    report = remove_documents(out, documents, derive=_derived_files)
    Console().print(
        f"removed {', '.join(report.removed)} · triples {report.triples_before} → "
        f"{report.triples_after}"
    )


# --- corpus entities: why one node, and corrections (kg.link) ---


@app.command()
def explain(
    entity: Annotated[
        str, typer.Argument(help="Entity label, alias, key or IRI.")
    ],
    out: Annotated[Path, _OUT_OPTION] = Path("output"),
) -> None:
    """Show why an entity's mentions are one node: per document, rule and score."""
    from kg.link.explanation import explain as explain_entity

    text = explain_entity(out, entity).format()
    Console().print(text, markup=False, highlight=False, soft_wrap=True)


@app.command()
def merge(
    a: Annotated[str, typer.Argument(help="Entity label, alias, key or IRI.")],
    b: Annotated[str, typer.Argument(help="The other entity.")],
    out: Annotated[Path, _OUT_OPTION] = Path("output"),
) -> None:
    """Make two entities one node, now and in later builds (OUT/curation.txt)."""
    from kg.link.curate import merge as merge_entities

    report = merge_entities(out, a, b)
    console = Console()
    for change in report.changes:
        console.print(change, markup=False, highlight=False)
    console.print(f"curation.txt: {report.line}", markup=False, highlight=False)


@app.command()
def split(
    a: Annotated[str, typer.Argument(help="A name on the node (or 'NAME @ DOC').")],
    b: Annotated[str, typer.Argument(help="Another name to take off it.")],
    out: Annotated[Path, _OUT_OPTION] = Path("output"),
) -> None:
    """Keep two names on different nodes, now and in later builds (OUT/curation.txt)."""
    from kg.link.curate import split as split_entities

    report = split_entities(out, a, b)
    console = Console()
    for change in report.changes:
        console.print(change, markup=False, highlight=False)
    console.print(f"curation.txt: {report.line}", markup=False, highlight=False)


@app.command()
def validate(
    directory: Annotated[
        Path, typer.Argument(help="Output folder (or a .ttl file).")
    ] = Path("output"),
) -> None:
    """Check the graph against the SHACL shapes in ontology/ (pyshacl)."""
    from kg.store import validate_output

    report = validate_output(directory)
    if not report.conforms:
        print(report.summary, file=sys.stderr)
        print(report.details, file=sys.stderr)
        raise typer.Exit(1)
    Console().print(report.summary)


@app.command()
def serve(
    out: Annotated[Path, _OUT_OPTION] = Path("output"),
    host: Annotated[
        str, typer.Option(help="Interface to bind (localhost by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 7878,
    timeout: Annotated[float, typer.Option(help="Query time limit in seconds.")] = 10.0,
) -> None:
    """Serve the store: SPARQL 1.1 Protocol at /sparql, the graph and a query page."""
    from kg.serve import make_server

    server = make_server(out, host=host, port=port, timeout=timeout)
    Console(stderr=True).print(
        f"kg serve: http://{host}:{server.server_port}/ "
        "(SPARQL at /sparql) · Ctrl-C stops"
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@app.command()
def push(
    endpoint: Annotated[
        str, typer.Option(help="SPARQL 1.1 Graph Store Protocol URL (…/store).")
    ],
    out: Annotated[Path, _OUT_OPTION] = Path("output"),
    graph: Annotated[
        str | None,
        typer.Option(help="Target named graph IRI (default: the default graph)."),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option("--replace/--add", help="PUT (replace the graph) or POST (add)."),
    ] = True,
) -> None:
    """Load the graph into an external triple store (SPARQL 1.1 Graph Store)."""
    from kg.serve import push_store

    report = push_store(out, endpoint, graph=graph, replace=replace)
    Console().print(
        f"pushed {report.triples} triples to {report.url} (HTTP {report.status})"
    )


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
