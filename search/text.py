"""Result cards from documents: display language fallback and HTML-safe highlights.

Both backends build hits here from the same analysis, so a word is highlighted exactly when the
search would have matched it.
"""

from collections.abc import Sequence
from html import escape

from search.analysis import QueryWord, matches_token, tokens
from search.documents import ListingDocument, SearchHit

_EXCERPT_BEFORE = 60
_EXCERPT_LENGTH = 180


def _display_language(values: dict[str, str], lang: str) -> str:
    return lang if values.get(lang) else "fi"


class Matcher:
    """Whether a word of a text matches the query, remembered across the hits of one search."""

    def __init__(self, words: Sequence[QueryWord]) -> None:
        self.words = list(words)
        self._seen: dict[tuple[str, str], bool] = {}

    def __call__(self, folded: str, lang: str) -> bool:
        key = (folded, lang)
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = any(matches_token(w, folded, lang) for w in self.words)
        return found


def mark(text: str, matcher: Matcher, lang: str) -> tuple[str, bool]:
    """`text` escaped, words matching the query wrapped in <mark>; and whether any did."""
    out: list[str] = []
    last = 0
    for token in tokens(text):
        if matcher(token.folded, lang):
            out.append(escape(text[last:token.start]))
            out.append(f"<mark>{escape(text[token.start:token.end])}</mark>")
            last = token.end
    if not out:
        return escape(text), False
    out.append(escape(text[last:]))
    return "".join(out), True


def excerpt(text: str, matcher: Matcher, lang: str) -> str | None:
    """A short marked window of `text` around its first matching word, or None."""
    for token in tokens(text):
        if matcher(token.folded, lang):
            start = max(0, token.start - _EXCERPT_BEFORE)
            if start:
                space = text.find(" ", start, token.start)
                start = space + 1 if space != -1 else start
            end = min(len(text), start + _EXCERPT_LENGTH)
            if end < len(text):
                space = text.rfind(" ", token.end, end)
                end = space if space != -1 else end
            html, _ = mark(text[start:end], matcher, lang)
            return ("…" if start else "") + html + ("…" if end < len(text) else "")
    return None


def make_hits(docs: Sequence[ListingDocument], words: Sequence[QueryWord], lang: str) -> list[SearchHit]:
    matcher = Matcher(words)
    return [make_hit(doc, matcher, lang) for doc in docs]


def make_hit(doc: ListingDocument, matcher: Matcher, lang: str) -> SearchHit:
    title_lang = _display_language(doc.title, lang)
    title = doc.text("title", lang)
    highlight, matched = mark(title, matcher, title_lang)
    if matcher.words and not matched:
        description_lang = _display_language(doc.description, lang)
        found = excerpt(doc.text("description", lang), matcher, description_lang)
        if found is None and description_lang != "fi":
            found = excerpt(doc.text("description", "fi"), matcher, "fi")
        highlight = found or highlight
    return SearchHit(
        id=doc.id,
        title=title,
        provider_name=doc.provider_name,
        category=doc.category,
        price_cents=doc.price_cents,
        unit=doc.unit,
        municipality=doc.municipality,
        delivery_mode=doc.delivery_mode,
        languages=list(doc.languages),
        highlight=highlight,
        accessibility=list(doc.accessibility),
    )
