"""HTML to readable text with the stdlib parser, in linear time on hostile markup."""
from __future__ import annotations

import logging
import re
from html.parser import HTMLParser

logger = logging.getLogger(__name__)

_BLOCK_TAGS = frozenset(
    "p div li ul ol tr table h1 h2 h3 h4 h5 h6 blockquote pre hr section article header footer address dl dt dd".split()
)
_PARAGRAPH_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 table ul ol pre blockquote".split())
_SKIP_TAGS = frozenset({"script", "style", "head", "title", "template", "noscript", "object", "svg"})


class _HtmlToText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip_depth = 0
        self.quote_depth = 0
        self.pre_depth = 0

    def _newline(self) -> None:
        self.out.append("\n")

    def _break(self, blank_line: bool = False) -> None:
        """End the current line (and leave a blank one for paragraphs) unless already done."""
        tail = "".join(self.out[-2:])
        if not self.out:
            return
        if not tail.endswith("\n"):
            self.out.append("\n")
            tail += "\n"
        if blank_line and not tail.endswith("\n\n"):
            self.out.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
        elif tag == "br":
            self._newline()
        elif tag in _BLOCK_TAGS:
            self._break(blank_line=tag in _PARAGRAPH_TAGS)
            if tag == "blockquote":
                self.quote_depth += 1
            elif tag == "pre":
                self.pre_depth += 1
            elif tag == "li":
                self._text("- ")
            elif tag == "hr":
                self._text("________________________________")
                self._newline()
        elif tag in ("td", "th"):
            self.out.append(" ")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt and not self.skip_depth:
                self._text(f"[{alt}]")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _SKIP_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            if tag == "blockquote":
                self.quote_depth = max(0, self.quote_depth - 1)
            elif tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)
            self._break(blank_line=tag in _PARAGRAPH_TAGS)

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if not self.pre_depth:
            data = re.sub(r"[ \t\r\n\f]+", " ", data)
        self._text(data)

    def _text(self, data: str) -> None:
        if not data:
            return
        at_line_start = not self.out or self.out[-1].endswith("\n")
        if at_line_start:
            data = data.lstrip(" ") if not self.pre_depth else data
            if not data:
                return
            if self.quote_depth:
                data = "> " * self.quote_depth + data
        self.out.append(data)


_MSO_MARKED_SECTION = re.compile(r"<!\[[^<>\[\]]{0,200}\]>")  # Outlook's <![if !supportLists]>, <![endif]>


def defuse_markup(html: str) -> str:
    """Escape every '<' that cannot start a complete tag, in linear time.

    CPython's HTMLParser rescans to the end of the input for each '<' whose
    tag, comment or declaration is never closed (quadratic: 40,000 '<!--'
    take half a minute), and gives up with AssertionError on bogus '<!['.
    Afterwards each remaining '<' either opens a closed comment or has its
    '>' before the next '<'.
    """
    html = _MSO_MARKED_SECTION.sub("", html)
    out: list[str] = []
    i, n = 0, len(html)
    comments_closed = True  # once '-->' is missing, it is missing for every later '<!--'
    next_gt = next_lt = -1
    while i < n:
        lt = html.find("<", i)
        if lt < 0:
            out.append(html[i:])
            break
        out.append(html[i:lt])
        if comments_closed and html.startswith("<!--", lt):
            end = html.find("-->", lt + 4)
            if end >= 0:
                out.append(html[lt : end + 3])
                i = end + 3
                continue
            comments_closed = False
        if next_gt < lt + 1:
            next_gt = html.find(">", lt + 1)
            next_gt = n if next_gt < 0 else next_gt
        if next_lt < lt + 1:
            next_lt = html.find("<", lt + 1)
            next_lt = n if next_lt < 0 else next_lt
        if next_gt < n and next_gt < next_lt and not html.startswith(("<!--", "<!["), lt):
            out.append(html[lt : next_gt + 1])
            i = next_gt + 1
        else:
            out.append("&lt;")
            i = lt + 1
    return "".join(out)


def html_to_text(html: str) -> str:
    """Readable text from HTML with the stdlib parser; script/style dropped."""
    parser = _HtmlToText()
    try:
        parser.feed(defuse_markup(html))
        parser.close()
    except (AssertionError, ValueError, IndexError) as exc:  # the stdlib parser's own give-ups
        logger.warning("html_to_text: parser gave up: %r", exc)
    text = "".join(parser.out).replace("\xa0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()

