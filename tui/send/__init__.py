"""Sending a brief where the target team works.

Each destination type is one module (`slack`, `lark`, `jira`, …) with the same four names:
`Config` (its options, checked by pydantic), `build` (the payload, pure: no secret, no clock, no
network), `request` (the exact request that would leave, secrets read from the environment) and
`deliver` (send it once and say how it went). `kinds` finds a type's module by name, `plan` turns a
case into the payloads for the chosen destinations, and the outbox worker delivers them.
"""
