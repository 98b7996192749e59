"""Evacuation: the min-cost flow against the HiGHS reference, capacity shortage and unreachable blocks."""

import numpy as np
import pytest

from yingji.core.errors import ValidationFailed
from yingji.routing.evacuation import assign_min_cost, assign_reference_lp
from yingji.routing.tests.conftest import offset
from yingji.routing.travel import evacuation_assign

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_min_cost_flow_equals_the_reference_optimum(seed):
    rng = np.random.default_rng(seed)
    cost = rng.uniform(60, 1800, (40, 6))
    cost[rng.random(cost.shape) < 0.1] = np.inf
    supply = rng.integers(0, 300, 40)
    capacity = rng.integers(500, 3000, 6)
    flow, reference = assign_min_cost(cost, supply, capacity), assign_reference_lp(cost, supply, capacity)
    assert flow.objective == reference.objective
    assert (flow.people.sum(axis=0) <= capacity).all()
    assert (flow.people.sum(axis=1) + flow.unassigned == supply).all()
    assert flow.unassigned.sum() == reference.unassigned.sum()


def test_capacity_short_places_as_many_as_fit_at_least_cost():
    # 500 people, 300 places: 200 stay unassigned, and the places go to those with the largest saving.
    cost = np.array([[100.0, 900.0], [120.0, 150.0], [800.0, 110.0]])
    flow = assign_min_cost(cost, np.array([200, 200, 100]), np.array([150, 150]))
    assert flow.unassigned.sum() == 200
    assert flow.objective == assign_reference_lp(cost, np.array([200, 200, 100]), np.array([150, 150])).objective
    assert flow.people.sum() == 300


def test_placing_people_comes_before_short_trips():
    # Shelter B is far for block 1 but the only one block 2 can reach: block 1 must go to A, block 2 to B.
    cost = np.array([[100.0, 3000.0], [np.inf, 3500.0]])
    flow = assign_min_cost(cost, np.array([10, 10]), np.array([10, 10]))
    assert flow.people.tolist() == [[10, 0], [0, 10]]
    assert flow.unassigned.sum() == 0


def test_evacuation_on_the_road_network(line_network):
    blocks = [("b0", *offset(0, 0), 120), ("b4", *offset(0, 2000), 80), ("b2", *offset(0, 1000), 50)]
    shelters = [("west", *offset(0, 500), 100), ("east", *offset(0, 1500), 1000)]
    plan = evacuation_assign(blocks=blocks, shelters=shelters)
    assert plan.unassigned == 0
    assert sum(plan.shelter_load.values()) == 250
    assert plan.shelter_load["west"] <= 100
    assert plan.total_cost == pytest.approx(sum(p * eta for _b, _s, p, eta in plan.assignments), abs=1)
    placed = {}
    for block, _shelter, people, _eta in plan.assignments:
        placed[block] = placed.get(block, 0) + people
    assert placed == {"b0": 120, "b4": 80, "b2": 50}


def test_evacuation_capacity_short_counts_the_unassigned(line_network):
    blocks = [("b0", *offset(0, 0), 300), ("b4", *offset(0, 2000), 300)]
    shelters = [("west", *offset(0, 500), 100), ("east", *offset(0, 1500), 150)]
    plan = evacuation_assign(blocks=blocks, shelters=shelters)
    assert plan.unassigned == 350
    assert plan.shelter_load == {"west": 100, "east": 150}


def test_evacuation_without_shelters_leaves_everyone_unassigned(line_network):
    plan = evacuation_assign(blocks=[("b0", *offset(0, 0), 30)], shelters=[])
    assert plan.unassigned == 30 and plan.assignments == []


def test_negative_population_is_refused(line_network):
    with pytest.raises(ValidationFailed) as refused:
        evacuation_assign(blocks=[("b0", *offset(0, 0), -5)], shelters=[("s", *offset(0, 500), 10)])
    assert "blocks" in refused.value.errors
