"""The text of an Atlassian Document Format value (a Jira description): its text nodes in order, a
line per block, hard breaks kept. Anything that is not a node is skipped; nesting deeper than any
real document is cut off rather than followed."""

from __future__ import annotations

from typing import Any

BLOCKS = frozenset({"paragraph", "heading", "listItem", "codeBlock", "blockquote", "panel", "tableRow",
                    "rule", "mediaSingle", "expand", "decisionItem", "taskItem"})
DEEPEST = 40


def adf_text(document: Any) -> str:
    """The readable text of `document`, blank lines squeezed."""
    parts: list[str] = []
    _walk(document, parts, 0)
    lines = "".join(parts).split("\n")
    kept = [line.rstrip() for line in lines]
    return "\n".join(line for index, line in enumerate(kept) if line or (index and kept[index - 1])).strip()


def _walk(node: Any, parts: list[str], depth: int) -> None:
    if depth > DEEPEST or not isinstance(node, dict):
        return
    kind = node.get("type")
    attrs: dict[str, Any] = node["attrs"] if isinstance(node.get("attrs"), dict) else {}
    if kind == "text" and isinstance(node.get("text"), str):
        parts.append(node["text"])
    elif kind == "hardBreak":
        parts.append("\n")
    elif kind == "mention" and isinstance(attrs.get("text"), str):
        parts.append(attrs["text"])
    elif kind in ("inlineCard", "blockCard") and isinstance(attrs.get("url"), str):
        parts.append(attrs["url"])
    elif kind == "emoji" and isinstance(attrs.get("text"), str):
        parts.append(attrs["text"])
    content = node.get("content")
    if isinstance(content, list):
        for child in content:
            _walk(child, parts, depth + 1)
    if kind in BLOCKS:
        parts.append("\n")
