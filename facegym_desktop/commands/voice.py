"""The `facegym voice` commands."""

from __future__ import annotations

import argparse

from facegym_desktop.commands.common import add_command


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    add_command(subparsers, "voice", "voice commands")
