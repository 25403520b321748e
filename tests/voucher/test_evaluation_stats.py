"""Issue 19, acceptance (domain): bootstrap intervals reproducible with a seed and matching
hand-checked cases, suppression below the minimum group size, k-anonymity that coarsens and then
refuses, per-export pseudonyms. Pure functions: no database."""

import pytest

from voucher.evaluation import comparison, stats


def test_the_same_seed_gives_the_same_interval_and_another_seed_may_not():
    samples = [3.0, 7.0, 1.0, 9.0, 4.0, 6.0, 2.0, 8.0]
    one = stats.bootstrap_interval(samples, stats.mean, seed=42)
    assert one == stats.bootstrap_interval(samples, stats.mean, seed=42)
    assert one != stats.bootstrap_interval(samples, stats.mean, seed=43)
    low, high = one
    assert low < stats.mean(samples) < high


def test_hand_checked_two_values():
    """Two clients, 0 and 100. A resample of two is {0,0}, {0,100} or {100,100}: its mean is 0 with
    probability 1/4, 50 with 1/2, 100 with 1/4. Of 2000 resamples about 500 are 0 and 500 are 100, so
    the 50th smallest (the 2.5th percentile, nearest rank) is 0 and the 1950th (97.5th) is 100."""
    assert stats.bootstrap_interval([0.0, 100.0], stats.mean, seed=1) == (0.0, 100.0)


def test_hand_checked_ratio_and_constant():
    # Cost per client-month over two clients, 100 € in one month and 300 € in one month: a resample
    # gives 100, 200 or 300; the extremes each have probability 1/4, far above 2.5 %.
    assert stats.bootstrap_interval([(10000, 1), (30000, 1)], stats.ratio, seed=7) == (10000.0, 30000.0)
    # Every client the same: every resample the same.
    assert stats.bootstrap_interval([(500, 2)] * 6, stats.ratio, seed=3) == (250.0, 250.0)
    assert stats.bootstrap_interval([], stats.mean, seed=3) is None


def test_nearest_rank_percentiles():
    assert stats._rank(0.025, 2000) == 49 and stats._rank(0.975, 2000) == 1949
    assert stats._rank(0.025, 40) == 0 and stats._rank(0.975, 40) == 38


def test_a_group_below_the_minimum_size_is_suppressed():
    four = stats.estimate([1.0, 2.0, 3.0, 4.0], stats.mean, seed=1, min_size=5)
    assert four.suppressed and four.value is None and four.low is None and four.clients == 4
    five = stats.estimate([1.0, 2.0, 3.0, 4.0, 5.0], stats.mean, seed=1, min_size=5)
    assert not five.suppressed and five.value == 3.0 and five.low <= 3.0 <= five.high and five.clients == 5
    assert stats.estimate([1.0, 2.0], stats.mean, seed=1, min_size=2).value == 1.5
    assert stats.estimate([], stats.mean, seed=1, min_size=1).suppressed


def _people(*rows):
    return {f"c{i}": {"municipality": m, "age_band": a, "client_group": g} for i, (m, a, g) in enumerate(rows)}


def test_k_anonymity_keeps_coarsens_then_refuses():
    same = _people(*[("Tuusula", "25-34", "families")] * 5)
    kept = stats.k_anonymise(same, "Keusote")
    assert not kept.refused and kept.steps == [] and kept.people["c0"]["age_band"] == "25-34"

    ages = _people(*[("Tuusula", band, "families") for band in ("18-24", "25-34", "35-44", "45-54", "55-64")])
    coarse = stats.k_anonymise(ages, "Keusote")
    assert not coarse.refused and coarse.steps == ["age_band"]
    assert {p["age_band"] for p in coarse.people.values()} == {"18-64"}

    places = _people(*[(town, "25-34", "families") for town in ("Tuusula", "Kerava", "Hyvinkää", "Mäntsälä", "Nurmijärvi")])
    region = stats.k_anonymise(places, "Keusote")
    assert not region.refused and region.steps == ["age_band", "municipality"]
    assert {p["municipality"] for p in region.people.values()} == {"Keusote"}

    small = _people(*[("Tuusula", "25-34", "families")] * 5, ("Kerava", "75-84", "older_people"),
                    ("Kerava", "85+", "older_people"))
    refused = stats.k_anonymise(small, "Keusote")
    assert refused.refused and refused.small_classes == [(("Keusote", "65+", "older_people"), 2)]


def test_pseudonyms_are_keyed_per_export():
    key = b"k" * 32
    one = stats.pseudonym(key, "export-1", "client-a")
    assert one == stats.pseudonym(key, "export-1", "client-a")
    assert one != stats.pseudonym(key, "export-2", "client-a") != stats.pseudonym(b"j" * 32, "export-1", "client-a")
    assert "client-a" not in one


def test_who5_change_and_latest():
    import datetime as dt

    d = dt.date
    rows = [("start", d(2026, 1, 5), 40.0), ("follow_up", d(2026, 4, 1), 52.0), ("end", d(2026, 12, 1), 60.0)]
    assert stats.who5_change(rows) == 20.0
    assert stats.who5_change(rows[:1]) is None
    assert stats.who5_change(rows[1:]) is None
    assert stats.latest([(d(2026, 1, 1), 3.0), (d(2026, 6, 1), 4.5)]) == 4.5


@pytest.mark.parametrize("text,score", [("3 4 2 5 1", 60), ("64", 64), ("0 0 0 0 0", 0), ("100", 100),
                                        ("63", None), ("3 4 2 5", None), ("3 4 2 5 6", None), ("x", None)])
def test_who5_in_the_comparison_csv(text, score):
    assert comparison.who5_score(text) == score
