"""Resave a workbook through real LibreOffice Calc, as a partner who edits our export would,
and print a workbook or a Word document to PDF, as someone printing it would.

`soffice` comes from Debian's libreoffice-calc-nogui and libreoffice-writer-nogui, which
`make test` installs with `bash scripts/libreoffice-up`. Without it the tests that need it
fail (they do not skip), so a missing install is never mistaken for a pass.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 120


class LibreOfficeError(RuntimeError):
    pass


def resave_in_libreoffice(data: bytes, tmp_path) -> bytes:
    """Open the .xlsx `data` in LibreOffice Calc, save it as .xlsx again and return the bytes."""
    return convert_in_libreoffice(data, "xlsx", "xlsx", tmp_path)


def print_to_pdf(data: bytes, suffix: str, tmp_path) -> bytes:
    """The PDF LibreOffice prints of `data`, a .xlsx or .docx (`suffix`), with the page setup
    the file gives (paper, orientation, scaling, repeated rows)."""
    return convert_in_libreoffice(data, suffix, "pdf", tmp_path)


def convert_in_libreoffice(data: bytes, suffix: str, to: str, tmp_path) -> bytes:
    """Open `data` (a file ending `suffix`) in LibreOffice, save it as `to`, return the bytes."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise LibreOfficeError(
            "soffice (LibreOffice) is not on PATH: run `bash scripts/libreoffice-up` "
            "(as root or with sudo), or `make test`, which runs it."
        )
    # A folder of its own per call, so that one test can convert several files.
    work = Path(tempfile.mkdtemp(prefix="libreoffice-", dir=tmp_path))
    source, out = work / "in", work / "out"
    source.mkdir(parents=True)
    out.mkdir()
    document = source / f"document.{suffix}"
    document.write_bytes(data)
    # A private profile and cache per call: parallel or repeated runs do not fight over one
    # profile, and nothing is left in $HOME (soffice writes ~/.cache/dconf even for --version).
    env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
    command = [
        soffice,
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        to,
        "--outdir",
        str(out),
        str(document),
    ]
    try:
        run = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired as exc:
        raise LibreOfficeError(f"soffice took over {TIMEOUT_SECONDS} s: {command}") from exc
    result = out / f"document.{to}"
    # soffice can exit 0 without writing anything (e.g. when the file cannot be loaded).
    if run.returncode != 0 or not result.is_file():
        raise LibreOfficeError(
            f"soffice exited {run.returncode} and wrote {'a' if result.is_file() else 'no'} "
            f"file\nstdout: {run.stdout}\nstderr: {run.stderr}"
        )
    return result.read_bytes()
