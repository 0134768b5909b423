"""Qt widgets and windows. Logic lives in facegym_desktop.core."""
