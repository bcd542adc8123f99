"""The brief as an Atlassian Document Format document, for a Jira Cloud issue's description.

Headings, paragraphs, bullet and numbered lists, bold and italic marks and http(s) links are
carried over; anything else the parser finds (a quote, a code block, a rule) becomes plain
paragraphs, so the document always fits the places ADF allows each node. No text node is empty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.send.brief_text import clean, tokens

if TYPE_CHECKING:
    from markdown_it.token import Token

Node = dict[str, Any]

_BLOCKS = {
    "heading_open": "heading",
    "paragraph_open": "paragraph",
    "bullet_list_open": "bulletList",
    "ordered_list_open": "orderedList",
    "list_item_open": "listItem",
}
_IN_LIST_ITEM = {"paragraph", "bulletList", "orderedList"}


def to_adf(markdown: str) -> Node:
    """The ADF ``doc`` for the Markdown brief."""
    doc: Node = {"type": "doc", "version": 1, "content": []}
    stack: list[Node] = [doc]
    for token in tokens(markdown):
        kind = token.type
        if kind in _BLOCKS:
            stack.append(_open(_BLOCKS[kind], token, stack[-1]))
        elif kind.endswith("_close") and kind.replace("_close", "_open") in _BLOCKS:
            _close(stack)
        elif kind == "inline":
            _content(stack[-1]).extend(inline(token))
        elif kind in ("code_block", "fence", "html_block"):
            for line in token.content.splitlines():
                text = clean(line)
                if text.strip():
                    _add_block(stack[-1], {"type": "paragraph", "content": [{"type": "text", "text": text}]})
    return doc


def _content(node: Node) -> list[Node]:
    content: list[Node] = node.setdefault("content", [])
    return content


def _open(kind: str, token: Token, parent: Node) -> Node:
    if kind == "heading" and parent["type"] == "listItem":
        kind = "paragraph"  # a list item holds no heading
    node: Node = {"type": kind}
    if kind == "heading":
        node["attrs"] = {"level": min(6, max(1, int(token.tag[1:])))}
    elif kind == "orderedList":
        start = token.attrGet("start")
        node["attrs"] = {"order": int(start) if isinstance(start, int | str) and str(start).isdigit() else 1}
    return node


def _close(stack: list[Node]) -> None:
    node = stack.pop()
    if node["type"] == "listItem" and not node.get("content"):
        node["content"] = [{"type": "paragraph"}]  # an empty item still needs its paragraph
    container = node["type"] in ("bulletList", "orderedList", "listItem")
    # an empty paragraph or heading is left out, except as what a list item holds
    if container or node.get("content") or stack[-1]["type"] == "listItem":
        _add_block(stack[-1], node)


def _add_block(parent: Node, node: Node) -> None:
    if parent["type"] == "listItem" and node["type"] not in _IN_LIST_ITEM:
        node = {"type": "paragraph", "content": node.get("content", [])}
    _content(parent).append(node)


def inline(token: Token) -> list[Node]:
    """The text nodes of one ``inline`` token, with strong, em and link marks."""
    out: list[Node] = []
    marks: list[Node] = []
    for child in token.children or ():
        kind = child.type
        if kind == "strong_open":
            marks.append({"type": "strong"})
        elif kind == "em_open":
            marks.append({"type": "em"})
        elif kind == "link_open":
            href = str(child.attrGet("href") or "")
            marks.append({"type": "link", "attrs": {"href": href}} if _linkable(href) else {"type": "none"})
        elif kind in ("strong_close", "em_close", "link_close"):
            if marks:
                marks.pop()
        elif kind in ("softbreak", "hardbreak"):
            out.append({"type": "hardBreak"})
        elif kind in ("text", "code_inline", "html_inline", "image"):
            text = clean(child.content)
            if text:
                node: Node = {"type": "text", "text": text}
                kept: dict[str, Node] = {}
                for mark in marks:
                    if mark["type"] != "none":
                        kept.setdefault(mark["type"], mark)  # a mark twice (bold in bold) counts once
                if kept:
                    node["marks"] = [dict(mark) for mark in kept.values()]
                out.append(node)
    while out and out[-1]["type"] == "hardBreak":
        out.pop()
    return out


def _linkable(href: str) -> bool:
    return href.startswith(("https://", "http://")) and clean(href) == href and " " not in href
