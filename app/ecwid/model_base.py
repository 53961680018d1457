"""The base of the Ecwid models: every real order loads, and is written back as it came.

Real answers carry what no reference page shows: numbers where text is
expected, dates in other formats, ``null`` or junk inside lists. A field the
app does not need must never stop an order from loading, so validating an
object (a JSON object, from the server) never fails because of an optional
field: a value that does not read is set aside — the attribute reads ``None``,
so nothing computes with it — and logged once per field name per process
(:func:`report_odd_value`; the value itself is never logged: it may be a
secret). An element of a list that does not read (a ``null`` among the
items) is left out of the attribute the same way. Only a *required* field
that does not read (``total`` of a search answer) makes validation fail.

:meth:`EcwidModel.to_api` writes back every value exactly as it came — the
odd ones, the elements left out, and every value nobody changed since (an
``id`` that came as a number stays a number, a date keeps its form, money
keeps its JSON number) — in the order the keys came; what was changed is
written as the model writes it. Values given in Python (``Order(total=…)``)
are written as the model writes them.
"""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    PrivateAttr,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    ValidationError,
    ValidatorFunctionWrapHandler,
    model_serializer,
    model_validator,
)
from pydantic.alias_generators import to_camel

log = logging.getLogger(__name__)

_reported: set[tuple[str, str]] = set()
_reported_lock = threading.Lock()


def reader(read: Callable[[Any], Any], what: str) -> Callable[[Any], Any]:
    """A pydantic validator from a function that returns ``None`` for a value it cannot read."""

    def validate(value: Any) -> Any:
        result = read(value)
        if result is None:
            raise ValueError(f"not {what}")
        return result

    return validate


def report_odd_value(model: str, name: str, value: Any, *, element: bool = False) -> None:
    """Log, once per model and field name in this process, that a value was set aside."""
    with _reported_lock:
        if (model, name) in _reported:
            return
        _reported.add((model, name))
    what = "an element" if element else "a value"
    log.warning(
        "Ecwid sent %s Backroom does not read in %s.%s (%s); it is kept as sent and not used",
        what,
        model,
        name,
        type(value).__name__,
    )


