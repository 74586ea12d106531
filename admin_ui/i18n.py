"""Staff UI strings: Bahasa Indonesia first, English on request (same switch as the public pages)."""
from __future__ import annotations

from feedback.web.i18n import STRINGS as PUBLIC_STRINGS, make_translator

S: dict[str, tuple[str, str]] = {
    "admin_title": ("Suara Warga — Petugas", "Suara Warga — Staff"),
    "login": ("Masuk", "Log in"), "logout": ("Keluar", "Log out"),
    "username": ("Nama pengguna", "Username"), "password": ("Kata sandi", "Password"),
    "login_failed": ("Nama pengguna atau kata sandi salah.", "Wrong username or password."),
    "login_locked": ("Akun dikunci sementara karena terlalu banyak percobaan gagal. Coba lagi nanti.",
                     "The account is locked for a while after too many failed attempts. Try again later."),
    "change_password": ("Ganti kata sandi", "Change password"),
    "must_change": ("Silakan ganti kata sandi sementara Anda sebelum melanjutkan.", "Please replace your temporary password first."),
    "current_password": ("Kata sandi saat ini", "Current password"), "new_password": ("Kata sandi baru (min. 10 karakter)", "New password (min. 10 characters)"),
    "password_changed": ("Kata sandi berhasil diganti.", "Password changed."),
    "triage": ("Pemilahan", "Triage"), "inbox": ("Kotak masuk", "Inbox"), "my_work": ("Tugas saya", "My work"),
    "administration": ("Administrasi", "Administration"), "counter": ("Loket", "Counter"),
    "agencies": ("Instansi", "Agencies"), "categories": ("Kategori", "Categories"), "rules": ("Aturan rute", "Routing rules"),
    "sla_targets": ("Target SLA", "SLA targets"), "users": ("Pengguna", "Users"), "audit": ("Log audit", "Audit log"),
    "search": ("Cari judul atau isi", "Search title or text"), "filter": ("Terapkan", "Apply"), "reset": ("Atur ulang", "Reset"),
    "all": ("Semua", "All"), "open": ("Terbuka", "Open"), "status": ("Status", "Status"), "category": ("Kategori", "Category"),
    "priority": ("Prioritas", "Priority"), "channel": ("Kanal", "Channel"), "overdue_only": ("Hanya yang terlambat", "Overdue only"),
    "date_from": ("Dari tanggal", "From date"), "date_to": ("Sampai tanggal", "To date"), "assignee": ("Petugas", "Assignee"),
    "me": ("Saya", "Me"), "unassigned": ("Belum ditugaskan", "Unassigned"), "sort": ("Urutkan", "Sort"),
    "sort_newest": ("Terbaru", "Newest"), "sort_oldest": ("Terlama", "Oldest"), "sort_due": ("Tenggat terdekat", "Nearest deadline"),
    "sort_updated": ("Baru diperbarui", "Recently updated"), "sort_priority": ("Prioritas", "Priority"),
    "agency": ("Instansi", "Agency"), "received": ("Diterima", "Received"), "ticket": ("Tiket", "Ticket"),
    "no_tickets": ("Tidak ada tiket.", "No tickets."), "page": ("Halaman", "Page"), "prev": ("Sebelumnya", "Previous"), "next": ("Berikutnya", "Next"),
    "export_csv": ("Unduh CSV", "Download CSV"), "total": ("Jumlah", "Total"),
    "sla_first": ("Respons pertama", "First response"), "sla_resolution": ("Penyelesaian", "Resolution"),
    "sla_ok": ("tersisa", "left"), "sla_soon": ("segera", "due soon"), "sla_overdue": ("terlambat", "overdue"),
    "sla_paused": ("dijeda", "paused"), "sla_met": ("tepat waktu", "met"), "sla_missed": ("terlewat", "missed"),
    "hours_short": ("jam kerja", "working h"),
    "suggestions": ("Saran model", "Model suggestions"), "route_to": ("Rutekan", "Route"), "confidence": ("Keyakinan", "Confidence"),
    "route_other": ("Kategori lain", "Other category"), "reason": ("Alasan", "Reason"),
    "reject": ("Tolak / spam", "Reject / spam"), "reason_spam": ("Spam", "Spam"), "reason_out_of_scope": ("Di luar kewenangan", "Out of scope"),
    "reason_duplicate": ("Duplikat", "Duplicate"), "reason_other": ("Lainnya", "Other"),
    "reporter": ("Pelapor", "Reporter"), "identity_hidden": ("Identitas rahasia (hanya admin)", "Confidential identity (admins only)"),
    "anonymous": ("Anonim", "Anonymous"), "location": ("Lokasi", "Location"), "attachments": ("Lampiran", "Attachments"),
    "timeline": ("Riwayat", "Timeline"), "messages": ("Pesan", "Messages"), "internal_note": ("Catatan internal", "Internal note"),
    "internal_note_help": ("Hanya terlihat oleh petugas.", "Visible to staff only."),
    "public_response": ("Tanggapan publik", "Public response"), "public_response_help": ("Terlihat oleh pelapor di halaman pelacakan.", "Shown to the reporter on the tracking page."),
    "send": ("Kirim", "Send"), "save": ("Simpan", "Save"), "create": ("Buat", "Create"), "delete": ("Hapus", "Delete"),
    "status_actions": ("Ubah status", "Change status"), "note_optional": ("Catatan (opsional)", "Note (optional)"),
    "assign": ("Tugaskan", "Assign"), "take": ("Ambil tiket ini", "Take this ticket"), "reroute": ("Rutekan ulang", "Re-route"),
    "merge": ("Gabungkan duplikat", "Merge duplicate"), "merge_target": ("ID atau kode tiket utama", "Main ticket id or code"),
    "escalate": ("Eskalasi", "Escalate"), "escalated": ("Dieskalasi", "Escalated"), "back": ("Kembali", "Back"),
    "error": ("Permintaan tidak dapat diproses", "The request could not be processed"),
    "forbidden": ("Akses ditolak.", "Forbidden."), "name": ("Nama", "Name"), "name_en": ("Nama (Inggris)", "Name (English)"),
    "code": ("Kode", "Code"), "email": ("Email", "Email"), "active": ("Aktif", "Active"), "role": ("Peran", "Role"),
    "head": ("Kepala instansi", "Agency head"), "reset_password": ("Atur ulang kata sandi", "Reset password"),
    "new_password_is": ("Kata sandi sementara (tampil sekali)", "Temporary password (shown once)"),
    "first_response_hours": ("Respons pertama (jam kerja)", "First response (working hours)"),
    "resolution_hours": ("Penyelesaian (jam kerja)", "Resolution (working hours)"), "default_agency": ("Instansi bawaan", "Default agency"),
    "kecamatan": ("Kecamatan", "District"), "toggle": ("Aktif/nonaktif", "Enable/disable"),
    "counter_intro": ("Halaman loket untuk pencatatan laporan tatap muka.", "Counter page for walk-in reports."),
    "read_only": ("Akses baca saja.", "Read-only access."), "full_name": ("Nama lengkap", "Full name"),
    "assigned_to": ("Ditugaskan ke", "Assigned to"), "nobody": ("—", "—"), "due": ("Tenggat", "Due"),
    "text": ("Isi", "Text"), "title": ("Judul", "Title"), "when": ("Waktu", "When"), "actor": ("Pelaku", "Actor"),
    "action": ("Tindakan", "Action"), "target": ("Sasaran", "Target"), "event": ("Peristiwa", "Event"),
}


def translate(key: str, lang: str) -> str:
    return translator(lang)(key)


def translator(lang: str):
    """Staff strings first, then the public site's."""
    return make_translator((S, PUBLIC_STRINGS), lang)
