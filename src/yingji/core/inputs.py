"""What input may hold, whatever the form: the bounds the database sets, and JSON as clients may send it."""

import json
import math
import re

from django.utils.translation import gettext as _

# The largest integer a database integer column holds (PostgreSQL bigint, SQLite INTEGER): ids, page numbers.
MAX_ID = 2**63 - 1
# The largest quantity anything is counted in (people, stock, readings of a batch).
MAX_QUANTITY = 10**9
# Control characters XML 1.0 (so .docx and .xlsx files) cannot hold; tab, newline and carriage return are fine.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_safe(text: str) -> str:
    """`text` without the control characters an XML document (a .docx or .xlsx file) cannot contain."""
    return CONTROL_CHARACTERS.sub("", text)


def json_loads_strict(body: bytes | str) -> object:
    """JSON as a client may send it: no NaN or Infinity, no NUL, other control characters (but tab, newline and
    carriage return) or lone surrogates in any text,
    no number beyond what a database column holds (integers within ±(2^63-1), finite floats).
    Raises ValueError naming the problem."""
    data = json.loads(body, parse_constant=_refuse_constant)
    _check(data)
    return data


def _refuse_constant(name: str) -> None:
    raise ValueError(_("%(name)s is not a number JSON allows") % {"name": name})


def _check(value: object) -> None:
    if isinstance(value, str):
        _check_text(value)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        if abs(value) > MAX_ID:
            raise ValueError(_("a number is out of range"))
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(_("a number is out of range"))
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _check(item)
    elif isinstance(value, list):
        for item in value:
            _check(item)


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise ValueError(_("NUL characters are not allowed"))
    if CONTROL_CHARACTERS.search(text):
        raise ValueError(_("control characters are not allowed"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("the text is not valid Unicode")) from None
