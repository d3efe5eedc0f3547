"""libsalesservice for Python: the C library through ctypes (no compiler needed).

    import salesservice as lss
    with lss.Database() as db:                      # in memory; Database("crm.lss") is durable
        db.add_member("2025-01-01", "m-anna", "Anna Berg", role="sales", team="DACH")
        db.add_customer("2025-01-06", "c-17", "Kraus GmbH", source="web")
        deal = db.open_deal("2025-01-06T09:30:00Z", "d-17", "c-17", "m-anna", "12000.00")
        deal.advance("2025-01-09", "qualified")
        print(deal.stage, deal.amount)              # qualified 12000.00 (a Decimal)
        print(db.report()["sales"]["win_rate"])     # None: no deal closed yet

Money is decimal.Decimal (never float), times are datetime (UTC), a value
that does not exist is None. Errors are exceptions, one class per status of
the C library, all subclasses of SalesServiceError. See docs/python.md.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import datetime as _dt
import enum as _enum
import json
import os
from decimal import Decimal
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

from ._version import __version__

__all__ = ["Database", "SalesServiceError", "load_library", "version", "__version__", "Member", "Customer", "Deal",
           "Ticket", "Task", "Activity", "Row", "to_pandas", "Time", "Money"]

#: A moment as the binding takes it: a datetime (naive means UTC), a date, an
#: RFC 3339 string or Unix seconds. Moments read back are aware datetimes in UTC.
Time = Union[_dt.datetime, _dt.date, str, int]
#: Money as the binding takes it: a Decimal, an int (whole units) or a decimal
#: string, never a float. Money read back is a Decimal with two places.
Money = Union[Decimal, int, str]

# ---- errors ------------------------------------------------------------------------


class SalesServiceError(Exception):
    """A call failed. .status is the C status name, .message the library's message."""

    status = "LSS_ERROR"

    def __init__(self, message: str, status: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        if status:
            self.status = status


def _error_class(name, doc, *also):
    return type(name, (SalesServiceError,) + also, {"__doc__": doc})


InvalidError = _error_class("InvalidError", "A field is invalid (LSS_INVALID); also a ValueError.", ValueError)
NotFoundError = _error_class("NotFoundError", "A referenced entity does not exist (LSS_NOT_FOUND).")
AlreadyExistsError = _error_class("AlreadyExistsError", "The key is taken (LSS_EXISTS).")
TransitionError = _error_class("TransitionError", "Not allowed in the current state (LSS_TRANSITION).")
OutOfOrderError = _error_class("OutOfOrderError", "Earlier than the entity's last event (LSS_OUT_OF_ORDER).")
NoMemoryError = _error_class("NoMemoryError", "An allocation failed (LSS_NOMEM).")
JournalIOError = _error_class("JournalIOError", "File I/O failed (LSS_IO).")
CorruptError = _error_class("CorruptError", "A damaged journal (LSS_CORRUPT).")
LockedError = _error_class("LockedError", "The journal is open elsewhere (LSS_LOCKED).")
AmountOverflowError = _error_class("AmountOverflowError", "A sum beyond 64 bits (LSS_OVERFLOW); also an OverflowError.",
                                   OverflowError)
RoleError = _error_class("RoleError", "The member's role does not allow it (LSS_ROLE).")
VersionError = _error_class("VersionError", "An unknown version (LSS_VERSION).")
UnsupportedError = _error_class("UnsupportedError", "Not available (LSS_UNSUPPORTED).")
MisuseError = _error_class("MisuseError", "Not allowed now (LSS_MISUSE).")

_ERRORS = [None, InvalidError, NotFoundError, AlreadyExistsError, TransitionError, OutOfOrderError, NoMemoryError,
           JournalIOError, CorruptError, LockedError, AmountOverflowError, RoleError, VersionError, UnsupportedError,
           MisuseError]
__all__ += [c.__name__ for c in _ERRORS if c]

# ---- the library ---------------------------------------------------------------------

_lib = None


def load_library(path: Optional[str] = None) -> ctypes.CDLL:
    """Load libsalesservice (once). With `path`, from there only; else, in
    order: $LSS_LIBRARY; next to this package; the system's library path.
    Raises OSError naming every place tried."""
    global _lib
    if _lib is not None and path is None:
        return _lib
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = []
    if path:
        candidates.append(path)  # an explicit path is the only place looked at
    else:
        if os.environ.get("LSS_LIBRARY"):
            candidates.append(os.environ["LSS_LIBRARY"])
        for name in ("libsalesservice.so.0", "libsalesservice.so", "libsalesservice.dylib", "salesservice.dll"):
            candidates.append(os.path.join(here, name))
        found = ctypes.util.find_library("salesservice")
        candidates += [found] if found else []
        candidates += ["libsalesservice.so.0"]
    errors = []
    for c in candidates:
        try:
            lib = ctypes.CDLL(c)
            break
        except OSError as e:
            errors.append("%s (%s)" % (c, e))
    else:
        raise OSError("libsalesservice not found; tried: " + "; ".join(errors))
    _declare(lib)
    _lib = lib
    return lib


c_db = ctypes.c_void_p
c_entity = ctypes.c_void_p


class _OpenOptions(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint), ("currency", ctypes.c_char * 4), ("pipeline", ctypes.c_int),
                ("sync", ctypes.c_int), ("flags", ctypes.c_uint), ("checkpoint_bytes", ctypes.c_uint64),
                ("busy_timeout_ms", ctypes.c_uint)]


class _Query(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint), ("from_", ctypes.c_int64), ("to", ctypes.c_int64),
                ("member", ctypes.c_char_p), ("team", ctypes.c_char_p), ("channel", ctypes.c_int),
                ("segment", ctypes.c_char_p), ("threads", ctypes.c_uint), ("as_of", ctypes.c_int64),
                ("pipeline", ctypes.c_char_p)]


class _ListFilter(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint), ("kind", ctypes.c_int), ("as_of", ctypes.c_int64),
                ("sort", ctypes.c_char_p), ("desc", ctypes.c_int), ("limit", ctypes.c_int64),
                ("after", ctypes.c_char_p), ("customer", ctypes.c_char_p), ("open", ctypes.c_int),
                ("owner", ctypes.c_char_p), ("team", ctypes.c_char_p), ("pipeline", ctypes.c_char_p),
                ("stages", ctypes.c_uint), ("closing_from", ctypes.c_int64), ("closing_to", ctypes.c_int64),
                ("states", ctypes.c_uint), ("assignee", ctypes.c_char_p), ("unassigned", ctypes.c_int),
                ("priorities", ctypes.c_uint), ("channel", ctypes.c_int), ("breach_before", ctypes.c_int64),
                ("segment", ctypes.c_char_p), ("source", ctypes.c_int), ("state", ctypes.c_int),
                ("search", ctypes.c_char_p), ("member", ctypes.c_char_p), ("due_from", ctypes.c_int64),
                ("due_to", ctypes.c_int64), ("overdue", ctypes.c_int)]


class _DealRow(ctypes.Structure):
    _fields_ = [("deal", ctypes.c_void_p), ("customer", ctypes.c_void_p), ("owner", ctypes.c_void_p),
                ("pipeline", ctypes.c_char_p), ("stage", ctypes.c_int), ("amount", ctypes.c_int64),
                ("expected_close", ctypes.c_int64), ("forecast", ctypes.c_char_p), ("probability", ctypes.c_int),
                ("opened", ctypes.c_int64), ("last_at", ctypes.c_int64)]


class _TaskRow(ctypes.Structure):
    _fields_ = [("task", ctypes.c_void_p), ("customer", ctypes.c_void_p), ("member", ctypes.c_void_p),
                ("kind", ctypes.c_int), ("due", ctypes.c_int64), ("state", ctypes.c_int), ("deal", ctypes.c_void_p),
                ("ticket", ctypes.c_void_p)]


class _TaskChange(ctypes.Structure):
    _fields_ = [("at", ctypes.c_int64), ("kind", ctypes.c_int), ("state", ctypes.c_int), ("due", ctypes.c_int64),
                ("member", ctypes.c_void_p), ("note", ctypes.c_char_p)]


class _TicketRow(ctypes.Structure):
    _fields_ = [("ticket", ctypes.c_void_p), ("customer", ctypes.c_void_p), ("state", ctypes.c_int),
                ("priority", ctypes.c_int), ("kind", ctypes.c_int), ("channel", ctypes.c_int),
                ("assignee", ctypes.c_void_p), ("opened", ctypes.c_int64), ("first_response", ctypes.c_int64),
                ("first_response_due", ctypes.c_int64), ("resolution_due", ctypes.c_int64), ("sla", ctypes.c_int)]


class _CustomerRow(ctypes.Structure):
    _fields_ = [("customer", ctypes.c_void_p), ("name", ctypes.c_char_p), ("email", ctypes.c_char_p),
                ("company", ctypes.c_char_p), ("segment", ctypes.c_char_p), ("source", ctypes.c_int),
                ("state", ctypes.c_int), ("added", ctypes.c_int64)]


class _DealChange(ctypes.Structure):
    _fields_ = [("at", ctypes.c_int64), ("kind", ctypes.c_int), ("stage", ctypes.c_int),
                ("from_stage", ctypes.c_int), ("amount", ctypes.c_int64), ("owner", c_entity),
                ("reason", ctypes.c_int), ("note", ctypes.c_char_p), ("expected_close", ctypes.c_int64),
                ("forecast", ctypes.c_int), ("probability", ctypes.c_int)]


class _TicketChange(ctypes.Structure):
    _fields_ = [("at", ctypes.c_int64), ("kind", ctypes.c_int), ("state", ctypes.c_int),
                ("from_state", ctypes.c_int), ("agent", c_entity), ("channel", ctypes.c_int),
                ("duration", ctypes.c_int64), ("score", ctypes.c_int), ("text", ctypes.c_char_p),
                ("priority", ctypes.c_int)]


class _Quota(ctypes.Structure):
    _fields_ = [("set_at", ctypes.c_int64), ("from_", ctypes.c_int64), ("to", ctypes.c_int64),
                ("target", ctypes.c_int64)]


class _CustomerChange(ctypes.Structure):
    _fields_ = [("at", ctypes.c_int64), ("kind", ctypes.c_int), ("name", ctypes.c_char_p), ("email", ctypes.c_char_p),
                ("company", ctypes.c_char_p), ("segment", ctypes.c_char_p), ("score", ctypes.c_int),
                ("comment", ctypes.c_char_p)]


class _SlaState(ctypes.Structure):
    _fields_ = [("elapsed", ctypes.c_int64), ("running", ctypes.c_int), ("first_response_target", ctypes.c_int64),
                ("resolution_target", ctypes.c_int64), ("first_response", ctypes.c_int), ("resolution", ctypes.c_int),
                ("first_response_due", ctypes.c_int64), ("resolution_due", ctypes.c_int64),
                ("calendar", ctypes.c_void_p), ("priority", ctypes.c_int)]


class _Ratio(ctypes.Structure):
    _fields_ = [("num", ctypes.c_int64), ("den", ctypes.c_int64)]


