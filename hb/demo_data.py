"""The demo data set behind `hb demo`, as one `hb-import/1` document.

`build_demo_document()` is pure and deterministic: every call returns an equal, freshly built
dict (fixed seed, fixed dates, no clock), so the demo loader can feed it to the importer and
re-run it idempotently. The data imitate a Keski-Uusimaa (Keusote) pilot that has grown past
its first three services (omaishoitajan vapaat, päiväaikainen toiminta, kuljetuspalvelut; seed
004) into the non-traditional services Sitra's report names (taideopetus kotiin, omavalmennus,
allasterapia, ratsastus, sosiaalinen maanviljely, järjestöjen vertaistuki; seed 003), with a
second county so that per-organiser approvals show.

Everything is fictional: provider business IDs and IBANs are generated with valid check digits
but belong to no-one, e-mail addresses sit under `.example`, clients are pseudonyms
("Asiakas 0001") with no national identity numbers. The three providers, three listings and the
first client of `formats/import-example.json` reappear unchanged in substance, so importing the
example and then the demo updates rather than duplicates.

`DEMO_USERS` are the sign-in accounts the loader creates, one per role; their passwords are
printed in the README and are for the demo only.
"""

import random
from dataclasses import dataclass

from schwifty import IBAN

__all__ = ["DEMO_USERS", "FORMAT", "REQUIREMENTS", "build_demo_document"]

FORMAT = "hb-import/1"
SEED = 20260101

APPROVED = "approved"
PENDING = "pending"
REJECTED = "rejected"
CHANGES_REQUESTED = "changes_requested"
SUSPENDED = "suspended"

KEUSOTE = "org-keusote"
VAKEHYVA = "org-vakehyva"

DECISION_START = "2026-01-01"
DECISION_END = "2026-12-31"

# Canonical order of requirement codes (evidence dicts follow it).
REQUIREMENTS = (
    "prepayment_register",
    "liability_insurance",
    "private_social_services_registration",
    "taxi_licence",
    "professional_qualification",
    "food_safety",
)

_ORGANISERS = (
    {
        "ref": KEUSOTE,
        "name": "Keski-Uudenmaan hyvinvointialue",
        "business_id": "5908301-5",
        "municipalities": ["Hyvinkää", "Järvenpää", "Mäntsälä", "Nurmijärvi", "Pornainen", "Tuusula"],
    },
    {
        "ref": VAKEHYVA,
        "name": "Vantaan ja Keravan hyvinvointialue",
        # DEMO VALUE: generated from SEED with a valid check digit; it is not the county's real
        # business ID. Replace before using this record outside the demo.
        "business_id": None,
        "municipalities": ["Vantaa", "Kerava"],
    },
)

_CATEGORIES = (
    ("day-activities", "Päiväaikainen toiminta", "Dagverksamhet", "Day activities", True,
     ("prepayment_register", "liability_insurance", "private_social_services_registration")),
    ("carer-respite", "Omaishoitajan vapaat", "Närståendevårdares ledighet", "Family carer respite", True,
     ("prepayment_register", "liability_insurance", "private_social_services_registration")),
    ("transport", "Kuljetuspalvelut", "Färdtjänst", "Transport services", True,
     ("prepayment_register", "liability_insurance", "taxi_licence")),
    ("home-help", "Kotiapu", "Hemhjälp", "Home help", True,
     ("prepayment_register", "liability_insurance", "private_social_services_registration")),
    ("coaching", "Henkilökohtainen valmennus", "Personlig coachning", "Personal coaching", False,
     ("prepayment_register", "liability_insurance")),
    ("therapy", "Terapia ja kuntoutus", "Terapi och rehabilitering", "Therapy and rehabilitation", True,
     ("prepayment_register", "liability_insurance", "professional_qualification")),
    ("culture-art", "Kulttuuri ja taide", "Kultur och konst", "Culture and art", False,
     ("prepayment_register",)),
    ("sport-riding", "Liikunta ja ratsastus", "Motion och ridning", "Sport and riding", False,
     ("prepayment_register", "liability_insurance")),
    ("social-farming", "Sosiaalinen maatila ja green care", "Social gårdsverksamhet och green care",
     "Social farming and green care", False,
     ("prepayment_register", "liability_insurance", "food_safety")),
    # Associations' peer groups are mostly non-profit and outside the prepayment register;
    # the organiser asks only for insurance (seed 003: "järjestöjen tuottamat palvelut").
    ("peer-support", "Vertaistuki", "Kamratstöd", "Peer support", False,
     ("liability_insurance",)),
    ("digital", "Digitaaliset palvelut", "Digitala tjänster", "Digital services", False,
     ("prepayment_register",)),
)
_CATEGORY_REQUIREMENTS = {code: reqs for code, *_, reqs in _CATEGORIES}

# Post codes by municipality, for fictional but plausible street addresses; the post town is
# the municipality unless named here.
_POST_CODES = {
    "Hyvinkää": ("05800", "05820", "05830", "05880"),
    "Järvenpää": ("04400", "04410", "04420", "04430"),
    "Mäntsälä": ("04600", "04660", "04740"),
    "Nurmijärvi": ("01900", "01800", "05200"),
    "Pornainen": ("07170",),
    "Tuusula": ("04300", "04500", "05400"),
    "Vantaa": ("01300", "01600", "01510", "01730"),
    "Kerava": ("04200", "04230", "04250"),
}
_POST_TOWNS = {"04660": "Numminen", "04740": "Sälinkää", "01800": "Klaukkala", "05200": "Rajamäki",
               "04500": "Kellokoski", "05400": "Jokela"}
_STREETS = (
    "Asemankatu", "Kauppakatu", "Koulutie", "Myllytie", "Rantatie", "Kirkkotie", "Puistokatu",
    "Teollisuustie", "Pajatie", "Koivukuja", "Mäntytie", "Urheilutie", "Torikatu", "Haapatie",
)
# Finnish bank codes known to schwifty's registry (Nordea, Aktia, POP, OP, Danske, S-Pankki,
# Ålandsbanken, Säästöpankki).
_BANK_CODES = ("100", "178", "405", "470", "500", "574", "555", "800", "340", "360", "600", "715")


@dataclass(frozen=True)
class _Listing:
    slug: str
    category: str
    title: str
    description: str
    price_cents: int
    unit: str
    delivery_mode: str
    municipality: str
    accessibility: tuple[str, ...] = ()
    capacity: int = 1
    sv: tuple[str, str | None] | None = None  # (title, description)
    en: tuple[str, str | None] | None = None
    languages: tuple[str, ...] | None = None  # default: the provider's languages
    review: str = APPROVED  # status wherever the provider itself is approved
    ref: str | None = None  # default: lst-<provider>-<slug>


@dataclass(frozen=True)
class _Provider:
    ref: str
    name: str
    email: str
    languages: tuple[str, ...]
    municipalities: tuple[str, ...]
    approvals: tuple[tuple[str, str], ...]
    listings: tuple[_Listing, ...]
    issue_api_key: bool = False
    street: str | None = None  # the home base, in the first municipality
    missing_evidence: tuple[str, ...] = ()
    fixed: dict | None = None  # business_id/iban/phone kept as in import-example.json


L = _Listing
K_OK = ((KEUSOTE, APPROVED),)

