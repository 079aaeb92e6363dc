"""The faster spellings of the text path (issue 11, "Faster, measured") give exactly what the
plain forms they replace give: each table holds (input, what the plain form says), and the
fast form must agree, including on the edge cases the shortcut reasons about."""
import random
import re
import unicodedata

import pytest

from extractor.lines import Line
from extractor.model import inside
from extractor.patterns import casefold_needles, ci_word_start, finditer_at
from extractor.sections import _starts_inside
from extractor.tables.columns import _share, _share_reaches
from extractor.textrepair import _RUN, _SPACE_RUN, _runs

OPENERS = ["trước ngày", "trước", "trong", "chậm nhất", "hoàn thành"]
PROSE = re.compile(r"(?<!\w)(?:" + "|".join(sorted(OPENERS, key=len, reverse=True)) + r")(?!\w)")


@pytest.mark.parametrize("text", [
    "hoàn thành trước ngày 30/6, trong quý ii",
    "trướctrước trước",                       # a head inside a word is no match
    "xtrong trong",
    "",
    "chậm nhất chậm nhấtx trước",
    "trong trong trong",
])
def test_finditer_at_is_finditer(text):
    heads = {w.split()[0] for w in OPENERS}
    assert [m.span() for m in finditer_at(PROSE, heads, text)] == [m.span() for m in PROSE.finditer(text)]


WORDS = ["Nghị quyết", "Nghị định", "NQ", "Kết luận", "Quyết định", "Kế hoạch"]


@pytest.mark.parametrize("text", [
    "theo Nghị quyết số 5 và nghị QUYẾT 6", "NQ số 3, nq 4, xNQ", "Kế hoạchKết luận",
    "KẾT LUẬN", "\u212aết luận",               # the Kelvin sign is a case form of K
    "quyết định Quyết định", "",
    "Nghị quyết", "\nNghị quyết\nKế hoạch", "_Nghị quyết, xKết luận, 5Kế hoạch, (Quyết định",
])
def test_ci_word_start_matches_like_ignorecase(text):
    alts = [r"\s*".join(re.escape(s) for s in w.split()) for w in sorted(WORDS, key=len, reverse=True)]
    plain = re.compile(rf"(?<!\w)(?:{'|'.join(alts)})", re.IGNORECASE)
    fast = re.compile(ci_word_start(alts, r"\w"))
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_ci_word_start_on_random_text():
    """The word-start look-behind, read once before the groups, rejects what each group's did."""
    alts = [r"\s*".join(re.escape(s) for s in w.split()) for w in sorted(WORDS, key=len, reverse=True)]
    plain = re.compile(rf"(?<!\w)(?:{'|'.join(alts)})", re.IGNORECASE)
    fast = re.compile(ci_word_start(alts, r"\w"))
    rnd = random.Random(7)
    pieces = WORDS + [w.upper() for w in WORDS] + ["x", "5", " ", "\n", "_", "(", "nghị", "ết", "uận", "oạch"]
    for _ in range(300):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(1, 12)))
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], text


@pytest.mark.parametrize("words, usable", [
    (["ví dụ", "thí dụ", "VD"], True),
    (["sơ", "tổng"], True),                    # "ſ" folds to "s"
    (["kiểm"], False),                         # "İ" folds to two characters
])
def test_casefold_needles_only_when_exact(words, usable):
    assert (casefold_needles(words) is not None) is usable


@pytest.mark.parametrize("words, text", [
    (["ví dụ"], "VÍ DỤ: 15-HD/TU"), (["sơ"], "ſƠ kết"), (["thay"], "THAY thế"), (["ví dụ"], "không có"),
])
def test_casefold_needles_find_every_regex_match(words, text):
    needles = casefold_needles(words)
    hit = re.search("|".join(re.escape(w) for w in words), text, re.IGNORECASE) is not None
    assert hit <= any(n in text.casefold() for n in needles)


@pytest.mark.parametrize("values, share", [
    (["1", "2", "x", "", "3"], 0.6), (["x", "y", "1"], 0.5), ([], 0.5), (["", ""], 0.0),
    (["1"] * 5 + ["x"] * 5, 0.5), (["x"] * 5 + ["1"] * 5, 0.5), (["1", "x", "x"], 0.34),
])
def test_share_reaches_is_share_at_least(values, share):
    assert _share_reaches(values, str.isdigit, share) == (_share(values, str.isdigit) >= share)


def test_starts_inside_is_inside_per_line():
    rng = random.Random(3)
    for _ in range(500):
        starts = sorted(rng.sample(range(200), rng.randint(0, 30)))
        lines = [Line(i, s, s, "x") for i, s in enumerate(starts)]
        spans = [(a, a + rng.randint(0, 40)) for a in (rng.randint(0, 200) for _ in range(rng.randint(0, 5)))]
        assert _starts_inside(lines, spans) == [inside(ln.start, spans) for ln in lines]


def _plain_runs(text):
    pos, out = 0, []
    m = _RUN.match(text)
    if m:
        out.append(m.span())
        pos = m.end()
    return out + [m.span(1) for m in _SPACE_RUN.finditer(text, pos)]


@pytest.mark.parametrize("text", [
    "s ố 1 8 v à", " a\rb c d", "a  b c d e", "x a\r\nb c", "\ta b\nc d", "ab c d e f", "",
])
def test_runs_entry_scan_is_the_plain_scan(text):
    assert list(_runs(text)) == _plain_runs(text)


def test_runs_entry_scan_on_random_text():
    rng = random.Random(1)
    alphabet = ["a", "b", " ", "  ", "\n", "\r", "\r\n", "\t", "xy", "\u00a0", "1"]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert list(_runs(text)) == _plain_runs(text), repr(text)


@pytest.mark.parametrize("text", ["  Nội dung  ", "", "   ", "\t¹ Chú thích", "x", " \u00a0a\u2003"])
def test_line_fields_are_the_former_properties(text):
    ln = Line(3, 10, 10 + len(text), text)
    lead = len(text) - len(text.lstrip())
    head = text.lstrip()[:1]
    assert (ln.stripped, ln.is_blank, ln.content_span) == (
        text.strip(), not text.strip(), (10 + lead, 10 + max(lead, len(text.rstrip()))))
    assert ln.is_footnote == (bool(head) and head in "⁰¹²³⁴⁵⁶⁷⁸⁹" and bool(re.match(r"^\s*[⁰¹²³⁴⁵⁶⁷⁸⁹]+\s*\S", text)))
    assert ln == Line(3, 10, 10 + len(text), text) and hash(ln) == hash(Line(3, 10, 10 + len(text), text))


# ---- strip_accents: characters mapped once, composed once = NFD, marks dropped, NFC

