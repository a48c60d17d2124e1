"""Peers: the same short texts imported and exported by sco-annot, Label Studio and doccano in one run.

    .venv/bin/python bench/peers.py --sizes 10000            # installs the peers on first use
    .venv/bin/python bench/peers.py --sizes 10000,100000 --venvs /tmp/sco-annot-peers

Label Studio (1.23.2) and doccano (1.8.4, with `marshmallow<4` and `numpy<2`) are installed with pip
into virtual environments of their own under --venvs (outside the repository; reused when the same
pins are installed there). Per size, in one run: sco-annot's steps of bench/short_texts.py (the Label
Studio JSON and the doccano JSONL imported, the project exported as JSONL and CSV, and PostgreSQL's
`COPY` floors of the same rows) on the scratch database `sco_peers_bench`; then each peer started
afresh on a new data directory with its default database, a project made through its API, the same
workload file (bench/workload.py) imported through its API, and the project exported back (Label
Studio: JSON and CSV; doccano: JSONL). Each peer step's wall time runs from the first byte sent to
the import's end (doccano: its Celery task done) or the export's last byte written, and its memory
is the peak summed RSS of the peer's process tree (server, workers, task queue), sampled every 0.1 s.
Results go to bench/peers.json and to the section "Peers: ..." of bench/RESULTS.md."""

import argparse
import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import short_texts
from peer_apps import PEERS
from run import PG_SERVER, write_section

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "sco_peers_bench"
SCRATCH = Path("/tmp/sco-annot-peers-bench")
SECTION = "# Peers: the same short texts in Label Studio and doccano"
OUT = ROOT / "bench" / "peers.json"
RESULTS = ROOT / "bench" / "RESULTS.md"
# sco-annot's steps (named as bench/short_texts.py names them) in this comparison's terms.
SCO_STEPS = {
    "import label-studio": ("import", "sco-annot, Label Studio JSON"),
    "import doccano": ("import", "sco-annot, doccano JSONL"),
    "export jsonl": ("export JSON", "sco-annot, JSONL"),
    "export csv": ("export CSV", "sco-annot, CSV"),
}
SKIP = {"import label-studio again", "export w3c"}
FLOORS = {"import": "COPY FROM floor", "export JSON": "COPY TO floor", "export CSV": "COPY TO floor"}
TITLES = {"label-studio": "Label Studio", "doccano": "doccano"}


def use_own_database() -> None:
    """bench/short_texts.py's steps run on this benchmark's database and scratch directory (its steps
    read these names when they run), so both benchmarks may run at once."""
    short_texts.DATABASE, short_texts.URL = DATABASE, f"{PG_SERVER}/{DATABASE}"
    short_texts.SCRATCH = SCRATCH


def default_unnamed_text_columns() -> None:
    """bench/short_texts.py's `COPY FROM` floor names the columns its four tables had when it was
    written. Their NOT NULL text columns get an empty default in this scratch database, so that those
    added since (a source's notes, a tag's suggested_by), which the floor leaves out, take it as the
    app's bulk writer gives them their model's default."""
    import psycopg2

    tables = ("sources_source", "sources_passage", "sources_annotation", "sources_historicalannotation")
    with psycopg2.connect(f"{PG_SERVER}/{DATABASE}") as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_name IN %s "
            "AND is_nullable = 'NO' AND column_default IS NULL "
            "AND data_type IN ('text', 'character varying')",
            (tables,),
        )
        for table, column in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {table} ALTER COLUMN \"{column}\" SET DEFAULT ''")


