"""Words for the same service in Finnish, Swedish and English, so a query in one language finds
listings written in another ("målning" finds "Maalausryhmä", "wheelchair taxi" finds
"Invataksi"). Most listings are written in Finnish only; a Swedish- or English-speaking client
must still find them.

Each group holds words that name the same thing in the social-care sense; a query word belongs to
a group when it equals one of its words (case and diacritics folded) or has the same stem key in
that word's language (so inflected forms belong too: "målningar", "ratsastusta"). The embedded
backend then also looks for the group's other words, as compound parts too ("maalaus" inside
"maalausryhmä"), ranked like a compound part: below the word as typed and its inflected forms.
The Meilisearch documents carry the group words of their own words (``search.meili``), so both
backends find the same listings.

Keep groups narrow: a word that means several things (Swedish "stöd", English "ride") stays out,
and so do words so short that their stem would join unrelated words.
"""

from functools import lru_cache

from search.analysis import STEMMERS, compound_part, fold

_GROUPS: tuple[dict[str, tuple[str, ...]], ...] = (
    {"fi": ("ratsastus",), "sv": ("ridning", "ridterapi"), "en": ("riding",)},
    {"fi": ("hevonen", "hevos"), "sv": ("häst",), "en": ("horse",)},
    {"fi": ("maalaus", "maalaaminen"), "sv": ("målning",), "en": ("painting",)},
    {"fi": ("taide",), "sv": ("konst",), "en": ("art",)},
    {"fi": ("opetus", "oppitunti"), "sv": ("undervisning", "lektion"), "en": ("lesson", "lessons", "teaching")},
    {"fi": ("musiikki",), "sv": ("musik",), "en": ("music",)},
    {"fi": ("laulu", "laulaminen"), "sv": ("sång",), "en": ("singing",)},
    {"fi": ("tanssi",), "sv": ("dans",), "en": ("dance", "dancing")},
    {"fi": ("teatteri",), "sv": ("teater",), "en": ("theatre", "theater")},
    {"fi": ("keramiikka", "savipaja"), "sv": ("keramik",), "en": ("ceramics", "pottery")},
    {"fi": ("käsityö",), "sv": ("hantverk",), "en": ("handicraft", "crafts")},
    {"fi": ("terapia",), "sv": ("terapi",), "en": ("therapy",)},
    {"fi": ("fysioterapia", "fysioterapeutti"), "sv": ("fysioterapi", "sjukgymnastik"),
     "en": ("physiotherapy", "physiotherapist", "physio")},
    {"fi": ("puheterapia",), "sv": ("talterapi", "logoped"), "en": ("logopedics",)},
    {"fi": ("toimintaterapia",), "sv": ("arbetsterapi",), "en": ("ergotherapy",)},
    {"fi": ("psykoterapia",), "sv": ("psykoterapi",), "en": ("psychotherapy",)},
    {"fi": ("kuntoutus",), "sv": ("rehabilitering",), "en": ("rehabilitation", "rehab")},
    {"fi": ("hieronta",), "sv": ("massage",), "en": ("massage",)},
    {"fi": ("jalkahoito",), "sv": ("fotvård",), "en": ("podiatry", "pedicure")},
    {"fi": ("taksi", "invataksi"), "sv": ("taxi",), "en": ("taxi", "cab")},
    {"fi": ("kuljetus", "kyyti"), "sv": ("färdtjänst", "skjuts", "transport"), "en": ("transport", "transportation")},
    # A wheelchair taxi is not every place a wheelchair is mentioned: the taxi and the chair are two groups.
    {"fi": ("invataksi", "invakuljetus"), "sv": ("invataxi", "rullstolstaxi")},
    {"fi": ("pyörätuoli",), "sv": ("rullstol",), "en": ("wheelchair",)},
    {"fi": ("saattaja", "saattajapalvelu"), "sv": ("ledsagare", "ledsagning"), "en": ("escort",)},
    {"fi": ("asiointi",), "sv": ("ärenden",), "en": ("errands",)},
    {"fi": ("siivous", "kotisiivous"), "sv": ("städning",), "en": ("cleaning",)},
    {"fi": ("kotiapu", "kotipalvelu"), "sv": ("hemhjälp", "hemtjänst")},
    {"fi": ("ateria", "ruoka"), "sv": ("måltid", "mat"), "en": ("meal", "meals", "food")},
    {"fi": ("ruoanlaitto", "kokkaus"), "sv": ("matlagning",), "en": ("cooking",)},
    {"fi": ("sauna", "saunotus"), "sv": ("bastu",), "en": ("sauna",)},
    {"fi": ("koti", "kotona", "kotiin"), "sv": ("hem", "hemma"), "en": ("home",)},
    {"fi": ("omaishoitaja", "omaishoito"), "sv": ("närståendevårdare", "närståendevård"),
     "en": ("carer", "carers", "caregiver", "caregivers")},
    {"fi": ("lomitus", "intervallihoito", "omaishoidonvapaa"), "sv": ("avlösning", "avlastning"), "en": ("respite",)},
    {"fi": ("vertaistuki", "vertaistukiryhmä"), "sv": ("kamratstöd",), "en": ("peer",)},
    {"fi": ("päivätoiminta",), "sv": ("dagverksamhet",), "en": ("daycare",)},
    {"fi": ("valmennus",), "sv": ("coachning",), "en": ("coaching",)},
    {"fi": ("työvalmennus", "työtoiminta"), "sv": ("arbetsverksamhet",), "en": ("employment",)},
    {"fi": ("ikäihminen", "ikääntynyt", "vanhus", "seniori"), "sv": ("äldre", "senior", "pensionär"),
     "en": ("elderly", "senior", "seniors", "older")},
    {"fi": ("lapsi",), "sv": ("barn",), "en": ("child", "children", "kids")},
    {"fi": ("nuori", "nuoret", "nuorille"), "sv": ("ungdom", "unga"), "en": ("youth", "young")},
    {"fi": ("muistisairaus", "muistisairas", "muisti", "dementia"), "sv": ("minnessjukdom", "demens"),
     "en": ("dementia", "memory")},
    {"fi": ("vammainen", "vammaiset", "kehitysvamma", "kehitysvammainen"), "sv": ("funktionsnedsättning", "funktionshinder"),
     "en": ("disability", "disabled", "disabilities")},
    {"fi": ("uinti", "uiminen", "uimaopetus", "allas"), "sv": ("simning", "simundervisning"),
     "en": ("swimming", "pool")},
    {"fi": ("liikunta", "urheilu"), "sv": ("motion", "idrott"), "en": ("exercise", "sport", "sports")},
    {"fi": ("kuntosali",), "sv": ("gym",), "en": ("gym",)},
    {"fi": ("maatila",), "sv": ("gård", "bondgård"), "en": ("farm",)},
    {"fi": ("eläin", "eläimet", "eläimiä", "eläinavusteinen"), "sv": ("djur",), "en": ("animal", "animals")},
    {"fi": ("koira",), "sv": ("hund",), "en": ("dog", "dogs")},
    {"fi": ("puutarha",), "sv": ("trädgård",), "en": ("garden", "gardening")},
    {"fi": ("luonto",), "sv": ("natur",), "en": ("nature",)},
    {"fi": ("kalastus",), "sv": ("fiske",), "en": ("fishing",)},
    {"fi": ("leiri",), "sv": ("läger",), "en": ("camp",)},
    {"fi": ("retki",), "sv": ("utflykt",), "en": ("excursion", "trip")},
    {"fi": ("tulkkaus", "tulkki"), "sv": ("tolk", "tolkning"), "en": ("interpreter", "interpreting")},
    {"fi": ("viittomakieli",), "sv": ("teckenspråk",), "en": ("sign",)},
    {"fi": ("digituki",), "sv": ("digistöd",), "en": ("digital",)},
)

