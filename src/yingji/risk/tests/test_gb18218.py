"""GB 18218-2018 against the standard's tables: single substances, mixtures, S = 1 exactly, every grade
boundary, every α band, Table 2 categories, and refused input."""

from decimal import Decimal
from fractions import Fraction

import pytest

from yingji.risk.gb18218 import HazardInputError, alpha_for, find_substance, grade_for, identify, tables


def test_table1_has_85_rows_and_known_values():
    rows = tables().table1
    assert len(rows) == 85
    q = {row.name: row.q for row in rows}
    assert q["氯"] == 5 and q["氨"] == 10 and q["氢"] == 5 and q["乙炔"] == 1
    assert q["碳酰氯"] == Decimal("0.3") and q["异氰酸甲酯"] == Decimal("0.75")


@pytest.mark.parametrize(
    ("name", "q"),
    [("液氯", 5), ("液化石油气", 50), ("天然气", 50), ("甲烷", 50), ("汽油", 200), ("氧气", 200), ("ammonia", 10)],
)
def test_names_aliases_and_base_names_find_table1(name, q):
    assert find_substance(name=name).q == q


def test_cas_finds_table1_and_ambiguous_cas_is_refused():
    assert find_substance(cas="7782-50-5").name == "氯"
    with pytest.raises(HazardInputError) as info:
        find_substance(cas="9004-70-0", field="items.0.name")
    assert info.value.field == "items.0.cas"


def test_single_substance_below_and_at_critical_quantity():
    below = identify([{"name": "氯", "quantity_t": "4.99"}], 0)
    assert not below.is_major and below.grade is None
    at = identify([{"name": "氯", "quantity_t": 5}], 0)
    assert at.is_major and at.s == 1


def test_mixture_sum_exactly_one_is_major():
    # 0.1 + 0.2 + 0.7 in floating point is 0.9999999999999999.
    result = identify(
        [
            {"name": "氢", "category": "W2", "quantity_t": "0.5"},  # 0.5/5 = 0.1
            {"name": "氨", "quantity_t": "2"},  # 2/10 = 0.2
            {"name": "苯", "quantity_t": "35", "category": "W5.1"},  # 35/50 = 0.7
        ],
        0,
    )
    assert result.s == Fraction(1)
    assert result.is_major


def test_chlorine_store_grading():
    # 20 t chlorine: S = 4, β (Table 3) = 4, 120 people → α = 2.0, R = 2 × 4 × 4 = 32 → third grade.
    result = identify([{"name": "液氯", "quantity_t": 20}], 120)
    assert result.s == 4 and result.alpha == Decimal("2.0")
    assert result.r == 32 and result.grade == 3 and result.grade_label == "三级"
    assert result.items[0].beta == 4 and result.items[0].q_crit == 5


def test_lpg_station_uses_table4_beta_from_category():
    # 100 t LPG (Table 1, Q 50; not in Table 3, W2 → β 1.5), 40 people → α 1.2: R = 1.2 × 1.5 × 2 = 3.6 → fourth.
    result = identify([{"name": "液化石油气", "category": "W2", "quantity_t": 100}], 40)
    assert result.is_major and result.r == Fraction(18, 5) and result.grade == 4


def test_table2_category_for_unlisted_substance_and_lowest_q():
    one = identify([{"name": "某易燃液体", "category": "W5.3", "quantity_t": 500}], 0)
    assert one.items[0].q_crit == 1000 and one.items[0].table == 2 and one.s == Fraction(1, 2)
    several = identify([{"name": "某有毒易燃气体", "category": ["J3", "W2"], "quantity_t": 10}], 0)
    assert several.items[0].q_crit == 10 and several.items[0].category == "W2" and several.is_major


def test_table3_beta_for_unlisted_named_gas():
    # Carbon monoxide is not in Table 1 but is in Table 3 (β 2); Q from its category W2 (flammable gas).
    result = identify([{"name": "一氧化碳", "category": ["W2", "J3"], "quantity_t": 10}], 0)
    assert result.items[0].beta == 2 and result.items[0].q_crit == 10


@pytest.mark.parametrize(
    ("r", "grade"),
    [(100, 1), (Fraction(9999, 100), 2), (50, 2), (Fraction(4999, 100), 3), (10, 3), (Fraction(999, 100), 4), (1, 4)],
)
def test_every_grade_boundary(r, grade):
    assert grade_for(r)[0] == grade


def test_grade_boundaries_reached_through_identify():
    # R = α β q/Q with α = 1.0 (10 people) and hydrogen sulfide (β 5, Q 5): q = 100 → R = 100, first grade.
    assert identify([{"name": "硫化氢", "quantity_t": 100}], 10).grade == 1
    assert identify([{"name": "硫化氢", "quantity_t": 50}], 10).grade == 2  # R = 50
    assert identify([{"name": "硫化氢", "quantity_t": 10}], 10).grade == 3  # R = 10
    assert identify([{"name": "硫化氢", "quantity_t": "9.99"}], 10).grade == 4  # R = 9.99


@pytest.mark.parametrize(
    ("people", "alpha"),
    [
        (0, "0.5"),
        (1, "1.0"),
        (29, "1.0"),
        (30, "1.2"),
        (49, "1.2"),
        (50, "1.5"),
        (99, "1.5"),
        (100, "2.0"),
        (5000, "2.0"),
    ],
)
def test_every_alpha_band(people, alpha):
    assert alpha_for(people) == Decimal(alpha)


@pytest.mark.parametrize(
    ("items", "people", "field"),
    [
        ([{"name": "不存在的物质", "quantity_t": 1}], 0, "items.0.name"),
        ([{"name": "氯", "quantity_t": 1}, {"name": "氨", "quantity_t": -1}], 0, "items.1.quantity_t"),
        ([{"name": "氯", "quantity_t": "x"}], 0, "items.0.quantity_t"),
        ([{"name": "氯", "category": "W99", "quantity_t": 1}], 0, "items.0.category"),
        ([{"quantity_t": 1}], 0, "items.0.name"),
        ([{"name": "氯", "quantity_t": 1}], -1, "exposed_people"),
        ([], 0, "items"),
        ([{"name": "硝化纤维素", "quantity_t": 1}], 0, "items.0.name"),
        # A major unit needs every β: LPG without its category has none (not in Table 3).
        ([{"name": "液化石油气", "quantity_t": 60}], 0, "items.0.category"),
    ],
)
def test_bad_input_names_the_item(items, people, field):
    with pytest.raises(HazardInputError) as info:
        identify(items, people)
    assert info.value.field == field
