"""Who a financing deal belongs to: the subject of a sentence, a Reuters headline, a possessive."""

from __future__ import annotations

import difflib
import re
from collections import Counter

from index.deals import vocab

_VERBS = vocab.alternation("subject_verbs")
_SUBJECT = re.compile(rf"^(?P<subj>.{{2,160}}?),?\s+(?:{_VERBS})\b")
_SEC_LIST = re.compile(r"^(?P<subj>[A-Z][^<>\n]{1,80}?)\s*<[^<>]{1,12}>\s+-\s")
_SUBSIDIARY = re.compile(
    r"\bsaid\s+(?:its\s+)?(?:wholly[- ]owned\s+|[a-z-]+\s+)?"
    r"(?:subsidiary|unit|affiliate),?\s+"
    rf"(?P<name>[A-Z][^,]{{2,80}}?),?\s+(?:{_VERBS})\b"
    r"|\bsaid\s+its\s+(?P<name2>[A-Z][^,]{2,80}?)\s+(?:subsidiary|unit)\s+"
    rf"(?:{_VERBS})\b"
    # "ComFed Savings Bank's wholly-owned subsidiary, ComFed Mortgage Co Inc,
    # said it filed..."
    r"|^[A-Z][^,]{1,80}?['’]s\s+(?:wholly[- ]owned\s+|[a-z-]+\s+)?"
    r"(?:subsidiary|unit|affiliate),\s+"
    rf"(?P<name3>[A-Z][^,]{{2,80}}?),?\s+(?:{_VERBS})\b"
)
_NAME_CONNECTORS = vocab.alternation("name_connectors")
# "A/S", "Caisse Nationale des Telecommunications"
NAME = rf"<?(?P<name>[A-Z][\w&./'-]*(?:\s+(?:[A-Z][\w&./'-]*|(?:{_NAME_CONNECTORS})\b)){{0,7}})"
# "a syndicate for Dutch chemical firm Akzo NV": the name follows its description.
_FOR_NAME = re.compile(
    r"\bfor\s+(?:the\s+)?(?:(?:[A-Z][a-z]+\s+)?(?:[a-z-]+\s+){0,3}"
    rf"(?:{vocab.alternation('company_descriptions')})\s+)?" + NAME
)
_ISSUED_BY = re.compile(rf"\b(?:issued\s+by|on\s+behalf\s+of)\s+(?:the\s+)?{NAME}")
# The bank that won a mandate arranges the deal; its client raises the money.
_MANDATE = re.compile(
    rf"\b(?:received|won|got|was\s+(?:given|awarded))\s+(?:a|the)\s+mandate"
    rf"\s+from\s+(?:the\s+)?{NAME}"
)
# Several companies saying that another one acts: underwriters announcing their client's issue.
_LIST_SAID = re.compile(
    r"[A-Z][^,;]{1,60}(?:,\s+(?:The\s+)?[A-Z][^,;]{1,60}){0,4}\s+and\s+"
    r"(?:The\s+)?[A-Z][^,;]{1,60}?\s+said\s+(?:that\s+)?(?P<name>[A-Z][^,;]"
    r"{1,80}?)\s+(?:has|have|is|are|was|will|had|plans|made|completed)\b"
)
_PROVIDED = re.compile(
    r"\bprovided\s+(?:[a-z-]+\s+)?(?P<name>[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,5})\s+with\b"
)
# "granted Finland's state-owned oil company Neste Oy <NEOY.HE> a 100 mln mark loan"
_GRANTED = re.compile(
    r"\b(?:granted|gave|lent|extended)\s+(?:[A-Z][\w.]*['’]s\s+)?(?:[a-z-]+\s+){0,4}?"
    r"(?P<name>[A-Z][\w&.'-]*(?:\s+(?:[A-Z][\w&.'-]*|of|and)){0,5})(?:\s+<[^<>]*>)?\s+an?\s"
)
_OWNED_OFFERING = re.compile(
    r"<?(?P<name>[A-Z][\w&.'-]*(?:\s+(?:[A-Z][\w&.'-]*|of|and)){0,6})['’]s>?\s+(?:proposed\s+"
    r"|planned\s+)?(?:initial\s+)?(?:public\s+)?(?:share\s+|stock\s+)?(?:offering|issue)\b"
    # "A 150 mln dlr issue of Mead Corp 30-year debentures was given a nine pct coupon"
    r"|\b(?:issue|offering)\s+of\s+<?(?P<name2>[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,5})>?\s+"
    r"(?:[\w-]+\s+){0,3}?(?:debentures|notes|bonds|common|shares|stock)\b"
)
# A company announcing another one's deal: an underwriter or a parent saying "Y was making an
# offering" or "an offering of 1.7 mln shares of Y is under way".
_SAYS_OTHERS = re.compile(
    r"\bsaid\s+(?:that\s+)?(?P<name>[A-Z][^,;]{1,80}?)\s+(?:was|is|has|had|will)\s+(?:been\s+)?"
    r"(?:making|made|make|offering|selling|sold|issuing|issued|filed|completed|launch\w*)\b"
    r"|\bsaid\s+(?:an|the|its)\s+(?:[\w-]+\s+){0,3}?(?:offering|sale|issue)\s+of\s+"
    r"(?:[\d,.]+|[a-z]+)\s+(?:mln\s+)?(?:[\w-]+\s+){0,4}?(?:shares|units)\s+of\s+(?:the\s+)?"
    + NAME.replace("name", "name2")
)
_CONNECTORS = frozenset(vocab.words("connectors"))
LEGAL_SUFFIXES = frozenset(vocab.words("legal_suffixes"))
_ABBREVIATED = LEGAL_SUFFIXES | frozenset(vocab.words("abbreviations"))
_NOT_COMPANIES = re.compile(
    rf"^(?:{vocab.alternation('not_companies')}"
    r"|the\s+\w+|a\s+\w+|in\s+.*|under\s+.*|after\s+.*|but\s+.*|and\s+.*"
    r"|lead\s+.*|co-?lead\s+.*|joint\s+.*|sole\s+.*|underwriters?\b.*|managers?\b.*"
    r"|spokes\w+.*|last\s+\w+|syndication\b.*"
    r"|moody'?s.*|standard\s+(?:and|&)\s+poor'?s?.*|.*\b(?:minister|president|chairman|secretary"
    r"|governor|spokes\w+)\b.*)$",
    re.I,
)
_ROLE = re.compile(
    r"\b(?:lead|co-?lead|sole|joint)?\s*(?:underwriters?|managers?|arrangers?)\b", re.I
)
_TICKER = re.compile(r"<([^<>]{1,80})>")
_TITLE_CUT = re.compile(
    rf"\s(?:{vocab.alternation('headline_cuts')}|{vocab.alternation('number_words')}|\d)\b.*$",
    re.I,
)
_POSSESSIVE = re.compile(r"(?<![.!?]\s)\b([A-Z][\w&-]*(?:\s+[A-Z][\w&-]*){0,2})['’]s\b")
_COMPANY_WORD = re.compile(rf"\b(?:{vocab.alternation('company_words')})\b")
_UNNAMED_UNIT = re.compile(
    r"^(?:A|An|The)\s+(?:[\w-]+\s+)?(?:unit|subsidiary|affiliate)\s+of\s+"
    rf"(?P<name>[A-Z][^,]{{2,80}}?),?\s+(?:{_VERBS})\b"
)
_BASED = re.compile(r"^(?:[A-Z][\w.]*\s+){0,2}?[A-Z][\w.]*-based\s+(?=[A-Z])")
_UNIT_OF = re.compile(
    r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}(?:unit|subsidiary|affiliate|division)"
    r"\s+of\b",
    re.I,
)
# "...eurobond for the Bank of Tokyo Ltd": a connector inside the name keeps it whole.
_CAPITAL_TAIL = re.compile(
    r"(?<=[a-z] )[A-Z][\w&.'-]*\s?"
    rf"(?:(?:{_NAME_CONNECTORS})\s+(?=[A-Z])|[A-Z][\w&.'-]*\s?)*$"
)
_LEADING = re.compile(r"^(?:[Tt]he\s+|[Aa]n?\s+(?!and\b|&))")
_PREPOSITION = re.compile(r"^.*\b(?:for|by|with|on|at|from|to|in)\s+(?=[A-Z])")


