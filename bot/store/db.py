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
        with engine.connect() as connection, _migration_lock(engine, connection):
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


# Any constant shared by every process of the service: names the advisory lock.
_PG_MIGRATION_LOCK = 0x5349504B  # "SIPK"


@contextmanager
def _migration_lock(engine: Engine, connection) -> Iterator[None]:
    """Serialise first use: Rasa, the action server, the channels and a CLI command started
    together on an empty database would otherwise all create the same tables, and all but
    one fail. The check of the current revision happens under the lock, so the others
    then find the schema done."""
    if engine.dialect.name == "postgresql":
        from sqlalchemy import text

        connection.execute(text("select pg_advisory_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        connection.commit()
        try:
            yield
        finally:
            connection.rollback()
            connection.execute(text("select pg_advisory_unlock(:key)"), {"key": _PG_MIGRATION_LOCK})
            connection.commit()
    elif engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        import fcntl

        with open(f"{engine.url.database}.migrate-lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield
    else:
        yield


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
