"""Texts of the questionnaires and the research consent, in Finnish, Swedish and English — plain
language, Finnish first. (The questionnaires' own items are in ``voucher.evaluation.defaults`` and a
county's saved versions.)"""

from core.i18n import register
from core.i18n import texts as _m

MESSAGES = {
    # The client's list and form
    "voucher.questionnaire.title": _m("Kyselyt", "Enkäter", "Questionnaires"),
    "voucher.questionnaire.title_proxy": _m("Kyselyt asiakkaalle", "Enkäter för klienten", "Questionnaires for the client"),
    "voucher.questionnaire.intro": _m(
        "Kysymme hyvinvoinnistasi ja tyytyväisyydestäsi budjettipäätöksen alussa, seurannoissa ja lopussa. "
        "Vastauksistasi näemme, auttaako henkilökohtainen budjetti. Vastaaminen on vapaaehtoista.",
        "Vi frågar om ditt välbefinnande och hur nöjd du är i början av budgetbeslutet, vid uppföljningarna och i "
        "slutet. Av dina svar ser vi om den personliga budgeten hjälper. Det är frivilligt att svara.",
        "We ask about your wellbeing and satisfaction at the start of your budget decision, at the follow-ups and "
        "at the end. Your answers show us whether the personal budget helps. Answering is voluntary."),
    "voucher.questionnaire.proxy_note": _m(
        "Vastaat asiakkaan puolesta tai yhdessä hänen kanssaan. Vastaus merkitään annetuksi puolesta.",
        "Du svarar för klienten eller tillsammans med klienten. Svaret antecknas som givet för klientens räkning.",
        "You answer for the client or together with them. The answer is recorded as given on their behalf."),
    "voucher.questionnaire.to_fill": _m("Vastattavana", "Att besvara", "To answer"),
    "voucher.questionnaire.answered": _m("Vastatut", "Besvarade", "Answered"),
    "voucher.questionnaire.none_open": _m("Sinulle ei ole nyt kyselyä.", "Du har ingen enkät just nu.",
                                          "There is no questionnaire for you now."),
    "voucher.questionnaire.answered_on": _m("Vastattu {date}", "Besvarad {date}", "Answered on {date}"),
    "voucher.questionnaire.open_until": _m("Vastaa viimeistään {date}", "Svara senast {date}", "Answer by {date}"),
    "voucher.questionnaire.fill": _m("Vastaa kyselyyn", "Svara på enkäten", "Answer the questionnaire"),
    "voucher.questionnaire.fill_named": _m("Vastaa: {title}", "Svara: {title}", "Answer: {title}"),
    "voucher.questionnaire.occasion.start": _m("Alkukysely", "Enkät i början", "Start questionnaire"),
    "voucher.questionnaire.occasion.follow_up": _m("Seurantakysely", "Uppföljningsenkät", "Follow-up questionnaire"),
    "voucher.questionnaire.occasion.end": _m("Loppukysely", "Enkät i slutet", "End questionnaire"),
    "voucher.questionnaire.item_of": _m("Kysymys {n}/{count}", "Fråga {n}/{count}", "Question {n} of {count}"),
    "voucher.questionnaire.all_required": _m("Vastaa jokaiseen kysymykseen.", "Svara på varje fråga.",
                                             "Please answer every question."),
    "voucher.questionnaire.send": _m("Lähetä vastaukset", "Skicka svaren", "Send the answers"),
    "voucher.questionnaire.back": _m("Takaisin kyselyihin", "Tillbaka till enkäterna", "Back to the questionnaires"),
    "voucher.questionnaire.thanks": _m("Kiitos! Vastauksesi tallennettiin.", "Tack! Dina svar sparades.",
                                       "Thank you! Your answers were saved."),
    "voucher.questionnaire.link": _m("Kyselyt", "Enkäter", "Questionnaires"),
    "voucher.questionnaire.link_open": _m("Sinulle on {count} kyselyä vastattavana.", "Du har {count} enkäter att besvara.",
                                          "You have {count} questionnaires to answer."),
    "voucher.questionnaire.link_open.one": _m("Sinulle on kysely vastattavana.", "Du har en enkät att besvara.",
                                              "You have a questionnaire to answer."),
    "voucher.questionnaire.choose": _m("Valitse asiakas, jonka kyselyihin vastaat.",
                                       "Välj klienten vars enkäter du besvarar.",
                                       "Choose the client whose questionnaires you answer."),
    "voucher.questionnaire.nobody": _m("Et toimi kenenkään asiakkaan puolesta.", "Du företräder ingen klient.",
                                       "You do not act for any client."),
    "voucher.questionnaire.error.answer": _m("Valitse yksi vaihtoehto.", "Välj ett alternativ.", "Choose one option."),
    "voucher.questionnaire.error.answered": _m("Tähän kyselyyn on jo vastattu.", "Enkäten är redan besvarad.",
                                               "This questionnaire has been answered already."),
    # The organiser's page
    "voucher.questionnaire.admin.title": _m("Kyselyt ja niiden kysymykset", "Enkäter och deras frågor",
                                            "Questionnaires and their questions"),
    "voucher.questionnaire.admin.intro": _m(
        "Asiakkaat vastaavat näihin budjettipäätöksen alussa, seurantapäivinä ja lopussa. WHO-5 on valmis "
        "hyvinvointimittari: sen kysymykset ja asteikko pysyvät, vain sanamuodon voi korjata. Tyytyväisyyskyselyä ja "
        "omia kyselyjänne voi muokata.",
        "Klienterna besvarar dessa i början av budgetbeslutet, på uppföljningsdagarna och i slutet. WHO-5 är ett "
        "färdigt mått på välbefinnande: dess frågor och skala förblir, bara ordalydelsen kan rättas. Nöjdhetsenkäten "
        "och era egna enkäter kan ändras.",
        "Clients answer these at the start of their budget decision, on the follow-up dates and at the end. WHO-5 "
        "is a ready wellbeing measure: its questions and scale stay, only a wording can be corrected. The "
        "satisfaction set and your own questionnaires can be edited."),
    "voucher.questionnaire.admin.key": _m("Tunnus", "Kod", "Key"),
    "voucher.questionnaire.admin.key_hint": _m("Pienet kirjaimet, numerot ja _, esim. arki_sujuu",
                                               "Små bokstäver, siffror och _, t.ex. vardagen_fungerar",
                                               "Lower-case letters, digits and _, e.g. daily_life"),
    "voucher.questionnaire.admin.items_count": _m("{count} kysymystä", "{count} frågor", "{count} questions"),
    "voucher.questionnaire.admin.scale_range": _m("Asteikko {low}–{high}", "Skala {low}–{high}", "Scale {low}–{high}"),
    "voucher.questionnaire.admin.version": _m("Versio {version}", "Version {version}", "Version {version}"),
    "voucher.questionnaire.admin.active": _m("Käytössä", "I bruk", "In use"),
    "voucher.questionnaire.admin.inactive": _m("Ei käytössä", "Inte i bruk", "Not in use"),
    "voucher.questionnaire.admin.edit": _m("Muokkaa", "Ändra", "Edit"),
    "voucher.questionnaire.admin.edit_named": _m("Muokkaa: {title}", "Ändra: {title}", "Edit: {title}"),
    "voucher.questionnaire.admin.new": _m("Uusi oma kysely", "Ny egen enkät", "New questionnaire of your own"),
    "voucher.questionnaire.admin.create": _m("Luo kysely", "Skapa enkäten", "Create the questionnaire"),
    "voucher.questionnaire.admin.saved": _m("Kysely tallennettiin.", "Enkäten sparades.", "The questionnaire was saved."),
    "voucher.questionnaire.admin.back": _m("Takaisin kyselyihin", "Tillbaka till enkäterna", "Back to the questionnaires"),
    "voucher.questionnaire.admin.title_field": _m("Otsikko", "Rubrik", "Title"),
    "voucher.questionnaire.admin.intro_field": _m("Ohje vastaajalle", "Anvisning till den som svarar",
                                                  "Instructions to the person answering"),
    "voucher.questionnaire.admin.lang.fi": _m("suomeksi", "på finska", "in Finnish"),
    "voucher.questionnaire.admin.lang.sv": _m("ruotsiksi", "på svenska", "in Swedish"),
    "voucher.questionnaire.admin.lang.en": _m("englanniksi", "på engelska", "in English"),
    "voucher.questionnaire.admin.item": _m("Kysymys {n}", "Fråga {n}", "Question {n}"),
    "voucher.questionnaire.admin.new_item": _m("Uusi kysymys {n}", "Ny fråga {n}", "New question {n}"),
    "voucher.questionnaire.admin.items_hint": _m(
        "Kirjoita selkokielellä: lyhyt lause, yksi asia kerrallaan. Tyhjennä kysymyksen kaikki kolme kieltä "
        "poistaaksesi sen. Jätä uudet kysymykset tyhjiksi, jos et lisää kysymyksiä.",
        "Skriv på lättläst språk: en kort mening, en sak i taget. Töm alla tre språk för att ta bort frågan. "
        "Lämna de nya frågorna tomma om du inte lägger till frågor.",
        "Write in plain language: a short sentence, one thing at a time. Empty all three languages to remove a "
        "question. Leave the new questions empty to add none."),
    "voucher.questionnaire.admin.scale": _m("Vastausasteikko", "Svarsskala", "Answer scale"),
    "voucher.questionnaire.admin.scale_min": _m("Pienin arvo", "Lägsta värde", "Lowest value"),
    "voucher.questionnaire.admin.scale_max": _m("Suurin arvo", "Högsta värde", "Highest value"),
    "voucher.questionnaire.admin.labels": _m("Vaihtoehdot {language}", "Alternativen {language}", "Options {language}"),
    "voucher.questionnaire.admin.labels_hint": _m("Yksi rivi kullekin arvolle, pienimmästä suurimpaan.",
                                                  "En rad för varje värde, från det lägsta till det högsta.",
                                                  "One line for each value, from the lowest to the highest."),
    "voucher.questionnaire.admin.occasions": _m("Milloin kysytään", "När frågas", "When it is asked"),
    "voucher.questionnaire.admin.in_use": _m("Kysely on käytössä", "Enkäten är i bruk", "The questionnaire is in use"),
    "voucher.questionnaire.admin.who5_fixed": _m(
        "WHO-5:n kysymysten määrä ja asteikko 0–5 ovat kiinteät. Voit korjata sanamuodon julkaistun käännöksen mukaiseksi; "
        "julkaistusta poikkeava sanamuoto pitää merkitä tutkimusraporttiin.",
        "Antalet frågor i WHO-5 och skalan 0–5 är fasta. Du kan rätta ordalydelsen enligt den publicerade översättningen; "
        "en ordalydelse som avviker från den publicerade ska anges i forskningsrapporten.",
        "WHO-5's number of questions and its 0–5 scale are fixed. You may correct a wording to the published "
        "translation; a wording that differs from the published one must be stated in the research report."),
    "voucher.questionnaire.admin.check_wording": _m(
        "Tarkista sanamuoto julkaistusta käännöksestä: {langs}.",
        "Kontrollera ordalydelsen mot den publicerade översättningen: {langs}.",
        "Check the wording against the published translation: {langs}."),
    "voucher.questionnaire.admin.scoring.who5": _m("Pisteet 0–100: vastausten summa × 4.",
                                                   "Poäng 0–100: svarens summa × 4.",
                                                   "Score 0–100: the sum of the answers × 4."),
    "voucher.questionnaire.admin.scoring.mean": _m("Pisteet: vastausten keskiarvo asteikolla.",
                                                   "Poäng: svarens medelvärde på skalan.",
                                                   "Score: the mean of the answers on the scale."),
    "voucher.questionnaire.error.kind": _m("Tätä kyselyn lajia ei voi valita.", "Den här typen av enkät kan inte väljas.",
                                           "This kind of questionnaire cannot be chosen."),
    "voucher.questionnaire.error.key": _m("Tunnus: 2–40 pientä kirjainta, numeroa tai _, alkaen kirjaimella.",
                                          "Koden: 2–40 små bokstäver, siffror eller _, som börjar med en bokstav.",
                                          "Key: 2–40 lower-case letters, digits or _, starting with a letter."),
    "voucher.questionnaire.error.key_taken": _m("Tällä tunnuksella on jo kysely.", "Det finns redan en enkät med koden.",
                                                "There is a questionnaire with this key already."),
    "voucher.questionnaire.error.text": _m("Kirjoita teksti (enintään 500 merkkiä).",
                                           "Skriv texten (högst 500 tecken).", "Write the text (at most 500 characters)."),
    "voucher.questionnaire.error.items": _m("Kyselyssä on 1–30 kysymystä.", "Enkäten har 1–30 frågor.",
                                            "A questionnaire has 1–30 questions."),
    "voucher.questionnaire.error.scale": _m("Asteikko on kokonaislukuja 0–10, pienin ennen suurinta (tyytyväisyys 1–5).",
                                            "Skalan är heltal 0–10, det lägsta före det högsta (nöjdhet 1–5).",
                                            "The scale is whole numbers 0–10, lowest before highest (satisfaction 1–5)."),
    "voucher.questionnaire.error.labels": _m("Kirjoita yksi vaihtoehto riville jokaiselle asteikon arvolle.",
                                             "Skriv ett alternativ per rad för varje värde på skalan.",
                                             "Write one option a line for each value of the scale."),
    "voucher.questionnaire.error.occasions": _m("Valitse ainakin yksi ajankohta.", "Välj minst en tidpunkt.",
                                                "Choose at least one occasion."),
    "voucher.questionnaire.error.who5_fixed": _m("WHO-5:n kysymykset ja asteikko pysyvät ennallaan.",
                                                 "WHO-5:s frågor och skala förblir oförändrade.",
                                                 "WHO-5's questions and scale stay as they are."),
    # The research consent: the client's page and the counsellor's
    "voucher.research.title": _m("Tietojen käyttö tutkimukseen", "Användning av uppgifter i forskning",
                                 "Use of your data in research"),
    "voucher.research.title_staff": _m("Tutkimussuostumus", "Samtycke till forskning", "Research consent"),
    "voucher.research.explain": _m(
        "Kokeilussa tutkitaan, toimiiko henkilökohtainen budjetti ja mitä se maksaa. Jos annat luvan, "
        "kyselyvastauksiasi, budjettiasi ja käyttämiäsi palveluja voidaan käyttää tutkimuksessa ilman nimeäsi. "
        "Lupa on vapaaehtoinen, eikä se vaikuta palveluihisi. Voit perua luvan milloin tahansa.",
        "I försöket undersöks om den personliga budgeten fungerar och vad den kostar. Om du ger tillstånd kan "
        "dina enkätsvar, din budget och de tjänster du använt användas i forskningen utan ditt namn. "
        "Tillståndet är frivilligt och påverkar inte dina tjänster. Du kan återkalla det när som helst.",
        "The pilot studies whether the personal budget works and what it costs. If you agree, your answers, "
        "your budget and the services you used may be used in the research without your name. Agreeing is "
        "voluntary and does not change your services. You can take it back at any time."),
    "voucher.research.state.given": _m("Olet antanut luvan.", "Du har gett tillstånd.", "You have agreed."),
    "voucher.research.state.withdrawn": _m("Olet perunut luvan.", "Du har återkallat tillståndet.",
                                           "You have taken your agreement back."),
    "voucher.research.state.none": _m("Et ole vielä vastannut.", "Du har inte svarat ännu.", "You have not answered yet."),
    "voucher.research.staff_state.given": _m("Annettu", "Givet", "Given"),
    "voucher.research.staff_state.withdrawn": _m("Peruttu", "Återkallat", "Withdrawn"),
    "voucher.research.staff_state.none": _m("Ei kysytty", "Inte frågat", "Not asked"),
    "voucher.research.give": _m("Annan luvan", "Jag ger tillstånd", "I agree"),
    "voucher.research.withdraw": _m("Peru lupa", "Återkalla tillståndet", "Take it back"),
    "voucher.research.done_given": _m("Kiitos, lupa on tallennettu.", "Tack, tillståndet har sparats.",
                                      "Thank you, your agreement was saved."),
    "voucher.research.done_withdrawn": _m("Lupa on peruttu. Tietojasi ei oteta mukaan seuraavaan tutkimusaineistoon.",
                                          "Tillståndet har återkallats. Dina uppgifter tas inte med i nästa forskningsmaterial.",
                                          "Your agreement was taken back. Your data is left out of the next research data set."),
    "voucher.research.record": _m("Kirjaa asiakkaan vastaus", "Anteckna klientens svar", "Record the client's answer"),
    "voucher.research.record_state": _m("Asiakkaan vastaus", "Klientens svar", "The client's answer"),
    "voucher.research.record_how": _m("Miten asiakas vastasi", "Hur klienten svarade", "How the client answered"),
    "voucher.research.how.in_app": _m("palvelussa", "i tjänsten", "in the app"),
    "voucher.research.how.in_person": _m("tavatessa", "vid ett möte", "in person"),
    "voucher.research.how.paper": _m("paperilomakkeella", "på en pappersblankett", "on a paper form"),
    "voucher.research.how.phone": _m("puhelimessa", "per telefon", "by phone"),
    "voucher.research.as.client": _m("asiakas itse", "klienten själv", "the client"),
    "voucher.research.as.proxy": _m("asiakkaan puolesta toimiva", "företrädare för klienten", "a proxy for the client"),
    "voucher.research.as.counsellor": _m("asiakasohjaaja kirjasi", "klienthandledaren antecknade", "recorded by a counsellor"),
    "voucher.research.history": _m("Historia", "Historik", "History"),
    "voucher.research.history_line": _m("{date}: {state}, {who} ({how})", "{date}: {state}, {who} ({how})",
                                        "{date}: {state}, {who} ({how})"),
    "voucher.research.recorded": _m("Suostumus kirjattiin.", "Samtycket antecknades.", "The consent was recorded."),
    "voucher.research.outcomes": _m("Kyselyvastaukset", "Enkätsvar", "Questionnaire answers"),
    "voucher.research.no_answers": _m("Ei vastauksia vielä.", "Inga svar ännu.", "No answers yet."),
    "voucher.research.when": _m("Vastattu", "Besvarad", "Answered"),
    "voucher.research.score": _m("Pisteet", "Poäng", "Score"),
    "voucher.research.by_proxy": _m("puolesta", "för klientens räkning", "by proxy"),
    "voucher.research.error.state": _m("Valitse annettu tai peruttu.", "Välj givet eller återkallat.",
                                       "Choose given or withdrawn."),
    "voucher.research.error.how": _m("Valitse, miten asiakas vastasi.", "Välj hur klienten svarade.",
                                     "Choose how the client answered."),
    "voucher.research.error.recorded_as": _m("Tuntematon kirjaaja.", "Okänd antecknare.", "Unknown recorder."),
    # The reminder: a questionnaire to answer, nothing else
    "notify.questionnaire_due.subject": _m("Sinulle on kysely", "Du har en enkät", "A questionnaire for you"),
    "notify.questionnaire_due.body": _m(
        "Sinulle on kysely hyvinvoinnista ja palveluista ({date}). Kirjaudu palveluun vastataksesi.",
        "Du har en enkät om välbefinnande och tjänster ({date}). Logga in i tjänsten för att svara.",
        "There is a questionnaire about your wellbeing and services for you ({date}). Sign in to answer."),
    # History (audit) events
    "event.voucher.questionnaire.answered": _m("Kyselyyn vastattiin", "Enkäten besvarades", "Questionnaire answered"),
    "event.voucher.questionnaire.saved": _m("Kysely tallennettiin", "Enkäten sparades", "Questionnaire saved"),
    "event.voucher.research_consent.given": _m("Tutkimussuostumus annettiin", "Samtycke till forskning gavs",
                                               "Research consent given"),
    "event.voucher.research_consent.withdrawn": _m("Tutkimussuostumus peruttiin", "Samtycke till forskning återkallades",
                                                   "Research consent withdrawn"),
}

register(MESSAGES)
