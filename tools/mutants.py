"""Mutation testing (mutmut) of the modules that compute research data or decide what a user sees.

    python tools/mutants.py                           every listed module, smallest first
    python tools/mutants.py sources/reliability.py    one module
    python tools/mutants.py --report MODULE           the outcome of the last run of MODULE again

Each module is mutated on its own, and each mutant is run against only the tests listed for that module
(mutmut then narrows them to the tests that call the mutated function). A module's run is stopped after
MUTANTS_TIMEOUT seconds (default 1800). A run ends with the count of mutants per outcome and the diff of
each survivor; the scores per module and the verdict on each survivor are in docs/mutation.md.
"""

import os
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BLIND = (
    "tests/views/test_blind_channels.py",
    "tests/views/test_blind_scenarios.py",
    "tests/views/test_blind_call_sites.py",
)
EXPORTS = ("tests/formats", "tests/api/test_exports.py", "tests/views/test_export_page.py")
TABULAR = (
    "tests/formats/test_export_rows.py",
    "tests/formats/test_tabular_exports.py",
    "tests/formats/test_formula_injection.py",
)
# The session rules' own tests; the annotation services are tried by the tagging tests as well.
SESSIONS = (
    "tests/views/test_session_rules.py",
    "tests/views/test_sessions.py",
    "tests/api/test_sessions.py",
    "tests/api/test_session_flows.py",
    "tests/api/test_session_changes.py",
)
ANNOTATIONS = (
    *SESSIONS,
    "tests/views/test_annotating.py",
    "tests/views/test_annotation_rules.py",
    "tests/api/test_annotations.py",
)
INGEST = ("tests/ingest",)
# The module mutated -> the tests that exercise it.
MODULES: dict[str, tuple[str, ...]] = {
    # Agreement statistics
    # (the statistics are pure functions: their own tests need no database, and a mutant costs a second)
    "sources/reliability.py": (
        "tests/agreement/test_reliability.py",
        "tests/agreement/test_reliability_edges.py",
    ),
    "sources/selectors/agreement.py": ("tests/agreement", "tests/views/test_compare_agreement.py"),
    # Span validation and session rules
    "sources/services/annotations.py": ANNOTATIONS,
    "sources/services/sessions.py": SESSIONS,
    # Export formats, and the rows they are written from
    "sources/formats/records.py": (*EXPORTS, *ANNOTATIONS),
    "sources/formats/csvfile.py": TABULAR,
    "sources/formats/table.py": EXPORTS,
    "sources/formats/jsonl.py": EXPORTS,
    "sources/formats/parquet.py": EXPORTS,
    "sources/formats/w3c.py": TABULAR,
    "sources/formats/refi_qda.py": EXPORTS,
    "sources/formats/aif.py": EXPORTS,
    "sources/formats/bibtex.py": EXPORTS,
    "sources/formats/spreadsheet.py": EXPORTS,
    # Visibility, and its callers that show counts or other people's work
    "sources/selectors/visibility.py": BLIND,
    "sources/selectors/search.py": BLIND,
    "sources/selectors/claims_board.py": BLIND,
    "sources/selectors/reader.py": BLIND,
    "sources/selectors/dashboard.py": BLIND,
    "sources/selectors/annotations.py": BLIND,
    "sources/selectors/claims.py": BLIND,
    "sources/selectors/compare.py": BLIND,
    "sources/selectors/exports.py": (*BLIND, *EXPORTS),
    # The ingester's rules
    "sources/ingest/lines.py": INGEST,
    "sources/ingest/classify.py": INGEST,
}
# PostgreSQL, whose test database outlives a test run (SQLite's is in memory and made anew each time).
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sco_annot_mutants"
# Fixed files mutmut copies beside the mutated package so that Django starts in its work directory.
ALSO_COPY = ["sco_annot", "templates", "static", "fixtures", "manage.py", "tests"]


