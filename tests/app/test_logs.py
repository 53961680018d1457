"""The log file: written where the platform keeps logs, rotated, secrets masked."""

from __future__ import annotations

import logging

import pytest

from app.logs import MASK, configure_logging, redact, register_secret

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
