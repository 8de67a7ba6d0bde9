"""Engine and session set-up, and automatic migration on first use.

Every entry point calls `open_store()`, so any command works on an empty database.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class StoreError(Exception):
    """The store cannot be opened; the message says what to do."""


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # secure_delete overwrites freed pages so erased words do not linger in the file.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Several processes (Rasa, the action server, the CLI) share one file.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            "SIPKOMPIS_DB_URL is not a database URL; use e.g. sqlite:///var/sipkompis.db "
            "or postgresql://user@host/db"
        ) from None
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(url, future=True, pool_pre_ping=True)
    except (ArgumentError, ImportError, SQLAlchemyError) as error:
        raise StoreError(
            f"SIPKOMPIS_DB_URL cannot be used ({type(error).__name__}); "
            "check the driver name and the address"
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (no-op when already there)."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            if current == head:
                return
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
            connection.commit()
    except OperationalError as error:
        raise StoreError(
            f"cannot reach the database at {describe_url(str(engine.url))}: "
            f"{_first_line(error.orig)}. Check SIPKOMPIS_DB_URL and that the server runs."
        ) from None


def describe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid URL>"


def _first_line(error: object) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


_engines: dict[str, Engine] = {}


def open_store(url: str | None = None) -> sessionmaker:
    """A session factory for `url` (default: settings), migrated to the newest schema."""
    if url is None:
        from bot.config import load_settings

        url = load_settings().db_url
    engine = _engines.get(url)
    if engine is None:
        engine = make_engine(url)
        migrate(engine)
        _engines[url] = engine
    return sessionmaker(bind=engine, future=True, expire_on_commit=False)


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())


@contextmanager
def transaction(factory: sessionmaker) -> Iterator[Session]:
    with factory() as session:
        with session.begin():
            yield session


def dispose_all() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
