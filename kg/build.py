"""The build: read documents, parse them in a stream, extract, merge, write.

Extraction works one document at a time (:func:`extract_document` is a pure
function of a parsed ``Doc``), so it fans out: with ``BuildConfig.workers``
(by default one when the machine has two cores or more and the build has
more than a couple of batches) a worker process extracts document *k* while
the parser reads document *k + 1*; the parsed ``Doc`` travels as
``Doc.to_dict()`` (what ``Doc.to_bytes()`` packs, left unpacked: it is
pickled anyway) and the results come back in input order, so the output is
the same as a single-process build. Merging the per-document entities into
one graph is a separate step (:func:`kg.store.write_documents`).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import multiprocessing as mp
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from multiprocessing.pool import AsyncResult
from pathlib import Path

import pyoxigraph as ox
from spacy.language import Language
from spacy.tokens import Doc

from kg.coref import DEFAULT_RESOLVER, resolve_entities
from kg.errors import ConfigError, InputError
from kg.mentions import extract_mentions
from kg.nlp import load_pipeline
from kg.relations import DEFAULT_EXTRACTOR, extract_relations, extract_value_facts
from kg.render import (
    RenderOptions,
    RenderReport,
    collect_documents_view,
    collect_store_view,
    render_page,
)
from kg.store import (
    PreparedDocument,
    has_store,
    list_documents,
    prepare_document,
    write_documents,
)
from kg.types import Document, Sentence
from kg.values import extract_values

__all__ = [
    "BuildConfig",
    "BuildReport",
    "collect_inputs",
    "extract_document",
    "iter_documents",
    "read_text",
    "run_build",
]

log = logging.getLogger(__name__)

_BINARY_SNIFF = 8192


@dataclass(frozen=True, slots=True)
class BuildConfig:
    """Options of one build.

    Examples
    --------
    >>> BuildConfig().out
    PosixPath('output')
    """

    out: Path = Path("output")
    model: str | None = None
    resolver: str = DEFAULT_RESOLVER
    extractor: str = DEFAULT_EXTRACTOR
    batch_size: int = 16
    max_nodes: int | None = None
    #: re-extract inputs the store already holds with the same content
    refresh: bool = False
    #: extraction processes beside the parser (0: all in one process; None:
    #: one when there are two cores or more and over two batches of inputs);
    #: with workers, a big store's graph.ttl is also dumped by a forked process
    workers: int | None = None
    #: draw graph.html (False: the store and graph.ttl only, e.g. for kg eval)
    page: bool = True


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build did: counts, time and the files it wrote."""

    documents: int
    sentences: int
    words: int
    entities: int
    relations: int
    seconds: float
    outputs: tuple[Path, ...] = field(default=())
    render: RenderReport | None = None
    #: inputs already in the store with the same content, not parsed again
    unchanged: int = 0


def collect_inputs(paths: Iterable[Path]) -> list[Path]:
    """Expand files and directories into the sorted list of ``.txt`` files.

    Raises
    ------
    InputError
        A path does not exist, or a directory holds no ``.txt`` file.

    Examples
    --------
    >>> [p.name for p in collect_inputs([Path("seeds")])]
    ['tiger-king-pardon.txt']
    """
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise InputError(f"input path {str(path)!r} does not exist")
        if path.is_dir():
            files = sorted(p for p in path.rglob("*.txt") if p.is_file())
            if not files:
                raise InputError(
                    f"directory {str(path)!r} holds no .txt files; "
                    "kg reads UTF-8 plain-text files ending in .txt"
                )
            found.extend(files)
        else:
            found.append(path)
    if not found:
        raise InputError("no input given; pass .txt files or directories")
    return list(dict.fromkeys(found))


