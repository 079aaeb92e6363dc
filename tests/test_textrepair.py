"""Text repair of PDF text layers: (input, expected) tables for letter-spaced runs and glued
words, negative cases that must not be touched, the offset map back to the input, clean
documents left byte-identical, and the repairs measured on the letter-spaced real documents."""
import random
import re
import unicodedata

import pytest

from conftest import check_offsets

from conftest import SHARED, ROOT
from extractor import normalize as normalize_module
from extractor import textrepair
from extractor.normalize import normalize_text
from extractor.references import find_references
from extractor.vn import LETTER

REAL = SHARED / "corpus-real"


def fix(text: str) -> str:
    r = textrepair.repair(text)
    return text if r is None else r[0]


SPACED = [
    ("1 . V i ệ c s ắ p x ế p t ổ c h ứ c b ộ m á y , b i ê n c h ế , v ị t r í v i ệ c l à m .",
     "1. Việc sắp xếp tổ chức bộ máy, biên chế, vị trí việc làm."),
    ("4 5 - C T / T W", "45-CT/TW"),
    ("N g h ị q u y ế t s ố 1 8", "Nghị quyết số 18"),
    ("- K ế t q u ả đ ạ i h ộ i đ ả n g b ộ c ơ s ở đ ế n 3 1 / 7 / 2 0 2 5 : Đ ạ t 1 0 0 % .",
     "- Kết quả đại hội đảng bộ cơ sở đến 31/7/2025: Đạt 100%."),
    ("0 1 / Q Đ - C T N n g à y 0 5 / 0 1 / 2 0 2 6 c ủ a C h ủ t ị c h n ư ớ c",
     "01/QĐ-CTN ngày 05/01/2026 của Chủ tịch nước"),
    ("t h e o N g h ị q u y ế t s ố 1 6 / N Q - H Đ N D c ủ a H Đ N D t ỉ n h",
     "theo Nghị quyết số 16/NQ-HĐND của HĐND tỉnh"),
    ("c h o 1 8 6 n g ư ờ i ( 3 0 0 . 0 0 0 / n g ư ờ i )", "cho 186 người (300.000/người)"),
    ("T ế t â m l ị c h ( 6 0 0 . 0 0 0", "Tết âm lịch (600.000"),          # not "Tế tâm lịch"
    ("B a n T h ư ờ n g v ụ , B í t h ư , P h ó B í t h ư", "Ban Thường vụ, Bí thư, Phó Bí thư"),
    ("t h á n g 0 1 , 0 2 / 2 0 2 6", "tháng 01,02/2026"),
    ("1 3 , 3 6 % ).", "13,36% )."),
    ("5 5 . 8 0 0 . 0 0 0", "55.800.000"),                                   # a grouped number alone
    ("C H U N G", "CHUNG"),
    ("c h i ế m", "chiếm"),
    ("N g u y ễ n V ă n A", "Nguyễn Văn A"),                                  # grammatical, not in the dictionary
    # one word a line: the run goes on over the line breaks, which stay
    ("s ố\n1 8\nv à\ns ắ p\nx ế p\nt ổ", "số\n18\nvà\nsắp\nxếp\ntổ"),
    ("4 .\nV ề\ncông", "4.\nVề\ncông"),
    ("Đã chi trảquà t ế t Â m l ị c h c h o", "Đã chi trả quà tết Âm lịch cho"),
]

GLUED = [
    ("Nghị quyết vềtăng cường sựlãnh đạo", "Nghị quyết về tăng cường sự lãnh đạo"),
    ("Chỉ thịsố36-CT/TW", "Chỉ thị số 36-CT/TW"),
    ("Đảng bộxã lần thứI, nhiệm kỳ2025-2030", "Đảng bộ xã lần thứ I, nhiệm kỳ 2025-2030"),
    ("các mục tiêu, chỉtiêu", "các mục tiêu, chỉ tiêu"),
    ("Nghị quyết Đại hội toàn quốc lần thứXIV", "Nghị quyết Đại hội toàn quốc lần thứ XIV"),
    ("Thường trực Đảng uỷUBND xã", "Thường trực Đảng uỷ UBND xã"),
    ("cơ sởdữliệu quốc gia", "cơ sở dữ liệu quốc gia"),             # a chain of three
    ("trên cơ sởđềnghịcủa UBND xã", "trên cơ sở đề nghị của UBND xã"),
    ("phục vụNhân dân", "phục vụ Nhân dân"),
    ("Uỷban nhân dân", "Uỷ ban nhân dân"),
    ("các dựán trọng điểm", "các dự án trọng điểm"),                 # two tone marks
    ("bảo vệan ninh", "bảo vệ an ninh"),                             # "êa" is no nucleus
    ("Quyết định số40/QĐ-UBND", "Quyết định số 40/QĐ-UBND"),
    ("vềtăng.", "về tăng."),
]

