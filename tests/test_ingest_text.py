"""Text ingestion: encodings in, Unicode out, and clear errors for what is not text."""
import codecs
import os
import unicodedata

import pytest

from extractor.ingest.errors import InputError
from extractor.ingest.text import decode_bytes

SAMPLE = "Kết luận số 100-KL/TW, ngày 18/8/2014 của Ban Bí thư về đổi mới; Tỉnh ủy Đồng Nai, Quý II"
TONES = "\u0300\u0301\u0303\u0309\u0323"


def encode_cp1258(text: str) -> bytes:
    """CP1258 stores vowels with their hat/horn/breve but the tone as a combining mark."""
    out = bytearray()
    for ch in text:
        d = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in TONES))
        tone = "".join(c for c in d if c in TONES)
        out += base.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize("data,encoding", [
    (SAMPLE.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8"),
    (SAMPLE.encode("utf-16"), "utf-16"),                   # with BOM
    (SAMPLE.encode("utf-16-le"), "utf-16"),                # without BOM
    (SAMPLE.encode("utf-16-be"), "utf-16"),
    (encode_cp1258(SAMPLE), "cp1258"),
    (unicodedata.normalize("NFD", SAMPLE).encode("utf-8"), "utf-8"),
])
def test_decodes_to_nfc(data, encoding):
    d = decode_bytes(data)
    assert d.text == SAMPLE
    assert d.encoding == encoding
    assert 0 < d.confidence <= 1


@pytest.mark.parametrize("data,words", [
    (b"", "empty"),
    (b"   \n\t \n", "empty"),
    (os.urandom(4096) if False else bytes(range(256)) * 16, "binary"),
    (b"\x00\x01\x02PK\x03\x04" * 500, "binary"),
])
def test_not_text_is_an_actionable_error(data, words):
    with pytest.raises(InputError) as exc:
        decode_bytes(data)
    assert words in exc.value.message


def test_undecodable_bytes_say_what_to_do():
    # valid in no Vietnamese encoding: bytes that cp1258 leaves undefined, in a UTF-8-invalid order
    data = ("Văn bản " * 20).encode("utf-8")[:-1] + b"\x81\x8d\x8f\x90\x9d" * 50
    with pytest.raises(InputError) as exc:
        decode_bytes(data)
    assert "UTF-8" in exc.value.message
