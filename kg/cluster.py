"""Fan a build out over a Dask cluster (``kg build --cluster``).

``--cluster ADDRESS`` connects to a running scheduler (``tcp://host:8786``,
started with ``dask scheduler``; workers with ``dask worker ADDRESS``, in an
environment where kg and its spaCy pipeline are installed); ``--cluster
local:N`` starts a :class:`distributed.LocalCluster` of N worker processes
(one thread each) for the build and stops it after.

The client reads the inputs (:mod:`kg.inputs`) and sends their *texts* in
chunks (a few documents, a bounded number of characters) as tasks; each
worker parses and extracts them with its own pipeline, loaded once when it
joins (:class:`PipelinePlugin`, a worker plugin, so a worker that joins
late or is restarted loads it too), and sends back the documents with their
quads serialised (:class:`kg.build.Extracted`). At most a few chunks per
worker thread are in flight or waiting to be merged, so the client's memory
does not grow with the corpus while it extracts; results are taken as they
complete (the progress bar follows them) and handed on in input order, so the
graph is the one a local build writes. A worker killed mid-build loses
nothing: the scheduler runs its tasks again on another worker (a task that
kills workers repeatedly stops the build with an error).

The corpus entity resolution runs on the cluster too (:mod:`kg.link.shuffle`):
the task that extracts a chunk also summarises its documents' entities (the
map) and splits the summaries by the reduce partition of their block keys;
those parts stay on the workers. The build writes its documents in batches
of about ``BuildConfig.batch_words`` words as they come, as a local build
does (:func:`kg.store.write_batches`); for each batch, one reduce task per
partition gathers the parts of the batch's chunks, finds the candidate pairs
of its blocks among the batch's entities and judges them; only the judged
pairs (entity places and evidence) come back, and the client clusters over
them as the batch's corpus step (:meth:`ClusterExtraction.premap`, given to
:func:`kg.link.link_into_store`). A chunk's parts are released once its
documents are all written, so neither the client nor the workers hold more
than a batch and the chunks in flight: the graph is the one a local build
with the same batches writes.
"""

from __future__ import annotations

import contextlib
import logging
import pickle
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import dask.config
from distributed import (
    Client,
    LocalCluster,
    Worker,
    WorkerPlugin,
    as_completed,
    get_worker,
)

from kg.build import BuildConfig, DocumentJob, Extracted, extract_jobs
from kg.build_output import _trim_heap
from kg.errors import ConfigError, ExtractionError
from kg.link.shuffle import (
    POSITION_BITS,
    MapPart,
    Premapped,
    ScoredPair,
    map_summaries,
)
from kg.link.shuffle import score_partition as _score_partition
from kg.link.summary import DocumentSummary, summarize_document
from kg.nlp import load_pipeline
from kg.types import Document

if TYPE_CHECKING:
    from distributed import Future

__all__ = [
    "LOCAL_PREFIX",
    "ClusterExtraction",
    "PipelinePlugin",
    "connect",
    "iter_cluster",
    "map_documents",
    "parse_address",
    "reduce_pairs",
]

log = logging.getLogger(__name__)

#: ``--cluster local:N``: a local cluster of N worker processes.
LOCAL_PREFIX = "local:"
#: Seconds to wait for a scheduler before giving up.
CONNECT_TIMEOUT = 10
#: A task holds at most this many documents, and stops growing past this
#: many characters.
CHUNK_DOCUMENTS = 16
CHUNK_CHARS = 200_000
#: Chunks in flight or waiting to be merged, per worker thread.
CHUNKS_PER_THREAD = 2
#: Reduce partitions of the corpus step, per worker thread.
PARTS_PER_THREAD = 2
#: A local cluster's housekeeping, relaxed: the statistical profiler off, the
#: event-loop tick, system and memory monitors at 1-2 s instead of 20-500 ms
#: (idle, a one-worker cluster used 6% of a core; so, 1%).
_LOCAL_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",
}
#: A local cluster's workers send their heartbeat every 2 s, not every 0.5 s
#: (Dask's pace up to 10 workers): each costs the worker and the scheduler
#: (in the client's process) a few ms, about 3% of a build's CPU at 0.5 s. A
#: worker that dies is noticed by its closed connection, not by heartbeats.
LOCAL_HEARTBEAT_S = 2.0
_ADDRESS = re.compile(r"^(?:[a-z][a-z0-9+]*://)?[^\s/:]+(?::\d+)?$|^[a-z]+://\S+$")


