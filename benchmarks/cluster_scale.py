"""Memory of a build at several corpus sizes: client, scheduler, workers.

The corpus is :mod:`scale`'s (inspect-split texts of ``../shared/eval``,
recombined past them), one JSON Lines file per size. Each run is one
``run_build`` in a fresh child process (the client), under ``nice -n 5``,
with the build's defaults (batches of 100,000 words, no derived files):

* ``local``: the default build (the parser in the client, one forked
  extraction worker);
* ``cluster``: ``--cluster tcp://...`` on a ``dask scheduler`` and two
  ``dask worker`` processes (one thread each, with their nannies) started
  by the benchmark as a user would, so the scheduler's memory is its own.

Polled every 0.5 s: the resident memory (RSS) of the client, of its
children (the local extraction worker), of the scheduler and of each worker
process (peaks). The client's RSS is also taken right after each batch is
written (after the build's ``malloc_trim``, words built so far): that is
the figure which must not grow with the corpus.

Usage::

    nice -n 5 python benchmarks/cluster_scale.py --sizes 100000 300000 \
        [--modes local,cluster]

Writes ``benchmarks/results/cluster_scale.{json,md}`` (runs keyed by mode
and size; a run replaces the entry it measures).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

MIB = 2**20


def _rss(pid: int) -> int:
    try:
        return int(psutil.Process(pid).memory_info().rss)
    except psutil.Error:
        return 0


def _tree(pid: int) -> list[int]:
    try:
        return [c.pid for c in psutil.Process(pid).children(recursive=True)]
    except psutil.Error:
        return []


@contextlib.contextmanager
def _dask(root: Path, workers: int) -> Iterator[tuple[str, int, list[int]]]:
    """Start a scheduler and workers; yield its address, its pid, the nannies' pids."""
    from distributed import Client

    client_only = os.environ.get("KG_BENCH_CLIENT_ONLY", "").split(",")
    env = {k: v for k, v in os.environ.items() if k not in client_only}
    env["PYTHONPATH"] = str(ROOT)
    info = root / "scheduler.json"
    info.unlink(missing_ok=True)
    dask = ["nice", "-n", "5", sys.executable, "-m", "dask"]
    logs = (root / "dask.log").open("ab")
    procs = [
        subprocess.Popen(
            [*dask, "scheduler", "--host", "127.0.0.1", "--port", "0",
             "--no-dashboard", "--scheduler-file", str(info)],
            stdout=subprocess.DEVNULL, stderr=logs, env=env,
        )
    ]  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(info.read_text())["address"]
        for i in range(workers):
            procs.append(
                subprocess.Popen(
                    [*dask, "worker", address, "--nthreads", "1", "--no-dashboard",
                     "--name", f"kg-bench-{i}", "--host", "127.0.0.1"],
                    stdout=subprocess.DEVNULL, stderr=logs, env=env,
                )
            )  # fmt: skip
        with Client(address, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=300)
        # the python processes (nice execs python in place)
        yield address, procs[0].pid, [p.pid for p in procs[1:]]
    finally:
        for proc in reversed(procs):
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def child(mode: str, corpus: Path, out: Path, counts: Path) -> None:
    """One build in this process; print its figures as one JSON line."""
    import kg.build_output
    from kg.build import BuildConfig, run_build

    words_of: dict[str, int] = json.loads(counts.read_text())
    done = {"words": 0}
    after_batch: list[tuple[int, int]] = []
    trim = kg.build_output._trim_heap

    workers_now: dict[str, int] = {"rss": 0}

    def trim_and_sample() -> None:
        trim()
        row = (done["words"], _rss(os.getpid()) // MIB, workers_now["rss"] // MIB)
        after_batch.append(row)

    kg.build_output._trim_heap = trim_and_sample

    def on_document(document: object) -> None:
        record = str(getattr(document, "doc_id", "")).rsplit("#", 1)[-1]
        done["words"] += words_of.get(record, 0)

    peaks: dict[str, int] = {"client": 0, "children": 0, "scheduler": 0, "worker": 0}
    stop = threading.Event()
    watched: dict[str, list[int]] = {"scheduler": [], "nannies": []}

    def poll() -> None:
        me = os.getpid()
        while not stop.wait(0.5):
            peaks["client"] = max(peaks["client"], _rss(me))
            if not watched["nannies"]:  # the local extraction worker
                peaks["children"] = max(peaks["children"], sum(map(_rss, _tree(me))))
            for pid in watched["scheduler"]:
                peaks["scheduler"] = max(peaks["scheduler"], _rss(pid))
            largest = 0
            for nanny in watched["nannies"]:
                for pid in _tree(nanny):  # the worker process under its nanny
                    largest = max(largest, _rss(pid))
            workers_now["rss"] = largest
            peaks["worker"] = max(peaks["worker"], largest)

    root = out.parent
    load = [round(x, 2) for x in os.getloadavg()]
    with contextlib.ExitStack() as stack:
        cluster = None
        if mode == "cluster":
            address, scheduler, nannies = stack.enter_context(_dask(root, 2))
            watched["scheduler"], watched["nannies"] = [scheduler], nannies
            cluster = address
        config = BuildConfig(out=out, page=False, derived="never", cluster=cluster)
        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        started = time.perf_counter()
        cpu = psutil.Process().cpu_times()
        report = run_build([str(corpus)], config=config, on_document=on_document)
        seconds = time.perf_counter() - started
        spent = psutil.Process().cpu_times()
        stop.set()
        poller.join()
    store = (out / "store").resolve()
    result = {
        "mode": mode,
        "words": report.words,
        "documents": report.documents,
        "seconds": round(seconds, 1),
        "words_per_s": round(report.words / seconds),
        "client_cpu_s": round(spent.user + spent.system - cpu.user - cpu.system, 1),
        "load_before": load,
        "peak_client_mib": peaks["client"] // MIB,
        "peak_children_mib": peaks["children"] // MIB,
        "peak_scheduler_mib": peaks["scheduler"] // MIB,
        "peak_worker_mib": peaks["worker"] // MIB,
        "client_after_batch_mib": after_batch,
        "client_end_mib": _rss(os.getpid()) // MIB,
        "client_end_trimmed_mib": (trim(), _rss(os.getpid()) // MIB)[1],
        "store_mib": round(sum(f.stat().st_size for f in store.iterdir()) / MIB, 1),
    }
    print(json.dumps(result), flush=True)


def _markdown(runs: dict[str, dict[str, object]], note: str) -> str:
    lines = [
        "# Build memory over corpus size: client, scheduler, workers (issue 20)",
        "",
        "`nice -n 5 python benchmarks/cluster_scale.py`: one `run_build` per row in "
        "a fresh child process (the client), batches of 100,000 words, no derived "
        "files; "
        "**local** is the default build (parser + one forked extraction worker), "
        "**cluster** runs on a `dask scheduler` and two `dask worker` processes "
        "(one thread each) started by the benchmark. RSS polled every 0.5 s (peaks); "
        "the client's RSS right after each batch is written (after its `malloc_trim`) "
        "is the figure that must not grow with the corpus. 2 shared cores, other "
        "agents running: times are not comparable between rows.",
        "",
        "| mode | words | documents | wall s | words/s | client MiB after each batch "
        "(words built: MiB) | client peak | extraction worker peak | scheduler peak "
        "| dask worker peak (largest) | store MiB | load before |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for key in sorted(runs, key=lambda k: (runs[k]["mode"], runs[k]["words"])):  # type: ignore[return-value]
        r = runs[key]
        batches = ", ".join(
            f"{int(row[0]) // 1000}k: {row[1]}"
            + (f" (worker {row[2]})" if len(row) > 2 and row[2] else "")
            for row in r["client_after_batch_mib"]  # type: ignore[attr-defined]
        )
        env = f" (client {r['client_env']})" if r.get("client_env") else ""
        lines.append(
            f"| {r['mode']}{env} | {r['words']:,} | {r['documents']:,} | "
            f"{r['seconds']} | {r['words_per_s']} | {batches} | "
            f"{r['peak_client_mib']} | "
            f"{r['peak_children_mib'] or '-'} | {r['peak_scheduler_mib'] or '-'} | "
            f"{r['peak_worker_mib'] or '-'} | {r['store_mib']} | {r['load_before']} |"
        )
    if note:
        lines += ["", note]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 300_000])
    parser.add_argument("--modes", default="local,cluster")
    parser.add_argument("--note", default="")
    parser.add_argument(
        "--client-env", nargs="*", default=[], metavar="KEY=VALUE",
        help="environment of the client process only (e.g. PYTHONMALLOC=malloc)",
    )  # fmt: skip
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, corpus, out, counts = args.child
        child(mode, Path(corpus), Path(out), Path(counts))
        return
    from scale import iter_corpus

    path = RESULTS / "cluster_scale.json"
    data = json.loads(path.read_text()) if path.exists() else {"runs": {}}
    for words in args.sizes:
        root = Path(tempfile.mkdtemp(prefix="kg-cluster-scale-"))
        corpus, counts = root / "corpus.jsonl", root / "counts.json"
        words_of: dict[str, int] = {}
        with corpus.open("w", encoding="utf-8") as fh:
            for doc_id, text, count in iter_corpus(words):
                fh.write(json.dumps({"id": doc_id, "text": text}) + "\n")
                words_of[doc_id] = count
        counts.write_text(json.dumps(words_of))
        client_env = dict(item.split("=", 1) for item in args.client_env)
        for mode in args.modes.split(","):
            out = root / f"out-{mode}"
            done = subprocess.run(
                ["nice", "-n", "5", sys.executable, __file__, "--child", mode,
                 str(corpus), str(out), str(counts)],
                capture_output=True, text=True, check=False,
                env={
                    **os.environ, "PYTHONPATH": str(ROOT), **client_env,
                    "KG_BENCH_CLIENT_ONLY": ",".join(client_env),
                },
            )  # fmt: skip
            if done.returncode != 0:
                raise SystemExit(f"{mode} {words}: {done.stderr[-2000:]}")
            result = json.loads(done.stdout.strip().splitlines()[-1])
            result["date"] = dt.datetime.now(dt.UTC).isoformat(timespec="minutes")
            result["client_env"] = " ".join(args.client_env)
            print(json.dumps(result), flush=True)
            suffix = "".join(f"-{item}" for item in args.client_env)
            data["runs"][f"{mode}-{words}{suffix}"] = result
            path.write_text(json.dumps(data, indent=1) + "\n")
            shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(root, ignore_errors=True)
    if args.note:
        data["note"] = args.note
    path.write_text(json.dumps(data, indent=1) + "\n")
    (RESULTS / "cluster_scale.md").write_text(
        _markdown(data["runs"], str(data.get("note", "")))
    )


if __name__ == "__main__":
    main()
