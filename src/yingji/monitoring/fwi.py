"""The Canadian Forest Fire Weather Index (FWI) System and China's five forest fire danger levels.

Equations: Van Wagner, C.E. (1987), *Development and Structure of the Canadian Forest Fire Weather Index
System*, Forestry Technical Report 35, as coded in Van Wagner & Pickett (1985) and updated by Wang,
Anderson & Suddaby (2015), Information Report NOR-X-424 (which adds the day-length factors for other
latitudes). Inputs are one day's noon observations: temperature (°C), relative humidity (%), wind speed
at 10 m (km/h) and the rain of the last 24 hours (mm). Indices carry from day to day unrounded.

Levels: QX/T 77-2007 names five forest fire danger levels (一级 低火险 … 五级 极高火险). No public standard
maps FWI to them (GB/T 36743-2018 was not available to us), so `DEFAULT_FWI_BANDS` follows the widely used
Canadian danger classes (0-5-10-20-30) and settings.YINGJI_FWI_BANDS may replace them.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

# Day-length factors for the Duff Moisture Code by month (Van Wagner 1987, table 1: 46°N), and the
# other latitude bands of Wang et al. (2015).
DMC_DAY_LENGTH_46N = (6.5, 7.5, 9.0, 12.8, 13.9, 13.9, 12.4, 10.9, 9.4, 8.0, 7.0, 6.0)
DMC_DAY_LENGTH_20N = (7.9, 8.4, 8.9, 9.5, 9.9, 10.2, 10.1, 9.7, 9.1, 8.6, 8.1, 7.8)
DMC_DAY_LENGTH_20S = (10.1, 9.6, 9.1, 8.5, 8.1, 7.8, 7.9, 8.3, 8.9, 9.4, 9.9, 10.2)
DMC_DAY_LENGTH_40S = (11.5, 10.5, 9.2, 7.9, 6.8, 6.2, 6.5, 7.4, 8.7, 10.0, 11.2, 11.8)
DMC_DAY_LENGTH_EQUATOR = 9.0
# Day-length adjustments for the Drought Code (Van Wagner 1987, table 2), northern and southern hemisphere.
DC_DAY_LENGTH_NORTH = (-1.6, -1.6, -1.6, 0.9, 3.8, 5.8, 6.4, 5.0, 2.4, 0.4, -1.6, -1.6)
DC_DAY_LENGTH_SOUTH = (6.4, 5.0, 2.4, 0.4, -1.6, -1.6, -1.6, -1.6, -1.6, 0.9, 3.8, 5.8)
DC_DAY_LENGTH_EQUATOR = 1.4

# The standard start-up codes when a station has no previous day (Van Wagner 1987).
START_FFMC, START_DMC, START_DC = 85.0, 6.0, 15.0


@dataclass(frozen=True)
class Band:
    """One fire danger level: FWI at or above `fwi_from`."""

    level: int
    fwi_from: float
    name: str
    colour: str
    warning: str | None  # the warning level a day at this level suggests, None for no warning


# QX/T 77-2007 levels; flags are hung from level 3 (yellow) up, so warnings start there.
DEFAULT_FWI_BANDS: tuple[Band, ...] = (
    Band(1, 0.0, "低火险", "green", None),
    Band(2, 5.0, "较低火险", "blue", None),
    Band(3, 10.0, "较高火险", "yellow", "yellow"),
    Band(4, 20.0, "高火险", "orange", "orange"),
    Band(5, 30.0, "极高火险", "red", "red"),
)


@dataclass(frozen=True)
class Codes:
    ffmc: float
    dmc: float
    dc: float


@dataclass(frozen=True)
class Weather:
    month: int
    temp_c: float
    rh_pct: float
    wind_kmh: float
    rain_mm: float


@dataclass(frozen=True)
class Day:
    ffmc: float
    dmc: float
    dc: float
    isi: float
    bui: float
    fwi: float

    @property
    def codes(self) -> Codes:
        return Codes(self.ffmc, self.dmc, self.dc)


def ffmc(previous: float, temp: float, rh: float, wind: float, rain: float) -> float:
    """Fine Fuel Moisture Code (Van Wagner 1987, eqs. 1-10)."""
    mo = 147.2 * (101.0 - previous) / (59.5 + previous)
    if rain > 0.5:
        rf = rain - 0.5
        wetting = 42.5 * rf * math.exp(-100.0 / (251.0 - mo)) * (1.0 - math.exp(-6.93 / rf))
        if mo > 150.0:
            wetting += 0.0015 * (mo - 150.0) ** 2 * math.sqrt(rf)
        mo = min(mo + wetting, 250.0)
    ed = 0.942 * rh**0.679 + 11.0 * math.exp((rh - 100.0) / 10.0) + 0.18 * (21.1 - temp) * (1.0 - math.exp(-0.115 * rh))
    if mo > ed:
        ko = 0.424 * (1.0 - (rh / 100.0) ** 1.7) + 0.0694 * math.sqrt(wind) * (1.0 - (rh / 100.0) ** 8)
        kd = ko * 0.581 * math.exp(0.0365 * temp)
        m = ed + (mo - ed) * 10.0 ** (-kd)
    else:
        ew = (
            0.618 * rh**0.753
            + 10.0 * math.exp((rh - 100.0) / 10.0)
            + 0.18 * (21.1 - temp) * (1.0 - math.exp(-0.115 * rh))
        )
        if mo < ew:
            dry = (100.0 - rh) / 100.0
            kl = 0.424 * (1.0 - dry**1.7) + 0.0694 * math.sqrt(wind) * (1.0 - dry**8)
            kw = kl * 0.581 * math.exp(0.0365 * temp)
            m = ew - (ew - mo) * 10.0 ** (-kw)
        else:
            m = mo
    return min(max(59.5 * (250.0 - m) / (147.2 + m), 0.0), 101.0)


def _dmc_day_length(month: int, latitude: float) -> float:
    if latitude > 30:
        return DMC_DAY_LENGTH_46N[month - 1]
    if latitude > 10:
        return DMC_DAY_LENGTH_20N[month - 1]
    if latitude > -10:
        return DMC_DAY_LENGTH_EQUATOR
    if latitude > -30:
        return DMC_DAY_LENGTH_20S[month - 1]
    return DMC_DAY_LENGTH_40S[month - 1]


def dmc(previous: float, temp: float, rh: float, rain: float, month: int, latitude: float = 46.0) -> float:
    """Duff Moisture Code (Van Wagner 1987, eqs. 11-16)."""
    temp = max(temp, -1.1)
    drying = 1.894 * (temp + 1.1) * (100.0 - rh) * _dmc_day_length(month, latitude) * 1e-4
    if rain > 1.5:
        re = 0.92 * rain - 1.27
        mo = 20.0 + math.exp(5.6348 - previous / 43.43)
        if previous <= 33.0:
            b = 100.0 / (0.5 + 0.3 * previous)
        elif previous <= 65.0:
            b = 14.0 - 1.3 * math.log(previous)
        else:
            b = 6.2 * math.log(previous) - 17.2
        mr = mo + 1000.0 * re / (48.77 + b * re)
        pr = max(244.72 - 43.43 * math.log(mr - 20.0), 0.0)
    else:
        pr = previous
    return max(pr + drying, 0.0)


def _dc_day_length(month: int, latitude: float) -> float:
    if latitude > 20:
        return DC_DAY_LENGTH_NORTH[month - 1]
    if latitude > -20:
        return DC_DAY_LENGTH_EQUATOR
    return DC_DAY_LENGTH_SOUTH[month - 1]


def dc(previous: float, temp: float, rain: float, month: int, latitude: float = 46.0) -> float:
    """Drought Code (Van Wagner 1987, eqs. 18-23)."""
    temp = max(temp, -2.8)
    pe = max((0.36 * (temp + 2.8) + _dc_day_length(month, latitude)) / 2.0, 0.0)
    if rain > 2.8:
        rd = 0.83 * rain - 1.27
        qo = 800.0 * math.exp(-previous / 400.0)
        qr = qo + 3.937 * rd
        previous = max(400.0 * math.log(800.0 / qr), 0.0)
    return previous + pe


def isi(ffmc_today: float, wind: float) -> float:
    """Initial Spread Index (Van Wagner 1987, eqs. 24-26)."""
    fm = 147.2 * (101.0 - ffmc_today) / (59.5 + ffmc_today)
    sf = 19.115 * math.exp(-0.1386 * fm) * (1.0 + fm**5.31 / 4.93e7)
    return sf * math.exp(0.05039 * wind)


def bui(dmc_today: float, dc_today: float) -> float:
    """Buildup Index (Van Wagner 1987, eqs. 27a-27b)."""
    if dmc_today == 0 and dc_today == 0:
        return 0.0
    if dmc_today <= 0.4 * dc_today:
        value = 0.8 * dc_today * dmc_today / (dmc_today + 0.4 * dc_today)
    else:
        value = dmc_today - (1.0 - 0.8 * dc_today / (dmc_today + 0.4 * dc_today)) * (0.92 + (0.0114 * dmc_today) ** 1.7)
    return max(value, 0.0)


def fwi(isi_today: float, bui_today: float) -> float:
    """Fire Weather Index (Van Wagner 1987, eqs. 28-30)."""
    if bui_today <= 80.0:
        bb = 0.1 * isi_today * (0.626 * bui_today**0.809 + 2.0)
    else:
        bb = 0.1 * isi_today * (1000.0 / (25.0 + 108.64 * math.exp(-0.023 * bui_today)))
    if bb <= 1.0:
        return bb
    return math.exp(2.72 * (0.434 * math.log(bb)) ** 0.647)


def fwi_day(previous: Codes, weather: Weather, *, latitude: float = 46.0) -> Day:
    """One day's six indices from yesterday's codes and today's noon weather."""
    w = weather
    f = ffmc(previous.ffmc, w.temp_c, w.rh_pct, w.wind_kmh, w.rain_mm)
    d = dmc(previous.dmc, w.temp_c, w.rh_pct, w.rain_mm, w.month, latitude)
    c = dc(previous.dc, w.temp_c, w.rain_mm, w.month, latitude)
    i = isi(f, w.wind_kmh)
    b = bui(d, c)
    return Day(f, d, c, i, b, fwi(i, b))


def fwi_series(start: Codes, days: Iterable[Weather], *, latitude: float = 46.0) -> list[Day]:
    """Consecutive days from the start codes, each day carrying the previous day's unrounded codes."""
    out: list[Day] = []
    codes = start
    for weather in days:
        day = fwi_day(codes, weather, latitude=latitude)
        out.append(day)
        codes = day.codes
    return out


def danger_band(value: float, bands: Sequence[Band] = DEFAULT_FWI_BANDS) -> Band:
    """The fire danger level an FWI value falls in."""
    chosen = bands[0]
    for band in bands:
        if value >= band.fwi_from:
            chosen = band
    return chosen


def consecutive(dates: Sequence[date]) -> bool:
    return all((b - a).days == 1 for a, b in zip(dates, dates[1:], strict=False))
