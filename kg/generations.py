"""Atomic generations of an output folder: stage, transact, publish.

The store under ``OUT/store`` is a symbolic link to a generation folder
(``OUT/.store-<hex>``). A write (:func:`_transact`) checkpoints the current
generation into a new one (hard links), applies its change there, stages the
files derived from it (``graph.ttl``, ``graph.html``) as temporary files, and
publishes the new generation with one rename of the link; the staged files
are then renamed into place (:func:`_commit_files`), still under the lock. A
failure before the switch leaves the folder as it was. One writer at a time
per output folder (``.kg-write.lock``); readers never wait. Used by
:mod:`kg.store` and by the curation commands of :mod:`kg.link`.

The derived files are caches of the store, and ``OUT/.kg-derived.json``
records which generation each was drawn from (written after they are
renamed into place). A derived file whose generation is not the store's
(:func:`stale_files`) is behind it: a write that skipped it (a big store,
``kg build --derived never``), a write that failed to write it (a full disk:
the store is published all the same and the error says so), or a kill
between the switch and the renames. ``kg render`` and the next build write
such files again (:func:`kg.derived.refresh_derived`).
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import multiprocessing as mp
import os
import secrets
import shutil
import tempfile
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from kg.errors import ConfigError, OutputError
from kg.rdf import BASE_IRI, NS

STORE_DIRNAME = "store"
#: The files derived from the store, and the record of what they were drawn from.
DERIVED_FILES = ("graph.ttl", "graph.html")
DERIVED_STAMP = ".kg-derived.json"
_T = TypeVar("_T")
_GENERATION_PREFIX = ".store-"
_DEFAULT = ox.DefaultGraph()
#: Turtle output abbreviates kg's namespaces and its instance namespaces.
_TURTLE_PREFIXES = {prefix: str(ns) for prefix, ns in NS.items()} | {
    kind: f"{BASE_IRI}{kind}/"
    for kind in ("entity", "sentence", "doc", "stmt", "mention")
}


def _generation(out: Path) -> Path:
    return out / f"{_GENERATION_PREFIX}{secrets.token_hex(6)}"


@contextlib.contextmanager
def write_lock(out_dir: Path | str) -> Iterator[Path]:
    """Hold the output folder's write lock (one writer at a time); yield the folder.

    Examples
    --------
    >>> import tempfile
    >>> with write_lock(tempfile.mkdtemp()) as out:
    ...     (out / ".kg-write.lock").is_file()
    True
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"output path {str(out)!r} exists and is not a directory")
    out.mkdir(parents=True, exist_ok=True)
    with (out / ".kg-write.lock").open("a") as lock:
        # one writer at a time per output folder; readers never wait
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield out