def _strip_accents_plain(s):
    import unicodedata
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in s if not unicodedata.combining(c)))


@pytest.mark.parametrize("s", [
    "", "Stt", "Đơn vị chủ trì", "THỜI GIAN HOÀN THÀNH", "Cơ quan phối hợp",
    "Thơ\u0300i gian",                 # a decomposed tone mark
    "Uỷ ban, Ủy ban, hoá",            # old- and new-style tone places
    "\u1100\u1161\u11a8",             # Hangul jamo: composed again after the marks go
    "\u0b47\u0b3e",                   # two starters that NFC joins
    "e\u0301\u0323x",                 # two marks on one letter, reordered by NFD
    "ǅ Å ﬁ",                          # compatibility forms stay (canonical decomposition only)
    # the ASCII-encoder path (decomposed: ASCII and marks of U+0300..U+036F only) and its edges
    "Nguyễn Đức Đạt đã đến", "a\u034fb", "a\u0300\u036f\u0350", "Thời gian “hoàn thành”", "x\u0483y",
    "ĐĂNG KÝ – ƯU TIÊN", "Ω tháng", "ä\u0300\u0301",
])
def test_strip_accents_is_nfd_without_marks(s):
    from extractor.tables.text import strip_accents
    strip_accents.cache_clear()
    assert strip_accents(s) == _strip_accents_plain(s)


def test_strip_accents_ascii_path_drops_only_marks():
    """Every character the fast path drops has a combining class (a mark NFD would leave)."""
    from extractor.tables.text import _NOT_ASCII_OR_MARK
    kept = [c for c in map(chr, range(0x80, 0x400)) if not _NOT_ASCII_OR_MARK.match(c)]
    assert kept and all(unicodedata.combining(c) for c in kept)
    assert not _NOT_ASCII_OR_MARK.match("\x00") and _NOT_ASCII_OR_MARK.match("\u034f")


@pytest.mark.parametrize("seed", range(4))
def test_strip_accents_on_random_vietnamese(seed):
    from extractor.tables.text import strip_accents
    rng = random.Random(seed)
    alphabet = "aăâeêioôơuưyđĐ ÀÁẢÃẠẦẤẨẪẬằắẳẵặèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ.,\u0301\u0323“–"
    for _ in range(200):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        strip_accents.cache_clear()
        assert strip_accents(s) == _strip_accents_plain(s)


# ---- locate: str.find stands in for the unit-name pattern only when it gives the same match

@pytest.mark.parametrize("t, w, start, sure", [
    ("Sở Y tế chủ trì", "Sở Y tế", 0, True),
    ("Sở  Y tế, Sở Y tế", "Sở Y tế", 0, False),       # an earlier copy with other spaces: the regex finds it
    ("Sở\n|Y tế; Sở Y tế", "Sở Y tế", 0, False),
    ("Sở Y tế, Sở Y tế", "Sở Y tế", 3, True),
    ("Sở Y tế", "**Sở** Y tế", 0, False),               # bold marks belong to the separator pattern
    ("Sở Y tế", " Sở Y tế", 0, False),                  # edge spaces: the pattern drops them
    ("Sở Y tế", "Sở Tư pháp", 0, False),
    ("Sở Xây dựng, Sở Y tế", "Sở Y tế", 0, False),      # first word seen earlier: left to the regex
])
def test_plain_find_agrees_with_the_needle(t, w, start, sure):
    from extractor.units import _needle, _plain_find
    got = _plain_find(t, w, start)
    assert (got is not None) is sure
    if got is not None:
        assert got == _needle(w).search(t, start).span()


# ---- header_role: the one-scan filter and the pre-folded phrases give the plain loop's role

def _header_role_plain(cell):
    from extractor.tables.columns import _find_word, vocabulary
    from extractor.tables.text import clean_cell, fold, strip_accents
    text = fold(clean_cell(cell))
    if not text or len(text) > 80:
        return None
    bare = strip_accents(text)
    best = None
    for role, phrases in vocabulary().roles.items():
        for phrase in phrases:
            p = fold(phrase)
            pos = _find_word(p, text)
            if pos < 0:
                pos = _find_word(strip_accents(p), bare)
            if pos < 0:
                continue
            key = (pos, -len(p), role)
            if best is None or key[:2] < best[:2]:
                best = key
    return best[2] if best else None


@pytest.mark.parametrize("cell", [
    "STT", "Nội dung công việc", "Đơn vị chủ trì", "Don vi chu tri", "Cơ quan phối hợp",
    "Thời gian hoàn thành", "Thoi gian hoan thanh", "Kết quả, sản phẩm", "Ghi chú",
    "Tiến độ", "Sở Y tế", "30/6/2025", "", "x" * 90, "**Chủ trì**<br>thực hiện", "Nhiệm vụ, giải pháp",
    # the length shortcut (an NFC cell over 80 characters cleaned is over 80 folded): at and past
    # the limit, a decomposed cell that composes under it, markup and spaces that clean away, a
    # cell that casefolding lengthens past it
    "Đơn vị chủ trì " + "x" * 65, "Đơn vị chủ trì " + "x" * 66,
    unicodedata.normalize("NFD", "Đơn vị chủ trì thực hiện nhiệm vụ") * 2,
    "**Chủ trì**" + " " * 75 + "<br>thực hiện", "Chủ trì " + "ß" * 40,
])
def test_header_role_is_the_plain_loop(cell):
    from extractor.tables.columns import header_role
    header_role.cache_clear()
    assert header_role(cell) == _header_role_plain(cell)


# ---- assignments._stop: jumping with search() gives the per-character reading's end