def subject(sentence: str) -> tuple[str | None, int]:
    """The company opening a sentence ("XYZ Corp said it...") and where the subject ends."""
    sentence = sentence.strip()
    if m := _UNNAMED_UNIT.match(sentence):
        return valid(m.group("name")), m.end("name")  # "A unit of Banca Nazionale del Lavoro is"
    if m := _SUBSIDIARY.search(sentence):
        group = next(g for g in ("name", "name2", "name3") if m.group(g))
        return valid(m.group(group)), m.end(group)
    m = _SEC_LIST.match(sentence) or _SUBJECT.match(sentence)
    if not m:
        return None, 0
    subj, end = m.group("subj").strip(" ,"), m.end("subj")
    said = _LIST_SAID.match(sentence, m.start("subj"))
    if said and (name := valid(said.group("name"))):
        return name, said.end("name")  # the banks of "A, B and C said D has made an offering"
    if _ROLE.search(subj):
        return None, end  # "lead manager X said": X arranged the deal, it is not the issuer
    first = subj.split(",")[0]
    head = valid(_TICKER.sub("", first))
    if head and (has_company_word(head) or _UNIT_OF.match(subj, len(first))):
        # "Seven-Up Cos, a unit of Philip Morris Cos Inc, is raising...": the unit issues.
        return head, end  # "Investors Group Inc, a unit of <Power Financial Corp>, said"
    for name in _TICKER.findall(subj):
        if not _is_ticker(name):
            return valid(name), end
    subj = _TICKER.sub("", subj)
    parts = [p.strip() for p in subj.split(",") if p.strip()]
    # An appositive names the company when the head is a description: "The state telecom
    # authority, Telecom Australia, said"; otherwise the head is the full name.
    candidates = parts if len(parts) > 1 else [subj]
    # "Southern Co's Georgia Power Co" names the unit; "Elders IXL Ltd's 100 mln note" the owner.
    candidates = [c for part in candidates for c in _possessive_split(part)]
    # A descriptor may precede the name: "holding company Nord Est", "a U.K. property company".
    candidates += [
        tail.group()
        for c in candidates
        if not valid(c)
        and (tail := _CAPITAL_TAIL.search(c))
        and not is_government_descriptor(c[: tail.start()])
    ]
    names = [n for n in map(valid, candidates) if n]
    return next((n for n in names if _COMPANY_WORD.search(n)), names[0] if names else None), end


