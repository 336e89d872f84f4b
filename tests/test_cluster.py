"""``kg build --cluster``: a real Dask scheduler and two real worker processes.

The fixture starts ``dask scheduler`` and two ``dask worker`` processes (each
with its nanny) on localhost, as a user would; the tests build a small
constructed corpus on them and compare the graph with a local build's. A
``LocalCluster`` of two worker processes (``--cluster local:2``) runs the
corpus entity resolution's map and reduce too (:mod:`kg.link.shuffle`).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Namespace
from rdflib.compare import isomorphic

from kg.build import BuildConfig, run_build
from kg.ontology import KGO_URI
from tests.fixtures import free_port

ROOT = Path(__file__).resolve().parent.parent
_PEOPLE = [
    ("Ada Lovelace", "Charles Babbage", "London"),
    ("Mary Somerville", "John Herschel", "Paris"),
    ("Grace Hopper", "Howard Aiken", "Boston"),
    ("Alan Turing", "Max Newman", "Manchester"),
    ("Emmy Noether", "David Hilbert", "Vienna"),
    ("Marie Curie", "Henri Becquerel", "Warsaw"),
    ("Lise Meitner", "Otto Hahn", "Berlin"),
    ("Niels Bohr", "Werner Heisenberg", "Copenhagen"),
]

#: a company under its full name, with its suffix, and by an acronym one
#: document establishes
_COMPANY = [
    "Quillon Robotics Inc. hired Ada Lovelace in London last spring.\n",
    "Quillon Robotics (QR) opened a lab in Paris. QR said it would grow.\n",
    "QR hired Grace Hopper in Boston. Quillon Robotics pays well.\n",
]


def _corpus(folder: Path) -> Path:
    """Twenty short documents, one with text nested past the limit."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, (a, b, city) in enumerate(_PEOPLE * 2):
        text = (
            f"{a} wrote to {b} from {city} in {1840 + i}. "
            f"{b} replied a week later. {a} visited {city} again.\n"
        )
        (folder / f"doc{i:02d}.txt").write_text(text, encoding="utf-8")
    for i, text in enumerate(_COMPANY):
        (folder / f"doc{20 + i:02d}.txt").write_text(text, encoding="utf-8")
    nested = "(" * 60 + "Otto Hahn" + ")" * 60
    (folder / "doc99.txt").write_text(
        f"Ada Lovelace met Charles Babbage. He said {nested} twice.\n",
        encoding="utf-8",
    )
    return folder


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start a scheduler and two workers; yield the scheduler's address."""
    from distributed import Client

    logs = tmp_path_factory.mktemp("dask")
    info = logs / "scheduler.json"
    dask = [sys.executable, "-m", "dask"]
    processes = [
        subprocess.Popen(
            [*dask, "scheduler", "--host", "127.0.0.1", "--port", str(free_port()),
             "--no-dashboard", "--scheduler-file", str(info)],
            stdout=subprocess.DEVNULL, stderr=(logs / "scheduler.log").open("wb"),
            env=_env(),
        )
    ]  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(info.read_text())["address"]
        for i in range(2):
            processes.append(
                subprocess.Popen(
                    [*dask, "worker", address, "--nthreads", "1", "--no-dashboard",
                     "--name", f"kg-test-{i}", "--host", "127.0.0.1"],
                    stdout=subprocess.DEVNULL,
                    stderr=(logs / f"worker{i}.log").open("wb"),
                    env=_env(),
                )
            )  # fmt: skip
        with Client(address, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=180)
        yield address
    finally:
        for process in reversed(processes):
            _stop(process)


