"""LEC and the 5 × 5 matrix against the worked rows and the band edges (risk grading reference)."""

from decimal import Decimal

import pytest

from yingji.risk.lec import Edge, LecBands, MatrixBands, highest, lec, lec_band, lec_colour, matrix


@pytest.mark.parametrize(
    ("l", "e", "c", "d", "band", "colour"),
    [
        (3, 10, 15, 450, "extreme", "red"),
        (1, 6, 15, 90, "substantial", "yellow"),
        (6, 6, 3, 108, "substantial", "yellow"),
        (1, 10, 1, 10, "slight", "blue"),
        (1, 1, 15, 15, "slight", "blue"),
        (1, 0.5, 40, 20, "slight", "blue"),
        (6, 6, 15, 540, "extreme", "red"),
        (3, 6, 15, 270, "high", "orange"),
        (3, 3, 15, 135, "substantial", "yellow"),
        (3, 3, 7, 63, "possible", "blue"),
        (1, 6, 7, 42, "possible", "blue"),
    ],
)
def test_worked_rows(l, e, c, d, band, colour):  # noqa: E741
    result = lec(l, e, c)
    assert result.d == Decimal(d)
    assert (result.band, result.colour) == (band, colour)


def test_decimal_factors_multiply_exactly():
    assert lec("0.1", "10", "100").d == Decimal("100")
    assert lec("0.2", "0.5", "1").d == Decimal("0.1")


@pytest.mark.parametrize(
    ("d", "colour"),
    [("320", "orange"), ("320.1", "red"), ("160", "orange"), ("159.9", "yellow"), ("70", "yellow"), ("69.9", "blue")],
)
def test_lec_band_edges(d, colour):
    assert lec_colour(d) == colour


def test_slight_and_possible_split_at_twenty():
    assert lec_band("20") == "slight"
    assert lec_band("20.5") == "possible"


def test_edges_are_configurable():
    # Some provinces count 320 as 重大 (≥ 320).
    bands = LecBands(edges=(Edge("red", Decimal(320)), Edge("orange", Decimal(160)), Edge("yellow", Decimal(70))))
    assert lec_colour("320", bands) == "red"
    assert lec_colour("319.9", bands) == "orange"


@pytest.mark.parametrize(("name", "args"), [("l", (4, 6, 15)), ("e", (3, 7, 15)), ("c", (3, 6, 20))])
def test_values_outside_the_tables_are_refused(name, args):
    with pytest.raises(ValueError) as info:
        lec(*args)
    assert info.value.args[0] == name


@pytest.mark.parametrize(
    ("likelihood", "severity", "score", "colour"),
    [
        (5, 5, 25, "red"),
        (4, 5, 20, "red"),
        (4, 4, 16, "orange"),
        (3, 3, 9, "orange"),
        (2, 4, 8, "yellow"),
        (2, 2, 4, "yellow"),
        (1, 3, 3, "blue"),
        (1, 1, 1, "blue"),
    ],
)
def test_matrix_rows(likelihood, severity, score, colour):
    result = matrix(likelihood, severity)
    assert (result.score, result.colour) == (score, colour)


def test_matrix_bands_configurable():
    bands = MatrixBands(edges=(Edge("red", Decimal(15)), Edge("orange", Decimal(9)), Edge("yellow", Decimal(4))))
    assert matrix(3, 5, bands).colour == "red"
    assert matrix(3, 5).colour == "orange"


@pytest.mark.parametrize(("likelihood", "severity"), [(0, 3), (6, 1), (3, 0), (2, 6), (True, 2)])
def test_matrix_outside_one_to_five_is_refused(likelihood, severity):
    with pytest.raises(ValueError):
        matrix(likelihood, severity)


def test_highest_colour():
    assert highest(["blue", "orange", "yellow"]) == "orange"
    assert highest([]) is None
