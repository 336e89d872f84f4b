"""Writing to the embedded store: add documents (in batches), remove them.

Every write is one atomic generation (:mod:`kg.generations`). What a write
reads of the store follows what it writes: each document is looked up by
its IRI (:func:`kg.store_documents.stored_hash`), removed through its own
nodes (:func:`kg.store_documents.remove_document`), and resolved against
the stored entities of its blocks only (:func:`kg.link.link_into_store`);
the store is never listed, counted (unless asked) or re-serialised. The
files derived from the whole store, ``graph.ttl`` and ``graph.html``, are
rewritten by a write only under its derived-files policy
(:data:`DERIVED_POLICIES`): by default while the store is small; past that
they are recorded as behind the store and ``kg render`` writes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

import pyoxigraph as ox

from kg.errors import ConfigError
from kg.generations import StagedStore, _stage_outputs, _transact, _transact_staged
from kg.generations import folder_bytes as store_bytes
from kg.rdf import NS, document_iri, entity_quads, mint_iri, own_quads, preferred_label
from kg.store_documents import (
    PreparedDocument,
    _turtle_body,
    _turtle_header,
    remove_document,
    stored_hash,
)
from kg.types import Document, Entity

if TYPE_CHECKING:
    from kg.link.curation import Curation
    from kg.link.shuffle import Premapped
    from kg.store import StoredDocument

#: ``on_merged`` of a write: the documents as they will be stored, whether
#: the store held nothing before them, and the quads of their entity links
OnMerged = Callable[[Sequence[Document], bool, Sequence[ox.Quad]], None]

_DEFAULT = ox.DefaultGraph()
_RDFS_LABEL = ox.NamedNode(str(NS["rdfs"]["label"]))
_SKOS_ALT = ox.NamedNode(str(NS["skos"]["altLabel"]))
_SKOS_PREF = ox.NamedNode(str(NS["skos"]["prefLabel"]))
_IS_PART_OF = ox.NamedNode(str(NS["dcterms"]["isPartOf"]))


def _text(term: object) -> str:
    return str(getattr(term, "value", "")) if term is not None else ""


@dataclass(frozen=True, slots=True)
class WriteReport:
    """What one write to the store changed.

    Examples
    --------
    >>> WriteReport(10, 14, ("a.txt",), ()).added
    4
    """

    #: triple counts, when the write was asked to count (a full scan each)
    triples_before: int | None
    triples_after: int | None
    written: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: tuple[str, ...] = ()
    #: the derived files the write rewrote (graph.ttl, graph.html)
    derived: tuple[str, ...] = ()

    @property
    def added(self) -> int | None:
        """Net number of triples added (negative when the store shrank)."""
        if self.triples_after is None or self.triples_before is None:
            return None
        return self.triples_after - self.triples_before


__all__ = [
    "AUTO_DERIVE_BYTES",
    "DERIVED_POLICIES",
    "Batch",
    "WriteReport",
    "remove_documents",
    "store_bytes",
    "wants_derived",
    "write_batches",
    "write_documents",
]


def _canonical_classes(
    documents: Sequence[Document], existing: Sequence[Entity]
) -> tuple[Document, ...]:
    """Give entities merged into stored ones the stored class.

    The first document to mention an entity fixes its class, so adding or
    removing a later one never retypes it. (Labels are settled afterwards by
    :func:`_settle_labels`.)
    """
    known = {e.key: e.label for e in existing}
    out: list[Document] = []
    for document in documents:
        entities = tuple(
            replace(e, label=known[e.key])
            if known.get(e.key, e.label) != e.label
            else e
            for e in document.entities
        )
        out.append(replace(document, entities=entities))
    return tuple(out)


def _settle_labels(store: ox.Store, entities: Iterable[ox.NamedNode]) -> bool:
    """Leave each entity one label, the fullest of its names; the rest are aliases.

    Returns whether any entity had more than one.
    """
    settled = False
    for entity in entities:
        labels = {
            _text(q.object)
            for q in store.quads_for_pattern(entity, _SKOS_PREF, None, _DEFAULT)
        }
        if len(labels) <= 1:
            continue
        best = preferred_label(labels)
        for predicate in (_SKOS_PREF, _RDFS_LABEL):
            for quad in list(
                store.quads_for_pattern(entity, predicate, None, _DEFAULT)
            ):
                store.remove(quad)
            store.add(ox.Quad(entity, predicate, ox.Literal(best), _DEFAULT))
        for name in labels - {best}:
            store.add(ox.Quad(entity, _SKOS_ALT, ox.Literal(name), _DEFAULT))
        settled = True
    return settled


#: ``kg build --derived``: when a write rewrites graph.ttl and graph.html.
DERIVED_POLICIES = ("auto", "always", "never")
#: ``auto`` rewrites them while the store is at most this big on disk (about
#: 250,000 words of news); past it they are left behind the store (recorded,
#: :func:`kg.generations.stale_files`) and ``kg render`` writes them.
AUTO_DERIVE_BYTES = 64 * 1024 * 1024

#: One batch of a write: extracted documents and those serialised ahead.
Batch = tuple[Sequence[Document], Mapping[str, PreparedDocument]]
#: The corpus step's map and reduce run ahead (:class:`kg.link.Premapped`), or
#: a function giving them for each batch's documents (a cluster build's).
Premapping: TypeAlias = "Premapped | Callable[[Sequence[Document]], Premapped | None]"


def wants_derived(policy: str, folder: Path | str) -> bool:
    """Tell whether a write under ``policy`` rewrites the files derived from a store.

    Raises
    ------
    ConfigError
        An unknown policy.

    Examples
    --------
    >>> import tempfile
    >>> wants_derived("auto", tempfile.mkdtemp()), wants_derived("never", ".")
    (True, False)
    """
    if policy not in DERIVED_POLICIES:
        raise ConfigError(
            f"unknown derived-files policy {policy!r}; "
            f"choose one of {', '.join(DERIVED_POLICIES)}"
        )
    if policy != "auto":
        return policy == "always"
    return store_bytes(folder) <= AUTO_DERIVE_BYTES


def _is_empty(store: ox.Store) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, None)), None) is None


@dataclass(slots=True)
class _Written:
    """What the batches of one write did, gathered as they go."""

    todo: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    batches: int = 0
    #: graph.ttl of a new store written by one batch, pieced from its quads
    made_turtle: list[bytes] = field(default_factory=list)
    derived: list[str] = field(default_factory=list)


def _write_batch(
    store: ox.Store,
    documents: Sequence[Document],
    prepared: Mapping[str, PreparedDocument],
    written: _Written,
    *,
    fresh: bool,
    refresh: bool,
    curation: Curation,
    turtle: str | None,
    on_merged: OnMerged | None,
    premapped: Premapping | None = None,
) -> None:
    """Link one batch against the (staged) store and load it.

    ``fresh``: the store held nothing before this batch (then its documents
    are all it will hold, unless another batch follows).
    """
    from kg.link import link_into_store

    if callable(premapped):
        premapped = premapped(documents)
    todo = _take_out(store, documents, written, refresh=refresh)
    if not todo:
        return
    linked = link_into_store(store, todo, curation=curation, premapped=premapped)
    merged, existing = linked.documents, linked.existing
    final = _canonical_classes(merged, existing)
    if on_merged is not None:
        on_merged(final, fresh, linked.quads)
    ready = {
        d.doc_id: prepared[d.doc_id]
        for d in final
        if d.doc_id in prepared and prepared[d.doc_id].document == d
    }
    entities = entity_quads(final) + list(linked.quads)
    pieces = _load(store, final, ready, entities, turtle if fresh else None)
    # entity_quads gives each entity one label: only entities that
    # were stored already can have two (a new store has none)
    settled = not fresh and _settle_labels(
        store,
        {
            ox.NamedNode(str(mint_iri("entity", e.key)))
            for d in merged
            for e in d.entities
        },
    )
    if pieces is not None and not settled:
        written.made_turtle.append(b"".join(pieces))


def _take_out(
    store: ox.Store,
    documents: Sequence[Document],
    written: _Written,
    *,
    refresh: bool,
) -> list[Document]:
    """Return the documents to write; take their earlier versions out of ``store``."""
    todo: list[Document] = []
    for document in documents:
        if not refresh and stored_hash(store, document.doc_id) == document.sha256:
            written.unchanged.append(document.doc_id)
            continue
        todo.append(document)
        remove_document(store, ox.NamedNode(str(document_iri(document.doc_id))))
    written.todo += [d.doc_id for d in todo]
    return todo


def _load(
    store: ox.Store,
    final: Sequence[Document],
    ready: Mapping[str, PreparedDocument],
    entities: list[ox.Quad],
    turtle: str | None,
) -> list[bytes] | None:
    """Bulk-load documents' quads; return their Turtle pieces when ``turtle``.

    ``turtle`` is given when the store held nothing before: then the store
    holds exactly these quads, and graph.ttl is their Turtle pieced
    together instead of a dump of the store.
    """
    # the staged copy is private until published, so the faster
    # non-transactional bulk loaders are safe (a failure deletes it).
    # Oxigraph's loader runs without the GIL: the N-Quads made ahead
    # load in a thread while the other documents' quads are made here.
    with ThreadPoolExecutor(max_workers=1) as loader:
        loading = (
            loader.submit(
                store.bulk_load,
                b"".join(r.nquads for r in ready.values()),
                format=ox.RdfFormat.N_QUADS,
            )
            if ready
            else None
        )
        own = {d.doc_id: own_quads(d) for d in final if d.doc_id not in ready}
        pieces = [_turtle_header(), _turtle_body(entities)] if turtle else None
        if pieces is not None:
            for document in final:
                done = ready.get(document.doc_id)
                pieces.append(
                    done.turtle
                    if done is not None
                    else _turtle_body(own[document.doc_id])
                )
        if loading is not None:
            loading.result()
    rest = [q for quads in own.values() for q in quads] + entities
    store.bulk_load(
        bytes(ox.serialize(rest, format=ox.RdfFormat.N_QUADS) or b""),
        format=ox.RdfFormat.N_QUADS,
    )
    return pieces


def write_documents(
    out_dir: Path | str,
    documents: Sequence[Document],
    *,
    derive: Callable[[ox.Store], Mapping[str, bytes]] | None = None,
    refresh: bool = False,
    turtle: str | None = "graph.ttl",
    prepared: Mapping[str, PreparedDocument] | None = None,
    parallel: bool = True,
    on_merged: OnMerged | None = None,
    premapped: Premapped | None = None,
    derived: str = "auto",
    count: bool = False,
) -> WriteReport:
    """Add documents to the store of ``out_dir``, replacing earlier versions.

    A document already stored with the same id and content hash is left as
    it is (so building the same document again changes nothing, whatever was
    added since), unless ``refresh`` asks to extract it again. Any other
    document replaces the stored document of the same id (its facts are
    removed first, keeping facts other documents support); its entities are
    resolved against the stored ones by the corpus step
    (:func:`kg.link.link_into_store`, following the curation file of
    ``out_dir``), which also writes each entity's link (why it is on its
    node). The write is staged and published atomically. Its cost follows
    the documents written, not the store, except for the derived files
    (``derived``). :func:`write_batches` writes documents as they come.

    Parameters
    ----------
    out_dir
        The output folder; its store is created if missing.
    documents
        Extracted documents (entity keys local to each document).
    derive
        Optional function from the new store (the staged, not yet published
        generation) to files (name → bytes) to write next to the store, e.g.
        ``graph.html``; they are prepared before the store is published and
        renamed into place right after. It reads the store directly (e.g.
        :func:`kg.render.collect_store_view`), with no copy into rdflib.
    refresh
        Replace stored documents even when their content is unchanged (after
        an extractor change).
    turtle
        File name of the Turtle copy of the graph written next to the store
        (``graph.ttl``); None writes none.
    prepared
        :func:`prepare_document` of documents computed ahead (e.g. by the
        build's extraction worker), by document id; used for a document that
        merging left unchanged (the others are converted here). Same store
        either way.
    parallel
        Let a forked process dump a big store's ``graph.ttl`` while
        ``derive`` runs here; False keeps all the work in this process.
        Same files either way.
    on_merged
        Called with the documents as they will be stored (entities merged
        with each other and with the stored ones) before they are loaded,
        whether the store held nothing before them (then they are all it
        will hold) and the quads of their entity links, e.g. to start
        drawing ``graph.html`` from them while the store is loaded
        (``kg build``).
    premapped
        The corpus step's map and reduce, run ahead on a cluster
        (:class:`kg.link.Premapped`); used for the documents it was made for.
    derived
        When ``turtle`` and ``derive`` are written (:data:`DERIVED_POLICIES`):
        ``always``, ``never``, or ``auto``: while the store is at most
        :data:`AUTO_DERIVE_BYTES` on disk. Files not written are recorded
        as behind the store (:func:`kg.generations.stale_files`).
    count
        Count the triples before and after (a full scan of the store each).

    Returns
    -------
    WriteReport
        Documents written; triple counts when ``count``.

    Raises
    ------
    OutputError
        The store was written but the derived files could not be (a full
        disk); they are recorded as behind the store.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> r = write_documents(d, [Document("a.txt", "a.txt", "0" * 64, ())], count=True)
    >>> r.triples_before, r.triples_after > 0, r.derived
    (0, True, ('graph.ttl',))
    """
    from kg.store import has_store, open_store

    if not refresh and documents and has_store(out_dir):
        # nothing new: no staged generation, no rewritten files
        store = open_store(out_dir)
        if all(stored_hash(store, d.doc_id) == d.sha256 for d in documents):
            size = len(store) if count else None
            return WriteReport(size, size, (), (), tuple(d.doc_id for d in documents))
    return write_batches(
        out_dir,
        [(documents, prepared or {})],
        derive=derive,
        refresh=refresh,
        turtle=turtle,
        parallel=parallel,
        on_merged=on_merged,
        premapped=premapped,
        derived=derived,
        count=count,
    )


def write_batches(
    out_dir: Path | str,
    batches: Iterable[Batch],
    *,
    derive: Callable[[ox.Store], Mapping[str, bytes]] | None = None,
    refresh: bool = False,
    turtle: str | None = "graph.ttl",
    parallel: bool = True,
    on_merged: OnMerged | None = None,
    premapped: Premapping | None = None,
    derived: str = "auto",
    count: bool = False,
) -> WriteReport:
    """Add batches of documents to the store of ``out_dir`` in one atomic write.

    As :func:`write_documents`, batch after batch into one staged copy of
    the store, each linked against the store as the batches before left it
    (as adding them in several builds would), so only one batch of
    documents is held at a time (``kg build`` passes its documents as they
    are extracted). ``premapped`` may be a function of each batch's
    documents (a cluster build's reduce, run batch by batch). The batches
    are consumed inside the write (with the
    output folder's write lock held); an error from them leaves the store as
    it was.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> one, two = (Document(n, n, "0" * 64, ()) for n in ("a.txt", "b.txt"))
    >>> write_batches(d, [([one], {}), ([two], {})]).written
    ('a.txt', 'b.txt')
    """
    from kg.link import read_curation

    curation = read_curation(out_dir)  # a bad curation file stops here
    wants_derived(derived, ".")  # an unknown policy stops here
    written = _Written()

    def apply(staged: StagedStore) -> tuple[int | None, int | None]:
        before = len(staged.store) if count else None
        fresh = _is_empty(staged.store)
        for documents, prepared in batches:
            if written.batches:  # graph.ttl is no longer one batch's quads
                fresh = False
                written.made_turtle.clear()
            written.batches += 1
            _write_batch(
                staged.store,
                documents,
                prepared,
                written,
                fresh=fresh,
                refresh=refresh,
                curation=curation,
                turtle=turtle,
                on_merged=on_merged,
                premapped=premapped,
            )
            # RocksDB's caches, filled by this batch's reads, freed before
            # the next batch is extracted (kg build trims the heap then)
            staged.reopen()
        return before, len(staged.store) if count else None

    def outputs(stage: Path, counts: tuple[int | None, int | None]) -> dict[Path, Path]:
        if not wants_derived(derived, stage):
            return {}
        staged = _stage_outputs(
            Path(out_dir),
            derive,
            turtle,
            stage,
            parallel=parallel,
            made_turtle=written.made_turtle,
        )
        written.derived += [target.name for target in staged.values()]
        return staged

    (before, after), _staged = _transact_staged(out_dir, apply, outputs)
    return WriteReport(
        before,
        after,
        tuple(written.todo),
        (),
        tuple(written.unchanged),
        derived=tuple(written.derived),
    )


def _find(out_dir: Path | str, name: str) -> StoredDocument:
    """Find the stored document ``name`` means: by its id first (one lookup).

    Anything else (a bare file name, an ambiguous name) goes through
    :func:`kg.document_names.resolve_document`, which lists the store.
    """
    from kg.errors import KGError
    from kg.inputs import document_id
    from kg.store import StoredDocument, open_store, resolve_document

    store = open_store(out_dir)
    for doc_id in dict.fromkeys([name, *_ids_of(name, document_id, KGError)]):
        sha = stored_hash(store, doc_id)
        if sha is not None:
            iri = str(document_iri(doc_id))
            sentences = sum(
                1 for _ in store.quads_for_pattern(None, _IS_PART_OF, ox.NamedNode(iri))
            )
            return StoredDocument(iri, doc_id, "", sha, sentences)
    return resolve_document(out_dir, name)


def _ids_of(
    name: str, document_id: Callable[[str], str], error: type[Exception]
) -> list[str]:
    try:
        return [document_id(name)]
    except error:
        return []


def remove_documents(
    out_dir: Path | str,
    names: Sequence[str],
    *,
    derive: Callable[[ox.Store], Mapping[str, bytes]] | None = None,
    turtle: str | None = "graph.ttl",
    derived: str = "auto",
    count: bool = False,
) -> WriteReport:
    """Take documents, and the facts only they support, out of the store.

    A fact (plain assertion) that another document also states stays, and
    so does an entity another document mentions. ``derive``, ``turtle``,
    ``derived`` and ``count`` are as in :func:`write_documents`; the cost
    follows the documents removed, not the store, except for the derived
    files.

    Raises
    ------
    ConfigError
        A name matches no stored document.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> _ = write_documents(d, [Document("a.txt", "a.txt", "0" * 64, ())])
    >>> remove_documents(d, ["a.txt"], count=True).triples_after
    0
    """
    found = [_find(out_dir, name) for name in names]
    wants_derived(derived, ".")  # an unknown policy stops here
    done: list[str] = []

    def apply(store: ox.Store) -> tuple[int | None, int | None]:
        before = len(store) if count else None
        for doc in found:
            remove_document(store, ox.NamedNode(doc.iri))
        return before, len(store) if count else None

    def outputs(stage: Path, counts: tuple[int | None, int | None]) -> dict[Path, Path]:
        if not wants_derived(derived, stage):
            return {}
        staged = _stage_outputs(Path(out_dir), derive, turtle, stage)
        done.extend(target.name for target in staged.values())
        return staged

    (before, after), _staged = _transact(out_dir, apply, outputs)
    return WriteReport(
        before, after, (), tuple(d.doc_id for d in found), derived=tuple(done)
    )