@pytest.fixture(scope="module")
def local_build(nlp, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("corpus")
    folder = _corpus(root / "in")
    out = root / "local"
    report = run_build([folder], config=BuildConfig(out=out, workers=0))
    return folder, out, report


def _graph(out: Path) -> Graph:
    return Graph().parse(out / "graph.ttl", format="turtle")


def test_a_cluster_build_writes_the_graph_of_a_local_build(
    scheduler: str,
    local_build,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    folder, local_out, local = local_build
    out = tmp_path / "cluster"
    done: list[str] = []
    config = BuildConfig(out=out, cluster=scheduler)
    report = run_build(
        [folder], config=config, on_document=lambda d: done.append(d.doc_id)
    )
    assert report.documents == local.documents == 20
    assert sorted(done) == sorted(
        str(p.relative_to(Path.cwd())) if p.is_relative_to(Path.cwd()) else str(p)
        for p in folder.iterdir()
    )
    # the limits apply on the workers, and their warnings come back
    assert report.warnings == local.warnings
    assert len(report.warnings) == 1
    assert "--max-nesting" in report.warnings[0]
    graph = _graph(out)
    assert len(graph) > 300
    assert isomorphic(graph, _graph(local_out))


def test_a_worker_killed_mid_build_loses_nothing(
    scheduler: str,
    local_build,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from distributed import Client

    import kg.cluster

    monkeypatch.setattr(kg.cluster, "CHUNK_DOCUMENTS", 1)  # many small tasks
    folder, local_out, _local = local_build
    killed: list[int] = []
    with Client(scheduler, set_as_default=False) as watcher:

        def kill_a_busy_worker(_document: object) -> None:
            if killed:
                return
            busy = [w for w, keys in watcher.processing().items() if keys]
            assert busy, "no task left in flight to lose"
            pid = watcher.run(os.getpid, workers=[busy[0]])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

        out = tmp_path / "cluster"
        config = BuildConfig(out=out, cluster=scheduler)
        report = run_build([folder], config=config, on_document=kill_a_busy_worker)
        assert killed
        with pytest.raises(ProcessLookupError):
            os.kill(killed[0], 0)
        assert report.documents == 20
        assert isomorphic(_graph(out), _graph(local_out))
        # the nanny brings the worker back for the next build
        watcher.wait_for_workers(2, timeout=180)


def test_a_worker_killed_before_the_reduce_loses_nothing(
    scheduler: str,
    local_build,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The map's parts a dead worker held are made again for the reduce."""
    from distributed import Client

    import kg.cluster

    monkeypatch.setattr(kg.cluster, "CHUNK_DOCUMENTS", 2)
    folder, local_out, _local = local_build
    real = kg.cluster.ClusterExtraction.premap
    killed: list[int] = []
    with Client(scheduler, set_as_default=False) as watcher:

        def kill_then_reduce(self, documents):  # type: ignore[no-untyped-def]
            if not killed:
                pieces = self.chunks.parts.values()
                held = watcher.who_has([f for piece in pieces for f in piece])
                holders = sorted({w for found in held.values() for w in found})
                assert holders, "no part of the map on the cluster"
                pid = watcher.run(os.getpid, workers=[holders[0]])[holders[0]]
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            return real(self, documents)

        monkeypatch.setattr(kg.cluster.ClusterExtraction, "premap", kill_then_reduce)
        out = tmp_path / "cluster"
        report = run_build([folder], config=BuildConfig(out=out, cluster=scheduler))
        assert killed
        assert report.documents == 20
        assert isomorphic(_graph(out), _graph(local_out))
        watcher.wait_for_workers(2, timeout=180)


def test_a_local_cluster_build_writes_the_graph_of_a_local_build(
    local_build,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two worker processes extract, and run the corpus step's map and reduce."""
    import kg.link.cluster

    def no_candidates(*_args: object, **_options: object) -> None:
        raise AssertionError("the client looked for candidate pairs itself")

    # the workers (other processes) find and judge the candidate pairs
    monkeypatch.setattr(kg.link.cluster, "candidate_pairs", no_candidates)
    folder, local_out, _local = local_build
    out = tmp_path / "local2"
    report = run_build([folder], config=BuildConfig(out=out, cluster="local:2"))
    assert report.documents == 20
    graph = _graph(out)
    assert isomorphic(graph, _graph(local_out))
    # the corpus step linked entities across documents
    kgo = Namespace(KGO_URI)
    documents: dict[str, set[str]] = defaultdict(set)
    for link, entity in graph.subject_objects(kgo.linksTo):
        documents[str(entity)].update(map(str, graph.objects(link, kgo.inDocument)))
    assert max(len(d) for d in documents.values()) >= 3


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:{port}", "local:0", "a b"])
def test_a_bad_cluster_address_is_a_one_line_error(
    local_build,
    tmp_path: Path,
    address: str,  # type: ignore[no-untyped-def]
) -> None:
    folder, _out, _report = local_build
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(folder), "--out", str(out),
         "--cluster", address.format(port=free_port())],
        capture_output=True, text=True, check=False, timeout=300, env=_env(),
    )  # fmt: skip
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kg: error:")
    assert "--cluster" in lines[0] or "Dask scheduler" in lines[0]
    assert not out.exists()


def test_a_cluster_build_streams_its_batches_with_a_bounded_number_held(
    scheduler: str,
    local_build,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Batches are written as chunks complete; the client holds a bounded few.

    The graph is the one a local build writes with the same batches (each
    linked against the store the batches before left, the corpus step's
    pairs reduced on the workers batch by batch).
    """
    import kg.cluster
    import kg.store_writes

    monkeypatch.setattr(kg.cluster, "CHUNK_DOCUMENTS", 1)  # many small tasks
    folder, _local_out, _local = local_build
    local_out = tmp_path / "local"
    run_build([folder], config=BuildConfig(out=local_out, workers=0, batch_words=80))
    sizes: list[int] = []
    premapped: list[int] = []
    extractions: list[kg.cluster.ClusterExtraction] = []
    write_batch = kg.store_writes._write_batch
    premap = kg.cluster.ClusterExtraction.premap

    def counted_batch(store, documents, *args, **options):  # type: ignore[no-untyped-def]
        sizes.append(len(documents))
        return write_batch(store, documents, *args, **options)

    def counted_premap(self, documents):  # type: ignore[no-untyped-def]
        extractions.append(self)
        found = premap(self, documents)
        premapped.append(len(found.summaries))
        # chunks whose documents are all written are released on the cluster
        assert len(self.chunks.parts) <= kg.cluster.CHUNKS_PER_THREAD * 2 + 1
        return found

    monkeypatch.setattr(kg.store_writes, "_write_batch", counted_batch)
    monkeypatch.setattr(kg.cluster.ClusterExtraction, "premap", counted_premap)
    out = tmp_path / "cluster"
    config = BuildConfig(out=out, cluster=scheduler, batch_words=80)
    report = run_build([folder], config=config)
    assert report.documents == 20
    assert len(sizes) >= 4  # written batch by batch
    assert max(sizes) <= 6
    assert premapped == sizes  # each batch's corpus step reduced on the workers
    # 20 one-document chunks; never more than the bound in flight or held
    extraction = extractions[0]
    assert 1 < extraction.held_peak <= kg.cluster.CHUNKS_PER_THREAD * 2
    assert not extraction.chunks.parts
    assert not extraction.chunks.places
    assert isomorphic(_graph(out), _graph(local_out))


def test_a_local_cluster_paces_its_heartbeats_and_warms_its_workers() -> None:
    """``local:N``: heartbeats every 2 s (not Dask's 0.5 s), pipeline warm on join."""
    import distributed.scheduler

    from kg.cluster import LOCAL_HEARTBEAT_S, connect

    def pace(dask_scheduler: object) -> float:
        import distributed.scheduler

        return float(distributed.scheduler.heartbeat_interval(1))

    def warmed() -> bool:
        from kg.nlp import load_pipeline

        # the warm-up sentence's words are in the worker's vocabulary
        return "Oakridge" in load_pipeline(None).vocab.strings

    dask_pace = distributed.scheduler.heartbeat_interval
    with connect("local:1") as client:
        assert client.run_on_scheduler(pace) == LOCAL_HEARTBEAT_S == 2.0
        assert list(client.run(warmed).values()) == [True]
    assert distributed.scheduler.heartbeat_interval is dask_pace
    assert dask_pace(1) == 0.5
