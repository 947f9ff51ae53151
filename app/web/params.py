"""The typed, bounded request parameters every route uses for numbers (one mechanism).

An id or a question number in the path names a row: one outside ``1 … kernel.ids.MAX_ID``
(or not a number at all) names nothing, so the answer is 404, like any address with nothing
at it (``app.web.errors`` answers a path that fails validation so). Page numbers and ids in
the query or a form that are out of range are a malformed request: 400. No unbounded number
ever reaches the database, where PostgreSQL would refuse it ("integer out of range") and
SQLite overflow.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Path, Query

from kernel.ids import MAX_ID, MAX_PAGE

RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
"""A row's id in the path (``/answers/{answer_id}``)."""

Position = Annotated[int, Path(ge=1, le=MAX_ID)]
"""A question's number in its consultation, in the path."""

Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]
"""A page of a list (``?page=2``)."""

QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
"""An optional row id in the query (``?answer=17``)."""

Version = Annotated[int, Form(ge=0, le=MAX_ID)]
"""The version of a row a form was made from (optimistic concurrency)."""

VersionNumber = Annotated[int, Path(ge=0, le=MAX_ID)]
"""A numbered version in the path, counted from 0 (``/admin/pages/rules/versions/0``: the
page as Reclaim ships it)."""
