"""QR codes drawn on the server (segno, SVG): no third-party service sees the join codes."""

from __future__ import annotations

import io

import segno


def svg(data: str, title: str = "") -> bytes:
    """A scalable SVG (viewBox only, no fixed size), dark on white with a quiet zone."""
    code = segno.make(data, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", xmldecl=False, omitsize=True, border=2, dark="#000", light="#fff",
              title=title or None, svgclass="qr")
    return buffer.getvalue()
