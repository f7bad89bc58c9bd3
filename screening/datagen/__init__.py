"""Deterministic synthetic watchlists, stolen-document list and passenger manifests.

`generate()` writes, under `out`:
- nominal.jsonl            wanted / missing / sanctioned persons with aliases and native scripts
- documents.parquet        stolen / lost travel documents (chunked, vectorised, scales to 1e8+)
- manifests/manifest_NNN.jsonl + .flight.json   passengers, mostly clean, some planted matches
- truth.jsonl              one line per planted passenger (what a screening run should find)
- generator.json           the name model and arguments the files were made with (`is_current`)

Same seed and arguments give byte-identical files: every random draw comes from streams derived
from `seed` (numpy PCG64 / random.Random), never from hash() or set iteration order.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .docnumbers import Allocator
from .documents import write_documents
from .frequencies import DEFAULT_MODEL, use
from .manifests import ManifestWriter, dumps, make_plan
from .persons import write_persons

__all__ = ["GeneratedFiles", "generate", "is_current"]


@dataclass
class GeneratedFiles:
    nominal: Path
    documents: Path
    manifests: list[Path]
    truth: Path


def _sub_seeds(seed: int, n: int) -> list[int]:
    """Independent child seeds, so e.g. changing `documents` does not reshuffle the persons."""
    children = np.random.SeedSequence(seed).spawn(n)
    return [int(c.generate_state(1, dtype=np.uint64)[0]) for c in children]


def generate(out: Path, *, persons: int, documents: int, seed: int = 42, manifests: int = 3,
             manifest_size: int = 200, progress: bool = True,
             name_model: int = DEFAULT_MODEL) -> GeneratedFiles:
    with use(name_model):
        return _generate(Path(out), persons, documents, seed, manifests, manifest_size,
                         progress, name_model)


def _generate(out: Path, persons: int, documents: int, seed: int, manifests: int,
              manifest_size: int, progress: bool, name_model: int) -> GeneratedFiles:
    (out / "manifests").mkdir(parents=True, exist_ok=True)
    s_plan, s_docs, s_persons, s_manifests = _sub_seeds(seed, 4)

    plan = make_plan(random.Random(s_plan), manifests, manifest_size, persons, documents)

    files = GeneratedFiles(out / "nominal.jsonl", out / "documents.parquet", [], out / "truth.jsonl")
    counts, stolen = write_documents(
        files.documents, documents, rng_seed=s_docs, format_seed=seed,
        sample_rows=np.array(plan.doc_rows, dtype=np.int64), progress=progress)
    # Nominal and passenger documents are numbered after the stolen ones: never on the list.
    alloc = Allocator(seed, counts)
    namesakes, kept = write_persons(files.nominal, persons, s_persons, alloc,
                                    set(plan.person_pool), progress)

    rng = random.Random(s_manifests)
    active = [p for p in kept if p.active]
    rng.shuffle(active)
    rng.shuffle(stolen)
    writer = ManifestWriter(rng, alloc, namesakes)
    truth_lines: list[str] = []
    for m in range(manifests):
        manifest_id = f"manifest_{m + 1:03d}"
        flight, depart = writer.flight(manifest_id, m)
        kinds = ["clean"] * plan.sizes[m]
        n_nom = min(plan.nominal[m], len(active))
        n_doc = min(plan.document[m], len(stolen))
        kinds[:n_nom + n_doc] = ["nominal"] * n_nom + ["document"] * n_doc
        kinds = kinds[: plan.sizes[m]]
        rng.shuffle(kinds)
        lines = []
        for i, kind in enumerate(kinds):
            ref = f"M{m + 1:03d}-P{i + 1:04d}"
            if kind == "clean":
                lines.append(dumps(writer.clean(ref, depart)))
                continue
            if kind == "nominal":
                lp = active.pop()
                pax, variation = writer.nominal(ref, depart, lp)
                truth = {"manifest": manifest_id, "ref": ref, "record_id": lp.record_id,
                         "kind": "nominal", "variation": variation}
            else:
                doc = stolen.pop()
                pax, variation = writer.document(ref, depart, doc)
                truth = {"manifest": manifest_id, "ref": ref, "record_id": doc.record_id,
                         "kind": "document", "variation": variation,
                         "document_status": doc.status}
            lines.append(dumps(pax))
            truth_lines.append(dumps(truth))
        path = out / "manifests" / f"{manifest_id}.jsonl"
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        (out / "manifests" / f"{manifest_id}.flight.json").write_text(
            dumps(flight) + "\n", encoding="utf-8")
        files.manifests.append(path)
    (out / "generator.json").write_text(dumps({
        "name_model": name_model, "persons": persons, "documents": documents, "seed": seed,
        "manifests": manifests, "manifest_size": manifest_size}) + "\n", encoding="utf-8")
    # Written last: a folder with truth.jsonl is complete.
    files.truth.write_text("".join(line + "\n" for line in truth_lines), encoding="utf-8")
    return files


def is_current(out: Path, name_model: int = DEFAULT_MODEL) -> bool:
    """Whether `out` holds complete files made with `name_model` (benchmark caches regenerate
    otherwise). Files from before generator.json was written are model 1's."""
    meta = Path(out) / "generator.json"
    if not (Path(out) / "truth.jsonl").exists():
        return False
    made = json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else {}
    return made.get("name_model", 1) == name_model
