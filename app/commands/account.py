"""``backroom account add|list|remove``."""

from __future__ import annotations

import asyncio
import getpass
import sys
from argparse import Namespace

from app.commands import EXIT_OK
from app.commands.common import UsageError
from app.platform.environment_secrets import TOKEN_ENV, environment_secret
from app.platform.terminal_text import for_terminal
from app.services.accounts import Account, AccountStore, SecretStore
from app.services.accounts.account_actions import connect_ecwid_store, remove_account


def add(args: Namespace) -> int:
    if getattr(args, "kind", "ecwid") == "ecdp":
        from app.commands import ecdp  # the ECDP client loads only when asked for

        return ecdp.add_account(args)
    accounts = AccountStore.load()
    account = Account(name=args.name, kind="ecwid", store_id=args.store_id, api_url=args.api_url)
    token = environment_secret(TOKEN_ENV)
    if not token:
        if not sys.stdin.isatty():
            raise UsageError(f"Give the token on a terminal (it is read hidden) or in {TOKEN_ENV}.")
        token = getpass.getpass("Ecwid API token (hidden): ").strip()
    if not token:
        raise UsageError("No token was given.")
    connected = asyncio.run(connect_ecwid_store(accounts, SecretStore(), account, token))
    print(f"Connected '{for_terminal(connected.store_name)}' as account {account.name!r}.")
    if connected.scope_notice:
        print(connected.scope_notice)
    print(connected.secret.message)
    return EXIT_OK


def list_accounts(args: Namespace) -> int:
    accounts = AccountStore.load().accounts()
    if not accounts:
        print("No accounts yet. Add one with: backroom account add NAME --store-id N")
        return EXIT_OK
    secrets = SecretStore()
    for account in accounts:
        has_token = "token saved" if secrets.get_token(account.kind, account.name) else "no token"
        if account.kind == "ecdp":
            fields = [account.name, "ecdp", "business unit", account.api_url or "ECDP"]
        else:
            fields = [account.name, account.kind, f"store {account.store_id}"]
            fields.append(account.api_url or "Ecwid")
        print("\t".join(for_terminal(field) for field in [*fields, has_token]))
    return EXIT_OK


def remove(args: Namespace) -> int:
    accounts = AccountStore.load()
    account = remove_account(accounts, SecretStore(), args.name, purge=args.purge)
    print(f"Removed account {account.name!r} and its stored token.")
    if args.purge:
        print("Deleted its local cache.")
    return EXIT_OK
