"""Critical-nodes report on a generated trafficking-like network of about 100k and 1M ties.

    .venv/bin/python bench/network_benchmark.py [--size small|large|all] [--runs 3]

The generator is deterministic (fixed seed) and invents everything: cells of actors per country with a
leader, recruiters, drivers, sometimes a forger, a money handler and exploiters; presumed victims tied to
exploiters; phones shared inside cells; brokers tying cells across countries; travel agencies and hotels
serving several cells; cases grouping actors. Each size runs in its own process so peak memory (max RSS)
is that size's alone. Results print as a table and as JSON lines (for docs/benchmarks/network.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from palermo.intel.network import EdgeRecord, NodeRecord, analyse, report_from_analysis, validate_network  # noqa: E402
from palermo.intel.network.export import write_graphml  # noqa: E402
from palermo.intel.network.profile import structural_profile  # noqa: E402

COUNTRIES = ["RO", "BG", "HU", "MD", "UA", "AL", "NG", "VN", "DE", "IT", "ES", "NL", "FR", "GB"]
SIZES = {"small": 300, "large": 3000}  # cells; about 335 record edges per cell
CELL_ROLES = [
    "Leader",
    "RecruiterOrIntermediary",
    "RecruiterOrIntermediary",
    "Driver",
    "MoneyHandler",
    "Exploiter",
    "Exploiter",
]
SEED = 7


def generate(cells: int, seed: int = SEED) -> tuple[list[NodeRecord], list[EdgeRecord]]:
    rng = random.Random(seed)
    nodes: list[NodeRecord] = []
    edges: list[EdgeRecord] = []
    start = dt.date(2020, 1, 1)

    def when() -> dt.date:
        return start + dt.timedelta(days=rng.randrange(1800))

    cell_members: list[list[str]] = []
    cell_country: list[str] = []
    for cell in range(cells):
        country = COUNTRIES[cell % len(COUNTRIES)]
        size = rng.randint(30, 50)
        members = []
        for position in range(size):
            roles: tuple[str, ...] = ()
            if position < len(CELL_ROLES):
                roles = (CELL_ROLES[position],)
            elif position == len(CELL_ROLES) and rng.random() < 0.4:
                roles = ("DocumentForger",)
            node_id = f"c{cell}p{position}"
            nodes.append(NodeRecord(node_id, "person", f"Person {cell}-{position}", country, roles))
            members.append(node_id)
        cell_members.append(members)
        cell_country.append(country)
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                if rng.random() < 0.35:
                    edges.append(
                        EdgeRecord(first, second, "communicates_with", when(), rng.choice((1.0, 2.0, 3.0)))
                    )
        leader = members[0]
        for directed in members[1:5]:
            edges.append(EdgeRecord(leader, directed, "directs", when()))
        for victim_number in range(rng.randint(2, 5)):
            victim = f"c{cell}v{victim_number}"
            nodes.append(
                NodeRecord(victim, "person", f"Survivor {cell}-{victim_number}", country, ("PresumedVictim",))
            )
            edges.append(EdgeRecord(members[5 + victim_number % 2], victim, "directs", when()))
            edges.append(EdgeRecord(members[1 + victim_number % 2], victim, "recruited", when()))
        for phone_number in range(size // 2):
            phone = f"c{cell}s{phone_number}"
            nodes.append(NodeRecord(phone, "selector", f"+000{cell:05d}{phone_number:03d}"))
            for user in rng.sample(members, rng.choice((1, 1, 2, 3))):
                edges.append(EdgeRecord(user, phone, "uses_selector", when()))
    for cell, members in enumerate(cell_members):
        broker = members[-1]
        for other in rng.sample(range(cells), 3):
            if other != cell:
                edges.append(EdgeRecord(broker, rng.choice(cell_members[other]), "communicates_with", when()))
        if cell % 5 == 0:
            case = f"case{cell}"
            nodes.append(NodeRecord(case, "case", f"Case {cell}"))
            for member in rng.sample(members + cell_members[(cell + 1) % cells], 10):
                edges.append(EdgeRecord(member, case, "appears_in", when()))
        if cell % 10 == 0:
            for kind, role in (("TravelAgency", "TravelAgent"), ("Hotel", "HotelStaff")):
                business = f"{kind}{cell}"
                nodes.append(
                    NodeRecord(
                        business, "organisation", f"{kind} {cell}", cell_country[cell], organisation_type=kind
                    )
                )
                staff = f"{business}staff"
                nodes.append(NodeRecord(staff, "person", f"Staff {business}", cell_country[cell], (role,)))
                edges.append(EdgeRecord(staff, business, "employed_by", when()))
                for served in rng.sample(range(cells), 4):
                    edges.append(EdgeRecord(staff, cell_members[served][1], "associated_with", when()))
    return nodes, edges


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_size(size: str, runs: int) -> dict:
    started = time.perf_counter()
    nodes, edges = generate(SIZES[size])
    generate_s = time.perf_counter() - started
    started = time.perf_counter()
    validate_network(nodes, edges)
    validate_s = time.perf_counter() - started
    report_times, profile_times = [], []
    for _ in range(runs):
        started = time.perf_counter()
        analysis = analyse(nodes, edges)
        report = report_from_analysis(analysis)
        report_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        profile = structural_profile(analysis)
        profile_times.append(time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        write_graphml(nodes, edges, Path(folder) / "network.graphml")
        graphml_s = time.perf_counter() - started
    return {
        "size": size,
        "record_nodes": len(nodes),
        "record_edges": len(edges),
        "actors": report.actor_count,
        "actor_ties": report.tie_count,
        "communities": report.community_count,
        "critical_entries": len(report.entries),
        "betweenness": report.betweenness_method,
        "runs": runs,
        "generate_s": round(generate_s, 2),
        "validate_s": round(validate_s, 2),
        "report_median_s": round(statistics.median(report_times), 2),
        "report_runs_s": [round(value, 2) for value in report_times],
        "profile_median_s": round(statistics.median(profile_times), 2),
        "graphml_export_s": round(graphml_s, 2),
        "peak_rss_mb": round(peak_rss_mb()),
        "first_entries": [
            f"{e.label}: {', '.join(e.kinds)}; redundancy {e.redundancy.level}" for e in report.entries[:3]
        ],
        "diameter": f"{profile.diameter} ({profile.diameter_method})",
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=[*SIZES, "all"], default="all")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=list(SIZES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_size(args.child, args.runs)))
        return
    sizes = list(SIZES) if args.size == "all" else [args.size]
    for size in sizes:
        output = subprocess.run(
            [sys.executable, __file__, "--child", size, "--runs", str(args.runs)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        print(json.dumps(result))


if __name__ == "__main__":
    main()