def parse_address(address: str) -> int | str:
    """Return N of ``local:N``, or the scheduler address; refuse a malformed one.

    Raises
    ------
    ConfigError
        ``local:`` without a positive count, or an address with spaces.

    Examples
    --------
    >>> parse_address("local:2"), parse_address("tcp://127.0.0.1:8786")
    (2, 'tcp://127.0.0.1:8786')
    """
    if address.startswith(LOCAL_PREFIX):
        count = address[len(LOCAL_PREFIX) :]
        if not count.isdigit() or int(count) < 1:
            raise ConfigError(
                f"--cluster {address!r}: local:N needs a number of workers, "
                "e.g. local:2"
            )
        return int(count)
    if not _ADDRESS.match(address):
        raise ConfigError(
            f"--cluster {address!r} is not a scheduler address; "
            "give tcp://HOST:PORT or local:N"
        )
    return address


#: A sentence a worker parses as it joins (its pipeline's first use).
_WARM_UP = "Ada Brennan met the mayor of Oakridge in March, and she said so."


class PipelinePlugin(WorkerPlugin):
    """Load the spaCy pipeline once on each worker, as it joins.

    Examples
    --------
    >>> PipelinePlugin(None).name
    'kg-pipeline'
    """

    name = "kg-pipeline"

    def __init__(self, model: str | None) -> None:
        self.model = model

    def setup(self, worker: Worker) -> None:
        """Load the pipeline in the worker's process (cached there), and warm it.

        A pipeline's first document costs about half a second more than the
        next (tables loaded on first use); run here, as the worker joins,
        it is not paid by the first chunk of every build.
        """
        load_pipeline(self.model)(_WARM_UP)


@contextlib.contextmanager
def _quiet(level: int) -> Iterator[None]:
    logger = logging.getLogger("distributed")
    before = logger.level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(before)


def _remote(address: str) -> Client:
    try:
        with _quiet(logging.CRITICAL):
            return Client(  # type: ignore[no-untyped-call]
                address, timeout=CONNECT_TIMEOUT, set_as_default=False
            )
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(
            f"cannot reach the Dask scheduler at {address!r} ({reason[:120]}); "
            "start one with `dask scheduler`, or use --cluster local:N"
        ) from exc


@contextlib.contextmanager
def _slow_heartbeats() -> Iterator[None]:
    """Slow a local cluster's heartbeats while it runs (its scheduler is here)."""
    import distributed.scheduler

    dask_pace = distributed.scheduler.heartbeat_interval

    def pace(n: int) -> float:
        return max(LOCAL_HEARTBEAT_S, dask_pace(n))

    distributed.scheduler.heartbeat_interval = pace
    try:
        yield
    finally:
        distributed.scheduler.heartbeat_interval = dask_pace


@contextlib.contextmanager
def connect(address: str, *, model: str | None = None) -> Iterator[Client]:
    """Connect to a scheduler (or start ``local:N``) with the pipeline on each worker.

    Raises
    ------
    ConfigError
        A malformed address, or no scheduler answering there.
    ModelNotFoundError
        A worker cannot load the pipeline.
    """
    target = parse_address(address)
    cluster: LocalCluster | None = None
    paced = contextlib.ExitStack()
    if isinstance(target, int):
        paced.enter_context(_slow_heartbeats())
        # the nannies pass this config on to the workers
        with _quiet(logging.ERROR), dask.config.set(_LOCAL_CONFIG):
            cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=target,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=logging.ERROR,
            )
            client = Client(cluster, set_as_default=False)  # type: ignore[no-untyped-call]
    else:
        client = _remote(address)
    try:
        with _quiet(logging.ERROR):
            client.register_plugin(PipelinePlugin(model))
            yield client
    finally:
        # the scheduler and nannies log each step of closing at INFO
        with _quiet(logging.ERROR):
            client.close()  # type: ignore[no-untyped-call]
            if cluster is not None:
                cluster.close()
        paced.close()


#: A map task's result: what goes to the client, and one part per reduce
#: partition (which stays on the cluster), each pickled: ``distributed``
#: serialises a big list of small objects item by item, 100 times slower.
_Chunk = tuple[bytes, tuple[bytes, ...]]


def _pack(value: object) -> bytes:
    return pickle.dumps(value, protocol=5)


def _run_chunk(
    chunk: list[DocumentJob], config: BuildConfig, number: int, parts: int
) -> _Chunk:
    """Worker side: extract a chunk of documents (in its order), and map them.

    Returns the documents with their entity summaries, and those split by
    the ``parts`` reduce partitions of their block keys (none if 0).
    """
    nlp = load_pipeline(config.model)
    # spaCy's memory zones are the process's: a worker of several threads
    # parses without them (its vocabulary grows with the word forms it sees)
    zone = None if get_worker().state.nthreads == 1 else 0
    done = list(extract_jobs(chunk, nlp, config, prepare=True, zone=zone))
    if parts == 0:
        result: _Chunk = (_pack((done, [() for _ in done])), ())
    else:
        summaries = [summarize_document(e.document) for e in done]
        split = map_summaries(summaries, chunk=number, parts=parts)
        result = (_pack((done, summaries)), tuple(_pack(p) for p in split))
    del done
    # the chunk's parses, freed, back to the system (as the client does
    # after each batch): without it a worker keeps the high-water mark
    _trim_heap()
    return result


