#!/usr/bin/python3.11
"""Regenerates benches/linker/text-order.txt: the functions the benchmarks execute, in link
order.

Runs every benches/programs/*.ruff under callgrind with a release `ruff` binary, first with
`--no-jit` (the interpreter's functions come first, so a run that never compiles pages in
the smallest part of the text) and then with the JIT (Cranelift's functions follow), and
writes their symbol names in first-seen order. build.rs hands the file to the linker (LLD's
`--symbol-ordering-file`), which then places all executed functions together:
the kernel maps text in 64 KiB blocks around each page fault, so packing them cuts the
resident set by about 1.9 MB (docs/JIT.md, "Compile time and memory").

Usage: /usr/bin/python3.11 benches/linker/text_order.py [target/release/ruff]
Regenerate after large changes to the interpreter or the JIT, or after a compiler or
Cranelift update (symbol names change; functions missing from the file are only placed
after the listed ones, so a stale file costs memory, never correctness).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PROGRAMS = ROOT / "benches" / "programs"
OUT = ROOT / "benches" / "linker" / "text-order.txt"


def text_symbols(binary: str) -> set[str]:
    """The names of the binary's function symbols."""
    out = subprocess.run(["nm", binary], capture_output=True, text=True, check=True).stdout
    return {p[2] for p in (line.split() for line in out.splitlines()) if len(p) == 3 and p[1] in "tTwW"}


def executed(binary: str, program: Path, flags: list[str]) -> list[str]:
    """Mangled names of the functions one run executes, in callgrind's order."""
    with tempfile.NamedTemporaryFile(suffix=".cg") as cg:
        subprocess.run(
            ["valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={cg.name}",
             binary, "run", *flags, str(program)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
        )
        text = Path(cg.name).read_text(errors="replace")
    return re.findall(r"^c?fn=\(\d+\) (.*)$", text, re.M)


def main() -> int:
    binary = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target" / "release" / "ruff")
    symbols = text_symbols(binary)
    programs = sorted(PROGRAMS.glob("*.ruff"))
    order: list[str] = []
    seen: set[str] = set()
    for flags in (["--no-jit"], []):
        for program in programs:
            for name in executed(binary, program, flags):
                if name in symbols and name not in seen:
                    seen.add(name)
                    order.append(name)
    OUT.write_text("".join(name + "\n" for name in order))
    print(f"{len(order)} functions written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
