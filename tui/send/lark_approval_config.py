"""The optional Lark approval settings of a ``lark_app`` destination: which approval definition a
gated case opens an instance of, who it is opened for, and what fills each widget of its form.

```toml
approval_code = "7C468A54-8745-2245-9675-08B7C63E7A85"   # the definition's code (approval admin → the form's URL)
approval_applicant_open_id = "ou_3cda9c969f737aaa05e6915dce306cb9"  # whom Lark shows as asking

[destinations.approval_form]   # widget id in the definition = what fills it
widget1 = { type = "input", field = "summary" }
widget2 = { type = "textarea", field = "brief" }
```

The applicant is given as an open_id (not an e-mail) so the approval needs no contacts scope and
no lookup that could fail between the create and its retry.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

FIELDS: dict[str, str] = {
    "summary": "the case's one-line summary",
    "reference": "how the team names the case back: ESC-42",
    "severity": "the severity: Critical, High, Medium",
    "target": "the target team: Leadership, Security…",
    "ask": "what is needed (the brief's What's Needed)",
    "impact": "the brief's Impact section",
    "customer": "the customer's name",
    "brief": "the whole brief, cut to the widget's limit",
    "reason": "why the case needs an approval (the gate's reason)",
}
"""What a widget of the approval form can be filled with."""

ApprovalCode = Annotated[str, StringConstraints(
    strip_whitespace=True, pattern=r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")]
OpenId = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^ou_[A-Za-z0-9]{1,64}$")]
WidgetId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64,
                                            pattern=r"^[A-Za-z0-9_-]+$")]


class Widget(BaseModel):
    """One widget of the approval definition's form, and what escalate-tui puts in it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["input", "textarea"] = Field(description="The widget's type in the definition.")
    field: str = Field(description="What fills it: " + ", ".join(FIELDS) + ".")

    @field_validator("field")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in FIELDS:
            raise ValueError(f"unknown brief field {value!r}; one of: {', '.join(FIELDS)}")
        return value


class ApprovalSettings(BaseModel):
    """Mixed into the lark_app destination's settings; all optional, all or none."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    approval_code: ApprovalCode | None = Field(
        default=None, description="The Lark approval definition a gated case opens an instance of.")
    approval_applicant_open_id: OpenId | None = Field(
        default=None, description="The open_id (ou_…) of the person the approval is opened for.")
    approval_form: dict[WidgetId, Widget] = Field(
        default_factory=dict, max_length=50,
        description="Each widget id of the definition's form → {type, field}.")

    @model_validator(mode="after")
    def _all_or_none(self) -> Self:
        if self.approval_code is None:
            if self.approval_form or self.approval_applicant_open_id:
                raise ValueError("approval_form and approval_applicant_open_id need approval_code: "
                                 "the code of the Lark approval definition to open")
            return self
        if self.approval_applicant_open_id is None:
            raise ValueError("approval_code needs approval_applicant_open_id: the open_id (ou_…) of the "
                             "person Lark shows as asking for the approval")
        if not self.approval_form:
            raise ValueError("approval_code needs approval_form: which brief field fills each widget of "
                             "the approval's form, e.g. { widget1 = { type = \"input\", field = \"summary\" } }")
        return self
