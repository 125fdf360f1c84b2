"""Restructuring noise: fluent rewrites a machine translation round trip makes, where the
words mostly survive but the construction around them changes.

- ``possessive_of``: "Russia's battlefield success" -> "the battlefield success of
  Russia", and back: "the capital of Ukraine" -> "Ukraine's capital".
- ``clause_move``: a time adverbial moved between the end and the front of a sentence
  ("... on Tuesday." <-> "On Tuesday, ..."), a reporting clause moved between the front
  and the end ("X said that Y." <-> "Y, X said.").
- ``connective_swap``: a conjunction or preposition rendered as another that reads
  naturally where it stands ("comes as" -> "comes when", "talks about" -> "talks on").
- ``place_variant``: a place name in its other spelling (Kyiv <-> Kiev, U.S. <-> US).
- ``pronoun_name``: a sentence-initial "He", "She", "It" or "They" replaced by the name it
  most likely stands for, from the sentences before it in the same document.

Each change is one edit spanning the words it rewrites; those words (and the punctuation
inside the span) are claimed, so no other operation edits them. Every rewrite is meant to
stay grammatical: the operations decline wherever the structure is not simple.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from builder.core.edits import Edit
from builder.core.resources import read_list, read_table, read_words
from builder.noise.ops.base import Context, NoiseOp, pick
from builder.noise.ops.shared import WordTable, claim, recase, word_at, words_between
from builder.noise.ops.tables import DETERMINERS, FUNCTION_WORDS, NOT_NAMES, PRONOUNS, SAYING_VERBS, SENTENCE_STARTERS

#: Place spellings, each way: spelling -> the other.
PLACE_VARIANTS: dict[str, str] = {}
for _a, _b in read_table("noise/place_variants.tsv", str, str):
    PLACE_VARIANTS[_a] = _b
    PLACE_VARIANTS[_b] = _a
#: (word, replacement, previous, next, next but one); a condition is None for "any".
CONNECTIVES: tuple[tuple[str, str, frozenset[str] | None, frozenset[str] | None, frozenset[str] | None], ...] = tuple(
    (w, r, *(None if c == "*" else frozenset(c.split("|")) for c in conds))
    for w, r, *conds in read_table("noise/connectives.tsv", str, str, str, str, str)
)
POSSESSIVE_SKIP: frozenset[str] = read_words("noise/possessive_skip.txt")
OF_HEADS: frozenset[str] = read_words("noise/of_heads.txt")
NOT_PERSON: frozenset[str] = read_words("noise/not_person_names.txt")
TIME_ADVERBIAL = "(?i:" + "|".join(read_list("noise/time_adverbials.txt")) + ")"

_APOSTROPHES = "'’"
#: Verbs a reporting clause is made of ("Y, X said."); present "says" keeps its tense.
_REPORT_VERBS = SAYING_VERBS - {"believes", "believed", "thinks"}
_LOWERABLE = frozenset(w.lower() for w in FUNCTION_WORDS | DETERMINERS | SENTENCE_STARTERS)
#: Characters that make a sentence too complex to move its parts around.
_NOT_SIMPLE = re.compile(r"[\"“”‘()\[\];:]|(?<!\w)['’]|['’](?!\w)")


@lru_cache(maxsize=1 << 15)
def _lemmas(word: str) -> frozenset[str]:
    """The parts of speech lemminflect knows ``word`` (lower case) as; empty if none."""
    if not word.isalpha() or not word.islower():
        return frozenset()
    from lemminflect import getAllLemmas  # loads its tables on first use

    return frozenset(getAllLemmas(word))


def _is_noun(word: str) -> bool:
    return "NOUN" in _lemmas(word)


def _only_noun(word: str) -> bool:
    kinds = _lemmas(word)
    return "NOUN" in kinds and "VERB" not in kinds


def _modifier(word: str) -> bool:
    """An adjective only ("an experimental Alzheimer's drug": the possessive is inside a
    noun phrase, not its owner)."""
    kinds = _lemmas(word)
    return "ADJ" in kinds and not kinds & {"NOUN", "VERB"}


def _upper_first(s: str) -> str:
    return s[:1].upper() + s[1:]


def _plain_gap(ctx: Context, i: int) -> bool:
    """Word ``i`` and the next are in one sentence with one space between them."""
    return bool(ctx.has_next[i]) and ctx.text[ctx.ends[i] : ctx.starts[i + 1]] == " "


def _lower_first(ctx: Context, i: int, text: str) -> str:
    """``text``, which starts with word ``i``, as it reads mid-sentence: its first letter
    lowered when the word is a common word, kept when it may be a name ("Putin")."""
    w = ctx.word(i)
    if not w[0].isupper() or w.isupper() or (w[1:] and not w[1:].islower()):
        return text  # lower already, an acronym, "I" or camel case
    low = w.lower()
    if w in NOT_NAMES:
        return text  # "May", "Monday": a name or a month either way
    if low in _LOWERABLE or (_lemmas(low) and not ctx.is_name[i] and w not in _mid_sentence_names(ctx, i)):
        return low + text[len(w) :]
    return text


def _mid_sentence_names(ctx: Context, i: int) -> frozenset[str]:
    """Capitalised words standing mid-sentence in the document of word ``i``."""
    memo: dict[int, frozenset[str]] = ctx.memo.setdefault("restructure:names", {})
    d = int(ctx.doc[i])
    if d not in memo:
        words = np.flatnonzero((ctx.doc == d) & ctx.capitalised & ~ctx.initial).tolist()
        memo[d] = frozenset(ctx.word(j) for j in words)
    return memo[d]


def _take(ctx: Context, start: int, end: int, anchor: int) -> bool:
    """Claim the words in ``[start, end)`` (all free but ``anchor``, picked already) and
    the punctuation marks between them; False, with nothing claimed, if any is taken."""
    words = words_between(ctx, start, end)
    if not all(j == anchor or ctx.free(j) for j in words):
        return False
    text = ctx.text
    marks = [p for p in range(start, end) if not text[p].isalnum() and not text[p].isspace() and text[p] != "_"]
    if not claim(ctx, marks):
        return False
    ctx.taken[words.start : words.stop] = True
    return True


def _apostrophe(ctx: Context, i: int) -> str:
    """The apostrophe the document of word ``i`` writes most (curly or straight)."""
    memo: dict[int, str] = ctx.memo.setdefault("restructure:apostrophe", {})
    d = int(ctx.doc[i])
    if d not in memo:
        words = np.flatnonzero(ctx.doc == d)
        part = ctx.text[ctx.starts[words[0]] : ctx.ends[words[-1]]]
        memo[d] = "’" if part.count("’") > part.count("'") else "'"
    return memo[d]


def _shifted(mask: np.ndarray, k: int) -> np.ndarray:
    """``mask`` of the word ``k`` places on, for every word (False past the end)."""
    out = np.zeros_like(mask)
    if k < mask.size:
        out[: mask.size - k] = mask[k:]
    return out


# ---------------------------------------------------------------------------------------
# possessive_of
# ---------------------------------------------------------------------------------------

_THE = WordTable({"the"})
_OF = WordTable({"of"})
_HEADS = WordTable(OF_HEADS)
_NOT_HEAD = FUNCTION_WORDS | DETERMINERS | {"own", "only", "very", "next", "not", "no", "other", "another"}
#: Ordinals before a superlative ("Britain's second biggest bank") are never a head.
_ORDINALS = frozenset({"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"})
_CONJUNCTIONS = frozenset({"and", "or", "nor", "&"})
#: Prepositions that open a complement of the head ("Trump's push for peace"): the
#: of-phrase would come between them ("the push of Trump for peace"), so it is declined.
_COMPLEMENTS = frozenset({"of", "for", "to", "with", "against", "over", "about", "on", "from", "toward", "towards"})


class PossessiveOf(NoiseOp):
    """A possessive turned into an of-phrase, or an of-phrase into a possessive:
    "Russia's battlefield success" -> "the battlefield success of Russia", "the Kremlin's
    decision" -> "the decision of the Kremlin", "the capital of Ukraine" -> "Ukraine's
    capital".

    The possessor is a capitalised name (not a pronoun, contraction or time word, see
    ``possessive_skip.txt``); the head one or two lower-case words, the last a noun, with
    nothing but single spaces between the words. The reverse takes only heads listed in
    ``of_heads.txt``, whose possessive reads naturally, and a one-word name. The anchor
    is the possessive word, or the "the" of the of-phrase.
    """

    name = "possessive_of"

    def eligible(self, ctx: Context) -> np.ndarray:
        if ctx.n == 0:
            return np.zeros(0, dtype=bool)
        ends = ctx.word_ends
        chars = ctx.chars
        long = ctx.lengths >= 4
        s_end = np.where(long, ends - 1, 0)
        apos = np.where(long, ends - 2, 0)
        possessive = long & (chars[s_end] == ord("s")) & np.isin(chars[apos], [ord(c) for c in _APOSTROPHES])
        possessive &= ctx.capitalised & ctx.has_next
        two_on = ctx.has_next & _shifted(ctx.has_next, 1) & _shifted(ctx.has_next, 2)
        of_phrase = _THE.mask(ctx) & _shifted(_HEADS.mask(ctx), 1) & _shifted(_OF.mask(ctx), 2)
        of_phrase &= two_on & _shifted(ctx.capitalised, 3)
        return possessive | of_phrase

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        if ctx.word(i).lower() == "the":
            return self._to_possessive(ctx, i)
        return self._to_of(ctx, i)

    def _to_of(self, ctx: Context, i: int) -> Edit | None:
        w = ctx.word(i)
        base = w[:-2]
        if not base.isalpha() or base.lower() in POSSESSIVE_SKIP | PRONOUNS or base in NOT_NAMES:
            return None
        first = i  # the possessor: a run of capitalised words ending with word i
        while first > 0 and ctx.sent[first - 1] == ctx.sent[i] and _plain_gap(ctx, first - 1):
            prev = ctx.word(first - 1)
            if not (prev.isalpha() and prev[0].isupper() and (ctx.is_name[first - 1] or not ctx.initial[first - 1])):
                break
            first -= 1
        if ctx.word(first) in SENTENCE_STARTERS and first != i:
            return None
        gap = ctx.text[ctx.ends[first - 1] : ctx.starts[first]] if first > 0 else ""
        if "." in gap and ctx.sent[first - 1] == ctx.sent[i]:
            return None  # "Mr. Forsyth's": the title is part of the possessor
        det = ""
        start_word = first
        if first > 0 and ctx.sent[first - 1] == ctx.sent[i] and _plain_gap(ctx, first - 1):
            prev = ctx.word(first - 1)
            if prev.lower() == "the":
                det, start_word = "the ", first - 1
            elif (
                prev.lower() in DETERMINERS | _CONJUNCTIONS | {"of"}
                or _modifier(prev)
                or (prev[0].isupper() and not ctx.initial[first - 1])
            ):
                return None  # "his Kremlin's", "Secretary of State Rubio's", "Tom and Ann's"
        head = self._head(ctx, i)
        if head is None:
            return None
        start, end = ctx.starts[start_word], ctx.ends[head]
        owner = ctx.text[ctx.starts[first] : ctx.ends[i] - 2]
        phrase = ctx.text[ctx.starts[i + 1] : end]
        the = "The" if ctx.initial[start_word] else "the"
        after = f"{the} {phrase} of {det}{owner}"
        if not _take(ctx, start, end, i):
            return None
        return Edit(self.name, start, end, ctx.text[start:end], after)

    def _head(self, ctx: Context, i: int) -> int | None:
        """The last word of the noun phrase the possessive word ``i`` owns, or None."""
        if not _plain_gap(ctx, i):
            return None
        h1 = ctx.word(i + 1)
        kinds = _lemmas(h1)
        if h1 in _NOT_HEAD or h1 in _ORDINALS or not kinds & {"NOUN", "ADJ"}:
            return None
        last = i + 1
        if _plain_gap(ctx, last):
            h2 = ctx.word(last + 1)
            if h2 not in _NOT_HEAD and (("NOUN" not in kinds and _is_noun(h2)) or _only_noun(h2)):
                last += 1
        if "NOUN" not in _lemmas(ctx.word(last)):
            return None
        if _plain_gap(ctx, last):
            nxt = ctx.word(last + 1)
            after = _lemmas(nxt)
            noun_on = "NOUN" in after and not nxt.endswith(("s", "ed"))  # "service sector", not "remains"
            if nxt in _COMPLEMENTS or noun_on or nxt[0].isupper() or ("ADJ" in after and "VERB" not in after):
                return None  # a longer noun phrase, or a complement the of-phrase would split off
        return last

    def _to_possessive(self, ctx: Context, i: int) -> Edit | None:
        head, of, owner = i + 1, i + 2, i + 3
        if not (_plain_gap(ctx, i) and _plain_gap(ctx, head) and _plain_gap(ctx, of)):
            return None
        name = ctx.word(owner)
        if not name.isalpha() or len(name) < 2 or name.endswith("s") or name in NOT_NAMES:
            return None
        if not ctx.is_name[owner] or ctx.word(head) != ctx.word(head).lower():
            return None
        if i > 0 and ctx.sent[i - 1] == ctx.sent[i] and ctx.word(i - 1).lower() in {"all", "both", "half"}:
            return None
        end = ctx.ends[owner]
        rest = ctx.text[end : ctx.span_of(owner)[1]]
        if rest and not re.match(r"(?:[,.!?]?(?:\s|$))", rest):
            return None  # "the capital of U.S.-..." or a name running on
        if ctx.has_next[owner] and _plain_gap(ctx, owner):
            nxt = ctx.word(owner + 1)
            if nxt[0].isupper() or nxt in _CONJUNCTIONS:
                return None  # a longer name, or "the capital of Ukraine and Russia"
        start = ctx.starts[i]
        after = f"{name}{_apostrophe(ctx, i)}s {ctx.word(head)}"
        if not _take(ctx, start, end, i):
            return None
        return Edit(self.name, start, end, ctx.text[start:end], after)


# ---------------------------------------------------------------------------------------
# clause_move
# ---------------------------------------------------------------------------------------

_VERB = "(?:" + "|".join(sorted(_REPORT_VERBS)) + ")"
_END_ADVERBIAL = re.compile(rf"(?P<body>[^,]+?) (?P<adv>{TIME_ADVERBIAL})(?P<stop>\.)")
_FRONT_ADVERBIAL = re.compile(rf"(?P<adv>{TIME_ADVERBIAL}), (?P<body>[^,]+)(?P<stop>\.)")
#: "X said (on Tuesday) (that) Y." and "Y, X said (on Tuesday)."
_REPORT_FIRST = re.compile(
    rf"(?P<subj>[^,]+?) (?P<verb>{_VERB})(?P<adv> {TIME_ADVERBIAL})?(?: that)? (?P<body>[^,]+)(?P<stop>\.)"
)
_REPORT_LAST = re.compile(
    rf"(?P<body>[^,]+), (?P<subj>[^,]+?) (?P<verb>{_VERB})(?P<adv> {TIME_ADVERBIAL})?(?P<stop>\.)"
)
#: Words that make a body a subordinate structure the moved adverbial could attach to.
_CLAUSE_WORDS = frozenset(
    {"that", "which", "who", "whom", "whose", "where", "when", "while", "as", "because", "since", "after"}
    | {"before", "until", "if", "whether", "said", "says"}
)
_MAX_WORDS = 30
#: Verbs of saying whose complement is a clause even without "that".
_CLAUSE_VERBS = frozenset({"said", "says", "added"})


class ClauseMove(NoiseOp):
    """Parts of a simple sentence moved, as translation reorders them:

    - a final time adverbial to the front: "Putin visited Kursk on Wednesday." ->
      "On Wednesday, Putin visited Kursk." (phrases in ``time_adverbials.txt``);
    - a fronted one to the end: "Last week, the council voted." -> "The council voted last
      week.";
    - a reporting clause to the end: "Peskov said that officials were studying it." ->
      "Officials were studying it, Peskov said.";
    - a final reporting clause to the front: "Talks will resume, the minister said." ->
      "The minister said that talks will resume."

    Only sentences of at most 30 words ending in a full stop, with no quotes, brackets,
    semicolons and no comma but the one the structure needs; the subject of a reporting
    clause is one to five names or nouns ("Kremlin spokesman Dmitry Peskov", "the
    minister", "he"). The edit is the whole sentence; its first word is the anchor.
    """

    name = "clause_move"

    def eligible(self, ctx: Context) -> np.ndarray:
        return ctx.first & ctx.has_next

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        lo, hi = ctx.span_of(i)
        start = ctx.starts[i]
        if ctx.text[lo:start].strip() or not ctx.capitalised[i]:
            return None  # an opening quote or bracket
        sentence = ctx.text[start:hi].rstrip()
        end = start + len(sentence)
        words = words_between(ctx, start, end)
        if len(words) > _MAX_WORDS or not sentence.endswith(".") or _NOT_SIMPLE.search(sentence):
            return None
        options = [
            made for made in (m(ctx, i, sentence) for m in (_to_front, _to_end, _report_last, _report_first)) if made
        ]
        if not options:
            return None
        after = pick(options, u[0])
        if not _take(ctx, start, end, i):
            return None
        return Edit(self.name, start, end, sentence, after)


def _subject(ctx: Context, start: int, subj: str) -> str | None:
    """``subj`` (starting at ``start``) if it reads as the subject of a reporting verb:
    one to five words, names or nouns, "the" first or "of" inside allowed, or a pronoun."""
    toks = subj.split(" ")
    if not 1 <= len(toks) <= 5 or not all(t.isalpha() for t in toks):
        return None
    if len(toks) == 1 and toks[0].lower() in {"he", "she", "they", "we", "it"}:
        return subj
    for k, t in enumerate(toks):
        if k == 0 and t.lower() == "the":
            continue
        if t == "of" and 0 < k < len(toks) - 1:
            continue
        low = t.lower()
        if low in _LOWERABLE or low in POSSESSIVE_SKIP:
            return None  # "But it said", "Airbus this week announced"
        if not (t[0].isupper() or _is_noun(t)):
            return None
    if word_at(ctx, start) < 0:
        return None
    return subj


def _body_ok(body: str) -> bool:
    toks = body.split(" ")
    return len(toks) >= 3 and not any(t.lower() in _CLAUSE_WORDS for t in toks)


def _to_front(ctx: Context, i: int, sentence: str) -> str | None:
    m = _END_ADVERBIAL.fullmatch(sentence)
    if not m or not _body_ok(m["body"]) or _FRONT_ADVERBIAL.match(sentence):
        return None
    return f"{_upper_first(m['adv'])}, {_lower_first(ctx, i, m['body'])}."


def _to_end(ctx: Context, i: int, sentence: str) -> str | None:
    m = _FRONT_ADVERBIAL.fullmatch(sentence)
    if not m or not _body_ok(m["body"]):
        return None
    body_word = word_at(ctx, ctx.starts[i] + m.start("body"))
    if body_word < 0:
        return None
    adv = _lower_first(ctx, i, m["adv"])
    return f"{_upper_first(m['body'])} {adv}."


def _report_last(ctx: Context, i: int, sentence: str) -> str | None:
    """ "X said that Y." -> "Y, X said." """
    m = _REPORT_FIRST.fullmatch(sentence)
    if not m or not _subject(ctx, ctx.starts[i], m["subj"]) or len(m["body"].split(" ")) < 3:
        return None
    if m["verb"] not in _CLAUSE_VERBS and " that " not in m.group():
        return None  # "Airbus announced the first sale": an object, not a clause
    if m["body"].split(" ")[0].lower() in {"to", "that", "on", "in", "at", "it"}:
        return None  # "said to ...", a prepositional phrase, or a word order too odd to move
    subj = _lower_first(ctx, i, m["subj"])
    return f"{_upper_first(m['body'])}, {subj} {m['verb']}{m['adv'] or ''}."


def _report_first(ctx: Context, i: int, sentence: str) -> str | None:
    """ "Y, X said." -> "X said that Y." """
    m = _REPORT_LAST.fullmatch(sentence)
    if not m or not _body_ok(m["body"]):
        return None
    subj_at = ctx.starts[i] + m.start("subj")
    if not _subject(ctx, subj_at, m["subj"]):
        return None
    return f"{_upper_first(m['subj'])} {m['verb']}{m['adv'] or ''} that {_lower_first(ctx, i, m['body'])}."


# ---------------------------------------------------------------------------------------
# connective_swap
# ---------------------------------------------------------------------------------------

_CONNECTIVE_WORDS = WordTable({w for w, *_ in CONNECTIVES})
_BY_WORD: dict[str, list[tuple[str, frozenset[str] | None, frozenset[str] | None, frozenset[str] | None]]] = {}
for _w, _r, _prev, _next, _then in CONNECTIVES:
    _BY_WORD.setdefault(_w, []).append((_r, _prev, _next, _then))


class ConnectiveSwap(NoiseOp):
    """A conjunction or preposition rendered as another that reads naturally in its place:
    "comes as" -> "comes when", ", while the" -> ", whereas the", "on a tower" -> "in a
    tower", "talks about" -> "talks on", "amid" -> "during".

    ``connectives.tsv`` gives each swap with the words that must stand before and after
    it; a word whose context matches no row is declined. Case is kept.
    """

    name = "connective_swap"

    def eligible(self, ctx: Context) -> np.ndarray:
        return _CONNECTIVE_WORDS.mask(ctx) & ~ctx.is_name

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        w = ctx.word(i)
        rows = _BY_WORD.get(w.lower(), [])
        s = ctx.starts[i]
        before = ctx.text[ctx.ends[i - 1] : s] if i > 0 and ctx.sent[i - 1] == ctx.sent[i] else None
        prev = None
        if before == " ":
            prev = ctx.word(i - 1).lower()
        elif before == ", ":
            prev = ","
        nxt = ctx.word(i + 1).lower() if _plain_gap(ctx, i) else None
        then = ctx.word(i + 2).lower() if nxt is not None and _plain_gap(ctx, i + 1) else None
        fits = [
            r
            for r, p, n, t in rows
            if (p is None or prev in p) and (n is None or nxt in n) and (t is None or then in t)
        ]
        if not fits or nxt is None:
            return None
        return Edit(self.name, s, ctx.ends[i], w, recase(w, pick(fits, u[0])))


# ---------------------------------------------------------------------------------------
# place_variant
# ---------------------------------------------------------------------------------------

_PLACE_FIRST = WordTable(
    {f for p in PLACE_VARIANTS for first in [re.split(r"[\s.'’-]", p)[0].lower()] for f in (first, first + "'s")}
)
_PLACE_RE = re.compile(
    r"(?<![\w.&'’-])(?:"
    + "|".join(re.escape(p) for p in sorted(PLACE_VARIANTS, key=len, reverse=True))
    + r")(?![\w&]|\.\w)"
)


class PlaceVariant(NoiseOp):
    """A place name in its other spelling, both ways: Kyiv <-> Kiev, Kharkiv <-> Kharkov,
    Myanmar <-> Burma, U.S. <-> US (``place_variants.tsv``).

    Matched case-sensitively as whole tokens, so "US" is not "us" and "U.S." is the words
    "U" and "S" with their dots (the anchor is the first); a possessive keeps its "'s"
    (Kyiv's -> Kiev's). A dotted abbreviation ending a sentence keeps the full stop; a
    name followed by a capitalised word is left alone, as part of a longer name ("USA
    Today", "Kyiv Independent").
    """

    name = "place_variant"

    def eligible(self, ctx: Context) -> np.ndarray:
        return _PLACE_FIRST.mask(ctx) & ctx.capitalised

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        s = ctx.starts[i]
        hi = ctx.span_of(i)[1]
        m = _PLACE_RE.match(ctx.text, s, hi)
        if m is None:
            return None
        found = m.group()
        new = PLACE_VARIANTS[found]
        end = m.end()
        if re.match(r"\s+[A-Z]", ctx.text[end : end + 2]):
            return None  # part of a longer name: "USA Today", "Kyiv Independent"
        if found.endswith(".") and not new.endswith(".") and not re.search(r"\w", ctx.text[end:hi]):
            end -= 1  # "the U.S." at the end of a sentence: its dot is the full stop too
            found = found[:-1]
        elif new.endswith(".") and ctx.text.startswith(".", end):
            new = new[:-1]  # "the US." -> "the U.S."
        if not _take(ctx, s, end, i):
            return None
        return Edit(self.name, s, end, found, new)


# ---------------------------------------------------------------------------------------
# pronoun_name
# ---------------------------------------------------------------------------------------

_SUBJECT_PRONOUNS = WordTable({"he", "she", "it", "they"})
#: After "It" and "They" only verbs that read the same after a singular name, so the
#: name agrees ("They said" -> "Russia said", never "They are" -> "Russia are").
#: Modals are left out: "It could take months" and "It would be naive" are no one's words.
_AGREEING = _REPORT_VERBS - {"says", "believes", "thinks"}
_LOOK_BACK = 3  # sentences


class PronounName(NoiseOp):
    """A sentence-initial subject pronoun replaced by the name it stands for, as a
    translation resolving the reference does: "He added that ..." -> "Putin added that
    ...", "It said ..." -> "Russia said ...".

    The name is the last fitting one in the nearest of the three sentences before, in the
    same document: for "He"/"She" the last word of a run of two or more capitalised name
    words ("Kremlin spokesman Dmitry Peskov" -> "Peskov") that is no English word and no
    place or body (``not_person_names.txt``), or such a last word met alone; for
    "It"/"They" a one-word name ("the Kremlin" -> "The Kremlin"), not a person's, and
    only before a past verb of saying, so the verb still agrees and the pronoun is no
    dummy subject ("It could take months").
    With no such name the pronoun is left alone.
    """

    name = "pronoun_name"

    def eligible(self, ctx: Context) -> np.ndarray:
        if ctx.n == 0:
            return np.zeros(0, dtype=bool)
        return _SUBJECT_PRONOUNS.mask(ctx) & ctx.first & ctx.capitalised & (ctx.index_in_doc > 0) & ctx.has_next

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        w = ctx.word(i)
        if w not in ("He", "She", "It", "They") or not _plain_gap(ctx, i):
            return None
        person = w in ("He", "She")
        if not person and ctx.word(i + 1).lower() not in _AGREEING:
            return None
        name = self._antecedent(ctx, i, person)
        if name is None:
            return None
        return Edit(self.name, ctx.starts[i], ctx.ends[i], w, name)

    def _antecedent(self, ctx: Context, i: int, person: bool) -> str | None:
        bounds = ctx.memo.get("restructure:sentence_first")
        if bounds is None:
            firsts = np.searchsorted(ctx.word_starts, ctx.span_bounds[:, 0]).tolist()
            bounds = ctx.memo["restructure:sentence_first"] = [*firsts, ctx.n]
        k = ctx.sent[i]
        doc = ctx.doc[i]
        for back in range(k - 1, max(k - 1 - _LOOK_BACK, -1), -1):
            lo, hi = bounds[back], bounds[back + 1]
            if lo >= hi:
                continue
            if ctx.doc[lo] != doc:
                return None  # another document
            found = None
            for run in _name_runs(ctx, lo, hi):
                surnames = self._surnames(ctx, i, bounds)
                made = _person(ctx, run, surnames) if person else _thing(ctx, run)
                if not person and made in surnames:
                    made = None  # a person is no "It"
                if made:
                    found = made
            if found:
                return found
        return None

    def _surnames(self, ctx: Context, i: int, bounds: list[int]) -> frozenset[str]:
        """Last words of the person-like name runs in the document of word ``i`` before
        its sentence: a later "Peskov" alone is a person when "Dmitry Peskov" came first."""
        memo: dict[int, frozenset[str]] = ctx.memo.setdefault("restructure:surnames", {})
        k = ctx.sent[i]
        if k not in memo:
            doc, names, back = ctx.doc[i], set(), k - 1
            while back >= 0 and bounds[back] < bounds[back + 1] and ctx.doc[bounds[back]] == doc:
                for run in _name_runs(ctx, bounds[back], bounds[back + 1]):
                    made = _person(ctx, run, frozenset())
                    if made:
                        names.add(made)
                back -= 1
            memo[k] = frozenset(names)
        return memo[k]


def _name_runs(ctx: Context, lo: int, hi: int) -> list[list[int]]:
    """Runs of capitalised name words (single spaces between them) among words lo..hi-1."""
    runs: list[list[int]] = []
    run: list[int] = []
    for j in range(lo, hi):
        w = ctx.word(j)
        base = w[:-2] if len(w) > 2 and w[-2] in _APOSTROPHES and w[-1] == "s" else w
        ok = ctx.is_name[j] and base.isalpha() and len(base) > 1 and base[0].isupper() and base not in NOT_NAMES
        if ok and run and ctx.text[ctx.ends[j - 1] : ctx.starts[j]] == " ":
            run.append(j)
        elif ok:
            if run:
                runs.append(run)
            run = [j]
        else:
            if run:
                runs.append(run)
            run = []
        if ok and base != w:  # a possessive ends its run
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


def _base(word: str) -> str:
    return word[:-2] if len(word) > 2 and word[-2] in _APOSTROPHES and word[-1] == "s" else word


def _person(ctx: Context, run: list[int], surnames: frozenset[str]) -> str | None:
    """The name a "He"/"She" may stand for in ``run``: the last word of two or more name
    words, or a lone word known as such a last word (``surnames``); else None."""
    words = [_base(ctx.word(j)) for j in run]
    last = words[-1]
    if last in NOT_PERSON or last.isupper() or last in PLACE_VARIANTS or _lemmas(last.lower()):
        return None  # a place, a body or an English word ("BBC Radio", "the Law Lords")
    first = run[0]
    if first > 0 and ctx.sent[first - 1] == ctx.sent[first] and ctx.word(first - 1).lower() == "the":
        return None  # "the Pajama Game"
    return last if len(words) >= 2 or last in surnames else None


def _thing(ctx: Context, run: list[int]) -> str | None:
    if len(run) != 1:
        return None
    j = run[0]
    word = _base(ctx.word(j))
    if word.isupper() and len(word) < 2:
        return None
    if j > 0 and ctx.sent[j - 1] == ctx.sent[j] and ctx.word(j - 1).lower() == "the":
        return "The " + word
    return word