def measure(count: int, venvs: Path, only: set[str]) -> dict:
    # Written by a process of its own, so this one stays small (see bench/short_texts.py's measure).
    workload = Path(__file__).with_name("workload.py")
    subprocess.run([sys.executable, str(workload), str(count), "--out", str(SCRATCH)], check=True)
    entry: dict = {"load": [os.getloadavg()[0]]}
    if "sco-annot" in only:
        entry["sco-annot"] = short_texts.measure(count, SKIP)
        entry["load"].append(os.getloadavg()[0])
    for port, Peer in enumerate(PEERS, start=8231):
        if Peer.name not in only:
            continue
        peer = Peer(venvs, SCRATCH / "homes", port)
        workload = SCRATCH / f"tasks-{count}.{Peer.files}"
        entry[peer.name] = peer.measure(workload, SCRATCH, f"bench-{count}")
        entry["load"].append(os.getloadavg()[0])
        print(f"[{count:,}] {peer.name}: {entry[peer.name]}", flush=True)
    return entry


NOTES = """- Label Studio (Community edition) imports inside the upload's request and builds each export
  inside the download's request, whole, before the first byte is sent; as it ships it also tries to
  send errors to its Sentry project, which fails at once here (no route outside).
- doccano's figure is the memory of nine processes (gunicorn's master and five workers, Celery's
  main process and two pool workers), each holding its own Python and Django; the import and the
  export run in a Celery worker and are polled for.
- sco-annot's seconds are the import's or the export's own, inside a started process; a peer's
  include HTTP on the same machine, a small part for these files (6 to 111 MB)."""


# --- the report -----------------------------------------------------------------------------------


def figures(entry: dict) -> dict[str, dict[str, dict]]:
    """{step: {tool: result}} of one size, sco-annot's steps under this comparison's names."""
    table: dict[str, dict[str, dict]] = {"import": {}, "export JSON": {}, "export CSV": {}}
    for name, (step, tool) in SCO_STEPS.items():
        if name in entry.get("sco-annot", {}):
            table[step][tool] = entry["sco-annot"][name]
    for peer in PEERS:
        for step, result in entry.get(peer.name, {}).items():
            if step in table:
                table[step][TITLES[peer.name]] = result
    return table


def times(value: float, other: dict | None, key: str) -> str:
    return f"{value / other[key]:,.2f}x" if other and other.get(key) else ""


def rows(count: int, entry: dict) -> list[str]:
    floors = entry.get("sco-annot", {})
    lines = []
    for step, tools in figures(entry).items():
        floor = floors.get(FLOORS[step])
        peers = {title: tools.get(title) for title in TITLES.values()}
        for tool, r in tools.items():
            seconds = r["seconds"]
            ratios = [times(seconds, floor, "seconds")] + [
                times(seconds, p, "seconds") if title != tool else "" for title, p in peers.items()
            ]
            memory = [f"{r['peak_mb']:,.0f}"] + [
                times(r["peak_mb"], p, "peak_mb") if title != tool else "" for title, p in peers.items()
            ]
            cells = [f"{count:,}", step, tool, f"{seconds:,.2f}", *ratios, *memory]
            lines.append("| " + " | ".join(cells) + " |")
    for name in ("COPY FROM floor", "COPY TO floor"):
        if name in floors:
            lines.append(f"| {count:,} | {name} | PostgreSQL | {floors[name]['seconds']:,.2f} |" + " |" * 6)
    return lines


