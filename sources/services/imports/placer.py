"""Placing another tool's texts onto our passages."""

import hashlib
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from ...formats.records import FormatError
from ...formats.refi_qda import whole_passage_name
from ...ingest import IngestError
from ...models import Passage, Source
from ..errors import ConflictError
from .context import ImportContext
from .writer import BATCH


@dataclass(frozen=True)
class PassageSpot:
    id: int
    ordinal: int
    start: int
    end: int
    text: str


class Placer:
    """Finds where a text from another tool lives: a passage with exactly that text, a source with
    exactly that text, or a new source made from it by the ingester, its text kept as the file gives it
    so that the file's offsets point where they did."""

    def __init__(self, context: ImportContext) -> None:
        self.context = context
        self._by_passage_text: dict[bytes, PassageSpot] | None = None
        self._source_cache: tuple[int, list[PassageSpot]] | None = None
        self.created_sources: set[int] = set()

    def _passage_index(self) -> dict[bytes, PassageSpot]:
        if self._by_passage_text is None:
            index: dict[bytes, PassageSpot] = {}
            rows = (
                Passage.objects.filter(source__project=self.context.project)
                .order_by("source__title", "source__sha256", "ordinal")
                .values_list("id", "ordinal", "start", "end", "text")
                .iterator(chunk_size=BATCH)
            )
            for pk, ordinal, start, end, text in rows:
                index.setdefault(
                    hashlib.sha1(text.encode()).digest(), PassageSpot(pk, ordinal, start, end, text)
                )
            self._by_passage_text = index
        return self._by_passage_text

    def passages_of(self, source_id: int) -> list[PassageSpot]:
        if self._source_cache is None or self._source_cache[0] != source_id:
            rows = Passage.objects.filter(source_id=source_id).order_by("ordinal")
            spots = [PassageSpot(*row) for row in rows.values_list("id", "ordinal", "start", "end", "text")]
            self._source_cache = (source_id, spots)
        return self._source_cache[1]

    def passage_with_text(self, text: str) -> PassageSpot | None:
        spot = self._passage_index().get(hashlib.sha1(text.encode()).digest())
        return spot if spot is not None and spot.text == text else None

    def source_with_text(self, text: str, *, where: str, title: str, citation: str = "") -> int:
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        found = (
            Source.objects.filter(project=self.context.project, sha256=sha)
            .values_list("id", flat=True)
            .first()
        )
        if found is not None:
            return found
        from ..sources import source_import  # the ingester loads language models: only when needed

        try:
            source = source_import(
                project=self.context.project,
                data=text.encode("utf-8"),
                filename=f"{slugify(title)[:60] or 'imported'}.txt",
                title=title or where,
                citation=citation,
                added_by=self.context.as_user,
                as_given=True,
            )
        except ConflictError as exc:
            raise FormatError(where, "text", exc.message) from exc
        except ValidationError as exc:
            raise FormatError(where, "text", "; ".join(exc.messages)) from exc
        except IngestError as exc:
            raise FormatError(where, "text", str(exc)) from exc
        self.context.report.sources_created += 1
        self.created_sources.add(source.pk)
        self._by_passage_text = None
        return source.pk

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
