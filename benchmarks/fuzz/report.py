"""The run's figures: benchmarks/results/fuzz_build.{json,md}."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import time
from dataclasses import dataclass, field
from typing import Any

from benchmarks.fuzz.builds import Outcome
from benchmarks.fuzz.documents import DocOutcome, StoreOutcome
from benchmarks.fuzz.harness import BOUND_PER_CHAR, BOUND_SECONDS, RESULTS, bound
from benchmarks.fuzz.invocations import InvocationOutcome

# --- the benchmark -------------------------------------------------------------------


@dataclass
class Tally:
    """Everything the run recorded."""

    docs: list[DocOutcome] = field(default_factory=list)
    stores: list[StoreOutcome] = field(default_factory=list)
    builds: list[Outcome] = field(default_factory=list)
    invocations: list[InvocationOutcome] = field(default_factory=list)

    @property
    def inputs(self) -> int:
        return (
            len(self.docs) + sum(b.inputs for b in self.builds) + len(self.invocations)
        )


def _count(items: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


def _by_kind(docs: list[DocOutcome]) -> dict[str, dict[str, Any]]:
    """Per segment kind: documents, and the worst CPU s/char ratio to the bound."""
    kinds: dict[str, dict[str, Any]] = {}
    for d in docs:
        for kind in set(d.kinds):
            row = kinds.setdefault(
                kind, {"documents": 0, "chars": 0, "cpu": 0.0, "worst": 0.0}
            )
            row["documents"] += 1
            row["chars"] += d.chars
            row["cpu"] += d.cpu
            row["worst"] = max(row["worst"], d.cpu / bound(d.chars))
    for row in kinds.values():
        row["cpu"] = round(row["cpu"], 1)
        row["ms_per_kchar"] = round(1e6 * row["cpu"] / max(row["chars"], 1) / 1000, 2)
        row["worst"] = round(row["worst"], 3)
    return dict(sorted(kinds.items()))


def _invocations(runs: list[InvocationOutcome]) -> dict[str, Any]:
    errors = [r.message for r in runs if r.result == "error"]
    return {
        "count": len(runs),
        "results": _count([r.result for r in runs]),
        "seconds": round(sum(r.seconds for r in runs), 1),
        "tracebacks": [r.message for r in runs if r.result == "traceback"][:10],
        "hangs": [r.argv for r in runs if r.result == "hang"][:10],
        "problems": [
            {"argv": r.argv, "problems": r.problems, "message": r.message}
            for r in runs
            if r.problems
        ][:20],
        "problem_count": sum(bool(r.problems) for r in runs),
        "distinct_errors": len(set(errors)),
        "error_samples": sorted(set(errors), key=len)[:12],
    }


def summary(tally: Tally) -> dict[str, Any]:
    """The run's figures (JSON-ready)."""
    return {
        "inputs": tally.inputs,
        "invocations": _invocations(tally.invocations),
        "documents": _documents(tally.docs, tally.stores),
        "stores": _stores(tally.stores),
        "builds": _builds(tally.builds),
    }


def _documents(docs: list[DocOutcome], stores: list[StoreOutcome]) -> dict[str, Any]:
    worst = max(docs, key=lambda d: d.cpu / bound(d.chars), default=None)
    stage_cpu: dict[str, float] = {}
    for d in docs:
        for k, v in d.stages.items():
            stage_cpu[k] = stage_cpu.get(k, 0.0) + v
    stage_cpu["store"] = sum(s.cpu for s in stores)
    return {
        "count": len(docs),
        "chars": sum(d.chars for d in docs),
        "cpu": round(sum(d.cpu for d in docs), 1),
        "wall": round(sum(d.wall for d in docs), 1),
        "results": _count([d.result for d in docs]),
        "slow": sum(d.slow for d in docs),
        "stage_cpu": {k: round(v, 1) for k, v in stage_cpu.items()},
        "worst": dataclasses.asdict(worst) if worst else None,
        "worst_ratio": round(worst.cpu / bound(worst.chars), 3) if worst else None,
        "by_kind": _by_kind(docs),
        "tracebacks": [d.message for d in docs if d.result == "traceback"][:10],
        "hangs": [dataclasses.asdict(d) for d in docs if d.result == "hang"][:10],
        "slowest": [
            dataclasses.asdict(d)
            for d in sorted(docs, key=lambda d: -d.cpu / bound(d.chars))[:10]
        ],
    }


def _stores(stores: list[StoreOutcome]) -> dict[str, Any]:
    worst = max(stores, key=lambda s: s.cpu / bound(s.chars), default=None)
    return {
        "batches": len(stores),
        "documents": sum(s.documents for s in stores),
        "results": _count([s.result for s in stores]),
        "problems": [p for s in stores for p in s.problems][:10],
        "cpu": round(sum(s.cpu for s in stores), 1),
        "worst_ratio": round(worst.cpu / bound(worst.chars), 3) if worst else None,
        "largest_store": max(
            (s.stored_before + s.documents for s in stores), default=0
        ),
    }


