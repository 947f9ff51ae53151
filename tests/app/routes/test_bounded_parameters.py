"""Every number a route reads from the address is bounded (``app.web.params``): walking every
route of the app with ids and page numbers that are negative, zero, past 32 and 64 bits, or not
numbers at all gives 404 (path) or 400 (query), never a 500, on both databases."""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app.accounts.models import Role
from tests.factories import csrf_token, make_consultation, make_user, sign_in

BAD_NUMBERS = ["-1", "0", str(2**31), str(2**63), str(10**20), "abc", "1.5", "%C2%B2"]
SAMPLE_PATH_TEXT = {"slug": "walk", "reference": "R-none", "category": "positive"}


@dataclass(frozen=True)
class NumberParameter:
    route: APIRoute
    method: str
    name: str
    where: str  # "path" or "query"


def _is_int(annotation: object) -> bool:
    if annotation is int:
        return True
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return int in typing.get_args(annotation)
    return False


def _params(dependant: Dependant) -> Iterator[tuple[str, object]]:
    for field in dependant.path_params:
        yield "path", field
    for field in dependant.query_params:
        yield "query", field
    for sub in dependant.dependencies:
        yield from _params(sub)


def _api_routes(router) -> Iterator[APIRoute]:
    for route in router.routes:
        if isinstance(route, APIRoute):
            yield route
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _api_routes(included)


def number_parameters(app) -> list[NumberParameter]:
    found = []
    for route in _api_routes(app.router):
        for where, field in _params(route.dependant):
            if _is_int(field.field_info.annotation):
                found.extend(
                    NumberParameter(route, method, field.name, where)
                    for method in sorted(route.methods - {"HEAD"})
                )
    return found


def _url(parameter: NumberParameter, bad: str) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == parameter.name and parameter.where == "path":
            return bad
        return SAMPLE_PATH_TEXT.get(name, "1")

    path = re.sub(r"\{(\w+)(?::\w+)?\}", fill, parameter.route.path)
    return f"{path}?{parameter.name}={bad}" if parameter.where == "query" else path


def test_the_walk_finds_the_routes_the_issue_named(app) -> None:
    found = {(p.route.path, p.name) for p in number_parameters(app)}
    for expected in [
        ("/answers/{answer_id}", "answer_id"),
        ("/posts/{post_id}/report", "post_id"),
        ("/consultations/{slug}/questions/{number}", "number"),
        ("/moderation/cases/{case_id}", "case_id"),
        ("/custodian/disclosures/{disclosure_id}", "disclosure_id"),
        ("/decisions/{decision_id}/appeal", "decision_id"),
        ("/moderation", "page"),
        ("/moderation/appeals", "page"),
        ("/custodian/disclosures", "page"),
    ]:
        assert expected in found


@pytest.fixture
def everyone(client, outbox, session):
    """Signed in with every role, so that each route reaches its parameters."""
    make_consultation(session, slug="walk", questions=2)
    make_user(session, roles=set(Role), pseudonym="Walker", email="walker@example.test")
    sign_in(client, outbox, "walker@example.test")
    return client


def test_every_number_parameter_of_every_route_refuses_out_of_range_values(app, everyone) -> None:
    token = csrf_token(everyone, "/")
    failures = []
    for parameter in number_parameters(app):
        expected = {404} if parameter.where == "path" else {400}
        for bad in BAD_NUMBERS:
            url = _url(parameter, bad)
            response = everyone.request(
                parameter.method, url, headers={"X-CSRF-Token": token}, data={}
            )
            if response.status_code not in expected:
                failures.append(f"{parameter.method} {url}: {response.status_code}")
    assert not failures, "\n".join(failures)
