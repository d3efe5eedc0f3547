"""Tests of the Python binding (standard unittest; run by ctest with
LSS_LIBRARY set to the built library and LSS_TOOL to the built lss tool)."""
import datetime
import json
import os
import resource
import subprocess
import sys
import tempfile
import unittest
from decimal import Decimal
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import salesservice as lss  # noqa: E402


def team(db):
    db.add_member("2025-01-01", "m-anna", "Anna Berg", role="sales", team="DACH")
    db.add_member("2025-01-01", "m-ben", "Ben Ortiz", role="service")
    db.add_customer("2025-01-06", "c-17", "Kraus GmbH", email="einkauf@kraus.example", segment="smb", source="web")


class Lists(unittest.TestCase):
    def test_work_queues_as_generators_of_rows(self):
        with lss.Database() as db:
            team(db)
            db.add_customer("2025-01-07", "c-18", "Lamm AG", segment="ent", source="web")
            d = db.open_deal("2025-01-06T09:30:00Z", "d-17", "c-17", "m-anna", Decimal("12000.00"),
                             expected_close="2025-03-01")
            d.advance("2025-01-09", "qualified")
            db.open_deal("2025-01-08", "d-18", "c-18", "m-anna", Decimal("500.00"))
            rows = db.deals(owner="m-anna", open=True, sort="expected_close")
            self.assertEqual(rows.matched, 2)
            got = list(rows)
            self.assertEqual([r.key for r in got], ["d-17", "d-18"])  # no expected close: last
            r = got[0]
            self.assertEqual((r.stage, r.amount, r.probability, r.owner, r.customer),
                             ("qualified", Decimal("12000.00"), 25, "m-anna", "c-17"))
            self.assertEqual(r.expected_close.isoformat(), "2025-03-01T00:00:00+00:00")
            self.assertEqual(r.entity, d)
            self.assertEqual(list(r.as_dict())[:4], ["key", "customer", "owner", "pipeline"])
            old = list(db.deals(as_of="2025-01-09"))
            self.assertEqual([(x.key, x.stage) for x in old], [("d-17", "prospect"), ("d-18", "prospect")])
            self.assertEqual([x.key for x in db.deals(stage=["qualified", "won"])], ["d-17"])
            self.assertEqual([x.key for x in db.deals(limit=1, after="d-17")], ["d-18"])
            t = db.open_ticket("2025-02-03T08:05:00Z", "t-90", "c-17", "installation", "phone", "high")
            [tr] = db.tickets(open=True, unassigned=True)
            self.assertEqual((tr.state, tr.priority, tr.sla, tr.assignee), ("new", "high", "undecided", None))
            self.assertEqual(tr.first_response_due.isoformat(), "2025-02-03T12:05:00+00:00")
            self.assertEqual(len(list(db.tickets(breach_before="2025-02-03T12:05:00Z"))), 0)
            self.assertEqual(len(list(db.tickets(breach_before="2025-02-03T12:05:01Z"))), 1)
            self.assertEqual(tr.entity, t)
            self.assertEqual([c.key for c in db.customers(search="LAMM")], ["c-18"])
            self.assertEqual([c.key for c in db.customers(segment="smb", state="prospect")], ["c-17"])
            self.assertGreater(db.list_index_bytes(), 0)
            with self.assertRaises(lss.InvalidError):
                db.deals(sort="title")
            with self.assertRaises(lss.InvalidError):
                db.deals(limit=0)
            with self.assertRaises(lss.InvalidError):
                db.tickets(state="waiting")
            with self.assertRaises(lss.NotFoundError):
                db.deals(owner="m-nobody")
            with self.assertRaises(lss.NotFoundError):
                db.deals(after="d-99")
            with self.assertRaises(lss.InvalidError):
                db.deals(segment="smb")  # a customers' filter: the library names it
            with self.assertRaises(TypeError):
                db.deals(open=1)


class Calendars(unittest.TestCase):
    def test_sla_in_business_hours(self):
        with lss.Database() as db:
            team(db)
            db.set_calendar("2025-01-01", "office", "Europe/Berlin",
                            [(d, "09:00", "17:00") for d in ("mon", "tue", "wed", "thu", "fri")],
                            holidays=["2025-01-14"])
            db.set_sla("2025-01-01", "high", 4 * 3600, 16 * 3600, calendar="office")
            t = db.open_ticket("2025-01-10T16:30:00+01:00", "t-1", "c-17", "incident", "phone", "high")
            s = t.sla("2025-01-10T17:30:00+01:00")
            self.assertEqual((s["elapsed"], s["running"], s["calendar"]), (1800, True, "office"))
            self.assertEqual(s["first_response_due"].isoformat(), "2025-01-13T11:30:00+00:00")
            # 0.5 h Friday, 8 h Monday, Tuesday a holiday, 7.5 h Wednesday
            self.assertEqual(s["resolution_due"].isoformat(), "2025-01-15T15:30:00+00:00")
            n = db.open_ticket("2025-01-10T16:30:00+01:00", "t-2", "c-17", "incident", "phone", "normal")
            self.assertIsNone(n.sla("2025-01-11")["calendar"])
            with self.assertRaises(lss.InvalidError) as e:
                db.set_calendar("2025-02-01", "bad", "Mars/Olympus", [("mon", "09:00", "17:00")])
            self.assertIn("Mars/Olympus", str(e.exception))
            with self.assertRaises(lss.NotFoundError):
                db.set_sla("2025-02-01", "low", 3600, 7200, calendar="nowhere")
            with tempfile.TemporaryDirectory() as d:
                path = os.path.join(d, "out.jsonl")
                db.export_file(path)
                with open(path) as f:
                    lines = [json.loads(x) for x in f]
            cal = [x for x in lines if x["type"] == "calendar.set"]
            self.assertEqual((cal[0]["timezone"], cal[0]["hours"][4], cal[0]["holidays"]),
                             ("Europe/Berlin", {"day": "fri", "from": "09:00", "to": "17:00"}, ["2025-01-14"]))
            self.assertEqual([x.get("calendar") for x in lines if x["type"] == "sla.set"], ["office"])


