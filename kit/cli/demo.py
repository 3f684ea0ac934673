"""``flask kit demo``: create the schema, seed the demo program and serve it on this machine."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.serving import run_simple

from kit import migrations
from kit.config import localized
from kit.demo.seed import DEFAULT_SEED, has_people, seed_demo, summarize
from kit.state import get_state

LOOPBACK = "127.0.0.1"


@click.command("demo")
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True,
              envvar="PORT", help="Port of the development server (also read from $PORT).")
@click.option("--no-serve", is_flag=True, help="Only create the schema and seed the data.")
@click.option("--reset", is_flag=True,
              help="Delete every kit table and seed again from scratch.")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="Random seed: the same seed gives the same people.")
@with_appcontext
def demo(port: int, no_serve: bool, reset: bool, seed: int) -> None:
    """Seed the City of Port Alder demo and serve it at http://127.0.0.1:PORT.

    Runs only on an app configured with KIT_DEMO_MODE = True, so that invented people never
    land in a real program's database. An already seeded database is served as it is.
    """
    state = get_state()
    config = state.config
    if not config["KIT_DEMO_MODE"]:
        raise click.UsageError(
            "The demo runs only on an app with KIT_DEMO_MODE = True (it creates invented "
            "people and --reset deletes every kit table)."
        )
    engine = state.db.engine
    if reset:
        migrations.downgrade(engine, "base")
        click.echo("Deleted every kit table.")
    migrations.upgrade(engine)
    session = state.db.session
    if has_people(session):
        click.echo("The database already holds the demo; serving it as it is "
                   "(use --reset to start over).")
        summary = summarize(session)
    else:
        summary = seed_demo(session, seed=seed, timezone=config["KIT_TIMEZONE"])
        click.echo(f"Seeded the demo in {engine.url.render_as_string(hide_password=True)}.")
    for line in summary.lines():
        click.echo(f"  {line}")
    session.remove()

    prefix = config["KIT_URL_PREFIX"]
    # With a directory or SSO configured, the sign-in page offers it beside the personas.
    dev_only = config["KIT_DEV_SIGN_IN"] and not get_state().providers
    entry = f"{prefix}/sign-in/dev" if dev_only else f"{prefix}/sign-in"
    click.echo(f"\n{localized(config['KIT_PROGRAM_NAME'], 'en')}: http://{LOOPBACK}:{port}{entry}")
    if no_serve:
        return
    # ``app.run`` does nothing under the ``flask`` command, so start the server directly.
    run_simple(LOOPBACK, port, current_app._get_current_object(),  # type: ignore[attr-defined]
               use_reloader=False, use_debugger=False, threaded=True)
