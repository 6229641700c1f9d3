#!/usr/bin/env python3
"""Crash and restart test of `credflow serve` (see tests/crash/README.md).

Client threads file food-business-permit commitments and send events on
their verification cases, every POST with an Idempotency-Key, while this
script SIGKILLs the server at random moments and restarts it (each restart
a few days later on the manual clock, so that verification timers come due
while it is down) and, on PostgreSQL, restarts the database with an
immediate shutdown while the server keeps running. Each request that is
answered with success is *acknowledged*; one whose answer was lost (the
connection broke after the request went out) or that was answered 503 is
*in doubt* and is sent again, same key, same body, until it is answered.
Afterwards the store is read back (as an auditor, over the API) and checked:

  lost        an acknowledged filing or event missing from the store
  duplicated  a filing stored twice, an event applied twice, a timer fired
              twice, a child's outcome delivered twice
  phantom     a case or event in the store that no request sent
  unfired     a verification past its window without its overdue event, a
              concluded verification whose outcome never reached its
              commitment, a timer still due at the end

and `credflow audit verify` must pass on the whole store (every hash chain,
every projection). On PostgreSQL the server must survive every database
restart (503 while it is down, never a crash) and be ready again by itself.

Python 3 standard library only. Exit 0 when every check passed.
"""

import argparse
import datetime
import http.client
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

# ---- Test data ---------------------------------------------------------------

_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
SUBJECT_NAME = "苏州禾丰餐饮管理有限公司"


def credit_code(n):
    """A valid GB 32100-2015 unified social credit code: an enterprise in
    Suzhou (91 320500) with organisation code n in the code alphabet."""
    organisation = ""
    for _ in range(9):
        organisation = _CODE_ALPHABET[n % 31] + organisation
        n //= 31
    first17 = "91320500" + organisation
    total = sum(_CODE_ALPHABET.index(c) * w for c, w in zip(first17, _CODE_WEIGHTS))
    return first17 + _CODE_ALPHABET[(31 - total % 31) % 31]


assert credit_code(0)[:8] == "91320500"

PREMISES_PREFIX = "苏州市姑苏区人民路"


def filing_body(code, number, date):
    return {
        "subject": {"code": code, "name": SUBJECT_NAME},
        "type": "food_business_permit",
        "form": {
            "applicant_name": SUBJECT_NAME,
            "legal_representative": "周建华",
            # The filing's number makes every filing's body unique, so that
            # a stored commitment names the request that made it.
            "premises_address": "%s%d号" % (PREMISES_PREFIX, number),
            "business_items": ["prepackaged_food_sales"],
            "signed_on": date,
        },
    }


STARTED = {"event": "VerificationStarted", "data": {}}
REPORTED = {"event": "VerificationReported", "data": {"form": {"result": "conforming"}}}

# ---- The server --------------------------------------------------------------


class Failure(Exception):
    pass


def log(*parts):
    print("crash:", *parts, flush=True)