class Pipeline(unittest.TestCase):
    def test_strict_path_with_history(self):
        with lss.Database() as db:
            team(db)
            d = db.open_deal("2025-01-06T09:30:00Z", "d-17", "c-17", "m-anna", Decimal("12000.00"),
                             title="12 workstations")
            self.assertEqual((d.stage, d.amount, d.title), ("prospect", Decimal("12000.00"), "12 workstations"))
            for stage in ("qualified", "presented", "negotiated"):
                d.advance("2025-01-20", stage)
            d.set_amount("2025-01-22", "11200.00")
            d.win("2025-01-28T15:45:00Z")
            self.assertEqual(d.stage, "won")
            self.assertEqual(d.amount, Decimal("11200.00"))
            h = d.history
            self.assertEqual([x["kind"] for x in h], ["opened", "advanced", "advanced", "advanced", "amount", "won"])
            self.assertEqual(h[-1]["from_stage"], "negotiated")
            self.assertEqual(h[-1]["at"].isoformat(), "2025-01-28T15:45:00+00:00")

    def test_refusals_raise_one_class_per_status_and_change_nothing(self):
        with lss.Database() as db:
            team(db)
            d = db.open_deal("2025-01-06", "d-1", "c-17", "m-anna", 100)
            with self.assertRaises(lss.TransitionError) as e:
                d.advance("2025-01-07", "negotiated")
            self.assertEqual(e.exception.status, "LSS_TRANSITION")
            self.assertIn("strict pipeline: next stage is qualified", str(e.exception))
            self.assertEqual(d.stage, "prospect")
            with self.assertRaises(lss.NotFoundError):
                db.open_deal("2025-01-06", "d-2", "c-nobody", "m-anna", 100)
            with self.assertRaises(lss.AlreadyExistsError):
                db.open_deal("2025-01-06", "d-1", "c-17", "m-anna", 100)
            with self.assertRaises(lss.RoleError):
                db.open_deal("2025-01-06", "d-3", "c-17", "m-ben", 100)
            with self.assertRaises(lss.OutOfOrderError):
                d.advance("2024-12-31", "qualified")
            with self.assertRaises(lss.InvalidError) as e:
                d.advance("2025-01-08", "closed")
            self.assertIn('"closed" is not a stage', e.exception.message)
            with self.assertRaises(TypeError):
                d.set_amount("2025-01-08", 12.5)  # money is never a float
            with self.assertRaises(lss.NotFoundError):
                db.deal("d-404")
            self.assertTrue(issubclass(lss.RoleError, lss.SalesServiceError))
            self.assertEqual(db.event_count, 4)  # the team (3) and d-1: nothing refused was applied

    def test_lenient_loss_and_reopen(self):
        with lss.Database(pipeline="lenient") as db:
            team(db)
            d = db.open_deal("2025-01-06", "d-1", "c-17", "m-anna", "500")
            d.advance("2025-01-07", "presented")
            d.lose("2025-01-08", "price", note="too dear")
            self.assertEqual(d.history[-1]["reason"], "price")
            self.assertEqual(d.history[-1]["note"], "too dear")
            d.reopen("2025-02-01")
            self.assertEqual(d.stage, "presented")
            d.win("2025-02-02", amount=450)
            self.assertEqual(d.amount, Decimal("450.00"))


