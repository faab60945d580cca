"""Writes exchanges/pure/data/cldr_subdivisions.json: the names Unicode CLDR gives ISO
3166-2 subdivisions in French, German and Japanese, for the codes pycountry knows.

pycountry's ISO 3166-2 catalogues lack most of them (in Japanese, 67 of the United
Kingdom's 221 subdivisions), so the twinning page's region lists were partly English;
``exchanges.pure.regions`` falls back to these. The source is Debian's
``unicode-cldr-core`` package (Unicode License, exchanges/pure/data/CLDR-LICENSE.txt):

    apt-get install unicode-cldr-core
    python data/build_cldr_subdivisions.py [/usr/share/unicode/cldr]
"""

import json
import sys
import xml.etree.ElementTree as ET  # noqa: S405 (a Debian package's file, not input)
from pathlib import Path

import pycountry

LANGUAGES = ("fr", "de", "ja")
OUT = Path(__file__).resolve().parent.parent / "exchanges" / "pure" / "data" / \
    "cldr_subdivisions.json"


def names(cldr: Path, language: str, known: set[str]) -> dict[str, str]:
    tree = ET.parse(cldr / "common" / "subdivisions" / f"{language}.xml")  # noqa: S314
    found = {}
    for element in tree.iter("subdivision"):
        cldr_code = element.get("type", "")
        code = f"{cldr_code[:2]}-{cldr_code[2:]}".upper()  # "gbabe" -> "GB-ABE"
        if code in known and element.text:
            found[code] = element.text
    return found


def main() -> None:
    cldr = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode/cldr")
    known = {subdivision.code for subdivision in pycountry.subdivisions}
    data = {language: names(cldr, language, known) for language in LANGUAGES}
    OUT.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0) + "\n",
                   encoding="utf-8")
    print({language: len(found) for language, found in data.items()})


if __name__ == "__main__":
    main()
