"""Render only the pages whose inputs changed, and write only the bytes that changed.

A page whose key equals the one its last build recorded, with its file still in
place, keeps its record and its context is never made. Every other page is
rendered (in worker processes when there are many) and staged only when its
bytes differ from what the output folder holds. The preview may ask for some pages
(those open in a browser) to be rendered and moved in first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.digests import digest, file_digest
from ..core.errors import Diagnostic
from ..core.memory import no_gc_pauses
from ..pages.plan import Plan
from ..render.theme import Theme
from .cache import BuildCache
from .manifest import Manifest, OutputRecord
from .workers import Jobs, PageDone, PageWork, Progress, process_pages
from .write import OutputWriter, same_file, same_size


@dataclass
class Outcome:
    records: dict[str, OutputRecord] = field(default_factory=dict)
    staged: set[str] = field(default_factory=set)
    problems: list[Diagnostic] = field(default_factory=list)
    made: int = 0  # pages whose context was made
    encoded: int = 0  # photo variants encoded


def _keys(
    plan: Plan,
    salt: bytes,
    recorded: list[OutputRecord | None],
    cache: BuildCache,
    bodies: frozenset[str] | None,
) -> tuple[bytes, ...] | None:
    """Every page's key, made here when there are records to compare them with
    (`recorded`: each page's, or None); with none (a first build) the workers make them
    beside the pages. Either way the cards' digests are made here first, so the memo
    keeps them for the next build. `bodies`: when only these documents' bodies
    changed, see `_rekeyed`."""
    if not cache.enabled:
        return None
    old = any(recorded)
    with no_gc_pauses():
        if old and bodies is not None:
            return _rekeyed(plan, salt, recorded, cache, bodies)
        plan.parts.prime()
        cache.state.memo = plan.parts.memo.kept
        return tuple(plan.key(i, salt) for i in range(len(plan.specs))) if old else None


def _rekeyed(
    plan: Plan,
    salt: bytes,
    recorded: list[OutputRecord | None],
    cache: BuildCache,
    bodies: frozenset[str],
) -> tuple[bytes, ...]:
    """The keys when the site model is the last build's but for the bodies of `bodies`
    (output/shape.py): made for the pages that may show those, the others' taken from
    their records. The memo keeps what it knew, as most cards were not asked for."""
    keys, parts = [], plan.parts
    for index, (spec, record) in enumerate(zip(plan.specs, recorded, strict=True)):
        if record is None or spec.kind.shows_body_of(spec, parts, bodies):
            keys.append(plan.key(index, salt))
        else:
            keys.append(record.key)
    cache.state.memo = {**parts.memo.known, **parts.memo.kept}
    return tuple(keys)


def render_changed(
    plan: Plan,
    theme: Theme,
    salt: bytes,
    manifest: Manifest | None,
    writer: OutputWriter,
    cache: BuildCache,
    site_dir: Path,
    jobs: Jobs,
    progress: Progress | None = None,
    first: Early | None = None,
    bodies: frozenset[str] | None = None,
    moved: frozenset[str] | None = None,
) -> Outcome:
    """Render the pages whose inputs changed; `first`: some to show before the rest;
    `bodies`: the documents whose bodies alone changed, when that is all that did;
    `moved`: the output files whose size changed, when they were checked already."""
    old = manifest.records if manifest is not None else {}
    recorded = list(map(old.get, [spec.output for spec in plan.specs]))
    keys = _keys(plan, salt, recorded, cache, bodies)
    outcome = Outcome()
    todo, intact = [], dict(old)
    in_place = sized_as_recorded(writer.output, moved)
    for index, (spec, record) in enumerate(zip(plan.specs, recorded, strict=True)):
        if record is None:
            todo.append(index)
        elif not in_place(spec.output, record.size):
            del intact[spec.output]  # changed or removed since: written again, same bytes or not
            todo.append(index)
        elif keys is not None and record.key == keys[index]:
            outcome.records[spec.output] = record
        else:
            todo.append(index)
    work = PageWork(
        plan,
        theme,
        salt,
        intact,
        keys,
        cache.enabled,
        site_dir,
        writer.stage,
        writer.output,
        check_disk=manifest is None,
        compiled=cache.compiled_templates(),
    )
    outcome.made = len(todo)
    if first is not None:
        todo = _first(first, work, todo, writer, outcome)
    _collect(process_pages(work, todo, jobs, progress), plan, outcome)
    return outcome


@dataclass(frozen=True)
class Early:
    """Pages to render and move in before the rest, and whom to tell once they are in
    (the preview: the pages open in a browser, shown while the others render)."""

    outputs: frozenset[str]
    ready: Callable[[tuple[str, ...]], None]


def _first(
    early: Early, work: PageWork, todo: list[int], writer: OutputWriter, outcome: Outcome
) -> list[int]:
    """Render the early pages here and move in those that changed; the rest to do."""
    specs = work.plan.specs
    front = [i for i in todo if specs[i].output in early.outputs]
    if not front:
        return todo
    before = set(outcome.staged)
    _collect(process_pages(work, front, 1), work.plan, outcome)
    changed = tuple(sorted(outcome.staged - before))
    if changed and not outcome.problems:
        writer.move_in_now(changed)
        early.ready(changed)
    return [i for i in todo if specs[i].output not in early.outputs]


def _collect(done: Iterable[PageDone], plan: Plan, outcome: Outcome) -> None:
    for page in done:
        spec = plan.specs[page.index]
        if page.diagnostic is not None:
            outcome.problems.append(page.diagnostic)
        elif page.record is not None:
            outcome.records[spec.output] = page.record
            if page.staged:
                outcome.staged.add(spec.output)


def sized_as_recorded(output: Path, moved: frozenset[str] | None) -> Callable[[str, int], bool]:
    """Whether an output file still has the size its record gives: known from the sizes
    checked meanwhile (`moved`: the files whose size changed), or else stat'ed."""
    if moved is not None:
        return lambda rel, size: rel not in moved
    folder = str(output)  # a string, not a Path per file: there may be 200,000
    return lambda rel, size: same_size(f"{folder}/{rel}", size)


def copy_static(
    static: dict[str, Path],
    manifest: Manifest | None,
    writer: OutputWriter,
    outcome: Outcome,
    moved: frozenset[str] | None = None,
) -> None:
    """Static files, keyed by their stats: copied when new or changed, a block at a
    time (a static video may be larger than the machine's memory)."""
    old = manifest.records if manifest is not None else {}
    in_place = sized_as_recorded(writer.output, moved)
    for rel, source in static.items():
        info = source.stat()
        key = digest(f"{source}:{info.st_size}:{info.st_mtime_ns}".encode())
        record = old.get(rel)
        if record is not None and record.key == key and in_place(rel, record.size):
            outcome.records[rel] = record
            continue
        new = OutputRecord(key, file_digest(source), info.st_size)
        outcome.records[rel] = new
        kept = record is not None and record.digest == new.digest and in_place(rel, new.size)
        if not kept and not same_file(writer.output / rel, new.size, new.digest):
            writer.copy(rel, source)
            outcome.staged.add(rel)
