"""Fill a sonae database with a support centre's worth of data, fast (COPY on PostgreSQL).

Used by bench/scale.py and bench/load.py; not part of the test suite. The shape, for N organisations:
3 members each (owner, editor, viewer), ~100 answers each across runs of every shipped instrument
(1–3 runs per instrument, most submitted with the snapshot the real scoring engine computes, some
drafts), 10 action items each (a third made from weak answers), and N/33 advisors with 30–300 clients
each (the first advisor exactly 300). One organisation, the "showcase", has more of everything
(8 submitted runs of each instrument, 200 actions, 12 documents, the 300-client advisor) so list pages are measured at a large size; another,
the "small" one, has one run of each instrument, two actions and one document, so query counts can be compared between the two.

Rows are written with explicit ids (PostgreSQL COPY, SQLite executemany in one transaction), then the
sequences are reset, so the application goes on creating rows normally afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from dataclasses import dataclass, field

BENCH_PASSWORD = "bench-Passw0rd-for-scale"
# API tokens of the showcase and the small organisation's owners (the API list endpoints are measured with them).
API_TOKENS = {"showcase": "sonae_scale-bench-showcase-token", "small": "sonae_scale-bench-small-token"}
BATCH = 20_000


@dataclass
class Filled:
    """What the measuring side needs to know about the data it was given."""

    orgs: int = 0
    users: int = 0
    memberships: int = 0
    diagnoses: int = 0
    answers: int = 0
    actions: int = 0
    advisors: int = 0
    grants: int = 0
    seconds: float = 0.0
    showcase_org: int = 0
    showcase_owner: str = ""
    small_org: int = 0
    small_owner: str = ""
    advisor_300: str = ""
    advisor_30: str = ""
    steps: dict[str, float] = field(default_factory=dict)


class Writer:
    """Append rows to a table, flushed in batches with COPY (PostgreSQL) or executemany (SQLite)."""

    def __init__(self, connection, model, columns: list[str]):
        self.connection = connection
        self.table = model._meta.db_table
        self.columns = [model._meta.get_field(name).column for name in columns]
        self.rows: list[tuple] = []
        self.count = 0

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        q = self.connection.ops.quote_name
        cols = ", ".join(q(c) for c in self.columns)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {q(self.table)} ({cols}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {q(self.table)} ({cols}) VALUES ({marks})", self.rows)
        self.count += len(self.rows)
        self.rows = []


def _answers_for(instrument, rng: random.Random, skill: float) -> dict[str, int]:
    """One answer per item; `skill` (0..1) makes an organisation's runs lean to good or weak answers."""
    options = sorted(o.points for o in instrument.scale)
    answers = {}
    for item in instrument.items:
        if rng.random() < skill:
            answers[item.id] = options[-1] if rng.random() < 0.7 else options[-2]
        else:
            answers[item.id] = rng.choice(options)
    return answers


