"""Deals read as frames: "<company> <verb> ... <amount> ... <kind words>", in a headline or a
sentence, whatever the house style.

The wire rules (`extract`) were written from 1987 copy, one phrasing at a time. A frame needs no
phrasing of its own: a sentence's subject (the name it opens with, or the article's company when
it opens with "The company" or "It"), a verb of a deal event after it, an amount after the verb,
and the kind words nearest the amount. Verbs, kind words, the words that make a sentence talk
rather than news, and the markers of who led a deal are data (`vocab/frame_*`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from index.deals import kinds as deal_kinds
from index.deals import vocab
from index.records import Article
from index.text.money import Money, find_money

HINT_SENTENCES = 5  # opening sentences whose kind words tell a bare "raises $22M" its kind
RAISED = {"funding", "offering", "loan", "bond", "convertible"}  # kinds a "raise" verb can have
ROUND_UP = 3  # companies with sums that make an article a round-up of deals
MIN_AMOUNT = 100_000  # smaller sums in a deal sentence are prices, fees or per-share figures
# A lede that opens with a dateline: "BOSTON, Sept 16 (Meridian Wire) - ", "LONDON (Wire) -- ".
# "CHARLESTON, S.C. - ", "HAMBURG, Germany and CHICAGO - ": an all-capitals place first.
_DATELINE = re.compile(
    r"^\s*(?:(?:(?:[A-Z][A-Z.'’]{2,}[ ,]){0,3}?[A-Z][A-Z.'’]{2,}\b[^-–—:]{0,80}?"
    r"|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)\s?[-–—]{1,2}\s?"
    r"|(?:[A-Z][A-Z.'’]{2,}[ ,]){0,3}?[A-Z][A-Z.'’]{2,}:\s+)"
)
# What may stand before a round-up item's name: bullets, emoji, numbering, a rubric ("Geothermal: ")
_ITEM = re.compile(r"^[^\w\"“‘'(]*(?:\d{1,2}[.)]\s+)?(?:[A-Z][\w&/ #-]{0,28}:\s+)?")
_PRONOUN = re.compile(
    r"^\s*(?:it|they|(?:the|that|this)\s+(?:(?:[a-z][\w-]*|[A-Z][\w]*-[a-z][\w-]*)\s+){0,3}?(?:company|startup|start-up|firm|group|"
    r"business|lender|bank|insurer|maker|developer|provider|platform|operator|producer|"
    r"retailer|utility|issuer|borrower|buyer|owner|fintech|biotech|scale-up))\b",
    re.I,
)
# One word of a name: capitalised or a number, with inner dots, ampersands and hyphens
# ("Velo.ai", "Helix & Hart", "K.K.", "3M", "S.p.A."); or a lower-case joining word inside one.
_NAME_WORD = r"(?:[A-Z0-9][\w'’.&-]*|&|(?:de|du|der|van|von|of|and|la|le|y|da|do|dos)\b)"
_NAME = re.compile(rf"{_NAME_WORD}(?:\s+{_NAME_WORD})*")
_BASED = re.compile(r"(?:[A-Z][\w.-]*[\s-]){1,3}?(?:based|headquartered)\s+")
_KIND_WORDS = {"ipo", "ipos", "series", "seed", "bond", "bonds", "notes", "loan", "buyback"}
_JOINERS = {"de", "du", "der", "van", "von", "of", "and", "la", "le", "y", "da", "do", "dos", "&"}
_LEAD_WORDS = {"the", "a", "an", "its", "their"}
_BUYBACK = re.compile(r"\b(?:buy[\s-]?backs?|bought\s+back|buying\s+back|repurchas\w*)\b", re.I)
_SHARE_OF = re.compile(
    r"\s*(?:about\s+|around\s+|roughly\s+|nearly\s+|a\s+)?\d{1,3}(?:\.\d+)?\s?(?:%|per\s?cent)\s+(?:of|stake)\b",
    re.I,
)
_MIXED = re.compile(
    r"^\s*(?:in|of)\s+(?:new\s+)?(?:equity|funding|debt)\s+(?:and|&|plus)\s+(?:\w+\s+)?(?:equity|debt|loans?)\b",
    re.I,
)
_LENT = re.compile(
    r"^\W*(?:[\w-]+\s+){0,3}?(?:loans?|credit|facility)\s+(?:to|for)\s+(?:the\s+)?[A-Z]"
)
_CLOSE = 25  # characters after a second amount where its own kind words must be
_WINDOW = 80  # characters either side of an amount where its kind words count


@dataclass(frozen=True)
class Frame:
    """One deal read from one sentence: who, what kind, how much, who led it, whom it bought."""

    kind: str
    company: str
    money: Money | None
    sentence: int  # -1 is the headline
    text: str
    parties: tuple[str, ...] = ()
    target: str | None = None
    item: bool = False  # the sentence opens a list item (a bullet, a number, a rubric)


@cache
def _verbs() -> list[tuple[re.Pattern[str], str]]:
    """(pattern, event) for each verb, longest first ("buy back" before "buy")."""
    table = vocab.pairs("frame_verbs")
    return [
        (re.compile(rf"\b(?:{vocab._pattern(v)})\b", re.I), table[v])
        for v in sorted(table, key=len, reverse=True)
    ]


@cache
def _kinds() -> list[tuple[re.Pattern[str], str]]:
    table = vocab.pairs("frame_kinds")
    return [
        (re.compile(rf"(?<![\w-])(?:{vocab._pattern(k)})(?![\w-])", re.I), table[k])
        for k in sorted(table, key=len, reverse=True)
    ]


@cache
def _not_news() -> re.Pattern[str]:
    words = f"{vocab.alternation('frame_not_news')}|{vocab.alternation('no_new_money')}"
    return re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.I)


@cache
def _leads() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{vocab.alternation('frame_leads')})\s+", re.I)


@cache
def _not_size() -> re.Pattern[str]:
    words = f"{vocab.alternation('not_size_words')}|{vocab.alternation('frame_not_size')}"
    return re.compile(rf"\b(?:{words})\W+(?:\w+\W+){{0,2}}$", re.I)


@cache
def _openers() -> frozenset[str]:
    return frozenset(vocab.words("frame_openers"))


@cache
def _legal_forms() -> frozenset[str]:
    return frozenset(w.lower().rstrip(".") for w in vocab.words("legal_forms"))


def read(article: Article, sentences: list[str], lede: int = 2) -> list[Frame]:
    """The frames of the headline and of each sentence; past the first `lede` sentences a frame
    must open with its own company (a round-up's later items), not "The company"."""
    frames: list[Frame] = []
    # A headline in capitals shows no name's bounds ("DOW TO OFFER 130 MLN DLRS"): body only.
    title = article.title if re.search(r"[a-z]", article.title or "") else ""
    main = _subject(title, None)[0] if title else None
    heads = _subheads(article.body or "")
    # Past the lede, a paragraph that opens with a name of its own is an item of a round-up.
    openings = {" ".join(p.split())[:60] for p in (article.body or "").split("\n") if p.strip()}
    year = article.published_at.year if article.published_at else None
    hint = _kind_hint([title, *sentences[:HINT_SENTENCES]])
    for n, sentence in [(-1, title), *enumerate(sentences)]:
        if not sentence:
            continue
        # A sub-headline line runs into the paragraph under it when sentences are split.
        head = next((h for h in heads if sentence.startswith(h)), None)  # longest first
        parts = (
            [(head, True), (sentence[len(head) :].strip(), False)] if head else [(sentence, False)]
        )
        for text, is_head in parts:
            if text:
                found = _frames(text, n, main if n < lede else None, year, is_head, hint)
                frames.extend(f for f in found if f.company)
    # A round-up (sums raised by three companies or more): past the lede, a paragraph that opens
    # with a company's own name and a deal is one of its items.
    if len({f.company for f in frames if f.money}) >= ROUND_UP:
        frames = [
            replace(f, item=True)
            if f.sentence >= lede and (sentences[f.sentence][:60] in openings)
            else f
            for f in frames
        ]
    frames = _body_over_headline(frames)
    return [_named(f, article) for f in frames]


def _body_over_headline(frames: list[Frame]) -> list[Frame]:
    """A headline's deal that the lede tells too, in other words or another currency
    ("raises $65M" over "raised €60 million"), is the lede's: the headline frame goes, and the
    lede's frame stands as the headline's would (without the wire rules' points)."""
    told = {(f.company, f.kind) for f in frames if 0 <= f.sentence < 3 and f.money}
    headlined = {(f.company, f.kind) for f in frames if f.sentence < 0} & told
    out = []
    for f in frames:
        if f.sentence < 0 and (f.company, f.kind) in told:
            continue
        if 0 <= f.sentence < 3 and f.money and (f.company, f.kind) in headlined:
            headlined.discard((f.company, f.kind))  # the first telling only, not its parts
            f = replace(f, item=True)
        out.append(f)
    return out


def _kind_hint(texts: list[str]) -> str | None:
    """The kind of deal an article's opening words name most ("a Series A round", "the
    placing"): the kind of a "raises $22M" whose own sentence names none."""
    counts: dict[str, int] = {}
    for text in texts:
        for pattern, kind in _kinds():
            if kind != "issue" and pattern.search(text or ""):
                counts[kind] = counts.get(kind, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


def _subheads(body: str) -> list[str]:
    """Paragraphs that are a short line without a closing stop: a round-up's sub-headlines
    ("Zirkelwerk (Berlin) — €28m Series A", "Ledgerline lands $9M seed")."""
    out = []
    lines = [" ".join(line.split()) for line in body.split("\n")]
    for line, after in zip(lines, [*lines[1:], ""], strict=True):
        if line and after and len(line.split()) <= 16 and not re.search(r"[.!?:;,\"”]$", line):
            out.append(line)
    return sorted(dict.fromkeys(out), key=len, reverse=True)


def told_as_past(text: str, year: int | None) -> bool:
    """The sentence tells of an earlier year ("issued $500 million of notes in 2022")."""
    return year is not None and any(
        int(y) < year
        for y in re.findall(
            r"\b(?:in|during|since)\s+(?:early\s+|late\s+|mid-?|the\s+\w+\s+(?:half|quarter)\s+of\s+"
            r"|[A-Z][a-z]{2,8}\.?\s+(?:\d{1,2},?\s+)?)?((?:19|20)\d\d)\b",
            text,
        )
    )


def _frames(
    sentence: str,
    n: int,
    main: str | None,
    year: int | None = None,
    head: bool = False,
    hint: str | None = None,
) -> list[Frame]:
    text = _DATELINE.sub("", sentence, count=1) if n >= 0 else sentence
    bare = _ITEM.sub("", text, count=1)
    item = head or (len(bare) < len(text) and n >= 0)
    text = bare
    company, after = _subject(text, main)
    if company is None:
        return _owned(text, n, sentence, year, item)
    verb = _first_verb(text, after)
    if verb is None:
        return _nominal(text, company, after, n, sentence, year) if n < 0 or item else []
    at, end, event = verb
    rest = text[end:]
    if _not_news().search(text[: end + 200]) or told_as_past(text, year):
        return []
    if event == "buyback" and not _BUYBACK.search(text):
        event = "issue"  # "based on the authorisation of the AGM, resolved to issue shares"
    if event in {"issue", "raise"} and _SHARE_OF.match(rest):
        return []  # "sells 9% of Selvane Group": a holder's sale, no money for the company
    sizes = _sizes(rest, year)
    if event == "invest":
        return _investment(rest, sizes, company, n, sentence, item)
    parties = _parties(text)
    if event == "acquire":
        return _acquisition(rest, sizes, company, n, sentence)
    out: list[Frame] = []
    sizes = [m for m in sizes if not _MIXED.match(rest, m.end)]  # "$125M in equity and debt"
    for i, money in enumerate(sizes[:2]):
        kind = _kind_near(rest, money) or (
            ("funding" if parties else hint if hint in RAISED else None)
            if event == "raise"
            else None
        )
        if i and not _kind_after(rest, money):
            break  # a second sum is a deal only with its own kind words beside it
        if event == "buyback":  # buying back its own shares; buying back notes is no new deal
            kind = "buyback" if kind in {None, "offering", "buyback"} else None
        if kind == "loan" and _LENT.match(rest[money.end :]):
            continue  # "approved a 120 mln dlr loan for Portugal": the subject is the lender
        if kind:
            out.append(Frame(kind, company, money, n, sentence, parties, None, item))
    if not out and n < 0 and event in {"raise", "issue", "buyback"}:
        kind = _kind_near(rest, None)
        kind = "buyback" if event == "buyback" and kind == "offering" else kind
        if kind in {"offering", "buyback"} and not sizes:  # "prices its IPO", "unveils buyback"
            out.append(Frame(kind, company, None, n, sentence, parties))
    return out


def _sizes(rest: str, year: int | None) -> list[Money]:
    """The sums that can be a deal's size: the wire rules' filter (no price, conversion in
    brackets, range or history) and the frames' words before a sum (an earlier size, a total)."""
    return [m for m in deal_kinds.sizes(rest, year) if not _not_size().search(rest[: m.start])]


def _nominal(
    text: str, company: str, after: int, n: int, sentence: str, year: int | None
) -> list[Frame]:
    """A headline or sub-headline with no verb: "Zirkelwerk (Berlin) — €28m Series A"."""
    rest = text[after:]
    if _not_news().search(text) or told_as_past(text, year):
        return []
    sizes = _sizes(rest, year)
    if not sizes or not _kind_after(rest, sizes[0]):
        return []
    kind = _kind_near(rest, sizes[0], _CLOSE)
    return [Frame(kind, company, sizes[0], n, sentence, (), None, True)] if kind else []


_OWNER = re.compile(rf"({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,5}})['’]s\s+(?=\S*\d)")


def _owned(text: str, n: int, sentence: str, year: int | None, item: bool) -> list[Frame]:
    """A headline's possessive deal: "Why Kontora's €18m Series A is a bet on payments"."""
    if not (n < 0 or item) or _not_news().search(text) or told_as_past(text, year):
        return []
    m = _OWNER.search(text)
    if not m or m.group(1).split()[0] in _openers():
        return []
    sizes = _sizes(text[m.end() :], year)
    if not sizes or sizes[0].start > 2:
        return []
    rest = text[m.end() :]
    kind = _kind_near(rest, sizes[0], _CLOSE) if _kind_after(rest, sizes[0]) else None
    return [Frame(kind, m.group(1), sizes[0], n, sentence, (), None, True)] if kind else []


def _investment(
    rest: str, sizes: list[Money], investor: str, n: int, sentence: str, item: bool
) -> list[Frame]:
    """ "Auronix Motors invests $30 million in battery start-up Lithora": a round of the company
    invested in, the investor its party."""
    if not sizes:
        return []
    into = re.match(
        r"\s+in(?:to)?\s+(?:(?:[a-z][\w-]*|[A-Z][\w-]*-\w+)\s+){0,4}", rest[sizes[0].end :]
    )
    if not into:
        return []
    name = _NAME.match(rest, sizes[0].end + into.end())
    if not name or name.group().split()[0] in _openers():
        return []
    company = name.group().rstrip(",.;:")
    return [Frame("funding", company, sizes[0], n, sentence, (investor,), None, item)]


def _first_verb(text: str, after: int) -> tuple[int, int, str] | None:
    """The first deal verb after the subject (where it starts, ends, and its event)."""
    best: tuple[int, int, str] | None = None
    for pattern, event in _verbs():
        m = pattern.search(text, after)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), m.end(), event)
    return best


