"""The run command's conventions: logging with -v/-vv and --log-file, a progress report with
rate and time left, and the per-document limits as --max-* options."""

from __future__ import annotations

import io

import pytest

from pipeline.cli import Progress
from pipeline.cli import main as cli_main


@pytest.fixture
def folder(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for n in range(3):
        (src / f"note{n}.txt").write_text(f"Greve Kommune og Solrød Kommune, møde {n}, 4. juni 2019.\n",
                                          encoding="utf-8")
    (src / "big.txt").write_text("Ishøj Kommune. " * 2000, encoding="utf-8")  # 30,000 characters
    return src


def run_cli(capsys, *args):
    code = cli_main(["run", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_verbose_logs_the_stages_and_very_verbose_every_file(folder, tmp_path, capsys):
    code, _out, err = run_cli(capsys, "--sources", str(folder), "--out", str(tmp_path / "o"), "-v")
    assert code == 0
    assert "4 files in" in err and "reconciled:" in err
    assert "note0.txt: extracted" not in err
    (folder / "note0.txt").write_text("Greve Kommune, nyt møde.\n", encoding="utf-8")
    code, _out, err = run_cli(capsys, "--sources", str(folder), "--out", str(tmp_path / "o"), "-vv")
    assert code == 0
    assert "note0.txt: extracted in" in err
    assert all(f"note{n}.txt: unchanged, from the cache" in err for n in (1, 2))


def test_the_log_file_gets_every_file_and_every_error(folder, tmp_path, capsys):
    (folder / "broken.pdf").write_bytes(b"not a pdf at all")
    log = tmp_path / "run.log"
    code, out, err = run_cli(capsys, "--sources", str(folder), "--out", str(tmp_path / "o"), "--log-file", str(log))
    assert code == 1
    text = log.read_text(encoding="utf-8")
    assert all(f"note{n}.txt: extracted in" in text for n in range(3))
    assert "WARNING broken.pdf: not a PDF file" in text
    assert "broken.pdf" not in err  # the log file, not the console, unless -v
    assert "slowest document: big.txt" in out


def test_a_log_file_that_cannot_be_opened_is_one_line(folder, tmp_path, capsys):
    code, _out, err = run_cli(capsys, "--sources", str(folder), "--out", str(tmp_path / "o"),
                              "--log-file", str(tmp_path / "no" / "such" / "dir" / "run.log"))
    assert code == 2 and "cannot open the log file" in err and "Traceback" not in err


@pytest.mark.parametrize("option, value, message", [
    ("--max-chars", "10000", "over the 10,000-character limit (--max-chars)"),
    ("--max-file-mb", "0.01", "over the 10,000-byte limit (--max-file-mb)"),
])
def test_limits_are_options_and_a_document_over_one_is_an_error_line(folder, tmp_path, capsys, option, value, message):
    code, out, _err = run_cli(capsys, "--sources", str(folder), "--out", str(tmp_path / "o"), option, value)
    assert code == 1
    assert any(line.strip().startswith("big.txt:") and message in line for line in out.splitlines())
    assert "documents: 3" in out  # the rest of the batch is complete


@pytest.mark.parametrize("option, value", [("--max-pdf-pages", "0"), ("--max-chars", "-5"),
                                           ("--max-file-mb", "x"), ("--max-seconds", "-1")])
def test_impossible_limits_are_refused(folder, tmp_path, capsys, option, value):
    try:
        code = cli_main(["run", "--sources", str(folder), "--out", str(tmp_path / "o"), option, value])
    except SystemExit as exc:  # argparse's own refusal
        code = exc.code
    assert code == 2 and option in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_on_a_terminal_is_a_bar_with_rate_and_time_left():
    stream = FakeTerminal()
    progress = Progress(stream)
    for index in range(1, 201):
        progress(index, 200, f"mappe/dok{index}.txt")
    progress.done()
    drawn = stream.getvalue()
    assert "200/200" in drawn or "/200" in drawn
    assert "doc/s" in drawn and "left" in drawn


def test_progress_to_a_log_is_plain_lines_with_rate_and_time_left():
    stream = io.StringIO()
    progress = Progress(stream)
    for index in range(1, 101):
        progress(index, 100, f"dok{index}.txt")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 10 and "\r" not in stream.getvalue()
    assert lines[4].startswith("[50/100] 50% ·") and "documents/s" in lines[4] and lines[4].endswith("s left")
