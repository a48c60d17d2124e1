"""Placing another tool's texts onto our passages, a batch of texts at a time."""

import hashlib
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from ...formats.records import FormatError
from ...formats.refi_qda import whole_passage_name
from ...ingest import GivenLayout, IngestError, given_documents, given_layout
from ...models import Passage, Source
from ..sources import sources_save_with_passages, text_hash
from .context import ImportContext
from .writer import BATCH


@dataclass(frozen=True)
class PassageSpot:
    id: int
    ordinal: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class GivenText:
    """A text from another tool, where the file has it, and the title and citation of a source made of it."""

    text: str
    where: str
    title: str
    citation: str = ""
    document: bool = False  # a whole document: its own source, never matched to a passage


@dataclass(frozen=True)
class _Planned:
    """A source the batch will create."""

    given: GivenText
    sha256: str
    layout: GivenLayout


@dataclass(frozen=True)
class _PlannedPassage:
    """A passage of a source the batch will create."""

    source: int  # its index among the batch's planned sources
    ordinal: int
    text: str


@dataclass(frozen=True)
class _PlannedSource:
    index: int


# Where a text of a batch goes, before the batch's sources are written.
_Decision = PassageSpot | _PlannedPassage | _PlannedSource | int  # an int: the id of a source there


def _digest(text: str) -> bytes:
    return hashlib.sha1(text.encode()).digest()


