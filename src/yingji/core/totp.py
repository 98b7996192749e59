"""Time-based one-time passwords: HOTP (RFC 4226) over 30-second time steps (RFC 6238), as authenticator apps
compute them. Pure functions of a secret and a time; the RFC's test vectors are in core/tests/test_mfa.py."""

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

STEP_S = 30
DIGITS = 6
# Codes of the step before and after count too: phone clocks drift and people type slowly.
WINDOW = 1


def new_secret() -> str:
    """A fresh 160-bit secret, base32 without padding (what authenticator apps take)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret_b32: str) -> bytes:
    padded = secret_b32.upper() + "=" * (-len(secret_b32) % 8)
    return base64.b32decode(padded)


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, digest: str = "sha1") -> str:
    """RFC 4226 section 5.3: HMAC of the counter, dynamically truncated to `digits` decimal digits."""
    mac = hmac.new(key, struct.pack(">Q", counter), getattr(hashlib, digest)).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def time_step(unix_time: float) -> int:
    return int(unix_time // STEP_S)


def totp(secret_b32: str, unix_time: float) -> str:
    """The code an authenticator shows at `unix_time`."""
    return hotp(_key(secret_b32), time_step(unix_time))


def matching_step(secret_b32: str, code: str, unix_time: float, *, after_step: int = 0) -> int | None:
    """The time step whose code `code` is (within the drift window), if it is later than `after_step`."""
    code = code.strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = _key(secret_b32)
    now = time_step(unix_time)
    for step in range(now - WINDOW, now + WINDOW + 1):
        if step > after_step and hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def provisioning_uri(secret_b32: str, *, account: str, issuer: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    label = quote(f"{issuer}:{account}")
    return f"otpauth://totp/{label}?" + urlencode({"secret": secret_b32, "issuer": issuer, "digits": DIGITS})
