"""Markdown files with YAML front matter: the explainers' files and the help pages (content/pages/<name>/<locale>.md).

Help pages are written in zh-Hans and en; zh-Hant is derived like the rest, and no zh-Hant page may use
a word content/zh-hant.yaml forbids.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import markdown
import nh3

from .hant import forbidden_in, to_hant
from .model import Page
from .schema import AUTHORED_LOCALES, PageFile

PAGE_TAGS = {"p", "strong", "em", "ul", "ol", "li", "blockquote", "br", "h2", "h3", "h4", "a"}


class MarkdownFiles:
    """The content loader's Markdown files with front matter: explainers and help pages; zh-Hant checks."""

    def pages(self) -> dict[tuple[str, str], Page]:
        """content/pages/<name>/<locale>.md, every page in every locale."""
        pages: dict[tuple[str, str], Page] = {}
        pages_dir = self.content_dir / "pages"
        if not pages_dir.is_dir():
            return pages
        for folder in sorted(p for p in pages_dir.iterdir() if p.is_dir()):
            authored: dict[str, tuple[PageFile, str]] = {}
            for locale in AUTHORED_LOCALES:
                path = folder / f"{locale}.md"
                front, body = self.front_matter(path)
                parsed = self.validate(PageFile, front, path) if front is not None else None
                if parsed is None:
                    continue
                if not body.strip():
                    self.problem(path, "(body)", "the page has no text")
                authored[locale] = (parsed, body)
            if "zh-Hans" in authored:
                parsed, body = authored["zh-Hans"]
                authored["zh-Hant"] = (parsed.model_copy(update={
                    "title": to_hant(parsed.title), "summary": to_hant(parsed.summary)}), to_hant(body))
                self.check_hant(folder / "zh-Hant.md", authored["zh-Hant"])
            for locale, (parsed, body) in authored.items():
                html = nh3.clean(markdown.markdown(body), tags=PAGE_TAGS,
                                 attributes={"a": {"href"}}, url_schemes={"tel", "https"})
                pages[(folder.name, locale)] = Page(folder.name, locale, parsed.title, parsed.summary, html)
        return pages

    def front_matter(self, path: Path) -> tuple[Any, str]:
        """(the front matter as data, the Markdown body); (None, ...) after reporting a problem."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.problem(path, "", "file is missing")
            return None, ""
        except UnicodeDecodeError:
            self.problem(path, "", "file is not UTF-8 text")
            return None, ""
        if not text.startswith("---\n") or "\n---" not in text[3:]:
            self.problem(path, "", "must start with YAML front matter between two '---' lines")
            return None, ""
        front, _, body = text[4:].partition("\n---")
        body = body.partition("\n")[2]
        data = self.read_yaml(path, front)
        if data is not None and not isinstance(data, dict):
            self.problem(path, "(front matter)", "must be a mapping of fields")
            return None, body
        return data, body

    def check_hant(self, path: Path, page: tuple[Any, str]) -> None:
        """A zh-Hant page (hand-written or derived) must not use the listed mainland words or wrong characters."""
        parsed, body = page
        shown = ("title", "summary", "steps", "red_flags", "what_to_do", "risk")
        texts = {name: getattr(parsed, name) for name in shown if hasattr(parsed, name)}
        texts["(body)"] = body
        for field, value in texts.items():
            values = value if isinstance(value, tuple) else (value,)
            words = sorted({w for v in values if v for w in forbidden_in(v)})
            if words:
                self.problem(path, field, f"zh-Hant uses {', '.join(words)} (see content/zh-hant.yaml)")