UNTOUCHED = [
    # English, letter-spaced English, single letters
    "Microsoft Office file", "the online video", "H e l l o w o r l d", "a b c d", "x x x x",
    "A B C D",                                           # capitals only, no code around them
    # abbreviations and codes
    "UBND", "HĐND", "KH/HU", "MTTQVN", "QĐ-TTg", "CTr", "TCCSĐ", "Số 12-KH/HU", "ĐHĐBểu",
    # numbers
    "1 2 3 4", "| 1 | 2 | 3 | 4 |", "2025-2030", "13,36%", "ngày 31/7/2025", "1 . 2 . 3 . 4",
    # URLs and e-mail
    "https://www.vềtăng.vn/bộxã", "email: bộxã@gmail.com", "xem tai_liệuvềtăng",
    # names: foreign names with quality-marked vowels, ethnic names, brands
    "chủ nghĩa Mác - Lênin", "Liên Xô, Xôviết", "người Êđê", "Nguyễn Văn A", "Hồ Chí Minh",
    "Đắk Lắk", "Buôn Ma Thuột", "iPhone", "eKYC", "mRNA", "H'Mông", "COVID-19", "Điều5",
    # ordinary Vietnamese, all capitals, toned vowel followed by a vowel, ambiguous join
    "của người mùa lửa hoà khoẻ", "ĐẢNG CỘNG SẢN VIỆT NAM", "CHƯƠNG TRÌNH HÀNH ĐỘNG", "tựan",
    # markdown, tables, lists
    "| a | b | c | d |", "* * * *", "a) b) c) d)", "- - - -", "I. II. III. IV.",
]


@pytest.mark.parametrize("raw,expected", SPACED + GLUED)
def test_repair(raw, expected):
    assert fix(raw) == expected


# rule 3, OCR'd words only: a word whose spaces the scan lost, split where every piece is an
# attested syllable of two letters or more
OCR_GLUED = [
    ("côngtácbảovệchínhtrinộibộ", "công tác bảo vệ chính tri nội bộ"),
    ("vềxâydựng,củngcốnângcao", "về xây dựng, củng cố nâng cao"),      # the comma gets its space
    ("¡.Việcsắpxếptổchứcbộmáy,biênchếvitrí", "¡. Việc sắp xếp tổ chức bộ máy, biên chế vi trí"),
    ("ÂCơquanphối", "Â Cơ quan phối"),     # a speck read as a capital before the word: kept, apart
    ("BanTG,", "Ban TG,"), ("SởKHCN", "Sở KHCN"), ("PhòngHC-TH", "Phòng HC-TH"),   # a syllable glued to an acronym
    # left whole: two pieces (rule 4 asks the document), a misspelt syllable ("nguôn" is "nguồn", not
    # "ngu ôn"), syllables, names, words without a Vietnamese mark, codes, garbage, lone letters
    ("vitrí", "vitrí"), ("đơnvị", "đơnvị"), ("cácbon", "cácbon"), ("nguôn", "nguôn"), ("chuân", "chuân"),
    ("nghiêng", "nghiêng"), ("Nguyễn", "Nguyễn"), ("Lênin", "Lênin"), ("Xôviết", "Xôviết"),
    ("Facebook", "Facebook"), ("UBND", "UBND"), ("TP.HCM", "TP.HCM"), ("chu$ếu", "chu$ếu"),
    ("Hhiờ", "Hhiờ"), ("đểưực", "đểưực"), ("Chủtich", "Chủtich"),
    ("HĐNDtỉnh", "HĐNDtỉnh"), ("ĐCSVN", "ĐCSVN"), ("ÂCơquan", "ÂCơquan"),   # an acronym before a word; two pieces
    ("VNeID", "VNeID"), ("TikTok", "TikTok"), ("ZaloPay", "ZaloPay"), ("BanTgU", "BanTgU"), ("Kiểmtra", "Kiểmtra"),
]


