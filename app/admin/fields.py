"""Reading the admin forms' text fields: trimmed, within a length, cleaned of control
characters and bidirectional overrides the way every text input is (``kernel.text.clean``).

Each reader adds its problem to ``errors`` under the field's name (so the page shows it beside
the field) and returns the cleaned text, or "" when there is a problem.
"""

from __future__ import annotations

from kernel import i18n
from kernel.text import clean


def text_field(
    errors: dict[str, str],
    values: dict[str, str | None],
    name: str,
    *,
    label: str,
    maximum: int,
    required: bool = True,
    minimum: int = 1,
    multiline: bool = False,
) -> str:
    value = clean(values.get(name))
    if not value:
        if required:
            errors[name] = i18n._("Enter {label}.", label=label)
        return ""
    if "\ufffd" in value:
        errors[name] = f"{label[0].upper()}{label[1:]} contains characters that are not text."
        return ""
    if not multiline and "\n" in value:
        errors[name] = i18n._("Write {label} on one line.", label=label)
        return ""
    if len(value) < minimum:
        errors[name] = f"{label[0].upper()}{label[1:]} needs at least {minimum:,} characters."
        return ""
    if len(value) > maximum:
        errors[name] = (
            f"{label[0].upper()}{label[1:]} can be at most {maximum:,} characters "
            f"(it is {len(value):,})."
        )
        return ""
    return value


def reason_field(errors: dict[str, str], values: dict[str, str | None]) -> str:
    """The reason an admin gives for a change, kept in the audit log."""
    return text_field(
        errors, values, "reason", label="the reason for this change", maximum=300, minimum=5
    )
