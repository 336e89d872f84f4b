"""``python -m kg`` runs the ``kg`` command (the same as the ``kg`` script)."""

from __future__ import annotations

import sys

from kg.cli import main

if __name__ == "__main__":
    sys.exit(main())
