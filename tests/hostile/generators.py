"""Hostile input, generated: injection payloads for every text field of a brief, and malformed brief
files and configs. Everything here is deterministic (no randomness), so a failure names a case that
can be run again by its label.

* `injection_payloads()`: terminal escapes, Rich/Textual markup and Markdown, alone and among words.
* `text_fields()` and `brief_with()`: every text field of the Escalation, and a complete brief (one of
  the examples) holding a payload in one of them, as TOML text a person could have written.
* `malformed_briefs()`: brief files that must be refused with one short message naming file and line
  (and a few odd but valid ones that must be accepted).
* `malformed_configs()`: config files whose every problem must be reported safely and briefly.
"""

from __future__ import annotations

import base64
import re
import tomllib
from collections.abc import Iterator
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple, get_origin

from pydantic import BaseModel

from tui.domain.annotations import peel
from tui.domain.models import Escalation

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
BASE_EXAMPLE = "api-500-acme"

# --- injection payloads ----------------------------------------------------------------------


class Payload(NamedTuple):
    name: str
    text: str


def _clipboard(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


ESC, BEL, ST = "\x1b", "\x07", "\x1b\\"

TERMINAL: tuple[Payload, ...] = (
    Payload("osc0-title-bel", f"{ESC}]0;pwned{BEL}"),
    Payload("osc0-title-st", f"{ESC}]0;pwned{ST}"),
    Payload("osc2-title-bel", f"{ESC}]2;pwned{BEL}"),
    Payload("osc2-title-st", f"{ESC}]2;pwned{ST}"),
    Payload("osc1-icon-name", f"{ESC}]1;pwned{BEL}"),
    Payload("osc52-clipboard-bel", f"{ESC}]52;c;{_clipboard('rm -rf ~')}{BEL}"),
    Payload("osc52-clipboard-st", f"{ESC}]52;c;{_clipboard('rm -rf ~')}{ST}"),
    Payload("osc52-clipboard-query", f"{ESC}]52;c;?{BEL}"),
    Payload("osc8-hyperlink", f"{ESC}]8;;https://evil.example/{ST}click me{ESC}]8;;{ST}"),
    Payload("osc8-hyperlink-bel", f"{ESC}]8;;https://evil.example/{BEL}click me{ESC}]8;;{BEL}"),
    Payload("osc10-colour-query", f"{ESC}]10;?{BEL}"),
    Payload("osc1337-iterm-file", f"{ESC}]1337;File=name=eA==;inline=1:AAAA{BEL}"),
    Payload("csi-2j-clear", f"{ESC}[2J"),
    Payload("csi-3j-scrollback", f"{ESC}[3J"),
    Payload("csi-h-home", f"{ESC}[H"),
    Payload("csi-wipe-all", f"{ESC}[2J{ESC}[3J{ESC}[H"),
    Payload("csi-sgr-colour", f"{ESC}[31;1mRED{ESC}[0m"),
    Payload("csi-hide-text", f"{ESC}[8mhidden{ESC}[28m"),
    Payload("csi-alt-screen", f"{ESC}[?1049h"),
    Payload("csi-mouse-on", f"{ESC}[?1000h{ESC}[?1006h"),
    Payload("csi-bracketed-paste-off", f"{ESC}[?2004l"),
    Payload("csi-paste-end", f"{ESC}[201~"),
    Payload("csi-device-status", f"{ESC}[6n"),
    Payload("csi-title-report", f"{ESC}[21t"),
    Payload("csi-cursor-up-erase", f"{ESC}[1A{ESC}[2K"),
    Payload("esc-c-reset", f"{ESC}c"),
    Payload("esc-charset", f"{ESC}(0lqqk{ESC}(B"),
    Payload("esc-decaln", f"{ESC}#8"),
    Payload("dcs-decrqss", f"{ESC}P$qm{ST}"),
    Payload("dcs-sixel", f"{ESC}Pq#0;2;0;0;0#0!10~{ST}"),
    Payload("apc-kitty-graphics", f"{ESC}_Gf=100,a=T;AAAA{ST}"),
    Payload("pm-privacy", f"{ESC}^private{ST}"),
    Payload("sos-string", f"{ESC}Xstring{ST}"),
    Payload("c1-csi-clear", "\x9b2J"),
    Payload("c1-csi-sgr", "\x9b31mRED\x9b0m"),
    Payload("c1-osc-title", "\x9d0;pwned\x9c"),
    Payload("c1-osc52", f"\x9d52;c;{_clipboard('rm -rf ~')}\x07"),
    Payload("c1-dcs", "\x90$qm\x9c"),
    Payload("c1-apc", "\x9fGf=100;AAAA\x9c"),
    Payload("c1-nel", "line\x85NEXT"),
    Payload("nul", "before\x00after"),
    Payload("bel", "ding\x07ding"),
    Payload("backspaces-hide-text", "rm -rf ~" + "\b" * 8 + "harmless"),
    Payload("carriage-return-overwrite", "shown to no one\rWHAT'S NEEDED"),
    Payload("crlf", "first\r\nsecond"),
    Payload("del", "del\x7fete"),
    Payload("vertical-tab-form-feed", "a\x0bb\x0cc"),
    Payload("file-separators", "a\x1cb\x1dc\x1ed\x1fe"),
    Payload("tab", "col1\tcol2"),
    Payload("bidi-rlo", "invoice\u202efdp.exe"),
    Payload("bidi-lro", "\u202dforced ltr\u202c"),
    Payload("bidi-rle-lre-pdf", "\u202bright\u202c\u202aleft\u202c"),
    Payload("bidi-isolates", "\u2066lri\u2069 \u2067rli\u2069 \u2068fsi\u2069"),
    Payload("bidi-trojan-source", "access = \u202e \u2066// admin only\u2069 \u2066 granted"),
    Payload("line-separator", "first\u2028WHAT'S NEEDED"),
    Payload("paragraph-separator", "first\u2029IMPACT"),
)

MARKUP: tuple[Payload, ...] = (
    Payload("markup-bold", "[bold]x[/bold]"),
    Payload("markup-close-all", "[/]"),
    Payload("markup-closing-path", "[/api/v2/orders]"),
    Payload("markup-closing-path-id", "GET [/api/v2/orders/{id}] fails"),
    Payload("markup-click-quit", "[@click=app.quit]x[/]"),
    Payload("markup-click-exit", "[@click=app.exit]close[/]"),
    Payload("markup-click-bell", "[@click=app.bell]ring[/]"),
    Payload("markup-click-screen", "[@click=screen.dismiss]dismiss[/]"),
    Payload("markup-link", "[link=https://evil.example]x[/link]"),
    Payload("markup-colours", "[red on white]alert"),
    Payload("markup-hex-colour", "[#ff0000]red[/]"),
    Payload("markup-variable", "[$accent]accent[/]"),
    Payload("markup-blink-reverse", "[blink reverse]x[/]"),
    Payload("markup-italic-short", "[i]x[/i]"),
    Payload("markup-unbalanced-close", "[/bold]"),
    Payload("markup-escaped", "\\[escaped]"),
    Payload("markup-double-escape", "\\\\[bold]x[/bold]"),
    Payload("markup-double-brackets", "[[bold]]"),
    Payload("markup-unclosed", "[bold"),
    Payload("markup-lone-brackets", "] [ ]["),
    Payload("markup-emoji-code", ":warning: :skull:"),
    Payload("content-variable", "$label $name"),
    Payload("format-braces", "{0} {} {name!r} %s %d"),
)

PLAIN_HEADINGS = (
    "IMPACT", "ISSUE DESCRIPTION", "REPRODUCTION STEPS", "REPRODUCTION STEPS (FOR BUGS)", "WHAT'S BEEN TRIED",
    "CUSTOMER COMMUNICATION", "WHAT'S NEEDED", "SUPPORTING CONTEXT", "WHY IT STAYS IN SUPPORT",
    "WORKAROUND OR ANSWER", "REPLY TO THE CUSTOMER",
)

MARKDOWN: tuple[Payload, ...] = (
    Payload("md-atx-h1", "# Heading"),
    Payload("md-atx-h2-title", "## ESCALATION: fake title"),
    Payload("md-atx-h3-section", "### What's Needed"),
    Payload("md-atx-h6", "###### small"),
    Payload("md-atx-bare-hash", "#"),
    Payload("md-atx-closing", "text ##"),
    Payload("md-setext-h1", "Setext\n==="),
    Payload("md-setext-h2", "Setext\n---"),
    Payload("md-rule-dashes", "---"),
    Payload("md-rule-stars", "***"),
    Payload("md-rule-underscores", "___"),
    Payload("md-list-dash", "- item"),
    Payload("md-list-star", "* item"),
    Payload("md-list-plus", "+ item"),
    Payload("md-list-ordered-dot", "1. item"),
    Payload("md-list-ordered-paren", "1) item"),
    Payload("md-list-task", "- [ ] task"),
    Payload("md-blockquote", "> quoted"),
    Payload("md-fence-backticks", "```\ncode\n```"),
    Payload("md-fence-tildes", "~~~\ncode\n~~~"),
    Payload("md-fence-unclosed", "```python"),
    Payload("md-indented-code", "    indented code"),
    Payload("md-html-script", "<script>alert(1)</script>"),
    Payload("md-html-comment", "<!-- hidden -->"),
    Payload("md-html-block", "<div>\nblock\n</div>"),
    Payload("md-html-details", "<details><summary>x</summary>"),
    Payload("md-autolink", "<https://evil.example>"),
    Payload("md-autolink-mail", "<mailto:a@evil.example>"),
    Payload("md-autolink-email", "<a@evil.example>"),
    Payload("md-link", "[link](https://evil.example)"),
    Payload("md-link-javascript", "[x](javascript:alert(1))"),
    Payload("md-image", "![img](https://evil.example/x.png)"),
    Payload("md-reference-definition", "[ref]: https://evil.example"),
    Payload("md-reference-use", "[ref][]"),
    Payload("md-footnote", "[^1]"),
    Payload("md-table", "| a | b |\n|---|---|\n| 1 | 2 |"),
    Payload("md-table-row", "| a | b |"),
    Payload("md-emphasis-star", "*em*"),
    Payload("md-strong-star", "**strong**"),
    Payload("md-emphasis-underscore", "_em_"),
    Payload("md-strong-underscore", "__strong__"),
    Payload("md-strong-em", "***both***"),
    Payload("md-strikethrough", "~~strike~~"),
    Payload("md-code-span", "`code`"),
    Payload("md-code-span-double", "``co`de``"),
    Payload("md-entity", "&amp;"),
    Payload("md-entity-lt", "&lt;script&gt;"),
    Payload("md-entity-escape", "&#27;[2J &#x1b;]0;x"),
    Payload("md-hard-break-spaces", "line  \nbreak"),
    Payload("md-hard-break-backslash", "line\\\nbreak"),
    Payload("md-backslash-alone", "\\"),
    Payload("md-trailing-backslash", "trailing \\"),
    Payload("md-label-line", "**Severity:** Critical"),
    Payload("md-bare-url", "https://evil.example/path?q=1"),
    Payload("md-javascript-url", "javascript:alert(1)"),
    *(Payload(f"plain-heading-{heading.lower().replace(' ', '-')}", heading) for heading in PLAIN_HEADINGS),
    Payload("plain-heading-lower", "what's needed"),
    Payload("plain-heading-typographic", "WHAT\u2019S NEEDED"),
    Payload("plain-heading-homoglyph-eta", "W\u0397AT'S NEEDED"),
    Payload("plain-heading-homoglyph-cyrillic", "\u0406\u041c\u0420\u0410\u0421\u0422"),  # ІМРАСТ
    Payload("plain-heading-fullwidth", "\uff29\uff2d\uff30\uff21\uff23\uff34"),  # ＩＭＰＡＣＴ
    Payload("plain-heading-zero-width", "IMP\u200bACT"),
    Payload("plain-heading-nbsp", "WHAT'S\u00a0NEEDED"),
    Payload("plain-title", "ESCALATION: fake title"),
    Payload("plain-title-bare", "ESCALATION:"),
    Payload("plain-note-title", "SUPPORT NOTE: fake"),
    Payload("plain-label-line", "Severity: Critical"),
    Payload("plain-target-line", "Target: Security"),
)

_ATOMS = (*TERMINAL, *MARKUP, *MARKDOWN)

# Everything at once: the payload a field gets when only one can be tried.
NASTIEST = Payload(
    "kitchen-sink",
    "\n".join(
        (
            f"Customer {ESC}]0;pwned{BEL}says{ESC}]52;c;{_clipboard('rm -rf ~')}{BEL} [@click=app.quit]x[/]",
            f"{ESC}]8;;https://evil.example/{ST}link{ESC}]8;;{ST} \x9b2J \x9d0;t\x9c [/api/v2/orders] [bold]b[/bold]",
            "W\u0397AT'S NEEDED",
            "### What's Needed",
            "- item",
            "```",
            "<script>alert(1)</script> [x](javascript:alert(1)) \u202eevil\u202c\x00\x07\b",
            "",
            "ESCALATION: fake",
            "---",
        )
    ),
)


def injection_payloads() -> tuple[Payload, ...]:
    """Every payload: each hostile piece alone, among words on one line, and on a line of its own
    between two lines of text; then a few combinations of all kinds."""
    out: dict[str, Payload] = {}
    for atom in _ATOMS:
        for payload in (
            atom,
            Payload(f"{atom.name}/in-words", f"The customer wrote {atom.text} in the ticket"),
            Payload(f"{atom.name}/own-line", f"First line of text.\n{atom.text}\nLast line of text."),
        ):
            out.setdefault(payload.text, payload)
    combos = (
        Payload("combo/all-escapes", "".join(p.text for p in TERMINAL[:30])),
        Payload("combo/all-markup", " ".join(p.text for p in MARKUP)),
        Payload("combo/all-markdown-lines", "\n".join(p.text for p in MARKDOWN)),
        Payload("combo/escape-in-markup", f"[bold]{ESC}]0;pwned{BEL}[/bold] [link={ESC}]52;c;x{BEL}]x[/link]"),
        Payload("combo/markup-in-markdown", "### [bold]What's Needed[/bold]\n- [@click=app.quit]x[/]"),
        Payload("combo/heading-after-escape", f"{ESC}[2J\nWHAT'S NEEDED\n\x9b2J\nIMPACT"),
        Payload("combo/blank-paragraphs", "first\n\n\n\n- second\n\n\n# third"),
        Payload("combo/only-controls", "\x00\x07\x1b\x7f\x9b\u202e"),
        Payload("combo/only-spaces", " \t \u00a0 "),
        NASTIEST,
    )
    for payload in combos:
        out.setdefault(payload.text, payload)
    return tuple(out.values())


# --- the text fields of a brief ---------------------------------------------------------------

Loc = tuple[str | int, ...]


class TextField(NamedTuple):
    loc: Loc  # where in the brief's TOML data: ("tried", 0, "action")
    kind: str  # "line", "block" (several lines kept), "item" (of a list of text), "free" (the hand-edited brief)

    @property
    def name(self) -> str:
        return ".".join(str(part) for part in self.loc)


_BLOCK_FIELDS = {("problem", "description")}  # the only multi-line field the renderers keep as lines
_FREE_FIELDS = {("edited_brief",)}  # Markdown the agent wrote on purpose: printed as written


def _is_list(annotation: Any) -> bool:
    return get_origin(peel(annotation)) in (list, tuple)


def _walk(model: type[BaseModel], prefix: Loc) -> Iterator[TextField]:
    for name, info in model.model_fields.items():
        loc = (*prefix, name)
        inner, listed = peel(info.annotation, containers=True), _is_list(info.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            yield from _walk(inner, (*loc, 0) if listed else loc)
        elif inner is str and listed:
            yield TextField((*loc, 0), "item")
        elif inner is str:
            yield TextField(loc, "block" if loc in _BLOCK_FIELDS else "free" if loc in _FREE_FIELDS else "line")


@cache
def text_fields() -> tuple[TextField, ...]:
    """Every text field of the Escalation: plain values, the description, items of lists of text,
    the fields of the first record of a list of records, the override reasons, the edited brief."""
    return tuple(_walk(Escalation, ()))


class Base(NamedTuple):
    name: str
    data: dict[str, Any]


@cache
def _example_data(name: str) -> dict[str, Any]:
    return tomllib.loads((EXAMPLES / f"{name}.toml").read_text(encoding="utf-8"))


def _support_note_data() -> dict[str, Any]:
    """The base example turned into a case that stays in support (a how-to with a documented answer):
    the support note, not the escalation brief, is rendered from it."""
    data = _copy(_example_data(BASE_EXAMPLE))
    data["problem"].update(nature="how_to", bug_confirmed=False)
    data["flags"] = {name: False for name in data["flags"]} | {"documented_workaround": True}
    data["customer"].update(arr=12000, key_account=False, segment="Self-serve")
    data["breadth"].update(customer_count=1, user_count=1, whole_segment=False, growing=False)
    data["depth"]["level"] = "inconvenienced"
    data["revenue"]["arr_at_risk"] = 0
    data["reputation"].update(public_risk=False, reference_customer=False)
    data["contract"]["sla_status"] = "within"
    data["timeline"]["customer_waiting_since"] = data["communication"]["last_update"]
    return data


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


@cache
def bases() -> tuple[Base, ...]:
    """The complete briefs the payloads are put into: an escalation (the API example) and the same
    case as one that stays in support, so both the brief and the support note are rendered."""
    return (Base("escalation", _example_data(BASE_EXAMPLE)), Base("support-note", _support_note_data()))


def _put(data: dict[str, Any], loc: Loc, value: str) -> None:
    """Set `value` at `loc`, creating what is missing (an empty list, an override table)."""
    owner: Any = data
    for position, part in enumerate(loc[:-1]):
        following = loc[position + 1]
        if isinstance(owner, list):
            while len(owner) <= int(part):
                owner.append({} if isinstance(following, str) else [])
            owner = owner[int(part)]
            continue
        if part not in owner:
            owner[part] = [] if isinstance(following, int) else {}
            if part == "severity_override":
                owner[part] = {"value": "critical"}
            elif part == "target_override":
                owner[part] = {"value": "security"}
        owner = owner[part]
    last = loc[-1]
    if isinstance(owner, list):
        while len(owner) <= int(last):
            owner.append("")
        owner[int(last)] = value
    else:
        owner[last] = value


def brief_with(field: TextField, value: str, base: Base | None = None) -> str:
    """A complete brief, as TOML text, with `value` in `field` (control characters written as TOML
    escapes, as a person or a script would have to)."""
    data = _copy((base or bases()[0]).data)
    _put(data, field.loc, value)
    return toml_text(data)


def toml_text(data: dict[str, Any]) -> str:
    """`data` (a brief's shape: values, tables, arrays of tables) as TOML. Written here rather than by
    tomlkit, which takes longer than the commands the suite runs on the file."""
    lines = [f"{key} = {_toml_value(value)}" for key, value in data.items() if not isinstance(value, dict | list)
             or (isinstance(value, list) and not any(isinstance(item, dict) for item in value))]
    for key, value in data.items():
        if isinstance(value, dict):
            lines += ["", f"[{key}]", *(f"{name} = {_toml_value(item)}" for name, item in value.items())]
        elif isinstance(value, list) and any(isinstance(item, dict) for item in value):
            for item in value:
                lines += ["", f"[[{key}]]", *(f"{name} = {_toml_value(inner)}" for name, inner in item.items())]
    return "\n".join(lines) + "\n"


_TOML_SPECIAL = re.compile(r'["\\\x00-\x1f\x7f-\x9f]')
_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        return '"' + _TOML_SPECIAL.sub(_toml_char, value) + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {_toml_value(item)}" for key, item in value.items()) + " }"
    if isinstance(value, int | float):
        return repr(value)
    return value.isoformat()  # a date or a date-time


def _toml_char(match: re.Match[str]) -> str:
    char = match.group()
    return _TOML_ESCAPES.get(char) or f"\\u{ord(char):04x}"


def stored_form(value: str) -> str:
    """`value` as a brief keeps it: line breaks as LF, no control character but tab and LF, no bidi
    override (the model's promise, written down independently here)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(char for char in value if not _unsafe(char))


def _unsafe(char: str) -> bool:
    code = ord(char)
    if char in "\t\n":
        return False
    return code < 0x20 or 0x7F <= code <= 0x9F or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069


_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def has_content(text: str) -> bool:
    """Whether `text` shows anything once control characters, bidi overrides and spaces are gone."""
    return any(not char.isspace() and not _unsafe(char) and char not in _INVISIBLE for char in text)


def harmless_twin(field: TextField, payload: str) -> str:
    """A harmless value of the same shape as `payload` in `field`: plain words where it has text,
    nothing where it has none, and (in a multi-line field) the same blank lines between its lines."""
    stored = stored_form(payload)
    if field.kind in ("block", "free"):
        return "\n".join("plain words" if has_content(line) else "" for line in stored.splitlines())
    return "plain words" if has_content(stored) else ""


# --- one brief hostile everywhere -------------------------------------------------------------

CLIPBOARD = f"{ESC}]52;c;{_clipboard('rm -rf ~')}{BEL}"
# On the first screen: the status line (customer and summary), the summary and description fields.
HOSTILE_CUSTOMER = f"[@click=app.quit]CLICKME[/] [bold]Acme[/bold]{ESC}]0;pwned{BEL}"
HOSTILE_SUMMARY = f"GET [/api/v2/orders] fails [/]{ESC}[2J\x9b2J"
HOSTILE_DESCRIPTION = (
    "[/api/v2/orders] crashes\n[@click=app.quit]quit[/]\n[link=https://evil.example]x[/link]\n"
    f"{ESC}]8;;https://evil.example/{ST}link{ESC}]8;;{ST} {CLIPBOARD}\n\u202eright to left\u202c\nW\u0397AT'S NEEDED"
)
_HOSTILE_OTHERS = (
    "[bold]x[/bold]", "[/]", "[@click=app.quit]x[/]", "[link=https://evil.example]x[/link]", "[red on white]alert",
    "\\[escaped]", f"{ESC}]0;pwned{BEL}", CLIPBOARD, f"{ESC}]8;;https://evil.example/{ST}x{ESC}]8;;{ST}",
    f"{ESC}[2J{ESC}[3J{ESC}[H", "\x9b2J \x9d0;pwned\x9c", "\u202eevil\u202c \u2066x\u2069", ":warning: $accent {0}",
    f"{ESC}P$qm{ST} {ESC}_Gf=100;AAAA{ST} {ESC}c",
)


def hostile_brief_data() -> dict[str, Any]:
    """The API example with escapes and markup in every text field (the edited brief left unset: it
    would replace the brief the app generates), for the app's screens and the real terminal."""
    data = _copy(bases()[0].data)
    chosen = {("customer", "name"): HOSTILE_CUSTOMER, ("summary",): HOSTILE_SUMMARY,
              ("problem", "description"): HOSTILE_DESCRIPTION}
    fields = [field for field in text_fields() if field.kind != "free"]
    for index, field in enumerate(fields):
        _put(data, field.loc, chosen.get(field.loc, f"{_HOSTILE_OTHERS[index % len(_HOSTILE_OTHERS)]} {field.name}"))
    return data


# --- malformed brief files --------------------------------------------------------------------


class Malformed(NamedTuple):
    label: str
    data: bytes | None  # None: not a file (see `kind`)
    kind: str = "file"  # "file", "dir" (a folder where the file should be) or "missing"
    name: str = "brief.toml"
    line: int | None = None  # the line a message must name, when it is known
    expect: str = "error"  # "error" (exit 2), "valid" (read as a brief) or "either" (but never a crash)
    reads_as_summary: bool = False  # the app takes this argument as a summary, not a file
    heavy: bool = False  # megabytes of input, or tens of thousands of problems: seconds to refuse


def _base_text() -> str:
    return (EXAMPLES / f"{BASE_EXAMPLE}.toml").read_text(encoding="utf-8")


def _leaf_types(model: type[BaseModel], prefix: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    """Every scalar field (and every list of scalars) of the model, with its type."""
    for name, info in model.model_fields.items():
        loc = (*prefix, name)
        inner = peel(info.annotation, containers=True)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            yield from _leaf_types(inner, (*loc, 0) if _is_list(info.annotation) else loc)
        elif _is_list(info.annotation):
            yield loc, list
        else:
            yield loc, inner


class _Layout:
    """Where each key of the base brief is written: its line, and the lines its value takes. A key
    shown as a commented-out sample (``# sla_due = …``) counts as written there."""

    _KEY = re.compile(r"^(?:# )?([a-z_]+) = (.*)$")

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.keys: dict[Loc, tuple[int, int]] = {}  # loc -> (first line index, last line index)
        self.headers: dict[Loc, int] = {}
        table: Loc = ()
        counts: dict[str, int] = {}
        index = 0
        while index < len(self.lines):
            line = self.lines[index]
            key = self._KEY.match(line)
            if line.startswith("[["):
                name = line.strip("[] ")
                table = (name, counts.get(name, 0))
                counts[name] = counts.get(name, 0) + 1
                self.headers[table] = index
            elif line.startswith("["):
                table = (line.strip("[] "),)
                self.headers[table] = index
            elif key is not None:
                end = index
                if key[2].rstrip() == "[":
                    while self.lines[end].strip() != "]":
                        end += 1
                self.keys.setdefault((*table, key[1]), (index, end))
                index = end
            index += 1

    def replace(self, loc: Loc, value: str) -> tuple[str, int]:
        """The text with the key at `loc` set to the TOML `value`; and the 1-based line it is on."""
        first, last = self.keys[loc]
        key = loc[-1]
        lines = [*self.lines[:first], f"{key} = {value}", *self.lines[last + 1 :]]
        return "\n".join(lines), first + 1

    def insert(self, after: int, text: str) -> tuple[str, int]:
        """The text with `text` (one line) inserted after the 0-based line `after`; and its 1-based line."""
        lines = [*self.lines[: after + 1], text, *self.lines[after + 1 :]]
        return "\n".join(lines), after + 2


HUGE = "9" * 5000
_ESCAPED_CONTROLS = '"\\u001b]0;pwned\\u0007\\u001b[2J\\u009b2J"'

_WRONG: dict[Any, tuple[tuple[str, str], ...]] = {
    str: (("int", "42"), ("bool", "true"), ("float", "1.5"), ("array", '["a", "b"]'), ("table", "{ a = 1 }"),
          ("date", "2026-11-19"), ("datetime", "2026-11-19T10:00:00Z")),
    int: (("words", '"lots"'), ("digits-in-quotes", '"120000"'), ("bool", "true"), ("float", "1.5"),
          ("array", "[1]"), ("table", "{ a = 1 }"), ("date", "2026-11-19"), ("huge", HUGE),
          ("huge-negative", "-" + HUGE),
          ("beyond-64-bits", str(2**64)), ("negative", "-1")),
    bool: (("words", '"yes"'), ("one", "1"), ("array", "[true]"),
           ("table", "{ a = true }"), ("date", "2026-11-19")),
    "date": (("int", "42"), ("words", '"yesterday"'), ("bool", "true"), ("datetime", "2026-11-19T10:00:00Z"),
             ("time", "10:00:00"), ("array", "[2026-11-19]"), ("huge", HUGE)),
    "datetime": (("int", "42"), ("words", '"yesterday"'), ("bool", "true"), ("time", "10:00:00"),
                 ("array", "[2026-11-19T10:00:00Z]"), ("table", "{ a = 1 }"), ("huge", HUGE),
                 ("year-1", "0001-01-01T00:00:00"), ("year-9999-west", "9999-12-31T23:00:00-12:00")),
    "enum": (("capitalised", '"Bug"'), ("empty", '""'), ("unknown", '"bogus"'), ("trailing-space", '"critical "'),
             ("markup", '"[bold]bug[/bold]"'), ("escapes", _ESCAPED_CONTROLS), ("int", "1"), ("bool", "true")),
    list: (("string", '"not a list"'), ("ints", "[1, 2]"), ("nested", '[["a"]]'), ("tables", "[{ a = 1 }]"),
           ("int", "42"), ("huge-item", f"[{HUGE}]")),
}


def _wrong_values(kind: Any) -> tuple[tuple[str, str], ...]:
    from datetime import date, datetime

    if isinstance(kind, type) and issubclass(kind, Enum):
        return _WRONG["enum"]
    if kind is datetime:
        return _WRONG["datetime"]
    if kind is date:
        return _WRONG["date"]
    return _WRONG.get(kind, ())


_SYNTAX_LINES = (
    ("unterminated-string", 'name = "never closed'),
    ("unquoted-words", "name = Acme Corp"),
    ("missing-value", "name ="),
    ("missing-key", '= "value"'),
    ("unclosed-header", "[customer"),
    ("unclosed-array-header", "[[tried]"),
    ("empty-header", "[]"),
    ("empty-array-header", "[[]]"),
    ("single-quote-mix", "name = 'x''"),
    ("unclosed-array", "name = [1, 2"),
    ("unclosed-inline-table", "name = { a = 1"),
    ("bad-hour", "name = 2026-11-19T25:00:00"),
    ("bad-month", "name = 2026-13-01"),
    ("hex-without-digits", "name = 0x"),
    ("double-underscore-number", "name = 1__000"),
    ("leading-zero", "name = 01"),
    ("dot-without-digits", "name = 1."),
    ("bad-escape", 'name = "bad \\q escape"'),
    ("surrogate-escape", 'name = "\\uD800"'),
    ("escape-beyond-unicode", 'name = "\\U00110000"'),
    ("trailing-garbage", 'name = "x" trailing'),
    ("two-values", "name = true false"),
    ("space-in-key", "na me = 1"),
    ("dotted-key-hole", "name. = 1"),
    ("raw-escape-in-string", 'name = "\x1b]0;pwned\x07"'),
    ("raw-escape-in-key", '"\x1b]0;pwned\x07" = 1'),
    ("raw-escape-bare", "\x1b[2J"),
    ("raw-c1-bare", "\u009b2J = 1"),
    ("raw-bidi-bare", "\u202ename = 1"),
    ("markup-bare", "[bold]x[/bold] = 1"),
    ("markup-closing-bare", "[/]"),
    ("newline-in-inline-table", "name = { a = 1,"),
    ("inline-table-trailing-comma", "name = { a = 1, }"),
    ("duplicate-key", 'name = "Acme Corp"'),
    ("key-also-table", 'notes.x = "y"'),
)


def _syntax_errors(layout: _Layout) -> Iterator[Malformed]:
    spots = {
        "in-customer": layout.headers[("customer",)],
        "in-tried": layout.headers[("tried", 1)],
        "in-ask": layout.headers[("ask",)],
    }
    # Where the parser finds the mistake: on the second definition of a key (below the inserted line),
    # and somewhere after the line that opens a construct never closed.
    second = {"duplicate-key": ("customer", "name"), "key-also-table": ("customer", "notes")}
    unclosed = {"unclosed-array", "unclosed-inline-table", "newline-in-inline-table"}
    for spot, after in spots.items():
        for label, line in _SYNTAX_LINES:
            if label in second and spot != "in-customer":
                continue
            text, number = layout.insert(after, line)
            if label in second:
                number = layout.keys[second[label]][0] + 2
            yield Malformed(f"syntax/{label}/{spot}", text.encode(), line=None if label in unclosed else number)
    for label, text in (
        ("unclosed-multiline-string", 'summary = """never closed\n'),
        ("unclosed-literal-multiline", "summary = '''never closed\n"),
    ):
        yield Malformed(f"syntax/{label}", (_base_text() + "\n" + text).encode())


def _wrong_types(layout: _Layout) -> Iterator[Malformed]:
    for loc, kind in _leaf_types(Escalation):
        if loc not in layout.keys or loc == ("schema_version",):  # any whole number is a version
            continue
        target = loc
        for label, value in _wrong_values(kind):
            text, line = layout.replace(target, value)
            expect = "either" if label.startswith("year-") else "error"  # odd dates, but dates
            yield Malformed(f"type/{'.'.join(map(str, loc))}/{label}", text.encode(), line=line, expect=expect)


def _numbers(layout: _Layout) -> Iterator[Malformed]:
    for loc, value in (
        (("customer", "arr"), "-1"),
        (("revenue", "arr_at_risk"), "-120000"),
        (("breadth", "customer_count"), "-3"),
        (("contract", "customer_update_hours"), "0"),
        (("contract", "customer_update_hours"), "10000"),
        (("customer", "arr"), "-" + "9" * 19),
        (("schema_version",), HUGE),
        (("customer", "arr"), "inf"),
        (("customer", "arr"), "nan"),
        (("customer", "arr"), "1e400"),
    ):
        text, line = layout.replace(loc, value)
        yield Malformed(f"number/{'.'.join(map(str, loc))}/{value[:12]}", text.encode(), line=line)


def _unknown_keys(layout: _Layout) -> Iterator[Malformed]:
    for table, after in layout.headers.items():
        text, line = layout.insert(after, "bogus = 1")
        yield Malformed(f"unknown/{'.'.join(map(str, table))}/bogus", text.encode(), line=line)
    after = layout.headers[("customer",)]
    for label, key in (
        ("typo", "nmae"),
        ("escapes", _ESCAPED_CONTROLS),
        ("raw-c1", '"\u009b2J\u009d0;pwned\u009c"'),
        ("bidi", '"\u202eeman"'),
        ("markup", '"[bold]x[/bold]"'),
        ("markup-close", '"[/]"'),
        ("markup-click", '"[@click=app.quit]x[/]"'),
        ("homoglyph", '"n\u0430me"'),
        ("long-300", "k" * 300),
        ("newline", '"line one\\nline two"'),
    ):
        text, line = layout.insert(after, f"{key} = 1")
        yield Malformed(f"unknown/customer/{label}", text.encode(), line=line)
    text, line = layout.insert(0, f"{'k' * 10_000_000} = 1")
    yield Malformed("unknown/top/10-MB-key", text.encode(), line=line, heavy=True)
    escapes = "\\u001b" * 1000
    text, line = layout.insert(0, f'"{escapes}{"k" * 1_000_000}" = 1')
    yield Malformed("unknown/top/1-MB-quoted-key-of-escapes", text.encode(), line=line, heavy=True)
    for label, header in (("table", "[bogus]"), ("sub-table", "[customer.bogus]"), ("array-table", "[[bogus]]"),
                          ("escape-table", f"[{_ESCAPED_CONTROLS}]")):
        text = _base_text() + f"\n{header}\nx = 1\n"
        yield Malformed(f"unknown/{label}", text.encode(), line=len(_base_text().split("\n")) + 1)


def _encodings(text: str) -> Iterator[Malformed]:
    lines = text.split("\n")
    for number in (1, 6, 20, len(lines) - 1):
        for label, bad in (("ff", b"\xff"), ("truncated", b"\xc3"), ("surrogate", b"\xed\xa0\x80"),
                           ("overlong", b"\xc0\xaf")):
            encoded = [line.encode() for line in lines]
            encoded[number - 1] = encoded[number - 1] + b" # " + bad if number == 1 else bad + encoded[number - 1]
            yield Malformed(f"utf8/{label}/line-{number}", b"\n".join(encoded), line=number)
    yield Malformed("utf8/latin-1-file", text.replace("Acme", "Acmé").encode("latin-1", "replace"), line=6)
    yield Malformed("bom/utf-8", b"\xef\xbb\xbf" + text.encode(), expect="valid")
    yield Malformed("bom/utf-8-twice", b"\xef\xbb\xbf\xef\xbb\xbf" + text.encode(), line=1)
    yield Malformed("bom/utf-16-le", text.encode("utf-16"), line=1)
    yield Malformed("bom/utf-32", text.encode("utf-32"), line=1)
    broken = text.replace('name = "Acme Corp"', 'name = Acme Corp')
    yield Malformed("bom/utf-8-then-syntax-error", b"\xef\xbb\xbf" + broken.encode(), line=10)
    yield Malformed("crlf/valid", text.replace("\n", "\r\n").encode(), expect="valid")
    yield Malformed("crlf/syntax-error", broken.replace("\n", "\r\n").encode(), line=10)
    yield Malformed("cr-only", text.replace("\n", "\r").encode(), line=1)
    for label, blob, line in (
        ("nul/start", b"\x00" + text.encode(), 1),
        ("nul/in-comment-line-2", text.replace("# Edit it", "# Edit\x00 it").encode(), 2),
        ("nul/in-string-line-6", text.replace("API returning", "API\x00 returning").encode(), 6),
        ("nul/end", text.encode() + b"\x00", len(lines)),
        ("nul/only", b"\x00" * 100, 1),
    ):
        yield Malformed(label, blob, line=line)
    yield Malformed("c1-raw-in-string", text.replace("Acme Corp", "Acme\u009b2J Corp", 1).encode(), expect="valid")
    yield Malformed("binary/png-header", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), line=1)


def _nesting() -> Iterator[Malformed]:
    depth = 100_000
    yield Malformed("nesting/arrays", ("summary = " + "[" * depth + "]" * depth + "\n").encode(), line=1)
    yield Malformed("nesting/inline-tables", ("summary = " + "{ a = " * depth + "1" + " }" * depth + "\n").encode(),
                    line=1)
    yield Malformed("nesting/dotted-key", ("a" + ".a" * 20_000 + " = 1\n").encode(), line=1)
    yield Malformed("nesting/table-header", ("[a" + ".a" * 20_000 + "]\n").encode(), line=1)
    yield Malformed("nesting/arrays-in-list-field", ("[breadth]\nnamed_customers = " + "[" * 500 + "]" * 500
                                                      + "\n").encode(), line=2)
    yield Malformed("nesting/tables-in-list-field", ("[breadth]\nnamed_customers = [" + "{ a = " * 500 + "1"
                                                      + " }" * 500 + "]\n").encode(), line=2)


def _floods() -> Iterator[Malformed]:
    count = 50_000
    yield Malformed("flood/50000-bad-tables", "".join("[[tried]]\nbogus = 1\n" for _ in range(count)).encode(),
                    line=2, heavy=True)
    yield Malformed("flood/50000-bad-kinds", "".join('[[context]]\nkind = "nope"\n' for _ in range(count)).encode(),
                    line=2, heavy=True)
    yield Malformed("flood/50000-unknown-keys", "".join(f"k{i} = 1\n" for i in range(count)).encode(), line=1,
                    heavy=True)
    yield Malformed("flood/50000-bad-items", ("[reproduction]\nsteps = [" + "1, " * count + "]\n").encode(), line=2,
                    heavy=True)
    yield Malformed("flood/50000-escape-keys", "".join(f'"\\u001b]0;{i}\\u0007" = 1\n' for i in range(count)).encode(),
                    line=1, heavy=True)


def _duplicates(text: str) -> Iterator[Malformed]:
    lines = text.split("\n")
    summary_line = next(i for i, line in enumerate(lines) if line.startswith("summary = ")) + 1
    customer_line = lines.index("[customer]") + 1
    yield Malformed("duplicate/top-level-key", text.replace("created =", 'summary = "again"\ncreated =', 1).encode(),
                    line=summary_line + 1)
    yield Malformed("duplicate/table", (text + "\n[customer]\nname = \"Again\"\n").encode(),
                    line=len(lines) + 1)
    yield Malformed("duplicate/dotted-then-table",
                    text.replace("created =", 'customer.name = "x"\ncreated =', 1).encode(), line=customer_line + 1)
    yield Malformed("duplicate/table-then-array", (text + "\n[[customer]]\nname = \"x\"\n").encode(),
                    line=len(lines) + 1)
    yield Malformed("duplicate/array-then-table", (text + "\n[tried]\naction = \"x\"\n").encode(),
                    line=len(lines) + 1)


def _shapes() -> Iterator[Malformed]:
    yield Malformed("empty/zero-bytes", b"", expect="valid")
    yield Malformed("empty/whitespace", b"  \n\n\t\n", expect="valid")
    yield Malformed("empty/comments-only", b"# nothing here\n# at all\n", expect="valid")
    yield Malformed("shape/array-of-strings-at-top", b'tried = ["a", "b"]\n', line=1)
    yield Malformed("shape/string-for-table", b'customer = "Acme Corp"\n', line=1)
    yield Malformed("shape/int-for-table", b"problem = 5\n", line=1)
    yield Malformed("shape/table-for-list", b"[reproduction.steps]\na = 1\n", line=1)
    yield Malformed("shape/override-without-reason", b'[severity_override]\nvalue = "high"\n', line=1)
    yield Malformed("shape/override-empty-reason", b'[severity_override]\nvalue = "high"\nreason = ""\n', line=3)
    yield Malformed("shape/override-bad-value", b'[target_override]\nvalue = "ceo"\nreason = "why"\n', line=2)
    yield Malformed("not-a-file/folder", None, kind="dir", line=1)
    yield Malformed("not-a-file/missing", None, kind="missing", line=1)
    yield Malformed("not-a-file/missing-300-char-name", None, kind="missing", name="b" * 295 + ".toml", line=1)
    yield Malformed("not-a-file/300-char-name-in-folder", None, kind="missing",
                    name="d" * 300 + "/brief.toml", line=1)
    for label, name in (
        ("escape-in-name", "\x1b]0;pwned\x07.toml"),
        ("c1-in-name", "\u009b2J.toml"),
        ("bidi-in-name", "\u202elmot.toml"),
        ("markup-in-name", "[bold]x[/bold].toml"),
        ("markup-close-in-name", "[@click=app.quit]x[/].toml"),
    ):
        yield Malformed(f"name/{label}", b"summary = \n", name=name, line=1)
    yield Malformed("name/newline-in-name", b"summary = \n", name="line\nWHAT'S NEEDED.toml", line=1,
                    reads_as_summary=True)


@cache
def malformed_briefs() -> tuple[Malformed, ...]:
    """Several hundred brief files a person, a script or a broken disk could hand over, each with
    the line its first problem is on (when known); a few valid oddities among them."""
    text = _base_text()
    layout = _Layout(text)
    found = [
        *_syntax_errors(layout), *_wrong_types(layout), *_numbers(layout), *_unknown_keys(layout),
        *_encodings(text), *_nesting(), *_floods(), *_duplicates(text), *_shapes(),
    ]
    labels = [case.label for case in found]
    assert len(labels) == len(set(labels)), "every case needs its own label"
    return tuple(found)


# --- malformed configs ------------------------------------------------------------------------


class BadConfig(NamedTuple):
    label: str
    data: bytes
    line: int | None = None
    warns: bool = True  # False: a value only the app reads (a theme, a key binding), or text it may hold
    heavy: bool = False  # megabytes, or tens of thousands of problems


def malformed_configs() -> tuple[BadConfig, ...]:
    """Config files with every kind of problem `load_settings` reports: each must come out as short,
    safe warnings (the command then goes on with the defaults)."""
    cases = [
        BadConfig("syntax", b"[ui\ntheme = 1\n", line=1),
        BadConfig("unknown-section", b"[bogus]\nx = 1\n", line=1),
        BadConfig("unknown-key-escapes", b'[rules]\n"\\u001b]0;pwned\\u0007\\u001b]52;c;cm0gLXJmIH4=\\u0007" = 1\n',
                  line=2),
        BadConfig("unknown-key-c1", '[rules]\n"\u009b2J\u009d0;pwned\u009c" = 1\n'.encode(), line=2),
        BadConfig("unknown-key-bidi", '[rules]\n"\u202eeulav" = 1\n'.encode(), line=2),
        BadConfig("unknown-key-markup", b'[rules]\n"[@click=app.quit]x[/]" = 1\n', line=2),
        BadConfig("unknown-key-10-MB", b"[rules]\n" + b"k" * 10_000_000 + b" = 1\n", line=2, heavy=True),
        BadConfig("unknown-section-escapes", b'["\\u001b]0;pwned\\u0007"]\nx = 1\n', line=1),
        BadConfig("bool-as-number", b"[rules]\nhigh_value_arr = true\n", line=2),
        BadConfig("bool-as-count", b"[rules]\npattern_customer_count = false\n", line=2),
        BadConfig("string-as-number", b'[rules]\nhigh_value_arr = "lots"\n', line=2),
        BadConfig("huge-number", b"[rules]\nhigh_value_arr = " + HUGE.encode() + b"\n", line=2),
        BadConfig("negative-number", b"[rules]\nhigh_value_arr = -5\n", line=2),
        BadConfig("theme-escapes", b'[ui]\ntheme = "\\u001b]0;pwned\\u0007"\n', line=2, warns=False),
        BadConfig("reporter-escapes", b'[reporter]\nname = "\\u001b]0;pwned\\u0007"\n', line=2, warns=False),
        BadConfig("keymap-escapes", b'[keymap]\n"\\u001b]0;pwned\\u0007" = "f12"\n', line=2, warns=False),
        BadConfig("keymap-value-escapes", b'[keymap]\n"app.help" = "\\u001b]0;pwned\\u0007"\n', line=2, warns=False),
        BadConfig("invalid-utf8", b"[ui]\ntheme = \"\xff\"\n", line=2),
        BadConfig("nul", b"[ui]\x00\n", line=1),
        BadConfig("flood-50000-unknown", b"[rules]\n" + b"".join(b"k%d = 1\n" % i for i in range(50_000)), line=2,
                  heavy=True),
        BadConfig("flood-50000-escape-keys",
                  b"[rules]\n" + b"".join(b'"\\u001b]0;%d\\u0007" = 1\n' % i for i in range(50_000)), line=2,
                  heavy=True),
        BadConfig("deep-nesting", b"x = " + b"[" * 100_000 + b"]" * 100_000 + b"\n", line=1),
    ]
    return tuple(cases)
