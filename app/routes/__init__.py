"""Thin HTTP handlers, one module per area."""

from app.routes import account, auth, consultations, dev, health, pages, participation
from app.routes import custodian as custodian_routes
from app.routes import oidc as oidc_routes
from app.routes import transparency as transparency_routes

ROUTERS = [
    health.router, pages.router, consultations.router, participation.router, auth.router,
    account.router, dev.router,
    oidc_routes.router,
    custodian_routes.router, transparency_routes.router,
]
