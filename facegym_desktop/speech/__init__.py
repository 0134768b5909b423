"""Spoken cues: one Speaker interface, one class per backend."""
