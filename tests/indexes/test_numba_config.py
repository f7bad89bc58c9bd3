"""Cached kernels compiled from other kernel sources are dropped (Numba checks only each
kernel's own file, yet names.py compiles in constants of strings.py)."""

from __future__ import annotations

from pathlib import Path

from indexes import numba_config


def test_a_cache_from_other_kernel_sources_is_dropped_once(tmp_path: Path) -> None:
    stale = [tmp_path / "names._score_kernel-1.py311.nbi", tmp_path / "sub" / "x-2.py311.1.nbc"]
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"old machine code")
    (tmp_path / "kernel-sources.sha1").write_text("digest of older sources")
    keep = tmp_path / "README"
    keep.write_text("not Numba's")
    assert numba_config.drop_stale_cache(tmp_path)
    assert not any(p.exists() for p in stale) and keep.exists()
    assert (tmp_path / "kernel-sources.sha1").read_text() == numba_config.sources_digest()
    # Compiled since from these sources: kept.
    fresh = tmp_path / "names._score_kernel-1.py311.nbi"
    fresh.write_bytes(b"new machine code")
    assert not numba_config.drop_stale_cache(tmp_path)
    assert fresh.exists()


def test_the_digest_covers_every_kernel_source() -> None:
    kernels = Path(numba_config.__file__).parent / "kernels"
    assert {p.name for p in kernels.glob("*.py")} >= {"names.py", "strings.py", "documents.py"}
    assert len(numba_config.sources_digest()) == 40
