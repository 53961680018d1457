"""The log file: written where the platform keeps logs, rotated, secrets masked."""

from __future__ import annotations

import errno
import io
import logging

import pytest

from app.platform.logs import (
    MASK,
    configure_logging,
    log_details,
    log_file,
    log_file_problem,
    redact,
    register_secret,
)

pytestmark = pytest.mark.usefixtures("restore_root_logger")


def test_known_secret_shapes_are_masked():
    assert redact("token secret_AbCdEf123456 used") == f"token {MASK} used"
    assert redact("Authorization: Bearer abc.def-123") == f"Authorization: Bearer {MASK}"
    assert redact("GET /orders?token=abc&limit=5") == f"GET /orders?token={MASK}&limit=5"
    assert redact("headers {'x-api-key': 'k-123'}") == f"headers {{'x-api-key': '{MASK}'}}"
    assert redact("nothing secret here") == "nothing secret here"


def test_registered_secrets_are_masked_in_messages_and_tracebacks(tmp_path):
    register_secret("hunter2-store-key")
    path = configure_logging(directory=tmp_path)
    log = logging.getLogger("backroom.test")
    log.warning("connecting with %s", "hunter2-store-key")
    try:
        raise RuntimeError("failed with hunter2-store-key inside")
    except RuntimeError:
        log.exception("it broke")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert path.parent == tmp_path and path.name == "backroom.log"
    assert "connecting with" in text and "it broke" in text and "RuntimeError" in text
    assert "hunter2-store-key" not in text
    assert text.count(MASK) == 3


def test_the_terminal_gets_one_line_per_warning_never_a_traceback(tmp_path, capsys):
    configure_logging(directory=tmp_path)
    log = logging.getLogger("backroom.test")
    try:
        raise RuntimeError("deep inside")
    except RuntimeError:
        log.exception("customer \x1b]0;pwned\x07 broke it")
    _, err = capsys.readouterr()
    assert err == "backroom: customer \\x1b]0;pwned\\x07 broke it\n"
    text = (tmp_path / "backroom.log").read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError: deep inside" in text  # the details: here


def test_a_log_folder_that_cannot_be_written_falls_back_to_stderr(tmp_path, capsys):
    (tmp_path / "file").write_text("a file where the log folder should be")
    assert configure_logging(directory=tmp_path / "file" / "log") is None
    assert log_file() is None
    assert "a file stands where the folder should be" in log_file_problem()
    logging.getLogger("backroom.test").warning("still told")
    assert capsys.readouterr().err == "backroom: still told\n"
    assert log_details("nowhere to go", RuntimeError("x")) is None


class _FullDisk(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_log_file_that_stops_working_stops_quietly(tmp_path, capsys):
    path = configure_logging(directory=tmp_path)
    assert log_file() == path
    [handler] = [
        h for h in logging.getLogger().handlers if getattr(h, "baseFilename", None) == str(path)
    ]
    handler.stream = _FullDisk()  # the disk fills up while Backroom runs
    logging.getLogger("backroom.test").info("one more line")
    assert capsys.readouterr().err == ""  # not logging's "--- Logging error ---" traceback
    assert log_file() is None and "the disk is full" in log_file_problem()
    assert log_details("lost", RuntimeError("x")) is None


def test_details_go_to_the_log_file_only_with_secrets_masked(tmp_path, capsys):
    register_secret("hunter3-store-key")
    configure_logging(directory=tmp_path)
    try:
        raise ValueError("failed with hunter3-store-key and secret_AbCdEf123456")
    except ValueError as exc:
        assert log_details("Backroom hit an unexpected problem", exc) == tmp_path / "backroom.log"
    assert capsys.readouterr().err == ""
    text = (tmp_path / "backroom.log").read_text(encoding="utf-8")
    assert "ValueError: failed with" in text and "Traceback" in text
    assert "hunter3-store-key" not in text and "secret_AbCdEf123456" not in text


def test_credential_parameters_of_any_url_are_masked_in_the_log_file(tmp_path):
    path = configure_logging(directory=tmp_path)
    log = logging.getLogger("backroom.test")
    log.warning(
        "order 5871 file https://app.ecwid.com/api/v3/9/products/8/files/7?TOKEN=tk1-x&lang=en"
    )
    log.warning("receipt https://bank.example/r?id=9&access_key=ak2-x#sig=sg3-x")
    log.warning("download https://s3.example/o?X-Amz-Signature=sg4-x&api_key=ak5-x done")
    log.warning("mirror https://admin:pw6-x@files.example/")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    for secret in ("tk1-x", "ak2-x", "sg3-x", "sg4-x", "ak5-x", "pw6-x"):
        assert secret not in text
    assert f"?TOKEN={MASK}&lang=en" in text
    assert f"?id=9&access_key={MASK}#sig={MASK}" in text
    assert f"https://admin:{MASK}@files.example/" in text
