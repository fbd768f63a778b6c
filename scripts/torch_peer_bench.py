#!/usr/bin/env python3
"""PyTorch peer timings for the kernel lab's headline cases, measured in the same GPU session so
that clp4j's numbers have a baseline (RUNBOOK: quote GPU timings only against a baseline measured
in the same call). Same shapes and names as clp4j.nativ.cuda.lab.LabCases (bench sizes).
Usage: python3 scripts/torch_peer_bench.py [--small]   (--small: tiny shapes, runs on the CPU too)
"""
import sys
import time

import torch
import torch.nn.functional as F

SMALL = "--small" in sys.argv
DEV = "cuda" if torch.cuda.is_available() and not SMALL else "cpu"
S = 64 if SMALL else 1   # shrink factor for --small

TOKENS, D_MODEL, D_FF, VOCAB = 4096 // S, 1024 // S, 2816 // S, 32128 // S
HEADS, SEQ = 128 // S, 512 // S
ATTENTION = 4 * 1024 * 1024 // (S * S)
WHOLE_MODEL = 783_150_080 // (S * S * S)


def millis(fn):
    """Milliseconds per call: warm-up, then enough calls for about 50 ms (CUDA events on the GPU)."""
    fn()
    fn()
    if DEV == "cuda":
        torch.cuda.synchronize()
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        once = max(start.elapsed_time(end), 1e-3)
        runs = int(max(3, min(200, 50 / once)))
        start.record()
        for _ in range(runs):
            fn()
        end.record()
        end.synchronize()
        return start.elapsed_time(end) / runs
    t0 = time.perf_counter()
    fn()
    once = max((time.perf_counter() - t0) * 1e3, 1e-3)
    runs = int(max(3, min(200, 50 / once)))
    t0 = time.perf_counter()
    for _ in range(runs):
        fn()
    return (time.perf_counter() - t0) * 1e3 / runs


def report(name, shape, ms, nbytes=0, flops=0):
    rate = f"{flops / (ms * 1e-3) / 1e9:.0f} GF/s" if flops else f"{nbytes / (ms * 1e-3) / 1e9:.0f} GB/s"
    print(f"{name:<44} {shape:<34} {ms * 1e3:10.1f} {rate:>10}", flush=True)


def mix_cases(n, what):
    for m in (2, 3):
        xs = [torch.rand(n, device=DEV) for _ in range(m)]
        ref, out = torch.rand(n, device=DEV), torch.empty(n, device=DEV)
        w = [0.3, 0.7] if m == 2 else [0.2, 0.3, 0.5]
        beta = 0.25

        def mix():   # the eager PyTorch way: one pass per term
            torch.mul(ref, beta, out=out)
            for wi, x in zip(w, xs):
                out.add_(x, alpha=(1 - beta) * wi)
        report(f"torch mix m={m} ({what}), eager", f"{n} floats", millis(mix), (m + 2) * n * 4)
        stacked = torch.stack(xs + [ref])
        coef = torch.tensor([(1 - beta) * wi for wi in w] + [beta], device=DEV)
        report(f"torch mix m={m} ({what}), tensordot", f"{n} floats",
               millis(lambda: torch.tensordot(coef, stacked, dims=1)), (m + 2) * n * 4)
        del xs, ref, out, stacked
        copy_src, copy_dst = torch.rand(n, device=DEV), torch.empty(n, device=DEV)
        report(f"torch D2D copy ({what})", f"{n} floats", millis(lambda: copy_dst.copy_(copy_src)), 2 * n * 4)
        del copy_src, copy_dst
        if DEV == "cuda":
            torch.cuda.empty_cache()


def main():
    name = torch.cuda.get_device_name() if DEV == "cuda" else "cpu"
    print(f"torch {torch.__version__} on {name}; TF32 matmul {torch.backends.cuda.matmul.allow_tf32 if DEV == 'cuda' else '-'}")
    print(f"{'case':<44} {'shape':<34} {'us/run':>10} {'GB/s|GF/s':>10}")
    mix_cases(ATTENTION, "attention")
    mix_cases(WHOLE_MODEL, "whole model")
    scores = torch.rand(HEADS // 2, 2, SEQ, SEQ, device=DEV)
    key_mask = torch.rand(HEADS // 2, 1, 1, SEQ, device=DEV)
    report("torch softmax (attention, key mask)", f"{HEADS * SEQ} rows x {SEQ}",
           millis(lambda: torch.softmax(scores + key_mask, dim=-1)), 2 * scores.numel() * 4)
    logits = torch.rand(TOKENS, VOCAB, device=DEV)
    report("torch softmax (vocab)", f"{TOKENS} rows x {VOCAB}", millis(lambda: torch.softmax(logits, -1)), 2 * logits.numel() * 4)
    targets = torch.randint(0, VOCAB, (TOKENS,), device=DEV)
    report("torch crossEntropy (per row)", f"{TOKENS} rows x {VOCAB}",
           millis(lambda: F.cross_entropy(logits, targets, reduction="none", ignore_index=-100)), logits.numel() * 4)
    x, wn = torch.rand(TOKENS, D_MODEL, device=DEV), torch.rand(D_MODEL, device=DEV)
    report("torch rmsNorm (T5, eager)", f"{TOKENS} rows x {D_MODEL}",
           millis(lambda: wn * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6))), 2 * x.numel() * 4)
    h = torch.rand(TOKENS, D_FF, device=DEV)
    report("torch gelu_new (tanh)", f"{TOKENS} x {D_FF}", millis(lambda: F.gelu(h, approximate="tanh")), 2 * h.numel() * 4)
    a, b = torch.rand(TOKENS, D_MODEL, device=DEV), torch.rand(D_MODEL, D_FF, device=DEV)
    for tf32 in ((False, True) if DEV == "cuda" else (False,)):
        if DEV == "cuda":
            torch.backends.cuda.matmul.allow_tf32 = tf32
        report("torch matmul A x B (FFN wi)" + (" [tf32]" if tf32 else ""), f"{TOKENS}x{D_MODEL} . {D_MODEL}x{D_FF}",
               millis(lambda: a @ b), flops=2.0 * TOKENS * D_MODEL * D_FF)


if __name__ == "__main__":
    main()