@pytest.mark.parametrize("word,expected", OCR_GLUED)
def test_ocr_glued_words(word, expected):
    assert textrepair.split_ocr_glued(word) == expected


@pytest.mark.parametrize("pages,expected", [
    # two syllables glued, split where the document writes them apart twice or more
    (["biên chế a, biên chế b. Bộ máy, biênchế, cácbon; các bon"],
     ["biên chế a, biên chế b. Bộ máy, biên chế, cácbon; các bon"]),
    # a word that is no syllable, two letters from the majority's word beside the same neighbour
    (["địa phương a, địa phương b, địa phương c; đơn vị, địa bhượng", "CÁC ĐỊA PHƯƠNQ"],
     ["địa phương a, địa phương b, địa phương c; đơn vị, địa phương", "CÁC ĐỊA PHƯƠNG"]),
    # the same misreading twice (one glyph, one font) yields to a majority written six times or more
    (["CHÁP THUẬN CHỦ TRƯƠNG, ĐỒNG THỜI CHÁP THUẬN", "chấp thuận a, chấp thuận b, chấp thuận c",
      "chấp thuận d, chấp thuận e, chấp thuận f"],
     ["CHẤP THUẬN CHỦ TRƯƠNG, ĐỒNG THỜI CHẤP THUẬN", "chấp thuận a, chấp thuận b, chấp thuận c",
      "chấp thuận d, chấp thuận e, chấp thuận f"]),
    # ... not to one written fewer than three times as often
    (["cháp thuận x, cháp thuận y", "chấp thuận a, chấp thuận b, chấp thuận c, chấp thuận d"],
     ["cháp thuận x, cháp thuận y", "chấp thuận a, chấp thuận b, chấp thuận c, chấp thuận d"]),
    # left alone: tones are not voted on (both pairs are words), a real syllable, a majority of
    # two, a word more than two letters away, one of another length
    (["quan trọng a, quan trọng b, quan trọng c; cơ quan trong d"],
     ["quan trọng a, quan trọng b, quan trọng c; cơ quan trong d"]),
    (["cuộc thi a, cuộc thi b, cuộc thi c; cuộc thị"], ["cuộc thi a, cuộc thi b, cuộc thi c; cuộc thị"]),
    (["địa phương a, địa phương b; địa bhượng"], ["địa phương a, địa phương b; địa bhượng"]),
    (["Ban Thường vụ a, Ban Thường vụ b, Ban Thường vụ c; Ban TV, khóa XI, khóa XI, khóa XI; khóa IX"],
     ["Ban Thường vụ a, Ban Thường vụ b, Ban Thường vụ c; Ban TV, khóa XI, khóa XI, khóa XI; khóa IX"]),
    (["địa phương a, địa phương b, địa phương c; địa bhưxnq, địa phưong"],
     ["địa phương a, địa phương b, địa phương c; địa bhưxnq, địa phương"]),
])
def test_ocr_document_repaired_from_its_own_spelling(pages, expected):
    assert textrepair.repair_ocr_document(pages) == expected


@pytest.mark.parametrize("raw", UNTOUCHED)
def test_untouched(raw):
    assert textrepair.repair(raw) is None, fix(raw)


@pytest.mark.parametrize("raw,expected", SPACED + GLUED)
def test_normalize_repairs_with_offsets_into_the_input(raw, expected):
    """normalize_text runs the repair; every output character maps back to the same input one."""
    src = "## " + raw + "\r\n**x**\u200b\f" + raw     # mixed with normalize's own artefacts
    n = normalize_text(src)
    assert n.text == expected + "\nx\n" + expected
    check_offsets(src, n)


def test_offsets_random_mixtures():
    """Random mixtures of spaced runs, glued words and markdown artefacts keep the map exact."""
    rng = random.Random(7)
    pieces = [r for r, _ in SPACED + GLUED] + UNTOUCHED + [
        "**đậm**", "\\-", "<i>x</i>", "\f", "\r\n", "hội\n\nng nghị", "\u200b", "## ", " ", "\n"]
    for _ in range(300):
        raw = "".join(rng.choice(pieces) + rng.choice(["", " ", "\n"]) for _ in range(rng.randint(1, 12)))
        check_offsets(raw, normalize_text(raw))