# A query word shorter than this pulls in a group only when it is one of the group's words as written
# ("art", "gym"), never by its stem.
_MIN_QUERY_WORD = 4


def _forms(lang: str, word: str) -> tuple[str, str]:
    folded = fold(word)
    return folded, STEMMERS[lang](folded)


# (lang, stem key) → groups, and folded word → groups.
_BY_STEM: dict[tuple[str, str], set[int]] = {}
_BY_WORD: dict[str, set[int]] = {}
_MEMBERS: list[tuple[tuple[str, str], ...]] = []
for _number, _group in enumerate(_GROUPS):
    _members = []
    for _lang, _words in _group.items():
        for _word in _words:
            _folded, _stem = _forms(_lang, _word)
            _members.append((_lang, _folded))
            _BY_WORD.setdefault(_folded, set()).add(_number)
            _BY_STEM.setdefault((_lang, _stem), set()).add(_number)
    _MEMBERS.append(tuple(_members))


def _groups(folded: str, langs) -> set[int]:
    """Groups holding the folded word as written, or its stem key in one of `langs`."""
    found = set(_BY_WORD.get(folded, ()))
    for lang in langs:
        found |= _BY_STEM.get((lang, STEMMERS[lang](folded)), set())
    return found


@lru_cache(maxsize=50_000)
def groups_of(folded: str) -> frozenset[int]:
    """The groups a folded query word belongs to, as written or by its stem in any language (the
    query's language is unknown)."""
    if len(folded) < _MIN_QUERY_WORD and folded not in _BY_WORD:
        return frozenset()
    return frozenset(_groups(folded, STEMMERS))


def equivalents(folded: str) -> tuple[tuple[str, str], ...]:
    """The other words of the word's groups, as (language, folded word)."""
    out: dict[tuple[str, str], None] = {}
    for number in sorted(groups_of(folded)):
        for member in _MEMBERS[number]:
            if member[1] != folded:
                out[member] = None
    return tuple(out)


def equivalent_keys(folded: str) -> tuple[list[str], list[str]]:
    """What the embedded index looks for in the word's stead: index keys (each equivalent as a word
    and as its stem key in its language) and the strings to look for inside compounds."""
    keys: list[str] = []
    parts: list[str] = []
    for lang, word in equivalents(folded):
        keys += [word, f"{lang}:{STEMMERS[lang](word)}"]
        part = compound_part(word) if lang == "fi" else None
        if part and len(part) >= 5:
            parts.append(part)
    return keys, parts


def document_equivalents(lang: str, folded: str) -> set[str]:
    """For a document's word in `lang`: the folded words of the groups it belongs to (by its stem in
    that language or as written), for engines that only match words (Meilisearch)."""
    return {word for number in _groups(folded, (lang,)) for _, word in _MEMBERS[number] if word != folded}
