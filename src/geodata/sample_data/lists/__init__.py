"""The `lists` labelled-set family: real address vocabularies, independent error models.

Street, town, postcode-area and business names come from faker's locale data (see
`vocabulary`), halved between a `tune` and a `report` split; the sources and their errors
(`sources`, `errors`, `renderers`) are written from how real files get addresses wrong.
Files and declarations are the `evaluation` Kedro environment's (docs/quality.md).
"""

SPLITS: tuple[str, ...] = ("tune", "report")
"""`tune`: the split to look at while changing the engine; `report`: only ever reported,
never tuned on. The generator lives in `generate` (it needs faker, the `evaluation` extra)."""
