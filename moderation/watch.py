"""Watched words (editable by moderators) and what happens when a post is submitted.

The web application calls ``screen`` before saving a post (to know whether it must wait) and
``post_saved`` after (to open a case for a held or flagged post, or keep evidence of an edit).
Automation only ever sends a post to a person: it holds or flags, it never decides.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlmodel import Session, col, select

from kernel import i18n
from kernel.errors import FormInvalid, NotFound
from kernel.reads import columns
from kernel.text import clean
from moderation import evidence, hooks, notices, posts
from moderation.models import WatchedWord, saved_id
from moderation.reporting import find_case_for_post, open_case
from moderation.watchwords import (
    WATCH_ACTIONS,
    Matcher,
    WatchAction,
    WatchRule,
    compile_rules,
    watch_action,
)


def words(session: Session) -> list[WatchedWord]:
    return list(
        session.exec(
            select(WatchedWord).order_by(col(WatchedWord.phrase), col(WatchedWord.id))
        ).all()
    )


def add_word(
    session: Session, *, phrase: str | None, action: str | None, moderator_id: int, now: datetime
) -> WatchedWord:
    phrase = " ".join(clean(phrase, single_line=True).split())
    chosen = action if action in WATCH_ACTIONS else None
    errors = {}
    if chosen is None:
        errors["action"] = i18n._("Choose whether to hold or flag posts with this phrase.")
    if not phrase or len(phrase) > 200:
        errors["phrase"] = i18n._("Enter a word or phrase of up to 200 characters.")
    else:
        try:
            WatchRule(id=0, phrase=phrase, action=chosen or "flag")
        except ValueError:
            errors["phrase"] = i18n._("The phrase needs at least one letter or digit.")
    if errors or chosen is None:  # no choice means an error above
        raise FormInvalid(errors)
    word = WatchedWord(phrase=phrase, action=chosen, created_by=moderator_id, created_at=now)
    session.add(word)
    session.flush()
    hooks.audit(
        session,
        actor_id=moderator_id,
        action="moderation.watch.add",
        subject_type="watched_word",
        subject_id=saved_id(word),
        details={"action": action},
        now=now,
    )
    return word


def remove_word(session: Session, *, word_id: int, moderator_id: int, now: datetime) -> None:
    word = session.get(WatchedWord, word_id)
    if word is None:
        raise NotFound(i18n._("There is no such watched word."))
    session.delete(word)
    hooks.audit(
        session,
        actor_id=moderator_id,
        action="moderation.watch.remove",
        subject_type="watched_word",
        subject_id=word_id,
        details={},
        now=now,
    )
    session.flush()


@lru_cache(maxsize=8)
def _compiled(rules: tuple[tuple[int, str, str], ...]) -> Matcher:
    return compile_rules(WatchRule(id=i, phrase=p, action=watch_action(a)) for i, p, a in rules)


_RULES = select(WatchedWord.id, WatchedWord.phrase, WatchedWord.action).order_by(
    col(WatchedWord.id)
)  # built once: every post is screened


def matcher(session: Session) -> Matcher:
    return _compiled(tuple(tuple(row) for row in columns(session, _RULES)))


def screen(session: Session, *, text: str) -> WatchAction | None:
    """``"hold"``, ``"flag"`` or None for a post about to be saved."""
    return matcher(session).strongest_action(text)


def post_saved(
    session: Session,
    *,
    post_id: int,
    verdict: WatchAction | None,
    pre_moderated: bool,
    edited: bool,
    now: datetime,
) -> None:
    """After the app saved a post: open a case for a held or flagged post; on an edit of a
    post already in a case, keep a snapshot of the new version."""
    if verdict is None and not pre_moderated and not edited:
        return  # a new post (no case can exist yet) that nothing sends to a moderator
    case = find_case_for_post(session, post_id)
    if case is not None:
        if edited:
            evidence.post_changed(session, post_id=post_id, deleted=False, now=now)
        return
    if verdict is None and not pre_moderated:
        return
    post = posts.get_post(session, post_id)
    held = verdict == "hold" or pre_moderated
    source = {"hold": "watch_hold", "flag": "watch_flag"}.get(verdict or "", "pre")
    case = open_case(session, post=post, held=held, source=source, reason=None, now=now)
    hooks.audit(
        session,
        actor_id=None,
        action=f"moderation.{source}",
        subject_type="case",
        subject_id=saved_id(case),
        details={"post_id": post_id},
        now=now,
    )
    if held:
        notices.notify(
            session,
            recipient_id=post.author_id,
            case_id=case.id,
            subject="Your post is awaiting review",
            body=(
                f"Your post in '{post.consultation_title}' is waiting for a moderator to "
                "review it before it is published. You will be told when it is."
            ),
            now=now,
        )
