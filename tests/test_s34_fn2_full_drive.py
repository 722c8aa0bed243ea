"""A full output drive is found before the work (OUT-WRITE ENOSPC), not after it: the folder probe writes a
little into its hidden file, since an empty file is still made on a full drive."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from yuanluo.gis import output as O
from yuanluo.gis.errors import OutputError
from yuanluo.gis.output import require_free


@pytest.fixture
def full_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs filled up to its last byte (root only; skipped where mounting is not permitted)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "none", str(mnt)], capture_output=True,
                          check=False)
    if done.returncode != 0:
        pytest.skip("mounting a tmpfs is not permitted here: " + done.stderr.decode(errors="replace").strip())
    try:
        fd = os.open(mnt / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
        finally:
            os.close(fd)
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=True)


def test_full_tmpfs_is_out_write_enospc(full_tmpfs: Path) -> None:
    with pytest.raises(OutputError) as caught:
        require_free([full_tmpfs / "a.gpkg"], overwrite=False)
    p = caught.value.problems[0]
    assert (p.code, p.params["reason"]) == ("OUT-WRITE", "ENOSPC")
    assert "a.gpkg" in p.title("en") and "a.gpkg" in p.title("zh")
    assert "free some space" in p.fix("en") and "腾出磁盘空间" in p.fix("zh")  # only the fix for ENOSPC (s48 N2)
    assert "EACCES" not in p.fix("en") and "EACCES" not in p.fix("zh")
    assert sorted(x.name for x in full_tmpfs.iterdir()) == ["filler"]  # the probe is gone


def test_write_refused_with_enospc_is_out_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the drive makes the file but refuses its bytes (os.write raises ENOSPC), the same answer, and the
    folder holds nothing afterwards."""
    real = os.write

    def refuse(fd: int, data: object) -> int:
        if os.path.dirname(os.readlink(f"/proc/self/fd/{fd}")) == str(tmp_path):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)  # type: ignore[arg-type]

    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("needs /proc/self/fd to tell the probe's descriptor")
    monkeypatch.setattr(O.os, "write", refuse)
    with pytest.raises(OutputError) as caught:
        require_free([tmp_path / "a.gpkg"], overwrite=False)
    p = caught.value.problems[0]
    assert (p.code, p.params["reason"]) == ("OUT-WRITE", "ENOSPC")
    assert list(tmp_path.iterdir()) == []


def test_drive_with_room_passes_and_keeps_nothing(tmp_path: Path) -> None:
    require_free([tmp_path / "a.gpkg"], overwrite=False)
    assert list(tmp_path.iterdir()) == []
