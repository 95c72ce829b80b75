#!/usr/bin/python3
"""Readability check for consentkit form definitions.

Usage:
  readability.py [--max-grade N] [--top K] FORM.xml [FORM.xml ...]
  readability.py --lang es [--min-ease N] [--formula F] [--top K] FORM.xml ...
  readability.py --self-test

For each file, collects the patient-facing text (title, summary, heading, p,
item, risk title and description, label, hint, option) in one language and
scores it, then prints the hardest sentences so an author can rewrite them.
Rule reasons are for staff and are left out, in every language.

Languages. A form's root names its default language in `lang` and every
language it offers in `languages` (`lang="en" languages="en es"`). Each text
element holds its default-language text as its direct text and one
`<text lang="xx">` child per other language. `--lang` picks the language to
score (default: en). The default language is read from the direct text only,
never from a `<text>` child; any other language is read from the
`<text lang="xx">` children only. A form that does not declare the language,
or a text element without a text in it, fails the check (a score over part of
the text would mislead); `consentkit validate` is the full check of that.

English (`--lang en`): the Flesch-Kincaid grade level,
  0.39 * words/sentences + 11.8 * syllables/words - 15.59,
with `--max-grade N` failing a file whose grade is above N (the test holds
the shipped forms at 8.5). Syllables come from a vowel-group heuristic with a
table of exceptions.

Spanish (`--lang es`): two scores, both printed:
  INFLESZ (Szigriszt-Pazos perspicuity, with Barrio-Cantalejo's scale):
    206.835 - 62.3 * syllables/words - words/sentences
    >80 muy fácil, 65-80 bastante fácil, 55-65 normal, 40-55 algo difícil,
    <40 muy difícil.
  Fernández Huerta (1959), as published:
    206.84 - 0.60 * P - 1.02 * F,
    P = syllables per 100 words, F = sentences per 100 words;
    70-80 "algo fácil"/fairly easy, 80-90 fácil, 90-100 muy fácil.
`--min-ease N` fails a file whose score is below N, on the formula chosen
with `--formula` (default inflesz). The test (forms_readability_es) uses
INFLESZ >= 65, "bastante fácil", for two reasons. First, Fernández Huerta's
F term, as published, has the wrong sign: more sentences per 100 words means
shorter sentences, yet it lowers the score (Gwillim Law, "Error in the
Fernandez Huerta Readability Formula", LINGUIST List 22.2332, 2011), so the
formula mildly rewards long sentences, the very thing plain language avoids;
its corrected forms differ from source to source. Second, INFLESZ and its
scale were validated on Spanish health information for patients
(Barrio-Cantalejo et al., Anales Sis San Navarra 2008), which is what these
forms are. Fernández Huerta is printed beside it for comparison.

Spanish syllables are counted exactly by the spelling rules, not guessed:
each syllable has one vowel nucleus; a run of vowels holds one nucleus per
strong vowel (a, e, o, and an accented á é ó í ú), or one if it holds only
weak vowels (unaccented i, u, ü), so i/u next to a/e/o or to each other form
a diphthong or triphthong (tie-rra, ciu-dad, buey), two strong vowels are a
hiatus (le-er, po-e-ta) and an accented í/ú breaks the diphthong (dí-a,
re-ú-ne); h between vowels does not split them (ahu-ma-do); the u of
que/qui/gue/gui is silent, ü is a vowel (pin-güi-no); y is a vowel only at a
word's end or before a consonant (hoy, muy, y). Numbers count as the
syllables of their Spanish words (30 = trein-ta). `--self-test` checks the
counter and the sentence splitter against known words and exits 0 if all
pass.

The hardest sentences are ranked by their own score (FK grade, or the chosen
Spanish formula), among sentences of at least six words (shorter ones, such
as labels, come last).

Every text element ends at least one sentence, so short labels and options
count as (short) sentences. The "prose" score, printed alongside, uses only
summary, p, item and risk description, which is the running text a patient
actually reads.

Exit status: 0 when all is well; 1 when --max-grade or --min-ease is given
and any file's score is past it, or a file lacks text in the language
scored, or a self-test case fails; 2 for a usage error, an unreadable file
or XML that is not well-formed. Standard library only.
"""

import argparse
import re
import sys
import unicodedata
import xml.parsers.expat

