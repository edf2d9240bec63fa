"""Hostile files for the tests, built fast: zip bombs by hand, HDF5 files that claim GBs, and a
helper that runs a snippet in a fresh interpreter and reports its peak memory and time."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import numpy as np

_BLOCK = 1 << 24  # 16 MiB of zeros per repeated deflate piece


def _deflate_piece(data: bytes) -> bytes:
    # A fresh raw-deflate compressor ending in a full flush: its blocks are byte-aligned,
    # non-final and reference nothing before them, so pieces can be concatenated.
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)


def npy_header(shape: tuple[int, ...], descr: str = "<f8") -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": descr, "fortran_order": False,
                                               "shape": shape})
    return buf.getvalue()


def write_zip(path: Path, members: dict[str, tuple[bytes, int]]) -> None:
    """A zip whose members are ``name -> (npy header, number of zero bytes after it)``, the
    zeros compressed ~1000:1 without ever being held in memory."""
    zero_piece = _deflate_piece(bytes(_BLOCK))
    out, central = bytearray(), bytearray()
    for name, (header, zeros) in members.items():
        crc = zlib.crc32(header)
        body = bytearray(_deflate_piece(header))
        full, rest = divmod(zeros, _BLOCK)
        block = bytes(_BLOCK)
        for _ in range(full):
            crc = zlib.crc32(block, crc)
        body += zero_piece * full
        if rest:
            crc = zlib.crc32(bytes(rest), crc)
            body += _deflate_piece(bytes(rest))
        body += zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # the final, empty block
        size = len(header) + zeros
        fname = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(body), size,
                           len(fname), 0) + fname + body
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc,
                               len(body), size, len(fname), 0, 0, 0, 0, 0, offset) + fname
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central),
                      len(out), 0)
    path.write_bytes(bytes(out + central + end))


# The fresh process's own peak: Linux's VmHWM belongs to the process's memory map, made new by
# exec. getrusage's ru_maxrss is the fallback elsewhere; on Linux it would also count the
# peak of the (large) pytest process that forked the child.
_PEAK = """
def _peak_mb():
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""


def measured(code: str, timeout: float = 60) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter; it must set ``result`` (a str). Returns the result,
    the seconds the code took and the process's peak resident memory in MB."""
    script = (
        "import json, resource, time\n" + _PEAK +
        "start = time.perf_counter()\n"
        + code +
        "\nprint(json.dumps({'result': result, 'seconds': time.perf_counter() - start,"
        " 'peak_mb': _peak_mb()}))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report
