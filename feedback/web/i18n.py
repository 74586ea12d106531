"""Bahasa Indonesia by default, English on request (?lang=en, then a cookie)."""
from __future__ import annotations

from litestar import Request

LANGS = ("id", "en")

STRINGS: dict[str, dict[str, str]] = {
    "app_name": {"id": "Suara Warga", "en": "Suara Warga"},
    "tagline": {"id": "Sampaikan pengaduan, saran, dan pertanyaan Anda tentang pelayanan publik.",
                "en": "Send your complaints, suggestions and questions about public services."},
    "submit_title": {"id": "Kirim laporan", "en": "Send a report"},
    "kind": {"id": "Jenis laporan", "en": "Type of report"},
    "kind_complaint": {"id": "Pengaduan", "en": "Complaint"},
    "kind_suggestion": {"id": "Saran", "en": "Suggestion"},
    "kind_question": {"id": "Pertanyaan", "en": "Question"},
    "kind_compliment": {"id": "Apresiasi", "en": "Compliment"},
    "title": {"id": "Judul (opsional)", "en": "Title (optional)"},
    "text": {"id": "Isi laporan", "en": "Your report"},
    "text_help": {"id": "Ceritakan apa masalahnya, di mana, dan sejak kapan. Minimal 15 karakter.",
                  "en": "Say what the problem is, where, and since when. At least 15 characters."},
    "location": {"id": "Lokasi (alamat, RT/RW, patokan)", "en": "Location (address, landmark)"},
    "kecamatan": {"id": "Kecamatan (opsional)", "en": "District / kecamatan (optional)"},
    "attachments": {"id": "Foto atau PDF (opsional, maks. 5 berkas, 10 MB per berkas)",
                    "en": "Photos or PDF (optional, up to 5 files, 10 MB each)"},
    "privacy": {"id": "Kerahasiaan identitas", "en": "Identity privacy"},
    "privacy_public": {"id": "Biasa", "en": "Normal"},
    "privacy_confidential": {"id": "Rahasia (identitas hanya dilihat admin)", "en": "Confidential (identity seen by administrators only)"},
    "privacy_anonymous": {"id": "Anonim (identitas tidak disimpan)", "en": "Anonymous (no identity stored)"},
    "your_identity": {"id": "Identitas Anda (opsional)", "en": "Your details (optional)"},
    "name": {"id": "Nama", "en": "Name"},
    "email": {"id": "Email", "en": "Email"},
    "phone": {"id": "Nomor HP", "en": "Phone number"},
    "send": {"id": "Kirim laporan", "en": "Send report"},
    "errors_intro": {"id": "Mohon perbaiki isian berikut:", "en": "Please correct the following:"},
    "thanks_title": {"id": "Laporan Anda sudah kami terima", "en": "We have received your report"},
    "your_code": {"id": "Kode pelacakan Anda", "en": "Your tracking code"},
    "keep_code": {"id": "Simpan kode ini untuk melihat perkembangan laporan Anda.",
                  "en": "Keep this code to follow your report."},
    "track_title": {"id": "Lacak laporan", "en": "Track a report"},
    "track_help": {"id": "Masukkan kode pelacakan (contoh: ABCD-EFGH-JK23).", "en": "Enter your tracking code (e.g. ABCD-EFGH-JK23)."},
    "track_button": {"id": "Lacak", "en": "Track"},
    "not_found": {"id": "Kode pelacakan tidak ditemukan. Periksa kembali penulisannya.",
                  "en": "Tracking code not found. Please check it."},
    "status": {"id": "Status", "en": "Status"},
    "category": {"id": "Kategori", "en": "Category"},
    "agency": {"id": "Instansi", "en": "Agency"},
    "received_at": {"id": "Diterima", "en": "Received"},
    "timeline": {"id": "Riwayat", "en": "Timeline"},
    "responses": {"id": "Tanggapan petugas", "en": "Staff responses"},
    "no_responses": {"id": "Belum ada tanggapan.", "en": "No responses yet."},
    "rate_title": {"id": "Beri penilaian layanan", "en": "Rate the service"},
    "rate_score": {"id": "Nilai (1 = sangat buruk, 5 = sangat baik)", "en": "Score (1 = very poor, 5 = very good)"},
    "rate_comment": {"id": "Komentar (opsional)", "en": "Comment (optional)"},
    "rate_send": {"id": "Kirim penilaian", "en": "Send rating"},
    "rated": {"id": "Terima kasih atas penilaian Anda.", "en": "Thank you for your rating."},
    "your_report": {"id": "Laporan Anda", "en": "Your report"},
    "new_report": {"id": "Kirim laporan lain", "en": "Send another report"},
    "too_many": {"id": "Terlalu banyak permintaan. Coba lagi sebentar lagi.", "en": "Too many requests. Please try again shortly."},
    "lang_switch": {"id": "English", "en": "Bahasa Indonesia"},
    "pending_category": {"id": "Sedang diproses", "en": "Being processed"},
    "event_created": {"id": "Laporan diterima", "en": "Report received"},
    "event_rerouted": {"id": "Diteruskan ke instansi lain", "en": "Forwarded to another agency"},
    "event_citizen_message": {"id": "Pesan tambahan dari pelapor", "en": "Follow-up from the reporter"},
    "event_response": {"id": "Tanggapan petugas", "en": "Staff response"},
    "event_rating": {"id": "Penilaian dari pelapor", "en": "Rating from the reporter"},
    "transparency": {"id": "Transparansi layanan", "en": "Service transparency"},
    "staff_login": {"id": "Masuk petugas", "en": "Staff login"},
    "survey": {"id": "Survei Kepuasan Masyarakat", "en": "Public Satisfaction Survey"},
}


def get_lang(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get("lang")
    if lang in LANGS:
        return lang
    accept = request.headers.get("accept-language", "")
    return "en" if accept.lower().startswith("en") else "id"


def _entry_text(entry, lang: str) -> str:
    """A table entry is {"id": ..., "en": ...} or an (id, en) pair; Indonesian is the fallback."""
    if isinstance(entry, dict):
        return entry.get(lang) or entry["id"]
    return entry[1] if lang == "en" else entry[0]


def make_translator(tables, lang: str):
    """t(key) looking the key up in each string table in turn; an unknown key is shown as is."""

    def t(key: str) -> str:
        for table in tables:
            entry = table.get(key)
            if entry is not None:
                return _entry_text(entry, lang)
        return key

    return t


def translate(key: str, lang: str) -> str:
    return make_translator((STRINGS,), lang)(key)


def translator(lang: str):
    return make_translator((STRINGS,), lang)
