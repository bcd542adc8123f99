"""The escalation model: the one source of truth every screen, rule and renderer shares.

Only the standard library and pydantic are imported here. Every field is optional or
defaulted so that a half-written draft is always a valid ``Escalation``; the quality
checks (``quality.py``) say what is still missing.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict
from pydantic_core import PydanticCustomError

from tui.domain.text_safety import strip_unsafe


def _assume_local_zone(moment: datetime) -> datetime:
    """A time typed without an offset means the agent's own clock; store it with the offset."""
    if moment.tzinfo is not None:
        return moment
    try:
        return moment.astimezone()
    except (OverflowError, OSError, ValueError):
        message = "this date-time is out of range in the local time zone; add an offset such as +00:00"
        raise ValueError(message) from None


_NUMBER = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*")


def _no_numbers(error_type: str, wanted: str) -> BeforeValidator:
    """Refuse a number, or text that is one, where a date belongs: pydantic would read it as
    seconds since 1970 (42 would be 1970-01-01T00:00:42Z)."""

    def check(value: Any) -> Any:
        if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
            raise PydanticCustomError(error_type, f"Input should be {wanted}, not a number")
        return value

    return BeforeValidator(check)


def _no_booleans() -> BeforeValidator:
    """Refuse true and false where a number belongs: pydantic would read them as 1 and 0."""

    def check(value: Any) -> Any:
        if isinstance(value, bool):
            raise PydanticCustomError("int_type", "Input should be a whole number, not true or false")
        return value

    return BeforeValidator(check)


# A yes/no fact is true or false, never "yes", "off" or 1 (which pydantic would otherwise accept).
Flag = Annotated[bool, Strict()]


Moment = Annotated[datetime, _no_numbers("datetime_type", "a date and time"), AfterValidator(_assume_local_zone)]
Day = Annotated[date, _no_numbers("date_type", "a date")]


def _safe_text(value: Any) -> Any:
    return strip_unsafe(value) if isinstance(value, str) else value


# Every text of the case: control characters and bidi overrides never get in (see text_safety). Dropped
# before the field's own checks, so a reason made only of them is as empty as it looks.
SafeStr = Annotated[str, BeforeValidator(_safe_text)]


def _reason_text(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = strip_unsafe(value)
    return text if text.strip() else ""


# A reason the agent must give: blank or made only of control characters, it is as empty as it looks.
Reason = Annotated[str, BeforeValidator(_reason_text)]
# TOML integers are 64-bit: a larger amount could be typed but never saved.
# A number in quotes is refused too: a brief is written by hand and "120000" may be a typo for anything.
Amount = Annotated[int, _no_booleans(), Strict(), Field(ge=0, le=2**63 - 1)]


class Part(BaseModel):
    """Base for every part of the model: unknown keys are errors, assignment is validated."""

    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=True,
        str_strip_whitespace=False,
        use_enum_values=False,
        defer_build=True,
    )


_P = TypeVar("_P", bound=Part)

# --- enumerations ---------------------------------------------------------------------


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def rank(self) -> int:
        """Higher is more severe; used to compare severities."""
        return {"medium": 1, "high": 2, "critical": 3}[self.value]


class Target(StrEnum):
    L2 = "l2"
    ENGINEERING = "engineering"
    PRODUCT = "product"
    SECURITY = "security"
    LEADERSHIP = "leadership"

    @property
    def label(self) -> str:
        return "L2 Support" if self is Target.L2 else self.value.capitalize()


class Nature(StrEnum):
    """What kind of problem this is; drives the verdict, the target and the repro checks."""

    UNKNOWN = "unknown"
    BUG = "bug"
    INFRASTRUCTURE = "infrastructure"
    DATA_LOSS = "data_loss"
    SECURITY = "security"
    FEATURE_GAP = "feature_gap"
    DESIGN_DECISION = "design_decision"
    WORKFLOW_MISMATCH = "workflow_mismatch"
    CONFIGURATION = "configuration"
    HOW_TO = "how_to"
    KNOWN_LIMITATION = "known_limitation"

    @property
    def label(self) -> str:
        return _NATURE_LABELS[self]

    @property
    def is_bug_like(self) -> bool:
        """Natures for which reproduction steps are expected."""
        return self in (Nature.BUG, Nature.DATA_LOSS, Nature.INFRASTRUCTURE)


_NATURE_LABELS = {
    Nature.UNKNOWN: "Not yet known",
    Nature.BUG: "Bug",
    Nature.INFRASTRUCTURE: "Infrastructure",
    Nature.DATA_LOSS: "Data loss or corruption",
    Nature.SECURITY: "Security concern",
    Nature.FEATURE_GAP: "Feature gap",
    Nature.DESIGN_DECISION: "Design decision",
    Nature.WORKFLOW_MISMATCH: "Workflow mismatch",
    Nature.CONFIGURATION: "Configuration or setup",
    Nature.HOW_TO: "How-to or training",
    Nature.KNOWN_LIMITATION: "Known limitation",
}