def _stop_plain(u, start, pat, groups=("verb", "punct")):
    i, depth = start, 0
    while i < len(u):
        ch = u[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0:
            sm = pat.match(u, i)
            if sm and sm.group("noun"):
                i = sm.end()
                continue
            if sm and i > start and any(sm.group(g) for g in groups):
                return i
        i += 1
    return len(u)


def test_stop_is_the_per_character_reading():
    from extractor.assignments import _res, _stop
    r = _res()
    rng = random.Random(11)
    pieces = ["Sở Tài chính", " ", ", ", "chủ trì", "phối hợp", "tổ chức đảng", "tổ chức", "(", ")", "[", "]",
              ": ", ".", ". ", "để", "triển khai", "các xã", "x", "(chủ trì)", ")chủ trì"]
    for _ in range(4000):
        u = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        start = rng.randint(0, len(u))
        for pat, groups in ((r.stop, ("verb", "punct")), (r.partner_stop, ("verb", "punct")), (r.stop, ("punct",))):
            assert _stop(u, start, pat, groups) == _stop_plain(u, start, pat, groups), (u, start)


# ---- units._paren_depths: filled run by run between brackets = the walk over every character

def _paren_depths_plain(s):
    depth, out = 0, []
    for ch in s:
        if ch in "([":
            depth += 1
        out.append(depth)
        if ch in ")]" and depth:
            depth -= 1
    return out


def test_paren_depths_is_the_character_walk():
    from extractor.units import _paren_depths
    rng = random.Random(7)
    for _ in range(3000):
        s = "".join(rng.choice(["(", ")", "[", "]", "a", "Sở X", ", "]) for _ in range(rng.randint(0, 12)))
        got = _paren_depths(s)
        assert (got if got is not None else [0] * len(s)) == _paren_depths_plain(s), repr(s)
        assert (got is None) == ("(" not in s and "[" not in s)


# ---- patterns.trie_pattern: the same strings as a plain alternation, the longest one where several start

def test_trie_pattern_matches_the_alternation_longest_first():
    from extractor.patterns import trie_pattern
    rng = random.Random(3)
    for _ in range(500):
        words = {"".join(rng.choice("abđ .") for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 6))}
        plain = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
        trie = re.compile(trie_pattern(words))
        text = "".join(rng.choice("abđ .x") for _ in range(rng.randint(0, 12)))
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)], (words, text)


@pytest.mark.parametrize("text", [
    "BTGTU, BTG-TU, xBTG, &BTG, -BTG, BTGx BTG", "UBND tỉnh, UBMTTQ, UB", "", "LĐ-TB&XH và LĐTBXH",
    "đạo diễn, chỉ đạo đạo", "VP\nVPTU",
])
@pytest.mark.parametrize("not_before", [r"\w", r"[\w&\-]"])
def test_word_start_matches_like_the_look_behind(text, not_before):
    from extractor.patterns import word_start
    words = ["BTGTU", "BTG", "UBND", "UBMTTQ", "UB", "LĐ-TB&XH", "LĐTBXH", "VPTU", "VP", "đạo", "chỉ đạo"]
    alts = [re.escape(w) for w in sorted(words, key=len, reverse=True)]
    plain = re.compile(rf"(?<!{not_before})(?:{'|'.join(alts)})(?![\w&])")
    fast = re.compile(rf"{word_start(alts, not_before)}(?![\w&])")
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert word_start(["(x)"] + alts, not_before) is None


# ---- units._separator_re: the opening look-ahead only turns away positions no separator opens at

def test_separator_look_ahead_keeps_the_matches():
    from extractor.units import _separator_re, vocab
    fast = _separator_re(vocab().re_head.pattern)
    lead = r"(?=[\s;.,])(?:"
    assert fast.pattern.startswith(lead) and fast.pattern.endswith(")")
    plain = re.compile(fast.pattern[len(lead):-1])
    rng = random.Random(5)
    pieces = ["Sở Y tế", "các xã", " ", "  ", ";", " ; ", ".", ". ", ", ", ",", "\n", "\n- ", " - ", " – ", " và ",
              " cùng ", "Ban", "BCH,TU", "A,B", "x"]
    for _ in range(3000):
        s = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        assert [(m.span(), m.lastgroup) for m in fast.finditer(s)] == [(m.span(), m.lastgroup) for m in plain.finditer(s)], s


# ---- units.find_assignments: the lead markers located by str.find of their case variants

@pytest.mark.parametrize("text", [
    "Sở Y tế chủ trì, phối hợp; CHỦ TRÌ: Sở X; Chủ\n trì", "chủ trìx, xchủ trì, ChỦ trì, cHủ trì", "", "chủ",
])
def test_lead_heads_find_every_lead_marker(text):
    from extractor.units import _prose_res
    r = _prose_res()
    assert [m.span() for m in finditer_at(r["lead"], r["lead_heads"], text)] == [m.span() for m in r["lead"].finditer(text)]


# ---- assignments._res: the stop patterns spelled by first letter = the plain alternations

def test_stop_patterns_match_like_the_plain_alternations():
    from extractor.assignments import _res
    from extractor.units import WORD_CHAR, alternation, load_units
    a = load_units().assignments
    verbs, nouns = alternation(a.verbs), alternation(a.noun_compounds)
    plain_stop = re.compile(rf"(?P<noun>(?<!{WORD_CHAR})(?i:{nouns})(?!{WORD_CHAR}))|(?P<verb>(?<!{WORD_CHAR})(?<!được )(?:{verbs})(?!{WORD_CHAR}))"
                            r"|(?P<punct>[:.](?=\s|$))")
    plain_partner = re.compile(rf"(?P<noun>(?<!{WORD_CHAR})(?i:{nouns})(?!{WORD_CHAR}))|(?P<verb>(?<!{WORD_CHAR})(?:{verbs}|{alternation(a.partner_stops)})(?!{WORD_CHAR}))"
                               r"|(?P<punct>[.;:](?=\s|$))")
    words = [w for ws in (a.verbs, a.noun_compounds, a.partner_stops) for w in ws]
    words += [w.upper() for w in words[:20]] + [w.capitalize() for w in words[:20]]
    rng = random.Random(12)
    pieces = words + [" ", "  ", ", ", ": ", ".", ". ", "được ", "x", "Sở Tài chính", "(", ")", "\n"]
    r = _res()
    for _ in range(1500):
        u = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        for fast, plain in ((r.stop, plain_stop), (r.partner_stop, plain_partner)):
            assert [(m.span(), m.lastgroup) for m in fast.finditer(u)] == [(m.span(), m.lastgroup) for m in plain.finditer(u)], u


# ---- patterns.ci_first_letter: a case-insensitive alternation grouped by first letter

@pytest.mark.parametrize("text", [
    "Sở Y tế, sở tài chính", "SỞ NỘI VỤ", "ủy ban, Ủy ban, ỦY BAN", "ban ban hành", "các sở", "\u212aết luận",
    "Phòng phòng PHÒNG", "x", "",
])
def test_ci_first_letter_matches_like_ignorecase(text):
    from extractor.patterns import ci_first_letter
    alts = ["sở\\s+y\\s+tế", "sở", "ủy\\s+ban", "ban\\s+hành", "ban", "phòng", "kết\\s+luận", "các"]
    plain = re.compile(rf"(?i:{'|'.join(alts)})(?!\w)")
    fast = re.compile(rf"{ci_first_letter(alts)}(?!\w)")
    for i in range(len(text) + 1):
        a, b = plain.match(text, i), fast.match(text, i)
        assert (a and a.span()) == (b and b.span()), (text, i)
    assert ci_first_letter(["(x)"] + alts) is None


