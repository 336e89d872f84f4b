"""Where the page puts each entity: a layout computed in Python, once.

The browser only draws. Entities linked by stated facts are laid out
component by component (networkx's spring layout for small ones, a
Fruchterman-Reingold variant with a cut-off on repulsion, summed on a grid by
FFT, for big ones: :func:`_force_layout`), members of one community pulled
closer than members of different ones; components are then packed in rows,
biggest first, so a corpus of many small stories reads like a contact sheet
rather than a ring around one hairball. Entities linked only by relations the
page hides at first come next, and entities with no relation last, on a grid.
Timings: ``benchmarks/results/render.md``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import scipy.fft
from scipy.spatial import cKDTree

__all__ = ["SCALE", "layout_positions"]

#: Pixels per unit of layout length (the ideal edge length).
SCALE = 140.0
#: Components up to this size get networkx's exact spring layout.
_SMALL = 60
#: Space between packed components, in edge lengths.
_GAP = 1.0
#: The distance (in edge lengths) a component's closest nodes are kept apart.
_NEAREST = 0.7
#: Attraction between members of different communities, relative to 1 within.
_ACROSS = 0.3


#: Repulsion acts up to this many ideal edge lengths.
_CUTOFF = 3.0
#: Cell size of the grid the far part of the repulsion is computed on.
_CELL = 0.25


@functools.lru_cache(maxsize=8)
def _kernel_spectra(shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Fourier transforms of the repulsion kernel ``d / |d|**2`` (``|d| <= cutoff``).

    The kernel is laid out with wrap-around on a grid of ``shape`` cells of
    :data:`_CELL`, so a product of spectra is a (circular) convolution.
    """
    reach = math.ceil(_CUTOFF / _CELL)
    offsets = np.arange(-reach, reach + 1)
    dx, dy = np.meshgrid(offsets * _CELL, offsets * _CELL, indexing="ij")
    d2 = dx**2 + dy**2
    inside = (d2 > 0) & (d2 <= _CUTOFF**2)
    safe = np.where(inside, d2, 1.0)
    rows = (offsets % shape[0])[:, None]
    cols = (offsets % shape[1])[None, :]
    spectra = []
    for component in (dx, dy):
        kernel = np.zeros(shape)
        kernel[rows, cols] = np.where(inside, component / safe, 0.0)
        spectra.append(scipy.fft.rfft2(kernel))
    return spectra[0], spectra[1]


