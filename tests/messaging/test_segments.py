"""Segments and characters left, counted as carriers count them (GSM-7 with its
extension table, otherwise UCS-2 in UTF-16 code units), at every boundary."""

from __future__ import annotations

import pytest

from callplatform.messaging.segments import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    SegmentCount,
    count_segments,
    encoding_of,
)

EMOJI = "😀"  # U+1F600: a surrogate pair, two UTF-16 units


def test_empty_text_takes_no_segment_and_leaves_a_whole_one():
    assert count_segments("") == SegmentCount("GSM-7", 0, 0, 160)


@pytest.mark.parametrize(
    ("length", "segments", "left"),
    [
        (1, 1, 159),
        (159, 1, 1),
        (160, 1, 0),
        (161, 2, 145),  # split: 153 + 8, the second part holds 153
        (153 * 2, 2, 0),
        (153 * 2 + 1, 3, 152),
        (153 * 3, 3, 0),
        (1600, 11, 153 * 11 - 1600),
    ],
)
def test_gsm7_boundaries(length, segments, left):
    assert count_segments("a" * length) == SegmentCount("GSM-7", segments, length, left)


@pytest.mark.parametrize(
    ("length", "segments", "left"),
    [
        (1, 1, 69),
        (70, 1, 0),
        (71, 2, 63),  # 67 + 4
        (67 * 2, 2, 0),
        (67 * 2 + 1, 3, 66),
    ],
)
def test_ucs2_boundaries(length, segments, left):
    text = "ж" * length  # Cyrillic: outside GSM-7, one UTF-16 unit each
    assert count_segments(text) == SegmentCount("UCS-2", segments, length, left)


def test_one_character_outside_the_alphabet_sends_everything_as_ucs2():
    assert count_segments("a" * 69 + "ç").encoding == "UCS-2"  # ç (small) is not GSM-7
    assert count_segments("a" * 69 + "ç").segments == 1
    assert count_segments("a" * 70 + "ç").segments == 2  # 71 units


def test_extension_characters_cost_two_septets():
    assert count_segments("€") == SegmentCount("GSM-7", 1, 2, 158)
    assert count_segments("{" * 80) == SegmentCount("GSM-7", 1, 160, 0)
    # Split: 76 pairs fill 152 septets, the 77th cannot straddle, so the second part
    # holds 4 pairs and the "a": 9 septets.
    assert count_segments("{" * 80 + "a") == SegmentCount("GSM-7", 2, 161, 153 - 9)


def test_an_escape_pair_is_never_split_between_parts():
    # 152 septets, then an extension character: one septet left in the part is not
    # enough, so the part ends at 152 and the pair starts the next.
    text = "a" * 152 + "€" + "a" * 10
    assert count_segments(text) == SegmentCount("GSM-7", 2, 164, 153 - 12)
    # Exactly filling the part with the pair keeps it in the first part.
    text = "a" * 151 + "€" + "a" * 10
    assert count_segments(text) == SegmentCount("GSM-7", 2, 163, 153 - 10)


def test_an_extension_character_ending_the_last_part_leaves_nothing():
    text = "a" * 304 + "]"  # 306 septets: two full parts
    assert count_segments(text) == SegmentCount("GSM-7", 2, 306, 0)
    text = "a" * 305 + "]"  # 307: the pair cannot straddle, the third part holds it
    assert count_segments(text) == SegmentCount("GSM-7", 3, 307, 151)


def test_emoji_count_two_units():
    assert count_segments(EMOJI) == SegmentCount("UCS-2", 1, 2, 68)
    assert count_segments(EMOJI * 35) == SegmentCount("UCS-2", 1, 70, 0)
    # Split: 33 emoji fill 66 units of the first part; two more and the "a" are 5.
    assert count_segments(EMOJI * 35 + "a") == SegmentCount("UCS-2", 2, 71, 67 - 5)


def test_an_emoji_is_never_split_between_parts():
    # 66 units then an emoji: one unit left, so the pair opens the second part.
    text = "ж" * 66 + EMOJI + "ж" * 3
    assert count_segments(text) == SegmentCount("UCS-2", 2, 71, 67 - 5)
    text = "ж" * 65 + EMOJI + "ж" * 4  # the pair fills the first part exactly
    assert count_segments(text) == SegmentCount("UCS-2", 2, 71, 67 - 4)


def test_emoji_only_messages_at_the_part_boundary():
    # 33 emoji = 66 units per part (the 67th unit cannot hold half a pair).
    assert count_segments(EMOJI * 36) == SegmentCount("UCS-2", 2, 72, 67 - 6)
    assert count_segments(EMOJI * 66) == SegmentCount("UCS-2", 2, 132, 1)
    assert count_segments(EMOJI * 67) == SegmentCount("UCS-2", 3, 134, 67 - 2)


def test_the_bmp_ends_at_u_ffff():
    assert count_segments("\uffff").characters_used == 1  # the last one-unit code point
    assert count_segments("\U00010000").characters_used == 2  # the first surrogate pair


def test_bmp_symbols_outside_gsm_cost_one_unit():
    assert count_segments("✓") == SegmentCount("UCS-2", 1, 1, 69)  # U+2713
    assert count_segments("’") == SegmentCount("UCS-2", 1, 1, 69)  # a curly apostrophe


def test_the_alphabet_tables_are_gsm_03_38():
    assert len(GSM7_BASIC) == 127  # 128 codes less the escape
    assert set(GSM7_EXTENSION) == set("\f^{}\\[~]|€")
    assert encoding_of("".join(sorted(GSM7_BASIC | GSM7_EXTENSION))) == "GSM-7"
    for outside in ("`", "ç", "á", "\t", "©", "–", EMOJI):
        assert encoding_of("a" + outside) == "UCS-2", outside
    assert {"Ç", "ß", "¡", "¿", "\n", "\r", "Δ", "¤"} <= GSM7_BASIC


def test_newlines_and_mixed_text():
    assert count_segments("Hi!\nSee you at 5 @ Joe's") == SegmentCount("GSM-7", 1, 24, 136)
    assert count_segments("Price: 5€ [incl.]") == SegmentCount("GSM-7", 1, 20, 140)
    assert count_segments("Tschüß 👋") == SegmentCount("UCS-2", 1, 9, 61)
