"""No development text in the code: rules must generalise, not remember documents.

Runs the shared checker (``../shared/tools/fingerprints.py``): any 8-word
sequence of ``../shared/eval`` text appearing in a ``.py`` file of ``kg/``,
``tests/`` or ``ontology/`` fails the test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def test_no_eight_word_sequence_of_eval_data_in_code() -> None:
    tool = SHARED / "tools" / "fingerprints.py"
    if not (tool.is_file() and (SHARED / "eval").is_dir()):
        pytest.skip("../shared/eval or its fingerprint tool is not beside the checkout")
    run = subprocess.run(
        [
            sys.executable,
            str(tool),
            str(SHARED / "eval"),
            "kg",
            "tests",
            "ontology",
            "--max",
            "0",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:]
