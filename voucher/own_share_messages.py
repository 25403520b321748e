"""Texts of own share (asiakasmaksu): the organiser's fee rules, their checks and the split shown to
clients and providers, in Finnish, Swedish and English (docs/decisions/0033)."""

from core.i18n import register


def _m(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


MESSAGES = {
    # Checks
    "voucher.error.fee_code": _m("Tunnus: pienet kirjaimet, numerot, - ja _ (enintään 64 merkkiä).",
                                 "Koden: små bokstäver, siffror, - och _ (högst 64 tecken).",
                                 "Code: lower-case letters, digits, - and _ (at most 64 characters)."),
    "voucher.error.fee_kind": _m("Valitse maksun laji: ei maksua, kiinteä per yksikkö tai prosentti.",
                                 "Välj avgiftens typ: ingen avgift, fast per enhet eller procent.",
                                 "Choose the kind of fee: none, fixed per unit or percent."),
    "voucher.error.fee_percent_range": _m("Prosentin pitää olla 0–100.", "Procenten ska vara 0–100.",
                                          "The percentage must be 0–100."),
    "voucher.error.fee_value_range": _m("Summa ei kelpaa.", "Beloppet duger inte.", "The amount is not valid."),
    "voucher.error.fee_cap_range": _m("Kuukausikatto ei kelpaa.", "Månadstaket duger inte.", "The monthly cap is not valid."),
    "voucher.error.fee_name": _m("Anna nimi suomeksi (enintään 200 merkkiä kullakin kielellä).",
                                 "Ange ett namn på finska (högst 200 tecken på varje språk).",
                                 "Give a name in Finnish (at most 200 characters in each language)."),
    "voucher.error.fee_decision_ref": _m("Maksupäätöksen viite on liian pitkä.", "Avgiftsbeslutets referens är för lång.",
                                         "The fee decision's reference is too long."),
    "voucher.error.unknown_fee_rule": _m("Hyvinvointialueella ei ole tällaista asiakasmaksun sääntöä.",
                                         "Välfärdsområdet har ingen sådan regel för klientavgift.",
                                         "The county has no such client fee rule."),
    "voucher.error.period_too_long": _m("Jakso on liian pitkä (enintään kolme vuotta).",
                                        "Perioden är för lång (högst tre år).", "The period is too long (at most three years)."),
    "voucher.decline.own_share_covers_price": _m(
        "Asiakas maksaa tämän kokonaan itse: budjetista ei veloiteta mitään.",
        "Klienten betalar detta helt själv: ingenting debiteras budgeten.",
        "The client pays this in full themself: nothing is charged to the budget."),
    # The organiser's page
    "own_share.nav": _m("Asiakasmaksut", "Klientavgifter", "Client fees"),
    "own_share.title": _m("Asiakasmaksujen säännöt", "Regler för klientavgifter", "Client fee rules"),
    "own_share.intro": _m(
        "Asiakasmaksu on osa hinnasta, jonka asiakas maksaa itse palveluntuottajalle. Budjetti maksaa loput. "
        "Päätöksen rivi voi nimetä säännön. Muutos koskee varauksia ja maksuja, jotka tehdään muutoksen jälkeen.",
        "Klientavgiften är den del av priset som klienten själv betalar till tjänsteproducenten. Budgeten betalar "
        "resten. En rad i beslutet kan ange en regel. En ändring gäller bokningar och betalningar efter ändringen.",
        "The client fee is the part of the price the client pays the provider themself. The budget pays the rest. "
        "A decision's line may name a rule. A change applies to bookings and payments made after it."),
    "own_share.saved": _m("Sääntö tallennettiin.", "Regeln sparades.", "The rule was saved."),
    "own_share.unchanged": _m("Ei muutoksia.", "Inga ändringar.", "Nothing changed."),
    "own_share.none_yet": _m("Sääntöjä ei ole vielä.", "Det finns inga regler ännu.", "There are no rules yet."),
    "own_share.add": _m("Lisää tai muuta sääntö", "Lägg till eller ändra en regel", "Add or change a rule"),
    "own_share.add_hint": _m("Olemassa olevan tunnuksen sääntö muuttuu.", "En regel med en befintlig kod ändras.",
                             "A rule with an existing code is changed."),
    "own_share.code": _m("Tunnus", "Kod", "Code"),
    "own_share.name": _m("Nimi", "Namn", "Name"),
    "own_share.name_fi": _m("Nimi suomeksi", "Namn på finska", "Name in Finnish"),
    "own_share.name_sv": _m("Nimi ruotsiksi", "Namn på svenska", "Name in Swedish"),
    "own_share.name_en": _m("Nimi englanniksi", "Namn på engelska", "Name in English"),
    "own_share.kind": _m("Laji", "Typ", "Kind"),
    "own_share.kind.none": _m("Ei maksua", "Ingen avgift", "No fee"),
    "own_share.kind.per_unit": _m("Kiinteä summa per yksikkö", "Fast belopp per enhet", "Fixed amount per unit"),
    "own_share.kind.percent": _m("Prosentti hinnasta", "Procent av priset", "Percent of the price"),
    "own_share.value": _m("Summa (€) tai prosentti", "Belopp (€) eller procent", "Amount (€) or percent"),
    "own_share.value_hint": _m("Kiinteälle: euroa per yksikkö, esim. 3,10. Prosentille: esim. 10.",
                               "För fast: euro per enhet, t.ex. 3,10. För procent: t.ex. 10.",
                               "For fixed: euros per unit, e.g. 3.10. For percent: e.g. 10."),
    "own_share.cap": _m("Kuukausikatto (€, tyhjä = ei kattoa)", "Månadstak (€, tomt = inget tak)",
                        "Monthly cap (€, empty = no cap)"),
    "own_share.cap_none": _m("ei kattoa", "inget tak", "no cap"),
    "own_share.per_month": _m("enintään {amount}/kk", "högst {amount}/mån", "at most {amount}/month"),
    "own_share.per_unit": _m("{amount}/yksikkö", "{amount}/enhet", "{amount}/unit"),
    "own_share.decision_ref": _m("Maksupäätöksen viite", "Avgiftsbeslutets referens", "Fee decision reference"),
    "own_share.save": _m("Tallenna sääntö", "Spara regeln", "Save the rule"),
    "own_share.line_rule": _m("Asiakasmaksu", "Klientavgift", "Client fee"),
}

register(MESSAGES)
