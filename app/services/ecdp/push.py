"""Pushing cached Ecwid orders to ECDP, and what became of each push.

    pusher = EcdpPusher(cache, client, target=ecdp_target(ecdp_account), website_id=7)
    report = await pusher.push(OrderQuery(payment_status=["PAID"]), progress=print)

Orders are mapped (:func:`app.ecdp.map_order`) and sent with
``mode=AddOrReplace`` in batches. After each batch, what ECDP confirmed is
recorded per order in the cache (:mod:`app.cache.ecdp_pushes`: the digest of
the ECDP order sent, the cached version it came from, the time, or the
error), so a push stopped half-way (no network, ECDP failing, the task
cancelled, the app killed) resumes by sending only what ECDP has not
confirmed: an order whose mapped form ECDP already has is skipped unless
``force=True``. A batch that was in flight when the push stopped is sent
again, which ``AddOrReplace`` makes harmless.

An order that names no email, phone or customer id cannot be matched to a
customer by ECDP (:class:`~app.ecdp.UnmatchableCustomerError`): it is not
sent, is reported apart from the failures (``unmatched``, with the reason)
and recorded with the cached version it was found in; it is not tried again
until that version changes (or ``force=True``).

``only_changed=True`` is the mode of the automatic push after each sync: it
first drops, without reading them, the orders whose cached version ECDP has
confirmed or cannot match, so only new and changed orders are read, mapped
and sent.

:func:`app.services.ecdp.status.ecdp_status` says for any orders whether
they were sent, changed since, failed, cannot be matched or were never sent.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.cache import OrderCache
from app.cache.ecdp_pushes import EcdpPushRecord
from app.config import Account, AccountStore
from app.domain.queries import OrderQuery
from app.ecdp import (
    DEFAULT_BASE_URL,
    DEFAULT_BATCH_SIZE,
    EcdpClient,
    EcdpError,
    EcdpOrder,
    MappingError,
    UnmatchableCustomerError,
    map_order,
)
from app.ecdp.client import STOPPING_ERRORS
from app.platform.environment_secrets import ECDP_KEY_ENV, TOKEN_ENV, environment_secret
from app.secrets import SecretSaved, SecretStore
from app.services.accounts.account_actions import MissingTokenError

PUSH_MODE = "AddOrReplace"
_PAGE = 1000


# -- accounts ------------------------------------------------------------------


def ecdp_target(account: Account) -> str:
    """How push records name an ECDP account (its name and address)."""
    return f"{account.lookup_name}@{account.api_url or DEFAULT_BASE_URL}"


def ecdp_client(account: Account, api_key: str, **kwargs: Any) -> EcdpClient:
    return EcdpClient(api_key, base_url=account.api_url or DEFAULT_BASE_URL, **kwargs)


def ecdp_key_for(secrets: SecretStore, account: Account) -> str:
    """The ECDP account's API key: ``BACKROOM_ECDP_KEY`` if set, else the one kept.
    An Ecwid token from ``BACKROOM_TOKEN`` is never used as an ECDP key."""
    key = environment_secret(ECDP_KEY_ENV)
    if key:
        return key
    key = secrets.get_token(account.kind, account.name) or ""
    if key and key == environment_secret(TOKEN_ENV):
        raise MissingTokenError(
            f"{TOKEN_ENV} holds an Ecwid token, which is never sent to ECDP; "
            f"set {ECDP_KEY_ENV} for this run."
        )
    if not key:
        raise MissingTokenError(
            f"No API key is known for the ECDP account {account.name!r}: add the account "
            f"again, or set {ECDP_KEY_ENV} for this run."
        )
    return key


async def connect_ecdp_account(
    accounts: AccountStore, secrets: SecretStore, account: Account, api_key: str
) -> SecretSaved:
    """Check the key with one request, then keep the account and the key.
    Nothing is saved when the check fails (the EcdpError says why)."""
    if account.kind != "ecdp":
        raise ValueError("not an ECDP account")
    # A closure, not arguments: executors may log their arguments, and this is a key.
    async with await asyncio.to_thread(lambda: ecdp_client(account, api_key)) as client:
        await client.check_key()
    accounts.add(account)
    return secrets.set_token(account.kind, account.name, api_key)


# -- pushing -----------------------------------------------------------------------


@dataclass(frozen=True)
class PushProgress:
    """``done`` of ``total`` orders handled so far, and how."""

    done: int
    total: int
    sent: int
    skipped: int
    failed: int
    unmatched: int = 0


@dataclass
class EcdpPushReport:
    total: int = 0  # orders the push considered
    sent: list[str] = field(default_factory=list)  # confirmed by ECDP now
    skipped: list[str] = field(default_factory=list)  # ECDP already has them as they are
    failed: dict[str, str] = field(default_factory=dict)  # key -> why (not sent, or refused)
    unmatched: dict[str, str] = field(default_factory=dict)  # key -> why ECDP cannot match it
    interrupted: EcdpError | None = None  # stopped the push; the rest was not sent

    @property
    def complete(self) -> bool:
        return self.interrupted is None


ProgressCallback = Callable[[PushProgress], Any]


def order_digest(order: EcdpOrder) -> bytes:
    """A digest of what would be sent for ``order``."""
    text = json.dumps(order.to_api(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


@dataclass
class _Prepared:
    send: list[tuple[str, EcdpOrder, bytes, bytes]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    unmatched: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # key -> why, version
    unmatched_known: dict[str, str] = field(default_factory=dict)  # recorded already: key -> why


class EcdpPusher:
    """Pushes one store's cached orders to one ECDP target."""

    def __init__(
        self,
        cache: OrderCache,
        client: EcdpClient,
        *,
        target: str,
        website_id: int | None = None,
        currency: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        clock: Callable[[], float] = time.time,
        on_sent: Callable[[list[str]], Any] | None = None,
    ) -> None:
        self.cache = cache
        self.on_sent = on_sent  # the keys ECDP confirmed, batch by batch (a worker thread)
        self.client = client
        self.target = target
        self.website_id = website_id
        self.currency = currency
        self.batch_size = max(1, batch_size)
        self._clock = clock

    async def push(
        self,
        query: OrderQuery | None = None,
        *,
        keys: Sequence[str] | None = None,
        only_changed: bool = False,
        force: bool = False,
        progress: ProgressCallback | None = None,
    ) -> EcdpPushReport:
        """Push the orders ``query`` selects (or ``keys``). Cancel the task to
        stop: batches ECDP confirmed stay recorded."""
        wanted = await asyncio.to_thread(self._keys, query, keys)
        report = EcdpPushReport(total=len(wanted))
        if only_changed and not force:
            settled = await asyncio.to_thread(self.cache.ecdp_settled, wanted, self.target)
            report.skipped = [key for key in wanted if key in settled and settled[key] is None]
            report.unmatched = {key: why for key in wanted if (why := settled.get(key)) is not None}
            wanted = [key for key in wanted if key not in settled]
        done = len(report.skipped) + len(report.unmatched)
        for start in range(0, len(wanted), self.batch_size):
            chunk = wanted[start : start + self.batch_size]
            prepared = await asyncio.to_thread(self._prepare, chunk, force)
            report.skipped += prepared.skipped
            report.failed.update(prepared.failed)
            report.unmatched.update(prepared.unmatched_known)
            report.unmatched.update((key, why) for key, (why, _) in prepared.unmatched.items())
            pushes = [self._failure(key, reason) for key, reason in prepared.failed.items()]
            pushes += [
                self._unmatched(key, why, version)
                for key, (why, version) in prepared.unmatched.items()
            ]
            if prepared.send:
                pushes += await self._send(prepared.send, report)
            await asyncio.to_thread(self.cache.record_ecdp_pushes, pushes)
            sent = [push.key for push in pushes if push.sent_at is not None and push.error is None]
            if sent and self.on_sent is not None:
                await asyncio.to_thread(self.on_sent, sent)
            done += len(chunk)
            _report(progress, report, done)
            if report.interrupted is not None:
                break
        if not wanted:
            _report(progress, report, done)
        return report

    def _keys(self, query: OrderQuery | None, keys: Sequence[str] | None) -> list[str]:
        if keys is not None:
            return list(dict.fromkeys(keys))
        found: list[str] = []
        while page := self.cache.rows(query, len(found), _PAGE):
            found.extend(row.key for row in page)
            if len(page) < _PAGE:
                break
        return found

    def _prepare(self, keys: list[str], force: bool) -> _Prepared:
        """Read and map ``keys``; sort them into to send, up to date and failed."""
        prepared = _Prepared()
        bodies = self.cache.orders_with_digests(keys)
        known = self.cache.ecdp_pushes(keys, self.target)
        ids: dict[str, str] = {}
        for key in keys:
            if key not in bodies:
                prepared.failed[key] = "The order is not in the local cache."
                continue
            source_digest, raw = bodies[key]
            before = known.get(key)
            try:
                order = map_order(raw, website_id=self.website_id, currency=self.currency)
            except UnmatchableCustomerError as exc:
                if not force and before and before.unmatched_digest == source_digest:
                    prepared.unmatched_known[key] = exc.reason  # recorded already
                else:
                    prepared.unmatched[key] = (exc.reason, source_digest)
                continue
            except MappingError as exc:
                prepared.failed[key] = str(exc)
                continue
            if order.id in ids:
                prepared.failed[key] = f"It has the same ECDP id ({order.id}) as {ids[order.id]}."
                continue
            ids[order.id] = key
            digest = order_digest(order)
            if not force and before and before.error is None and before.sent_digest == digest:
                prepared.skipped.append(key)
                continue
            prepared.send.append((key, order, digest, source_digest))
        return prepared

    async def _send(
        self, batch: list[tuple[str, EcdpOrder, bytes, bytes]], report: EcdpPushReport
    ) -> list[EcdpPushRecord]:
        [result] = await self.client.add_orders(
            [order for _, order, _, _ in batch], PUSH_MODE, batch_size=len(batch)
        )
        now = self._clock()
        if result.error is None:
            report.sent += [key for key, _, _, _ in batch]
            return [
                EcdpPushRecord(
                    key, self.target, now, sent_at=now, sent_digest=digest, source_digest=source
                )
                for key, _, digest, source in batch
            ]
        if isinstance(result.error, STOPPING_ERRORS):
            report.interrupted = result.error
        pushes = []
        for index, (key, _, _, _) in enumerate(batch):
            reason = _reason_for(result.error, index)
            report.failed[key] = reason
            pushes.append(EcdpPushRecord(key, self.target, now, error=reason))
        return pushes

    def _failure(self, key: str, reason: str) -> EcdpPushRecord:
        return EcdpPushRecord(key, self.target, self._clock(), error=reason)

    def _unmatched(self, key: str, reason: str, version: bytes) -> EcdpPushRecord:
        return EcdpPushRecord(
            key, self.target, self._clock(), error=reason, unmatched_digest=version
        )


def _reason_for(error: EcdpError, index: int) -> str:
    """The part of a refused batch's error about its ``index``-th order, if it
    names one; the whole message otherwise."""
    prefix = f"data[{index}]"
    own = [
        f"{name.removeprefix(prefix).lstrip('.') or 'order'}: {text}"
        for name, texts in error.errors.items()
        if name == prefix or name.startswith((prefix + ".", prefix + "["))
        for text in texts
    ]
    if own:
        return f"ECDP refused it: {'; '.join(own)}"
    if any(name.startswith("data[") for name in error.errors):
        return f"Not saved: ECDP refused another order of the same batch ({error.message})"
    return error.message


def _report(progress: ProgressCallback | None, report: EcdpPushReport, done: int) -> None:
    if progress is not None:
        progress(
            PushProgress(
                done,
                report.total,
                len(report.sent),
                len(report.skipped),
                len(report.failed),
                len(report.unmatched),
            )
        )
