#!/usr/bin/python3
"""Reference InsightFace verification .bin files for Leap.Evaluation.VerificationSets.VerificationBinFile.

Regenerate (from the repository root) with:

    /usr/bin/python3 tests/reference/generate_bin_reference.py

which rewrites tests/Leap.Data.Tests/Reference/verification_bin/*.bin and
tests/Leap.Data.Tests/Reference/verification_bin_reference.json (commit the result). Python 3 standard library only;
the output is deterministic (the image bytes are SHA-256 digests of their index, no randomness).

An InsightFace verification file (lfw.bin, cfp_fp.bin, agedb_30.bin) is a pickle of (bins, issame_list): bins holds
2P encoded images, pair i being (bins[2i], bins[2i+1]), and issame_list P bools. The files written here:

* py2_protocol2.bin -- the form Python 2 wrote (InsightFace's original lfw.bin): images pickled as str, i.e.
  SHORT_BINSTRING / BINSTRING, memoised with BINPUT / LONG_BINPUT. Python 3 cannot emit str opcodes for bytes, so
  this script writes the opcodes itself, the way cPickle.dump(obj, f, 2) does, and checks with CPython's own
  unpickler (pickle.loads(..., encoding="bytes")) that the bytes decode to the intended tuple.
* protocol3.bin, protocol4.bin, protocol5.bin -- pickle.dumps((bins, issame), protocol=n) of bytes images
  (SHORT_BINBYTES / BINBYTES, FRAME and MEMOIZE from protocol 4 on).
* py3_protocol2.bin -- pickle.dumps(..., protocol=2) from Python 3: each bytes object becomes a call to
  _codecs.encode (GLOBAL + REDUCE). The reader must refuse it; the JSON gives the offset of the first GLOBAL.

Two contents are used. "many" (520 pairs, 1040 images) crosses the 1000-item batch of APPENDS, the 256-entry limit
of BINPUT/BINGET, and holds a 300-byte image (BINSTRING / BINBYTES, 4-byte length) and two repeated image objects
(pickled as BINGET and LONG_BINGET back-references). "few" (3 pairs) keeps the other files small.
The JSON lists, per content, every image in base64 and every flag, taken from the Python objects that were pickled.
"""

import base64
import hashlib
import json
import os
import pickle
import pickletools
import struct

REFERENCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Leap.Data.Tests", "Reference")
BIN_FOLDER = os.path.join(REFERENCE, "verification_bin")
OUTPUT = os.path.join(REFERENCE, "verification_bin_reference.json")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_START, JPEG_END = b"\xff\xd8\xff\xe0", b"\xff\xd9"


def image(k, length=None):
    """A small PNG- or JPEG-looking byte string, fixed by k (and by length when given)."""
    digest = hashlib.sha256(b"image %d" % k).digest()
    if length is not None:
        return (PNG_SIGNATURE + digest * (length // len(digest) + 1))[:length]
    body = digest[: 4 + k % 13]
    return PNG_SIGNATURE + body if k % 2 == 0 else JPEG_START + body + JPEG_END


def many():
    pairs = 520
    bins = [image(k) for k in range(2 * pairs)]
    bins[5] = image(5, length=300)
    bins[9] = bins[2]        # same object: memo index 3 -> BINGET
    bins[1039] = bins[600]   # same object: memo index 601 -> LONG_BINGET
    issame = [(i // 26) % 2 == 0 for i in range(pairs)]  # runs of 26 same then 26 different, as an LFW fold
    return bins, issame


def few():
    first = image(0)
    bins = [first, image(1, length=300), image(2), first, image(3), image(4, length=255)]
    return bins, [True, False, True]


def py2_protocol2(bins, issame):
    """The bytes cPickle.dump((bins, issame), f, 2) writes for a tuple of a list of str and a list of bools."""
    out = bytearray(b"\x80\x02")
    memo = {}

    def put(obj):
        index = len(memo)
        memo[id(obj)] = index
        out.extend(b"q" + struct.pack("<B", index) if index < 256 else b"r" + struct.pack("<I", index))

    def save_string(s):
        if id(s) in memo:
            index = memo[id(s)]
            out.extend(b"h" + struct.pack("<B", index) if index < 256 else b"j" + struct.pack("<I", index))
            return
        out.extend(b"U" + struct.pack("<B", len(s)) if len(s) < 256 else b"T" + struct.pack("<i", len(s)))
        out.extend(s)
        put(s)

    def save_list(items, save_item):
        out.extend(b"]")
        put(items)
        for start in range(0, len(items), 1000):  # cPickle's BATCHSIZE
            batch = items[start:start + 1000]
            if len(batch) > 1:
                out.extend(b"(")
            for item in batch:
                save_item(item)
            out.extend(b"e" if len(batch) > 1 else b"a")

    save_list(bins, save_string)
    save_list(issame, lambda b: out.extend(b"\x88" if b else b"\x89"))
    result = (bins, issame)
    out.extend(b"\x86")
    put(result)
    out.extend(b".")
    data = bytes(out)
    if pickle.loads(data, encoding="bytes") != result:
        raise AssertionError("the hand-written Python 2 pickle does not decode to the intended tuple")
    return data


def opcode_names(data):
    return sorted({op.name for op, _, _ in pickletools.genops(data)})


def first_global_offset(data):
    return next(pos for op, _, pos in pickletools.genops(data) if op.name == "GLOBAL")


def require(names, data, file):
    missing = set(names) - set(opcode_names(data))
    if missing:
        raise AssertionError(f"{file} does not exercise {sorted(missing)}")


def main():
    contents = {"many": many(), "few": few()}
    files = [
        ("py2_protocol2.bin", "many", py2_protocol2(*contents["many"]),
         ["SHORT_BINSTRING", "BINSTRING", "BINPUT", "LONG_BINPUT", "BINGET", "LONG_BINGET", "APPENDS",
          "NEWTRUE", "NEWFALSE", "TUPLE2"]),
        ("protocol3.bin", "few", pickle.dumps(contents["few"], protocol=3),
         ["SHORT_BINBYTES", "BINBYTES", "BINGET", "TUPLE2"]),
        ("protocol4.bin", "many", pickle.dumps(contents["many"], protocol=4),
         ["FRAME", "MEMOIZE", "SHORT_BINBYTES", "BINBYTES", "BINGET", "LONG_BINGET", "APPENDS"]),
        ("protocol5.bin", "few", pickle.dumps(contents["few"], protocol=5), ["FRAME", "MEMOIZE", "BINGET"]),
        ("py3_protocol2.bin", "few", pickle.dumps(contents["few"], protocol=2), ["GLOBAL", "REDUCE"]),
    ]

    os.makedirs(BIN_FOLDER, exist_ok=True)
    cases = []
    for file, content, data, opcodes in files:
        require(opcodes, data, file)
        with open(os.path.join(BIN_FOLDER, file), "wb") as f:
            f.write(data)
        case = {"file": file, "content": content, "opcodes": opcode_names(data)}
        if "GLOBAL" in case["opcodes"]:
            case["first_global_offset"] = first_global_offset(data)
        cases.append(case)

    reference = {
        "cases": cases,
        "contents": {
            name: {"images_base64": [base64.b64encode(b).decode("ascii") for b in bins], "issame": issame}
            for name, (bins, issame) in contents.items()
        },
    }
    with open(OUTPUT, "w") as f:
        json.dump(reference, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
