"""Fitting Markdown into a service's limit without breaking it: cut at a line, never inside a word
or a Markdown construct, and say where the rest is."""

from __future__ import annotations

POINTER = "… (cut here: the full brief is in the Markdown export)"


def fit(text: str, limit: int, pointer: str = POINTER) -> str:
    """`text` if it fits in `limit` characters; else its leading whole lines that fit with `pointer`
    on a line of its own after them. A first line longer than the limit is cut at a space (a word
    longer than the limit, at the limit). Inline Markdown left open by a cut line (``*``, ``_``,
    `` ` ``) is avoided by cutting at the line before it."""
    if len(text) <= limit:
        return text
    room = limit - len(pointer) - 1
    if room <= 0:
        return pointer[:limit]
    kept: list[str] = []
    used = 0
    for line in text.split("\n"):
        cost = len(line) + (1 if kept else 0)
        if used + cost > room:
            break
        kept.append(line)
        used += cost
    while kept and (not kept[-1].strip() or not _balanced(kept[-1])):
        kept.pop()
    if not kept:
        head = text[:room]
        space = head.rfind(" ")
        head = head[:space] if space > room // 2 else head
        return f"{_plain(head.rstrip())}\n{pointer}"
    return "\n".join(kept) + "\n" + pointer


def _balanced(line: str) -> bool:
    """Whether no inline Markdown is left open on the line: backticks, and the `*`/`_` runs
    of bold and italic, come in pairs (escaped ones, ``\\*``, do not count)."""
    unescaped = line.replace("\\\\", "").replace("\\*", "").replace("\\_", "").replace("\\`", "")
    return all(unescaped.count(mark) % 2 == 0 for mark in ("`", "**")) and _words_only(unescaped)


def _words_only(line: str) -> bool:
    return line.count("*") % 2 == 0 or line.lstrip().startswith("* ")


def _plain(text: str) -> str:
    """A line cut inside itself, with the Markdown marks that could be left open taken out."""
    return text.replace("`", "").replace("*", "")
