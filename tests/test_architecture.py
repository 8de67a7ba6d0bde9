"""DESIGN section 3: only the Rasa plugins import `rasa`, only `actions/` imports
`rasa_sdk`, so the engine can be replaced; and the core imports without Rasa installed."""
from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import REPO

IMPORT = re.compile(r"^\s*(?:import|from)\s+(rasa_sdk|rasa)\b", re.MULTILINE)


def imports(path) -> set[str]:
    return set(IMPORT.findall(path.read_text(encoding="utf-8")))


def test_only_the_plugin_subpackage_imports_rasa_and_only_actions_import_the_sdk():
    for path in (REPO / "bot").rglob("*.py"):
        found = imports(path)
        if "rasa_plugins" in path.parts:
            assert "rasa_sdk" not in found, path
        else:
            assert not found, f"{path} imports {found}"
    for path in (REPO / "actions").rglob("*.py"):
        assert "rasa" not in imports(path), path


def test_core_services_import_without_rasa():
    code = ("import sys; sys.modules['rasa'] = None; sys.modules['rasa_sdk'] = None\n"
            "import bot.cli.main, bot.services.statements, bot.services.erasure, bot.safety.detector, "
            "bot.stack.supervisor, bot.cli.terminal_chat\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
