"""Languages (Finnish first, Swedish, English), the message catalogue and locale formatting.

Messages are registered by each package as ``{key: {"fi": ..., "sv": ..., "en": ...}}``. Money and
dates are formatted with Babel in the user's locale, dates in Europe/Helsinki.
"""

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.dates import format_interval, format_skeleton
from babel import Locale
from babel.numbers import format_currency

from core.clock import HELSINKI

LANGS = ("fi", "sv", "en")
DEFAULT_LANG = "fi"
LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_FI"}

_CATALOGUE: dict[str, dict[str, str]] = {}


def texts(fi: str, sv: str, en: str) -> dict[str, str]:
    """One message in the three languages, Finnish first (a catalogue's entry)."""
    return {"fi": fi, "sv": sv, "en": en}


def register(messages: dict[str, dict[str, str]]) -> None:
    for key, texts in messages.items():
        if "fi" not in texts:
            raise ValueError(f"message {key!r} has no Finnish text")
        _CATALOGUE[key] = texts


class Key(str):
    """A message parameter that is itself a message key, translated when the message is rendered
    (an error raised in a service does not know the reader's language): ``status=Key("status.approved")``.
    It stands inside a sentence, so it is lower-cased."""


# The parameters that count something. A message with a count may have a singular companion,
# ``<key>.one``, used when the language's plural rule (Babel's CLDR data) says "one" for that
# count: "1 varaus" but "2 varausta", "1 paikka vapaana", "(1 arvio)".
COUNT_PARAMS = ("count", "n", "total", "free", "months")


def _plural_key(key: str, lang: str, params: dict) -> str:
    count = next((params[name] for name in COUNT_PARAMS if isinstance(params.get(name), int)), None)
    if count is None or f"{key}.one" not in _CATALOGUE:
        return key
    form = Locale.parse(LOCALES.get(lang, "fi_FI")).plural_form(abs(count))
    return f"{key}.one" if form == "one" else key


def t(key: str, lang: str = DEFAULT_LANG, **params) -> str:
    if params:
        key = _plural_key(key, lang, params)
    texts = _CATALOGUE.get(key)
    if texts is None:
        return key
    text = texts.get(lang) or texts["fi"]
    if params:
        params = {name: t(value, lang).lower() if isinstance(value, Key) else value for name, value in params.items()}
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def has(key: str) -> bool:
    return key in _CATALOGUE


def normalise_lang(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().lower()[:2]
    return value if value in LANGS else None


def from_accept_language(header: str | None) -> str | None:
    if not header:
        return None
    ranked = []
    for part in header.split(","):
        lang, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        code = normalise_lang(lang)
        if code:
            ranked.append((weight, code))
    ranked.sort(key=lambda item: -item[0])
    return ranked[0][1] if ranked else None


def money(cents: int | None, lang: str = DEFAULT_LANG) -> str:
    """Integer cents as the user reads money: ``123450`` → ``1 234,50 €`` in Finnish."""
    if cents is None:
        return ""
    amount = Decimal(int(cents)) / 100
    return format_currency(amount, "EUR", locale=LOCALES.get(lang, "fi_FI"))


def local_datetime(value: datetime | str | None, lang: str = DEFAULT_LANG) -> str:
    """A moment as a person reads it, in Helsinki time (an ISO text is read first)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return _babel_datetime(value, format="short", tzinfo=HELSINKI, locale=LOCALES.get(lang, "fi_FI"))


def local_date(value: date | datetime | str | None, lang: str = DEFAULT_LANG) -> str:
    """A day as a person reads it ("27.11.2026"); an ISO text (a day or a moment) is read first."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if len(value) > 10 else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.astimezone(HELSINKI).date()
    return _babel_date(value, format="medium", locale=LOCALES.get(lang, "fi_FI"))


def event_label(action: str, lang: str = DEFAULT_LANG) -> str:
    """An audit event's name as people read it ("provider_approval.approve" → "Palveluntuottaja
    hyväksyttiin"): the catalogue's ``event.<action>``, never the internal name itself."""
    key = f"event.{action}"
    return t(key if key in _CATALOGUE else "event.other", lang)


def date_range(start: date | str | None, end: date | str | None, lang: str = DEFAULT_LANG) -> str:
    """A period the way the language writes one: "1.1.–31.12.2026", "1 Jan – 31 Dec 2026"."""
    start, end = (date.fromisoformat(v[:10]) if isinstance(v, str) and v else v for v in (start, end))
    if not start or not end:
        return local_date(start or end, lang)
    return format_interval(start, end, "yMMMd" if lang == "en" else "yMd", locale=LOCALES.get(lang, "fi_FI"))


def local_time(value: datetime, lang: str = DEFAULT_LANG) -> str:
    """A time of day in Helsinki, in the locale's own format: "14.35"."""
    return format_skeleton("Hm", value, tzinfo=HELSINKI, locale=LOCALES.get(lang, "fi_FI"))


def time_range(start: datetime, end: datetime, lang: str = DEFAULT_LANG) -> str:
    """From and to on one day, in Helsinki time: "11.20–11.30"."""
    # Each end in the locale's own time format (Babel's interval patterns for en_FI fall back to
    # en's colon while its times use a period), joined by an en dash: one page, one way of writing times.
    return f"{local_time(start, lang)}–{local_time(end, lang)}"


def month_label(value: date, lang: str = DEFAULT_LANG) -> str:
    """A month in a chart's axis: "tammi 26", "jan. 26", "Jan 26" (the language's own abbreviation)."""
    return _babel_date(value, "LLL yy", locale=LOCALES.get(lang, "fi_FI"))


def pick(texts: dict[str, str] | None, lang: str) -> str:
    """The text in ``lang`` from a {fi, sv, en} mapping, falling back to Finnish."""
    if not texts:
        return ""
    return texts.get(lang) or texts.get("fi") or next(iter(texts.values()), "")