def test_unit_patterns_match_like_the_plain_alternations():
    from extractor.units import WORD_CHAR, alternation, load_units, vocab
    d, v = load_units(), vocab()
    heads = d.heads.strong + d.heads.weak
    words = [h for h in heads if not h.isupper()]
    caps = [h for h in heads if h.isupper()] + list(d.unit_abbreviations)
    plain = {
        v.re_head: re.compile(rf"(?:(?i:{alternation(words)})(?!{WORD_CHAR})|(?:{alternation(caps)})(?![\w&]|-\w))"),
        v.re_position: re.compile(rf"(?i:{alternation(d.positions)})(?!{WORD_CHAR})"),
        v.re_opener: re.compile(rf"(?i:{alternation(d.collective.openers)})\s+(?=\S)"),
    }
    pieces = words[:40] + list(d.positions[:20]) + list(d.collective.openers) + caps[:20]
    pieces += [p.upper() for p in pieces[:30]] + [p.capitalize() for p in pieces[:30]]
    pieces += [" ", "  ", ", ", "x", "-", "&", "\n", "Tỉnh", "huyện"]
    rng = random.Random(14)
    for _ in range(600):
        s = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        for fast, slow in plain.items():
            for i in range(len(s) + 1):
                a, b = slow.match(s, i), fast.match(s, i)
                assert (a and a.span()) == (b and b.span()), (s, i)


def test_assignment_and_unit_patterns_match_like_the_plain_alternations():
    from extractor.assignments import _res
    from extractor.units import WORD_CHAR, _prose_res, alternation, load_units, vocab
    a, d, v, r, pr = load_units().assignments, load_units(), vocab(), _res(), _prose_res()
    lab = a.labels
    roles = [w for ws in (lab.content, lab.deadline, lab.lead, lab.partners, lab.output, lab.other) for w in ws]
    from extractor.units import unify_spelling
    roles = list({unify_spelling(w).lower(): 0 for w in roles})
    col, p = d.collective, d.prose
    abbr_alt = "|".join(re.escape(k) for k in sorted(v.abbreviations, key=len, reverse=True))
    pairs = [
        (r.opener, rf"(?i:{alternation(a.assign_openers)})\s+(?:cho\s+)?"),
        (r.clause, rf"(?i:{alternation(a.clause_openers)})(?!{WORD_CHAR})"),
        (r.label, rf"(?P<label>(?i:{alternation(roles)}))\s*(?:\([^)]*\))?\s*:\s*"),
        (r.closing, rf"(?i:{alternation(a.closings)})(?!{WORD_CHAR})"),
        (r.not_heading, rf"(?i:(?:(?:một\s+số|những|các|về)\s+)?(?:{alternation(a.not_assignment_headings)}))(?!{WORD_CHAR})"),
        (r.verb_start, rf"(?i:{alternation(a.verbs)})(?!{WORD_CHAR})"),
        (r.courtesy, rf"\s*(?i:{alternation(a.courtesy)})(?!{WORD_CHAR})"),
        (r.report_heading, rf"(?<!{WORD_CHAR})(?i:{alternation(a.report_headings)})(?!{WORD_CHAR})"),
        (v.re_collective, rf"(?<!{WORD_CHAR})(?i:{alternation(col.openers)})\s+(?i:{alternation(col.nouns)})(?!{WORD_CHAR})"),
        (v.re_role_prefix, rf"(?i:{alternation(d.role_prefixes)})(?!{WORD_CHAR})[\s:,]*"),
        (pr["partner"], rf"[\s,]*(?i:{alternation([unify_spelling(x) for x in p.partner_markers])})(?!{WORD_CHAR})[\s:]*"),
        (pr["assign"], rf"(?<!{WORD_CHAR})(?i:{alternation([unify_spelling(x) for x in p.assign_verbs])})\s+"),
        (v.re_of_head, rf"(?i:{alternation(d.of_heads + d.positions)})(?:\s+(?:{abbr_alt}|Đảng))?$"),
    ]
    words = [w for ws in (a.assign_openers, a.clause_openers, a.not_assignment_headings, ["một số ", "Những ", "các "], roles, a.closings, a.verbs[:30], a.courtesy, a.report_headings,
                          col.openers, col.nouns, d.role_prefixes, p.partner_markers, p.assign_verbs,
                          d.of_heads, list(v.abbreviations)[:20]) for w in ws]
    pieces = words + [w.upper() for w in words[::3]] + [w.capitalize() for w in words[::3]]
    pieces += [" ", "  ", ", ", ": ", "(x)", "x", "cho ", "\n", "Sở Y tế"]
    rng = random.Random(15)
    for _ in range(400):
        s = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        for fast, plain in pairs:
            plain = re.compile(plain)
            for i in range(len(s) + 1):
                x, y = plain.match(s, i), fast.match(s, i)
                assert (x and x.span()) == (y and y.span()), (fast.pattern[:40], s, i)


# ---- meta._anchored: a pattern opening with "^" is matched at the start instead of searched

@pytest.mark.parametrize("pattern, text, anchored", [
    (r"^(Ký bởi|Email)\s*:", "Ký bởi: X", True),
    (r"^(Ký bởi|Email)\s*:", "x Ký bởi: X", True),
    (r"^\d{1,2}[-/.]\d{1,2}", "12/05/2024 10:30", True),
    (r"^a|b", "xb", False),                  # "^" in one branch only: searched
    (r"(?m)^Email:", "x\nEmail: y", False),  # MULTILINE: searched
    (r"Email:", "x Email: y", False),
])
def test_anchored_is_search(pattern, text, anchored):
    from extractor.meta import _anchored
    p = re.compile(pattern, re.I)
    find = _anchored(p)
    assert (find == p.match) is anchored
    assert (find(text) and find(text).span()) == (p.search(text) and p.search(text).span())


# ---- sections._any_title_repair: spelled without re.I = the grouped re.I pattern it replaces

def test_any_title_repair_matches_like_the_ignorecase_form():
    from extractor.sections import _any_title_repair
    from extractor.vocab import load_sections
    wrongs = list(load_sections().ocr_title_repairs)
    groups: dict = {}
    for w in wrongs:
        groups.setdefault(w[:1], []).append(re.escape(w[1:]))
    plain = re.compile("|".join(rf"{re.escape(c)}(?<!\w[\s\S])(?:{'|'.join(r)})(?!\w)" for c, r in groups.items()), re.I)
    pieces = wrongs + [w.upper() for w in wrongs] + [w.capitalize() for w in wrongs] + [" ", "x", "-", "Kế hoạch "]
    rng = random.Random(16)
    for _ in range(1500):
        s = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 5)))
        assert [m.span() for m in _any_title_repair().finditer(s)] == [m.span() for m in plain.finditer(s)], s