def _subject(text: str, main: str | None) -> tuple[str | None, int]:
    """The name a sentence opens with ("Velo.ai, the route planner, said on Tuesday it had"
    is Velo.ai) and where it ends; the article's company for "The company said it"."""
    start = len(text) - len(text.lstrip(" \"'“‘"))
    if based := _BASED.match(text, start):
        start = based.end()
    if pronoun := _PRONOUN.match(text, start):
        # "That startup, Simply Homes, has secured": the name in apposition is the subject
        named = re.match(rf",\s+({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,5}}),", text[pronoun.end() :])
        if named and named.group(1).split()[0] not in _openers():
            return named.group(1), pronoun.end() + named.end()
        return main, pronoun.end()
    m = _NAME.match(text, start)
    if not m or m.group().split()[0] in _openers():
        return None, 0
    described = re.match(r"\s+[a-z][\w-]*(?:\s+[a-z][\w-]*){0,5}\s+(?=\W?[A-Z])", text[m.end() :])
    lower = re.match(r"\s+([a-z][\w-]*)", text[m.end() :])
    if (
        lower
        and " " not in m.group()
        and lower.group(1) not in _JOINERS | set(vocab.words("subject_verbs"))
        and not _first_verb(lower.group(), 0)
    ):
        # "Italian fibre operator Veltrano Telecom sold", "Mexican officials said": a description
        if not described or set(described.group().split()) & set(vocab.words("subject_verbs")):
            return None, 0
        # "Italian fibre operator Veltrano Telecom sold": a description, then the name
        start = m.end() + described.end()
        m = _NAME.match(text, start + (text[start] in '<("“'))
        if m is None:
            return None, 0
    words = m.group().split()
    end = m.end()
    for i, word in enumerate(words[1:], 1):  # "Quillfern Analytics Secures $38 Million"
        if _first_verb(word, 0) or word.lower() in _KIND_WORDS:
            end = m.start() + m.group().find(" " + word)
            words = words[:i]
            break
    while words and (words[-1].lower() in _JOINERS or words[-1].lower() in _LEAD_WORDS):
        words.pop()
    owners = [i for i, w in enumerate(words[:-1]) if re.search(r"['’]s$", w)]
    if owners:  # "Norway's Nordkyst Energi", "São Paulo's Nuvem Crédito"
        words = words[owners[-1] + 1 :]
    name = " ".join(words).rstrip(",.;:'’")
    if re.search(r"['’]s$", name):  # "Italy's state-owned BNL", "Finland's <Kansallis>"
        return None, 0
    if not name or name.isupper() and len(name) > 5 and " " in name:  # a dateline city
        return None, 0
    return (name, end) if re.search(r"[A-Za-z]", name) else (None, 0)


