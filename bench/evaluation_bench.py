"""Evaluation benchmark: how long the bootstrap intervals of one client group take — the six
figures of admin.evaluation for HB and the comparison group (12 estimates, 2 000 resamples each) —
for groups of 50, 200 and 1 000 clients per side, computed and then shown again over the same data
(remembered, voucher.evaluation.stats.estimate). No database: the reads are a small part of the page.

    .venv/bin/python bench/evaluation_bench.py [--sizes 50,200,1000]

A page computes this once per client group and once more for "all groups" (each client counts twice).
"""

import argparse
import random
import time

from voucher.evaluation import stats

MEASURES = (("cost", stats.ratio), ("who5", stats.mean), ("gas", stats.mean), ("satisfaction", stats.mean),
            ("admin_minutes", stats.ratio), ("admin_per_euro", stats.ratio))


def _samples(rng: random.Random, n: int) -> dict[str, list]:
    return {"cost": [(rng.randint(0, 400_000), rng.randint(1, 6)) for _ in range(n)],
            "who5": [float(rng.randrange(-40, 44, 4)) for _ in range(n)],
            "gas": [rng.randint(-200, 300) / 100 for _ in range(n)],
            "satisfaction": [rng.randint(100, 500) / 100 for _ in range(n)],
            "admin_minutes": [(rng.randint(0, 600), rng.randint(1, 6)) for _ in range(n)],
            "admin_per_euro": [(rng.randint(0, 600), rng.randint(0, 4000)) for _ in range(n)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,1000")
    args = parser.parse_args()
    rng = random.Random(19)
    print("clients per side | one group, computed | shown again")
    for n in (int(s) for s in args.sizes.split(",")):
        sides = [_samples(rng, n), _samples(rng, n)]
        timings = []
        for _ in range(2):
            start = time.perf_counter()
            for side, samples in enumerate(sides):
                for name, statistic in MEASURES:
                    stats.estimate(samples[name], statistic, seed=stats.group_seed(19, name, str(side)), min_size=5)
            timings.append(time.perf_counter() - start)
        print(f"{n:>16} | {timings[0]:>15.2f} s | {timings[1] * 1000:>8.1f} ms")


if __name__ == "__main__":
    main()
