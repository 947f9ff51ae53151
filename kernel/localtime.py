"""Local time: every time is stored in UTC, and read and typed in the site's time zone.

``SiteTime`` is one site's way of showing and reading times (its zone comes from
``RECLAIM_TIME_ZONE``, Europe/London by default). Pages get it through their template filters;
domain messages that name a time ("This consultation closed on 31 March 2027 at 23:59") use
``current()``, which the web layer sets for each request and the CLI for each command, the same
way a request's id is carried (a context variable, never a process-wide setting). Dates read
one way everywhere: "1 November 2026", "1 November 2026 at 14:05".
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from kernel import i18n

DEFAULT_ZONE = "Europe/London"
Moment = datetime  # the type, for the methods below (one of which is called ``datetime``)
ZONE_LABELS = {"Europe/London": i18n.N_("UK time")}


@lru_cache(maxsize=512)
def _in_words(
    site: SiteTime, minute: Moment, catalogue: gettext.NullTranslations, locale: str
) -> str:
    """``SiteTime.datetime`` of a whole minute, with the current language's ``catalogue`` and
    ``locale`` (arguments, so that each language has entries of its own, and a catalogue
    registered anew is a new key)."""
    words = catalogue.gettext("{date} at {time}")
    return words.format(date=site.date(minute), time=site.time(minute))


class LocalTimeError(ValueError):
    """A typed time that cannot be read; the message says why, for the person who typed it."""


@dataclass(frozen=True)
class SiteTime:
    zone: ZoneInfo

    @classmethod
    def named(cls, name: str) -> SiteTime:
        return cls(ZoneInfo(name))

    @property
    def label(self) -> str:
        """How the zone is named beside a time a person types: "UK time"."""
        label = ZONE_LABELS.get(self.zone.key)
        return i18n.gettext(label) if label else self.zone.key

    def local(self, value: Moment) -> Moment:
        """A stored time in the site's zone (a naive value is UTC, as SQLite gives them)."""
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(self.zone)

    def date(self, value: Moment | None) -> str:
        """ "1 November 2026" ("1 Tachwedd 2026" in Welsh): the reader's language."""
        if value is None:
            return ""
        return date_in_words(self.local(value).date())

    def time(self, value: Moment | None) -> str:
        """ "14:05"."""
        return f"{self.local(value):%H:%M}" if value is not None else ""

    def datetime(self, value: Moment | None) -> str:
        """ "1 November 2026 at 14:05"."""
        if value is None:
            return ""
        # Pages write the times of many posts, most of them in the same few minutes: each
        # minute is written once per language and kept (a few hundred short strings at most).
        minute = value.replace(second=0, microsecond=0)
        language = i18n.current_language()
        return _in_words(self, minute, i18n.catalogue(language), i18n.current_locale())

    def input_value(self, value: Moment | None) -> str:
        """A stored time as an HTML ``datetime-local`` value in the site's zone."""
        return f"{self.local(value):%Y-%m-%dT%H:%M}" if value is not None else ""

    def parse(self, text: str | None) -> Moment:
        """A time typed in the site's zone (``2027-03-31T23:59``, as ``datetime-local`` sends
        it) as an aware UTC datetime. A time with its own offset keeps it. A wall-clock time
        that does not exist (skipped when the clocks go forward) is refused; one that happens
        twice (when they go back) is read as the first."""
        try:
            typed = datetime.fromisoformat((text or "").strip())
        except ValueError:
            raise LocalTimeError(i18n._("Enter a date and time, like 2027-03-31 23:59.")) from None
        if typed.tzinfo is not None:
            return typed.astimezone(UTC)
        placed = typed.replace(tzinfo=self.zone)
        stored = placed.astimezone(UTC)
        if stored.astimezone(self.zone).replace(tzinfo=None) != typed:
            raise LocalTimeError(
                i18n._(
                    "{time} on {date} does not exist in {zone}: the clocks go forward then. "
                    "Choose another time.",
                    time=typed.strftime("%H:%M"),
                    date=date_in_words(typed.date()),
                    zone=self.label,
                )
            )
        return stored


def date_in_words(day: date) -> str:
    """A date in words in the current language ("1 November 2026", "1 Tachwedd 2026"): Babel's
    ``d MMMM y`` with its month names (``kernel.locale_data``)."""
    return f"{day.day} {i18n.locale_data().months[day.month - 1]} {day.year}"


def weekday_date_in_words(day: date) -> str:
    """The same with the day of the week ("Mon 2 November 2026"): Babel's ``EEE d MMMM y``."""
    return f"{i18n.locale_data().weekdays[day.weekday()]} {date_in_words(day)}"


_DEFAULT = SiteTime(ZoneInfo(DEFAULT_ZONE))
_current: ContextVar[SiteTime | None] = ContextVar("reclaim_site_time", default=None)


def current() -> SiteTime:
    """The site time of the request or command being served (UK time when none was set)."""
    return _current.get() or _DEFAULT


@contextmanager
def using(site_time: SiteTime) -> Iterator[SiteTime]:
    """Show and read times in ``site_time`` inside the block."""
    token = _current.set(site_time)
    try:
        yield site_time
    finally:
        _current.reset(token)


def activate(site_time: SiteTime) -> None:
    """Show and read times in ``site_time`` for the rest of this context (a CLI command)."""
    _current.set(site_time)
