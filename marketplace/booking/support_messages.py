"""Texts of a counsellor's booking for a client (docs/decisions/0035): the consent the booking form
asks for, its refusal without one, and who booked — Finnish first, Swedish, English."""

from core.i18n import register


def _m(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


MESSAGES = {
    # The booking's refusal and who booked (the booking pages show them)
    "booking.error.no_purchase_consent": _m(
        "Asiakas ei ole antanut suostumusta siihen, että varaat hänelle. Kirjaa, miten ja milloin asiakas "
        "suostui tähän varaukseen, tai pyydä asiakasta antamaan lupa HB-palvelussa.",
        "Klienten har inte samtyckt till att du bokar åt hen. Anteckna hur och när klienten samtyckte till "
        "den här bokningen, eller be klienten ge sitt tillstånd i HB-tjänsten.",
        "The client has not consented to you booking for them. Record how and when the client agreed to this "
        "booking, or ask the client to give their permission in the HB service."),
    "booking.error.client_card_inactive": _m(
        "Asiakkaalla ei ole käytössä olevaa HB-korttia, joten varausta ei voi maksaa budjetista. Myönnä kortti "
        "tai ota se uudelleen käyttöön asiakkaan sivulla ja varaa sitten.",
        "Klienten har inget HB-kort i bruk, så bokningen kan inte betalas från budgeten. Bevilja ett kort eller "
        "ta det i bruk igen på klientens sida och boka sedan.",
        "The client has no active HB card, so the booking cannot be paid from the budget. Issue a card or "
        "reactivate it on the client's page, then book."),
    "booking.booked_by": _m("Varannut: {name}, asiakasohjaaja", "Bokad av: {name}, klienthandledare",
                            "Booked by: {name}, client counsellor"),
    "booking.booked_by_counsellor": _m("Varannut asiakasohjaaja", "Bokad av klienthandledaren",
                                       "Booked by the client counsellor"),
    "booking.consent.legend": _m("Asiakkaan suostumus", "Klientens samtycke", "The client's consent"),
    "booking.consent.hint": _m(
        "Voit varata asiakkaalle vain hänen suostumuksellaan. Varaus maksetaan asiakkaan budjetista.",
        "Du kan boka åt klienten endast med hens samtycke. Bokningen betalas från klientens budget.",
        "You may book for the client only with their consent. The booking is paid from the client's budget."),
    "booking.consent.standing": _m("Asiakas on antanut luvan HB-palvelussa {when}",
                                   "Klienten gav sitt tillstånd i HB-tjänsten {when}",
                                   "The client gave permission in the HB service on {when}"),
    "booking.consent.no_standing": _m(
        "Asiakas ei ole antanut sinulle pysyvää lupaa varata. Kirjaa suostumus tähän varaukseen.",
        "Klienten har inte gett dig ett stående tillstånd att boka. Anteckna samtycket till den här bokningen.",
        "The client has not given you standing permission to book. Record their consent to this booking."),
    "booking.consent.in_person": _m("Asiakas suostui tapaamisessa", "Klienten samtyckte vid ett möte",
                                    "The client agreed in person"),
    "booking.consent.phone": _m("Asiakas suostui puhelimessa", "Klienten samtyckte per telefon",
                                "The client agreed by phone"),
    "booking.consent.message": _m("Asiakas suostui viestillä", "Klienten samtyckte i ett meddelande",
                                  "The client agreed in a message"),
    "booking.consent.given_at": _m("Milloin asiakas suostui", "När klienten samtyckte", "When the client agreed"),
    "booking.consent.given_at_hint": _m("Päivä ja kellonaika, enintään 14 päivää sitten.",
                                        "Dag och klockslag, högst 14 dagar sedan.",
                                        "Date and time, at most 14 days ago."),
    "booking.for_client_counsellor": _m("Varaat asiakkaalle {client}", "Du bokar åt klienten {client}",
                                        "You are booking for {client}"),
    "booking.line_before_client": _m("Asiakkaan budjetti ({line}): käytettävissä nyt",
                                     "Klientens budget ({line}): tillgängligt nu",
                                     "The client's budget ({line}): available now"),
    "booking.consent.shown.standing": _m("Asiakkaan lupa HB-palvelussa {when} alkaen",
                                         "Klientens tillstånd i HB-tjänsten sedan {when}",
                                         "The client's permission in the HB service since {when}"),
    "booking.consent.shown.in_person": _m("Asiakas suostui tapaamisessa {when}", "Klienten samtyckte vid ett möte {when}",
                                          "The client agreed in person on {when}"),
    "booking.consent.shown.phone": _m("Asiakas suostui puhelimessa {when}", "Klienten samtyckte per telefon {when}",
                                      "The client agreed by phone on {when}"),
    "booking.consent.shown.message": _m("Asiakas suostui viestillä {when}", "Klienten samtyckte i ett meddelande {when}",
                                        "The client agreed in a message on {when}"),
    "booking.book_for_client": _m("Varaa asiakkaalle", "Boka åt klienten", "Book for the client"),
}

register(MESSAGES)
