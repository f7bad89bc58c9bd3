"""bench/results/scale.md: the names and documents scaling sections under one heading.

    python -m bench.scale.report

Each section is written by its own benchmark (scale_names.md, scale_documents.md) with its
machine, commit and command; this only puts them together, measuring nothing.
"""

from __future__ import annotations

from pathlib import Path

from bench.results_io import machine

ROOT = Path(__file__).resolve().parents[2]


def main(out: Path = ROOT / "bench" / "results") -> None:
    parts = [f"# Scaling: cost as the lists grow\n\nMachine: {machine()}. Each section below "
             "names the commit and the command that produced it.\n"]
    for name in ("scale_names.md", "scale_documents.md", "scale_profile.md"):
        path = out / name
        if path.exists():
            parts.append(path.read_text())
    (out / "scale.md").write_text("\n".join(parts))


if __name__ == "__main__":
    main()
