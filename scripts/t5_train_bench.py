#!/usr/bin/env python3
"""PyTorch peer of clp4j.nativ.cuda.lab.T5TrainStepBench: one T5 training step, same shapes, same work.

The model is the plain-torch T5 of engine-java/src/test/resources/t5/make_fixtures.py (imported, not
copied), which the Java engine's golden tests are checked against: random weights (its HF-style
init), float32, dropout off, no padding. One step = zero every parameter gradient, teacher-forced
forward, mean cross-entropy, backward, loss.item(), torch.cuda.synchronize(). TF32 is on for
matmuls and cuDNN (the Java side runs cuBLAS with TF32 tensor-core math). Warm-up steps, then timed
steps; prints one `RESULT torch ...` line that scripts/gpu-check.sh pairs with the Java one.

Usage: python3 scripts/t5_train_bench.py [--model t5-base|flan-t5-base|tiny] [--batch 32]
       [--source 512] [--target 64] [--warmup 2] [--steps 5] [--tf32 true] [--device cuda|cpu]
(`--model tiny --batch 2 --source 16 --target 8 --device cpu` runs anywhere with torch >= 1.13.)
"""
import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                "engine-java", "src", "test", "resources", "t5"))
import make_fixtures as t5  # noqa: E402  (the fixture script's plain-torch T5)

COMMON = dict(vocab_size=32128, d_model=768, d_kv=64, num_heads=12, num_layers=12, num_decoder_layers=12,
              relative_attention_num_buckets=32, relative_attention_max_distance=128)
MODELS = {
    # HF t5-base (T5 v1.0) and google/flan-t5-base (v1.1 layout), as T5TrainStepBench.config
    "t5-base": t5.config(d_ff=3072, feed_forward_proj="relu", tie_word_embeddings=True, **COMMON),
    "flan-t5-base": t5.config(d_ff=2048, feed_forward_proj="gated-gelu", tie_word_embeddings=False, **COMMON),
    "tiny": t5.config(vocab_size=128, d_model=32, d_kv=8, num_heads=4, d_ff=64, num_layers=2, num_decoder_layers=2,
                      relative_attention_num_buckets=32, relative_attention_max_distance=128,
                      feed_forward_proj="relu", tie_word_embeddings=True),
}


class _FactoriesOn:
    """The torch module as make_fixtures sees it, with ones/arange on the given device."""

    def __init__(self, device):
        self.device = device

    def __getattr__(self, name):
        return getattr(torch, name)

    def ones(self, *size, **kw):
        return torch.ones(*size, device=self.device, **kw)

    def arange(self, *args, **kw):
        return torch.arange(*args, device=self.device, **kw)


def step(p, cfg, input_ids, attention_mask, labels):
    for t in p.values():
        if t.grad is not None:
            t.grad.zero_()
    enc = t5.encode(p, cfg, input_ids, attention_mask)
    logits = t5.decode(p, cfg, t5.shift_right(labels, cfg), enc, attention_mask)
    loss = torch.nn.functional.cross_entropy(logits.view(-1, logits.shape[-1]), labels.view(-1), ignore_index=-100)
    loss.backward()
    return loss.item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="t5-base", choices=sorted(MODELS))
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--source", type=int, default=512)
    ap.add_argument("--target", type=int, default=64)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--tf32", default="true", choices=["true", "false"])
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = ap.parse_args()
    tf32 = args.tf32 == "true"
    dev = torch.device(args.device)
    if dev.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = tf32
        torch.backends.cudnn.allow_tf32 = tf32
    cfg = MODELS[args.model]

    t0 = time.perf_counter()
    gen = torch.Generator().manual_seed(1234)
    with torch.no_grad():
        p = {k: v.to(dev).requires_grad_(True) for k, v in t5.init_params(cfg, gen).items()}
    input_ids = torch.randint(3, cfg["vocab_size"], (args.batch, args.source), generator=gen).to(dev)
    attention_mask = torch.ones(args.batch, args.source, dtype=torch.long, device=dev)
    labels = torch.randint(3, cfg["vocab_size"], (args.batch, args.target), generator=gen).to(dev)
    # make_fixtures makes its causal mask and relative positions with torch.ones / torch.arange on the
    # default device: give them the data's device. (torch.set_default_device would do it too, but puts a
    # function mode in front of every torch call, a per-op cost the Java side does not pay.)
    t5.torch = _FactoriesOn(dev)
    name = torch.cuda.get_device_name(dev) if dev.type == "cuda" else "cpu"
    print("torch %s on %s: %s %s, %d parameters, batch %d, source %d, target %d, tf32 %s; init %.1f s"
          % (torch.__version__, name, args.model, cfg["feed_forward_proj"], sum(t.numel() for t in p.values()),
             args.batch, args.source, args.target, tf32, time.perf_counter() - t0), flush=True)

    total = 0.0
    for s in range(args.warmup + args.steps):
        start = time.perf_counter()
        loss = step(p, cfg, input_ids, attention_mask, labels)
        if dev.type == "cuda":
            torch.cuda.synchronize(dev)
        ms = (time.perf_counter() - start) * 1e3
        if s >= args.warmup:
            total += ms
        mem = (", allocated %d B, peak %d B" % (torch.cuda.memory_allocated(dev), torch.cuda.max_memory_allocated(dev))
               if dev.type == "cuda" else "")
        print("step %d%s: %.1f ms, loss %.4f%s" % (s, " (warm-up)" if s < args.warmup else "", ms, loss, mem), flush=True)
    ms_per_step = total / args.steps
    tokens = args.batch * (args.source + args.target)
    peak = torch.cuda.max_memory_reserved(dev) / 2 ** 30 if dev.type == "cuda" else 0.0
    print("RESULT torch %s batch=%d source=%d target=%d tf32=%s ms_per_step=%.2f tokens_per_s=%.0f device_peak_reserved_gib=%.2f"
          % (args.model, args.batch, args.source, args.target, str(tf32).lower(), ms_per_step, tokens / (ms_per_step / 1e3),
             peak))


if __name__ == "__main__":
    main()
