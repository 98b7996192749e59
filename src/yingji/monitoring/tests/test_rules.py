"""Rule evaluation without a database: thresholds, hysteresis, rates, offline, and which rule applies."""

from datetime import UTC, datetime, timedelta

from yingji.monitoring.rules import (
    Direction,
    RuleKind,
    RuleSpec,
    applicable_rules,
    evaluate,
    higher,
    offline_level,
    offline_rule_for,
)

T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
GAS = RuleSpec(
    id=1,
    kind=RuleKind.THRESHOLD,
    metric="ch4_lel",
    device_type="combustible_gas",
    thresholds={"blue": 10, "yellow": 20, "orange": 35, "red": 50},
    deadband=2,
)
LOW_PRESSURE = RuleSpec(
    id=2,
    kind=RuleKind.THRESHOLD,
    metric="pressure_mpa",
    direction=Direction.BELOW,
    thresholds={"yellow": 0.3, "red": 0.1},
    deadband=0.05,
)


def run(rule: RuleSpec, values: list[float]) -> list[str | None]:
    level, out = None, []
    for value in values:
        level = evaluate(rule, value=value, at=T0, current=level)
        out.append(level)
    return out


def test_each_of_the_four_levels_is_reached_at_its_limit():
    assert run(GAS, [5, 10, 20, 35, 50, 80]) == [None, "blue", "yellow", "orange", "red", "red"]


def test_value_hovering_at_a_threshold_does_not_flap():
    # Without a deadband 19.9/20.1 would toggle yellow/blue every reading.
    assert run(GAS, [20.1, 19.9, 20.1, 19.5, 18.5, 17.9]) == ["yellow", "yellow", "yellow", "yellow", "yellow", "blue"]
    assert run(GAS, [10.5, 9.5, 8.5, 7.9]) == ["blue", "blue", "blue", None]


def test_without_deadband_the_level_follows_the_limit():
    plain = RuleSpec(id=3, kind=RuleKind.THRESHOLD, metric="ch4_lel", thresholds={"yellow": 20})
    assert run(plain, [20.1, 19.9, 20.1]) == ["yellow", None, "yellow"]


def test_lower_limits_work_downwards_with_their_deadband():
    assert run(LOW_PRESSURE, [0.5, 0.29, 0.32, 0.36, 0.05, 0.12, 0.2]) == [
        None,
        "yellow",
        "yellow",
        None,
        "red",
        "red",
        "yellow",
    ]


def test_rate_of_change_within_the_window():
    rule = RuleSpec(id=4, kind=RuleKind.RATE, metric="water_level_m", rate_delta=0.5, window_s=600, level="orange")
    window = [(T0, 20.0), (T0 + timedelta(minutes=5), 20.2)]
    at = T0 + timedelta(minutes=9)
    assert evaluate(rule, value=20.6, at=at, current=None, window=window) == "orange"
    assert evaluate(rule, value=20.4, at=at, current=None, window=window) is None
    # The old low value has left the window: the same level is no longer a fast rise.
    later = T0 + timedelta(minutes=14)
    assert evaluate(rule, value=20.6, at=later, current=None, window=window) is None
    assert evaluate(rule, value=20.6, at=at, current=None, window=[]) is None


def test_rate_deadband_holds_a_raised_alarm():
    rule = RuleSpec(
        id=5, kind=RuleKind.RATE, metric="water_level_m", rate_delta=0.5, window_s=600, level="orange", deadband=0.1
    )
    window = [(T0, 20.0)]
    at = T0 + timedelta(minutes=1)
    assert evaluate(rule, value=20.45, at=at, current="orange", window=window) == "orange"
    assert evaluate(rule, value=20.35, at=at, current="orange", window=window) is None


def test_falling_rate():
    rule = RuleSpec(
        id=6, kind=RuleKind.RATE, metric="pressure_mpa", direction=Direction.BELOW, rate_delta=0.2, window_s=60
    )
    assert evaluate(rule, value=0.5, at=T0, current=None, window=[(T0 - timedelta(seconds=30), 0.8)]) == "yellow"


def test_offline_after_n_minutes_without_data():
    rule = RuleSpec(id=7, kind=RuleKind.OFFLINE, offline_minutes=30, level="blue")
    assert offline_level(rule, T0, T0, T0 + timedelta(minutes=29)) is None
    assert offline_level(rule, T0, T0, T0 + timedelta(minutes=30)) == "blue"
    # A device that never reported counts from when it was registered.
    assert offline_level(rule, None, T0, T0 + timedelta(hours=1)) == "blue"


def test_most_specific_rule_wins_per_kind_and_direction():
    own = RuleSpec(id=10, kind=RuleKind.THRESHOLD, metric="ch4_lel", device_id=99, thresholds={"red": 30})
    anyone = RuleSpec(id=11, kind=RuleKind.THRESHOLD, metric="ch4_lel", thresholds={"red": 60})
    rate = RuleSpec(id=12, kind=RuleKind.RATE, metric="ch4_lel", rate_delta=5)
    rules = [GAS, own, anyone, rate, LOW_PRESSURE]
    assert applicable_rules(rules, device_id=99, device_type="combustible_gas", metric="ch4_lel") == [own, rate]
    assert applicable_rules(rules, device_id=1, device_type="combustible_gas", metric="ch4_lel") == [GAS, rate]
    assert applicable_rules(rules, device_id=1, device_type="toxic_gas", metric="ch4_lel") == [anyone, rate]
    assert applicable_rules(rules, device_id=1, device_type="toxic_gas", metric="h2s_ppm") == []


def test_offline_rule_for_a_device():
    general = RuleSpec(id=20, kind=RuleKind.OFFLINE, offline_minutes=60)
    gauges = RuleSpec(id=21, kind=RuleKind.OFFLINE, device_type="water_level", offline_minutes=15)
    assert offline_rule_for([general, gauges], device_id=1, device_type="water_level") == gauges
    assert offline_rule_for([general, gauges], device_id=1, device_type="smoke") == general
    assert offline_rule_for([gauges], device_id=1, device_type="smoke") is None


def test_higher_level():
    assert higher(None, "blue") == "blue" and higher("red", "yellow") == "red" and higher(None, None) is None
