"""A mixed workload for Palermo, as the demo's roles use it on a seeded volume database (bench/load/prepare.py):
list pages and their next pages, record pages, selector search, the home page, the person list over the API,
and tips posted to the channel API by the hotline operator. Think time 0.5–1.5 s.

Run through bench/load/run_load.py, which starts the server and reads the results; by hand:

    LOAD_WORLD=var/bench/load-world.json .venv/bin/python -m locust -f bench/load/locustfile.py \
        --headless -u 100 -r 20 -t 60s --host http://127.0.0.1:8108

Simulated users share one signed-in session per account (eight accounts, one per demo role), signed in
before the timed run: a password check costs about a second of CPU by design, and a hundred of them would
measure log-in, not use.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import sys
import uuid
from pathlib import Path

from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from prepare import sign_in  # noqa: E402
from tipgen import generate_tips  # noqa: E402

WORLD = json.loads(Path(os.environ.get("LOAD_WORLD", "var/bench/load-world.json")).read_text())
CASEWORKERS = [a for a in WORLD["accounts"] if "hotline_operator" not in a["roles"]]
HOTLINE = next(a for a in WORLD["accounts"] if "hotline_operator" in a["roles"])
SEARCHES = WORLD["hits"] + WORLD["misses"]
TIPS = generate_tips(300, seed=77)
_sessions: dict[str, dict] = {}
_next_account = itertools.cycle(CASEWORKERS)
PERSON_LINK = re.compile(r'href="/persons/(\d+)/"')
CASE_LINK = re.compile(r'href="/cases/(\d+)/"')
NEXT_LINK = re.compile(r'<a href="\?([^"]*)">next')


@events.test_start.add_listener
def load_sessions(environment, **kwargs):
    """Sessions signed in by the driver before the clock started; by hand, signed in here."""
    if os.environ.get("LOAD_SESSIONS"):
        _sessions.update(json.loads(Path(os.environ["LOAD_SESSIONS"]).read_text()))
    for account in CASEWORKERS:
        if account["username"] not in _sessions:
            _sessions[account["username"]] = sign_in(environment.host, account)


class Caseworker(HttpUser):
    """Investigators, analysts, supervisors, prosecutors, case managers, coordinators on their lists and records."""

    weight = 9
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.client.cookies.update(_sessions[next(_next_account)["username"]])
        self.persons: list[str] = []
        self.cases: list[str] = []
        self.next_persons = ""

    def _get(self, path, **kwargs):
        """A page must answer 200 itself: a redirect (to the log-in page, say) is a failure, not a success."""
        with self.client.get(path, allow_redirects=False, catch_response=True, **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            return response

    @task(3)
    def person_list(self):
        html = self._get("/persons/", name="/persons/").text
        self.persons = PERSON_LINK.findall(html) or self.persons
        found = NEXT_LINK.search(html)
        self.next_persons = found.group(1).replace("&amp;", "&") if found else ""

    @task(1)
    def person_list_next_page(self):
        if self.next_persons:
            html = self._get(f"/persons/?{self.next_persons}", name="/persons/?cursor=…").text
            found = NEXT_LINK.search(html)
            self.next_persons = found.group(1).replace("&amp;", "&") if found else ""

    @task(4)
    def person_page(self):
        if self.persons:
            self._get(f"/persons/{random.choice(self.persons)}/", name="/persons/<id>/")

    @task(2)
    def case_list(self):
        self.cases = CASE_LINK.findall(self._get("/cases/", name="/cases/").text) or self.cases

    @task(3)
    def case_page(self):
        if self.cases:
            self._get(f"/cases/{random.choice(self.cases)}/", name="/cases/<id>/")

    @task(3)
    def selector_search(self):
        kind, value = random.choice(SEARCHES)
        self._get("/selectors/", params={"kind": kind, "value": value}, name="/selectors/?value=…")

    @task(1)
    def home(self):
        self._get("/", name="/")

    @task(2)
    def api_persons(self):
        self._get("/api/persons", params={"limit": 50}, name="/api/persons")


class HotlineGateway(HttpUser):
    """The hotline's SMS/e-mail gateway posting tips one at a time to the channel API."""

    weight = 1
    wait_time = between(0.5, 1.5)

    @task
    def post_tip(self):
        tip = random.choice(TIPS)
        payload = [{"key": f"load-{uuid.uuid4()}", "text": tip.text, "country": "RO", "channel": "SMS"}]
        self.client.post("/api/intake/signals", json=payload, name="/api/intake/signals",
                         headers={"Authorization": f"Bearer {HOTLINE['token']}"})
