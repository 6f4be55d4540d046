"""Prompt templates as plain files in prompts/, filled in with numbered, fenced passages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from string import Template

from index.errors import UsageError
from index.records import Passage

FOLDER = Path(__file__).resolve().parents[2] / "prompts"
SYSTEM = "system"
NAMES = ("answer", "summary", "digest")
# An article must not be able to close its own fence and speak outside it.
FENCE_MARKS = str.maketrans({"<": "‹", ">": "›"})


@dataclass(frozen=True)
class Prompt:
    """The two messages sent to a model: the fixed rules and the filled-in request."""

    system: str
    user: str


def fence(n: int, passage: Passage) -> str:
    """One passage between labelled fences, its metadata on the opening line."""
    date = passage.published_at.date().isoformat() if passage.published_at else "unknown"
    meta = (
        f'title="{_clean(passage.title)}" outlet="{_clean(passage.source or "unknown")}" '
        f'date="{date}"'
    )
    body = passage.text.translate(FENCE_MARKS)
    return f"<<<ARTICLE [{n}] {meta}>>>\n{body}\n<<<END ARTICLE [{n}]>>>"


def _clean(value: str) -> str:
    return " ".join(value.split()).replace('"', "'").translate(FENCE_MARKS)


class Prompts:
    """The templates of one folder, read once, rendered by name."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or FOLDER
        self._cache: dict[str, Template] = {}

    def template(self, name: str) -> Template:
        """The template `<name>.md` of the folder; UsageError when it is missing."""
        if name not in self._cache:
            path = self.folder / f"{name}.md"
            try:
                self._cache[name] = Template(path.read_text(encoding="utf-8"))
            except OSError:
                raise UsageError(
                    f"No prompt template {path} (set FINNEWS_PROMPTS_DIR to the "
                    "folder with system.md, answer.md, summary.md and digest.md)"
                ) from None
        return self._cache[name]

    def render(
        self, name: str, question: str, passages: list[Passage], context: str = ""
    ) -> Prompt:
        """The system rules and the named request with passages numbered from 1."""
        values = {
            "question": " ".join(question.split()),
            "count": str(len(passages)),
            "context": context.strip().translate(FENCE_MARKS) or "(none)",
            "passages": "\n\n".join(fence(n, p) for n, p in enumerate(passages, 1)),
        }
        try:
            return Prompt(
                self.template(SYSTEM).substitute(values).strip(),
                self.template(name).substitute(values).strip(),
            )
        except (KeyError, ValueError) as exc:
            raise UsageError(
                f"Prompt template {name}.md has an unknown placeholder: {exc}"
            ) from None
