#!/usr/bin/python3
"""Golden fixtures for the clp4j T5 tests, from an independent plain-PyTorch T5.

Run with Debian's interpreter (torch 1.13 + numpy; transformers is not needed):
    /usr/bin/python3 engine-java/src/test/resources/t5/make_fixtures.py

The model below follows Hugging Face modeling_t5.py semantics (T5ForConditionalGeneration) in
float32 on the CPU with dropout off. It writes, next to this script:
  <model>/config.json          HF config fields
  <model>/model.safetensors    weights under HF names (tied models store shared.weight only)
  <model>/golden.safetensors   inputs, encoder output, logits, loss, "grad.<name>" for every
                               parameter, greedy tokens. Integer tensors are stored as F32 (exact
                               below 2^24) so that any F32 reader can load them.
  buckets.safetensors          relative-position bucket ids for relative positions -2048..2048
The safetensors files are written by hand (u64 LE header length, JSON header, raw LE data).
"""
import json
import math
import os
import struct

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
MIN = torch.finfo(torch.float32).min
GREEDY_STEPS = 8  # greedy generation runs exactly this many steps: no stopping at eos


def write_safetensors(path, tensors, metadata=None):
    header = {}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        arr = np.ascontiguousarray(tensors[name].detach().cpu().numpy().astype("<f4"))
        raw = arr.tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)  # align the data start, as the reference writer does
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


# ---------------------------------------------------------------- relative position buckets

def bucket(relative_position, bidirectional, num_buckets, max_distance):
    """HF T5Attention._relative_position_bucket semantics, float32 log as the reference computes it."""
    buckets = torch.zeros_like(relative_position)
    if bidirectional:
        num_buckets //= 2
        buckets += (relative_position > 0).to(torch.long) * num_buckets
        n = torch.abs(relative_position)
    else:
        n = -torch.min(relative_position, torch.zeros_like(relative_position))
    max_exact = num_buckets // 2
    is_small = n < max_exact
    large = max_exact + (torch.log(n.float() / max_exact) / math.log(max_distance / max_exact)
                         * (num_buckets - max_exact)).to(torch.long)
    large = torch.min(large, torch.full_like(large, num_buckets - 1))
    return buckets + torch.where(is_small, n, large)


def position_bias(table, q_len, k_len, bidirectional, cfg):
    q = torch.arange(q_len, dtype=torch.long)[:, None]
    k = torch.arange(k_len, dtype=torch.long)[None, :]
    ids = bucket(k - q, bidirectional, cfg["relative_attention_num_buckets"], cfg["relative_attention_max_distance"])
    return table[ids].permute(2, 0, 1).unsqueeze(0)  # [1, H, q, k]


# ---------------------------------------------------------------- the model, functional

def rms_norm(x, w, eps):
    var = x.to(torch.float32).pow(2).mean(-1, keepdim=True)
    return w * (x * torch.rsqrt(var + eps))


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def attention(p, prefix, x, kv, bias, cfg):
    b, tq, _ = x.shape
    tk = kv.shape[1]
    h, dkv = cfg["num_heads"], cfg["d_kv"]
    q = (x @ p[prefix + "q.weight"].T).view(b, tq, h, dkv).transpose(1, 2)
    k = (kv @ p[prefix + "k.weight"].T).view(b, tk, h, dkv).transpose(1, 2)
    v = (kv @ p[prefix + "v.weight"].T).view(b, tk, h, dkv).transpose(1, 2)
    scores = q @ k.transpose(3, 2) + bias  # no 1/sqrt(d_kv): folded into the initialisation
    w = torch.softmax(scores.float(), dim=-1).type_as(scores)
    out = (w @ v).transpose(1, 2).contiguous().view(b, tq, h * dkv)
    return out @ p[prefix + "o.weight"].T


def feed_forward(p, prefix, x, cfg):
    if cfg["feed_forward_proj"] == "gated-gelu":
        hidden = gelu_new(x @ p[prefix + "wi_0.weight"].T) * (x @ p[prefix + "wi_1.weight"].T)
    else:
        hidden = torch.relu(x @ p[prefix + "wi.weight"].T)
    return hidden @ p[prefix + "wo.weight"].T


def encode(p, cfg, input_ids, attention_mask):
    eps = cfg["layer_norm_epsilon"]
    h = p["shared.weight"][input_ids]
    s = input_ids.shape[1]
    mask = (1.0 - attention_mask[:, None, None, :].float()) * MIN
    bias = position_bias(p["encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"], s, s, True, cfg)
    bias = bias + mask  # block 0 computes it; every block reuses it
    for i in range(cfg["num_layers"]):
        pre = "encoder.block.%d." % i
        n = rms_norm(h, p[pre + "layer.0.layer_norm.weight"], eps)
        h = h + attention(p, pre + "layer.0.SelfAttention.", n, n, bias, cfg)
        h = h + feed_forward(p, pre + "layer.1.DenseReluDense.", rms_norm(h, p[pre + "layer.1.layer_norm.weight"], eps), cfg)
    return rms_norm(h, p["encoder.final_layer_norm.weight"], eps)


