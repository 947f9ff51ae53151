"""Reading the admin forms' text fields: trimmed, within a length, free of control characters.

Each reader adds its problem to ``errors`` under the field's name (so the page shows it beside
the field) and returns the cleaned text, or "" when there is a problem.
"""

from __future__ import annotations

_CONTROL = {chr(c) for c in range(32) if chr(c) not in "\n\r\t"} | {"\x7f"}


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
    value = (values.get(name) or "").strip()
    if not value:
        if required:
            errors[name] = f"Enter {label}."
        return ""
    if any(ch in _CONTROL for ch in value) or "\ufffd" in value:
        errors[name] = f"{label[0].upper()}{label[1:]} contains characters that are not text."
        return ""
    if not multiline and ("\n" in value or "\r" in value):
        errors[name] = f"Write {label} on one line."
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
    return value.replace("\r\n", "\n")


def reason_field(errors: dict[str, str], values: dict[str, str | None]) -> str:
    """The reason an admin gives for a change, kept in the audit log."""
    return text_field(
        errors, values, "reason", label="the reason for this change", maximum=300, minimum=5
    )
