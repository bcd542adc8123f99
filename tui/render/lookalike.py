"""What a line of text reads as, seen by a person: look-alike letters, invisible characters and odd
spaces taken out, so that text can be compared with the brief's own headings.

A heading spelt with a Greek Eta (``WΗAT'S NEEDED``), Cyrillic capitals, fullwidth letters, a
zero-width joiner inside a word or a non-breaking space between words looks like the real thing
and compares unequal. `reads_as` maps both to one form, in the spirit of Unicode's confusables
skeleton (UTS #39):

* NFKC, which turns fullwidth, mathematical, circled and other compatibility forms into plain
  letters and most Unicode spaces into spaces;
* format characters (category Cf: zero-width space, joiners, soft hyphen, bidi marks) and the
  other invisible ones (variation selectors, the combining grapheme joiner) dropped, and blank
  "letters" (Hangul fillers, the blank Braille pattern) read as spaces;
* every character that Unicode's confusables.txt says looks like one ASCII letter, an apostrophe
  or a colon mapped to it: Greek, Cyrillic, Armenian, Cherokee, Lisu, Coptic and more, capitals
  and small letters, for every Latin letter rather than only those in today's headings;
* upper case, then the look-alikes again (a Cyrillic small "к" is upper-cased to "К", a "K"), and
  runs of whitespace made one space.

As in the skeleton, capital I, small l, the digit 1 and "|" are one letter (and, once upper-cased,
so is L), and 0 is O: both sides of a comparison must go through `reads_as`. The table was taken
from confusables.txt (Unicode 10.0; Unicode data, used under the Unicode License), keeping the
single-character prototypes that are ASCII letters, "'" or ":", less those NFKC already maps.
"""

from __future__ import annotations

from functools import cache