def map_documents(documents: Sequence[Document], number: int, parts: int) -> _Chunk:
    """Map a chunk of extracted documents: summaries, and their parts by partition.

    What :func:`_run_chunk` does after extracting, for documents at hand.

    Examples
    --------
    >>> head, split = map_documents([], 0, 2)
    >>> pickle.loads(head), len(split)
    ([], 2)
    """
    summaries = [summarize_document(d) for d in documents]
    split = map_summaries(summaries, chunk=number, parts=parts)
    return _pack(summaries), tuple(_pack(p) for p in split)


def _head(result: _Chunk) -> bytes:
    """Return what of a map task's result goes to the client."""
    return result[0]


def _part(result: _Chunk, part: int) -> bytes:
    """Return one reduce partition's share of a map task's result."""
    return result[1][part]


def _reduce(part: int, parts: int, within: tuple[int, int], *pieces: bytes) -> bytes:
    """Worker side: the judged candidate pairs of one partition's blocks."""
    found: list[MapPart] = [pickle.loads(piece) for piece in pieces]  # noqa: S301
    return _pack(_score_partition(part, parts, found, within))


def reduce_pairs(
    client: Client,
    pieces: Sequence[Sequence[Future[bytes]]],
    within: tuple[int, int] = (0, 1 << 62),
) -> tuple[ScoredPair, ...]:
    """Run one reduce task per partition over the map's parts; gather the pairs.

    ``pieces[p]`` are the futures of the chunks' parts for partition ``p``
    (the caller releases them); ``within`` the range of places kept.
    """
    parts = len(pieces)
    futures = [
        client.submit(_reduce, p, parts, within, *pieces[p], pure=False)
        for p in range(parts)
    ]
    packed: list[bytes] = client.gather(futures)  # type: ignore[no-untyped-call]
    found: list[list[ScoredPair]] = [pickle.loads(p) for p in packed]  # noqa: S301
    for done in futures:
        done.release()  # type: ignore[no-untyped-call]
    return tuple(pair for part in found for pair in part)


def _chunks(jobs: Iterable[DocumentJob]) -> Iterator[list[DocumentJob]]:
    chunk: list[DocumentJob] = []
    chars = 0
    for job in jobs:
        chunk.append(job)
        chars += len(job.text)
        if len(chunk) >= CHUNK_DOCUMENTS or chars >= CHUNK_CHARS:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


def _threads(client: Client) -> int:
    workers = client.scheduler_info().get("workers", {})
    return max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))


def _result(future: Future[bytes]) -> tuple[list[Extracted], list[DocumentSummary]]:
    from distributed.scheduler import KilledWorker

    try:
        result: tuple[list[Extracted], list[DocumentSummary]] = pickle.loads(  # noqa: S301
            future.result()
        )
    except KilledWorker as exc:
        raise ExtractionError(
            "a chunk of documents killed every worker that ran it "
            f"({exc}); build them alone to find the one at fault"
        ) from exc
    return result


@dataclass(slots=True)
class _Chunks:
    """The corpus step's state of the chunks whose documents are not all written.

    ``parts[c]`` are chunk ``c``'s map parts (futures, one per reduce
    partition, on the workers); ``left[c]`` its documents not yet written;
    ``places`` each document handed out but not yet written: its chunk, the
    position of its first entity in the chunk, and its summaries.
    """

    parts: dict[int, tuple[Future[bytes], ...]] = field(default_factory=dict)
    left: dict[int, int] = field(default_factory=dict)
    places: dict[str, tuple[int, int, DocumentSummary]] = field(default_factory=dict)

    def batch(self, documents: Sequence[Document]) -> _Batch | None:
        """Take a batch's documents out; return their chunks' parts and places."""
        found = [self.places.pop(d.doc_id, None) for d in documents]
        for place in found:
            if place is not None:
                self.left[place[0]] -= 1
        if not found or any(p is None for p in found):
            self.release()
            return None
        places = [p for p in found if p is not None]
        summaries = {d.doc_id: p[2] for d, p in zip(documents, places, strict=True)}
        offsets: dict[int, int] = {}
        index = 0
        for chunk, position, summary in places:
            offsets.setdefault(chunk, index - position)
            index += len(summary)
        first, last = places[0], places[-1]
        within = (
            (first[0] << POSITION_BITS) + first[1],
            (last[0] << POSITION_BITS) + last[1] + len(last[2]),
        )
        pieces = [self.parts[c] for c in offsets]
        by_part = [[piece[p] for piece in pieces] for p in range(len(pieces[0]))]
        return _Batch(summaries, offsets, within, by_part)

    def release(self) -> None:
        """Release the parts of the chunks whose documents are all written."""
        for chunk in [c for c, n in self.left.items() if n <= 0]:
            for future in self.parts.pop(chunk):
                future.release()  # type: ignore[no-untyped-call]
            del self.left[chunk]