_PROVIDERS = (
    # --- the three providers of import-example.json, as they are there -----------------------
    _Provider(
        "prov-tuulenpesa", "Talli Tuulenpesä Oy", "talli@tuulenpesa.example", ("fi", "sv"),
        ("Nurmijärvi", "Tuusula"), K_OK, issue_api_key=True, street="Tuulenpesäntie",
        fixed={"business_id": "9603082-8", "iban": "FI3317877893287921", "phone": "+358401234567"},
        listings=(
            L("ratsastusterapia", "sport-riding", "Ratsastusterapia",
              "Fysioterapeutin ohjaama ratsastusterapia, 45 min. Esteetön nousuramppi.",
              7500, "session", "at_provider", "Nurmijärvi", ("wheelchair_access",),
              sv=("Ridterapi", None), ref="lst-ratsastusterapia"),
            L("talutusratsastus", "sport-riding", "Talutusratsastus",
              "Rauhallinen talutusratsastus tutulla ponilla, 30 min. Sopii myös ensikertalaisille ja "
              "aikuisille, joilla on tasapainon haasteita.",
              3500, "session", "at_provider", "Nurmijärvi", ("wheelchair_access",),
              sv=("Ledridning", "Lugn ledridning på en van ponny, 30 min. Passar även nybörjare och "
                                "vuxna med balanssvårigheter.")),
            L("tallipaiva", "sport-riding", "Tallipäivä pienryhmälle",
              "Hevosten harjausta, ruokintaa ja tallitöitä ohjaajan kanssa. Päivään kuuluu lounas ja "
              "lyhyt ratsastushetki, ryhmässä enintään neljä osallistujaa.",
              8900, "day", "at_provider", "Nurmijärvi", ("accessible_toilet",), capacity=4),
            L("ratsastusleiri", "sport-riding", "Kesän ratsastusleiri (5 päivää)",
              "Viiden päivän päiväleiri kesäkuussa: hevosten hoitoa, ratsastusta ja maastoretki. "
              "Avustaja mukana koko päivän.",
              39000, "package", "at_provider", "Tuusula", ("wheelchair_access",), capacity=6,
              en=("Summer riding day camp (5 days)", "Five-day camp in June: horse care, riding and a "
                                                     "trail ride. An assistant is present all day.")),
        ),
    ),
    _Provider(
        "prov-sivellin", "Taidepaja Sivellin", "opettaja@sivellin.example", ("fi",),
        ("Järvenpää", "Tuusula", "Hyvinkää"), K_OK, issue_api_key=True, street="Sibeliuksenkatu",
        fixed={"business_id": "1819093-0", "iban": "FI7057421809679290"},
        listings=(
            L("taideopetus-kotiin", "culture-art", "Taideopetus kotiin",
              "Maalausta ja piirtämistä omassa kodissa, 60 min kerta. Välineet mukana.",
              5500, "session", "at_client_home", "Järvenpää", ref="lst-taideopetus-kotiin"),
            L("maalausryhma", "culture-art", "Maalausryhmä aikuisille",
              "Akvarelli- ja akryylimaalausta pienryhmässä kerran viikossa, 90 min. Ohjaaja huomioi "
              "eri tavoin liikkuvat ja näkevät osallistujat.",
              2500, "session", "at_provider", "Järvenpää", ("wheelchair_access", "accessible_toilet"),
              capacity=8),
            L("taidekurssi", "culture-art", "Taidekurssi, 8 kertaa",
              "Kahdeksan kerran kurssi, jossa kokeillaan piirtämistä, grafiikkaa ja kollaasia. "
              "Kaikki materiaalit sisältyvät hintaan.",
              32000, "package", "at_provider", "Hyvinkää", ("wheelchair_access",), capacity=8),
            L("etapiirtaminen", "culture-art", "Piirustustunti etäyhteydellä",
              "Piirtämisen opetusta videoyhteydellä omaan tahtiin, 45 min. Tarvikelista lähetetään "
              "etukäteen.",
              3500, "session", "online", "Tuusula", review=PENDING),
        ),
    ),
    _Provider(
        "prov-kyyti", "Kyyti-Kuljetus Ky", "ajot@kyyti.example", ("fi",),
        ("Hyvinkää", "Mäntsälä"), ((KEUSOTE, PENDING),), issue_api_key=True, street="Teollisuustie",
        missing_evidence=("taxi_licence",),
        fixed={"business_id": "4875749-1", "iban": "FI1688100339075793"},
        listings=(
            L("asiointikyyti", "transport", "Asiointikyyti",
              "Kuljetus kauppaan, pankkiin ja harrastuksiin. Pyörätuolipaikka.",
              180, "km", "at_client_home", "Hyvinkää", ("wheelchair_access",), ref="lst-asiointikyyti"),
            L("harrastuskyyti", "transport", "Harrastuskyyti",
              "Säännöllinen kuljetus harrastukseen ja takaisin, esimerkiksi kerran viikossa samaan "
              "aikaan. Kuljettaja auttaa tarvittaessa sisälle asti.",
              170, "km", "at_client_home", "Mäntsälä"),
        ),
    ),
    # --- riding, sport and swimming ----------------------------------------------------------
    _Provider(
        "prov-hevoshaka", "Talli Hevoshaka Oy", "toimisto@hevoshaka.example", ("fi", "en"),
        ("Mäntsälä", "Pornainen"), K_OK, issue_api_key=True, street="Hevoshaantie",
        listings=(
            L("ratsastusterapia", "sport-riding", "Ratsastusterapia lapsille ja nuorille",
              "Fysioterapeutin ja terapiaratsastajan ohjaama ratsastusterapia, 45 min. Tavoitteena "
              "tasapaino, keskivartalon hallinta ja itseluottamus.",
              7800, "session", "at_provider", "Mäntsälä", ("wheelchair_access",),
              en=("Hippotherapy for children and young people",
                  "Hippotherapy led by a physiotherapist and a therapy rider, 45 min. Focus on "
                  "balance, core control and confidence.")),
            L("vammaisratsastus", "sport-riding", "Soveltava ratsastus ryhmässä",
              "Ratsastusta 2–3 hengen ryhmässä avustajien kanssa, 45 min. Selkään noustaan "
              "nostolaitteen avulla.",
              4800, "session", "at_provider", "Mäntsälä", ("wheelchair_access", "accessible_toilet"),
              capacity=3),
            L("hevosavusteinen-valmennus", "coaching", "Hevosavusteinen valmennus",
              "Valmentava tapaaminen hevosen kanssa maasta käsin: luottamusta, vuorovaikutusta ja "
              "tunteiden säätelyä. Ratsastustaitoa ei tarvita.",
              6900, "session", "at_provider", "Pornainen",
              en=("Equine-assisted coaching", "A coaching session with a horse, on the ground. "
                                              "No riding skills needed.")),
            L("tallikerho", "sport-riding", "Tallikerho nuorille",
              "Viikoittainen kerho 13–20-vuotiaille: hevosten hoitoa, tallitöitä ja yhdessäoloa, 2 h.",
              2200, "session", "at_provider", "Pornainen", capacity=6, review=PENDING),
        ),
    ),
    _Provider(
        "prov-solbacka", "Solbacka Stall Ab", "stallet@solbacka.example", ("sv", "fi"),
        ("Kerava", "Vantaa", "Tuusula"), ((VAKEHYVA, APPROVED), (KEUSOTE, PENDING)),
        street="Solbackavägen",
        listings=(
            L("ridterapi", "sport-riding", "Ratsastusterapia",
              "Fysioterapeutin ohjaama ratsastusterapia ruotsiksi tai suomeksi, 45 min.",
              7600, "session", "at_provider", "Kerava", ("wheelchair_access",),
              sv=("Ridterapi", "Ridterapi på svenska eller finska under ledning av en "
                               "fysioterapeut, 45 min.")),
            L("ridlektion", "sport-riding", "Ratsastustunti erityisryhmälle",
              "Pienryhmän ratsastustunti rauhallisilla hevosilla, 45 min. Jokaisella ratsukolla on "
              "oma taluttaja.",
              4200, "session", "at_provider", "Kerava", ("wheelchair_access",), capacity=4,
              sv=("Ridlektion för specialgrupp", "Ridlektion i liten grupp på lugna hästar, 45 min. "
                                                 "Varje ekipage har en egen ledare.")),
            L("talliretki", "sport-riding", "Tallivierailu Tuusulassa",
              "Tutustuminen talliin ja hevosiin, maastakäsittelyä ja lyhyt talutusratsastus, 90 min.",
              5500, "session", "at_provider", "Tuusula",
              sv=("Stallbesök i Tusby", None)),
        ),
    ),
    _Provider(
        "prov-vesiveijarit", "Uimakoulu Vesiveijarit Oy", "uimakoulu@vesiveijarit.example", ("fi",),
        ("Hyvinkää", "Nurmijärvi"), K_OK, street="Uimahallintie",
        listings=(
            L("uimaopetus", "sport-riding", "Uimaopetus erityistä tukea tarvitseville",
              "Yksilöllinen uimaopetus lämpimässä opetusaltaassa, 30 min. Opettajalla on kokemusta "
              "autismin kirjosta ja liikuntavammoista.",
              4000, "session", "at_provider", "Hyvinkää", ("lift", "accessible_toilet")),
            L("vesijumppa", "sport-riding", "Vesijumppa ikäihmisille",
              "Vesijumppa Klaukkalan uimahallissa, 45 min. Altaaseen pääsee portaita tai nostotuolia "
              "pitkin.",
              1200, "session", "at_provider", "Nurmijärvi", ("lift", "accessible_toilet"), capacity=15),
            L("uintiryhma", "sport-riding", "Uintiryhmä nuorille",
              "Uintitekniikkaa ja vesileikkejä pienryhmässä kerran viikossa, 45 min.",
              1800, "session", "at_provider", "Hyvinkää", ("accessible_toilet",), capacity=8),
        ),
    ),
    _Provider(
        "prov-voimala", "Kuntokeskus Voimala Oy", "asiakaspalvelu@voimala.example", ("fi", "en"),
        ("Kerava", "Vantaa", "Järvenpää"), ((VAKEHYVA, APPROVED), (KEUSOTE, PENDING)),
        street="Voimalankatu",
        listings=(
            L("kuntosaliohjaus", "sport-riding", "Kuntosaliohjaus",
              "Henkilökohtainen kuntosaliohjaus, 60 min. Laitteet sopivat myös pyörätuolista "
              "käytettäviksi.",
              4500, "session", "at_provider", "Kerava", ("wheelchair_access", "accessible_toilet"),
              en=("Gym coaching", "Personal gym coaching, 60 min. The equipment can also be used "
                                  "from a wheelchair.")),
            L("kuukausikortti", "sport-riding", "Kuntosalin kuukausikortti ja aloitusohjaus",
              "Kuukauden kortti ja kaksi ohjauskertaa. Sali on esteetön ja avoinna joka päivä.",
              6900, "package", "at_provider", "Vantaa", ("wheelchair_access",), review=REJECTED),
            L("kuntosaliohjaus-jarvenpaa", "sport-riding", "Kuntosaliohjaus Järvenpäässä",
              "Henkilökohtainen kuntosaliohjaus Järvenpään salilla, 60 min. Ohjelma tehdään omien "
              "tavoitteiden mukaan.",
              4500, "session", "at_provider", "Järvenpää", ("wheelchair_access",)),
        ),
    ),
    _Provider(
        "prov-sporttis", "Soveltavan liikunnan seura Sporttis ry", "seura@sporttis.example", ("fi",),
        ("Tuusula", "Järvenpää"), K_OK, street="Urheilutie",
        listings=(
            L("liikuntaryhma", "sport-riding", "Soveltava liikuntaryhmä",
              "Pallopelejä, bocciaa ja kuntopiiriä kaikille liikkumiskyvystä riippumatta, 60 min.",
              800, "session", "at_provider", "Tuusula", ("wheelchair_access", "accessible_toilet"),
              capacity=14),
            L("boccia", "sport-riding", "Boccia-ryhmä",
              "Viikoittainen boccia-vuoro Järvenpään liikuntahallissa. Välineet lainaksi.",
              600, "session", "at_provider", "Järvenpää", ("wheelchair_access",), capacity=12),
            L("salibandy", "sport-riding", "Sähköpyörätuolisalibandy",
              "Harjoitukset sähköpyörätuolia käyttäville, 90 min. Mailat ja pallot seuralta.",
              800, "session", "at_provider", "Järvenpää", ("wheelchair_access", "accessible_toilet"),
              capacity=10,
              en=("Power wheelchair floorball", "Training for power wheelchair users, 90 min. The "
                                                "club lends sticks and balls.")),
        ),
    ),
    # --- therapy and rehabilitation ------------------------------------------------------------
    _Provider(
        "prov-fysiokaari", "Fysioterapia Kaari Oy", "vastaanotto@fysiokaari.example", ("fi", "sv"),
        ("Hyvinkää", "Järvenpää", "Vantaa"), ((KEUSOTE, APPROVED), (VAKEHYVA, PENDING)),
        issue_api_key=True, street="Kaarikatu",
        listings=(
            L("kotikaynti", "therapy", "Fysioterapia kotikäyntinä",
              "Laillistetun fysioterapeutin kotikäynti, 60 min. Harjoitellaan liikkumista, "
              "siirtymisiä ja arjen toimia omassa kodissa.",
              8900, "session", "at_client_home", "Hyvinkää",
              sv=("Fysioterapi som hembesök", "Hembesök av legitimerad fysioterapeut, 60 min. Vi "
                                              "tränar rörlighet, förflyttningar och vardagssysslor "
                                              "i ditt eget hem.")),
            L("allasterapia", "therapy", "Allasterapia",
              "Fysioterapeutin ohjaama terapia lämpimässä terapia-altaassa, 45 min. Allastilassa on "
              "nostolaite ja esteetön pukuhuone.",
              6500, "session", "at_provider", "Järvenpää", ("wheelchair_access", "accessible_toilet", "lift"),
              sv=("Bassängterapi", None)),
            L("kuntosali", "sport-riding", "Kuntosaliharjoittelu fysioterapeutin ohjauksessa",
              "Pienryhmä, jossa opetellaan turvallinen kuntosaliharjoittelu. Ohjelma tehdään "
              "jokaiselle omien tavoitteiden mukaan.",
              4500, "session", "at_provider", "Hyvinkää", ("wheelchair_access",), capacity=6),
            L("vantaa", "therapy", "Fysioterapia Tikkurilassa",
              "Yksilöllinen fysioterapia Tikkurilan toimipisteessä, 60 min. Esteetön sisäänkäynti ja "
              "hissi.",
              8200, "session", "at_provider", "Vantaa", ("wheelchair_access", "lift")),
        ),
    ),
    _Provider(
        "prov-liike", "Fysioterapia Liike ja Tasapaino Oy", "info@liikejatasapaino.example", ("fi", "sv"),
        ("Järvenpää", "Tuusula"), K_OK, street="Mannilantie",
        listings=(
            L("allasterapia", "therapy", "Uinti- ja allasterapia",
              "Yksilöllinen harjoittelu lämpimässä altaassa fysioterapeutin kanssa. Vesi keventää "
              "kehoa ja helpottaa liikkumista, 45 min.",
              6200, "session", "at_provider", "Järvenpää", ("wheelchair_access", "accessible_toilet", "lift"),
              sv=("Simning och bassängterapi", "Individuell träning i varm bassäng med en "
                                               "fysioterapeut. Vattnet avlastar kroppen, 45 min.")),
            L("kuntosaliohjaus", "sport-riding", "Kuntosaliohjaus",
              "Fysioterapeutin ohjaama kuntosaliharjoittelu 2–4 hengen ryhmässä, 60 min. Sopii myös "
              "pyörätuolia käyttäville.",
              4000, "session", "at_provider", "Tuusula", ("wheelchair_access",), capacity=4),
            L("tasapainoryhma", "therapy", "Tasapainoryhmä",
              "Kaatumisia ehkäisevä tasapaino- ja lihaskuntoryhmä ikäihmisille, 45 min.",
              2400, "session", "at_provider", "Tuusula", ("wheelchair_access",), capacity=10),
            L("etafysioterapia", "therapy", "Fysioterapia etäyhteydellä",
              "Videovastaanotto fysioterapeutille, 30 min. Saat kotiharjoitteet videoina.",
              5500, "session", "online", "Järvenpää", review=PENDING),
        ),
    ),
    _Provider(
        "prov-arjentaidot", "Toimintaterapia Arjen Taidot Oy", "toimintaterapia@arjentaidot.example",
        ("fi",), ("Nurmijärvi", "Hyvinkää"), K_OK, street="Kirkkotie",
        listings=(
            L("toimintaterapia", "therapy", "Toimintaterapia",
              "Laillistetun toimintaterapeutin terapia, 60 min. Harjoitellaan päivittäisiä toimia, "
              "käden taitoja ja keskittymistä.",
              9000, "session", "at_provider", "Nurmijärvi", ("wheelchair_access",)),
            L("apuvalinekartoitus", "therapy", "Apuvälinekartoitus kotona",
              "Toimintaterapeutti arvioi kotona apuvälineiden ja muutostöiden tarpeen ja kirjoittaa "
              "suosituksen. Sisältää käynnin ja raportin.",
              14000, "package", "at_client_home", "Hyvinkää"),
            L("aistitoiminnallinen", "therapy", "Aistitoiminnallinen terapia lapsille",
              "Leikinomaista terapiaa aistitiedon käsittelyn tueksi, 60 min. Vanhemmat saavat "
              "kotiharjoitteet.",
              9200, "session", "at_provider", "Nurmijärvi"),
        ),
    ),
    _Provider(
        "prov-sointu", "Musiikkiterapia Sointu Tmi", "sointu@musiikkiterapia.example", ("fi",),
        ("Järvenpää", "Tuusula", "Kerava"), ((KEUSOTE, APPROVED), (VAKEHYVA, APPROVED)),
        street="Sävelkuja",
        listings=(
            L("musiikkiterapia", "therapy", "Musiikkiterapia",
              "Koulutetun musiikkiterapeutin yksilöterapia, 60 min. Soittaminen, laulu ja kuuntelu "
              "tukevat vuorovaikutusta ja tunteiden ilmaisua; musiikkitaustaa ei tarvita.",
              8500, "session", "at_provider", "Järvenpää", ("wheelchair_access",),
              en=("Music therapy", "Individual therapy with a trained music therapist, 60 min. No "
                                   "musical background needed.")),
            L("musiikkiterapia-kotiin", "therapy", "Musiikkiterapia kotikäyntinä",
              "Musiikkiterapeutti tulee kotiin soittimien kanssa, 60 min. Sopii myös "
              "muistisairaalle tutussa ympäristössä.",
              9800, "session", "at_client_home", "Tuusula"),
            L("nuorten-ryhma", "therapy", "Musiikkiterapiaryhmä nuorille",
              "Nuorten ryhmä, jossa tehdään omaa musiikkia ja harjoitellaan vuorovaikutusta, 90 min.",
              3500, "session", "at_provider", "Kerava", capacity=6),
            L("laulu-etana", "culture-art", "Laulu- ja soittohetki etänä",
              "Yhteislaulua ja rytmisoittimia videoyhteydellä, 45 min. Sopii kotona asuville "
              "ikäihmisille yhdessä omaisen kanssa.",
              2000, "session", "online", "Kerava", capacity=10),
        ),
    ),
    # --- transport -----------------------------------------------------------------------------
    _Provider(
        "prov-invakyydit", "Järvenpään Invakyydit Ky", "tilaukset@invakyydit.example", ("fi", "sv"),
        ("Järvenpää", "Tuusula", "Kerava"), ((KEUSOTE, APPROVED), (VAKEHYVA, APPROVED)),
        issue_api_key=True, street="Autokatu",
        listings=(
            L("invataksi", "transport", "Invataksi",
              "Esteetön invataksi pyörätuolilla matkustavalle: ramppi ja kiinnitykset. Kuljettaja "
              "avustaa ovelta ovelle.",
              210, "km", "at_client_home", "Järvenpää", ("wheelchair_access",),
              sv=("Invataxi", "Tillgänglig invataxi för rullstolsanvändare med ramp och förankring. "
                              "Chauffören hjälper från dörr till dörr.")),
            L("saattaja", "transport", "Asiointikyyti saattajan kanssa",
              "Kuljetus ja saattaja apteekkiin, kauppaan tai lääkäriin. Saattaja kulkee mukana koko "
              "asioinnin ajan.",
              4200, "hour", "at_client_home", "Tuusula", ("wheelchair_access",)),
            L("porraskiipija", "transport", "Porraskiipijäkuljetus",
              "Kuljetus hissittömästä kerrostalosta porraskiipijän avulla. Hinta sisältää menon ja "
              "paluun 20 km:n säteellä.",
              6500, "package", "at_client_home", "Järvenpää", ("wheelchair_access",)),
            L("invataksi-kerava", "transport", "Invataksi Keravalla",
              "Invataksi Keravan alueella arkisin ja viikonloppuisin. Tilaa edellisenä päivänä.",
              210, "km", "at_client_home", "Kerava", ("wheelchair_access",)),
        ),
    ),
    _Provider(
        "prov-mantsalantaksi", "Mäntsälän Taksipalvelu Ky", "taksi@mantsalantaksi.example", ("fi",),
        ("Mäntsälä", "Pornainen"), K_OK, street="Asemankatu",
        listings=(
            L("asiointikyyti", "transport", "Asiointikyyti Mäntsälässä",
              "Kyyti kauppaan, apteekkiin ja terveysasemalle. Auto odottaa asioinnin ajan enintään "
              "30 minuuttia.",
              175, "km", "at_client_home", "Mäntsälä"),
            L("paivatoimintakyyti", "transport", "Kyyti päivätoimintaan",
              "Säännöllinen aamu- ja iltapäiväkuljetus päivätoimintaan. Sama kuljettaja "
              "mahdollisuuksien mukaan.",
              160, "km", "at_client_home", "Pornainen"),
        ),
    ),
    _Provider(
        "prov-palvelukyyti", "Klaukkalan Palvelukyyti Ky", "kyyti@palvelukyyti.example", ("fi",),
        ("Nurmijärvi",), ((KEUSOTE, CHANGES_REQUESTED),), street="Klaukkalantie",
        missing_evidence=("taxi_licence",),
        listings=(
            L("palvelukyyti", "transport", "Palvelukyyti Klaukkalasta",
              "Kuljetus Klaukkalasta ja Rajamäeltä asiointiin ja harrastuksiin. Tilaa kyyti "
              "edellisenä päivänä.",
              185, "km", "at_client_home", "Nurmijärvi"),
            L("uimahallikyyti", "transport", "Kyyti uimahalliin ja kuntosalille",
              "Meno- ja paluukyyti liikuntaharrastukseen. Kuljettaja kantaa kassit.",
              185, "km", "at_client_home", "Nurmijärvi"),
        ),
    ),
    _Provider(
        "prov-nopsa", "Taksi Nopsa Oy", "ajojarjestely@nopsa.example", ("fi",),
        ("Nurmijärvi", "Hyvinkää"), ((KEUSOTE, SUSPENDED),), street="Rajamäentie",
        listings=(
            L("invataksi", "transport", "Invataksi Nurmijärvellä",
              "Invataksi Nurmijärven alueella myös iltaisin ja viikonloppuisin.",
              220, "km", "at_client_home", "Nurmijärvi", ("wheelchair_access",)),
            L("asiointikyyti", "transport", "Asiointikyyti Hyvinkäällä",
              "Kuljetus asiointiin Hyvinkään keskustaan ja takaisin.",
              190, "km", "at_client_home", "Hyvinkää"),
        ),
    ),
    # --- day activities --------------------------------------------------------------------------
    _Provider(
        "prov-kompassi", "Päiväkeskus Kompassi Oy", "kompassi@paivakeskus.example", ("fi",),
        ("Hyvinkää",), K_OK, street="Hämeenkatu",
        listings=(
            L("kuntouttava-paivatoiminta", "day-activities", "Kuntouttava päivätoiminta",
              "Arkipäivisin klo 9–15 toimintaa pienryhmissä: ulkoilua, tuolijumppaa, muistijumppaa ja "
              "yhteinen lounas. Ohjaajina lähihoitajat ja fysioterapeutti.",
              9800, "day", "at_provider", "Hyvinkää", ("wheelchair_access", "accessible_toilet"),
              capacity=12,
              en=("Rehabilitative day activities", "Small-group activities on weekdays 9–15: walks "
                                                   "outdoors, chair exercise, memory games and a "
                                                   "shared lunch.")),
            L("puolipaiva", "day-activities", "Päivätoiminta puolipäiväisenä",
              "Aamupäivän ryhmä klo 9–12 lounaineen niille, joille koko päivä on liian pitkä.",
              5600, "day", "at_provider", "Hyvinkää", ("wheelchair_access", "accessible_toilet"),
              capacity=12),
            L("muistiryhma", "day-activities", "Muistiryhmä",
              "Muistisairaille suunnattu viikoittainen ryhmä: muistelua, musiikkia ja kevyttä "
              "liikuntaa, 2 h.",
              3200, "session", "at_provider", "Hyvinkää", ("wheelchair_access", "accessible_toilet"),
              capacity=8),
            L("tyotoiminta", "day-activities", "Työtoiminta verstaalla",
              "Ohjattua puu- ja tekstiilityötä verstaalla arkipäivisin. Sopii kehitysvammaisille "
              "aikuisille, jotka haluavat mielekästä tekemistä.",
              4500, "day", "at_provider", "Hyvinkää", ("wheelchair_access",), capacity=10,
              review=PENDING),
        ),
    ),
    _Provider(
        "prov-verso", "Tuusulan Toimintakeskus Verso Oy", "verso@toimintakeskus.example", ("fi",),
        ("Tuusula", "Järvenpää"), K_OK, street="Hyryläntie",
        listings=(
            L("paivatoiminta-hyryla", "day-activities", "Kuntouttava päivätoiminta Hyrylässä",
              "Monipuolista päivätoimintaa kehitysvammaisille ja autismin kirjon aikuisille: "
              "liikuntaa, kädentaitoja ja retkiä lähiluontoon. Kuljetus sovitaan erikseen.",
              9500, "day", "at_provider", "Tuusula", ("wheelchair_access", "accessible_toilet"),
              capacity=15),
            L("kadentaitopaja", "culture-art", "Kädentaitopaja",
              "Keramiikkaa, tekstiilitöitä ja kierrätysmateriaaleista askartelua ohjaajan kanssa, 2 h.",
              2800, "session", "at_provider", "Tuusula", ("wheelchair_access",), capacity=8),
            L("paivatoiminta-jarvenpaa", "day-activities", "Päivätoiminta Järvenpäässä",
              "Pienryhmä, jossa päivän kulku sovitaan yhdessä kuvien ja selkokielen avulla. Mukana "
              "lounas ja välipala.",
              9500, "day", "at_provider", "Järvenpää", ("wheelchair_access", "easy_read"), capacity=12),
            L("retkipaiva", "day-activities", "Retkipäivä luontoon",
              "Ohjattu retki Tuusulanjärven rantaan tai lähimetsään, eväät sisältyvät. Reitti valitaan "
              "ryhmän liikkumisen mukaan.",
              7500, "day", "at_provider", "Tuusula", capacity=8, review=CHANGES_REQUESTED),
        ),
    ),
    _Provider(
        "prov-solros", "Dagcenter Solrosen Ab", "info@solrosen.example", ("sv", "fi"),
        ("Vantaa", "Kerava", "Järvenpää"), ((VAKEHYVA, APPROVED), (KEUSOTE, APPROVED)),
        street="Solrosvägen",
        listings=(
            L("dagverksamhet", "day-activities", "Ruotsinkielinen päivätoiminta",
              "Päivätoimintaa ruotsinkielisille ikäihmisille: laulua, liikuntaa, lehtien lukua ja "
              "yhteinen lounas.",
              9600, "day", "at_provider", "Vantaa", ("wheelchair_access", "accessible_toilet"),
              capacity=10,
              sv=("Dagverksamhet på svenska", "Dagverksamhet för svenskspråkiga äldre: sång, motion, "
                                              "tidningsläsning och gemensam lunch.")),
            L("dagverksamhet-kerava", "day-activities", "Päivätoiminta Keravalla",
              "Ruotsinkielinen päiväryhmä Keravalla tiistaisin ja torstaisin.",
              9600, "day", "at_provider", "Kerava", ("wheelchair_access",), capacity=10,
              sv=("Dagverksamhet i Kervo", "Svenskspråkig dagverksamhet i Kervo på tisdagar och "
                                           "torsdagar.")),
            L("avlosning", "carer-respite", "Omaishoitajan lomapäivä ruotsiksi",
              "Hoidettava viettää päivän ja yön ruotsinkielisessä ryhmäkodissa, jotta omaishoitaja "
              "saa levätä.",
              15500, "day", "at_provider", "Järvenpää", ("wheelchair_access", "accessible_toilet"),
              capacity=4,
              sv=("Avlösningsdygn på svenska", "Den vårdade tillbringar ett dygn i ett svenskspråkigt "
                                               "grupphem så att närståendevårdaren får vila.")),
        ),
    ),
    _Provider(
        "prov-majakka", "Toimintakeskus Majakka Oy", "majakka@toimintakeskus.example", ("fi", "en"),
        ("Vantaa",), ((VAKEHYVA, APPROVED),), street="Myyrmäentie",
        listings=(
            L("paivatoiminta", "day-activities", "Kuntouttava päivätoiminta Myyrmäessä",
              "Arkipäivien ryhmätoimintaa liikuntavammaisille aikuisille: kuntosalia, kokkausta ja "
              "retkiä. Lounas sisältyy hintaan.",
              9400, "day", "at_provider", "Vantaa", ("wheelchair_access", "accessible_toilet", "lift"),
              capacity=14),
            L("taideryhma", "culture-art", "Taideryhmä",
              "Maalausta, valokuvausta ja näyttelyitä yhdessä taiteilijan kanssa, 2 h.",
              2500, "session", "at_provider", "Vantaa", ("wheelchair_access", "lift"), capacity=8,
              en=("Art group", "Painting, photography and exhibitions with an artist, 2 h.")),
            L("nuorten-paivaryhma", "day-activities", "Nuorten aikuisten päiväryhmä",
              "Päiväryhmä 18–29-vuotiaille: arjen taitoja, liikuntaa ja opiskeluun valmentautumista.",
              6500, "day", "at_provider", "Vantaa", ("wheelchair_access",), capacity=8, review=PENDING),
        ),
    ),
    # --- family-carer respite --------------------------------------------------------------------
    _Provider(
        "prov-rantakallio", "Lomakoti Rantakallio Oy", "lomakoti@rantakallio.example", ("fi",),
        ("Mäntsälä", "Pornainen"), K_OK, street="Rantakalliontie",
        listings=(
            L("lomapaiva", "carer-respite", "Omaishoitajan lomapäivä",
              "Hoidettava viettää vuorokauden lomakodissa, jotta omaishoitaja saa levätä. Hoitajat "
              "paikalla ympäri vuorokauden, ateriat sisältyvät.",
              16500, "day", "at_provider", "Mäntsälä", ("wheelchair_access", "accessible_toilet"),
              capacity=6,
              sv=("Ledighetsdygn för närståendevårdare", "Den vårdade tillbringar ett dygn på "
                                                         "semesterhemmet så att närståendevårdaren "
                                                         "får vila. Personal dygnet runt.")),
            L("viikonloppu", "carer-respite", "Lyhytaikainen hoito viikonlopuksi",
              "Perjantaista sunnuntaihin kestävä intervallijakso lomakodissa. Hoidettavalle laaditaan "
              "oma päiväohjelma yhdessä omaisen kanssa.",
              42000, "package", "at_provider", "Mäntsälä", ("wheelchair_access", "accessible_toilet"),
              capacity=6),
            L("hyvinvointipaiva", "carer-respite", "Omaishoitajan hyvinvointipäivä",
              "Omaishoitajille suunnattu päivä: rentoutumista, saunaa, hyvä lounas ja "
              "vertaiskeskustelua. Hoidettavan hoito voidaan järjestää samaksi ajaksi.",
              9500, "day", "at_provider", "Pornainen", ("accessible_toilet",), capacity=10),
        ),
    ),
    _Provider(
        "prov-lahella", "Omaishoidon Tukipalvelut Lähellä Oy", "palvelu@lahella.example", ("fi", "en"),
        ("Nurmijärvi", "Tuusula", "Vantaa"), ((KEUSOTE, APPROVED), (VAKEHYVA, APPROVED)),
        street="Lähdetie",
        listings=(
            L("sijaishoitaja", "carer-respite", "Sijaishoitaja kotiin",
              "Koulutettu lähihoitaja hoitaa läheistäsi kotona sillä aikaa, kun lähdet omille "
              "asioillesi. Käynti vähintään kolme tuntia.",
              3900, "hour", "at_client_home", "Nurmijärvi",
              en=("Substitute carer at home", "A trained practical nurse looks after your relative "
                                              "at home while you go out. Visits of three hours or "
                                              "more.")),
            L("sijaishoitaja-vantaa", "carer-respite", "Sijaishoitaja kotiin Vantaalla",
              "Sijaishoitaja kotiin Vantaalla arkisin ja viikonloppuisin, vähintään kolme tuntia.",
              3900, "hour", "at_client_home", "Vantaa"),
            L("yohoito", "carer-respite", "Yöhoito kotona",
              "Hoitaja valvoo yön kotona klo 21–7, jotta omaishoitaja saa nukkua kokonaisen yön.",
              24000, "package", "at_client_home", "Tuusula"),
            L("vuorokausi", "carer-respite", "Omaishoitajan vapaa vuorokausi kotona",
              "Hoitajat vuorottelevat kotona vuorokauden ajan, ja omaishoitaja voi lähteä matkalle.",
              29000, "day", "at_client_home", "Vantaa", review=PENDING),
        ),
    ),
    # --- home help -------------------------------------------------------------------------------
    _Provider(
        "prov-aurinkoinen", "Kotiapu Aurinkoinen Oy", "kotiapu@aurinkoinen.example", ("fi", "sv"),
        ("Hyvinkää", "Järvenpää"), K_OK, street="Torikatu",
        listings=(
            L("siivous-kotiapu", "home-help", "Siivous ja kotiapu",
              "Viikkosiivous, pyykinpesu ja tiskit sovitusti. Sama työntekijä käy mahdollisimman usein.",
              4200, "hour", "at_client_home", "Hyvinkää",
              sv=("Städning och hemhjälp", "Veckostädning, tvätt och disk enligt överenskommelse. "
                                           "Samma person kommer så ofta som möjligt.")),
            L("asiointiapu", "home-help", "Asiointiapu",
              "Apua kauppa-, apteekki- ja pankkiasioissa. Asioimme puolestasi tai lähdemme mukaan.",
              3800, "hour", "at_client_home", "Järvenpää"),
            L("ulkoiluapu", "home-help", "Ulkoiluapu",
              "Turvallinen ulkoilu avustajan kanssa, myös pyörätuolilla tai rollaattorilla.",
              3800, "hour", "at_client_home", "Hyvinkää"),
            L("ikkunanpesu", "home-help", "Ikkunanpesu",
              "Kodin ikkunoiden pesu sisältä ja ulkoa, enintään kahdeksan ikkunaa.",
              12000, "package", "at_client_home", "Järvenpää"),
        ),
    ),
    _Provider(
        "prov-puhdaskoti", "Siivouspalvelu Puhdas Koti Ky", "tilaus@puhdaskoti.example", ("fi", "en"),
        ("Tuusula", "Kerava", "Vantaa"), ((KEUSOTE, APPROVED), (VAKEHYVA, APPROVED)),
        street="Pajatie",
        listings=(
            L("kotisiivous", "home-help", "Kotisiivous",
              "Imurointi, pölyjen pyyhintä sekä kylpyhuoneen ja keittiön pesu. Hajusteettomat "
              "pesuaineet pyynnöstä.",
              3900, "hour", "at_client_home", "Tuusula",
              en=("Home cleaning", "Vacuuming, dusting, bathroom and kitchen. Fragrance-free "
                                   "products on request.")),
            L("kotisiivous-kerava", "home-help", "Kotisiivous Keravalla",
              "Säännöllinen kotisiivous Keravalla joka tai joka toinen viikko.",
              3900, "hour", "at_client_home", "Kerava"),
            L("suursiivous", "home-help", "Suursiivous",
              "Perusteellinen siivous kerran vuodessa: kaapit, ikkunat, matot ja vaatehuone. Kaksi "
              "siivoojaa noin viisi tuntia.",
              19500, "package", "at_client_home", "Vantaa"),
            L("pyykkipalvelu", "home-help", "Pyykkipalvelu",
              "Haemme pyykit kotoa, pesemme, silitämme ja palautamme viikon sisällä.",
              2500, "package", "at_client_home", "Kerava", review=PENDING),
        ),
    ),
    _Provider(
        "prov-arjenapu", "Arjen Apu Kotipalvelut Tmi", "arjenapu@kotipalvelut.example", ("fi",),
        ("Mäntsälä", "Pornainen"), ((KEUSOTE, PENDING),), street="Myllytie",
        listings=(
            L("kotiapu-ruoka", "home-help", "Kotiapu ja ruoanlaitto",
              "Ruoanlaittoa yhdessä tai puolestasi, kevyttä siivousta ja seuraa. Palvelu myös "
              "viikonloppuisin.",
              3600, "hour", "at_client_home", "Mäntsälä"),
            L("pihatyot", "home-help", "Lumi- ja pihatyöt",
              "Lumen luonti, hiekoitus ja pihan haravointi kotona asuville ikäihmisille.",
              4000, "hour", "at_client_home", "Pornainen"),
        ),
    ),
    _Provider(
        "prov-keravankotipalvelu", "Keravan Kotipalvelu Oy", "toimisto@keravankotipalvelu.example",
        ("fi", "sv"), ("Kerava", "Vantaa"), ((VAKEHYVA, APPROVED),), street="Kauppakaari",
        listings=(
            L("kotiapu", "home-help", "Kotiapu Keravalla",
              "Siivousta, pyykkiä ja kauppa-asiointia sovitusti. Työntekijät puhuvat suomea ja ruotsia.",
              4000, "hour", "at_client_home", "Kerava",
              sv=("Hemhjälp i Kervo", "Städning, tvätt och ärenden enligt överenskommelse. "
                                      "Personalen talar finska och svenska.")),
            L("peseytymisapu", "home-help", "Saunotus- ja peseytymisapu",
              "Avustaja auttaa peseytymisessä ja saunomisessa kotona turvallisesti.",
              4400, "hour", "at_client_home", "Vantaa"),
            L("kauppakassi", "home-help", "Ruoka-apu ja kauppakassi",
              "Kauppalistan teko, ostokset ja ruokien laitto jääkaappiin. Tarvittaessa lämmin ateria.",
              3700, "hour", "at_client_home", "Kerava"),
        ),
    ),
    # --- coaching and digital --------------------------------------------------------------------
    _Provider(
        "prov-askel", "Valmennus Askel Oy", "valmentajat@askel.example", ("fi", "en"),
        ("Järvenpää", "Kerava", "Vantaa"), ((KEUSOTE, APPROVED), (VAKEHYVA, PENDING)),
        street="Askelkuja",
        listings=(
            L("henkilokohtainen-valmennus", "coaching", "Henkilökohtainen valmennus",
              "Valmentaja tukee arjen hallinnassa, asioinnissa ja omien tavoitteiden asettamisessa. "
              "Tapaamiset kotona tai lähiympäristössä.",
              6500, "hour", "at_client_home", "Järvenpää",
              en=("Personal coaching", "A coach supports everyday life skills, errands and setting "
                                       "your own goals. Meetings at home or nearby.")),
            L("valmennusjakso", "coaching", "Omavalmennus kotiutumisen tueksi, 10 tapaamista",
              "Kahden kuukauden jakso sairaalasta kotiutuvalle: oma valmentaja kartoittaa kotona "
              "pärjäämisen tuen tarpeen ja vahvistaa omia voimavaroja.",
              58000, "package", "at_client_home", "Järvenpää"),
            L("tyoelamavalmennus", "coaching", "Työelämävalmennus nuorille aikuisille",
              "Tukea opiskelupaikan tai työn hakemiseen, CV:n tekemiseen ja työhaastatteluun "
              "valmistautumiseen.",
              6000, "hour", "at_provider", "Kerava", ("wheelchair_access",)),
            L("valmennus-vantaa", "coaching", "Henkilökohtainen valmennus Vantaalla",
              "Valmennustapaamiset kotona tai kahvilassa Vantaalla, 60 min.",
              6500, "hour", "at_client_home", "Vantaa"),
        ),
    ),
    _Provider(
        "prov-elamanpolku", "Elämänpolku Coaching Tmi", "valmentaja@elamanpolku.example", ("fi", "en"),
        ("Hyvinkää",), K_OK, street="Koivukuja",
        listings=(
            L("etavalmennus", "digital", "Digitaalinen etävalmennus",
              "Valmennustapaaminen videoyhteydellä, 45 min. Tapaamisten välillä viestituki "
              "sovelluksessa arkipäivisin.",
              4500, "session", "online", "Hyvinkää",
              en=("Online coaching", "A coaching session by video, 45 min, with chat support on "
                                     "weekdays between sessions.")),
            L("etavalmennus-nuoret", "digital", "Etävalmennus nuorille, 6 kertaa",
              "Kuuden tapaamisen jakso nuorille aikuisille: päivärytmi, opiskelu ja oma talous.",
              24000, "package", "online", "Hyvinkää"),
            L("valmennuskavely", "coaching", "Valmennuskävely",
              "Valmennustapaaminen ulkona kävellen. Liike ja luonto auttavat monia puhumaan "
              "vaikeistakin asioista.",
              5500, "hour", "at_client_home", "Hyvinkää"),
        ),
    ),
    _Provider(
        "prov-tassu", "Koira-avusteinen valmennus Tassu Tmi", "tassu@koiravalmennus.example", ("fi",),
        ("Järvenpää", "Tuusula"), K_OK, street="Haapatie",
        listings=(
            L("koira-avusteinen", "coaching", "Koira-avusteinen valmennus",
              "Valmennustapaaminen koulutetun kaverikoiran kanssa, 60 min. Koira helpottaa "
              "jännitystä ja auttaa ottamaan askelia kohti omia tavoitteita.",
              6000, "session", "at_client_home", "Järvenpää"),
            L("koiralenkki", "coaching", "Koiralenkkiryhmä nuorille",
              "Ohjattu koiralenkki ja keskustelu pienryhmässä kerran viikossa, 90 min.",
              2000, "session", "at_provider", "Tuusula", capacity=5),
        ),
    ),
    _Provider(
        "prov-kaista", "Digiapu Kaista Oy", "tuki@kaista.example", ("fi", "sv", "en"),
        ("Tuusula", "Järvenpää", "Vantaa"), ((KEUSOTE, APPROVED), (VAKEHYVA, APPROVED)),
        issue_api_key=True, street="Verkkotie",
        listings=(
            L("digituki-kotiin", "digital", "Digituki kotiin",
              "Opastamme älypuhelimen, tabletin ja verkkopankin käytössä omassa kodissa. Asennamme "
              "tarvittaessa videopuhelusovelluksen.",
              5200, "hour", "at_client_home", "Tuusula",
              sv=("Digistöd i hemmet", "Vi handleder i hur man använder smarttelefon, surfplatta och "
                                       "nätbank hemma hos dig."),
              en=("Digital support at home", "We show you how to use a smartphone, tablet and online "
                                             "banking in your own home.")),
            L("tabletti-paketti", "digital", "Tabletti ja videopuhelut – aloituspaketti",
              "Tabletin käyttöönotto, kolme opastuskertaa ja puhelintuki kuukauden ajan.",
              14500, "package", "at_client_home", "Järvenpää"),
            L("etajumppa", "digital", "Etäjumppa ikäihmisille",
              "Tuolijumppa videoyhteydellä kahdesti viikossa, 30 min. Ohjaaja näkee osallistujat ja "
              "antaa palautetta.",
              1500, "session", "online", "Tuusula", capacity=12,
              sv=("Distansgympa för äldre", "Stolgympa via video två gånger i veckan, 30 min.")),
            L("digituki-vantaa", "digital", "Digituki kotiin Vantaalla",
              "Digituki kotikäyntinä Vantaalla, myös ruotsiksi.",
              5200, "hour", "at_client_home", "Vantaa", sv=("Digistöd i hemmet i Vanda", None)),
        ),
    ),
    _Provider(
        "prov-linkki", "Etäkuntoutus Linkki Oy", "myynti@linkki.example", ("fi",),
        ("Hyvinkää",), ((KEUSOTE, REJECTED),), street="Puistokatu",
        missing_evidence=("prepayment_register",),
        listings=(
            L("etakuntoutus", "digital", "Etäkuntoutusohjelma",
              "Sovelluksessa tehtävä kuntoutusohjelma ja viikoittainen videotapaaminen.",
              3900, "session", "online", "Hyvinkää"),
            L("sovellustilaus", "digital", "Liikuntasovelluksen kuukausitilaus",
              "Kuukauden käyttöoikeus harjoitussovellukseen.",
              2900, "package", "online", "Hyvinkää"),
        ),
    ),
    # --- culture and art -------------------------------------------------------------------------
    _Provider(
        "prov-savikko", "Keramiikkapaja Savikko Tmi", "savikko@keramiikka.example", ("fi",),
        ("Mäntsälä", "Pornainen"), K_OK, street="Savipolku",
        listings=(
            L("keramiikkakurssi", "culture-art", "Keramiikkakurssi, 6 kertaa",
              "Kuuden kerran kurssi: käsinrakennusta ja dreijausta. Savi ja poltot sisältyvät hintaan.",
              18000, "package", "at_provider", "Mäntsälä", ("wheelchair_access",), capacity=6),
            L("savipaja-kotiin", "culture-art", "Savipaja kotiin",
              "Tuomme savet ja välineet kotiin, 90 min. Valmiit työt poltetaan pajalla ja palautetaan.",
              6000, "session", "at_client_home", "Pornainen"),
        ),
    ),
    _Provider(
        "prov-kulissi", "Teatteriyhdistys Kulissi ry", "kulissi@teatteri.example", ("fi",),
        ("Hyvinkää", "Järvenpää"), ((KEUSOTE, PENDING),), street="Teatterikatu",
        listings=(
            L("draamaryhma", "culture-art", "Draamaryhmä aikuisille",
              "Improvisaatiota ja pieniä kohtauksia turvallisessa ryhmässä. Aiempaa kokemusta ei "
              "tarvita.",
              1500, "session", "at_provider", "Hyvinkää", ("wheelchair_access",), capacity=12),
            L("esitys", "culture-art", "Teatteriesitys ja jälkikeskustelu",
              "Lippu yhdistyksen esitykseen ja keskustelu näyttelijöiden kanssa. Esteetön katsomo ja "
              "induktiosilmukka.",
              2500, "session", "at_provider", "Järvenpää", ("wheelchair_access", "hearing_loop"),
              capacity=40),
        ),
    ),
    _Provider(
        "prov-savelpolku", "Musiikkikoulu Sävelpolku Oy", "toimisto@savelpolku.example", ("fi", "sv"),
        ("Tuusula", "Kerava"), ((KEUSOTE, APPROVED), (VAKEHYVA, APPROVED)), street="Sävelpolku",
        listings=(
            L("opetus-kotiin", "culture-art", "Musiikkiopetus kotiin",
              "Piano-, kitara- tai laulutunti omassa kodissa, 45 min. Opetus etenee oppijan tahdissa.",
              5800, "session", "at_client_home", "Tuusula",
              sv=("Musikundervisning i hemmet", "Piano-, gitarr- eller sånglektion i ditt eget hem, "
                                                "45 min, i din egen takt.")),
            L("bandiryhma", "culture-art", "Bändiryhmä",
              "Soitetaan yhdessä rumpuja, bassoa ja kitaraa. Ryhmä sopii erityistä tukea tarvitseville "
              "nuorille.",
              2000, "session", "at_provider", "Kerava", ("wheelchair_access",), capacity=6),
            L("kuoro", "culture-art", "Kuoro ikäihmisille",
              "Tuttuja lauluja ja uusia sovituksia kerran viikossa, 75 min. Nuotteja ei tarvitse osata.",
              1200, "session", "at_provider", "Kerava", ("wheelchair_access", "hearing_loop"),
              capacity=25, sv=("Kör för äldre", None)),
        ),
    ),
    # --- social farming / green care -------------------------------------------------------------
    _Provider(
        "prov-kaislaranta", "Kaislarannan tila", "tila@kaislaranta.example", ("fi", "en"),
        ("Mäntsälä",), K_OK, street="Kaislarannantie",
        listings=(
            L("green-care-paiva", "social-farming", "Green care -päivä maatilalla",
              "Päivä maatilalla eläinten parissa: lampaiden ja kanojen ruokintaa, puutarhatöitä ja "
              "lounas tilan omista raaka-aineista.",
              8500, "day", "at_provider", "Mäntsälä", ("accessible_toilet",), capacity=6,
              en=("Green care day on the farm", "A day with farm animals: feeding sheep and hens, "
                                                "gardening, and lunch from the farm's own produce.")),
            L("elainavusteinen", "social-farming", "Eläinavusteinen tapaaminen",
              "Rauhallinen tunti lampaiden ja kanien kanssa ohjaajan tuella. Sopii myös "
              "muistisairaille.",
              4500, "session", "at_provider", "Mäntsälä"),
            L("puutarhatoiminta", "social-farming", "Puutarhatoiminta kesällä",
              "Kasvimaan hoitoa ja sadonkorjuuta toukokuusta syyskuuhun. Kohotetuilla lavoilla voi "
              "työskennellä istuen.",
              6500, "day", "at_provider", "Mäntsälä", ("wheelchair_access",), capacity=8),
        ),
    ),
    _Provider(
        "prov-makela", "Mäkelän tila", "emanta@makelantila.example", ("fi",),
        ("Pornainen", "Mäntsälä"), ((KEUSOTE, CHANGES_REQUESTED),), street="Mäkeläntie",
        missing_evidence=("food_safety",),
        listings=(
            L("maatilapaiva", "social-farming", "Maatilapäivä nuorille",
              "Työtoimintaa maatilalla: eläinten hoitoa, polttopuiden tekoa ja yhteinen ruokailu. "
              "Tukee päivärytmiä ja työelämätaitoja.",
              7000, "day", "at_provider", "Pornainen", capacity=5),
            L("aamupaiva", "social-farming", "Tilan arkea aamupäivän ajan",
              "Aamupäivä navetassa ja pihapiirissä ohjaajan kanssa, 3 h. Kahvi ja välipala.",
              3500, "session", "at_provider", "Pornainen", capacity=4),
        ),
    ),
    _Provider(
        "prov-villapaa", "Villapään tila", "lampaat@villapaa.example", ("fi", "sv"),
        ("Nurmijärvi",), K_OK, street="Lammaskuja",
        listings=(
            L("lammastila", "social-farming", "Lammastilan green care -päivä",
              "Lampaiden hoitoa, villan käsittelyä ja kehräämistä ohjatusti. Päivään kuuluu lounas ja "
              "kahvit.",
              8000, "day", "at_provider", "Nurmijärvi", ("accessible_toilet",), capacity=6,
              sv=("Green care-dag på fårgården", "Fårskötsel, ullberedning och spinning med "
                                                 "handledning. Lunch och kaffe ingår.")),
            L("villapaja", "culture-art", "Villapaja",
              "Huovutusta ja kehräämistä tilan omasta villasta, 2 h.",
              3000, "session", "at_provider", "Nurmijärvi", capacity=8),
            L("metsakavely", "social-farming", "Metsäkävely ja nuotiohetki",
              "Ohjattu kävely tilan metsäpolulla ja nuotiokahvit. Reitti on tasainen ja sopii "
              "rollaattorille.",
              3500, "session", "at_provider", "Nurmijärvi", capacity=8, review=PENDING),
        ),
    ),
    # --- peer support ----------------------------------------------------------------------------
    _Provider(
        "prov-omaishoitajat", "Keski-Uudenmaan Omaishoitajat ry", "toimisto@kuomaishoitajat.example",
        ("fi", "sv"), ("Hyvinkää", "Järvenpää", "Mäntsälä", "Nurmijärvi", "Pornainen", "Tuusula"),
        K_OK, street="Seuratie",
        listings=(
            L("vertaistukiryhma", "peer-support", "Vertaistukiryhmä omaishoitajille",
              "Kuukausittain kokoontuva ryhmä, jossa omaishoitajat jakavat kokemuksia ja saavat tietoa "
              "palveluista. Kahvitarjoilu.",
              500, "session", "at_provider", "Järvenpää", ("wheelchair_access", "hearing_loop"),
              capacity=12,
              sv=("Kamratstödsgrupp för närståendevårdare", "En grupp som träffas varje månad där "
                                                            "närståendevårdare delar erfarenheter.")),
            L("vertaistukiryhma-hyvinkaa", "peer-support", "Vertaistukiryhmä Hyvinkäällä",
              "Omaishoitajien iltaryhmä Hyvinkäällä joka toinen tiistai.",
              500, "session", "at_provider", "Hyvinkää", ("wheelchair_access",), capacity=12),
            L("virkistyspaiva", "peer-support", "Omaishoitajien virkistyspäivä",
              "Retkipäivä omaishoitajille: bussikuljetus, ohjelmaa ja lounas. Hoidettavan "
              "sijaishoidosta sovitaan erikseen.",
              4500, "day", "at_provider", "Nurmijärvi", ("wheelchair_access",), capacity=30),
            L("verkkoryhma", "peer-support", "Verkkovertaisryhmä omaishoitajille",
              "Iltaisin kokoontuva etäryhmä niille, joiden on vaikea lähteä kotoa.",
              500, "session", "online", "Tuusula", capacity=10),
        ),
    ),
    _Provider(
        "prov-tuulikello", "Mielenterveysyhdistys Tuulikello ry", "yhdistys@tuulikello.example",
        ("fi", "sv"), ("Järvenpää", "Kerava"), ((KEUSOTE, APPROVED), (VAKEHYVA, APPROVED)),
        street="Kellotie",
        listings=(
            L("nuoret-aikuiset", "peer-support", "Vertaistukiryhmä nuorille aikuisille",
              "18–29-vuotiaiden ryhmä, jossa puhutaan jaksamisesta, opiskelusta ja arjesta "
              "vertaisohjaajan kanssa.",
              800, "session", "at_provider", "Järvenpää", capacity=10,
              en=("Peer support group for young adults", "A group for 18–29-year-olds on coping, "
                                                         "studies and everyday life, with a peer "
                                                         "facilitator.")),
            L("klubitalo", "peer-support", "Klubitalon päivä",
              "Klubitalolla voi osallistua keittiön ja toimiston töihin, syödä edullisen lounaan ja "
              "tavata muita.",
              1000, "day", "at_provider", "Kerava", ("wheelchair_access",), capacity=20),
            L("ruotsinkielinen", "peer-support", "Ruotsinkielinen vertaistukiryhmä",
              "Vertaistukea ruotsiksi joka toinen viikko.",
              800, "session", "at_provider", "Kerava", capacity=8, languages=("sv",),
              sv=("Kamratstödsgrupp på svenska", "Kamratstöd för vuxna med psykisk ohälsa, varannan "
                                                 "vecka på svenska.")),
        ),
    ),
    _Provider(
        "prov-nakovammaiset", "Hyvinkään seudun Näkövammaiset ry", "toimisto@hsnakovammaiset.example",
        ("fi",), ("Hyvinkää",), ((KEUSOTE, PENDING),), street="Vapaudenkatu",
        listings=(
            L("vertaistukiryhma", "peer-support", "Vertaistukiryhmä näkövammaisille",
              "Kerran kuussa kokoontuva ryhmä, jossa vaihdetaan vinkkejä apuvälineistä ja arjesta. "
              "Opaskoira on tervetullut.",
              500, "session", "at_provider", "Hyvinkää", ("guide_dog_welcome", "large_print"),
              capacity=15),
            L("opastus", "peer-support", "Vapaaehtoinen kävelyopas",
              "Näkevä vapaaehtoinen opas ulkoiluun tai asiointiin, 2 h.",
              1000, "session", "at_client_home", "Hyvinkää"),
        ),
    ),
)