def _kind_near(rest: str, money: Money | None, window: int = 0) -> str | None:
    """The kind named nearest the amount (before or after it, within _WINDOW characters);
    convertible wins over the bond or note it qualifies."""
    window = window or _WINDOW
    if money is None:
        lo, hi, centre = 0, min(len(rest), 2 * window), 0
    else:
        lo, hi, centre = max(0, money.start - window), money.end + window, money.start
    span = rest[lo:hi]
    best: tuple[int, str] | None = None
    kinds = set()
    taken: list[tuple[int, int]] = []  # "debt offering" read, the "offering" inside it is not
    for pattern, kind in _kinds():
        for m in pattern.finditer(span):
            if money is not None and money.start <= lo + m.start() < money.end:
                continue
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append(m.span())
            kinds.add(kind)
            distance = abs(lo + m.start() - centre)
            if best is None or distance < best[0]:
                best = (distance, kind)
    if best is None:
        return None
    if "convertible" in kinds and best[1] in {"bond", "issue"}:
        return "convertible"
    if best[1] == "issue":  # "a proposed offering of debentures": the other words decide
        return next((k for k in ("bond", "loan", "funding") if k in kinds), "offering")
    return best[1]


def _kind_after(rest: str, money: Money) -> bool:
    """Kind words straight after an amount: "and a $200 million revolving facility"."""
    return any(
        p.match(rest, money.end + 1) or p.search(rest[money.end : money.end + _CLOSE])
        for p, _ in _kinds()
    )


