#!/usr/bin/python3
"""PyTorch peer of clp4j.bench.T5Benchmark: the same T5-small and the same two measurements.

Run with Debian's interpreter (torch 1.13 + OpenBLAS):
    /usr/bin/python3 benchmarks/python/t5_torch_bench.py [--iters 5] [--warmup 1] [--threads 1,2]

Model: T5 v1.0 layout as HF's t5-small (relu feed-forward, tied embeddings; d_model 512, 6+6 layers,
8 heads, d_kv 64, d_ff 2048, vocab 32128), random weights, float32, dropout off. It is the plain-torch T5
of engine-java/src/test/resources/t5/make_fixtures.py (imported, not copied), which the Java engine's
golden tests are checked against. Batch 8, source 128, target 32.
  train: teacher-forced loss forward + backward (every parameter gradient; gradients zeroed first)
  greedy: encoder + 32 greedy steps with a KV cache as HF generate() does it (self-attention keys/values
          appended per step, cross-attention keys/values computed once), no stop at eos; each token's
          log-probability is gathered too, as the Java generator returns it.
Prints per-iteration times, then the mean and best per thread count.
"""
import argparse
import ctypes
import ctypes.util
import os
import sys
import time


def choose_openblas_core():
    """OpenBLAS 0.3.21 (Debian 12) mistakes newer Xeons for "Prescott" and runs SSE3 kernels, which would
    make PyTorch look several times slower than it is. Unless the user set OPENBLAS_CORETYPE, pick the
    newest kernels the CPU supports before torch loads the library, as GemmBenchmark does for its baseline."""
    if "OPENBLAS_CORETYPE" in os.environ:
        return os.environ["OPENBLAS_CORETYPE"] + " (from the environment)"
    try:
        with open("/proc/cpuinfo") as f:
            flags = f.read()
    except OSError:
        return "left to OpenBLAS"
    core = "SkylakeX" if " avx512f" in flags else "Haswell" if " avx2" in flags else None
    if core:
        os.environ["OPENBLAS_CORETYPE"] = core
    return core or "left to OpenBLAS"


OPENBLAS_CORE = choose_openblas_core()

import torch  # noqa: E402  (after OPENBLAS_CORETYPE is set)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from t5_torch_common import t5, train_step  # noqa: E402  (make_fixtures' plain-torch T5 and the shared step)

BATCH, SOURCE, TARGET, NEW_TOKENS = 8, 128, 32, 32
CFG = t5.config(vocab_size=32128, d_model=512, d_kv=64, num_heads=8, d_ff=2048, num_layers=6, num_decoder_layers=6,
                relative_attention_num_buckets=32, relative_attention_max_distance=128,
                feed_forward_proj="relu", tie_word_embeddings=True)


def blas_threads_setter():
    """Debian's torch calls the system BLAS (BLAS_INFO=generic; OpenBLAS through libblas.so.3), whose
    threads torch.set_num_threads does not control: set them through OpenBLAS's own entry point."""
    for name in ("/usr/lib/x86_64-linux-gnu/libblas.so.3", ctypes.util.find_library("openblas") or ""):
        try:
            lib = ctypes.CDLL(name)
            return lib.openblas_set_num_threads, lib.openblas_get_num_threads
        except (OSError, AttributeError):
            continue
    return None, None


def split_heads(x, cfg):
    b, t, _ = x.shape
    return x.view(b, t, cfg["num_heads"], cfg["d_kv"]).transpose(1, 2)


def attend(p, prefix, x, k, v, bias, cfg):
    """One query block over given keys/values [B, H, T, d_kv] (make_fixtures.attention with a cache)."""
    b, tq, _ = x.shape
    q = split_heads(x @ p[prefix + "q.weight"].T, cfg)
    scores = q @ k.transpose(3, 2)
    if bias is not None:
        scores = scores + bias
    w = torch.softmax(scores.float(), dim=-1).type_as(scores)
    out = (w @ v).transpose(1, 2).contiguous().view(b, tq, -1)
    return out @ p[prefix + "o.weight"].T