# ASCII target -> the characters that look like it (see the module's docstring).
_LOOK_ALIKES: dict[str, str] = {
    "A": "\u0391\u0410\u13aa\u15c5\ua4ee\U000102a0\U00016f40",
    "a": "\u0251\u03b1\u0430\u237a",
    "B": "\u0392\u0412\u13f4\u15f7\ua4d0\ua7b4\U00010282\U000102a1\U00010301",
    "b": "\u0184\u042c\u13cf\u15af",
    "C": "\u03f9\u0421\u13df\u2ca4\ua4da\U000102a2\U00010302\U00010415\U0001051c\U000118e9\U000118f2\U0001f74c",
    "c": "\u03f2\u0441\u1d04\u2ca5\uabaf\U0001043d",
    "D": "\u13a0\u15de\u15ea\ua4d3",
    "d": "\u0501\u13e7\u146f\ua4d2",
    "E": "\u0395\u0415\u13ac\u22ff\u2d39\ua4f0\U00010286\U000118a6\U000118ae",
    "e": "\u0435\u04bd\u212e\uab32",
    "F": "\u03dc\u15b4\ua4dd\ua798\U00010287\U000102a5\U00010525\U000118a2\U000118c2\U0001d213",
    "f": "\u017f\u0584\u1e9d\ua799\uab35",
    "G": "\u050c\u13c0\u13f3\ua4d6",
    "g": "\u018d\u0261\u0581\u1d83",
    "H": "\u0397\u041d\u13bb\u157c\u2c8e\ua4e7\U000102cf",
    "h": "\u04bb\u0570\u13c2",
    "i": "\u0131\u0269\u026a\u02db\u037a\u03b9\u0456\u04cf\u13a5\u2373\ua647\uab75\U000118c3",
    "J": "\u037f\u0408\u13ab\u148d\ua4d9\ua7b2",
    "j": "\u03f3\u0458",
    "K": "\u039a\u041a\u13e6\u16d5\u2c94\ua4d7\U00010518",
    "L": "\u13de\u14aa\u2cd0\ua4e1\U0001041b\U00010526\U000118a3\U000118b2\U00016f16\U0001d22a",
    "l": (
        "1I|\u0196\u01c0\u0399\u0406\u04c0\u05c0\u05d5\u05df\u0627\u0661\u06f1\u07ca\u16c1\u2223\u23fd\u2c92"
        "\u2d4f\ua4f2\uffe8\U0001028a\U00010309\U00010320\U00016f28\U0001e8c7"
    ),
    "M": "\u039c\u03fa\u041c\u13b7\u15f0\u16d6\u2c98\ua4df\U000102b0\U00010311",
    "N": "\u039d\u2c9a\ua4e0\U00010513",
    "n": "\u0578\u057c",
    "O": (
        "0\u039f\u041e\u0555\u07c0\u09e6\u0b20\u0b66\u12d0\u2c9e\u2d54\u3007\ua4f3\U00010292\U000102ab\U00010404"
        "\U000104c2\U00010516\U000114d0\U000118b5\U000118e0"
    ),
    "o": (
        "\u03bf\u03c3\u043e\u0585\u05e1\u0647\u0665\u06be\u06c1\u06d5\u06f5\u0966\u0a66\u0ae6\u0be6\u0c02\u0c66"
        "\u0c82\u0ce6\u0d02\u0d20\u0d66\u0d82\u0e50\u0ed0\u101d\u1040\u10ff\u1d0f\u1d11\u2c9f\uab3d\U0001042c"
        "\U000104ea\U000118c8\U000118d7"
    ),
    "P": "\u03a1\u0420\u13e2\u146d\u2ca2\ua4d1\U00010295",
    "p": "\u03c1\u0440\u2374\u2ca3",
    "Q": "\u2d55",
    "q": "\u051b\u0563\u0566",
    "R": "\u01a6\u13a1\u13d2\u1587\ua4e3\U000104b4\U00016f35\U0001d216",
    "r": "\u0433\u1d26\u2c85\uab47\uab48\uab81",
    "S": "\u0405\u054f\u13d5\u13da\ua4e2\U00010296\U00010420\U00016f3a",
    "s": "\u01bd\u0455\ua731\uabaa\U00010448\U000118c1",
    "T": "\u03a4\u0422\u13a2\u22a4\u27d9\u2ca6\ua4d4\U00010297\U000102b1\U00010315\U000118bc\U00016f0a\U0001f768",
    "U": "\u054d\u1200\u144c\u222a\u22c3\ua4f4\U000104ce\U000118b8\U00016f42",
    "u": "\u028b\u03c5\u057d\u1d1c\ua79f\uab4e\uab52\U000104f6\U000118d8",
    "V": "\u0474\u0667\u06f7\u13d9\u142f\u2d38\ua4e6\ua6df\U0001051d\U000118a0\U00016f08\U0001d20d",
    "v": "\u03bd\u0475\u05d8\u1d20\u2228\u22c1\uaba9\U00011706\U000118c0",
    "W": "\u051c\u13b3\u13d4\ua4ea\U000118e6\U000118ef",
    "w": "\u026f\u0461\u051d\u0561\u1d21\uab83\U0001170a\U0001170e\U0001170f",
    "X": (
        "\u03a7\u0425\u166d\u16b7\u2573\u2cac\u2d5d\ua4eb\ua7b3\U00010290\U000102b4\U00010317\U00010322\U00010527"
        "\U000118ec"
    ),
    "x": "\u00d7\u0445\u1541\u157d\u166e\u292b\u292c\u2a2f",
    "Y": "\u03a5\u0423\u04ae\u13a9\u13bd\u2ca8\ua4ec\U000102b2\U000118a4\U00016f43",
    "y": "\u0263\u028f\u03b3\u0443\u04af\u10e7\u1d8c\u1eff\uab5a\U000118dc",
    "Z": "\u0396\u13c3\ua4dc\U000102f5\U000118a9\U000118e5",
    "z": "\u1d22\uab93\U000118c4",
    "'": (
        "`\u00b4\u02b9\u02bb\u02bc\u02bd\u02be\u02c8\u02ca\u02cb\u02f4\u0384\u055a\u055d\u05d9\u05f3\u07f4\u07f5"
        "\u144a\u16cc\u1fbd\u1fbf\u1ffd\u1ffe\u2018\u2019\u201b\u2032\u2035\ua78c\U00016f51\U00016f52"
    ),
    ":": "\u02d0\u02f8\u0589\u05c3\u0703\u0704\u0903\u0a83\u16ec\u1803\u1809\u205a\u2236\ua4fd\ua789\ufe30",
}
# Invisible, though not format characters: variation selectors, the combining grapheme joiner,
# Khmer inherent vowels, Mongolian variation selectors.
_INVISIBLE = "\u034f\u17b4\u17b5\u180b\u180c\u180d\u180f" + "".join(map(chr, range(0xFE00, 0xFE10)))
_BLANK = "\u115f\u1160\u3164\uffa0\u2800"  # Hangul fillers and the blank Braille pattern: they show as space

# ASCII characters that read as another: I, 1 and | as l (and so L once upper-cased), 0 as O, ` as '.
_ASCII_LOOK_ALIKES = (("I", "L"), ("1", "L"), ("|", "L"), ("0", "O"), ("`", "'"))


@cache
def _table() -> dict[int, str | None]:
    """The translation table, built on first use of text beyond ASCII."""
    return {
        **{ord(char): target for target, chars in _LOOK_ALIKES.items() for char in chars},
        **{ord(char): None for char in _INVISIBLE},
        **{ord(char): " " for char in _BLANK},
    }


def _visible(text: str) -> str:
    import unicodedata  # only text beyond ASCII needs it, and it is not loaded at start-up

    text = unicodedata.normalize("NFKC", text)
    return "".join(
        char for char in text if unicodedata.category(char) != "Cf" and not 0xE0100 <= ord(char) <= 0xE01EF
    )


def reads_as(text: str) -> str:
    """`text` as a reader takes it in, in one form for comparing (see the module's docstring):
    `reads_as("WΗAT’S\u00a0NEEDED") == reads_as("What's needed")`."""
    if not text.isascii():
        table = _table()  # before NFKC too, which would take an acute accent for a space and a combining mark
        text = _visible(text.translate(table)).translate(table).upper().translate(table)
    text = text.upper()
    for char, reads in _ASCII_LOOK_ALIKES:
        text = text.replace(char, reads)
    return " ".join(text.split())


@cache
def reads_as_any(texts: frozenset[str]) -> frozenset[str]:
    """What each of `texts` reads as (a fixed set of headings: computed once)."""
    return frozenset(reads_as(text) for text in texts)
