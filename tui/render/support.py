"""What a support note says that an escalation brief does not: who the customer is in one line, the
answer support can give, and a reply to the customer drafted from the facts.

Phrase builders in the style of ``fields``: each takes the renderer's ``text`` function for user
text (and ``reference`` for ticket ids and links), writes fixed wording itself, and leaves
placeholders to the renderer.
"""

from __future__ import annotations

from tui.domain.models import ContextItem, ContextKind, Customer, Escalation, Nature
from tui.render.fields import SEP, TextFn, reporter_phrase

ANSWER_KINDS = (ContextKind.KNOWN_ISSUE, ContextKind.DOC)
"""Context items that hold an answer: a known issue or a help article."""

# What the reply says about the kind of problem, before the answer itself.
_EXPLANATIONS = {
    Nature.CONFIGURATION: "This comes down to how the account is set up, so it can be put right without a fix.",
    Nature.HOW_TO: "The product can do this today; here is how.",
    Nature.KNOWN_LIMITATION: "The product does not do this yet, but there is another way to reach the same result.",
}
_KNOWN_WAY_AROUND = "There is a known way around this problem."
_THANKS = "Thank you for getting in touch, and for your patience while we looked into it."
_CLOSING = "If this does not solve it, reply to this message and we will look into it further."


def customer_line(customer: Customer, text: TextFn) -> str:
    """``Acme Corp — Enterprise, Business Annual``: the name, then what is known of the account."""
    name = text(customer.name)
    about = ", ".join(part for part in (text(customer.segment), text(customer.plan)) if part)
    return f"{name}{SEP}{about}" if name and about else name or about


def _article(item: ContextItem, text: TextFn, reference: TextFn) -> str:
    return SEP.join(part for part in (text(item.title), reference(item.reference)) if part)


def answers(esc: Escalation, text: TextFn, reference: TextFn) -> list[str]:
    """The workaround, then each known issue or help article with its excerpt; empty ones skipped."""
    out = []
    workaround = text(esc.problem.workaround)
    if workaround:
        out.append(f"Workaround: {workaround}")
    for item in esc.context:
        if item.kind not in ANSWER_KINDS:
            continue
        parts = [part for part in (_article(item, text, reference), text(item.excerpt)) if part]
        if parts:
            out.append(f"{item.kind.label}: {SEP.join(parts)}")
    return out


def reply(esc: Escalation, text: TextFn, reference: TextFn, missing: str) -> list[str]:
    """A reply to the customer, paragraph by paragraph: greeting, thanks and what kind of problem it
    is, the workaround, the articles (``missing`` when there is neither yet), closing, and the
    sign-off (two lines in one paragraph when the reporter is known)."""
    name = text(esc.customer.name)
    explanation = _EXPLANATIONS.get(esc.problem.nature, "")
    if not explanation and esc.flags.documented_workaround:
        explanation = _KNOWN_WAY_AROUND
    answer = [text(esc.problem.workaround)]
    articles = [_article(item, text, reference) for item in esc.context if item.kind in ANSWER_KINDS]
    articles = [article for article in articles if article]
    if len(articles) == 1:
        answer.append(f"This article explains it step by step: {articles[0]}.")
    elif articles:
        answer.append(f"These articles explain it step by step: {'; '.join(articles)}.")
    answer = [paragraph for paragraph in answer if paragraph] or [missing]
    sign_off = reporter_phrase(esc.reporter, text)
    return [
        f"Hello {name} team," if name else "Hello,",
        f"{_THANKS} {explanation}".rstrip(),
        *answer,
        _CLOSING,
        f"Best regards,\n{sign_off}" if sign_off else "Best regards,",
    ]
