"""The default taxonomy: 13 categories and the agencies that own them (seeded, then editable)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DefaultCategory:
    code: str
    name: str
    name_en: str
    description: str
    description_en: str
    agency_code: str
    first_response_hours: int
    resolution_hours: int


DEFAULT_AGENCIES: dict[str, tuple[str, str]] = {
    "dpupr": ("Dinas Pekerjaan Umum dan Penataan Ruang", "Public Works and Spatial Planning Office"),
    "dlh": ("Dinas Lingkungan Hidup", "Environment Office"),
    "pdam": ("Perumda Air Minum (PDAM)", "Regional Water Utility (PDAM)"),
    "pln": ("PLN Unit Layanan Pelanggan", "PLN Customer Service Unit"),
    "dinkes": ("Dinas Kesehatan", "Health Office"),
    "disdik": ("Dinas Pendidikan", "Education Office"),
    "disdukcapil": ("Dinas Kependudukan dan Pencatatan Sipil", "Population and Civil Registry Office"),
    "dishub": ("Dinas Perhubungan", "Transportation Office"),
    "dinsos": ("Dinas Sosial", "Social Affairs Office"),
    "satpolpp": ("Satuan Polisi Pamong Praja", "Municipal Police (Satpol PP)"),
    "polres": ("Kepolisian Resor", "District Police"),
    "bpbd": ("Badan Penanggulangan Bencana Daerah", "Regional Disaster Management Agency"),
    "dpmptsp": ("Dinas Penanaman Modal dan PTSP", "Investment and One-Stop Service Office"),
}

DEFAULT_CATEGORIES: tuple[DefaultCategory, ...] = (
    DefaultCategory("infrastruktur_jalan", "Infrastruktur Jalan", "Road Infrastructure",
                    "Jalan berlubang, jembatan, saluran/got/drainase, trotoar, genangan karena saluran tersumbat.",
                    "Potholes, bridges, drains and gutters, sidewalks, street puddles from blocked drains.",
                    "dpupr", 24, 240),
    DefaultCategory("kebersihan_lingkungan", "Kebersihan dan Lingkungan", "Cleanliness and Environment",
                    "Sampah tidak diangkut, TPS penuh, pembuangan liar, pencemaran, asap, pemangkasan pohon, taman.",
                    "Uncollected garbage, full dumps, illegal dumping, pollution, smoke, tree pruning, parks.",
                    "dlh", 24, 120),
    DefaultCategory("air_bersih", "Air Bersih", "Clean Water",
                    "Air PDAM mati atau keruh, pipa bocor, meter dan tagihan air, sambungan baru.",
                    "No or dirty piped water, leaking pipes, water meters and bills, new connections.",
                    "pdam", 8, 72),
    DefaultCategory("listrik", "Listrik", "Electricity",
                    "Pemadaman, token/meter prabayar, tagihan, tiang miring, kabel menjuntai, trafo.",
                    "Outages, prepaid tokens and meters, bills, leaning poles, hanging cables, transformers.",
                    "pln", 8, 72),
    DefaultCategory("kesehatan", "Kesehatan", "Health",
                    "Pelayanan puskesmas dan RSUD, BPJS/KIS, obat, imunisasi, posyandu, fogging DBD, ambulans.",
                    "Health centres and public hospitals, BPJS/KIS, medicines, immunisation, dengue fogging.",
                    "dinkes", 8, 120),
    DefaultCategory("pendidikan", "Pendidikan", "Education",
                    "PPDB dan zonasi, pungutan sekolah, beasiswa KIP/PIP, guru, ruang kelas rusak, ijazah ditahan.",
                    "School admissions, illegal levies, scholarships, teachers, damaged classrooms, withheld diplomas.",
                    "disdik", 24, 240),
    DefaultCategory("kependudukan", "Kependudukan", "Civil Registry",
                    "KTP-el, KK, akta lahir/kematian, KIA, pindah domisili, NIK ganda, calo di Dukcapil.",
                    "ID cards, family cards, birth/death certificates, moving domicile, duplicate NIK.",
                    "disdukcapil", 24, 120),
    DefaultCategory("transportasi", "Transportasi dan Perhubungan", "Transportation",
                    "Lampu lalu lintas, penerangan jalan umum (PJU), parkir liar dan jukir, angkutan umum, rambu.",
                    "Traffic lights, street lighting, illegal parking, public transport, signs and markings.",
                    "dishub", 24, 168),
    DefaultCategory("bantuan_sosial", "Bantuan Sosial", "Social Assistance",
                    "PKH, BPNT, BLT, data DTKS, pendaftaran keluarga miskin/MBR, lansia terlantar, disabilitas.",
                    "Social aid, welfare data, low-income registration, neglected elderly, disability aid.",
                    "dinsos", 24, 240),
    DefaultCategory("ketertiban_umum", "Ketertiban Umum", "Public Order",
                    "PKL di trotoar, bangunan liar, reklame liar, kebisingan, fasilitas umum disalahgunakan.",
                    "Street vendors on sidewalks, illegal buildings, wild billboards, noise.",
                    "satpolpp", 24, 168),
    DefaultCategory("keamanan", "Keamanan", "Security",
                    "Pencurian, begal, narkoba, judi, penipuan online, tawuran, premanisme dan pungli di jalan.",
                    "Theft, robbery, drugs, gambling, online fraud, gang fights, street extortion.",
                    "polres", 4, 72),
    DefaultCategory("bencana", "Kebencanaan", "Disasters",
                    "Banjir merendam rumah, tanah longsor, pohon tumbang, kebakaran, angin puting beliung.",
                    "Floods in homes, landslides, fallen trees, fires, whirlwinds, earthquakes.",
                    "bpbd", 2, 48),
    DefaultCategory("perizinan", "Perizinan", "Permits and Licensing",
                    "PBG/IMB dan SIMBG, NIB melalui OSS, izin operasional, SLF, izin reklame, MPP.",
                    "Building approval, business registration, operating permits, billboard permits.",
                    "dpmptsp", 24, 240),
)

CATEGORY_CODES = tuple(c.code for c in DEFAULT_CATEGORIES)
