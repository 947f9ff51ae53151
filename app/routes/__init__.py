"""Thin HTTP handlers, one module per area."""

from app.routes import (
    account,
    analysis,
    auth,
    consultations,
    dev,
    exports,
    health,
    organise,
    outcomes,
    pages,
    participation,
)

ROUTERS = [
    health.router, pages.router, consultations.router, participation.router, auth.router,
    account.router, dev.router,
]
ROUTERS += [organise.router, analysis.router, exports.router, outcomes.router]
