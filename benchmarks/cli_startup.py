"""How fast does ``kg`` start? ``--help``, ``--version`` and ``query`` on the sample.

Each command runs ``--repeat`` times in a fresh interpreter; reported: the
median wall time and the median CPU time (user + system of the child), this
worktree's code (``python -m kg`` with ``PYTHONPATH``) beside the code the
``kg`` script of the installed package runs (``--before``: the main branch
checkout, for a before/after ratio in one run). The sample store is built
once (``seeds/``) into a temporary folder. Results:
``benchmarks/results/cli.{json,md}``.

Run::

    python benchmarks/cli_startup.py --repeat 7 --before /work/main
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
QUERY = "SELECT ?e ?label WHERE { ?e a kgo:Person ; rdfs:label ?label } LIMIT 5"


def _run(args: list[str], code: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "kg", *args],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(code)},
        cwd=code,  # python -m puts the working folder first on sys.path
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--before", type=Path, default=None)
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="kg-cli-bench-")) / "output"
    subprocess.run(
        [sys.executable, "-m", "kg", "build", str(ROOT / "seeds"), "--out", str(out)],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    commands = {
        "kg --help": ["--help"],
        "kg --version": ["--version"],
        "kg query (sample store)": [
            "query",
            QUERY,
            "--out",
            str(out),
            "--format",
            "csv",
        ],
    }
    codes = {"after": ROOT} | ({"before": args.before} if args.before else {})
    rows = []
    for label, argv in commands.items():
        row: dict[str, object] = {"command": label}
        for name, code in codes.items():
            if name == "before" and argv == ["--version"]:
                continue  # the old command had no --version
            runs = [_run(argv, code) for _ in range(args.repeat)]
            row[f"{name}_wall_s"] = round(statistics.median(r[0] for r in runs), 3)
            row[f"{name}_cpu_s"] = round(statistics.median(r[1] for r in runs), 3)
        rows.append(row)
        print(json.dumps(row), flush=True)
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "cpus": os.cpu_count(),
        "load": os.getloadavg(),
        "python": platform.python_version(),
        "repeat": args.repeat,
        "before": str(args.before) if args.before else None,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "cli.json").write_text(
        json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n"
    )
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
