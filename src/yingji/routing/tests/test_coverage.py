"""Coverage: which points no source reaches within a time limit."""

import pytest

from yingji.core.errors import ValidationFailed
from yingji.routing.tests.conftest import offset
from yingji.routing.travel import unreachable_within

pytestmark = pytest.mark.django_db


def test_points_beyond_the_limit_are_unreachable(line_network):
    points = [(i, *offset(0, 500 * i)) for i in range(5)]
    # From node 0 each stretch takes 50 s.
    assert unreachable_within(sources=[("team", *offset(0, 0))], points=points, limit_s=120) == {3, 4}


def test_the_nearest_of_several_sources_counts(line_network):
    points = [(i, *offset(0, 500 * i)) for i in range(5)]
    sources = [("a", *offset(0, 0)), ("b", *offset(0, 2000))]
    assert unreachable_within(sources=sources, points=points, limit_s=60) == {2}


def test_one_way_streets_limit_coverage(line_network):
    # From node 3 westwards the one-way stretch forbids the 50 s way; the bypass takes 264 s.
    points = [("west", *offset(0, 1000))]
    assert unreachable_within(sources=[("t", *offset(0, 1500))], points=points, limit_s=200) == {"west"}
    assert (
        unreachable_within(sources=[("t", *offset(0, 1000))], points=[("east", *offset(0, 1500))], limit_s=60) == set()
    )


def test_without_sources_nothing_is_covered(line_network):
    assert unreachable_within(sources=[], points=[("p", *offset(0, 0))], limit_s=900) == {"p"}


def test_limit_must_be_positive(line_network):
    with pytest.raises(ValidationFailed):
        unreachable_within(sources=[], points=[], limit_s=0)