class Tickets(unittest.TestCase):
    def test_lifecycle_sla_and_rating(self):
        with lss.Database() as db:
            team(db)
            t = db.open_ticket("2025-02-03T08:05:00Z", "t-90", "c-17", "installation", "phone", "high",
                               subject="Docking stations")
            self.assertEqual(t.state, "new")
            t.contact("2025-02-03T08:40:00Z", "m-ben", 540)
            self.assertEqual((t.state, t.assignee), ("open", None))
            t.assign("2025-02-03T08:41:00Z", "m-ben")
            self.assertEqual(t.assignee.key, "m-ben")
            t.wait("2025-02-03T08:50:00Z")
            t.resume("2025-02-03T09:00:00Z")
            t.resolve("2025-02-03T09:10:00Z", note="firmware")
            with self.assertRaises(lss.TransitionError):
                t.contact("2025-02-03T09:20:00Z", "m-ben", 60)
            t.rate("2025-02-04", 5, comment="fast")
            t.close("2025-02-10")
            self.assertEqual((t.state, t.score), ("closed", 5))
            r = db.report(start="2025-02-01", end="2025-03-01")
            s = r["service"]
            self.assertEqual((s["tickets_opened"], s["resolved"], s["backlog"]), (1, 1, 0))
            self.assertEqual(s["sla_compliance"], Decimal("1.0"))
            self.assertEqual(s["aht_seconds"], Decimal("540.0"))
            self.assertEqual(s["first_response_seconds"]["median"], 2100)
            self.assertEqual([h["kind"] for h in t.history][:3], ["opened", "contacted", "assigned"])
            sla = t.sla("2025-02-03T08:30:00Z")  # 25 minutes in new: running, nothing decided
            self.assertEqual((sla["elapsed"], sla["running"], sla["first_response"]), (1500, True, "undecided"))
            self.assertEqual(t.sla("2025-03-01")["resolution"], "met")

    def test_pipelines_forecast_tasks_nps(self):
        with lss.Database() as db:
            team(db)
            db.add_pipeline("2025-01-01", "hw", "Hardware")
            self.assertEqual(db.pipelines(), [("default", "Default"), ("hw", "Hardware")])
            db.set_stage_probability("2025-01-01", "qualified", 40, pipeline="hw")
            d = db.open_deal("2025-01-06", "d-1", "c-17", "m-anna", "500.00", expected_close="2025-02-01",
                             pipeline="hw")
            self.assertEqual((d.pipeline, d.forecast, d.own_probability), ("hw", "pipeline", None))
            d.advance("2025-01-07", "qualified")
            d.set_forecast("2025-01-08", "commit")
            d.set_close_date("2025-01-09", "2025-02-15")
            d.set_probability("2025-01-10", 60)
            self.assertEqual((d.forecast, d.own_probability), ("commit", 60))
            self.assertEqual(d.history[-2]["expected_close"].isoformat(), "2025-02-15T00:00:00+00:00")
            with self.assertRaises(lss.InvalidError):
                d.set_forecast("2025-01-11", "maybe")
            r = db.report(start="2025-02-01", end="2025-03-01", as_of="2025-01-20")
            self.assertEqual(r["sales"]["forecast"]["commit"], Decimal("500.00"))
            self.assertEqual(r["sales"]["forecast"]["weighted"], Decimal("300.00"))
            self.assertEqual(r["sales"]["open_deals"], 1)
            self.assertIsNone(db.report(pipeline="hw")["filter"]["team"])
            with self.assertRaises(lss.InvalidError):
                db.report(pipeline="nope")
            k = db.add_task("2025-01-06", "k-1", "c-17", "m-anna", "call", "2025-01-08", deal="d-1", note="call back")
            self.assertEqual((k.state, k.kind, k.member.key, k.deal.key), ("open", "call", "m-anna", "d-1"))
            k.reschedule("2025-01-07", "2025-01-09")
            k.assign("2025-01-07", "m-ben")
            k.done("2025-01-10", note="reached")
            self.assertEqual([h["kind"] for h in k.history], ["added", "rescheduled", "assigned", "done"])
            with self.assertRaises(lss.TransitionError):
                k.cancel("2025-01-11")
            rows = list(db.tasks(state="done"))
            self.assertEqual([x.key for x in rows], ["k-1"])
            self.assertEqual(rows[0].member, "m-ben")
            self.assertEqual([x.key for x in db.tasks(overdue=True, as_of="2025-01-10")], ["k-1"])
            fu = db.report(start="2025-01-01", end="2025-02-01")["follow_up"]
            self.assertEqual((fu["tasks_due"], fu["tasks_on_time_rate"], fu["tasks_overdue"]), (1, Decimal("0.0"), 0))
            c = db.customer("c-17")
            c.nps("2025-01-12", 9, comment="great")
            self.assertEqual(c.changes[-1]["score"], 9)
            rel = db.report(start="2025-01-01", end="2025-02-01")["relationship"]
            self.assertEqual((rel["nps"], rel["nps_responses"]), (Decimal("100.0"), 1))

    def test_priority_change_and_report_as_of(self):
        with lss.Database() as db:
            team(db)
            t = db.open_ticket("2025-02-03T08:00:00Z", "t-91", "c-17", "incident", "email", "low")
            t.set_priority("2025-02-03T09:00:00Z", "urgent")  # 1 h of low's 24 h counted; urgent's 1 h target
            s = t.sla("2025-02-03T09:30:00Z")
            self.assertEqual((s["priority"], s["elapsed"], s["first_response_target"]), ("urgent", 5400, 3600))
            self.assertEqual(s["first_response"], "missed")
            self.assertEqual(t.sla("2025-02-03T08:30:00Z")["priority"], "low")
            self.assertEqual([(h["kind"], h["priority"]) for h in t.history], [("opened", "low"), ("priority", "urgent")])
            with self.assertRaises(lss.InvalidError):
                t.set_priority("2025-02-03T10:00:00Z", "extreme")
            now = db.report(start="2025-02-01", end="2025-03-01")["service"]
            self.assertEqual((now["backlog"], now["backlog_breached"]), (1, 1))
            self.assertEqual(now["backlog_age"]["7d_30d"], 1)
            then = db.report(start="2025-02-01", end="2025-03-01", as_of="2025-02-03T08:30:00Z")
            self.assertEqual(then["window"]["as_of"],
                             datetime.datetime(2025, 2, 3, 8, 30, tzinfo=datetime.timezone.utc))
            self.assertEqual((then["service"]["backlog_breached"], then["service"]["backlog_age"]["lt_1d"]), (0, 1))
            self.assertIsNone(then["service"]["sla_first_response_compliance"])

    def test_customer_side(self):
        with lss.Database() as db:
            team(db)
            db.set_quota("2025-01-01", "m-anna", "2025-01-01", "2025-04-01", "50000.00")
            self.assertEqual(db.member("m-anna").quotas[0]["target"], Decimal("50000.00"))
            d = db.open_deal("2025-01-06", "d-1", "c-17", "m-anna", "11200.00")
            for stage in ("qualified", "presented", "negotiated"):
                d.advance("2025-01-07", stage)
            d.win("2025-01-08")
            q = db.quota_attainment("2025-01-01", "2025-04-01", member="m-anna")
            self.assertEqual((q["achieved"], q["attainment"]), (Decimal("11200.00"), Fraction(224, 1000)))
            self.assertEqual(db.quota_attainment("2025-01-01", "2025-04-01", team="DACH")["target"], Decimal("50000.00"))
            with self.assertRaises(lss.NotFoundError):
                db.quota_attainment("2025-04-01", "2025-07-01", member="m-anna")
            c = db.customer("c-17")
            db.log_activity("2025-01-09", "c-17", "m-anna", "call", "phone", duration=900, note="docks")
            self.assertEqual(c.activities[0]["kind"], "call")
            self.assertEqual(c.activities[0]["duration"], 900)
            c.update("2025-02-01", segment="enterprise")
            c.churn("2025-03-01")
            self.assertEqual([x["kind"] for x in c.changes], ["updated", "churned"])
            self.assertEqual(c.state_at("2025-03-02"), "churned")
            c.erase("2025-04-01")
            self.assertEqual((c.name, c.email, c.erased), ("[erased]", None, True))
            self.assertIsNone(c.activities[0]["note"])


