#!/usr/bin/env python3
"""
Load and checks for the reliability scripts (SPEC §8 R1, R2 and the PostgreSQL restart): people register through
the public API on several app nodes at once, a watcher reads each verification mail the nodes wrote as .eml and
confirms it (again on any node), and afterwards every promise is checked against the database and the API.

A request that gets no answer (node killed, database restarting) is retried on the next node, as a load balancer
would; only a 202 counts as acknowledged. Progress goes to <work>/progress so the calling script can kill or restart
things at a chosen point. Exit status 1 when any check fails.
"""
import argparse
import email
import email.policy
import http.client
import json
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from urllib.parse import urlparse

VERIFY_LINK = re.compile(r"/verify/([A-Za-z0-9_\-]+)")
local = threading.local()


class Nodes:
    def __init__(self, urls):
        self.addresses = [(u.hostname, u.port) for u in map(urlparse, urls)]
        self.server_errors = Counter()  # 5xx answers seen (an outage should answer 503, never 500)
        self.without_retry_after = 0     # 503s that did not say when to come back
        self.lock = threading.Lock()

    def call(self, index, method, path, body=None, key=None, timeout=30):
        """One request to one node over a kept-alive connection; (None, None) when the node gave no answer."""
        conns = getattr(local, "conns", None)
        if conns is None:
            conns = local.conns = {}
        host, port = self.addresses[index % len(self.addresses)]
        headers = {"Content-Type": "application/json", "User-Agent": "careerrelay-reliability/1"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        for _ in range(2):  # a kept-alive connection the server closed meanwhile gets one fresh try
            conn = conns.get(index % len(self.addresses))
            if conn is None:
                conn = conns[index % len(self.addresses)] = http.client.HTTPConnection(host, port, timeout=timeout)
            try:
                conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
                response = conn.getresponse()
                data = response.read()
                return response.status, (json.loads(data) if data and response.getheader("Content-Type", "").find("json") >= 0 else data)
            except (OSError, http.client.HTTPException, socket.timeout):
                conn.close()
                conns.pop(index % len(self.addresses), None)
        return None, None

    def until_answered(self, start, method, path, body=None, key=None, give_up_after=180):
        """Tries node after node until one answers with something other than a 5xx (or time runs out)."""
        deadline = time.monotonic() + give_up_after
        attempt = 0
        while True:
            status, answer = self.call(start + attempt, method, path, body, key)
            if status is not None and status < 500:
                return status, answer, attempt
            if status is not None:
                with self.lock:
                    self.server_errors[status] += 1
            if time.monotonic() > deadline:
                return status, answer, attempt
            attempt += 1
            time.sleep(min(0.05 * attempt, 1.0))


def setup_tenants(nodes, operator_key, companies, run):
    tenants = []
    status, agency = nodes.call(0, "POST", "/api/v1/admin/agencies", {
        "name": f"信頼性エージェント{run}", "licenseNumber": "13-ユ-300001", "contactEmail": f"agency-{run}@agency.example",
        "occupations": ["営業"], "fees": "求職者は無料", "complaintContact": "03-0000-0000",
        "privacyPolicyUrl": "https://agency.example/privacy"}, operator_key)
    assert status == 201, (status, agency)
    for c in range(companies):
        status, company = nodes.call(c, "POST", "/api/v1/admin/companies",
                                     {"name": f"株式会社信頼性{run}-{c}", "contactEmail": f"hr{c}-{run}@company.example"}, operator_key)
        assert status == 201, (status, company)
        key = company["apiKey"]
        status, _ = nodes.call(c, "PUT", "/api/v1/company/partner-agencies", {"agencyIds": [agency["id"]]}, key)
        assert status == 200, status
        status, link = nodes.call(c, "POST", "/api/v1/company/links", {"label": "2027 新卒"}, key)
        assert status == 201, (status, link)
        status, landing = nodes.call(c, "GET", f"/api/v1/public/links/{link['token']}")
        assert status == 200, status
        tenants.append({"id": company["id"], "key": key, "token": link["token"], "notice": landing["notice"]["version"]})
    return tenants, agency["id"]


class MailWatcher(threading.Thread):
    """Reads the .eml files every node writes; hands each verification code to the verifiers once."""

    def __init__(self, folders, codes):
        super().__init__(daemon=True)
        self.folders, self.codes = folders, codes
        self.seen = set()
        self.verification_mails = Counter()
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            self.scan()
            time.sleep(0.3)

    def scan(self):
        for folder in self.folders:
            try:
                entries = list(os.scandir(folder))
            except FileNotFoundError:
                continue
            for entry in entries:
                if entry.name in self.seen or not entry.name.endswith(".eml"):
                    continue
                try:
                    with open(entry.path, "rb") as f:
                        message = email.message_from_binary_file(f, policy=email.policy.default)
                    to = message["To"].addresses[0].addr_spec.lower()
                    body = message.get_body(preferencelist=("plain", "html")).get_content()
                except Exception:
                    if time.time() - entry.stat().st_mtime < 5:
                        continue  # still being written; read it next time
                    self.seen.add(entry.name)
                    continue
                self.seen.add(entry.name)
                match = VERIFY_LINK.search(body)
                if match:
                    self.verification_mails[to] += 1
                    self.codes.put((to, match.group(1)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--nodes", required=True)
    p.add_argument("--mail", required=True, help="comma-separated pickup folders")
    p.add_argument("--operator-key", required=True)
    p.add_argument("--psql", required=True, help="psql command line that runs one query (-Atqc appended)")
    p.add_argument("--work", required=True)
    p.add_argument("--registrations", type=int, default=20000)
    p.add_argument("--companies", type=int, default=20)
    p.add_argument("--threads", type=int, default=32)
    p.add_argument("--settle", type=int, default=300, help="seconds to wait for the last mails and confirmations")
    a = p.parse_args()

    nodes = Nodes(a.nodes.split(","))
    run = time.strftime("%H%M%S")
    tenants, agency_id = setup_tenants(nodes, a.operator_key, a.companies, run)
    codes = queue.Queue()
    watcher = MailWatcher(a.mail.split(","), codes)
    watcher.start()

    acknowledged = {}            # email -> (company index, registration id)
    refused = Counter()          # status -> count (4xx answers; none are expected)
    unanswered = []              # emails no node answered within the retry time
    verified = set()             # emails whose confirmation got a 200
    retried_registrations = Counter()
    lock = threading.Lock()
    started = time.monotonic()
    todo = queue.Queue()
    for i in range(a.registrations):
        todo.put(i)

    def register_worker():
        while True:
            try:
                i = todo.get_nowait()
            except queue.Empty:
                return
            c = i % len(tenants)
            t = tenants[c]
            address = f"r{run}-{i}@people.example"
            body = {"token": t["token"], "name": "信頼 太郎", "nameKana": "シンライ タロウ", "email": address, "prefecture": "13",
                    "desiredOccupation": "営業", "skills": ["法人営業"], "consent": {"noticeVersion": t["notice"], "agencyIds": [agency_id]}}
            status, answer, retries = nodes.until_answered(i, "POST", "/api/v1/public/registrations", body)
            with lock:
                retried_registrations[retries > 0] += 1
                if status == 202:
                    acknowledged[address] = (c, answer["registrationId"])
                elif status is None or status >= 500:
                    unanswered.append(address)
                else:
                    refused[status] += 1

    def verify_worker(stop):
        n = 0
        while not (stop.is_set() and codes.empty()):
            try:
                to, code = codes.get(timeout=0.2)
            except queue.Empty:
                continue
            n += 1
            status, _, _ = nodes.until_answered(n, "POST", "/api/v1/public/verifications", {"code": code})
            if status == 200:
                with lock:
                    verified.add(to)

    def write_progress(n):
        # Written aside and renamed, so the calling script never reads a half-written number.
        with open(os.path.join(a.work, "progress.tmp"), "w") as f:
            f.write(str(n))
        os.replace(os.path.join(a.work, "progress.tmp"), os.path.join(a.work, "progress"))

    def progress_writer(stop):
        while not stop.is_set():
            write_progress(a.registrations - todo.qsize())
            time.sleep(0.2)

    stop_verifiers, stop_progress = threading.Event(), threading.Event()
    threading.Thread(target=progress_writer, args=(stop_progress,), daemon=True).start()
    verifiers = [threading.Thread(target=verify_worker, args=(stop_verifiers,), daemon=True) for _ in range(max(1, a.threads // 2))]
    registrars = [threading.Thread(target=register_worker, daemon=True) for _ in range(a.threads)]
    for t in verifiers + registrars:
        t.start()
    for t in registrars:
        t.join()
    registered_in = time.monotonic() - started
    stop_progress.set()
    write_progress(a.registrations)

    # Wait for every acknowledged person's mail to be sent and confirmed.
    deadline = time.monotonic() + a.settle
    while time.monotonic() < deadline and not set(acknowledged) <= verified:
        time.sleep(0.5)
    stop_verifiers.set()
    for t in verifiers:
        t.join()
    watcher.stop.set()
    watcher.scan()
    elapsed = time.monotonic() - started

    failures = []

    def check(ok, what):
        print(("  ok    " if ok else "  FAIL  ") + what)
        if not ok:
            failures.append(what)

    def db(query):
        return subprocess.run(a.psql.split() + ["-Atqc", query], check=True, capture_output=True, text=True).stdout.split()

    print(f"registrations: {a.registrations} sent over {len(nodes.addresses)} nodes by {a.threads} threads in {registered_in:.1f} s "
          f"({a.registrations / registered_in:.0f}/s); retried on another node: {retried_registrations[True]}")
    print(f"acknowledged (202): {len(acknowledged)}; refused: {dict(refused)}; never answered: {len(unanswered)}")
    print(f"confirmed: {len(verified)}; verification mails read: {sum(watcher.verification_mails.values())}; all done in {elapsed:.1f} s")
    print(f"5xx answers on the way (retried): {dict(nodes.server_errors) or 'none'}")
    check(not refused, "no registration refused")
    check(all(code == 503 for code in nodes.server_errors), "no 500: a node that cannot reach the database answers 503")
    check(nodes.without_retry_after == 0, f"every 503 says when to come back (Retry-After; {nodes.without_retry_after} did not)")
    check(not unanswered, "every registration answered (by one node or the other)")
    present = set(db("SELECT id FROM registrations"))
    missing = [e for e, (_, rid) in acknowledged.items() if rid not in present]
    check(not missing, f"every acknowledged registration is in the database ({len(missing)} missing)")
    unmailed = [e for e in acknowledged if watcher.verification_mails[e] == 0]
    check(not unmailed, f"every acknowledged registration was mailed its confirmation link ({len(unmailed)} not)")
    # Mail a crashed node (or a node cut off from a crashed database) had claimed is sent again once its lease
    # (2 minutes) runs out: wait for that before judging.
    drain_until = time.monotonic() + 180
    while (pending := db("SELECT count(*) FROM outbox_mails WHERE status <> 'sent'")[0]) != "0" and time.monotonic() < drain_until:
        time.sleep(2)
    kinds = db("SELECT kind || ':' || status || ':' || count(*) FROM outbox_mails WHERE status <> 'sent' GROUP BY kind, status")
    check(pending == "0", f"the mail outbox is empty of unsent mail ({pending} left{': ' + ', '.join(kinds) if kinds else ''})")
    unverified = set(acknowledged) - verified
    check(not unverified, f"every acknowledged person confirmed ({len(unverified)} not)")
    doubles = db("SELECT count(*) FROM (SELECT company_id, email_hash FROM registrations WHERE status = 'qualified' "
                 "GROUP BY 1, 2 HAVING count(*) > 1) d")[0]
    check(doubles == "0", f"no person counted twice for one company ({doubles})")

    expected = Counter(c for e, (c, _) in acknowledged.items() if e in verified)
    earned_rows = dict(r.split("|") for r in db("SELECT company_id || '|' || count(*) FROM ledger_entries WHERE type = 'slot.earned' GROUP BY company_id"))
    wrong = []
    for c, t in enumerate(tenants):
        status, summary, _ = nodes.until_answered(c, "GET", "/api/v1/company/summary", key=t["key"])
        per_slot = summary["referralsPerSlot"]
        want_slots = expected[c] // per_slot
        if (summary["qualifiedReferrals"], summary["slotsEarned"], int(earned_rows.get(t["id"], 0))) != (expected[c], want_slots, want_slots):
            wrong.append((c, expected[c], summary["qualifiedReferrals"], want_slots, summary["slotsEarned"], earned_rows.get(t["id"])))
    check(not wrong, f"slots exact for every company: qualified referrals = people confirmed, slots = ⌊qualified / 10⌋ "
                     f"in the summary and in the ledger ({sum(expected.values())} qualified, "
                     f"{sum(v // 10 for v in expected.values())} slots over {len(tenants)} companies){' ' + str(wrong[:5]) if wrong else ''}")

    with open(os.path.join(a.work, "result.json"), "w") as f:
        json.dump({"registrations": a.registrations, "acknowledged": len(acknowledged), "confirmed": len(verified),
                   "seconds": round(elapsed, 1), "registrationsPerSecond": round(a.registrations / registered_in),
                   "retried": retried_registrations[True], "serverErrors": dict(nodes.server_errors), "failures": failures}, f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