DEMO_USERS = [
    {"email": "asiakas@demo.hb.example", "password": "demo-asiakas-2026", "role": "client",
     "display_name": "Asiakas 0001", "scope_ref": "cli-0001"},
    {"email": "omainen@demo.hb.example", "password": "demo-omainen-2026", "role": "proxy",
     "display_name": "Omainen (Asiakas 0002)", "scope_ref": "cli-0002"},
    {"email": "tuottaja@demo.hb.example", "password": "demo-tuottaja-2026", "role": "provider_staff",
     "display_name": "Talli Tuulenpesä, henkilökunta", "scope_ref": "prov-tuulenpesa"},
    {"email": "ohjaaja@demo.hb.example", "password": "demo-ohjaaja-2026", "role": "counsellor",
     "display_name": "Asiakasohjaaja, Keusote", "scope_ref": KEUSOTE},
    {"email": "jarjestaja@demo.hb.example", "password": "demo-jarjestaja-2026", "role": "organiser_admin",
     "display_name": "Järjestäjä, Keusote", "scope_ref": KEUSOTE},
    {"email": "jarjestaja.vakehyva@demo.hb.example", "password": "demo-vakehyva-2026",
     "role": "organiser_admin", "display_name": "Järjestäjä, Vakehyva", "scope_ref": VAKEHYVA},
    {"email": "yllapito@demo.hb.example", "password": "demo-yllapito-2026", "role": "platform_admin",
     "display_name": "Alustan ylläpito", "scope_ref": None},
]


