"""Thresholds the escalation rules use; teams tune them in the `[rules]` table of the config."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError


def _no_booleans(value: Any) -> Any:
    """true is not a number, though pydantic would read it as 1."""
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a whole number, not true or false")
    return value


# Whole numbers in a TOML file are 64-bit; anything larger is a typo, whatever the setting.
Count = Annotated[int, BeforeValidator(_no_booleans), Field(le=2**63 - 1)]


class RuleSettings(BaseModel):
    """Numbers behind words such as "high-value" and "waiting unreasonably long"."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    high_value_arr: Count = Field(
        default=100_000, ge=0, description="A customer at or above this ARR counts as high-value."
    )
    high_value_segments: tuple[str, ...] = Field(
        default=("enterprise", "strategic"),
        description="Segments whose customers count as high-value whatever their ARR (case-insensitive).",
    )
    pattern_customer_count: Count = Field(
        default=3, ge=2, description="This many customers reporting the same issue is a pattern."
    )
    waiting_too_long_days: Count = Field(
        default=5, ge=1, description="A customer waiting this many days or more has waited unreasonably long."
    )
    description_min_sentences: Count = Field(default=3, ge=1)
    description_max_sentences: Count = Field(default=5, ge=1)

    @model_validator(mode="after")
    def _sentence_range_in_order(self) -> RuleSettings:
        if self.description_min_sentences > self.description_max_sentences:
            raise ValueError("description_min_sentences must not be larger than description_max_sentences")
        return self


DEFAULT_RULES = RuleSettings.model_construct()  # the defaults need no validating; skipping it keeps imports fast
