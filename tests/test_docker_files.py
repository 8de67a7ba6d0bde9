"""docker/: the compose file, the image and the proxy, checked without a Docker engine.

The compose file is parsed as YAML and every name in it is checked against the project:
the services the layout needs, the roles the image can run, the variables the settings
read, the ports and paths the proxy forwards to, and that no secret is written in. The
image's roles are started for real where they can run without Rasa (init, scheduler);
the Rasa, action server and web chat health checks run against real processes in
tests/test_replicas.py.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from tests.conftest import REPO

DOCKER = REPO / "docker"
SECRET_NAME = re.compile(r"(PASSWORD|TOKEN|SECRET|MASTER_KEY)$")
INTERPOLATION = re.compile(r"\$\{([A-Z0-9_]+)(?::?([-?])([^}]*))?\}")
# What secrets look like when pasted in: a Telegram bot token, 32 bytes of base64, a PEM key.
SECRET_VALUE = re.compile(r"\b\d{6,}:[A-Za-z0-9_-]{30,}|[A-Za-z0-9+/]{43}=|-----BEGIN")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DOCKER / "compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined, comments dropped."""
    text = (DOCKER / "Dockerfile").read_text(encoding="utf-8")
    text = re.sub(r"\\\n", " ", "\n".join(line for line in text.splitlines()
                                          if not line.lstrip().startswith("#")))
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip())
            for line in text.splitlines() if line.strip()]


def role_of(service: dict) -> str | None:
    command = service.get("command")
    return command[0] if isinstance(command, list) and command and service.get("build") else None


def by_role(compose: dict, role: str) -> dict[str, dict]:
    return {name: s for name, s in compose["services"].items() if role_of(s) == role}


def resolved(value: str) -> str:
    """Compose interpolation: a `:-default` where given, else a stand-in for the
    deployment's own value."""
    return INTERPOLATION.sub(lambda m: m.group(3) if m.group(2) == "-" else f"x-{m.group(1).lower()}",
                             str(value))


def test_the_layout_has_every_service_with_two_rasa_replicas_and_one_scheduler(compose):
    services = compose["services"]
    assert any(s.get("image", "").startswith("postgres:") for s in services.values())
    assert any(s.get("image", "").startswith("redis:") for s in services.values())
    rasa = by_role(compose, "rasa")
    assert sum(int((s.get("deploy") or {}).get("replicas", 1)) for s in rasa.values()) >= 2
    for role in ("actions", "web", "desk", "telegram", "init"):
        assert len(by_role(compose, role)) == 1, role
    schedulers = by_role(compose, "scheduler")
    assert len(schedulers) == 1
    assert int((next(iter(schedulers.values())).get("deploy") or {}).get("replicas", 1)) == 1
    proxy = [s for s in services.values() if re.match(r"(caddy|nginx):", s.get("image", ""))]
    assert len(proxy) == 1 and any(str(p).startswith("443:") for p in proxy[0]["ports"])
    telegram = next(iter(by_role(compose, "telegram").values()))
    assert resolved(telegram["environment"]["TELEGRAM_WEBHOOK_URL"]).startswith("https://")


def test_only_the_proxy_publishes_ports_and_rasa_and_actions_have_no_way_out(compose):
    for name, service in compose["services"].items():
        if not re.match(r"(caddy|nginx):", service.get("image", "")):
            assert "ports" not in service, name
    internal = {name for name, net in compose["networks"].items() if (net or {}).get("internal")}
    for role in ("rasa", "actions"):
        for name, service in by_role(compose, role).items():
            assert set(service["networks"]) <= internal, name
    for name in ("postgres", "redis"):
        assert set(compose["services"][name]["networks"]) <= internal


