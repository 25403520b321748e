"""Test data built through the platform's own code paths (the importer and the services)."""

import copy
import json
from pathlib import Path

from core.identity import Actor
from marketplace import importer

REPO = Path(__file__).resolve().parents[1]
# The import example of docs/api.md ("Bulk import").
EXAMPLE = REPO / "tests" / "fixtures" / "import-example.json"

CATALOGUE = {
    "format": "hb-import/1",
    "organisers": [
        {"ref": "org-a", "name": "Keski-Uudenmaan hyvinvointialue", "business_id": "5908301-5",
         "municipalities": ["Hyvinkää", "Järvenpää", "Nurmijärvi", "Tuusula"]},
        {"ref": "org-b", "name": "Vantaan ja Keravan hyvinvointialue", "business_id": "2093778-1",
         "municipalities": ["Vantaa", "Kerava"]},
    ],
    "categories": [
        {"ref": "sport-riding", "names": {"fi": "Liikunta ja ratsastus", "sv": "Motion och ridning", "en": "Sport and riding"},
         "traditional": False, "requirements": ["prepayment_register", "liability_insurance"]},
        {"ref": "culture-art", "names": {"fi": "Kulttuuri ja taide", "sv": "Kultur och konst", "en": "Culture and art"},
         "traditional": False, "requirements": ["prepayment_register"]},
        {"ref": "transport", "names": {"fi": "Kuljetuspalvelut", "sv": "Färdtjänst", "en": "Transport services"},
         "traditional": True, "requirements": ["prepayment_register", "liability_insurance", "taxi_licence"]},
    ],
}

ADMIN = Actor(role="platform_admin", display_name="test setup")


def example_document(without_clients: bool = False) -> dict:
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    if without_clients:
        doc.pop("clients", None)
    return doc


async def seed_catalogue() -> dict[str, str]:
    result = await importer.import_document(copy.deepcopy(CATALOGUE), actor=ADMIN)
    return result["refs"]


def registration(refs: dict, **overrides) -> dict:
    body = {
        "name": "Talli Kavio Oy",
        "business_id": "1572860-0",
        "iban": "FI21 1234 5600 0007 85",
        "email": "talli@kavio.example",
        "phone": "+358 40 765 4321",
        "languages": ["fi", "sv"],
        "municipalities": ["Nurmijärvi", "Tuusula"],
        "categories": ["sport-riding"],
        "organisers": [refs["org-a"]],
        "evidence": {
            "prepayment_register": {"provided": True, "detail": "Ennakkoperintärekisterissä 1.1.2020 alkaen"},
            "liability_insurance": {"provided": True, "detail": "Vakuutusyhtiö Lähi, vastuuvakuutus 123-456"},
        },
        "contact_name": "Kaisa Kavio",
        "password": "hevonen-ja-satula-2026",
    }
    body.update(overrides)
    return body


def listing_body(**overrides) -> dict:
    body = {
        "category": "sport-riding",
        "title": {"fi": "Ratsastusterapia", "sv": "Ridterapi"},
        "description": {"fi": "Fysioterapeutin ohjaama ratsastusterapia, 45 min."},
        "price_cents": 7500,
        "unit": "session",
        "delivery_mode": "at_provider",
        "municipality": "Nurmijärvi",
        "address": "Tallitie 5, 01900 Nurmijärvi",
        "accessibility": ["wheelchair_access"],
        "languages": ["fi", "sv"],
        "capacity": 2,
    }
    body.update(overrides)
    return body