def _acquisition(rest: str, sizes: list[Money], company: str, n: int, sentence: str) -> list[Frame]:
    """ "buys Mossgate Bakeries for $1.1 billion": the buyer, the target named after the verb,
    and the price after "for"."""
    lead = re.match(
        r"\s*(?:(?:an?\s+)?(?:\d{1,3}(?:\.\d+)?\s?(?:%|per\s?cent)|majority|controlling)"
        r"(?:\s+stake)?\s+(?:of|in)\s+)?(?:(?:[a-z][\w-]*|[A-Z][\w]*-[a-z][\w-]*)\s+){0,4}(?=[A-Z])",
        rest,
    )
    target = _NAME.match(rest, lead.end()) if lead else None
    name = target.group().rstrip(",.;:") if target else None
    if not name or not name[0].isupper():
        return []
    price = next(
        (
            m
            for m in sizes
            if re.search(r"\bfor\s+(?:about\s+|around\s+|roughly\s+)?$", rest[: m.start])
        ),
        None,
    )
    # Only an acquisition with a stated price is read: without one it is news, not a deal.
    return [Frame("acquisition", company, price, n, sentence, (), name)] if price else []


def _parties(text: str) -> tuple[str, ...]:
    """Who led: the names after "led by", split at commas and "and", up to the first word that
    starts no name ("with participation from ...", "to fund ...")."""
    m = _leads().search(text)
    if not m:
        return ()
    names = []
    for part in re.split(r",\s*(?:and\s+)?|\s+and\s+", re.split(r"[;()]", text[m.end() :])[0]):
        found = _NAME.match(part.strip())
        if not found:
            break
        names.append(found.group().rstrip(",.;:"))
        if found.end() < len(part.strip()) or len(names) == 4:
            break  # the name ended inside this part: what follows is no list of names
    return tuple(names)


