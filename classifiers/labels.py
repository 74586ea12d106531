"""Label set shared by training, prediction and evaluation."""

CATEGORY_CODES: tuple[str, ...] = (
    "infrastruktur_jalan",
    "kebersihan_lingkungan",
    "air_bersih",
    "listrik",
    "kesehatan",
    "pendidikan",
    "kependudukan",
    "transportasi",
    "bantuan_sosial",
    "ketertiban_umum",
    "keamanan",
    "bencana",
    "perizinan",
)

OUT_OF_SCOPE = "lainnya"
"""Texts that fit no category (greetings, thanks, spam); the model learns it so they go to triage."""

MODEL_LABELS: tuple[str, ...] = CATEGORY_CODES + (OUT_OF_SCOPE,)
"""Label order of models trained here: the 13 codes, then ``lainnya``."""


class UnknownCategoryError(ValueError):
    """A label that is neither a taxonomy code nor ``lainnya``."""


def check_label(label: str) -> str:
    """Return ``label`` if it is a model label, else raise ``UnknownCategoryError``."""
    if label not in MODEL_LABELS:
        raise UnknownCategoryError(f"unknown category {label!r}; expected one of {', '.join(MODEL_LABELS)}")
    return label
