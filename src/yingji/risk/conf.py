"""The risk app's knobs, read from Django settings when a deployment sets them, else the defaults.

- `RISK_LEC_BANDS` / `RISK_MATRIX_BANDS`: `lec.LecBands` / `lec.MatrixBands` instances (band edges).
- `RISK_COMMITMENT_DEADLINE`: "HH:MM" local time by which high-risk enterprises make their daily commitment
  (default 10:00); missing ones are flagged after it.
"""

from datetime import time

from django.conf import settings

from yingji.risk.lec import DEFAULT_LEC_BANDS, DEFAULT_MATRIX_BANDS, LecBands, MatrixBands


def lec_bands() -> LecBands:
    return getattr(settings, "RISK_LEC_BANDS", DEFAULT_LEC_BANDS)


def matrix_bands() -> MatrixBands:
    return getattr(settings, "RISK_MATRIX_BANDS", DEFAULT_MATRIX_BANDS)


def commitment_deadline() -> time:
    raw = getattr(settings, "RISK_COMMITMENT_DEADLINE", "10:00")
    return time.fromisoformat(raw)
