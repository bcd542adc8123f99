"""A real Request Tracker 5 (Debian's request-tracker5 + rt5-db-sqlite) for the RT source's tests: a
fresh SQLite database in a temporary folder, RT's standalone server on 127.0.0.1 at a free port, and
REST2 calls (as root, password "password") to seed what the tests look for.

RT reads its site config from RT_SITE_CONFIG and every ``*.pm`` in RT_SITE_CONFIG_DIR; pointing both
at the temporary folder keeps Debian's own drop-ins (which name the system database) out, so the
system's RT is never touched."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

LIBEXEC = Path("/usr/share/request-tracker5/libexec")
SERVER = LIBEXEC / "rt-server"
SETUP = shutil.which("rt-setup-database-5") or "/usr/sbin/rt-setup-database-5"
INSTALL = ("apt-get install -y --no-install-recommends request-tracker5 rt5-db-sqlite "
           "(Debian 12; .ci/run does this)")
ROOT = ("root", "password")


def installed() -> bool:
    return SERVER.is_file() and Path(SETUP).is_file()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _site_config(folder: Path, port: int) -> str:
    return f"""Set($rtname, 'escalate-test');
Set($Organization, 'escalate-test');
Set($Timezone, 'UTC');
# bcrypt at its cheapest: RT checks the password on every REST2 call, 0.5 s each at the default cost
Set($BcryptCost, 4);
# no mail leaves the tests: RT's autoreplies go to a file in the temporary folder
Set($MailCommand, 'testfile');
Set($DatabaseType, 'SQLite');
Set($DatabaseName, '{folder / "rt.sqlite3"}');
Set($DatabaseHost, 'localhost');
Set($DatabaseUser, '');
Set($DatabasePassword, '');
Set($WebPath, '');
Set($WebDomain, '127.0.0.1');
Set($WebPort, {port});
Set($WebBaseURL, 'http://127.0.0.1:{port}');
Set($LogToSyslog, undef);
Set($LogToFile, undef);
Set($LogToSTDERR, 'error');
1;
"""


@dataclass
class Timings:
    init: float = 0.0
    start: float = 0.0


class RTServer:
    """`with RTServer() as rt:` — RT answering at `rt.url` until the block ends, then its files gone."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.folder = Path(tempfile.mkdtemp(prefix="escalate-rt-"))
        self.timings = Timings()
        self._process: subprocess.Popen[bytes] | None = None
        self._log = self.folder / "server.log"

    def _env(self) -> dict[str, str]:
        return {**os.environ, "RT_SITE_CONFIG": str(self.folder / "RT_SiteConfig.pm"),
                "RT_SITE_CONFIG_DIR": str(self.folder / "RT_SiteConfig.d")}

    def __enter__(self) -> RTServer:
        try:
            self._start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _start(self) -> None:
        (self.folder / "RT_SiteConfig.d").mkdir()
        (self.folder / "RT_SiteConfig.pm").write_text("1;\n")
        (self.folder / "RT_SiteConfig.d" / "50-escalate-test.pm").write_text(_site_config(self.folder, self.port))
        began = time.monotonic()
        setup = subprocess.run([SETUP, "--action", "init", "--dba", "", "--dba-password", ""], env=self._env(),
                               capture_output=True, timeout=120, check=False)
        if setup.returncode != 0:
            raise RuntimeError(f"rt-setup-database-5 failed: {setup.stdout[-2000:]!r} {setup.stderr[-2000:]!r}")
        self.timings.init = time.monotonic() - began
        began = time.monotonic()
        with self._log.open("wb") as log:
            self._process = subprocess.Popen(
                [str(SERVER), "--server", "Standalone", "--host", "127.0.0.1", "--port", str(self.port)],
                env=self._env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_until_up(deadline=time.monotonic() + 60)
        self.timings.start = time.monotonic() - began

    def _wait_until_up(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise RuntimeError(f"rt-server stopped at start: {self._log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{self.url}/REST/2.0/queues/all", auth=ROOT, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"rt-server did not answer within 60 s: {self._log.read_text(errors='replace')[-2000:]}")

    def __exit__(self, *_: object) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST `body` to REST2 as root; the created object's answer."""
        response = httpx.post(f"{self.url}/REST/2.0/{path}", json=body, auth=ROOT, timeout=30)
        assert response.status_code == 201, (path, response.status_code, response.text)
        answer: dict[str, Any] = response.json()
        return answer

    def ticket(self, subject: str, requestor: str, queue: str = "General", content: str = "") -> str:
        return str(self.post("ticket", {"Queue": queue, "Subject": subject, "Requestor": requestor,
                                        "Content": content or subject, "ContentType": "text/plain"})["id"])