def _json_native(value: Any) -> bool:
    if value is None or isinstance(value, str | bool | int | float):
        return not isinstance(value, float) or value == value  # (NaN is no JSON)
    if isinstance(value, list):
        return all(_json_native(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_native(v) for k, v in value.items())
    return False


def _is_leaf(value: Any) -> bool:
    """A value the model holds without a model of its own inside."""
    if isinstance(value, EcwidModel):
        return False
    return not (isinstance(value, list) and any(isinstance(v, EcwidModel) for v in value))


@dataclass(frozen=True, slots=True)
class _Sent:
    """What an object came as: its keys in order, and per field (by name)
    the input key, the value as sent and what it was read as."""

    keys: tuple[str, ...]
    # name -> (input key, value as sent, value read, a copy of a list or dict read)
    values: dict[str, tuple[str, Any, Any, Any]] = field(default_factory=dict)
    # name -> (input key, value as sent): set aside, the attribute reads None
    odd: dict[str, tuple[str, Any]] = field(default_factory=dict)
    # name -> (input key, [(index, element as sent)], the list read, its elements' ids)
    junk: dict[str, tuple[str, list[tuple[int, Any]], Any, tuple[int, ...]]] = field(
        default_factory=dict
    )
    changed: frozenset[str] = frozenset()


class EcwidModel(BaseModel):
    """Base for all Ecwid objects: camelCase aliases, unknown fields kept,
    odd values set aside and written back as they came."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        extra="allow",
        use_enum_values=False,
        validate_assignment=True,
    )

    _sent: _Sent | None = PrivateAttr(default=None)

    def to_api(self) -> dict[str, Any]:
        """The JSON body Ecwid expects: API names, only fields that were set
        (including unknown fields and odd values that came from the server)."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)

    def __eq__(self, other: object) -> bool:
        """Equal when the fields, the unknown fields and the values set aside
        are (how each was spelt when it came does not matter)."""
        if not isinstance(other, BaseModel):
            return NotImplemented
        return (
            type(self) is type(other)
            and self.__dict__ == other.__dict__
            and self.__pydantic_extra__ == other.__pydantic_extra__
            and self._set_aside() == other._set_aside()
        )

    __hash__ = None  # type: ignore[assignment]

    def _set_aside(self) -> tuple[dict[str, Any], dict[str, Any]]:
        sent = _state(self)
        if sent is None:
            return {}, {}
        odd = {name: raw for name, (_, raw) in sent.odd.items() if name not in sent.changed}
        junk = {name: elements for name, (_, elements, _, _) in sent.junk.items()}
        return odd, junk

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        if not name.startswith("_") and name in type(self).model_fields:
            sent = _state(self)
            if sent is not None and name not in sent.changed:
                _set_state(self, replace(sent, changed=sent.changed | {name}))

    # -- reading -------------------------------------------------------------

    @model_validator(mode="wrap")
    @classmethod
    def _read_leniently(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if not isinstance(data, dict):
            return handler(data)  # an assignment, a model, or not an object at all
        try:
            model = handler(data)
        except ValidationError as exc:
            odd, junk = _set_aside(cls, data, exc)
            cleaned = {key: value for key, value in data.items() if key not in odd}
            for key, indexes in junk.items():
                cleaned[key] = [v for i, v in enumerate(data[key]) if i not in indexes]
            try:
                model = handler(cleaned)
            except ValidationError:
                raise exc from None
            for key in odd:
                report_odd_value(cls.__name__, key, data[key])
            for key, indexes in junk.items():
                report_odd_value(cls.__name__, key, data[key][min(indexes)], element=True)
        else:
            odd, junk = {}, {}
        if isinstance(model, EcwidModel):
            _set_state(model, _remember(cls, model, data, odd, junk))
        return model

    # -- writing -------------------------------------------------------------

    @model_serializer(mode="wrap")
    def _write_as_sent(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> Any:
        data = handler(self)
        sent = _state(self)
        if sent is None or not isinstance(data, dict):
            return data
        by_alias = bool(info.by_alias)
        names = _output_names(type(self), by_alias)
        current = self.__dict__
        changed = sent.changed
        if info.mode_is_json():
            for name, (_, raw, read, snapshot) in sent.values.items():
                value = current.get(name)
                if value is not read or name in changed:
                    continue
                out = names[name]
                if out not in data:
                    continue
                if snapshot is None:
                    data[out] = raw
                elif value == snapshot:
                    data[out] = copy.deepcopy(raw)
        for name, (_, raw) in sent.odd.items():
            if name not in changed and current.get(name) is None:
                data[names[name]] = copy.deepcopy(raw)
        for name, (_, elements, read, ids) in sent.junk.items():
            out = names[name]
            value = current.get(name)
            if name in changed or value is not read or tuple(map(id, value)) != ids:
                continue
            if not isinstance(data.get(out), list):
                continue
            merged = list(data[out])
            for index, element in elements:
                merged.insert(index, copy.deepcopy(element))
            data[out] = merged
        outputs = _output_keys(type(self), by_alias)
        ordered: dict[str, Any] = {}
        for key in sent.keys:
            out = outputs.get(key, key)
            if out in data:
                ordered[out] = data.pop(out)
        if data:
            ordered.update(data)
        return ordered


def _state(model: EcwidModel) -> _Sent | None:
    private = model.__pydantic_private__
    return private.get("_sent") if private else None


def _set_state(model: EcwidModel, sent: _Sent) -> None:
    private = model.__pydantic_private__
    if private is not None:  # (always: the model declares ``_sent``)
        private["_sent"] = sent


@cache
def _field_of(model: type[EcwidModel]) -> dict[str, str]:
    """``input key -> field name`` for every name and alias of ``model``'s fields."""
    found: dict[str, str] = {}
    for name, info in model.model_fields.items():
        found[name] = name
        if info.alias:
            found[info.alias] = name
    return found


@cache
def _output_names(model: type[EcwidModel], by_alias: bool) -> dict[str, str]:
    """``field name -> the key it is written under``."""
    return {
        name: (info.alias or name) if by_alias else name
        for name, info in model.model_fields.items()
    }


@cache
def _output_keys(model: type[EcwidModel], by_alias: bool) -> dict[str, str]:
    """``input key -> the key its field is written under`` (unknown keys: themselves)."""
    names = _output_names(model, by_alias)
    return {key: names[name] for key, name in _field_of(model).items()}


def _set_aside(
    model: type[EcwidModel], data: dict[str, Any], error: ValidationError
) -> tuple[dict[str, Any], dict[str, set[int]]]:
    """The input keys whose values do not read (``odd``) and, per list, the
    indexes of the elements that do not (``junk``). Re-raises ``error`` when
    a required field does not read."""
    fields = _field_of(model)
    odd: dict[str, Any] = {}
    junk: dict[str, set[int]] = {}
    for problem in error.errors():
        loc = problem["loc"]
        key = loc[0] if loc else None
        if not isinstance(key, str) or key not in data or key not in fields:
            raise error
        if model.model_fields[fields[key]].is_required():
            raise error
        value = data[key]
        if len(loc) > 1 and isinstance(loc[1], int) and isinstance(value, list):
            junk.setdefault(key, set()).add(loc[1])
        else:
            odd[key] = value
    for key in odd:
        junk.pop(key, None)
    return odd, junk


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _remember(
    model: type[EcwidModel],
    read: EcwidModel,
    data: dict[str, Any],
    odd: dict[str, Any],
    junk: dict[str, set[int]],
) -> _Sent:
    fields = _field_of(model)
    current = read.__dict__
    values: dict[str, tuple[str, Any, Any, Any]] = {}
    for key, raw in data.items():
        name = fields.get(key)
        if name is None or key in odd:
            continue
        value = current.get(name)
        kind = type(value)
        if kind is list or kind is dict:
            if not _is_leaf(value) or not _json_native(raw):
                continue
            values[name] = (key, copy.deepcopy(raw), value, copy.deepcopy(value))
        elif isinstance(value, EcwidModel):
            continue
        elif type(raw) in _PLAIN and (type(raw) is not float or raw == raw):
            values[name] = (key, raw, value, None)
        elif _json_native(raw):
            values[name] = (key, copy.deepcopy(raw), value, None)
    set_aside = {fields[key]: (key, copy.deepcopy(raw)) for key, raw in odd.items()}
    left_out: dict[str, tuple[str, list[tuple[int, Any]], Any, tuple[int, ...]]] = {}
    for key, indexes in junk.items():
        name = fields[key]
        if name in values:  # a list of plain values: written back whole from ``values``
            continue
        elements = [(i, copy.deepcopy(data[key][i])) for i in sorted(indexes)]
        value = current[name]  # (a model's __dict__ holds every field)
        left_out[name] = (key, elements, value, tuple(map(id, value)))
    return _Sent(tuple(data), values, set_aside, left_out)
