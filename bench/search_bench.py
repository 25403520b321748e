"""Search benchmark: 100k generated listings in the embedded backend (tantivy) beside the
hand-written in-memory index it replaced and a naive SQL LIKE baseline, in one run.

    .venv/bin/python bench/search_bench.py [--docs 100000] [--rounds 3]

Each backend runs in a child process of its own, so its resident memory is its own. For each it
prints the build time (tantivy: a whole new generation, as `hb search reindex` writes it; the old
index: writing its SQLite store, then building the in-memory index), the p50/p95 latency (all
rounds, and the first round alone, before any cache is warm) of a fixed mixed query list (exact,
inflected, typo, prefix, compound, Swedish and English words, filters, empty query with facets),
how long one changed listing takes to be found, the resident memory the index added (and
tantivy's files on disk), and the relevance of the labelled set of tests/search/test_relevance.py
(mean nDCG@10). The machine's load average is printed beside the figures: the cores may be shared.

The old index lives on only here, in bench/legacy_index/, so that both are measured in one run.
The LIKE baseline is what a first version would do: `lower(title || description) LIKE '%word%'`
per word on a plain SQLite table with the same filters, a count, a page of 20 and GROUP BY counts
for the category, municipality and delivery-mode facets. Its results are not the same (no typos,
stems or compounds): it is a floor for the cost of scanning, not a competitor in quality.
"""

import argparse
import asyncio
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from search.documents import ListingDocument, SearchQuery  # noqa: E402

SEED = 20261128
CATEGORIES = {
    "day-activities": (("Päiväaikainen toiminta", "Dagverksamhet", "Day activities"),
                       ["päivätoiminta", "työtoiminta", "päiväkeskus", "kerhotoiminta", "virkistystoiminta"]),
    "respite": (("Omaishoitajan vapaat", "Ledighet för närståendevårdare", "Family carer respite"),
                ["omaishoitajan vapaa", "tilapäishoito", "sijaishoito", "lyhytaikaishoito", "perhehoito"]),
    "transport": (("Kuljetuspalvelut", "Transporttjänster", "Transport services"),
                  ["invataksi", "asiointikyyti", "taksikuljetus", "saattajapalvelu", "kimppakyyti"]),
    "home-help": (("Kotipalvelu", "Hemservice", "Home help"),
                  ["siivouspalvelu", "kotiapu", "ateriapalvelu", "kauppa-apu", "pihatyöt"]),
    "coaching": (("Henkilökohtainen valmennus", "Personlig coachning", "Personal coaching"),
                 ["arjen valmennus", "työvalmennus", "opiskeluvalmennus", "elämäntaitovalmennus"]),
    "therapy": (("Terapia ja kuntoutus", "Terapi och rehabilitering", "Therapy and rehabilitation"),
                ["fysioterapia", "puheterapia", "toimintaterapia", "musiikkiterapia", "allasterapia", "hieronta"]),
    "art-culture": (("Taide ja kulttuuri", "Konst och kultur", "Art and culture"),
                    ["taideopetus", "maalauskurssi", "keramiikkapaja", "teatteriryhmä", "musiikkiopetus"]),
    "sport-riding": (("Liikunta ja ratsastus", "Idrott och ridning", "Sport and riding"),
                     ["ratsastusterapia", "ratsastus", "kuntosaliohjaus", "uimaopetus", "tanssi"]),
    "green-care": (("Green care ja sosiaalinen maatalous", "Grön omsorg", "Green care and social farming"),
                   ["hoivamaatila", "eläinavusteinen toiminta", "puutarhaterapia", "luontoretket"]),
    "peer-support": (("Vertaistuki", "Kamratstöd", "Peer support"),
                     ["vertaistukiryhmä", "vertaistuki", "keskusteluryhmä", "kokemusasiantuntija"]),
    "digital": (("Digitaaliset palvelut", "Digitala tjänster", "Digital services"),
                ["digituki", "etäjumppa", "videopuhelupalvelu", "etäohjaus"]),
}
AUDIENCES = ["lapsille", "nuorille", "aikuisille", "ikäihmisille", "omaishoitajille", "kehitysvammaisille",
             "muistisairaille", "mielenterveyskuntoutujille", "perheille", "näkövammaisille"]
PLACES = ["kotiin", "kotona", "ryhmässä", "verkossa", "maatilalla", "tallilla", "palvelutalossa", "yksilöllisesti"]
MUNICIPALITIES = ["Järvenpää", "Kerava", "Tuusula", "Mäntsälä", "Nurmijärvi", "Hyvinkää", "Helsinki", "Espoo",
                  "Vantaa", "Porvoo", "Sipoo", "Pornainen", "Lahti", "Hämeenlinna", "Riihimäki", "Lohja",
                  "Kirkkonummi", "Vihti", "Tampere", "Turku", "Oulu", "Jyväskylä", "Kuopio", "Pori", "Kotka",
                  "Loviisa", "Raasepori", "Hanko", "Salo", "Kouvola"]
