"""The ``kg`` command line (typer), with errors turned into one-line messages.

Start-up stays light: this module imports only typer and :mod:`kg.errors`;
each command imports what it needs (spaCy only for commands that parse text,
pandas, networkx, pyshacl and rich only where they are used), so ``kg --help``,
``kg --version`` and ``kg query`` start without loading them. Usage errors,
like every :class:`~kg.errors.KGError`, print one line ``kg: error: …`` on
stderr.
"""

from __future__ import annotations

import logging
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kg.errors import KGError

if TYPE_CHECKING:
    from rich.console import Console

    from kg.types import Document

__all__ = ["app", "main"]

app = typer.Typer(
    name="kg",
    help="Turn news text into a knowledge graph: RDF, an offline HTML page, SPARQL.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
_state = {"debug": False}
#: The environment variable naming the spaCy pipeline (kg.nlp.MODEL_ENV_VAR,
#: repeated here so the option's help does not import spaCy).
MODEL_ENV_VAR = "KG_SPACY_MODEL"


def _console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr)


def _version(value: bool) -> None:
    if value:
        from kg import __version__

        typer.echo(f"kg {__version__}")
        raise typer.Exit()


@app.callback()
def _main_options(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show full tracebacks.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log progress.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Print kg's version and exit.",
        ),
    ] = False,
) -> None:
    _state["debug"] = debug
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING)


_MODEL_OPTION = typer.Option(
    "--model", "-m", help=f"Installed spaCy pipeline (or ${MODEL_ENV_VAR})."
)
_EXTRACTOR_OPTION = typer.Option(
    "--extractor",
    help="Registered relation extractor: kg.clauses.v3 (default: stated facts), "
    "kg.clauses.v3+context (adds weak guesses from the document context), "
    "kg.clauses.v3+described (adds described facilities, events and people as "
    "nodes, and presupposed roles), kg.svo.v1, or a plug-in's.",
)


# the options shared with the store commands, defined beside them
from kg.cli_store import OUT_OPTION as _OUT_OPTION  # noqa: E402
from kg.cli_store import STORE_OPTION as _STORE_OPTION  # noqa: E402
from kg.cli_store import register_store_commands  # noqa: E402