class StagedStore:
    """The writable copy of a write's store, which can be closed and opened again.

    RocksDB's block cache and the index and filter blocks of the tables
    read fill as a write reads the store (the corpus step's look-ups, each
    batch's replaced documents), up to about 170 MiB for a store of a few
    million quads; :meth:`reopen` between two batches of a build closes the
    store (freeing them) and opens it again, so a long build's memory does
    not grow with the store. Use :attr:`store` afresh after it (never keep
    a reference across the call: RocksDB opens a folder once per process).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.store: ox.Store = ox.Store(str(path))

    def reopen(self) -> None:
        """Flush and close the store, then open it again (its caches empty)."""
        self.store.flush()
        del self.store
        self.store = ox.Store(str(self.path))


def _transact(
    out_dir: Path | str,
    apply: Callable[[ox.Store], _T],
    outputs: Callable[[Path, _T], dict[Path, Path]] | None = None,
) -> tuple[_T, dict[Path, Path]]:
    """As :func:`_transact_staged`, with ``apply`` given the store itself."""
    return _transact_staged(out_dir, lambda staged: apply(staged.store), outputs)


def _transact_staged(
    out_dir: Path | str,
    apply: Callable[[StagedStore], _T],
    outputs: Callable[[Path, _T], dict[Path, Path]] | None = None,
) -> tuple[_T, dict[Path, Path]]:
    """Run ``apply`` on a writable copy of the store; publish it only on success.

    The copy is a checkpoint of the current generation (hard links); on
    failure it is closed and deleted, and the published store is untouched.
    ``outputs`` then gets the closed copy's folder (it may open it read-only,
    from several processes) and ``apply``'s result, and stages the files
    derived from it; they are renamed into place right after the switch,
    under the lock, and stamped with the new generation. When staging them
    fails with an ``OSError`` (a full disk), the store is published all the
    same, the files it did not write stay stamped with their older
    generation (so :func:`stale_files` names them) and an
    :class:`~kg.errors.OutputError` says so. Returns ``apply``'s result and
    the files written.
    """
    with write_lock(out_dir) as out:
        link = out / STORE_DIRNAME
        if link.exists() and not link.is_symlink():
            raise ConfigError(
                f"{str(link)!r} is not a kg store link; move it away and build again"
            )
        _clean_leftovers(out)
        return _transact_locked(link, out, apply, outputs)


def _clean_leftovers(out: Path) -> None:
    """Delete staging files a killed writer left (only a writer makes them)."""
    for name in (*DERIVED_FILES, DERIVED_STAMP, "curation.txt"):
        for leftover in out.glob(f".{name}.*"):
            if leftover.is_file() and not leftover.is_symlink():
                leftover.unlink(missing_ok=True)
    for link in out.glob(f".{STORE_DIRNAME}.*.link"):  # a switch cut short
        if link.is_symlink():
            link.unlink(missing_ok=True)


def _transact_locked(
    link: Path,
    out: Path,
    apply: Callable[[StagedStore], _T],
    outputs: Callable[[Path, _T], dict[Path, Path]] | None,
) -> tuple[_T, dict[Path, Path]]:
    stage = _generation(out)
    failed: OSError | None = None
    holder: StagedStore | None = None
    try:
        if link.is_dir():
            ox.Store.read_only(str(link)).backup(str(stage))
        holder = StagedStore(stage)
        result = apply(holder)
        holder.store.flush()
        holder = None  # close RocksDB before the generation is published
        try:
            staged = outputs(stage, result) if outputs is not None else {}
        except OSError as exc:  # the derived files only: the store is whole
            failed, staged = exc, {}
    except BaseException as exc:
        holder = None
        # the failed frames still reference the store: clear them so it closes
        traceback.clear_frames(exc.__traceback__)
        gc.collect()
        shutil.rmtree(stage, ignore_errors=True)
        raise
    _mark_unknown(out)  # an output written before stamps: its files are unknown
    _publish(link, stage)
    _commit_files(staged)
    stamp_derived(out, [target.name for target in staged.values()])
    if failed is not None:
        raise derived_failed(out, failed)
    return result, staged


def derived_failed(out: Path, exc: OSError, *, updated: bool = True) -> OutputError:
    """Return the error of a write whose store is published but derived files not.

    Examples
    --------
    >>> import errno, tempfile
    >>> err = derived_failed(Path(tempfile.mkdtemp()), OSError(errno.EFBIG, "big"))
    >>> "was updated" in str(err), err.exit_code
    (True, 1)
    """
    behind = " and ".join(stale_files(out)) or "the derived files"
    what = (
        f"the store in {str(out)!r} was updated, but writing its derived files"
        if updated
        else f"writing the derived files of {str(out)!r}"
    )
    return OutputError(
        f"{what} failed ({exc.strerror or exc}); {behind} are behind the store: "
        f"free space and run `kg render --out {out}` (or build again) to write them"
    )


def current_generation(out_dir: Path | str) -> str | None:
    """Return the name of the generation the store link points at (None: no store).

    Examples
    --------
    >>> import tempfile
    >>> current_generation(tempfile.mkdtemp()) is None
    True
    """
    link = Path(out_dir) / STORE_DIRNAME
    return os.readlink(link) if link.is_symlink() else None


def _read_stamp(out: Path) -> dict[str, str]:
    try:
        data = json.loads((out / DERIVED_STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items()}


def _write_stamp(out: Path, stamp: Mapping[str, str]) -> None:
    tmp, target = _staging_file(out, DERIVED_STAMP)
    try:
        tmp.write_text(json.dumps(dict(sorted(stamp.items()))) + "\n", "utf-8")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _mark_unknown(out: Path) -> None:
    """Record derived files found without a stamp as drawn from an unknown store."""
    if (out / DERIVED_STAMP).exists():
        return
    found = {n: "" for n in DERIVED_FILES if (out / n).is_file()}
    if found:
        _write_stamp(out, found)


def stamp_derived(out_dir: Path | str, names: Sequence[str]) -> None:
    """Record that the derived files ``names`` were drawn from the current store.

    Call with the write lock held, after the files are in place.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> stamp_derived(d, ["graph.ttl"])  # no store: nothing to record
    >>> (d / DERIVED_STAMP).exists()
    False
    """
    out = Path(out_dir)
    generation = current_generation(out)
    if generation is None:
        return
    stamp = _read_stamp(out)
    known = {n: g for n, g in stamp.items() if n in DERIVED_FILES}
    fresh = {n: generation for n in names if n in DERIVED_FILES}
    if not fresh and (out / DERIVED_STAMP).exists():
        return
    _write_stamp(out, known | fresh)


def stale_files(out_dir: Path | str) -> tuple[str, ...]:
    """Return the derived files that are behind the store of ``out_dir``.

    A file is behind when the stamp records it drawn from another generation
    than the store's (or the file went missing). Files never written, and
    outputs without a stamp (written before kg kept one), are not listed.

    Examples
    --------
    >>> import tempfile
    >>> stale_files(tempfile.mkdtemp())
    ()
    """
    out = Path(out_dir)
    generation = current_generation(out)
    if generation is None:
        return ()
    stamp = _read_stamp(out)
    return tuple(
        name
        for name in DERIVED_FILES
        if name in stamp and (stamp[name] != generation or not (out / name).is_file())
    )


def _publish(link: Path, stage: Path) -> None:
    """Point ``link`` at ``stage`` with one rename; keep the generation it replaces.

    The replaced generation stays one more write, so a reader that opened it
    just before the switch (``kg serve``) can finish; older ones are deleted.
    Generations share unchanged files through hard links, so this is cheap.
    """
    old = link.resolve() if link.is_symlink() else None
    tmp_link = link.with_name(f".{link.name}.{secrets.token_hex(4)}.link")
    os.symlink(stage.name, tmp_link)
    os.replace(tmp_link, link)
    keep = {stage.resolve(), old}
    for generation in link.parent.glob(f"{_GENERATION_PREFIX}*"):
        if generation.resolve() not in keep and generation.is_dir():
            shutil.rmtree(generation, ignore_errors=True)


#: Stores bigger than this on disk (about 50,000 quads) get graph.ttl written
#: by a forked process while this one derives graph.html (the same bytes).
_PARALLEL_TURTLE_BYTES = 4 * 1024 * 1024


def folder_bytes(folder: Path | str) -> int:
    """Return the size on disk of a store folder (its files, one level).

    Examples
    --------
    >>> import tempfile
    >>> folder_bytes(tempfile.mkdtemp())
    0
    """
    total = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_file(follow_symlinks=False):
                total += entry.stat(follow_symlinks=False).st_size
    return total


def _dump_turtle(stage: str, path: str) -> None:
    """Write the Turtle of the store at ``stage`` (opened read-only) to ``path``."""
    ox.Store.read_only(stage).dump(
        path,
        format=ox.RdfFormat.TURTLE,
        from_graph=_DEFAULT,
        prefixes=_TURTLE_PREFIXES,
    )


def _staging_file(out: Path, name: str) -> tuple[Path, Path]:
    target = out / name
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=out)
    os.close(fd)
    os.chmod(tmp, 0o644)
    return Path(tmp), target


def _stage_outputs(
    out: Path,
    derive: Callable[[ox.Store], Mapping[str, bytes]] | None,
    turtle: str | None,
    stage: Path,
    *,
    parallel: bool = True,
    made_turtle: Sequence[bytes] = (),
) -> dict[Path, Path]:
    """Stage graph.ttl and the derived files of the closed store copy at ``stage``.

    A big store's Turtle is dumped by a forked process (it only opens the
    copy read-only) while ``derive`` runs here, on two cores when there are;
    ``made_turtle`` (the Turtle of a new store, made with its quads) is
    written as it is instead.
    """
    staged: dict[Path, Path] = {}
    dumper: mp.process.BaseProcess | None = None
    try:
        if turtle is not None:
            tmp, target = _staging_file(out, turtle)
            staged[tmp] = target
            big = folder_bytes(stage) > _PARALLEL_TURTLE_BYTES
            forks = parallel and "fork" in mp.get_all_start_methods()
            if made_turtle:
                tmp.write_bytes(made_turtle[0])
            elif big and derive is not None and forks:
                dumper = mp.get_context("fork").Process(
                    target=_dump_turtle, args=(str(stage), str(tmp)), daemon=True
                )
                dumper.start()
            else:
                _dump_turtle(str(stage), str(tmp))
        if derive is not None:
            staged.update(_stage_files(out, derive(ox.Store.read_only(str(stage)))))
        if dumper is not None:
            dumper.join()
            if dumper.exitcode != 0:
                raise OSError(f"writing {turtle} failed (exit code {dumper.exitcode})")
    except BaseException:
        if dumper is not None and dumper.is_alive():
            dumper.kill()
            dumper.join()
        for staged_path in staged:
            staged_path.unlink(missing_ok=True)
        raise
    return staged


def _stage_files(out: Path, files: Mapping[str, bytes]) -> dict[Path, Path]:
    staged: dict[Path, Path] = {}
    try:
        for name, data in files.items():
            tmp, target = _staging_file(out, name)
            staged[tmp] = target  # before the write: a failed write is cleaned
            tmp.write_bytes(data)
    except BaseException:
        for staged_path in staged:
            staged_path.unlink(missing_ok=True)
        raise
    return staged


def _commit_files(staged: Mapping[Path, Path]) -> None:
    for tmp, target in staged.items():
        os.replace(tmp, target)
