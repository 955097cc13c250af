"""PIA Desk: an editor for 特定個人情報保護評価書 that records every change as a row
of the （別添２）変更箇所 table."""

from importlib import metadata

try:
    __version__ = metadata.version("pia-desk")
except metadata.PackageNotFoundError:  # running from a source tree
    __version__ = "0.1.0"

APP_NAME = "PIA Desk"
