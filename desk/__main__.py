"""Allow `python -m desk`."""

from desk.cli import main

if __name__ == "__main__":  # not when a child process of desk's loads this module again
    raise SystemExit(main())
