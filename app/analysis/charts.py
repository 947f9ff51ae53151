"""Small inline SVG charts for the Annex A summary, the dashboards and the PDF export.

The markup carries no ``style`` attributes and no scripts (the Content-Security-Policy forbids
inline styles): colours come from the CSS classes given with each segment. A ``fill``
presentation attribute may be added per class as a fallback for renderers that do not apply
the site's stylesheet to inline SVG (WeasyPrint, feed readers).

Every chart is an ``<svg role="img">`` labelled by its own ``<title>`` through
``aria-labelledby``, so a screen reader announces all the numbers, not a picture.
"""

import itertools
import re
from collections.abc import Mapping, Sequence

from markupsafe import Markup

from app.analysis.rounding import largest_remainder_apportion, largest_remainder_percentages

__all__ = ["stacked_bar_svg"]

_ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_counter = itertools.count(1)


def stacked_bar_svg(
    segments: Sequence[tuple[str, int, str]],
    *,
    total: int,
    title: str,
    width: int = 480,
    height: int = 28,
    id_prefix: str = "bar",
    fills: Mapping[str, str] | None = None,
) -> Markup:
    """Return a horizontal stacked bar as inline SVG markup.

    ``segments`` are ``(label, count, css_class)`` in drawing order, left to right. Each
    segment with a non-zero width is a ``<rect class="{css_class}">``; widths are whole
    pixels shared by the largest-remainder method, so they add up to ``width`` when the counts
    add up to ``total``. Behind them a full-width ``<rect class="stacked-bar-track">`` keeps an
    empty bar visible.

    The ``<title>`` (id ``{id_prefix}-{n}-title``, ``n`` unique in the process) reads, e.g.,
    "Question 1: Positive 14 (33%), Negative 3 (7%), Neutral 10 (24%), No response 15 (36%)";
    with ``total`` 0 it reads "Question 1: No responses". Each segment also carries its own
    ``<title>`` (a tooltip). ``fills`` optionally maps a css_class to a colour for the ``fill``
    attribute. All text is escaped (``Markup.format`` applies ``markupsafe.escape``).
    """
    if width <= 0 or height <= 0:
        raise ValueError("width and height must be positive")
    if not _ID_PREFIX.match(id_prefix):
        raise ValueError(f"id_prefix must be a letter, then letters, digits, - or _: {id_prefix!r}")
    counts = [count for _, count, _ in segments]
    percentages = largest_remainder_percentages(counts, total=total)
    widths = largest_remainder_apportion(counts, total=total, units=width)
    fills = fills or {}

    descriptions = [
        f"{label} {count} ({percent}%)"
        for (label, count, _), percent in zip(segments, percentages, strict=True)
    ]
    summary = ", ".join(descriptions) if total > 0 else "No responses"
    title_id = f"{id_prefix}-{next(_counter)}-title"

    parts = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="stacked-bar" role="img"'
            ' aria-labelledby="{id}" width="{w}" height="{h}" viewBox="0 0 {w} {h}">'
            '<title id="{id}">{title}: {summary}</title>'
            '<rect class="stacked-bar-track" x="0" y="0" width="{w}" height="{h}"/>'
        ).format(id=title_id, w=width, h=height, title=title, summary=summary)
    ]
    x = 0
    for (_label, _count, css_class), segment_width, description in zip(
        segments, widths, descriptions, strict=True
    ):
        if segment_width == 0:
            continue
        fill = fills.get(css_class)
        fill_attribute = Markup(' fill="{}"').format(fill) if fill else Markup("")
        parts.append(
            Markup(
                '<rect class="{css_class}" x="{x}" y="0" width="{w}" height="{h}"{fill}>'
                "<title>{description}</title></rect>"
            ).format(
                css_class=css_class,
                x=x,
                w=segment_width,
                h=height,
                fill=fill_attribute,
                description=description,
            )
        )
        x += segment_width
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
