"""What the redaction before a send looks for, as `[redaction]` in the config sets it.

Apart from the detectors (`redaction.py`) so that reading the config on the way to the first screen
does not load them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RedactionOptions(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    emails: bool = Field(default=True, description="Mask e-mail addresses before a brief is sent.")
    phones: bool = Field(default=True, description="Mask phone numbers before a brief is sent.")
    high_entropy: bool = Field(
        default=True,
        description="Mask long random-looking strings (keys of no known format) before a brief is sent.",
    )