def test_motto_anywhere_matches_like_the_ignorecase_form():
    from extractor.meta import _motto_anywhere, vocab
    mottos = sorted(vocab()["motto"], key=len, reverse=True)
    plain = re.compile("(?:" + "|".join(re.escape(x) for x in mottos) + ")", re.I)
    pieces = mottos + [m.lower() for m in mottos] + [m.title() for m in mottos] + [" ", "x", "\n", "ĐẢNG ", "cộng"]
    rng = random.Random(17)
    for _ in range(1000):
        s = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 4)))
        assert [m.span() for m in _motto_anywhere().finditer(s)] == [m.span() for m in plain.finditer(s)], s


@pytest.mark.parametrize("text", [
    "18.CTRTW31.DOC 1", "file.pdf", ".pdf", " .docx", "a.Docx2", "a.doc.", "x. doc", "ư.rtf", "_.odt", "1.PDF", "",
])
def test_file_name_dot_first_is_the_plain_search(text):
    from extractor.sections import _FILE_NAME
    plain = re.compile(r"\w\.(?:docx?|pdf|odt|rtf)\b", re.I)
    assert bool(_FILE_NAME.search(text)) == bool(plain.search(text))


# ---- header_role (filter, pre-folded phrases, length shortcut): the plain loop's role on every
# line and cell of the seed corpus and on phrases inside, overlapping or next to words

@pytest.mark.parametrize("cell", [
    "so tt", "số tt", "stt stt", "tt.", "sstt", "thời gian thời hạn", "thời hạn thời gian",
    "tiến độ công việc", "Tiến độ công việcx", "xthời gian", "đơn vị tính thời gian", "Số",
    "ket qua thuc hien", "kết quả thuc hien", "hình thức sản phẩm", "sản phẩm đầu ra; ghi chú",
    "nội dung-nhiệm vụ", "(chủ trì)", "thời gian thực hiện thời gian hoàn thành",
    # the bare scan first: a bare text that is not ASCII (another script, a stray mark) still
    # asks the text's scan; a cell with no phrase in either form
    "Chủ trì 가", "Thời gian 日本", "nội dung\u0301", "ｓｔｔ", "Ghi chú ﬁ", "Sở Nội vụ", "Hàng quý",
])
def test_header_role_scan_edges(cell):
    from extractor.tables.columns import header_role
    header_role.cache_clear()
    assert header_role(cell) == _header_role_plain(cell)


def test_header_role_scan_on_corpus_lines():
    from pathlib import Path
    from extractor.tables.columns import header_role
    lines = {ln for f in sorted(Path(__file__).parent.parent.joinpath("corpus", "seeds").glob("*"))
             if f.is_file() for ln in f.read_text(encoding="utf-8", errors="replace").splitlines()}
    lines |= {c for ln in lines for c in ln.split("\t")} | {c for ln in lines for c in ln.split("|")}
    header_role.cache_clear()
    got = [(c, header_role(c)) for c in sorted(lines)]
    assert sum(1 for _, r in got if r) > 20          # the corpus has headers: the test reaches the loop
    assert got == [(c, _header_role_plain(c)) for c in sorted(lines)]


# ---- units._trim: trailing junk stepped over from the end is where _TAIL_JUNK's search starts

def _trim_plain(s, a, b):
    from extractor.units import _LEAD_JUNK, _TAIL_JUNK
    m = _LEAD_JUNK.match(s, a, b)
    if m:
        a = m.end()
    m = _TAIL_JUNK.search(s[a:b])
    if m:
        b = a + m.start()
    if b > a and s[b - 1] == ")" and s[a:b].count("(") < s[a:b].count(")"):
        b -= 1
    return a, b


@pytest.mark.parametrize("s", [
    "Sở Tài chính", "Sở Tài chính;", " - Sở Y tế .\n", "Sở Y tế\n", "Sở Y tế ;\n\n", "…", "...", "- ",
    "", ";;", "Sở Y tế –", "Sở Y tế —\u00a0", "Sở Y tế\u2003", "Sở Y tế)", "(Sở Y tế)", "Sở (Y tế))",
    "x·", "Sở Y tế\nx", "Sở*•+", "a\u200b", "Ban\x1c",
])
def test_trim_is_the_search(s):
    from extractor.units import _trim
    for a in range(len(s) + 1):
        for b in range(a, len(s) + 1):
            assert _trim(s, a, b) == _trim_plain(s, a, b), (s, a, b)


def test_trim_on_random_junk():
    from extractor.units import _trim
    rnd = random.Random(11)
    alphabet = "ab ;.,:-–—+•*·\n\t\u00a0\u2003()x\u200b"
    for _ in range(3000):
        s = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12)))
        assert _trim(s, 0, len(s)) == _trim_plain(s, 0, len(s)), s


# ---- fixed_width._body_line: a long plain line is a body line without asking header_role

@pytest.mark.parametrize("s", [
    "Tổ chức quán triệt, học tập nghị quyết " * 3, "Đơn vị chủ trì " + "x" * 66, "Đơn vị chủ trì " + "x" * 65,
    "**Chủ trì**" + " x" * 40, "Chủ_trì " + "y " * 40, "<b>Thời gian</b> " + "z" * 70, "Thời gian \\| " + "z" * 70,
    unicodedata.normalize("NFD", "Đơn vị chủ trì thực hiện nhiệm vụ ") * 3, "Thời gian " + "w" * 71,
])
def test_body_line_long_plain_line(s):
    from extractor.tables.columns import header_role
    from extractor.tables.fixed_width import _body_line
    header_role.cache_clear()
    t = s.strip()
    plain = len(t) > 24 and not header_role(t)
    assert _body_line(Line(0, 0, len(s), s)) == plain


_OUTLINE_TEXT = """I. MỤC TIÊU
1. Kết quả đạt được
- Ban Tuyên giáo hoàn thành kế hoạch.
II. NHIỆM VỤ TRỌNG TÂM
1. Tình hình chung
- Các sở triển khai thực hiện.
2. Giải pháp
a) Ủy ban nhân dân tỉnh chỉ đạo.
- Sở Nội vụ tham mưu.
III. TỔ CHỨC THỰC HIỆN
Các huyện ủy báo cáo kết quả.
- Văn phòng theo dõi.
"""


def _excluded_walk(b, report):
    """_excluded as the plain walk up the headings, asked anew for each item."""
    from extractor.assignments import _res
    r = _res()
    p = b if b.children else b.parent
    forward = False
    while p is not None:
        if p.style != "para" and not p.style.startswith("bullet"):
            if r.not_heading.match(p.text):
                return True
            forward = forward or bool(r.report_heading.match(p.text))
        p = p.parent
    return report and not forward