class _QuotaRow(ctypes.Structure):
    _fields_ = [("member", c_entity), ("from_", ctypes.c_int64), ("to", ctypes.c_int64), ("target", ctypes.c_int64),
                ("achieved", ctypes.c_int64), ("attainment", _Ratio)]


class _Recovery(ctypes.Structure):
    _fields_ = [(n, ctypes.c_uint64) for n in ("events", "last_seq", "file_size", "bytes_dropped", "tail_offset",
                                               "tx_events_dropped", "damage_offset", "checkpoint_events")] + \
        [("checkpoint_note", ctypes.c_char * 256)]


class _ImportResult(ctypes.Structure):
    _fields_ = [("lines", ctypes.c_uint64), ("applied", ctypes.c_uint64), ("rejected", ctypes.c_uint64),
                ("first_bad_line", ctypes.c_uint64)]


class _ImportOptions(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint), ("flags", ctypes.c_uint), ("progress", ctypes.c_void_p),
                ("progress_ctx", ctypes.c_void_p), ("reject", ctypes.c_void_p), ("reject_ctx", ctypes.c_void_p)]


class _GenerateOptions(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint), ("seed", ctypes.c_uint64), ("customers", ctypes.c_uint32),
                ("start", ctypes.c_int64), ("days", ctypes.c_uint32), ("sales_reps", ctypes.c_uint32),
                ("agents", ctypes.c_uint32), ("progress", ctypes.c_void_p), ("progress_ctx", ctypes.c_void_p),
                ("order", ctypes.c_int)]


class _TimelineItem(ctypes.Structure):
    _fields_ = [("at", ctypes.c_int64), ("kind", ctypes.c_int), ("deal", ctypes.c_void_p),
                ("ticket", ctypes.c_void_p), ("activity", ctypes.c_void_p)]


_REJECT = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_uint64, ctypes.c_int, ctypes.c_char_p)


class _Change(ctypes.Structure):
    _fields_ = [("seq", ctypes.c_uint64), ("type", ctypes.c_char_p), ("at", ctypes.c_int64),
                ("json", ctypes.c_char_p), ("json_len", ctypes.c_size_t)]


_CHANGE = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(_Change))
TIME_NONE = -(2 ** 63)


def _declare(lib):
    def f(name, res, *args):
        fn = getattr(lib, name)
        fn.restype = res
        fn.argtypes = list(args)

    i, s, u32, i64, p = ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32, ctypes.c_int64, ctypes.c_void_p
    f("lss_version", s)
    # the spellings of the enums a Database takes as text: the C library's own (one table, lib/core/enums.c)
    for e in ("pipeline_mode", "sync_mode", "channel", "generate_order", "step"):
        f("lss_%s_parse" % e, i, ctypes.POINTER(ctypes.c_int), s)
    f("lss_status_name", s, i)
    f("lss_errmsg", s)
    f("lss_db_errmsg", s, c_db)
    f("lss_db_open", i, ctypes.POINTER(c_db), s, ctypes.POINTER(_OpenOptions))
    f("lss_db_close", None, c_db)
    f("lss_db_currency", s, c_db)
    f("lss_db_pipeline", i, c_db)
    f("lss_db_event_count", ctypes.c_uint64, c_db)
    f("lss_db_last_time", i64, c_db)
    f("lss_db_sync", i, c_db)
    f("lss_db_compact", i, c_db)
    f("lss_tx_begin", i, c_db)
    f("lss_tx_commit", i, c_db)
    f("lss_tx_rollback", i, c_db)
    f("lss_apply_json", i, c_db, s)
    f("lss_import_file", i, c_db, s, ctypes.POINTER(_ImportOptions), ctypes.POINTER(_ImportResult))
    f("lss_export_file", i, c_db, s, p)
    f("lss_generate", i, c_db, ctypes.POINTER(_GenerateOptions))
    f("lss_report_run", i, ctypes.POINTER(p), c_db, ctypes.POINTER(_Query))
    f("lss_report_render", i, ctypes.POINTER(p), ctypes.POINTER(ctypes.c_size_t), p, i)
    f("lss_report_free", None, p)
    f("lss_free", None, p)
    f("lss_time_parse", i, ctypes.POINTER(i64), s)
    f("lss_money_parse", i, ctypes.POINTER(i64), s)
    for noun in ("member", "customer", "deal", "ticket"):
        f("lss_%s_find" % noun, i, ctypes.POINTER(c_entity), c_db, s)
        f("lss_%s_by_id" % noun, i, ctypes.POINTER(c_entity), c_db, u32)
        f("lss_%s_key" % noun, s, c_entity)
        f("lss_%s_count" % noun, u32, c_db)
    f("lss_member_name", s, c_entity)
    f("lss_member_team", s, c_entity)
    f("lss_member_role", i, c_entity)
    f("lss_member_quota_count", u32, c_entity)
    f("lss_member_quota_get", i, ctypes.POINTER(_Quota), c_entity, u32)
    f("lss_customer_change_count", u32, c_entity)
    f("lss_customer_change_get", i, ctypes.POINTER(_CustomerChange), c_entity, u32)
    f("lss_customer_first_activity", c_entity, c_entity)
    f("lss_activity_next_of_customer", c_entity, c_entity)
    f("lss_activity_at", i64, c_entity)
    f("lss_activity_member", c_entity, c_entity)
    f("lss_activity_deal", c_entity, c_entity)
    f("lss_activity_kind_of", i, c_entity)
    f("lss_activity_channel", i, c_entity)
    f("lss_activity_duration", i64, c_entity)
    f("lss_activity_note", s, c_entity)
    f("lss_activity_kind_name", s, i)
    f("lss_ticket_sla", i, ctypes.POINTER(_SlaState), c_entity, i64)
    f("lss_sla_outcome_name", s, i)
    f("lss_calendar_key", s, p)
    f("lss_db_recovery", i, ctypes.POINTER(_Recovery), c_db)
    f("lss_db_checkpoint", i, c_db)
    f("lss_db_refresh", i, c_db, ctypes.POINTER(ctypes.c_uint64), ctypes.POINTER(ctypes.c_int))
    f("lss_events_since", i, c_db, ctypes.c_uint64, _CHANGE, ctypes.c_void_p)
    f("lss_db_verify_state", i, c_db)
    f("lss_quota_attainment", i, ctypes.POINTER(_QuotaRow), c_db, s, i64, i64, i64)
    f("lss_team_quota_attainment", i, ctypes.POINTER(_QuotaRow), c_db, s, i64, i64, i64)
    for fn in ("name", "email", "company", "segment"):
        f("lss_customer_" + fn, s, c_entity)
    f("lss_customer_added_at", i64, c_entity)
    f("lss_customer_state_at", i, c_entity, i64)
    f("lss_customer_is_erased", i, c_entity)
    f("lss_deal_customer", c_entity, c_entity)
    f("lss_deal_owner", c_entity, c_entity)
    f("lss_deal_stage", i, c_entity)
    f("lss_deal_amount", i64, c_entity)
    f("lss_deal_title", s, c_entity)
    f("lss_deal_opened_at", i64, c_entity)
    f("lss_deal_pipeline", s, c_db, c_entity)
    f("lss_deal_forecast", i, c_entity)
    f("lss_deal_own_probability", i, c_entity)
    f("lss_deal_expected_close", i64, c_entity)
    f("lss_pipeline_count", u32, c_db)
    f("lss_pipeline_key", s, c_db, u32)
    f("lss_pipeline_name", s, c_db, u32)
    f("lss_deal_history_count", u32, c_entity)
    f("lss_deal_history_get", i, ctypes.POINTER(_DealChange), c_entity, u32)
    f("lss_ticket_customer", c_entity, c_entity)
    f("lss_ticket_assignee", c_entity, c_entity)
    f("lss_ticket_state_of", i, c_entity)
    f("lss_ticket_subject", s, c_entity)
    f("lss_ticket_score", i, c_entity)
    f("lss_ticket_opened_at", i64, c_entity)
    f("lss_ticket_history_count", u32, c_entity)
    f("lss_ticket_history_get", i, ctypes.POINTER(_TicketChange), c_entity, u32)
    for e in ("stage", "ticket_state", "channel", "role", "customer_state", "deal_change_kind",
              "ticket_change_kind", "loss_reason", "priority", "ticket_kind", "source", "forecast_category"):
        f("lss_%s_name" % e, s, i)
    for e in ("stage", "ticket_state", "priority", "source", "customer_state"):
        f("lss_%s_parse" % e, i, ctypes.POINTER(ctypes.c_int), s)
    f("lss_list_run", i, ctypes.POINTER(ctypes.c_void_p), c_db, ctypes.POINTER(_ListFilter))
    f("lss_list_count", u32, p)
    f("lss_list_matched", u32, p)
    f("lss_list_free", None, p)
    f("lss_list_deal", i, ctypes.POINTER(_DealRow), p, u32)
    f("lss_list_ticket", i, ctypes.POINTER(_TicketRow), p, u32)
    f("lss_list_task", i, ctypes.POINTER(_TaskRow), p, u32)
    f("lss_task_find", i, ctypes.POINTER(c_entity), c_db, s)
    f("lss_task_key", s, c_entity)
    f("lss_task_count", u32, c_db)
    f("lss_task_customer", c_entity, c_entity)
    f("lss_task_member", c_entity, c_entity)
    f("lss_task_deal", c_entity, c_entity)
    f("lss_task_ticket", c_entity, c_entity)
    f("lss_task_kind", i, c_entity)
    f("lss_task_due", i64, c_entity)
    f("lss_task_state_of", i, c_entity)
    f("lss_task_note", s, c_entity)
    f("lss_task_done_at", i64, c_entity)
    f("lss_task_history_count", u32, c_entity)
    f("lss_task_history_get", i, ctypes.POINTER(_TaskChange), c_entity, u32)
    f("lss_task_state_name", s, i)
    f("lss_task_change_kind_name", s, i)
    f("lss_task_state_parse", i, ctypes.POINTER(ctypes.c_int), s)
    f("lss_customer_nps_at", i, c_entity, i64, ctypes.POINTER(i64))
    f("lss_list_customer", i, ctypes.POINTER(_CustomerRow), p, u32)
    f("lss_list_index_bytes", ctypes.c_size_t, c_db)
    f("lss_list_kind_parse", i, ctypes.POINTER(ctypes.c_int), s)
    # the enums' spellings, from which the Enum classes are made (one table in C: lib/core/enums.c)
    for e in _ENUM_NOUNS.values():
        f("lss_%s_name" % e, s, i)
    f("lss_deal_last_at", i64, c_entity)
    f("lss_deal_lost_from", i, c_entity)
    f("lss_deal_furthest_stage", i, c_entity)
    f("lss_deal_next_of_customer", c_entity, c_entity)
    f("lss_customer_first_deal", c_entity, c_entity)
    f("lss_customer_first_ticket", c_entity, c_entity)
    f("lss_ticket_next_of_customer", c_entity, c_entity)
    f("lss_customer_source", i, c_entity)
    f("lss_customer_referred_by", c_entity, c_entity)
    f("lss_customer_churned_at", i64, c_entity)
    f("lss_customer_timeline", i, ctypes.POINTER(p), c_db, s)
    f("lss_timeline_count", u32, p)
    f("lss_timeline_get", i, ctypes.POINTER(_TimelineItem), p, u32)
    f("lss_timeline_free", None, p)
    f("lss_ticket_deal", c_entity, c_entity)
    f("lss_ticket_kind_of", i, c_entity)
    f("lss_ticket_channel", i, c_entity)
    f("lss_ticket_priority", i, c_entity)
    f("lss_ticket_last_at", i64, c_entity)
    f("lss_ticket_first_response_at", i64, c_entity)
    f("lss_ticket_first_resolution_at", i64, c_entity)
    f("lss_ticket_reopen_count", u32, c_entity)
    f("lss_ticket_contact_count", u32, c_entity)
    f("lss_ticket_rated_at", i64, c_entity)
    f("lss_activity_count", u32, c_db)
    f("lss_activity_by_id", i, ctypes.POINTER(c_entity), c_db, u32)
    f("lss_activity_customer", c_entity, c_entity)
    f("lss_activity_id", u32, c_entity)
    f("lss_series_run", i, ctypes.POINTER(p), c_db, ctypes.POINTER(_Query), i)
    f("lss_series_render", i, ctypes.POINTER(p), ctypes.POINTER(ctypes.c_size_t), p, i)
    f("lss_series_free", None, p)
    for noun in ("member", "customer", "deal", "ticket", "task"):
        f("lss_%s_id" % noun, u32, c_entity)
    f("lss_member_added_at", i64, c_entity)
    f("lss_customer_segment_at", s, c_entity, i64)
    f("lss_deal_is_open", i, c_entity)
    f("lss_deal_stage_entered", i, ctypes.POINTER(i64), c_entity, i)
    f("lss_deal_forecast_at", i, ctypes.POINTER(i64), ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int),
      c_db, c_entity, i64)
    f("lss_ticket_priority_at", i, c_entity, i64)
    f("lss_ticket_sla_clock", i64, c_entity, i64)
    f("lss_task_added_at", i64, c_entity)
    f("lss_task_last_at", i64, c_entity)
    f("lss_task_at", i, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(i64), ctypes.POINTER(c_entity), c_entity, i64)
    f("lss_sla_targets_at", i, ctypes.POINTER(i64), ctypes.POINTER(i64), c_db, i, i64)
    f("lss_db_id", s, c_db)
    f("lss_db_is_follower", i, c_db)
    f("lss_stage_probability_at", i, c_db, i, i64)
    f("lss_pipeline_stage_probability_at", i, c_db, s, i, i64)


