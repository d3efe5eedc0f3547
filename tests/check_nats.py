#!/usr/bin/env python3
"""lss publish and lss replicate against real nats-server processes on
127.0.0.1, started here with their own store folders and free ports, and
stopped at the end.

1. One server: a generated company is written into the source database in
   chunks while `lss publish` follows it and `lss replicate` feeds a
   follower; both are killed with SIGKILL at random moments several times
   and started again. At the end the follower's export equals the
   source's, and the stream holds each event exactly once (its own
   account, asked over the NATS protocol by this script, not through lss).
2. A three-node JetStream cluster, the stream with three replicas: one
   node is killed with SIGKILL while the publisher runs; the publisher is
   started again until it has published everything; nothing acknowledged is
   lost, and a follower fed from the surviving nodes equals the source.

Usage: check_nats.py LSS WORKDIR"""
import base64
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time

LSS, WORK = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
NATS = shutil.which("nats-server") or "/usr/sbin/nats-server"
failures = []
servers = []
rng = random.Random(int(os.environ.get("SEED", "7")))


def fail(what):
    print("FAIL:", what)
    failures.append(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(name, port, store, cluster_port=None, routes=()):
    os.makedirs(store, exist_ok=True)
    cmd = [NATS, "-js", "-a", "127.0.0.1", "-p", str(port), "-sd", store, "-n", name]
    if cluster_port:
        cmd += ["--cluster_name", "lss", "--cluster", "nats://127.0.0.1:%d" % cluster_port,
                "--routes", ",".join("nats://127.0.0.1:%d" % r for r in routes)]
    proc = subprocess.Popen(cmd, stdout=open(os.path.join(WORK, name + ".log"), "w"), stderr=subprocess.STDOUT)
    servers.append(proc)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nats-server %s did not start" % name)


def js_request(port, subject, payload=b""):
    """One JetStream API request over the NATS text protocol; the reply as JSON."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        f = s.makefile("rb")
        f.readline()  # INFO
        s.sendall(b'CONNECT {"verbose":false,"pedantic":false}\r\nSUB _INBOX.check 1\r\n')
        s.sendall(b"PUB %s _INBOX.check %d\r\n%s\r\nPING\r\n" % (subject.encode(), len(payload), payload))
        while True:
            line = f.readline()
            if not line:
                raise RuntimeError("the server closed the connection")
            if line.startswith(b"MSG "):
                n = int(line.split()[-1])
                data = f.read(n)
                return json.loads(data)
            if line.startswith(b"PING"):
                s.sendall(b"PONG\r\n")


def stream_account(port, stream, subject):
    """What the stream holds: messages, first and last sequence, deleted, and the last message's seq."""
    info = js_request(port, "$JS.API.STREAM.INFO." + stream)
    state = info["state"]
    last = js_request(port, "$JS.API.STREAM.MSG.GET." + stream, json.dumps({"last_by_subj": subject}).encode())
    data = json.loads(base64.b64decode(last["message"]["data"])) if "message" in last else {}
    return state["messages"], state.get("first_seq"), state.get("last_seq"), state.get("num_deleted", 0), \
        data.get("seq")


def lss(*args, check=True):
    r = subprocess.run([LSS] + list(args), cwd=WORK, capture_output=True, text=True, timeout=300)
    if check and r.returncode != 0:
        raise RuntimeError("lss %s exited %d: %s" % (" ".join(args), r.returncode, r.stderr))
    return r


def db_id(path):
    out = lss("stats", path).stdout
    return next(line.split()[2] for line in out.splitlines() if line.startswith("database id"))


def chunks_of(jsonl, n):
    lines = open(jsonl).read().splitlines(keepends=True)
    size = (len(lines) + n - 1) // n
    paths = []
    for k in range(n):
        p = os.path.join(WORK, "chunk%02d.jsonl" % k)
        open(p, "w").writelines(lines[k * size:(k + 1) * size])
        paths.append(p)
    return paths, len(lines)


class Restarted:
    """A long-running lss process, killed with SIGKILL at random moments and started again."""

    def __init__(self, args):
        self.args, self.proc, self.kills = args, None, 0

    def start(self):
        self.proc = subprocess.Popen([LSS] + self.args, cwd=WORK, stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(WORK, "%s.err" % self.args[0]), "a"))

    def kill_and_restart(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.kills += 1
        self.proc.wait()
        self.start()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


def until_ok(*args, tries=60):
    """Run an lss command until it succeeds (a cluster electing a leader, a node just killed)."""
    for _ in range(tries):
        r = lss(*args, check=False)
        if r.returncode == 0:
            return r
        time.sleep(0.5)
    raise RuntimeError("lss %s kept failing: %s" % (" ".join(args), r.stderr))


def scenario_kill_publisher_and_replicator():
    port = free_port()
    start_server("single", port, os.path.join(WORK, "store-single"))
    url = "nats://127.0.0.1:%d" % port
    lss("generate", "--customers", "3000", "--order", "time", "-o", "company.jsonl")
    chunks, total = chunks_of(os.path.join(WORK, "company.jsonl"), 16)
    lss("import", "src.lss", chunks[0])
    ident = db_id("src.lss")
    pub = Restarted(["publish", "src.lss", "--server", url, "--stream", "ONE", "--interval", "20"])
    rep = Restarted(["replicate", "follower.lss", "--server", url, "--stream", "ONE", "--database-id", ident,
                     "--interval", "50"])
    pub.start()
    rep.start()
    for chunk in chunks[1:]:  # the source is written while both run, and both die now and then
        lss("import", "src.lss", chunk)
        time.sleep(rng.uniform(0.02, 0.15))
        if rng.random() < 0.45:
            pub.kill_and_restart()
        if rng.random() < 0.45:
            rep.kill_and_restart()
    time.sleep(rng.uniform(0.05, 0.2))
    pub.stop()
    rep.stop()
    print("publisher killed %d times, replicator %d times" % (pub.kills, rep.kills))
    if pub.kills < 3 or rep.kills < 3:
        fail("too few kills to mean anything (%d, %d)" % (pub.kills, rep.kills))
    until_ok("publish", "src.lss", "--server", url, "--stream", "ONE", "--once")
    until_ok("replicate", "follower.lss", "--server", url, "--stream", "ONE", "--database-id", ident, "--once")
    events = int(next(l.split()[1] for l in lss("stats", "src.lss").stdout.splitlines() if l.startswith("events")))
    a, b = lss("export", "src.lss").stdout, lss("export", "follower.lss").stdout
    if a != b:
        fail("the follower's export differs from the source's")
    for q in ([], ["--from", "2025-03-01", "--to", "2025-09-01", "--team", "North"]):
        if lss("report", "src.lss", "--format", "json", *q).stdout != \
                lss("report", "follower.lss", "--format", "json", *q).stdout:
            fail("the follower's report %s differs from the source's" % q)
    msgs, first, last, deleted, last_seq = stream_account(port, "ONE", "lss." + ident)
    print("source %d events; stream: %d messages, %s..%s, %d deleted, last event %s" %
          (events, msgs, first, last, deleted, last_seq))
    if (msgs, first, last, deleted, last_seq) != (events, 1, events, 0, events):
        fail("the stream does not hold each event exactly once")
    r = lss("import", "follower.lss", chunks[0], check=False)
    if r.returncode != 1 or "is a follower" not in r.stderr:
        fail("a follower accepted a write: %s" % r.stderr)
    # a restart with nothing new publishes nothing and applies nothing
    if "nothing to publish" not in lss("publish", "src.lss", "--server", url, "--stream", "ONE", "--once").stdout:
        fail("a publisher with nothing new published something")


def scenario_cluster_node_killed():
    ports = [free_port() for _ in range(3)]
    cports = [free_port() for _ in range(3)]
    nodes = []
    for k in range(3):
        nodes.append(start_server("node%d" % k, ports[k], os.path.join(WORK, "store-node%d" % k), cports[k],
                                  [cports[j] for j in range(3) if j != k]))
    urls = ",".join("nats://127.0.0.1:%d" % p for p in ports)
    lss("generate", "--customers", "2000", "--seed", "3", "-o", "cluster.jsonl")
    chunks, _ = chunks_of(os.path.join(WORK, "cluster.jsonl"), 8)
    lss("import", "csrc.lss", chunks[0])
    ident = db_id("csrc.lss")
    until_ok("publish", "csrc.lss", "--server", urls, "--stream", "THREE", "--replicas", "3", "--once")
    pub = Restarted(["publish", "csrc.lss", "--server", urls, "--stream", "THREE", "--replicas", "3",
                     "--interval", "20"])
    pub.start()
    victim = rng.randrange(3)
    for i, chunk in enumerate(chunks[1:]):
        lss("import", "csrc.lss", chunk)
        time.sleep(0.1)
        if i == 2:
            nodes[victim].send_signal(signal.SIGKILL)  # one node of three dies while the publisher runs
            nodes[victim].wait()
            print("killed node%d" % victim)
        if pub.proc.poll() is not None:  # a publisher that failed over badly is started again
            pub.start()
    time.sleep(0.3)
    pub.stop()
    alive = [ports[k] for k in range(3) if k != victim]
    alive_urls = ",".join("nats://127.0.0.1:%d" % p for p in alive)
    until_ok("publish", "csrc.lss", "--server", alive_urls, "--stream", "THREE", "--once")
    events = int(next(l.split()[1] for l in lss("stats", "csrc.lss").stdout.splitlines() if l.startswith("events")))
    msgs, first, last, deleted, last_seq = stream_account(alive[0], "THREE", "lss." + ident)
    print("cluster: source %d events; stream: %d messages, %s..%s, last event %s" % (events, msgs, first, last, last_seq))
    if (msgs, last_seq) != (events, events):
        fail("the cluster's stream lost or doubled events (%d messages for %d events)" % (msgs, events))
    until_ok("replicate", "cfollower.lss", "--server", alive_urls, "--stream", "THREE", "--database-id", ident,
             "--once")
    if lss("export", "csrc.lss").stdout != lss("export", "cfollower.lss").stdout:
        fail("the follower fed by the surviving nodes differs from the source")


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    if not os.path.exists(NATS):
        print("FAIL: nats-server is not installed (scripts/install-deps.sh installs Debian's nats-server)")
        return 1
    try:
        scenario_kill_publisher_and_replicator()
        scenario_cluster_node_killed()
    finally:
        for p in servers:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
