import itertools

import pytest

from feedback.tracking.codes import (
    ALPHABET,
    CODE_LENGTH,
    find_codes,
    find_tracking_candidates,
    format_code,
    new_tracking_code,
    normalize_code,
)


def test_new_codes_are_valid_unambiguous_and_distinct():
    codes = {new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in itertools.islice(codes, 200):
        assert len(code) == CODE_LENGTH >= 10
        assert set(code) <= set(ALPHABET)
        assert not set(code) & set("01OIL")
        assert normalize_code(code) == code


def test_every_single_symbol_typo_is_caught():
    code = new_tracking_code()
    for i, ch in enumerate(code):
        for other in ALPHABET:
            if other != ch:
                assert normalize_code(code[:i] + other + code[i + 1:]) is None


def test_adjacent_transpositions_are_caught():
    caught = total = 0
    for _ in range(200):
        code = new_tracking_code()
        for i in range(len(code) - 1):
            if code[i] != code[i + 1]:
                swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
                total += 1
                caught += normalize_code(swapped) is None
    assert caught == total


def test_normalize_accepts_display_form_and_lowercase():
    code = new_tracking_code()
    assert normalize_code(format_code(code).lower()) == code
    assert normalize_code(" " + format_code(code) + " ") == code
    assert normalize_code("") is None
    assert normalize_code("ABC") is None
    assert normalize_code("O" * 12) is None


def test_find_codes_in_email_subject():
    code = new_tracking_code()
    assert find_codes(f"Re: [Suara Warga {format_code(code)}] jalan rusak") == [code]
    wrong_check = code[:-1] + next(ch for ch in ALPHABET if ch != code[-1])
    assert find_codes(f"kode saya {format_code(wrong_check)} tolong dicek") == []


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("kode 7K3M-P9QX-2HZR ya", ["7K3M-P9QX-2HZR"]),
        ("[SW-7K3M-P9QX-2HZR]", ["7K3M-P9QX-2HZR"]),
        ("kode 7k3m-p9qx-2hzr", ["7K3M-P9QX-2HZR"]),
        ("kode 7K3MP9QX2HZR.", ["7K3M-P9QX-2HZR"]),
        ("7K3M-P9QX-2HZR dan HQ7R-2M4N-8XKU dan 7K3M-P9QX-2HZR", ["7K3M-P9QX-2HZR", "HQ7R-2M4N-8XKU"]),
        ("ABCD-EFGH-IJKL", []),  # I and L are not in the alphabet
        ("7K3M-P9QX-2HZRX", []),
        ("pertanggungjawaban", []),
        ("7k3mp9qx2hzd", []),  # undashed codes only in capitals
        ("0K3M-P9QX-2HZD", []),
    ],
)
def test_find_tracking_candidates(text: str, codes: list[str]) -> None:
    assert find_tracking_candidates(text) == codes