# --- clients ---------------------------------------------------------------------------------------
# Line templates per client group: (category, lowest and highest amount for the year in cents,
# categories the line may fund, share of the line that may be swapped; None = the whole line).
_LINE_TEMPLATES = {
    "disability_services": (
        ("day-activities", 360000, 720000, ("culture-art", "sport-riding", "social-farming", "therapy"), 0.5),
        ("transport", 90000, 180000, (), None),
    ),
    "family_carers": (
        ("carer-respite", 300000, 600000,
         ("sport-riding", "social-farming", "culture-art", "home-help", "peer-support"), 0.5),
        ("transport", 40000, 90000, (), None),
    ),
    "older_people": (
        ("home-help", 240000, 480000, ("peer-support", "digital", "sport-riding", "coaching"), 0.3),
        ("transport", 60000, 120000, ("day-activities",), None),
    ),
    "families": (
        ("home-help", 180000, 360000, ("coaching", "peer-support", "culture-art"), 0.4),
        ("coaching", 120000, 240000, ("digital",), None),
    ),
    "young_adults": (
        ("coaching", 240000, 480000,
         ("digital", "peer-support", "sport-riding", "social-farming", "culture-art"), 0.5),
        ("therapy", 100000, 200000, ("peer-support",), None),
    ),
}
# Optional third lines a counsellor adds for some clients.
_EXTRA_LINES = {
    "disability_services": ("therapy", 80000, 160000),
    "family_carers": ("peer-support", 10000, 30000),
    "older_people": ("day-activities", 150000, 300000),
    "families": ("culture-art", 40000, 80000),
    "young_adults": ("sport-riding", 40000, 80000),
}
# Client groups in order, per organiser (the first two are fixed: cli-0001 is the example's
# client, cli-0002 the demo proxy's older relative).
_KEUSOTE_GROUPS = (
    ["disability_services"] * 10 + ["family_carers"] * 9 + ["older_people"] * 6
    + ["families"] * 3 + ["young_adults"] * 4
)
_VAKEHYVA_GROUPS = (
    ["disability_services"] * 2 + ["family_carers"] * 2 + ["older_people"] * 2
    + ["families"] * 1 + ["young_adults"] * 1
)
# Decision periods and how often they occur: most run for the calendar year, some clients joined
# the scheme later in the year.
_PERIODS = (
    ((DECISION_START, DECISION_END), 7),
    (("2026-03-01", DECISION_END), 2),
    (("2026-06-01", DECISION_END), 1),
)
_EXAMPLE_CLIENT_LINES = [
    {"category": "day-activities", "amount_cents": 540000, "may_fund": ["culture-art", "sport-riding"],
     "swap_cap_cents": 270000},
    {"category": "transport", "amount_cents": 120000, "may_fund": []},
]


