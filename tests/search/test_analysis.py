"""Finnish-first text analysis: folding, stems, typo counting, compound parts, query words."""

import pytest

from search.analysis import (
    analyse_query,
    boundary_parts,
    fold,
    is_compound_part,
    matches_token,
    stem_en,
    stem_fi,
    stem_sv,
    typo_budget,
    typo_cost,
)

SAME_WORD = [
    "ratsastus ratsastusta ratsastukseen ratsastuksen ratsastuksessa ratsastuksia ratsastuksiin ratsastukset",
    "terapia terapiassa terapiaan terapiat terapioita terapioihin terapian terapiaa",
    "koti kotiin kotona kodissa kodin koteja",
    "taksi taksilla taksin taksiin takseja taksit",
    "invataksi invataksilla invataksit invataksin",
    "päivätoiminta päivätoimintaa päivätoiminnassa päivätoimintaan päivätoiminnan",
    "opetus opetusta opetuksen opetuksessa",
    "omaishoitaja omaishoitajan omaishoitajille omaishoitajien omaishoitajat",
    "vapaa vapaata vapaat vapaan",
    "hoito hoidon hoitoa hoitoon hoidossa",
    "kyyti kyydin kyytiä kyydit",
    "lapsi lapset lapsille lapsen lasten",
    "vammainen vammaisten vammaisille vammaisen vammaisia",
    "espoo espoossa espooseen espoon",
    "helsinki helsingissä helsinkiin helsingin",
    "ryhmä ryhmässä ryhmiin ryhmät ryhmään",
    "kuljetus kuljetukset kuljetuksen kuljetusta",
    "asiakas asiakkaan asiakkaat asiakasta",
    "palvelu palvelut palveluja palveluita palveluissa palvelujen palveluun",
    "nuoret nuorille nuorten nuori",
]


@pytest.mark.parametrize("forms", SAME_WORD, ids=lambda forms: forms.split()[0])
def test_inflected_finnish_forms_share_one_stem(forms):
    assert len({stem_fi(fold(form)) for form in forms.split()}) == 1


@pytest.mark.parametrize(("a", "b"), [("taksi", "taide"), ("terapia", "tarpeet"), ("koti", "kuti"),
                                       ("ratsastus", "ratas"), ("opetus", "apu")])
def test_different_words_keep_different_stems(a, b):
    assert stem_fi(a) != stem_fi(b)


def test_swedish_and_english_stems():
    assert stem_sv("malningar") == stem_sv("malning")
    assert stem_sv("transporttjanster") == stem_sv("transporttjanst")
    assert stem_en("riding") == stem_en("rides") == stem_en("ride")
    assert stem_en("therapies") == stem_en("therapy")
    assert stem_en("services") == stem_en("service")


def test_diacritics_fold_to_plain_letters():
    assert fold("Päivätoiminta") == "paivatoiminta"
    assert fold("Målning") == "malning"
    assert fold("TYÖTOIMINTA") == "tyotoiminta"
    assert fold("Café Ørsted") == "cafe orsted"


@pytest.mark.parametrize(("word", "budget"), [("koti", 0), ("kyyti", 1), ("kuljetus", 1), ("ratsastus", 2),
                                               ("päivä", 1)])
def test_typo_budget_by_length(word, budget):
    assert typo_budget(fold(word)) == budget


def test_typos_are_counted_like_meilisearch():
    assert typo_cost("kyyti", "kyyri", 1) == 1  # substitution
    assert typo_cost("kyyti", "kyyit", 1) == 1  # swap of neighbours
    assert typo_cost("kyyti", "kyti", 1) == 1  # deletion
    assert typo_cost("taksi", "laksi", 1) is None  # the first letter counts twice
    assert typo_cost("taksi", "laksi", 2) == 2
    assert typo_cost("ratsastus", "ratsostis", 2) == 2
    assert typo_cost("ratsastus", "rotsostis", 2) is None
    assert typo_cost("kuljetus", "kulpetis", 1) is None


@pytest.mark.parametrize(("part", "word"), [("taksi", "invataksi"), ("terap", "ratsastusterapia"),
                                            ("opetus", "taideopetus"), ("koti", "kotihoito"),
                                            ("kyyti", "asiointikyyti"), ("tuki", "vertaistuki")])
def test_compound_parts_are_found_at_word_boundaries(part, word):
    assert is_compound_part(part, word)


@pytest.mark.parametrize(("part", "word"), [("taksi", "taksi"), ("koti", "kotia"), ("aksi", "taksi"),
                                            ("ksi", "taksi"), ("rapia", "terapia")])
def test_not_every_substring_is_a_compound_part(part, word):
    assert not is_compound_part(part, word)


def test_long_words_are_cut_into_parts_for_meilisearch():
    assert {"taksi", "inva"} <= boundary_parts("invataksi")
    assert "terapia" in boundary_parts("ratsastusterapia")
    assert boundary_parts("taksi") == set()


def test_query_words():
    words = analyse_query('"Ratsastus" AND (terapia) ja -taksi*')
    assert [w.folded for w in words] == ["ratsastus", "terapia", "taksi"]
    assert [w.prefix for w in words] == [False, False, True]
    assert analyse_query("ja tai")[0].folded == "ja", "a query of stop words only keeps them"
    assert len(analyse_query(" ".join(["sana"] * 30))) == 10
    assert analyse_query("!!! *** ---") == []
    assert analyse_query("x" * 100_000)[0].folded == "x" * 40


def test_a_token_matches_a_query_word_as_the_search_does():
    [word] = analyse_query("taksi")
    assert matches_token(word, "invataksilla", "fi")
    assert matches_token(word, "taksikuljetus", "fi")
    assert matches_token(word, "taksu", "fi")
    assert not matches_token(word, "saksi", "fi")
