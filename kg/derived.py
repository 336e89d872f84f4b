"""The files a build or a remove derives from the store beside it: ``graph.html``.

``graph.ttl`` is written by :func:`kg.store.write_documents` itself; the page
is drawn here. A new output's page is drawn from the merged documents (they
are all the store will hold), by a forked process while the store loads when
the build runs in parallel; any other from the written store
(:func:`kg.render.collect_store_view`). :func:`refresh_derived` (``kg
render``, and a build with nothing new to add) writes the derived files of
the current store again when they are behind it
(:func:`kg.generations.stale_files`).
"""

from __future__ import annotations

import errno
import gc
import logging
import multiprocessing as mp
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from kg.render import (
    RenderOptions,
    RenderReport,
    collect_documents_view,
    collect_store_view,
    render_page,
)
from kg.types import Document

__all__ = ["PagePlan", "derived_files", "refresh_derived"]

log = logging.getLogger(__name__)

#: errors of writing a file (not of reading the store): a full disk and kin
_WRITE_ERRORS = frozenset(
    {errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EIO}
)


def derived_files(
    store: ox.Store,
    *,
    options: RenderOptions | None = None,
    reports: list[RenderReport] | None = None,
) -> dict[str, bytes]:
    """Return the files drawn from a (staged) store: ``graph.html``.

    Examples
    --------
    >>> sorted(derived_files(ox.Store()))
    ['graph.html']
    """
    # the page's data is read straight from the (staged) store: no rdflib copy
    html, report = render_page(collect_store_view(store), options=options)
    if reports is not None:
        reports.append(report)
    # graph.ttl is written by kg.store.write_documents (Oxigraph's serializer)
    return {"graph.html": html.encode("utf-8")}


def _draw_page(
    documents: Sequence[Document],
    options: RenderOptions | None,
    links: Sequence[ox.Quad] = (),
) -> tuple[bytes, RenderReport]:
    # a fresh store will hold these documents only: no need to read it back
    view = collect_documents_view(documents, links=links)
    html, report = render_page(view, options=options)
    return html.encode("utf-8"), report


def _draw_page_child(
    documents: Sequence[Document],
    options: RenderOptions | None,
    links: Sequence[ox.Quad],
    conn: Connection,
) -> None:
    """Forked side of :class:`_PageJob`: send the page back, or why it failed."""
    gc.disable()  # a short-lived process: collecting would only cost time
    try:
        conn.send(_draw_page(documents, options, links))
    except Exception as exc:  # the process boundary: the parent logs it and redraws
        conn.send(f"{type(exc).__name__}: {exc}")
    finally:
        conn.close()


