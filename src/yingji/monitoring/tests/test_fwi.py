"""FWI against the published reference series (Wang, Anderson & Suddaby 2015 test data), ±0.1."""

import csv
from pathlib import Path

import pytest

from yingji.monitoring import fwi

# A verbatim copy of ../shared/standards/fwi_reference_first10days.csv (see fwi_reference.md there).
REFERENCE = Path(__file__).with_name("fwi_reference_first10days.csv")


def reference_rows() -> list[dict[str, float]]:
    with REFERENCE.open(encoding="utf-8") as handle:
        return [{k: float(v) for k, v in row.items()} for row in csv.DictReader(handle)]


ROWS = reference_rows()


def computed() -> list[fwi.Day]:
    weather = [fwi.Weather(int(r["month"]), r["temp_c"], r["rh_pct"], r["wind_kmh"], r["rain_mm"]) for r in ROWS]
    return fwi.fwi_series(fwi.Codes(85, 6, 15), weather, latitude=46)


@pytest.mark.parametrize("index", range(len(ROWS)), ids=[f"day{int(r['day_index'])}" for r in ROWS])
def test_every_reference_day_matches_to_a_tenth(index):
    day = computed()[index]
    row = ROWS[index]
    for name in ("ffmc", "dmc", "dc", "isi", "bui", "fwi"):
        assert abs(round(getattr(day, name), 1) - row[name]) <= 0.1 + 1e-9, (name, getattr(day, name), row[name])


def test_reference_series_has_all_ten_days():
    assert len(ROWS) == 10 and ROWS[0]["ffmc"] == 87.7


def test_day_length_follows_latitude():
    # At 20°N the DMC uses the 20°N table (April 9.5 h instead of 12.8), so it dries more slowly.
    north = fwi.dmc(6, 17, 42, 0, 4, latitude=46)
    subtropical = fwi.dmc(6, 17, 42, 0, 4, latitude=20)
    assert subtropical < north
    assert fwi.dmc(6, 17, 42, 0, 4, latitude=30.2) == north  # Huangshi uses the standard table
    # Near the equator the DC uses the constant 1.4 adjustment; in the south the southern table.
    assert fwi.dc(15, 17, 0, 4, latitude=0) == pytest.approx(15 + (0.36 * 19.8 + 1.4) / 2)
    assert fwi.dc(15, 17, 0, 4, latitude=-35) == pytest.approx(15 + (0.36 * 19.8 + 0.4) / 2)


def test_danger_levels_follow_the_bands():
    assert [fwi.danger_band(v).level for v in (0, 4.9, 5, 12, 25, 31)] == [1, 1, 2, 3, 4, 5]
    assert fwi.danger_band(31).warning == "red" and fwi.danger_band(4).warning is None


def test_consecutive_dates():
    from datetime import date

    assert fwi.consecutive([date(2026, 4, 1), date(2026, 4, 2)])
    assert not fwi.consecutive([date(2026, 4, 1), date(2026, 4, 3)])
