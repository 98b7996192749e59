"""The catalogue of device types and the metrics each reports, with units. Data, not code."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DeviceType(models.TextChoices):
    COMBUSTIBLE_GAS = "combustible_gas", _("Combustible gas detector")
    TOXIC_GAS = "toxic_gas", _("Toxic gas detector")
    TEMPERATURE = "temperature", _("Temperature sensor")
    PRESSURE = "pressure", _("Pressure sensor")
    LIQUID_LEVEL = "liquid_level", _("Tank liquid level sensor")
    WATER_LEVEL = "water_level", _("Water level gauge")
    RAINFALL = "rainfall", _("Rain gauge")
    WIND = "wind", _("Anemometer")
    SMOKE = "smoke", _("Smoke detector")
    ELECTRICAL_FIRE = "electrical_fire", _("Electrical fire monitor")
    FIRE_PANEL = "fire_panel", _("Fire alarm controller")
    FIRE_WATER = "fire_water", _("Fire water pressure and tank level")
    WATERLOGGING = "waterlogging", _("Waterlogging depth sensor")
    DISPLACEMENT = "displacement", _("Structural displacement sensor")
    WEATHER_STATION = "weather_station", _("Automatic weather station")


@dataclass(frozen=True)
class Metric:
    code: str
    label: "StrOrPromise"  # translated when shown
    unit: str


METRICS: dict[str, Metric] = {
    m.code: m
    for m in [
        Metric("ch4_lel", _("Combustible gas"), "%LEL"),
        Metric("h2s_ppm", _("Hydrogen sulphide"), "ppm"),
        Metric("co_ppm", _("Carbon monoxide"), "ppm"),
        Metric("nh3_ppm", _("Ammonia"), "ppm"),
        Metric("cl2_ppm", _("Chlorine"), "ppm"),
        Metric("temp_c", _("Temperature"), "°C"),
        Metric("pressure_mpa", _("Pressure"), "MPa"),
        Metric("level_m", _("Liquid level"), "m"),
        Metric("water_level_m", _("Water level"), "m"),
        Metric("rain_mm", _("Rainfall in the interval"), "mm"),
        Metric("rain_1h_mm", _("Rainfall, last hour"), "mm"),
        Metric("rain_3h_mm", _("Rainfall, last 3 hours"), "mm"),
        Metric("rain_6h_mm", _("Rainfall, last 6 hours"), "mm"),
        Metric("rain_12h_mm", _("Rainfall, last 12 hours"), "mm"),
        Metric("rain_24h_mm", _("Rainfall, last 24 hours"), "mm"),
        Metric("rainstorm_signal", _("Rainstorm signal (1 blue … 4 red)"), ""),
        Metric("water_depth_m", _("Water depth"), "m"),
        Metric("fire_alarm", _("Fire alarm points (火警)"), ""),
        Metric("fire_point", _("First fire point (loop × 100000 + address)"), ""),
        Metric("fire_fault", _("Fault points (故障)"), ""),
        Metric("fire_disabled", _("Disabled points (屏蔽)"), ""),
        Metric("fire_supervisory", _("Supervisory points (监管)"), ""),
        Metric("water_pressure_mpa", _("Fire water pressure"), "MPa"),
        Metric("tank_level_m", _("Fire water tank level"), "m"),
        Metric("wind_ms", _("Wind speed"), "m/s"),
        Metric("rh_pct", _("Relative humidity"), "%"),
        Metric("smoke_db_m", _("Smoke obscuration"), "dB/m"),
        Metric("leak_ma", _("Residual current"), "mA"),
        Metric("cable_temp_c", _("Cable temperature"), "°C"),
        Metric("displacement_mm", _("Displacement"), "mm"),
        Metric("tilt_deg", _("Tilt"), "°"),
        Metric("battery_pct", _("Battery"), "%"),
    ]
}

# What each type of device reports; a device may list more or fewer of its own.
TYPE_METRICS: dict[str, list[str]] = {
    DeviceType.COMBUSTIBLE_GAS: ["ch4_lel"],
    DeviceType.TOXIC_GAS: ["h2s_ppm", "co_ppm"],
    DeviceType.TEMPERATURE: ["temp_c"],
    DeviceType.PRESSURE: ["pressure_mpa"],
    DeviceType.LIQUID_LEVEL: ["level_m"],
    DeviceType.WATER_LEVEL: ["water_level_m"],
    DeviceType.RAINFALL: ["rain_mm"],
    DeviceType.WIND: ["wind_ms"],
    DeviceType.SMOKE: ["smoke_db_m"],
    DeviceType.ELECTRICAL_FIRE: ["leak_ma", "cable_temp_c"],
    DeviceType.FIRE_PANEL: ["fire_alarm", "fire_fault", "fire_disabled", "fire_supervisory"],
    DeviceType.FIRE_WATER: ["water_pressure_mpa", "tank_level_m"],
    DeviceType.WATERLOGGING: ["water_depth_m"],
    DeviceType.DISPLACEMENT: ["displacement_mm", "tilt_deg"],
    DeviceType.WEATHER_STATION: ["temp_c", "rh_pct", "wind_ms", "rain_mm"],
}

# Accumulations the ingest derives from a rain gauge's `rain_mm` (rain in each reporting interval).
RAIN_WINDOWS: dict[str, int] = {
    "rain_1h_mm": 3600,
    "rain_3h_mm": 3 * 3600,
    "rain_6h_mm": 6 * 3600,
    "rain_12h_mm": 12 * 3600,
    "rain_24h_mm": 24 * 3600,
}
# The station's rainstorm signal (rank 1 blue … 4 red, 0 none), derived from the same window; a threshold rule on
# it (blue 1, yellow 2, orange 3, red 4) raises, escalates and clears the signal as an alarm.
RAINSTORM_SIGNAL = "rainstorm_signal"

METRIC_CODE_MAX = 40


def metric_label(code: str) -> str:
    metric = METRICS.get(code)
    return f"{metric.label} ({metric.unit})" if metric else code


def metric_unit(code: str) -> str:
    metric = METRICS.get(code)
    return metric.unit if metric else ""
