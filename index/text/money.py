"""Money amounts in news text ("US$3.2 billion", "200 mln dlrs", "RMB 33.4 billion") as numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Word (or symbol) -> ISO 4217 code. Longer names first so "Hong Kong dlrs" wins over "dlrs".
# Retired codes (DEM, FRF, ITL...) are kept: the 1987 Reuters wire quotes marks and lire.
_NAMED = {
    r"australia(?:n)?\s+(?:dlrs?|dollars?)": "AUD",  # "75 mln Australia dlr bond"
    r"canad(?:ian|a)\s+(?:dlrs?|dollars?)": "CAD",
    r"new\s+zealand\s+(?:dlrs?|dollars?)|n\.?z\.?\s+(?:dlrs?|dollars?)": "NZD",
    r"hong\s+kong\s+(?:dlrs?|dollars?)|h\.?k\.?\s+(?:dlrs?|dollars?)": "HKD",
    r"singapore\s+(?:dlrs?|dollars?)": "SGD",
    r"taiwan(?:ese)?\s+(?:dlrs?|dollars?)": "TWD",
    r"u\.?s\.?\s+(?:dlrs?|dollars?)|(?:dlrs?|dollars?)": "USD",
    r"(?:west\s+german\s+|german\s+|deutsche\s+)?marks?|deutschemarks?|dm": "DEM",
    r"swiss\s+francs?|sfr": "CHF",
    r"french\s+francs?|ffr": "FRF",
    r"belgian\s+francs?": "BEF",
    r"luxembourg\s+francs?": "LUF",
    r"francs?": "FRF",  # bare "francs": deals.py reads a Swiss or Belgian article's own context
    r"stg|sterling|(?:british\s+)?pounds?(?:\s+sterling)?": "GBP",
    r"(?:japanese\s+)?yen": "JPY",
    r"(?:dutch\s+)?guilders?": "NLG",
    r"(?:italian\s+)?lire|lira|euro-?lire": "ITL",
    r"euro-?yen": "JPY",
    r"euro-?marks?": "DEM",
    r"euro-?sterling": "GBP",
    r"ecus?|european\s+currency\s+units?": "XEU",
    r"euros?": "EUR",
    r"yuan|renminbi|rmb": "CNY",
    r"(?:indian\s+)?rupees": "INR",
    r"danish\s+(?:crowns?|kroner|krone)": "DKK",
    r"swedish\s+(?:crowns?|kronor|krona)": "SEK",
    r"norwegian\s+(?:crowns?|kroner|krone)": "NOK",
    r"(?:spanish\s+)?pesetas": "ESP",
    r"(?:austrian\s+)?schillings": "ATS",
    r"markkaa?|finnish\s+marks": "FIM",
    r"(?:saudi\s+)?riyals": "SAR",
    r"south\s+african\s+rand": "ZAR",
}
_SYMBOLS = {
    "us$": "USD",
    "u.s.$": "USD",
    "$": "USD",
    "usd": "USD",
    "a$": "AUD",
    "c$": "CAD",
    "nz$": "NZD",
    "hk$": "HKD",
    "s$": "SGD",
    "€": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "¥": "JPY",
    "jpy": "JPY",
    "rmb": "CNY",
    "cny": "CNY",
    "dlrs": "USD",
    "dm": "DEM",
    "chf": "CHF",
    "sfr": "CHF",
    "yen": "JPY",
    "stg": "GBP",
    "hkd": "HKD",
    "r$": "BRL",
    "₹": "INR",
    "rs": "INR",
    "rs.": "INR",
    "inr": "INR",
    "sek": "SEK",
    "nok": "NOK",
    "dkk": "DKK",
    "brl": "BRL",
    "aud": "AUD",
    "cad": "CAD",
    "sgd": "SGD",
    "krw": "KRW",
    "zar": "ZAR",
    "mxn": "MXN",
    "pln": "PLN",
    "aed": "AED",
    "sar": "SAR",
    "nzd": "NZD",
}
# Scale word (lower-cased) -> multiplier, for every pattern that reads one. Each pattern lists
# the words it accepts (this module's take "tln", a reply's figures "tn"), so a word one of them
# does not accept is never looked up for it.
SCALES: dict[str, float] = {
    "trillion": 1e12,
    "tln": 1e12,
    "tn": 1e12,
    "billion": 1e9,
    "bln": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "million": 1e6,
    "mln": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "thousand": 1e3,
    "k": 1e3,
    "crore": 1e7,  # Indian English: 1 crore = 10 million, 1 lakh = 100,000
    "crores": 1e7,
    "cr": 1e7,
    "lakh": 1e5,
    "lakhs": 1e5,
}
# Numbers news text spells out, word -> value, smallest first.
NUMBER_WORDS: dict[str, int] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
# "a one hundred million German mark loan": the longer readings come first in the pattern.
_WORDS = {**{f"{w} hundred": n * 100 for w, n in NUMBER_WORDS.items() if n < 10}, **NUMBER_WORDS}
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER = rf"(?P<num>{_DIGITS})"
# Wires spell small numbers out ("five billion dlr"): only with a scale word, never alone.
_WORD_NUMBER = rf"(?P<num>{_DIGITS}|\b(?:{'|'.join(_WORDS)}))"
_SCALE_RE = (
    r"(?:[\s-]*(?P<scale>trillion|tln|billion|bln|bn|b|million|mln|mn|m|thousand|k"
    r"|crores?|cr|lakhs?)\b)?"
)
_WORD_SCALE = r"[\s-]*(?P<scale>trillion|tln|billion|bln|million|mln)\b"
_NAMES_RE = "|".join(f"(?:{p})" for p in _NAMED)
_PREFIX_RE = (
    r"US\$|U\.S\.\s?\$|NZ\$|HK\$|A\$|C\$|S\$|R\$|\$|€|£|¥|₹"
    r"|(?:USD|EUR|GBP|JPY|CNY|RMB|CHF|HKD|DM|SFR|Dlrs|Yen|Stg)\b"
    # ISO codes written against the number ("EUR350 million", "SEK 300m"), and India's "Rs"
    r"|(?:USD|EUR|GBP|JPY|CHF|SEK|NOK|DKK|INR|BRL|AUD|CAD|SGD|KRW|ZAR|MXN|PLN|AED|SAR|NZD)"
    r"(?=\s?\d)|(?<![A-Za-z])Rs\.?(?=\s?\d)"
)
_PREFIXED = re.compile(rf"(?P<cur>{_PREFIX_RE})\s?{_NUMBER}{_SCALE_RE}", re.I)
_SUFFIXED = re.compile(
    rf"(?<![\d.,]){_NUMBER}{_SCALE_RE}[\s-]*(?:of\s+)?(?P<name>{_NAMES_RE})(?![a-z])", re.I
)
# "90 mln and 58 mln Swiss francs": the first amount shares the second one's currency.
_SECOND = rf"\d[\d,.]*{_SCALE_RE.replace('scale', 's2')}"
_SHARED = re.compile(
    rf"(?<![\d.,]){_NUMBER}{_SCALE_RE}(?=\s+(?:and|or|to)\s+{_SECOND}[\s-]*"
    rf"(?P<name>{_NAMES_RE})(?![a-z]))",
    re.I,
)
_SPELLED = re.compile(
    rf"{_WORD_NUMBER}{_WORD_SCALE}[\s-]*(?:of\s+)?(?P<name>{_NAMES_RE})(?![a-z])", re.I
)
_NAMED_RES = [(re.compile(rf"(?:{p})$", re.I), code) for p, code in _NAMED.items()]
# A wire headline may drop the currency: "NORSK HYDRO EURODOLLAR BOND INCREASED TO 125 MLN".
_BARE = re.compile(
    r"\b(?P<num>\d[\d,]*(?:\.\d+)?)\s+(?P<scale>MLN|BILLION)\b"
    r"(?!\s+(?:[A-Z]+\s+)?(?:SHARES?|UNITS?|COMMON|STOCK)\b)"
)
SAME_SIZE = 0.005  # sizes within 0.5% are one size (the deal scorer's tolerance)


@dataclass(frozen=True)
class Money:
    """An amount of money found in a text, with where it was found."""

    amount: float
    currency: str
    start: int
    end: int


def currency_code(name: str) -> str | None:
    """ISO 4217 code of a currency word or symbol ("dlrs", "stg", "RMB", "US$"), or None."""
    key = " ".join(name.lower().split())
    if key in _SYMBOLS:
        return _SYMBOLS[key]
    return next((code for pattern, code in _NAMED_RES if pattern.match(key)), None)


def find_money(text: str) -> list[Money]:
    """Every money amount in a text, in order; overlapping readings keep the earliest, longest."""
    found: list[Money] = []
    for pattern in (_PREFIXED, _SUFFIXED, _SPELLED, _SHARED):
        for m in pattern.finditer(text):
            parsed = _parse(m)
            if parsed is not None:
                found.append(parsed)
    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    kept: list[Money] = []
    for money in found:
        if not kept or money.start >= kept[-1].end:
            kept.append(money)
    return kept


def same_size(amount: float, reference: float) -> bool:
    """Whether an amount is the reference's size, within SAME_SIZE of the reference."""
    return abs(amount - reference) <= SAME_SIZE * reference


