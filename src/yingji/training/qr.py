"""QR codes drawn on the server as inline SVG (segno), so the sign-in page needs no script and no network."""

import segno


def qr_svg(data: str, *, scale: int = 6) -> str:
    """An SVG document (no XML declaration) of a QR code for `data`, error correction level M."""
    return segno.make(data, error="m", micro=False).svg_inline(scale=scale, border=2, dark="#111827")
