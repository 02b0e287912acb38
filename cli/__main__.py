"""``python -m cli``: the `citizen-bot` command without the installed script."""

from cli.main import main

raise SystemExit(main())
