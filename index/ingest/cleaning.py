"""Page noise removal (sign-ups, share bars, stamps, bios, footers), keeping facts it carries."""

from __future__ import annotations

import calendar
import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from dateutil import parser as dateparser

from index.text.controls import strip_controls

# Whole-line patterns of page chrome, each with the longest line (in words) it may remove.
_NOISE = [
    (re.compile(pattern, re.I), most)
    for pattern, most in [
        (r"\b(newsletters?|inbox)\b", 15),
        (r"^(sign up|sign in|log in|subscribe|register now|join us)\b", 20),
        (r"\b(subscribe (now|today|here|to (our|the))|subscribers? only|unsubscribe)\b", 20),
        (r"^(\d+\s+)?comments?(\s*\(\d+\))?$|^no comments( yet)?\W*$", 4),
        (r"^(leave|post|add|view|show|load|read|join) (a |the |all |more )?(\d+ )?comments?\b", 8),
        (r"\b(we|this (web)?site|our site) uses? cookies\b|\bcookie (policy|settings|consent)", 60),
        (r"\baccept (all )?cookies\b|\bby continuing to (use|browse)\b", 60),
        (r"^(read more|continue reading|click here|read the full (story|article))\b", 20),
        (r"^(related|recommended|more on this|more from|you (may|might) also like|also read"
         r"|see also|read next|most (read|popular)|trending)( [\w ]{1,30})?\s*(:|$)", 40),
        (r"\ball rights reserved\b|^(©|\(c\)|copyright (©|\(c\)|\d{4}))", 30),
        (r"^(advertisement|advertising|sponsored( content)?|paid (post|content)|ad)\W*$", 3),
        (r"^(story continues below|skip advert)", 6),
        (r"^\(?(photo|photograph|image|picture|illustration|graphic)s?( credit)?\s*(:|by\b)", 25),
        (r"^\(?credit:|\bgetty images\b|\bshutterstock\b|\bap photo\b", 25),
        (r"^(published|updated|posted|last updated)(\s*:|.* ago$|.*\b\d{1,2}:\d\d\b)", 10),
        (r"^\d+ min(ute)?s? read$|^(tags?|topics?|filed under|categories)\s*:", 30),
    ]
]  # fmt: skip
_SOCIAL = set(
    "share shares sharing tweet email e-mail print facebook twitter x linkedin whatsapp reddit "
    "pinterest telegram messenger flipboard bluesky instagram youtube copy link save follow us "
    "on this article story page the via gift listen to".split()
)
_SOCIAL_CUES = {"share", "follow", "tweet", "facebook", "twitter", "linkedin", "whatsapp"}
_FEED_FOOTER = re.compile(r"^the post (.+) appeared first on (.+?)\.?$", re.I)
_NEWSLETTER = re.compile(r"^([A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*){0,2}) Newsletter$")
_WIRES = {"reuter": "Reuters", "reuters": "Reuters", "ap": "AP", "afp": "AFP", "upi": "UPI"}
_WIRE_SIGNOFF = re.compile(r"^(reuters?|ap|afp|upi)(\.{3})?$", re.I)
_FOOTNOTE = re.compile(r"[ \t]*\[\d{1,3}\]")
_SENTENCE_END = re.compile(r"[.!?:;\"'”’)…]$")
_FIELD = re.compile(r"^[^:]{1,30}: \S+( \S+){0,6}$")  # "Maturity: 2031", "Pick: UTSA"
_BREADCRUMB = re.compile(r"^[^.!?]{1,40}( [>›»|/] [^.!?]{1,40}){1,6}$")
_EDGE_LINES = 6  # edge trimming looks at most this many lines in from either end
_STAMP_LABEL = re.compile(r"^(published|updated|posted|last updated)?\s*(on|at)?\s*:?\s*", re.I)
_STAMP_WORDS = {n.lower() for n in [*calendar.month_name, *calendar.month_abbr, *calendar.day_name]}
_STAMP_WORDS |= {d.lower() for d in calendar.day_abbr} | set(
    "sept at am pm utc gmt et est edt bst cet cest pt pst pdt z t st nd rd th of".split()
)
_BIO_CUES = [
    re.compile(pattern, re.I)
    for pattern in [
        r"^(\w+ ){0,4}(is|was) an? (\w+ ){0,4}(writer|reporter|journalist|editor|correspondent"
        r"|columnist|contributor|author)\b",
        r"\bwriting agent\b|\bai agent\b",
        r"\bspeciali[sz](es|ing|ed) in\b",
        r"\b(his|her|their|its) (style|stance|audience|purpose|writing|reporting|coverage)\b",
        r"\b(he|she|they) (covers|writes|has written|has covered|joined|previously worked)\b",
        r"\bfollow (him|her|them)\b|\b(reach|contact) (him|her|them)\b|\bbefore joining\b",
    ]
]


