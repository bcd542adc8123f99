"""Where the Context step's search looks: the team's tools and local exports, each a *source*.

The contract every source type keeps (one module per type, `tui/sources/<type>.py`, listed in
`kinds.KIND_NAMES`):

- `Config`: its `[[sources]]` table, a `SourceConfig` subclass with ``type: Literal["<type>"]``.
  Secrets only by environment-variable name (``*_env`` keys), URLs https or loopback.
- `open_source(config, env, place) -> Source`: the source, ready to answer; `env` is where secrets are
  read from (a missing one is a `SourceError` naming the variable), `place` says where local data
  and the drafts database live.
- `Source.search(query) -> list[SourceItem]` (async): the items matching `query`, newest or best
  first, at most `query.limit`; a `SourceError` in words a person can act on (which source, what to
  check: "401 from Zendesk: check the token in $ZENDESK_TOKEN") for anything that went wrong.

Text from a source is hostile: items keep it as plain text (control characters removed); nothing
parses it as markup.
"""
