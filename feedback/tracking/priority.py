"""A ticket's priority: set at routing (urgent texts are `darurat`), read by SLA clocks, staff pages and reports."""
from __future__ import annotations


class Priority:
    RENDAH = "rendah"
    NORMAL = "normal"
    TINGGI = "tinggi"
    DARURAT = "darurat"
    ALL = ("rendah", "normal", "tinggi", "darurat")