def greedy(p, cfg, input_ids, attention_mask, steps):
    eps = cfg["layer_norm_epsilon"]
    layers = cfg["num_decoder_layers"]
    with torch.no_grad():
        enc = t5.encode(p, cfg, input_ids, attention_mask)
        cross_bias = (1.0 - attention_mask[:, None, None, :].float()) * t5.MIN
        cross = []
        for i in range(layers):  # once per source, as HF caches them in past_key_values
            pre = "decoder.block.%d.layer.1.EncDecAttention." % i
            cross.append((split_heads(enc @ p[pre + "k.weight"].T, cfg), split_heads(enc @ p[pre + "v.weight"].T, cfg)))
        table = p["decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"]
        past = [None] * layers
        token = torch.full((input_ids.shape[0], 1), cfg["decoder_start_token_id"], dtype=torch.long)
        tokens, logprobs = [], []
        for pos in range(steps):
            # the new query's row of the causal bias: keys 0..pos
            rel = torch.arange(pos + 1, dtype=torch.long)[None, :] - pos
            bias = table[t5.bucket(rel, False, cfg["relative_attention_num_buckets"],
                                   cfg["relative_attention_max_distance"])].permute(2, 0, 1).unsqueeze(0)
            h = p["shared.weight"][token]
            for i in range(layers):
                pre = "decoder.block.%d." % i
                n = t5.rms_norm(h, p[pre + "layer.0.layer_norm.weight"], eps)
                k = split_heads(n @ p[pre + "layer.0.SelfAttention.k.weight"].T, cfg)
                v = split_heads(n @ p[pre + "layer.0.SelfAttention.v.weight"].T, cfg)
                if past[i] is not None:
                    k = torch.cat([past[i][0], k], dim=2)
                    v = torch.cat([past[i][1], v], dim=2)
                past[i] = (k, v)
                h = h + attend(p, pre + "layer.0.SelfAttention.", n, k, v, bias, cfg)
                n = t5.rms_norm(h, p[pre + "layer.1.layer_norm.weight"], eps)
                h = h + attend(p, pre + "layer.1.EncDecAttention.", n, cross[i][0], cross[i][1], cross_bias, cfg)
                n = t5.rms_norm(h, p[pre + "layer.2.layer_norm.weight"], eps)
                h = h + t5.feed_forward(p, pre + "layer.2.DenseReluDense.", n, cfg)
            h = t5.rms_norm(h, p["decoder.final_layer_norm.weight"], eps)
            logits = (h * cfg["d_model"] ** -0.5) @ p["shared.weight"].T  # tied, as t5-small
            logits = logits[:, -1, :]
            token = logits.argmax(-1, keepdim=True)
            logprobs.append(torch.log_softmax(logits, dim=-1).gather(-1, token))
            tokens.append(token)
        return torch.cat(tokens, dim=1), torch.cat(logprobs, dim=1)


def timed(fn, warmup, iters):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(iters):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def check_cache(p, cfg, input_ids, attention_mask):
    """The cached loop gives the uncached loop's tokens (make_fixtures.greedy) on a short run."""
    small_ids, small_mask = input_ids[:2, :16], attention_mask[:2, :16]
    saved = t5.GREEDY_STEPS
    t5.GREEDY_STEPS = 4
    try:
        want, _ = t5.greedy(p, cfg, small_ids, small_mask)
    finally:
        t5.GREEDY_STEPS = saved
    got, _ = greedy(p, cfg, small_ids, small_mask, 4)
    if not torch.equal(want, got):
        raise SystemExit("cached greedy %s != uncached %s" % (got.tolist(), want.tolist()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iters", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--only", choices=("train_step", "greedy32"), help="time one of the two measurements")
    args = ap.parse_args()
    gen = torch.Generator().manual_seed(42)
    p = t5.init_params(CFG, gen)
    input_ids = torch.randint(2, 32000, (BATCH, SOURCE), generator=gen)
    attention_mask = torch.ones(BATCH, SOURCE, dtype=torch.long)
    labels = torch.randint(2, 32000, (BATCH, TARGET), generator=gen)
    print("torch %s (BLAS: system libblas.so.3, OpenBLAS core %s); T5-small v1.0 (relu, tied), batch %d, source %d, target %d, %d new tokens"
          % (torch.__version__, OPENBLAS_CORE, BATCH, SOURCE, TARGET, NEW_TOKENS))
    check_cache(p, CFG, input_ids, attention_mask)
    set_blas, get_blas = blas_threads_setter()
    best = {}
    for threads in [int(x) for x in args.threads.split(",")]:
        torch.set_num_threads(threads)
        if set_blas is not None:
            set_blas(threads)
        print("threads=%d: torch %d, OpenBLAS %s" % (threads, torch.get_num_threads(),
                                                   get_blas() if get_blas is not None else "not found"))
        results = []
        if args.only in (None, "train_step"):
            for t in p.values():
                t.requires_grad_(True)
            results.append(("train_step", timed(lambda: train_step(p, CFG, input_ids, attention_mask, labels),
                                                args.warmup, args.iters)))
            for t in p.values():
                t.requires_grad_(False)
                t.grad = None
        if args.only in (None, "greedy32"):
            results.append(("greedy32", timed(lambda: greedy(p, CFG, input_ids, attention_mask, NEW_TOKENS),
                                              args.warmup, args.iters)))
        for name, times in results:
            mean = sum(times) / len(times)
            extra = ""
            if name == "greedy32":
                extra = ", %.1f tokens/s" % (BATCH * NEW_TOKENS / mean)
            print("threads=%d %-10s mean %8.1f ms  min %8.1f ms%s  [%s]" % (
                threads, name, 1e3 * mean, 1e3 * min(times), extra, " ".join("%.0f" % (1e3 * x) for x in times)))
            if name not in best or mean < best[name][1]:
                best[name] = (threads, mean)
    for name, (threads, mean) in best.items():
        print("best %-10s %8.1f ms at %d thread(s)" % (name, 1e3 * mean, threads))


if __name__ == "__main__":
    main()