@app.command()
def build(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Inputs: .txt files, folders, quoted globs ('news/**/*.txt'), "
            '.jsonl corpora (one {"id", "text"} object a line), @FILE '
            "(a file listing inputs, one a line)."
        ),
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
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            help="Fan documents out over a Dask cluster: a scheduler address "
            "(tcp://HOST:8786) or local:N (N local worker processes). "
            "Same output as a local build.",
        ),
    ] = None,
    max_document_chars: Annotated[
        int,
        typer.Option(
            "--max-document-chars",
            min=1,
            help="Skip (with a warning) a document longer than this.",
        ),
    ] = 2_000_000,
    max_sentence_tokens: Annotated[
        int,
        typer.Option(
            "--max-sentence-tokens",
            min=1,
            help="Cut (with a warning) a stretch of this many tokens without "
            "a sentence end into sentences.",
        ),
    ] = 200,
    max_nesting: Annotated[
        int,
        typer.Option(
            "--max-nesting",
            min=1,
            help="Leave out (with a warning) text nested deeper in brackets "
            "or quotation marks.",
        ),
    ] = 30,
    max_word_chars: Annotated[
        int,
        typer.Option(
            "--max-word-chars",
            min=1,
            help="Leave out (with a warning) the characters of a word (a run "
            "without a space) past this many.",
        ),
    ] = 1000,
    store: Annotated[str | None, _STORE_OPTION] = None,
    derived: Annotated[
        str,
        typer.Option(
            "--derived",
            help="Rewrite graph.ttl and graph.html after the write: auto (while "
            "the store is under 64 MB, about 250,000 words), always, or never "
            "(kg render writes them).",
        ),
    ] = "auto",
) -> None:
    """Extract entities and relations from text and add them to the store."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
    )

    from kg.build import BuildConfig, run_build
    from kg.limits import Limits
    from kg.relations import DEFAULT_EXTRACTOR, get_extractor

    get_extractor(extractor or DEFAULT_EXTRACTOR)  # an unknown name fails here
    config = BuildConfig(
        out=out,
        model=model,
        max_nodes=max_nodes,
        refresh=refresh,
        workers=workers,
        extractor=extractor or DEFAULT_EXTRACTOR,
        cluster=cluster,
        store=store,
        derived=derived,
        limits=Limits(
            max_document_chars=max_document_chars,
            max_sentence_tokens=max_sentence_tokens,
            max_nesting=max_nesting,
            max_word_chars=max_word_chars,
        ),
    )
    if cluster is not None:
        from kg.cluster import parse_address

        parse_address(cluster)  # a malformed address fails before any work
    if store is not None:
        from kg.remote import RemoteStore

        RemoteStore.parse(store)  # a malformed URL fails before any work
    progress = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_console(stderr=True),
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

    def on_warning(line: str) -> None:
        _console(stderr=True).print(
            f"kg: warning: {line}", markup=False, highlight=False, soft_wrap=True
        )

    try:
        report = run_build(
            paths,
            config=config,
            on_start=on_start,
            on_document=on_document,
            on_warning=on_warning,
        )
    finally:
        if task:  # a progress never started would still print a blank line
            progress.stop()
    console = _console()
    if report.documents == 0:
        console.print(
            f"unchanged {report.unchanged}: every input is in the store with the "
            "same content; nothing written (--refresh re-extracts them)",
            soft_wrap=True,
        )
        return
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


# --- kg eval: measure extraction on benchmarks and annotated news (kg.eval) ---


class _EvalTask(StrEnum):
    gap = "gap"
    carb = "carb"
    redocred = "redocred"
    coref = "coref"
    news = "news"
    xdoc = "xdoc"


@app.command("eval")
def eval_(
    task: Annotated[
        _EvalTask, typer.Argument(help="gap, carb, redocred, coref, news or xdoc.")
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
            help="Write the system output (official format for gap/carb; "
            "for xdoc a folder keeping each topic's build).",
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
    """Score the graph kg builds on a benchmark or annotated news.

    Every task but carb builds its inputs as one corpus (xdoc: one per
    ECB+ topic) and scores the written store; carb scores the sentence-level
    clause extractor.
    """
    import json

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.table import Table

    from kg.eval import evaluate

    progress = Progress(
        TextColumn(f"[progress.description]{task.value}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_console(stderr=True),
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
    console = _console()
    console.print(table)
    if run:
        console.print(
            f"model {run['model']} · {run['items']} items · {run['seconds']:.1f} s"
            + (f" · scored: {run['scored']}" if run.get("scored") else ""),
            style="dim",
        )
    if system_out is not None:
        console.print(f"wrote {system_out}")
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        console.print(f"wrote {json_out}")


# --- the store: query, export, remove, validate, serve, push (kg.store, kg.query) ---


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
    store: Annotated[str | None, _STORE_OPTION] = None,
) -> None:
    """Run a SPARQL query on the store: a table on a terminal, csv/tsv/json else."""
    from kg.errors import ConfigError
    from kg.query import KnowledgeGraph, run_query, serialize_result
    from kg.sparql import call_with_deep_stack, read_query_file

    if (text is None) == (file is None):
        raise ConfigError("give a query as an argument or with -f FILE (exactly one)")
    if file is not None:
        text = read_query_file(file)
    assert text is not None
    query_text = text
    fmt = fmt or ("table" if sys.stdout.isatty() else "csv")
    if store is not None:
        from kg.results import print_remote_result

        print_remote_result(store, query_text, fmt, _console())
        return
    kg = KnowledgeGraph.open(out)
    if fmt != "table":
        # the engine recurses: a thread with a deep stack runs it (kg.sparql)
        data = call_with_deep_stack(
            lambda: serialize_result(run_query(kg.store, query_text), fmt)
        )
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from kg.results import print_result

    print_result(call_with_deep_stack(lambda: kg.query(query_text)), _console())


@app.command()
def validate(
    directory: Annotated[
        Path | None, typer.Argument(help="Output folder (or a .ttl file).")
    ] = None,
    out: Annotated[Path, _OUT_OPTION] = Path("output"),
    limit: Annotated[
        int,
        typer.Option(
            "--limit", min=0, help="List at most N results (0: all). Default 50."
        ),
    ] = 50,
) -> None:
    """Check the graph against the SHACL shapes in ontology/; list what fails."""
    from kg.validate import validate_output

    report = validate_output(directory if directory is not None else out)
    console = _console()
    console.print(report.summary, markup=False, highlight=False, soft_wrap=True)
    shown = report.lines if limit == 0 else report.lines[:limit]
    for line in shown:
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    if len(shown) < len(report.lines):
        console.print(
            f"and {len(report.lines) - len(shown)} more (--limit 0 lists all)",
            markup=False,
            highlight=False,
        )
    if not report.conforms:
        raise typer.Exit(1)


from kg.cli_serve import serve  # noqa: E402 - registered in its place in the list

app.command()(serve)


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
    from kg.push import push_store

    report = push_store(out, endpoint, graph=graph, replace=replace)
    _console().print(
        f"pushed {report.triples} triples to {report.url} (HTTP {report.status})"
    )


def _usage_error_types() -> tuple[type[Exception], ...]:
    """Click's exception classes (typer vendors click in recent releases)."""
    click_error = next(
        c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
    )
    return (click_error,)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def main(argv: list[str] | None = None) -> int:
    """Run the ``kg`` command; return its exit code.

    A :class:`KGError` or a usage error (unknown option, missing argument)
    becomes one line ``kg: error: …`` on stderr and its exit code;
    ``--debug`` re-raises a :class:`KGError` with its traceback.

    Examples
    --------
    >>> main(["--no-such-option"])
    2
    """
    args = sys.argv[1:] if argv is None else argv
    (click_error,) = _usage_error_types()
    try:
        result = app(args=args, prog_name="kg", standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except click_error as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            exc.show()  # type: ignore[attr-defined]
            return 2
        message = exc.format_message()  # type: ignore[attr-defined]
        command = getattr(getattr(exc, "ctx", None), "command_path", "kg")
        print(
            f"kg: error: {_one_line(message)} (see `{command} --help`)",
            file=sys.stderr,
        )
        return int(getattr(exc, "exit_code", 2))
    except typer.Abort:
        print("kg: error: aborted", file=sys.stderr)
        return 1
    except KGError as exc:
        if _state["debug"] or "--debug" in args:
            raise
        print(f"kg: error: {_one_line(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        # the reader went away (kg query ... | head): not an error
        sys.stderr.close()
        return 0
    return result if isinstance(result, int) else 0


# commands on the store and its derived files (kg render, export, remove,
# explain, merge, split) live in kg.cli_store
register_store_commands(app, _console)

if __name__ == "__main__":
    sys.exit(main())