def decode(p, cfg, decoder_input_ids, enc, attention_mask):
    eps = cfg["layer_norm_epsilon"]
    h = p["shared.weight"][decoder_input_ids]
    t = decoder_input_ids.shape[1]
    causal = torch.tril(torch.ones(t, t))[None, None, :, :]
    self_bias = position_bias(p["decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"], t, t, False, cfg)
    self_bias = self_bias + (1.0 - causal) * MIN
    cross_bias = (1.0 - attention_mask[:, None, None, :].float()) * MIN  # no position bias across
    for i in range(cfg["num_decoder_layers"]):
        pre = "decoder.block.%d." % i
        n = rms_norm(h, p[pre + "layer.0.layer_norm.weight"], eps)
        h = h + attention(p, pre + "layer.0.SelfAttention.", n, n, self_bias, cfg)
        n = rms_norm(h, p[pre + "layer.1.layer_norm.weight"], eps)
        h = h + attention(p, pre + "layer.1.EncDecAttention.", n, enc, cross_bias, cfg)
        h = h + feed_forward(p, pre + "layer.2.DenseReluDense.", rms_norm(h, p[pre + "layer.2.layer_norm.weight"], eps), cfg)
    h = rms_norm(h, p["decoder.final_layer_norm.weight"], eps)
    if cfg["tie_word_embeddings"]:
        return (h * cfg["d_model"] ** -0.5) @ p["shared.weight"].T
    return h @ p["lm_head.weight"].T


def shift_right(labels, cfg):
    shifted = torch.zeros_like(labels)
    shifted[:, 1:] = labels[:, :-1]
    shifted[:, 0] = cfg["decoder_start_token_id"]
    return shifted.masked_fill(shifted == -100, cfg["pad_token_id"])


# ---------------------------------------------------------------- weights (HF _init_weights, factor 1)

def init_params(cfg, gen):
    d, dkv, h, ff, v = cfg["d_model"], cfg["d_kv"], cfg["num_heads"], cfg["d_ff"], cfg["vocab_size"]
    p = {}

    def normal(name, shape, std):
        p[name] = torch.randn(*shape, generator=gen) * std

    def norm(name):  # HF fills 1.0; perturbed so the norm gradients are tested on generic weights
        p[name] = 1.0 + 0.1 * torch.randn(d, generator=gen)

    def attn(pre, with_bias):
        normal(pre + "q.weight", (h * dkv, d), (d * dkv) ** -0.5)
        normal(pre + "k.weight", (h * dkv, d), d ** -0.5)
        normal(pre + "v.weight", (h * dkv, d), d ** -0.5)
        normal(pre + "o.weight", (d, h * dkv), (h * dkv) ** -0.5)
        if with_bias:
            normal(pre + "relative_attention_bias.weight", (cfg["relative_attention_num_buckets"], h), d ** -0.5)

    def dense(pre):
        if cfg["feed_forward_proj"] == "gated-gelu":
            normal(pre + "wi_0.weight", (ff, d), d ** -0.5)
            normal(pre + "wi_1.weight", (ff, d), d ** -0.5)
        else:
            normal(pre + "wi.weight", (ff, d), d ** -0.5)
        normal(pre + "wo.weight", (d, ff), ff ** -0.5)

    normal("shared.weight", (v, d), 1.0)
    for i in range(cfg["num_layers"]):
        pre = "encoder.block.%d.layer." % i
        attn(pre + "0.SelfAttention.", i == 0)
        norm(pre + "0.layer_norm.weight")
        dense(pre + "1.DenseReluDense.")
        norm(pre + "1.layer_norm.weight")
    norm("encoder.final_layer_norm.weight")
    for i in range(cfg["num_decoder_layers"]):
        pre = "decoder.block.%d.layer." % i
        attn(pre + "0.SelfAttention.", i == 0)
        norm(pre + "0.layer_norm.weight")
        attn(pre + "1.EncDecAttention.", False)
        norm(pre + "1.layer_norm.weight")
        dense(pre + "2.DenseReluDense.")
        norm(pre + "2.layer_norm.weight")
    norm("decoder.final_layer_norm.weight")
    if not cfg["tie_word_embeddings"]:
        normal("lm_head.weight", (v, d), 1.0)
    return p


def config(**kw):
    cfg = {
        "architectures": ["T5ForConditionalGeneration"], "model_type": "t5",
        "layer_norm_epsilon": 1e-6, "dropout_rate": 0.1, "initializer_factor": 1.0,
        "pad_token_id": 0, "eos_token_id": 1, "decoder_start_token_id": 0, "is_encoder_decoder": True,
    }
    cfg.update(kw)
    return cfg


