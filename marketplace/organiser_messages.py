"""Texts of the platform admin's organisers page and the organiser checks, in Finnish, Swedish and English."""

from core.i18n import register


def _m(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


MESSAGES = {
    "nav.organisers": _m("Järjestäjät", "Anordnare", "Organisers"),
    "organiser.title": _m("Järjestäjät", "Anordnare", "Organisers"),
    "organiser.intro": _m(
        "Lisää hyvinvointialue ja kutsu sen ensimmäinen pääkäyttäjä.",
        "Lägg till ett välfärdsområde och bjud in dess första huvudanvändare.",
        "Add a wellbeing services county and invite its first admin."),
    "organiser.new": _m("Uusi järjestäjä", "Ny anordnare", "New organiser"),
    "organiser.name": _m("Nimi", "Namn", "Name"),
    "organiser.business_id": _m("Y-tunnus", "FO-nummer", "Business ID"),
    "organiser.municipalities": _m("Kunnat", "Kommuner", "Municipalities"),
    "organiser.municipalities_hint": _m("Pilkulla erotettuina.", "Åtskilda med kommatecken.", "Separated by commas."),
    "organiser.iban": _m("Tilinumero (IBAN)", "Kontonummer (IBAN)", "Bank account (IBAN)"),
    "organiser.bic": _m("BIC", "BIC", "BIC"),
    "organiser.bank_hint": _m(
        "Tililtä maksetaan palveluntuottajille. Voi lisätä myöhemmin tuonnilla.",
        "Från kontot betalas producenterna. Kan läggas till senare med en import.",
        "Providers are paid from this account. May be added later by an import."),
    "organiser.settlement_period": _m("Tilitysjakso", "Redovisningsperiod", "Settlement period"),
    "organiser.period.daily": _m("Päivittäin", "Dagligen", "Daily"),
    "organiser.period.weekly": _m("Viikoittain", "Veckovis", "Weekly"),
    "organiser.period.monthly": _m("Kuukausittain", "Månadsvis", "Monthly"),
    "organiser.create": _m("Lisää järjestäjä", "Lägg till anordnaren", "Add the organiser"),
    "organiser.created": _m("Järjestäjä {name} on lisätty.", "Anordnaren {name} har lagts till.",
                            "The organiser {name} has been added."),
    "organiser.invite_admin": _m("Kutsu sen pääkäyttäjä", "Bjud in dess huvudanvändare", "Invite its admin"),
    "organiser.list": _m("Järjestäjät alustalla", "Anordnare på plattformen", "Organisers on the platform"),
    "organiser.none": _m("Ei järjestäjiä.", "Inga anordnare.", "No organisers."),
    "organiser.bic_invalid": _m("BIC-tunnus ei ole kelvollinen.", "BIC-koden är ogiltig.", "The BIC is not valid."),
    "organiser.business_id_taken": _m(
        "Järjestäjä tällä Y-tunnuksella on jo alustalla.", "En anordnare med detta FO-nummer finns redan.",
        "An organiser with this business ID is on the platform already."),
}

register(MESSAGES)