def build_demo_document() -> dict:
    """Return the whole demo data set as a fresh `hb-import/1` document (same every call)."""
    rng = random.Random(SEED)
    business_ids = _BusinessIds(rng)
    organisers = [dict(org, municipalities=list(org["municipalities"])) for org in _ORGANISERS]
    for org in organisers:
        if org["business_id"] is None:
            org["business_id"] = business_ids.new()
    org_areas = {org["ref"]: set(org["municipalities"]) for org in organisers}

    providers, listings = [], []
    addresses = _Addresses(rng)
    for spec in _PROVIDERS:
        providers.append(_provider_record(spec, rng, business_ids))
        for item in spec.listings:
            listings.append(_listing_record(spec, item, org_areas, addresses))

    return {
        "format": FORMAT,
        "organisers": organisers,
        "categories": [
            {"ref": code, "names": {"fi": fi, "sv": sv, "en": en}, "traditional": traditional,
             "requirements": list(reqs)}
            for code, fi, sv, en, traditional, reqs in _CATEGORIES
        ],
        "providers": providers,
        "listings": listings,
        "clients": _clients(rng),
    }


class _BusinessIds:
    """Hands out distinct, valid, random-looking Y-tunnus values."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used = {p.fixed["business_id"] for p in _PROVIDERS if p.fixed}
        self._used.update(o["business_id"] for o in _ORGANISERS if o["business_id"])

    def new(self) -> str:
        while True:
            base = f"{self._rng.randrange(2000000, 3400000):07d}"
            remainder = sum(w * int(d) for w, d in zip((7, 9, 10, 5, 8, 4, 2), base)) % 11
            if remainder == 1:  # no valid check digit exists for this base
                continue
            candidate = f"{base}-{0 if remainder == 0 else 11 - remainder}"
            if candidate not in self._used:
                self._used.add(candidate)
                return candidate


class _Addresses:
    """One stable street address per provider and municipality."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._known: dict[tuple[str, str], str] = {}

    def of(self, spec: _Provider, municipality: str) -> str:
        key = (spec.ref, municipality)
        if key not in self._known:
            home = spec.street is not None and municipality == spec.municipalities[0]
            street = spec.street if home else self._rng.choice(_STREETS)
            postcode = self._rng.choice(_POST_CODES[municipality])
            town = _POST_TOWNS.get(postcode, municipality)
            self._known[key] = f"{street} {self._rng.randint(1, 48)}, {postcode} {town}"
        return self._known[key]