def _builds(builds: list[Outcome]) -> dict[str, Any]:
    api_errors = [b for b in builds if b.result == "error" and b.via == "api"]
    return {
        "count": len(builds),
        "via_cli": sum(b.via == "cli" for b in builds),
        "inputs": sum(b.inputs for b in builds),
        "documents_built": sum(b.built for b in builds),
        "chars": sum(b.chars for b in builds),
        "results": _count([b.result for b in builds]),
        "errors_by_kind": _count([b.message.split(":")[0] for b in api_errors]),
        "tracebacks": [b.message for b in builds if b.result == "traceback"][:10],
        "hangs": [dataclasses.asdict(b) for b in builds if b.result == "hang"][:10],
        "problems": [
            {"problems": b.problems, "finding": b.finding, "message": b.message}
            for b in builds
            if b.problems
        ][:20],
        "problem_count": sum(bool(b.problems) for b in builds),
        "worst_ratio": round(
            max((b.slowest[1] / bound(b.slowest[0]) for b in builds), default=0), 3
        ),
        "seconds": round(sum(b.seconds for b in builds), 1),
    }


def markdown(result: dict[str, Any]) -> str:
    """The results page."""
    s = result["summary"]
    d, st_, b = s["documents"], s["stores"], s["builds"]
    tracebacks = d["results"].get("traceback", 0) + b["results"].get("traceback", 0)
    tracebacks += st_["results"].get("traceback", 0)
    hangs = d["results"].get("hang", 0) + b["results"].get("hang", 0)
    hangs += st_["results"].get("hang", 0)
    inv = s["invocations"]
    tracebacks += inv["results"].get("traceback", 0)
    hangs += inv["results"].get("hang", 0)
    lines = [
        f"# Fuzzing the build ({result['date']})\n",
        f"**{s['inputs']:,} inputs**: {d['count']:,} documents extracted one by one "
        f"in this process ({d['chars']:,} characters) and written to the store in "
        f"{st_['batches']:,} batches, and {b['inputs']:,} inputs in {b['count']:,} "
        f"whole builds ({b['via_cli']} through `python -m kg build`), and "
        f"{inv['count']:,} `kg build` command lines with bad paths or bad "
        f"configuration (through `kg.cli.main`). "
        f"{result['minutes']:.0f} min at a load average of {result['load_avg']} "
        f"on {os.cpu_count()} shared cores.\n",
        f"- **tracebacks: {tracebacks}, hangs: {hangs}**, documents over the time "
        f"bound: {d['slow']}, builds with a broken property: {b['problem_count']}, "
        f"store batches with a problem: {len(st_['problems'])}",
        f"- time bound: {BOUND_SECONDS:g} s + {BOUND_PER_CHAR * 1e3:g} ms a character "
        f"of CPU per document (and per stored batch); worst document "
        f"{d['worst_ratio']} of its bound, worst stored batch {st_['worst_ratio']}, "
        f"worst document in a whole build {b['worst_ratio']}",
        f"- builds: {b['results']}; one-line errors by kind: {b['errors_by_kind']}",
        f"- CPU seconds by stage (documents): {d['stage_cpu']}",
        f"- largest store written: {st_['largest_store']:,} documents",
        f"- command lines: {inv['results']}, with a broken property: "
        f"{inv['problem_count']}; {inv['distinct_errors']} distinct one-line "
        "errors, e.g.:\n",
        *[f"  - `kg: error: {m}`" for m in inv["error_samples"]],
        "",
        "Per kind of segment (a document has one to four):\n",
        "| kind | documents | chars | CPU s | ms / 1,000 chars | worst / bound |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, row in d["by_kind"].items():
        lines.append(
            f"| {kind} | {row['documents']:,} | {row['chars']:,} | {row['cpu']} "
            f"| {row['ms_per_kchar']} | {row['worst']} |"
        )
    lines += [
        "\nSlowest documents against the bound:\n",
        "| chars | kinds | CPU s | stages (CPU s) | kept as |",
        "|---:|---|---:|---|---|",
    ]
    for row in d["slowest"]:
        stages = sorted(row["stages"].items(), key=lambda kv: -kv[1])[:3]
        lines.append(
            f"| {row['chars']:,} | {', '.join(row['kinds'])} | {row['cpu']:.2f} "
            f"| {', '.join(f'{k} {v}' for k, v in stages)} | {row['finding'] or ''} |"
        )
    return "\n".join(lines) + "\n"


def save(tally: Tally, started: float, load: float) -> None:
    result = {
        "date": dt.date.today().isoformat(),
        "load_avg": round(load, 2),
        "minutes": (time.time() - started) / 60,
        "bound": {"seconds": BOUND_SECONDS, "per_char": BOUND_PER_CHAR},
        "summary": summary(tally),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "fuzz_build.json").write_text(
        json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (RESULTS / "fuzz_build.md").write_text(markdown(result), encoding="utf-8")
