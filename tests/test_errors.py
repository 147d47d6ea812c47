from focue_ssg.core.errors import Diagnostic, did_you_mean, error, has_errors, strict, warning


def test_format_has_path_line_column_severity_and_message():
    assert error("content/x.md", "bad", 3, 7).format() == "content/x.md:3:7: error: bad"
    assert warning("content/x.md", "hmm", 4).format() == "content/x.md:4: warning: hmm"
    assert error("focue.toml", "oops").format() == "focue.toml: error: oops"


def test_strict_turns_warnings_into_errors():
    found = strict([warning("a.md", "w", 1)])
    assert found == (Diagnostic("a.md", 1, None, "error", "w"),)
    assert has_errors(found)
    assert not has_errors([warning("a.md", "w")])


def test_did_you_mean_suggests_only_close_names():
    assert did_you_mean("titel", ["title", "tags"]) == " (did you mean 'title'?)"
    assert did_you_mean("zzz", ["title", "tags"]) == ""
