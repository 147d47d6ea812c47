"""Which photo every document, author and the logo is shown with, and every problem
with those photos, each said where the photo is named (`content/x.md:9: error: ...`).

Probes are remembered by file, size and modification time, so a rebuild reads only
photos that changed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..config.images import ImageSettings
from ..config.settings import SiteConfig
from ..core.errors import Diagnostic, error, warning
from ..core.layout import CONFIG_FILE, shown
from ..model.article import Article, BodyRef, Image
from ..model.authors import AuthorInfo
from ..model.page import Page
from ..model.pictures import CENTRE, Photo, Pictures, Rendition, render
from .photos import Problem, is_remote, locate, probe

Probed = tuple[int, int, int, Photo | Problem]  # size, mtime, when probed, what was found


@dataclass
class _Collector:
    site_dir: Path
    settings: ImageSettings
    known: dict[str, Probed]  # kept between builds
    now_ns: int  # the file system's time before this build read anything
    problems: list[Diagnostic] = field(default_factory=list)
    origins: dict[str, tuple] = field(default_factory=dict)
    renditions: dict[tuple, Rendition] = field(default_factory=dict)

    def rendition(
        self,
        src: str,
        document: str,
        where: tuple[str, int | None, int | None],
        focus: tuple[float, float] | None = None,
        elsewhere: bool = False,
    ) -> Rendition | None:
        """`elsewhere`: the file may be served from outside the site (a logo, an author's
        photo), so its absence is only a warning and its path is linked as written."""
        found = locate(src, document, self.site_dir)
        templated = "{{" in src or "{%" in src
        missing = isinstance(found, Problem)
        if isinstance(found, str):
            found = self._photo(found)
        if isinstance(found, Problem):
            make = warning if templated or (missing and elsewhere) else error
            linked = make is warning and not templated
            message = f"{found.message}; linked as written" if linked else found.message
            self.problems.append(make(where[0], message, where[1], where[2]))
            return None
        self.origins.setdefault(found.file, where)
        key = (found.file, focus or CENTRE)
        if key not in self.renditions:
            self.renditions[key] = render(found, self.settings, focus or CENTRE)
        return self.renditions[key]

    def _photo(self, file: str) -> Photo | Problem:
        try:
            info = os.stat(self.site_dir / file)
        except OSError as exc:
            return Problem(f"cannot read image {file}: {exc.strerror}")
        seen = self.known.get(file)
        if seen is not None and seen[:2] == (info.st_size, info.st_mtime_ns) and seen[2] > seen[1]:
            return seen[3]
        found = probe(self.site_dir, file, self.settings.max_megapixels)
        self.known[file] = (info.st_size, info.st_mtime_ns, self.now_ns, found)
        return found


def _lead(c: _Collector, document: Article | Page, image: Image) -> Rendition | None:
    where = (shown(document.path), document.line_of("image"), None)
    if not image.alt:
        stand_in = "; its caption stands in" if image.caption else ""
        message = f"the lead image has no alt text: describe it in image_alt{stand_in}"
        c.problems.append(warning(where[0], message, where[1]))
    if is_remote(image.src):
        return None
    return c.rendition(image.src, document.path, where, image.focus)


def _body(c: _Collector, document: Article | Page, refs: tuple[BodyRef, ...]) -> tuple:
    file = shown(document.path)
    return tuple(
        c.rendition(ref.target, document.path, (file, ref.line, ref.column)) for ref in refs
    )


def collect_pictures(
    site_dir: Path,
    documents: Iterable[Article | Page],
    config: SiteConfig,
    authors: dict[str, AuthorInfo],
    known: tuple[dict[str, Probed], int],
) -> tuple[Pictures, list[Diagnostic]]:
    """Every document's lead and body photos, the authors' and the logo, planned in all
    their sizes. `known`: the probes kept between builds, and the file system's time
    before this build read anything."""
    c = _Collector(site_dir, config.images, *known)
    lead, body = {}, {}
    for document in documents:
        if document.image is not None:
            found = _lead(c, document, document.image)
            if found is not None:
                lead[document.path] = found
        if document.body_images:
            body[document.path] = _body(c, document, document.body_images)
    file = config.authors_file
    people = {
        key: found
        for key, person in authors.items()
        if person.image and not is_remote(person.image)
        if (found := c.rendition(person.image, "", (file, None, None), None, True)) is not None
    }
    src, line = config.logo, config.line_of("logo")
    local = src and not is_remote(src)
    mark = c.rendition(src, "", (CONFIG_FILE, line, None), None, True) if local else None
    return Pictures(lead, body, people, mark, c.origins), c.problems
