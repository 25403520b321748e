"""The built-in questionnaires every county starts with (a county's own version in
``vc_questionnaire`` replaces one by its key).

**WHO-5** (the WHO-5 Well-Being Index, Psychiatric Research Unit, Mental Health Centre North Zealand,
for the WHO, 1998) is free to use without permission. Its items and scale are fixed (five items,
0–5); the English wording is the published one. The Finnish and Swedish wording below must be
checked against the published language versions (the WHO-5 site of the Capital Region of Denmark's
psychiatry lists them) before the pilot: ``WORDING_CHECKED`` says which were, and the organiser's page
says so. A county corrects a wording on /organiser/questionnaires (each change a new version,
audited); the site asks that any deviation from a published version be marked as such.

**Client satisfaction** is the platform's own short set in plain language (five statements, 1–5 from
"strongly disagree" to "strongly agree"), asked at the follow-ups and at the end.
"""

from voucher.evaluation.domain import Item, QuestionnaireDef, Scale

WORDING_CHECKED = {"who5": {"en": True, "sv": False, "fi": False}}


def _t(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


WHO5 = QuestionnaireDef(
    key="who5",
    kind="who5",
    title=_t("Hyvinvointikysely (WHO-5)", "Välbefinnande (WHO-5)", "Wellbeing (WHO-5)"),
    intro=_t(
        "Valitse kunkin väittämän kohdalta vaihtoehto, joka kuvaa parhaiten tuntemuksiasi viimeisten kahden "
        "viikon aikana. Suurempi numero tarkoittaa parempaa hyvinvointia.",
        "Välj för vart och ett av de fem påståendena det svar som bäst beskriver hur du har känt dig under de "
        "senaste två veckorna. Högre siffror betyder bättre välbefinnande.",
        "Please indicate for each of the five statements which is closest to how you have been feeling over "
        "the last two weeks. Notice that higher numbers mean better well-being."),
    items=[
        Item(key="cheerful", text=_t("Olen ollut iloinen ja hyvällä tuulella.",
                                     "Jag har känt mig glad och på gott humör.",
                                     "I have felt cheerful and in good spirits.")),
        Item(key="calm", text=_t("Olen tuntenut itseni rauhalliseksi ja rentoutuneeksi.",
                                 "Jag har känt mig lugn och avslappnad.",
                                 "I have felt calm and relaxed.")),
        Item(key="active", text=_t("Olen tuntenut itseni aktiiviseksi ja tarmokkaaksi.",
                                   "Jag har känt mig aktiv och energisk.",
                                   "I have felt active and vigorous.")),
        Item(key="rested", text=_t("Olen herännyt virkeänä ja levänneenä.",
                                   "Jag har vaknat upp och känt mig pigg och utvilad.",
                                   "I woke up feeling fresh and rested.")),
        Item(key="interest", text=_t("Päivittäinen elämäni on ollut täynnä minua kiinnostavia asioita.",
                                     "Min vardag har varit fylld av saker som intresserar mig.",
                                     "My daily life has been filled with things that interest me.")),
    ],
    # From 0 to 5.
    scale=Scale(min=0, max=5, labels={
        "fi": ["Ei lainkaan", "Silloin tällöin", "Alle puolet ajasta", "Yli puolet ajasta",
               "Suurimman osan aikaa", "Koko ajan"],
        "sv": ["Inte någon gång", "Lite av tiden", "Mindre än hälften av tiden", "Mer än hälften av tiden",
               "Större delen av tiden", "Hela tiden"],
        "en": ["At no time", "Some of the time", "Less than half of the time", "More than half of the time",
               "Most of the time", "All of the time"],
    }),
    occasions=["start", "follow_up", "end"],
)

SATISFACTION = QuestionnaireDef(
    key="satisfaction",
    kind="satisfaction",
    title=_t("Tyytyväisyys henkilökohtaiseen budjettiin", "Nöjdhet med den personliga budgeten",
             "Satisfaction with the personal budget"),
    intro=_t("Kerro, miten samaa mieltä olet. Ei ole oikeita eikä vääriä vastauksia.",
             "Berätta hur du håller med. Det finns inga rätta eller fel svar.",
             "Tell us how much you agree. There are no right or wrong answers."),
    items=[
        Item(key="choice", text=_t("Voin itse valita palveluni.", "Jag kan själv välja mina tjänster.",
                                   "I can choose my services myself.")),
        Item(key="fit", text=_t("Saan palveluja, jotka sopivat minulle.", "Jag får tjänster som passar mig.",
                                "I get services that suit me.")),
        Item(key="help_in_time", text=_t("Saan apua silloin, kun tarvitsen sitä.", "Jag får hjälp när jag behöver den.",
                                         "I get help when I need it.")),
        Item(key="heard", text=_t("Asiakasohjaaja kuuntelee minua.", "Klienthandledaren lyssnar på mig.",
                                  "My counsellor listens to me.")),
        Item(key="overall", text=_t("Olen kaiken kaikkiaan tyytyväinen henkilökohtaiseen budjettiin.",
                                    "Allt som allt är jag nöjd med den personliga budgeten.",
                                    "All in all, I am satisfied with the personal budget.")),
    ],
    scale=Scale(min=1, max=5, labels={
        "fi": ["Täysin eri mieltä", "Jokseenkin eri mieltä", "En samaa enkä eri mieltä", "Jokseenkin samaa mieltä",
               "Täysin samaa mieltä"],
        "sv": ["Helt av annan åsikt", "Delvis av annan åsikt", "Varken av samma eller annan åsikt",
               "Delvis av samma åsikt", "Helt av samma åsikt"],
        "en": ["Strongly disagree", "Somewhat disagree", "Neither agree nor disagree", "Somewhat agree",
               "Strongly agree"],
    }),
    occasions=["follow_up", "end"],
)

BUILT_IN = {q.key: q for q in (WHO5, SATISFACTION)}
