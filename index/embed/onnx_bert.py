"""Build an ONNX graph of a BERT encoder from its safetensors weights, so it runs without torch."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from safetensors.numpy import load_file

OPSET = 17  # the first opset with LayerNormalization


@dataclass(frozen=True)
class BertShape:
    """The sizes of a BERT encoder, read from its config.json."""

    hidden: int
    heads: int
    layers: int
    eps: float

    @classmethod
    def from_config(cls, path: Path) -> BertShape:
        """Read the sizes from a Hugging Face BERT config.json."""
        cfg = json.loads(path.read_text(encoding="utf-8"))
        if cfg.get("hidden_act", "gelu") != "gelu":
            raise ValueError(f"unsupported hidden_act {cfg['hidden_act']!r} in {path}")
        return cls(
            hidden=cfg["hidden_size"],
            heads=cfg["num_attention_heads"],
            layers=cfg["num_hidden_layers"],
            eps=float(cfg.get("layer_norm_eps", 1e-12)),
        )


class _Graph:
    """Accumulates nodes and initializers with unique names."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        self.weights = weights
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self._n = 0
        self._names: set[str] = set()

    def const(self, name: str, value: np.ndarray) -> str:
        # Shared scalars (one, 0.5 ...) are asked for by several blocks; add each once.
        if name not in self._names:
            self._names.add(name)
            self.inits.append(numpy_helper.from_array(value, name))
        return name

    def op(self, op_type: str, *inputs: str, **attrs: object) -> str:
        self._n += 1
        out = f"{op_type.lower()}_{self._n}"
        self.nodes.append(helper.make_node(op_type, list(inputs), [out], **attrs))
        return out

    def linear(self, x: str, prefix: str, scale: float = 1.0) -> str:
        """x W^T + b for a PyTorch Linear; W is stored transposed so MatMul needs no Transpose."""
        w = np.ascontiguousarray(self.weights[f"{prefix}.weight"].T * scale, dtype=np.float32)
        b = (self.weights[f"{prefix}.bias"] * scale).astype(np.float32)
        y = self.op("MatMul", x, self.const(f"{prefix}.wt", w))
        return self.op("Add", y, self.const(f"{prefix}.b", b))

    def layer_norm(self, x: str, prefix: str, eps: float) -> str:
        scale = self.const(f"{prefix}.weight", self.weights[f"{prefix}.weight"])
        bias = self.const(f"{prefix}.bias", self.weights[f"{prefix}.bias"])
        return self.op("LayerNormalization", x, scale, bias, axis=-1, epsilon=eps)


def _embeddings(g: _Graph, shape: BertShape) -> str:
    """Word + position + token type 0 embeddings, then LayerNorm."""
    w = g.weights
    words = g.op("Gather", g.const("word_emb", w["embeddings.word_embeddings.weight"]), "input_ids")
    # Every token has type 0, so that row is folded into the position table once, here.
    type0 = w["embeddings.token_type_embeddings.weight"][0]
    table = (w["embeddings.position_embeddings.weight"] + type0).astype(np.float32)
    one = g.const("one", np.array(1, np.int64))
    seq_len = g.op("Gather", g.op("Shape", "input_ids"), one, axis=0)
    positions = g.op("Range", g.const("zero", np.array(0, np.int64)), seq_len, one)
    pos = g.op("Gather", g.const("pos_type0_emb", table), positions)
    return g.layer_norm(g.op("Add", words, pos), "embeddings.LayerNorm", shape.eps)


def _mask_bias(g: _Graph) -> str:
    """Additive attention bias [batch, 1, 1, seq]: 0 for tokens, a huge negative for padding."""
    mask = g.op("Cast", "attention_mask", to=TensorProto.FLOAT)
    blocked = g.op("Sub", g.const("one_f", np.array(1.0, np.float32)), mask)
    bias = g.op("Mul", blocked, g.const("neg_big", np.array(np.finfo(np.float32).min, np.float32)))
    return g.op("Unsqueeze", bias, g.const("axes_1_2", np.array([1, 2], np.int64)))


def _attention(g: _Graph, x: str, bias: str, p: str, shape: BertShape) -> str:
    """Multi-head self-attention; 1/sqrt(head_dim) is folded into the query weights."""
    head_dim = shape.hidden // shape.heads
    split = g.const(f"{p}.split_shape", np.array([0, 0, shape.heads, head_dim], np.int64))
    q = g.op("Reshape", g.linear(x, f"{p}.self.query", scale=head_dim**-0.5), split)
    k = g.op("Reshape", g.linear(x, f"{p}.self.key"), split)
    v = g.op("Reshape", g.linear(x, f"{p}.self.value"), split)
    q = g.op("Transpose", q, perm=[0, 2, 1, 3])
    k = g.op("Transpose", k, perm=[0, 2, 3, 1])
    v = g.op("Transpose", v, perm=[0, 2, 1, 3])
    probs = g.op("Softmax", g.op("Add", g.op("MatMul", q, k), bias), axis=-1)
    ctx = g.op("Transpose", g.op("MatMul", probs, v), perm=[0, 2, 1, 3])
    merge = g.const(f"{p}.merge_shape", np.array([0, 0, shape.hidden], np.int64))
    out = g.linear(g.op("Reshape", ctx, merge), f"{p}.output.dense")
    return g.layer_norm(g.op("Add", out, x), f"{p}.output.LayerNorm", shape.eps)


def _gelu(g: _Graph, x: str) -> str:
    """The exact (erf) GELU that BERT uses: 0.5 x (1 + erf(x / sqrt 2))."""
    erf = g.op("Erf", g.op("Div", x, g.const("sqrt2", np.array(np.sqrt(2.0), np.float32))))
    one_plus = g.op("Add", erf, g.const("one_f", np.array(1.0, np.float32)))
    return g.op("Mul", g.op("Mul", x, one_plus), g.const("half", np.array(0.5, np.float32)))


def _layer(g: _Graph, x: str, bias: str, i: int, shape: BertShape) -> str:
    """One post-LayerNorm encoder layer: attention, then the feed-forward block."""
    p = f"encoder.layer.{i}"
    x = _attention(g, x, bias, f"{p}.attention", shape)
    hidden = _gelu(g, g.linear(x, f"{p}.intermediate.dense"))
    out = g.linear(hidden, f"{p}.output.dense")
    return g.layer_norm(g.op("Add", out, x), f"{p}.output.LayerNorm", shape.eps)


def build_model(model_dir: Path) -> onnx.ModelProto:
    """The ONNX model: (input_ids, attention_mask) int64 [batch, seq] -> last_hidden_state."""
    shape = BertShape.from_config(model_dir / "config.json")
    g = _Graph(load_file(model_dir / "model.safetensors"))
    x = _embeddings(g, shape)
    bias = _mask_bias(g)
    for i in range(shape.layers):
        x = _layer(g, x, bias, i, shape)
    g.nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"]))
    inputs = [
        helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "seq"])
        for n in ("input_ids", "attention_mask")
    ]
    output = helper.make_tensor_value_info(
        "last_hidden_state", TensorProto.FLOAT, ["batch", "seq", shape.hidden]
    )
    graph = helper.make_graph(g.nodes, "bert_encoder", inputs, [output], g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8  # readable by any onnxruntime from 1.14 on
    onnx.checker.check_model(model)
    return model


def build_onnx(model_dir: Path, out: Path) -> Path:
    """Export the BERT encoder in model_dir to out, atomically: a crash never leaves a half file."""
    model = build_model(model_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o644)  # mkstemp makes it 0600; the cache may be read by another account
        with os.fdopen(fd, "wb") as f:
            f.write(model.SerializeToString())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
