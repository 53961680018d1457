"""A real print system for one test: a private CUPS scheduler with a cups-pdf
queue, started here and stopped after; what the queue printed is read back
from the PDF cups-pdf wrote.

Private, so the machine's own printing is left as it is:

* ``cupsd`` runs with its own configuration, spool, cache, state and logs, all
  in a fresh folder, and listens only on a Unix socket there (no port, no
  printer sharing or discovery);
* the cups-pdf backend reads its configuration from ``/etc/cups`` and nowhere
  else, so the scheduler runs in a private mount namespace (``unshare``) in
  which the folder's ``etc`` is bind-mounted over ``/etc/cups``: cups-pdf
  finds the queue's own ``cups-pdf-backroom.conf`` there and writes into the
  folder. Outside that namespace ``/etc/cups`` is untouched, and a system
  ``cupsd``, if one runs, keeps running;
* the folder is made with :func:`tempfile.mkdtemp` (not the test's
  ``tmp_path``): CUPS runs its filters as the ``lp`` user, which must be able
  to reach the spool, and pytest's folders are private to their owner. It is
  removed afterwards.

It needs root: CUPS runs a backend whose file only root may run (cups-pdf's)
as root, and only when ``cupsd`` itself runs as root.

Qt reaches CUPS through libcups, which keeps the scheduler's address per
thread once read: :func:`cups_pdf_queue` sets ``CUPS_SERVER`` (for threads
that have not asked yet) and calls ``cupsSetServer`` on the calling thread,
and restores both after.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers.processes import wait_until

QUEUE = "BackroomPDF"
BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
PPD_FOLDER = Path("/usr/share/ppd/cups-pdf")
TOOLS = {  # program -> the Debian package that has it
    "cupsd": "cups-daemon",
    "lpadmin": "cups-client",
    "lpstat": "cups-client",
    "unshare": "util-linux",
    "mount": "mount",
    "tesseract": "tesseract-ocr",
}

_START = 'mount --bind "$1" /etc/cups && exec cupsd -f -c "$2" -s "$3"'


@dataclass
class CupsPdfQueue:
    """A cups-pdf print queue on a private scheduler."""

    name: str
    server: Path  # the scheduler's socket (what ``CUPS_SERVER`` names)
    out: Path  # where cups-pdf writes what was printed
    logs: Path

    def _lpstat(self, *args: str) -> str:
        return subprocess.run(
            ["lpstat", "-h", str(self.server), *args],
            capture_output=True, text=True, timeout=10,
        ).stdout  # fmt: skip

    def completed_jobs(self) -> list[str]:
        """The ids of the queue's finished jobs (``BackroomPDF-1``…)."""
        return [
            line.split()[0]
            for line in self._lpstat("-W", "completed", "-o", self.name).splitlines()
        ]

    def printed_pdf(self) -> Path | None:
        """The PDF the queue wrote, once its job has finished (else ``None``)."""
        if not self.completed_jobs():
            return None
        found = sorted(self.out.glob("*.pdf"))
        return found[0] if found else None

    def log_tail(self) -> str:
        """The end of the scheduler's and cups-pdf's logs (for a failure message)."""
        parts = []
        for log in sorted(self.logs.glob("*log*")):
            lines = log.read_text(errors="replace").splitlines()[-15:]
            parts.append(f"--- {log.name}\n" + "\n".join(lines))
        return "\n".join(parts)


def _missing_tools() -> list[str]:
    missing = {package for tool, package in TOOLS.items() if shutil.which(tool) is None}
    if not BACKEND.exists() or not list(PPD_FOLDER.glob("CUPS-PDF*.ppd")):
        missing.add("printer-driver-cups-pdf")
    if not Path("/usr/lib/cups/filter/pdftops").exists():
        missing.add("cups-filters")
    return sorted(missing)