class Depth(StrEnum):
    UNKNOWN = "unknown"
    BLOCKED = "blocked"
    DEGRADED = "degraded"
    INCONVENIENCED = "inconvenienced"

    @property
    def label(self) -> str:
        return "Not yet known" if self is Depth.UNKNOWN else self.value.capitalize()


class SlaStatus(StrEnum):
    UNKNOWN = "unknown"
    WITHIN = "within"
    AT_RISK = "at_risk"
    BREACHED = "breached"

    @property
    def label(self) -> str:
        return {
            "unknown": "Not known",
            "within": "Within SLA",
            "at_risk": "At risk",
            "breached": "Breached",
        }[self.value]


class Frequency(StrEnum):
    UNKNOWN = "unknown"
    ALWAYS = "always"
    INTERMITTENT = "intermittent"
    CONDITIONAL = "conditional"

    @property
    def label(self) -> str:
        return {
            "unknown": "Not yet known",
            "always": "Always reproducible",
            "intermittent": "Intermittent",
            "conditional": "Only under certain conditions",
        }[self.value]


class AskKind(StrEnum):
    UNSET = "unset"
    INVESTIGATE = "investigate"
    FIX = "fix"
    DECIDE = "decide"
    APPROVE = "approve"

    @property
    def label(self) -> str:
        return "Not yet chosen" if self is AskKind.UNSET else self.value.capitalize()


class ContextKind(StrEnum):
    TICKET = "ticket"
    ACCOUNT = "account"
    THREAD = "thread"
    TRACKER = "tracker"
    KNOWN_ISSUE = "known_issue"
    DOC = "doc"
    LOG = "log"

    @property
    def label(self) -> str:
        return {
            "ticket": "Ticket",
            "account": "Account",
            "thread": "Internal thread",
            "tracker": "Tracker item",
            "known_issue": "Known issue",
            "doc": "Documentation",
            "log": "Log",
        }[self.value]


# --- parts ----------------------------------------------------------------------------


class Customer(Part):
    name: SafeStr = ""
    segment: SafeStr = ""
    plan: SafeStr = ""
    arr: Amount | None = Field(default=None, description="Annual recurring revenue, whole currency units.")
    key_account: Flag = Field(default=False, description="A strategic or named key account.")
    notes: SafeStr = Field(
        default="", description="Account context: key contacts, history, previous escalations, renewal."
    )


class Reporter(Part):
    name: SafeStr = ""
    team: SafeStr = ""


class Timeline(Part):
    issue_started: Day | None = None
    customer_waiting_since: Moment | None = None
    sla_due: Moment | None = None


class Problem(Part):
    description: SafeStr = ""
    why_now: SafeStr = Field(default="", description="What makes this need attention beyond normal support now.")
    nature: Nature = Nature.UNKNOWN
    bug_confirmed: Flag = Field(
        default=False, description="Support reproduced it or it is clearly not account-specific."
    )
    workaround: SafeStr = Field(
        default="", description="The workaround, fix or answer support can give the customer meanwhile."
    )


class Breadth(Part):
    customer_count: Amount | None = None
    user_count: Amount | None = None
    named_customers: list[SafeStr] = Field(default_factory=list)
    segment: SafeStr = ""
    whole_segment: Flag = Field(default=False, description="Every customer in the segment is affected.")
    growing: Flag | None = None


class ImpactDepth(Part):
    level: Depth = Depth.UNKNOWN
    workflow_impact: SafeStr = ""


class TriedStep(Part):
    action: SafeStr = ""
    result: SafeStr = ""


class Reproduction(Part):
    starting_state: SafeStr = ""
    steps: list[SafeStr] = Field(default_factory=list)
    expected: SafeStr = ""
    actual: SafeStr = ""
    environment: SafeStr = ""
    frequency: Frequency = Frequency.UNKNOWN
    frequency_detail: SafeStr = ""
    evidence: list[SafeStr] = Field(default_factory=list)
    ruled_out: list[SafeStr] = Field(default_factory=list)


class Revenue(Part):
    arr_at_risk: Amount | None = None
    pending_deals: SafeStr = ""


class Reputation(Part):
    public_risk: Flag = False
    reference_customer: Flag = False
    note: SafeStr = ""


class Contract(Part):
    sla_status: SlaStatus = SlaStatus.UNKNOWN
    obligations: SafeStr = ""
    customer_update_hours: Annotated[int, _no_booleans(), Strict()] | None = Field(
        default=None, ge=1, le=24 * 14, description="Customer-update interval the contract requires, if it sets one."
    )


