"""Plain-Python logic of FaceGym Desktop. Nothing in this package imports Qt."""
