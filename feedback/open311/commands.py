"""`feedback open311-key create NAME | list | revoke PREFIX`."""
from __future__ import annotations

import asyncio

from feedback.errors import InputError
from feedback.settings import Settings


async def _with_db(settings: Settings, coro_factory):
    from feedback.db import with_database

    return await with_database(settings.database_url, coro_factory)


def cmd_create(args, settings: Settings) -> int:
    from feedback.open311.keys import create_key

    try:
        key = asyncio.run(_with_db(settings, lambda: create_key(args.name)))
    except InputError as exc:
        print(f"error: {exc}")
        return 2
    print(f"Kunci Open311 untuk / Open311 key for '{key.name}' (prefix {key.prefix}).")
    print("Simpan sekarang, kunci ini tidak ditampilkan lagi / store it now, it is not shown again:")
    print(key.plaintext)
    return 0


def cmd_list(args, settings: Settings) -> int:
    from feedback.open311.keys import list_keys

    rows = asyncio.run(_with_db(settings, list_keys))
    if not rows:
        print("Belum ada kunci / no keys yet.")
    for row in rows:
        state = "active" if row["active"] else f"revoked {row['revoked_at']:%Y-%m-%d %H:%M}" if row["revoked_at"] else "revoked"
        print(f"{row['id']:>4}  {row['key_prefix']}  {state:<24}  {row['created_at']:%Y-%m-%d}  {row['name']}")
    return 0


def cmd_revoke(args, settings: Settings) -> int:
    from feedback.open311.keys import revoke_key

    try:
        count = asyncio.run(_with_db(settings, lambda: revoke_key(args.prefix)))
    except InputError as exc:
        print(f"error: {exc}")
        return 2
    print(f"{count} kunci dicabut / keys revoked.")
    return 0 if count else 1


def register(sub) -> None:
    parser = sub.add_parser("open311-key", help="manage Open311 API keys (create prints the key once)")
    actions = parser.add_subparsers(dest="open311_action", required=True)
    p = actions.add_parser("create", help="create a key for a partner and print it once")
    p.add_argument("name")
    p.set_defaults(func=cmd_create)
    p = actions.add_parser("list", help="list keys (prefix, state, name; never the key)")
    p.set_defaults(func=cmd_list)
    p = actions.add_parser("revoke", help="revoke a key by its 8-character prefix (or id)")
    p.add_argument("prefix")
    p.set_defaults(func=cmd_revoke)