@dataclass(frozen=True)
class Cleaned:
    """An article body with page noise removed, and the facts the noise carried."""

    body: str
    title_hint: str | None = None
    source_hint: str | None = None
    date_hint: datetime | None = None
    removed: list[str] = field(default_factory=list)


def clean_text(text: str) -> Cleaned:
    """Remove page noise line by line; the body keeps one paragraph per line."""
    hints: dict[str, Any] = {}  # facts found in noise lines; the first of each kind wins
    removed: list[str] = []
    kept: list[str] = []
    text = _unwrap(_normalise(text))
    while _FOOTNOTE.search(text):  # again, as removing "[1]" from "[[1]2]" leaves "[2]"
        text = _FOOTNOTE.sub("", text)
    for line in _paragraphs(text):
        (removed if _is_noise(line, hints) else kept).append(line)
    if kept and (m := _WIRE_SIGNOFF.match(kept[-1])):  # "REUTER" closing a wire story
        hints.setdefault("source", _WIRES[m.group(1).lower()])
        removed.append(kept.pop())
    kept = _drop_closing_bio(_trim_edges(_drop_repeats(kept, removed), removed), removed)
    body = "\n".join(_trim_edges(kept, removed))
    return Cleaned(body, hints.get("title"), hints.get("source"), hints.get("date"), removed)


def parse_date(value: object) -> datetime | None:
    """A timezone-aware UTC datetime from a date string or datetime; None when unreadable."""
    if isinstance(value, str) and len(value) < 100 and re.search(r"\d{4}", value):
        # Else only the leading run of date-like characters: feeds append junk ("...13&#5;").
        value = _try_parse(value.strip()) or _try_parse(re.match(r"[\w\s:.,/+-]*", value)[0])
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:  # sources that omit the zone are read as UTC
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def date_stamp(line: str) -> datetime | None:
    """The date of a line that is only a date stamp ("Dec.29 2025", "Updated: 5 Oct 2026")."""
    rest = _STAMP_LABEL.sub("", line.strip(), count=1)
    if not rest or len(rest) > 40 or not re.search(r"\b(19|20)\d\d\b", rest):
        return None
    words = re.findall(r"[A-Za-z]+", rest)
    if any(w.lower() not in _STAMP_WORDS for w in words):
        return None
    if not words and not re.search(r"\d[-/.]\d{1,2}[-/.]\d", rest):
        return None  # a bare number such as "2025" is not a stamp
    return parse_date(rest)


def _try_parse(text: str) -> datetime | None:
    try:
        with warnings.catch_warnings():  # unknown zone names ("ET") only warn
            warnings.simplefilter("ignore")
            return dateparser.parse(text) if text.strip() else None
    except (ValueError, OverflowError):
        return None


def _normalise(text: str) -> str:
    # Each replacement keeps or shrinks the length, so cleaning never grows a text.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = strip_controls(text)
    text = re.sub(r"[ \t]{3,}(\S+)\s*\Z", r"\n\1", text)  # "(33.7).     REUTER": a sign-off
    return re.sub("[\u200b\u200c\u200d\u2060\ufeff]", "", text)