def _provider_record(spec: _Provider, rng: random.Random, business_ids: _BusinessIds) -> dict:
    if spec.fixed:
        business_id, iban, phone = spec.fixed["business_id"], spec.fixed["iban"], spec.fixed.get("phone")
    else:
        business_id = business_ids.new()
        account = f"{rng.randrange(10**9, 10**10):010d}"
        iban = IBAN.generate("FI", bank_code=rng.choice(_BANK_CODES), account_code=account).compact
        phone = f"+358{rng.choice(('40', '44', '45', '50'))}{rng.randrange(10**6, 10**7)}"
    needed = {req for item in spec.listings for req in _CATEGORY_REQUIREMENTS[item.category]}
    record = {
        "ref": spec.ref,
        "business_id": business_id,
        "name": spec.name,
        "iban": iban,
        "email": spec.email,
    }
    if phone:
        record["phone"] = phone
    record.update({
        "languages": list(spec.languages),
        "municipalities": list(spec.municipalities),
        # Only what the provider has shown; a missing requirement is simply absent.
        "evidence": {req: True for req in REQUIREMENTS if req in needed and req not in spec.missing_evidence},
        "approvals": [{"organiser": org, "status": status} for org, status in spec.approvals],
        "issue_api_key": spec.issue_api_key,
    })
    return record


