"""Shortest-path trees kept per target node, so that "which targets are nearest to this point" is a table
look-up instead of a graph search.

Resources (teams, depots, shelters) are few and move rarely; queries are many. For each road node a resource
sits on we keep, once, the tree of every node it reaches within `TREE_BOUND_S` (a Dijkstra from the resource on
the graph in the direction of travel): the reached nodes (sorted), their travel times and their parents. A query
snaps its point to a node and looks that node up in each target's tree; a route is the walk up the parents.

Trees are keyed by (direction, node) on one graph, so a resource that moves or changes status simply uses
another node's tree (or none); the cache belongs to the Graph object, which is replaced when the active network
changes (its uid is the network's version), and is bounded in bytes (least recently used trees go first).
Targets beyond the bound are not in the table: the caller falls back to the full search when the answer could
depend on them."""

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from scipy.sparse.csgraph import dijkstra

from yingji.routing.graph import Graph

# Emergency response is planned in tens of minutes; a target further than this is found by the full search.
TREE_BOUND_S = 1800.0
# Bytes of trees kept per process before the least recently used go.
TREE_BUDGET_BYTES = 512 * 1024 * 1024
# Tables of target lists kept per process (a list of teams, of shelters, … of one query after another).
TABLES_KEPT = 8
# Rows of the dense Dijkstra output materialised at a time while building (bounds the build's memory).
BUILD_CELLS = 4_000_000


@dataclass(frozen=True, eq=False)
class Tree:
    """Nodes reached from (or reaching) one root within the bound: sorted node indexes, their travel times
    (seconds, exactly as scipy's Dijkstra computed them) and the position of each node's parent (-1: root)."""

    nodes: np.ndarray  # int32, sorted
    times: np.ndarray  # float64
    parents: np.ndarray  # int32 positions into nodes

    @property
    def nbytes(self) -> int:
        return self.nodes.nbytes + self.times.nbytes + self.parents.nbytes

    def path(self, node: int) -> list[int]:
        """Nodes from the root to `node` (which must be reached)."""
        pos = int(self.nodes.searchsorted(np.int32(node)))
        # A memoryview hands out Python ints without numpy's per-element scalar objects: the walk is ~10x faster.
        nodes, parents = memoryview(self.nodes.data), memoryview(self.parents.data)
        out = []
        while pos >= 0:
            out.append(nodes[pos])
            pos = parents[pos]
        out.reverse()
        return out


@dataclass(frozen=True, eq=False)
class TreeTable:
    """The trees of one list of targets side by side: one sorted key array (position in the list × graph size +
    node) with the travel times beside it, so that "how long between this node and every target" is one vectorised
    search instead of one search per tree. Built from the trees, exact copies of their times."""

    keys: np.ndarray  # int64, sorted
    times: np.ndarray  # float64
    count: int
    size: int

    @classmethod
    def of(cls, trees: list[Tree], size: int) -> "TreeTable":
        keys: list[np.ndarray] = [tree.nodes.astype(np.int64) + i * size for i, tree in enumerate(trees)]
        times: list[np.ndarray] = [tree.times for tree in trees]
        return cls(
            keys=np.concatenate(keys) if keys else np.empty(0, dtype=np.int64),
            times=np.concatenate(times) if times else np.empty(0),
            count=len(trees),
            size=size,
        )

    @property
    def nbytes(self) -> int:
        return self.keys.nbytes + self.times.nbytes

    def times_at(self, node: int) -> np.ndarray:
        """Travel time between each target (in list order) and `node`; inf where beyond the bound."""
        if not len(self.keys):
            return np.full(self.count, np.inf)
        wanted = np.arange(self.count, dtype=np.int64) * self.size + node
        pos = np.minimum(self.keys.searchsorted(wanted), len(self.keys) - 1)
        return np.where(self.keys[pos] == wanted, self.times[pos], np.inf)


def _tree(times: np.ndarray, predecessors: np.ndarray) -> Tree:
    reached = np.flatnonzero(np.isfinite(times)).astype(np.int32)
    parent_nodes = predecessors[reached]
    parents = np.searchsorted(reached, parent_nodes).astype(np.int32)
    parents[parent_nodes < 0] = -1
    return Tree(nodes=reached, times=times[reached].copy(), parents=parents)