def headline_amounts(title: str) -> list[float]:
    """Sizes a capitalised headline states with or without a currency ("125 MLN"), never a
    count of shares ("TWO MLN COMMON SHARES" has no digits; "1.5 MLN SHARES" is skipped)."""
    bare = [
        float(m.group("num").replace(",", "")) * SCALES[m.group("scale").lower()]
        for m in _BARE.finditer(title)
    ]
    return [m.amount for m in find_money(title)] + bare


def parse_money(text: str) -> Money | None:
    """The first money amount in a text, or None."""
    found = find_money(text)
    return found[0] if found else None


def _parse(m: re.Match[str]) -> Money | None:
    groups = m.groupdict()
    code = currency_code(groups.get("cur") or groups.get("name") or "")
    if code is None:
        return None
    num = " ".join(groups["num"].lower().split())
    value = float(_WORDS[num]) if num in _WORDS else float(num.replace(",", ""))
    scale = (groups.get("scale") or "").lower()
    # A bare "b"/"m"/"k" is only a multiplier straight after the digits ("€2bn", "$500m").
    if scale in {"b", "m", "k"} and m.group().lower().find(" " + scale) >= 0:
        scale = ""
    # Rounded to cents: "2.135 billion" is 2,135,000,000, not 2,134,999,999.9999998.
    return Money(round(value * SCALES.get(scale, 1.0), 2), code, m.start(), m.end())
