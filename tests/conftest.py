"""Fixtures live in :mod:`tests.fixtures`, loaded by the top-level conftest."""
