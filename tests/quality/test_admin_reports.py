"""Staff report pages: role guard, agency scoping, charts, exports over HTTP."""
from __future__ import annotations

import io

import openpyxl
import pytest

from tests.admin.helpers import Staff, make_world
from tests.conftest import run_async
from tests.quality import dataset as ds


@pytest.fixture
def report_client(settings):
    """The full app: report pages are mounted in the /admin router."""
    from litestar.testing import TestClient

    from feedback.app import create_app

    with TestClient(app=create_app(settings, run_sweeper=False), base_url="http://testserver.local") as client:
        yield client


@pytest.fixture
def people(report_client, settings):
    world = make_world()
    run_async(ds.build())
    return {name: Staff(report_client, settings, user) for name, user in world.users.items()}


MARCH_QUERY = "period=month&date=2025-03-15"


def test_roles_allowed_and_denied(people, report_client):
    assert report_client.get("/admin/reports", follow_redirects=False).status_code in (302, 303, 401)
    for name in ("admin", "manager", "staff_a"):
        assert people[name].get(f"/admin/reports?{MARCH_QUERY}").status_code == 200, name
    for name in ("dispatcher", "counter"):
        assert people[name].get(f"/admin/reports?{MARCH_QUERY}").status_code == 403, name
        assert people[name].get(f"/admin/reports/export/summary.csv?{MARCH_QUERY}").status_code == 403, name


def test_report_page_has_charts_and_figures(people):
    page = people["manager"].get(f"/admin/reports?{MARCH_QUERY}")
    assert page.text.count("<svg") >= 5
    assert 'id="kpi-volume">6<' in page.text
    assert "Dinas Lingkungan Hidup" in page.text
    assert people["manager"].get("/admin/reports?period=fortnight").status_code == 400


def test_agency_staff_see_only_their_agency(people):
    page = people["staff_a"].get(f"/admin/reports?{MARCH_QUERY}")
    assert 'id="kpi-volume">4<' in page.text
    assert "Dinas Lingkungan Hidup" not in page.text
    # asking for agency B explicitly still yields nothing of B
    k = run_async(ds.ids())
    snoop = people["staff_a"].get(f"/admin/reports?{MARCH_QUERY}&agency={k['B']}")
    assert 'id="kpi-volume">0<' in snoop.text
    book = openpyxl.load_workbook(io.BytesIO(
        people["staff_b"].get(f"/admin/reports/export/agencies.xlsx?{MARCH_QUERY}").content))
    codes = [row[0] for row in book["agencies"].iter_rows(min_row=2, values_only=True)]
    assert codes == ["dlh"]


def test_exports_download(people):
    csv_response = people["admin"].get(f"/admin/reports/export/summary.csv?{MARCH_QUERY}")
    assert csv_response.status_code == 200 and csv_response.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv_response.headers["content-disposition"]
    assert "volume" in csv_response.content.decode("utf-8-sig")
    book = openpyxl.load_workbook(io.BytesIO(people["admin"].get(f"/admin/reports/export/all.xlsx?{MARCH_QUERY}").content))
    assert "agencies" in book.sheetnames and "series" in book.sheetnames
    assert people["admin"].get(f"/admin/reports/export/nope.pdf?{MARCH_QUERY}").status_code == 404
    ikm = people["admin"].get(f"/admin/reports/export/ikm.xlsx?{MARCH_QUERY}")
    assert ikm.status_code == 200


def test_ikm_and_monthly_pages(people):
    assert people["manager"].get("/admin/reports/ikm?period=year&date=2025-03-01").status_code == 200
    monthly = people["staff_a"].get("/admin/reports/monthly?month=2025-03")
    assert monthly.status_code == 200
    assert "@media print" not in monthly.text and "reports.css" in monthly.text
    assert "Dinas Pekerjaan Umum" in monthly.text and monthly.text.count("<svg") >= 4
    assert people["staff_a"].get("/admin/reports/monthly?month=March").status_code == 400
