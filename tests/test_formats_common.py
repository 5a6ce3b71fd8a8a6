"""What the formats share: stable ids, offsets, timestamps."""

from __future__ import annotations

import uuid

import pytest

from tui.core.formats import checks
from tui.core.formats.common import IMPORT_NAMESPACE, stable_id
from tui.core.formats.offsets import Utf16Map


@pytest.mark.parametrize("args", [("a1", 0, 5, "claim", "ann"),
                                  ("world news/東京 👍🏽", 7, 99, "factual error", "bob\x1f")])
def test_stable_ids_are_uuid5_as_before(args) -> None:
    name = "\x1f".join(map(str, args))
    assert stable_id(*args) == str(uuid.uuid5(IMPORT_NAMESPACE, name))


def test_utf16_map_finds_every_astral_character() -> None:
    text = "a👍🏽b🇯🇵c東京\U0010ffff"
    assert Utf16Map(text).astral == [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
    assert Utf16Map(text).utf16_length() == len(text.encode("utf-16-le")) // 2


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-11-23T10:00:00.000000Z", "2026-11-23T10:00:00.000000Z"),
    ("2026-11-23T10:00:00Z", "2026-11-23T10:00:00.000000Z"),
    ("2026-11-23T11:30:00.25+01:30", "2026-11-23T10:00:00.250000Z"),
    ("2026-11-23t10:00:00z", "2026-11-23T10:00:00.000000Z"),
])
def test_rfc3339_timestamps_become_redline_form(value, expected) -> None:
    assert checks.timestamp("created_at", value) == expected


@pytest.mark.parametrize("value", ["2026-02-30T10:00:00.000000Z", "2026-11-23T24:00:00.000000Z",
                                   "2026-11-23", "2026-11-23T10:00:00", "23/11/2026 10:00", "",
                                   "2026-11-23T10:00:00.000000Z\n"])
def test_other_timestamps_are_refused(value) -> None:
    with pytest.raises(ValueError, match="not an RFC 3339 timestamp"):
        checks.timestamp("created_at", value)
