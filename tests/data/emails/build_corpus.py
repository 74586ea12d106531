"""Write the .eml test corpus (run once; the .eml files are committed).

Each message imitates what a real client sends (headers, MIME layout, encodings),
with Indonesian complaint text written for these tests. Binary parts (a 16x12
JPEG made with cjpeg, a 4x4 PNG, a one-page PDF, zips, a fake PE stub) are made
here so the corpus can be rebuilt byte for byte (files use CRLF line endings,
the canonical form that SMTP and IMAP transmit):

    .venv/bin/python tests/data/emails/build_corpus.py
"""
from __future__ import annotations

import base64
import io
import quopri
import struct
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).parent

# A real 16x12 baseline JPEG (cjpeg -quality 50 -optimize).
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkz"
    "ODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2Nj"
    "Y2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAMABADASIA"
    "AhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAABAL/xAAXEAEBAQEAAAAAAAAAAAAAAAADAAEC/8QA"
    "FQEBAQAAAAAAAAAAAAAAAAAAAwT/xAAYEQADAQEAAAAAAAAAAAAAAAAAAQIDBP/aAAwDAQACEQMR"
    "AD8AMZSTKs+cknzlFdsfn0Z//9k="
)


def png(width: int = 4, height: int = 4, rgb: tuple[int, int, int] = (51, 170, 119)) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


PNG = png()
PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 298 210]>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)
FAKE_EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + b"\x00" * 47
    + b"\x0e\x1f\xba\x0e\x00\xb4\t\xcd!\xb8\x01L\xcd!This program cannot be run in DOS mode.\r\r\n$"
)


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 6, 3, 8, 0, 0))
            archive.writestr(info, data)
    return buffer.getvalue()