def _write_config(root: Path, name: str) -> tuple[Path, Path]:
    """The scheduler's configuration and the queue's cups-pdf configuration."""
    etc = root / "etc"
    (etc / "ppd").mkdir(parents=True)
    for folder in ("spool", "cache", "state", "logs", "out", "cups-pdf-spool"):
        (root / folder).mkdir()
    (root / "spool" / "tmp").mkdir(mode=0o1777)
    os.chmod(root / "spool" / "tmp", 0o1777)
    conf = etc / "cupsd.conf"
    conf.write_text(
        f"Listen {root / 'cups.sock'}\n"
        "LogLevel info\nWebInterface No\nBrowsing No\nDefaultAuthType None\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n    Allow all\n"
        "  </Limit>\n</Policy>\n"
    )
    files = etc / "cups-files.conf"
    files.write_text(
        f"ServerRoot {etc}\nRequestRoot {root / 'spool'}\nTempDir {root / 'spool' / 'tmp'}\n"
        f"CacheDir {root / 'cache'}\nStateDir {root / 'state'}\n"
        "ServerBin /usr/lib/cups\nDataDir /usr/share/cups\n"
        f"AccessLog {root / 'logs' / 'access_log'}\nErrorLog {root / 'logs' / 'error_log'}\n"
        f"PageLog {root / 'logs' / 'page_log'}\nFileDevice No\nSandboxing Relaxed\n"
    )
    # read by cups-pdf as /etc/cups/cups-pdf-<name>.conf for the URI cups-pdf:/<name>
    (etc / f"cups-pdf-{name}.conf").write_text(
        f"Out {root / 'out'}\nAnonDirName {root / 'out'}\n"
        f"Spool {root / 'cups-pdf-spool'}\nLog {root / 'logs'}\nLogType 3\n"
        "Grp root\nUserUMask 0022\nAnonUMask 0022\n"
    )
    return conf, files


class _LibCups:
    """libcups's own idea of the scheduler, on the calling thread."""

    def __init__(self) -> None:
        self.lib = ctypes.CDLL(ctypes.util.find_library("cups") or "libcups.so.2")
        self.lib.cupsSetServer.argtypes = [ctypes.c_char_p]
        self.lib.cupsSetServer.restype = None

    def use(self, server: Path | None) -> None:
        self.lib.cupsSetServer(None if server is None else str(server).encode())


@contextmanager
def cups_pdf_queue(name: str = QUEUE) -> Iterator[CupsPdfQueue]:
    """Start a private ``cupsd`` with the cups-pdf queue ``name``, point this
    process's libcups at it, and yield the queue; stop and remove it all after."""
    missing = _missing_tools()
    if missing:
        pytest.fail(
            "This test prints through a real CUPS queue; install "
            f"{' '.join(missing)} (Debian: apt-get install {' '.join(missing)})",
            pytrace=False,
        )
    if os.geteuid() != 0:
        pytest.fail(
            "This test runs its own CUPS scheduler with the cups-pdf backend, "
            "which CUPS runs only as root: run the tests as root (CI does).",
            pytrace=False,
        )
    root = Path(tempfile.mkdtemp(prefix="backroom-cups-"))
    os.chmod(root, 0o755)  # the lp user (CUPS filters) must reach the spool
    queue = CupsPdfQueue(name, root / "cups.sock", root / "out", root / "logs")
    scheduler: subprocess.Popen[bytes] | None = None
    libcups = _LibCups()
    previous = os.environ.get("CUPS_SERVER")
    try:
        conf, files = _write_config(root, name.lower())
        with (root / "logs" / "cupsd.stderr").open("wb") as errors:
            scheduler = subprocess.Popen(
                ["unshare", "--mount", "--propagation", "private",
                 "sh", "-c", _START, "sh", str(root / "etc"), str(conf), str(files)],
                stdout=subprocess.DEVNULL, stderr=errors,
            )  # fmt: skip
        wait_until(
            lambda: scheduler.poll() is not None or "is running" in queue._lpstat("-r"),
            30,
            "the private CUPS scheduler to start",
        )
        if scheduler.poll() is not None:
            raise AssertionError(f"cupsd did not start:\n{queue.log_tail()}")
        ppd = min(PPD_FOLDER.glob("CUPS-PDF*.ppd"), key=lambda p: "_opt" not in p.name)
        added = subprocess.run(
            ["lpadmin", "-h", str(queue.server), "-p", name, "-E",
             "-v", f"cups-pdf:/{name.lower()}", "-P", str(ppd)],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        if added.returncode != 0:
            raise AssertionError(f"lpadmin could not add the queue: {added.stderr}")
        os.environ["CUPS_SERVER"] = str(queue.server)
        libcups.use(queue.server)
        yield queue
    finally:
        libcups.use(None)
        if previous is None:
            os.environ.pop("CUPS_SERVER", None)
        else:
            os.environ["CUPS_SERVER"] = previous
        if scheduler is not None and scheduler.poll() is None:
            scheduler.terminate()
            try:
                scheduler.wait(timeout=20)
            except subprocess.TimeoutExpired:
                scheduler.kill()
                scheduler.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)