def _listing_status(provider_status: str, review: str) -> str:
    """A listing can be approved only where its provider is approved."""
    if provider_status == APPROVED:
        return review
    if provider_status in (REJECTED, SUSPENDED):
        return provider_status
    return PENDING  # the provider is pending or was asked for changes


def _listing_record(spec: _Provider, item: _Listing, org_areas: dict, addresses: _Addresses) -> dict:
    if item.municipality not in spec.municipalities:
        raise ValueError(f"{spec.ref}/{item.slug}: {item.municipality} is not served by the provider")
    approvals = [
        {"organiser": org, "status": _listing_status(status, item.review)}
        for org, status in spec.approvals
        if item.delivery_mode == "online" or item.municipality in org_areas[org]
    ]
    if not approvals:
        raise ValueError(f"{spec.ref}/{item.slug}: no organiser covers {item.municipality}")
    title, description = {"fi": item.title}, {"fi": item.description}
    for lang, texts in (("sv", item.sv), ("en", item.en)):
        if texts:
            title[lang] = texts[0]
            if texts[1]:
                description[lang] = texts[1]
    return {
        "ref": item.ref or f"lst-{spec.ref.removeprefix('prov-')}-{item.slug}",
        "provider": spec.ref,
        "category": item.category,
        "title": title,
        "description": description,
        "price_cents": item.price_cents,
        "unit": item.unit,
        "delivery_mode": item.delivery_mode,
        "municipality": item.municipality,
        "address": addresses.of(spec, item.municipality),
        "languages": list(item.languages or spec.languages),
        "accessibility": list(item.accessibility),
        "capacity": item.capacity,
        "approvals": approvals,
    }


