"""``python -m talkturo_async.cli`` is the ``talkturo`` command."""

from . import main

raise SystemExit(main())