def version() -> str:
    """The C library's version string (the loaded library's own; __version__ is the package's)."""
    return load_library().lss_version().decode()


# ---- enums ---------------------------------------------------------------------------

#: Each Enum class of the package and the C enum it is made from, through that
#: enum's lss_<noun>_name function: the spellings are the library's own.
_ENUM_NOUNS = {"Stage": "stage", "LossReason": "loss_reason", "ForecastCategory": "forecast_category",
               "DealChangeKind": "deal_change_kind", "TicketState": "ticket_state", "TicketKind": "ticket_kind",
               "TicketChangeKind": "ticket_change_kind", "Priority": "priority", "SlaOutcome": "sla_outcome",
               "Channel": "channel", "Source": "source", "ActivityKind": "activity_kind",
               "CustomerState": "customer_state", "Role": "role", "TaskState": "task_state",
               "TaskChangeKind": "task_change_kind", "Step": "step", "PipelineMode": "pipeline_mode",
               "SyncMode": "sync_mode", "GenerateOrder": "generate_order", "ListKind": "list_kind",
               "Weekday": "weekday", "CustomerChangeKind": "customer_change_kind"}
__all__ += ["LssEnum"] + list(_ENUM_NOUNS)


class LssEnum(str, _enum.Enum):
    """An enum of the C library. A member's value is the library's spelling
    (Stage.WON.value == "won"), its .code the C value; members are strings, so
    they compare equal to their spellings and print as them, and every call
    that takes a spelling takes a member too. The classes (Stage, Priority,
    Channel, ...) are made from the library's own name functions when first
    used, so they always match the loaded library."""

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, spec: str) -> str:
        return str.__format__(self, spec)

    @property
    def code(self) -> int:
        """The C value of the member."""
        return type(self)._lss_codes[self.value]


def _make_enum(cls_name: str) -> type:
    noun = _ENUM_NOUNS[cls_name]
    name_of = getattr(load_library(), "lss_%s_name" % noun)
    pairs, codes = [], {}
    for code in range(256):
        b = name_of(code)
        if b is None:
            if pairs:
                break  # the values are 0 .. n-1
            continue
        spelling = b.decode()
        pairs.append((spelling.upper(), spelling))
        codes[spelling] = code
    cls = LssEnum(cls_name, pairs, module=__name__, qualname=cls_name)
    cls.__doc__ = "The C enum lss_%s: %s." % (noun, ", ".join(p[1] for p in pairs))
    cls._lss_codes = codes
    return cls


def __getattr__(name: str) -> Any:
    """The Enum classes, made on first use from the loaded library."""
    if name in _ENUM_NOUNS:
        cls = globals()[name] = _make_enum(name)
        return cls
    raise AttributeError("module %r has no attribute %r" % (__name__, name))


def __dir__() -> List[str]:
    return sorted(set(globals()) | set(_ENUM_NOUNS))


def _enum_class(cls_name: str) -> Any:
    return globals().get(cls_name) or __getattr__(cls_name)


def _member(cls_name: str, code: int) -> Optional[LssEnum]:
    """The member of an Enum class for a C value (None for -1 or a value that is not one)."""
    for m in _enum_class(cls_name):
        if m.code == code:
            return m
    return None


# ---- values --------------------------------------------------------------------------

def _text(b):
    return None if b is None else b.decode("utf-8")


def _when(t):
    """A timestamp for the event format: datetime (naive = UTC), date, ISO string or Unix seconds."""
    if t is None:
        return None
    if isinstance(t, _dt.datetime):
        if t.tzinfo is not None:
            t = t.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(t, _dt.date):
        return t.isoformat()
    if isinstance(t, (int, str)) and not isinstance(t, bool):
        return t
    raise TypeError("a time is a datetime, a date, an RFC 3339 string or Unix seconds, not %r" % (t,))


_INT64 = (-(1 << 63), (1 << 63) - 1)
_UINT32 = (0, (1 << 32) - 1)
_UINT64 = (0, (1 << 64) - 1)


def _cstr(text, field):
    """text as a C string: UTF-8 bytes. A NUL would end the string in C and
    silently cut it, so it raises ValueError instead."""
    if not isinstance(text, str):
        raise TypeError("%s must be a str, not %s" % (field, type(text).__name__))
    nul = text.find("\x00")
    if nul >= 0:
        raise ValueError("%s holds a NUL character at index %d (a C string would end there)" % (field, nul))
    return text.encode()