def has_company_word(name: str) -> bool:
    """Whether a name carries a legal or business word (Corp, Inc, Bank, Group...)."""
    return bool(_COMPANY_WORD.search(name))


def _possessive_split(text: str) -> list[str]:
    head, sep, tail = text.rpartition("'s ")
    if head.endswith("People"):
        return [text]  # "People's Construction Bank of China" is one name
    # The owner may follow a preposition: "Syndication for Elders IXL Ltd's facility".
    return [tail, _PREPOSITION.sub("", head)] if sep else [text]


def governmental_subject(sentence: str) -> bool:
    """Whether a sentence opens with a government borrower ("The South Australia Government
    Financing Authority is issuing..."), so no other name should stand in for it."""
    m = _SUBJECT.match(sentence.strip())
    subj = _LEADING.sub("", _TICKER.sub("", m.group("subj"))).strip(" ,") if m else ""
    if (name := valid(subj.split(",")[0])) and has_company_word(name):
        return False  # "First Federal Savings and Loan Association of Salt Lake City"
    return bool(subj) and (is_sovereign(subj) or is_government_descriptor(subj + " of"))


def named_after(sentence: str) -> str | None:
    """A company named in the sentence as in "the eurobond for Tokyo Rope Co has been set"."""
    return next((n for m in _FOR_NAME.finditer(sentence) if (n := valid(m.group("name")))), None)


def issued_by(sentence: str) -> tuple[bool, str | None]:
    """Whether the sentence names its issuer ("bonds to be issued by X"), and that company."""
    m = _ISSUED_BY.search(sentence)
    return (True, valid(m.group("name"))) if m else (False, None)


def mandated_by(sentence: str) -> str | None:
    """The client of an arranging bank: "Merrill said it received a mandate from IEL to..."."""
    m = _MANDATE.search(sentence)
    return valid(m.group("name")) if m else None


