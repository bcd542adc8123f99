"""Reading the model's type annotations: what type a field holds under Optional, Annotated and lists."""

from __future__ import annotations

from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin


def peel(annotation: Any, *, containers: bool = False) -> Any:
    """The type inside Optional[...] and Annotated[...] — and, with `containers`, inside list[...] and
    tuple[...] too. A union of several types other than None is returned as it is."""
    peeled = (Annotated, Union, UnionType, list, tuple) if containers else (Annotated, Union, UnionType)
    while True:
        origin, args = get_origin(annotation), get_args(annotation)
        if origin not in peeled or not args:
            return annotation
        options = [args[0]] if origin is Annotated else [a for a in args if a not in (type(None), Ellipsis)]
        if len(options) != 1:
            return annotation
        annotation = options[0]
