"""FaceGym Desktop: guided face massage at the mirror."""

__version__ = "0.1.0"
APP_ID = "io.github.facegym.Desktop"
APP_NAME = "FaceGym Desktop"
