"""Texts of the evaluation pages (/organiser/evaluation, its comparison upload, export and report)."""

from core import i18n


def _m(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


i18n.register({
    "evaluation.nav": _m("Arviointi", "Utvärdering", "Evaluation"),
    "evaluation.title": _m("Arviointi: HB ja tavanomaiset palvelut", "Utvärdering: PB och sedvanliga tjänster",
                           "Evaluation: personal budgets and usual care"),
    "evaluation.lead": _m(
        "HB-asiakkaat ja vertailuryhmä (tavanomaisten palvelujen asiakkaat) rinnakkain asiakasryhmittäin, {start}–{end}. "
        "Jokaisella luvulla on 95 %:n luottamusväli (bootstrap) ja asiakkaiden määrä. Vaikuttavuusluvuissa (WHO-5, GAS, "
        "tyytyväisyys) ovat mukana vain HB-asiakkaat, joiden tutkimussuostumus on voimassa.",
        "PB-klienter och jämförelsegruppen (klienter i sedvanliga tjänster) sida vid sida per klientgrupp, {start}–{end}. "
        "Varje tal har ett 95 % konfidensintervall (bootstrap) och antalet klienter. I effektmåtten (WHO-5, GAS, "
        "nöjdhet) räknas endast PB-klienter med gällande forskningssamtycke.",
        "Personal-budget clients and the comparison group (clients of usual care) side by side per client group, "
        "{start}–{end}. Each figure has a 95 % bootstrap interval and the number of clients. The outcome figures "
        "(WHO-5, GAS, satisfaction) count only personal-budget clients whose research consent is in force."),
    "evaluation.counts": _m(
        "HB-asiakkaita kaudella {hb}, joista tutkimussuostumus voimassa {consenting}; vertailuryhmässä {comparison}.",
        "PB-klienter under perioden {hb}, av vilka {consenting} med gällande forskningssamtycke; i jämförelsegruppen {comparison}.",
        "Personal-budget clients in the period {hb}, of whom {consenting} with research consent; comparison group {comparison}."),
    "evaluation.suppressed_rule": _m(
        "Luku jätetään näyttämättä, jos sen takana on alle {min} asiakasta.",
        "Ett tal visas inte om det bygger på färre än {min} klienter.",
        "A figure is not shown when fewer than {min} clients are behind it."),
    "evaluation.suppressed": _m("alle {min}", "under {min}", "under {min}"),
    "evaluation.suppressed_label": _m("Salattu: alle {min} asiakasta", "Dold: färre än {min} klienter",
                                      "Suppressed: fewer than {min} clients"),
    "evaluation.task_minutes": _m(
        "Tehtäviin ilman yksittäistä HB-asiakasta (tai asiakkaalle ilman voimassa olevaa päätöstä) kirjattu {minutes} min; "
        "niitä ei ole luvuissa asiakasta kohden.",
        "Tid för uppgifter utan en enskild PB-klient (eller för klienter utan gällande beslut): {minutes} min; "
        "den ingår inte i talen per klient.",
        "Minutes logged for tasks without one personal-budget client (or for clients without a decision then): {minutes}; "
        "they are not in the per-client figures."),
    "evaluation.group.all": _m("Kaikki asiakasryhmät", "Alla klientgrupper", "All client groups"),
    "evaluation.measure.cost": _m("Kustannus asiakaskuukautta kohden", "Kostnad per klientmånad", "Cost per client-month"),
    "evaluation.measure.who5": _m("WHO-5-hyvinvoinnin muutos (pistettä 0–100)", "Förändring i WHO-5 (poäng 0–100)",
                                  "Change in WHO-5 wellbeing (points 0–100)"),
    "evaluation.measure.gas": _m("GAS-tavoitteiden muutos", "Förändring i GAS-mål", "Change in GAS goals"),
    "evaluation.measure.satisfaction": _m("Tyytyväisyys (1–5)", "Nöjdhet (1–5)", "Satisfaction (1–5)"),
    "evaluation.measure.admin_minutes": _m("Hallinnon työaika, min asiakaskuukautta kohden",
                                           "Administrativ arbetstid, min per klientmånad",
                                           "Administrative minutes per client-month"),
    "evaluation.measure.admin_per_euro": _m("Hallinnon työaika, min budjettieuroa kohden",
                                            "Administrativ arbetstid, min per budgeteuro",
                                            "Administrative minutes per budget euro"),
    "evaluation.col.group": _m("Asiakasryhmä", "Klientgrupp", "Client group"),
    "evaluation.col.hb": _m("HB", "PB", "Personal budget"),
    "evaluation.col.comparison": _m("Vertailuryhmä", "Jämförelsegrupp", "Comparison group"),
    "evaluation.col.value": _m("Arvo", "Värde", "Value"),
    "evaluation.col.interval": _m("95 %:n väli", "95 % intervall", "95 % interval"),
    "evaluation.col.clients": _m("Asiakkaita", "Klienter", "Clients"),
    "evaluation.table_of": _m("{title}: HB ja vertailuryhmä asiakasryhmittäin",
                              "{title}: PB och jämförelsegruppen per klientgrupp",
                              "{title}: personal budget and comparison group per client group"),
    "evaluation.settings.title": _m("Asetukset", "Inställningar", "Settings"),
    "evaluation.settings.min_group_size": _m("Pienin näytettävä ryhmä (asiakkaita)", "Minsta grupp som visas (klienter)",
                                             "Smallest group shown (clients)"),
    "evaluation.settings.hint": _m("Oletus 5. Pienempien ryhmien luvut jätetään näyttämättä.",
                                   "Standard 5. Tal för mindre grupper visas inte.",
                                   "Default 5. Figures of smaller groups are not shown."),
    "evaluation.settings.save": _m("Tallenna asetus", "Spara inställningen", "Save the setting"),
    "evaluation.settings.saved": _m("Asetus tallennettu.", "Inställningen har sparats.", "The setting was saved."),
    "evaluation.comparison.title": _m("Vertailuryhmän tiedot", "Jämförelsegruppens uppgifter", "Comparison group data"),
    "evaluation.comparison.lead": _m(
        "Vertailuryhmä tuodaan CSV-tiedostona hyvinvointialueen järjestelmistä: rivi asiakasta ja kuukautta kohden, "
        "pseudonyymi (ei nimeä eikä henkilötunnusta). Tiedosto tarkistetaan kokonaan; jos yhdessäkin rivissä on virhe, "
        "mitään ei tallenneta. Saman tiedoston voi tuoda uudelleen: mikään ei muutu.",
        "Jämförelsegruppen förs in som en CSV-fil från välfärdsområdets system: en rad per klient och månad, med "
        "pseudonym (inget namn, ingen personbeteckning). Filen kontrolleras i sin helhet; har en enda rad fel sparas "
        "ingenting. Samma fil kan föras in igen: ingenting ändras.",
        "The comparison group is imported as a CSV file from the county's systems: one row per client and month, with a "
        "pseudonym (no name, no identity number). The file is checked whole; if any row has an error, nothing is saved. "
        "The same file may be imported again: nothing changes."),
    "evaluation.comparison.format": _m(
        "Sarakkeet (otsikkorivillä, erottimena puolipiste tai pilkku): {columns}. Muoto on kuvattu README-tiedostossa.",
        "Kolumner (på rubrikraden, avgränsare semikolon eller komma): {columns}. Formatet beskrivs i README-filen.",
        "Columns (on the header row, separated by semicolons or commas): {columns}. The format is described in the README."),
    "evaluation.comparison.size": _m("Tuotu: {clients} asiakasta, {months} asiakaskuukautta.",
                                     "Införda: {clients} klienter, {months} klientmånader.",
                                     "Imported: {clients} clients, {months} client-months."),
    "evaluation.comparison.file": _m("CSV-tiedosto", "CSV-fil", "CSV file"),
    "evaluation.comparison.upload": _m("Tuo tiedosto", "För in filen", "Import the file"),
    "evaluation.comparison.done": _m(
        "Tuonti valmis: {rows} riviä; uusia asiakkaita {clients_created}, muuttuneita {clients_updated}; uusia kuukausia "
        "{months_created}, muuttuneita {months_updated}; ennallaan {unchanged}.",
        "Införingen klar: {rows} rader; nya klienter {clients_created}, ändrade {clients_updated}; nya månader "
        "{months_created}, ändrade {months_updated}; oförändrade {unchanged}.",
        "Import done: {rows} rows; clients new {clients_created}, changed {clients_updated}; months new {months_created}, "
        "changed {months_updated}; unchanged {unchanged}."),
    "evaluation.comparison.errors": _m("Tiedostoa ei tuotu: {count} virhettä. Korjaa ne ja tuo tiedosto uudelleen.",
                                       "Filen fördes inte in: {count} fel. Rätta dem och för in filen igen.",
                                       "The file was not imported: {count} errors. Correct them and import it again."),
    "evaluation.comparison.errors_by_row": _m("Virheet riveittäin", "Fel per rad", "Errors by row"),
    "evaluation.comparison.col.row": _m("Rivi", "Rad", "Row"),
    "evaluation.comparison.col.field": _m("Sarake", "Kolumn", "Column"),
    "evaluation.comparison.col.message": _m("Virhe", "Fel", "Error"),
    "evaluation.comparison.more_errors": _m("…ja {count} muuta virhettä.", "…och {count} andra fel.", "…and {count} more errors."),
    "evaluation.export.title": _m("Tutkimusaineisto", "Forskningsmaterial", "Research export"),
    "evaluation.export.lead": _m(
        "Pseudonymisoitu aineisto (päätökset, käyttö palveluittain, kyselyjen tulokset ja GAS, hallinnon työaika) "
        "asiakkaista, joiden tutkimussuostumus on voimassa. Jokaisessa aineistossa on omat pseudonyymit. "
        "Taustatiedoista (kunta, ikäryhmä, asiakasryhmä) jokaisen yhdistelmän on koskettava vähintään {k} asiakasta: "
        "ensin ikäryhmät karkeistetaan, sitten kunta korvataan alueella; jos sekään ei riitä, aineistoa ei anneta. "
        "Jokainen haku kirjataan lokiin.",
        "Pseudonymiserat material (beslut, användning per tjänst, enkätresultat och GAS, administrativ arbetstid) om "
        "klienter med gällande forskningssamtycke. Varje uttag har egna pseudonymer. Varje kombination av "
        "bakgrundsuppgifter (kommun, åldersgrupp, klientgrupp) ska gälla minst {k} klienter: först görs "
        "åldersgrupperna grövre, sedan ersätts kommunen med området; räcker inte det ges inget material. "
        "Varje uttag loggas.",
        "A pseudonymised data set (decisions, spending by service, questionnaire results and GAS, administrative time) "
        "of clients whose research consent is in force. Every export has its own pseudonyms. Every combination of "
        "municipality, age band and client group must cover at least {k} clients: first the age bands are coarsened, "
        "then the municipality is replaced by the region; if that is not enough, no export is made. Every export is "
        "logged."),
    "evaluation.export.csv": _m("Lataa aineisto (CSV, zip)", "Ladda ner materialet (CSV, zip)", "Download the export (CSV, zip)"),
    "evaluation.export.parquet": _m("Lataa aineisto (Parquet, zip)", "Ladda ner materialet (Parquet, zip)",
                                    "Download the export (Parquet, zip)"),
    "evaluation.export.refused": _m(
        "Aineistoa ei annettu: {classes} taustatietojen yhdistelmää koskee alle {k} asiakasta vielä karkeistuksenkin "
        "jälkeen. Aineistoa voi pyytää uudelleen, kun suostumuksia on enemmän.",
        "Inget material gavs: {classes} kombinationer av bakgrundsuppgifter gäller färre än {k} klienter även efter "
        "grövre indelning. Materialet kan begäras igen när fler har samtyckt.",
        "No export was made: {classes} combinations of municipality, age band and client group cover fewer than {k} "
        "clients even after coarsening. Ask again when more clients have consented."),
    "evaluation.report.title": _m("Pilotin raportti", "Pilotens rapport", "Pilot report"),
    "evaluation.report.link": _m("Tulostettava raportti", "Utskrivbar rapport", "Printable report"),
    "evaluation.report.print": _m("Tulosta raportti selaimen tulostustoiminnolla (Ctrl+P).",
                                  "Skriv ut rapporten med webbläsarens utskriftsfunktion (Ctrl+P).",
                                  "Print the report with the browser's print command (Ctrl+P)."),
    "evaluation.report.generated": _m("Laadittu {day}. Kausi {start}–{end}.", "Upprättad {day}. Period {start}–{end}.",
                                      "Made on {day}. Period {start}–{end}."),
    "evaluation.report.chart_desc": _m(
        "{title} asiakasryhmittäin: HB-asiakkaiden ja vertailuryhmän arvo vaakapalkkeina, 95 %:n väli viivana. "
        "Luvut ovat viereisessä taulukossa.",
        "{title} per klientgrupp: PB-klienternas och jämförelsegruppens värde som liggande staplar, 95 % intervall som "
        "linje. Talen finns i tabellen bredvid.",
        "{title} per client group: the value of personal-budget clients and of the comparison group as horizontal bars, "
        "the 95 % interval as a line. The numbers are in the table beside it."),
    "evaluation.report.method": _m(
        "Menetelmä: luottamusvälit ovat bootstrap-persentiilivälejä (2 000 uudelleenotosta asiakkaittain, siemen {seed}). "
        "Asiakaskuukausi on kauden kalenterikuukausi, jota jokin asiakkaan voimassa oleva päätös koskee.",
        "Metod: konfidensintervallen är percentilintervall med bootstrap (2 000 omsamplingar per klient, frö {seed}). "
        "En klientmånad är en kalendermånad under perioden som något av klientens gällande beslut gäller.",
        "Method: the intervals are percentile bootstrap intervals (2,000 resamples of clients, seed {seed}). A "
        "client-month is a calendar month of the period that one of the client's active decisions touches."),
    "event.evaluation.comparison.imported": _m("Vertailuryhmä tuotu", "Jämförelsegruppen införd", "Comparison group imported"),
    "event.evaluation.settings.changed": _m("Arvioinnin asetus muutettu", "Utvärderingens inställning ändrad",
                                            "Evaluation setting changed"),
    "event.evaluation.export.made": _m("Tutkimusaineisto haettu", "Forskningsmaterial uttaget", "Research export made"),
    "event.evaluation.export.refused": _m("Tutkimusaineisto evätty (k-anonymiteetti)",
                                          "Forskningsmaterial nekat (k-anonymitet)", "Research export refused (k-anonymity)"),
    "event.evaluation.read": _m("Arviointi luettu", "Utvärdering läst", "Evaluation read"),
})
