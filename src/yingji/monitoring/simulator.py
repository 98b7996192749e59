"""Realistic readings for the demo devices: quiet background values, a gas leak ramping past every alarm
level at one enterprise, or a flood (heavy rain, rising river and lake). Deterministic for a seed."""

import math
import random
from dataclasses import dataclass

from yingji.monitoring.metrics import TYPE_METRICS, DeviceType


class Scenario:
    NORMAL = "normal"
    GAS_LEAK = "gas-leak"
    FLOOD = "flood"
    ALL = (NORMAL, GAS_LEAK, FLOOD)


# Quiet values by metric: (mean, spread).
BACKGROUND: dict[str, tuple[float, float]] = {
    "ch4_lel": (1.0, 0.8),
    "h2s_ppm": (0.3, 0.2),
    "co_ppm": (3.0, 2.0),
    "nh3_ppm": (1.0, 0.5),
    "cl2_ppm": (0.1, 0.05),
    "temp_c": (22.0, 3.0),
    "pressure_mpa": (0.8, 0.02),
    "level_m": (4.5, 0.05),
    "rh_pct": (60.0, 10.0),
    "wind_ms": (2.5, 1.5),
    "smoke_db_m": (0.02, 0.01),
    "leak_ma": (30.0, 10.0),
    "cable_temp_c": (35.0, 3.0),
    "displacement_mm": (0.5, 0.3),
    "tilt_deg": (0.05, 0.03),
}
WATER_LEVEL_BASE = {"WL-YZ-01": 21.8, "WL-CH-01": 17.9}
GAS_RAMP_PER_S = 0.8  # %LEL a second: blue after ~12 s, red after about a minute


@dataclass
class Simulator:
    scenario: str = Scenario.NORMAL
    seed: int = 2021

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def metrics(self, *, code: str, device_type: str, metric_codes: list[str], elapsed_s: float, leaking: bool) -> dict:
        """One message's metrics for a device `elapsed_s` seconds into the run."""
        values = {}
        for metric in metric_codes or TYPE_METRICS.get(device_type, []):
            values[metric] = round(self._value(code, device_type, metric, elapsed_s, leaking), 3)
        return values

    def _value(self, code: str, device_type: str, metric: str, t: float, leaking: bool) -> float:
        flood = self.scenario == Scenario.FLOOD
        if metric == "ch4_lel" and leaking:
            return min(2.0 + GAS_RAMP_PER_S * t + self.rng.uniform(-0.5, 0.5), 80.0)
        if metric == "h2s_ppm" and leaking:
            return min(0.5 + 0.4 * t, 60.0)
        if metric == "water_level_m":
            base = WATER_LEVEL_BASE.get(code, 20.0)
            rise = 0.01 * t if flood else 0.0
            return base + rise + 0.02 * math.sin(t / 60) + self.rng.uniform(-0.01, 0.01)
        if metric == "rain_mm":
            if flood:
                return self.rng.uniform(4.0, 9.0)
            return 0.0 if self.rng.random() < 0.9 else self.rng.uniform(0.1, 0.6)
        if metric == "temp_c" and device_type == DeviceType.WEATHER_STATION:
            return 24.0 + 4.0 * math.sin(t / 3600) + self.rng.uniform(-0.3, 0.3)
        mean, spread = BACKGROUND.get(metric, (1.0, 0.1))
        return max(mean + self.rng.uniform(-spread, spread), 0.0)