def section(results: dict) -> str:
    versions = results.get("versions", {})
    shapes = "; ".join(
        f"**{TITLES[p.name]} {versions.get(p.name, '?')}** on {p.database}, run as {p.shape}" for p in PEERS
    )
    lines = [
        SECTION,
        "",
        f"Run {results['when']} on this machine with "
        + " and then ".join(f"`python bench/peers.py {args}`" for args in results["runs"])
        + ", each size's figures from one run: N distinct texts of ~430 characters with one span label each "
        "(`bench/workload.py`, fixed seed), the same file for every tool. **sco-annot** on PostgreSQL, "
        "its steps those of `bench/short_texts.py` (each in its own process; memory is that process's "
        f"maximum RSS, PostgreSQL's backend not counted). {shapes}. A peer's seconds run from the first "
        "byte uploaded to the import's end, or from the export's request to its last byte on disk "
        "(HTTP and, for doccano, Celery polling every 0.2 s included); its memory is the peak summed RSS "
        "of its process tree sampled every 0.1 s (pages its forked workers share count in each; the tree's "
        "idle size before each step is in `bench/peers.json`). doccano's export is a zip file. The "
        "floors are PostgreSQL's `COPY` of the rows an import writes and of the rows an export reads, "
        "in the same run. Each figure is also given as a multiple of its floor and of each peer's "
        "figure for the same step (below 1x: faster or smaller than that peer).",
        "",
        "| N | step | tool | seconds | x COPY | x Label Studio | x doccano | peak MB "
        "| x Label Studio | x doccano |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for count, entry in results["sizes"].items():
        lines += rows(int(count), entry)
    failures = [
        f"- **{TITLES[p.name]}, {int(count):,} tasks**: "
        + (
            f"failed at {entry[p.name]['error']}"
            if p.name in entry
            else results.get("omitted", {}).get(f"{count} {p.name}", "not run (left out with `--only`).")
        )
        for count, entry in results["sizes"].items()
        for p in PEERS
        if "error" in entry.get(p.name, {"error": ""})
    ]
    if failures:
        lines += ["", "Not measured (no figure is given for it):", "", *failures]
    sizes = list(results["sizes"])
    growth: list[str] = []
    if len(sizes) > 1:
        first, last = figures(results["sizes"][sizes[0]]), figures(results["sizes"][sizes[-1]])
        growth = [
            f"{step} by {tool} {result['seconds'] / first[step][tool]['seconds']:.1f}x"
            for step, tools in last.items()
            for tool, result in tools.items()
            if tool in first[step]
        ]
    if growth:
        lines += [
            "",
            f"From {int(sizes[0]):,} to {int(sizes[-1]):,} tasks the seconds grow: {'; '.join(growth)}.",
        ]
    loads = [value for entry in results["sizes"].values() for value in entry.get("load", [])]
    if loads:
        lines += [
            "",
            f"The machine (2 CPUs shared with other work) ran at a load average of {min(loads):.1f} to "
            f"{max(loads):.1f} during the run: the seconds carry that load, the ratios (same run) less so.",
        ]
    return "\n".join([*lines, "", NOTES]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--venvs", type=Path, default=Path("/tmp/sco-annot-peers"))
    parser.add_argument("--only", default="sco-annot,label-studio,doccano", help="tools to run")
    parser.add_argument(
        "--merge", action="store_true", help="add these sizes to bench/peers.json instead of starting it anew"
    )
    parser.add_argument("--report-only", action="store_true", help="rewrite the section from peers.json")
    options = parser.parse_args()
    # Stopped from outside, the peers' servers (in sessions of their own) are still stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if options.report_only:
        write_section(RESULTS, SECTION, section(json.loads(OUT.read_text())))
        return
    only = {name.strip() for name in options.only.split(",")}
    versions = {}
    for Peer in PEERS:
        if Peer.name in only:
            peer = Peer(options.venvs, SCRATCH / "homes", 0)
            print(f"{peer.name}: {peer.install()} in {peer.venv}", flush=True)
            versions[peer.name] = peer.version()
    use_own_database()
    if "sco-annot" in only:
        short_texts.prepare()
        default_unnamed_text_columns()
    results = {"when": datetime.now(UTC).strftime("%Y-%m-%d"), "runs": [], "versions": {}, "sizes": {}}
    if options.merge:
        results = json.loads(OUT.read_text())
    results["runs"].append(" ".join(sys.argv[1:]))
    results["versions"].update(versions)
    for count in (int(size) for size in options.sizes.split(",")):
        results["sizes"][str(count)] = measure(count, options.venvs, only)
        OUT.write_text(json.dumps(results, indent=1) + "\n")
        write_section(RESULTS, SECTION, section(results))


if __name__ == "__main__":
    main()
