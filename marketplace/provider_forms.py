"""The provider's web forms (registration and profile) turned into the same Structs the JSON API
takes, so both are checked by the same rules in ``marketplace.providers``."""

import msgspec

from marketplace.schemas import EvidenceItem, ProviderRegistration, ProviderUpdate


def registration_from_form(form: dict, as_list) -> ProviderRegistration:
    """Build the registration from a web form's fields (the same rules as the JSON API)."""
    evidence = {}
    for key, value in form.items():
        if key.startswith("evidence.") and key.endswith(".provided"):
            req = key[len("evidence."):-len(".provided")]
            evidence[req] = EvidenceItem(provided=True, detail=str(form.get(f"evidence.{req}.detail") or "")[:500])
    for key, value in form.items():
        if key.startswith("evidence.") and key.endswith(".detail") and str(value).strip():
            req = key[len("evidence."):-len(".detail")]
            evidence.setdefault(req, EvidenceItem(provided=False, detail=str(value)[:500]))
    return msgspec.convert(
        {
            "name": str(form.get("name") or "")[:200],
            "kind": str(form.get("kind") or "company")[:32],
            "business_id": str(form.get("business_id") or "")[:20],
            "iban": str(form.get("iban") or "")[:42],
            "invoicing_service_name": str(form.get("invoicing_service_name") or "")[:200],
            "payment_reference": str(form.get("payment_reference") or "")[:40],
            "email": str(form.get("email") or "")[:254],
            "phone": str(form.get("phone") or "")[:32],
            "website": str(form.get("website") or "")[:300],
            "description": str(form.get("description") or "")[:4000],
            "languages": as_list(form.get("languages")),
            "municipalities": as_list(form.get("municipalities")),
            "categories": as_list(form.get("categories")),
            "organisers": as_list(form.get("organisers")),
            "evidence": {k: msgspec.to_builtins(v) for k, v in evidence.items()},
            "contact_name": str(form.get("contact_name") or "")[:200],
            "password": str(form.get("password") or "")[:200],
        },
        ProviderRegistration,
    )


def update_from_form(form: dict, as_list) -> ProviderUpdate:
    """The profile form → the same update the JSON API takes (validated by the same rules)."""
    registration = registration_from_form({**form, "business_id": "", "password": "", "contact_name": ""}, as_list)
    values = {
        name: getattr(registration, name)
        for name in ("name", "iban", "invoicing_service_name", "payment_reference", "email", "phone", "website", "description", "languages", "municipalities",
                     "categories", "organisers", "evidence")
    }
    for name in ("iban", "invoicing_service_name", "payment_reference"):
        if name not in form:
            values.pop(name)  # the form shows only what the provider's kind gives (decision 0036)
    merchant = str(form.get("merchant_id") or "").strip()[:100]
    values["merchant_id"] = merchant or None
    if not values["organisers"]:
        values.pop("organisers")  # applying to more counties is optional on this form
    return msgspec.convert(values, ProviderUpdate)
