"""`mutmut run`, less its clean-test pass (scripts/mutation.sh runs it this way).

Before its first mutant, mutmut 3 runs every selected test twice: once to learn which
tests reach which function (its stats run, which stops the whole run if a test fails),
then again unmutated ("clean tests"). The second pass proves nothing the first did not
and costs a minute or more of the half hour, so it is skipped. It patches mutmut's
runner: tied to the mutmut version mutation.sh pins.

    .tools/mutmut/bin/python scripts/mutmut_run.py [--max-children N] [PATTERN ...]
"""

from __future__ import annotations

import sys

from mutmut.__main__ import cli
from mutmut.workers.isolation import ForkRunner

ForkRunner.run_clean_tests = lambda self, tests: 0  # the stats run already ran them clean

if __name__ == "__main__":
    cli(["run", *sys.argv[1:]])