class Metrics(unittest.TestCase):
    def test_report_equals_the_lss_tool_json(self):
        tool = os.environ.get("LSS_TOOL")
        if not tool:
            self.skipTest("LSS_TOOL is not set (ctest sets it)")
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "co.lss")
            with lss.Database(path) as db:
                db.generate(customers=400, seed=3)
                mine = db.report(start="2025-03-01", end="2025-09-01", team="North")
                text = db.report(text=True)
                self.assertIn("Sales", text)
            out = subprocess.run([tool, "report", path, "--from", "2025-03-01", "--to", "2025-09-01", "--team",
                                  "North", "--format", "json"], check=True, capture_output=True, text=True).stdout
            theirs = json.loads(out, parse_float=Decimal)
            for part in ("sales", "relationship"):
                for k, v in theirs[part].items():
                    if isinstance(v, str):
                        theirs[part][k] = Decimal(v)
            for row in theirs["sales"]["quota"]:
                row["target"], row["achieved"] = Decimal(row["target"]), Decimal(row["achieved"])
            theirs["sales"]["forecast"] = {k: Decimal(v) for k, v in theirs["sales"]["forecast"].items()}
            # times come back as aware datetimes in UTC
            utc = datetime.timezone.utc
            self.assertEqual(mine["window"]["from"], datetime.datetime(2025, 3, 1, tzinfo=utc))
            self.assertEqual(mine["window"]["as_of"], datetime.datetime(2025, 9, 1, tzinfo=utc))
            for k in ("from", "to", "as_of"):
                theirs["window"][k] = datetime.datetime.strptime(theirs["window"][k], "%Y-%m-%dT%H:%M:%SZ").replace(
                    tzinfo=utc)
            for row in theirs["sales"]["quota"]:
                for k in ("from", "to"):
                    row[k] = datetime.datetime.strptime(row[k], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=utc)
            self.assertTrue(mine["sales"]["quota"])
            self.assertIsInstance(mine["sales"]["quota"][0]["from"], datetime.datetime)
            self.assertEqual(mine, theirs)
            self.assertGreater(mine["sales"]["deals_opened"], 10)
            with lss.Database() as big:  # large enough for the report's second thread
                big.generate(customers=16000, seed=5, order="time")
                self.assertEqual(big.report(threads=0), big.report(threads=1))
                with self.assertRaises(OverflowError):
                    big.report(threads=65)
                with self.assertRaises(TypeError):
                    big.report(threads="2")
            with lss.Database(path, read_only=True) as db:
                deals = list(db.deals())
                self.assertEqual(len(deals), db.count("deal"))
                won = [x for x in deals if x.stage == "won"]
                self.assertEqual(len(won), db.report()["sales"]["won"])
                self.assertEqual(sum(x.amount for x in won), db.report()["sales"]["revenue"])
                self.assertEqual([m.key for m in db.members()][:2], ["s-01", "s-02"])

    def test_no_value_is_none(self):
        with lss.Database() as db:
            r = db.report(end="2026-01-01")
            self.assertIsNone(r["sales"]["win_rate"])
            self.assertEqual(r["sales"]["revenue"], Decimal("0.00"))
            self.assertIsNone(r["service"]["first_response_seconds"]["median"])


class Example(unittest.TestCase):
    def test_the_analysts_example_prints_twelve_months(self):
        tool = os.environ.get("LSS_TOOL")
        if not tool:
            self.skipTest("LSS_TOOL is not set (ctest sets it)")
        here = os.path.dirname(os.path.abspath(__file__))
        example = os.path.join(here, "..", "..", "..", "examples", "python", "monthly.py")
        with tempfile.TemporaryDirectory() as d:
            events = os.path.join(d, "company.jsonl")
            subprocess.run([tool, "generate", "--customers", "500", "-o", events], check=True)
            out = subprocess.run([sys.executable, example, events, "2025"], check=True, capture_output=True,
                                 text=True).stdout.splitlines()
        self.assertRegex(out[0], r"^\d+ events loaded$")
        self.assertEqual(len(out), 14)
        self.assertTrue(out[13].startswith("2025-12"))


