"""Colours and type for the painted widgets, in a light and a dark variant.

Pressure colours run from feather to firm through calm teal, blue and indigo, and
their lightness falls steadily with the level in both themes, so the order still
reads for people who do not tell the hues apart (and in greyscale).  Sizes are in
pixels and chosen for reading from about two metres; ``Theme.scaled`` enlarges or
shrinks them all together.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from PySide6.QtGui import QColor, QFont, QPalette

from facegym_desktop.core.contrast import RGB, relative_luminance
from facegym_desktop.core.contrast import contrast_ratio as wcag_contrast
from facegym_desktop.core.vocabulary import PRESSURE_IDS


class Theme(NamedTuple):
    """Colours, font family and text sizes of one look (light or dark).

    Compared field by field; not hashable (``pressure`` is a mapping), and shown by
    name only.
    """

    name: str
    dark: bool
    background: str
    surface: str  # cards and panels a shade off the background
    text: str
    text_muted: str
    track: str  # the empty part of the ring
    outer_track: str  # the empty part of the session-progress track
    session: str  # the filled part of the session-progress track
    caution: str
    caution_background: str
    skin: str
    skin_shade: str
    face_line: str
    hair: str
    eye_white: str
    iris: str
    lips: str
    stroke: str  # stroke paths on the face map
    marker: str  # the moving marker
    pip_empty: str
    pressure: Mapping[str, str] = MappingProxyType({})
    heat: tuple[str, str] = ("#ffffff", "#000000")  # history shading from 0 to 1
    font_family: str = "Sans Serif"
    body_px: int = 22  # the one-line feel, captions
    label_px: int = 26  # area names and level names
    small_px: int = 18

    def __repr__(self) -> str:
        return f"Theme({self.name!r})"

    def color(self, attribute: str) -> QColor:
        """A theme colour as a QColor: ``theme.color("text")``."""
        return QColor(getattr(self, attribute))

    def pressure_color(self, level_id: str | None) -> QColor:
        """The colour of a pressure level; the muted text colour for None or unknown."""
        if level_id is None or level_id not in self.pressure:
            return QColor(self.text_muted)
        return QColor(self.pressure[level_id])

    def heat_color(self, amount: float) -> QColor:
        """History shading: blends from ``heat[0]`` at 0 to ``heat[1]`` at 1."""
        amount = min(1.0, max(0.0, amount))
        low, high = QColor(self.heat[0]), QColor(self.heat[1])
        return QColor(
            round(low.red() + (high.red() - low.red()) * amount),
            round(low.green() + (high.green() - low.green()) * amount),
            round(low.blue() + (high.blue() - low.blue()) * amount),
        )

    def font(self, px: int, *, bold: bool = False) -> QFont:
        """A font of ``px`` pixels in the theme's family."""
        font = QFont(self.font_family)
        font.setPixelSize(max(1, int(px)))
        font.setWeight(QFont.Weight.DemiBold if bold else QFont.Weight.Normal)
        return font

    def scaled(self, factor: float) -> Theme:
        """The same theme with every text size multiplied by ``factor``."""
        return self._replace(
            body_px=round(self.body_px * factor),
            label_px=round(self.label_px * factor),
            small_px=round(self.small_px * factor),
        )


def _levels(*colours: str) -> Mapping[str, str]:
    assert len(colours) == len(PRESSURE_IDS)
    return MappingProxyType(dict(zip(PRESSURE_IDS, colours, strict=True)))


LIGHT = Theme(
    name="light",
    dark=False,
    background="#f6f3ee",
    surface="#ece7df",
    text="#22272e",
    text_muted="#5b626b",
    track="#e2ddd4",
    outer_track="#e6e0d6",
    session="#8a8f98",
    caution="#8a4b08",
    caution_background="#fbe9cf",
    skin="#f3dcc8",
    skin_shade="#e6c6ab",
    face_line="#9c7b66",
    hair="#6b5446",
    eye_white="#fbf8f4",
    iris="#5b6e7c",
    lips="#c98f86",
    stroke="#2e3a48",
    marker="#1f2a36",
    pip_empty="#d6d0c6",
    # feather -> firm: teal to indigo, each one darker than the last
    pressure=_levels("#419889", "#2d8187", "#2f6a98", "#3d4c8e", "#2e2363"),
    heat=("#f3dcc8", "#b5532f"),
)

