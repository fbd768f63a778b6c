"""What the two PyTorch T5 benchmarks share: the fixture script's plain-torch T5 and one training step.

benchmarks/python/t5_torch_bench.py (CPU, T5-small) and scripts/t5_train_bench.py (GPU, T5-base) both
time the same teacher-forced step on make_fixtures.py's model, the one the Java engine's golden tests
are checked against (imported, not copied).
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "engine-java", "src", "test", "resources", "t5"))
import make_fixtures as t5  # noqa: E402,F401  (the fixture script's plain-torch T5, re-exported)


def train_step(p, cfg, input_ids, attention_mask, labels):
    """Zero every parameter gradient, teacher-forced forward, mean cross-entropy, backward; returns the loss."""
    for t in p.values():
        if t.grad is not None:
            t.grad.zero_()
    enc = t5.encode(p, cfg, input_ids, attention_mask)
    logits = t5.decode(p, cfg, t5.shift_right(labels, cfg), enc, attention_mask)
    loss = torch.nn.functional.cross_entropy(logits.view(-1, logits.shape[-1]), labels.view(-1), ignore_index=-100)
    loss.backward()
    return loss.item()
