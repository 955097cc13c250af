"""PIA Desk: an editor for 特定個人情報保護評価書 that records every change as a row of
the （別添２）変更箇所 table."""

# The single source of the version (pyproject.toml reads it); a constant, because
# importlib.metadata costs ~25 ms of every start.
__version__ = "0.1.0"

APP_NAME = "PIA Desk"
