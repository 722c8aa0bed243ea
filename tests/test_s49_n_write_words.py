"""What a user reads when an output cannot be written, and three wordings (session 49, helper N).

A write failing midway (a full drive, no permission, a name too long …) gave the fix of all five error codes at
once, where the error's code was known; a missing folder holding several outputs was said once per output; the
cover page's COVER-FAR with a 1-minute limit read "more than 1 minute' walk"; COL-MISSING of a longitude beside a
latitude read "no longitude (to pair with the latitude column 纬度) column"."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

import pytest
from badfiles import HEADER, good_rows, write_csv
from typer.testing import CliRunner

from yuanluo.gis import output as O
from yuanluo.gis import transaction as T
from yuanluo.gis.catalogue import english_one, text
from yuanluo.gis.errors import InputError, OutputError
from yuanluo.gis.io import read_households
from yuanluo.planners.cli import app

runner = CliRunner()
#: the error codes OUT-WRITE has a fix of its own for, and that fix's field
KINDS = {"ENOENT": "fix_enoent", "EACCES": "fix_eacces", "EPERM": "fix_eacces", "ENOSPC": "fix_enospc",
         "EROFS": "fix_erofs", "ENAMETOOLONG": "fix_enametoolong"}


def _flat(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def _fixes(lang: str, folder: str) -> dict[str, str]:
    return {field: text("OUT-WRITE", lang, field, folder=folder) for field in set(KINDS.values())}  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("code", sorted(KINDS))
def test_a_write_failing_midway_gives_the_one_fix_of_its_code(tmp_path: Path, lang: str, code: str) -> None:
    """gis.transaction.write_error (a write failing after the checks: the drive filled up, the file was locked)
    gave the fix text of every code; it now gives the fix of its own code, as the checks before the work do."""
    folder = tmp_path if code != "ENOENT" else tmp_path / "gone"
    target = folder / "u.gpkg"
    exc = OSError(getattr(errno, code), os.strerror(getattr(errno, code)), str(folder / ".u.1.tmp.gpkg"))
    q = T.write_error(exc, target).problems[0]
    fixes = _fixes(lang, str(folder))
    assert q.fix(lang) == fixes[KINDS[code]], q.fix(lang)
    said = q.message(lang)
    assert [k for k in KINDS if k in said] == [code], said  # no other code is named
    assert [f for f in fixes.values() if f in said] == [fixes[KINDS[code]]], said
    # one source: the check before the work says the same fix for the same code
    assert O.write_problem(target, code, folder).fix(lang) == q.fix(lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_unknown_code_gets_a_short_fix_not_the_list_of_five(tmp_path: Path, lang: str) -> None:
    q = T.write_error(OSError(errno.EIO, "I/O error"), tmp_path / "u.gpkg").problems[0]
    assert not any(k in q.message(lang) for k in KINDS), q.message(lang)
    assert q.fix(lang) == {"zh": "重试；若仍不能写出，把输出写到另一个文件夹或磁盘。",
                           "en": "retry; if it fails again, write the output to another folder or drive."}[lang]


def _delineate(tmp_path: Path, lang: str, out: Path, *extra: str) -> tuple[int, str]:
    hh = write_csv(tmp_path, "hh.csv", [HEADER, *good_rows(12)])
    res = runner.invoke(app, ["--lang", lang, "delineate", str(hh), "--crs", "EPSG:4490", "--min", "3", "--max",
                              "6", "-o", str(out / "u.gpkg"), "--map", str(out / "u.html"), "--xlsx",
                              str(out / "p.xlsx"), *extra])
    return res.exit_code, _flat(res.output)


@pytest.mark.parametrize(("lang", "fix"), [
    ("zh", "腾出磁盘空间后重试，或把输出写到另一个磁盘。"),
    ("en", "free some space on the drive and retry, or write the output to another drive.")])
def test_a_full_drive_midway_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str,
                                                 fix: str) -> None:
    """The map's page is written after the checks; the drive fills up as it is flushed (ENOSPC): exit 2, the one
    fix of a full drive, nothing written."""
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(O.os, "fsync", full)
    code, said = _delineate(tmp_path, lang, tmp_path)
    assert code == 2 and "OUT-WRITE" in said and "ENOSPC" in said, said
    assert said.count(fix) == 1 and not any(k in said for k in KINDS if k != "ENOSPC"), said
    assert not [p for p in tmp_path.iterdir() if p.name != "hh.csv"], list(tmp_path.iterdir())


@pytest.mark.parametrize(("lang", "said_once"), [
    ("zh", "错误 OUT-WRITE：无法写出 {out}/u.gpkg、{out}/u.html、{out}/p.xlsx（ENOENT：文件夹 {out} 不存在）。"
           " 处理办法：先创建文件夹 {out} 后重试，或把输出写到已有的文件夹。"),
    ("en", "Error OUT-WRITE: cannot write {out}/u.gpkg, {out}/u.html, {out}/p.xlsx (ENOENT: the folder {out} does "
           "not exist). Fix: create the folder {out} first and retry, or write the "
           "output to a folder that exists.")])
def test_a_missing_folder_of_three_outputs_is_said_once(tmp_path: Path, lang: str, said_once: str) -> None:
    out = tmp_path / "out"
    code, said = _delineate(tmp_path, lang, out)
    assert code == 2 and not out.exists(), said
    assert said.count("OUT-WRITE") == 1 and said_once.format(out=out) in said, said


def test_outputs_of_two_missing_folders_are_said_per_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as ei:
        O.require_free([tmp_path / "a" / "u.gpkg", tmp_path / "b" / "u.html", tmp_path / "a" / "p.xlsx"],
                       overwrite=False)
    qs = ei.value.problems
    assert [q.code for q in qs] == ["OUT-WRITE", "OUT-WRITE"]
    assert qs[0].params["target"] == [str(tmp_path / "a" / "u.gpkg"), str(tmp_path / "a" / "p.xlsx")]
    assert qs[1].params["target"] == str(tmp_path / "b" / "u.html")


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "错误 OUT-DIR-FILE：输出文件 {f}/u.gpkg、{f}/u.html 所在的位置 {f} 是一个文件，不是文件夹。"),
    ("en", "Error OUT-DIR-FILE: {f}/u.gpkg, {f}/u.html would go in {f}, which is a file, not a folder.")])
def test_a_file_where_the_folder_of_two_outputs_should_be_is_said_once(tmp_path: Path, lang: str, said: str) -> None:
    f = tmp_path / "afile"
    f.write_bytes(b"x")
    with pytest.raises(OutputError) as ei:
        O.require_free([f / "u.gpkg", f / "u.html"], overwrite=False)
    assert ei.value.codes == ["OUT-DIR-FILE"]
    assert ei.value.problems[0].message(lang).splitlines()[0] == said.format(f=f)


@pytest.mark.parametrize(("lang", "cause", "fix"), [
    ("zh", "EACCES：没有写入文件夹 {d} 的权限，或文件被其他程序占用",
     "关闭占用该文件的程序（如 QGIS、ArcGIS、WPS）后重试，或把输出写到有写入权限的文件夹。"),
    ("en", "EACCES: no permission to write in the folder {d}, or another program holds the file open",
     "close the program holding the file (QGIS, ArcGIS, WPS) and retry, or write the output to a folder you may "
     "write in.")])
def test_a_read_only_folder_before_the_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, cause: str,
                                            fix: str) -> None:
    """A folder the user may not write in (we run as root, to whom every folder is writable: the probe file's
    os.open refused as a read-only folder refuses it): said before the work, its cause and its one fix, exit 2."""
    real_open = os.open
    out = tmp_path / "out"
    out.mkdir()

    def refused(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: int) -> int:
        if Path(path).parent == out:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refused)
    code, said = _delineate(tmp_path, lang, out)
    assert code == 2 and said.count("OUT-WRITE") == 1, said  # the three outputs of the folder said once
    assert cause.format(d=out) in said and said.count(fix) == 1, said
    assert not any(k in said for k in KINDS if k != "EACCES") and not list(out.iterdir()), said


@pytest.mark.parametrize(("lang", "fix"), [
    ("zh", "关闭占用该文件的程序（如 QGIS、ArcGIS、WPS）后重试，或把输出写到有写入权限的文件夹。"),
    ("en", "close the program holding the file (QGIS, ArcGIS, WPS) and retry, or write the output to a folder you "
           "may write in.")])
def test_an_output_held_open_when_replaced_with_overwrite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          lang: str, fix: str) -> None:
    """An existing output file that cannot be replaced, not marked read-only (held open by QGIS on Windows:
    os.replace refuses it with PermissionError, after the retries): the run's other outputs are taken back, the
    old file is kept, and the user reads its cause and the one fix of EACCES, exit 2."""
    code, said = _delineate(tmp_path, lang, tmp_path)
    assert code == 0, said
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    real_replace = os.replace

    def refused(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(dst).name == "u.html":
            raise PermissionError(errno.EACCES, "Permission denied", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(T.os, "replace", refused)
    monkeypatch.setattr(T, "REPLACE_WAIT_S", 0.0)
    code, said = _delineate(tmp_path, lang, tmp_path, "--overwrite")
    assert code == 2 and said.count("OUT-WRITE") == 1 and f"{tmp_path}/u.html" in said, said
    assert said.count(fix) == 1 and not any(k in said for k in KINDS if k != "EACCES"), said
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # every file as it was


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "无法写出 {f}（EACCES：文件是只读的）；该文件未改动。 处理办法：取消该文件的只读属性（在 Windows 中："
           "文件的“属性”里取消勾选“只读”）后重试，或把输出写成另一个文件名。"),
    ("en", "cannot write {f} (EACCES: the file is read-only); the file is unchanged. Fix: clear the file's "
           "read-only mark (on Windows: in the file's Properties, untick Read-only) and retry, or write the output "
           "under another name.")])
def test_an_output_marked_read_only_is_said_read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str,
                                                      said: str) -> None:
    """The read-only attribute on Windows refuses os.replace of the file (PermissionError; on Linux the folder
    decides, and we run as root): the user read "no permission to write in the folder, or another program holds
    the file open" and was told to close QGIS; the file's own mark is the cause, and clearing it the fix. (Since
    session 50 said before the work, on every system: tests/test_s50_n_messages.py.)"""
    code, _ = _delineate(tmp_path, lang, tmp_path)
    assert code == 0
    page = tmp_path / "u.html"
    page.chmod(0o444)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    real_replace = os.replace

    def refused(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(dst) == page and not os.stat(dst).st_mode & 0o200:
            raise PermissionError(errno.EACCES, "Access is denied", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(T.os, "replace", refused)
    monkeypatch.setattr(T, "REPLACE_WAIT_S", 0.0)
    code, out = _delineate(tmp_path, lang, tmp_path, "--overwrite")
    assert code == 2 and said.format(f=page) in out, out
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_one_minute_in_the_singular_possessive_too() -> None:
    """"1 minutes' walk" became "1 minute' walk" (the plural's apostrophe kept): now "1 minute's walk"."""
    assert text("cover.reason.COVER-FAR", "en", limit=1) == "more than 1 minute's walk to the nearest service point"
    assert text("cover.reason.COVER-FAR", "en", limit=2) == "more than 2 minutes' walk to the nearest service point"
    assert english_one("11 minutes' walk; 1.5 minutes' walk; 1 households' walks") == \
        "11 minutes' walk; 1.5 minutes' walk; 1 household's walks"
    assert english_one("1 minutes, 1 households are far") == "1 minute, 1 household is far"


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "文件 {f} 中找不到经度列与纬度列“纬度”配对（可用的列名：lon、lng、long、longitude、经度、东经）。"
           "现有列：户编号、纬度、人口、村民小组。"),
    ("en", "no longitude column to pair with the latitude column 纬度 (lon, lng, long, longitude, 经度, 东经 are "
           "accepted) in {f}. Columns: 户编号, 纬度, 人口, 村民小组.")])
def test_the_longitude_missing_beside_a_latitude_reads_well(tmp_path: Path, lang: str, said: str) -> None:
    rows = [",".join(x for i, x in enumerate(r.split(",")) if i != 1) for r in good_rows(6)]
    hh = write_csv(tmp_path, "hh.csv", ["户编号,纬度,人口,村民小组", *rows])
    with pytest.raises(InputError) as ei:
        read_households(hh, crs="EPSG:4490")
    q = next(p for p in ei.value.problems if p.code == "COL-MISSING")
    assert q.title(lang) == said.format(f=hh), q.title(lang)


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "无法写出 u.gpkg（EACCES：没有写入文件夹 {d} 的权限，或文件被其他程序占用）"),
    ("en", "cannot write u.gpkg (EACCES: no permission to write in the folder {d}, or another program holds the file "
           "open)")])
def test_the_working_folder_is_named_by_its_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str,
                                                 said: str) -> None:
    """``-o u.gpkg`` refused in the working folder said "no permission to write in the folder ."."""
    monkeypatch.chdir(tmp_path)
    q = T.write_error(PermissionError(errno.EACCES, "Permission denied"), Path("u.gpkg")).problems[0]
    assert q.title(lang).startswith(said.format(d=tmp_path)), q.title(lang)
