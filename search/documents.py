"""What goes into the search index and what comes out of it.

A `ListingDocument` is derived from an approved listing of an approved, non-suspended provider.
It carries listing and provider facts only — never anything about a client.
"""

import msgspec

LANGUAGES = ("fi", "sv", "en")

# Price facet buckets over `price_cents` (per the listing's own unit): [low, high) in cents,
# `None` meaning no upper bound. The facet key is the label.
PRICE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-2000", 0, 2000),
    ("2000-5000", 2000, 5000),
    ("5000-10000", 5000, 10000),
    ("10000+", 10000, None),
)

FACET_KEYS = ("category", "municipality", "delivery_mode", "language", "accessibility", "price", "cost")

# The "Maksuton" facet (docs/decisions/0037): key ``cost``, its one value ``free`` counts the
# listings priced 0. Paid listings carry no value, so the facet is {} when nothing is free.
FREE = "free"


def cost_values(price_cents: int) -> list[str]:
    """The ``cost`` facet values of a listing: ["free"] for a free activity, else none."""
    return [FREE] if price_cents == 0 else []


def price_bucket(price_cents: int) -> str:
    """The label of the price facet bucket that holds `price_cents`."""
    for label, low, high in PRICE_BUCKETS:
        if price_cents >= low and (high is None or price_cents < high):
            return label
    return PRICE_BUCKETS[0][0]


class ListingDocument(msgspec.Struct, kw_only=True):
    id: str
    # Organisers that approved this listing and its provider; a client sees only their own.
    organisers: list[str]
    provider_id: str
    provider_name: str
    category: str
    category_names: dict[str, str]
    title: dict[str, str]
    description: dict[str, str]
    price_cents: int
    unit: str
    municipality: str
    delivery_mode: str
    languages: list[str]
    accessibility: list[str]
    updated_at: str

    def text(self, field: str, lang: str) -> str:
        """`title`, `description` or `category_names` in `lang`, falling back to Finnish."""
        values: dict[str, str] = getattr(self, field)
        return values.get(lang) or values.get("fi") or next((v for v in values.values() if v), "")


class SearchQuery(msgspec.Struct, kw_only=True):
    q: str = ""
    categories: list[str] = []
    municipalities: list[str] = []
    delivery_mode: str | None = None
    language: str | None = None
    max_price_cents: int | None = None
    # True: only listings with at least one accessibility feature.
    accessible: bool | None = None
    # True: only free activities (price 0, the "Maksuton" facet).
    free: bool | None = None
    organiser: str | None = None
    page: int = 1
    per_page: int = 20
    # Display language of titles and highlights; Finnish when the listing lacks it.
    lang: str = "fi"

    def window(self) -> tuple[int, int]:
        """(offset, limit) with page and per_page clamped to sane bounds (1…100 per page)."""
        per_page = min(max(int(self.per_page), 1), 100)
        page = min(max(int(self.page), 1), 10_000)
        return (page - 1) * per_page, per_page


class SearchHit(msgspec.Struct, kw_only=True):
    id: str
    title: str
    provider_name: str
    category: str
    price_cents: int
    unit: str
    municipality: str
    delivery_mode: str
    languages: list[str]
    # HTML-safe: text escaped, matched words wrapped in <mark>…</mark>. The title when a query
    # word matches it (or the query is empty), else a short excerpt of the description.
    highlight: str
    accessibility: list[str] = []


class SearchResult(msgspec.Struct, kw_only=True):
    hits: list[SearchHit]
    total: int
    # Counts over the whole result set after the query and all filters, zero counts left out.
    # Keys: category, municipality, delivery_mode, language, accessibility, price (labels of
    # PRICE_BUCKETS) and cost ({"free": n}, the free activities).
    facets: dict[str, dict[str, int]]
    took_ms: int
