"""The metadata tests' fixture pages (tests/fixtures/metadata and its round folders), read as
`newsdesk parse` reads a page and run through tasks.metadata.extract_metadata."""
from __future__ import annotations

from pathlib import Path

from tasks.metadata import Metadata, extract_metadata

METADATA_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "metadata"


class FixturePages:
    """Pages of one fixture folder: `read` gives the HTML, `load` its metadata."""

    def __init__(self, folder: str = "") -> None:
        self.folder = METADATA_FIXTURES / folder

    def read(self, name: str) -> str:
        return (self.folder / name).read_text(encoding="utf-8")

    def load(self, name: str, url: str | None = None, hints: dict | None = None) -> Metadata:
        return extract_metadata(self.read(name), url, hints)