def _cint(value, field, bounds=_INT64):
    """value as a C integer of the given (low, high) bounds: ctypes would
    wrap an int out of range silently, so it raises OverflowError instead."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s must be an int, not %s" % (field, type(value).__name__))
    if not bounds[0] <= value <= bounds[1]:
        raise OverflowError("%s = %d is out of range (%d to %d)" % (field, value, bounds[0], bounds[1]))
    return value


def _check_fields(fields, where="event"):
    """Refuse, before anything reaches C, what C would cut or wrap: NUL in
    text, integers beyond 64 bits (nested lists and dicts too)."""
    for k, v in fields.items():
        name = "%s field %r" % (where, k)
        if isinstance(v, str):
            _cstr(v, name)
        elif isinstance(v, int) and not isinstance(v, bool):
            _cint(v, name)
        elif isinstance(v, dict):
            _check_fields(v, name)
        elif isinstance(v, (list, tuple)):
            _check_fields(dict(enumerate(v)), name)


def _time_out(t):
    if t == TIME_NONE:
        return None
    return _dt.datetime.fromtimestamp(t, _dt.timezone.utc)


def _money(m):
    """Money for the event format, exactly: a Decimal, int or string (never a float)."""
    if m is None:
        return None
    if isinstance(m, float):
        raise TypeError("money is a Decimal, an int or a decimal string, never a float: %r" % (m,))
    if isinstance(m, Decimal):
        return format(m, "f")
    if isinstance(m, int) and not isinstance(m, bool):
        return str(m)
    if isinstance(m, str):
        return m
    raise TypeError("money is a Decimal, an int or a decimal string, not %r" % (m,))


def _money_out(minor):
    return Decimal(minor).scaleb(-2)


# ---- entities ---------------------------------------------------------------------------

def _getter(fn: str, conv: Any = _text, enum: Optional[str] = None, doc: Optional[str] = None) -> property:
    """A read-only property calling the C accessor `fn` on the entity; with
    `enum`, its value as a member of that Enum class (None for -1)."""
    def get(self):
        v = getattr(self._db._lib, fn)(self._handle())
        return _member(enum, v) if enum else conv(v)
    return property(get, doc=doc or "%s()" % fn)


def _entity_or_none(cls: type, db: "Database", h: Optional[int]) -> Any:
    return cls(db, h) if h else None


class _Entity:
    __slots__ = ("_db", "_h")

    def __init__(self, db: "Database", handle: int) -> None:
        self._db, self._h = db, handle

    def _handle(self):
        self._db._check_open()  # a handle dies with its database
        return self._h

    def __eq__(self, other):
        return type(self) is type(other) and self._h == other._h and self._db is other._db

    def __hash__(self):
        return hash((type(self), self._h))

    def __repr__(self):
        return "<%s %s>" % (type(self).__name__, self.key if self._db._db else "(closed)")


class Member(_Entity):
    """A team member."""
    key = _getter("lss_member_key", doc="str: the member's key.")
    name = _getter("lss_member_name", doc="str: the member's name.")
    team = _getter("lss_member_team", doc="str or None: the member's team.")
    role = _getter("lss_member_role", enum="Role", doc="Role: sales, service or both.")
    id = _getter("lss_member_id", int, doc="int: the dense id, in the order members were added.")
    added_at = _getter("lss_member_added_at", _time_out, doc="datetime: when the member was added.")

    @property
    def quotas(self) -> List[Dict[str, Any]]:
        """One dict per quota period: start, end, target (Decimal), set_at."""
        lib, h, out = self._db._lib, self._handle(), []
        for k in range(lib.lss_member_quota_count(h)):
            q = _Quota()
            self._db._check(lib.lss_member_quota_get(ctypes.byref(q), h, k))
            out.append({"start": _time_out(q.from_), "end": _time_out(q.to), "target": _money_out(q.target),
                        "set_at": _time_out(q.set_at)})
        return out


class Customer(_Entity):
    """A customer; its name, email, company and segment are the current ones."""
    key = _getter("lss_customer_key", doc="str: the customer's key.")
    name = _getter("lss_customer_name", doc="str: the current name (\"[erased]\" once erased).")
    email = _getter("lss_customer_email", doc="str or None: the current email.")
    company = _getter("lss_customer_company", doc="str or None: the current company.")
    segment = _getter("lss_customer_segment", doc="str or None: the current segment.")
    added_at = _getter("lss_customer_added_at", _time_out, doc="datetime: when the customer was added.")
    source = _getter("lss_customer_source", enum="Source", doc="Source: where the lead came from.")
    id = _getter("lss_customer_id", int, doc="int: the dense id, in the order customers were added.")

    def segment_at(self, t: Time) -> Optional[str]:
        """The customer's segment as of t (None before it had one)."""
        return _text(self._db._lib.lss_customer_segment_at(self._handle(), self._db._t(t)))

    churned_at = _getter("lss_customer_churned_at", _time_out, doc="datetime or None: the latest churn.")
    erased = _getter("lss_customer_is_erased", bool, doc="bool: whether the customer's personal data was erased.")

    def state_at(self, t: Time) -> Optional[LssEnum]:
        """CustomerState as of t: prospect, active or churned."""
        return _member("CustomerState", self._db._lib.lss_customer_state_at(self._handle(), self._db._t(t)))

    @property
    def changes(self) -> List[Dict[str, Any]]:
        """Every update, churn, erasure and NPS answer, oldest first (an NPS answer: score and comment)."""
        lib, h, out = self._db._lib, self._handle(), []
        for k in range(lib.lss_customer_change_count(h)):
            c = _CustomerChange()
            self._db._check(lib.lss_customer_change_get(ctypes.byref(c), h, k))
            out.append({"at": _time_out(c.at), "kind": _member("CustomerChangeKind", c.kind), "name": _text(c.name),
                        "email": _text(c.email),
                        "company": _text(c.company), "segment": _text(c.segment),
                        "score": c.score if c.score >= 0 else None, "comment": _text(c.comment)})
        return out

    def nps(self, at: Time, score: int, comment: Optional[str] = None) -> None:
        """How likely the customer is to recommend the company, 0-10 (event customer.nps)."""
        self._db._event("customer.nps", at, customer=self.key, score=score, comment=comment)

    @property
    def activities(self) -> List[Dict[str, Any]]:
        """Calls, meetings, demos ... logged with this customer, in order."""
        lib, out = self._db._lib, []
        a = lib.lss_customer_first_activity(self._handle())
        while a:
            dl, d = lib.lss_activity_deal(a), lib.lss_activity_duration(a)
            out.append({"at": _time_out(lib.lss_activity_at(a)),
                        "member": Member(self._db, lib.lss_activity_member(a)).key,
                        "kind": _text(lib.lss_activity_kind_name(lib.lss_activity_kind_of(a))),
                        "channel": _text(lib.lss_channel_name(lib.lss_activity_channel(a))),
                        "duration": d if d >= 0 else None, "deal": Deal(self._db, dl).key if dl else None,
                        "note": _text(lib.lss_activity_note(a))})
            a = lib.lss_activity_next_of_customer(a)
        return out

    @property
    def referred_by(self) -> Optional["Customer"]:
        """The customer who referred this one, or None."""
        return _entity_or_none(Customer, self._db, self._db._lib.lss_customer_referred_by(self._handle()))

    @property
    def deals(self) -> List["Deal"]:
        """The customer's deals, in the order they were opened."""
        lib, out = self._db._lib, []
        d = lib.lss_customer_first_deal(self._handle())
        while d:
            out.append(Deal(self._db, d))
            d = lib.lss_deal_next_of_customer(d)
        return out

    @property
    def tickets(self) -> List["Ticket"]:
        """The customer's tickets, in the order they were opened."""
        lib, out = self._db._lib, []
        t = lib.lss_customer_first_ticket(self._handle())
        while t:
            out.append(Ticket(self._db, t))
            t = lib.lss_ticket_next_of_customer(t)
        return out

    @property
    def timeline(self) -> List[Tuple[_dt.datetime, Union["Deal", "Ticket", "Activity"]]]:
        """The customer's deals (at their opening), tickets (at their opening) and activities in time
        order (ties: deals, then tickets, then activities): (datetime, Deal | Ticket | Activity) pairs."""
        lib, db = self._db._lib, self._db
        tl = ctypes.c_void_p()
        db._check(lib.lss_customer_timeline(ctypes.byref(tl), db._live(), _cstr(self.key, "customer")))
        out = []
        try:
            for i in range(lib.lss_timeline_count(tl)):
                it = _TimelineItem()
                db._check(lib.lss_timeline_get(ctypes.byref(it), tl, i))
                e = Deal(db, it.deal) if it.kind == 0 else Ticket(db, it.ticket) if it.kind == 1 else \
                    Activity(db, it.activity)
                out.append((_time_out(it.at), e))
        finally:
            lib.lss_timeline_free(tl)
        return out

    def update(self, at: Time, name: Optional[str] = None, email: Optional[str] = None,
               company: Optional[str] = None, segment: Optional[str] = None) -> None:
        """Change the customer's name, email, company or segment (event customer.update); the history keeps
        the earlier values."""
        self._db._event("customer.update", at, customer=self.key, name=name, email=email, company=company,
                        segment=segment)

    def churn(self, at: Time) -> None:
        """The customer stopped buying (event customer.churn); a later win makes it active again."""
        self._db._event("customer.churn", at, customer=self.key)

    def erase(self, at: Time) -> None:
        """Erase the customer's personal data everywhere (event customer.erase); its figures stay."""
        self._db._event("customer.erase", at, customer=self.key)


class Activity(_Entity):
    """A logged activity: a call, email, meeting, demo ... with a customer."""

    @property
    def key(self) -> str:
        """str: activities have no key: "#ID", their dense id."""
        return "#%d" % self._db._lib.lss_activity_id(self._handle())

    id = _getter("lss_activity_id", int, doc="int: the dense id, in the order activities were logged.")
    at = _getter("lss_activity_at", _time_out, doc="datetime: when it happened.")
    kind = _getter("lss_activity_kind_of", enum="ActivityKind", doc="ActivityKind: call, email, meeting, ...")
    channel = _getter("lss_activity_channel", enum="Channel", doc="Channel: how.")
    duration = _getter("lss_activity_duration", lambda v: v if v >= 0 else None,
                       doc="int or None: seconds, when given.")
    note = _getter("lss_activity_note", doc="str or None: its note.")

    @property
    def customer(self) -> "Customer":
        """The customer it was with."""
        return Customer(self._db, self._db._lib.lss_activity_customer(self._handle()))

    @property
    def member(self) -> "Member":
        """The member who logged it."""
        return Member(self._db, self._db._lib.lss_activity_member(self._handle()))

    @property
    def deal(self) -> Optional["Deal"]:
        """The deal it was about, or None."""
        return _entity_or_none(Deal, self._db, self._db._lib.lss_activity_deal(self._handle()))


class Deal(_Entity):
    """A deal. Transitions are methods: advance, set_amount, assign, win, lose, reopen."""
    key = _getter("lss_deal_key", doc="str: the deal's key.")
    title = _getter("lss_deal_title", doc="str or None: the deal's title.")
    stage = _getter("lss_deal_stage", enum="Stage", doc="Stage: the current stage.")
    amount = _getter("lss_deal_amount", _money_out, doc="Decimal: the current amount.")
    opened_at = _getter("lss_deal_opened_at", _time_out, doc="datetime: when the deal was opened.")
    last_at = _getter("lss_deal_last_at", _time_out, doc="datetime: the time of its latest event.")

    @property
    def lost_from(self) -> Optional[LssEnum]:
        """Stage or None: the stage a lost deal was lost from (and returns to if reopened); None unless lost."""
        lib, h = self._db._lib, self._handle()
        lost = lib.lss_deal_stage(h) == _enum_class("Stage").LOST.code
        return _member("Stage", lib.lss_deal_lost_from(h)) if lost else None

    furthest_stage = _getter("lss_deal_furthest_stage", enum="Stage",
                             doc="Stage: the furthest stage it reached (won counts; lost does not).")
    id = _getter("lss_deal_id", int, doc="int: the dense id, in the order deals were opened.")
    is_open = _getter("lss_deal_is_open", bool, doc="bool: whether the deal is open (prospect .. negotiated).")

    def stage_entered(self, stage: str) -> Optional[_dt.datetime]:
        """When the deal last entered `stage` (a Stage or its spelling), or None if it never did."""
        at = ctypes.c_int64()
        st = self._db._lib.lss_deal_stage_entered(ctypes.byref(at), self._handle(), self._db._enum("stage", stage))
        if st == 2:  # LSS_NOT_FOUND: never in that stage
            return None
        self._db._check(st)
        return _time_out(at.value)

    def forecast_at(self, t: Time) -> Dict[str, Any]:
        """The deal's forecast as of t: expected_close (datetime or None), category (ForecastCategory) and
        probability (its own, else its stage's in its pipeline, as of t)."""
        close, cat, pct = ctypes.c_int64(), ctypes.c_int(), ctypes.c_int()
        db = self._db
        db._check(db._lib.lss_deal_forecast_at(ctypes.byref(close), ctypes.byref(cat), ctypes.byref(pct),
                                               db._live(), self._handle(), db._t(t)))
        return {"expected_close": _time_out(close.value), "category": _member("ForecastCategory", cat.value),
                "probability": pct.value}


    @property
    def customer(self) -> Customer:
        """The customer of the deal."""
        return Customer(self._db, self._db._lib.lss_deal_customer(self._handle()))

    @property
    def owner(self) -> Member:
        """The deal's current owner."""
        return Member(self._db, self._db._lib.lss_deal_owner(self._handle()))

    @property
    def history(self) -> List[Dict[str, Any]]:
        """Every change, oldest first: dicts of at, kind, stage, from_stage, amount, owner, reason, note,
        expected_close, forecast and probability (its own, None: its stage's) after the change."""
        lib, h, out = self._db._lib, self._handle(), []
        for k in range(lib.lss_deal_history_count(h)):
            c = _DealChange()
            self._db._check(lib.lss_deal_history_get(ctypes.byref(c), h, k))
            out.append({"at": _time_out(c.at), "kind": _text(lib.lss_deal_change_kind_name(c.kind)),
                        "stage": _text(lib.lss_stage_name(c.stage)),
                        "from_stage": _text(lib.lss_stage_name(c.from_stage)), "amount": _money_out(c.amount),
                        "owner": Member(self._db, c.owner).key,
                        "reason": _text(lib.lss_loss_reason_name(c.reason)) if c.kind == 5 else None,
                        "note": _text(c.note), "expected_close": _time_out(c.expected_close),
                        "forecast": _text(lib.lss_forecast_category_name(c.forecast)),
                        "probability": c.probability if c.probability >= 0 else None})
        return out

    @property
    def pipeline(self) -> str:
        """The key of the pipeline the deal is in."""
        return _text(self._db._lib.lss_deal_pipeline(self._db._live(), self._handle()))

    forecast = _getter("lss_deal_forecast", enum="ForecastCategory", doc="ForecastCategory: the current category.")
    expected_close = _getter("lss_deal_expected_close", _time_out, doc="datetime or None: the latest expected close.")

    @property
    def own_probability(self) -> Optional[int]:
        """The deal's own probability (deal.probability), or None when it uses its stage's."""
        p = self._db._lib.lss_deal_own_probability(self._handle())
        return p if p >= 0 else None

    def set_close_date(self, at: Time, expected_close: Time) -> None:
        """Move the expected close date of an open deal (event deal.close_date)."""
        self._db._event("deal.close_date", at, deal=self.key, expected_close=_when(expected_close))

    def set_forecast(self, at: Time, category: str) -> None:
        """Put an open deal in a forecast category: pipeline, best_case, commit, omitted (event deal.forecast)."""
        self._db._event("deal.forecast", at, deal=self.key, category=category)

    def set_probability(self, at: Time, percent: Optional[int] = None) -> None:
        """Set an open deal's own probability (0-100), or with None go back to its stage's (event deal.probability)."""
        self._db._event("deal.probability", at, deal=self.key, percent=percent)

    def advance(self, at: Time, to: str) -> None:
        """Move the open deal to stage `to` (event deal.advance; strict pipelines move one stage at a time)."""
        self._db._event("deal.advance", at, deal=self.key, to=to)

    def set_amount(self, at: Time, amount: Money) -> None:
        """Change the open deal's amount (event deal.amount)."""
        self._db._event("deal.amount", at, deal=self.key, amount=_money(amount))

    def assign(self, at: Time, owner: str) -> None:
        """Give the open deal to another sales member (event deal.assign)."""
        self._db._event("deal.assign", at, deal=self.key, owner=owner)

    def win(self, at: Time, amount: Optional[Money] = None) -> None:
        """Win the deal (event deal.win), at its amount or a final `amount`."""
        self._db._event("deal.win", at, deal=self.key, amount=_money(amount))

    def lose(self, at: Time, reason: str, note: Optional[str] = None) -> None:
        """Lose the deal (event deal.lose) for a LossReason (or its spelling)."""
        self._db._event("deal.lose", at, deal=self.key, reason=reason, note=note)

    def reopen(self, at: Time) -> None:
        """Reopen a lost deal at the stage it was lost from (event deal.reopen)."""
        self._db._event("deal.reopen", at, deal=self.key)


