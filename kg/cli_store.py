"""``kg`` commands on a built store and its derived files.

``kg render`` (the page, and ``graph.ttl`` when it is behind the store),
``kg export``, ``kg remove``, ``kg explain``, ``kg merge`` and ``kg split``;
each works on the output folder's store or, with ``--store URL``, on an
external SPARQL store (:mod:`kg.remote`, :mod:`kg.remote_curation`).
Registered on :data:`kg.cli.app` when :mod:`kg.cli` is imported.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rich.console import Console

__all__ = ["OUT_OPTION", "STORE_OPTION", "register_store_commands"]

STORE_OPTION = typer.Option(
    "--store",
    help="An external SPARQL 1.1 store's base URL (an Oxigraph server, "
    "http://HOST:7878) instead of the output folder's store; one named graph "
    "per document.",
)
OUT_OPTION = typer.Option("--out", "-o", help="Output folder holding the store.")
_OUT_OPTION, _STORE_OPTION = OUT_OPTION, STORE_OPTION
_CONSOLE: list[Callable[..., Console]] = []


def _console(*, stderr: bool = False) -> Console:
    return _CONSOLE[0](stderr=stderr)


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
    size_by: Annotated[
        str, typer.Option("--size-by", help="Node size by 'mentions' or 'degree'.")
    ] = "mentions",
    title: Annotated[
        str | None,
        typer.Option("--title", help="Page title (default: the corpus folder's name)."),
    ] = None,
    store: Annotated[str | None, _STORE_OPTION] = None,
) -> None:
    """Redraw OUT/graph.html (and graph.ttl when behind the store), no re-extracting."""
    from kg.render import RenderOptions

    options = RenderOptions(
        heading=title,
        max_nodes=max_nodes,
        min_confidence=min_confidence,
        size_by=size_by,  # type: ignore[arg-type]
    )
    console = _console()
    if store is not None:
        from kg.remote import RemoteStore, render_remote
        from kg.remote_curation import curate_remote

        remote = RemoteStore.parse(store)
        curate_remote(remote, out)  # OUT/curation.txt reaches the store first
        report = render_remote(remote, out, options=options)
        console.print(report.summary(), markup=False, highlight=False, soft_wrap=True)
        console.print(f"wrote {report.path}")
        return
    from kg.derived import refresh_derived
    from kg.link.curate import curate_output
    from kg.store import has_store

    if not has_store(out):  # an output written before the store: its graph.ttl
        from kg.render import render_build

        old = render_build(out, options=options)
        console.print(old.summary(), markup=False, highlight=False, soft_wrap=True)
        console.print(f"wrote {old.path}")
        return
    curate_output(out)  # a hand-edited OUT/curation.txt reaches the store first
    names, page = refresh_derived(out, options=options)
    if page is not None:
        console.print(page.summary(), markup=False, highlight=False, soft_wrap=True)
    for name in names:
        console.print(f"wrote {out / name}")


def export(
    dest: Annotated[
        Path | None,
        typer.Argument(
            help="File to write (a folder for neo4j; default: standard output). "
            "An existing file is replaced atomically, a symbolic link written "
            "through; a directory or a device is refused."
        ),
    ] = None,
    out: Annotated[Path, _OUT_OPTION] = Path("output"),
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="turtle, trig, nquads, ntriples, jsonld, xml (RDF); nodes-csv, "
            "edges-csv (tables with provenance); graphml, gexf (Gephi); neo4j "
            "(neo4j-admin import files). Default: from DEST's suffix, else turtle.",
        ),
    ] = None,
    store: Annotated[str | None, _STORE_OPTION] = None,
) -> None:
    """Export the store as RDF, CSV tables, GraphML, GEXF or Neo4j import files."""
    from kg.export import export_graph

    source: Path | ox.Store = out
    if store is not None:
        from kg.remote import RemoteStore, snapshot_remote

        source = snapshot_remote(RemoteStore.parse(store))
    _fmt, data, written = export_graph(source, dest, format=fmt)
    if data is not None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    for path in written:
        _console(stderr=True).print(f"wrote {path}", markup=False, highlight=False)


def remove(
    documents: Annotated[
        list[str],
        typer.Argument(
            help="Documents: ids or paths as built (see kg query for ids), "
            "or a file name that names one document only."
        ),
    ],
    out: Annotated[Path, _OUT_OPTION] = Path("output"),
    store: Annotated[str | None, _STORE_OPTION] = None,
) -> None:
    """Take documents, and the facts only they support, out of the store."""
    from kg.store import remove_documents

    if store is not None:
        from kg.remote import RemoteStore, remove_remote

        removed = remove_remote(RemoteStore.parse(store), documents)
        _console().print(
            f"removed {', '.join(removed)} from {store}", markup=False, highlight=False
        )
        return

    report = remove_documents(out, documents, derive=_derived_files)
    behind = [n for n in ("graph.ttl", "graph.html") if n not in report.derived]
    _console().print(
        f"removed {', '.join(report.removed)}"
        + (
            f" · {' and '.join(behind)} not rewritten (a big store); "
            f"`kg render --out {out}` writes them"
            if behind
            else ""
        ),
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


# --- corpus entities: why one node, and corrections (kg.link) ---


def explain(
    entity: Annotated[str, typer.Argument(help="Entity label, alias, key or IRI.")],
    out: Annotated[Path, _OUT_OPTION] = Path("output"),
    store: Annotated[str | None, _STORE_OPTION] = None,
) -> None:
    """Show why an entity's mentions are one node: per document, rule and score."""
    from kg.link.explanation import explain as explain_entity

    where: Path | ox.Store = out
    if store is not None:
        from kg.remote import RemoteStore, snapshot_remote

        where = snapshot_remote(RemoteStore.parse(store))
    text = explain_entity(where, entity).format()
    _console().print(text, markup=False, highlight=False, soft_wrap=True)


