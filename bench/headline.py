"""The README's headline table, rendered from bench/results/summary.json (measured figures
only: a figure missing from the summary is left out, never guessed).

    python -m bench.headline
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- headline:start -->", "<!-- headline:end -->"
# (summary name, what it is, the target)
ROWS = (
    ("documents_128M_build_seconds", "128M documents indexed from Parquet", "≤ 180 s"),
    ("documents_128M_restart_to_serving_seconds", "restart to SERVING, 128M documents",
     "≤ 15 s"),
    ("document_index_bytes_per_document", "document index, bytes per document", "≤ 24 B"),
    ("documents_128M_lookups_per_second_per_core_misses",
     "document lookups per second per core (128M)", "≥ 5,000,000"),
    ("load_manifest_passengers_per_s", "ScreenManifest passengers/s end to end",
     "≥ 20,000"),
    ("load_check_over_echo_throughput", "CheckPassenger throughput / echo floor (32 callers)",
     "≥ 0.8"),
    ("load_check_32_p50_ms", "CheckPassenger median latency (32 callers)",
     "≤ echo + 1 ms"),
    ("load_echo_32_p50_ms", "echo floor median latency (32 callers)", ""),
    ("load_server_pss_gib", "server memory (PSS, all processes)", ""),
    ("names_10M_screen_us_per_passenger", "full screening per passenger, 10M names", ""),
    ("names_10M_peer_over_ours", "rapidfuzz brute force / ours, 10M names", "≥ 100x"),
    ("names_10M_candidate_recall", "candidate recall vs exhaustive (planted), 10M names",
     "≥ 0.995"),
    ("names_10M_candidate_recall_at_engine_floor",
     "same, from the engine's search floor (name 0.8722), 10M names", "≥ 0.995"),
    ("names_1M_screen_us_per_passenger", "full screening per passenger, 1M names", ""),
    ("names_1M_peer_over_ours", "rapidfuzz brute force / ours, 1M names", "≥ 100x"),
    ("names_1M_candidate_recall", "candidate recall vs exhaustive (planted), 1M names",
     "≥ 0.995"),
    ("names_1M_candidate_recall_at_engine_floor",
     "same, from the engine's search floor (name 0.8722), 1M names", "≥ 0.995"),
    ("name_index_bytes_per_name", "name index, bytes per name", ""),
)


def render(summary: list[dict]) -> str:
    by_name = {e["name"]: e for e in summary}
    lines = [START, "", "| figure | measured | target | command |", "|---|---:|---|---|"]
    for name, label, target in ROWS:
        e = by_name.get(name)
        if e is None:
            continue
        v = e["value"]
        value = f"{v:,}" if isinstance(v, int) or abs(v) >= 100 else f"{v:g}"
        lines.append(f"| {label} | {value} {e['unit']} | {target} | `{e['command']}` |")
    lines += ["", "Reports with the machine, the commit, the noise and the profiles: "
              "[bench/results/](bench/results/) (`load.md`, `scale.md`); which targets are "
              "missed, where the time goes and what would close the gap: "
              "[bench/results/targets.md](bench/results/targets.md).", "", END]
    return "\n".join(lines)


def main() -> None:
    summary = json.loads((ROOT / "bench" / "results" / "summary.json").read_text())
    readme = ROOT / "README.md"
    text = readme.read_text()
    block = render(summary)
    if START in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text,
                      flags=re.S)
    else:
        section = "## Scale and speed, measured on the 2-core box\n\n" + block + "\n\n"
        text = text.replace("## Command line\n", section + "## Command line\n", 1)
    readme.write_text(text)


if __name__ == "__main__":
    main()
