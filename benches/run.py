#!/usr/bin/python3.11
"""The cross-language benchmark harness: runs benches/programs/* on Ruff and its rivals.

For every benchmark NAME in benches/programs/ (one NAME.expected plus NAME.ruff, NAME.py,
NAME.lua, NAME.js) and every runtime (`ruff run`, `ruff run --no-jit`, CPython, and LuaJIT
and node when installed) it:

1. runs the program once and checks that stdout equals NAME.expected and the exit status
   is 0; a runtime that fails is reported as FAIL and is not timed;
2. unless --smoke is given, runs it --runs more times, interleaved round-robin across the
   runtimes (the starting runtime rotates every round), measuring the wall time and the
   peak RSS (`ru_maxrss` from `os.wait4`) of each child process;
3. prints a table of median time, spread (min-max), median peak RSS and the ratio
   CPython-time / runtime-time, and writes it as markdown to benches/results/latest.md
   (and to --markdown FILE when given).

Run it with the distro CPython (`/usr/bin/python3.11 benches/run.py`), or through
`benches/run.sh`, which builds the release binary first. Exit status: 0 when every check
passed, 1 when any runtime failed a check, 2 for usage errors.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import select
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = ROOT / "benches" / "programs"
RESULTS = ROOT / "benches" / "results"
DEFAULT_PYTHON = "/usr/bin/python3.11"


@dataclass
class Runtime:
    """One way of running a benchmark: a command prefix and the source extension it takes."""

    key: str
    label: str
    ext: str
    argv: list[str]
    version_argv: list[str]
    version: str = ""


@dataclass
class Sample:
    """The outcome of one child process."""

    wall: float
    maxrss_kb: int
    ok: bool
    reason: str = ""


@dataclass
class Cell:
    """Everything measured for one (benchmark, runtime) pair."""

    status: str = "n/a"  # "ok", "FAIL" or "n/a" (no program file / runtime missing)
    reason: str = ""
    samples: list[Sample] = field(default_factory=list)
    rss_kb: int = 0  # peak RSS of the untimed check run

    def median(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    def rss_mb(self) -> float:
        return self.rss_kb / 1024.0


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Run the Ruff cross-language benchmark suite.",
        epilog="Runtime keys for --runtimes: ruff, ruff-nojit, cpython, luajit, node.",
    )
    p.add_argument("--runs", type=int, default=5, help="timed runs per benchmark and runtime (default 5)")
    p.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="NAME",
        help="only benchmarks whose name contains NAME (repeatable, or comma-separated)",
    )
    p.add_argument("--smoke", action="store_true", help="run each program once and check its output; no timing")
    p.add_argument("--markdown", metavar="FILE", help="also write the markdown table to FILE")
    p.add_argument("--runtimes", metavar="LIST", help="comma-separated runtime keys to use (default: all found)")
    p.add_argument("--ruff", metavar="PATH", help="the ruff binary (default: target/release/ruff)")
    p.add_argument("--python", metavar="PATH", default=DEFAULT_PYTHON, help=f"the CPython to compare with (default {DEFAULT_PYTHON})")
    p.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS", help="kill a run after this long (default 300)")
    p.add_argument("--no-gnu-time", action="store_true", help="read peak RSS from the harness's own wait4 instead of GNU time")
    p.add_argument("--list", action="store_true", help="list the benchmarks and runtimes, then exit")
    args = p.parse_args(argv)
    if args.runs < 1:
        p.error("--runs must be at least 1")
    return args


def find_benchmarks(filters: list[str]) -> list[str]:
    """Benchmark names (one per NAME.expected), sorted, narrowed by the --filter substrings."""
    names = sorted(f.stem for f in PROGRAMS.glob("*.expected"))
    wanted = [w for f in filters for w in f.split(",") if w]
    if wanted:
        names = [n for n in names if any(w in n for w in wanted)]
    return names


def find_runtimes(args: argparse.Namespace) -> tuple[list[Runtime], list[str]]:
    """The runtimes to use, plus a note for each one that was asked for but is missing."""
    notes = []
    ruff = Path(args.ruff) if args.ruff else ROOT / "target" / "release" / "ruff"
    candidates: list[tuple[Runtime, str | None]] = []
    ruff_path = str(ruff.resolve()) if ruff.is_file() else None
    candidates.append((Runtime("ruff", "ruff", ".ruff", [str(ruff), "run"], [str(ruff), "--version"]), ruff_path))
    candidates.append(
        (Runtime("ruff-nojit", "ruff --no-jit", ".ruff", [str(ruff), "run", "--no-jit"], [str(ruff), "--version"]), ruff_path)
    )
    python = shutil.which(args.python)
    candidates.append((Runtime("cpython", "cpython", ".py", [args.python], [args.python, "--version"]), python))
    luajit = shutil.which("luajit")
    candidates.append((Runtime("luajit", "luajit", ".lua", ["luajit"], ["luajit", "-v"]), luajit))
    node = shutil.which("node")
    candidates.append((Runtime("node", "node", ".js", ["node"], ["node", "--version"]), node))

    keys = None
    if args.runtimes:
        keys = [k.strip() for k in args.runtimes.split(",") if k.strip()]
        known = {rt.key for rt, _ in candidates}
        unknown = [k for k in keys if k not in known]
        if unknown:
            sys.exit(f"error: unknown runtime key(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})")

    chosen = []
    for rt, path in candidates:
        if keys is not None and rt.key not in keys:
            continue
        if path is None:
            notes.append(f"{rt.label}: not found ({rt.argv[0]}); skipped")
            continue
        # Spawn by absolute path: posix_spawn does no PATH search.
        rt.argv[0] = path
        rt.version_argv[0] = path
        rt.version = runtime_version(rt.version_argv)
        chosen.append(rt)
    return chosen, notes


def runtime_version(argv: list[str]) -> str:
    """The first line a runtime prints for its version flag (some print it to stderr)."""
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"unknown ({e})"
    text = (out.stdout or out.stderr).strip()
    return text.splitlines()[0] if text else "unknown"


GNU_TIME = "/usr/bin/time"


def gnu_time_works() -> bool:
    """Whether GNU time is installed and accepts the flags `Spawner.run` uses."""
    if not os.access(GNU_TIME, os.X_OK) or not os.access("/bin/true", os.X_OK):
        return False
    with tempfile.NamedTemporaryFile() as f:
        try:
            r = subprocess.run([GNU_TIME, "-f", "%M", "-o", f.name, "/bin/true"], capture_output=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return False
        return r.returncode == 0 and f.read().strip().isdigit()


class Spawner:
    """Starts child processes and measures their wall time and peak RSS.

    Peak RSS comes from `ru_maxrss`, and Linux carries a process's high-water mark across
    `exec`: a child forked (or vforked) by this harness inherits the harness's own peak RSS
    (about 15 MB of CPython) as its starting value. So when GNU time is installed, each
    child is started through it: GNU time is a small C program, and the `wait4` it does on
    its own child reports a peak RSS that starts from about 1 MB instead. Without GNU time
    the harness reads `ru_maxrss` from its own `wait4`, and small processes show the
    harness's RSS. `floor_kb` records what /bin/true measures, so reports can say which.

    GNU time costs about 1 ms of its own start-up per run, which would be charged to the
    runtime's wall time. So only the untimed check run goes through it (`measure_rss=True`) and
    gives the peak RSS; the timed runs are spawned directly and give the wall time only.
    """

    def __init__(self, use_gnu_time: bool):
        self.use_gnu_time = use_gnu_time
        self.floor_kb = 0
        if os.access("/bin/true", os.X_OK):
            self.floor_kb = self.run(["/bin/true"], "", 30.0, measure_rss=True).maxrss_kb

    def describe(self) -> str:
        how = "GNU time (`/usr/bin/time -f %M`)" if self.use_gnu_time else "the harness's own `wait4` (GNU time not found)"
        return (
            f"timed runs are spawned directly; peak RSS is from the untimed check run, measured through {how}; "
            f"/bin/true measures {self.floor_kb / 1024:.1f} MB this way"
        )

    def run(self, argv: list[str], expected: str, timeout: float, measure_rss: bool = False) -> Sample:
        """Spawns one child, waits for it and returns its wall time, peak RSS and output check.

        With `measure_rss=False` the child is spawned directly, and its peak RSS is not meaningful.

        The clock starts just before `posix_spawn` and stops when `wait4` reaps the child, so
        the time covers the whole process (start-up, run, exit). stdout and stderr go to
        temporary files, so the harness never has to drain pipes while the child runs.
        """
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile() as rss, open(
            os.devnull, "rb"
        ) as devnull:
            gnu = measure_rss and self.use_gnu_time
            if gnu:
                argv = [GNU_TIME, "-f", "%M", "-o", rss.name] + argv
            actions = [
                (os.POSIX_SPAWN_DUP2, devnull.fileno(), 0),
                (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
                (os.POSIX_SPAWN_DUP2, err.fileno(), 2),
            ]
            start = time.perf_counter()
            try:
                # A process group of its own, so a timeout can kill GNU time and its child.
                pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions, setpgroup=0)
            except OSError as e:
                return Sample(0.0, 0, False, f"cannot start {argv[0]}: {e}")
            timed_out = wait_or_kill(pid, timeout)
            _, status, usage = os.wait4(pid, 0)
            wall = time.perf_counter() - start
            out.seek(0)
            stdout = out.read().decode("utf-8", errors="replace")
            err.seek(0)
            stderr = err.read().decode("utf-8", errors="replace")
            maxrss = usage.ru_maxrss
            report = rss.read().decode("utf-8", errors="replace").strip().splitlines()
            if gnu:
                maxrss = int(report[-1]) if report and report[-1].isdigit() else 0

        if timed_out:
            return Sample(wall, maxrss, False, f"timed out after {timeout:g} s")
        if os.WIFSIGNALED(status):
            return Sample(wall, maxrss, False, f"killed by signal {os.WTERMSIG(status)}")
        signalled = [line for line in report if line.startswith("Command terminated by signal")]
        if signalled:
            return Sample(wall, maxrss, False, signalled[0].lower().replace("command ", ""))
        code = os.WEXITSTATUS(status)
        if code != 0:
            first = stderr.strip().splitlines()[0] if stderr.strip() else "(no stderr)"
            return Sample(wall, maxrss, False, f"exit {code}: {first}")
        if stdout != expected:
            return Sample(wall, maxrss, False, describe_diff(stdout, expected))
        return Sample(wall, maxrss, True)


def wait_or_kill(pid: int, timeout: float) -> bool:
    """Blocks until the child exits or `timeout` passes; kills its process group then.

    Uses a pidfd, which becomes readable when the child exits but does not reap it, so the
    pid (and its process group id) cannot be reused before we signal it. Returns whether
    the child had to be killed. Without pidfd support it just waits.
    """
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        return False
    try:
        ready, _, _ = select.select([fd], [], [], timeout)
        if ready:
            return False
        os.killpg(pid, signal.SIGKILL)
        return True
    finally:
        os.close(fd)


def describe_diff(got: str, expected: str) -> str:
    """A one-line description of the first line where the output differs."""
    got_lines = got.splitlines()
    exp_lines = expected.splitlines()
    for i in range(max(len(got_lines), len(exp_lines))):
        g = got_lines[i] if i < len(got_lines) else "<end of output>"
        e = exp_lines[i] if i < len(exp_lines) else "<end of output>"
        if g != e:
            return f"wrong output at line {i + 1}: got {g[:60]!r}, expected {e[:60]!r}"
    return "wrong output (line endings or trailing newline differ)"


def program_file(name: str, rt: Runtime) -> Path | None:
    path = PROGRAMS / (name + rt.ext)
    return path if path.is_file() else None


def check_all(spawner: Spawner, benches: list[str], runtimes: list[Runtime], timeout: float) -> dict[tuple[str, str], Cell]:
    """Runs every program once per runtime and records pass/fail (this run is not timed)."""
    cells: dict[tuple[str, str], Cell] = {}
    for name in benches:
        expected = (PROGRAMS / (name + ".expected")).read_text()
        for rt in runtimes:
            cell = Cell()
            cells[(name, rt.key)] = cell
            path = program_file(name, rt)
            if path is None:
                cell.reason = f"no {name}{rt.ext}"
                continue
            sample = spawner.run(rt.argv + [str(path)], expected, timeout, measure_rss=True)
            cell.rss_kb = sample.maxrss_kb
            cell.status = "ok" if sample.ok else "FAIL"
            cell.reason = sample.reason
            progress(f"check {name:<18} {rt.label:<14} {cell.status}{'  ' + cell.reason if cell.reason else ''}")
    return cells


def time_all(spawner: Spawner, benches: list[str], runtimes: list[Runtime], cells: dict[tuple[str, str], Cell], runs: int, timeout: float) -> None:
    """Times every passing (benchmark, runtime) pair `runs` times, interleaving runtimes.

    Within a benchmark each round runs every runtime once, and the starting runtime rotates
    from round to round, so slow drift in machine load (thermal, other processes) spreads
    evenly over the runtimes instead of landing on whichever ran last.
    """
    for name in benches:
        expected = (PROGRAMS / (name + ".expected")).read_text()
        active = [rt for rt in runtimes if cells[(name, rt.key)].status == "ok"]
        for r in range(runs):
            order = active[r % len(active):] + active[: r % len(active)] if active else []
            for rt in order:
                cell = cells[(name, rt.key)]
                if cell.status != "ok":
                    continue
                sample = spawner.run(rt.argv + [str(program_file(name, rt))], expected, timeout)
                if not sample.ok:
                    cell.status = "FAIL"
                    cell.reason = f"timed run {r + 1}: {sample.reason}"
                    cell.samples.clear()
                    continue
                cell.samples.append(sample)
            progress(f"time  {name:<18} round {r + 1}/{runs}")


def progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def fmt_time(seconds: float) -> str:
    if seconds >= 1.0:
        return f"{seconds:.3f} s"
    return f"{seconds * 1000:.1f} ms"


def table_rows(benches: list[str], runtimes: list[Runtime], cells: dict[tuple[str, str], Cell], smoke: bool) -> tuple[list[str], list[list[str]]]:
    """The result table as a header and rows of strings, shared by the text and markdown output."""
    if smoke:
        header = ["benchmark", "runtime", "check", "note"]
    else:
        header = ["benchmark", "runtime", "median", "min–max", "peak RSS", "CPython / runtime"]
    rows = []
    for name in benches:
        base = cells.get((name, "cpython"))
        base_median = base.median() if base and base.status == "ok" and base.samples else None
        for rt in runtimes:
            cell = cells[(name, rt.key)]
            if smoke:
                rows.append([name, rt.label, cell.status, cell.reason])
                continue
            if cell.status != "ok" or not cell.samples:
                rows.append([name, rt.label, cell.status, "", "", cell.reason])
                continue
            med = cell.median()
            lo = min(s.wall for s in cell.samples)
            hi = max(s.wall for s in cell.samples)
            ratio = f"{base_median / med:.2f}×" if base_median else "–"
            rows.append([name, rt.label, fmt_time(med), f"{fmt_time(lo)} – {fmt_time(hi)}", f"{cell.rss_mb():.1f} MB", ratio])
    return header, rows


def text_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    prev = None
    for r in rows:
        shown = list(r)
        if r[0] == prev:
            shown[0] = ""
        prev = r[0]
        lines.append("  ".join(c.ljust(w) for c, w in zip(shown, widths)).rstrip())
    return "\n".join(lines)


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    def esc(s: str) -> str:
        return s.replace("|", "\\|")

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for r in rows:
        lines.append("| " + " | ".join(esc(c) for c in r) + " |")
    return "\n".join(lines)


def machine_description() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}"


def git_revision() -> str:
    try:
        rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    commit = rev.stdout.strip() or "unknown"
    return commit + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def markdown_report(
    header: list[str], rows: list[list[str]], runtimes: list[Runtime], notes: list[str], args: argparse.Namespace, argv: list[str], spawner: Spawner
) -> str:
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    mode = "smoke (output check only, not timed)" if args.smoke else f"{args.runs} timed runs per cell, interleaved; median and min–max of wall time"
    parts = [
        "# Ruff benchmark results",
        "",
        f"- Date: {when}",
        f"- Machine: {machine_description()}",
        f"- Commit: {git_revision()}",
        f"- Command: `{shlex.join(['benches/run.py'] + argv)}`",
        f"- Mode: {mode}",
        "- Runtimes:",
    ]
    parts += [f"  - {rt.label}: {rt.version}" for rt in runtimes]
    parts += [f"  - {n}" for n in notes]
    parts += ["", markdown_table(header, rows), ""]
    if not args.smoke:
        parts += [
            f"Time is whole-process wall time; {spawner.describe()}.",
            "The last column is CPython's median time divided by the runtime's: above 1 is faster than CPython.",
            "",
        ]
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    benches = find_benchmarks(args.filter)
    runtimes, notes = find_runtimes(args)
    if args.list:
        print("benchmarks:", " ".join(benches))
        for rt in runtimes:
            print(f"runtime {rt.key}: {' '.join(rt.argv)}  [{rt.version}]")
        for n in notes:
            print(n)
        return 0
    if not benches:
        print("error: no benchmark matches the filter", file=sys.stderr)
        return 2
    if not runtimes:
        print("error: no runtime available", file=sys.stderr)
        return 2
    for n in notes:
        progress(f"note: {n}")

    spawner = Spawner(use_gnu_time=not args.no_gnu_time and gnu_time_works())
    cells = check_all(spawner, benches, runtimes, args.timeout)
    if not args.smoke:
        time_all(spawner, benches, runtimes, cells, args.runs, args.timeout)

    header, rows = table_rows(benches, runtimes, cells, args.smoke)
    print(text_table(header, rows))
    report = markdown_report(header, rows, runtimes, notes, args, argv, spawner)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.md").write_text(report)
    if args.markdown:
        Path(args.markdown).write_text(report)
    failed = any(c.status == "FAIL" for c in cells.values())
    if failed:
        print("\nsome runtimes FAILED the output check (see above); they were not timed", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
