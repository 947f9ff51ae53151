"""Forms read whole, for pages whose fields are not declared one by one as ``Form()``
parameters (the organisers' consultation, question and outcome forms, the coding workspace).

Only text fields are read: a file sent in place of a text field counts as missing, and the
CSRF token (checked by ``app.web.csrf``) is never echoed back as something the person typed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from app.web import csrf


class FormFields:
    """The text fields of a submitted form."""

    def __init__(self, form: FormData) -> None:
        self._form = form

    def get(self, name: str) -> str | None:
        value = self._form.get(name)
        return value if isinstance(value, str) else None

    def getlist(self, name: str) -> list[str]:
        return [value for value in self._form.getlist(name) if isinstance(value, str)]

    def values(self) -> dict[str, str | None]:
        """Every field as typed, to validate and to show again beside its error (typed with
        ``None`` for the forms' readers, which treat a missing field as an empty one)."""
        return {
            name: value
            for name, value in self._form.items()
            if isinstance(value, str) and name != csrf.FIELD
        }


async def form_fields(request: Request) -> FormFields:
    return FormFields(await request.form())


Fields = Annotated[FormFields, Depends(form_fields)]


async def form_values(fields: Fields) -> dict[str, str | None]:
    return fields.values()


FormValues = Annotated[dict[str, str | None], Depends(form_values)]
"""A form's fields as typed, for a page that hands them to its domain function whole."""
