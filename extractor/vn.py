"""Vietnamese letter classes for regular expressions.

Unicode ranges such as `à-ỹ` also contain upper-case letters (Đ is U+0110), so the
classes are spelled out.
"""
_LOWER_MARKED = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
LOWER = "a-z" + _LOWER_MARKED            # for use inside [...]
UPPER = "A-Z" + _LOWER_MARKED.upper()
LETTER = LOWER + UPPER
