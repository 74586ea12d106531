"""NIK (Nomor Induk Kependudukan) checks: 16 digits, plausible province and birth date."""
from __future__ import annotations

import re
from datetime import date

PROVINCE_CODES = frozenset({
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53,
    61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97,
})


def nik_problem(nik: str) -> str | None:
    """None when the NIK is plausible, else a short English reason."""
    if not re.fullmatch(r"\d{16}", nik or ""):
        return "must be exactly 16 digits"
    if int(nik[0:2]) not in PROVINCE_CODES:
        return "unknown province code"
    if int(nik[2:4]) == 0 or int(nik[4:6]) == 0:
        return "regency and district codes cannot be 00"
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:  # women: day + 40
        day -= 40
    for century in (1900, 2000):
        try:
            date(century + year2, month, day)
            break
        except ValueError:
            continue
    else:
        return "birth date part is not a real date"
    if nik[12:16] == "0000":
        return "serial number cannot be 0000"
    return None


def mask_nik(nik: str | None) -> str | None:
    if not nik:
        return nik
    return nik[:4] + "*" * 8 + nik[-4:]