def b64(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii").rstrip("\n")


def qp(text: str, charset: str = "utf-8") -> str:
    return quopri.encodestring(text.encode(charset)).decode("ascii")


MESSAGES: dict[str, bytes] = {}


def add(name: str, text: str | bytes) -> None:
    MESSAGES[name] = text if isinstance(text, bytes) else text.encode("utf-8")


GMAIL_PLAIN = """Selamat pagi Bapak/Ibu,

Saya ingin melaporkan jalan berlubang di Jl. Kaliurang km 7, tepatnya di depan
Indomaret dekat pertigaan Gang Kenari. Lubangnya sudah sekitar 3 minggu dan
makin dalam setelah hujan. Kemarin malam ada pengendara motor yang jatuh.

Mohon segera ditambal sebelum ada korban lagi.

Salam,
Budi Santoso
"""
GMAIL_HTML = (
    '<div dir="ltr"><div>Selamat pagi Bapak/Ibu,</div><div><br></div><div>Saya ingin melaporkan jalan '
    "berlubang di Jl. Kaliurang km 7, tepatnya di depan Indomaret dekat pertigaan Gang Kenari. Lubangnya "
    "sudah sekitar 3 minggu dan makin dalam setelah hujan. Kemarin malam ada pengendara motor yang jatuh."
    "</div><div><br></div><div>Mohon segera ditambal sebelum ada korban lagi.</div><div><br></div>"
    "<div>Salam,</div><div>Budi Santoso</div></div>"
)
add("01_gmail_alternative.eml", f"""MIME-Version: 1.0
Date: Mon, 3 Jun 2024 08:12:45 +0700
Message-ID: <CAJx7b2fGmailPlainHtml01@mail.gmail.com>
Subject: Jalan berlubang di Jl. Kaliurang km 7
From: Budi Santoso <budi.santoso1987@gmail.com>
To: pengaduan@suarawarga.example.id
Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f60718"

--000000000000a1b2c3d4e5f60718
Content-Type: text/plain; charset="UTF-8"

{GMAIL_PLAIN}
--000000000000a1b2c3d4e5f60718
Content-Type: text/html; charset="UTF-8"

{GMAIL_HTML}

--000000000000a1b2c3d4e5f60718--
""")

OUTLOOK_HTML = """<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<style><!--
p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm; font-size:11.0pt; font-family:"Calibri",sans-serif;}
--></style>
<!--[if gte mso 9]><xml><o:shapedefaults v:ext="edit" spidmax="1026" /></xml><![endif]-->
</head>
<body lang="EN-US" link="#0563C1" vlink="#954F72">
<div class="WordSection1">
<p class="MsoNormal">Yth. Dinas Lingkungan Hidup,<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">Sampah di TPS Jl. Magelang dekat pasar sudah <b>lima hari</b> tidak diangkut. Baunya
sampai ke rumah warga &amp; banyak lalat. Anak-anak di RT 04 mulai sakit perut.<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<ul><li class="MsoNormal">Lokasi: TPS Pasar Kranggan</li><li class="MsoNormal">Sejak: Rabu, 29 Mei 2024</li></ul>
<p class="MsoNormal">Terima kasih.<o:p></o:p></p>
<p class="MsoNormal">Siti Rahmawati<o:p></o:p></p>
<script>alert('x')</script>
</div>
</body>
</html>
"""
add("02_outlook_html_only.eml", f"""From: Siti Rahmawati <siti.rahma@outlook.co.id>
To: "pengaduan@suarawarga.example.id" <pengaduan@suarawarga.example.id>
Subject: Sampah TPS Pasar Kranggan tidak diangkut
Thread-Topic: Sampah TPS Pasar Kranggan tidak diangkut
Thread-Index: AdqzR8v1c2V4b3V0bG9vaw==
Date: Tue, 4 Jun 2024 02:31:10 +0000
Message-ID: <SEZPR06MB5697A1B2C3D4E5F6@SEZPR06MB5697.apcprd06.prod.outlook.com>
Accept-Language: id-ID, en-US
Content-Language: id-ID
X-MS-Has-Attach:
X-MS-TNEF-Correlator:
Content-Type: text/html; charset="utf-8"
Content-Transfer-Encoding: quoted-printable
MIME-Version: 1.0

{qp(OUTLOOK_HTML)}""")

YAHOO_PLAIN = """Lampu penerangan jalan di Jl. Parangtritis depan SD Negeri 2 mati sudah seminggu. Malam hari gelap sekali dan rawan jambret.

Mohon diperbaiki.

Dikirim dari Yahoo Mail di Android"""
YAHOO_HTML = (
    "<html><head></head><body><div>Lampu penerangan jalan di Jl. Parangtritis depan SD Negeri 2 mati sudah "
    "seminggu. Malam hari gelap sekali dan rawan jambret.</div><div><br></div><div>Mohon diperbaiki.</div>"
    '<div><br></div><div id="ymail_android_signature"><a id="ymail_android_signature_link" '
    'href="https://go.onelink.me/107872968?pid=InProduct">Dikirim dari Yahoo Mail di Android</a></div></body></html>'
)
add("03_yahoo_android.eml", f"""Date: Wed, 5 Jun 2024 19:44:02 +0000 (UTC)
From: Agus Wibowo <aguswibowo_88@yahoo.co.id>
To: pengaduan@suarawarga.example.id
Message-ID: <1234567890.1122334.1717616642000@mail.yahoo.com>
Subject: Lampu PJU mati Jl. Parangtritis
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="----=_Part_1122333_987654321.1717616641999"
X-Mailer: WebService/1.1.22363 YMailNorrin

------=_Part_1122333_987654321.1717616641999
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 7bit

{YAHOO_PLAIN}
------=_Part_1122333_987654321.1717616641999
Content-Type: text/html; charset=UTF-8
Content-Transfer-Encoding: 7bit

{YAHOO_HTML}
------=_Part_1122333_987654321.1717616641999--
""")

add("04_iphone_sent_from.eml", """Content-Type: text/plain;
\tcharset=utf-8
Content-Transfer-Encoding: quoted-printable
From: Dewi Lestari <dewi.lestari@icloud.com>
Mime-Version: 1.0 (1.0)
Date: Thu, 6 Jun 2024 07:05:33 +0700
Subject: Pohon tumbang menutup jalan
Message-Id: <8F2B6C1D-3E4A-4B5C-9D6E-7F8091A2B3C4@icloud.com>
To: pengaduan@suarawarga.example.id
X-Mailer: iPhone Mail (21F90)

Pohon besar tumbang di Jl. Wates km 5 setelah hujan angin tadi subuh. Separuh=
 jalan tertutup, mobil harus bergantian lewat.=20

Sent from my iPhone
""")

SAMSUNG_TEXT = (
    "Saluran air di Perumahan Griya Asri blok C mampet, air meluap ke jalan setiap hujan "
    "setinggi ±20 cm. Sudah lapor ke pak RT tapi belum ada tindakan.\n\n"
    "Dikirim dari ponsel Samsung Galaxy saya.\n"
)
add("05_samsung_quoted_printable.eml", f"""MIME-Version: 1.0
From: "Rina Kurniasih" <rina.kurnia@gmail.com>
To: <pengaduan@suarawarga.example.id>
Subject: =?UTF-8?Q?Saluran_air_mampet_=E2=80=93_Griya_Asri_blok_C?=
Date: Fri, 07 Jun 2024 16:20:11 +0700
Message-ID: <ctm1a2b3c4d5e6.samsung.mail@email.android.com>
X-Mailer: Samsung Mail
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

{qp(SAMSUNG_TEXT)}""")

BASE64_TEXT = (
    "Bapak/Ibu yang terhormat,\n\nPelayanan KTP elektronik di Kecamatan Gondokusuman sangat lambat. "
    "Saya sudah datang tiga kali sejak April dan selalu dibilang blanko habis. Mohon kejelasan kapan "
    "KTP saya bisa dicetak.\n\nHormat saya,\nHendra Gunawan\n"
)
add("06_base64_body.eml", f"""Return-Path: <hendra.gunawan@mail.example.net>
From: Hendra Gunawan <hendra.gunawan@mail.example.net>
To: pengaduan@suarawarga.example.id
Subject: =?utf-8?B?UGVsYXlhbmFuIEtUUC1lbCBsYW1iYXQ=?=
Date: Sat, 8 Jun 2024 10:00:00 +0700
Message-ID: <20240608030000.4821@mail.example.net>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: base64

{b64(BASE64_TEXT.encode("utf-8"))}
""")

LATIN1_TEXT = (
    "Selamat siang,\n\nSaya José Pereira, warga negara Timor-Leste yang tinggal di Jl. Cendana. "
    "Suhu di ruang tunggu kantor imigrasi mencapai 35°C dan AC mati. Antrean ± 3 jam.\n\n"
    "Atenciosamente,\nJosé\n"
)
add("07_iso_8859_1.eml", b"""From: =?iso-8859-1?q?Jos=E9_Pereira?= <jose.pereira@mail.example.tl>
To: pengaduan@suarawarga.example.id
Subject: =?iso-8859-1?q?Ruang_tunggu_imigrasi_35=B0C?=
Date: Sun, 9 Jun 2024 13:10:00 +0700
Message-ID: <5f1e2d3c.latin1@mail.example.tl>
MIME-Version: 1.0
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: 8bit

""" + LATIN1_TEXT.encode("iso-8859-1"))

CP1252_TEXT = (
    "Kepada Yth. Dinas Perhubungan,\n\nHalte bus “Trans Jogja” di depan RSUP Sardjito atapnya bocor – "
    "penumpang basah kuyup saat hujan… Mohon diperbaiki; tarif Rp 3.600 sudah naik tapi fasilitas "
    "tetap begini.\n\nTerima kasih\n"
)
add("08_windows_1252.eml", b"""From: Yohanes Prasetyo <yohanes.p@kantor.example.co.id>
To: pengaduan@suarawarga.example.id
Subject: Halte Trans Jogja Sardjito bocor
Date: Mon, 10 Jun 2024 09:15:00 +0700
Message-ID: <000001dabc12$34567890$9abcdef0@kantor.example.co.id>
MIME-Version: 1.0
Content-Type: text/plain; charset="windows-1252"
Content-Transfer-Encoding: 8bit
X-Mailer: Microsoft Outlook 16.0

""" + CP1252_TEXT.encode("cp1252"))

WRONG_TEXT = (
    "Air PDAM di Kelurahan Wirobrajan mati sejak Senin pagi. Petugas bilang “sedang perbaikan pipa” "
    "tapi sudah 4 hari – warga harus beli air galon.\n"
)
add("09_declared_utf8_actually_cp1252.eml", b"""From: Wahyu Nugroho <wahyu.nugroho@mail.example.net>
To: pengaduan@suarawarga.example.id
Subject: Air PDAM mati 4 hari di Wirobrajan
Date: Tue, 11 Jun 2024 06:45:00 +0700
Message-ID: <wrongcharset.20240611@mail.example.net>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

""" + WRONG_TEXT.encode("cp1252"))

add("10_photo_attachment.eml", f"""MIME-Version: 1.0
Date: Wed, 12 Jun 2024 11:02:19 +0700
Message-ID: <CAPhotoAttach10xyz@mail.gmail.com>
Subject: Trotoar rusak depan Pasar Beringharjo (foto terlampir)
From: Andi Pratama <andi.pratama@gmail.com>
To: pengaduan@suarawarga.example.id
Content-Type: multipart/mixed; boundary="0000000000001122334455667788"

--0000000000001122334455667788
Content-Type: multipart/alternative; boundary="0000000000001122334455667787"

--0000000000001122334455667787
Content-Type: text/plain; charset="UTF-8"

Trotoar di depan Pasar Beringharjo sisi utara ambles dan keramiknya lepas.
Pejalan kaki terpaksa turun ke jalan. Foto terlampir.

--0000000000001122334455667787
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">Trotoar di depan Pasar Beringharjo sisi utara ambles dan keramiknya lepas.<br>Pejalan kaki terpaksa turun ke jalan. Foto terlampir.</div>

--0000000000001122334455667787--
--0000000000001122334455667788
Content-Type: image/jpeg; name="IMG_20240612_105511.jpg"
Content-Disposition: attachment; filename="IMG_20240612_105511.jpg"
Content-Transfer-Encoding: base64
Content-ID: <f_lx9abc120>
X-Attachment-Id: f_lx9abc120

{b64(JPEG)}
--0000000000001122334455667788--
""")

add("11_pdf_attachment.eml", f"""From: "Lembaga Bantuan Warga" <sekretariat@lbw.example.or.id>
To: pengaduan@suarawarga.example.id
Subject: Surat keberatan atas penggusuran lapak PKL
Date: Thu, 13 Jun 2024 14:30:00 +0700
Message-ID: <a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9c0d@lbw.example.or.id>
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Content-Language: id
Content-Type: multipart/mixed; boundary="------------d1e2f3a4b5c6d7e8f9a0b1c2"

This is a multi-part message in MIME format.
--------------d1e2f3a4b5c6d7e8f9a0b1c2
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 7bit

Dengan hormat,

Terlampir surat keberatan 12 pedagang kaki lima di Jl. Malioboro atas
penertiban lapak tanggal 10 Juni 2024 tanpa pemberitahuan sebelumnya.

-- 
Lembaga Bantuan Warga
Jl. Kusumanegara 12, Yogyakarta
--------------d1e2f3a4b5c6d7e8f9a0b1c2
Content-Type: application/pdf; name="surat_keberatan_PKL.pdf"
Content-Disposition: attachment; filename="surat_keberatan_PKL.pdf"
Content-Transfer-Encoding: base64

{b64(PDF)}
--------------d1e2f3a4b5c6d7e8f9a0b1c2--
""")

add("12_inline_image_cid.eml", f"""From: Maria Ulfa <maria.ulfa@mail.example.co.id>
To: pengaduan@suarawarga.example.id
Subject: Genangan oli di Jl. Solo
Date: Fri, 14 Jun 2024 08:00:00 +0700
Message-ID: <inline-cid-12@mail.example.co.id>
MIME-Version: 1.0
Content-Type: multipart/related; boundary="rel-boundary-12"; type="text/html"

--rel-boundary-12
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 7bit

<html><body><p>Ada tumpahan oli di Jl. Solo depan Galeria, sudah dua motor tergelincir pagi ini.</p>
<p><img src="cid:genangan@maria" alt="foto genangan" width="320"></p>
<p>Mohon segera dibersihkan.</p></body></html>
--rel-boundary-12
Content-Type: image/png; name="genangan.png"
Content-Transfer-Encoding: base64
Content-ID: <genangan@maria>
Content-Disposition: inline; filename="genangan.png"

{b64(PNG)}
--rel-boundary-12--
""")

add("13_reply_with_tracking_code.eml", """MIME-Version: 1.0
Date: Sat, 15 Jun 2024 20:11:05 +0700
References: <notice.7K3MP9QX2HZR.1@suarawarga.example.id>
In-Reply-To: <notice.7K3MP9QX2HZR.1@suarawarga.example.id>
Message-ID: <CAReplyTrack13abc@mail.gmail.com>
Subject: Re: [SW-7K3M-P9QX-2HZR] Lampu jalan mati di Jl. Godean
From: Sri Wahyuni <sri.wahyuni76@gmail.com>
To: Suara Warga <pengaduan@suarawarga.example.id>
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: 8bit

Terima kasih, tapi sampai malam ini lampunya masih mati. Tiang nomor 14 dan
15 juga ikut padam sekarang.

Pada tanggal Jum, 14 Jun 2024 pukul 09.30 Suara Warga <
pengaduan@suarawarga.example.id> menulis:

> Yth. Sri Wahyuni,
>
> Pengaduan Anda dengan kode 7K3M-P9QX-2HZR telah diteruskan ke Dinas
> Perhubungan.
>
> Salam,
> Suara Warga
""")

add("14_forwarded_complaint.eml", """MIME-Version: 1.0
Date: Sun, 16 Jun 2024 09:40:00 +0700
Message-ID: <CAFwd14forward@mail.gmail.com>
Subject: Fwd: Keluhan parkir liar di Jl. Mataram
From: Eko Susilo <eko.susilo@gmail.com>
To: pengaduan@suarawarga.example.id
Content-Type: text/plain; charset="UTF-8"

---------- Forwarded message ---------
Dari: Bu Darmi <darmi.warung@gmail.com>
Date: Sab, 15 Jun 2024 pukul 18.02
Subject: Keluhan parkir liar di Jl. Mataram
To: Eko Susilo <eko.susilo@gmail.com>


Mas Eko, tolong diteruskan ke pemkot ya. Parkir liar di Jl. Mataram depan
toko saya memungut Rp 5.000 per motor dan bikin macet. Juru parkirnya tidak
pakai rompi resmi.

Matur nuwun,
Bu Darmi
""")

add("15_out_of_office.eml", """From: Kepala Seksi Jalan <kasi.jalan@dpupkp.example.go.id>
To: pengaduan@suarawarga.example.id
Subject: Automatic reply: [SW-7K3M-P9QX-2HZR] Pengaduan baru diteruskan
Thread-Topic: [SW-7K3M-P9QX-2HZR] Pengaduan baru diteruskan
Date: Mon, 17 Jun 2024 01:00:04 +0000
Message-ID: <OOF.17jun2024@dpupkp.example.go.id>
In-Reply-To: <route.7K3MP9QX2HZR@suarawarga.example.id>
Auto-Submitted: auto-replied
X-MS-Exchange-Inbox-Rules-Loop: kasi.jalan@dpupkp.example.go.id
X-Auto-Response-Suppress: All
Content-Type: text/plain; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable
MIME-Version: 1.0

Saya sedang cuti sampai 24 Juni 2024. Untuk hal mendesak hubungi staf seksi=
 jalan.
""")

add("16_dsn_bounce.eml", """Return-Path: <>
From: postmaster@mail.example.net
To: pengaduan@suarawarga.example.id
Date: Tue, 18 Jun 2024 10:00:00 +0700
Message-ID: <dsn.20240618.abc@mail.example.net>
Subject: Undeliverable: Pengaduan Anda telah diterima
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="DSN-boundary-16"

--DSN-boundary-16
Content-Type: text/plain; charset=us-ascii

Delivery has failed to these recipients or groups:

warga.salah.ketik@gmial.com
The domain does not exist.

--DSN-boundary-16
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.net

Final-Recipient: rfc822; warga.salah.ketik@gmial.com
Action: failed
Status: 5.1.2
Diagnostic-Code: smtp; 550 5.1.2 Host unknown

--DSN-boundary-16
Content-Type: text/rfc822-headers

From: Suara Warga <pengaduan@suarawarga.example.id>
To: warga.salah.ketik@gmial.com
Subject: Pengaduan Anda telah diterima (7K3M-P9QX-2HZR)

--DSN-boundary-16--
""")

add("17_precedence_bulk_newsletter.eml", """From: Promo Toko Bangunan <newsletter@tokobangunan.example.com>
To: pengaduan@suarawarga.example.id
Subject: Diskon semen 20% minggu ini!
Date: Wed, 19 Jun 2024 07:00:00 +0700
Message-ID: <nl.2024w25@tokobangunan.example.com>
Precedence: bulk
List-Unsubscribe: <mailto:unsubscribe@tokobangunan.example.com>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><body><h1>Diskon semen 20%</h1><p>Hanya minggu ini di semua cabang.</p></body></html>
""")

add("18_no_from.eml", """To: pengaduan@suarawarga.example.id
Subject: Jembatan gantung Kali Progo goyang
Date: Thu, 20 Jun 2024 12:00:00 +0700
Message-ID: <nofrom.18@unknown.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Jembatan gantung di Dusun Sendangsari goyang parah, beberapa papan lantainya patah.
""")

add("19_empty_body.eml", """From: Fajar Hidayat <fajar.hidayat@gmail.com>
To: pengaduan@suarawarga.example.id
Subject:
Date: Fri, 21 Jun 2024 21:00:00 +0700
Message-ID: <CAEmpty19@mail.gmail.com>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="00000000000019"

--00000000000019
Content-Type: text/plain; charset="UTF-8"


--00000000000019
Content-Type: text/html; charset="UTF-8"

<div dir="ltr"><br></div>

--00000000000019--
""")

add("20_disguised_exe_as_jpg.eml", f"""From: Tim Verifikasi <verifikasi.data@mail.example.biz>
To: pengaduan@suarawarga.example.id
Subject: Foto bukti kerusakan jalan
Date: Sat, 22 Jun 2024 03:14:00 +0700
Message-ID: <exe-as-jpg-20@mail.example.biz>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mixed-20"

--mixed-20
Content-Type: text/plain; charset=utf-8

Jalan di Jl. Imogiri Timur retak memanjang sekitar 50 meter. Foto terlampir.

--mixed-20
Content-Type: image/jpeg; name="foto_kerusakan.jpg"
Content-Disposition: attachment; filename="foto_kerusakan.jpg"
Content-Transfer-Encoding: base64

{b64(FAKE_EXE)}
--mixed-20--
""")

add("21_header_injection_subject.eml", """From: Penguji <penguji@mail.example.net>
To: pengaduan@suarawarga.example.id
Subject: =?utf-8?q?Keluhan_antrean_Samsat=0D=0ABcc:_korban@example.com=0D=0A?=
 =?utf-8?q?X-Injected:_yes?=
Date: Sun, 23 Jun 2024 10:00:00 +0700
Message-ID: <inject.21@mail.example.net>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Antrean di Samsat Kota buka jam 8 tapi loket baru dilayani jam 9.30.
""")

add("22_zip_attachment.eml", f"""From: Lukas Hartono <lukas.hartono@mail.example.net>
To: pengaduan@suarawarga.example.id
Subject: Foto-foto drainase (zip)
Date: Mon, 24 Jun 2024 15:00:00 +0700
Message-ID: <zip.22@mail.example.net>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mixed-22"

--mixed-22
Content-Type: text/plain; charset=utf-8

Drainase di Jl. Bantul km 4 tertutup sedimen. Foto saya kirim dalam zip.

--mixed-22
Content-Type: application/zip; name="foto_drainase.zip"
Content-Disposition: attachment; filename="foto_drainase.zip"
Content-Transfer-Encoding: base64

{b64(zipped({"drainase1.png": PNG, "drainase2.jpg": JPEG}))}
--mixed-22--
""")

add("23_nested_archive.eml", f"""From: Arsip Dokumen <arsip.dokumen@mail.example.biz>
To: pengaduan@suarawarga.example.id
Subject: Dokumen pendukung pengaduan
Date: Tue, 25 Jun 2024 02:00:00 +0700
Message-ID: <nested.23@mail.example.biz>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mixed-23"

--mixed-23
Content-Type: text/plain; charset=utf-8

Mohon buka dokumen pendukung terlampir.

--mixed-23
Content-Type: application/zip; name="dokumen.zip"
Content-Disposition: attachment; filename="dokumen.zip"
Content-Transfer-Encoding: base64

{b64(zipped({"dokumen/lampiran.zip": zipped({"lampiran/invoice.pdf.exe": FAKE_EXE})}))}
--mixed-23--
""")

add("24_outlook_reply_original_message.eml", """From: Bambang Riyadi <bambang.riyadi@hotmail.com>
To: Suara Warga <pengaduan@suarawarga.example.id>
Subject: RE: Pengaduan Anda telah diterima
Date: Wed, 26 Jun 2024 08:20:00 +0700
Message-ID: <PSAPR01MB4933B2C3@PSAPR01MB4933.apcprd01.prod.exchangelabs.com>
In-Reply-To: <notice.2@suarawarga.example.id>
MIME-Version: 1.0
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: 7bit

Mohon maaf, alamat yang benar adalah Jl. Gejayan no. 21, bukan no. 12.

Bambang

-----Original Message-----
Dari: Suara Warga <pengaduan@suarawarga.example.id>
Dikirim: Selasa, 25 Juni 2024 17:00
Kepada: Bambang Riyadi <bambang.riyadi@hotmail.com>
Subjek: Pengaduan Anda telah diterima

Pengaduan Anda telah kami terima dengan kode 4DWC-9RT2-ZJXB.
""")

INNER_FORWARD = """From: Pak Slamet <slamet.rw05@mail.example.net>
To: Nur Aini <nur.aini@mail.example.net>
Subject: Posyandu RW 05 tidak ada vaksin
Date: Wed, 26 Jun 2024 10:00:00 +0700
Message-ID: <inner.25@mail.example.net>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Posyandu RW 05 Kelurahan Bener sudah dua bulan tidak mendapat vaksin campak.
Ibu-ibu disuruh ke puskesmas yang jauhnya 6 km.

Slamet
"""
add("25_forward_as_attachment.eml", f"""From: Nur Aini <nur.aini@mail.example.net>
To: pengaduan@suarawarga.example.id
Subject: Fwd: Posyandu RW 05 tidak ada vaksin
Date: Thu, 27 Jun 2024 09:00:00 +0700
Message-ID: <outer.25@mail.example.net>
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Content-Type: multipart/mixed; boundary="------------fwd25"

This is a multi-part message in MIME format.
--------------fwd25
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 7bit


--------------fwd25
Content-Type: message/rfc822; name="Posyandu RW 05 tidak ada vaksin.eml"
Content-Disposition: attachment; filename="Posyandu RW 05 tidak ada vaksin.eml"

{INNER_FORWARD}
--------------fwd25--
""")

many_parts = "".join(
    f"""--many-26
Content-Type: image/png; name="p{i:03d}.png"
Content-Disposition: attachment; filename="p{i:03d}.png"
Content-Transfer-Encoding: base64

{b64(PNG)}
"""
    for i in range(120)
)
add("26_hundreds_of_attachments.eml", f"""From: Pengirim Massal <massal@mail.example.biz>
To: pengaduan@suarawarga.example.id
Subject: Laporan lengkap
Date: Fri, 28 Jun 2024 01:00:00 +0700
Message-ID: <many.26@mail.example.biz>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="many-26"

--many-26
Content-Type: text/plain; charset=utf-8

Lihat lampiran.

{many_parts}--many-26--
""")

add("27_balasan_otomatis_x_autoreply.eml", """From: Humas Kecamatan Mergangsan <humas.mergangsan@mail.example.go.id>
To: pengaduan@suarawarga.example.id
Subject: Balasan otomatis: Pengaduan Anda telah diteruskan
Date: Sat, 29 Jun 2024 08:00:00 +0700
Message-ID: <auto.27@mail.example.go.id>
X-Autoreply: yes
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Terima kasih atas email Anda. Kantor kami tutup pada hari Sabtu dan Minggu.
""")

add("28_yahoo_reply_quoted_history.eml", f"""Date: Sun, 30 Jun 2024 12:00:00 +0000 (UTC)
From: Agus Wibowo <aguswibowo_88@yahoo.co.id>
To: Suara Warga <pengaduan@suarawarga.example.id>
Message-ID: <99887766.554433.1719748800000@mail.yahoo.com>
In-Reply-To: <notice.28@suarawarga.example.id>
Subject: Re: Pengaduan Anda: lampu PJU Jl. Parangtritis
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="----=_Part_28"

------=_Part_28
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

{qp('''Lampunya sudah menyala lagi sejak kemarin. Terima kasih atas tindak lanjutnya.

Dikirim dari Yahoo Mail di Android=20

  Pada Sab, 29 Jun 2024 pada 9:00, Suara Warga<pengaduan@suarawarga.example.id> menulis:   Yth. Agus Wibowo, pengaduan dengan kode HQ7R-2M4N-8XKU sedang ditangani.''')}
------=_Part_28
Content-Type: text/html; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

{qp('''<html><head></head><body><div>Lampunya sudah menyala lagi sejak kemarin. Terima kasih atas tindak lanjutnya.</div><div><br></div><div id="ymail_android_signature">Dikirim dari Yahoo Mail di Android</div><div><br></div><div class="yahoo_quoted"><div>Pada Sab, 29 Jun 2024 pada 9:00, Suara Warga&lt;pengaduan@suarawarga.example.id&gt; menulis:</div><blockquote>Yth. Agus Wibowo, pengaduan dengan kode HQ7R-2M4N-8XKU sedang ditangani.</blockquote></div></body></html>''')}
------=_Part_28--
""")

add("29_iphone_html_only_blockquote.eml", """Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 7bit
From: Putri Ayu <putri.ayu@icloud.com>
Mime-Version: 1.0 (1.0)
Date: Mon, 1 Jul 2024 18:30:00 +0700
Subject: Re: Jadwal sidak pasar
Message-Id: <C1D2E3F4-html-29@icloud.com>
In-Reply-To: <notice.29@suarawarga.example.id>
To: Suara Warga <pengaduan@suarawarga.example.id>
X-Mailer: iPhone Mail (21F90)

<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body dir="auto"><div dir="ltr">Timbangan pedagang daging di Pasar Kranggan masih tidak ditera ulang.<br>Pembeli rugi 1-2 ons tiap kilo.</div><div dir="ltr"><br><div dir="ltr">Sent from my iPhone</div><div dir="ltr"><br><blockquote type="cite">On 1 Jul 2024, at 09:00, Suara Warga &lt;pengaduan@suarawarga.example.id&gt; wrote:<br><br></blockquote></div><blockquote type="cite"><div dir="ltr">Mohon jelaskan lokasi pasar yang Anda maksud.</div></blockquote></div></body></html>
""")


def main() -> None:
    for name, data in MESSAGES.items():
        # RFC 5322 canonical line endings, as an MTA transmits them (SMTP DATA needs CRLF).
        (HERE / name).write_bytes(data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    print(f"wrote {len(MESSAGES)} messages to {HERE}")


if __name__ == "__main__":
    main()
