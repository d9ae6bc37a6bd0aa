"""``flask demo``: the demo world a newcomer signs in to (idempotent).

Every feature extends it so that each demo account shows its feature with realistic
data: ``people`` (institutions, programmes, accounts), ``learning`` (course progress,
quiz attempts, pre/post tests, a certificate), ``cohorts`` (cohorts, a workshop with
attendance, a three-generation cascade), ``conferences`` (a fortnightly case-conference
series), ``mail`` (reminders delivered and refused, for the pages that show an
e-mail's fate), ``placements`` (observerships: one under way, one completed with its
follow-ups, an open offer; app/demo/placements.py), ``protocols`` (a Singapore
protocol published and under review for version 2, its Beijing adaptation;
app/demo/protocols.py), and, at the full size (the
default), ``beijing`` (the Beijing programme at real size: eight institutions, some
five hundred learners at every stage, two cascade generations; app/demo/beijing.py).
All demo accounts use the password ``palliare-demo``.
"""

import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from app.auth.models import User
from app.demo.beijing import LEARNERS, ensure_programme_at_size
from app.demo.bulk import World
from app.demo.cohorts import ensure_cohorts
from app.demo.conferences import ensure_conferences
from app.demo.learning import ensure_learning
from app.demo.library import ensure_library
from app.demo.mail import ensure_mail
from app.demo.people import ACCOUNTS, DEMO_PASSWORD, ensure_people
from app.demo.placements import ensure_placements
from app.demo.protocol_adoption import ensure_protocol_adoption
from app.demo.protocols import ensure_protocols
from app.demo.scale import generate
from app.extensions import db

__all__ = ["ACCOUNTS", "DEMO_PASSWORD", "demo_command", "seed_demo"]


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has accounts.")
@click.option(
    "--size",
    type=click.Choice(sorted(LEARNERS)),
    default="full",
    show_default=True,
    help="small: the demo accounts only; full: also the Beijing programme at real size.",
)
@click.option(
    "--scale",
    type=click.IntRange(min=0),
    default=0,
    help="Also add a large world of N learners (for benchmarks and dashboards).",
)
@with_appcontext
def demo_command(if_empty: bool, size: str, scale: int):
    """Create (or complete) the demo world; safe to run again."""
    if if_empty and db.session.scalar(select(func.count(User.id))):
        click.echo("The database already has accounts; demo data not added.")
        return
    started = time.perf_counter()
    programme = seed_demo(size)
    db.session.commit()
    if programme is not None:
        rows = ", ".join(f"{count:,} {table}" for table, count in programme.counts.items())
        click.echo(f"The Beijing programme at full size: {rows}.")
    seconds = time.perf_counter() - started
    click.echo(
        f"Demo world ready in {seconds:.1f} s. Sign in as any demo account, "
        f"password {DEMO_PASSWORD}."
    )
    if scale:
        started = time.perf_counter()
        world = generate(scale)
        db.session.commit()
        rows = ", ".join(f"{count:,} {table}" for table, count in world.counts.items())
        click.echo(f"Added {scale:,} learners in {time.perf_counter() - started:.1f} s: {rows}.")


def seed_demo(size: str = "full") -> World | None:
    """Create whatever part of the demo world is missing (flushes, does not commit);
    ``size`` small leaves out the Beijing programme at real size. Returns what the
    programme at size added (None if nothing)."""
    ensure_people()
    ensure_learning()
    ensure_cohorts()
    ensure_conferences()
    ensure_mail()
    ensure_placements()
    ensure_protocols()
    ensure_protocol_adoption()
    if current_app.config.get("DEMO_LIBRARY", True):
        ensure_library()
    return ensure_programme_at_size(size)
