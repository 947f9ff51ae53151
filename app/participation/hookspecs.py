"""What participation tells the rest of the site, declared as hooks (``kernel.hooks``).

The site answers ``answers_changed`` by asking the scheduler to find a consultation's
campaigns again a little later (``app.analysis.grouping.request_regrouping``), so that the
analysts' groups stay current without anyone pressing a button.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from kernel.hooks import hookspec


class ParticipationSpec:
    @hookspec
    def answers_changed(self, session: Session, consultation_id: int, now: datetime) -> None:
        """An answer to the consultation was added or edited in the caller's transaction."""
