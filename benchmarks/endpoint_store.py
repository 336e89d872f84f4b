"""Build (once) the store the endpoint benchmark queries: 300 Re-DocRED documents.

The documents' sentences are detokenised into plain text files and built with
the real ``kg build``; the output is cached under ``/tmp/kg-endpoint-bench``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "eval" / "redocred" / "dev_revised.json"
CACHE = Path("/tmp/kg-endpoint-bench")


def detokenise(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = re.sub(r" ([.,;:!?%)\]}'])", r"\1", text)
    text = re.sub(r"([(\[{$]) ", r"\1", text)
    return text.replace(" n't", "n't").replace(" 's", "'s").replace("`` ", '"').replace(" ''", '"')


def build_store(documents: int = 300) -> Path:
    out = CACHE / "out"
    if (out / "store").is_dir():
        return out
    texts = CACHE / "texts"
    texts.mkdir(parents=True, exist_ok=True)
    for i, doc in enumerate(json.loads(SOURCE.read_text(encoding="utf-8"))[:documents]):
        body = "\n".join(detokenise(s) for s in doc["sents"])
        (texts / f"doc{i:04d}.txt").write_text(body + "\n", encoding="utf-8")
    subprocess.run(
        ["nice", "-n", "5", sys.executable, "-m", "kg", "build", str(texts), "--out", str(out)],
        check=True,
        cwd=ROOT,
    )
    return out


if __name__ == "__main__":
    print(build_store())