PATIENT_TEXT = {"title", "summary", "heading", "p", "item", "description",
                "label", "hint", "option"}
PROSE = {"summary", "p", "item", "description"}
TRANSLATION = "text"  # <text lang="xx"> inside a text element
MIN_WORDS = 6  # shorter sentences are ranked last among the hardest

# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = {"e.g.", "i.e.", "etc.", "dr.", "mr.", "mrs.", "ms.", "vs.",
                 "approx.", "no.", "incl."}
ABBREVIATIONS_ES = {"ej.", "p.", "etc.", "dr.", "dra.", "sr.", "sra.",
                    "srta.", "aprox.", "n.º", "núm.", "incl.", "ud.", "uds.",
                    "vs.", "pág."}

# Words the vowel-group heuristic gets wrong, with their syllable counts.
SYLLABLE_EXCEPTIONS = {
    "area": 3, "areas": 3, "idea": 3, "ideas": 3, "create": 2, "creates": 2,
    "created": 3, "react": 2, "reacts": 2, "reaction": 3, "reactions": 3,
    "being": 2, "every": 3, "everything": 4, "people": 2, "sometimes": 2,
    "aloe": 3, "vera": 2, "serum": 2, "serums": 2, "hyaluronic": 5,
    "isotretinoin": 6, "accutane": 3, "fitzpatrick": 3, "microneedling": 4,
    "eczema": 3, "psoriasis": 4, "keloid": 2, "keloids": 2, "saunas": 2,
    "sauna": 2, "period": 3, "periods": 3, "science": 2, "quiet": 2,
    "business": 2, "interesting": 3, "experience": 4, "mechanism": 4,
    "mechanisms": 4, "immediately": 5, "via": 2, "ideal": 3, "really": 2, "gradual": 3, "gradually": 4, "anyone": 3, "someone": 2, "something": 2, "forever": 3,
    "whole": 1, "more": 1, "before": 2, "here": 1, "there": 1, "where": 1,
    "were": 1, "sure": 1, "ensure": 2, "are": 1, "one": 1, "once": 1,
    "done": 1, "gone": 1, "none": 1, "use": 1, "uses": 2, "used": 1,
    "lukewarm": 2, "pores": 1, "clogging": 2, "collagen": 3,
    "comedogenic": 5, "glycolic": 3, "salicylic": 4, "retinoid": 3,
    "retinoids": 3, "retinol": 3, "warfarin": 3, "practitioner": 4,
}

_VOWEL_GROUP = re.compile(r"[aeiouy]+")


def syllables_in_part(word):
    """Syllables in one alphabetic word, by a vowel-group heuristic."""
    word = word.lower()
    if word in SYLLABLE_EXCEPTIONS:
        return SYLLABLE_EXCEPTIONS[word]
    if len(word) <= 3:
        return 1
    stem = word
    # Silent endings: "-es"/"-ed" (unless after t/d, or s/z/x/ch/sh for -es),
    # and a final silent "e" (but not "-le" after a consonant: "simple").
    # A silent "e" before a suffix: "rarely", "movement", "careful".
    stem = re.sub(r"(?<=[^aeiouy])e(ly|ments?|ful|ness)$", r"\1", stem)
    if stem.endswith("ed") and not re.search(r"([td]|[^aeiouy]l)ed$", stem):
        stem = stem[:-2]
    elif stem.endswith("es") and not re.search(r"(s|z|x|ch|sh|ce|ge|[^aeiouy]l)es$", stem):
        stem = stem[:-2]
    elif stem.endswith("e") and not re.search(r"[^aeiouy]le$", stem):
        stem = stem[:-1]
    if stem.startswith("y"):
        stem = stem[1:]  # leading y is a consonant: "yes", "your"
    count = len(_VOWEL_GROUP.findall(stem))
    # "ia", "io", "ua" and similar usually split into two syllables
    # ("media", "radio", "usual"), but not in "-tion"/"-sion".
    count += len(re.findall(r"(ia|(?<![tsc])io|iu|(?<![gq])ua|eo)", stem))
    return max(1, count)


def syllables(token):
    """Syllables in a token: hyphenated parts add up, numbers count digits."""
    total = 0
    for part in re.split(r"[-\u2010\u2011/]", token):
        letters = re.sub(r"[^A-Za-z]", "", part)
        if letters:
            total += syllables_in_part(letters)
        elif re.search(r"\d", part):
            total += max(1, min(len(re.sub(r"\D", "", part)), 4))
    return max(1, total)


