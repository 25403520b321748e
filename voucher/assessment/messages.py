"""Texts of the need and suitability assessments (pages, API errors, the client's own view), in
Finnish, Swedish and English."""

from core.i18n import register


def _m(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


MESSAGES = {
    # The counsellor's page
    "voucher.assessment.title": _m("Tarpeen ja soveltuvuuden arviointi", "Bedömning av behov och lämplighet",
                                   "Need and suitability assessment"),
    "voucher.assessment.intro": _m(
        "Jokainen tallennus on uusi versio. Aiemmat versiot säilyvät ja näkyvät alla.",
        "Varje sparande är en ny version. Tidigare versioner finns kvar och visas nedan.",
        "Each save is a new version. Earlier versions are kept and shown below."),
    "voucher.assessment.on_page": _m("Tällä sivulla", "På den här sidan", "On this page"),
    "voucher.assessment.back": _m("Takaisin: {name}", "Tillbaka: {name}", "Back: {name}"),
    "voucher.assessment.open": _m("Tarpeen ja soveltuvuuden arviointi", "Bedömning av behov och lämplighet",
                                  "Need and suitability assessment"),
    "voucher.assessment.date": _m("Arvioinnin päivä", "Bedömningsdag", "Date of the assessment"),
    "voucher.assessment.save_version": _m("Tallenna uusi versio", "Spara en ny version", "Save a new version"),
    "voucher.assessment.versions": _m("Versiot", "Versioner", "Versions"),
    "voucher.assessment.version_of": _m("versio {version}, {date}", "version {version}, {date}",
                                        "version {version}, {date}"),
    "voucher.assessment.recorded_by": _m("Kirjasi {name} {at}.", "Antecknad av {name} {at}.",
                                         "Recorded by {name} on {at}."),
    "voucher.assessment.saved_need": _m("Palvelutarpeen arvio tallennettiin uutena versiona.",
                                        "Bedömningen av servicebehovet sparades som en ny version.",
                                        "The need assessment was saved as a new version."),
    "voucher.assessment.saved_suitability": _m("Soveltuvuuden arvio tallennettiin uutena versiona.",
                                               "Lämplighetsbedömningen sparades som en ny version.",
                                               "The suitability assessment was saved as a new version."),
    # Need
    "voucher.need.title": _m("Palvelutarpeen arvio", "Bedömning av servicebehovet", "Need assessment"),
    "voucher.need.none": _m("Palvelutarvetta ei ole vielä arvioitu.", "Servicebehovet har inte bedömts ännu.",
                            "The need has not been assessed yet."),
    "voucher.need.new_version": _m("Uusi versio", "Ny version", "New version"),
    "voucher.need.participants": _m("Ketkä osallistuivat", "Vem deltog", "Who took part"),
    "voucher.need.participants_hint": _m(
        "Yksi riville, esimerkiksi: asiakas, äiti (läheinen), asiakasohjaaja.",
        "En per rad, till exempel: klienten, mamma (närstående), klienthandledare.",
        "One per line, for example: the client, mother (close person), counsellor."),
    "voucher.need.areas": _m("Tuen tarve palveluittain", "Stödbehov per tjänst", "Need of support by service area"),
    "voucher.need.areas_hint": _m(
        "Valitse tarpeen taso niille palveluille, joita arvioitte. Kuvaa tarve lyhyesti.",
        "Välj behovets nivå för de tjänster ni bedömde. Beskriv behovet kort.",
        "Choose the level for the service areas you assessed. Describe the need briefly."),
    "voucher.need.area": _m("Palvelu", "Tjänst", "Service area"),
    "voucher.need.level_label": _m("Tarpeen taso", "Behovets nivå", "Level of need"),
    "voucher.need.need_label": _m("Tarve lyhyesti", "Behovet kort", "The need in brief"),
    "voucher.need.level.not_assessed": _m("Ei arvioitu", "Inte bedömt", "Not assessed"),
    "voucher.need.level.none": _m("Ei tarvetta", "Inget behov", "No need"),
    "voucher.need.level.some": _m("Jonkin verran", "Visst behov", "Some"),
    "voucher.need.level.substantial": _m("Paljon", "Stort behov", "Substantial"),
    "voucher.need.level.extensive": _m("Laaja, jatkuva tuki", "Omfattande, fortlöpande stöd",
                                       "Extensive, continuous support"),
    "voucher.need.client_view": _m("Asiakkaan oma näkemys", "Klientens egen syn", "The client's own view"),
    "voucher.need.client_view_hint": _m(
        "Mitä asiakas itse sanoo tarpeistaan ja toiveistaan.", "Vad klienten själv säger om sina behov och önskemål.",
        "What the client says about their own needs and wishes."),
    # Suitability (counsellor)
    "voucher.suitability.title": _m("Henkilökohtaisen budjetin soveltuvuus", "Den personliga budgetens lämplighet",
                                    "Suitability of a personal budget"),
    "voucher.suitability.latest": _m("Viimeisin arvio", "Senaste bedömning", "Latest assessment"),
    "voucher.suitability.none": _m("Soveltuvuutta ei ole arvioitu.", "Lämpligheten har inte bedömts.",
                                   "Suitability has not been assessed."),
    "voucher.suitability.blocks_decision": _m(
        "Uutta budjettipäätöstä ei voi tehdä, ennen kuin arvio on ”Soveltuu”.",
        "Ett nytt budgetbeslut kan inte fattas förrän bedömningen är ”Lämplig”.",
        "A new budget decision cannot be made until the assessment is \"Suitable\"."),
    "voucher.suitability.new_version": _m("Uusi versio", "Ny version", "New version"),
    "voucher.suitability.criteria": _m("Soveltuvuuden kriteerit", "Kriterier för lämplighet", "Suitability criteria"),
    "voucher.suitability.met": _m("Täyttyy", "Uppfylls", "Met"),
    "voucher.suitability.not_met": _m("Ei täyty", "Uppfylls inte", "Not met"),
    "voucher.suitability.grounds": _m("Perustelut", "Motivering", "Grounds"),
    "voucher.suitability.grounds_hint": _m("Pakollinen, jos kriteeri ei täyty.", "Obligatorisk om kriteriet inte uppfylls.",
                                           "Required when the criterion is not met."),
    "voucher.suitability.outcome_legend": _m("Arvion tulos", "Bedömningens resultat", "Outcome"),
    "voucher.suitability.outcome.suitable": _m("Soveltuu", "Lämplig", "Suitable"),
    "voucher.suitability.outcome.not_now": _m("Ei nyt", "Inte nu", "Not now"),
    "voucher.suitability.outcome.not_suitable": _m("Ei sovellu", "Inte lämplig", "Not suitable"),
    "voucher.suitability.reason": _m("Perustelu asiakkaalle", "Motivering till klienten", "Reason for the client"),
    "voucher.suitability.reason_hint": _m(
        "Asiakas näkee tämän omalla sivullaan. Kirjoita selkeästi ja lyhyesti.",
        "Klienten ser detta på sin egen sida. Skriv tydligt och kort.",
        "The client sees this on their own page. Write clearly and briefly."),
    "voucher.suitability.criteria_link": _m("Hyvinvointialueen soveltuvuuskriteerit", "Välfärdsområdets lämplighetskriterier",
                                            "The county's suitability criteria"),
    # The county's criteria page
    "voucher.suitability.criteria_title": _m("Soveltuvuuden kriteerit", "Kriterier för lämplighet",
                                             "Suitability criteria"),
    "voucher.suitability.criteria_intro": _m(
        "Asiakasohjaaja arvioi jokaisen kriteerin, kun hän arvioi henkilökohtaisen budjetin soveltuvuutta. "
        "Muutos koskee uusia arvioita. Aiemmat arviot säilyvät sellaisina kuin ne tehtiin.",
        "Klienthandledaren bedömer varje kriterium när hen bedömer om en personlig budget är lämplig. "
        "En ändring gäller nya bedömningar. Tidigare bedömningar förblir som de gjordes.",
        "The counsellor answers each criterion when assessing whether a personal budget suits the client. "
        "A change applies to new assessments. Earlier ones stay as they were made."),
    "voucher.suitability.criteria_default": _m(
        "Hyvinvointialue käyttää alustan oletuskriteerejä, kunnes se tallentaa omansa.",
        "Välfärdsområdet använder plattformens standardkriterier tills det sparar egna.",
        "The county uses the platform's default criteria until it saves its own."),
    "voucher.suitability.criteria_hint": _m("Yksi kriteeri riville.", "Ett kriterium per rad.", "One criterion per line."),
    "voucher.suitability.criteria_saved": _m("Kriteerit tallennettiin.", "Kriterierna sparades.",
                                             "The criteria were saved."),
    # The client's own page (plain language)
    "voucher.suitability.client_title": _m("Sopiiko henkilökohtainen budjetti sinulle?",
                                           "Passar en personlig budget dig?", "Does a personal budget suit you?"),
    "voucher.suitability.client_outcome.suitable": _m("Henkilökohtainen budjetti sopii sinulle.",
                                                      "En personlig budget passar dig.", "A personal budget suits you."),
    "voucher.suitability.client_outcome.not_now": _m("Henkilökohtainen budjetti ei sovi sinulle nyt.",
                                                     "En personlig budget passar dig inte nu.",
                                                     "A personal budget does not suit you now."),
    "voucher.suitability.client_outcome.not_suitable": _m("Henkilökohtainen budjetti ei sovi sinulle.",
                                                          "En personlig budget passar dig inte.",
                                                          "A personal budget does not suit you."),
    "voucher.suitability.client_reason": _m("Syy:", "Orsak:", "Reason:"),
    "voucher.suitability.client_when": _m("Asiakasohjaaja arvioi tämän {date}.", "Klienthandledaren bedömde detta {date}.",
                                          "Your counsellor assessed this on {date}."),
    "voucher.suitability.client_ask": _m("Jos sinulla on kysyttävää, ota yhteys asiakasohjaajaasi.",
                                         "Om du har frågor, kontakta din klienthandledare.",
                                         "If you have questions, contact your counsellor."),
    # Errors
    "voucher.error.not_suitable": _m(
        "Budjettipäätöstä ei voi tehdä: viimeisin soveltuvuuden arvio ei ole ”Soveltuu”.",
        "Budgetbeslutet kan inte fattas: den senaste lämplighetsbedömningen är inte ”Lämplig”.",
        "The decision cannot be made: the latest suitability assessment is not \"Suitable\"."),
    "voucher.assessment.error.future_date": _m("Päivä ei voi olla tulevaisuudessa.", "Dagen kan inte vara i framtiden.",
                                               "The date cannot be in the future."),
    "voucher.assessment.error.no_areas": _m("Arvioi vähintään yksi palvelu.", "Bedöm minst en tjänst.",
                                            "Assess at least one service area."),
    "voucher.assessment.error.too_many": _m("Luettelossa on liian monta riviä.", "Listan har för många rader.",
                                            "The list has too many items."),
    "voucher.assessment.error.area_twice": _m("Sama palvelu on arviossa kahdesti.", "Samma tjänst finns två gånger.",
                                              "The same service area is listed twice."),
    "voucher.assessment.error.level": _m("Valitse tarpeen taso.", "Välj behovets nivå.", "Choose the level of need."),
    "voucher.assessment.error.no_participants": _m("Kirjaa, ketkä osallistuivat.", "Ange vem som deltog.",
                                                   "Say who took part."),
    "voucher.assessment.error.unknown_criterion": _m(
        "Kriteeri ei ole hyvinvointialueen luettelossa. Lataa sivu uudelleen.",
        "Kriteriet finns inte i välfärdsområdets lista. Ladda om sidan.",
        "The criterion is not on the county's list. Reload the page."),
    "voucher.assessment.error.criterion_twice": _m("Sama kriteeri on kahdesti.", "Samma kriterium finns två gånger.",
                                                   "The same criterion is there twice."),
    "voucher.assessment.error.grounds_required": _m("Kirjoita perustelut, kun kriteeri ei täyty.",
                                                    "Skriv en motivering när kriteriet inte uppfylls.",
                                                    "Give the grounds when the criterion is not met."),
    "voucher.assessment.error.unanswered": _m("Vastaa jokaiseen kriteeriin.", "Svara på varje kriterium.",
                                              "Answer every criterion."),
    "voucher.assessment.error.outcome": _m("Valitse arvion tulos.", "Välj bedömningens resultat.", "Choose the outcome."),
    "voucher.assessment.error.reason_required": _m("Kirjoita perustelu asiakkaalle.", "Skriv en motivering till klienten.",
                                                   "Write the reason for the client."),
    "voucher.assessment.error.no_criteria": _m("Kirjoita vähintään yksi kriteeri.", "Skriv minst ett kriterium.",
                                               "Write at least one criterion."),
    "voucher.assessment.error.view_right": _m("Sinulla ei ole oikeutta nähdä asiakkaan tietoja (oikeus: näkee).",
                                              "Du har inte rätt att se klientens uppgifter (rätt: se).",
                                              "You do not have the right to see the client's data (right: view)."),
    # Audit events as people read them (core.i18n.event_label)
    "event.voucher.need_assessment.recorded": _m("Palvelutarpeen arvio kirjattiin", "Bedömning av servicebehovet antecknades",
                                                 "Need assessment recorded"),
    "event.voucher.suitability.recorded": _m("Soveltuvuuden arvio kirjattiin", "Lämplighetsbedömning antecknades",
                                             "Suitability assessment recorded"),
    "event.voucher.suitability_criteria.changed": _m("Soveltuvuuden kriteerit muutettiin", "Lämplighetskriterierna ändrades",
                                                     "Suitability criteria changed"),
}

register(MESSAGES)