def merge(
    a: Annotated[str, typer.Argument(help="Entity label, alias, key or IRI.")],
    b: Annotated[str, typer.Argument(help="The other entity.")],
    out: Annotated[Path, _OUT_OPTION] = Path("output"),
    store: Annotated[str | None, _STORE_OPTION] = None,
) -> None:
    """Make two entities one node, now and in later builds (OUT/curation.txt)."""
    from kg.link.curate import merge as merge_entities

    if store is not None:
        from kg.remote import RemoteStore
        from kg.remote_curation import merge_remote

        report = merge_remote(RemoteStore.parse(store), out, a, b)
    else:
        report = merge_entities(out, a, b)
    console = _console()
    for change in report.changes:
        console.print(change, markup=False, highlight=False)
    console.print(f"curation.txt: {report.line}", markup=False, highlight=False)


def split(
    a: Annotated[str, typer.Argument(help="A name on the node (or 'NAME @ DOC').")],
    b: Annotated[str, typer.Argument(help="Another name to take off it.")],
    out: Annotated[Path, _OUT_OPTION] = Path("output"),
    store: Annotated[str | None, _STORE_OPTION] = None,
) -> None:
    """Keep two names on different nodes, now and in later builds (OUT/curation.txt)."""
    from kg.link.curate import split as split_entities

    if store is not None:
        from kg.remote import RemoteStore
        from kg.remote_curation import split_remote

        report = split_remote(RemoteStore.parse(store), out, a, b)
    else:
        report = split_entities(out, a, b)
    console = _console()
    for change in report.changes:
        console.print(change, markup=False, highlight=False)
    console.print(f"curation.txt: {report.line}", markup=False, highlight=False)


def _derived_files(store: ox.Store) -> dict[str, bytes]:
    """:func:`kg.derived.derived_files`, imported only when a write draws the page."""
    from kg.derived import derived_files

    return derived_files(store)


def register_store_commands(app: typer.Typer, console: Callable[..., Console]) -> None:
    """Register the store commands on ``app``; ``console`` makes rich consoles."""
    _CONSOLE[:] = [console]
    for command in (render, export, remove, explain, merge, split):
        app.command()(command)
