"""What the build does to keep its memory (and its forked workers') small."""

import os
import subprocess
import sys

import pytest
from conftest import NOW_ARG, article, bomb_png, write_files

from focue_ssg.core.digests import file_digest
from focue_ssg.core.memory import _malloc_trim

FREED_THEN_MEASURED = """
import sys
from focue_ssg.core.memory import give_back

def resident_mb():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096 / 2**20

blocks = [bytes(1000) for _ in range(100_000)]  # 100 MB from malloc, not Python's pools
kept = [bytes(1000) for _ in range(10)]  # above them: freeing them does not trim the heap
del blocks
freed = resident_mb()
give_back()
print(freed - resident_mb())
"""


@pytest.mark.skipif(_malloc_trim() is None, reason="no glibc malloc_trim here")
def test_memory_a_phase_freed_is_handed_back_to_the_system():
    """glibc keeps freed memory for reuse: the search index's lists, written to the
    cache, stayed resident through rendering, and the workers forked from the build
    carried them too (at 10,000 stories, 60 MB of a 368 MB peak)."""
    done = subprocess.run(
        [sys.executable, "-c", FREED_THEN_MEASURED], capture_output=True, text=True, check=True
    )
    assert float(done.stdout) > 50, done.stdout


BUILD_THEN_PEAK = """
import sys
from focue_ssg.cli.main import main

code = main(sys.argv[1:])
with open("/proc/self/status") as handle:  # this program's own peak, not its parent's
    print(next(line.split()[1] for line in handle if line.startswith("VmHWM")))
sys.exit(code)
"""


def _peak_rss_mb(args: list[str]) -> float:
    """The peak resident memory of `focue ARGS` in a process of its own, in MB. Not
    wait4's: a child's peak counts its parent's from before it ran another program."""
    done = subprocess.run(
        [sys.executable, "-c", BUILD_THEN_PEAK, *args], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1]) / 1024


def test_a_big_static_file_is_copied_and_checked_a_block_at_a_time(tmp_path):
    """A newsroom's static/ holds videos and podcasts: each changed file was read whole
    into memory, twice where the output already had one, so a video larger than a
    CI runner's memory stopped the build (killed for want of memory)."""
    site = write_files(tmp_path, {"content/a.md": article("A", "2023-10-16 07:45")})
    video = site / "static/video/clip.mp4"
    video.parent.mkdir(parents=True)
    with open(video, "wb") as handle:  # 256 MB, written a block at a time
        for n in range(256):
            handle.write(bytes([n]) * 2**20)
    build = ["build", str(site), "-q", "--now", NOW_ARG]
    assert _peak_rss_mb(build) < 160
    copied = site / "output/video/clip.mp4"
    assert copied.stat().st_size == 2**28 and file_digest(copied) == file_digest(video)
    os.utime(video)  # its stats changed, its bytes did not: compared, not copied
    assert _peak_rss_mb([*build, "--verify"]) < 160


def test_a_huge_photo_is_refused_without_being_read_into_memory(tmp_path):
    """A scan may be a TIFF of gigabytes: the probe read a shown photo whole before the
    pixel limit refused it. Now only its header is read, and its digest streamed."""
    story = article("A", "2023-10-16 07:45", image="scan.png", image_alt="A scan")
    site = write_files(tmp_path, {"content/2023/10/a.md": story})
    with open(site / "content/2023/10/scan.png", "wb") as handle:
        handle.write(bomb_png(100_000, 100_000))
        handle.truncate(2**28)  # 256 MB, sparse
    code = BUILD_THEN_PEAK.replace("sys.exit(code)", "sys.exit(0)")
    done = subprocess.run(
        [sys.executable, "-c", code, "build", str(site), "--now", NOW_ARG],
        capture_output=True,
        text=True,
    )
    assert "refused as a decompression bomb" in done.stderr
    assert int(done.stdout.split()[-1]) / 1024 < 160