def _grid_size(cells: int) -> int:
    """Round a grid side up (to few distinct sizes, so kernel spectra are reused)."""
    if cells <= 64:
        return 64
    return int(scipy.fft.next_fast_len(-(-cells // 32) * 32, real=True))


def _repulsion(pos: np.ndarray) -> np.ndarray:
    """Sum of ``d / |d|**2`` over all pairs closer than :data:`_CUTOFF`, per node.

    The far part is a particle-mesh sum: the nodes are spread on a grid of
    :data:`_CELL` (cloud in cell), the grid is convolved with the kernel by
    FFT and the field read back at the nodes (``O(n log n)``; the same
    weights for spreading and reading make a node's force on itself zero).
    Pairs closer than one cell, which the grid smooths, are added exactly.
    """
    n = len(pos)
    reach = math.ceil(_CUTOFF / _CELL)
    scaled = (pos - pos.min(axis=0)) / _CELL
    cell = np.floor(scaled).astype(np.int64)
    frac = scaled - cell
    # room for the kernel's reach past the last node, so nothing wraps round
    top = cell.max(axis=0)
    shape = (_grid_size(int(top[0]) + 2 + reach), _grid_size(int(top[1]) + 2 + reach))
    width = shape[1]
    flat = cell[:, 0] * width + cell[:, 1]
    corners = (flat, flat + width, flat + 1, flat + width + 1)
    fx, fy = frac[:, 0], frac[:, 1]
    weights = (
        (1 - fx) * (1 - fy),
        fx * (1 - fy),
        (1 - fx) * fy,
        fx * fy,
    )
    size = shape[0] * width
    density = sum(
        np.bincount(c, w, minlength=size) for c, w in zip(corners, weights, strict=True)
    )
    spectrum = scipy.fft.rfft2(np.reshape(density, shape))
    push = np.zeros((n, 2))
    for axis, kernel in enumerate(_kernel_spectra(shape)):
        field = scipy.fft.irfft2(spectrum * kernel, s=shape).ravel()
        push[:, axis] = sum(field[c] * w for c, w in zip(corners, weights, strict=True))
    close = cKDTree(pos).query_pairs(_CELL, output_type="ndarray")
    if len(close):
        i, j = close[:, 0], close[:, 1]
        delta = pos[i] - pos[j]
        near = delta / np.maximum((delta**2).sum(axis=1), 1e-4)[:, None]
        for axis in (0, 1):
            push[:, axis] += np.bincount(i, near[:, axis], minlength=n)
            push[:, axis] -= np.bincount(j, near[:, axis], minlength=n)
    return push


def _force_layout(
    n: int,
    pairs: np.ndarray,
    *,
    iterations: int,
    seed: int,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """Fruchterman-Reingold with cut-off repulsion; ``pairs`` index into ``n`` nodes.

    ``weights`` scale each pair's attraction. Each iteration costs about
    ``O(n log n)`` (:func:`_repulsion`).
    """
    rng = np.random.default_rng(seed)
    radius = math.sqrt(n) * 0.6
    pos = rng.uniform(-radius, radius, size=(n, 2))
    src, dst = pairs[:, 0], pairs[:, 1]
    gravity = 0.02
    temperature = radius * 0.2
    cooling = (
        (0.02 / temperature) ** (1.0 / max(iterations, 1))
        if temperature > 0.02
        else 1.0
    )
    for _ in range(iterations):
        disp = _repulsion(pos)
        if len(src):
            delta = pos[src] - pos[dst]
            dist = np.sqrt((delta**2).sum(axis=1))
            pull = delta * dist[:, None]
            if weights is not None:
                pull *= weights[:, None]
            for axis in (0, 1):
                disp[:, axis] -= np.bincount(src, pull[:, axis], minlength=n)
                disp[:, axis] += np.bincount(dst, pull[:, axis], minlength=n)
        disp -= gravity * pos
        length = np.maximum(np.sqrt((disp**2).sum(axis=1)), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature *= cooling
    centred: np.ndarray = pos - pos.mean(axis=0)
    return centred


def _component_layout(
    size: int,
    pairs: np.ndarray,
    weights: np.ndarray,
    *,
    iterations: int,
    seed: int,
) -> np.ndarray:
    """Lay out one connected component with edges about one unit long."""
    if size == 1:
        return np.zeros((1, 2))
    if size == 2:
        # one above the other: a row of pairs leaves each label its width
        return np.array([[0.0, -0.5], [0.0, 0.5]])
    if size <= _SMALL:
        import networkx as nx

        graph = nx.Graph()
        graph.add_nodes_from(range(size))
        for (a, b), w in zip(pairs.tolist(), weights.tolist(), strict=True):
            graph.add_edge(a, b, weight=w)
        spring = nx.spring_layout(graph, seed=seed, weight="weight", iterations=80)
        pos = np.array([spring[i] for i in range(size)], dtype=float)
    else:
        pos = _force_layout(
            size, pairs, iterations=iterations, seed=seed, weights=weights
        )
    lengths = np.sqrt(((pos[pairs[:, 0]] - pos[pairs[:, 1]]) ** 2).sum(axis=1))
    typical = float(np.median(lengths)) if len(lengths) else 1.0
    # room for labels: the closest neighbours (a hub's leaves) are spread to
    # about _NEAREST edge lengths apart, even when edges come out shorter
    nearest, _ = cKDTree(pos).query(pos, k=2)
    close = float(np.percentile(nearest[:, 1], 25))
    unit = min(max(typical, 1e-6), max(close, 1e-6) / _NEAREST)
    centred: np.ndarray = (pos - pos.mean(axis=0)) / unit
    return centred


def _pack(parts: Sequence[np.ndarray], *, aspect: float = 2.0) -> list[np.ndarray]:
    """Place laid-out components in rows (biggest first), ``_GAP`` apart.

    Returns the components moved into place, in the order given.
    """
    boxes = [
        (p.max(axis=0) - p.min(axis=0)) + _GAP if len(p) else np.zeros(2) for p in parts
    ]
    area = sum(float(b[0] * b[1]) for b in boxes)
    widest = max((float(b[0]) for b in boxes), default=0.0)
    width = max(math.sqrt(area * aspect), widest)
    order = sorted(range(len(parts)), key=lambda i: (-len(parts[i]), i))
    placed: list[np.ndarray] = [np.zeros((0, 2))] * len(parts)
    x = y = row_height = 0.0
    for i in order:
        w, h = float(boxes[i][0]), float(boxes[i][1])
        if x > 0 and x + w > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        part = parts[i]
        placed[i] = part - part.min(axis=0) + np.array([x, y])
        x += w
        row_height = max(row_height, h)
    return placed


def _grid_below(top: np.ndarray, count: int, *, spacing: float = 1.0) -> np.ndarray:
    """Place ``count`` points on a grid under the ``top`` points, as wide as they."""
    x0, width, y = 0.0, math.sqrt(count) * spacing * 1.6, 0.0
    if len(top):
        x0 = float(top[:, 0].min())
        width = max(float(top[:, 0].max()) - x0, spacing)
        y = float(top[:, 1].max()) + 2 * spacing
    cols = max(int(width / spacing) + 1, 1)
    k = np.arange(count)
    return np.column_stack([x0 + (k % cols) * spacing, y + (k // cols) * spacing])


def _components(n: int, pairs: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Find the connected components of ``pairs`` and each pair's component.

    Returns the members of each component (node indexes) and, for each pair,
    the index of its component in that list.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if not len(pairs):
        return [], np.zeros(0, dtype=np.int64)
    matrix = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _count, labels = connected_components(matrix, directed=False)
    linked = np.unique(pairs.ravel())
    numbers = {int(c): k for k, c in enumerate(dict.fromkeys(labels[linked].tolist()))}
    members: list[list[int]] = [[] for _ in numbers]
    for node in linked.tolist():
        members[numbers[int(labels[node])]].append(node)
    of_pair = np.array([numbers[int(c)] for c in labels[pairs[:, 0]]], dtype=np.int64)
    return [np.array(m) for m in members], of_pair


def _lay_out_graph(
    n: int,
    pairs: np.ndarray,
    weights: np.ndarray,
    *,
    iterations: int,
    seed: int,
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Lay out every component of ``pairs``; return (members, positions) lists."""
    members, of_pair = _components(n, pairs)
    remap = np.full(n, -1, dtype=np.int64)
    order = np.argsort(of_pair, kind="stable")
    bounds = np.searchsorted(of_pair[order], np.arange(len(members) + 1))
    layouts = []
    for k, nodes in enumerate(members):
        remap[nodes] = np.arange(len(nodes))
        inside = order[bounds[k] : bounds[k + 1]]
        layouts.append(
            _component_layout(
                len(nodes),
                remap[pairs[inside]],
                weights[inside],
                iterations=iterations,
                seed=seed,
            )
        )
    return members, layouts


def _pairs(
    index: Mapping[str, int],
    edges: Iterable[tuple[str, str]],
    groups: Mapping[str, int],
) -> tuple[np.ndarray, np.ndarray]:
    seen: set[tuple[int, int]] = set()
    pairs: list[tuple[int, int]] = []
    weights: list[float] = []
    for a, b in edges:
        i, j = index.get(a), index.get(b)
        if i is None or j is None or i == j:
            continue
        key = (min(i, j), max(i, j))
        if key in seen:
            continue
        seen.add(key)
        pairs.append(key)
        same = groups.get(a, -1) == groups.get(b, -2)
        weights.append(1.0 if same or not groups else _ACROSS)
    return (
        np.array(pairs, dtype=np.int64).reshape(-1, 2),
        np.array(weights, dtype=float),
    )


def layout_positions(
    node_ids: Iterable[str],
    edges: Iterable[tuple[str, str]],
    *,
    secondary: Iterable[tuple[str, str]] = (),
    groups: Mapping[str, int] | None = None,
    iterations: int = 120,
    seed: int = 0,
) -> dict[str, tuple[float, float]]:
    """Lay a graph out in the plane, fast enough for thousands of nodes.

    Parameters
    ----------
    node_ids
        The nodes, in the order isolated ones fill the grid.
    edges
        The relations the layout is made for (the page's first view).
    secondary
        Relations shown only on demand: nodes linked only by these are laid
        out after the others, never pulling them apart.
    groups
        Community of each node: members of one community attract each other
        more than members of different ones.
    iterations, seed
        Of the force layout; the result is deterministic for a seed.

    Returns
    -------
    dict
        Node -> ``(x, y)`` in pixels, about :data:`SCALE` per edge.

    Examples
    --------
    >>> pos = layout_positions("abcd", [("a", "b"), ("b", "c")])
    >>> sorted(pos), all(isinstance(x, float) for p in pos.values() for x in p)
    (['a', 'b', 'c', 'd'], True)
    >>> d = pos["d"][1] > max(pos[k][1] for k in "abc")  # the unlinked one below
    >>> d
    True
    """
    ids = list(dict.fromkeys(node_ids))
    n = len(ids)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(ids)}
    groups = groups or {}
    pairs, weights = _pairs(index, edges, groups)
    members, layouts = _lay_out_graph(
        n, pairs, weights, iterations=iterations, seed=seed
    )
    done = np.zeros(n, dtype=bool)
    for nodes in members:
        done[nodes] = True
    more, more_weights = _pairs(index, secondary, groups)
    if len(more):
        keep = ~(done[more[:, 0]] | done[more[:, 1]])
        extra_members, extra_layouts = _lay_out_graph(
            n, more[keep], more_weights[keep], iterations=iterations, seed=seed
        )
        members += extra_members
        layouts += extra_layouts
    pos = np.zeros((n, 2))
    for nodes, placed in zip(members, _pack(layouts), strict=True):
        pos[nodes] = placed
        done[nodes] = True
    alone = np.flatnonzero(~done)
    if len(alone):
        pos[alone] = _grid_below(pos[done], len(alone))
    return {
        node: (float(x * SCALE), float(y * SCALE))
        for node, (x, y) in zip(ids, pos, strict=True)
    }
