"""Vietnamese letter classes for regular expressions.

Unicode ranges such as `à-ỹ` also contain upper-case letters (Đ is U+0110), so the
classes are spelled out; and the letters without their marks.
"""
import unicodedata

_LOWER_MARKED = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
LOWER = "a-z" + _LOWER_MARKED            # for use inside [...]
UPPER = "A-Z" + _LOWER_MARKED.upper()
LETTER = LOWER + UPPER


def strip_marks(s: str) -> str:
    """Without tone and vowel marks ("Thuỳ" → "Thuy", "số" → "so"); "đ" stays, a letter of its own."""
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", s)
                                                if not unicodedata.combining(c)))