class _PageJob:
    """``graph.html`` of a fresh output, drawn by a forked process.

    Started once the documents are merged, so the page is drawn while the
    store is loaded and ``graph.ttl`` written; the parent only stages the
    bytes it gets back (so the write stays atomic).
    """

    def __init__(
        self,
        documents: Sequence[Document],
        options: RenderOptions | None,
        links: Sequence[ox.Quad] = (),
    ) -> None:
        context = mp.get_context("fork")
        self._conn, child_conn = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_draw_page_child,
            args=(documents, options, links, child_conn),
            daemon=True,
        )
        self._process.start()
        child_conn.close()

    def result(self) -> tuple[bytes, RenderReport] | None:
        """Wait for the page; None when the child failed (the caller redraws)."""
        try:
            answer = self._conn.recv()
        except EOFError:
            answer = "the page process ended without an answer"
        finally:
            self._conn.close()
            self._process.join()
        if isinstance(answer, str):
            log.warning("drawing graph.html beside the store failed (%s)", answer)
            return None
        page: tuple[bytes, RenderReport] = answer
        return page

    def cancel(self) -> None:
        """Stop the child (the build failed)."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._conn.close()


@dataclass(slots=True)
class PagePlan:
    """How the build draws ``graph.html``.

    From the merged documents when the store was empty (in a forked process
    beside the load when ``parallel``), else from the written store.
    """

    options: RenderOptions
    parallel: bool
    reports: list[RenderReport] = field(default_factory=list)
    documents: Sequence[Document] | None = None
    links: Sequence[ox.Quad] = ()
    job: _PageJob | None = None

    def merged(
        self, documents: Sequence[Document], fresh: bool, links: Sequence[ox.Quad] = ()
    ) -> None:
        """Take the merged documents and their entity links (``on_merged``).

        A batch that is not the store's first (``fresh`` False) means the
        page is drawn from the store: a page started from an earlier batch
        is dropped.
        """
        if not fresh:
            self.cancel()
            self.documents = None
            return
        if self.parallel and "fork" in mp.get_all_start_methods():
            self.job = _PageJob(documents, self.options, links)
        else:
            self.documents, self.links = documents, links

    def derive(self, store: ox.Store) -> dict[str, bytes]:
        """Return ``graph.html`` of the staged store (``derive`` of the write)."""
        page = self.job.result() if self.job is not None else None
        self.job = None
        if page is None and self.documents is not None:
            page = _draw_page(self.documents, self.options, self.links)
        if page is None:
            return derived_files(store, options=self.options, reports=self.reports)
        self.reports.append(page[1])
        return {"graph.html": page[0]}

    def cancel(self) -> None:
        """Stop a page still being drawn (the write failed or is done)."""
        if self.job is not None:
            self.job.cancel()
            self.job = None


def refresh_derived(
    out_dir: Path | str,
    *,
    options: RenderOptions | None = None,
    page: bool = True,
    turtle: bool | None = None,
) -> tuple[tuple[str, ...], RenderReport | None]:
    """Write the files derived from the store of ``out_dir`` again, under its lock.

    ``page`` draws ``graph.html``; ``turtle`` writes ``graph.ttl`` (None:
    when it is missing or behind the store). Both are written through
    temporary files and stamped with the store's generation, so they are no
    longer listed by :func:`kg.generations.stale_files`. Returns the names
    written and the page's report.

    Raises
    ------
    ConfigError
        ``out_dir`` holds no store.
    OutputError
        A file could not be written (they stay recorded as behind).

    Examples
    --------
    >>> import tempfile
    >>> from kg.store import write_documents
    >>> d = tempfile.mkdtemp()
    >>> _ = write_documents(d, [Document("a.txt", "a.txt", "0" * 64, ())])
    >>> refresh_derived(d)[0]
    ('graph.html',)
    """
    from kg.errors import ConfigError
    from kg.generations import (
        _clean_leftovers,
        _dump_turtle,
        _stage_files,
        _staging_file,
        derived_failed,
        stale_files,
        stamp_derived,
        write_lock,
    )
    from kg.rdf import check_destination
    from kg.store import open_store, store_path

    out = Path(out_dir)
    open_store(out)  # no store: a one-line error
    with write_lock(out):
        _clean_leftovers(out)  # what a killed writer left
        stale = stale_files(out)
        if turtle is None:
            turtle = "graph.ttl" in stale or not (out / "graph.ttl").is_file()
        for name in ("graph.ttl",) * turtle + ("graph.html",) * page:
            check_destination(out / name)  # never over a directory or a device
        store = store_path(out).resolve()
        reports: list[RenderReport] = []
        try:  # the page is drawn in memory first: an error here is the store's
            files = (
                derived_files(
                    ox.Store.read_only(str(store)), options=options, reports=reports
                )
                if page
                else {}
            )
        except (OSError, RuntimeError) as exc:
            detail = " ".join(str(exc).split())
            raise ConfigError(
                f"cannot read the store in {str(out)!r}: {detail}"
            ) from exc
        staged: dict[Path, Path] = {}
        try:
            if turtle:
                tmp, target = _staging_file(out, "graph.ttl")
                staged[tmp] = target
                _dump_turtle(str(store), str(tmp))
            staged.update(_stage_files(out, files))
        except OSError as exc:
            for tmp in staged:
                tmp.unlink(missing_ok=True)
            if exc.errno not in _WRITE_ERRORS:
                detail = " ".join(str(exc).split())
                raise ConfigError(
                    f"cannot read the store in {str(out)!r}: {detail}"
                ) from exc
            raise derived_failed(out, exc, updated=False) from exc
        for tmp, target in staged.items():
            os.replace(tmp, target)
        names = tuple(target.name for target in staged.values())
        stamp_derived(out, names)
    return names, reports[-1] if reports else None
