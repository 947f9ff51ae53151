"""Thin HTTP handlers, one module per area."""

from app.routes import (
    account,
    admin,
    admin_content,
    admin_people,
    analysis,
    auth,
    blocks,
    consultations,
    dev,
    email_preferences,
    exports,
    health,
    metrics,
    outbox,
    outcomes,
    pages,
    participation,
    reports,
    standing,
    transparency,
)
from app.routes import custodian as custodian_routes
from app.routes import moderation as moderation_routes
from app.routes import oidc as oidc_routes
from app.routes import organising as organise

ROUTERS = [
    health.router,
    health.bench_router,
    metrics.router,
    pages.router,
    standing.router,
    consultations.router,
    participation.router,
    auth.router,
    account.router,
    email_preferences.router,
    dev.router,
    oidc_routes.router,
    custodian_routes.router,
    moderation_routes.router,
    reports.router,
    blocks.router,
    transparency.router,
    organise.router,
    analysis.router,
    exports.router,
    outcomes.router,
    admin.router,
    admin_people.router,
    admin_content.router,
    outbox.router,
]