@pytest.mark.parametrize("report", [False, True])
def test_excluded_with_shared_memo_is_the_walk(report):
    from extractor.assignments import _excluded, _outline, blocks_of
    from extractor.lines import split_lines
    blocks = blocks_of(split_lines(_OUTLINE_TEXT))
    _outline(blocks)
    memo: dict = {}
    got = [_excluded(b, report, memo) for b in blocks]
    assert got == [_excluded_walk(b, report) for b in blocks]
    assert True in got and False in got          # the text exercises both answers


def test_build_skips_only_kinds_it_has_no_branch_for():
    """deadlines._build returns a plain token early for a kind outside _GROUP_KINDS: that must be
    exactly the kinds its chain of tests has no branch for (a new branch needs its kind listed)."""
    import inspect
    from extractor import deadlines
    branches = set(re.findall(r'kind == "(\w+)"', inspect.getsource(deadlines._build)))
    assert branches == deadlines._GROUP_KINDS
    toks = deadlines.scan("hoàn thành trước ngày 15/7/2024, thường xuyên; từ quý ii đến tháng 5 (nếu có)")
    assert [t.kind for t in toks if t.kind in ("word", "verb", "paren", "punct")]   # plain kinds occur


_PROSE_DEADLINES = ("Các sở hoàn thành trước ngày 15/7/2024; báo cáo chậm nhất là ngày 20/7.\n"
                    "| Tổ chức hội nghị | Trước ngày 30/6/2024 | thời hạn quý III/2024 |\n"
                    "Thực hiện từ ngày 10/7/2026 đến hết ngày 20/7/2026, gửi trong tháng 8/2026.\n"
                    "Định kỳ hàng tháng (trước ngày 20) báo cáo; xong trước 30/11/2024.\n")