class Task(_Entity):
    """A follow-up task. Changes are methods: reschedule, assign, done, cancel."""
    key = _getter("lss_task_key", doc="str: the task's key.")
    state = _getter("lss_task_state_of", enum="TaskState", doc="TaskState: open, done or cancelled.")
    kind = _getter("lss_task_kind", enum="ActivityKind", doc="ActivityKind: what to do.")
    due = _getter("lss_task_due", _time_out, doc="datetime: when it is due.")
    done_at = _getter("lss_task_done_at", _time_out, doc="datetime or None: when it was done.")
    note = _getter("lss_task_note", doc="str or None: its note.")
    id = _getter("lss_task_id", int, doc="int: the dense id, in the order tasks were added.")
    added_at = _getter("lss_task_added_at", _time_out, doc="datetime: when the task was added.")
    last_at = _getter("lss_task_last_at", _time_out, doc="datetime: the time of its latest event.")

    def at(self, t: Time) -> Dict[str, Any]:
        """The task as of t: state (TaskState), due (datetime) and member (Member)."""
        state, due, member = ctypes.c_int(), ctypes.c_int64(), c_entity()
        db = self._db
        db._check(db._lib.lss_task_at(ctypes.byref(state), ctypes.byref(due), ctypes.byref(member), self._handle(),
                                      db._t(t)))
        return {"state": _member("TaskState", state.value), "due": _time_out(due.value),
                "member": _entity_or_none(Member, db, member.value)}


    @property
    def customer(self) -> "Customer":
        """The customer the task is about."""
        return Customer(self._db, self._db._lib.lss_task_customer(self._handle()))

    @property
    def member(self) -> "Member":
        """Who is to do it now."""
        return Member(self._db, self._db._lib.lss_task_member(self._handle()))

    @property
    def deal(self) -> Optional["Deal"]:
        """Its deal, or None."""
        h = self._db._lib.lss_task_deal(self._handle())
        return Deal(self._db, h) if h else None

    @property
    def ticket(self) -> Optional["Ticket"]:
        """Its ticket, or None."""
        h = self._db._lib.lss_task_ticket(self._handle())
        return Ticket(self._db, h) if h else None

    @property
    def history(self) -> List[Dict[str, Any]]:
        """Every change, oldest first: dicts of at, kind, state, due, member (after the change) and note."""
        lib, h, out = self._db._lib, self._handle(), []
        for k in range(lib.lss_task_history_count(h)):
            c = _TaskChange()
            self._db._check(lib.lss_task_history_get(ctypes.byref(c), h, k))
            out.append({"at": _time_out(c.at), "kind": _text(lib.lss_task_change_kind_name(c.kind)),
                        "state": _text(lib.lss_task_state_name(c.state)), "due": _time_out(c.due),
                        "member": Member(self._db, c.member).key, "note": _text(c.note)})
        return out

    def reschedule(self, at: Time, due: Time) -> None:
        """Move the due moment of an open task (event task.reschedule)."""
        self._db._event("task.reschedule", at, task=self.key, due=_when(due))

    def assign(self, at: Time, member: str) -> None:
        """Give an open task to another member (event task.assign)."""
        self._db._event("task.assign", at, task=self.key, member=member)

    def done(self, at: Time, note: Optional[str] = None) -> None:
        """Mark an open task done (event task.done)."""
        self._db._event("task.done", at, task=self.key, note=note)

    def cancel(self, at: Time) -> None:
        """Cancel an open task (event task.cancel)."""
        self._db._event("task.cancel", at, task=self.key)


class Ticket(_Entity):
    """A service ticket. Transitions: assign, contact, wait, resume, resolve, reopen, close, rate."""
    key = _getter("lss_ticket_key", doc="str: the ticket's key.")
    subject = _getter("lss_ticket_subject", doc="str or None: the subject.")
    state = _getter("lss_ticket_state_of", enum="TicketState", doc="TicketState: the current state.")
    score = _getter("lss_ticket_score", lambda v: v or None, doc="int or None: the latest rating, 1-5.")
    rated_at = _getter("lss_ticket_rated_at", _time_out, doc="datetime or None: when the latest rating was given.")
    priority = _getter("lss_ticket_priority", enum="Priority", doc="Priority: the current priority.")
    kind = _getter("lss_ticket_kind_of", enum="TicketKind", doc="TicketKind: presales, installation, ...")
    channel = _getter("lss_ticket_channel", enum="Channel", doc="Channel: the channel it was opened on.")
    last_at = _getter("lss_ticket_last_at", _time_out, doc="datetime: the time of its latest event.")
    first_response_at = _getter("lss_ticket_first_response_at", _time_out,
                                doc="datetime or None: its first contact.")
    first_resolution_at = _getter("lss_ticket_first_resolution_at", _time_out,
                                  doc="datetime or None: its first resolution.")
    contact_count = _getter("lss_ticket_contact_count", int, doc="int: how many contacts it had.")
    reopen_count = _getter("lss_ticket_reopen_count", int, doc="int: how many times it was reopened.")
    id = _getter("lss_ticket_id", int, doc="int: the dense id, in the order tickets were opened.")

    def priority_at(self, t: Time) -> Optional[LssEnum]:
        """The ticket's Priority as of t (None before it was opened)."""
        return _member("Priority", self._db._lib.lss_ticket_priority_at(self._handle(), self._db._t(t)))

    def sla_clock(self, t: Time) -> int:
        """The SLA clock as of t: seconds counted so far (business seconds with a calendar, paused while
        pending)."""
        return self._db._lib.lss_ticket_sla_clock(self._handle(), self._db._t(t))

    opened_at = _getter("lss_ticket_opened_at", _time_out, doc="datetime: when the ticket was opened.")

    @property
    def customer(self) -> Customer:
        """The customer of the ticket."""
        return Customer(self._db, self._db._lib.lss_ticket_customer(self._handle()))

    @property
    def assignee(self) -> Optional[Member]:
        """The current assignee, or None."""
        h = self._db._lib.lss_ticket_assignee(self._handle())
        return Member(self._db, h) if h else None

    @property
    def history(self) -> List[Dict[str, Any]]:
        """Every change, oldest first: dicts of at, kind, state, from_state, agent, channel, duration, score, text,
        priority (the ticket's after the change)."""
        lib, h, out = self._db._lib, self._handle(), []
        for k in range(lib.lss_ticket_history_count(h)):
            c = _TicketChange()
            self._db._check(lib.lss_ticket_history_get(ctypes.byref(c), h, k))
            out.append({"at": _time_out(c.at), "kind": _text(lib.lss_ticket_change_kind_name(c.kind)),
                        "state": _text(lib.lss_ticket_state_name(c.state)),
                        "from_state": _text(lib.lss_ticket_state_name(c.from_state)),
                        "agent": Member(self._db, c.agent).key if c.agent else None,
                        "channel": _text(lib.lss_channel_name(c.channel)),
                        "duration": c.duration if c.duration >= 0 else None, "score": c.score or None,
                        "text": _text(c.text), "priority": _text(lib.lss_priority_name(c.priority))})
        return out

    def sla(self, as_of: Time) -> Dict[str, Any]:
        """The service level as of a moment: the SLA clock, targets and outcomes."""
        lib, st = self._db._lib, _SlaState()
        self._db._check(lib.lss_ticket_sla(ctypes.byref(st), self._handle(), self._db._t(as_of)))
        return {"elapsed": st.elapsed, "running": bool(st.running),
                "first_response_target": st.first_response_target, "resolution_target": st.resolution_target,
                "first_response": _text(lib.lss_sla_outcome_name(st.first_response)),
                "resolution": _text(lib.lss_sla_outcome_name(st.resolution)),
                "first_response_due": _time_out(st.first_response_due),
                "resolution_due": _time_out(st.resolution_due),
                "calendar": _text(lib.lss_calendar_key(st.calendar)) if st.calendar else None,
                "priority": _text(lib.lss_priority_name(st.priority))}

    @property
    def deal(self) -> Optional["Deal"]:
        """The deal the ticket is about, or None."""
        return _entity_or_none(Deal, self._db, self._db._lib.lss_ticket_deal(self._handle()))

    def assign(self, at: Time, agent: str) -> None:
        """Assign the ticket to a service member (event ticket.assign)."""
        self._db._event("ticket.assign", at, ticket=self.key, agent=agent)

    def set_priority(self, at: Time, priority: str) -> None:
        """Change the priority (event ticket.priority) in new, open or pending: the SLA targets and calendar
        become the new priority's in the policy the ticket kept from its opening; the clock keeps its count."""
        self._db._event("ticket.priority", at, ticket=self.key, priority=priority)

    def contact(self, at: Time, agent: str, duration: int, channel: Optional[str] = None) -> None:
        """A contact with the customer about the ticket, `duration` seconds of handle time (event
        ticket.contact); the first one is the first response."""
        self._db._event("ticket.contact", at, ticket=self.key, agent=agent, duration=duration, channel=channel)

    def wait(self, at: Time) -> None:
        """Wait for the customer (event ticket.wait): the SLA clock stops."""
        self._db._event("ticket.wait", at, ticket=self.key)

    def resume(self, at: Time) -> None:
        """Work on after waiting (event ticket.resume): the SLA clock runs again."""
        self._db._event("ticket.resume", at, ticket=self.key)

    def resolve(self, at: Time, note: Optional[str] = None) -> None:
        """Resolve the ticket (event ticket.resolve)."""
        self._db._event("ticket.resolve", at, ticket=self.key, note=note)

    def reopen(self, at: Time) -> None:
        """Reopen a resolved ticket (event ticket.reopen)."""
        self._db._event("ticket.reopen", at, ticket=self.key)

    def close(self, at: Time) -> None:
        """Close a resolved ticket (event ticket.close)."""
        self._db._event("ticket.close", at, ticket=self.key)

    def rate(self, at: Time, score: int, comment: Optional[str] = None) -> None:
        """The customer's rating of a resolved or closed ticket, 1-5 (event ticket.rate)."""
        self._db._event("ticket.rate", at, ticket=self.key, score=score, comment=comment)


