"""IKM through the service (worked example), survey validation and storage, public survey pages."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest

from feedback.errors import InputError
from feedback.quality import ikm_service
from feedback.quality.ikm import compute_ikm
from feedback.tables import Agency, IkmResponse
from tests.conftest import run_async
from tests.quality.dataset import add_ticket

START = datetime(2025, 1, 1, tzinfo=UTC)
END = datetime(2026, 1, 1, tzinfo=UTC)


def valid_form(**overrides) -> dict[str, str]:
    form = {f"u{i}": "3" for i in range(1, 10)}
    form.update(sex="P", age_band="30-39", education="S1", occupation="SWASTA", suggestion="Antrean lebih cepat")
    form.update(overrides)
    return form


def agency_id(code: str) -> int:
    return run_async(Agency.select(Agency.id).where(Agency.code == code).first())["id"]


def store(agency: int, scores: list[int], at: datetime = START + timedelta(days=10)) -> None:
    run_async(IkmResponse(agency=agency, channel="counter", created_at=at, sex="L", age_band="20-29",
                          education="SMA", occupation="LAINNYA",
                          **{f"u{i + 1}": s for i, s in enumerate(scores)}).save())


def test_worked_example_where_a_rounded_weight_changes_the_grade(settings):
    """10 respondents: U1-U8 five 4s and five 3s (NRR 3.5), U9 eight 4s and two 3s (NRR 3.8)."""
    dpupr = agency_id("dpupr")
    for r in range(10):
        scores = [4 if r < 5 else 3] * 8 + [4 if r < 8 else 3]
        store(dpupr, scores)
    store(agency_id("dlh"), [1] * 9)  # another agency: must not count
    summary = run_async(ikm_service.ikm_summary(START, END, scope_agency_id=None, agency_id=dpupr))
    # by hand: weighted NRR = (8 x 3.5 + 3.8) / 9 = 31.8 / 9; IKM = 31.8 x 25 / 9 = 88.333... -> 88.33, grade A
    assert summary["respondents"] == 10
    assert summary["nrr"]["U1"] == pytest.approx(3.5) and summary["nrr"]["U9"] == pytest.approx(3.8)
    assert summary["result"].weighted_nrr_exact == Fraction(318, 90)
    assert summary["ikm"] == 88.33 and summary["grade"] == "A" and summary["label"] == "Sangat Baik"
    # the spreadsheet weight 0.111 would give 88.245 -> "B": the service must not do that
    assert 31.8 * 0.111 * 25 < 88.31
    assert summary["weakest"][0] in {f"U{i}" for i in range(1, 9)}
    # the same answers straight through compute_ikm give the same index
    direct = compute_ikm([{f"U{i + 1}": s for i, s in enumerate([4 if r < 5 else 3] * 8 + [4 if r < 8 else 3])}
                          for r in range(10)])
    assert direct.ikm == summary["ikm"]


def test_unanswered_elements_and_sample_size(settings):
    dlh = agency_id("dlh")
    run_async(IkmResponse(agency=dlh, channel="web", created_at=START + timedelta(days=1), u1=4, u2=2, u3=None,
                          u4=4, u5=4, u6=4, u7=4, u8=4, u9=4).save())
    store(dlh, [2] * 9)
    summary = run_async(ikm_service.ikm_summary(START, END, scope_agency_id=None, agency_id=dlh, population=100))
    assert summary["respondents"] == 2
    assert summary["nrr"]["U3"] == 2.0  # only the second respondent answered U3
    assert summary["nrr"]["U1"] == 3.0
    assert summary["required_sample"] == 80 and summary["sample_sufficient"] is False
    scoped = run_async(ikm_service.ikm_summary(START, END, scope_agency_id=agency_id("dpupr"), agency_id=None))
    assert scoped["respondents"] == 0 and scoped["ikm"] is None
    rows = run_async(ikm_service.ikm_by_agency(START, END, scope_agency_id=None))
    assert [r["code"] for r in rows] == ["dlh"]


def test_survey_validation_lists_every_problem():
    with pytest.raises(InputError) as exc:
        ikm_service.validate_survey(valid_form(u3="", u4="5", sex="X", education="", suggestion="x" * 2001))
    fields = {e.field for e in exc.value.errors}
    assert fields == {"u3", "u4", "sex", "education", "suggestion"}
    assert all(e.message and e.message_en for e in exc.value.errors)
    clean = ikm_service.validate_survey(valid_form(age_band="", age="45"))
    assert clean["age_band"] == "40-49" and clean["u1"] == 3


def test_counter_survey_form_and_submission(client):
    page = client.get("/survei?channel=counter&agency=dpupr")
    assert page.status_code == 200
    assert "Persyaratan" in page.text and "Sarana dan Prasarana" in page.text and "Sangat sesuai" in page.text
    assert 'name="viewport"' in page.text
    english = client.get("/survei?channel=counter&agency=dpupr&lang=en")
    assert "Very appropriate" in english.text
    bad = client.post("/survei?channel=counter&agency=dpupr", data=valid_form(u5=""), follow_redirects=False)
    assert bad.status_code == 400 and "U5" in bad.text
    assert run_async(IkmResponse.count()) == 0
    ok = client.post("/survei?channel=counter&agency=dpupr", data=valid_form(), follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/survei/terima-kasih"
    row = run_async(IkmResponse.select().first())
    assert row["channel"] == "counter" and row["agency"] == agency_id("dpupr") and row["u9"] == 3
    assert client.get("/survei/terima-kasih").status_code == 200
    assert client.get("/survei?channel=counter&agency=nope").status_code == 404
    assert client.get("/survei?channel=counter").status_code == 400
    assert client.get("/survei?channel=fax").status_code == 400


def test_ticket_linked_survey(client):
    from feedback.tracking.codes import new_tracking_code

    dlh = agency_id("dlh")
    done_code, open_code = new_tracking_code(), new_tracking_code()
    done = run_async(add_ticket(done_code, agency=dlh, status="resolved", resolved_at=datetime.now(UTC)))
    run_async(add_ticket(open_code, agency=dlh, status="in_progress"))
    assert client.get(f"/survei?ticket={open_code}").status_code == 409
    assert client.get("/survei?ticket=AAAA-BBBB-CCCC").status_code == 404
    page = client.get(f"/survei?ticket={done_code}")
    assert page.status_code == 200 and "Dinas Lingkungan Hidup" in page.text
    assert client.post(f"/survei?ticket={done_code}", data=valid_form(), follow_redirects=False).status_code == 303
    row = run_async(IkmResponse.select().first())
    assert row["ticket"] == done and row["agency"] == dlh
    again = client.post(f"/survei?ticket={done_code}", data=valid_form(), follow_redirects=False)
    assert again.status_code == 409 and run_async(IkmResponse.count()) == 1


def test_general_web_survey_needs_an_agency(client):
    response = client.post("/survei", data=valid_form(), follow_redirects=False)
    assert response.status_code == 400
    assert client.post("/survei", data=valid_form(agency="pdam"), follow_redirects=False).status_code == 303
    assert run_async(IkmResponse.select(IkmResponse.agency).first())["agency"] == agency_id("pdam")
