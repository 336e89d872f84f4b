"""The build: read documents, parse them in a stream, extract, merge, write.

Inputs come from :mod:`kg.inputs` (files, folders, globs, ``@LIST`` files,
JSON Lines corpora, streamed) and are bounded by :mod:`kg.limits`. A build
makes two passes over them: the first checks every input (so a bad one stops
the build before anything is parsed or written) and counts the documents
whose content the store does not hold yet; the second reads them again and
extracts them. A re-run on unchanged inputs stops after the first pass:
nothing is parsed or written.

Extraction works one document at a time (:func:`extract_document` is a pure
function of a parsed ``Doc``), so it fans out: with ``BuildConfig.workers``
(by default one when the machine has two cores or more and the build has
more than a couple of batches) a worker process extracts document *k* while
the parser reads document *k + 1*; the parsed ``Doc`` travels as
``Doc.to_dict()`` (what ``Doc.to_bytes()`` packs, left unpacked: it is
pickled anyway). With ``BuildConfig.cluster`` the documents' texts fan out
over a Dask cluster instead (:mod:`kg.cluster`). Either way the results come
back in input order, so the output is the same as a single-process build.
Merging the per-document entities into one graph is a separate step
(:func:`kg.store.write_documents`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import multiprocessing as mp
import os
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc

from kg.classes import type_document
from kg.coref import DEFAULT_RESOLVER, resolve_entities
from kg.errors import ConfigError, InputError, LimitError
from kg.inputs import Skipped, is_glob, iter_sources, read_source
from kg.limits import (
    CUTS_KEY,
    SENTENCE_LIMIT,
    Limits,
    mask_long_words,
    mask_nesting,
    split_text,
)
from kg.mentions import extract_mentions
from kg.nlp import load_pipeline, parse_in_zones
from kg.rdf import check_destination
from kg.relations import DEFAULT_EXTRACTOR, extract_relations, extract_value_facts
from kg.render import RenderReport
from kg.store import (
    AUTO_DERIVE_BYTES,
    PreparedDocument,
    has_store,
    open_store,
    prepare_document,
    stored_hash,
    wants_derived,
)
from kg.types import Document, Sentence
from kg.values import extract_values

if TYPE_CHECKING:
    from kg.remote import RemoteStore

__all__ = [
    "BuildConfig",
    "BuildReport",
    "DocumentJob",
    "Extracted",
    "extract_document",
    "extract_jobs",
    "iter_documents",
    "read_text",
    "run_build",
]

log = logging.getLogger(__name__)

#: Words of extracted documents a build holds before writing them to the
#: store (so the client's memory does not grow with the corpus).
BATCH_WORDS = 100_000
#: Longest piece of text spaCy parses at once; a longer document is parsed
#: in pieces cut at paragraph (else line, sentence, word) boundaries.
PIECE_CHARS = 100_000


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
    #: bounds on one input (largest document, longest sentence, deepest nesting)
    limits: Limits = field(default_factory=Limits)
    #: a Dask scheduler address (``tcp://host:8786``) or ``local:N`` (a local
    #: cluster of N worker processes); None parses and extracts here
    cluster: str | None = None
    #: an external SPARQL 1.1 store's base URL (:mod:`kg.remote`): documents
    #: go to its named graphs instead of ``out``, and no files are written
    store: str | None = None
    #: when graph.ttl and graph.html are rewritten (kg.store.DERIVED_POLICIES):
    #: auto (while the store is small), always, never (``kg render`` does)
    derived: str = "auto"
    #: words of extracted documents held before they are written to the store
    #: (linked against it as it stands, as a later build would); None: all
    batch_words: int | None = BATCH_WORDS


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build did: counts, time, the files it wrote and what it skipped."""

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
    #: one line per input (or part of one) left out by a limit
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class DocumentJob:
    """One document to build: its place in the input order, id, label and text.

    Examples
    --------
    >>> DocumentJob(0, "a.txt", "a.txt", "Hi.", "0" * 64).label
    'a.txt'
    """

    index: int
    doc_id: str
    label: str
    text: str
    sha256: str


@dataclass(frozen=True, slots=True)
class Extracted:
    """What extracting one document gave: the document and what goes with it.

    ``prepared`` is its quads serialised ahead (:func:`kg.store.prepare_document`),
    when the extraction ran in another process; ``warnings`` name what the
    limits left out of it.
    """

    index: int
    document: Document
    words: int
    prepared: PreparedDocument | None = None
    warnings: tuple[str, ...] = ()


