"""MinHash signatures of a text's word shingles, for near-duplicate detection.

    >>> a, b = signature(text_a), signature(text_b)
    >>> similarity(a, b)        # estimated Jaccard similarity of the two shingle sets
    0.84
    >>> band_keys(a)            # LSH buckets: texts that share one are candidates

Pure NumPy, no I/O. Every hash is a fixed function (CRC-32 of the word, fixed
seeds for the permutations), so signatures stored in one run or database
compare with those computed in another.

1. words: ``\\w+`` runs, case-folded, so punctuation, markup leftovers and case
   do not matter;
2. shingles: every run of ``SHINGLE_WORDS`` consecutive words, hashed to 32 bits
   by combining the words' CRC-32s;
3. signature: for each of ``PERMUTATIONS`` universal hash functions
   ``(a*h + b) mod p``, the minimum over the shingles. Two signatures agree at a
   position with probability equal to the Jaccard similarity of the shingle sets;
4. bands: the signature cut into ``BANDS`` bands of ``ROWS`` rows, each hashed to
   one bucket key. Two texts with Jaccard similarity ``s`` share a bucket with
   probability ``1 - (1 - s**ROWS) ** BANDS``: 0.996 at 0.5, 0.29 at 0.2, so
   candidates are found by bucket and confirmed by ``similarity``.
"""

from __future__ import annotations

import re
import zlib

import numpy as np
import numpy.typing as npt

__all__ = [
    "BANDS",
    "PERMUTATIONS",
    "ROWS",
    "SHINGLE_WORDS",
    "Signature",
    "band_keys",
    "shingle_hashes",
    "signature",
    "similarity",
]

SHINGLE_WORDS = 5  # long enough that two stories on one topic share few shingles
BANDS, ROWS = 42, 3
PERMUTATIONS = BANDS * ROWS

Signature = npt.NDArray[np.uint32]

_PRIME = (1 << 31) - 1  # Mersenne prime: a * h + b stays below 2**63 for a, b, h < p
_rng = np.random.default_rng(20161221)  # fixed: signatures must compare across runs
_A = _rng.integers(1, _PRIME, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, size=PERMUTATIONS, dtype=np.uint64)
_WORD = re.compile(r"\w+")
_EMPTY = np.full(PERMUTATIONS, _PRIME, dtype=np.uint32)  # no shingles: matches nothing


def shingle_hashes(text: str, *, size: int = SHINGLE_WORDS) -> npt.NDArray[np.uint64]:
    """Distinct 32-bit hashes of the text's ``size``-word shingles (1, 2)."""
    words = _WORD.findall(text.casefold())
    if not words:
        return np.zeros(0, dtype=np.uint64)
    word_hashes = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    size = min(size, len(words))  # a text shorter than one shingle is one shingle
    count = len(words) - size + 1
    combined = np.zeros(count, dtype=np.uint64)
    for offset in range(size):  # polynomial combination, modulo 2**32
        combined = (combined * np.uint64(1_000_003) + word_hashes[offset : offset + count]) & np.uint64(0xFFFFFFFF)
    return np.unique(combined)


def signature(text: str) -> Signature:
    """The text's MinHash signature: ``PERMUTATIONS`` unsigned 32-bit values (3)."""
    hashes = shingle_hashes(text)
    if hashes.size == 0:
        return _EMPTY.copy()
    reduced = hashes % np.uint64(_PRIME)
    # (permutations x shingles); processed in chunks so a very long text stays within memory
    minimum = np.full(PERMUTATIONS, _PRIME, dtype=np.uint64)
    for start in range(0, reduced.size, 4096):
        chunk = reduced[start : start + 4096]
        values = (_A[:, None] * chunk[None, :] + _B[:, None]) % np.uint64(_PRIME)
        minimum = np.minimum(minimum, values.min(axis=1))
    return minimum.astype(np.uint32)


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (0 for an empty text)."""
    if np.array_equal(a, _EMPTY) or np.array_equal(b, _EMPTY):
        return 0.0
    return float(np.count_nonzero(a == b)) / PERMUTATIONS


def band_keys(sig: Signature) -> list[int]:
    """One 63-bit bucket key per band (4); empty for an empty text."""
    if np.array_equal(sig, _EMPTY):
        return []
    rows = sig.reshape(BANDS, ROWS)
    return [
        int.from_bytes(zlib.crc32(row.tobytes()).to_bytes(4, "big") + band.to_bytes(2, "big"), "big") & (2**63 - 1)
        for band, row in enumerate(rows)
    ]
