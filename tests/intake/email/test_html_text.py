"""HTML to text: breaks kept, scripts dropped, linear time on unclosed markup."""
from __future__ import annotations

import time

import pytest

from feedback.intake.email.html_text import defuse_markup, html_to_text


def test_html_to_text_keeps_breaks_and_drops_scripts() -> None:
    html = (
        "<html><head><title>judul</title><style>p{color:red}</style></head><body>"
        "<p>Baris satu<br>baris dua</p><div>blok</div><ul><li>a</li><li>b</li></ul>"
        "<script>document.write('x')</script>&lt;tag&gt; &amp; &nbsp;selesai</body></html>"
    )
    assert html_to_text(html) == "Baris satu\nbaris dua\n\nblok\n\n- a\n- b\n\n<tag> &  selesai"


def test_defuse_markup_keeps_tags_and_escapes_dangling_brackets() -> None:
    html = "<p>1<2 and 3>2</p><!-- c --><![if !supportLists]>- <![endif]>x <a<b>"
    # "1<2 and 3>" may be a tag by shape; HTMLParser then keeps it as text (see html_to_text test)
    assert defuse_markup(html) == "<p>1<2 and 3>2</p><!-- c -->- x &lt;a<b>"


def test_bogus_marked_section_does_not_truncate_the_rest() -> None:
    assert html_to_text("<p>awal</p><![bogus <p>akhir</p>") == "awal\n\n<![bogus\n\nakhir"


@pytest.mark.parametrize("unit", ["<!--", "<a", "</", "<?", "<!["])
def test_unclosed_markup_is_linear(unit: str) -> None:
    started = time.monotonic()
    html_to_text(unit * 100_000)  # quadratic in the bare stdlib parser: minutes
    assert time.monotonic() - started < 5
