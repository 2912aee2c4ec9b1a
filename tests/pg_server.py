"""A throwaway PostgreSQL cluster for the tests and benchmarks (initdb in a temporary folder).

`STORYLINE_TEST_PG` (a URL) wins when set. Otherwise the PostgreSQL server binaries (`initdb`,
`pg_ctl`; Debian's `postgresql` package) make a private cluster on a free 127.0.0.1 port with trust
authentication and fsync off; it is stopped and deleted at the end. initdb refuses to run as root,
so as root the cluster belongs to the `postgres` system user (`runuser`).
Run `python tests/pg_server.py` to start one by hand: it prints the URL and waits for Ctrl-C or `kill`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

_BIN_DIRS = ["/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"]


def pg_binary(name: str) -> str | None:
    """The path of a PostgreSQL server program, or None when it is not installed."""
    found = shutil.which(name)
    if found:
        return found
    for d in _BIN_DIRS:
        if (Path(d) / name).exists():
            return str(Path(d) / name)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """A running private cluster; `url` points at its `storyline` database."""

    def __init__(self) -> None:
        initdb, pg_ctl = pg_binary("initdb"), pg_binary("pg_ctl")
        if not initdb or not pg_ctl:
            raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql")
        self.pg_ctl = pg_ctl
        self.root = Path(tempfile.mkdtemp(prefix="storyline-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, "postgres", "postgres")
        self._run([initdb, "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync",
                   "--locale=C"])
        opts = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off -c synchronous_commit=off"
        self._run([pg_ctl, "-D", str(self.data), "-o", opts, "-l", str(self.root / "log"), "-w", "-t", "60", "start"])
        self.server = f"postgresql://postgres@127.0.0.1:{self.port}"
        self.create_database("storyline")
        self.url = f"{self.server}/storyline"

    def _run(self, cmd: list[str]) -> None:
        done = subprocess.run([*self.as_user, *cmd], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{cmd[0]} failed: {done.stderr.strip() or done.stdout.strip()}")

    def create_database(self, name: str) -> str:
        """A new empty database on this cluster; returns its URL."""
        import psycopg

        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"{self.server}/{name}"

    def stop(self) -> None:
        subprocess.run([*self.as_user, self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=60)
        time.sleep(0.1)
        shutil.rmtree(self.root, ignore_errors=True)


def fresh_database(base_url: str, name: str) -> str:
    """A new empty database next to `base_url`'s (dropped first if it exists); returns its URL."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(base_url)
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def _interrupt(*_args: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    import signal

    signal.signal(signal.SIGTERM, _interrupt)  # `kill PID` stops and deletes the cluster too
    signal.signal(signal.SIGINT, _interrupt)  # (a background job ignores SIGINT otherwise)
    cluster = Cluster()
    print(cluster.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        cluster.stop()
