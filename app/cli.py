"""The ``reclaim`` command."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from app.accounts import users
from app.cli_keys import keys_cli
from app.cli_site import site as _site
from kernel.clock import utcnow

cli = typer.Typer(help="Reclaim: public consultations and debate.", no_args_is_help=True)

if TYPE_CHECKING:
    pass


def _in_process_worker(worker: bool | None) -> None:
    """Whether each web process runs the worker (mail and jobs): by default on SQLite, the
    embedded default that needs nothing else running, and not on PostgreSQL, where
    ``reclaim worker`` runs on its own. Passed to the web processes in the environment."""
    from app.settings import get_settings

    if worker is None:
        worker = get_settings().is_sqlite
    os.environ["RECLAIM_WORKER_IN_PROCESS"] = "true" if worker else "false"


WorkerOption = Annotated[
    bool | None,
    typer.Option(
        "--worker/--no-worker",
        help="Run the mail and jobs worker inside the web process (default: on with SQLite, "
        "off with PostgreSQL, where `reclaim worker` runs on its own).",
    ),
]


def _serve(
    host: str, port: int, workers: int, reload: bool = False, access_log: bool = False
) -> None:
    import uvicorn

    from app.settings import get_settings

    # The app reads its settings afresh: this command may have set some in the environment
    # (the in-process worker, the demo's address) after they were first read.
    get_settings.cache_clear()
    # Worker threads would each get a malloc arena of their own, which fragments and keeps
    # memory; two arenas per process serve a few threads as well (workers inherit this).
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    # No access log unless asked for: each line would record a visitor's IP address and the
    # pages they read, personal data the site otherwise never keeps outside the vault.
    options: dict[str, Any] = {
        "proxy_headers": False,
        "server_header": False,
        "log_level": "info",
        "access_log": access_log,
        "log_config": None,  # the site's structured logging (app.ops.logs), not uvicorn's own
        # No WebSockets: the site has none, so an upgrade request is answered as an ordinary
        # HTTP request, never switched, and no worker imports a WebSocket library (~1 MiB).
        "ws": "none",
    }
    if workers > 1 and not reload:
        # A listening socket per worker, so that connections are spread over all of them
        # (app.serving: uvicorn's workers share one socket and one can take them all).
        from app.serving import serve_balanced

        raise typer.Exit(serve_balanced(host, port, workers, options))
    uvicorn.run("app.asgi:app", host=host, port=port, reload=reload, **options)


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    access_log: Annotated[
        bool,
        typer.Option(
            help="Log every request with the client's address (off by default: personal data)."
        ),
    ] = False,
    worker: WorkerOption = None,
) -> None:
    """Serve the site with uvicorn."""
    _in_process_worker(worker)
    _serve(host, port, workers, access_log=access_log)


@cli.command()
def migrate() -> None:
    """Bring the database schema up to date (Alembic upgrade head)."""
    from app import migrate as migrations
    from app.settings import get_settings

    migrations.upgrade(get_settings().database_url)
    typer.echo("Database schema is up to date.")


@cli.command()
def demo(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Seed only; do not serve.")] = False,
    worker: WorkerOption = None,
) -> None:
    """Migrate, add demo content if the database is empty, print the demo sign-ins, serve."""
    from app import migrate as migrations
    from app.demo import seed
    from app.settings import get_settings

    settings = get_settings()
    if not settings.is_development:
        raise typer.BadParameter("demo data is for development only (RECLAIM_ENVIRONMENT)")
    os.environ.setdefault("RECLAIM_BASE_URL", f"http://{host}:{port}")
    migrations.upgrade(settings.database_url)
    with _site().transaction() as session:
        if seed.is_seeded(session):
            typer.echo("Demo content already present.")
        else:
            typer.echo("Adding demo content…")
            seed.seed(session, now=utcnow())
    typer.echo(
        "\nDemo accounts (sign in at /auth/sign-in with the address; the link appears "
        f"in the development outbox at http://{host}:{port}/dev/outbox):"
    )
    for role, pseudonym in seed.ROLE_ACCOUNTS.items():
        typer.echo(f"  {role.value:<10} {pseudonym:<14} {seed.demo_email(pseudonym)}")
    if not no_serve:
        typer.echo(f"\nServing on http://{host}:{port}/  (Ctrl+C to stop)")
        _in_process_worker(worker)
        _serve(host, port, 1)


@cli.command("worker")
def worker_command(
    once: Annotated[
        bool, typer.Option("--once", help="Do what is due now, then exit (for cron or a check).")
    ] = False,
) -> None:
    """Deliver queued mail and run scheduled jobs until stopped (SIGTERM or Ctrl+C finish the
    message in hand and give the rest back). Any number may run against PostgreSQL."""
    import signal
    import threading

    from app.outbox.worker import Worker

    runner = Worker(_site())
    if once:
        totals = runner.drain()
        typer.echo(f"{totals.sent} sent, {totals.failed} failed attempts, {totals.jobs} jobs run.")
        return
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    runner.start()
    typer.echo(f"Worker {runner.id} running (Ctrl+C to stop).")
    while not stop.wait(1):
        pass
    runner.stop()
    typer.echo(f"Worker {runner.id} stopped: {runner.totals.sent} sent.")


@cli.command("create-user")
def create_user(
    email: Annotated[str, typer.Argument(help="The person's e-mail address (kept in the vault).")],
    pseudonym: Annotated[str, typer.Argument(help="Public pseudonym.")],
    role: Annotated[
        list[str],
        typer.Option(
            "--role", help="citizen, moderator, organiser, custodian or admin; repeat for several."
        ),
    ] = [],  # noqa: B006
) -> None:
    """Create an account with the given roles (each role granted goes to the audit log). On
    an empty database, this is how the first admin is made: `--role admin`."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from app.accounts.models import Role
    from app.admin import roles as role_changes
    from kernel.errors import DomainError

    try:
        roles = {Role(r) for r in role}
    except ValueError:
        raise typer.BadParameter(
            "choose citizen, moderator, organiser, custodian or admin", param_hint="--role"
        ) from None
    try:
        with _site().transaction() as session:
            now = utcnow()
            user = users.create_user(
                session,
                email=email,
                pseudonym=pseudonym,
                roles=roles,
                now=now,
                allow_reserved=True,
            )
            role_changes.record_initial_roles(
                session, user=user, roles=roles, reason="created with reclaim create-user", now=now
            )
            typer.echo(f"Created {user.pseudonym} with roles: {user.roles}")
    except DomainError as error:
        typer.echo(f"Not created: {error.message}", err=True)
        raise typer.Exit(1) from None
    except (OperationalError, ProgrammingError):
        typer.echo("Not created: the database has no tables yet. Run `reclaim migrate`.", err=True)
        raise typer.Exit(1) from None