SURNAMES = ["Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen",
            "Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen", "Niemi",
            "Heikkilä", "Kinnunen", "Salonen", "Turunen", "Salo", "Laitinen", "Tuominen", "Rantanen",
            "Karjalainen", "Jokinen", "Mattila", "Savolainen", "Lahtinen", "Ahonen"]
FORMS = ["Oy", "Tmi", "ry", "Ky", "Osuuskunta", "Palvelut", "Hoiva", "Keskus"]
SENTENCES = [
    "Palvelu sopii {audience} ja se järjestetään {place}.",
    "Ohjaajamme ovat kokeneita ja koulutettuja {field}n ammattilaisia.",
    "Toiminta tukee arjen jaksamista, osallisuutta ja hyvinvointia.",
    "Hintaan sisältyvät välineet ja tarvittaessa kuljetus {municipality}n alueella.",
    "Esteettömät tilat, induktiosilmukka ja pyörätuolilla pääsee.",
    "Ryhmät ovat pieniä, ja jokaiselle laaditaan oma tavoite.",
    "Tarjoamme palvelua suomeksi ja ruotsiksi, tarvittaessa selkokielellä.",
    "Ensimmäinen tapaaminen on maksuton tutustumiskäynti.",
]
UNITS = {"transport": "km", "respite": "day", "day-activities": "day", "home-help": "hour", "coaching": "hour"}
ACCESSIBILITY = ["wheelchair_access", "induction_loop", "accessible_toilet", "easy_language", "sign_language"]
ORGANISERS = ["org-keusote", "org-vantaa-kerava", "org-helsinki", "org-lansi-uusimaa", "org-ita-uusimaa"]


def brand(rng: random.Random) -> str:
    syllables = ["ka", "lo", "mi", "su", "va", "ri", "tu", "ne", "ho", "pa", "ää", "ön", "ke", "li", "sa", "ro"]
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()


def generate(count: int) -> list[ListingDocument]:
    rng = random.Random(SEED)
    docs = []
    for n in range(count):
        category = rng.choice(list(CATEGORIES))
        names, services = CATEGORIES[category]
        service = rng.choice(services)
        municipality = rng.choice(MUNICIPALITIES)
        audience = rng.choice(AUDIENCES)
        title = f"{service.capitalize()} {audience}"
        if rng.random() < 0.4:
            title += f" {rng.choice(PLACES)}"
        fill = {"audience": audience, "place": rng.choice(PLACES), "field": service.split()[0],
                "municipality": municipality}
        description = " ".join(s.format(**fill) for s in rng.sample(SENTENCES, 4))
        titles = {"fi": title}
        if rng.random() < 0.2:
            titles["sv"] = f"{names[1]} – {brand(rng)}"
        if rng.random() < 0.15:
            titles["en"] = f"{names[2]} by {brand(rng)}"
        provider = f"{brand(rng)} {rng.choice(SURNAMES)} {rng.choice(FORMS)}"
        docs.append(ListingDocument(
            id=f"bench-{n:06d}", organisers=rng.sample(ORGANISERS, rng.randint(1, 2)),
            provider_id=f"prov-{rng.randint(1, 4000):05d}", provider_name=provider, category=category,
            category_names=dict(zip(("fi", "sv", "en"), names)), title=titles,
            description={"fi": description}, price_cents=rng.randrange(500, 20000, 50),
            unit=UNITS.get(category, "session"), municipality=municipality,
            delivery_mode=rng.choice(["at_provider", "at_provider", "at_client_home", "online"]),
            languages=["fi"] + (["sv"] if rng.random() < 0.25 else []) + (["en"] if rng.random() < 0.1 else []),
            accessibility=rng.sample(ACCESSIBILITY, rng.choice([0, 0, 1, 2])),
            updated_at="2026-11-28T10:00:00+02:00",
        ))
    return docs


