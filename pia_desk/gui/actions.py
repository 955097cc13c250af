"""Every action of the main window, listed once: what it runs and when it is enabled.

Texts, shortcuts and menu places are the Designer's (ui/main_window.ui); this table
gives the rest, and the lists the window and the form check use are derived from it.
A test keeps the table and the .ui file the same set of actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Needs(Enum):
    NOTHING = "nothing"  # always enabled (new, open, quit, about)
    PROJECT = "project"  # a project is open, even read-only (save as, export, find)
    WRITABLE = "writable"  # the open project may be changed (save, edit, revisions)


@dataclass(frozen=True)
class ActionSpec:
    name: str  # object name in ui/main_window.ui
    slot: str  # MainWindow method run when triggered
    needs: Needs = Needs.NOTHING
    toolbar: int = 0  # place on the toolbar (1 = first); 0: menus only


P, W = Needs.PROJECT, Needs.WRITABLE
ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("actionNew", "new_project"),
    ActionSpec("actionOpen", "open_project_dialog"),
    ActionSpec("actionSave", "save", W, toolbar=1),
    ActionSpec("actionSaveAs", "save_as", P),
    ActionSpec("actionImport", "open_import_dialog", W),
    ActionSpec("actionImportAssessment", "open_assessment_import_dialog", W),
    ActionSpec("actionWriteInto", "write_into_city_file", P),
    ActionSpec("actionExportWord", "open_export_dialog", P, toolbar=5),
    ActionSpec("actionPrint", "print_table", P, toolbar=6),
    ActionSpec("actionPrintPreview", "print_preview", P),
    ActionSpec("actionExportPdf", "export_pdf", P),
    ActionSpec("actionProjectInfo", "edit_project_info", W),
    ActionSpec("actionClose", "close_project", P),
    ActionSpec("actionQuit", "close"),
    ActionSpec("actionUndo", "undo", W, toolbar=2),
    ActionSpec("actionRedo", "redo", W, toolbar=3),
    ActionSpec("actionCut", "cut_text"),
    ActionSpec("actionCopy", "copy_text"),
    ActionSpec("actionPaste", "paste_text"),
    ActionSpec("actionSelectAll", "select_all_text"),
    ActionSpec("actionFind", "open_find_bar", P, toolbar=4),
    ActionSpec("actionReplace", "open_replace_dialog", W),
    ActionSpec("actionZoomIn", "zoom_in"),
    ActionSpec("actionZoomOut", "zoom_out"),
    ActionSpec("actionZoomReset", "zoom_reset"),
    ActionSpec("actionStartRevision", "start_revision", W),
    ActionSpec("actionSubmitRevision", "submit_revision", W),
    ActionSpec("actionRevisionList", "show_revisions", P),
    ActionSpec("actionAdoptBaseline", "adopt_baseline", W),
    ActionSpec("actionCheck", "show_check_panel", P),
    ActionSpec("actionAddRepeat", "add_repeat", W),
    ActionSpec("actionAddItem", "add_item", W),
    ActionSpec("actionRename", "rename_item", W),
    ActionSpec("actionDelete", "delete_item", W),
    ActionSpec("actionAbout", "show_about"),
)

MAIN_ACTIONS = tuple(a.name for a in ACTIONS)
WRITE_ACTIONS = tuple(a.name for a in ACTIONS if a.needs is Needs.WRITABLE)
PROJECT_ACTIONS = tuple(a.name for a in ACTIONS if a.needs is Needs.PROJECT)
TOOLBAR_ACTIONS = tuple(a.name for a in sorted(ACTIONS, key=lambda a: a.toolbar) if a.toolbar)