def http_get(port, path, token=None, timeout=5.0):
    """(status, parsed JSON or text) of GET path; raises OSError and
    http.client.HTTPException when there is no answer."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Authorization": "Bearer " + token} if token else {}
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        try:
            return resp.status, json.loads(data)
        except ValueError:
            return resp.status, data.decode("utf-8", "replace")
    finally:
        conn.close()


class Serve:
    """One `credflow serve` at a time on a port it picks; port is None while
    none is listening."""

    def __init__(self, binary, database, work):
        self.binary = binary
        self.database = database
        self.work = work
        self.proc = None
        self.port = None
        self.starts = 0
        self.log_path = os.path.join(work, "serve.log")

    def start(self, date, deadline_s=30.0):
        port_file = os.path.join(self.work, "port")
        if os.path.exists(port_file):
            os.unlink(port_file)
        self.starts += 1
        with open(self.log_path, "ab") as out:
            out.write(("\n==== start %d on %s\n" % (self.starts, date)).encode())
            out.flush()
            self.proc = subprocess.Popen(
                [self.binary, "--database", self.database, "--clock-date", date, "serve",
                 "--listen", "127.0.0.1:0", "--port-file", port_file, "--scheduler-interval", "1",
                 "--auth-cache-seconds", "60", "--grace", "5"],
                stdout=out, stderr=subprocess.STDOUT)
        end = time.monotonic() + deadline_s
        port = None
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise Failure("credflow serve exited with %s at start-up (log: %s)" %
                              (self.proc.returncode, self.log_path))
            if port is None and os.path.exists(port_file):
                with open(port_file) as f:
                    text = f.read().strip()
                if text:
                    port = int(text)
            if port is not None:
                try:
                    status, _ = http_get(port, "/healthz", timeout=1.0)
                    if status == 200:
                        self.port = port
                        return
                except (OSError, http.client.HTTPException):
                    pass
            time.sleep(0.005)
        raise Failure("credflow serve did not answer /healthz within %.0f s" % deadline_s)

    def kill9(self):
        self.port = None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def terminate(self):
        if not self.alive():
            return self.proc.returncode if self.proc else 0
        self.port = None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return -1


# ---- A private PostgreSQL ----------------------------------------------------


class PrivatePostgres:
    """A throwaway cluster started by tests/support/pg_server.sh in its own
    folder, so that restarting it disturbs no other test."""

    def __init__(self, script, folder, first_port):
        self.script = script
        self.folder = folder
        self.data = os.path.join(folder, "data")
        env = dict(os.environ)
        env.pop("CREDFLOW_TEST_PG", None)  # an outside server cannot be restarted
        # Ports the other tests' servers do not use: while this one is
        # down, nothing else may take its port.
        env["CREDFLOW_PG_PORTS"] = "%d 54479" % first_port
        self.env = env
        self.bin = self._bin_dir()

    def _bin_dir(self):
        try:
            out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
            if os.access(os.path.join(out, "pg_ctl"), os.X_OK):
                return out
        except (OSError, subprocess.CalledProcessError):
            pass
        base = "/usr/lib/postgresql"
        versions = sorted((d for d in os.listdir(base) if d.isdigit()), key=int) if os.path.isdir(base) else []
        if not versions:
            raise Failure("no PostgreSQL server binaries (pg_ctl) found")
        return os.path.join(base, versions[-1], "bin")

    def _as_pg(self, argv):
        return (["runuser", "-u", "postgres", "--"] + argv) if os.getuid() == 0 else argv

    def start(self):
        subprocess.run(["bash", self.script, "start", self.folder], check=True, env=self.env)
        with open(os.path.join(self.folder, "port")) as f:
            self.port = int(f.read().strip())
        with open(os.path.join(self.folder, "socket_dir")) as f:
            self.socket_dir = f.read().strip()

    def url(self):
        return "postgresql://postgres@127.0.0.1:%d/postgres" % self.port

    def stop_immediate(self):
        subprocess.run(self._as_pg([os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-m", "immediate", "-w",
                                    "stop"]), check=True, stdout=subprocess.DEVNULL)

    def start_again(self):
        # The options pg_server.sh started it with (postmaster.opts keeps
        # them, but an explicit -o does not depend on that file).
        options = ("-c listen_addresses=127.0.0.1 -c port=%d -c unix_socket_directories=%s -c fsync=on "
                   "-c max_connections=200" % (self.port, self.socket_dir))
        subprocess.run(self._as_pg([os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-l",
                                    os.path.join(self.folder, "server.log"), "-w", "-t", "60", "-o", options,
                                    "start"]), check=True, stdout=subprocess.DEVNULL)

    def remove(self):
        subprocess.run(["bash", self.script, "stop", self.folder], env=self.env)


# ---- Load --------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.acknowledged = 0  # transitions answered 200/201 (filings + events)
        self.in_doubt = 0  # requests whose answer was lost at least once
        self.unavailable = 0  # 503 answers (each was retried)
        self.replayed = 0  # answers with Idempotent-Replayed: true
        self.refused_connections = 0  # not sent: nothing listened

    def add(self, name, n=1):
        with self.lock:
            setattr(self, name, getattr(self, name) + n)


class Op:
    """One POST the client means to have applied once."""

    def __init__(self, kind, path, body, key):
        self.kind = kind
        self.path = path
        self.body = body
        self.key = key
        self.in_doubt = False  # the answer to a copy of it was lost
        self.answer = None  # the JSON of the success answer, once acknowledged


class Client(threading.Thread):
    """Runs lifecycles until told to stop: file a commitment, then perhaps
    start its verification, then perhaps report it (some are left open so
    their timers come due)."""

    def __init__(self, harness, index, seed):
        super().__init__(name="client-%d" % index, daemon=True)
        self.h = harness
        self.index = index
        self.rng = random.Random(seed)
        self.ops = []
        self.error = None

    def run(self):
        try:
            while not self.h.stop_load.is_set():
                self.lifecycle()
        except Failure as e:
            self.error = str(e)
            self.h.stop_load.set()
        except Exception as e:  # a bug in this script: fail loudly
            self.error = "%s: %r" % (type(e).__name__, e)
            self.h.stop_load.set()

    def lifecycle(self):
        h = self.h
        number = h.next_number()
        code = h.codes[(self.index * 3 + number) % len(h.codes)]
        filing = self.send(Op("file", "/v1/commitments", filing_body(code, number, h.date), h.key("file", number)),
                           201)
        if filing is None:
            return
        children = [c["id"] for c in filing.answer.get("opened", []) if c.get("workflow") == "verification"]
        if len(children) != 1:
            raise Failure("filing %d opened %r, not one verification case" % (number, filing.answer.get("opened")))
        child = children[0]
        roll = self.rng.random()
        if roll < 0.25 or h.stop_load.is_set():
            return  # left Scheduled: its window passes later
        path = "/v1/cases/%s/events" % child
        if self.send(Op("event", path, STARTED, h.key("start", number)), 200) is None:
            return
        if roll < 0.5 or h.stop_load.is_set():
            return  # left InProgress
        self.send(Op("event", path, REPORTED, h.key("report", number)), 200)

    def send(self, op, expected):
        """Sends op until it is answered (anything but 503 or no answer).
        Returns op when answered `expected`; None when the run ends first
        (op then stays in doubt if a copy of it may have arrived)."""
        h = self.h
        self.ops.append(op)
        body = json.dumps(op.body, ensure_ascii=False).encode("utf-8")
        headers = {"Authorization": "Bearer " + h.token, "Content-Type": "application/json",
                   "Idempotency-Key": op.key}
        pause = 0.01
        while True:
            if h.abandon.is_set():
                return None
            port = h.serve.port
            if port is None:
                time.sleep(0.01)
                continue
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            sent = False
            try:
                conn.connect()
                sent = True  # from here on, the request may have arrived
                conn.request("POST", op.path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                status = resp.status
                replayed = resp.getheader("Idempotent-Replayed") == "true"
            except (OSError, http.client.HTTPException):
                if sent:
                    if not op.in_doubt:
                        h.stats.add("in_doubt")
                    op.in_doubt = True
                else:
                    h.stats.add("refused_connections")
                time.sleep(pause)
                pause = min(pause * 2, 0.2)
                continue
            finally:
                conn.close()
            if status == 503:
                # The store is unavailable: nothing was applied, or (a commit
                # whose answer the server lost) it was; the key decides.
                op.in_doubt = True
                h.stats.add("unavailable")
                time.sleep(pause)
                pause = min(pause * 2, 0.2)
                continue
            try:
                answer = json.loads(data)
            except ValueError:
                answer = data.decode("utf-8", "replace")
            if status != expected:
                raise Failure("%s %s (key %s, %s) answered %d: %s" %
                              (op.kind, op.path, op.key, "in doubt before" if op.in_doubt else "first try", status,
                               answer))
            if replayed:
                h.stats.add("replayed")
            op.answer = answer
            h.stats.add("acknowledged")
            return op


# ---- The run -----------------------------------------------------------------


class Harness:
    def __init__(self, args):
        self.args = args
        self.seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 32)
        self.rng = random.Random(self.seed)
        self.run_id = "%08x" % self.rng.randrange(1 << 32)
        self.stats = Stats()
        self.stop_load = threading.Event()
        self.abandon = threading.Event()
        self.lock = threading.Lock()
        self.number = 0
        self.codes = [credit_code(100000 + i) for i in range(args.clients * 3)]
        self.date_value = datetime.date.fromisoformat(args.start_date)
        self.restart_seconds = []
        self.reconnect_seconds = []
        self.kills = 0
        self.pg_restarts = 0
        self.timers_fired = 0
        self.timers_fired_under_load = 0  # before the last restart

    @property
    def date(self):
        return self.date_value.isoformat()

    def key(self, what, number):
        return "crash-%s-%s-%d" % (self.run_id, what, number)

    def next_number(self):
        with self.lock:
            self.number += 1
            return self.number

    # -- set-up

    def cli(self, *argv, check=True):
        cmd = [self.args.credflow, "--database", self.database, "--clock-date", self.date] + list(argv)
        done = subprocess.run(cmd, capture_output=True, text=True)
        if check and done.returncode != 0:
            raise Failure("%s: exit %d\n%s%s" % (" ".join(argv), done.returncode, done.stdout, done.stderr))
        return done

    def add_user(self, name, role):
        token = "cf_crash_%s_%032x" % (name, random.SystemRandom().getrandbits(128))
        path = os.path.join(self.work, name + ".token")
        with open(path, "w") as f:
            f.write(token + "\n")
        self.cli("user", "add", name, "--role", role, "--token-file", path)
        return token

    # -- faults

    def kill_and_restart(self):
        t0 = time.monotonic()
        self.serve.kill9()
        self.kills += 1
        self.date_value += datetime.timedelta(days=self.args.days_per_restart)
        self.serve.start(self.date)
        self.restart_seconds.append(time.monotonic() - t0)

    def restart_postgres(self):
        pid = self.serve.proc.pid
        self.pg.stop_immediate()
        self.pg_restarts += 1
        down_until = time.monotonic() + self.rng.uniform(*self.args.pg_down)
        saw_503 = False
        while time.monotonic() < down_until:
            if not self.serve.alive():
                raise Failure("credflow serve exited (%s) while PostgreSQL was down" % self.serve.proc.returncode)
            try:
                status, body = http_get(self.serve.port, "/readyz", timeout=5.0)
            except (OSError, http.client.HTTPException) as e:
                raise Failure("credflow serve did not answer /readyz while PostgreSQL was down: %r" % e)
            if status == 503:
                saw_503 = True
            elif status != 200:  # 200: asked before the server noticed
                raise Failure("/readyz answered %d while PostgreSQL was down: %s" % (status, body))
            time.sleep(0.05)
        if not saw_503:
            raise Failure("/readyz never answered 503 while PostgreSQL was down")
        self.pg.start_again()
        t0 = time.monotonic()
        while True:
            if not self.serve.alive() or self.serve.proc.pid != pid:
                raise Failure("credflow serve exited (%s) after PostgreSQL came back" % self.serve.proc.returncode)
            try:
                status, _ = http_get(self.serve.port, "/readyz", timeout=5.0)
            except (OSError, http.client.HTTPException) as e:
                raise Failure("credflow serve did not answer /readyz after PostgreSQL came back: %r" % e)
            if status == 200:
                break
            if time.monotonic() - t0 > 30:
                raise Failure("credflow serve was not ready 30 s after PostgreSQL came back")
            time.sleep(0.02)
        self.reconnect_seconds.append(time.monotonic() - t0)

    def wait_for_progress(self, before, at_least):
        """Lets the clients get `at_least` more acknowledgements (load runs
        between faults); fails after 60 s without them."""
        end = time.monotonic() + 60
        while self.stats.acknowledged < before + at_least:
            if self.stop_load.is_set():
                return
            if time.monotonic() > end:
                raise Failure("no progress: %d acknowledgement(s) in 60 s" % (self.stats.acknowledged - before))
            time.sleep(0.01)

    # -- the run

    def run(self):
        a = self.args
        log("seed %d (run again with --seed %d), store %s, %d client(s), %d SIGKILL(s), %d PostgreSQL restart(s)" %
            (self.seed, self.seed, a.store, a.clients, a.kills, a.pg_restarts if a.store == "postgresql" else 0))
        self.work = tempfile.mkdtemp(prefix="credflow-crash-", dir=a.work_dir)
        os.chmod(self.work, 0o755)  # the postgres user makes its cluster inside
        self.pg = None
        ok = False
        try:
            if a.store == "postgresql":
                self.pg = PrivatePostgres(a.pg_server_script, os.path.join(self.work, "pg"),
                                          self.rng.randint(54400, 54450))
                self.pg.start()
                self.database = self.pg.url()
            else:
                self.database = "sqlite:" + os.path.join(self.work, "crash.db")
            self.cli("migrate")
            self.token = self.add_user("crash", "caseworker")
            self.auditor = self.add_user("audit", "auditor")
            self.serve = Serve(a.credflow, self.database, self.work)
            self.serve.start(self.date)
            faults = ["kill"] * a.kills + (["pg"] * a.pg_restarts if a.store == "postgresql" else [])
            self.rng.shuffle(faults)
            clients = [Client(self, i, self.rng.randrange(1 << 32)) for i in range(a.clients)]
            for c in clients:
                c.start()
            for fault in faults:
                # Load for a random while, and at least a few answers, then
                # the fault at a random moment within the load.
                before = self.stats.acknowledged
                self.wait_for_progress(before, self.rng.randint(1, a.clients * 4))
                if self.rng.random() < 0.3:
                    # Soon after the last restart, while its scheduler fires
                    # the timers that came due while the server was down.
                    time.sleep(self.rng.uniform(0, 0.3))
                else:
                    time.sleep(self.rng.uniform(*a.load_seconds))
                if self.stop_load.is_set():
                    break
                if fault == "kill":
                    self.kill_and_restart()
                else:
                    self.restart_postgres()
                log("%s done (%d acknowledged so far, store date %s)" % (
                    "SIGKILL" if fault == "kill" else "PostgreSQL restart", self.stats.acknowledged, self.date))
            self.wait_for_progress(self.stats.acknowledged, a.clients)
            self.stop_load.set()
            for c in clients:
                c.join(timeout=60)
            stuck = [c.name for c in clients if c.is_alive()]
            if stuck:
                self.abandon.set()
                raise Failure("client(s) %s did not finish within 60 s of the last fault" % ", ".join(stuck))
            errors = [c.error for c in clients if c.error]
            if errors:
                raise Failure("a client failed: " + errors[0])
            # The last restart moves the clock past every window still open:
            # each of those timers falls due while the server is down.
            self.serve.kill9()
            self.date_value += datetime.timedelta(days=a.final_days)
            t0 = time.monotonic()
            self.serve.start(self.date)
            self.restart_seconds.append(time.monotonic() - t0)
            self.wait_for_timers()
            problems = self.check(clients)
            code = self.serve.terminate()
            if code != 0:
                problems.append("credflow serve exited %d after SIGTERM" % code)
            verify = self.cli("audit", "verify", check=False)
            if verify.returncode != 0:
                problems.append("credflow audit verify: exit %d\n%s%s" % (verify.returncode, verify.stdout,
                                                                           verify.stderr[-2000:]))
            self.report(problems)
            ok = not problems
        except Failure as e:
            log("FAILED:", e)
            self.abandon.set()
            self.stop_load.set()
        finally:
            if getattr(self, "serve", None) is not None and self.serve.alive():
                self.serve.terminate()
            if not ok and os.path.exists(os.path.join(self.work, "serve.log")):
                with open(os.path.join(self.work, "serve.log"), "rb") as f:
                    tail = f.read()[-3000:].decode("utf-8", "replace")
                log("last lines of the server's log:\n" + tail)
            if self.pg is not None:
                self.pg.remove()
            if ok or not a.keep_on_failure:
                shutil.rmtree(self.work, ignore_errors=True)
            else:
                log("kept", self.work)
        return ok

    def wait_for_timers(self):
        """Until /metrics shows no timer due (the scheduler polls every
        second); fails after 60 s."""
        end = time.monotonic() + 60
        while True:
            status, text = http_get(self.serve.port, "/metrics")
            due = None
            if status == 200 and isinstance(text, str):
                for line in text.splitlines():
                    if line.startswith("credflow_timers_due"):
                        due = float(line.rsplit(" ", 1)[1])
            if due == 0:
                return
            if time.monotonic() > end:
                raise Failure("timers still due 60 s after the last restart (%s)" % due)
            time.sleep(0.2)

    # -- checks

    def get(self, path):
        for _ in range(5):
            try:
                status, body = http_get(self.serve.port, path, token=self.auditor, timeout=30)
            except (OSError, http.client.HTTPException):
                time.sleep(0.2)
                continue
            if status == 200:
                return body
            raise Failure("GET %s answered %d: %s" % (path, status, body))
        raise Failure("GET %s: no answer" % path)

    def list_cases(self, workflow):
        items, after = [], None
        while True:
            path = "/v1/cases?workflow=%s&limit=500" % workflow + ("&after=" + urllib.parse.quote(after, safe="") if after else "")
            page = self.get(path)
            items.extend(page["items"])
            after = page.get("next")
            if not after:
                return items

    def check(self, clients):
        problems = []
        lost, duplicated, phantom, unfired = [], [], [], []
        ops = [op for c in clients for op in c.ops]
        sent_numbers = {}  # filing number -> op, for each filing acknowledged or in doubt
        for op in ops:
            if op.kind == "file" and (op.answer is not None or op.in_doubt):
                sent_numbers[int(op.body["form"]["premises_address"][len(PREMISES_PREFIX):-1])] = op
        commitments = self.list_cases("commitment")
        verifications = {v["id"]: v for v in self.list_cases("verification")}
        histories = {}

        def history(case_id):
            if case_id not in histories:
                histories[case_id] = self.get("/v1/cases/%s/history" % case_id)["events"]
            return histories[case_id]

        # Every stored commitment was sent, once.
        stored_by_number = {}
        commitment_ids = set()
        for c in commitments:
            view = self.get("/v1/cases/%s" % c["id"])
            commitment_ids.add(c["id"])
            address = json.dumps(view.get("data"), ensure_ascii=False)
            start = address.find(PREMISES_PREFIX)
            number = None
            if start >= 0:
                end = address.find("号", start)
                digits = address[start + len(PREMISES_PREFIX):end]
                number = int(digits) if digits.isdigit() else None
            if number is None:
                number = self.number_from_history(history(c["id"]))
            if number is None or number not in sent_numbers:
                phantom.append("commitment %s (premises number %s) was never sent" % (c["id"], number))
                continue
            if number in stored_by_number:
                duplicated.append("filing %d stored twice: %s and %s" % (number, stored_by_number[number], c["id"]))
            stored_by_number[number] = c["id"]

        # Every acknowledged filing and event is stored, at the version and
        # state it was answered with.
        sent_events = {}  # (case, event) -> op
        for op in ops:
            if op.kind == "event" and (op.answer is not None or op.in_doubt):
                case_id = op.path.split("/")[3]
                sent_events[(case_id, op.body["event"])] = op
            if op.answer is None:
                continue
            case_id = op.answer["id"]
            number = None
            if op.kind == "file":
                number = int(op.body["form"]["premises_address"][len(PREMISES_PREFIX):-1])
                if stored_by_number.get(number) != case_id:
                    lost.append("filing %d acknowledged as %s, stored as %s" % (number, case_id,
                                                                                 stored_by_number.get(number)))
                    continue
            events = history(case_id)
            version = op.answer["version"]
            at = [e for e in events if e["seq"] == version]
            if not at or at[0]["to"] != op.answer["state"]:
                lost.append("%s %s acknowledged at version %d (%s); the history has %s" % (
                    op.kind, case_id, version, op.answer["state"],
                    "%s -> %s" % (at[0]["event"], at[0]["to"]) if at else "no such event"))
            elif op.kind == "event" and at[0]["event"] != op.body["event"]:
                lost.append("event %s on %s acknowledged at version %d; the history has %s there" % (
                    op.body["event"], case_id, version, at[0]["event"]))

        # Verification cases: one per stored commitment, each person's event
        # sent and applied at most once, each timer fired at most once and
        # exactly once when its window passed while the case was open.
        final_date = self.date
        for vid, v in verifications.items():
            if v.get("parent") not in commitment_ids:
                phantom.append("verification %s has no commitment this run filed (parent %s)" % (vid,
                                                                                                  v.get("parent")))
                continue
            events = history(vid)
            counts = {}
            for e in events:
                counts[e["event"]] = counts.get(e["event"], 0) + 1
            for name in ("VerificationStarted", "VerificationReported"):
                if counts.get(name, 0) > 1:
                    duplicated.append("%s applied %d times on %s" % (name, counts[name], vid))
                if counts.get(name, 0) == 1 and (vid, name) not in sent_events:
                    phantom.append("%s on %s was never sent" % (name, vid))
            overdue = counts.get("VerificationOverdue", 0)
            self.timers_fired += overdue
            self.timers_fired_under_load += sum(
                1 for e in events if e["event"] == "VerificationOverdue" and e["at"][:10] < final_date)
            if overdue > 1:
                duplicated.append("VerificationOverdue fired %d times on %s" % (overdue, vid))
            if v["state"] in ("Scheduled", "InProgress") and overdue == 0:
                # The last restart moved the clock past every window.
                view = self.get("/v1/cases/%s" % vid)
                unfired.append("verification %s (%s) is past its window on %s without VerificationOverdue "
                               "(deadlines %s)" % (vid, v["state"], final_date, view.get("deadlines")))
            if v["state"] in ("Conforming", "Nonconforming"):
                delivered = [e for e in history(v["parent"]) if e["event"] == "ChildReachedOutcome"]
                self.timers_fired += len(delivered)
                if len(delivered) != 1:
                    (duplicated if delivered else unfired).append(
                        "the outcome of %s reached commitment %s %d times" % (vid, v["parent"], len(delivered)))
        # Every commitment has its verification case.
        with_child = {v.get("parent") for v in verifications.values()}
        for cid in commitment_ids - with_child:
            lost.append("commitment %s has no verification case" % cid)

        self.counts = {"lost": len(lost), "duplicated": len(duplicated), "phantom": len(phantom),
                       "unfired": len(unfired), "commitments": len(commitments),
                       "verifications": len(verifications)}
        for name, items in (("LOST", lost), ("DUPLICATED", duplicated), ("PHANTOM", phantom), ("UNFIRED", unfired)):
            for item in items[:20]:
                problems.append("%s: %s" % (name, item))
            if len(items) > 20:
                problems.append("%s: ... and %d more" % (name, len(items) - 20))
        return problems

    @staticmethod
    def number_from_history(events):
        text = json.dumps([e.get("payload") for e in events], ensure_ascii=False)
        start = text.find(PREMISES_PREFIX)
        if start < 0:
            return None
        end = text.find("号", start)
        digits = text[start + len(PREMISES_PREFIX):end]
        return int(digits) if digits.isdigit() else None

    def report(self, problems):
        s = self.stats
        median = statistics.median(self.restart_seconds) if self.restart_seconds else 0
        log("store %s, seed %d: %d SIGKILL(s), %d PostgreSQL immediate restart(s)" % (
            self.args.store, self.seed, self.kills, self.pg_restarts))
        log("acknowledged %d transition(s); %d request(s) in doubt (answer lost), each sent again with its key "
            "until answered: %d answer(s) replayed (it had been applied), the rest applied then; %d answer(s) "
            "503 while the store was down; %d connection(s) refused while no server listened; %d commitment(s), "
            "%d verification(s)" % (s.acknowledged, s.in_doubt, s.replayed, s.unavailable, s.refused_connections,
                                    self.counts["commitments"], self.counts["verifications"]))
        log("timer events: %d (VerificationOverdue and delivered outcomes), %d VerificationOverdue before the "
            "last restart" % (self.timers_fired, self.timers_fired_under_load))
        log("restart after SIGKILL until /healthz: median %.3f s, max %.3f s" % (
            median, max(self.restart_seconds) if self.restart_seconds else 0))
        if self.reconnect_seconds:
            log("ready again after PostgreSQL came back: median %.3f s, max %.3f s" % (
                statistics.median(self.reconnect_seconds), max(self.reconnect_seconds)))
        log("lost %d, duplicated %d, phantom %d, unfired %d" % (
            self.counts["lost"], self.counts["duplicated"], self.counts["phantom"], self.counts["unfired"]))
        for p in problems:
            log(p)
        log("PASSED" if not problems else "FAILED")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--credflow", required=True, help="the credflow binary")
    p.add_argument("--store", choices=["postgresql", "sqlite"], required=True)
    p.add_argument("--pg-server-script", help="tests/support/pg_server.sh (for --store postgresql)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--short", action="store_true", help="CI: 3 SIGKILLs (+1 PostgreSQL restart)")
    mode.add_argument("--long", action="store_true", help="20 SIGKILLs (+10 PostgreSQL restarts)")
    p.add_argument("--kills", type=int, help="SIGKILLs (overrides the mode)")
    p.add_argument("--pg-restarts", type=int, help="PostgreSQL immediate restarts (overrides the mode)")
    p.add_argument("--clients", type=int, help="client threads (4 short, 6 long)")
    p.add_argument("--seed", type=int, help="seed of every random choice (printed when not given)")
    p.add_argument("--start-date", default="2025-03-03", help="the store's clock date at the start")
    p.add_argument("--days-per-restart", type=int, help="days the clock moves at each restart after SIGKILL")
    p.add_argument("--final-days", type=int, default=60,
                   help="days the clock moves at the last restart (past every verification window)")
    p.add_argument("--work-dir", help="where the scratch folder goes (default: the system's temporary folder)")
    p.add_argument("--keep-on-failure", action="store_true", help="keep the scratch folder when a check fails")
    args = p.parse_args()
    if args.long:
        kills, restarts, days, load, clients, pg_down = 20, 10, 3, (0.5, 4.0), 6, (0.3, 5.0)
    else:
        kills, restarts, days, load, clients, pg_down = 3, 1, 20, (0.2, 1.5), 4, (0.3, 2.0)
    args.clients = clients if args.clients is None else args.clients
    args.kills = kills if args.kills is None else args.kills
    args.pg_restarts = restarts if args.pg_restarts is None else args.pg_restarts
    args.days_per_restart = days if args.days_per_restart is None else args.days_per_restart
    args.load_seconds = load
    args.pg_down = pg_down
    if args.store == "postgresql" and not args.pg_server_script:
        p.error("--store postgresql needs --pg-server-script")
    if not os.access(args.credflow, os.X_OK):
        p.error("no credflow binary at %s" % args.credflow)
    return 0 if Harness(args).run() else 1


if __name__ == "__main__":
    sys.exit(main())
