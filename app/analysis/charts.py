"""Stacked bar charts drawn by the server as SVG, for Annex A (pages, the PDF, the export).

Accessible by construction: the SVG is ``role="img"`` with a ``<title>`` and a ``<desc>`` that
say every number in words, each segment has its own ``<title>``, and the same numbers are always
in the table beside the chart. No ``style`` attributes (the Content-Security-Policy forbids
inline styles): colours are ``fill`` presentation attributes, overridable by CSS classes
``chart-segment--<category>``. Segment widths are whole-number pixels that add up to the full
width (largest remainder again), so the bar never overflows or leaves a gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from app.analysis.rounding import largest_remainder_percentages

__all__ = ["FILLS", "stacked_bar_png", "stacked_bar_svg"]

# Colour-blind-safe (Okabe–Ito) with a grey for "no response"; each differs in lightness too.
FILLS = {
    "positive": "#009e73",
    "negative": "#d55e00",
    "neutral": "#56b4e9",
    "unevaluated": "#e69f00",
    "no_response": "#bdbdbd",
}


def _widths(counts: Sequence[int], width: int) -> list[int]:
    total = sum(counts)
    if total == 0:
        return [0] * len(counts)
    # Percent-of-width with the same exact integer method, at pixel resolution.
    shares = [c * width for c in counts]
    floors = [s // total for s in shares]
    missing = width - sum(floors)
    order = sorted(range(len(counts)), key=lambda i: (-(shares[i] % total), -counts[i], i))
    for i in order[:missing]:
        floors[i] += 1
    return floors


def stacked_bar_svg(
    segments: Sequence[tuple[str, str, int]],
    *,
    title: str,
    width: int = 400,
    height: int = 22,
    element_id: str | None = None,
) -> Markup:
    """One horizontal bar: ``segments`` are (category, label, count) in order."""
    counts = [max(0, int(count)) for _, _, count in segments]
    total = sum(counts)
    percentages = largest_remainder_percentages(counts) if total else [0] * len(counts)
    words = "; ".join(
        f"{label}: {count:,} ({pct}%)"
        for (_, label, count), pct in zip(segments, percentages, strict=True)
    )
    ident = element_id or "chart"
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-bar" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-labelledby="{ident}-title {ident}-desc">'
        ),
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(words if total else "No responses.")}</desc>',
    ]
    x = 0
    for (category, label, count), pct, w in zip(
        segments, percentages, _widths(counts, width), strict=True
    ):
        if w <= 0:
            continue
        fill = FILLS.get(category, "#777777")
        parts.append(
            f'<rect class={quoteattr("chart-segment chart-segment--" + category)} x="{x}" y="0" '
            f'width="{w}" height="{height}" fill="{fill}">'
            f"<title>{escape(f'{label}: {count:,} ({pct}%)')}</title></rect>"
        )
        x += w
    if not total:
        parts.append(
            f'<rect class="chart-segment chart-segment--empty" x="0" y="0" '
            f'width="{width}" height="{height}" fill="#eeeeee"/>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text is escaped above


def stacked_bar_png(
    segments: Sequence[tuple[str, str, int]], *, width: int = 800, height: int = 40
) -> bytes:
    """The same bar as ``stacked_bar_svg`` as a PNG image (for the Word summary, which cannot
    show SVG everywhere): the same colours and the same whole-pixel widths. Pillow, which
    WeasyPrint already needs, draws it; it is imported only when an image is made."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    counts = [max(0, int(count)) for _, _, count in segments]
    image = Image.new("RGB", (width, height), "#eeeeee")
    draw = ImageDraw.Draw(image)
    x = 0
    for (category, _, _), w in zip(segments, _widths(counts, width), strict=True):
        if w > 0:
            draw.rectangle((x, 0, x + w - 1, height - 1), fill=FILLS.get(category, "#777777"))
            x += w
    out = BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