def borrower(sentence: str, end: int | None = None) -> str | None:
    """Whom a lender's sentence names as its borrower before `end`: "provided Acme Corp with",
    "granted Finland's Neste Oy a 100 mln mark loan"."""
    m = _PROVIDED.search(sentence) or _GRANTED.search(sentence[:end])
    return valid(m.group("name")) if m else None


def raiser(sentence: str) -> str | None:
    """Who a deal sentence says raises the money: the client of a mandate the subject won, else
    the subject."""
    return (
        mandated_by(sentence)
        or announced_for(sentence)
        or subject(sentence)[0]
        or offering_owner(sentence)
    )


def announced_for(sentence: str) -> str | None:
    """The company whose deal another one announces: "Valero Energy Corp said Valero Natural Gas
    Partners L.P. was making an initial public offering" names the partnership."""
    m = _SAYS_OTHERS.search(sentence)
    name = valid(m.group("name") or m.group("name2")) if m else None
    return name if name and has_company_word(name) else None


def offering_owner(sentence: str) -> str | None:
    """The company whose offering a sentence names as a possessive: "co-managers said <Amplicon
    Inc's> initial public offering of 1,650,000 shares is under way"."""
    m = _OWNED_OFFERING.search(sentence)
    return valid(m.group("name") or m.group("name2")) if m else None


def from_title(title: str) -> str | None:
    """The company a Reuters-style headline opens with ("EATON VANCE <EAVN.O> TO BUY BACK...")."""
    if title.startswith("<") and (m := _TICKER.match(title)):
        head = m.group(1)
    else:
        head = _TITLE_CUT.sub("", " " + title.split("<", 1)[0])
    name = valid(head)
    if not name or len(name.split()) > 6:
        return None
    return name.title() if name.isupper() else name


def most_possessive(text: str) -> str | None:
    """The name an article most often writes as a possessive ("Alibaba's"), if any repeats."""
    counts = Counter(m.group(1) for m in _POSSESSIVE.finditer(text))
    for name, n in counts.most_common(3):
        if n >= 2 and (name_ok := valid(name)):
            return name_ok
    return None


def respelled(company: str, title: str, ticker: bool = True) -> str:
    """The company with a word the body misspells written as the headline writes it: "Anvet Inc"
    under "AVNET INC <AVT> FILES..." is Avnet Inc. Only under a headline with a ticker (the wire
    took the name from its company list; `ticker=False` lifts that for a name read beside the
    headline's own deal) and never a word's stem ("Australia", "AUSTRALIAN")."""
    if ticker and "<" not in title:
        return company
    # "M/A-COM" is one word; a ticker ("<POWR.O>") is no spelling of the name.
    headline = re.findall(r"[A-Z][A-Z'&/-]{3,}", _TICKER.sub(" ", title))
    words = company.split()
    for i, word in enumerate(words):
        key = word.upper()
        close = difflib.get_close_matches(key, headline, n=1, cutoff=0.8) if len(key) >= 4 else []
        if close and not (close[0].startswith(key) or key.startswith(close[0])):
            words[i] = close[0].title()
    return " ".join(words)


def valid(text: str) -> str | None:
    """The text cleaned into a company name, or None when it is not one (a role, a country)."""
    text = _TICKER.sub("", text)
    text = re.sub(r"\s+", " ", text).strip(" ,;:-'\"“”‘’")
    text = re.sub(r"['’]s$", "", text)
    # A sentence's full stop is no part of the name ("...Corp of New Zealand."); "Inc." and
    # "L.P." keep theirs.
    last = text.split()[-1] if text.split() else ""
    if re.fullmatch(r"[A-Za-z]{2,}\.", last) and last[:-1].lower() not in _ABBREVIATED:
        text = text[:-1]
    text = _BASED.sub("", text)  # "Missouri-based Interco Inc"
    text = re.sub(r"\s+-\s+[A-Z]{2,8}$", "", text)  # "Banca Nazionale del Lavoro - BNL"
    text = re.sub(r"\s+\([A-Z]{2,10}\)$", "", text)  # "Ljubljanska Banka (LBL)"
    # "Banca Nazionale del Lavoro (London branch)": a description, not part of the name.
    text = re.sub(r"\s*\((?=[^()]*\b[a-z]{3,})[^()]*\)", "", text)
    # The Federal Home Loan Banks' debt is announced by their Office of Finance.
    text = re.sub(r"^(?:[Tt]he\s+)?Office\s+of\s+Finance\s+of\s+(?:the\s+)?", "", text)
    text = _owned_unit(text)
    text = re.sub(r"\s+(?:subsidiary|unit|affiliate)$", "", text, flags=re.I)
    if text.count("(") > text.count(")"):
        text = text.split("(")[0].strip()
    # "The company" must stay whole to be recognised as a pronoun; "The Hydraulic Co" loses "The".
    text = _LEADING.sub("", text) if len(text.split()) >= 3 else text
    if not _looks_like_name(text) or is_sovereign(text):
        return None
    return text