@cli.command()
def backup(
    file: Annotated[Path, typer.Argument(help="The new file to write the copy to.")],
) -> None:
    """Take a consistent copy of the SQLite database while the site is serving (SQLite's online
    backup API). For PostgreSQL it prints the pg_dump command to use instead."""
    from app.ops.backup import backup_sqlite
    from app.settings import get_settings
    from kernel.errors import DomainError

    try:
        done = backup_sqlite(get_settings().database_url, file)
    except DomainError as error:
        typer.echo(error.message, err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Backed up {done.pages:,} pages ({done.size / 1_048_576:.1f} MiB) to {done.path}")


audit_cli = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
cli.add_typer(audit_cli, name="audit")


@audit_cli.command("verify")
def audit_verify(
    expected_head: Annotated[
        str | None,
        typer.Option(help="A head hash recorded earlier (a checkpoint kept outside the database)."),
    ] = None,
) -> None:
    """Check every link of the audit chain; report the first broken one."""
    from app.audit import log as audit

    with _site().transaction() as session:
        broken = audit.verify(session, expected_head=expected_head)
    if broken is None:
        typer.echo("Audit chain intact.")
        return
    typer.echo(f"Audit chain broken at entry {broken.seq}: {broken.reason}", err=True)
    raise typer.Exit(1)


evidence_cli = typer.Typer(help="Moderation evidence snapshots.", no_args_is_help=True)
cli.add_typer(evidence_cli, name="evidence")


@evidence_cli.command("verify")
def evidence_verify() -> None:
    """Check every evidence snapshot against its SHA-256 and the audit log; report failures."""
    from moderation import evidence

    with _site().transaction() as session:
        checked, bad = evidence.verify(session)
    for m in bad:
        typer.echo(
            f"MISMATCH snapshot {m.snapshot_id} (case {m.case_id}): {m.reason} (stored "
            f"{m.stored}, computed {m.computed}, recorded {m.recorded or 'none'})",
            err=True,
        )
    if bad:
        typer.echo(f"{len(bad)} of {checked} evidence snapshot(s) fail their check.", err=True)
        raise typer.Exit(1)
    typer.echo(
        f"All {checked} evidence snapshot(s) match their SHA-256 and the hash the audit log "
        "recorded when they were taken."
    )


cli.add_typer(keys_cli, name="keys")


@cli.command("export")
def export(
    slug: Annotated[str, typer.Argument(help="The consultation's address (slug).")],
    kind: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="pdf, md or docx (summary of responses), csv or xlsx (answers), json (Annex A "
            "tallies).",
        ),
    ] = "csv",
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="File to write (default: SLUG-<kind> in this folder)."),
    ] = None,
    public_only: Annotated[
        bool, typer.Option("--public-only", help="Leave out answers their authors kept private.")
    ] = False,
) -> None:
    """Export a consultation's summary, answers or tallies, with a progress bar."""
    from rich.progress import Progress

    from app.analysis import documents, downloads, exports, outcome
    from app.consultations.catalogue import get_consultation
    from app.web.templating import make_environment
    from kernel.errors import NotFound

    kinds = {
        "pdf": "summary.pdf",
        "md": "summary.md",
        "docx": "summary.docx",
        "csv": "answers.csv",
        "xlsx": "answers.xlsx",
        "json": "tallies.json",
    }
    if kind not in kinds:
        raise typer.BadParameter("choose pdf, md, docx, csv, xlsx or json", param_hint="--format")
    path = output or f"{slug}-{kinds[kind]}"
    site = _site()
    with site.transaction() as session, Progress() as progress:
        try:
            consultation = get_consultation(session, slug, can_see_drafts=True)
        except NotFound:
            typer.echo(f"No consultation has the address {slug!r}.", err=True)
            raise typer.Exit(1) from None
        now = utcnow()
        include_private = not public_only
        with open(path, "wb") as file:
            if kind in ("csv", "xlsx"):
                total = exports.answer_count(
                    session, consultation=consultation, include_private=include_private
                )
                task = progress.add_task("Answers", total=total)
                write = exports.answers_csv if kind == "csv" else exports.answers_xlsx
                file.writelines(
                    write(
                        session,
                        consultation=consultation,
                        include_private=include_private,
                        progress=lambda n: progress.advance(task, n),
                    )
                )
            elif kind == "json":
                file.writelines(exports.tallies_json(session, consultation=consultation, now=now))
            else:
                task = progress.add_task("Summary", total=2)
                summary = outcome.summary(session, consultation=consultation, now=now)
                progress.advance(task)
                if kind == "docx":
                    file.write(
                        downloads.summary_docx(session, summary, site_name=site.settings.site_name)
                    )
                elif kind == "pdf":
                    templates = make_environment(site_time=site.time)
                    file.write(
                        documents.summary_pdf(
                            summary, templates=templates, site_name=site.settings.site_name
                        )
                    )
                else:
                    file.writelines(p.encode() for p in documents.summary_markdown(summary))
                progress.advance(task)
    typer.echo(f"Wrote {path}")


