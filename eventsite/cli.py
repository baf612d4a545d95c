"""Commands a person runs: flask --app eventsite NAME"""

import click
from flask import Blueprint
from sqlalchemy import func, select

from .extensions import db
from .models import Event, utcnow

bp = Blueprint("cli", __name__, cli_group=None)


@bp.cli.command("demo-data")
@click.option("--count", default=300, show_default=True, help="How many events to create.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has events.")
def demo_data(count: int, if_empty: bool) -> None:
    """Fill the database with realistic upcoming demo events across the US."""
    from .demo import load_demo_data

    if if_empty and db.session.scalar(select(func.count()).select_from(Event)):
        click.echo("The database already has events; no demo data added.")
        return
    created = load_demo_data(count, utcnow().date())
    click.echo(f"Added {created} demo events.")
