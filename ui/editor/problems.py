"""What is wrong with the order being edited, shown where it belongs: next to
its field, in the items table, or (for a field the form does not show) in the
banner. Problems the store reported on saving (a 400 about a field) stay
beside that field until the user changes it.

A problem blocks saving only in a field the user changed (or one the store
refused): an odd value the store itself sent does not stop other edits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.services.orders.bulk import field_label
from app.services.orders.changes import FieldProblem
from ui.editor.state import differs
from ui.editor.view import OrderEditorView

Path = tuple[str | int, ...]


class EditorProblems:
    """Shows validation results on an :class:`OrderEditorView`."""

    def __init__(self, view: OrderEditorView) -> None:
        self.view = view
        self.from_store: dict[Path, str] = {}  # the store's refusals, by field
        self.blocking: list[FieldProblem] = []

    def forget_store_problems(self, path: Path | None = None) -> None:
        """The user changed ``path`` (None: everything): the store's word on it is old."""
        self.from_store = {
            key: value
            for key, value in self.from_store.items()
            if path is not None and key[:1] != path[:1]
        }

    def show(
        self,
        problems: list[FieldProblem],
        edited: Mapping[str, Any],
        pristine: Mapping[str, Any],
    ) -> list[FieldProblem]:
        """Show ``problems`` and the store's; returns those that block saving."""
        problems = problems + [FieldProblem(path, text) for path, text in self.from_store.items()]
        by_path: dict[Path, str] = {}
        for problem in problems:
            path = tuple(problem.path)
            earlier = by_path.get(path)
            by_path[path] = f"{earlier}; {problem.message}" if earlier else problem.message
        view = self.view
        shown = view.form.show_problems(by_path) | view.items.show_problems(by_path)
        elsewhere = [f"{path_label(p)} {text}" for p, text in by_path.items() if p not in shown]
        if elsewhere:
            view.banner.show_notice("\n".join(elsewhere), "error")
        elif view.banner.kind == "error":
            view.banner.clear()
        self.blocking = [
            problem
            for problem in problems
            if not problem.path
            or differs(edited.get(problem.path[0]), pristine.get(problem.path[0]))
            or tuple(problem.path) in self.from_store
        ]
        return self.blocking

    def focus_first(self) -> None:
        """Put the focus on the first field with a problem (the items table if none)."""
        view = self.view
        for field in view.form.fields() + view.items.option_fields:
            if field.problem():
                field.setFocus()
                view.scroll.ensureWidgetVisible(field)
                return
        view.items.table.setFocus()


def path_label(path: Path) -> str:
    """A field path in words, for a problem shown away from its field."""
    if not path:
        return "The order"
    rest = "".join(f" {part + 1}" if isinstance(part, int) else f" › {part}" for part in path[1:])
    return f"{field_label(str(path[0]))}{rest}:"
