"""The wheel ships the default theme, so `pip install` then `focue build` works anywhere."""

import subprocess
import sys
import zipfile

from conftest import REPO, article, write_files


def test_wheel_contains_the_default_theme(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("focue_ssg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    theme_files = {
        p.relative_to(REPO / "themes/focue").as_posix()
        for p in (REPO / "themes/focue").rglob("*")
        if p.is_file()
    }
    assert len(theme_files) > 20
    assert {f"focue_ssg/default_theme/{name}" for name in theme_files} <= names
    modules = {
        p.relative_to(REPO / "src").as_posix() for p in (REPO / "src/focue_ssg").rglob("*.py")
    }
    assert len(modules) > 40 and "focue_ssg/cli/main.py" in modules
    assert modules <= names


def test_a_folder_with_only_content_builds(tmp_path):
    write_files(tmp_path, {"content/a.md": article("Only Content")})
    result = subprocess.run(
        [sys.executable, "-m", "focue_ssg", "build", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "output/static/focue.css").is_file()
