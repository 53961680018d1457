"""The account flow against a real Secret Service (gnome-keyring's daemon on a
private D-Bus session, started by the test): `backroom account add` stores
the token there — read back with `secret-tool`, a tool we did not write — a
later `backroom` process uses it, and `account remove` deletes it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers.cli import ROOT, backroom_command
from tests.helpers.secret_service import private_secret_service

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the Secret Service is Linux's keyring"
)

ACCOUNT_USER = "ecwid:Shop"  # how app.secrets names the entry (service "backroom")


def _secret_tool_lookup(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["secret-tool", "lookup", "service", "backroom", "username", ACCOUNT_USER],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_the_token_lives_in_the_secret_service_from_add_to_remove(sandbox, tmp_path):
    with private_secret_service(tmp_path / "session") as session_env:
        env = {**session_env, "BACKROOM_DATA_DIR": str(tmp_path / "data")}
        env.pop("BACKROOM_TOKEN", None)

        def backroom(*args: str, token: str | None = None) -> subprocess.CompletedProcess[str]:
            run_env = dict(env) if token is None else {**env, "BACKROOM_TOKEN": token}
            return subprocess.run(
                backroom_command(*args),
                cwd=ROOT,
                env=run_env,
                capture_output=True,
                text=True,
                timeout=120,
            )

        added = backroom(
            "account",
            "add",
            "Shop",
            "--store-id",
            str(sandbox.store_id),
            "--api-url",
            sandbox.url,
            token=sandbox.token,
        )
        assert added.returncode == 0, added.stderr
        assert "saved in the system keyring" in added.stdout
        assert "SecretService" in added.stdout  # the backend it named

        stored = _secret_tool_lookup(env)
        assert stored.returncode == 0 and stored.stdout.strip() == sandbox.token

        # a later process, with no token in its environment, reads it from the keyring
        listed = backroom("account", "list")
        assert listed.returncode == 0 and "token saved" in listed.stdout
        synced = backroom("sync")
        assert synced.returncode == 0, synced.stderr
        assert "Full sync of 'Shop' done:" in synced.stdout

        removed = backroom("account", "remove", "Shop")
        assert removed.returncode == 0, removed.stderr
        gone = _secret_tool_lookup(env)
        assert gone.returncode != 0 and gone.stdout.strip() == ""

        # the token reached no file of Backroom's (the keyring's own file is encrypted)
        data = tmp_path / "data"
        token = sandbox.token.encode()
        assert [p for p in data.rglob("*") if p.is_file() and token in p.read_bytes()] == []
