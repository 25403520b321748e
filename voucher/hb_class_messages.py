"""Texts of HB classes and tariffs, the client's classes, computed decision lines and overrides
(voucher.hb_classes, its pages and the import's checks), in Finnish, Swedish and English."""

from core.i18n import register


def _m(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


MESSAGES = {
    # Units and the computation's words
    "voucher.hb.unit.day": _m("päivä", "dag", "day"),
    "voucher.hb.unit.hour": _m("tunti", "timme", "hour"),
    "voucher.hb.unit.trip": _m("matka", "resa", "trip"),
    "voucher.hb.unit.km": _m("kilometri", "kilometer", "kilometre"),
    "voucher.hb.unit.session": _m("käyntikerta", "besök", "session"),
    "voucher.hb.unit.visit": _m("kotikäynti", "hembesök", "home visit"),
    "voucher.hb.unit_short.day": _m("pv", "d", "days"),
    "voucher.hb.unit_short.hour": _m("h", "h", "h"),
    "voucher.hb.unit_short.trip": _m("matkaa", "resor", "trips"),
    "voucher.hb.unit_short.km": _m("km", "km", "km"),
    "voucher.hb.unit_short.session": _m("krt", "ggr", "sessions"),
    "voucher.hb.unit_short.visit": _m("käyntiä", "besök", "visits"),
    "voucher.hb.per_month": _m("{units} {unit}/kk", "{units} {unit}/mån", "{units} {unit}/month"),
    "voucher.hb.month_short": _m("kk", "mån", "months"),
    # Errors (they name the field through the form or the problem's field)
    "voucher.error.hb_class_code": _m(
        "Anna luokan tunnus (1–16 merkkiä, ei välilyöntejä alussa tai lopussa).",
        "Ange klassens kod (1–16 tecken, inga mellanslag i början eller slutet).",
        "Give the class code (1–16 characters, no spaces at the start or end)."),
    "voucher.error.hb_class_name": _m("Anna luokan nimi suomeksi.", "Ange klassens namn på finska.",
                                      "Give the class a Finnish name."),
    "voucher.error.hb_units_range": _m("Yksiköitä kuukaudessa on oltava 1–10 000.",
                                       "Enheter per månad ska vara 1–10 000.",
                                       "Units per month must be 1–10,000."),
    "voucher.error.hb_unit": _m("Valitse yksikkö: päivä, tunti, matka, km, käyntikerta tai kotikäynti.",
                                "Välj enhet: dag, timme, resa, km, besök eller hembesök.",
                                "Choose a unit: day, hour, trip, km, session or home visit."),
    "voucher.error.hb_class_unknown": _m("Palvelulla ei ole tätä HB-luokkaa.", "Tjänsten har inte denna HB-klass.",
                                         "The service has no such HB class."),
    "voucher.error.hb_no_tariff": _m("Luokalla ei ole hintaa, joka olisi voimassa {date}. Lisää hinta ensin.",
                                     "Klassen har inget pris som gäller {date}. Lägg till ett pris först.",
                                     "The class has no tariff in force on {date}. Add a tariff first."),
    "voucher.error.hb_tariff_range": _m("Yksikköhinnan on oltava yli 0 € ja enintään 100 000 €.",
                                        "Enhetspriset ska vara över 0 € och högst 100 000 €.",
                                        "The price per unit must be over €0 and at most €100,000."),
    "voucher.error.hb_tariff_exists": _m(
        "Tälle päivälle on jo hinta. Voimassa olevaa hintaa ei muuteta: lisää uusi hinta myöhemmästä päivästä.",
        "Det finns redan ett pris för denna dag. Ett pris ändras inte: lägg till ett nytt från en senare dag.",
        "There is already a tariff from this date. A tariff is never changed: add a new one from a later date."),
    "voucher.error.hb_tariff_backdated": _m(
        "Uusi hinta ei voi alkaa taannehtivasti: valitse tämä päivä tai myöhempi, ja viimeisimmän hinnan jälkeinen päivä.",
        "Ett nytt pris kan inte gälla retroaktivt: välj i dag eller senare, och efter det senaste priset.",
        "A new tariff cannot apply retroactively: choose today or later, and after the latest tariff."),
    "voucher.error.hb_period_too_long": _m("Luokista lasketaan enintään kymmenen vuoden kausi.",
                                           "Från klasserna beräknas högst en period på tio år.",
                                           "At most ten years can be computed from the classes."),
    "voucher.error.override_reason": _m(
        "Summa poikkeaa luokan mukaan lasketusta. Kirjoita poikkeamisen peruste.",
        "Beloppet avviker från det som beräknats enligt klassen. Skriv grunden för avvikelsen.",
        "The amount differs from the one computed from the class. Write the reason for the override."),
    # The organiser's page
    "voucher.nav.hb_classes": _m("HB-luokat ja hinnat", "HB-klasser och priser", "HB classes and tariffs"),
    "voucher.hb.county_link": _m("Hyvinvointialueen HB-luokat ja hinnat", "Välfärdsområdets HB-klasser och priser",
                                 "The county's HB classes and tariffs"),
    "voucher.hb.title": _m("HB-luokat ja hinnat", "HB-klasser och priser", "HB classes and tariffs"),
    "voucher.hb.intro": _m(
        "HB-luokka kertoo, kuinka paljon palvelua asiakkaalle myönnetään kuukaudessa. Budjetin rivi lasketaan "
        "luokan yksiköistä ja hinnasta. Hinnan muutos tehdään lisäämällä uusi hinta jostakin päivästä alkaen: "
        "jo tehdyt päätökset eivät muutu.",
        "HB-klassen anger hur mycket tjänst klienten beviljas per månad. Budgetraden beräknas av klassens "
        "enheter och pris. Ett pris ändras genom att lägga till ett nytt pris från en viss dag: beslut som "
        "redan fattats ändras inte.",
        "An HB class says how much of a service a client is granted a month. A budget line is computed from "
        "the class's units and its tariff. A price changes by adding a new tariff from a date: decisions "
        "already made do not change."),
    "voucher.hb.saved": _m("Tallennettu.", "Sparat.", "Saved."),
    "voucher.hb.service": _m("Palvelu", "Tjänst", "Service"),
    "voucher.hb.code": _m("Luokan tunnus", "Klassens kod", "Class code"),
    "voucher.hb.class": _m("Luokka", "Klass", "Class"),
    "voucher.hb.name_fi": _m("Nimi suomeksi", "Namn på finska", "Name in Finnish"),
    "voucher.hb.name_sv": _m("Nimi ruotsiksi", "Namn på svenska", "Name in Swedish"),
    "voucher.hb.name_en": _m("Nimi englanniksi", "Namn på engelska", "Name in English"),
    "voucher.hb.criteria": _m("Luokkaan kuulumisen kriteerit", "Kriterier för att höra till klassen",
                              "Criteria for belonging to the class"),
    "voucher.hb.units_per_month": _m("Yksiköitä kuukaudessa", "Enheter per månad", "Units per month"),
    "voucher.hb.unit_label": _m("Yksikkö", "Enhet", "Unit"),
    "voucher.hb.active": _m("Käytössä", "I bruk", "In use"),
    "voucher.hb.tariff_now": _m("Hinta nyt", "Pris nu", "Tariff now"),
    "voucher.hb.tariff_next": _m("Tulevat hinnat", "Kommande priser", "Coming tariffs"),
    "voucher.hb.no_tariff": _m("Ei hintaa", "Inget pris", "No tariff"),
    "voucher.hb.none": _m("Luokkia ei ole vielä määritelty.", "Inga klasser har definierats ännu.",
                          "No classes have been defined yet."),
    "voucher.hb.edit": _m("Muokkaa", "Redigera", "Edit"),
    "voucher.hb.class_form": _m("Lisää tai muuta luokka", "Lägg till eller ändra en klass", "Add or change a class"),
    "voucher.hb.class_form_hint": _m("Sama palvelu ja tunnus muuttaa olemassa olevaa luokkaa.",
                                     "Samma tjänst och kod ändrar en befintlig klass.",
                                     "The same service and code changes an existing class."),
    "voucher.hb.save_class": _m("Tallenna luokka", "Spara klassen", "Save the class"),
    "voucher.hb.tariff_form": _m("Lisää hinta", "Lägg till ett pris", "Add a tariff"),
    "voucher.hb.tariff_class": _m("Luokka", "Klass", "Class"),
    "voucher.hb.whole_service": _m("Koko palvelu (luokat, joilla ei omaa hintaa)",
                                   "Hela tjänsten (klasser utan eget pris)", "The whole service (classes without their own)"),
    "voucher.hb.price": _m("Hinta yksiköltä (€)", "Pris per enhet (€)", "Price per unit (€)"),
    "voucher.hb.valid_from": _m("Voimassa alkaen", "Gäller från", "Valid from"),
    "voucher.hb.valid_from_hint": _m("Tämä päivä tai myöhempi. Aiemmat hinnat jäävät voimaan siihen asti.",
                                     "I dag eller senare. Tidigare priser gäller fram till dess.",
                                     "Today or later. Earlier tariffs stay in force until then."),
    "voucher.hb.add_tariff": _m("Lisää hinta", "Lägg till priset", "Add the tariff"),
    "voucher.hb.service_tariffs": _m("Koko palvelun hinnat", "Priser för hela tjänsten", "Tariffs of the whole service"),
    "voucher.hb.changes": _m("Viimeisimmät muutokset", "Senaste ändringar", "Latest changes"),
    "voucher.hb.from_date": _m("{price} alkaen {date}", "{price} från {date}", "{price} from {date}"),
    # The client's classes
    "voucher.hb.client_title": _m("HB-luokat", "HB-klasser", "HB classes"),
    "voucher.hb.client_none": _m("Asiakkaalle ei ole asetettu HB-luokkia.", "Klienten har inga HB-klasser.",
                                 "The client has no HB classes."),
    "voucher.hb.set_class": _m("Aseta luokka", "Ange klass", "Set a class"),
    "voucher.hb.no_class": _m("Ei luokkaa", "Ingen klass", "No class"),
    "voucher.hb.choose": _m("Valitse…", "Välj…", "Choose…"),
    "voucher.hb.reason": _m("Peruste", "Grund", "Reason"),
    "voucher.hb.history": _m("Luokkahistoria", "Klasshistorik", "Class history"),
    "voucher.hb.set_saved": _m("Luokka tallennettiin.", "Klassen sparades.", "The class was saved."),
    # The decision form
    "voucher.hb.compute": _m("Laske luokista", "Beräkna från klasserna", "Compute from the classes"),
    "voucher.hb.compute_hint": _m(
        "Täyttää rivit asiakkaan HB-luokista annetulle ajalle. Voit muuttaa summaa, jos kirjoitat perusteen.",
        "Fyller i raderna från klientens HB-klasser för perioden. Du kan ändra beloppet om du skriver en grund.",
        "Fills in the lines from the client's HB classes for the period. You may change an amount if you write the reason."),
    "voucher.hb.computed_none": _m("Asiakkaan luokista ei saatu rivejä tälle ajalle.",
                                   "Klientens klasser gav inga rader för perioden.",
                                   "The client's classes gave no lines for this period."),
    "voucher.hb.missing": _m("Ei hintaa: {service}, luokka {code}, {date}.", "Inget pris: {service}, klass {code}, {date}.",
                             "No tariff: {service}, class {code}, {date}."),
    "voucher.hb.computation": _m("Laskelma", "Beräkning", "Computation"),
    "voucher.hb.override_reason": _m("Poikkeamisen peruste", "Grund för avvikelse", "Reason for the override"),
    "voucher.hb.override_hint": _m("Pakollinen, jos summa poikkeaa lasketusta.",
                                   "Obligatorisk om beloppet avviker från det beräknade.",
                                   "Required if the amount differs from the computed one."),
    "voucher.hb.computed_amount": _m("Laskettu summa", "Beräknat belopp", "Computed amount"),
    "voucher.hb.override_shown": _m("poikkeaa lasketusta ({computed}): {reason}", "avviker från beräknat ({computed}): {reason}",
                                    "differs from computed ({computed}): {reason}"),
    # Audit events
    "event.voucher.hb_class.saved": _m("HB-luokka tallennettu", "HB-klass sparad", "HB class saved"),
    "event.voucher.hb_tariff.added": _m("HB-hinta lisätty", "HB-pris tillagt", "HB tariff added"),
    "event.voucher.client_class.set": _m("Asiakkaan HB-luokka asetettu", "Klientens HB-klass angiven", "Client's HB class set"),
}

register(MESSAGES)