class TreeCache:
    """The trees of one graph, by (direction, root node), least recently used first."""

    def __init__(self, graph: Graph, *, bound_s: float | None = None, budget_bytes: int | None = None) -> None:
        self.graph = graph
        self.bound_s = TREE_BOUND_S if bound_s is None else bound_s
        self.budget_bytes = TREE_BUDGET_BYTES if budget_bytes is None else budget_bytes
        self.nbytes = 0
        self.built = 0
        self._trees: OrderedDict[tuple[bool, int], Tree] = OrderedDict()
        self._tables: OrderedDict[tuple[bool, bytes], TreeTable] = OrderedDict()
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._trees)

    def trees(self, nodes: np.ndarray, *, to_point: bool) -> list[Tree]:
        """The tree of each node: with `to_point`, from the node outwards (who it reaches, along the roads'
        direction); else towards the node (who reaches it). Missing trees are built, several per search."""
        keys = [(to_point, int(node)) for node in nodes]
        found = self._trees
        missing = sorted({key[1] for key in keys if key not in found})
        if missing:
            self._build(missing, to_point=to_point)
        with self._lock:
            out = []
            for key in keys:
                tree = found.get(key)
                if tree is None:  # evicted by a concurrent build under a small budget: build it again
                    self._build([key[1]], to_point=to_point)
                    tree = found[key]
                found.move_to_end(key)
                out.append(tree)
            return out

    def table(self, nodes: np.ndarray, *, to_point: bool) -> tuple[TreeTable, list[Tree]] | None:
        """The table of these targets' trees (kept for the last few target lists) and the trees themselves; None
        when the trees and their table would not fit the byte budget (the caller searches instead: trees that do
        not fit would be rebuilt query after query)."""
        if not self._fits(nodes, to_point=to_point):
            return None
        trees = self.trees(nodes, to_point=to_point)
        key = (to_point, np.asarray(nodes, dtype=np.int64).tobytes())
        with self._lock:
            table = self._tables.get(key)
            if table is not None:
                self._tables.move_to_end(key)
                return table, trees
        table = TreeTable.of(trees, self.graph.size)
        with self._lock:
            self._tables[key] = table
            while len(self._tables) > TABLES_KEPT:
                self._tables.popitem(last=False)
        return table, trees

    def _fits(self, nodes: np.ndarray, *, to_point: bool) -> bool:
        """Whether the trees of `nodes` and their table fit the budget, by the mean size of the trees built so far
        (one is built first to learn it)."""
        roots = {int(node) for node in nodes}
        if not self._trees and roots:
            self._build([min(roots)], to_point=to_point)
        with self._lock:
            mean = self.nbytes / len(self._trees) if self._trees else 0.0
        return 2 * mean * len(roots) <= self.budget_bytes

    @property
    def table_bytes(self) -> int:
        return sum(table.nbytes for table in self._tables.values())

    def _build(self, roots: list[int], *, to_point: bool) -> None:
        matrix = self.graph.forward if to_point else self.graph.backward
        chunk = max(1, BUILD_CELLS // max(self.graph.size, 1))
        for start in range(0, len(roots), chunk):
            part = roots[start : start + chunk]
            times, predecessors = dijkstra(
                matrix, indices=np.asarray(part), return_predecessors=True, limit=self.bound_s
            )
            built = [_tree(times[row], predecessors[row]) for row in range(len(part))]
            with self._lock:
                for root, tree in zip(part, built, strict=True):
                    key = (to_point, root)
                    if key in self._trees:
                        continue
                    self._trees[key] = tree
                    self.nbytes += tree.nbytes
                    self.built += 1
                while self.nbytes > self.budget_bytes and len(self._trees) > len(part):
                    _key, old = self._trees.popitem(last=False)
                    self.nbytes -= old.nbytes


_caches: dict[object, TreeCache] = {}
_caches_lock = threading.Lock()


def tree_cache(graph: Graph) -> TreeCache:
    """The tree cache of `graph` (a new graph, i.e. another network or version, starts an empty one)."""
    cache = _caches.get(graph.uid)
    if cache is not None and cache.graph is graph:
        return cache
    with _caches_lock:
        cache = _caches.get(graph.uid)
        if cache is None or cache.graph is not graph:
            _caches.clear()  # one active graph per process: the old trees go with the old graph
            cache = _caches[graph.uid] = TreeCache(graph)
        return cache