def _round_euros(cents: float, step: int = 10000) -> int:
    """Budget amounts are granted in whole hundreds of euros."""
    return max(step, int(round(cents / step)) * step)


def _decision_lines(group: str, rng: random.Random) -> list[dict]:
    lines = []
    for category, low, high, may_fund, swap_share in _LINE_TEMPLATES[group]:
        amount = _round_euros(rng.randint(low, high))
        line = {"category": category, "amount_cents": amount, "may_fund": list(may_fund)}
        if may_fund and swap_share is not None:
            line["swap_cap_cents"] = _round_euros(amount * swap_share)
        lines.append(line)
    if rng.random() < 0.35:
        category, low, high = _EXTRA_LINES[group]
        lines.append({"category": category, "amount_cents": _round_euros(rng.randint(low, high), 5000),
                      "may_fund": []})
    return lines


def _clients(rng: random.Random) -> list[dict]:
    keusote = list(_KEUSOTE_GROUPS)
    keusote.remove("disability_services")
    keusote.remove("older_people")
    rng.shuffle(keusote)
    vakehyva = list(_VAKEHYVA_GROUPS)
    rng.shuffle(vakehyva)
    plan = ([(KEUSOTE, "disability_services"), (KEUSOTE, "older_people")]
            + [(KEUSOTE, g) for g in keusote] + [(VAKEHYVA, g) for g in vakehyva])
    # Swedish-speaking clients: two in each county (never the fixed first two).
    swedish = set(rng.sample(range(3, len(_KEUSOTE_GROUPS) + 1), 2))
    swedish |= set(rng.sample(range(len(_KEUSOTE_GROUPS) + 1, len(plan) + 1), 2))

    periods, weights = zip(*_PERIODS)
    clients = []
    for number, (organiser, group) in enumerate(plan, start=1):
        if number == 1:  # the client of import-example.json
            lines = [dict(line, may_fund=list(line["may_fund"])) for line in _EXAMPLE_CLIENT_LINES]
            start, end = DECISION_START, DECISION_END
            per_transaction = 20000
        else:
            lines = _decision_lines(group, rng)
            if number == 2:  # the demo proxy's relative: a full-year decision
                start, end = DECISION_START, DECISION_END
            else:
                start, end = rng.choices(periods, weights)[0]
            per_transaction = rng.choice((15000, 20000, 25000, 30000))
        clients.append({
            "ref": f"cli-{number:04d}",
            "organiser": organiser,
            "display_name": f"Asiakas {number:04d}",
            "client_group": group,
            "language": "sv" if number in swedish else "fi",
            "decision": {"ref": f"dec-{number:04d}", "start": start, "end": end, "lines": lines},
            "card": {
                "ref": f"card-{number:04d}",
                "token": f"hbc_demo_{number:04d}_{rng.getrandbits(16):04x}",
                "per_transaction_limit_cents": per_transaction,
                "daily_limit_cents": per_transaction * 2,
            },
        })
    return clients
