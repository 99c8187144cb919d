#!/usr/bin/env python3
"""Golden values for Leap.Core's CounterNormal (tests/Leap.Core.Tests/Augmentation/CounterNormalTests.cs).

Independent of the C# code: SplitMix64 with Python's arbitrary-precision integers masked to 64 bits, two 53-bit
uniforms, Box-Muller with the C library's log/cos (Python's math module). Prints each draw's IEEE-754 bits, which the
test pins. Run: python3 tests/reference/counter_normal_golden.py
"""
import math
import struct

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def mix(x):
    z = (x + GOLDEN) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def step_key(seed, step):
    return mix(mix(seed) ^ (step & MASK))


def uniform(bits):
    return ((bits >> 11) + 0.5) * (1.0 / (1 << 53))


def draw(key, sample, column):
    row = mix((sample + key) & MASK)
    k = mix(row ^ mix(column & MASK))
    u1 = uniform(mix((k + 1) & MASK))
    u2 = uniform(mix((k + 2) & MASK))
    return math.sqrt(math.log(u1) * -2.0) * math.cos(u2 * (2.0 * math.pi))


def bits(value):
    return struct.unpack("<Q", struct.pack("<d", value))[0]


if __name__ == "__main__":
    for seed, step, sample, column in [(7, 123, 0, 0), (7, 123, 5, 2), (7, 123, 1_000_003, 99), (7, 123, -1, -1), (2020, 0, 42, 511), (1, 1, 9_999_999, 123_456)]:
        value = draw(step_key(seed, step), sample, column)
        print(f"[InlineData({seed}UL, {step}L, {sample}L, {column}L, 0x{bits(value):016X}UL)] // {value!r}")
