"""The benchmark watchlist: real OFAC SDN and UN individuals, synthetic persons in their
thousands (so that precision means something), and persons built from the transliteration
pairs (cross-script classes). Built once per parameter set and cached under bench/data/quality.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from indexes.snapshot import build_snapshot, open_snapshot
from screening.datagen import generate
from screening.formats.watchlists.ofac import read_ofac_sdn
from screening.formats.watchlists.un import read_un_consolidated
from screening.loader import nominal_from_records, read_nominal

# ../shared beside the repository, as CI lays it out (was /work/shared: wrong elsewhere).
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
OFAC_SDN = SHARED / "watchlists/ofac/sdn_2024-05-03.csv"
OFAC_ALT = SHARED / "watchlists/ofac/alt_2026-06-02.csv"
UN_XML = SHARED / "watchlists/un/consolidated_2025-11-20.xml"
TRANSLIT = SHARED / "eval/translit"
CACHE = Path("bench/data/quality")
# Bump when the watchlist recipe changes, so stale caches are not reused.
RECIPE = 1


@dataclass
class Listed:
    """A listed person as the case generator sees it."""

    record_id: str
    source: str  # "real", "synthetic" or "translit-<lang>"
    surname: str
    given_names: str
    dobs: list[str]
    split: str  # "train" / "test"
    native: str = ""  # cross-script persons: the query in native script


def split_of(record_id: str) -> str:
    """Deterministic 50/50 split by listed-person id (stable across runs and machines)."""
    return "train" if hashlib.sha1(record_id.encode()).digest()[0] < 128 else "test"


def primary_name(names: list[dict]) -> tuple[str, str] | None:
    """(surname, given_names) of the first name entry; full names are split at the last
    space (UN style GIVEN SURNAME)."""
    for n in names:
        if n.get("surname"):
            return n["surname"], n.get("given_names") or ""
    for n in names:
        full = (n.get("full_name") or "").strip()
        if full:
            head, _, last = full.rpartition(" ")
            return (last, head) if head else (full, "")
    return None


def read_translit(lang: str, split: str) -> list[tuple[str, str]]:
    """(latin, native) pairs; the native form's characters are space-separated in the file."""
    out = []
    for line in (TRANSLIT / f"{lang}_{split}.tsv").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].strip() and parts[1].strip():
            out.append((parts[0].strip(), parts[1].replace(" ", "")))
    return out


def native_separator(lang: str) -> str:
    """Between the given name and the surname of a native-script name: the middle dot Chinese
    writes between the parts of a foreign name, else a space."""
    return "·" if lang == "chinese" else " "


def translit_persons(lang: str, split: str, count: int, seed: int) -> list[dict]:
    """Listed persons whose given name and surname are TSV tokens; the cross-script query is
    the two native forms joined (Chinese with the middle dot used for foreign names)."""
    pairs = [p for p in read_translit(lang, split) if len(p[0]) >= 3 and p[0].isalpha()]
    rng = random.Random(f"{seed}-{lang}-{split}")
    rng.shuffle(pairs)
    sep = native_separator(lang)
    out = []
    for k in range(min(count, len(pairs) // 2)):
        (g_lat, g_nat), (s_lat, s_nat) = pairs[2 * k], pairs[2 * k + 1]
        year = rng.randint(1950, 2000)
        out.append({
            "record_id": f"xs-{lang}-{split}-{k + 1}", "list": "translit-eval",
            "category": "sanctioned",
            "names": [{"surname": s_lat.upper(), "given_names": g_lat.capitalize()}],
            "dates_of_birth": [f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"],
            "sex": "", "nationalities": [], "documents": [], "owner": "BENCH",
            "status": "active", "native": g_nat + sep + s_nat,
        })
    return out


@dataclass
class Watchlist:
    data_dir: Path  # snapshot folder
    listed: list[Listed]  # real + cross-script persons (cases come from these + synthetic)
    synthetic: list[Listed]  # synthetic listed persons (Latin primary names only)
    name_keys: set[str]  # sorted-token keys of every listed name (never a clean namesake)
    n_records: int
    n_names: int


def _key(*parts: str) -> str:
    from screening.datagen.script import normalise
    return " ".join(sorted(normalise(" ".join(parts)).split()))


def build(persons: int, seed: int, translit_per_split: int, log=print,
          name_model: int = 1) -> Watchlist:
    """Build (or reuse) the snapshot and the listed-person table for these parameters."""
    tag = f"p{persons}-s{seed}-t{translit_per_split}-r{RECIPE}"
    if name_model != 1:
        tag += f"-n{name_model}"
    root = CACHE / tag
    snap_dir = root / "snapshot"
    gen_dir = root / "gen"
    done = root / "done.json"
    if not done.exists():
        shutil.rmtree(root, ignore_errors=True)
        log(f"generating watchlist data {tag} (cached for reruns)")
        generate(gen_dir, persons=persons, documents=10, seed=seed, manifests=0, progress=False,
                 name_model=name_model)
        real = read_ofac_sdn(OFAC_SDN, OFAC_ALT).records + read_un_consolidated(UN_XML).records
        xs = [r for lang in ("arabic", "russian", "chinese") for split in ("train", "test")
              for r in translit_persons(lang, split, translit_per_split, seed)]
        (root / "real.json").write_text(json.dumps(real + xs, ensure_ascii=False))
        done.write_text(json.dumps({"persons": persons, "seed": seed}))
    try:
        open_snapshot(snap_dir).warmup()
    except Exception as exc:  # noqa: BLE001 - none yet, or the index format changed: rebuild
        log(f"building snapshot ({type(exc).__name__}: {exc})")
        shutil.rmtree(snap_dir, ignore_errors=True)
        records = json.loads((root / "real.json").read_text())
        extra = nominal_from_records([{k: v for k, v in r.items() if k != "native"}
                                      for r in records])
        synth = read_nominal(gen_dir / "nominal.jsonl")
        table = pa.concat_tables([extra, synth.select(extra.column_names).cast(extra.schema)])
        build_snapshot(snap_dir, nominal=table)
    return _load(root, snap_dir, gen_dir)


def _load(root: Path, snap_dir: Path, gen_dir: Path) -> Watchlist:
    listed: list[Listed] = []
    keys: set[str] = set()
    for r in json.loads((root / "real.json").read_text()):
        for n in r["names"]:
            keys.add(_key(n.get("surname") or "", n.get("given_names") or "",
                          n.get("full_name") or ""))
        pn = primary_name(r["names"])
        if pn is None:
            continue
        rid = r["record_id"]
        if rid.startswith("xs-"):
            lang, split = rid.split("-")[1:3]
            listed.append(Listed(rid, f"translit-{lang}", pn[0], pn[1], r["dates_of_birth"],
                                 split, r["native"]))
        else:
            listed.append(Listed(rid, "real", pn[0], pn[1], r.get("dates_of_birth") or [],
                                 split_of(rid)))
    synthetic: list[Listed] = []
    with open(gen_dir / "nominal.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            for n in r["names"]:
                keys.add(_key(n.get("surname") or "", n.get("given_names") or "",
                              n.get("full_name") or ""))
            first = r["names"][0]
            # A cancelled notice is kept for the record but can no longer match: not a positive.
            if first.get("surname") and (r.get("status") or "active") == "active":
                synthetic.append(Listed(r["record_id"], "synthetic", first["surname"],
                                        first.get("given_names") or "", r["dates_of_birth"],
                                        split_of(r["record_id"])))
    snap = open_snapshot(snap_dir)
    return Watchlist(snap_dir, listed, synthetic, keys, snap.records.num_rows,
                     snap.names.num_rows)