def test_compose_matches_two_maps():
    """compose(map2, map1) gives map1(map2(o)) everywhere, edits on either side."""
    text = "a b c d vềtăng x"
    fixed = textrepair.repair(text)
    mid = fixed[0]
    n_mid = normalize_module.Normalized(mid, [0], [0])
    outs, ins = textrepair.compose([0, 3, 6], [0, 5, 9], fixed[1], fixed[2])
    n1 = normalize_module.Normalized(mid, fixed[1], fixed[2])
    n2 = normalize_module.Normalized("", [0, 3, 6], [0, 5, 9])
    both = normalize_module.Normalized("", outs, ins)
    for o in range(12):
        assert both.to_input(o) == n1.to_input(n2.to_input(o)), o
    assert n_mid.to_input(3) == 3


# --- clean text: nothing changes ---------------------------------------------------------
CLEAN_REAL = ("01", "02", "03", "04", "06", "07", "08", "11")


def clean_files():
    files = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
    if REAL.exists():
        files += sorted(p for p in REAL.iterdir() if p.name[:2] in CLEAN_REAL and p.suffix in (".md", ".txt"))
    return files


@pytest.mark.parametrize("path", clean_files(), ids=lambda p: p.name[:24])
def test_clean_text_is_unchanged(path, monkeypatch):
    raw = path.read_text(encoding="utf-8")
    assert textrepair.repair(unicodedata.normalize("NFC", raw)) is None
    with_repair = normalize_text(raw).text
    monkeypatch.setattr(normalize_module, "repair", lambda s: None)
    assert normalize_text(raw).text == with_repair


# --- the letter-spaced real documents (19-23): measured ------------------------------------
_TOKEN = re.compile(f"[{LETTER}]+")


def non_syllables(text: str) -> int:
    """Letter tokens that are neither a syllable nor an all-capital code ("UBND", "XIV")."""
    return sum(1 for m in _TOKEN.finditer(text)
               if not (m.group().isupper() and len(m.group()) > 1) and not textrepair.is_syllable(m.group()))


def spaced_docs():
    return sorted(p for p in REAL.glob("*.txt") if p.name[:2] in ("19", "20", "21", "22", "23")) if REAL.exists() else []


@pytest.mark.skipif(not spaced_docs(), reason="shared/corpus-real is not beside this checkout")
def test_spaced_documents_are_repaired(monkeypatch):
    after = {p.name[:2]: normalize_text(p.read_text(encoding="utf-8")).text for p in spaced_docs()}
    monkeypatch.setattr(normalize_module, "repair", lambda s: None)
    before = {p.name[:2]: normalize_text(p.read_text(encoding="utf-8")).text for p in spaced_docs()}
    nb = sum(non_syllables(t) for t in before.values())
    na = sum(non_syllables(t) for t in after.values())
    assert nb > 1000 and na < nb * 0.06, (nb, na)          # 1361 -> 51 when written
    for doc, ref, n_before in (("22", "45-CT/TW", 1), ("19", "36-CT/TW", 1), ("23", "16/NQ-HĐND", 0),
                               ("23", "01/QĐ-CTN", 0)):
        found = {r.id: len(r.mentions) for r in find_references(after[doc])}
        assert found.get(ref, 0) > n_before, (doc, ref, found)
    assert "45-CT/TW" in after["22"] and "4 5 - C T" not in after["22"]
    assert "Việc sắp xếp tổ chức bộ máy, biên chế, vị trí việc làm." in after["22"]
    assert "Chỉ thị số 36-CT/TW" in after["19"]


def test_inventory_is_built_from_the_dictionary():
    """The shipped inventory is what `python -m extractor.textrepair build` makes from Viet74K."""
    underthesea = pytest.importorskip("underthesea")
    from pathlib import Path
    import json
    src = Path(underthesea.__file__).parent / "corpus" / "data" / "Viet74K.txt"
    if not src.exists():
        pytest.skip("underthesea ships no Viet74K.txt")
    shipped = json.loads(textrepair._DATA.read_text(encoding="utf-8"))["syllables"]
    built = dict(textrepair.build_inventory(src).values())
    assert built == shipped
    for s in ("nghiêng", "quyết", "khuỷu", "uỷ", "hoà", "kỳ"):
        assert textrepair.is_syllable(s) and textrepair.is_syllable(s.capitalize()) and textrepair.is_syllable(s.upper())
    for s in ("cotton", "UBND", "bs", "ng", "vềtăng", "Tỉnh".swapcase()):
        assert not textrepair.is_syllable(s)
