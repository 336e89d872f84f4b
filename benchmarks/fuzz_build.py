"""Fuzz the build with hostile texts and file names (hypothesis), stage by stage.

Four kinds of run, one benchmark (the code is the package ``benchmarks/fuzz``):

1. **Documents** (most inputs). Hypothesis draws a hostile or ordinary text
   (deep nesting of brackets and quotation marks, long lists of names,
   comma-joined clauses, lines without punctuation, control characters, huge
   numbers, mixed scripts, long coordinations, pronoun chains, repeated
   sentences, floods of whitespace, random Unicode, ...). Each is built
   in this process through the build's own code (:func:`kg.build._iter_extracted`
   with the pipeline loaded once, no worker: the code a build runs), with the
   CPU and wall seconds of each stage (parse, mentions, coref, relations,
   values, rdf = the document's quads serialised, other) kept; every
   ``--batch`` documents are written into a store (the store stage, timed
   too), one store for many batches, so merging into a growing store is
   exercised. A document must extract without an exception (a traceback),
   within the hang alarm, and within the **time bound** ``BOUND_SECONDS +
   BOUND_PER_CHAR * chars`` CPU seconds; a batch must be stored, every
   document in it, within the same bound of the batch's characters.
2. **Builds.** Hypothesis draws a folder of 1 to N files with random, hostile
   names (control characters, mixed scripts, names that fold to one slug:
   case, NFC/NFD, space/hyphen, the same name in two folders; now and then a
   name that is not UTF-8) holding hostile texts (now and then empty, binary
   or Latin-1 bytes) or JSON Lines corpora, named as a folder, a glob or an
   ``@LIST``; each is built with :func:`kg.build.run_build` (page included),
   into a fresh output or into a copy of an existing one. The build must
   succeed keeping every input as a document of its own (or skipping it with
   a one-line warning), or fail with a one-line :class:`kg.errors.KGError`,
   leaving the output folder byte for byte as it was.
3. **Builds through the CLI** (a share of 2.): ``python -m kg build`` in a
   child process; a failure must be one ``kg: error: ...`` line on stderr
   (besides ``kg: warning:`` lines) and a non-zero exit, the output untouched.

4. **Command lines** (:mod:`benchmarks.fuzz.invocations`): ``kg build`` with
   bad paths (missing, empty, NUL, too long, not UTF-8, ``/dev/zero``, a
   FIFO, binary, UTF-16, ``@LIST`` of bad names) and bad configuration
   (options, ``KG_SPACY_MODEL``), through :func:`kg.cli.main`: exactly one
   ``kg: error:`` line on a non-zero exit, an existing output untouched.

Most documents are small (:data:`~benchmarks.fuzz.strategies.SMALL`), a few a
round large (:data:`~benchmarks.fuzz.strategies.BENCH`).

Every failing or slow input is kept, with its stage timings, under
``--findings`` (default ``output/fuzz-findings/``): ``<kind>-<n>/input.txt``
(a document) or ``<kind>-<n>/in/`` (a build's files, names as drawn) and
``finding.json``. The input being run is written to ``current/`` first, so
a crash of the whole process leaves it too. Replay one with
``python benchmarks/fuzz_build.py --replay output/fuzz-findings/slow-0001``.

Usage::

    nice -n 5 python benchmarks/fuzz_build.py [--inputs 10000] [--minutes M]

Writes ``benchmarks/results/fuzz_build.{json,md}`` (rewritten after every
round, so a stopped run keeps its figures). ``tests/test_fuzz.py`` runs a
fast, derandomized slice (:data:`~benchmarks.fuzz.strategies.CI`). The hostile
inputs at full size are ``benchmarks/hostile_mentions.py`` and
``benchmarks/relations_cost.py``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in {None, ""}:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.fuzz.builds import fuzz_builds, make_base, run_example
from benchmarks.fuzz.documents import (
    build_config,
    fuzz_documents,
    run_document,
    store_batch,
)
from benchmarks.fuzz.harness import (
    FINDINGS,
    RESULTS,
    Findings,
    StageClock,
)
from benchmarks.fuzz.invocations import fuzz_invocations
from benchmarks.fuzz.report import Tally, save, summary
from benchmarks.fuzz.strategies import BENCH, SMALL, Corpus, Drawn


def replay(where: Path) -> dict[str, Any]:
    """Run a kept finding again; return what happened (timings per stage)."""
    meta = json.loads((where / "finding.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        if (where / "input.txt").exists():
            text = (where / "input.txt").read_text(encoding="utf-8")
            clock = StageClock()
            config = build_config(Path(tmp) / "out")
            with clock.installed():
                outcome, extracted = run_document(
                    Drawn(text, tuple(meta.get("kinds", ()))),
                    "replay",
                    clock,
                    config,
                    Findings(None),
                )
            result = dataclasses.asdict(outcome)
            if extracted is not None:
                result["store"] = dataclasses.asdict(
                    store_batch(Path(tmp) / "out", [extracted], len(text))
                )
            return result
        corpus = Corpus(spec=meta.get("spec", "folder"))
        folder = where / "in"
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                rel = os.fsencode(path.relative_to(folder))
                corpus.files[rel] = path.read_bytes()
        corpus.counts = {os.fsencode(k): v for k, v in meta.get("counts", {}).items()}
        return dataclasses.asdict(run_example(corpus, Path(tmp), None))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--minutes", type=float, default=None, help="stop after")
    parser.add_argument(
        "--round", type=int, default=400, help="small documents a round"
    )
    parser.add_argument("--large", type=int, default=10, help="large documents a round")
    parser.add_argument(
        "--batch", type=int, default=100, help="documents a store write"
    )
    parser.add_argument("--builds", type=int, default=6, help="builds a round")
    parser.add_argument("--invocations", type=int, default=150, help="a round")
    parser.add_argument("--cli-every", type=int, default=5)
    parser.add_argument("--findings", type=Path, default=FINDINGS)
    parser.add_argument("--replay", type=Path, default=None)
    parser.add_argument("--first-seed", type=int, default=0)
    args = parser.parse_args()
    if args.replay is not None:
        print(json.dumps(replay(args.replay), indent=1, ensure_ascii=False)[:20000])
        return
    load = os.getloadavg()[0]
    started = time.time()
    deadline = time.monotonic() + 60 * (args.minutes or 1e9)
    findings = Findings(args.findings)
    tally = Tally()
    log = (args.findings / "progress.jsonl").open("a")
    with tempfile.TemporaryDirectory() as tmp:
        base = make_base(Path(tmp))
        round_no = args.first_seed
        while tally.inputs < args.inputs and time.monotonic() < deadline:
            work = Path(tmp) / f"round-{round_no}"
            work.mkdir()
            for scale, count, offset in ((SMALL, args.round, 0),
                                         (BENCH, args.large, 10_000)):  # fmt: skip
                if count:
                    fuzz_documents(
                        scale, count, work, findings, tally.docs.append,
                        tally.stores.append, seed_value=round_no + offset,
                        batch=args.batch,
                    )  # fmt: skip
            if args.invocations:
                fuzz_invocations(
                    args.invocations, work, base, findings,
                    tally.invocations.append, seed_value=round_no,
                )  # fmt: skip
            if args.builds:
                fuzz_builds(
                    BENCH, args.builds, base, findings, tally.builds.append,
                    seed_value=round_no, cli_every=args.cli_every,
                )  # fmt: skip
            shutil.rmtree(work, ignore_errors=True)
            save(tally, started, load)
            brief = summary(tally)
            log.write(json.dumps({"round": round_no, "inputs": tally.inputs,
                                  "findings": findings.counts,
                                  "docs": brief["documents"]["results"],
                                  "builds": brief["builds"]["results"],
                                  "invocations": brief["invocations"]["results"]})
                      + "\n")  # fmt: skip
            log.flush()
            print(f"round {round_no}: {tally.inputs} inputs, findings "
                  f"{findings.counts}", file=sys.stderr, flush=True)  # fmt: skip
            round_no += 1
    save(tally, started, load)
    print((RESULTS / "fuzz_build.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
