"""Run 4: ``kg build`` invoked with bad paths and bad configuration.

Hypothesis draws a command line: inputs (a missing file, an empty name, a
name with a NUL byte, a name longer than the system allows, a name that is
not UTF-8, a directory of nothing, ``/dev/zero``, ``/dev/null``, a FIFO, a
binary file, an ``@LIST`` naming any of these or itself missing, a glob of
nothing, a good small file), an output folder (a regular file, a device, a
path under a file, ``/proc``, a folder whose ``store`` is garbage or whose
``graph.ttl`` is a directory, an existing build) and options (unknown
extractor or model, negative or huge numbers, words where numbers go, a bad
cluster address, ``KG_SPACY_MODEL`` naming nothing). Each runs through
:func:`kg.cli.main` in this process (the pipeline loads once).

The properties: nothing escapes ``main`` (no traceback); a non-zero exit
prints exactly one ``kg: error:`` line on stderr besides ``kg: warning:``
lines; a zero exit prints none; an existing output folder a failed run was
pointed at is byte for byte as it was, and its store still opens with the
documents it held.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from benchmarks.fuzz.harness import Findings, HangError, alarm, snapshot

#: wall seconds one invocation may take (a valid one builds a small file)
INVOCATION_SECONDS = 120.0

#: inputs, by name; :func:`prepare` makes each under the work folder
INPUTS = (
    "good",
    "missing",
    "empty-name",
    "nul",
    "too-long",
    "not-utf8",
    "empty-dir",
    "dev-zero",
    "dev-null",
    "fifo",
    "binary",
    "latin1",
    "utf16",
    "huge-token",
    "list-good",
    "list-missing",
    "list-of-bad",
    "list-self",
    "glob-nothing",
    "dash",
    "proc",
)
#: output folders, by name
OUTS = (
    "fresh",
    "base",
    "file",
    "under-file",
    "dev-null",
    "proc",
    "garbage-store",
    "ttl-dir",
    "html-dir",
    "empty-name",
    "nul",
    "too-long",
)
_NUMBERS = ["-1", "0", "1", "x", "", "1e3", "99999999999999999999999999", "2.5", "٣"]
#: no value a worker process would start for (int() reads "٣" as 3)
_WORKERS = ["-1", "x", "", "1e3", "99999999999999999999999999", "2.5"]
_OPTIONS: dict[str, list[str]] = {
    "--workers": _WORKERS,
    "--max-nodes": _NUMBERS,
    "--max-document-chars": _NUMBERS,
    "--max-sentence-tokens": _NUMBERS,
    "--max-nesting": _NUMBERS,
    "--extractor": ["nope", "", "kg.clauses.v3+nope", "kg.svo.v1", "kg.clauses.v3"],
    "--model": ["no_such_model", "", "/etc", "../..", "en_core_web_sm\x00"],
    "--cluster": ["local:0", "local:-1", "local:x", "nope://", "tcp://", ""],
    "--no-such-option": ["1"],
}
_ENV_MODELS = ["", "no_such_model", "/dev/null"]


@dataclass(frozen=True)
class Invocation:
    """A drawn command line, by the names of its parts."""

    inputs: tuple[str, ...]
    out: str
    options: tuple[tuple[str, str], ...]
    env_model: str | None


@st.composite
def invocations(draw: st.DrawFn) -> Invocation:
    """A ``kg build`` command line with bad paths or bad configuration."""
    inputs = tuple(draw(st.lists(st.sampled_from(INPUTS), min_size=1, max_size=3)))
    options = draw(
        st.lists(
            st.sampled_from(sorted(_OPTIONS)).flatmap(
                lambda o: st.tuples(st.just(o), st.sampled_from(_OPTIONS[o]))
            ),
            max_size=2,
        )
    )
    env = draw(st.one_of(st.none(), st.sampled_from(_ENV_MODELS)))
    return Invocation(inputs, draw(st.sampled_from(OUTS)), tuple(options), env)


def _input(work: Path, name: str) -> str:
    good = work / "good.txt"
    if not good.exists():
        good.write_text("Ada Lovelace met Grace Hopper in London.\n")
    made = {
        "good": str(good),
        "missing": str(work / "missing.txt"),
        "empty-name": "",
        "nul": str(work / "a\x00b.txt"),
        "too-long": str(work / ("n" * 300 + ".txt")),
        "dev-zero": "/dev/zero",
        "dev-null": "/dev/null",
        "dash": "-",
        "proc": "/proc/self/status",
        "glob-nothing": str(work / "nothing" / "**" / "*.txt"),
        "list-missing": "@" + str(work / "no-list.txt"),
        "list-self": "@" + str(work / "self.lst"),
    }
    if name in made:
        if name == "list-self":
            (work / "self.lst").write_text("@" + str(work / "self.lst") + "\n")
        return made[name]
    path = work / name
    if name == "not-utf8":
        raw = os.path.join(os.fsencode(work), b"caf\xe9.txt")
        with open(raw, "wb") as fh:
            fh.write(b"Ada met Bo.\n")
        return os.fsdecode(raw)
    if name == "empty-dir":
        path.mkdir(exist_ok=True)
    elif name == "fifo":
        path = work / "fifo.txt"
        if not path.exists():
            os.mkfifo(path)
    elif name == "binary":
        path = work / "binary.txt"
        path.write_bytes(bytes(range(256)) * 8)
    elif name == "latin1":
        path = work / "latin1.txt"
        path.write_bytes("Ada Lovelace a visité Besançon.\n".encode("latin-1"))
    elif name == "utf16":
        path = work / "utf16.txt"
        path.write_bytes("Ada Lovelace met Grace Hopper.\n".encode("utf-16"))
    elif name == "huge-token":
        path = work / "token.txt"
        path.write_text("Ada met Bo. " + "x" * 200_000 + " Bo left.\n")
    elif name == "list-good":
        path = work / "good.lst"
        path.write_text(str(good) + "\n")
        return "@" + str(path)
    elif name == "list-of-bad":
        path = work / "bad.lst"
        path.write_text(f"{work / 'missing.txt'}\n/dev/zero\n\n{work / 'empty-dir'}\n")
        (work / "empty-dir").mkdir(exist_ok=True)
        return "@" + str(path)
    return str(path)


def _out(work: Path, name: str, base: Path) -> Path | str:
    out = work / "out"
    if name == "base":
        shutil.copytree(base, out, symlinks=True)
    elif name == "file":
        out.write_text("not a folder\n")
    elif name == "under-file":
        out.write_text("not a folder\n")
        return out / "sub"
    elif name == "garbage-store":
        shutil.copytree(base, out, symlinks=True)
        store = (out / "store").resolve()  # a link to the store's folder
        (store / "CURRENT").write_bytes(b"\x00garbage\xff" * 10)
    elif name in {"ttl-dir", "html-dir"}:
        shutil.copytree(base, out, symlinks=True)
        target = out / ("graph.ttl" if name == "ttl-dir" else "graph.html")
        target.unlink(missing_ok=True)
        target.mkdir()
    else:
        named: dict[str, Path | str] = {
            "fresh": out,
            "dev-null": "/dev/null",
            "proc": "/proc/kg-fuzz",
            "empty-name": "",
            "nul": str(work / "o\x00ut"),
            "too-long": str(work / ("o" * 300)),
        }
        return named[name]
    return out


@dataclass
class InvocationOutcome:
    """What one command line did."""

    argv: list[str]
    exit: int | None = None
    result: str = "ok"  # ok | error | traceback | hang
    message: str = ""
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    finding: str | None = None


def argv_for(work: Path, drawn: Invocation, base: Path) -> tuple[list[str], Path | str]:
    """The command line (and the output folder) of a drawn invocation."""
    specs = [_input(work, name) for name in drawn.inputs]
    out = _out(work, drawn.out, base)
    argv = ["build", *specs, "--out", str(out)]
    for option, value in drawn.options:
        argv += [option, value]
    return argv, out


@contextlib.contextmanager
def _environment(model: str | None) -> Any:
    saved = os.environ.get("KG_SPACY_MODEL")
    stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(b""))
    if model is not None:
        os.environ["KG_SPACY_MODEL"] = model
    try:
        yield
    finally:
        sys.stdin = stdin
        if saved is None:
            os.environ.pop("KG_SPACY_MODEL", None)
        else:
            os.environ["KG_SPACY_MODEL"] = saved


def _store_documents(out: Path | str) -> int | None:
    from kg.store import has_store, list_documents

    path = Path(out)
    try:
        return len(list_documents(path)) if has_store(path) else None
    except Exception:  # noqa: BLE001 - an unreadable store counts as None
        return None


def run_invocation(
    drawn: Invocation, work: Path, base: Path, findings: Findings | None = None
) -> InvocationOutcome:
    """Run one drawn command line through :func:`kg.cli.main` and judge it."""
    from kg.cli import main

    argv, out = argv_for(work, drawn, base)
    outcome = InvocationOutcome(argv=argv)
    existing = isinstance(out, Path) and out.is_dir()
    before = snapshot(Path(out)) if existing else {}
    held = _store_documents(out) if existing else None
    stdout, stderr = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    try:
        with (
            _environment(drawn.env_model),
            contextlib.chdir(work),  # ``--out ''`` is the current folder
            contextlib.redirect_stdout(stdout),
            contextlib.redirect_stderr(stderr),
            alarm(INVOCATION_SECONDS),
        ):
            outcome.exit = main(argv)
    except HangError:
        outcome.result = "hang"
    except BaseException as exc:  # noqa: BLE001 - the fuzz's finding
        outcome.result = "traceback"
        outcome.message = "".join(traceback.format_exception(exc)[-4:])[-2000:]
    outcome.seconds = time.perf_counter() - started
    if outcome.result == "ok":
        _judge(outcome, stderr.getvalue())
        outcome.message = outcome.message.replace(str(work), "WORK")
    if outcome.result == "error" and existing:
        if snapshot(Path(out)) != before:
            outcome.problems.append("a failed run changed the output folder")
        if _store_documents(out) != held:
            outcome.problems.append(
                "a failed run changed what the store holds (or it no longer opens)"
            )
    if findings is not None and (outcome.result != "ok" and outcome.result != "error"
                                 or outcome.problems):  # fmt: skip
        kind = outcome.result if outcome.result != "error" else "invocation-problem"
        meta = {
            **outcome.__dict__,
            "argv": [repr(a) for a in argv],
            "drawn": repr(drawn),
        }
        outcome.finding = findings.keep(kind, meta)
    return outcome


def _judge(outcome: InvocationOutcome, stderr: str) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    warnings = [line for line in lines if line.startswith("kg: warning: ")]
    rest = [line for line in lines if line not in warnings]
    if outcome.exit == 0:
        if rest:
            outcome.problems.append(f"exit 0 but stderr: {rest[:2]}")
        return
    outcome.result = "error"
    if any("Traceback" in line for line in rest):
        outcome.result = "traceback"
        outcome.message = "\n".join(rest[-4:])[-2000:]
    elif len(rest) != 1 or not rest[0].startswith("kg: error: "):
        outcome.message = "\n".join(rest)[-500:]
        outcome.problems.append(f"exit {outcome.exit} without one error line")
    else:
        outcome.message = rest[0][len("kg: error: ") :]


def fuzz_invocations(
    examples: int,
    work: Path,
    base: Path,
    findings: Findings,
    record: Any,
    *,
    seed_value: int = 0,
) -> None:
    """Run ``examples`` drawn command lines."""
    count = [0]

    @seed(seed_value)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(drawn=invocations())
    def one(drawn: Invocation) -> None:
        count[0] += 1
        here = work / f"inv-{seed_value}-{count[0]}"
        here.mkdir(parents=True)
        try:
            record(run_invocation(drawn, here, base, findings))
        finally:
            shutil.rmtree(here, ignore_errors=True)

    one()
