"""API fuzzing of Crew Plots with schemathesis (`cargo xtask fuzz-api`, and a step of `cargo xtask test`).

Two uses of one file, both run with the project venv's Python (target/tools/secantus-venv):

* ``python crewplots_fuzz.py provision --base URL --maildir DIR --admin LOGIN --password PW --role ROLE``
  makes the organisation a role is fuzzed in, through the API the way the product does it: the administrator
  (made by ``create-admin``) opens a venue, invites a manager, a floor manager and a crew member for it (each
  sets a password through the link in the invitation mail, read from the test SMTP server's Maildir), an
  applicant registers and applies; a position, a schedule week with a shift and a knowledge category are added.
  Prints one JSON object: ``cookie`` (``name=value`` of the session of ROLE, empty for ``anonymous``) and
  ``ids`` (kind → list of ids that exist).

* ``SCHEMATHESIS_HOOKS=…/crewplots_fuzz.py`` with ``CREWPLOTS_FUZZ_IDS`` (the ``ids`` above, as JSON): a hook
  that lets generated path parameters name the existing objects part of the time, so location-scoped and
  object-scoped operations get past "not found" and do something.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import http.cookies
import json
import os
import re
import sys
import time
import urllib.error
import urllib.request

CSRF_HEADER = "X-Crewplots-Csrf"
PASSWORD = "fuzzing passphrase 1"


class Client:
    """A browser-like client: one session cookie, the CSRF header and Origin on every request."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.cookie = ""

    def call(self, method: str, path: str, body: object | None = None, expect: int | None = None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Origin", self.base)
        request.add_header(CSRF_HEADER, "1")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.cookie:
            request.add_header("Cookie", self.cookie)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, raw, headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, raw, headers = error.code, error.read(), error.headers
        for value in headers.get_all("Set-Cookie") or []:
            parsed = http.cookies.SimpleCookie()
            parsed.load(value)
            for name, morsel in parsed.items():
                self.cookie = f"{name}={morsel.value}" if morsel.value else ""
        if expect is not None and status != expect:
            raise SystemExit(f"{method} {path} answered {status}, not {expect}: {raw[:500]!r}")
        return json.loads(raw) if raw and raw[:1] in (b"{", b"[") else None


def token_mailed_to(maildir: str, to: str, timeout: float = 30.0) -> str:
    """The token of the link in the first mail to `to` in the Maildir (aiosmtpd's Mailbox handler)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for folder in ("new", "cur"):
            directory = os.path.join(maildir, folder)
            names = os.listdir(directory) if os.path.isdir(directory) else []
            # The newest first: a token mailed earlier to the same address may be spent already.
            paths = sorted((os.path.join(directory, n) for n in names), key=os.path.getmtime, reverse=True)
            for path in paths:
                with open(path, "rb") as handle:
                    message = email.message_from_binary_file(handle, policy=email.policy.default)
                if to.lower() not in str(message.get("To", "")).lower():
                    continue
                for part in message.walk():
                    if part.get_content_maintype() == "text":
                        found = re.search(r"token=([A-Za-z0-9_-]+)", part.get_content())
                        if found:
                            return found.group(1)
        time.sleep(0.2)
    raise SystemExit(f"no mail with a link reached {to} within {timeout:.0f} s")


def provision(base: str, maildir: str, admin: str, password: str, role: str) -> dict:
    suffix = role.replace("_", "")
    administrator = Client(base)
    administrator.call("POST", "/api/auth/login", {"login": admin, "password": password}, 200)
    me = administrator.call("GET", "/api/auth/me", None, 200)
    location = administrator.call("POST", "/api/locations", {"name": f"Fuzz venue {suffix}"}, 201)
    ids: dict[str, list[str]] = {"location": [location["id"]]}
    people = {"administrator": me["id"]}
    codes = [location["applicationCode"]]

    staff = {}
    for staff_role in ("manager", "floor_manager", "crew_member"):
        login = f"fuzz-{staff_role.replace('_', '-')}-{suffix}"
        made = administrator.call(
            "POST",
            "/api/admin/users",
            {
                "firstName": "Fuzz",
                "lastName": staff_role.replace("_", " ").title(),
                "email": f"{login}@example.test",
                "username": login,
                "role": staff_role,
                "locationIds": [location["id"]],
            },
            201,
        )
        people[staff_role] = made["id"]
        staff[staff_role] = login
    for login in staff.values():
        token = token_mailed_to(maildir, f"{login}@example.test")
        Client(base).call(
            "POST", "/api/auth/password-reset/confirm", {"token": token, "newPassword": PASSWORD}, 204
        )

    applicant = Client(base)
    login = f"fuzz-applicant-{suffix}"
    consent = applicant.call("GET", "/api/settings/public", None, 200)["privacyNoticeVersion"]
    registered = applicant.call(
        "POST",
        "/api/auth/register",
        {
            "firstName": "Fuzz",
            "lastName": "Applicant",
            "email": f"{login}@example.test",
            "username": login,
            "password": PASSWORD,
            "phone": "+31 6 1234 5678",
            "locationCode": location["applicationCode"],
            "privacyConsent": {"version": consent, "accepted": True},
        },
        201,
    )
    people["applicant"] = registered["user"]["id"]
    application = applicant.call(
        "POST",
        "/api/applications",
        {"locationId": location["id"], "position": "Bartender", "availability": "Weekends"},
        201,
    )
    ids["application"] = [application["id"]]

    # Scheduling and knowledge objects, so their operations have something to act on.
    position = administrator.call(
        "POST", f"/api/locations/{location['id']}/positions", {"name": "Bar"}, 201
    )
    ids["position"] = [position["id"]]
    week = administrator.call(
        "POST",
        f"/api/locations/{location['id']}/weeks",
        {"isoWeek": time.strftime("%G-W%V"), "source": "empty"},
        201,
    )
    ids["week"] = [week["week"]["id"]]
    shift = administrator.call(
        "POST",
        f"/api/weeks/{week['week']['id']}/shifts",
        {
            "date": week["week"].get("startDate") or time.strftime("%Y-%m-%d"),
            "positionId": position["id"],
            "start": "18:00",
            "end": "23:00",
            "slots": 2,
        },
        201,
    )
    ids["shift"] = [shift["shiftId"]] if shift.get("shiftId") else []
    category = administrator.call(
        "POST", "/api/knowledge/categories", {"name": "House rules"}, 201
    )
    ids["category"] = [category["id"]]

    client = {"administrator": administrator, "anonymous": Client(base), "applicant": applicant}.get(role)
    if client is None:
        client = Client(base)
        client.call("POST", "/api/auth/login", {"login": staff[role], "password": PASSWORD}, 200)
    ids["code"] = codes
    # Never the caller's own id: erasing, deactivating or revoking the sessions of oneself ends the run.
    ids["user"] = [id for person, id in people.items() if person != role]
    return {"cookie": client.cookie, "ids": ids}


# ---- schemathesis hooks ----------------------------------------------------------------------------------

# Which kind of object a path parameter names, by the path's first segment after /api (and the parameter).
KINDS = {
    "locations": "location",
    "public": "code",
    "admin": "user",
    "people": "user",
    "crew": "user",
    "applications": "application",
    "positions": "position",
    "weeks": "week",
    "shifts": "shift",
    "categories": "category",
}


def _register_hooks() -> None:
    import schemathesis
    from hypothesis import strategies as st

    known = json.loads(os.environ.get("CREWPLOTS_FUZZ_IDS", "{}"))

    @schemathesis.hook
    def flatmap_path_parameters(context, path_parameters):
        if not isinstance(path_parameters, dict):
            return st.just(path_parameters)
        path = context.operation.path if context.operation is not None else ""
        segments = [s for s in path.split("/") if s]
        resource = segments[2] if len(segments) > 2 and segments[1] == "knowledge" else (
            segments[1] if len(segments) > 1 else ""
        )
        choices = []
        for name, value in path_parameters.items():
            if name in ("id", "code"):
                kind = KINDS.get(resource)
            elif name == "userId":
                kind = "user"
            else:
                kind = None
            existing = known.get(kind or "", [])
            if existing:
                choices.append((name, existing))
        if not choices:
            return st.just(path_parameters)

        def replaced(picks):
            out = dict(path_parameters)
            for (name, _), pick in zip(choices, picks):
                if pick is not None:
                    out[name] = pick
            return out

        return st.tuples(
            *(st.one_of(st.none(), st.sampled_from(existing)) for _, existing in choices)
        ).map(replaced)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("provision")
    p.add_argument("--base", required=True)
    p.add_argument("--maildir", required=True)
    p.add_argument("--admin", required=True)
    p.add_argument("--password", required=True)
    p.add_argument(
        "--role",
        required=True,
        choices=["anonymous", "applicant", "crew_member", "floor_manager", "manager", "administrator"],
    )
    args = parser.parse_args()
    json.dump(provision(args.base, args.maildir, args.admin, args.password, args.role), sys.stdout)
    print()
else:
    _register_hooks()