MODELS = {
    # v1.0: relu, tied, inner width 32 != d_model 24, 2 encoder + 3 decoder layers
    "v1_0": config(vocab_size=96, d_model=24, d_kv=8, num_heads=4, d_ff=40, num_layers=2, num_decoder_layers=3,
                   relative_attention_num_buckets=16, relative_attention_max_distance=32,
                   feed_forward_proj="relu", tie_word_embeddings=True),
    # v1.1: gated-gelu, untied lm_head
    "v1_1": config(vocab_size=80, d_model=32, d_kv=8, num_heads=2, d_ff=48, num_layers=2, num_decoder_layers=2,
                   relative_attention_num_buckets=8, relative_attention_max_distance=20,
                   feed_forward_proj="gated-gelu", dense_act_fn="gelu_new", is_gated_act=True,
                   tie_word_embeddings=False),
}


def batch(cfg, gen):
    """Three pairs with padding on both sides: source lengths 7, 5, 3; label lengths 6, 4, 2 (eos last)."""
    v = cfg["vocab_size"]
    src_len, tgt_len = [7, 5, 3], [6, 4, 2]
    input_ids = torch.zeros(3, 7, dtype=torch.long)
    attention_mask = torch.zeros(3, 7, dtype=torch.long)
    labels = torch.full((3, 6), -100, dtype=torch.long)
    for b in range(3):
        input_ids[b, :src_len[b]] = torch.randint(3, v, (src_len[b],), generator=gen)
        input_ids[b, src_len[b] - 1] = cfg["eos_token_id"]
        attention_mask[b, :src_len[b]] = 1
        labels[b, :tgt_len[b]] = torch.randint(3, v, (tgt_len[b],), generator=gen)
        labels[b, tgt_len[b] - 1] = cfg["eos_token_id"]
    return input_ids, attention_mask, labels


def greedy(p, cfg, input_ids, attention_mask):
    """Plain greedy loop without a cache: re-run the decoder on the growing prefix, GREEDY_STEPS steps.
    Also returns the smallest gap between the best and second-best logit (how robust the tokens are)."""
    margin = float("inf")
    with torch.no_grad():
        enc = encode(p, cfg, input_ids, attention_mask)
        seq = torch.full((input_ids.shape[0], 1), cfg["decoder_start_token_id"], dtype=torch.long)
        for _ in range(GREEDY_STEPS):
            last = decode(p, cfg, seq, enc, attention_mask)[:, -1, :]
            top = last.topk(2, dim=-1).values
            margin = min(margin, (top[:, 0] - top[:, 1]).min().item())
            seq = torch.cat([seq, last.argmax(-1, keepdim=True)], dim=1)
    return seq[:, 1:], margin


def make_model(name, cfg, seed):
    gen = torch.Generator().manual_seed(seed)
    params = init_params(cfg, gen)
    for t in params.values():
        t.requires_grad_(True)
    input_ids, attention_mask, labels = batch(cfg, gen)
    decoder_input_ids = shift_right(labels, cfg)
    enc = encode(params, cfg, input_ids, attention_mask)
    logits = decode(params, cfg, decoder_input_ids, enc, attention_mask)
    loss = torch.nn.functional.cross_entropy(logits.view(-1, logits.shape[-1]), labels.view(-1), ignore_index=-100)
    loss.backward()

    out = os.path.join(HERE, name)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2, sort_keys=True)
        f.write("\n")
    write_safetensors(os.path.join(out, "model.safetensors"), params, {"format": "pt"})
    golden = {
        "input_ids": input_ids, "attention_mask": attention_mask, "labels": labels,
        "decoder_input_ids": decoder_input_ids, "encoder_output": enc, "logits": logits,
        "loss": loss.reshape(1),
    }
    golden["greedy_tokens"], margin = greedy(params, cfg, input_ids, attention_mask)
    for pname, t in params.items():
        golden["grad." + pname] = t.grad
    write_safetensors(os.path.join(out, "golden.safetensors"), golden,
                      {"greedy_steps": str(GREEDY_STEPS), "greedy_stops_at_eos": "false",
                       "greedy_min_top2_margin": "%.4f" % margin})
    print("%s: loss %.6f, %d parameters, greedy %s (top-2 margin >= %.4f)"
          % (name, loss.item(), sum(t.numel() for t in params.values()), golden["greedy_tokens"].tolist(), margin))


def make_buckets():
    rel = torch.arange(-2048, 2049, dtype=torch.long)
    out = {}
    for nb, md in [(32, 128), (16, 32), (8, 20)]:
        out["bidirectional_%d_%d" % (nb, md)] = bucket(rel, True, nb, md)
        out["unidirectional_%d_%d" % (nb, md)] = bucket(rel, False, nb, md)
    write_safetensors(os.path.join(HERE, "buckets.safetensors"), out, {"first_relative_position": "-2048"})


if __name__ == "__main__":
    torch.manual_seed(0)
    # seeds chosen so that greedy decoding is not one repeated token and its top-2 margins stay well
    # above float32 noise (a random tied model tends to copy its input token)
    make_model("v1_0", MODELS["v1_0"], 4)
    make_model("v1_1", MODELS["v1_1"], 5678)
    make_buckets()