def test_candidates_skip_only_openers_find_deadlines_drops():
    """_candidates(low, exclude) leaves out openers inside `exclude` (but "đến", which may open
    its phrase before them): the candidates find_deadlines keeps are those of the full scan."""
    from extractor.deadlines import _candidates, _lower, find_deadlines
    low = _lower(_PROSE_DEADLINES)
    rnd = random.Random(3)
    cuts = [(0, 0)] + [tuple(sorted(rnd.sample(range(len(low) + 1), 2))) for _ in range(200)]
    cuts += [(low.find("10/7"), low.find("20/7/2026")), (low.find("|"), low.rfind("|") + 1)]
    for a, b in cuts:
        exclude = [(a, b), (b + 5, b + 40), (a // 2, a)]
        kept = [c for c in _candidates(low) if not inside(c[0], exclude)]
        assert [c for c in _candidates(low, exclude) if not inside(c[0], exclude)] == kept, (a, b)
    assert len(find_deadlines(_PROSE_DEADLINES)) > len(find_deadlines(_PROSE_DEADLINES, exclude=cuts[-1:])) > 0


def test_union_holds_the_same_offsets():
    from extractor.deadlines import _union
    rnd = random.Random(5)
    for _ in range(300):
        spans = [tuple(sorted((rnd.randrange(40), rnd.randrange(40)))) for _ in range(rnd.randrange(6))]
        u = _union(spans)
        assert all(a < b <= c for (a, b), (c, _) in zip(u, u[1:])) and all(a < b for a, b in u)
        assert [inside(p, u) for p in range(42)] == [inside(p, spans) for p in range(42)], spans


def test_is_upper_is_the_per_character_count():
    from extractor.meta import _is_upper

    def plain(s):
        letters = [c for c in s if c.isalpha()]
        return bool(letters) and sum(c.isupper() for c in letters) / len(letters) >= 0.85
    rnd = random.Random(11)
    alphabet = "aAbBĐđỆệ ,.1İıǅ\u0301"          # "ǅ" is a letter neither upper nor lower (title case)
    texts = ["", "TM. BAN THƯỜNG VỤ", "Bí thư", "ǅ"] + [
        "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(12))) for _ in range(2000)]
    assert [_is_upper(t) for t in texts] == [plain(t) for t in texts]


def test_blocks_of_skips_exactly_the_lines_starting_inside_skip():
    """blocks_of walks the sorted spans with a pointer: a line is left out iff inside(start, skip)."""
    from extractor.assignments import blocks_of
    from extractor.lines import split_lines
    lines = split_lines("".join(f"- Sở số {k} triển khai thực hiện nhiệm vụ {k}.\n" for k in range(12)))
    rnd = random.Random(9)
    end = lines[-1].end
    for _ in range(300):
        skip = [tuple(sorted((rnd.randrange(end + 5), rnd.randrange(end + 5)))) for _ in range(rnd.randrange(5))]
        got = [b.lines[0][0] - 2 for b in blocks_of(lines, skip)]      # "- " before each item's text
        assert got == [ln.start for ln in lines if not ln.is_blank and not inside(ln.start, skip)], skip


# ---- units.unify_spelling of a long text: one literal-led pattern per first letter, the same
# replacements as the one pattern's sub (at a syllable end only: a letter after the pair keeps it)

def _unify_plain(s):
    from extractor.units import _OLD_TONE, _OLD_TONE_RE
    return _OLD_TONE_RE.sub(lambda m: _OLD_TONE[m.group(1)], s)


@pytest.mark.parametrize("seed", range(6))
def test_unify_spelling_long_text_is_the_sub(seed):
    from extractor.units import _LONG_TEXT, unify_spelling
    rng = random.Random(seed)
    alphabet = list("oOuUaàáảãạèéẻẽẹỳýỷỹỵ yn_1.\n") + ["hoá ", "Uỷ ban", "thuỷ", "oàn", "hoà_", "UỶ"]
    for n in (_LONG_TEXT - 1, _LONG_TEXT, 3 * _LONG_TEXT):
        s = "".join(rng.choice(alphabet) for _ in range(n))
        assert unify_spelling(s) == _unify_plain(s)
    assert unify_spelling("x" * _LONG_TEXT + "hoá") == "x" * _LONG_TEXT + "hóa"


# ---- patterns.finditer_at: heads of one length with a non-ASCII letter at one place are found by a
# one-character probe; the starts are those of a str.find scan per head

@pytest.mark.parametrize("text", [
    "UBND tỉnh chủ trì, phối hợp", "Chủ trì: Sở Y tế", "CHỦ TRÌ", "chủchủ trì", "ủ", "hủ trì chủ",
    "Sở A chỦ trì; Sở B cHủ trì", "", "Ủy ban chủ trì thực hiện",
])
def test_probed_starts_are_the_scans_per_head(text):
    from extractor.patterns import _head_probe, _head_starts, _probed_starts
    from extractor.units import _prose_res
    heads = _prose_res()["lead_heads"]
    probe = _head_probe(heads)
    assert probe is not None                        # the vocabulary's lead markers take the probe
    for pos, end in [(0, len(text)), (1, len(text)), (0, max(len(text) - 2, 0)), (3, 7)]:
        assert sorted(_probed_starts(probe, heads, text, pos, end)) == sorted(_head_starts(heads, text, pos, end))
    assert _head_probe(frozenset({"chủ", "ban"})) is None and _head_probe(frozenset({"ab", "abc"})) is None


def test_finditer_at_is_finditer_on_corpus_texts():
    from pathlib import Path
    from extractor.units import _prose_res, unify_spelling
    lead, heads = _prose_res()["lead"], _prose_res()["lead_heads"]
    root = Path(__file__).parent.parent
    texts = [unify_spelling(f.read_text(encoding="utf-8", errors="replace"))
             for f in sorted(root.joinpath("corpus", "seeds").glob("*.txt"))]
    got = [[m.span() for m in finditer_at(lead, heads, t)] for t in texts]
    assert sum(map(len, got)) > 5
    assert got == [[m.span() for m in lead.finditer(t)] for t in texts]


# ---- model.trusted: the unvalidated constructor gives the instance the validated one gives

def _trusted_cases():
    from extractor.model import Deadline, Task, Unit
    d = Deadline(text="Quý II/2025", kind="period", start="2025-04-01", end="2025-06-30", span=(5, 15))
    return [
        (Task, dict(id="t1", span=(0, 10))),
        (Task, dict(id="t2", group="I. Chung", number="1", content="Nội dung", lead="Sở A", partners=None,
                    deadline=d, status=None, output=None, origin="table", span=(3, 90), page=2,
                    supervisor=None, spans={"content": (3, 20), "deadline": (5, 15)})),
        (Unit, dict(name="Sở Y tế", text="Sở Y tế", span=(1, 8), collective=False, kind="organization", role="lead")),
        (Unit, dict(name="Các xã", text="các xã", span=None, collective=True, kind="collective", role="partner")),
        (Unit, dict(name="Sở A", text="Sở A")),
        (Deadline, dict(text="Tháng 2, 5", kind="multiple", start="2025-02-01", end="2025-05-31", recurrence=None,
                        note=None, timex=None, span=None, parts=[d, Deadline(text="Tháng 5")])),
        (Deadline, dict(text="Thường xuyên", kind="ongoing")),
    ]


@pytest.mark.parametrize("cls, fields", _trusted_cases())
def test_trusted_is_the_validated_instance(cls, fields):
    from extractor.model import trusted
    got, want = trusted(cls)(**fields), cls(**fields)
    assert type(got) is cls and got == want
    assert list(vars(got)) == list(vars(want)) == list(cls.model_fields)
    assert got.model_fields_set == want.model_fields_set
    assert got.model_dump_json() == want.model_dump_json() and repr(got) == repr(want)
    again = trusted(cls)(**fields)
    for name, value in vars(got).items():      # defaults made per instance, never shared
        if isinstance(value, (list, dict)) and name not in fields:
            assert value is not vars(again)[name]


def test_trusted_refuses_a_field_the_model_does_not_declare():
    from extractor.model import Unit, trusted
    with pytest.raises(TypeError, match="nmae"):
        trusted(Unit)(nmae="Sở A", text="Sở A")


# ---- columns.over_label: a cell over four times the label limit is over it whatever NFC joins

def test_nfc_joins_at_most_four_code_points():
    import sys
    from extractor.tables.columns import _NFC_MAX_MERGE
    longest = max(len(unicodedata.normalize("NFD", chr(c))) for c in range(sys.maxunicode + 1)
                  if not unicodedata.is_normalized("NFD", chr(c)))
    assert longest <= _NFC_MAX_MERGE


@pytest.mark.parametrize("cell", [
    unicodedata.normalize("NFD", "Đơn vị chủ trì thực hiện ") * 13,            # decomposed, > 320
    "\u1f82" * 20 + unicodedata.normalize("NFD", "\u1f82") * 60 + "stt",       # joins to 80: over by length alone
    "a\u0301" * 161, "a\u0301" * 160, "\u1100\u1161\u11a8" * 107,
])
def test_over_label_long_decomposed_cells(cell):
    from extractor.tables.columns import header_role
    from extractor.tables.fixed_width import _body_line
    header_role.cache_clear()
    assert header_role(cell) == _header_role_plain(cell)
    ln = Line(0, 0, len(cell), cell)
    want = len(cell) > 24 and not _header_role_plain(cell)
    assert _body_line(ln) == want


# ---- whole-document scans split into one literal-led scan per character

def test_run_entries_are_the_entry_scan():
    from extractor.textrepair import _RUN_ENTRY, _run_entries
    rng = random.Random(11)
    alphabet = ["a", "b", " ", "  ", "\n", "\r", "\r\n", "\t", "xy", "ệ", "1", "-", "\u00a0", "\u2003", "\x0b"]
    for _ in range(4000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        pos = rng.randint(0, len(text))
        assert _run_entries(text, pos) == [m.start() for m in _RUN_ENTRY.finditer(text, pos)], repr(text)


def test_artefact_starts_are_the_start_scan():
    from extractor.normalize import _ARTEFACT_STARTS, _artefact_starts
    rng = random.Random(12)
    alphabet = ["a", " ", "\n", "\n\n", "\t", "#", "\r", "\f", "\u200b", "\u00ad", "<", "*", "_", "\\", "ệ", "\ufeff"]
    for _ in range(4000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        assert _artefact_starts(text) == [m.start() for m in _ARTEFACT_STARTS.finditer(text)], repr(text)


@pytest.mark.parametrize("text, page_spans", [
    ("a\nb\n\nc", ()), ("a\nb\n\nc", [(0, 3), (5, 6)]), ("", ()), ("", [(0, 0)]),
    ("x\n" * 9, [(0, 5), (6, 11), (12, 17)]), ("ab\ncd", [(2, 5)]),   # a line before the first page
])
def test_split_lines_pages_are_page_at(text, page_spans):
    from extractor.lines import page_at, split_lines
    assert [ln.page for ln in split_lines(text, page_spans)] == [
        page_at(page_spans, ln.start) for ln in split_lines(text)]


def _plain_marker(s):
    """Every pattern of _MARKERS tried in order, without the first-character prefilter."""
    from extractor.assignments import _MARKERS, _marker_of
    for style, pat in _MARKERS:
        m = pat.match(s)
        if m:
            return _marker_of(style, m)
    return "para", None, 0


def test_marker_tries_only_the_markers_its_first_character_opens():
    from extractor.assignments import _marker
    rng = random.Random(13)
    pieces = ["I", "V", "X", "1", "2", "٣", ".", ")", "(", "-", "–", "+", "•", "*", "a", "đ", "\\", " ", "**", "x", "Đ", "ệ"]
    for _ in range(5000):
        s = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 7)))
        assert _marker(s) == _plain_marker(s), repr(s)


@pytest.mark.parametrize("pieces", [["  **Ban** Tổ chức  "], ["   "], ["a", "  ", "b *c*"], ["x"], [""]])
def test_block_text_of_one_piece_is_the_join(pieces):
    from extractor.assignments import Block, _unmark
    b = Block("para", None, 0, 1, [(i, t) for i, t in enumerate(pieces)])
    assert b.text == " ".join(_unmark(t).strip() for t in pieces if t.strip()).strip()


SECTION_PIECES = ["I", "V", "X", "L", "C", "H", "l", "1", "2", "|", "!", "Phần", "PHẦN", "Chương", "Mục", "Điều", "Đ",
                  "A", "B", "a", "đ", "ệ", ".", ")", "-", "–", ",", " ", "  ", ":", ";", "?", "Tổ chức", "x", "\t", "3.4"]


def test_candidate_tries_only_the_styles_its_first_character_opens():
    from extractor.sections import _STYLES, _STYLES_AT, _STYLES_DIGIT
    rng = random.Random(14)
    for _ in range(5000):
        text = "".join(rng.choice(SECTION_PIECES) for _ in range(rng.randint(1, 6))).strip() or "x"
        plain = next((style for style, _, pat in _STYLES if pat.match(text)), None)
        styles = _STYLES_AT.get(text[0]) or (_STYLES_DIGIT if text[0].isdecimal() else [])
        assert next((style for style, _, pat in styles if pat.match(text)), None) == plain, repr(text)


def test_section_line_prefilters_reject_only_lines_without_a_match():
    from extractor.sections import _GLUED, _OCR_ROMAN, _OCR_ROMAN_GLYPHS
    rng = random.Random(15)
    for _ in range(5000):
        text = "".join(rng.choice(SECTION_PIECES) for _ in range(rng.randint(0, 8)))
        if text.endswith((".", ";", ":", "!", "?")):
            assert _GLUED.search(text) is None, repr(text)
        if not (text[:1] and text[:1] in _OCR_ROMAN_GLYPHS):
            assert _OCR_ROMAN.match(text) is None, repr(text)


def test_clause_start_is_the_end_of_the_last_clause_end():
    from extractor.references import _CLAUSE_END, _clause_start
    rng = random.Random(16)
    alphabet = ["a", " ", "\n", "\t", ".", ";", "\r", "\u00a0", "x y", "\n\n", " \n", "\n \t\n"]
    for _ in range(20000):
        w = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        last = None
        for last in _CLAUSE_END.finditer(w):
            pass
        assert _clause_start(w) == (last.end() if last else 0), repr(w)


def test_symbol_matches_try_only_where_a_number_can_open(monkeypatch):
    from extractor import references
    rng = random.Random(17)
    pieces = ["57", "1", "O", "o", "l", "I", "|", "-", "–", "/", "NQ", "TW", "KH", "2024", " ", "\n", "số", "cho", "x",
              "Đ", ".", "5", "٣"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))) for _ in range(3000)]
    fast = [[m.span() for m in references._symbol_matches(t)] for t in texts]
    monkeypatch.setattr(references, "_NUM_FIRST", re.compile(r"[\dOoIl|]"))   # every opening character
    assert fast == [[m.span() for m in references._symbol_matches(t)] for t in texts]


