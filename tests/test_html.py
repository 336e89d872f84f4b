"""The graph page of a real build, opened in Debian's Chromium with no network."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.ontology import KGO

pytestmark = pytest.mark.browser

_LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


def test_page_is_offline_and_draws_every_entity(browser, seed_build: Path) -> None:  # type: ignore[no-untyped-def]
    graph = Graph().parse(seed_build / "graph.ttl", format="turtle")
    entities = set(graph.subjects(KGO.mention, None))
    assert entities

    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((seed_build / "graph.html").resolve().as_uri())
    page.wait_for_function("() => window.kgNetwork !== undefined", timeout=30_000)
    nodes = page.evaluate("() => window.kgNetwork.body.data.nodes.length")
    page.close()

    outside = [u for u in requests if not u.startswith(_LOCAL_SCHEMES)]
    assert not outside, f"the page requested {outside}"
    assert nodes == len(entities)
