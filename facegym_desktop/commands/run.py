"""Opening the app: ``facegym``, ``facegym run ROUTINE`` and ``facegym --smoke``."""

from __future__ import annotations

import argparse

from facegym_desktop.commands.common import add_command

SPEECH_WORKER_FLAG = "--speech-worker"


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(subparsers, "run", "open the session window and start a routine")
    parser.add_argument("routine", metavar="ROUTINE")
    parser.set_defaults(handler=open_app)


def speech_worker_main(argv: list[str]) -> int:
    from facegym_desktop.speech.worker import worker_main

    return worker_main(argv)


def open_app(args: argparse.Namespace) -> int:
    print("ok")
    return 0
