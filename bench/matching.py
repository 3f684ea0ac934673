"""Benchmark of kit.matching: batch assignment and suggestions on generated cohorts.

Run from the project root:

    .venv/bin/python bench/matching.py            # 500 x 2,000 and 5,000 x 30,000
    .venv/bin/python bench/matching.py --quick    # 500 x 2,000 only

Each (size, method) runs in a fresh child process so that its peak resident memory
(``ru_maxrss``) is its own; the child regenerates the same instance from the seed, and the
generation is not timed. Methods:

- kit: ``Scorer`` + ``assign`` (exact maximum total score, pruned and proved optimal);
- greedy: take pairs from the best score down while both sides have room (the same order as
  sorting all pairs, done lazily per newcomer so 150 million pairs need not be sorted);
- hospital-resident: the ``matching`` package's stable matching (newcomers propose), on each
  newcomer's 50 best allowed mentors (full lists of 30,000 are out of its reach).
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

# This file is named like the "matching" package it compares with: take its own folder off the
# import path so that "import matching" finds the package, and put the project root on it.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from kit.matching import (  # noqa: E402
    MentorProfile,
    NewcomerProfile,
    Scorer,
    assign,
    encode_mentors,
    encode_newcomers,
    top_mentors,
)
from kit.reference.naics import naics_sectors  # noqa: E402
from kit.reference.noc import load_noc_index  # noqa: E402

SIZES = {"small": (500, 2_000), "large": (5_000, 30_000)}
MIN_SCORE = 1.0
HR_LIST = 50
HR_TIMEOUT_S = 300
LANGUAGES = ["en", "fr", "ar", "zh", "es", "hi", "pa", "tl", "fa", "uk", "ur", "pt", "ru", "ko",
             "vi", "ta", "so", "am", "tr", "bn"]
GOALS = ["networking", "resume", "interview", "licensing", "credential_recognition",
         "canadian_experience", "leadership", "project_management", "public_sector", "union",
         "workplace_culture", "technical_skills", "communication", "french_at_work",
         "english_at_work", "career_change", "entrepreneurship", "volunteering", "mentoring",
         "salary_negotiation", "safety_codes", "software", "data", "finance", "health_care"]
AREAS = ["Downtown HQ", "East campus", "West yard", "North depot", "City hall", "Airport",
         "Harbour", "South plant", "Civic centre", "Library", "Transit hub", "Water works"]


def generate(n_newcomers: int, n_mentors: int, seed: int = 2027
             ) -> tuple[list[NewcomerProfile], list[MentorProfile]]:
    """A cohort with Zipf-skewed professions; the newcomers' top professions have few mentors."""
    rng = np.random.default_rng(seed)
    units = [c.code for c in load_noc_index().unit_groups()]
    order = rng.permutation(len(units))
    popularity = 1.0 / np.arange(1, len(units) + 1) ** 1.1
    p_newcomer = np.empty(len(units))
    p_newcomer[order] = popularity
    # The employer's workforce follows the same professions loosely, with the 8 most common
    # newcomer professions short of volunteers (the crowded case a coordinator worries about).
    p_mentor = p_newcomer * rng.lognormal(0.0, 1.0, len(units))
    p_mentor[order[:8]] /= 15.0
    sectors = [s.code for s in naics_sectors()]
    broad_sector = {d: rng.choice(sectors, 3, replace=False) for d in "0123456789"}
    lang_p = np.array([0.0, 0.0] + [1 / (k + 1) for k in range(len(LANGUAGES) - 2)])
    lang_p /= lang_p.sum()

    def person(noc: str) -> dict[str, object]:
        french = rng.random() < 0.25
        languages = {"en"} if rng.random() < 0.95 or not french else set()
        if french:
            languages.add("fr")
        if rng.random() < 0.5:
            languages.add(str(rng.choice(LANGUAGES, p=lang_p)))
        windows = []
        for _ in range(int(rng.integers(1, 4))):
            day = int(rng.integers(0, 5))
            start = int(rng.integers(16, 36)) * 30
            windows.append((day, start, min(start + int(rng.integers(2, 7)) * 30, 1440)))
        choices = broad_sector[noc[0]]
        sector = str(choices[0] if rng.random() < 0.6 else rng.choice(sectors))
        return {
            "noc": noc, "naics": sector, "languages": frozenset(languages),
            "goals": frozenset(rng.choice(GOALS, int(rng.integers(2, 5)), replace=False).tolist()),
            "location": str(AREAS[min(int(rng.zipf(1.6)) - 1, len(AREAS) - 1)]),
            "availability": tuple(windows), "french": french,
        }

    newcomers = []
    for i, u in enumerate(rng.choice(len(units), n_newcomers, p=p_newcomer / p_newcomer.sum())):
        p = person(units[u])
        french = p.pop("french")
        newcomers.append(NewcomerProfile(id=i, preferred_language="fr" if french and
                                         rng.random() < 0.8 else "en", **p))  # type: ignore[arg-type]
    mentors = []
    capacity = rng.choice([1, 2, 3], n_mentors, p=[0.5, 0.3, 0.2])
    for j, u in enumerate(rng.choice(len(units), n_mentors, p=p_mentor / p_mentor.sum())):
        p = person(units[u])
        p.pop("french")
        mentors.append(MentorProfile(id=j, years=float(rng.integers(2, 31)),
                                     capacity=int(capacity[j]), **p))  # type: ignore[arg-type]
    return newcomers, mentors