@cli.command("themes")
def themes(
    slug: Annotated[str, typer.Argument(help="The consultation's address (slug).")],
    question: Annotated[
        int | None, typer.Option("--question", "-q", help="Only this question (its number).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the suggestions as JSON.")] = False,
) -> None:
    """Find the themes of a consultation's answers now (as the worker would), then print the
    suggestions waiting for review; accepted themes are kept and left out."""
    import json

    from app.analysis.themes import runs, views
    from app.consultations import catalogue
    from kernel.errors import DomainError, NotFound

    site = _site()
    with site.transaction() as session:
        try:
            consultation = catalogue.get_consultation(session, slug, can_see_drafts=True)
            chosen = catalogue.questions_of(session, consultation)
            if question is not None:
                chosen = [catalogue.get_question(session, consultation, question)]
        except NotFound as error:
            typer.echo(error.message, err=True)
            raise typer.Exit(1) from None
    for q in chosen:
        with site.transaction() as session:
            try:
                run_id = runs.enqueue_run(
                    session, consultation=consultation, question=q, user=None, now=utcnow()
                ).id
            except runs.RunAlreadyActive:
                latest = runs.latest_run(session, question=q)
                run_id = latest.id if latest else None
        if run_id is None:
            continue
        typer.echo(f"Finding themes in the answers to question {q.position}…", err=True)
        try:
            ended = runs.perform_run(site.transaction, run_id)
        except DomainError as error:
            typer.echo(f"Question {q.position}: {error.message}", err=True)
            raise typer.Exit(1) from None
        if ended.state != "done":
            typer.echo(f"Question {q.position}: the run failed: {ended.error}", err=True)
            raise typer.Exit(1)
    with site.transaction() as session:
        document = views.suggestions_json(session, questions=chosen)
    if as_json:
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    for entry in document["questions"]:
        typer.echo(f"Question {entry['number']}: {len(entry['themes'])} suggested theme(s)")
        for n, theme in enumerate(entry["themes"], start=1):
            typer.echo(f"  {n}. {theme['label']} ({len(theme['answers'])} answers)")
            typer.echo(f"     phrases: {'; '.join(theme['phrases'])}")
        typer.echo(f"  Other: {len(entry['other'])} answers fit no theme")


@cli.command("theme-runs")
def theme_runs(
    watch: Annotated[
        bool, typer.Option("--watch", help="Keep looking for new runs every few seconds.")
    ] = False,
    interval: Annotated[float, typer.Option(help="Seconds between looks (--watch).", min=0.5)] = 3,
) -> None:
    """Perform the theme runs organisers queued on the site (the background worker's job), then
    stop; with --watch, keep doing so until interrupted."""
    import time

    from app.analysis.themes import runs

    site = _site()
    while True:
        done = runs.run_pending(site.transaction)
        if done:
            typer.echo(f"Performed {done} theme run(s).", err=True)
        if not watch:
            return
        time.sleep(interval)


def main() -> None:
    from pydantic import ValidationError

    from app.ops import logs
    from app.settings import get_settings

    try:
        logs.configure(get_settings())
    except ValidationError as error:  # say what is wrong, never the values (they hold secrets)
        problems = [
            " ".join(str(part) for part in (*e["loc"], e["msg"]) if part) for e in error.errors()
        ]
        typer.echo("Reclaim's settings are not valid:\n  " + "\n  ".join(problems), err=True)
        raise SystemExit(2) from None
    cli()