def words(sentence):
    return [t for t in re.findall(r"[A-Za-z0-9][A-Za-z0-9'\u2019\-\u2010\u2011/]*",
                                  sentence)]


# ---------------------------------------------------------------- Spanish

_ES_STRONG = set("aeoáéóíúàèòìù")   # an accented i/u is a vowel of its own
_ES_WEAK = set("iuü")
_ES_VOWELS = _ES_STRONG | _ES_WEAK

_ES_UNITS = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete",
             "ocho", "nueve", "diez", "once", "doce", "trece", "catorce",
             "quince", "dieciséis", "diecisiete", "dieciocho", "diecinueve",
             "veinte", "veintiuno", "veintidós", "veintitrés", "veinticuatro",
             "veinticinco", "veintiséis", "veintisiete", "veintiocho",
             "veintinueve"]
_ES_TENS = {3: "treinta", 4: "cuarenta", 5: "cincuenta", 6: "sesenta",
            7: "setenta", 8: "ochenta", 9: "noventa"}


def spanish_number_words(n):
    """The Spanish words for 0 to 999 (enough to count syllables)."""
    if n < 30:
        return _ES_UNITS[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return _ES_TENS[tens] + (" y " + _ES_UNITS[unit] if unit else "")
    hundreds, rest = divmod(n, 100)
    head = {1: "ciento" if rest else "cien", 5: "quinientos", 7: "setecientos",
            9: "novecientos"}.get(hundreds)
    if head is None:
        head = _ES_UNITS[hundreds] + "cientos"
    return head + (" " + spanish_number_words(rest) if rest else "")


def spanish_syllables_in_word(word):
    """Syllables in one Spanish word (letters only), by the spelling rules."""
    w = unicodedata.normalize("NFC", word.lower())
    if not w:
        return 0
    # The u of que, qui, gue, gui is silent (not of güe, güi: ü is a vowel).
    w = re.sub(r"(?<=[qg])u(?=[eiéí])", "", w)
    # y is a vowel at the end of a word or before a consonant (hoy, muy, y);
    # before a vowel it is a consonant (ayuda, yo).
    w = re.sub(r"y(?=[^aeiouáéíóúü]|$)", "i", w)
    # h between vowels does not split them (ahu-ma-do, prohi-bir).
    w = re.sub(r"(?<=[aeiouáéíóúü])h(?=[aeiouáéíóúü])", "", w)
    count = 0
    for run in re.findall(r"[aeiouáéíóúàèìòùü]+", w):
        strong = sum(1 for c in run if c in _ES_STRONG)
        count += strong if strong else 1
    return count


def spanish_syllables(token):
    """Syllables in a Spanish token: hyphenated parts add up; a number counts
    as its Spanish words; letters with no vowel (SPF) as one per letter."""
    total = 0
    for part in re.split(r"[-\u2010\u2011/]", token):
        if re.fullmatch(r"\d+", part) and int(part) < 1000:
            total += sum(spanish_syllables_in_word(x)
                         for x in spanish_number_words(int(part)).split())
            continue
        letters = "".join(c for c in part if c.isalpha())
        if letters:
            n = spanish_syllables_in_word(letters)
            if n == 0:
                n = len(letters)  # an acronym spelt out: S-P-F
            total += n
        elif re.search(r"\d", part):
            total += max(1, min(len(re.sub(r"\D", "", part)), 4))
    return max(1, total)


def spanish_words(sentence):
    return re.findall(r"[^\W_][\w'\u2019\-\u2010\u2011/.º]*(?<![.])", sentence)


def inflesz(n_words, n_sentences, n_syllables):
    """Szigriszt-Pazos perspicuity, read on the INFLESZ scale."""
    if not n_words or not n_sentences:
        return 0.0
    return 206.835 - 62.3 * n_syllables / n_words - n_words / n_sentences


def fernandez_huerta(n_words, n_sentences, n_syllables):
    """Fernández Huerta's ease as published: P and F per 100 words."""
    if not n_words or not n_sentences:
        return 0.0
    p = 100.0 * n_syllables / n_words
    f = 100.0 * n_sentences / n_words
    return 206.84 - 0.60 * p - 1.02 * f


def inflesz_band(score):
    if score > 80:
        return "muy fácil"
    if score >= 65:
        return "bastante fácil"
    if score >= 55:
        return "normal"
    if score >= 40:
        return "algo difícil"
    return "muy difícil"


def fernandez_huerta_band(score):
    for floor, name in ((90, "muy fácil"), (80, "fácil"), (70, "algo fácil"),
                        (60, "normal"), (50, "algo difícil"),
                        (30, "difícil")):
        if score >= floor:
            return name
    return "muy difícil"


FORMULAS = {"inflesz": (inflesz, inflesz_band, "INFLESZ"),
            "fernandez-huerta": (fernandez_huerta, fernandez_huerta_band,
                                 "Fernández Huerta")}


# ---------------------------------------------------------------- common

class Language:
    """How one language is split into words and sentences and scored."""

    def __init__(self, tag):
        self.tag = tag
        self.spanish = tag == "es" or tag.startswith("es-")
        if self.spanish:
            self.words, self.syllables = spanish_words, spanish_syllables
            self.abbreviations = ABBREVIATIONS_ES
        else:
            self.words, self.syllables = words, syllables
            self.abbreviations = ABBREVIATIONS


def split_sentences(text, lang=None):
    """Split one text element into sentences."""
    lang = lang or Language("en")
    sentences, start = [], 0
    for m in re.finditer(r"[.!?]+(?=[\"'\u201d\u2019\u00bb)]*(\s|$))", text):
        end = m.end()
        tail = text[start:end].split()[-1].lower() if text[start:end].split() else ""
        tail = tail.lstrip("(\"'\u00ab\u201c¿¡")
        if tail in lang.abbreviations:
            continue
        sentences.append(text[start:end].strip())
        start = end
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    # A list lead-in ending in ":" followed by more text is still one sentence.
    return [s for s in sentences if lang.words(s)]


def fk_grade(n_words, n_sentences, n_syllables):
    if not n_words or not n_sentences:
        return 0.0
    return (0.39 * n_words / n_sentences + 11.8 * n_syllables / n_words
            - 15.59)


class Sentence:
    def __init__(self, text, element, line, lang):
        self.text = text
        self.element = element
        self.line = line
        toks = lang.words(text)
        self.words = len(toks)
        self.syllables = sum(lang.syllables(t) for t in toks)
        self.grade = fk_grade(self.words, 1, self.syllables)


class FormText:
    """The sentences of one form in one language, and what is missing."""

    def __init__(self):
        self.default = None        # the root's lang
        self.languages = []        # the root's languages (or [lang])
        self.sentences = []
        self.missing = []          # (line, element) without text in the language


def collect(path, tag="en"):
    """The patient-facing sentences of one form file in language `tag`.

    Reads the default language from each text element's direct text, and
    any other language from its <text lang="tag"> children."""
    lang = Language(tag)
    stack = []     # [element name, start line, text parts, collecting?, has translation]
    result = FormText()

    def start(name, attrs):
        if not stack:  # the root
            result.default = attrs.get("lang", "en")
            result.languages = attrs.get("languages", result.default).split()
        in_rule = any(s[0] == "rule" for s in stack)
        if name == TRANSLATION and stack and stack[-1][0] in PATIENT_TEXT:
            # A translation of its parent: collected when it is the language
            # scored (and that is not the default, which is the direct text).
            mine = attrs.get("lang") == tag and tag != result.default
            if mine:
                stack[-1][4] = True
            stack.append([stack[-1][0], parser.CurrentLineNumber, [],
                          mine and not in_rule, False])
            return
        collecting = (name in PATIENT_TEXT and not in_rule
                      and tag == result.default)
        stack.append([name, parser.CurrentLineNumber, [], collecting, False])

    def end(name):
        el, line, parts, collecting, translated = stack.pop()
        if collecting:
            text = " ".join("".join(parts).split())
            for s in split_sentences(text, lang):
                result.sentences.append(Sentence(s, el, line, lang))
        in_rule = any(s[0] == "rule" for s in stack)
        if (name in PATIENT_TEXT and not in_rule and tag != result.default
                and not translated):
            result.missing.append((line, el))

    def chars(data):
        if stack and stack[-1][3]:
            stack[-1][2].append(data)

    parser = xml.parsers.expat.ParserCreate("UTF-8")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    with open(path, "rb") as f:
        parser.ParseFile(f)
    return result


def summarise(sentences):
    n_w = sum(s.words for s in sentences)
    n_s = len(sentences)
    n_y = sum(s.syllables for s in sentences)
    return fk_grade(n_w, n_s, n_y), n_s, n_w, n_y


# ---------------------------------------------------------------- self-test

SPANISH_SYLLABLES = {
    # plain words and hiatus of two strong vowels
    "piel": 1, "sol": 1, "crema": 2, "colágeno": 4, "poeta": 3, "leer": 2,
    "caer": 2, "aéreo": 4, "aloe": 3, "coordinar": 4, "microagujas": 5,
    # diphthongs and triphthongs (i/u unstressed next to a vowel)
    "tratamiento": 4, "micropunción": 4, "infección": 3, "ciudad": 2,
    "cuidado": 3, "huevo": 2, "buey": 1, "averiguáis": 4, "hialurónico": 5,
    "psoriasis": 3, "queloide": 3, "enrojecimiento": 6, "antiséptico": 5,
    # an accented í/ú breaks the diphthong
    "día": 2, "país": 2, "río": 2, "oído": 3, "reúne": 3, "isotretinoína": 7,
    "había": 3, "frío": 2, "acné": 2,
    # silent u in que/qui/gue/gui; ü is a vowel
    "que": 1, "quince": 2, "guerra": 2, "guitarra": 3, "pequeño": 3,
    "guion": 1, "pingüino": 3, "vergüenza": 3, "cigüeña": 3, "agua": 2,
    # y: a vowel at the end of a word, a consonant before a vowel
    "y": 1, "hoy": 1, "muy": 1, "rey": 1, "leyes": 2, "ayuda": 3,
    "Uruguay": 3, "yo": 1,
    # h between vowels
    "ahora": 3, "ahumado": 3, "alcohol": 3,
    # numbers and acronyms
    "30": 2, "24": 4, "6": 1, "20": 2, "SPF": 3, "100": 1,
}

SPANISH_SENTENCES = [
    ("Llámenos si tiene fiebre. ¿Tiene dudas? ¡Pregúntenos!", 3),
    ("Use, p. ej., un gel suave. Luego descanse.", 2),
    ("Tipo I: siempre se quema, nunca se broncea", 1),
]


def self_test():
    failures = 0
    for word, want in SPANISH_SYLLABLES.items():
        got = spanish_syllables(word)
        if got != want:
            print(f"syllables({word!r}) = {got}, expected {want}")
            failures += 1
    es = Language("es")
    for text, want in SPANISH_SENTENCES:
        got = split_sentences(text, es)
        if len(got) != want:
            print(f"split_sentences({text!r}) = {got}, expected {want} sentences")
            failures += 1
    for word, want in {"microneedling": 4, "skin": 1, "treatment": 2}.items():
        got = syllables(word)
        if got != want:
            print(f"English syllables({word!r}) = {got}, expected {want}")
            failures += 1
    total = len(SPANISH_SYLLABLES) + len(SPANISH_SENTENCES) + 3
    print(f"self-test: {total - failures} of {total} passed")
    return 1 if failures else 0


# ---------------------------------------------------------------- main

def main(argv):
    ap = argparse.ArgumentParser(
        description="Readability of the patient-facing text of form files: "
                    "Flesch-Kincaid grade for English, INFLESZ and "
                    "Fernández Huerta for Spanish.")
    ap.add_argument("files", nargs="*", metavar="FORM.xml")
    ap.add_argument("--lang", default="en",
                    help="the language to score: en (default) or es")
    ap.add_argument("--max-grade", type=float, default=None,
                    help="English: exit 1 if any file's FK grade is above this")
    ap.add_argument("--min-ease", type=float, default=None,
                    help="Spanish: exit 1 if any file's score (see --formula) "
                         "is below this")
    ap.add_argument("--formula", choices=sorted(FORMULAS), default="inflesz",
                    help="Spanish: the score --min-ease and the ranking use "
                         "(default inflesz)")
    ap.add_argument("--top", type=int, default=5,
                    help="how many of the hardest sentences to show (default 5)")
    ap.add_argument("--self-test", action="store_true",
                    help="check the syllable counter and sentence splitter")
    args = ap.parse_args(argv)

    if args.self_test:
        return self_test()
    if not args.files:
        ap.error("give one or more FORM.xml files (or --self-test)")
    lang = Language(args.lang)
    if lang.spanish and args.max_grade is not None:
        ap.error("--max-grade is the English grade; for Spanish use --min-ease")
    if not lang.spanish and args.min_ease is not None:
        ap.error("--min-ease is the Spanish score; for English use --max-grade")
    if not lang.spanish and args.lang != "en" and not args.lang.startswith("en-"):
        ap.error(f"no readability formula for language {args.lang!r} (en, es)")

    failed = False
    broken = False
    for path in args.files:
        try:
            form = collect(path, args.lang)
        except (OSError, xml.parsers.expat.ExpatError) as e:
            print(f"{path}: error: {e}", file=sys.stderr)
            broken = True
            continue
        print(f"{path}")
        if args.lang not in form.languages:
            print(f"  does not offer {args.lang!r} (languages: "
                  f"{' '.join(form.languages)})")
            failed = True
            continue
        sentences = form.sentences
        for line, el in form.missing:
            print(f"  line {line} <{el}>: no <text lang=\"{args.lang}\">")
        if form.missing:
            failed = True
        if lang.spanish:
            failed = report_spanish(args, sentences) or failed
        else:
            failed = report_english(args, sentences) or failed
    if broken:
        return 2
    return 1 if failed else 0


def report_english(args, sentences):
    grade, n_s, n_w, n_y = summarise(sentences)
    prose_grade, p_s, p_w, _ = summarise(
        [s for s in sentences if s.element in PROSE])
    over = args.max_grade is not None and grade > args.max_grade
    print(f"  FK grade {grade:.1f}"
          f"{'  (above max ' + format(args.max_grade, 'g') + ')' if over else ''}"
          f"  [{n_s} sentences, {n_w} words, "
          f"{(n_y / n_w if n_w else 0):.2f} syllables/word]")
    print(f"  prose-only FK grade {prose_grade:.1f}  [{p_s} sentences, {p_w} words]")
    if sentences and args.top > 0:
        print(f"  hardest sentences:")
        # FK means little for a two-word label, so rank real sentences
        # (MIN_WORDS or more) first and fragments after them.
        ranked = sorted(sentences,
                        key=lambda s: (s.words < MIN_WORDS, -s.grade))
        for s in ranked[:args.top]:
            print(f"    {s.grade:5.1f}  line {s.line} <{s.element}>: {s.text}")
    return over


def report_spanish(args, sentences):
    score_of, band_of, name = FORMULAS[args.formula]

    def scores(group):
        n_w = sum(s.words for s in group)
        n_y = sum(s.syllables for s in group)
        return n_w, len(group), n_y

    n_w, n_s, n_y = scores(sentences)
    ease = score_of(n_w, n_s, n_y)
    under = args.min_ease is not None and ease < args.min_ease
    for key in ("inflesz", "fernandez-huerta"):
        f, band, label = FORMULAS[key]
        value = f(n_w, n_s, n_y)
        mark = ""
        if key == args.formula and under:
            mark = f"  (below min {args.min_ease:g})"
        print(f"  {label} {value:.1f} ({band(value)}){mark}")
    print(f"    [{n_s} sentences, {n_w} words, "
          f"{(n_y / n_w if n_w else 0):.2f} syllables/word, "
          f"{(n_w / n_s if n_s else 0):.1f} words/sentence]")
    prose = [s for s in sentences if s.element in PROSE]
    p_w, p_s, p_y = scores(prose)
    print(f"  prose-only {name} {score_of(p_w, p_s, p_y):.1f}"
          f"  [{p_s} sentences, {p_w} words]")
    if sentences and args.top > 0:
        print(f"  hardest sentences ({name}):")
        ranked = sorted(sentences,
                        key=lambda s: (s.words < MIN_WORDS,
                                       score_of(s.words, 1, s.syllables)))
        for s in ranked[:args.top]:
            print(f"    {score_of(s.words, 1, s.syllables):6.1f}  line {s.line}"
                  f" <{s.element}>: {s.text}")
    return under


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