@cache
def _lead_subject() -> re.Pattern[str]:
    return re.compile(
        rf"({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,5}})\s+(?:{vocab.alternation('frame_lead_verbs')})"
        r"\s+(?:the|this|its)\s+(?:[\w$€£.-]+\s+){0,3}?(?:round|financing|raise|investment|deal"
        r"|facility|loan|offering)\b"
    )


def lead_parties(sentences: list[str]) -> tuple[str, ...]:
    """Who led a deal, from "led by X and Y" or "X led the round" in these sentences."""
    for sentence in sentences:
        if found := _parties(sentence):
            return found
        m = _lead_subject().search(sentence)
        if m and m.group(1).split()[0] not in _openers():
            return (m.group(1),)
    return ()


def _named(frame: Frame, article: Article) -> Frame:
    """The company by the fullest form the article gives it ("Tidewell Health" → "Tidewell
    Health Inc." when the body says so)."""
    from dataclasses import replace

    full = fullest_name(frame.company, article)
    return replace(frame, company=full) if full != frame.company else frame


_RATING = re.compile(r"^(?:AAA|AA|A|BBB|BB|B|CCC|CC|Aaa|Aa\d|Baa\d|Ba\d)[+-]?$")
_PLACE_PREFIX = re.compile(r"^(?:[A-Z][A-Z.'’]{2,}[ ,]*){1,3}(?::|\s[–—-]{1,2})\s*(?=\S)")