def _configure(module: str) -> None:
    from mutmut import configuration

    configuration.reset_config()
    configuration._config = configuration.Config(
        also_copy=[Path(p) for p in ALSO_COPY] + [Path("pyproject.toml")],
        only_mutate=[module],
        do_not_mutate=[],
        do_not_mutate_patterns=[],
        max_stack_depth=-1,
        debug=False,
        source_paths=[Path("sources")],
        resolved_mutated_source_paths=[ROOT / "mutants" / "sources"],
        # The test database is made once per module and kept (--reuse-db): a mutant's run then costs
        # its tests, not a database set up again.
        pytest_add_cli_args=[
            "-p",
            "no:xdist",
            "-p",
            "no:cacheprovider",
            "-q",
            "-m",
            "not browser",
            "--reuse-db",
            "-p",
            "mutants_database",
        ],
        pytest_add_cli_args_test_selection=list(MODULES[module]),
        mutate_only_covered_lines=False,
        timeout_multiplier=10.0,
        timeout_constant=30.0,
        type_check_command=[],
        use_setproctitle=True,
        track_dependencies=True,
        dependency_tracking_depth=-1,
        cache_invalidation_files=[],
        cache_invalidation_exclude=[],
        on_dependency_change="warn",
        use_git_change_detection=False,
        process_isolation=configuration.ProcessIsolation.FORK,
        forkserver_warmup=configuration.ForkServerWarmup.COLLECT,
        max_forkserver_restarts=3,
        preload_modules_file=None,
        log_to_file=False,
        log_file_path="mutants/mutmut-debug.log",
    )


def _drop_test_database() -> None:
    """The kept test database is remade for each module, so that it has the current schema."""
    import dj_database_url
    import psycopg2

    settings = dj_database_url.parse(os.environ["DATABASE_URL"])
    connection = psycopg2.connect(
        dbname="postgres", user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or 5432
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "test_{settings["NAME"]}" WITH (FORCE)')
    connection.close()


def run_one(module: str, max_children: int) -> None:
    os.chdir(ROOT)
    shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    _drop_test_database()
    _configure(module)  # before mutmut's command line is imported: that reads the configuration
    from mutmut.__main__ import cli

    cli(["run", "--max-children", str(max_children)], standalone_mode=False)
    report(module)


def report(module: str) -> None:
    """The count of mutants per outcome, then the diff of each one that survived or timed out."""
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.stats import status_by_exit_code

    data = SourceFileMutationData(path=Path(module))
    data.load()
    statuses = {name: status_by_exit_code[code] for name, code in data.exit_code_by_key.items()}
    counts = Counter(statuses.values())
    print(f"\n{module}: {len(statuses)} mutants, " + ", ".join(f"{n} {s}" for s, n in counts.most_common()))
    for name, status in sorted(statuses.items()):
        if status != "killed":
            print(f"--- {name}: {status}\n{get_diff_for_mutant(name, path=Path(module))}")


def _run_with_limit(module: str, timeout: int) -> None:
    """One module's run in a process group of its own, ended whole (mutmut's workers too) at `timeout`."""
    process = subprocess.Popen([sys.executable, __file__, "--run", module], cwd=ROOT, start_new_session=True)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        print(f"== {module}: stopped after {timeout} s (MUTANTS_TIMEOUT)", flush=True)


def main(argv: list[str]) -> int:
    os.environ.setdefault("DATABASE_URL", DATABASE_URL)
    if argv[:1] in (["--report"], ["--run"]) and argv[1:] and argv[1] in MODULES:
        os.chdir(ROOT)
        if argv[0] == "--run":
            run_one(argv[1], int(os.environ.get("MUTANTS_CHILDREN", "2")))
        else:  # the last run's outcome again
            _configure(argv[1])
            report(argv[1])
        return 0
    if argv and argv[0] not in MODULES:
        print(f"Not a listed module: {argv[0]} (listed: {', '.join(MODULES)})", file=sys.stderr)
        return 2
    timeout = int(os.environ.get("MUTANTS_TIMEOUT", "1800"))
    for module in argv[:1] or sorted(MODULES, key=lambda m: (ROOT / m).stat().st_size):
        print(f"== {module}", flush=True)
        _run_with_limit(module, timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
