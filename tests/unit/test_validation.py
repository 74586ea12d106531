import pytest

from feedback.errors import InputError
from feedback.intake.messages import Channel, IntakeMessage
from feedback.intake.nik import mask_nik, nik_problem
from feedback.intake.validation import normalize_phone, validate_intake
from feedback.privacy import mask_pii
from feedback.routing.urgency import is_urgent
from feedback.settings import Settings

SETTINGS = Settings(database_url="sqlite:///x", secret_key="x")
TEXT = "Jalan di depan SDN 3 berlubang besar sudah dua minggu"


def msg(**kw):
    base = dict(text=TEXT, channel=Channel.WEB)
    base.update(kw)
    return IntakeMessage(**base)


def codes(exc: InputError):
    return {(e.field, e.code) for e in exc.errors}


@pytest.mark.parametrize("text,code", [("", "too_short"), ("   pendek   ", "too_short"), ("x" * 5001, "too_long"), ("abc\x00" * 10, "invalid_characters")])
def test_bad_text(text, code):
    with pytest.raises(InputError) as exc:
        validate_intake(msg(text=text), SETTINGS)
    assert ("text", code) in codes(exc.value)
    assert exc.value.errors[0].message and exc.value.errors[0].message_en


def test_text_is_kept_as_given():
    raw = "  <script>alert(1)</script> jalan rusak parah sekali  "
    assert validate_intake(msg(text=raw), SETTINGS).text == raw


def test_all_problems_reported_at_once():
    with pytest.raises(InputError) as exc:
        validate_intake(msg(kind="rant", privacy="secret", reporter_email="not-an-email", reporter_phone="12", lat=100.0, long=0.0), SETTINGS)
    found = codes(exc.value)
    assert {("kind", "invalid_choice"), ("privacy", "invalid_choice"), ("reporter.email", "invalid_email"),
            ("reporter.phone", "invalid_phone"), ("lat", "out_of_range")} <= found


def test_lat_without_long_rejected():
    with pytest.raises(InputError) as exc:
        validate_intake(msg(lat=-6.2), SETTINGS)
    assert ("lat", "incomplete") in codes(exc.value)


def test_anonymous_stores_no_identity():
    m = validate_intake(msg(privacy="anonymous", reporter_name="Budi", reporter_email="budi@example.com", reporter_phone="081234567890"), SETTINGS)
    assert (m.reporter_name, m.reporter_email, m.reporter_phone) == (None, None, None)


@pytest.mark.parametrize("raw,expected", [("0812-3456-7890", "+6281234567890"), ("+62 812 3456 7890", "+6281234567890"),
                                          ("6281234567890", "+6281234567890"), ("(021) 555 1234", "+62215551234"), ("12", None), ("abc", None)])
def test_phone_normalisation(raw, expected):
    assert normalize_phone(raw) == expected


def test_nik_rules():
    assert nik_problem("3201014506900001") is None  # women: day + 40
    assert nik_problem("3201011506900001") is None
    assert nik_problem("320101150690000") == "must be exactly 16 digits"
    assert nik_problem("9901011506900001") == "unknown province code"
    assert nik_problem("3201013206900001") == "birth date part is not a real date"
    assert nik_problem("3201011513900001") == "birth date part is not a real date"
    assert mask_nik("3201011506900001") == "3201********0001"


def test_mask_pii():
    text = "NIK saya 3201011506900001, hp 0812-3456-7890, email budi.s@gmail.com"
    masked = mask_pii(text)
    assert "3201011506900001" not in masked and "3201********0001" in masked
    assert "3456-7890" not in masked and "budi.s@gmail.com" not in masked
    assert "NIK saya" in masked


def test_urgency():
    assert is_urgent("Tolong!! rumah kami terendam banjir sepinggang")
    assert is_urgent("ada KEBAKARAN di gang 5")
    assert is_urgent("tetangga saya pingsan, ambulans tidak datang")
    assert not is_urgent("mohon pemangkasan pohon di depan rumah")
