"""The dateline of a wire story: 'QUITO, Sept 4 —', 'YEREVAN, Armenia –', 'KABUL (Reuters) -'.

It names where the story was filed, not an actor of it, and it is the best guess of where
an event told without a place happened."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A place in capitals ('MEXICO CITY', 'BESHKEK'), then optionally a region in capitals or
# title case, a date ('Sept 4', 'April 6') and an agency in brackets, then a dash or colon.
_DATELINE = re.compile(
    r"""\A\s*
    (?P<place>[A-Z][A-Z'’.-]+(?:[ ][A-Z][A-Z'’.-]+){0,3})
    (?:,[ ]*(?P<region>[A-Z][A-Za-z'’.-]+(?:[ ][A-Z][A-Za-z'’.-]+){0,2}))??
    (?:,?[ ]*(?:[A-Z][a-z]{2,8}\.?[ ]\d{1,2}|\d{1,2}[ ][A-Z][a-z]{2,8}\.?))?
    (?:[ ]*\([^()\n]{1,40}\))?
    [ ]*(?:--?|—|–|:)[ ]+(?=\S)""",
    re.VERBOSE,
)
_MIN_LETTERS = 3  # 'US - ...' is no dateline


@dataclass(frozen=True)
class Dateline:
    """Where in the text the dateline is, and the place (and region) it names."""

    start: int
    end: int
    place: str
    region: str | None = None

    def covers(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


def find_dateline(text: str) -> Dateline | None:
    """The dateline at the start of ``text``, or None. Only the first line is looked at."""
    match = _DATELINE.match(text[:200])
    if match is None:
        return None
    place = match.group("place").strip(" .")
    region = match.group("region")
    if sum(c.isalpha() for c in place) < _MIN_LETTERS:
        return None
    return Dateline(start=match.start("place"), end=match.end(), place=place, region=region)