@dataclass(frozen=True, slots=True)
class _Batch:
    summaries: dict[str, DocumentSummary]
    offsets: dict[int, int]
    within: tuple[int, int]
    pieces: list[list[Future[bytes]]]


class ClusterExtraction:
    """Extract documents on a cluster, and run the corpus step's map and reduce.

    Called like :func:`iter_cluster` (without the client and config). As a
    build writes its documents in batches, :meth:`premap` runs the reduce
    tasks of each batch's documents (given to :func:`kg.store.write_batches`
    as ``premapped``). ``held`` and ``held_peak`` count the chunks in
    flight or held on the client for ordering (never over the bound).
    """

    def __init__(self, client: Client, config: BuildConfig) -> None:
        self.client = client
        self.config = config
        self.chunks = _Chunks()
        self.held_peak = 0

    def __call__(
        self,
        jobs: Iterable[DocumentJob],
        total: int,
        on_done: Callable[[Document], None] | None = None,
    ) -> Iterator[Extracted]:
        """Yield the extracted documents in input order.

        A build into an external store (``--store URL``) links its batches
        there (:mod:`kg.remote`), without the reduce.
        """
        link = self if self.config.store is None else None
        return iter_cluster(self.client, self.config, jobs, total, on_done, link=link)

    def premap(self, documents: Sequence[Document]) -> Premapped | None:
        """Run the reduce tasks over a batch's documents; return what they found.

        The documents are the next ones :meth:`__call__` gave out, in order;
        the parts of their chunks are released once all of a chunk's
        documents are written. None for documents not extracted here.
        """
        batch = self.chunks.batch(documents)
        if batch is None:
            return None
        try:
            pairs = reduce_pairs(self.client, batch.pieces, batch.within)
        finally:
            self.chunks.release()
        return Premapped(batch.summaries, pairs, batch.offsets)


def iter_cluster(
    client: Client,
    config: BuildConfig,
    jobs: Iterable[DocumentJob],
    total: int,
    on_done: Callable[[Document], None] | None = None,
    *,
    link: ClusterExtraction | None = None,
) -> Iterator[Extracted]:
    """Extract documents on the cluster; yield them in input order.

    ``on_done`` is called with each document as its chunk completes
    (whatever the order); at most ``CHUNKS_PER_THREAD`` chunks per worker
    thread are in flight or held for ordering. With ``link``, the chunks'
    corpus-step parts stay on the cluster, for ``link.premap`` to reduce
    batch by batch.

    Raises
    ------
    ExtractionError
        A chunk killed the workers it ran on (``distributed``'s allowed
        failures).
    """
    del total  # the cluster takes work as it comes
    threads = _threads(client)
    limit = CHUNKS_PER_THREAD * threads
    parts = PARTS_PER_THREAD * threads if link is not None else 0
    chunks = enumerate(_chunks(jobs))
    numbers: dict[object, int] = {}
    ready: dict[int, list[tuple[Extracted, DocumentSummary]]] = {}
    pending = as_completed(loop=client.loop)  # type: ignore[no-untyped-call]
    next_out = 0

    def fill() -> None:
        while len(numbers) + len(ready) < limit:
            item = next(chunks, None)
            if item is None:
                return
            number, chunk = item
            whole = client.submit(_run_chunk, chunk, config, number, parts, pure=False)
            future = client.submit(_head, whole, pure=False)
            if link is not None:
                link.chunks.parts[number] = tuple(
                    client.submit(_part, whole, p, pure=False) for p in range(parts)
                )
                link.chunks.left[number] = len(chunk)
            whole.release()  # type: ignore[no-untyped-call]
            numbers[future.key] = number
            pending.add(future)  # type: ignore[no-untyped-call]
        if link is not None:
            link.held_peak = max(link.held_peak, len(numbers) + len(ready))

    fill()
    for future in pending:
        number = numbers.pop(future.key)
        done, summarised = _result(future)
        future.release()
        if on_done is not None:
            for extracted in done:
                on_done(extracted.document)
        ready[number] = list(zip(done, summarised, strict=True))
        while next_out in ready:
            position = 0
            for extracted, summary in ready.pop(next_out):
                if link is not None:
                    place = (next_out, position, summary)
                    link.chunks.places[extracted.document.doc_id] = place
                    position += len(summary)
                yield extracted
            next_out += 1
        fill()
