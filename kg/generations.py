"""Atomic generations of an output folder: stage, transact, publish.

The store under ``OUT/store`` is a symbolic link to a generation folder
(``OUT/.store-<hex>``). A write (:func:`_transact`) checkpoints the current
generation into a new one (hard links), applies its change there, stages the
files derived from it (``graph.ttl``, ``graph.html``) as temporary files, and
publishes the new generation with one rename of the link; the staged files
are then renamed into place (:func:`_commit_files`). A failure before the
switch leaves the folder as it was. One writer at a time per output folder
(``.kg-write.lock``); readers never wait. Used by :mod:`kg.store` and by the
curation commands of :mod:`kg.link`.
"""

from __future__ import annotations

import fcntl
import gc
import multiprocessing as mp
import os
import secrets
import shutil
import tempfile
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from kg.errors import ConfigError
from kg.rdf import BASE_IRI, NS

STORE_DIRNAME = "store"
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


def _transact(
    out_dir: Path | str,
    apply: Callable[[ox.Store], _T],
    outputs: Callable[[Path, _T], dict[Path, Path]] | None = None,
) -> tuple[_T, dict[Path, Path]]:
    """Run ``apply`` on a writable copy of the store; publish it only on success.

    The copy is a checkpoint of the current generation (hard links); on
    failure it is closed and deleted, and the published store is untouched.
    ``outputs`` then gets the closed copy's folder (it may open it read-only,
    from several processes) and ``apply``'s result, and stages the files
    derived from it; they are returned for :func:`_commit_files`.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"output path {str(out)!r} exists and is not a directory")
    out.mkdir(parents=True, exist_ok=True)
    link = out / STORE_DIRNAME
    if link.exists() and not link.is_symlink():
        raise ConfigError(
            f"{str(link)!r} is not a kg store link; move it away and build again"
        )
    with (out / ".kg-write.lock").open("a") as lock:
        # one writer at a time per output folder; readers never wait
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _transact_locked(link, out, apply, outputs)


def _transact_locked(
    link: Path,
    out: Path,
    apply: Callable[[ox.Store], _T],
    outputs: Callable[[Path, _T], dict[Path, Path]] | None,
) -> tuple[_T, dict[Path, Path]]:
    stage = _generation(out)
    try:
        if link.is_dir():
            ox.Store.read_only(str(link)).backup(str(stage))
        store: ox.Store | None = ox.Store(str(stage))
        assert store is not None
        result = apply(store)
        store.flush()
        store = None  # close RocksDB before the generation is published
        staged = outputs(stage, result) if outputs is not None else {}
    except BaseException as exc:
        store = None
        # the failed frames still reference the store: clear them so it closes
        traceback.clear_frames(exc.__traceback__)
        gc.collect()
        shutil.rmtree(stage, ignore_errors=True)
        raise
    _publish(link, stage)
    return result, staged


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


#: Stores with more quads than this get graph.ttl written by a forked
#: process while this one derives graph.html (the same bytes either way).
_PARALLEL_TURTLE_QUADS = 50_000


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
    counts: tuple[int, int],
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
            big = counts[1] > _PARALLEL_TURTLE_QUADS  # (before, after) the write
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
            tmp.write_bytes(data)
            staged[tmp] = target
    except BaseException:
        for staged_path in staged:
            staged_path.unlink(missing_ok=True)
        raise
    return staged


def _commit_files(staged: Mapping[Path, Path]) -> None:
    for tmp, target in staged.items():
        os.replace(tmp, target)
