"""Building on a Dask cluster (issue 15): `focue build --executor dask://HOST:PORT` on
a local cluster of two worker processes gives the same bytes as a local build, also
when a worker is killed in the middle; a wrong or unreachable address, or Dask not
installed, is a clear usage error; the base install does not need Dask.

The cluster (tests/dask_cluster.py) and the builds that use it run in processes of
their own: Dask's client leaves threads behind, and this process forks workers."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import NOW_ARG, REPO, contents, write_files
from test_incremental import _corpus

pytest.importorskip("distributed", reason="the dask extra is not installed")

ARTICLES = 240  # enough that parsing and pages go to the cluster (MIN_PARALLEL is 96)
HELPER = Path(__file__).with_name("dask_cluster.py")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return _corpus(tmp_path_factory.mktemp("cluster") / "site", ARTICLES)


@pytest.fixture(scope="module")
def local_output(corpus, tmp_path_factory) -> dict[str, bytes]:
    from focue_ssg.cli.main import main

    output = tmp_path_factory.mktemp("local") / "output"
    assert (
        main(["build", str(corpus), "-o", str(output), "--no-cache", "-q", "--now", NOW_ARG]) == 0
    )
    return contents(output)


class Cluster:
    def __init__(self, log: Path, *kill: str):
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, str(HELPER), str(log), *(("--kill", *kill) if kill else ())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.address = self.process.stdout.readline().strip()
        assert self.address.startswith("tcp://"), "the local cluster did not start"

    def tasks(self) -> list[str]:
        """The keys of every task the scheduler saw, once it has stopped."""
        self.stop()
        return self.log.read_text().split("\n")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=60)


@pytest.fixture
def cluster(tmp_path) -> Iterator[Callable[..., Cluster]]:
    started: list[Cluster] = []

    def start(*kill: str) -> Cluster:
        started.append(Cluster(tmp_path / "tasks.log", *kill))
        return started[-1]

    yield start
    for running in started:
        running.stop()


def focue(*args: str, before: str = "") -> subprocess.CompletedProcess:
    """`focue ARGS` in a process of its own; `before`: Python to run first."""
    program = f"{before}\nfrom focue_ssg.cli.main import main\nraise SystemExit(main())"
    command = [sys.executable, "-c", program, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


def build_on(address: str, site: Path, output: Path, *more: str) -> subprocess.CompletedProcess:
    url = address.replace("tcp://", "dask://")
    return focue("build", str(site), "-o", str(output), "--executor", url, "--now", NOW_ARG, *more)


def test_a_build_on_a_local_cluster_is_byte_identical(corpus, local_output, cluster, tmp_path):
    running = cluster()
    done = build_on(running.address, corpus, tmp_path / "out", "--no-cache")
    assert done.returncode == 0, done.stderr
    assert contents(tmp_path / "out") == local_output
    tasks = running.tasks()  # the cluster did the work, not this machine's processes
    assert any(key.startswith("_parse_chunk") for key in tasks)
    assert any(key.startswith("_pages_with") for key in tasks)


def test_a_cluster_build_after_a_local_one_sends_the_cached_bodies(
    corpus, local_output, cluster, tmp_path
):
    """A local build keeps bodies in files of its cache, which workers on other
    machines could not read: a cluster build after it sends each chunk of pages the
    bodies it shows, and gives the same bytes (here the workers share the machine)."""
    import shutil

    site = Path(shutil.copytree(corpus / "content", tmp_path / "site" / "content")).parent
    assert focue("build", str(site), "--now", NOW_ARG, "-q").returncode == 0
    assert any((site / ".focue-cache" / "bodies").rglob("*"))
    shutil.rmtree(site / "output")
    done = build_on(cluster().address, site, site / "output")
    assert done.returncode == 0, done.stderr
    assert contents(site / "output") == local_output


def test_each_chunk_of_pages_is_sent_the_bodies_it_shows_and_no_more(
    corpus, local_output, tmp_path
):
    """Workers on other machines cannot read the build cache, and the page work sent
    to each of them holds no bodies: a chunk of pages carries those its pages show
    (an article page its own, a feed those of its stories, a tag page none)."""
    import shutil
    from datetime import datetime

    from focue_ssg.model.article import StoredBody
    from focue_ssg.output.cache import BuildCache
    from focue_ssg.output.workers import PageWork, _pages_with, _with_bodies
    from focue_ssg.pipeline import BuildOptions, load_site, plan_pages
    from focue_ssg.render.theme import template_files

    site = Path(shutil.copytree(corpus / "content", tmp_path / "site" / "content")).parent
    assert focue("build", str(site), "--now", NOW_ARG, "-q").returncode == 0
    options = BuildOptions(site, datetime.fromisoformat(NOW_ARG))
    cache = BuildCache(site)
    cache.prepare_state()
    loaded = load_site(options, cache)
    assert all(isinstance(a.body, StoredBody) for a in loaded.articles)
    plan = plan_pages(options, loaded, cache).plan
    work = PageWork.in_memory(plan, loaded.theme, b"", site, tmp_path / "unused")
    work = replace(work, templates=template_files(loaded.theme))
    first = {label: next(i for i, s in enumerate(plan.specs) if s.label == label)
             for label in ("article", "tag", "feed")}  # fmt: skip
    chunks = dict(zip(first, _with_bodies(plan, [[i] for i in first.values()]), strict=True))
    assert len(chunks["article"][1]) == 1 and not chunks["tag"][1] and len(chunks["feed"][1]) > 5
    shutil.move(site / ".focue-cache", tmp_path / "elsewhere")  # as on another machine
    for label, chunk in chunks.items():
        (done,) = _pages_with(work, chunk)
        assert done.data == local_output[plan.specs[first[label]].output], label
    sent = {body for _, bodies in chunks.values() for body in bodies}
    articles = [i for i, s in enumerate(plan.specs) if s.label == "article"]
    other = next(i for i in articles if not plan.bodies(i) & sent)
    with pytest.raises(FileNotFoundError):  # without them, it would have read the disk
        _pages_with(work, ([other], {}))


@pytest.mark.parametrize("kind", ["_parse_chunk", "_pages_with"])
def test_a_worker_killed_mid_build_is_survived(corpus, local_output, cluster, tmp_path, kind):
    marker = tmp_path / "killed"
    running = cluster(kind, str(marker))
    done = build_on(running.address, corpus, tmp_path / "out", "-q")
    assert marker.exists(), "no worker was killed"
    assert done.returncode == 0, done.stderr
    assert contents(tmp_path / "out") == local_output


def test_a_chunk_whose_result_the_cluster_lost_is_sent_once_more():
    """A worker killed just after finishing a task loses its result, and Dask's executor
    can then hand back an error for a task that succeeded: the chunk is sent again."""
    from concurrent.futures import Future

    from focue_ssg.output.cluster import Cluster

    class Executor:
        """Fails the first `failures` submissions of chunk 2."""

        def __init__(self, failures: int):
            self.sent: list[int] = []
            self.failures = failures

        def submit(self, fn, chunk):
            self.sent.append(chunk)
            future: Future = Future()
            if chunk == 2 and self.sent.count(2) <= self.failures:
                future.set_exception(ValueError("too many values to unpack (expected 3)"))
            else:
                future.set_result(fn(chunk))
            return future

    class Client:
        def __init__(self, failures: int):
            self.failures = failures

        def get_executor(self, pure):
            return Executor(self.failures)

        def nthreads(self):
            return {"worker": 1}

    cluster = Cluster(Client(failures=1))
    assert list(cluster.map(lambda n: n * 10, [1, 2, 3])) == [10, 20, 30]
    assert cluster.executor.sent == [1, 2, 3, 2]
    with pytest.raises(ValueError):  # a second failure is the build's
        list(Cluster(Client(failures=2)).map(lambda n: n, [2]))


def test_a_scheduler_file_names_the_cluster_too(corpus, local_output, cluster, tmp_path):
    running = cluster()
    scheduler = f"{running.log}.scheduler"
    out = tmp_path / "out"
    done = focue("build", str(corpus), "-o", str(out), "--scheduler-file", scheduler,
                 "--now", NOW_ARG, "--no-cache")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert contents(out) == local_output
    assert any(key.startswith("_pages_with") for key in running.tasks())


def test_template_errors_on_the_cluster_name_the_template(corpus, cluster, tmp_path):
    site = write_files(tmp_path / "site", {"themes/focue/templates/article.html": "{{ a.b.c }}\n"})
    (site / "content").symlink_to(corpus / "content")
    done = build_on(cluster().address, site, tmp_path / "out", "--no-cache")
    assert done.returncode == 1
    assert "themes/focue/templates/article.html:1: error:" in done.stderr
    assert not (tmp_path / "out").exists()


def test_an_executor_that_is_not_a_dask_url_is_a_usage_error(corpus):
    done = focue("build", str(corpus), "--executor", "spark://somewhere:7077")
    assert done.returncode == 2
    assert "neither 'local' nor dask://HOST:PORT" in done.stderr


@pytest.mark.parametrize("address", ["dask://[::1", "dask://h:99999", "dask://h:x", "dask://:1"])
def test_a_malformed_dask_address_is_a_usage_error_at_once(address):
    from focue_ssg.cli.arguments import executor

    with pytest.raises(argparse.ArgumentTypeError, match="is not dask://HOST:PORT"):
        executor(address)
    assert executor("dask://[::1]:8786").address == "tcp://[::1]:8786"


def test_a_scheduler_file_that_never_comes_is_a_usage_error(corpus, tmp_path):
    quick = "import focue_ssg.output.cluster as c; c.CONNECT_SECONDS = 1"
    missing = tmp_path / "scheduler.json"
    done = focue("build", str(corpus), "--scheduler-file", str(missing), before=quick)
    assert done.returncode == 2
    assert f"no scheduler file {missing} after 1 s" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("title = 'Not JSON'\n", "cannot read the scheduler file"),  # AssertionError in Dask
        ('{"address": "nonsense"}', "is not a file a Dask scheduler wrote"),  # a hang, then a
        ('{"address": "tcp://"}', "is not a file a Dask scheduler wrote"),  # traceback
        ("[1, 2]", "is not a file a Dask scheduler wrote"),
        (None, "cannot use the scheduler file"),  # a name too long: OSError
    ],
)
def test_a_scheduler_file_no_scheduler_wrote_is_a_usage_error_at_once(
    corpus, tmp_path, written, said
):
    file = tmp_path / ("x" * 300 if written is None else "scheduler.json")
    if written is not None:
        file.write_text(written)
    done = focue("build", str(corpus), "--scheduler-file", str(file))
    assert done.returncode == 2, done.stderr
    assert said in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr


def test_an_unreachable_scheduler_is_a_usage_error(corpus, tmp_path):
    quick = "import focue_ssg.output.cluster as c; c.CONNECT_SECONDS = 1"
    out = tmp_path / "out"
    done = focue(
        "build", str(corpus), "-o", str(out), "--executor", "dask://127.0.0.1:9", before=quick
    )
    assert done.returncode == 2
    assert "cannot reach tcp://127.0.0.1:9" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_without_the_dask_extra_the_message_says_how_to_install_it(corpus):
    absent = "import sys; sys.modules['distributed'] = None"  # as if it were not installed
    done = focue("build", str(corpus), "--executor", "dask://127.0.0.1:8786", before=absent)
    assert done.returncode == 2
    assert "pip install 'focue-ssg[dask]'" in done.stderr


def test_the_base_install_does_not_pull_in_dask():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert not any("distributed" in d or "dask" in d for d in project["dependencies"])
    assert any(d.startswith("distributed") for d in project["optional-dependencies"]["dask"])
