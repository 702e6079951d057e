"""Command-line tools: `flask content check` (also usable when content is broken)."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup

from . import config
from .catalog import check


def content_check(content_dir: str, quiz_dir: str) -> int:
    problems = check(content_dir, quiz_dir)
    if not problems:  # the chatbot's own files need a sound catalog to check against
        from .catalog import ContentError, load_catalog
        from .chat.texts import load_chat_content

        try:
            load_chat_content(content_dir, load_catalog(content_dir, quiz_dir))
        except ContentError as error:
            problems = error.problems
    if problems:
        click.echo(f"Content check failed with {len(problems)} problem(s):", err=True)
        for problem in problems:
            click.echo(f"  {problem}", err=True)
        return 1
    click.echo("Content OK")
    return 0


# Registered as a plugin command (see pyproject.toml) so that it runs without building the app,
# which refuses to start on broken content.
content = click.Group("content", help="Check the explainers, law references and quiz banks.")


@content.command("check")
@click.option("--content-dir", default=str(config.PROJECT_ROOT / "content"), show_default=True)
@click.option("--quiz-dir", default=str(config.PROJECT_ROOT / "quizzes"), show_default=True)
def content_check_command(content_dir: str, quiz_dir: str) -> None:
    """List every problem with its file and field; exit non-zero if there is any."""
    sys.exit(content_check(content_dir, quiz_dir))


def init_app(app: Flask) -> None:
    """Commands that need the app (and its database) are attached here."""
    app.cli.add_command(organizer)


organizer = AppGroup("organizer", help="Organizer accounts (teachers, community workers).")


@organizer.command("create")
@click.argument("name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True, help="The new account's password.")
@click.option("--display-name", default="", help="The name certificates show (e.g. 李老师).")
@click.option("--organization", default="", help="The school or organization certificates show.")
def organizer_create(name: str, password: str, display_name: str, organization: str) -> None:
    """Create the organizer account NAME (for scripted set-up). It reads DATABASE_URL and SECRET_KEY (else
    instance/secret_key) as `make serve` does; the database needs `make db` (flask db upgrade) first."""
    from .auth import service

    try:
        created = service.create_organizer(name, password, display_name, organization)
    except service.UsernameTaken:
        raise click.ClickException(f"An organizer named {name!r} already exists.") from None
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created organizer {created.username!r} (id {created.id}).")
