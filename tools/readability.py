#!/usr/bin/python3
"""Readability check for consentkit form definitions.

Usage: readability.py [--max-grade N] [--top K] FORM.xml [FORM.xml ...]

For each file, collects the patient-facing text (title, summary, heading, p,
item, risk title and description, label, hint, option) and prints the
Flesch-Kincaid grade level, plus the hardest sentences. Rule reasons are for
staff and are left out.

The hardest sentences are ranked by their own FK grade, among sentences of
at least six words (shorter ones, such as labels, come last).

Every text element ends at least one sentence, so short labels and options
count as (short) sentences. The "prose" grade, printed alongside, uses only
summary, p, item and risk description, which is the running text a patient
actually reads.

Exit status: 0 when all is well; 1 when --max-grade is given and any file's
overall grade is above it; 2 for a usage error, an unreadable file or XML
that is not well-formed. Standard library only.
"""

import argparse
import re
import sys
import xml.parsers.expat

PATIENT_TEXT = {"title", "summary", "heading", "p", "item", "description",
                "label", "hint", "option"}
PROSE = {"summary", "p", "item", "description"}
MIN_WORDS = 6  # shorter sentences are ranked last among the hardest

# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = {"e.g.", "i.e.", "etc.", "dr.", "mr.", "mrs.", "ms.", "vs.",
                 "approx.", "no.", "incl."}

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


def split_sentences(text):
    """Split one text element into sentences."""
    sentences, start = [], 0
    for m in re.finditer(r"[.!?]+(?=[\"'\u201d\u2019)]*(\s|$))", text):
        end = m.end()
        tail = text[start:end].split()[-1].lower() if text[start:end].split() else ""
        if tail in ABBREVIATIONS:
            continue
        sentences.append(text[start:end].strip())
        start = end
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    # A list lead-in ending in ":" followed by more text is still one sentence.
    return [s for s in sentences if words(s)]


def fk_grade(n_words, n_sentences, n_syllables):
    if not n_words or not n_sentences:
        return 0.0
    return (0.39 * n_words / n_sentences + 11.8 * n_syllables / n_words
            - 15.59)


class Sentence:
    def __init__(self, text, element, line):
        self.text = text
        self.element = element
        self.line = line
        toks = words(text)
        self.words = len(toks)
        self.syllables = sum(syllables(t) for t in toks)
        self.grade = fk_grade(self.words, 1, self.syllables)


def collect(path):
    """Return the patient-facing sentences of one form file."""
    stack = []     # [element name, start line, text parts, collecting?]
    found = []

    def start(name, attrs):
        collecting = name in PATIENT_TEXT and not any(s[0] == "rule" for s in stack)
        stack.append([name, parser.CurrentLineNumber, [], collecting])

    def end(name):
        el, line, parts, collecting = stack.pop()
        if collecting:
            text = " ".join("".join(parts).split())
            for s in split_sentences(text):
                found.append(Sentence(s, el, line))

    def chars(data):
        if stack and stack[-1][3]:
            stack[-1][2].append(data)

    parser = xml.parsers.expat.ParserCreate("UTF-8")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    with open(path, "rb") as f:
        parser.ParseFile(f)
    return found


def summarise(sentences):
    n_w = sum(s.words for s in sentences)
    n_s = len(sentences)
    n_y = sum(s.syllables for s in sentences)
    return fk_grade(n_w, n_s, n_y), n_s, n_w, n_y


def main(argv):
    ap = argparse.ArgumentParser(
        description="Flesch-Kincaid grade of the patient-facing text of form files.")
    ap.add_argument("files", nargs="+", metavar="FORM.xml")
    ap.add_argument("--max-grade", type=float, default=None,
                    help="exit 1 if any file's grade is above this")
    ap.add_argument("--top", type=int, default=5,
                    help="how many of the hardest sentences to show (default 5)")
    args = ap.parse_args(argv)

    failed = False
    broken = False
    for path in args.files:
        try:
            sentences = collect(path)
        except (OSError, xml.parsers.expat.ExpatError) as e:
            print(f"{path}: error: {e}", file=sys.stderr)
            broken = True
            continue
        grade, n_s, n_w, n_y = summarise(sentences)
        prose_grade, p_s, p_w, _ = summarise(
            [s for s in sentences if s.element in PROSE])
        over = args.max_grade is not None and grade > args.max_grade
        failed = failed or over
        print(f"{path}")
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
    if broken:
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