def test_no_secret_is_written_in_docker_files(compose):
    for path in DOCKER.iterdir():
        if path.is_file():
            assert not SECRET_VALUE.search(path.read_text(encoding="utf-8")), path.name
    for name, service in compose["services"].items():
        environment = service.get("environment") or {}
        assert isinstance(environment, dict), name
        for key, value in environment.items():
            value = str(value)
            if SECRET_NAME.search(key):
                assert INTERPOLATION.fullmatch(value), (name, key)
            credentials = re.search(r"://[^/@]*:([^@/]*)@", value)
            if credentials:
                assert INTERPOLATION.fullmatch(credentials.group(1)), (name, key)
    example = (DOCKER / "env.example").read_text(encoding="utf-8")
    for line in example.splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            if SECRET_NAME.search(key):
                assert value == "", key
    # The examples are written nowhere near the image: the build context leaves out
    # everything local and secret.
    ignored = (DOCKER / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
    for pattern in (".git", ".venv", "var", "**/*.key", "**/*.pem", "**/.env"):
        assert pattern in ignored


def _in_build_context(path: str) -> bool:
    """Docker's rule for a .dockerignore: the last pattern that matches decides, `!` keeps."""
    import fnmatch

    kept = True
    for line in (DOCKER / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated, pattern = line.startswith("!"), line.lstrip("!").rstrip("/")
        parts = path.split("/")
        prefixes = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
        if any(fnmatch.fnmatch(prefix, pattern) or fnmatch.fnmatch(prefix, pattern.replace("**/", ""))
               for prefix in prefixes):
            kept = negated
    return kept


def test_the_image_holds_what_the_crisis_detector_learns_from():
    from bot.safety.classifier import ORDINARY_SETS, TRAINING_SETS

    assert ORDINARY_SETS  # the NLU examples it learns as ordinary messages
    for path in TRAINING_SETS + ORDINARY_SETS:
        assert _in_build_context(path.relative_to(REPO).as_posix()), path.name
    # ...and the check is not blind: the rest of tests/ and every secret stay out.
    assert not _in_build_context("tests/test_golden_path.py")
    assert not _in_build_context("tests/data/safety_heldout.yml")
    assert not _in_build_context("var/master.key") and not _in_build_context("docker/.env")


def test_every_variable_in_compose_is_read_by_the_project(compose):
    sources = "\n".join(p.read_text(encoding="utf-8") for base in ("bot", "actions")
                        for p in (REPO / base).rglob("*.py"))
    sources += (DOCKER / "endpoints.yml").read_text(encoding="utf-8")
    for name, service in compose["services"].items():
        if not service.get("build"):
            continue
        for key in service.get("environment") or {}:
            assert f'"{key}"' in sources or "${" + key + "}" in sources, (name, key)


def _settings_of(service: dict, monkeypatch):
    from bot.config import load_settings

    for key, value in service["environment"].items():
        monkeypatch.setenv(key, resolved(value))
    return load_settings()


def test_names_in_compose_point_at_services_that_answer_there(compose, monkeypatch):
    """The channels relay to every Rasa replica, Rasa calls the action server, the proxy
    forwards to the web chat and the Telegram webhook: each on the port it listens on."""
    services = compose["services"]
    web = _settings_of(next(iter(by_role(compose, "web").values())), monkeypatch)
    rasa_hosts = set(by_role(compose, "rasa"))
    assert len(web.rasa_urls) >= 2 and {urlsplit(u).hostname for u in web.rasa_urls} == rasa_hosts
    for name, service in by_role(compose, "rasa").items():
        settings = _settings_of(service, monkeypatch)
        assert {urlsplit(u).port for u in web.rasa_urls} == {settings.rasa_port}
        assert settings.db_url.startswith("postgresql://") and settings.lock_store_url.startswith("redis://")
        endpoints = yaml.safe_load((REPO / service["environment"]["SIPKOMPIS_ENDPOINTS"]).read_text())
        assert endpoints["tracker_store"]["type"].endswith("EncryptedTrackerStore")
        action = urlsplit(resolved(service["environment"][
            INTERPOLATION.fullmatch(endpoints["action_endpoint"]["url"]).group(1)]))
        actions = by_role(compose, "actions")
        assert action.hostname in actions
        assert action.port == _settings_of(actions[action.hostname], monkeypatch).action_port
        for needed in ("postgres", "redis", "init-store"):
            assert needed in service["depends_on"]
    assert urlsplit(web.db_url).hostname in services
    assert urlsplit(web.lock_store_url).hostname in services

    caddy = (DOCKER / "Caddyfile").read_text(encoding="utf-8")
    upstreams = dict(re.findall(r"reverse_proxy\s+([a-z0-9-]+):(\d+)", caddy))
    assert int(upstreams["web"]) == web.web_port and "web" in by_role(compose, "web")
    desk = _settings_of(next(iter(by_role(compose, "desk").values())), monkeypatch)
    assert int(upstreams["desk"]) == desk.coordinator_port and "desk" in by_role(compose, "desk")
    # Its own host name and site block, never the children's chat's origin.
    assert urlsplit(desk.desk_base_url).hostname != urlsplit(web.web_base_url).hostname
    assert "{$SIPKOMPIS_DESK_DOMAIN} {" in caddy
    telegram_name, telegram = next(iter(by_role(compose, "telegram").items()))
    tg = _settings_of(telegram, monkeypatch)
    assert int(upstreams[telegram_name]) == tg.telegram_webhook_port
    assert tg.telegram_webhook_listen == "0.0.0.0"
    assert f"handle {urlsplit(tg.telegram_webhook_url).path} {{" in caddy
    proxy = next(s for s in services.values() if s.get("image", "").startswith("caddy:"))
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    for name, service in services.items():
        for dependency in service.get("depends_on") or {}:
            assert dependency in services, (name, dependency)


def test_database_and_keys_live_in_volumes(compose):
    services = compose["services"]
    assert any(v.split(":")[0] in compose["volumes"] and v.split(":")[1] == "/var/lib/postgresql/data"
               for v in services["postgres"]["volumes"])
    for name, service in services.items():
        if service.get("build"):
            key_dir = str(Path(service["environment"]["SIPKOMPIS_MASTER_KEY_FILE"]).parent)
            assert any(v.split(":")[0] in compose["volumes"] and v.split(":")[1] == key_dir
                       for v in service["volumes"]), name


def test_every_service_of_the_image_runs_a_role_the_image_has(compose, monkeypatch):
    import importlib.util

    from bot.stack import roles

    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:stand-in")
    for name, service in compose["services"].items():
        if not service.get("build"):
            continue
        role = role_of(service)
        assert role in roles.ROLES, name
        if role == "init":
            continue
        try:
            argv = roles.command(role)
        except roles.RoleError as error:  # no model trained for this data yet
            assert role == "rasa" and "build" in str(error)
            continue
        module = argv[argv.index("-m") + 1]
        assert importlib.util.find_spec(module) is not None, (name, module)


def final_stage(dockerfile: list[tuple[str, str]]) -> list[tuple[str, str]]:
    last = max(n for n, (i, _) in enumerate(dockerfile) if i == "FROM")
    return dockerfile[last:]


def test_the_desk_bundle_is_built_in_its_own_stage_from_the_pinned_lock_file(dockerfile):
    """Node only to bundle the desk's browser code (npm ci: exactly the lock file's
    versions); the running image gets the one file, never node or node_modules."""
    froms = [args for i, args in dockerfile if i == "FROM"]
    assert len(froms) == 2 and re.fullmatch(r"node:\d+\.\d+-bookworm-slim AS desk-bundle", froms[0])
    stage = dockerfile[:[i for i, _ in dockerfile].index("FROM", 1)]
    runs = " ".join(args for i, args in stage if i == "RUN")
    assert "npm ci" in runs and "npm install" not in runs
    assert any("package-lock.json" in args for i, args in stage if i == "COPY")
    assert ("COPY", "--from=desk-bundle /build/desk.js bot/desk/static/desk.js") in final_stage(dockerfile)


def test_the_image_is_python_3_10_slim_non_root_with_pinned_dependencies_and_a_health_check(dockerfile):
    from bot.stack import roles

    dockerfile = final_stage(dockerfile)
    instructions = [i for i, _ in dockerfile]
    froms = [args for i, args in dockerfile if i == "FROM"]
    assert froms == ["python:3.10-slim"]
    users = [args for i, args in dockerfile if i == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    # Nothing runs as root after the switch, and the app starts as that user.
    assert instructions.index("USER") > max(n for n, i in enumerate(instructions) if i == "RUN")
    runs = " ".join(args for i, args in dockerfile if i == "RUN")
    copies = [args for i, args in dockerfile if i == "COPY"]
    assert copies[0] == "requirements.txt ./"
    assert "pip install --no-cache-dir -r requirements.txt" in runs
    assert "python -m bot train" in runs
    assert "ADD" not in instructions and "sudo" not in runs
    assert "apt-get" not in runs or "--no-install-recommends" in runs
    health = [args for i, args in dockerfile if i == "HEALTHCHECK"]
    assert len(health) == 1 and '"bot.stack.roles", "health"' in health[0]
    entry = json.loads(next(args for i, args in dockerfile if i == "ENTRYPOINT"))
    assert entry == ["python", "-m", "bot.stack.roles", "run"]
    assert json.loads(next(args for i, args in dockerfile if i == "CMD"))[0] in roles.ROLES
    env = " ".join(args for i, args in dockerfile if i == "ENV")
    assert not re.search(r"(PASSWORD|TOKEN|SECRET|MASTER_KEY)=", env)
    lines = (REPO / "requirements.txt").read_text().split()
    assert lines and all("==" in line for line in lines if not line.startswith("#"))


def test_images_are_pinned_to_a_version(compose):
    for name, service in compose["services"].items():
        tag = service["image"].rsplit(":", 1)[-1] if ":" in service["image"] else "latest"
        assert tag != "latest" and (service.get("build") or re.match(r"\d", tag)), (name, tag)


def _role(role: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bot.stack.roles", "run", role], cwd=REPO,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _health(role: str, env: dict) -> int:
    return subprocess.run([sys.executable, "-m", "bot.stack.roles", "health", role], cwd=REPO,
                          env=env, capture_output=True, timeout=60).returncode


def test_init_role_prepares_the_store_and_keys_then_the_scheduler_role_reports_health(isolated_env):
    env = {**os.environ, "SIPKOMPIS_RUN_DIR": str(isolated_env / "run-roles")}
    init = _role("init", env)
    out, _ = init.communicate(timeout=120)
    assert init.returncode == 0 and "init: store migrated, keys ready" in out
    assert (isolated_env / "master.key").exists()
    assert _health("scheduler", env) == 1  # not started yet
    scheduler = _role("scheduler", env)
    try:
        deadline = time.monotonic() + 60
        while _health("scheduler", env) != 0:
            assert scheduler.poll() is None and time.monotonic() < deadline
            time.sleep(0.5)
        # With no role named, the check asks the role this container started last.
        assert subprocess.run([sys.executable, "-m", "bot.stack.roles", "health"], cwd=REPO,
                              env=env, timeout=60).returncode == 0
    finally:
        scheduler.terminate()
        scheduler.wait(30)
    assert _health("scheduler", env) == 1  # it stopped: unhealthy


def test_the_telegram_role_refuses_without_a_token_in_one_line(isolated_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    result = _role("telegram", {**env, "SIPKOMPIS_RUN_DIR": str(isolated_env / "run-roles")})
    out, _ = result.communicate(timeout=60)
    assert result.returncode == 2 and out.strip() == "error: the telegram role needs TELEGRAM_BOT_TOKEN"


# The Compose specification's JSON schema, pinned: compose-spec/compose-spec at commit
# 170098ba07d9f53c383a41bfd4c5166b0a4529a6 (2026-06-23), schema/compose-spec.json, Apache-2.0.
# Pinned rather than fetched so the check runs offline and a new spec cannot fail old code
# unseen; to update, replace the file and this line together.
COMPOSE_SCHEMA = REPO / "docker" / "compose-spec.json"


def test_compose_file_follows_the_compose_specification(compose):
    import jsonschema

    schema = json.loads(COMPOSE_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.validate(compose, schema, cls=jsonschema.Draft7Validator)


def test_the_compose_schema_check_catches_a_misspelt_key(compose):
    """The check above would pass on anything if the schema were too loose to see a typo
    an operator makes; one misspelt service key must fail it."""
    import copy

    import jsonschema

    schema = json.loads(COMPOSE_SCHEMA.read_text(encoding="utf-8"))
    broken = copy.deepcopy(compose)
    service = next(iter(broken["services"].values()))
    service["enviroment"] = {"A": "b"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema, cls=jsonschema.Draft7Validator)
