"""Assigning people to shelters at least total travel time within capacities: a min-cost flow.

Blocks supply people, shelters take at most their free capacity, and a dummy arc from every block to the sink
("no place") costs more than any rerouting could save, so the flow places as many people as capacities and
reachability allow and, among those placements, minimises the sum of people x travel time. The transportation
problem is totally unimodular, so the optimum is integral. OR-Tools' network simplex solves it; a HiGHS linear
programme of the same problem is the reference the tests and the benchmark check it against.
"""

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow
from scipy.optimize import linprog
from scipy.sparse import coo_array

# Costs go to the solver as integers: tenths of a second lose nothing that matters.
COST_SCALE = 10


@dataclass(frozen=True)
class Flow:
    """People per (block, shelter) and the solver's integral objective (scaled costs, dummy arcs included)."""

    people: np.ndarray  # shape (blocks, shelters), int64
    unassigned: np.ndarray  # per block
    objective: int


def scaled_costs(cost_s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The reachable (block, shelter) pairs, their integral costs and the cost of leaving a person unplaced."""
    block, shelter = np.nonzero(np.isfinite(cost_s))
    unit = np.rint(cost_s[block, shelter] * COST_SCALE).astype(np.int64)
    # An augmenting path that places one more person passes each shelter at most once, so its change in travel
    # cost is below shelters x the largest arc cost: a larger penalty makes placing people always come first.
    penalty = (cost_s.shape[1] + 1) * (int(unit.max(initial=0)) + 1)
    return block, shelter, unit, penalty


def assign_min_cost(cost_s: np.ndarray, supply: np.ndarray, capacity: np.ndarray) -> Flow:
    """Optimal people per (block, shelter) for travel times `cost_s` (inf: unreachable), with OR-Tools."""
    supply = np.asarray(supply, dtype=np.int64)
    capacity = np.asarray(capacity, dtype=np.int64)
    blocks, shelters = cost_s.shape
    block, shelter, unit, penalty = scaled_costs(cost_s)
    sink = blocks + shelters
    solver = min_cost_flow.SimpleMinCostFlow()
    pair_arcs = solver.add_arcs_with_capacity_and_unit_cost(block, blocks + shelter, supply[block], unit)
    all_blocks = np.arange(blocks)
    solver.add_arcs_with_capacity_and_unit_cost(
        blocks + np.arange(shelters), np.full(shelters, sink), capacity, np.zeros(shelters, dtype=np.int64)
    )
    solver.add_arcs_with_capacity_and_unit_cost(
        all_blocks, np.full(blocks, sink), supply, np.full(blocks, penalty, dtype=np.int64)
    )
    solver.set_nodes_supplies(np.append(all_blocks, sink), np.append(supply, -supply.sum()))
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    people = np.zeros((blocks, shelters), dtype=np.int64)
    people[block, shelter] = solver.flows(pair_arcs)
    return Flow(people=people, unassigned=supply - people.sum(axis=1), objective=int(solver.optimal_cost()))


def assign_reference_lp(cost_s: np.ndarray, supply: np.ndarray, capacity: np.ndarray) -> Flow:
    """The same assignment as a linear programme solved by HiGHS: the reference for tests and benchmarks."""
    supply = np.asarray(supply, dtype=np.int64)
    capacity = np.asarray(capacity, dtype=np.int64)
    blocks, shelters = cost_s.shape
    block, shelter, unit, penalty = scaled_costs(cost_s)
    pairs = len(block)
    # Variables: one per reachable pair, then one "unplaced" per block.
    c = np.concatenate([unit, np.full(blocks, penalty)]).astype(np.float64)
    ones = np.ones(pairs + blocks)
    a_eq = coo_array(
        (ones, (np.concatenate([block, np.arange(blocks)]), np.arange(pairs + blocks))), shape=(blocks, pairs + blocks)
    ).tocsr()
    a_ub = coo_array((np.ones(pairs), (shelter, np.arange(pairs))), shape=(shelters, pairs + blocks)).tocsr()
    result = linprog(c, A_ub=a_ub, b_ub=capacity, A_eq=a_eq, b_eq=supply, bounds=(0, None), method="highs")
    if result.status != 0:
        raise RuntimeError(f"HiGHS failed: {result.message}")
    people = np.zeros((blocks, shelters), dtype=np.int64)
    people[block, shelter] = np.rint(result.x[:pairs]).astype(np.int64)
    return Flow(people=people, unassigned=supply - people.sum(axis=1), objective=int(round(result.fun)))
