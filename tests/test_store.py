"""The store migrates itself on first use, on SQLite and on a real PostgreSQL server."""
from __future__ import annotations

import sqlalchemy

from bot.store.db import migrate, make_engine, open_store, table_names
from bot.store.keyring import Keyring, KeyUnavailable

EXPECTED = {"people", "conversations", "meetings", "participants", "invites", "statement_items",
            "statements", "deliveries", "followups", "inbox", "outbox", "audit_events",
            "tracker_events", "data_keys", "coordinators", "service_secrets", "telegram_chats", "telegram_buttons", "telegram_messages"}


def test_sqlite_store_is_created_and_migrated_on_first_use(isolated_env):
    factory = open_store()
    assert EXPECTED <= set(table_names(factory.kw["bind"]))
    assert (isolated_env / "test.db").exists()


def test_sqlite_runs_with_secure_delete(store):
    with store() as session:
        assert session.execute(sqlalchemy.text("PRAGMA secure_delete")).scalar() == 1


def newest_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from bot.store.db import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(cfg).get_current_head()


def test_migration_is_idempotent_on_postgres(pg_url):
    engine = make_engine(pg_url)
    migrate(engine)
    migrate(engine)
    assert EXPECTED <= set(table_names(engine))
    with engine.connect() as connection:
        assert connection.execute(sqlalchemy.text("select version_num from alembic_version")).scalar() == newest_revision()
    engine.dispose()


def test_erased_key_makes_its_data_unreadable_on_postgres(pg_url):
    factory = open_store(pg_url)
    with factory() as session, session.begin():
        keys = Keyring(session)
        parent = keys.create_key()
        child = keys.create_key(parent)
        blob = keys.seal(child, "people", "name_enc", "row1", "Alva")
        assert keys.open("people", "name_enc", "row1", blob) == "Alva"
        keys.destroy(parent)
    with factory() as session:
        keys = Keyring(session)
        try:
            keys.open("people", "name_enc", "row1", blob)
        except KeyUnavailable:
            pass
        else:
            raise AssertionError("a blob under a destroyed key was still readable")


def _upgrade_to(engine, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    from bot.store.db import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)
        connection.commit()


def _backfill_finds_whose_history_each_chat_holds(url: str) -> None:
    """Chats unlinked by a revoke or reissue before migration 0005 still hold a person's
    words under that person's key: the migration records them as that person's, so
    erasing the person finds them."""
    engine = make_engine(url)
    _upgrade_to(engine, "0004")
    rows = [
        "insert into data_keys (id, wrapped, wrapped_by, created_at) values ('kp', 'x', 'master:m', '2030-01-01')",
        "insert into data_keys (id, wrapped, wrapped_by, created_at) values ('kc1', 'x', 'key:kp', '2030-01-01')",
        "insert into data_keys (id, wrapped, wrapped_by, created_at) values ('kc2', 'x', 'key:kp', '2030-01-01')",
        "insert into data_keys (id, wrapped, wrapped_by, created_at) values ('kc3', 'x', 'master:m', '2030-01-01')",
        "insert into people (id, role, name_enc, key_id, paused, created_at) values ('p1', 'guardian', 'x', 'kp', false, '2030-01-01')",
        "insert into conversations (id, key_id, person_id, channel, failed_code_attempts, created_at) values ('linked', 'kc1', 'p1', 'rest', 0, '2030-01-01')",
        "insert into conversations (id, key_id, person_id, channel, failed_code_attempts, created_at) values ('unlinked', 'kc2', null, 'rest', 0, '2030-01-01')",
        "insert into conversations (id, key_id, person_id, channel, failed_code_attempts, created_at) values ('nobodys', 'kc3', null, 'rest', 0, '2030-01-01')",
    ]
    with engine.begin() as connection:
        for statement in rows:
            connection.execute(sqlalchemy.text(statement))
    migrate(engine)
    with engine.connect() as connection:
        owners = dict(connection.execute(sqlalchemy.text(
            "select id, owner_person_id from conversations")).all())
    engine.dispose()
    assert owners == {"linked": "p1", "unlinked": "p1", "nobodys": None}


def test_migration_0005_backfills_chat_owners_on_sqlite(isolated_env):
    _backfill_finds_whose_history_each_chat_holds(f"sqlite:///{isolated_env / 'old.db'}")


def test_migration_0005_backfills_chat_owners_on_postgres(pg_url):
    _backfill_finds_whose_history_each_chat_holds(pg_url)