def fill(*, orgs: int, seed: int = 12, log=print) -> Filled:
    """Write the data set into the configured (empty, migrated) database. Returns what was written."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from sonae.actions.models import ActionItem
    from sonae.api.models import ApiToken
    from sonae.catalog.instruments import load_instruments
    from sonae.engines.scoring import score
    from sonae.orgs.choices import PREFECTURES, EmployeeBand, Industry, Role
    from sonae.orgs.models import AdvisorGrant, Membership, Organisation, hash_token

    User = get_user_model()
    rng = random.Random(seed)
    started = time.perf_counter()
    now = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
    password = make_password(BENCH_PASSWORD)  # one Argon2 hash for everybody: hashing 30,000 would take minutes
    instruments = list(load_instruments())
    industries = [c.value for c in Industry]
    bands = [c.value for c in EmployeeBand]
    filled = Filled(orgs=orgs)
    step_start = started

    def step(name: str) -> None:
        nonlocal step_start
        filled.steps[name] = time.perf_counter() - step_start
        step_start = time.perf_counter()
        log(f"  {name}: {filled.steps[name]:.1f} s")

    users = Writer(connection, User, ["id", "password", "is_superuser", "username", "first_name", "last_name", "email",
                                      "is_staff", "is_active", "date_joined"])
    org_rows = Writer(connection, Organisation, ["id", "name", "corporate_number", "industry", "employee_band", "prefecture",
                                                 "city", "require_mfa", "created_at"])
    members = Writer(connection, Membership, ["id", "user", "org", "role", "created_at"])
    grants = Writer(connection, AdvisorGrant, ["id", "org", "advisor", "role", "advisor_org_name", "granted_by", "created_at",
                                               "revoked_at"])
    from sonae.assessments.models import Answer, Diagnosis

    runs = Writer(connection, Diagnosis, ["id", "org", "instrument_id", "instrument_version", "status", "started_by",
                                          "started_at", "submitted_by", "submitted_at", "total", "max_total", "band",
                                          "part_scores"])
    answer_rows = Writer(connection, Answer, ["id", "diagnosis", "item_id", "points", "answered_by", "updated_at"])
    actions = Writer(connection, ActionItem, ["id", "org", "title", "description", "owner", "due_date", "status", "note",
                                              "evidence_url", "source_type", "source_id", "source_label", "created_by",
                                              "created_at", "updated_at", "closed_at"])

    def add_user(user_id: int, email: str) -> None:
        users.add((user_id, password, False, email.split("@")[0], "", "", email, False, True, now))

    user_id = member_id = run_id = answer_id = action_id = 0
    showcase, small = 1, 2
    with transaction.atomic():
        for org_id in range(1, orgs + 1):
            created = now - dt.timedelta(days=rng.randint(30, 900))
            org_rows.add((org_id, f"株式会社スケール{org_id:05d}", "", rng.choice(industries), rng.choice(bands),
                          rng.choice(PREFECTURES), "", False, created))
            people = []
            for role in (Role.OWNER, Role.EDITOR, Role.VIEWER):
                user_id += 1
                member_id += 1
                add_user(user_id, f"{role}{org_id}@scale.example.jp")
                members.add((member_id, user_id, org_id, role, created))
                people.append(user_id)
            owner = people[0]
            skill = rng.random()
            weak_answers: list[tuple[int, str]] = []
            # The showcase and the small organisation have the same kinds of rows (submitted runs of every
            # instrument, an IPA draft, actions with and without a source), only more or fewer of them.
            special = org_id in (showcase, small)
            run_counts = {i.id: (9 if org_id == showcase else 2 if org_id == small else rng.choices([1, 2, 3], [20, 63, 17])[0])
                          for i in instruments}
            for instrument in instruments:
                count = run_counts[instrument.id]
                for n in range(count):
                    run_id += 1
                    # Runs spread between the organisation's start and now, the latest one recent.
                    started_at = created + (now - created) * (n + 1) / (count + 0.2) - dt.timedelta(hours=rng.randint(2, 48))
                    answers = _answers_for(instrument, rng, skill)
                    last = n == count - 1
                    draft = last and (instrument.id == "ipa-5min" if special else count > 1 and rng.random() < 0.15)
                    if draft:
                        answers = dict(list(answers.items())[: rng.randint(1, len(answers))])
                        runs.add((run_id, org_id, instrument.id, instrument.version, "draft", owner, started_at,
                                  None, None, None, None, "", "{}"))
                    else:
                        result = score(instrument, answers)
                        runs.add((run_id, org_id, instrument.id, instrument.version, "submitted", owner, started_at,
                                  owner, started_at + dt.timedelta(hours=1), result.total, result.max, result.band.id,
                                  json.dumps({p.id: p.score for p in result.parts})))
                    worst = min(o.points for o in instrument.scale)
                    for item_id, points in answers.items():
                        answer_id += 1
                        answer_rows.add((answer_id, run_id, item_id, points, owner, started_at))
                        if (points <= worst + 1 or special) and not draft:
                            weak_answers.append((answer_id, item_id))
            for n in range(200 if org_id == showcase else 2 if org_id == small else 10):
                action_id += 1
                status = rng.choice(["open", "open", "in_progress", "done"])
                due = (now + dt.timedelta(days=rng.randint(-120, 180))).date() if rng.random() < 0.8 else None
                source = ("", None, "")
                if weak_answers and (n == 0 if org_id == small else rng.random() < 0.35):
                    a_id, item_id = rng.choice(weak_answers)
                    source = (ActionItem.SOURCE_ANSWER, a_id, f"設問 {item_id}")
                opened = now - dt.timedelta(days=rng.randint(1, 400))
                actions.add((action_id, org_id, f"対策 {n + 1}: パスワードを見直す", "", rng.choice(people), due, status, "", "",
                             *source, owner, opened, opened, opened if status == "done" else None))
            if org_id % 1000 == 0:
                log(f"  … {org_id} organisations")
        for writer in (org_rows, users, members, runs, answer_rows, actions):
            writer.flush()
        step("organisations, members, diagnoses, answers, actions")

        # Advisors: the first follows exactly 300 clients (one of them the showcase), the second 30,
        # the others 30–300 each.
        advisors = max(2, orgs // 33)
        grant_id = 0
        for n in range(advisors):
            user_id += 1
            email = f"advisor{n + 1}@support.example.jp"
            add_user(user_id, email)
            clients = 300 if n == 0 else 30 if n == 1 else rng.randint(30, 300)
            clients = min(clients, orgs)
            chosen = rng.sample(range(1, orgs + 1), clients)
            if n == 0 and showcase not in chosen:
                chosen[0] = showcase
            for org_id in chosen:
                grant_id += 1
                grants.add((grant_id, org_id, user_id, rng.choice([Role.VIEWER, Role.EDITOR]), "よろず支援拠点", None,
                            now - dt.timedelta(days=rng.randint(1, 300)), None))
            if n == 0:
                filled.advisor_300 = email
            elif n == 1:
                filled.advisor_30 = email
        users.flush()
        grants.flush()
        step("advisors and grants")

        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [User, Organisation, Membership, AdvisorGrant,
                                                                             Diagnosis, Answer, ActionItem]):
                cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give a live installation
    step("sequences and ANALYZE")

    from sonae.documents.models import Kind
    from sonae.documents.services import document_create

    for which, org_id in (("showcase", showcase), ("small", small)):
        owner = User.objects.get(email=f"owner{org_id}@scale.example.jp")
        token = API_TOKENS[which]
        ApiToken.objects.create(user=owner, org_id=org_id, name="bench", prefix=token[:12], token_hash=hash_token(token))
        org = Organisation.objects.get(id=org_id)
        for n in range(12 if which == "showcase" else 1):  # documents (drafts prefilled from the profile)
            document_create(org=org, kind=list(Kind.values)[n % len(Kind.values)], by=owner)

    filled.users, filled.memberships = users.count, members.count
    filled.diagnoses, filled.answers, filled.actions = runs.count, answer_rows.count, actions.count
    filled.advisors, filled.grants = advisors, grants.count
    filled.showcase_org, filled.showcase_owner = showcase, f"owner{showcase}@scale.example.jp"
    filled.small_org, filled.small_owner = small, f"owner{small}@scale.example.jp"
    filled.seconds = time.perf_counter() - started
    return filled