class Durability(unittest.TestCase):
    def test_file_transactions_lock_import_export(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "crm.lss")
            with lss.Database(path, currency="CHF") as db:
                team(db)
                with db.transaction():
                    db.open_deal("2025-01-06", "d-1", "c-17", "m-anna", 100)
                with self.assertRaises(RuntimeError):
                    with db.transaction():
                        db.open_deal("2025-01-06", "d-2", "c-17", "m-anna", 100)
                        raise RuntimeError("changed my mind")
                with self.assertRaises(lss.NotFoundError):
                    db.deal("d-2")  # rolled back
                with self.assertRaises(lss.LockedError):
                    lss.Database(path)
                db.export_file(os.path.join(d, "a.jsonl"))
            with lss.Database(path) as db:  # reopened: the data and the currency are there
                self.assertEqual((db.currency, db.event_count, db.deal("d-1").stage), ("CHF", 4, "prospect"))
                self.assertEqual(db.recovery()["events"], 4)
                self.assertEqual(db.recovery()["bytes_dropped"], 0)
            with lss.Database() as copy:
                applied, rejected = copy.import_file(os.path.join(d, "a.jsonl"))
                self.assertEqual((applied, rejected), (4, []))
                copy.export_file(os.path.join(d, "b.jsonl"))
            with open(os.path.join(d, "a.jsonl"), "rb") as a, open(os.path.join(d, "b.jsonl"), "rb") as b:
                self.assertEqual(a.read(), b.read())
            bad = os.path.join(d, "bad.jsonl")
            with open(bad, "w") as f:
                f.write('{"type":"member.add","at":0,"key":"m","name":"M","role":"sales"}\n')
                f.write('{"type":"member.add","at":0,"key":"m","name":"M","role":"boss"}\n')
            with lss.Database() as db:
                with self.assertRaises(lss.InvalidError) as e:
                    db.import_file(bad)
                self.assertIn("line 2", str(e.exception))
                self.assertEqual(db.event_count, 0)
                applied, rejected = db.import_file(bad, keep_going=True)
                self.assertEqual(applied, 1)
                self.assertEqual(rejected[0][:2], (2, "LSS_INVALID"))


    def test_checkpoint_then_reopen(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "crm.lss")
            with lss.Database(path, checkpoint_bytes=0) as db:
                team(db)
                db.open_deal("2025-01-06", "d-1", "c-17", "m-anna", 100)
                db.checkpoint()
                db.deal("d-1").advance("2025-01-07", "qualified")
            self.assertTrue(os.path.exists(path + ".checkpoint"))
            with lss.Database(path, read_only=True) as db:
                r = db.recovery()
                self.assertEqual((r["checkpoint_events"], r["events"], r["checkpoint_note"]), (4, 1, ""))
                self.assertEqual(db.deal("d-1").stage, "qualified")
                db.verify_state()
                with self.assertRaises(lss.MisuseError):
                    db.checkpoint()  # read-only
            with lss.Database(path, read_only=True) as reader, lss.Database(path) as writer:
                writer.deal("d-1").advance("2025-01-08", "presented")
                self.assertEqual(reader.refresh(), (1, False))
                self.assertEqual(reader.deal("d-1").stage, "presented")
                self.assertEqual([(s, e["type"]) for s, e in reader.events_since(4)],
                                 [(5, "deal.advance"), (6, "deal.advance")])
                with self.assertRaises(lss.LockedError):
                    lss.Database(path, busy_timeout_ms=30)
            with lss.Database(path, read_only=True, use_checkpoint=False) as db:
                self.assertEqual((db.recovery()["checkpoint_events"], db.recovery()["events"]), (0, 6))
            with open(path + ".checkpoint", "r+b") as f:
                f.seek(600)
                f.write(b"\xff\xff")
            with lss.Database(path, read_only=True) as db:
                self.assertIn("checkpoint ignored", db.recovery()["checkpoint_note"])
                self.assertEqual(db.deal("d-1").stage, "presented")