def _unwrap(text: str) -> str:
    """Join hard-wrapped lines (newswire, e-mail) back into paragraphs."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    wrapped = _looks_wrapped(lines) if 4 <= len(lines) and max(map(len, lines)) <= 100 else False
    out: list[str] = []
    for raw in text.split("\n"):
        prev, line = (out[-1].strip() if out else ""), raw.strip()
        new_block = raw[:1].isspace() or re.match(r"([-*•#>]|\d+[.)])\s", line)
        # A lone word after a sentence end is a sign-off ("REUTER", "More"), not a wrap.
        lone = len(line.split()) <= 2 and bool(_SENTENCE_END.search(prev))
        # Anywhere, a line that opens in lower case after one without an end continues it.
        goes_on = not _SENTENCE_END.search(prev) and line[:1].islower()
        if line and prev and not new_block and (goes_on or wrapped and not lone):
            out[-1] += " " + line
        else:
            out.append(raw)
    return "\n".join(out)


def _looks_wrapped(lines: list[str]) -> bool:
    """Most lines lack a sentence end, are not short, and some next lines open in lower case."""
    open_ended = [not _SENTENCE_END.search(ln) for ln in lines]
    soft = any(end and nxt[0].islower() for end, nxt in zip(open_ended, lines[1:], strict=False))
    short = sum(len(ln) < 35 for ln in lines)
    return soft and sum(open_ended) >= len(lines) / 2 and short <= len(lines) / 2


def _paragraphs(text: str) -> list[str]:
    """Non-blank lines, whitespace collapsed; a line opening with punctuation joins the previous."""
    out: list[str] = []
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if line and out and line[0] in ".,;:" and not line.startswith("..."):
            out[-1] += line  # a removed inline link left the sentence split in two
        elif line:
            out.append(line)
    return out


def _is_noise(line: str, hints: dict[str, Any]) -> bool:
    words = line.split()
    if m := _FEED_FOOTER.match(line):
        hints.setdefault("title", m.group(1).strip())
        hints.setdefault("source", m.group(2).strip())
        return True
    if m := _NEWSLETTER.match(line):
        hints.setdefault("source", m.group(1))
    if stamp := date_stamp(line):
        hints.setdefault("date", stamp)
        return True
    if _is_social(words) or (len(words) <= 8 and _BREADCRUMB.match(line)):
        return True
    return any(len(words) <= most and rx.search(line) for rx, most in _NOISE)


def _is_social(words: list[str]) -> bool:
    """A share bar: only sharing vocabulary ("Share", "Facebook Twitter Email")."""
    if not 0 < len(words) <= 10:
        return False
    lowered = {w.strip("|·•:,").lower() for w in words} - {""}
    return lowered <= _SOCIAL and bool(_SOCIAL_CUES & lowered)


def _is_data(line: str) -> bool:
    """A short line with a figure or a "Label: value" form: a fact, even when short or repeated."""
    return len(line.split()) <= 12 and bool(re.search(r"\d", line) or _FIELD.match(line))


def _is_chrome(line: str) -> bool:
    """A short label without sentence punctuation that is not data: a menu item, a tag."""
    return len(line.split()) <= 8 and not _SENTENCE_END.search(line) and not _is_data(line)


def _drop_repeats(lines: list[str], removed: list[str]) -> list[str]:
    """Drop later copies of a repeated paragraph; short data lines may repeat."""
    seen: set[str] = set()
    kept: list[str] = []
    for line in lines:
        key = " ".join(line.lower().split())
        (removed if key in seen and not _is_data(line) else kept).append(line)
        seen.add(key)
    return kept


def _trim_edges(lines: list[str], removed: list[str]) -> list[str]:
    """Drop chrome at the end, and chrome above the headline at the start (a few lines at most)."""
    end, start = len(lines), 0
    while end > len(lines) - _EDGE_LINES and end and _is_chrome(lines[end - 1]):
        end -= 1
    if 0 < end < len(lines) and not _SENTENCE_END.search(lines[end - 1]):
        end += 1  # the first "label" ends the unfinished sentence before it
    while start < min(end - 1, _EDGE_LINES) and all(map(_is_chrome, lines[start : start + 2])):
        start += 1  # a run of labels: keep only its last line, the likely headline
    if start < end and _is_chrome(lines[start]) and len(lines[start].split()) <= 2:
        start += 1
    removed.extend(lines[:start] + lines[end:])
    return lines[start:end]


def _drop_closing_bio(lines: list[str], removed: list[str]) -> list[str]:
    """Drop up to two closing paragraphs that describe the writer rather than the news."""
    for _ in range(2):
        if not lines or len(lines[-1].split()) > 150:
            break
        if sum(1 for cue in _BIO_CUES if cue.search(lines[-1])) < 2:
            break
        removed.append(lines.pop())
    return lines