def read_text(path: Path) -> str:
    """Read a UTF-8 text file, refusing empty, binary and non-UTF-8 files.

    Raises
    ------
    InputError
        The file is empty, binary or not valid UTF-8.

    Examples
    --------
    >>> read_text(Path("seeds/tiger-king-pardon.txt"))[:5]
    "'Tige"
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {str(path)!r}: {exc.strerror}") from exc
    if b"\x00" in data[:_BINARY_SNIFF]:
        raise InputError(f"{str(path)!r} looks binary (NUL bytes); kg reads UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{str(path)!r} is not valid UTF-8 (byte {exc.start}); "
            "convert it, e.g. iconv -f latin1 -t utf-8"
        ) from exc
    if not text.strip():
        raise InputError(f"{str(path)!r} is empty")
    return text


def extract_document(
    doc: Doc,
    *,
    doc_id: str,
    source: str | None = None,
    resolver: str = DEFAULT_RESOLVER,
    extractor: str = DEFAULT_EXTRACTOR,
) -> Document:
    """Extract entities and triples from one parsed document.

    Examples
    --------
    >>> d = extract_document(nlp("Ada Lovelace wrote to Charles Babbage."), doc_id="a")
    >>> [(t.subject, t.predicate, t.object) for t in d.triples]
    [('ada lovelace', 'wroteTo', 'charles babbage')]
    """
    entities = resolve_entities(doc, extract_mentions(doc), resolver=resolver)
    described, found = extract_relations(
        doc, entities, doc_id=doc_id, extractor=extractor
    )
    # new described things are added; a yielded entity with a known key refines it
    by_key = {e.key: e for e in entities} | {e.key: e for e in described}
    entities = tuple(by_key.values())
    # dates and numbers are values (literals), not entities; facts reach dates
    values = extract_values(doc)
    dated = extract_value_facts(doc, entities, values, doc_id=doc_id)
    triples = tuple(dict.fromkeys((*found, *dated)))
    sentences = tuple(
        Sentence(i, s.start_char, s.end_char, s.text) for i, s in enumerate(doc.sents)
    )
    return Document(
        doc_id=doc_id,
        source=source or doc_id,
        sha256=hashlib.sha256(doc.text.encode("utf-8")).hexdigest(),
        sentences=sentences,
        entities=entities,
        triples=triples,
        values=values,
    )


def _doc_id(path: Path) -> str:
    return path.name


def _count_words(doc: Doc) -> int:
    return sum(1 for t in doc if not t.is_space)


#: Docs a worker may have queued before the parser waits for it.
_MAX_PENDING = 64


def _workers(config: BuildConfig, files: int) -> int:
    if config.workers is not None:
        if config.workers < 0:
            raise ConfigError(f"workers must be 0 or more, not {config.workers}")
        return config.workers
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return 1 if cores >= 2 and files > 2 * config.batch_size else 0


def _extract_bytes(
    data: dict[str, object],
    path: str,
    model: str | None,
    resolver: str,
    extractor: str,
) -> tuple[Document, int, PreparedDocument]:
    """Worker side: rebuild the ``Doc`` from its bytes, extract it, convert it.

    Returns the document, its word count and its own quads serialised
    (:func:`kg.store.prepare_document`), which the store loads and
    ``graph.ttl`` takes as they are when merging leaves the document
    unchanged.
    """
    doc = Doc(load_pipeline(model).vocab).from_dict(data)
    document = extract_document(
        doc,
        doc_id=_doc_id(Path(path)),
        source=path,
        resolver=resolver,
        extractor=extractor,
    )
    return document, _count_words(doc), prepare_document(document)


def _warm_worker(model: str | None) -> None:
    load_pipeline(model)  # inherited when forked, loaded once when spawned


def iter_documents(
    files: Sequence[Path], nlp: Language, *, config: BuildConfig = BuildConfig()
) -> Iterator[tuple[Document, int]]:
    """Parse files in a stream with ``nlp.pipe`` and yield each extraction.

    Only a few batches of ``Doc`` objects are alive at a time. Yields pairs
    of the :class:`Document` and its word count, in the order of ``files``,
    whether the extraction runs here or in worker processes
    (``config.workers``).

    Examples
    --------
    >>> files = [Path("seeds/tiger-king-pardon.txt")]
    >>> [d.doc_id for d, _words in iter_documents(files, nlp)]
    ['tiger-king-pardon.txt']
    """
    for document, words, _nquads in _iter_extracted(files, nlp, config=config):
        yield document, words


def _iter_extracted(
    files: Sequence[Path], nlp: Language, *, config: BuildConfig
) -> Iterator[tuple[Document, int, PreparedDocument | None]]:
    """:func:`iter_documents`, plus the quads a worker serialised of each document."""
    texts = ((read_text(p), p) for p in files)
    docs = nlp.pipe(texts, as_tuples=True, batch_size=config.batch_size)
    workers = _workers(config, len(files))
    if workers == 0:
        for doc, path in docs:
            document = extract_document(
                doc,
                doc_id=_doc_id(path),
                source=str(path),
                resolver=config.resolver,
                extractor=config.extractor,
            )
            yield document, _count_words(doc), None
        return
    # fork shares the loaded pipeline with the worker; spawn loads it again
    methods = mp.get_all_start_methods()
    context = mp.get_context("fork" if "fork" in methods else "spawn")
    with context.Pool(
        workers, initializer=_warm_worker, initargs=(config.model,)
    ) as pool:
        pending: deque[AsyncResult[tuple[Document, int, PreparedDocument]]] = deque()
        for doc, path in docs:
            task = (
                doc.to_dict(exclude=["tensor", "user_data"]),
                str(path),
                config.model,
                config.resolver,
                config.extractor,
            )
            pending.append(pool.apply_async(_extract_bytes, task))
            while pending and (pending[0].ready() or len(pending) > _MAX_PENDING):
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def _derived_files(
    store: ox.Store,
    *,
    options: RenderOptions | None = None,
    reports: list[RenderReport] | None = None,
) -> dict[str, bytes]:
    # the page's data is read straight from the (staged) store: no rdflib copy
    html, report = render_page(collect_store_view(store), options=options)
    if reports is not None:
        reports.append(report)
    # graph.ttl is written by kg.store.write_documents (Oxigraph's serializer)
    return {"graph.html": html.encode("utf-8")}


def _draw_page(
    documents: Sequence[Document], options: RenderOptions | None
) -> tuple[bytes, RenderReport]:
    # a fresh store will hold these documents only: no need to read it back
    html, report = render_page(collect_documents_view(documents), options=options)
    return html.encode("utf-8"), report


def _draw_page_child(
    documents: Sequence[Document],
    options: RenderOptions | None,
    conn: Connection,
) -> None:
    """Forked side of :class:`_PageJob`: send the page back, or why it failed."""
    gc.disable()  # a short-lived process: collecting would only cost time
    try:
        conn.send(_draw_page(documents, options))
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
        self, documents: Sequence[Document], options: RenderOptions | None
    ) -> None:
        context = mp.get_context("fork")
        self._conn, child_conn = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_draw_page_child,
            args=(documents, options, child_conn),
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
class _PagePlan:
    """How the build draws ``graph.html``.

    From the merged documents when the store was empty (in a forked process
    beside the load when ``parallel``), else from the written store.
    """

    options: RenderOptions
    parallel: bool
    reports: list[RenderReport] = field(default_factory=list)
    documents: Sequence[Document] | None = None
    job: _PageJob | None = None

    def merged(self, documents: Sequence[Document], fresh: bool) -> None:
        if not fresh:
            return
        if self.parallel and "fork" in mp.get_all_start_methods():
            self.job = _PageJob(documents, self.options)
        else:
            self.documents = documents

    def derive(self, store: ox.Store) -> dict[str, bytes]:
        page = self.job.result() if self.job is not None else None
        self.job = None
        if page is None and self.documents is not None:
            page = _draw_page(self.documents, self.options)
        if page is None:
            return _derived_files(store, options=self.options, reports=self.reports)
        self.reports.append(page[1])
        return {"graph.html": page[0]}

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job = None


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (the build's data has no cycles to free).

    After the parse the process holds every extracted document; each full
    collection would walk them all again while the store and page are built.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _changed_files(out: Path, files: list[Path]) -> list[Path]:
    """Drop inputs the store already holds with the same content (nothing to redo)."""
    if not has_store(out):
        return files
    stored = {d.doc_id: d.sha256 for d in list_documents(out)}
    return [
        path
        for path in files
        if stored.get(_doc_id(path))
        != hashlib.sha256(read_text(path).encode("utf-8")).hexdigest()
    ]


def run_build(
    paths: Iterable[Path],
    *,
    config: BuildConfig = BuildConfig(),
    on_document: Callable[[Document], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> BuildReport:
    """Build the graph of the given inputs and write it under ``config.out``.

    Every input is checked before anything is written; outputs are written
    through temporary files and renamed, so a failed build leaves an existing
    output folder as it was.

    Raises
    ------
    InputError
        An input is missing, empty, binary or not UTF-8.
    ModelNotFoundError
        The spaCy pipeline is not installed.
    """
    started = time.perf_counter()
    render_options = RenderOptions(max_nodes=config.max_nodes)
    files = collect_inputs(paths)
    for path in files:
        read_text(path)
    if config.out.exists() and not config.out.is_dir():
        raise ConfigError(
            f"output path {str(config.out)!r} exists and is not a directory"
        )
    inputs = len(files)
    if not config.refresh:
        files = _changed_files(config.out, files)
    nlp = load_pipeline(config.model)
    if on_start is not None:
        on_start(len(files))
    documents: list[Document] = []
    prepared: dict[str, PreparedDocument] = {}
    words = 0
    for document, n_words, ready in _iter_extracted(files, nlp, config=config):
        documents.append(document)
        if ready is not None:
            prepared[document.doc_id] = ready
        words += n_words
        if on_document is not None:
            on_document(document)
    # The store (output/store) is the graph of record: documents are added to
    # what it holds, and graph.ttl / graph.html are derived from the result.
    parallel = _workers(config, len(files)) > 0
    page = _PagePlan(render_options, parallel)
    try:
        with _gc_paused():
            write_documents(
                config.out,
                documents,
                derive=page.derive if config.page else None,
                refresh=config.refresh,
                prepared=prepared,
                parallel=parallel,
                on_merged=page.merged if config.page else None,
            )
    finally:
        page.cancel()
    rendered = page.reports
    ttl, html = config.out / "graph.ttl", config.out / "graph.html"
    entity_keys = {e.key for d in documents for e in d.entities}
    relations = {
        (t.subject, t.predicate, t.object) for d in documents for t in d.triples
    }
    return BuildReport(
        documents=len(documents),
        sentences=sum(len(d.sentences) for d in documents),
        words=words,
        entities=len(entity_keys),
        relations=len(relations),
        seconds=time.perf_counter() - started,
        outputs=(ttl, html),
        render=replace(rendered[-1], path=html) if rendered else None,
        unchanged=inputs - len(files),
    )