class Placer:
    """Finds where a text from another tool lives: a passage with exactly that text, a source with
    exactly that text, or a new source made from it by the ingester, its text kept as the file gives it
    so that the file's offsets point where they did. New sources are written a batch at a time."""

    def __init__(self, context: ImportContext) -> None:
        self.context = context
        self._by_passage_text: dict[bytes, PassageSpot | _PlannedPassage] | None = None
        self._source_cache: tuple[int, list[PassageSpot]] | None = None
        self.created_sources: set[int] = set()
        self._created_by_sha: dict[str, int] = {}
        self._had_sources: bool | None = None  # whether the project had sources before the import
        # The passages of the sources this import created: they hold only what this import wrote.
        self.created_passages: set[int] = set()

    def _passage_index(self) -> dict[bytes, PassageSpot | _PlannedPassage]:
        """The project's passages by text, read once; the import's new passages are added as they come."""
        if self._by_passage_text is None:
            index: dict[bytes, PassageSpot | _PlannedPassage] = {}
            rows = (
                Passage.objects.filter(source__project=self.context.project)
                .order_by("source__title", "source__sha256", "ordinal")
                .values_list("id", "ordinal", "start", "end", "text")
                .iterator(chunk_size=BATCH)
            )
            for pk, ordinal, start, end, text in rows:
                index.setdefault(_digest(text), PassageSpot(pk, ordinal, start, end, text))
            self._by_passage_text = index
        return self._by_passage_text

    def _passage_with_text(self, text: str) -> PassageSpot | _PlannedPassage | None:
        spot = self._passage_index().get(_digest(text))
        return spot if spot is not None and spot.text == text else None

    def passages_of(self, source_id: int) -> list[PassageSpot]:
        if self._source_cache is None or self._source_cache[0] != source_id:
            rows = Passage.objects.filter(source_id=source_id).order_by("ordinal")
            spots = [PassageSpot(*row) for row in rows.values_list("id", "ordinal", "start", "end", "text")]
            self._source_cache = (source_id, spots)
        return self._source_cache[1]

    def place(self, texts: Sequence[GivenText]) -> list[PassageSpot | list[PassageSpot]]:
        """Where each text lives: a passage with exactly that text, else the passages of the source with
        exactly that text, made (with the batch's other new sources, in bulk) where the project has none.
        A text finds the passages of the sources made for the texts before it, as if each were made
        before the next text was read."""
        spots = [None if given.document else self._passage_with_text(given.text) for given in texts]
        shas = [
            text_hash(given.text) if spot is None else "" for given, spot in zip(texts, spots, strict=True)
        ]
        existing = self._sources_by_sha({sha for sha in shas if sha})
        planned: list[_Planned] = []
        planned_by_sha: dict[str, int] = {}
        decisions: list[_Decision] = []
        for given, spot, sha in zip(texts, spots, shas, strict=True):
            if spot is None and not given.document:
                # A source planned for an earlier text of the batch may hold this one as a passage.
                spot = self._passage_with_text(given.text)
            if spot is not None:
                decisions.append(spot)
                continue
            if sha in existing:
                decisions.append(existing[sha])
            elif sha in planned_by_sha:
                decisions.append(_PlannedSource(planned_by_sha[sha]))
            else:
                plan = self._plan(given, sha)
                index = self._passage_index()
                for ordinal, block in enumerate(plan.layout.blocks):
                    index.setdefault(_digest(block.text), _PlannedPassage(len(planned), ordinal, block.text))
                planned_by_sha[sha] = len(planned)
                decisions.append(_PlannedSource(len(planned)))
                planned.append(plan)
        created = [passages for _, passages in self._create(planned)]
        stored = self._passages_of_sources({d for d in decisions if isinstance(d, int)})
        return [self._resolve(decision, created, stored) for decision in decisions]

    def sources_with_texts(self, texts: Sequence[GivenText]) -> list[int]:
        """The id of the source with exactly each text, made (in bulk) where the project has none."""
        existing = self._sources_by_sha({text_hash(given.text) for given in texts})
        planned: list[_Planned] = []
        for given in texts:
            sha = text_hash(given.text)
            if sha not in existing:
                existing[sha] = -1  # a placeholder until the source is written
                planned.append(self._plan(given, sha))
        for plan, (source_id, _) in zip(planned, self._create(planned), strict=True):
            existing[plan.sha256] = source_id
        return [existing[text_hash(given.text)] for given in texts]

    @staticmethod
    def _resolve(
        decision: _Decision, created: list[list[PassageSpot]], stored: dict[int, list[PassageSpot]]
    ) -> PassageSpot | list[PassageSpot]:
        if isinstance(decision, _PlannedPassage):
            return created[decision.source][decision.ordinal]
        if isinstance(decision, _PlannedSource):
            return created[decision.index]
        if isinstance(decision, int):
            return stored[decision]
        return decision

    def _sources_by_sha(self, shas: set[str]) -> dict[str, int]:
        """The ids of the project's sources with these checksums: the database is asked only when the
        project had sources before the import (else the sources are those the import made)."""
        if self._had_sources is None:
            self._had_sources = Source.objects.filter(project=self.context.project).exists()
        if not self._had_sources:
            return {sha: self._created_by_sha[sha] for sha in shas if sha in self._created_by_sha}
        if not shas:
            return {}
        rows = Source.objects.filter(project=self.context.project, sha256__in=shas)
        return dict(rows.values_list("sha256", "id"))

    def _passages_of_sources(self, source_ids: set[int]) -> dict[int, list[PassageSpot]]:
        spots: dict[int, list[PassageSpot]] = {source_id: [] for source_id in source_ids}
        if source_ids:
            rows = (
                Passage.objects.filter(source_id__in=source_ids)
                .order_by("source_id", "ordinal")
                .values_list("source_id", "id", "ordinal", "start", "end", "text")
            )
            for source_id, *spot in rows:
                spots[source_id].append(PassageSpot(*spot))
        return spots

    @staticmethod
    def _plan(given: GivenText, sha: str) -> _Planned:
        try:
            return _Planned(given, sha, given_layout(given.text))
        except IngestError as exc:
            raise FormatError(given.where, "text", str(exc)) from exc

    def _create(self, planned: list[_Planned]) -> list[tuple[int, list[PassageSpot]]]:
        """Write the planned sources and their passages in bulk (languages detected in one batch)."""
        if not planned:
            return []
        documents = given_documents([plan.layout for plan in planned])
        project_id = self.context.project.pk
        added_by_id = getattr(self.context.as_user, "pk", None)
        sources = [
            (
                Source(
                    project_id=project_id,
                    title=(plan.given.title or plan.given.where)[:500],
                    language=document.language,
                    citation=plan.given.citation,
                    filename=f"{slugify(plan.given.title)[:60] or 'imported'}.txt",
                    text=document.text,
                    sha256=plan.sha256,
                    added_by_id=added_by_id,
                ),
                document.passages,
            )
            for plan, document in zip(planned, documents, strict=True)
        ]
        try:
            passage_ids = sources_save_with_passages(sources)
        except ValidationError as exc:
            where = f"{planned[0].given.where} to {planned[-1].given.where}"
            raise FormatError(where, "text", "; ".join(exc.messages)) from exc
        created = []
        index = self._by_passage_text or {}
        for (source, drafts), ids in zip(sources, passage_ids, strict=True):
            spots = [
                PassageSpot(pk, p.ordinal, p.start, p.end, p.text) for pk, p in zip(ids, drafts, strict=True)
            ]
            for spot in spots:
                key = _digest(spot.text)
                if isinstance(index.get(key), _PlannedPassage):
                    index[key] = spot
                self.created_passages.add(spot.id)
            self.created_sources.add(source.pk)
            self._created_by_sha[source.sha256] = source.pk
            created.append((source.pk, spots))
        self.context.report.sources_created += len(created)
        return created

    @staticmethod
    def pieces(
        passages: list[PassageSpot],
        start: int | None,
        end: int | None,
        whole_name: str | None = None,
        whole: bool = False,
    ) -> Iterator[tuple[PassageSpot, int | None, int | None]]:
        """A span of a source's text as spans of its passages (split where it crosses a boundary);
        None offsets (the whole text) tag every passage whole. A span that covers a passage exactly
        tags it whole when the file says so: `whole`, or a selection named as our qdpx names one."""
        if start is None or end is None:
            for spot in passages:
                yield spot, None, None
            return
        # Passages are in text order: start at the one holding `start`, stop past `end`.
        first = max(0, bisect_right(passages, start, key=lambda spot: spot.start) - 1)
        for index in range(first, len(passages)):
            spot = passages[index]
            if spot.start > end:
                return
            lo, hi = max(start, spot.start), min(end, spot.end)
            if lo >= hi:
                continue
            exact = (lo, hi) == (spot.start, spot.end)
            if exact and (whole or whole_name == whole_passage_name(spot.ordinal)):
                yield spot, None, None
            else:
                yield spot, lo - spot.start, hi - spot.start
