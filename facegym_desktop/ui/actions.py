"""The window's actions, declared once: text, keys, whether they tick, and their menu.

``ACTIONS`` is the table: one ``ActionSpec`` per ``ActionId``, in menu order.
``ActionTable`` makes a ``QAction`` for each entry, gives those with keys to the
window (so the keys work wherever the focus is) and places all of them in the menu
bar.  What an action does is connected by the window; nothing here knows.

Two kinds of keys: ``shortcuts`` name a key (and modifiers) as Qt key sequences;
``typed`` name a character, whichever key and layout produce it.  "+" is Shift+= on
a US keyboard, a key of its own elsewhere and on the keypad, so it is matched by the
character typed rather than as a shortcut (both "+" and "Shift+=" as shortcuts
match the same key press and Qt then calls it ambiguous and does nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from enum import Enum, auto
from typing import NamedTuple

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, SignalInstance
from PySide6.QtGui import QAction, QActionGroup, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QMenuBar, QWidget

from facegym_desktop import APP_NAME


class ActionId(Enum):
    """Every action of the main window."""

    HISTORY = auto()
    PREFERENCES = auto()
    QUIT = auto()
    PAUSE = auto()
    NEXT = auto()
    PREVIOUS = auto()
    RESTART = auto()
    MORE_TIME = auto()
    LESS_TIME = auto()
    STOP = auto()
    DARK_THEME = auto()
    FOLLOW_DESKTOP = auto()
    MIRROR = auto()
    FULL_SCREEN = auto()
    MUTE = auto()
    VERBOSITY_FULL = auto()
    VERBOSITY_BRIEF = auto()
    VERBOSITY_COUNTS = auto()
    VERBOSITY_OFF = auto()
    FASTER = auto()
    SLOWER = auto()
    VOICE_DIALOG = auto()
    # Help
    SHORTCUTS = auto()
    OPEN_DATA_FOLDER = auto()
    ABOUT = auto()


class Menu(Enum):
    """The menus, in menu-bar order; the value is the title."""

    APP = "&FaceGym"
    SESSION = "&Session"
    VIEW = "&View"
    VOICE = "V&oice"
    VERBOSITY = "How much the coach says"
    HELP = "&Help"


SUBMENUS: Mapping[Menu, Menu] = {Menu.VERBOSITY: Menu.VOICE}  # submenu -> the menu it is in


class ActionSpec(NamedTuple):
    """One action: its text, keys (Qt key-sequence text) and place.

    ``typed``: characters that trigger it whichever key types them, with or without
    Shift or the keypad (never with Ctrl, Alt or Meta); the first one shows in the
    menu.  ``session``: usable only while a session runs. ``group``: checkable actions of
    one group name exclude each other. ``separator_before``: a line above it in
    its menu. ``standard_key``: the platform's own keys for it are added to
    ``shortcuts`` (each sequence once, so none is ambiguous).
    """

    text: str
    menu: Menu
    shortcuts: tuple[str, ...] = ()
    typed: tuple[str, ...] = ()
    checkable: bool = False
    session: bool = False
    group: str = ""
    separator_before: bool = False
    standard_key: QKeySequence.StandardKey | None = None


ACTIONS: Mapping[ActionId, ActionSpec] = {
    ActionId.HISTORY: ActionSpec("History…", Menu.APP, ("Ctrl+H",)),
    ActionId.PREFERENCES: ActionSpec(
        "Settings…", Menu.APP, ("Ctrl+,",), standard_key=QKeySequence.StandardKey.Preferences
    ),
    ActionId.QUIT: ActionSpec("Quit", Menu.APP, ("Ctrl+Q",), separator_before=True),
    ActionId.PAUSE: ActionSpec("Pause or resume", Menu.SESSION, ("Space",), session=True),
    ActionId.NEXT: ActionSpec("Next move", Menu.SESSION, ("Right",), session=True),
    ActionId.PREVIOUS: ActionSpec("Previous move", Menu.SESSION, ("Left",), session=True),
    ActionId.RESTART: ActionSpec("Restart move", Menu.SESSION, ("R",), session=True),
    ActionId.MORE_TIME: ActionSpec(
        "Ten seconds more", Menu.SESSION, typed=("+", "="), session=True
    ),
    ActionId.LESS_TIME: ActionSpec(
        "Ten seconds less", Menu.SESSION, typed=("-", "_"), session=True
    ),
    ActionId.STOP: ActionSpec("Stop session", Menu.SESSION, ("Escape",), session=True),
    ActionId.DARK_THEME: ActionSpec("Dark theme", Menu.VIEW, ("Ctrl+D",), checkable=True),
    ActionId.FOLLOW_DESKTOP: ActionSpec(
        "Light or dark like the desktop", Menu.VIEW, ("Ctrl+Shift+D",), checkable=True
    ),
    ActionId.MIRROR: ActionSpec("Mirror the picture", Menu.VIEW, ("Ctrl+I",), checkable=True),
    ActionId.FULL_SCREEN: ActionSpec("Full screen", Menu.VIEW, ("F", "F11")),
    ActionId.MUTE: ActionSpec("Mute voice", Menu.VOICE, ("M",), checkable=True),
    ActionId.VERBOSITY_FULL: ActionSpec(
        "Everything", Menu.VERBOSITY, checkable=True, group="verbosity"
    ),
    ActionId.VERBOSITY_BRIEF: ActionSpec(
        "Brief", Menu.VERBOSITY, checkable=True, group="verbosity"
    ),
    ActionId.VERBOSITY_COUNTS: ActionSpec(
        "Counts only", Menu.VERBOSITY, checkable=True, group="verbosity"
    ),
    ActionId.VERBOSITY_OFF: ActionSpec(
        "Nothing (captions only)", Menu.VERBOSITY, checkable=True, group="verbosity"
    ),
    ActionId.FASTER: ActionSpec("Speak faster", Menu.VOICE),
    ActionId.SLOWER: ActionSpec("Speak slower", Menu.VOICE),
    ActionId.VOICE_DIALOG: ActionSpec(
        "Voice, speed and volume…", Menu.VOICE, ("Ctrl+Shift+V",), separator_before=True
    ),
    # Help (see ui/help_dialogs.py)
    ActionId.SHORTCUTS: ActionSpec("Keyboard shortcuts", Menu.HELP, ("F1",)),
    ActionId.OPEN_DATA_FOLDER: ActionSpec("Open data folder", Menu.HELP),
    ActionId.ABOUT: ActionSpec(f"About {APP_NAME}", Menu.HELP, separator_before=True),
}

# Each verbosity level of core.settings.VERBOSITY_LEVELS and its menu entry.
VERBOSITY_ACTIONS: Mapping[str, ActionId] = {
    "full": ActionId.VERBOSITY_FULL,
    "brief": ActionId.VERBOSITY_BRIEF,
    "counts": ActionId.VERBOSITY_COUNTS,
    "off": ActionId.VERBOSITY_OFF,
}


# Modifiers a typed character may come with: Shift (it makes "+" on a US keyboard)
# and the keypad's own flag.
TYPED_MODIFIERS = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


def typed_character(event: QKeyEvent) -> str:
    """The character a key press types, for matching ``ActionSpec.typed``.

    The event's text, or when it has none (synthetic events) the character of its
    key code; "" for a press with Ctrl, Alt or Meta, or one that types nothing.
    """
    if event.modifiers() & ~TYPED_MODIFIERS:
        return ""
    text = event.text()
    if len(text) == 1 and text.isprintable():
        return text
    key = event.key()
    return chr(key) if 0x20 < key < 0x110000 and chr(key).isprintable() else ""


class _TypedKeys(QObject):
    """Triggers the action of each typed character pressed anywhere in the window."""

    def __init__(self, window: QWidget, actions: Mapping[str, QAction]) -> None:
        super().__init__(window)
        self._actions = actions
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # Key presses a child ignores reach the window through this filter too.
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            action = self._actions.get(typed_character(event))
            if action is not None and action.isEnabled():
                action.trigger()
                return True
        return False


def keys_of(spec: ActionSpec) -> list[QKeySequence]:
    """The keys of ``spec``: its ``shortcuts``, then the platform's ``standard_key`` ones
    it lacks, each sequence once.  Needs a running QGuiApplication for the platform's."""
    keys = [QKeySequence(text) for text in spec.shortcuts]
    if spec.standard_key is not None:
        keys += QKeySequence.keyBindings(spec.standard_key)
    unique: dict[str, QKeySequence] = {}
    for key in keys:
        text = key.toString(QKeySequence.SequenceFormat.PortableText)
        if text:
            unique.setdefault(text, key)
    return list(unique.values())