class Boundaries(unittest.TestCase):
    """What C would cut or wrap raises, and changes nothing."""

    def test_nul_in_text_raises_value_error(self):
        with lss.Database() as db:
            team(db)
            before = (db.event_count, [c.key for c in db.customers()])
            calls = [
                lambda: db.add_customer("2025-01-07", "c\x00x", "Name"),
                lambda: db.add_customer("2025-01-07", "c-18", "Na\x00me"),
                lambda: db.apply({"type": "customer.add", "at": "2025-01-07", "key": "c-19", "name": "N",
                                  "email": "a\x00@b"}),
                lambda: db.customer("c-17\x00zz"),  # would find c-17
                lambda: db.member("m-anna\x00"),
                lambda: db.report(member="m-anna\x00x"),
                lambda: db.report(segment="smb\x00"),
                lambda: db.quota_attainment("2025-01-01", "2025-02-01", member="m-anna\x00"),
                lambda: db.export_file("out\x00.jsonl"),
            ]
            for i, call in enumerate(calls):
                with self.assertRaises(ValueError, msg="call %d" % i) as cm:
                    call()
                self.assertIn("NUL character", str(cm.exception))
            self.assertEqual((db.event_count, [c.key for c in db.customers()]), before)
            with self.assertRaises(ValueError):
                lss.Database("db\x00.lss")

    def test_integers_beyond_64_bits_raise_overflow_error(self):
        with lss.Database() as db:
            team(db)
            n = db.event_count
            calls = [
                lambda: db.open_deal("2025-01-07", "d-1", "c-17", "m-anna", 10, expected_close=2 ** 64 + 5),
                lambda: db.add_customer(2 ** 64, "c-18", "N"),
                lambda: db.log_activity("2025-01-07", "c-17", "m-anna", "call", "phone", duration=2 ** 63),
                lambda: db.apply({"type": "customer.add", "at": -2 ** 63 - 1, "key": "c-19", "name": "N"}),
                lambda: db.customer("c-17").state_at(2 ** 64),
                lambda: db.quota_attainment("2025-01-01", 2 ** 64, member="m-anna"),
                lambda: db.report(start=2 ** 70),
                lambda: db.open_deal("2025-01-07", "d-2", "c-17", "m-anna", 2 ** 70),  # money: LSS_OVERFLOW
            ]
            for i, call in enumerate(calls):
                with self.assertRaises(OverflowError, msg="call %d" % i):
                    call()
            self.assertEqual(db.event_count, n)
        with lss.Database() as db:
            # 2**32 + 5 customers would wrap to 5 in the C struct
            with self.assertRaises(OverflowError) as cm:
                db.generate(customers=2 ** 32 + 5)
            self.assertIn("customers", str(cm.exception))
            self.assertEqual(db.event_count, 0)

    def test_generate_in_time_order_gives_the_same_company(self):
        with lss.Database() as a, lss.Database() as b:
            a.generate(customers=300, seed=9)
            b.generate(customers=300, seed=9, order="time")
            self.assertEqual(a.event_count, b.event_count)
            self.assertEqual(a.report(), b.report())
            with self.assertRaises(lss.InvalidError) as cm:
                b.generate(order="random")
            self.assertIn("expected customer or time", str(cm.exception))


class Lifetime(unittest.TestCase):
    def test_handles_die_with_their_database(self):
        db = lss.Database()
        team(db)
        c = db.customer("c-17")
        db.close()
        with self.assertRaises(lss.MisuseError):
            c.name
        db.close()  # twice is fine

    def test_no_leak_across_a_million_calls(self):
        with lss.Database() as db:
            team(db)
            d = db.open_deal("2025-01-06", "d-1", "c-17", "m-anna", 100)
            lib = db._lib
            h = d._handle()
            for _ in range(10000):
                lib.lss_deal_stage(h)
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            for _ in range(500000):  # two C calls each: a million
                lib.lss_deal_stage(h)
                lib.lss_deal_amount(h)
            for _ in range(2000):  # and reports, which allocate and free in C
                db.report()
            after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            self.assertLess(after - before, 4096)  # KiB: no growth with the number of calls

    def test_library_not_found_names_the_places_tried(self):
        with self.assertRaises(OSError) as e:
            lss.load_library("/nonexistent/libsalesservice.so")
        self.assertIn("/nonexistent/libsalesservice.so", str(e.exception))


if __name__ == "__main__":
    unittest.main()


