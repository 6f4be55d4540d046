"""Governments and central banks: borrowers that are not companies, so not company deals."""

from __future__ import annotations

import re

# Country names as news wires write them. Government borrowing (treasury auctions, sovereign
# loans, IMF and World Bank credits to states) is outside company financing news.
_COUNTRIES = """
afghanistan albania algeria angola argentina australia austria bahrain bangladesh belgium
benin bolivia botswana brazil bulgaria burma cameroon canada chile china colombia congo
costa rica cuba cyprus czechoslovakia denmark ecuador egypt el salvador ethiopia finland
france gabon germany west germany east germany ghana greece guatemala guinea honduras
hong kong hungary iceland india indonesia iran iraq ireland israel italy ivory coast jamaica
japan jordan kenya korea south korea north korea kuwait lebanon liberia libya luxembourg
madagascar malawi malaysia maldives mali malta mauritius mexico morocco mozambique nepal
netherlands holland new zealand nicaragua niger nigeria norway oman pakistan panama
papua new guinea paraguay peru philippines poland portugal qatar romania rwanda saudi arabia
senegal sierra leone singapore somalia south africa soviet union ussr spain sri lanka sudan
sweden switzerland syria taiwan tanzania thailand togo trinidad tunisia turkey uganda
united kingdom britain england scotland wales u.k. united states u.s. uruguay venezuela
vietnam yemen north yemen
south yemen yugoslavia zaire zambia zimbabwe comoros manila
""".splitlines()
_MULTI = {
    "costa rica", "el salvador", "west germany", "east germany", "hong kong", "ivory coast",
    "south korea", "north korea", "new zealand", "papua new guinea", "saudi arabia",
    "sierra leone", "south africa", "soviet union", "sri lanka", "united kingdom",
    "united states", "north yemen", "south yemen",
}
_PARTS = {"new", "south", "north", "west", "east", "united", "states", "kingdom", "union", "coast",
          "arabia", "rica", "salvador", "leone", "lanka", "zealand", "papua", "guinea", "sri"}
_NAMES = {w for line in _COUNTRIES for w in line.split()} - _PARTS | {"guinea"}
_GOVERNMENT = re.compile(
    # "Commonwealth Bank", "State Street" and "Republic New York" are companies; "the
    # Commonwealth of Australia" and "the State of Israel" are not.
    r"^(?:the\s+)?(?:(?:republic|kingdom|state|commonwealth|province|city|county)\s+of|government|ministry"
    r"|treasury|federal\s+reserve|fed|bundesbank|central\s+bank|reserve\s+bank|national\s+bank\s+of|bank\s+of"
    r"\s+(?:japan|england|france|canada|italy|spain)|u\.s\.\s+treasury)\b"
    r"|\b(?:government|treasury|central\s+bank|reserve\s+bank|finance\s+ministry|commission"
    r"|department|state)$"
    # A fund may be municipal by what it holds: "Colonial Municipal Income Trust".
    r"|\b(?:county|municipal\w*(?!\s+(?:[\w-]+\s+)?(?:income|trust|fund|securities|investors?))"
    r"|federal\s+state|minister|government|treasury\s+corp\w*"
    r"|public\s+authorit\w*|financing\s+authority|finance\s+agency)\b",
    re.I,
)


_DESCRIPTOR = re.compile(r"\b(?:state|province|city|government|republic|kingdom|county|municipality"
                         r"|ministry|canton|land)\s+of\s*$", re.I)


def is_government_descriptor(text: str) -> bool:
    """Whether words before a name make it a government ("the federal state of ...")."""
    return bool(_DESCRIPTOR.search(text))


def is_sovereign(name: str) -> bool:
    """Whether a borrower's name is a country, a government body or a central bank."""
    key = " ".join(name.lower().split())
    return key in _MULTI or key in _NAMES or bool(_GOVERNMENT.search(key))
