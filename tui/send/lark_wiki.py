"""The brief as a Lark wiki page: a docx node in the configured space, then the brief's blocks in it.

`blocks_for` is pure: the rendered brief (its CommonMark, parsed, never interpreted) becomes docx
blocks in the brief's own order — headings (block types 3/4/5), text lines (2, bold where the brief
is bold), bullets (12), numbered items (13), code (14), dividers (22). Every piece of text is a plain
``text_run`` with control and bidi characters taken out.

Two calls publish it (chat-apps.md §2.7): ``POST /wiki/v2/spaces/:space/nodes`` makes the page, then
``POST /docx/v1/documents/:doc/blocks/:doc/children`` adds the blocks, at most 50 a call, each batch
at its own position with a ``client_token`` made from the send, the document and the batch, so a
batch sent again is not added twice.

Creating a node has no idempotency key. The caller writes the node down ("Wiki page created") as
soon as Lark answers, and a later run fills that node instead of making another. What remains
possible: the process stops (or the answer is lost) after Lark made the node and before it was
written down; the next run then makes a second node and the first stays, titled but empty.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

from tui.send import lark_app
from tui.send.brief_text import clean, one_line, tokens
from tui.send.model import Brief, JsonValue, Outcome

if TYPE_CHECKING:
    import httpx
    from markdown_it.token import Token

BATCH = 50  # children per call (⚠ Lark's per-call maximum is believed to be 50)
TITLE_LIMIT = 200
TEXT, HEADING1, BULLET, ORDERED, CODE, DIVIDER = 2, 3, 12, 13, 14, 22
_KEYS = {2: "text", 3: "heading1", 4: "heading2", 5: "heading3", 12: "bullet", 13: "ordered", 14: "code"}
_NAMESPACE = uuid.UUID("6f1c2f0e-9a51-4d0b-8f7e-2a4c1b9d3e75")


def title_of(brief: Brief) -> str:
    """``ESC-42 · <summary>``, on one line."""
    summary = brief.esc.summary or "Escalation without a summary"
    return one_line(f"{brief.reference} · {summary}", TITLE_LIMIT)


# --- the blocks ------------------------------------------------------------------------------

def _runs(children: list[Token], code: bool = False) -> list[list[JsonValue]]:
    """The inline children as lines of text_run elements (a line break starts a new line), bold and
    italic kept, links and images as their text."""
    lines: list[list[JsonValue]] = [[]]
    bold = italic = False
    for child in children:
        kind = child.type
        if kind in ("strong_open", "strong_close"):
            bold = kind == "strong_open"
        elif kind in ("em_open", "em_close"):
            italic = kind == "em_open"
        elif kind in ("softbreak", "hardbreak"):
            lines.append([])
        elif kind in ("text", "code_inline", "html_inline", "image"):
            content = clean(child.content)
            if not content:
                continue
            style = {name: True for name, on in (("bold", bold), ("italic", italic),
                                                  ("inline_code", kind == "code_inline" and not code)) if on}
            run: dict[str, JsonValue] = {"content": content}
            if style:
                run["text_element_style"] = dict(style)
            lines[-1].append({"text_run": run})
    return [line for line in lines if any(_content(element).strip() for element in line)]


def _content(element: JsonValue) -> str:
    assert isinstance(element, dict)
    run = element["text_run"]
    assert isinstance(run, dict)
    return str(run["content"])


def _block(block_type: int, elements: list[JsonValue]) -> dict[str, JsonValue]:
    return {"block_type": block_type, _KEYS[block_type]: {"elements": elements}}


def _joined(lines: list[list[JsonValue]]) -> list[JsonValue]:
    """Several lines as one block's elements, a space between them."""
    elements: list[JsonValue] = []
    for line in lines:
        if elements:
            elements.append({"text_run": {"content": " "}})
        elements.extend(line)
    return elements


