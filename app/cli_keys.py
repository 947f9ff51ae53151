"""``reclaim keys``: the identity vault's keys (make a new one, see what each holds, rotate
every record to the active one)."""

from __future__ import annotations

from typing import Annotated

import typer

from app.cli_site import site as _site
from kernel.clock import utcnow

keys_cli = typer.Typer(
    help="Identity-vault keys: make a new one, rotate every record to it.", no_args_is_help=True
)


@keys_cli.command("new")
def keys_new(
    key_id: Annotated[
        str | None, typer.Argument(help="Id of the new key (a-z, 0-9, '-', '_'); default: k<date>.")
    ] = None,
) -> None:
    """Print a new random vault key as an 'id:base64url' settings entry."""
    from app.identity.vault.keyring import KeyringError, generate_key_spec

    key_id = key_id or "k" + utcnow().strftime("%Y%m%d%H%M")
    try:
        spec = generate_key_spec(key_id)
    except KeyringError as error:
        raise typer.BadParameter(str(error)) from None
    typer.echo(spec)
    typer.echo(
        "\nPut it first in RECLAIM_VAULT_KEYS (keep the old keys after it), restart every "
        "process, then run `reclaim keys rotate`. When `reclaim keys status` shows no "
        "record under an old key, remove that key from the setting.",
        err=True,
    )


@keys_cli.command("status")
def keys_status() -> None:
    """Records per vault key, and how many still need rotating."""
    from app.identity.vault import rotation
    from app.identity.vault import service as vault

    with _site().transaction() as session:
        in_use = rotation.keys_in_use(session)
        remaining = rotation.rotation_remaining(session)
    active = vault.keyring().active_id
    for key_id, count in sorted(in_use.items()):
        typer.echo(f"{key_id:<34} {count:>8} record(s){'  (active)' if key_id == active else ''}")
    typer.echo(f"Not yet under the active key {active!r}: {remaining}")


@keys_cli.command("rotate")
def keys_rotate(
    batch_size: Annotated[
        int, typer.Option(help="Records re-wrapped per transaction.", min=1)
    ] = 500,
) -> None:
    """Re-wrap every record's data key under the active key, in batches (safe to stop and run
    again: it continues where it stopped)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from app.identity.vault import rotation
    from app.identity.vault import service as vault

    site = _site()
    with site.transaction() as session:
        total = rotation.rotation_remaining(session)
    active = vault.keyring().active_id
    if total == 0:
        typer.echo(f"Every record is already under the active key {active!r}.")
        return
    done = 0
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    ) as progress:
        task = progress.add_task(f"Re-wrapping under {active}", total=total)
        while True:
            with site.transaction() as session:  # one transaction per batch
                count = rotation.rotate_batch(session, batch_size=batch_size, now=utcnow())
            if count == 0:
                break
            done += count
            progress.update(task, completed=min(done, total))
    typer.echo(
        f"Rotated {done} record(s) to {active!r}. Old keys with no record left can now "
        "be removed from RECLAIM_VAULT_KEYS."
    )