class ActionTable:
    """A ``QAction`` for each entry of ``specs``, owned by ``window``.

    Actions with keys are added to the window with a window-wide shortcut context;
    typed characters are watched for in the window's key presses (those its focused
    widget leaves alone); session actions start disabled.
    """

    def __init__(self, window: QWidget, specs: Mapping[ActionId, ActionSpec] = ACTIONS) -> None:
        self._specs = dict(specs)
        self._actions: dict[ActionId, QAction] = {}
        typed: dict[str, QAction] = {}
        groups: dict[str, QActionGroup] = {}
        for action_id, spec in self._specs.items():
            # After a tab, menus show the text as the action's key.
            text = f"{spec.text}\t{spec.typed[0]}" if spec.typed else spec.text
            action = QAction(text, window)
            action.setCheckable(spec.checkable)
            if spec.group:
                if spec.group not in groups:
                    groups[spec.group] = QActionGroup(window)
                groups[spec.group].addAction(action)
            if keys := keys_of(spec):
                action.setShortcuts(keys)
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
                window.addAction(action)
            action.setEnabled(not spec.session)
            self._actions[action_id] = action
            typed |= dict.fromkeys(spec.typed, action)
        self._typed_keys = _TypedKeys(window, typed)

    def __getitem__(self, action_id: ActionId) -> QAction:
        return self._actions[action_id]

    def __iter__(self) -> Iterator[ActionId]:
        return iter(self._actions)

    def connect(self, slots: Mapping[ActionId, Callable[[], object]]) -> None:
        """Call each action's slot (no arguments) each time the action is triggered."""
        for action_id, slot in slots.items():
            self._actions[action_id].triggered.connect(lambda _checked=False, s=slot: s())

    def bind_checked(
        self, marks: Iterable[tuple[ActionId, bool, SignalInstance | None]]
    ) -> None:
        """Tick each action as ``checked`` now, and later as its ``changed(bool)`` says.

        ``marks`` holds (action, checked, changed) triples; ``changed`` may be None.
        """
        for action_id, checked, changed in marks:
            action = self._actions[action_id]
            action.setChecked(checked)
            if changed is not None:
                changed.connect(action.setChecked)

    def key_sequences(self) -> dict[ActionId, list[QKeySequence]]:
        """Each action's shortcuts as Qt has them (typed characters not included)."""
        return {action_id: action.shortcuts() for action_id, action in self._actions.items()}

    def typed(self) -> dict[str, ActionId]:
        """Each typed character and the action it triggers."""
        return {char: a for a, spec in self._specs.items() for char in spec.typed}

    def session_actions(self) -> list[QAction]:
        """The actions that work only while a session runs, in menu order."""
        return [self._actions[i] for i, spec in self._specs.items() if spec.session]

    def place(
        self, menu_bar: QMenuBar, on_menus_closed: Callable[[], object] | None = None
    ) -> dict[Menu, QMenu]:
        """Add the menus and every action to ``menu_bar``; returns the menus made.

        ``on_menus_closed`` is called from the event loop once a menu has closed and
        no other is open (a menu closed with Escape leaves the menu bar holding the
        focus, where Enter opens the menu again: the window takes it back).
        """
        menus: dict[Menu, QMenu] = {}
        for menu in Menu:
            if menu not in SUBMENUS:
                menus[menu] = menu_bar.addMenu(menu.value)
        for action_id, spec in self._specs.items():
            if spec.menu not in menus:
                menus[spec.menu] = menus[SUBMENUS[spec.menu]].addMenu(spec.menu.value)
            if spec.separator_before:
                menus[spec.menu].addSeparator()
            menus[spec.menu].addAction(self._actions[action_id])
        if on_menus_closed is not None:

            def closed() -> None:
                if QApplication.activePopupWidget() is None:
                    on_menus_closed()

            for made in menus.values():
                made.aboutToHide.connect(lambda: QTimer.singleShot(0, menu_bar, closed))
        return menus
