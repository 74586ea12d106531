"""/admin/counter: counter staff enter a walk-in citizen's report and print its receipt."""
from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.response import Redirect

from admin_ui.auth import current_staff, requires_roles
from admin_ui.rendering import render
from feedback.errors import InputError
from feedback.intake.counter import FORM_FIELDS, receipt_for, staff_office, submit_counter_report
from feedback.web.i18n import get_lang

COUNTER_ROLES = ("counter_staff", "admin")

TEXTS: dict[str, tuple[str, str]] = {
    "heading": ("Loket: laporan warga tatap muka", "Counter: walk-in citizen report"),
    "intro": ("Isi atas nama warga yang datang ke loket. Nama, telepon dan NIK boleh dikosongkan.",
              "Fill in on behalf of the citizen at the counter. Name, phone and NIK are optional."),
    "kind": ("Jenis", "Kind"), "complaint": ("Pengaduan", "Complaint"), "suggestion": ("Saran", "Suggestion"),
    "question": ("Pertanyaan", "Question"), "compliment": ("Apresiasi", "Compliment"),
    "title": ("Judul (opsional)", "Title (optional)"), "text": ("Isi laporan", "Report text"),
    "location": ("Lokasi", "Location"), "kecamatan": ("Kecamatan", "District (kecamatan)"),
    "name": ("Nama warga", "Citizen's name"), "phone": ("Telepon", "Phone"), "email": ("Email", "Email"),
    "nik": ("NIK (16 digit)", "NIK (16 digits)"), "office": ("Kantor/loket", "Office"),
    "privacy": ("Privasi", "Privacy"), "public": ("Publik", "Public"), "confidential": ("Rahasia", "Confidential"),
    "anonymous": ("Anonim", "Anonymous"), "save": ("Simpan dan cetak tanda terima", "Save and print receipt"),
    "receipt": ("Tanda terima laporan", "Report receipt"), "code": ("Kode pelacakan", "Tracking code"),
    "date": ("Tanggal", "Date"), "staff": ("Petugas", "Staff"), "print": ("Cetak", "Print"),
    "new": ("Laporan baru", "New report"), "follow": ("Pantau laporan Anda di", "Follow your report at"),
    "scan": ("Pindai untuk melacak", "Scan to track"), "keep": ("Simpan tanda terima ini. Tunjukkan kode ini di loket mana pun.",
                                                        "Keep this receipt. Show this code at any counter."),
    "not_found": ("Tanda terima tidak ditemukan.", "Receipt not found."),
}


def counter_texts(lang: str):
    return lambda key: TEXTS[key][1 if lang == "en" else 0]


def _form_values(form) -> dict[str, str]:
    return {name: (form.get(name) if isinstance(form.get(name), str) else "") for name in FORM_FIELDS}


class CounterController(Controller):
    path = "/admin/counter"
    include_in_schema = False
    guards = [requires_roles(*COUNTER_ROLES)]

    @get("/")
    async def form(self, request: Request) -> Response:
        office = await staff_office(current_staff(request).id) or ""
        return self._form(request, {"kind": "complaint", "privacy": "public", "office": office}, [])

    @post("/", request_max_body_size=1024 * 1024)
    async def submit(self, request: Request, state: State) -> Response:
        staff = current_staff(request)
        values = _form_values(await request.form())
        try:
            ticket = await submit_counter_report(values, staff, state.settings, state.get("dispatcher"))
        except InputError as exc:
            lang = get_lang(request)
            messages = [e.message_en if lang == "en" else e.message for e in exc.errors]
            return self._form(request, values, messages, exc.status_code, [e.field for e in exc.errors])
        return Redirect(f"/admin/counter/receipt/{ticket['tracking_code']}", status_code=303)

    @get("/receipt/{code:str}")
    async def receipt(self, request: Request, state: State, code: str) -> Response:
        receipt = await receipt_for(code, current_staff(request), state.settings)
        c = counter_texts(get_lang(request))
        if receipt is None:
            return render(request, "admin/error.html", 404, messages=[c("not_found")])
        return render(request, "counter/receipt.html", c=c, r=receipt,
                      request_paper=request.query_params.get("paper", "a6"))

    @staticmethod
    def _form(request: Request, values: dict, errors: list[str], status: int = 200,
              error_fields: list[str] | None = None) -> Response:
        return render(request, "counter/form.html", status, c=counter_texts(get_lang(request)), v=values,
                      errors=errors, error_fields=error_fields or [])
