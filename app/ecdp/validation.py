"""Orders checked against every rule of the ECDP reference before anything is
sent, with the problems in plain words naming the order and the field:

    Order 'DEMO-X8UYE': customer.email is 321 characters long; ECDP accepts at most 320

:func:`validate_orders` checks a whole request (and that no order id comes
twice); the errors it raises map field paths as the server would name them
(``data[2].customer.email``) to those sentences.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError
from pydantic.alias_generators import to_camel

from app.ecdp.errors import EcdpValidationError
from app.ecdp.models import EcdpOrder

_SHOWN_INPUT = 40


def field_path(loc: tuple[int | str, ...], prefix: str = "") -> str:
    """``('products', 0, 'image_url')`` -> ``products[0].imageUrl``."""
    path = prefix
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            name = to_camel(part) if "_" in part else part
            path = f"{path}.{name}" if path else name
    return path


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN_INPUT else text[: _SHOWN_INPUT - 1] + "…"


def plain_message(error: Mapping[str, Any]) -> str:
    """One of pydantic's errors in words (without the field, which comes first)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing":
        return "is missing; ECDP requires it"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        length = len(value) if isinstance(value, str) else "too many"
        return f"is {length} characters long; ECDP accepts at most {ctx.get('max_length')}"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} entry"
    if kind == "greater_than_equal":
        return f"must be {ctx.get('ge')} or more, not {_shown(value)}"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')}, not {_shown(value)}"
    if kind == "finite_number":
        return f"must be a finite number, not {_shown(value)}"
    if kind == "enum":
        return f"must be one of {ctx.get('expected')}, not {_shown(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number, not {_shown(value)}"
    if kind.startswith(("decimal_", "float_")):
        return f"must be a number, not {_shown(value)}"
    if kind in ("string_type", "str_type"):
        return f"must be text, not {_shown(value)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "must be an object"
    if kind == "list_type":
        return "must be a list"
    if kind.startswith("datetime"):
        return "must be an ISO 8601 date and time, e.g. 2024-11-06T10:10:00Z"
    if kind == "extra_forbidden":
        loc = error.get("loc") or ("",)
        hint = "; send orderAttributes" if loc[-1] == "orderAttribute" else ""
        return f"is not a field of the ECDP Orders API{hint}"
    return str(error.get("msg", "is not valid")).removeprefix("Value error, ")


def problems(exc: ValidationError, prefix: str = "") -> dict[str, list[str]]:
    """Field path -> plain messages, for every problem pydantic found."""
    found: dict[str, list[str]] = {}
    for error in exc.errors(include_url=False):
        found.setdefault(field_path(tuple(error["loc"]), prefix), []).append(plain_message(error))
    return found


def _order_label(data: Any, index: int | None) -> str:
    order_id = getattr(data, "id", None) if not isinstance(data, Mapping) else data.get("id")
    if isinstance(order_id, str) and order_id.strip():
        return f"Order {order_id.strip()[:_SHOWN_INPUT]!r}"
    return "An order without an id" if index is None else f"Order #{index + 1} (no id)"


def _sentences(label: str, errors: dict[str, list[str]], prefix: str) -> list[str]:
    return [
        f"{label}: {path.removeprefix(prefix).lstrip('.') or 'the order'} {text}"
        for path, texts in errors.items()
        for text in texts
    ]


def validate_order(data: EcdpOrder | Mapping[str, Any]) -> EcdpOrder:
    """``data`` as a checked :class:`EcdpOrder`; :class:`EcdpValidationError`
    naming the order and every field that breaks a rule otherwise."""
    if isinstance(data, EcdpOrder):
        data = data.model_dump(by_alias=True, exclude_none=True)  # re-checked: may be built
    try:
        return EcdpOrder.model_validate(data)
    except ValidationError as exc:
        errors = problems(exc)
        sentences = _sentences(_order_label(data, None), errors, "")
        raise EcdpValidationError("; ".join(sentences), errors=errors) from None


def validate_orders(orders: Iterable[EcdpOrder | Mapping[str, Any]]) -> list[EcdpOrder]:
    """Check a whole request: every order, and no id twice. Raises one
    :class:`EcdpValidationError` listing every problem (``data[i].field``)."""
    checked: list[EcdpOrder] = []
    errors: dict[str, list[str]] = {}
    sentences: list[str] = []
    first_index: dict[str, int] = {}
    for index, data in enumerate(orders):
        if not isinstance(data, EcdpOrder | Mapping):
            message = f"must be an order (an object), not {type(data).__name__}"
            errors[f"data[{index}]"] = [message]
            sentences.append(f"Order #{index + 1} {message}")
            continue
        prefix = f"data[{index}]"
        try:
            order = validate_order(data)
        except EcdpValidationError as exc:
            found = {f"{prefix}.{path}" if path else prefix: v for path, v in exc.errors.items()}
            errors.update(found)
            sentences.extend(_sentences(_order_label(data, index), found, prefix))
            continue
        if order.id in first_index:
            message = f"is also the id of order #{first_index[order.id] + 1} in this request"
            errors[f"{prefix}.id"] = [message]
            sentences.append(f"Order {order.id!r}: id {message}")
            continue
        first_index[order.id] = index
        checked.append(order)
    if errors:
        summary = "; ".join(sentences[:5])
        if len(sentences) > 5:
            summary += f"; and {len(sentences) - 5} more"
        raise EcdpValidationError(f"Nothing was sent to ECDP: {summary}", errors=errors)
    return checked
