"""UI strings of the report pages (Bahasa Indonesia first, English on request)."""
from __future__ import annotations

from feedback.web.i18n import make_translator

STRINGS: dict[str, tuple[str, str]] = {
    "reports": ("Laporan mutu layanan", "Service-quality reports"),
    "ikm": ("Indeks Kepuasan Masyarakat (IKM)", "Community Satisfaction Index (IKM)"),
    "monthly": ("Laporan bulanan", "Monthly report"),
    "filters": ("Saring", "Filter"), "apply": ("Terapkan", "Apply"),
    "period": ("Periode", "Period"), "date": ("Tanggal acuan", "Anchor date"),
    "from": ("Dari", "From"), "to": ("Sampai", "To"),
    "agency": ("Instansi", "Agency"), "category": ("Kategori", "Category"), "channel": ("Kanal", "Channel"),
    "priority": ("Prioritas", "Priority"), "kecamatan": ("Kecamatan", "District"), "all": ("Semua", "All"),
    "day": ("Hari", "Day"), "week": ("Minggu", "Week"), "month": ("Bulan", "Month"), "quarter": ("Triwulan", "Quarter"),
    "year": ("Tahun", "Year"), "custom": ("Rentang tanggal", "Date range"),
    "received": ("Diterima", "Received"), "resolved": ("Selesai", "Resolved"), "backlog": ("Tunggakan", "Backlog"),
    "resolved_pct": ("% selesai", "% resolved"), "fr_sla": ("Tanggapan pertama tepat waktu", "First response within SLA"),
    "res_sla": ("Selesai tepat waktu", "Resolved within SLA"), "reopen": ("Dibuka kembali", "Reopened"),
    "reroute": ("Dialihkan (salah rute)", "Re-routed (misrouting)"),
    "agreement": ("Klasifikasi sesuai keputusan petugas", "Classifier agrees with staff"),
    "previous": ("Periode sebelumnya", "Previous period"), "change": ("Perubahan", "Change"),
    "times": ("Waktu tanggapan dan penyelesaian (jam)", "Response and resolution time (hours)"),
    "first_response": ("Tanggapan pertama", "First response"), "resolution": ("Penyelesaian", "Resolution"),
    "calendar_time": ("waktu kalender", "calendar time"), "working_time": ("jam kerja", "working time"),
    "median": ("Median", "Median"), "p90": ("P90", "P90"), "mean": ("Rata-rata", "Mean"), "n": ("Jumlah", "Count"),
    "satisfaction": ("Kepuasan (penilaian 1–5)", "Satisfaction (ratings 1–5)"), "csat": ("CSAT (4–5)", "CSAT (4–5)"),
    "ratings": ("Penilaian", "Ratings"), "share": ("Porsi", "Share"), "tickets": ("Tiket", "Tickets"),
    "agencies": ("Per instansi", "Per agency"), "download": ("Unduh", "Download"),
    "chart_volume": ("Volume dan tunggakan", "Volume and backlog"),
    "chart_histogram": ("Sebaran waktu penyelesaian", "Resolution-time distribution"),
    "chart_sla": ("Kepatuhan SLA penyelesaian per instansi (%)", "Resolution SLA compliance per agency (%)"),
    "chart_channels": ("Porsi kanal", "Channel mix"), "chart_backlog": ("Umur tunggakan (hari)", "Backlog age (days)"),
    "chart_ikm_elements": ("NRR per unsur (1–4)", "NRR per element (1–4)"),
    "chart_ikm_series": ("IKM dari waktu ke waktu", "IKM over time"),
    "respondents": ("Responden", "Respondents"), "required_sample": ("Sampel minimal", "Required sample"),
    "population": ("Populasi (tiket)", "Population (tickets)"), "grade": ("Mutu", "Grade"),
    "element": ("Unsur", "Element"), "weakest": ("Unsur terlemah", "Weakest elements"),
    "print": ("Cetak", "Print"), "notes": ("Catatan metode", "Method notes"),
    "method": ("Populasi: tiket yang diterima dalam periode. Waktu penyelesaian dikurangi waktu menunggu pelapor. "
               "Kepatuhan SLA hanya menghitung tiket yang hasilnya sudah diketahui (selesai atau sudah lewat tenggat).",
               "Population: tickets received in the period. Resolution time excludes time waiting for the reporter. "
               "SLA compliance counts tickets whose outcome is known (resolved, or already past due)."),
    "no_data": ("Tidak ada data", "No data"),
}


def translator(lang: str):
    return make_translator((STRINGS,), lang)