class PackageSurface(unittest.TestCase):
    """The package as #21 asks for it: enums from the library, every accessor, docs and hints, series."""

    def test_version_is_the_libraries(self):
        self.assertEqual(lss.__version__, lss.version())

    def test_database_id(self):
        with tempfile.TemporaryDirectory() as d:
            with lss.Database(os.path.join(d, "a.lss")) as a:
                self.assertRegex(a.id, "^[0-9a-f]{32}$")
                self.assertFalse(a.is_follower)
                first = a.id
            with lss.Database(os.path.join(d, "a.lss"), read_only=True) as a:
                self.assertEqual(a.id, first)

    def test_enums_come_from_the_library(self):
        lib = lss.load_library()
        self.assertEqual([m.value for m in lss.Stage], [lib.lss_stage_name(i).decode() for i in range(6)])
        self.assertIsNone(lib.lss_stage_name(6))
        self.assertEqual(lss.Stage.WON, "won")
        self.assertEqual(lss.Stage.WON.code, 4)
        self.assertEqual(str(lss.Channel.IN_PERSON), "in_person")
        self.assertEqual("%s/%s" % (lss.Priority.URGENT, lss.Step.MONTH), "urgent/month")
        self.assertTrue(issubclass(lss.TicketState, lss.LssEnum))
        self.assertIn("Weekday", dir(lss))
        with self.assertRaises(AttributeError):
            lss.NoSuchEnum  # noqa: B018
        with lss.Database() as db:
            team(db)
            d = db.open_deal("2025-01-06", "d-1", "c-17", "m-anna", 100)
            d.advance("2025-01-07", lss.Stage.QUALIFIED)   # a member where a spelling goes
            self.assertIs(d.stage, lss.Stage.QUALIFIED)
            self.assertIs(db.member("m-anna").role, lss.Role.SALES)
            self.assertIs(db.pipeline, lss.PipelineMode.STRICT)
            self.assertIs(db.customer("c-17").state_at("2025-02-01"), lss.CustomerState.PROSPECT)

    def test_every_accessor(self):
        utc = datetime.timezone.utc
        with lss.Database() as db:
            team(db)
            db.add_customer("2025-01-07", "c-18", "Lindqvist AB", source="referral", referred_by="c-17")
            d = db.open_deal("2025-01-06", "d-1", "c-17", "m-anna", 100, expected_close="2025-03-01")
            d.advance("2025-01-08", "qualified")
            d.advance("2025-01-09", "presented")
            d.lose("2025-01-10", "price")
            self.assertEqual(d.expected_close, datetime.datetime(2025, 3, 1, tzinfo=utc))
            self.assertEqual(d.last_at, datetime.datetime(2025, 1, 10, tzinfo=utc))
            self.assertIs(d.lost_from, lss.Stage.PRESENTED)
            self.assertIs(d.furthest_stage, lss.Stage.PRESENTED)
            self.assertIsNone(db.open_deal("2025-01-11", "d-2", "c-17", "m-anna", 5).lost_from)
            t = db.open_ticket("2025-02-03T08:00:00Z", "t-1", "c-17", "installation", "phone", "high", deal="d-2")
            t.contact("2025-02-03T08:30:00Z", "m-ben", 60)
            t.contact("2025-02-03T09:00:00Z", "m-ben", 60, channel="email")
            t.resolve("2025-02-03T10:00:00Z")
            t.reopen("2025-02-04")
            t.resolve("2025-02-05")
            t.rate("2025-02-06", 4)
            self.assertIs(t.priority, lss.Priority.HIGH)
            self.assertIs(t.kind, lss.TicketKind.INSTALLATION)
            self.assertIs(t.channel, lss.Channel.PHONE)
            self.assertEqual(t.deal, db.deal("d-2"))
            self.assertEqual(t.first_response_at, datetime.datetime(2025, 2, 3, 8, 30, tzinfo=utc))
            self.assertEqual(t.first_resolution_at, datetime.datetime(2025, 2, 3, 10, tzinfo=utc))
            self.assertEqual((t.contact_count, t.reopen_count, t.score), (2, 1, 4))
            self.assertEqual(t.rated_at, datetime.datetime(2025, 2, 6, tzinfo=utc))
            self.assertEqual(t.last_at, datetime.datetime(2025, 2, 6, tzinfo=utc))
            db.log_activity("2025-01-20", "c-17", "m-anna", "demo", "in_person", duration=3600, deal="d-2")
            c, c2 = db.customer("c-17"), db.customer("c-18")
            self.assertIs(c2.source, lss.Source.REFERRAL)
            self.assertEqual(c2.referred_by, c)
            self.assertIsNone(c.referred_by)
            self.assertIsNone(c.churned_at)
            c.churn("2025-03-01")
            self.assertEqual(c.churned_at, datetime.datetime(2025, 3, 1, tzinfo=utc))
            self.assertEqual(c.deals, [db.deal("d-1"), db.deal("d-2")])
            self.assertEqual(c.tickets, [t])
            self.assertEqual(c2.deals, [])
            tl = c.timeline
            self.assertEqual([type(e).__name__ for _, e in tl], ["Deal", "Deal", "Activity", "Ticket"])
            self.assertEqual([at for at, _ in tl], sorted(at for at, _ in tl))
            acts = list(db.activities())
            self.assertEqual(len(acts), 1)
            a = acts[0]
            self.assertEqual((a.kind, a.channel, a.duration, a.customer, a.member, a.deal, a.id),
                             (lss.ActivityKind.DEMO, lss.Channel.IN_PERSON, 3600, c, db.member("m-anna"),
                              db.deal("d-2"), 0))
            self.assertEqual(tl[2][1], a)
            self.assertIs(c.changes[-1]["kind"], lss.CustomerChangeKind.CHURNED)

    def test_every_public_name_is_documented_and_typed(self):
        import inspect
        missing_doc, missing_hint = [], []

        def check(qual, fn):
            sig = inspect.signature(fn)
            for n, p in sig.parameters.items():
                if n not in ("self", "cls") and p.annotation is inspect.Parameter.empty and \
                        p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                    missing_hint.append("%s(%s)" % (qual, n))
            if sig.return_annotation is inspect.Signature.empty:
                missing_hint.append(qual + " ->")
        for name in lss.__all__:
            obj = getattr(lss, name)
            if name in ("Time", "Money"):
                continue  # type aliases, documented by #: comments and docs/python.md
            if not (obj.__doc__ or "").strip():
                missing_doc.append(name)
            if inspect.isfunction(obj):
                check(name, obj)
            if inspect.isclass(obj) and not issubclass(obj, (BaseException, lss.LssEnum)):
                for k, v in vars(obj).items():
                    if k.startswith("_") and k != "__init__":
                        continue
                    if isinstance(v, property):
                        if not (v.__doc__ or "").strip():
                            missing_doc.append(name + "." + k)
                    elif inspect.isfunction(v):
                        if k != "__init__" and not (v.__doc__ or "").strip():
                            missing_doc.append(name + "." + k)
                        check(name + "." + k, v)
        self.assertEqual(missing_doc, [])
        self.assertEqual(missing_hint, [])
        here = os.path.dirname(lss.__file__)
        self.assertTrue(os.path.exists(os.path.join(here, "py.typed")))

    def test_series_equals_a_report_per_step(self):
        with lss.Database() as db:
            db.generate(customers=400, seed=2)
            names = ["won", "sales.revenue", "csat_percent", "service.first_response_seconds.median", "nps",
                     "sales.funnel.1.reached", "tasks_due"]
            rows = db.series(names, "2025-01-01", "2025-07-01", step=lss.Step.MONTH, team="North")
            self.assertEqual(len(rows), 6)
            for row in rows:
                r = db.report(start=row["from"], end=row["to"], team="North")
                self.assertEqual(row["from"], r["window"]["from"])
                self.assertEqual(row["won"], r["sales"]["won"])
                self.assertEqual(row["sales.revenue"], r["sales"]["revenue"])
                self.assertEqual(row["csat_percent"], r["service"]["csat_percent"])
                self.assertEqual(row["service.first_response_seconds.median"],
                                 r["service"]["first_response_seconds"]["median"])
                self.assertEqual(row["nps"], r["relationship"]["nps"])
                self.assertEqual(row["sales.funnel.1.reached"], r["sales"]["funnel"][1]["reached"])
                self.assertEqual(row["tasks_due"], r["follow_up"]["tasks_due"])
            self.assertGreater(sum(row["won"] for row in rows), 0)
            with self.assertRaises(lss.InvalidError) as e:
                db.series(["no_such_metric"], "2025-01-01", "2025-02-01")
            self.assertIn("'no_such_metric' is not a metric", str(e.exception))
            with self.assertRaises(lss.InvalidError) as e:
                db.series(["won"], "2025-01-01", "2025-02-01", step="fortnight")
            self.assertIn('"fortnight" is not a step', str(e.exception))

    def test_to_pandas(self):
        try:
            import pandas  # noqa: F401
        except ImportError:
            self.skipTest("pandas is not installed for this interpreter (tests/check_python_package.sh "
                          "runs this with Debian's python3-pandas)")
        with lss.Database() as db:
            db.generate(customers=200, seed=2)
            frame = lss.to_pandas(db.series(["won", "sales.revenue", "win_rate"], "2025-01-01", "2025-04-01"))
            self.assertEqual(list(frame.columns), ["from", "to", "as_of", "won", "sales.revenue", "win_rate"])
            self.assertEqual(str(frame["sales.revenue"].dtype), "float64")
            self.assertEqual(str(frame["won"].dtype), "int64")
            self.assertTrue(str(frame["from"].dtype).startswith("datetime64"))
            deals = lss.to_pandas(db.deals(limit=5))
            self.assertEqual(str(deals["amount"].dtype), "float64")
            self.assertEqual(set(deals["stage"]) <= {m.value for m in lss.Stage}, True)

    def test_as_of_accessors(self):
        utc = datetime.timezone.utc
        with lss.Database() as db:
            team(db)
            c = db.customer("c-17")
            c.update("2025-03-01", segment="enterprise")
            self.assertEqual(c.segment_at("2025-02-01"), "smb")
            self.assertEqual(c.segment_at("2025-03-02"), "enterprise")
            d = db.open_deal("2025-01-06", "d-1", "c-17", "m-anna", 100, expected_close="2025-04-01")
            d.advance("2025-01-08", "qualified")
            d.set_forecast("2025-01-09", "commit")
            self.assertTrue(d.is_open)
            self.assertEqual(d.stage_entered("qualified"), datetime.datetime(2025, 1, 8, tzinfo=utc))
            self.assertIsNone(d.stage_entered(lss.Stage.NEGOTIATED))
            f = d.forecast_at("2025-01-08T12:00:00Z")
            self.assertIs(f["category"], lss.ForecastCategory.PIPELINE)
            self.assertEqual(f["expected_close"], datetime.datetime(2025, 4, 1, tzinfo=utc))
            self.assertEqual(f["probability"], db.stage_probability_at("qualified", "2025-01-08T12:00:00Z"))
            self.assertIs(d.forecast_at("2025-01-10")["category"], lss.ForecastCategory.COMMIT)
            with self.assertRaises(lss.InvalidError):
                db.stage_probability_at("won", "2025-01-08")
            db.set_sla("2025-01-01", "high", 3600, 86400)
            self.assertEqual(db.sla_targets_at("high", "2025-01-02"), (3600, 86400))
            t = db.open_ticket("2025-02-03T08:00:00Z", "t-1", "c-17", "incident", "email", "normal")
            t.set_priority("2025-02-03T09:00:00Z", "high")
            self.assertIs(t.priority_at("2025-02-03T08:30:00Z"), lss.Priority.NORMAL)
            self.assertIs(t.priority_at("2025-02-03T09:30:00Z"), lss.Priority.HIGH)
            self.assertEqual(t.sla_clock("2025-02-03T08:30:00Z"), 1800)
            k = db.add_task("2025-02-01", "k-1", "c-17", "m-anna", "call", "2025-02-05")
            k.reschedule("2025-02-02", "2025-02-07")
            self.assertEqual(k.at("2025-02-01T12:00:00Z")["due"], datetime.datetime(2025, 2, 5, tzinfo=utc))
            self.assertEqual(k.at("2025-02-03")["due"], datetime.datetime(2025, 2, 7, tzinfo=utc))
            self.assertIs(k.at("2025-02-03")["state"], lss.TaskState.OPEN)
            self.assertEqual(k.at("2025-02-03")["member"], db.member("m-anna"))
            self.assertEqual((k.added_at, k.last_at), (datetime.datetime(2025, 2, 1, tzinfo=utc),
                                                       datetime.datetime(2025, 2, 2, tzinfo=utc)))
            self.assertEqual((d.id, t.id, k.id, c.id, db.member("m-ben").id), (0, 0, 0, 0, 1))
            self.assertEqual(db.member("m-anna").added_at, datetime.datetime(2025, 1, 1, tzinfo=utc))