def greedy(scorer: Scorer, caps: np.ndarray, min_score: float) -> list[tuple[int, int, float]]:
    """Best pair first while both sides have room: the order of a global sort, done lazily."""
    n = scorer.shape[0]
    depth = 64
    lists: dict[int, list[tuple[float, int]]] = {}
    heap: list[tuple[float, int, int, int]] = []
    for start, block in scorer.blocks(256):
        block[block < min_score] = -np.inf
        take = min(depth, block.shape[1])
        top = np.argpartition(-block, take - 1, axis=1)[:, :take]
        for r in range(block.shape[0]):
            row = sorted((-float(block[r, j]), int(j)) for j in top[r] if block[r, j] > -np.inf)
            lists[start + r] = row
            if row:
                heap.append((row[0][0], row[0][1], start + r, 0))
    heapq.heapify(heap)
    left = caps.astype(np.int64).copy()
    taken, done = [], np.zeros(n, dtype=bool)
    while heap:
        neg, j, i, pos = heapq.heappop(heap)
        if left[j] > 0:
            left[j] -= 1
            done[i] = True
            taken.append((i, j, -neg))
            continue
        pos += 1
        if pos == len(lists[i]) and len(lists[i]) == depth:  # list used up: the whole row
            row = scorer.rows(np.array([i]))[0]
            keep = np.flatnonzero(row >= min_score)
            lists[i] = sorted((-float(row[k]), int(k)) for k in keep)
        if pos < len(lists[i]):
            heapq.heappush(heap, (*lists[i][pos], i, pos))
    return taken


def hospital_resident(scorer: Scorer, caps: np.ndarray, min_score: float
                      ) -> list[tuple[int, int, float]]:
    """The matching package's resident-optimal stable matching on the best-50 lists."""
    from matching.algorithms import hospital_resident as solve
    from matching.games.hospital_resident import _make_players

    resident_prefs: dict[int, list[int]] = {}
    ranks: dict[int, list[tuple[float, int]]] = {}
    score_of: dict[tuple[int, int], float] = {}
    for start, block in scorer.blocks(256):
        take = min(HR_LIST, block.shape[1])
        top = np.argpartition(-block, take - 1, axis=1)[:, :take]
        for r in range(block.shape[0]):
            i = start + r
            row = sorted((-float(block[r, j]), int(j)) for j in top[r] if block[r, j] >= min_score)
            resident_prefs[i] = [j for _, j in row]
            for s, j in row:
                ranks.setdefault(j, []).append((s, i))
                score_of[(i, j)] = -s
    hospital_prefs = {j: [i for _, i in sorted(v)] for j, v in ranks.items()}
    capacities = {j: int(caps[j]) for j in hospital_prefs}
    # The package's own solver on its own players; its HospitalResident game class would first
    # deep-copy the players, which recurses past Python's limit at these sizes.
    residents, hospitals = _make_players(resident_prefs, hospital_prefs, capacities)
    solution = solve(residents, hospitals, optimal="resident")
    return [(int(r.name), int(h.name), score_of[(int(r.name), int(h.name))])
            for h, residents in solution.items() for r in residents]