DARK = Theme(
    name="dark",
    dark=True,
    background="#15191e",
    surface="#1f252c",
    text="#eef1f4",
    text_muted="#a3acb6",
    track="#2d343d",
    outer_track="#262c34",
    session="#8d96a1",
    caution="#ffc46b",
    caution_background="#3a2c16",
    skin="#54453f",
    skin_shade="#473a35",
    face_line="#a88d7d",
    hair="#2c2320",
    eye_white="#d9d3cf",
    iris="#7d95a6",
    lips="#9a6a66",
    stroke="#e9edf1",
    marker="#ffffff",
    pip_empty="#39414b",
    # feather -> firm: still teal to violet and still darker at each step, but every
    # one bright enough to stand out on the dark background.
    pressure=_levels("#b4ece0", "#6fd0c3", "#5eb0e0", "#7f8fe6", "#8c5fd0"),
    heat=("#54453f", "#f08a5d"),
)

THEMES: Mapping[str, Theme] = MappingProxyType({"light": LIGHT, "dark": DARK})


def theme_for(setting: str, desktop_is_dark: bool) -> Theme:
    """The theme for a ``theme`` setting: "light", "dark", or "system" (follow the desktop)."""
    if setting in THEMES:
        return THEMES[setting]
    return DARK if desktop_is_dark else LIGHT


def _rgb(colour: str | QColor) -> RGB:
    qcolour = QColor(colour)
    return (qcolour.red(), qcolour.green(), qcolour.blue())


def _luminance(colour: str | QColor) -> float:
    """Relative luminance (0..1) of an sRGB colour."""
    return relative_luminance(_rgb(colour))


def relative_lightness(colour: str | QColor) -> float:
    """CIE L* (0..100) of an sRGB colour: the lightness people perceive."""
    luminance = _luminance(colour)
    if luminance > 216 / 24389:
        return float(116 * luminance ** (1 / 3) - 16)
    return luminance * 24389 / 27


def contrast_ratio(first: str | QColor, second: str | QColor) -> float:
    """WCAG contrast ratio between two colours (1..21); see :mod:`core.contrast`."""
    return wcag_contrast(_rgb(first), _rgb(second))


def text_scale(width: int, height: int) -> float:
    """How much to scale the text for a view of this size.

    A small window (900x600) needs smaller type so the pressure guide leaves the ring
    room and the start screen's details fit; a full-HD screen has room for larger
    type, read from two metres (the session screen uses that; the start screen,
    read at arm's length, never grows).
    """
    if width < 1100 or height < 640:
        return 0.8
    if width >= 1700 and height >= 900:
        return 1.3
    return 1.0


def palette_for(theme: Theme) -> QPalette:
    """The Qt palette of ``theme``: what menus, the menu bar, dialogs and any widget
    without a style sheet of its own are painted with."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: theme.background,
        QPalette.ColorRole.WindowText: theme.text,
        QPalette.ColorRole.Base: theme.background,
        QPalette.ColorRole.AlternateBase: theme.surface,
        QPalette.ColorRole.Text: theme.text,
        QPalette.ColorRole.Button: theme.surface,
        QPalette.ColorRole.ButtonText: theme.text,
        QPalette.ColorRole.ToolTipBase: theme.surface,
        QPalette.ColorRole.ToolTipText: theme.text,
        QPalette.ColorRole.PlaceholderText: theme.text_muted,
        QPalette.ColorRole.Highlight: theme.pressure["medium"],
        QPalette.ColorRole.HighlightedText: on_accent(theme),
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(theme.text_muted))
    palette.setColor(
        QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(theme.text_muted)
    )
    return palette


def on_accent(theme: Theme) -> str:
    """Text colour on the accent (medium pressure) colour, at a contrast of at least 4.5."""
    return "#10151a" if theme.dark else "#ffffff"
