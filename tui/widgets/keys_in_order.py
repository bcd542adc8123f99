"""Editors that run their own key bindings in the order the keys were typed.

Textual inserts a typed character in the focused widget's own task, but runs a key bound on that
widget (backspace, arrows, a list's ctrl+n) only once the key has travelled up to the app, so a
burst such as "ab⌫c" can come out as "ab" (Textual issue #6605). An editor with this mixin runs its
own bindings as their keys arrive, in line with the characters around them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.binding import Binding
from textual.widget import Widget

_OWN_BINDINGS: dict[type, dict[str, Binding]] = {}


def own_bindings(widget_class: type) -> dict[str, Binding]:
    """Key → binding declared by `widget_class` or a base class (the subclass's wins), priority
    bindings left out: the app runs those before the key reaches the widget."""
    found = _OWN_BINDINGS.get(widget_class)
    if found is None:
        found = {}
        for cls in widget_class.__mro__:
            for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", ())):
                if not binding.priority:
                    found.setdefault(binding.key, binding)
        _OWN_BINDINGS[widget_class] = found
    return found


# A plain mixin at run time: Textual takes a widget's CSS and component classes from its first base
# that is a widget, which must stay the Textual widget it extends (class BoundInput(Bound, Input)).
if TYPE_CHECKING:
    _Mixin = Widget
else:
    _Mixin = object


class KeysInOrder(_Mixin):
    TYPES_TEXT = True  # printable keys are the widget's text, inserted by the widget itself

    async def on_key(self, event: events.Key) -> None:
        focused = self.screen.focused
        if (event.is_printable and self.TYPES_TEXT) or (
                focused is not None and focused is not self and self in focused.ancestors):
            return  # a key bubbling up from a part of this widget (a Select's open list) is that part's
        bindings = own_bindings(type(self))
        binding = next((bindings[key] for key in event.aliases if key in bindings), None)
        if binding is None:
            return
        event.prevent_default()
        event.stop()
        await self.run_action(binding.action)


class ChoiceKeysInOrder(KeysInOrder):
    """For a widget without text entry (a list of choices): every key it binds, space included, runs as
    it arrives, even when a key typed just after it has already moved the focus on."""

    TYPES_TEXT = False