@pytest.mark.parametrize("line", ["1.\tMục đích", "a \t b", "x\t\t\ty", "I. \u00a0\tNội dung \t"])
def test_a_tab_inside_a_stripped_line_makes_it_a_table_row_not_a_heading(line):
    from extractor.lines import split_lines
    from extractor.sections import _candidate
    from extractor.settings import SectionSettings
    text = line.strip()
    # a cell on each side of the tab (the row test the candidate reader used to count)
    assert "\t" in text and sum(1 for c in text.split("\t") if c.strip()) > 1
    assert _candidate(split_lines(line)[0], SectionSettings()) is None


def test_short_matches_by_first_letter_are_the_trie_scan():
    from extractor.references import _grammar, _short_matches
    g = _grammar()
    rng = random.Random(18)
    pieces = ["Nghị quyết", "Kế hoạch", "KẾT LUẬN", "Chỉ thị", "Quyết định", "Thông tư", " ", " số ", "số", "57", "2",
              "\n", "-", "/", "x", "năm", "Kết luận Nghị quyết", ",", "Chương trình hành động"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(3000)]
    texts += ["Kết luận số 57Nghị quyết 5", "Nghị quyết Kết luận 7", ""]
    found = 0
    for t in texts:
        plain = [m.span() for m in g.short_re.finditer(t)]
        assert [m.span() for m in _short_matches(t, g)] == plain, repr(t)
        found += len(plain)
    assert found > 100


def test_resolve_kind_is_the_most_common_first_seen():
    from collections import Counter
    from extractor.references import _Hit, _resolve_kind
    rng = random.Random(19)
    kinds = ["ket_luan", "nghi_quyet", "chi_thi", None]
    for _ in range(3000):
        hits = [_Hit(id="x", start=i, end=i + 1, form="full", number="1", word_kind=rng.choice(kinds),
                     code_kinds=tuple(rng.sample(kinds[:3], rng.randint(0, 2)))) for i in range(rng.randint(1, 6))]
        code_kinds = next((h.code_kinds for h in hits if h.code_kinds), ())
        words = [h.word_kind for h in hits if h.word_kind]
        pool = [w for w in words if w in code_kinds] or words
        plain = Counter(pool).most_common(1)[0][0] if pool else (code_kinds[0] if code_kinds else None)
        assert _resolve_kind(hits) == plain


def test_starts_inside_out_of_order_and_empty_spans():
    from extractor.lines import starts_inside
    rng = random.Random(20)
    for _ in range(500):
        starts = [rng.randint(0, 100) for _ in range(rng.randint(0, 12))]       # any order, repeats
        lines = [Line(i, s, s, "x") for i, s in enumerate(starts)]
        spans = [(a, a + rng.randint(-5, 30)) for a in (rng.randint(0, 100) for _ in range(rng.randint(0, 4)))]
        assert starts_inside(lines, spans) == [inside(ln.start, spans) for ln in lines]
