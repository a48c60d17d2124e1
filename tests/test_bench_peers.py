"""bench/peers.py's own parts: what it counts as a process tree's memory, and the ratios and failures
its report gives (the peers themselves are installed and run by the benchmark, not by the tests)."""

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from peer_apps import Watch
from peers import section

GROWS = "import time; time.sleep(0.5); block = b'x' * (200 * 2**20); time.sleep(1)"


def test_the_peak_memory_of_a_process_tree_counts_what_its_children_hold():
    # A shell whose child (a grandchild of this process) takes 200 MB half a second in.
    root = subprocess.Popen(["sh", "-c", f'"{sys.executable}" -c "{GROWS}"; true'])
    with Watch([root.pid]) as watch:
        root.wait()
    assert watch.peak_mb - watch.idle_mb > 150
    assert watch.seconds >= 1.5


def test_the_report_gives_each_figure_against_its_floor_and_the_peers_and_says_what_failed():
    results = {
        "when": "2026-12-02",
        "runs": ["--sizes 10"],
        "versions": {"label-studio": "1.23.2", "doccano": "1.8.4"},
        "sizes": {
            "10": {
                "load": [2.0, 3.5],
                "sco-annot": {
                    "import label-studio": {"seconds": 4.0, "peak_mb": 100.0},
                    "export csv": {"seconds": 1.0, "peak_mb": 90.0},
                    "COPY FROM floor": {"seconds": 2.0, "rows": 40},
                    "COPY TO floor": {"seconds": 0.5, "bytes": 9},
                },
                "label-studio": {
                    "import": {"seconds": 8.0, "peak_mb": 400.0, "idle_mb": 380.0},
                    "export CSV": {"seconds": 4.0, "peak_mb": 450.0, "idle_mb": 400.0},
                },
                "doccano": {"error": "start: doccano: not ready after 900 s"},
            },
            "20": {"load": [3.0]},
        },
        "omitted": {"20 doccano": "not run, for want of time."},
    }
    text = section(results)
    assert "| 10 | import | sco-annot, Label Studio JSON | 4.00 | 2.00x | 0.50x |  | 100 | 0.25x |  |" in text
    assert "| 10 | import | Label Studio | 8.00 | 4.00x |  |  | 400 |  |  |" in text
    assert "| 10 | export CSV | sco-annot, CSV | 1.00 | 2.00x | 0.25x |  | 90 | 0.20x |  |" in text
    assert "| 10 | COPY FROM floor | PostgreSQL | 2.00 |" in text
    assert "**doccano, 10 tasks**: failed at start: doccano: not ready after 900 s" in text
    assert "**doccano, 20 tasks**: not run, for want of time." in text
    assert "**Label Studio, 20 tasks**: not run (left out with `--only`)." in text
    assert "load average of 2.0 to 3.5" in text
    assert "seconds grow" not in text  # nothing measured at both sizes
