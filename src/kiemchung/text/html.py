"""The visible text of an HTML document: what a reader sees, without markup, scripts or styles.

Used where HTML arrives as content — pages added to a knowledge base, and comments sent to the
Perspective-compatible route with ``type: "HTML"`` — so that tags are never scored as words.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _VisibleText(HTMLParser):
    """Visible text and the <title> of an HTML page; scripts, styles and markup dropped."""

    BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "tr", "section", "article"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style", "noscript"):
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript"):
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(data)


def visible_text(content: str) -> tuple[str, str]:
    """(the visible text, one line per block, whitespace collapsed; the ``<title>``)."""
    parser = _VisibleText()
    parser.feed(content)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line), " ".join(parser.title.split())
