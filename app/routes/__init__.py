"""Thin HTTP handlers, one module per area."""

from app.routes import account, auth, consultations, dev, health, pages, participation, reports
from app.routes import custodian as custodian_routes
from app.routes import moderation as moderation_routes
from app.routes import oidc as oidc_routes

ROUTERS = [
    health.router, pages.router, consultations.router, participation.router, auth.router,
    account.router, dev.router,
    moderation_routes.router, reports.router,
    oidc_routes.router,
    custodian_routes.router,
]
