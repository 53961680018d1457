"""How a cached order's JSON body is stored: zstd with a dictionary trained
from the store's own orders (:class:`BodyCodec`).

An order body is ~4.5 KB of JSON whose keys and much of whose text every
other order of the store repeats. Compressed alone (zlib, schema 3) it kept
~2.2 KB, half of the cache; zstd with a 64 KB dictionary trained on 2,000 of
the store's own bodies keeps ~390 B of a demo order, compresses it in ~7 µs
and reads it back in ~4 µs (zlib level 1 with a 32 KB preset dictionary:
557 B at 100 µs).

A stored body is one of (told apart by its first bytes):

* a zstd frame (``28 B5 2F FD``) whose header names the dictionary it was
  written with — none (dictionary id absent) or one of the cache's
  ``body_dictionaries`` (``id``, ``data``, ``digest``); a body written before
  any dictionary existed (the first pages of a first sync) reads without one;
* a zlib stream: what schema 3 and older wrote, read until the cache's
  compaction (:mod:`app.cache.compaction`) writes it again.

Dictionaries are added, never changed or deleted (a deleted order or an ECDP
record may still hold a body written with an old one); the newest is the one
new bodies are written with, so a later retraining only adds a row. Each row
carries the digest of its bytes: a damaged dictionary is a damaged cache
(:class:`~app.cache.errors.CacheCorruptError`), never a traceback, and never
a wrong body.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from typing import Any

import zstandard

from .errors import CacheCorruptError

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
# (as blobs whatever a damaged row holds: a text value would not decode)
_SELECT_DICTIONARY = (
    "SELECT id, CAST(data AS BLOB), CAST(digest AS BLOB) FROM body_dictionaries WHERE id = ?"
)
LEVEL = 3
DICTIONARY_SIZE = 64 * 1024
TRAIN_AT = 2_000
"""Bodies stored before a dictionary is trained (fewer: zstd without one)."""
TRAIN_SAMPLES = 2_000
"""How many bodies a dictionary is trained on (spread over the cache)."""
_TRAINING = {"k": 1024, "d": 8}  # fastCOVER: 0.2 s for 2,000 bodies, 0.3 % larger output


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def train(samples: list[bytes], dictionary_id: int) -> bytes:
    """A dictionary trained on ``samples`` (raw bodies), named ``dictionary_id``."""
    chunks: list[bytes | bytearray | memoryview[int]] = list(samples)
    trained = zstandard.train_dictionary(
        DICTIONARY_SIZE, chunks, dict_id=dictionary_id, **_TRAINING
    )
    return trained.as_bytes()


def _frame_dictionary(blob: bytes) -> int:
    try:
        return zstandard.get_frame_parameters(blob).dict_id
    except zstandard.ZstdError as exc:
        raise CacheCorruptError(f"A cached order is damaged: {exc}") from exc


class BodyCodec:
    """Compresses and reads the bodies of one cache file; knows its dictionaries.

    Not thread-safe by itself: the cache calls it under its lock."""

    def __init__(self) -> None:
        self._plain = zstandard.ZstdCompressor(
            level=LEVEL, write_checksum=False, write_content_size=True
        )
        self._current: tuple[int, zstandard.ZstdCompressor] | None = None
        self._readers: dict[int, zstandard.ZstdDecompressor] = {0: zstandard.ZstdDecompressor()}

    # -- dictionaries --------------------------------------------------------

    @property
    def dictionary_id(self) -> int:
        """The dictionary new bodies are written with (0: none)."""
        return self._current[0] if self._current is not None else 0

    def load(self, conn: sqlite3.Connection) -> None:
        """Take the newest dictionary of the file as the one to write with."""
        newest = conn.execute("SELECT max(id) FROM body_dictionaries").fetchone()[0]
        if newest is None:
            self._current = None
            return
        if self._current is not None and self._current[0] == newest:
            return
        row = conn.execute(
            _SELECT_DICTIONARY,
            (newest,),
        ).fetchone()
        try:
            compressor = zstandard.ZstdCompressor(
                level=LEVEL,
                dict_data=_dictionary(*row),
                write_checksum=False,
                write_content_size=True,
                write_dict_id=True,
            )
        except zstandard.ZstdError as exc:
            raise CacheCorruptError(
                f"The order cache is damaged: its compression dictionary {newest} is unusable."
            ) from exc
        self._current = (newest, compressor)

    def add(self, conn: sqlite3.Connection, data: bytes, samples: int) -> int:
        """Store a new dictionary trained for :meth:`next_id` (inside the
        caller's transaction) and write with it from now on; return its id."""
        dictionary_id = self.next_id(conn)
        if zstandard.ZstdCompressionDict(data).dict_id() != dictionary_id:
            raise ValueError("the dictionary was trained for another id")
        conn.execute(
            "INSERT INTO body_dictionaries (id, data, digest, samples) VALUES (?, ?, ?, ?)",
            (dictionary_id, data, digest(data), samples),
        )
        self.load(conn)
        return dictionary_id

    @staticmethod
    def next_id(conn: sqlite3.Connection) -> int:
        """The id the next dictionary will have."""
        return int(
            conn.execute("SELECT coalesce(max(id), 0) + 1 FROM body_dictionaries").fetchone()[0]
        )

    def _reader(self, conn: sqlite3.Connection, dictionary_id: int) -> zstandard.ZstdDecompressor:
        reader = self._readers.get(dictionary_id)
        if reader is not None:
            return reader
        row = conn.execute(
            _SELECT_DICTIONARY,
            (dictionary_id,),
        ).fetchone()
        if row is None:
            raise CacheCorruptError(
                f"The order cache is damaged: its compression dictionary {dictionary_id} "
                "is missing."
            )
        try:
            reader = zstandard.ZstdDecompressor(dict_data=_dictionary(*row))
        except zstandard.ZstdError as exc:
            raise CacheCorruptError(
                f"The order cache is damaged: its compression dictionary {dictionary_id} "
                "is unusable."
            ) from exc
        self._readers[dictionary_id] = reader
        return reader

    # -- bodies --------------------------------------------------------------

    def compress(self, raw: bytes) -> bytes:
        """``raw`` (an order's JSON text) as stored now."""
        if self._current is not None:
            return self._current[1].compress(raw)
        return self._plain.compress(raw)

    def is_current(self, blob: bytes) -> bool:
        """Whether ``blob`` is written the way :meth:`compress` writes now."""
        return blob[:4] == ZSTD_MAGIC and _frame_dictionary(blob) == self.dictionary_id

    def decompress(self, conn: sqlite3.Connection, blob: bytes) -> bytes:
        """The JSON text of a stored body (any of the formats above)."""
        if blob[:4] != ZSTD_MAGIC:
            try:
                return zlib.decompress(blob)
            except zlib.error as exc:
                raise CacheCorruptError(f"A cached order is damaged: {exc}") from exc
        reader = self._reader(conn, _frame_dictionary(blob))
        try:
            return reader.decompress(blob)
        except zstandard.ZstdError as exc:
            raise CacheCorruptError(f"A cached order is damaged: {exc}") from exc

    def decode(self, conn: sqlite3.Connection, blob: bytes) -> Any:
        """The JSON value of a stored body."""
        raw = self.decompress(conn, blob)
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise CacheCorruptError(f"A cached order is damaged: {exc}") from exc


def _dictionary(dictionary_id: int, data: bytes, stored_digest: bytes) -> Any:
    if not isinstance(data, bytes) or digest(data) != stored_digest:
        raise CacheCorruptError(
            f"The order cache is damaged: its compression dictionary {dictionary_id} "
            "does not match its checksum."
        )
    try:
        dictionary = zstandard.ZstdCompressionDict(data, dict_type=zstandard.DICT_TYPE_FULLDICT)
        dictionary.precompute_compress(level=LEVEL)
    except zstandard.ZstdError as exc:
        raise CacheCorruptError(
            f"The order cache is damaged: its compression dictionary {dictionary_id} is unusable."
        ) from exc
    return dictionary
