"""`feedback create-user` and `feedback reset-password`; also registers the SLA periodic job for the worker."""
from __future__ import annotations

import asyncio
import getpass

from feedback.settings import Settings


async def _with_db(settings: Settings, coro_factory):
    from feedback.db import with_database

    return await with_database(settings.database_url, coro_factory)


def _print_errors(exc) -> int:
    for e in exc.errors:
        print(f"{e.field}: {e.message} / {e.message_en}")
    return 2


def cmd_create_user(args, settings: Settings) -> int:
    from feedback.accounts.users import create_user
    from feedback.errors import InputError

    password = args.password
    if args.ask_password:
        password = getpass.getpass("Kata sandi / password: ")
    try:
        row, password = asyncio.run(_with_db(settings, lambda: create_user(
            args.username, args.role, password=password, agency_code=args.agency, is_head=args.head,
            full_name=args.full_name or "", email=args.email)))
    except InputError as exc:
        return _print_errors(exc)
    print(f"Pengguna dibuat / user created: {row['username']} ({row['role']})")
    if not args.password and not args.ask_password:
        print(f"Kata sandi sementara / temporary password (shown once, must be changed): {password}")
    return 0


def cmd_reset_password(args, settings: Settings) -> int:
    from feedback.accounts.users import reset_password
    from feedback.errors import InputError
    from feedback.tables import StaffUser

    async def run():
        row = await StaffUser.select(StaffUser.id).where(StaffUser.username == args.username.strip().lower()).first()
        if row is None:
            raise InputError.single("username", "not_found", "Pengguna tidak ditemukan.", "User not found.", 404)
        return await reset_password(row["id"], actor=None, new_password=args.password)

    try:
        password = asyncio.run(_with_db(settings, run))
    except InputError as exc:
        return _print_errors(exc)
    print(f"Kata sandi diatur ulang / password reset for {args.username}; sesi diakhiri / sessions ended.")
    if not args.password:
        print(f"Kata sandi sementara / temporary password (must be changed): {password}")
    return 0


def register(sub) -> None:
    from feedback.accounts.roles import ROLES

    p = sub.add_parser("create-user", help="create a staff user")
    p.add_argument("--username", required=True)
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--agency", help="agency code (required for agency_staff)")
    p.add_argument("--head", action="store_true", help="agency head (may assign and escalate)")
    p.add_argument("--password", help="initial password (default: generated, must be changed at first login)")
    p.add_argument("--ask-password", action="store_true", help="prompt for the password")
    p.add_argument("--full-name")
    p.add_argument("--email")
    p.set_defaults(func=cmd_create_user)

    p = sub.add_parser("reset-password", help="reset a staff user's password and end their sessions")
    p.add_argument("--username", required=True)
    p.add_argument("--password", help="new password (default: generated, must be changed at next login)")
    p.set_defaults(func=cmd_reset_password)
