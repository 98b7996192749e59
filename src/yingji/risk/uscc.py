"""The unified social credit code (统一社会信用代码) of GB 32100-2015: its shape and its check character.

18 characters from the 31-character set `0-9 A-H J-N P Q R T U W X Y` (I, O, Z, S and V are never used):
registration department (1), organisation category (1), administrative division of GB/T 2260 (6 digits),
organisation identifier of GB 11714 (9) and the check character (1). The check character is
C18 = charset[(31 − Σ value(Ci) × Wi mod 31) mod 31] with weights Wi = 3^(i−1) mod 31, i = 1..17
(GB 32100-2015, clause 4 and annex on the check character, which applies the ISO 7064 / GB/T 17710 scheme).
"""

import re

from django.utils.translation import gettext as _

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {char: value for value, char in enumerate(CHARSET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
LENGTH = 18
# Positions 3-8 are a GB/T 2260 division code (digits); every other position may use the whole set.
PATTERN = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")


def normalise(code: str) -> str:
    """Upper case without spaces or hyphens, the way people copy codes off licences."""
    return re.sub(r"[\s-]", "", code or "").upper()


def check_character(first17: str) -> str:
    """The check character for the first 17 characters of a code (GB 32100-2015)."""
    if len(first17) != 17 or any(char not in VALUES for char in first17):
        raise ValueError("need 17 characters from the code's character set")
    total = sum(VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """What is wrong with a credit code (already normalised), or None when it is valid."""
    if len(code) != LENGTH:
        return _("a credit code has %(n)d characters, this one has %(got)d") % {"n": LENGTH, "got": len(code)}
    bad = sorted({char for char in code if char not in VALUES})
    if bad:
        return _("character not allowed in a credit code: %(chars)s") % {"chars": "".join(bad)}
    if not PATTERN.fullmatch(code):
        return _("characters 3 to 8 must be the digits of an administrative division code")
    expected = check_character(code[:17])
    if code[17] != expected:
        return _("wrong check character: expected %(expected)s, got %(got)s") % {"expected": expected, "got": code[17]}
    return None


def is_valid_uscc(code: str) -> bool:
    return uscc_problem(normalise(code)) is None