def read_text(path: Path, *, max_chars: int | None = None) -> str:
    """Read a UTF-8 text file (:func:`kg.inputs.read_text`).

    Examples
    --------
    >>> read_text(Path("seeds/tiger-king-pardon.txt"))[:5]
    "'Tige"
    """
    from kg.inputs import read_text as read

    return read(path, max_chars=max_chars)


def extract_document(
    doc: Doc,
    *,
    doc_id: str,
    source: str | None = None,
    resolver: str = DEFAULT_RESOLVER,
    extractor: str = DEFAULT_EXTRACTOR,
    sha256: str | None = None,
) -> Document:
    """Extract entities and triples from one parsed document.

    ``source`` is the document's label (its file name; the id by default);
    ``sha256`` the hash of the text as read, when the parsed text differs
    from it (a limit blanked part of it); by default that of ``doc.text``.

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
    # classes from all of each entity's evidence; triples re-checked; no junk nodes
    typed = type_document(doc, entities, (*found, *dated), values=values)
    entities = typed.entities
    triples = tuple(dict.fromkeys(typed.triples))
    sentences = tuple(
        Sentence(i, s.start_char, s.end_char, s.text) for i, s in enumerate(doc.sents)
    )
    return Document(
        doc_id=doc_id,
        source=source or doc_id,
        sha256=sha256 or _sha256(doc.text),
        sentences=sentences,
        entities=entities,
        triples=triples,
        values=values,
    )


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _count_words(doc: Doc) -> int:
    return sum(1 for t in doc if not t.is_space)


# --- inputs: the documents to build, checked, in order ---------------------


def _corpus_name(specs: Sequence[str | Path]) -> str | None:
    """Return the page title a build's inputs give: the folder's or file's name.

    Document ids are relative to their input, so the page cannot find the
    corpus name in them; several inputs give ``None`` (the page's default).

    >>> _corpus_name(["/data/news-2024/"]), _corpus_name(["story.txt"])
    ('news-2024', 'story')
    >>> _corpus_name(["a.txt", "b.txt"]) is None
    True
    """
    if len(specs) != 1 or str(specs[0]).startswith("@") or is_glob(str(specs[0])):
        return None
    path = Path(specs[0])
    name = path.resolve().name if path.is_dir() or not path.suffix else path.stem
    return name or None


@dataclass(slots=True)
class _Tally:
    jobs: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)


def _iter_jobs(
    paths: Iterable[str | Path],
    config: BuildConfig,
    stored: Callable[[str], str | None],
    tally: _Tally,
) -> Iterator[DocumentJob]:
    """Read the inputs in order; yield those the store lacks (or all, on refresh)."""
    max_chars = config.limits.max_document_chars
    for item in iter_sources(paths, max_chars=max_chars):
        if isinstance(item, Skipped):
            tally.skipped.append(str(item))
            continue
        try:
            text = read_source(item, max_chars=max_chars)
        except LimitError as exc:
            tally.skipped.append(f"{exc}; skipped")
            continue
        sha = _sha256(text)
        if not config.refresh and stored(item.doc_id) == sha:
            tally.unchanged += 1
            continue
        yield DocumentJob(tally.jobs, item.doc_id, item.label, text, sha)
        tally.jobs += 1


def _stored_hashes(out: Path) -> Callable[[str], str | None]:
    """Look inputs up in the store one by one (never a listing of the store)."""
    if not has_store(out):
        return lambda _doc_id: None
    store = open_store(out)
    return functools.partial(stored_hash, store)


# --- parsing and extracting: the same code here, in a worker, on a cluster --


def _prepare_text(job: DocumentJob, limits: Limits) -> tuple[str, list[str]]:
    text, spans = mask_nesting(job.text, limits.max_nesting)
    notes: list[str] = []
    if spans:
        chars = sum(b - a for a, b in spans)
        first, last = spans[0][0], spans[-1][1]
        notes.append(
            f"{job.doc_id!r}: {chars:,} characters nested over "
            f"{limits.max_nesting} brackets or quotation marks deep left out "
            f"(characters {first:,}-{last:,}; --max-nesting)"
        )
    text, spans = mask_long_words(text, limits.max_word_chars)
    if spans:
        chars = sum(b - a for a, b in spans)
        notes.append(
            f"{job.doc_id!r}: {chars:,} characters of {len(spans):,} word(s) longer "
            f"than {limits.max_word_chars:,} characters left out (--max-word-chars)"
        )
    return text, notes


def _pieces(
    jobs: Iterable[DocumentJob], limits: Limits, piece_chars: int
) -> Iterator[tuple[str, tuple[DocumentJob, int, int, list[str]]]]:
    for job in jobs:
        text, notes = _prepare_text(job, limits)
        parts, hard = split_text(text, piece_chars)
        if hard:
            notes.append(
                f"{job.doc_id!r}: {hard} piece(s) of {piece_chars:,} characters "
                "without a space cut for the parser"
            )
        for k, part in enumerate(parts):
            yield part, (job, k, len(parts), notes)


def _parse_jobs(
    jobs: Iterable[DocumentJob], nlp: Language, *, limits: Limits, batch_size: int
) -> Iterator[tuple[DocumentJob, Doc, list[str]]]:
    """Parse documents in a stream; a long one in pieces joined again.

    Yields each job with its ``Doc`` (offsets those of the job's text) and
    the warnings of the limits it met, in the order of ``jobs``.
    """
    if SENTENCE_LIMIT in nlp.pipe_names:
        component = nlp.get_pipe(SENTENCE_LIMIT)
        component.max_tokens = limits.max_sentence_tokens  # type: ignore[attr-defined]
    piece_chars = min(PIECE_CHARS, nlp.max_length)
    parts: list[Doc] = []
    stream = _pieces(jobs, limits, piece_chars)
    parsed = nlp.pipe(stream, as_tuples=True, batch_size=batch_size)
    for doc, (job, k, n, notes) in parsed:
        parts.append(doc)
        if k < n - 1:
            continue
        cuts = sum(int(part.user_data.pop(CUTS_KEY, 0)) for part in parts)
        whole = parts[0] if n == 1 else Doc.from_docs(parts, ensure_whitespace=False)
        parts = []
        if cuts:
            notes.append(
                f"{job.doc_id!r}: {cuts} stretch(es) of over "
                f"{limits.max_sentence_tokens} tokens without a sentence end cut "
                "into sentences (--max-sentence-tokens)"
            )
        yield job, whole, notes


def _extract_job(
    job: DocumentJob,
    doc: Doc,
    notes: Sequence[str],
    config: BuildConfig,
    *,
    prepare: bool,
) -> Extracted:
    document = extract_document(
        doc,
        doc_id=job.doc_id,
        source=job.label,
        resolver=config.resolver,
        extractor=config.extractor,
        sha256=job.sha256,
    )
    return Extracted(
        job.index,
        document,
        _count_words(doc),
        prepare_document(document) if prepare else None,
        tuple(notes),
    )


def extract_jobs(
    jobs: Iterable[DocumentJob],
    nlp: Language,
    config: BuildConfig,
    *,
    prepare: bool,
    zone: int | None = None,
) -> Iterator[Extracted]:
    """Parse and extract documents in one process, in order (a cluster task's work).

    ``zone`` documents are parsed and extracted in one spaCy memory zone
    (:func:`kg.nlp.parse_in_zones`; None: its default, 0: none).

    Examples
    --------
    >>> job = DocumentJob(0, "a", "a", "Ada Lovelace met Charles Babbage.", "0" * 64)
    >>> done = extract_jobs([job], nlp, BuildConfig(), prepare=False)
    >>> [e.document.doc_id for e in done]
    ['a']
    """

    def work(chunk: Iterable[DocumentJob]) -> Iterator[Extracted]:
        for job, doc, notes in _parse_jobs(
            chunk, nlp, limits=config.limits, batch_size=config.batch_size
        ):
            yield _extract_job(job, doc, notes, config, prepare=prepare)

    yield from parse_in_zones(nlp, jobs, work, size=zone)  # Extracted leave a zone


#: Docs a worker may have queued before the parser waits for it.
_MAX_PENDING = 64


def _workers(config: BuildConfig, files: int) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    if config.workers is not None:
        if config.workers < 0:
            raise ConfigError(f"workers must be 0 or more, not {config.workers}")
        if config.workers > max(8, 4 * cores):  # each is a process, forked at once
            raise ConfigError(
                f"workers must be at most {max(8, 4 * cores)} on {cores} cores, "
                f"not {config.workers}"
            )
        return config.workers
    return 1 if cores >= 2 and files > 2 * config.batch_size else 0


def _extract_bytes(
    data: dict[str, object],
    job: DocumentJob,
    notes: list[str],
    config: BuildConfig,
) -> Extracted:
    """Worker side: rebuild the ``Doc`` from its bytes, extract it, convert it.

    The result carries the document's own quads serialised
    (:func:`kg.store.prepare_document`), which the store loads and
    ``graph.ttl`` takes as they are when merging leaves the document
    unchanged.
    """
    # no memory zone here: a zone for each document would add the strings of
    # every document again, for about 6 MiB of the worker's RSS
    doc = Doc(load_pipeline(config.model).vocab).from_dict(data)
    return _extract_job(job, doc, notes, config, prepare=True)


def _warm_worker(model: str | None) -> None:
    load_pipeline(model)  # inherited when forked, loaded once when spawned


def iter_documents(
    files: Sequence[Path], nlp: Language, *, config: BuildConfig = BuildConfig()
) -> Iterator[tuple[Document, int]]:
    """Parse files in a stream with ``nlp.pipe`` and yield each extraction.

    Only a few batches of ``Doc`` objects are alive at a time. Yields pairs
    of the :class:`Document` and its word count, in the order of ``files``,
    whether the extraction runs here or in worker processes
    (``config.workers``). Every file is built (``config.refresh`` is not
    needed; no store is read).

    Examples
    --------
    >>> files = [Path("seeds/tiger-king-pardon.txt")]
    >>> [d.doc_id for d, _words in iter_documents(files, nlp)]
    ['seeds/tiger-king-pardon.txt']
    """
    tally = _Tally()
    jobs = _iter_jobs(files, replace(config, refresh=True), lambda _: None, tally)
    for extracted in _iter_extracted(jobs, nlp, config=config, total=len(files)):
        yield extracted.document, extracted.words


def _iter_extracted(
    jobs: Iterable[DocumentJob], nlp: Language, *, config: BuildConfig, total: int
) -> Iterator[Extracted]:
    """Parse here; extract here or in a worker process; in input order."""
    workers = _workers(config, total)
    if workers == 0:
        yield from extract_jobs(jobs, nlp, config, prepare=False)
        return
    parsed = parse_in_zones(  # each Doc leaves its zone as a dict, for the worker
        nlp,
        jobs,
        functools.partial(
            _parse_jobs, nlp=nlp, limits=config.limits, batch_size=config.batch_size
        ),
    )
    # fork shares the loaded pipeline with the worker; spawn loads it again
    methods = mp.get_all_start_methods()
    context = mp.get_context("fork" if "fork" in methods else "spawn")
    with context.Pool(
        workers, initializer=_warm_worker, initargs=(config.model,)
    ) as pool:
        pending: deque[AsyncResult[Extracted]] = deque()
        for job, doc, notes in parsed:
            data = doc.to_dict(exclude=["tensor", "user_data"])
            task = (data, replace(job, text=""), notes, config)
            pending.append(pool.apply_async(_extract_bytes, task))
            while pending and (pending[0].ready() or len(pending) > _MAX_PENDING):
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


_Extract = Callable[
    [Iterable[DocumentJob], int, Callable[[Document], None] | None], Iterator[Extracted]
]


@contextlib.contextmanager
def _extraction(config: BuildConfig) -> Iterator[_Extract]:
    """Where documents are parsed and extracted: here, or on a Dask cluster."""
    if config.cluster is not None:
        from kg.cluster import ClusterExtraction, connect

        with connect(config.cluster, model=config.model) as client:
            yield ClusterExtraction(client, config)
        return
    nlp = load_pipeline(config.model)

    def extract_here(
        jobs: Iterable[DocumentJob],
        total: int,
        on_done: Callable[[Document], None] | None,
    ) -> Iterator[Extracted]:
        for extracted in _iter_extracted(jobs, nlp, config=config, total=total):
            if on_done is not None:
                on_done(extracted.document)
            yield extracted

    yield extract_here


def _check_out(out: Path) -> None:
    """Refuse an output folder kg cannot write, before any work; leave no trace."""
    try:
        if out.exists() and not out.is_dir():
            raise ConfigError(f"output path {str(out)!r} exists and is not a directory")
        created = [p for p in (out, *out.parents) if not os.path.lexists(p)]
    except OSError as exc:  # a name too long, say
        raise ConfigError(
            f"cannot use {str(out)!r} as the output folder ({exc.strerror or exc})"
        ) from exc
    for derived in ("graph.ttl", "graph.html"):  # replaced after the store switches
        check_destination(out / derived)
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".kg-probe.", dir=out)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ConfigError(
            f"cannot write to the output folder {str(out)!r} "
            f"({exc.strerror or exc}); choose another with --out"
        ) from exc
    finally:
        for folder in created:  # deepest first
            with contextlib.suppress(OSError):
                folder.rmdir()


def _nothing_to_build(tally: _Tally) -> InputError:
    return InputError(
        f"nothing to build: every input was skipped ({len(tally.skipped)}; "
        f"first: {tally.skipped[0]})"
        if tally.skipped
        else "nothing to build"
    )


def run_build(
    paths: Iterable[str | Path],
    *,
    config: BuildConfig = BuildConfig(),
    on_document: Callable[[Document], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build the graph of the given inputs and write it under ``config.out``.

    Every input is checked before anything is parsed or written; outputs are
    written through temporary files and renamed, so a failed build leaves an
    existing output folder as it was. Inputs the store holds with the same
    content are not parsed again; when that is all of them, nothing is
    written at all (the report says how many were unchanged). An input over
    a limit is skipped, and part of one blanked or cut, with a warning
    (``on_warning``, else the log), never silently.

    Parameters
    ----------
    paths
        Input specs (:mod:`kg.inputs`): files, folders, glob patterns and
        ``@LIST`` files (the last two as strings).
    config
        The build's options.
    on_document
        Called with each document as its extraction completes.
    on_start
        Called with the number of documents to extract, before the first.
    on_warning
        Called with each one-line warning.

    Raises
    ------
    InputError
        An input is missing, special, empty, binary or not UTF-8, or every
        input was skipped.
    ConfigError
        A bad option, output folder or cluster address.
    ModelNotFoundError
        The spaCy pipeline is not installed.
    """
    started = time.perf_counter()
    paths = list(paths)  # the specs (not the files they name): read twice
    warn = on_warning if on_warning is not None else log.warning
    remote: RemoteStore | None = None
    stored: Callable[[str], str | None]
    if config.store is not None:
        from kg.remote import RemoteStore, remote_documents
        from kg.remote_curation import curate_remote

        remote = RemoteStore.parse(config.store)
        stored = remote_documents(remote).get  # a store that is down stops here
        curate_remote(remote, config.out)  # OUT/curation.txt reaches the store first
    else:
        _check_out(config.out)
        wants_derived(config.derived, ".")  # an unknown policy stops here
        stored = (lambda _: None) if config.refresh else _stored_hashes(config.out)
    checked = _Tally()
    for _job in _iter_jobs(paths, config, stored, checked):
        pass  # the first pass reads and checks every input
    warnings = list(checked.skipped)
    for line in warnings:
        warn(line)
    if checked.jobs == 0:
        if checked.unchanged == 0:
            raise _nothing_to_build(checked)
        outputs = () if remote is not None else _repair(paths, config, warn)
        return BuildReport(
            0, 0, 0, 0, 0, time.perf_counter() - started, outputs=outputs,
            unchanged=checked.unchanged, warnings=tuple(warnings),
        )  # fmt: skip
    run = _Run(config, warn)
    with _extraction(config) as extract:
        if on_start is not None:
            on_start(checked.jobs)
        jobs = _iter_jobs(paths, config, stored, _Tally())
        extracted = extract(jobs, checked.jobs, on_document)
        if remote is not None:
            # with --store, documents go out in batches as they come (kg.remote)
            from kg.link import read_curation
            from kg.remote import RemoteBatches

            batches = RemoteBatches(remote, curation=read_curation(config.out))
            for one in extracted:
                batches.add(run.take(one))
            batches.close()
            return _report(run, started, checked)
        written = _write_local(run, extracted, paths, checked.jobs, extract)
    render = run.page.reports[-1] if run.page.reports else None
    html = config.out / "graph.html"
    if render is not None:
        render = replace(render, path=html)
    behind = [n for n in ("graph.ttl", "graph.html") if n not in written.derived]
    if behind and (config.page or "graph.ttl" in behind):
        warn(
            f"{' and '.join(behind)} not rewritten (--derived {config.derived}: "
            f"the store is over {AUTO_DERIVE_BYTES // 2**20} MB); "
            f"`kg render --out {config.out}` writes them"
            if config.derived == "auto"
            else f"{' and '.join(behind)} not rewritten (--derived "
            f"{config.derived}); `kg render --out {config.out}` writes them"
        )
    outputs = tuple(config.out / name for name in written.derived)
    return _report(run, started, checked, outputs=outputs, render=render)


# the write side of a build (kept apart: kg.build_output imports kg.build lazily)
from kg.build_output import (  # noqa: E402
    _repair,
    _report,
    _Run,
    _write_local,
)
