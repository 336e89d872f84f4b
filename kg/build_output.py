"""The write side of a build: batches of extracted documents into the store.

:func:`kg.build.run_build` extracts documents in a stream; here they are
counted (:class:`_Run`), grouped into batches of about
``BuildConfig.batch_words`` words and written to the output folder's store
as they come (:func:`kg.store.write_batches`: one atomic write, one batch
held at a time, so the client's memory does not grow with the corpus), and
the derived files are written under the build's policy, or written again
when a build has nothing new (:func:`_repair`).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.derived import PagePlan
from kg.errors import OutputError
from kg.render import RenderOptions, RenderReport
from kg.store import PreparedDocument, WriteReport, wants_derived, write_batches
from kg.types import Document

if TYPE_CHECKING:
    from kg.build import BuildConfig, BuildReport, Extracted, _Tally

__all__: list[str] = []


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (the build's data has no cycles to free).

    While the store takes a batch the process holds every document of it;
    each full collection would walk them all again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _repair(
    paths: Sequence[str | Path], config: BuildConfig, warn: Callable[[str], None]
) -> tuple[Path, ...]:
    """Nothing new to build: write the derived files again if they are behind.

    They are behind the store after a write that could not write them (a
    full disk) or was killed between the switch and the renames, or that
    skipped them (``--derived``); they are written again here under the same
    policy as a write.
    """
    from kg.build import _corpus_name
    from kg.derived import refresh_derived
    from kg.generations import stale_files
    from kg.store import store_path

    stale = stale_files(config.out)
    if not config.page:
        stale = tuple(n for n in stale if n != "graph.html")
    if not stale or not wants_derived(config.derived, store_path(config.out)):
        return ()
    options = RenderOptions(max_nodes=config.max_nodes, heading=_corpus_name(paths))
    names, _report = refresh_derived(
        config.out,
        options=options,
        page="graph.html" in stale,
        turtle="graph.ttl" in stale,
    )
    warn(f"{' and '.join(names)} were behind the store: written again")
    return tuple(config.out / name for name in names)


@dataclass(slots=True)
class _Run:
    """One build's running state: counts, warnings, the page plan."""

    config: BuildConfig
    warn: Callable[[str], None]
    counts: _Counts = field(default_factory=lambda: _Counts())
    words: int = 0
    warnings: list[str] = field(default_factory=list)
    page: PagePlan = field(init=False)

    def __post_init__(self) -> None:
        self.page = PagePlan(RenderOptions(max_nodes=self.config.max_nodes), False)

    def take(self, extracted: Extracted) -> Document:
        """Count one extracted document and pass its warnings on."""
        self.counts.add(extracted.document)
        self.words += extracted.words
        for line in extracted.warnings:
            self.warn(line)
        self.warnings.extend(extracted.warnings)
        return extracted.document


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS, Windows)
        return None


def _trim_heap() -> None:
    """Return the C heap's free pages to the system (glibc's ``malloc_trim``).

    Parsing, linking and loading a batch allocate and free hundreds of MiB;
    glibc keeps much of what was freed, so without this a long build's
    resident memory keeps the high-water mark of every batch before.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _clear_corpus_caches() -> None:
    """Empty the memo caches that fill with the corpus's names and ids.

    They are bounded (64-256 thousand entries), but a build reaches their
    bounds only past a few hundred thousand words, so without this the
    client would hold more after a corpus of a million words than after
    one of 100,000. A batch refills what it uses (same results).
    """
    from kg import rdf
    from kg.link import rules, summary

    for cache in (rdf._slug, rdf._document_slug, rules._names_judged, summary.compact):
        cache.cache_clear()


def _batches(
    run: _Run, extracted: Iterable[Extracted], limit: int | None
) -> Iterator[tuple[list[Document], dict[str, PreparedDocument]]]:
    """Group extracted documents into batches of about ``limit`` words.

    The cyclic garbage collector is paused while the store takes a batch:
    the batch has no cycles to free, and a collection would walk it all.
    """
    documents: list[Document] = []
    prepared: dict[str, PreparedDocument] = {}
    words = 0
    for one in extracted:
        documents.append(run.take(one))
        if one.prepared is not None:
            prepared[one.document.doc_id] = one.prepared
        words += one.words
        if limit is not None and words >= limit:
            with _gc_paused():
                yield documents, prepared
            documents, prepared, words = [], {}, 0
            _clear_corpus_caches()
            _trim_heap()  # the batch's memory, freed, back to the system
    if documents:
        with _gc_paused():
            yield documents, prepared


def _write_local(
    run: _Run,
    extracted: Iterable[Extracted],
    paths: Sequence[str | Path],
    jobs: int,
    extract: object = None,
) -> WriteReport:
    """Write the documents to the output folder's store as they are extracted.

    The store (``output/store``) is the graph of record: documents are added
    to what it holds, in batches, in one atomic write, and graph.ttl /
    graph.html are derived from the result (:func:`kg.store.write_batches`).
    A cluster build (``extract`` a :class:`kg.cluster.ClusterExtraction`)
    writes the same batches, each linked with the pairs its reduce judged
    on the workers (:meth:`kg.cluster.ClusterExtraction.premap`).
    """
    from kg.build import _corpus_name, _workers

    config = run.config
    parallel = config.cluster is not None or _workers(config, jobs) > 0
    options = RenderOptions(max_nodes=config.max_nodes, heading=_corpus_name(paths))
    run.page = PagePlan(options, parallel)
    batches = _batches(run, extracted, config.batch_words)
    # a cluster build: each batch's corpus step reduced on the workers
    premapped = getattr(extract, "premap", None)
    try:
        return write_batches(
            config.out,
            batches,
            premapped=premapped,
            derive=run.page.derive if config.page else None,
            refresh=config.refresh,
            parallel=parallel,
            on_merged=run.page.merged if config.page else None,
            derived=config.derived,
        )
    except OutputError:
        raise  # the store was written; the derived files say what failed
    except OSError as exc:
        raise OutputError(
            f"writing the output folder {str(config.out)!r} failed "
            f"({exc.strerror or exc}); it is as it was before the build"
        ) from exc
    finally:
        run.page.cancel()


@dataclass(slots=True)
class _Counts:
    """What the build report counts, kept as documents go by (not the documents)."""

    documents: int = 0
    sentences: int = 0
    #: distinct entity keys and relations, by their hashes (64 bits: a
    #: collision among a corpus's millions is unlikely), not the strings,
    #: which would keep every document's names for the whole build
    entities: set[int] = field(default_factory=set)
    relations: set[int] = field(default_factory=set)

    def add(self, document: Document) -> None:
        self.documents += 1
        self.sentences += len(document.sentences)
        self.entities.update(hash(e.key) for e in document.entities)
        self.relations.update(
            hash((t.subject, t.predicate, t.object)) for t in document.triples
        )


def _report(
    run: _Run,
    started: float,
    checked: _Tally,
    *,
    outputs: tuple[Path, ...] = (),
    render: RenderReport | None = None,
) -> BuildReport:
    from kg.build import BuildReport

    counts = run.counts
    return BuildReport(
        documents=counts.documents,
        sentences=counts.sentences,
        words=run.words,
        entities=len(counts.entities),
        relations=len(counts.relations),
        seconds=time.perf_counter() - started,
        outputs=outputs,
        render=render,
        unchanged=checked.unchanged,
        warnings=(*checked.skipped, *run.warnings),
    )
