"""The build's fuzz suite: hostile inputs through the real build (hypothesis).

Modules, in the order a run uses them: :mod:`~benchmarks.fuzz.strategies`
(what is drawn), :mod:`~benchmarks.fuzz.harness` (time bound, stage clock,
alarm, kept findings), :mod:`~benchmarks.fuzz.documents` (documents extracted
and stored in this process), :mod:`~benchmarks.fuzz.builds` (whole builds,
API and CLI), :mod:`~benchmarks.fuzz.invocations` (``kg build`` command lines
with bad paths and configuration), :mod:`~benchmarks.fuzz.report` (results).
The benchmark is ``benchmarks/fuzz_build.py``; the CI slice ``tests/test_fuzz.py``.
"""
