"""`citizen-bot`: the terminal entry point for residents, administrators and developers.

``cli.main`` builds the command from one module per group of subcommands; ``python -m cli``
runs it without the installed script. This package sits above ``bot/`` and ``handlers/``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

#: Adds the shared ``--knowledge DIR`` option to a subcommand's parser (``cli.main.knowledge_arg``).
KnowledgeArg = Callable[[argparse.ArgumentParser], None]