QUERIES = [
    SearchQuery(q="ratsastusterapia"), SearchQuery(q="fysioterapia"), SearchQuery(q="invataksi"),
    SearchQuery(q="ratsastusta"), SearchQuery(q="terapiassa"), SearchQuery(q="kotiin"),
    SearchQuery(q="ratsastsuterapia"), SearchQuery(q="fysiotreapia"), SearchQuery(q="päivätoimnta"),
    SearchQuery(q="rats"), SearchQuery(q="fysio"), SearchQuery(q="vertais"), SearchQuery(q="k"),
    SearchQuery(q="taksi"), SearchQuery(q="terapia"), SearchQuery(q="opetus"), SearchQuery(q="kyyti"),
    SearchQuery(q="taksi pyörätuoli"), SearchQuery(q="päivätoiminta ikäihmisille kerava"),
    SearchQuery(q="paivatoiminta"), SearchQuery(q="ridning"), SearchQuery(q="transport"),
    SearchQuery(q="terapia", municipalities=["Kerava", "Tuusula"]),
    SearchQuery(q="ratsastus", categories=["sport-riding"], max_price_cents=6000),
    SearchQuery(q="kuljetus", accessible=True, organiser="org-keusote"),
    SearchQuery(q="valmennus", delivery_mode="online", language="sv"),
    SearchQuery(q="", page=3), SearchQuery(q="", categories=["therapy"]),
    SearchQuery(q="", municipalities=["Järvenpää"], accessible=True),
    SearchQuery(q="", max_price_cents=3000, organiser="org-helsinki"),
    SearchQuery(q='"ratsastus" AND (terapia) OR -taksi*'),
]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def resident_mb() -> float:
    """This process's resident memory now (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def open_backend(name: str, folder: Path | None):
    if name == "tantivy":
        from search.embedded import EmbeddedBackend

        return EmbeddedBackend(None if folder is None else folder / "search")
    from bench.legacy_index import EmbeddedBackend as LegacyBackend

    return LegacyBackend(None if folder is None else folder / "index.sqlite3")


async def build(name: str, backend, docs: list[ListingDocument]) -> float:
    started = time.perf_counter()
    if name == "tantivy":
        await backend.replace_all(docs)
    else:
        await backend.upsert(docs)
        await backend.warm()
    return time.perf_counter() - started


async def relevance(name: str) -> float:
    from tests.search.listings_fixture import listings
    from tests.search.test_relevance import JUDGEMENTS, ndcg_at_10

    backend = open_backend(name, None)
    await backend.upsert(listings())
    scores = []
    for query, filters, labels in JUDGEMENTS:
        result = await backend.search(SearchQuery(q=query, per_page=10, **filters))
        scores.append(ndcg_at_10([h.id for h in result.hits], labels))
    await backend.close()
    return sum(scores) / len(scores)


async def bench_backend(name: str, docs: list[ListingDocument], folder: Path) -> dict:
    """Build, one cold round of queries, one change after another; the index stays in `folder`."""
    before = resident_mb()
    backend = open_backend(name, folder)
    built = await build(name, backend, docs)
    cold = [await timed(backend, query) for query in QUERIES]
    visible = []
    for n in range(20):
        changed = msgspec.structs.replace(docs[n], title={"fi": f"Kokeilusana{n} palvelu"})
        started = time.perf_counter()
        await backend.upsert([changed])
        result = await backend.search(SearchQuery(q=f"kokeilusana{n}"))
        visible.append((time.perf_counter() - started) * 1000)
        assert result.hits[0].id == changed.id
    report = {"build_s": built, "cold": cold, "visible": visible, "memory_mb": resident_mb() - before,
              "disk_mb": folder_mb(folder)}
    await backend.close()
    report["ndcg"] = await relevance(name)
    return report


async def timed(backend, query: SearchQuery) -> float:
    started = time.perf_counter()
    result = await backend.search(query)
    assert result.total >= 0
    return (time.perf_counter() - started) * 1000


async def interleaved(folders: dict[str, Path], rounds: int) -> dict[str, list[float]]:
    """Both indexes open in one process, each query asked of one then the other, so that both
    meet the same load from whatever else the machine runs."""
    backends = {name: open_backend(name, folder) for name, folder in folders.items()}
    for backend in backends.values():
        await backend.warm()
    samples: dict[str, list[float]] = {name: [] for name in backends}
    for _ in range(rounds):
        for query in QUERIES:
            for name, backend in backends.items():
                samples[name].append(await timed(backend, query))
    for backend in backends.values():
        await backend.close()
    return samples


def child(name: str, count: int, folder: Path) -> None:
    report = asyncio.run(bench_backend(name, generate(count), folder))
    print(json.dumps(report))


def run_child(name: str, count: int, folder: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--docs", str(count), "--child", name, "--folder", str(folder)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def like_baseline(docs: list[ListingDocument], folder: Path, rounds: int) -> list[float]:
    db = sqlite3.connect(folder / "baseline.sqlite3")
    db.execute(
        "CREATE TABLE listing (id TEXT PRIMARY KEY, title TEXT, description TEXT, category TEXT,"
        " municipality TEXT, delivery_mode TEXT, languages TEXT, accessible INTEGER, price_cents INTEGER,"
        " organisers TEXT)"
    )
    started = time.perf_counter()
    db.executemany(
        "INSERT INTO listing VALUES (?,?,?,?,?,?,?,?,?,?)",
        [(d.id, " ".join(d.title.values()), " ".join(d.description.values()), d.category, d.municipality,
          d.delivery_mode, " ".join(d.languages), int(bool(d.accessibility)), d.price_cents,
          " ".join(d.organisers)) for d in docs],
    )
    db.commit()
    print(f"LIKE baseline: loaded the table in {time.perf_counter() - started:.1f} s")
    samples = []
    for _ in range(rounds):
        for query in QUERIES:
            started = time.perf_counter()
            where, params = like_where(query)
            db.execute(f"SELECT count(*) FROM listing WHERE {where}", params).fetchone()
            offset = (max(query.page, 1) - 1) * query.per_page
            db.execute(f"SELECT id, title FROM listing WHERE {where} LIMIT ? OFFSET ?",
                       [*params, query.per_page, offset]).fetchall()
            for column in ("category", "municipality", "delivery_mode"):
                db.execute(f"SELECT {column}, count(*) FROM listing WHERE {where} GROUP BY {column}", params).fetchall()
            samples.append((time.perf_counter() - started) * 1000)
    db.close()
    return samples


def like_where(query: SearchQuery) -> tuple[str, list]:
    clauses, params = ["1"], []
    for word in query.q.split():
        clauses.append("lower(title || ' ' || description) LIKE ?")
        params.append(f"%{word.lower()}%")
    for column, values in (("category", query.categories), ("municipality", query.municipalities)):
        if values:
            clauses.append(f"{column} IN ({','.join('?' * len(values))})")
            params += values
    if query.delivery_mode:
        clauses.append("delivery_mode = ?")
        params.append(query.delivery_mode)
    if query.language:
        clauses.append("(' ' || languages || ' ') LIKE ?")
        params.append(f"% {query.language} %")
    if query.organiser:
        clauses.append("(' ' || organisers || ' ') LIKE ?")
        params.append(f"% {query.organiser} %")
    if query.accessible:
        clauses.append("accessible = 1")
    if query.max_price_cents is not None:
        clauses.append("price_cents <= ?")
        params.append(query.max_price_cents)
    return " AND ".join(clauses), params


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", choices=["tantivy", "legacy"], help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.docs, args.folder)
        return
    print(f"{args.docs} generated listings, {len(QUERIES)} queries x {args.rounds} rounds; {load()}")
    names = {"tantivy": "embedded (tantivy)", "legacy": "old in-memory index"}
    with tempfile.TemporaryDirectory() as tmp:
        folders = {name: Path(tmp) / name for name in names}
        reports = {}
        for name, folder in folders.items():
            folder.mkdir()
            reports[name] = run_child(name, args.docs, folder)
            print(f"  {name} built and measured in its own process; {load()}")
        warm = asyncio.run(interleaved(folders, args.rounds))
        print(f"  both asked the queries in turn; {load()}")
        baseline = like_baseline(generate(args.docs), Path(tmp), args.rounds)
    print()
    print(f"{'':>22} {'build':>8} {'p50':>8} {'p95':>8} {'cold p50':>9} {'cold p95':>9} {'change':>8}"
          f" {'memory':>8} {'disk':>8} {'nDCG@10':>8}")
    for name, report in reports.items():
        p50, p95 = percentiles(warm[name])
        c50, c95 = percentiles(report["cold"])
        _, seen = percentiles(report["visible"])
        print(f"{names[name]:>22} {report['build_s']:7.2f}s {p50:6.2f}ms {p95:6.2f}ms {c50:7.2f}ms {c95:7.2f}ms"
              f" {seen:6.1f}ms {report['memory_mb']:6.0f}MB {report['disk_mb']:6.0f}MB {report['ndcg']:8.3f}")
    p50, p95 = percentiles(baseline)
    print(f"{'LIKE baseline':>22} {'':>8} {p50:6.2f}ms {p95:6.2f}ms")
    for name in reports:
        last = warm[name][-len(QUERIES):]
        slowest = sorted(zip(last, (q.q or "(empty)" for q in QUERIES)), reverse=True)[:3]
        print(f"  {names[name]}, slowest in the last round: " + ", ".join(f"{q!r} {ms:.1f} ms" for ms, q in slowest))
    print("  p50/p95: both open in one process, each query asked of one then the other; cold: the first round,"
          " in the process that built the index; change: p95 of one listing changed, then found by the next"
          " search; memory: resident memory the build, the cold round and the changes added; disk: its files")
    print(f"  {load()}")


if __name__ == "__main__":
    main()