def blocks_for(brief: Brief) -> list[dict[str, JsonValue]]:
    """The brief as docx blocks, in its order. Each line of a paragraph is a text block of its own
    (the brief's labelled lines stay one per line); list items keep their kind, nested ones flattened."""
    stream = tokens(brief.markdown)
    blocks: list[dict[str, JsonValue]] = []
    lists: list[int] = []  # the kind of each list the walk is in, innermost last
    for index, token in enumerate(stream):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists.append(BULLET if kind == "bullet_list_open" else ORDERED)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "inline" and index and stream[index - 1].type == "heading_open":
            level = min(max(int(stream[index - 1].tag[1:]) - 1, 1), 3)  # the brief's ## is the page's heading 1
            elements = _joined(_runs(token.children or []))
            if elements:
                blocks.append(_block(HEADING1 + level - 1, elements))
        elif kind == "inline":
            lines = _runs(token.children or [])
            if lists and lines:
                blocks.append(_block(lists[-1], _joined(lines)))
            else:
                blocks.extend(_block(TEXT, line) for line in lines)
        elif kind in ("fence", "code_block"):
            text = clean(token.content.rstrip("\n").replace("\n", "\u2028")).replace("\u2028", "\n")
            if text.strip():
                blocks.append(_block(CODE, [{"text_run": {"content": text}}]))
        elif kind == "hr":
            blocks.append({"block_type": DIVIDER, "divider": {}})
        elif kind == "html_block":
            blocks.extend(_block(TEXT, [{"text_run": {"content": line}}])
                          for line in (clean(raw) for raw in token.content.splitlines()) if line.strip())
    return blocks


def batches(blocks: list[dict[str, JsonValue]]) -> list[list[dict[str, JsonValue]]]:
    return [blocks[start:start + BATCH] for start in range(0, len(blocks), BATCH)]


# --- the calls -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Node:
    """A wiki page Lark made: its node token (what the link names) and its document (the docx to fill)."""

    node_token: str
    document_id: str


def link_for(config: lark_app.Config, node_token: str) -> str:
    """The page's address when the tenant's wiki address is configured, else its node token."""
    return f"{config.wiki_url_base}{node_token}" if config.wiki_url_base else node_token


def create_node(client: httpx.Client, config: lark_app.Config, env: Mapping[str, str], now: datetime,
                brief: Brief) -> Node | Outcome:
    """Make the page (empty, titled) in the configured space."""
    assert config.wiki_space_id is not None
    body: dict[str, JsonValue] = {"obj_type": "docx", "node_type": "origin", "title": title_of(brief)}
    if config.wiki_parent_node:
        body["parent_node_token"] = config.wiki_parent_node
    path = f"/wiki/v2/spaces/{quote(config.wiki_space_id, safe='')}/nodes"
    answer = lark_app.call_for_data(client, config, env, now, "POST", path, body, "creating the wiki page",
                                    "wiki:wiki")
    if isinstance(answer, Outcome):
        return answer
    node = answer.get("node")
    token = node.get("node_token") if isinstance(node, dict) else None
    document = node.get("obj_token") if isinstance(node, dict) else None
    if isinstance(token, str) and token.isalnum() and isinstance(document, str) and document.isalnum():
        return Node(token, document)
    return Outcome.uncertain(f"lark_app destination {config.name!r}: Lark made a wiki page but did not say "
                             "its node or document token")


def client_token(key: str, document_id: str, batch: int) -> str:
    """The same send, document and batch always give the same token (a UUID)."""
    return str(uuid.uuid5(_NAMESPACE, f"{key}\n{document_id}\n{batch}"))


def fill(client: httpx.Client, config: lark_app.Config, env: Mapping[str, str], now: datetime, document_id: str,
         blocks: list[dict[str, JsonValue]], key: str) -> Outcome:
    """Add `blocks` to the page's document, a batch at a time, each at its place."""
    document = quote(document_id, safe="")
    for number, batch in enumerate(batches(blocks)):
        path = (f"/docx/v1/documents/{document}/blocks/{document}/children?document_revision_id=-1"
                f"&client_token={client_token(key, document_id, number)}")
        children: list[JsonValue] = list(batch)
        written = lark_app.call_for_data(client, config, env, now, "POST", path,
                                         {"children": children, "index": number * BATCH},
                                         "writing the brief into the wiki page", "docx:document")
        if isinstance(written, Outcome):
            return written
    return Outcome.delivered(remote_id=document_id, message=f"{len(blocks)} blocks written")
