"""The admin area's first page: what needs attention, and where everything is."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.admin import details, pages, roles, themes


@dataclass(frozen=True)
class Dashboard:
    counts: dict[str, int]
    custodians_needed: int
    themes_in_use: int
    themes_retired: int
    pages: list[tuple[pages.PageKind, pages.StandingPage]]
    details: details.Details

    @property
    def custodian_shortfall(self) -> int:
        return max(0, self.custodians_needed - self.counts["custodian"])

    @property
    def pages_as_shipped(self) -> list[str]:
        return [page.title for _, page in self.pages if page.is_default]


def dashboard(session: Session, *, two_person_rule: bool) -> Dashboard:
    rows = themes.theme_rows(session)
    return Dashboard(
        counts=roles.role_counts(session),
        custodians_needed=2 if two_person_rule else 1,
        themes_in_use=sum(not row.is_retired for row in rows),
        themes_retired=sum(row.is_retired for row in rows),
        pages=pages.overview(session),
        details=details.site_details(session),
    )