class Flags(Part):
    """Facts from the seed's escalation criteria that the rest of the model cannot express."""

    production_down: Flag = False
    data_integrity_at_risk: Flag = False
    security_breach: Flag = Field(default=False, description="Data exposure or unauthorized access has happened.")
    churn_threat: Flag = False
    executive_involvement_requested: Flag = False
    policy_exception: Flag = False
    pr_legal_risk: Flag = False
    cross_functional_decision: Flag = False
    recurring_after_fix: Flag = False
    worsening: Flag = Field(default=False, description="Severity has been increasing over time.")
    beyond_support_diagnosis: Flag = False
    needs_access_support_lacks: Flag = False
    custom_implementation: Flag = False
    needs_code_change: Flag = False
    support_channels_stalled: Flag = False
    documented_workaround: Flag = Field(default=False, description="A documented solution or known workaround exists.")
    resolved_in_support_before: Flag = Field(default=False, description="Similar tickets were resolved by support.")


class Communication(Part):
    last_update: Moment | None = None
    last_update_summary: SafeStr = ""
    customer_expectation: SafeStr = ""
    escalation_risk: SafeStr = ""


class Ask(Part):
    kind: AskKind = AskKind.UNSET
    text: SafeStr = ""
    deadline: Moment | None = None


class ContextItem(Part):
    kind: ContextKind = ContextKind.TICKET
    title: SafeStr = ""
    reference: SafeStr = Field(default="", description="Ticket id or URL.")
    excerpt: SafeStr = ""


class SecurityDetails(Part):
    """What the Security team asks for: what was seen, who may be exposed, what was done, how urgent."""

    observed: SafeStr = Field(default="", description="What was seen: the exposure, access or vulnerability.")
    affected: SafeStr = Field(default="", description="Who or what may be affected: accounts, data, systems.")
    containment: SafeStr = Field(default="", description="Immediate containment steps already taken.")
    urgency: SafeStr = Field(default="", description="How urgent it is and why: ongoing exposure, deadlines.")


class ProductDetails(Part):
    """What Product management asks for before weighing a feature gap or a design decision."""

    use_case: SafeStr = Field(default="", description="What the customer is trying to get done.")
    request_count: Amount | None = Field(default=None, description="How many customers have asked for this.")
    competitive_pressure: SafeStr = Field(default="", description="Competitors that offer it, deals lost or at stake.")


class SeverityOverride(Part):
    value: Severity
    reason: Reason = Field(min_length=1)


class TargetOverride(Part):
    value: Target
    reason: Reason = Field(min_length=1)


class Escalation(Part):
    """One escalation: everything the brief shows and everything the rules read."""

    schema_version: Annotated[int, _no_booleans(), Strict()] = Field(default=1, ge=0, le=2**63 - 1)
    summary: SafeStr = ""
    created: Moment | None = None
    customer: Customer = Field(default_factory=Customer)
    reporter: Reporter = Field(default_factory=Reporter)
    timeline: Timeline = Field(default_factory=Timeline)
    problem: Problem = Field(default_factory=Problem)
    breadth: Breadth = Field(default_factory=Breadth)
    depth: ImpactDepth = Field(default_factory=ImpactDepth)
    tried: list[TriedStep] = Field(default_factory=list)
    reproduction: Reproduction = Field(default_factory=Reproduction)
    revenue: Revenue = Field(default_factory=Revenue)
    reputation: Reputation = Field(default_factory=Reputation)
    contract: Contract = Field(default_factory=Contract)
    flags: Flags = Field(default_factory=Flags)
    security: SecurityDetails = Field(default_factory=SecurityDetails)
    product: ProductDetails = Field(default_factory=ProductDetails)
    communication: Communication = Field(default_factory=Communication)
    ask: Ask = Field(default_factory=Ask)
    context: list[ContextItem] = Field(default_factory=list)
    severity_override: SeverityOverride | None = None
    target_override: TargetOverride | None = None
    edited_brief: SafeStr | None = Field(
        default=None,
        description="The brief as the agent edited it by hand (Markdown); exported and sent instead of the "
        "generated one while it is set.",
    )


def blank_escalation(**values: Any) -> Escalation:
    """A new Escalation, every part at its defaults, built without validating (model_construct).

    For callers that store only values of each field's own type (the intake parser). The result
    equals a validated one, but no pydantic validator gets built: the first build is slow enough to
    be felt before the first screen; `build_validators` does it later.
    """
    if isinstance(values.get("created"), datetime):
        values["created"] = _assume_local_zone(values["created"])
    return _blank(Escalation, values)


def _blank(part: type[_P], values: dict[str, Any]) -> _P:
    # Default factories are called here: model_construct would first inspect each one's signature,
    # and for a builtin such as `list` that tokenizes its text signature, slowly, on first use.
    given = set(values)
    for name, field in part.model_fields.items():
        factory = field.default_factory
        if name in values or factory is None:
            continue
        if isinstance(factory, type) and issubclass(factory, Part):
            values[name] = _blank(factory, {})
        else:
            values[name] = factory()  # type: ignore[call-arg]  # no field here takes the validated data
    return part.model_construct(_fields_set=given, **values)


def build_validators() -> None:
    """Build every part's validator now (otherwise they are built on first use: on a keystroke)."""
    for part in Part.__subclasses__():
        part.model_rebuild()