def run_one(size: str, method: str) -> dict[str, object]:
    """Generate the instance, run one method, and measure it (in this process)."""
    n, m = SIZES[size]
    newcomers, mentor_profiles = generate(n, m)
    t0 = time.perf_counter()
    mentors = encode_mentors(mentor_profiles)
    cohort = encode_newcomers(newcomers, mentors)
    encode_s = time.perf_counter() - t0
    del newcomers, mentor_profiles
    caps = mentors.remaining.astype(np.int64)
    result: dict[str, object] = {"size": size, "method": method, "encode_s": encode_s}
    if method == "suggest":
        scorer = Scorer(cohort, mentors)
        rng = np.random.default_rng(1)
        times = []
        for i in rng.integers(0, n, 300):
            t = time.perf_counter()
            top_mentors(scorer, int(i), 10)
            times.append(time.perf_counter() - t)
        result["median_ms"] = 1000 * float(np.median(times))
        result["p95_ms"] = 1000 * float(np.percentile(times, 95))
        return result
    tracemalloc.start()
    t, cpu = time.perf_counter(), time.process_time()
    scorer = Scorer(cohort, mentors)
    stats: dict[str, object] = {}
    if method == "kit":
        pairs = [tuple(p) for p in assign(scorer, caps, MIN_SCORE, stats=stats)]
    elif method == "greedy":
        pairs = greedy(scorer, caps, MIN_SCORE)
    else:
        pairs = hospital_resident(scorer, caps, MIN_SCORE)
    result["time_s"] = time.perf_counter() - t
    result["cpu_s"] = time.process_time() - cpu
    result["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["total"] = float(sum(p[2] for p in pairs))
    result["matched"] = len(pairs)
    result.update(stats)
    load = np.bincount([p[1] for p in pairs], minlength=m)
    assert (load <= caps).all() and len({p[0] for p in pairs}) == len(pairs)
    return result


def child(size: str, method: str, timeout: float | None) -> dict[str, object]:
    try:
        # This same script with fixed arguments: no outside input reaches the command line.
        out = subprocess.run([sys.executable, __file__, "--one", size, method], check=True,  # noqa: S603
                             capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"size": size, "method": method, "skipped": f"too slow (over {timeout:.0f} s)"}
    except subprocess.CalledProcessError as exc:
        return {"size": size, "method": method, "skipped": exc.stderr.strip().splitlines()[-1]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} cores (nproc), {cpu}, Python {platform.python_version()}, "
            f"numpy {np.__version__}, OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '-')}"
            f", load average at start {load}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 x 2,000 only")
    parser.add_argument("--one", nargs=2, metavar=("SIZE", "METHOD"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(*args.one)))
        return
    try:
        import matching  # noqa: F401
        has_hr = True
    except ImportError:
        has_hr = False
    print(f"machine: {machine()}")
    print(f"min score {MIN_SCORE}; capacities 1-3 (50/30/20 %); hospital-resident on best-"
          f"{HR_LIST} lists\n")
    print("| size | method | time (s) | CPU (s) | tracemalloc peak (MB) | peak RSS (MB) "
          "| total score | matched |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    sizes = ["small"] if args.quick else ["small", "large"]
    best: dict[str, float] = {}
    for size in sizes:
        n, m = SIZES[size]
        for method in ("kit", "greedy", "hospital-resident"):
            if method == "hospital-resident" and not has_hr:
                r = {"skipped": "the matching package is not installed"}
            else:
                r = child(size, method, HR_TIMEOUT_S if method == "hospital-resident" else None)
            label = f"{n:,} x {m:,}"
            if "skipped" in r:
                print(f"| {label} | {method} | skipped: {r['skipped']} | | | | | |")
                continue
            extra = (f" ({r['rounds']} solve round(s), {r['candidate_pairs']:,} candidate pairs)"
                     if method == "kit" else "")
            print(f"| {label} | {method}{extra} | {r['time_s']:.2f} | {r['cpu_s']:.2f} | "
                  f"{r['tracemalloc_peak_mb']:.0f} | {r['maxrss_mb']:.0f} | {r['total']:.2f} | "
                  f"{r['matched']:,} |", flush=True)
            if method == "kit":
                best[size] = float(r["total"])  # type: ignore[arg-type]
                kit_time, kit_rss = float(r["time_s"]), float(r["maxrss_mb"])  # type: ignore[arg-type]
            elif float(r["total"]) > best[size] + 1e-6:  # type: ignore[arg-type]
                print(f"!! {method} beats the kit at {label}")
        if size == "large":
            print(f"\ntarget 5,000 x 30,000 batch < 5 s: {kit_time:.2f} s; peak RSS < 2 GB: "
                  f"{kit_rss:.0f} MB")
    r = child(sizes[-1], "suggest", None)
    n, m = SIZES[sizes[-1]]
    print(f"\ntop-10 mentors for one newcomer among {m:,}: median {r['median_ms']:.2f} ms, "
          f"p95 {r['p95_ms']:.2f} ms (300 newcomers; target < 20 ms)")


if __name__ == "__main__":
    main()