# ---- the database ------------------------------------------------------------------------

class Row:
    """One row of a list (Database.deals, tickets, customers): the values as
    of the list's moment, as typed attributes; `entity` is the Deal, Ticket
    or Customer itself."""
    __slots__ = ("entity", "_fields")

    def __init__(self, entity: Any, fields: Dict[str, Any]) -> None:
        self.entity = entity
        self._fields = fields

    def __getattr__(self, name):
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(name) from None

    def as_dict(self) -> Dict[str, Any]:
        """The row's names and values, in the order of the queries spec."""
        return dict(self._fields)

    def __repr__(self):
        return "<Row %s>" % self._fields.get("key")


# the filters of each list: keyword -> (C field, how the value becomes C's)


class _Rows:
    """A list's rows, a generator over the C list, which it frees when done
    or dropped. `matched`: the rows that matched before the page was cut."""

    def __init__(self, db, kind, handle):
        self._db, self._h = db, handle
        self.matched = db._lib.lss_list_matched(handle)
        self._it = db._rows(kind, handle)

    def __iter__(self):
        return self

    def __next__(self):
        try:
            return next(self._it)
        except StopIteration:
            self.close()
            raise

    def __len__(self):
        return self._db._lib.lss_list_count(self._h) if self._h else 0

    def close(self):
        if self._h:
            self._db._lib.lss_list_free(self._h)
            self._h = None

    def __del__(self):
        self.close()


def _parse_time(text: Optional[str]) -> Optional[_dt.datetime]:
    if text is None:
        return None
    return _dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=_dt.timezone.utc)


def _report_values(r: Dict[str, Any]) -> Dict[str, Any]:
    """The report's JSON with its money as Decimal and its times as aware datetimes."""
    for part in ("sales", "relationship"):
        for k, v in r[part].items():
            if isinstance(v, str):
                r[part][k] = Decimal(v)  # money
    r["sales"]["forecast"] = {k: Decimal(v) if v is not None else None for k, v in r["sales"]["forecast"].items()}
    for k in ("from", "to", "as_of"):
        r["window"][k] = _parse_time(r["window"][k])
    for row in r["sales"]["quota"]:
        row["target"], row["achieved"] = Decimal(row["target"]), Decimal(row["achieved"])
        row["from"], row["to"] = _parse_time(row["from"]), _parse_time(row["to"])
    return r


_PARTS = ("sales", "service", "relationship", "follow_up")


def _metric_path(name: str) -> Tuple[str, ...]:
    if not isinstance(name, str) or not name:
        raise TypeError("a metric is named by a str, not %r" % (name,))
    return tuple(name.split("."))


def _at_path(rep: Dict[str, Any], path: Tuple[str, ...], name: str) -> Any:
    """The value at a report path; a bare name is looked up in the parts."""
    candidates = [path] if len(path) > 1 or path[0] in rep else [(part,) + path for part in _PARTS]
    for c in candidates:
        v: Any = rep
        try:
            for k in c:
                v = v[int(k)] if isinstance(v, list) else v[k]
            return v
        except (KeyError, IndexError, ValueError, TypeError):
            continue
    raise InvalidError("series: %r is not a metric of the report (see docs/metrics.md)" % (name,), "LSS_INVALID")


def to_pandas(rows: Any) -> Any:
    """A pandas DataFrame of rows: db.series(...) (a dict per step), a list of
    Row objects (db.deals(...), db.tickets(...), ...) or of dicts. Money and
    rates become float columns (Decimal would make them `object`), counts stay
    integers, times are datetime64 in UTC. pandas is imported here, and only
    here: the package does not need it otherwise."""
    import pandas as pd
    records = [r.as_dict() if isinstance(r, Row) else dict(r) for r in rows]
    frame = pd.DataFrame.from_records(records)
    for col in frame.columns:
        values = [v for v in frame[col] if v is not None]
        if values and all(isinstance(v, Decimal) for v in values):
            frame[col] = pd.to_numeric(frame[col].map(lambda v: None if v is None else float(v)))
        elif values and all(isinstance(v, _dt.datetime) for v in values):
            frame[col] = pd.to_datetime(frame[col], utc=True)
        elif values and all(isinstance(v, LssEnum) for v in values):
            frame[col] = frame[col].map(lambda v: None if v is None else v.value)
    return frame


