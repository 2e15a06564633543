"""`python -m app brief …` and `python -m app daily …`."""

from app.cli import main

raise SystemExit(main())