def tidy_company(name: str, article: Article) -> str | None:
    """A deal's company as a name: a dateline's place before it cut ("MUMBAI: Vardhan Cables"),
    and a name that is none (a place or rating in capitals, "On July 7", "New") or a fragment of
    the headline's company ("Cloud Inc" of "Aurelian Cloud Inc") replaced by the headline's
    company; None when there is none to stand in."""
    name = _PLACE_PREFIX.sub("", name).strip()
    words = name.split()
    headline = _headline_company(article)
    fragment = bool(headline) and _fragment(name, headline or "")
    not_a_name = (
        not words
        or words[0] in _openers()
        and (
            len(words) == 1
            or bool(re.match(r"\d|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)", words[1]))
        )
        or bool(_RATING.match(name))
        or len(words) > 1
        and all(w.isupper() for w in words)
        and name not in (article.title or "")
    )
    if not_a_name or fragment:
        return headline
    return name


def _headline_company(article: Article) -> str | None:
    title = article.title or ""
    if not re.search(r"[a-z]", title):
        return None
    name = _subject(title, None)[0]
    return fullest_name(name, article) if name else None


def _fragment(name: str, whole: str) -> bool:
    """A shorter tail of a name ("Cloud Inc" of "Aurelian Cloud Inc", "Payments Inc")."""
    key = lambda x: [w for w in re.findall(r"\w+", x.lower()) if w not in _legal_forms()]  # noqa: E731
    a, b = key(name), key(whole)
    return bool(a) and len(a) < len(b) and b[-len(a) :] == a


