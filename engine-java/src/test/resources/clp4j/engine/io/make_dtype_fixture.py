#!/usr/bin/python3
"""Makes dtype_fixture.safetensors: BF16/F16/F32 tensors plus their F32 values as torch computes them.

Run with Debian's /usr/bin/python3 (torch 1.13, numpy), from this directory:
    /usr/bin/python3 make_dtype_fixture.py
The python safetensors package is not installed, so the format is written by hand (u64 LE header
length, JSON header padded with spaces to 8 bytes, data), on purpose with Python's default JSON
separators (", ", ": ") and tensors out of name order, to exercise the reader on a foreign writer.
"""
import json
import struct

import numpy as np
import torch

torch.manual_seed(1234)

# bfloat16 bit patterns: zeros, subnormals, min normal, max, infinities, quiet NaNs with payloads.
bf16_specials = [0x0000, 0x8000, 0x0001, 0x807f, 0x0080, 0x7f7f, 0xff7f, 0x7f80, 0xff80, 0x7fc0, 0xffc1, 0x7fe5,
                 0x3f80, 0xbf80, 0x3f81, 0x4049]
bf16_bits = torch.tensor(bf16_specials, dtype=torch.int32).to(torch.int16)
bf16 = torch.cat([bf16_bits.view(torch.bfloat16), torch.randn(48).to(torch.bfloat16)]).reshape(8, 8)

# IEEE half bit patterns: zeros, subnormals, min normal, max, infinities, NaNs.
f16_specials = [0x0000, 0x8000, 0x0001, 0x03ff, 0x8001, 0x0400, 0x7bff, 0xfbff, 0x7c00, 0xfc00, 0x7e00, 0xfe01,
                0x3c00, 0xbc00, 0x3c01, 0x4248]
f16_np = np.concatenate([np.array(f16_specials, dtype=np.uint16).view(np.float16),
                         (np.random.default_rng(99).standard_normal(32) * 3).astype(np.float16)]).reshape(2, 3, 8)
f16 = torch.from_numpy(f16_np)

f32 = torch.cat([torch.tensor(np.array([0x00000001, 0x807fffff, 0x7f7fffff, 0x7f800000, 0xff800000, 0x7fc12345,
                                        0x00800000, 0x3f800001], dtype=np.uint32).view(np.float32)),
                 torch.randn(4)]).reshape(3, 4)

tensors = {
    "bf16": bf16,
    "bf16.as_f32": bf16.float(),                                   # torch's BF16 -> F32
    "f16": f16,
    "f16.as_f32": torch.from_numpy(f16_np.astype(np.float32)),     # numpy's F16 -> F32
    "f32": f32,
    "scalar": torch.tensor(2.5, dtype=torch.float32),
    "empty": torch.zeros(0, 5, dtype=torch.float32),
}
names = ["scalar", "f32", "bf16.as_f32", "bf16", "f16.as_f32", "f16", "empty"]  # deliberately not sorted
dtype_name = {torch.float32: "F32", torch.bfloat16: "BF16", torch.float16: "F16"}

header, blobs, at = {"__metadata__": {"made_by": "make_dtype_fixture.py", "torch": torch.__version__}}, [], 0
for n in names:
    t = tensors[n].contiguous()
    raw = t.view(torch.int16).numpy().astype("<i2").tobytes() if t.dtype == torch.bfloat16 else t.numpy().astype(
        t.numpy().dtype.newbyteorder("<")).tobytes()
    header[n] = {"dtype": dtype_name[t.dtype], "shape": list(t.shape), "data_offsets": [at, at + len(raw)]}
    blobs.append(raw)
    at += len(raw)
h = json.dumps(header).encode("utf-8")
h += b" " * ((8 - len(h) % 8) % 8)
with open("dtype_fixture.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(h)))
    f.write(h)
    for b in blobs:
        f.write(b)
print("wrote dtype_fixture.safetensors,", 8 + len(h) + at, "bytes")
