"""Texts of supported purchasing (consents, "who booked") and of the message thread, in Finnish,
Swedish and English — plain language, Finnish first."""

from core.i18n import register


def _m(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


MESSAGES = {
    "voucher.support.error.consent_way": _m("Valitse, miten asiakas antoi suostumuksensa.",
                                            "Välj hur klienten gav sitt samtycke.", "Choose how the client consented."),
    "voucher.support.error.consent_when": _m("Kirjoita, milloin asiakas antoi suostumuksensa.",
                                             "Skriv när klienten gav sitt samtycke.", "Enter when the client consented."),
    "voucher.support.error.consent_when_range": _m(
        "Suostumuksen aika ei voi olla tulevaisuudessa eikä yli 14 päivää sitten.",
        "Tiden för samtycket kan inte vara i framtiden eller mer än 14 dagar sedan.",
        "The time of consent cannot be in the future or more than 14 days ago."),
    # The client's own page: the standing consent
    "voucher.support.consent.title": _m("Asiakasohjaajan apu varaamisessa", "Klienthandledarens hjälp med bokningar",
                                        "Help from your counsellor with bookings"),
    "voucher.support.consent.label": _m("Asiakasohjaajani saa varata palveluja puolestani",
                                        "Min klienthandledare får boka tjänster åt mig",
                                        "My client counsellor may book services for me"),
    "voucher.support.consent.explain": _m(
        "Jos annat luvan, asiakasohjaajasi voi varata palveluja budjetistasi puolestasi. Näet aina, kuka "
        "varauksen teki, ja voit perua varauksen. Voit perua luvan milloin tahansa.",
        "Om du ger tillstånd kan din klienthandledare boka tjänster från din budget åt dig. Du ser alltid vem "
        "som bokade och du kan avboka. Du kan återkalla tillståndet när som helst.",
        "If you give permission, your counsellor can book services from your budget for you. You always see "
        "who booked, and you can cancel a booking. You can take the permission back at any time."),
    "voucher.support.consent.given": _m("Lupa on voimassa {when} alkaen.", "Tillståndet gäller sedan {when}.",
                                        "Permission given on {when}."),
    "voucher.support.consent.none": _m("Et ole antanut lupaa.", "Du har inte gett tillstånd.",
                                       "You have not given permission."),
    "voucher.support.consent.give": _m("Anna lupa", "Ge tillstånd", "Give permission"),
    "voucher.support.consent.revoke": _m("Peru lupa", "Återkalla tillståndet", "Take permission back"),
    "voucher.support.consent.done_given": _m("Lupa annettiin.", "Tillståndet gavs.", "Permission given."),
    "voucher.support.consent.done_revoked": _m("Lupa peruttiin.", "Tillståndet återkallades.",
                                               "Permission taken back."),
    # The thread
    "voucher.messages.title": _m("Viestit", "Meddelanden", "Messages"),
    "voucher.budget.counsellor": _m("Asiakasohjaajasi on {name}.", "Din klienthandledare är {name}.",
                                    "Your counsellor is {name}."),
    "voucher.budget.counsellor_proxy": _m("Asiakasohjaaja on {name}.", "Klienthandledaren är {name}.",
                                          "The counsellor is {name}."),
    "voucher.budget.no_counsellor": _m("Asiakasohjaajaa ei ole vielä nimetty.", "Ingen klienthandledare har utsetts ännu.",
                                       "No counsellor has been named yet."),
    "voucher.messages.title_with": _m("Viestit: {client}", "Meddelanden: {client}", "Messages: {client}"),
    "voucher.messages.intro_client": _m(
        "Täällä voit kirjoittaa asiakasohjaajallesi. Asiakasohjaaja vastaa tavallisesti muutaman arkipäivän "
        "kuluessa. Kiireellisissä asioissa soita.",
        "Här kan du skriva till din klienthandledare. Klienthandledaren svarar vanligen inom några vardagar. "
        "Ring i brådskande ärenden.",
        "Here you can write to your client counsellor. They usually answer within a few working days. "
        "Call if it is urgent."),
    "voucher.messages.intro_staff": _m(
        "Viestit asiakkaan ja hänen asioijiensa kanssa. Asiakas saa sähköposti-ilmoituksen ilman viestin sisältöä.",
        "Meddelanden med klienten och hens ombud. Klienten får ett e-postmeddelande utan meddelandets innehåll.",
        "Messages with the client and their proxies. The client gets an e-mail notice without the message text."),
    "voucher.messages.new": _m("Uusi viesti", "Nytt meddelande", "New message"),
    "voucher.messages.body": _m("Viesti", "Meddelande", "Message"),
    "voucher.messages.body_hint": _m("Enintään 4000 merkkiä. Älä kirjoita henkilötunnusta.",
                                     "Högst 4000 tecken. Skriv inte din personbeteckning.",
                                     "At most 4,000 characters. Do not write your personal identity code."),
    "voucher.messages.send": _m("Lähetä", "Skicka", "Send"),
    "voucher.messages.sent": _m("Viesti lähetettiin.", "Meddelandet skickades.", "Message sent."),
    "voucher.messages.none": _m("Ei viestejä vielä.", "Inga meddelanden ännu.", "No messages yet."),
    "voucher.messages.count": _m("{count} viestiä", "{count} meddelanden", "{count} messages"),
    "voucher.messages.list": _m("Viestit, uusin ensin", "Meddelanden, nyaste först", "Messages, newest first"),
    "voucher.messages.from": _m("{name}, {role}", "{name}, {role}", "{name}, {role}"),
    "voucher.messages.role.client": _m("asiakas", "klient", "client"),
    "voucher.messages.role.proxy": _m("asioija", "ombud", "proxy"),
    "voucher.messages.role.counsellor": _m("asiakasohjaaja", "klienthandledare", "client counsellor"),
    "voucher.messages.unread_badge": _m("{count} uutta", "{count} nya", "{count} new"),
    "voucher.messages.link": _m("Viestit asiakkaan kanssa", "Meddelanden med klienten", "Messages with the client"),
    "voucher.messages.link_client": _m("Viestit asiakasohjaajalle", "Meddelanden till klienthandledaren",
                                       "Messages to your counsellor"),
    "voucher.messages.back_client": _m("Takaisin asiakkaan sivulle", "Tillbaka till klientens sida",
                                       "Back to the client's page"),
    "voucher.messages.choose": _m("Valitse, kenen viestejä haluat katsoa.", "Välj vems meddelanden du vill se.",
                                  "Choose whose messages to see."),
    "voucher.messages.nobody": _m("Et asioi kenenkään puolesta.", "Du företräder ingen.", "You do not act for anyone."),
    "voucher.support.error.body_empty": _m("Kirjoita viesti.", "Skriv ett meddelande.", "Write a message."),
    "voucher.support.error.body_long": _m("Viesti on liian pitkä (enintään {max} merkkiä).",
                                          "Meddelandet är för långt (högst {max} tecken).",
                                          "The message is too long (at most {max} characters)."),
    # The e-mail notice: never the message itself
    "notify.client_message.subject": _m("Sinulle on uusi viesti HB-palvelussa", "Du har ett nytt meddelande i HB-tjänsten",
                                        "You have a new message in the HB service"),
    "notify.client_message.body": _m(
        "Sinulle on uusi viesti HB-palvelussa. Lue se kirjautumalla palveluun.",
        "Du har ett nytt meddelande i HB-tjänsten. Logga in för att läsa det.",
        "You have a new message in the HB service. Sign in to read it."),
    "event.voucher.purchase_consent.given": _m("Lupa varata annettiin", "Tillstånd att boka gavs",
                                               "Permission to book given"),
    "event.voucher.purchase_consent.revoked": _m("Lupa varata peruttiin", "Tillstånd att boka återkallades",
                                                 "Permission to book taken back"),
    "event.voucher.purchase_consent.recorded": _m("Suostumus varaukseen kirjattiin", "Samtycke till bokning antecknades",
                                                  "Consent to a booking recorded"),
    "event.voucher.message.sent": _m("Viesti lähetettiin", "Meddelande skickades", "Message sent"),
}

register(MESSAGES)
