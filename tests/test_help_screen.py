"""The help screen: generated from the bindings, its text shown as written."""

from __future__ import annotations

from tests.conftest import screen_lines


async def test_the_caption_shows_the_keymap_section_name_literally(make_app) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(160, 50)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        text = " ".join(" ".join(screen_lines(app)).split())
        assert "Remap any key in the settings file under [keymap], by the id on the right" in text
        assert "library.filter" in text  # the ids the caption talks about