class Database:
    """A libsalesservice database: in memory (path None) or a durable journal file.

    Use it as a context manager, or call close(). A Database is not shared
    between threads by this binding: the C library serialises calls on one
    database, but entity objects read without locking, so give each thread
    its own Database (on different files) or guard a shared one with a lock.
    """

    def _enum(self, noun, text):
        """The value of an enum's spelling, as the C library parses it (its message on failure)."""
        v = ctypes.c_int()
        st = getattr(self._lib, "lss_%s_parse" % noun)(ctypes.byref(v), _cstr(text, noun.replace("_", " ")))
        if st:
            self._raise(st, _text(self._lib.lss_errmsg()))
        return v.value

    def __init__(self, path: Optional[Union[str, os.PathLike]] = None, currency: str = "EUR",
                 pipeline: str = "strict", sync: str = "full", read_only: bool = False,
                 library: Optional[str] = None, checkpoint_bytes: int = 64 << 20, use_checkpoint: bool = True,
                 busy_timeout_ms: int = 0) -> None:
        self._lib = load_library(library)
        self._db = None
        o = _OpenOptions(2, _cstr(currency, "currency"), self._enum("pipeline_mode", pipeline),
                         self._enum("sync_mode", sync), (1 if read_only else 0) | (0 if use_checkpoint else 8),
                         checkpoint_bytes, busy_timeout_ms)
        h = c_db()
        st = self._lib.lss_db_open(ctypes.byref(h), _cstr(os.fspath(path), "path") if path else None,
                                   ctypes.byref(o))
        if st:
            self._raise(st, _text(self._lib.lss_errmsg()))
        self._db = h
        self.path = path

    # lifetime
    def close(self) -> None:
        """Close the database (syncing a journal). Entity objects of it stop working."""
        if self._db:
            self._lib.lss_db_close(self._db)
            self._db = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def _check_open(self):
        if not self._db:
            raise MisuseError("the database is closed", "LSS_MISUSE")

    def _raise(self, st, message):
        cls = _ERRORS[st] if 0 < st < len(_ERRORS) else SalesServiceError
        raise cls(message, _text(self._lib.lss_status_name(st)))

    def _check(self, st):
        if st:
            self._raise(st, _text(self._lib.lss_db_errmsg(self._db)))

    def _t(self, t):
        t = _when(t)
        if isinstance(t, int):
            return _cint(t, "time")
        out = ctypes.c_int64()
        st = self._lib.lss_time_parse(ctypes.byref(out), _cstr(t, "time"))
        if st:
            self._raise(st, _text(self._lib.lss_errmsg()))
        return out.value

    def _event(self, type_, at, **fields):
        self._check_open()
        ev = {"type": type_, "at": _when(at)}
        ev.update({k: v for k, v in fields.items() if v is not None})
        _check_fields(ev, type_)
        self._check(self._lib.lss_apply_json(self._db, json.dumps(ev).encode()))

    def apply(self, event: Dict[str, Any]) -> None:
        """Apply one event given as a dict of the event format (docs/events.md)."""
        self._check_open()
        event = dict(event)
        if "at" in event:
            event["at"] = _when(event["at"])
        _check_fields(event, str(event.get("type", "event")))
        self._check(self._lib.lss_apply_json(self._db, json.dumps(event).encode()))

    # settings
    currency = property(lambda self: _text(self._lib.lss_db_currency(self._live())),
                        doc="str: the database's ISO 4217 currency (set at creation).")
    pipeline = property(lambda self: _member("PipelineMode", self._lib.lss_db_pipeline(self._live())),
                        doc="PipelineMode: strict or lenient (set at creation).")
    event_count = property(lambda self: self._lib.lss_db_event_count(self._live()),
                           doc="int: the events applied, the sequence number of the latest.")
    id = property(lambda self: _text(self._lib.lss_db_id(self._live())),
                  doc="str: the database id, 32 hex digits chosen at creation (\"\" for a version 1 journal "
                      "opened read-only).")
    is_follower = property(lambda self: bool(self._lib.lss_db_is_follower(self._live())),
                           doc="bool: whether the database is a follower, written only by lss replicate.")

    def sla_targets_at(self, priority: str, t: Time) -> Tuple[int, int]:
        """The (first response, resolution) targets in seconds of a priority as of t."""
        fr, res = ctypes.c_int64(), ctypes.c_int64()
        self._check(self._lib.lss_sla_targets_at(ctypes.byref(fr), ctypes.byref(res), self._live(),
                                                 self._enum("priority", priority), self._t(t)))
        return fr.value, res.value

    def stage_probability_at(self, stage: str, t: Time, pipeline: Optional[str] = None) -> int:
        """The probability percent of an open stage as of t, in the default pipeline or `pipeline`."""
        g = self._enum("stage", stage)
        if pipeline is None:
            v = self._lib.lss_stage_probability_at(self._live(), g, self._t(t))
        else:
            v = self._lib.lss_pipeline_stage_probability_at(self._live(), _cstr(pipeline, "pipeline"), g, self._t(t))
        if v < 0:
            raise InvalidError("stage probability: %s has none (an open stage, a pipeline that exists)" % stage,
                               "LSS_INVALID")
        return v

    def _live(self):
        self._check_open()
        return self._db

    # team and customers
    def add_member(self, at: Time, key: str, name: str, role: str, team: Optional[str] = None) -> Member:
        """Add a team member (event member.add): role "sales", "service" or "both" (or a Role)."""
        self._event("member.add", at, key=key, name=name, role=role, team=team)
        return self.member(key)

    def set_quota(self, at: Time, member: str, start: Time, end: Time, amount: Money) -> None:
        """Set a member's quota target for the period [start, end) (event quota.set; a later set of the same
        period replaces it from then on)."""
        self._event("quota.set", at, member=member, **{"from": _when(start), "to": _when(end)},
                    amount=_money(amount))

    def add_customer(self, at: Time, key: str, name: str, email: Optional[str] = None,
                     company: Optional[str] = None, segment: Optional[str] = None, source: Optional[str] = None,
                     referred_by: Optional[str] = None) -> Customer:
        """Add a customer (event customer.add): a lead from `source` ("web", "referral", ... or a Source),
        referred_by the key of the customer who referred it."""
        self._event("customer.add", at, key=key, name=name, email=email, company=company, segment=segment,
                    source=source, referred_by=referred_by)
        return self.customer(key)

    def open_deal(self, at: Time, key: str, customer: str, owner: str, amount: Money, title: Optional[str] = None,
                  expected_close: Optional[Time] = None, pipeline: Optional[str] = None) -> Deal:
        """Open a deal in prospect (event deal.open), in the default pipeline unless one is named."""
        self._event("deal.open", at, key=key, customer=customer, owner=owner, amount=_money(amount), title=title,
                    expected_close=_when(expected_close), pipeline=pipeline)
        return self.deal(key)

    def add_pipeline(self, at: Time, key: str, name: str) -> None:
        """Add a named sales pipeline (event pipeline.add); "default" always exists."""
        self._event("pipeline.add", at, key=key, name=name)

    def pipelines(self) -> List[Dict[str, str]]:
        """Every pipeline as (key, name), the default first."""
        lib, db = self._lib, self._live()
        return [(_text(lib.lss_pipeline_key(db, i)), _text(lib.lss_pipeline_name(db, i)))
                for i in range(lib.lss_pipeline_count(db))]

    def log_activity(self, at: Time, customer: str, member: str, kind: str, channel: str,
                     duration: Optional[int] = None, deal: Optional[str] = None, note: Optional[str] = None) -> None:
        """Log a call, email, meeting, demo ... with a customer (event activity.log); duration in seconds."""
        self._event("activity.log", at, customer=customer, member=member, kind=kind, channel=channel,
                    duration=duration, deal=deal, note=note)

    def open_ticket(self, at: Time, key: str, customer: str, kind: str, channel: str, priority: str,
                    subject: Optional[str] = None, deal: Optional[str] = None) -> Ticket:
        """Open a service ticket (event ticket.open): kind a TicketKind, channel a Channel, priority a
        Priority (or their spellings)."""
        self._event("ticket.open", at, key=key, customer=customer, kind=kind, channel=channel, priority=priority,
                    subject=subject, deal=deal)
        return self.ticket(key)

    def set_sla(self, at: Time, priority: str, first_response: int, resolution: int,
                calendar: Optional[str] = None) -> None:
        """Set the service-level targets of a priority, in seconds (event sla.set); with a calendar (see
        set_calendar) the targets count business seconds of that calendar."""
        self._event("sla.set", at, priority=priority, first_response=first_response, resolution=resolution,
                    calendar=calendar)

    def set_calendar(self, at: Time, key: str, timezone: str, hours: Dict[str, Any],
                     holidays: Optional[Sequence[Time]] = None) -> None:
        """A business calendar (event calendar.set, docs/calendars.md): hours as
        [("mon", "09:00", "17:00"), ...] or the event's objects, holidays as
        "YYYY-MM-DD" strings or datetime.date."""
        hours = [h if isinstance(h, dict) else {"day": h[0], "from": h[1], "to": h[2]} for h in hours]
        days = None if holidays is None else [d if isinstance(d, str) else d.isoformat() for d in holidays]
        self._event("calendar.set", at, key=key, timezone=timezone, hours=hours, holidays=days)

    def set_stage_probability(self, at: Time, stage: str, percent: int, pipeline: Optional[str] = None) -> None:
        """The probability of an open stage from at on (event stage.probability), in one pipeline (default)."""
        self._event("stage.probability", at, stage=stage, percent=percent, pipeline=pipeline)

    # lookups
    def _find(self, noun, cls, key):
        h = c_entity()
        self._check(getattr(self._lib, "lss_%s_find" % noun)(ctypes.byref(h), self._live(), _cstr(key, noun)))
        return cls(self, h.value)

    def member(self, key: str) -> Member:
        """The member with that key (NotFoundError otherwise)."""
        return self._find("member", Member, key)

    def customer(self, key: str) -> Customer:
        """The customer with that key (NotFoundError otherwise)."""
        return self._find("customer", Customer, key)

    def deal(self, key: str) -> Deal:
        """The deal with that key (NotFoundError otherwise)."""
        return self._find("deal", Deal, key)

    def ticket(self, key: str) -> Ticket:
        """The ticket with that key (NotFoundError otherwise)."""
        return self._find("ticket", Ticket, key)

    def task(self, key: str) -> Task:
        """The task with that key (NotFoundError otherwise)."""
        return self._find("task", Task, key)

    def add_task(self, at: Time, key: str, customer: str, member: str, kind: str, due: Time,
                 deal: Optional[str] = None, ticket: Optional[str] = None, note: Optional[str] = None) -> Task:
        """A follow-up task (event task.add): kind is an activity kind (call, email, meeting, demo, ...)."""
        self._event("task.add", at, key=key, customer=customer, member=member, kind=kind, due=_when(due), deal=deal,
                    ticket=ticket, note=note)
        return self.task(key)

    def count(self, noun: str) -> int:
        """How many "member", "customer", "deal" or "ticket" entities there are."""
        return getattr(self._lib, "lss_%s_count" % noun)(self._live())

    def _all(self, noun, cls):
        by_id = getattr(self._lib, "lss_%s_by_id" % noun)
        for i in range(self.count(noun)):
            h = c_entity()
            self._check(by_id(ctypes.byref(h), self._live(), i))
            yield cls(self, h.value)

    def activities(self) -> Iterator[Activity]:
        """Every activity, in the order they were logged (Activity objects)."""
        lib = self._lib
        for i in range(lib.lss_activity_count(self._live())):
            h = c_entity()
            self._check(lib.lss_activity_by_id(ctypes.byref(h), self._live(), i))
            yield Activity(self, h.value)

    def members(self) -> Iterator[Member]:
        """Every member, in the order they were added."""
        return self._all("member", Member)

    def customers(self, **filters: Any) -> Iterator[Row]:
        """The customers' list (docs/lists.md) as a generator of Rows: filters
        segment, source, state, search; as_of, sort ("key", "added", "name"),
        desc, limit, after."""
        return self._list("customers", filters)

    def deals(self, **filters: Any) -> Iterator[Row]:
        """The deals' list as a generator of Rows, e.g.
        db.deals(owner="m-anna", open=True, sort="expected_close"): filters
        owner, team, customer, pipeline, stage (a name or a list), open,
        closing_from, closing_to; as_of, sort, desc, limit, after."""
        return self._list("deals", filters)

    def tickets(self, **filters: Any) -> Iterator[Row]:
        """The tickets' list as a generator of Rows: filters customer, state
        (a name or a list), assignee, unassigned, priority (a name or a list),
        channel, open, breach_before; as_of, sort, desc, limit, after."""
        return self._list("tickets", filters)

    def tasks(self, **filters: Any) -> Iterator[Row]:
        """The tasks' list as a generator of Rows: filters member, customer, state (a name or a list),
        due_from, due_to, overdue; as_of, sort ("key", "due"), desc, limit, after."""
        return self._list("tasks", filters)

    def list_index_bytes(self) -> int:
        """Bytes the list indexes hold (0 before the first list)."""
        return self._lib.lss_list_index_bytes(self._live())

    def _lenum(self, what, v, name):
        out = ctypes.c_int()
        if getattr(self._lib, "lss_%s_parse" % what)(ctypes.byref(out), _cstr(v, name)):
            raise InvalidError("%s: %r is not a %s" % (name, v, what.replace("_", " ")), "LSS_INVALID")
        return out.value

    def _mask(self, what, v, name):
        vals = [v] if isinstance(v, str) else list(v)
        m = 0
        for x in vals:
            m |= 1 << self._lenum(what, x, name)
        if not m:
            raise InvalidError("%s: expected at least one value" % name, "LSS_INVALID")
        return m

    def _list(self, kind, filters):
        lib = self._lib
        f = _ListFilter(2, self._enum("list_kind", kind), TIME_NONE, None, 0, 2 ** 63 - 1, None, None, 0, None, None,
                        None, 0, TIME_NONE, TIME_NONE, 0, None, 0, 0, -1, TIME_NONE, None, -1, -1, None, None, TIME_NONE,
                        TIME_NONE, 0)
        keep = []  # the encoded texts live as long as the call
        for k, v in filters.items():
            if v is None:
                continue
            if k in ("sort", "after", "customer", "owner", "team", "pipeline", "assignee", "segment", "search",
                     "member"):
                b = _cstr(v, k)
                keep.append(b)
                setattr(f, k, b)
            elif k in ("desc", "open", "unassigned", "overdue"):
                if not isinstance(v, bool):
                    raise TypeError("%s is True or False, not %r" % (k, v))
                setattr(f, k, int(v))
            elif k == "limit":
                if isinstance(v, bool) or not isinstance(v, int):
                    raise TypeError("limit is an int, not %r" % (v,))
                if v < 1:
                    raise InvalidError("limit: %r is not a number of rows (at least 1)" % (v,), "LSS_INVALID")
                f.limit = min(v, 2 ** 63 - 1)
            elif k in ("as_of", "closing_from", "closing_to", "breach_before", "due_from", "due_to"):
                setattr(f, k, self._t(v))
            elif k == "stage" and kind == "deals":
                f.stages = self._mask("stage", v, k)
            elif k == "state" and kind == "tickets":
                f.states = self._mask("ticket_state", v, k)
            elif k == "state" and kind == "tasks":
                f.states = self._mask("task_state", v, k)
            elif k == "state" and kind == "customers":
                f.state = self._lenum("customer_state", v, k)
            elif k == "priority" and kind == "tickets":
                f.priorities = self._mask("priority", v, k)
            elif k == "channel" and kind == "tickets":
                f.channel = self._lenum("channel", v, k)
            elif k == "source" and kind == "customers":
                f.source = self._lenum("source", v, k)
            else:
                raise TypeError("%s() got an unexpected keyword argument %r" % (kind, k))
        out = ctypes.c_void_p()
        self._check(lib.lss_list_run(ctypes.byref(out), self._live(), ctypes.byref(f)))
        return _Rows(self, kind, out.value)

    def _rows(self, kind, l):
        lib = self._lib
        name = lambda fn, h: _text(getattr(lib, fn)(h)) if h else None
        if True:
            for i in range(lib.lss_list_count(l)):
                self._check_open()
                if kind == "deals":
                    r = _DealRow()
                    self._check(lib.lss_list_deal(ctypes.byref(r), l, i))
                    e = Deal(self, r.deal)
                    yield Row(e, {"key": e.key, "customer": name("lss_customer_key", r.customer),
                                  "owner": name("lss_member_key", r.owner), "pipeline": _text(r.pipeline),
                                  "stage": _text(lib.lss_stage_name(r.stage)), "amount": _money_out(r.amount),
                                  "expected_close": _time_out(r.expected_close), "forecast": _text(r.forecast),
                                  "probability": r.probability, "opened": _time_out(r.opened),
                                  "last_at": _time_out(r.last_at)})
                elif kind == "tickets":
                    r = _TicketRow()
                    self._check(lib.lss_list_ticket(ctypes.byref(r), l, i))
                    e = Ticket(self, r.ticket)
                    yield Row(e, {"key": e.key, "customer": name("lss_customer_key", r.customer),
                                  "state": _text(lib.lss_ticket_state_name(r.state)),
                                  "priority": _text(lib.lss_priority_name(r.priority)),
                                  "kind": _text(lib.lss_ticket_kind_name(r.kind)),
                                  "channel": _text(lib.lss_channel_name(r.channel)),
                                  "assignee": name("lss_member_key", r.assignee), "opened": _time_out(r.opened),
                                  "first_response": _time_out(r.first_response),
                                  "first_response_due": _time_out(r.first_response_due),
                                  "resolution_due": _time_out(r.resolution_due),
                                  "sla": _text(lib.lss_sla_outcome_name(r.sla))})
                elif kind == "tasks":
                    r = _TaskRow()
                    self._check(lib.lss_list_task(ctypes.byref(r), l, i))
                    e = Task(self, r.task)
                    yield Row(e, {"key": e.key, "customer": name("lss_customer_key", r.customer),
                                  "member": name("lss_member_key", r.member),
                                  "kind": _text(lib.lss_activity_kind_name(r.kind)), "due": _time_out(r.due),
                                  "state": _text(lib.lss_task_state_name(r.state)),
                                  "deal": name("lss_deal_key", r.deal), "ticket": name("lss_ticket_key", r.ticket)})
                else:
                    r = _CustomerRow()
                    self._check(lib.lss_list_customer(ctypes.byref(r), l, i))
                    e = Customer(self, r.customer)
                    yield Row(e, {"key": e.key, "name": _text(r.name), "email": _text(r.email),
                                  "company": _text(r.company), "segment": _text(r.segment),
                                  "source": _text(lib.lss_source_name(r.source)),
                                  "state": _text(lib.lss_customer_state_name(r.state)), "added": _time_out(r.added)})

    # transactions
    class _Tx:
        def __init__(self, db):
            self.db = db

        def __enter__(self):
            self.db._check(self.db._lib.lss_tx_begin(self.db._live()))
            return self.db

        def __exit__(self, exc_type, exc, tb):
            if exc_type is None:
                self.db._check(self.db._lib.lss_tx_commit(self.db._db))
            else:
                self.db._lib.lss_tx_rollback(self.db._db)
            return False

    def transaction(self) -> Any:
        """`with db.transaction():` commits at the end, rolls back (exactly) on an exception."""
        return Database._Tx(self)

    def quota_attainment(self, start: Time, end: Time, member: Optional[str] = None, team: Optional[str] = None,
                         as_of: Optional[Time] = None) -> Dict[str, Any]:
        """A member's (or a team's summed) quota for exactly [start, end), as of as_of (default: now):
        a dict of target, achieved (Decimal) and attainment (an exact Fraction, None without target)."""
        from fractions import Fraction
        if (member is None) == (team is None):
            raise InvalidError("give a member or a team", "LSS_INVALID")
        row = _QuotaRow()
        fn = self._lib.lss_quota_attainment if member else self._lib.lss_team_quota_attainment
        self._check(fn(ctypes.byref(row), self._live(), _cstr(member or team, "member" if member else "team"),
                       self._t(start), self._t(end),
                       TIME_NONE if as_of is None else self._t(as_of)))
        return {"target": _money_out(row.target), "achieved": _money_out(row.achieved),
                "attainment": Fraction(row.attainment.num, row.attainment.den) if row.attainment.den else None}

    # durability
    def recovery(self) -> Dict[str, Any]:
        """What opening the journal found (all zero in memory): events, bytes dropped, damage ..."""
        r = _Recovery()
        self._check(self._lib.lss_db_recovery(ctypes.byref(r), self._live()))
        out = {n: getattr(r, n) for n, _ in _Recovery._fields_}
        out["checkpoint_note"] = _text(r.checkpoint_note)
        return out

    def checkpoint(self) -> None:
        """Write the state beside the journal (PATH.checkpoint), so that the next open replays only what follows."""
        self._check(self._lib.lss_db_checkpoint(self._live()))

    def refresh(self) -> Tuple[int, bool]:
        """A read-only database: apply what the writer committed since; returns (events applied, reopened).
        After a reopen (the writer compacted the file) entity objects taken before must not be used."""
        n, r = ctypes.c_uint64(), ctypes.c_int()
        self._check(self._lib.lss_db_refresh(self._live(), ctypes.byref(n), ctypes.byref(r)))
        return n.value, bool(r.value)

    def events_since(self, seq: int = 0) -> List[Tuple[int, Dict[str, Any]]]:
        """Every event after sequence number seq, in order, as (seq, event dict) pairs (erased data absent)."""
        out = []

        def take(ctx, ch):
            out.append((ch.contents.seq, json.loads(ch.contents.json.decode("utf-8"))))
            return 0
        cb = _CHANGE(take)
        self._check(self._lib.lss_events_since(self._live(), seq, cb, None))
        return out

    def verify_state(self) -> None:
        """Replay the whole journal privately and compare it with this state; raises CorruptError if they differ."""
        self._check(self._lib.lss_db_verify_state(self._live()))

    def sync(self) -> None:
        """Sync the journal to stable storage (what sync="full" does after every call)."""
        self._check(self._lib.lss_db_sync(self._live()))

    def compact(self) -> None:
        """Rewrite the journal with only what the state needs (crash-safe)."""
        self._check(self._lib.lss_db_compact(self._live()))

    # interchange
    def import_file(self, path: Union[str, os.PathLike],
                    keep_going: bool = False) -> Tuple[int, List[Tuple[int, str, str]]]:
        """Import JSON Lines (atomic unless keep_going). Returns (applied, rejected) where
        rejected is a list of (line, status name, message)."""
        rejected = []

        def on_reject(ctx, line, st, msg):
            rejected.append((line, _text(self._lib.lss_status_name(st)), _text(msg)))

        cb = _REJECT(on_reject)
        o = _ImportOptions(1, 1 if keep_going else 0, None, None, ctypes.cast(cb, ctypes.c_void_p), None)
        r = _ImportResult()
        self._check(self._lib.lss_import_file(self._live(), _cstr(os.fspath(path), "path"), ctypes.byref(o),
                                              ctypes.byref(r)))
        return r.applied, rejected

    def export_file(self, path: Union[str, os.PathLike]) -> None:
        """Write every event as JSON Lines (the canonical form) to path."""
        self._check(self._lib.lss_export_file(self._live(), _cstr(os.fspath(path), "path"), None))

    def generate(self, customers: int = 3000, seed: int = 1, start: Time = "2025-01-01", days: int = 365,
                 sales_reps: int = 6, agents: int = 5, order: str = "customer") -> None:
        """Fill this empty database with a generated company (lss_generate).

        order "customer" writes one customer's story after another; "time" every
        event of the company in time order, as a live system writes them."""
        o = _GenerateOptions(2, _cint(seed, "seed", _UINT64), _cint(customers, "customers", _UINT32), self._t(start),
                             _cint(days, "days", _UINT32), _cint(sales_reps, "sales_reps", _UINT32),
                             _cint(agents, "agents", _UINT32), None, None, self._enum("generate_order", order))
        self._check(self._lib.lss_generate(self._live(), ctypes.byref(o)))

    # metrics

    def _query(self, start, end, member, team, channel, segment, threads, as_of, pipeline) -> _Query:
        channel = -1 if channel is None else self._enum("channel", channel)
        return _Query(3, TIME_NONE if start is None else self._t(start), TIME_NONE if end is None else self._t(end),
                      _cstr(member, "member") if member else None, _cstr(team, "team") if team else None,
                      channel, _cstr(segment, "segment") if segment else None, _cint(threads, "threads", (0, 64)),
                      TIME_NONE if as_of is None else self._t(as_of),
                      _cstr(pipeline, "pipeline") if pipeline else None)

    def _rendered(self, render, handle, fmt: int) -> str:
        out = ctypes.c_void_p()
        n = ctypes.c_size_t()
        st = render(ctypes.byref(out), ctypes.byref(n), handle, fmt)
        if st:
            self._raise(st, _text(self._lib.lss_errmsg()))
        try:
            return ctypes.string_at(out, n.value).decode()
        finally:
            self._lib.lss_free(out)

    def report(self, start: Optional[Time] = None, end: Optional[Time] = None, member: Optional[str] = None,
               team: Optional[str] = None, channel: Optional[str] = None, segment: Optional[str] = None,
               text: bool = False, threads: int = 0, as_of: Optional[Time] = None,
               pipeline: Optional[str] = None) -> Union[Dict[str, Any], str]:
        """Every metric for [start, end) as of as_of (default: end; default window: everything), narrowed
        by the filters. Only events before as_of exist for the report: as_of=a past day gives what the
        database knew then. A dict of the metrics spec's JSON: money and rates as Decimal, times (the
        window, quota periods) as aware datetimes, None for no value. With text=True, the aligned text
        rendering instead. threads: 0 lets the library decide (a second thread for a large database), 1
        keeps the work in the calling thread. pipeline narrows the sales figures to the deals of one
        pipeline."""
        q = self._query(start, end, member, team, channel, segment, threads, as_of, pipeline)
        rep = ctypes.c_void_p()
        self._check(self._lib.lss_report_run(ctypes.byref(rep), self._live(), ctypes.byref(q)))
        try:
            data = self._rendered(self._lib.lss_report_render, rep, 1 if text else 0)
        finally:
            self._lib.lss_report_free(rep)
        return data if text else _report_values(json.loads(data, parse_float=Decimal))

    def series(self, metrics: Sequence[str], start: Optional[Time] = None, end: Optional[Time] = None,
               step: str = "month", member: Optional[str] = None, team: Optional[str] = None,
               channel: Optional[str] = None, segment: Optional[str] = None, as_of: Optional[Time] = None,
               pipeline: Optional[str] = None) -> List[Dict[str, Any]]:
        """The metrics named in `metrics` for each step ("day", "week", "month" or "quarter", or a Step)
        of [start, end), all computed in one pass (lss_series_run): a list of one dict per step with
        "from", "to", "as_of" (aware datetimes) and each metric. A metric is named by its path in the
        report ("sales.won", "service.first_response_seconds.median", "sales.funnel.1.reached") or by its
        bare name when one part has it ("won", "csat_percent", "nps"). Each step's figures are exactly
        those of report(start=step start, end=step end). For a table: to_pandas(db.series(...))."""
        step_code = self._enum("step", step)
        paths = [_metric_path(m) for m in metrics]
        q = self._query(start, end, member, team, channel, segment, 0, as_of, pipeline)
        ser = ctypes.c_void_p()
        self._check(self._lib.lss_series_run(ctypes.byref(ser), self._live(), ctypes.byref(q), step_code))
        try:
            data = self._rendered(self._lib.lss_series_render, ser, 0)
        finally:
            self._lib.lss_series_free(ser)
        rows = []
        for rep in json.loads(data, parse_float=Decimal)["reports"]:
            rep = _report_values(rep)
            row = {"from": rep["window"]["from"], "to": rep["window"]["to"], "as_of": rep["window"]["as_of"]}
            for name, path in zip(metrics, paths):
                row[name] = _at_path(rep, path, name)
            rows.append(row)
        return rows
