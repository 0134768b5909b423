"""Spoken cues: one Speaker interface, one class per backend.

``coach.VoiceCoach`` is what a session window holds; ``tts.WorkerSpeaker`` speaks
through a pyttsx3 worker process and a killable player; ``null.NullSpeaker`` is
silent.  Speech problems are logged here and reported to the user by the coach,
never printed on their own.
"""

import logging

logging.getLogger(__name__).addHandler(logging.NullHandler())
