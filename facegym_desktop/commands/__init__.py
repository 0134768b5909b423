"""Command-line subcommands, one module per command group."""
