"""GB 32100-2015 credit codes: valid ones (including a check value of 0), wrong check characters, forbidden
letters and wrong lengths."""

import pytest
from django.utils import translation

from yingji.risk.uscc import WEIGHTS, check_character, is_valid_uscc, normalise, uscc_problem


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_weights_are_powers_of_three_mod_31():
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # a commonly quoted valid code
        "123456789012345678",  # passes the checksum (validity is not existence)
        "91420200MA4KLGQXR0",  # check value 0 (computed below)
    ],
)
def test_valid_codes(code):
    assert check_character(code[:17]) == code[17]
    assert uscc_problem(code) is None
    assert is_valid_uscc(code)


def test_check_value_zero_is_the_character_0():
    # 31 - S mod 31 == 31 must wrap to 0, not index past the character set.
    first17 = "91420200MA4KLGQXR"
    assert check_character(first17) == "0"


def test_lower_case_and_hyphens_are_normalised():
    assert normalise(" 9135-0100m000100y43 ") == "91350100M000100Y43"
    assert is_valid_uscc("9135-0100m000100y43")


def test_wrong_check_character():
    problem = uscc_problem("91350100M000100Y44")
    assert problem is not None and "3" in problem


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_forbidden_letters(letter):
    code = "91350100M000100Y4" + letter
    assert "not allowed" in uscc_problem(code)


@pytest.mark.parametrize("code", ["", "9135010", "91350100M000100Y4", "91350100M000100Y433"])
def test_wrong_lengths(code):
    assert "18" in uscc_problem(code)


def test_division_code_must_be_digits():
    code = "91A50100M000100Y4"
    code += check_character(code)
    assert "3 to 8" in uscc_problem(code)
