"""What the Annex A templates need: the chart of a row and the column labels.

The web layer makes these template globals (``app.web.templating.make_environment``), so a
block rendered alone by jinja2-fragments has them too.
"""

from __future__ import annotations

from markupsafe import Markup

from app.analysis.charts import stacked_bar_svg
from app.analysis.tallies import CATEGORIES, CATEGORY_LABELS, TallyRow, TallyTable


def annex_columns(table: TallyTable) -> list[tuple[str, str]]:
    """The table's columns: "not yet evaluated" only when some answer is."""
    return [
        (c, CATEGORY_LABELS[c]) for c in CATEGORIES if c != "unevaluated" or table.has_unevaluated
    ]


def annex_chart(row: TallyRow, *, prefix: str = "annex") -> Markup:
    segments = [(c, CATEGORY_LABELS[c], n) for c, n in zip(CATEGORIES, row.counts, strict=True)]
    return stacked_bar_svg(
        segments,
        title=f"Question {row.position}: how the {row.respondents:,} respondents answered",
        element_id=f"{prefix}-q{row.position}",
    )