def mentions_financing(text: str) -> bool:
    """Whether a headline names a kind of deal ("Series B", "green bond", "IPO", "buyback")."""
    if any(pattern.search(text) for pattern, kind in _kinds() if kind != "issue"):
        return True
    verb = _first_verb(text, 0)
    return bool(verb and verb[2] in {"raise", "issue", "acquire"} and find_money(text[verb[1] :]))


def same_name(a: str, b: str) -> bool:
    """One name, give or take legal-form words."""
    key = lambda x: [w for w in re.findall(r"\w+", x.lower()) if w not in _legal_forms()]  # noqa: E731
    return bool(key(a)) and key(a) == key(b)


def headline_name(name: str, other: str, title: str) -> bool:
    """Whether a frame's `name` should replace the rules' `other`: the headline (one in mixed
    case, whose names show their bounds) names the first and not the second ("Tidewell Health
    lands $48 million" over the round's investors; "Halvorsen Biotherapeutics" over
    "Biotherapeutics Inc")."""
    if not re.search(r"[a-z]", title):
        return False
    key = lambda x: " ".join(re.findall(r"\w+", x.lower()))  # noqa: E731
    head = key(title)
    short = lambda x: " ".join(w for w in key(x).split() if w not in _legal_forms())  # noqa: E731
    return (
        bool(short(name))
        and f" {short(name)} " in f" {head} "
        and (f" {short(other)} " not in f" {head} " or len(short(name)) > len(short(other)))
    )


def fullest_name(name: str, article: Article) -> str:
    """The longest form of a name the article uses: the name followed by legal-form words."""
    forms = _legal_forms()
    best = name
    spelled = re.search(
        rf"((?:{_NAME_WORD})(?:[\s,]+{_NAME_WORD}){{1,7}})\s*\((?:the\s+)?[\"“]?{re.escape(name)}[\"”]?\)",
        article.body,
    )
    if spelled and spelled.group(1).split()[0] not in _openers():
        return spelled.group(1).rstrip(", ")
    for m in re.finditer(rf"\b{re.escape(name)}((?:,?\s+[A-Za-z][\w.]*)+)", article.body):
        extra = []
        for word in re.findall(r"[A-Za-z][\w.]*", m.group(1)):
            if word.lower().replace(".", "") in forms and word.lower() != "the":
                extra.append(word)
            else:
                break
        if extra:
            candidate = f"{name} {' '.join(extra)}"
            if len(candidate) > len(best):
                best = candidate
    return best