def _owned_unit(text: str) -> str:
    """The unit of "Salomon Inc's TMC Mortgage Securities I Plc": the owner's name goes when the
    unit carries a company word of its own ("McDonald's Corp" is one name)."""
    head, sep, tail = text.partition("'s ")
    if sep and is_sovereign(head) and _looks_like_name(tail):
        return tail  # "France's Caisse Nationale des Telecommunications"
    if not sep or head.endswith("People") or not has_company_word(tail):
        return text
    legal = all(
        w.lower().strip(".") in LEGAL_SUFFIXES or _COMPANY_WORD.fullmatch(w) for w in tail.split()
    )
    return text if legal else tail


def _is_ticker(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Z0-9]{1,6}(?:\.[A-Z]{1,2})?", text.strip()))


def _looks_like_name(text: str) -> bool:
    """Capitalised words (a few connectors allowed), not a pronoun or a role."""
    words = text.split()
    # Up to 12 words: "First Federal Savings and Loan Association of Salt Lake City".
    if not words or len(words) > 12 or _NOT_COMPANIES.match(text):
        return False
    if not re.match(r"[A-Z0-9]", words[0]) or not re.search(r"[A-Za-z]{2}", text):
        return False
    if words[0][0].isdigit() and not re.match(r"\d+[A-Za-z]", words[0]):
        return False  # "350,000" is a number, "3Com" a name
    if all(w.lower() in _CONNECTORS or w.lower().strip(".") in LEGAL_SUFFIXES for w in words):
        return False
    return all(
        w[:1].isupper()
        or w[:1].isdigit()
        or w[:1] in "&("
        or w.lower() in _CONNECTORS
        or w.lower().strip(".") in LEGAL_SUFFIXES
        or re.match(r"[dl]'[A-Z]", w)
        for w in words
    )


# Governments and central banks: borrowers that are not companies, so not company deals.
_COUNTRIES = vocab.words("sovereigns")
_MULTI = frozenset(name for name in _COUNTRIES if " " in name)
# A word of a two-word name is a country alone too ("Korea" of "South Korea"), but for the words
# that name none ("new", "united").
_NAMES = frozenset(w for name in _COUNTRIES for w in name.split()) - frozenset(
    vocab.words("sovereign_name_parts")
)
_GOVERNMENT = re.compile(
    rf"^(?:the\s+)?(?:{vocab.alternation('government_openers')})\b"
    rf"|\b(?:{vocab.alternation('government_endings')})$"
    rf"|\b(?:{vocab.alternation('government_words')}"
    # A fund may be municipal by what it holds: "Colonial Municipal Income Trust".
    r"|municipal\w*(?!\s+(?:[\w-]+\s+)?(?:income|trust|fund|securities|investors?)))\b",
    re.I,
)
_DESCRIPTOR = re.compile(rf"\b(?:{vocab.alternation('government_descriptors')})\s+of\s*$", re.I)


def is_government_descriptor(text: str) -> bool:
    """Whether words before a name make it a government ("the federal state of ...")."""
    return bool(_DESCRIPTOR.search(text))


def is_sovereign(name: str) -> bool:
    """Whether a borrower's name is a country, a government body or a central bank."""
    key = " ".join(name.lower().split())
    return key in _MULTI or key in _NAMES or bool(_GOVERNMENT.search(key))
