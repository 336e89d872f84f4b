"""Make the session ``nlp`` fixture available to doctests under ``kg/``."""

from __future__ import annotations

pytest_plugins = ["tests.fixtures"]
