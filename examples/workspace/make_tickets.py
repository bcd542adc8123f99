"""Write tickets.csv: the sample workspace's support tickets, as a Zendesk CSV export lays them out.

    python examples/workspace/make_tickets.py

Seeded, so the output is the same on every run; the committed tickets.csv is its output. The customers
are the ones in accounts.csv; every company and person is invented for this sample.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 1307
FIRST_ID = 48210
END = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # the sample's "today"; tickets span the 90 days before
DAYS = 90
COLUMNS = ["Id", "Subject", "Description", "Status", "Priority", "Requester", "Organization", "Created at",
           "Updated at"]

# organization, requesters, how many tickets, the problems it runs into more than others
CUSTOMERS: list[tuple[str, list[str], int, list[str]]] = [
    ("Halvorsen Logistics", ["Marit Lunde", "Tomasz Wieczorek", "Ayo Bankole"], 38, ["export", "webhook", "api500"]),
    ("Meridian Health Partners", ["Grace Okafor", "Lena Fischbach"], 34, ["sso", "export", "permissions"]),
    ("Copperleaf Energy", ["Rafael Ibarra", "Sunniva Dahl", "Kenji Morota"], 30, ["dashboard", "api500", "sso"]),
    ("Vantage Row Insurance", ["Harriet Lowe", "Deepak Ramaswamy"], 31, ["sso", "scim", "report_tz"]),
    ("Kestrel Analytics", ["Noor Haddad", "Piotr Zielinski"], 28, ["export", "api429", "dashboard"]),
    ("Tidewater Outfitters", ["Camille Arnaud", "Jonah Whitcombe"], 25, ["export", "billing", "import"]),
    ("Saltmarsh Media", ["Elif Demir", "Oscar Lindqvist"], 24, ["webhook", "mobile", "dashboard"]),
    ("Brightpath Learning", ["Maya Castellanos", "Ravi Menon"], 22, ["import", "password", "billing"]),
    ("Pinecrest Property Group", ["Bernadette Shaw"], 17, ["billing", "password", "mobile"]),
    ("Quillfeather Books", ["Imogen Tarrant"], 15, ["import", "billing", "howto"]),
    ("Juniper & Vale Legal", ["Cormac Doyle", "Anneliese Brandt"], 16, ["permissions", "password", "twofa"]),
    ("Orchard Lane Bakeries", ["Wanjiru Kamau"], 14, ["billing", "mobile", "howto"]),
]


@dataclass(frozen=True)
class Problem:
    cases: list[tuple[list[str], str]]  # the subjects a customer might write for one opening
    details: list[str]
    tried: list[str]
    priorities: list[str]


def pick(rng: random.Random, options: list[str], **slots: object) -> str:
    return rng.choice(options).format(**slots)


PROBLEMS: dict[str, Problem] = {
    "export": Problem(
        cases=[
            (["Export missing rows: {entity} CSV stops at {limit} rows", "Data export only has {got} of {want} rows",
              "Export missing rows for {month} {entity}"],
             "Our nightly export of {entity} came through with {got} rows, but the list view shows {want}. "
             "The missing rows are all the newest ones."),
            (["CSV export missing rows for {month} {entity}", "Export of {entity} is short by {short} rows"],
             "Finance noticed that the CSV export of {entity} for {month} is missing rows: {got} in the file, "
             "{want} in the app for the same filter."),
            (["Scheduled export is missing rows since {weekday}", "Missing rows in the nightly export to S3"],
             "Since {weekday} the scheduled export to our S3 bucket is missing rows. Every file stops at exactly "
             "{limit} rows, which is suspicious."),
            (["Export to CSV drops rows without any warning", "Missing rows in the {entity} export"],
             "We reconcile the {entity} export against our ERP every morning and today {short} rows were missing. "
             "No error in the export log, the job says 'completed'."),
        ],
        details=[
            "The file ends cleanly on a full line, so it is not a download problem. Row {limit} is the last one.",
            "Filtering to a single week gives a complete file; the full month does not.",
            "The export history shows status 'completed' with no warnings for the runs that are short.",
            "Our auditors need the complete set by the {deadline}; right now we cannot sign off the month.",
            "It looks like it started after the release on {weekday}; exports before that matched the app.",
        ],
        tried=[
            "Tried re-running the export manually, same row count.",
            "Opened the file in Excel and in LibreOffice to rule out the viewer; both show {got} lines.",
            "Cleared the filters and exported again: still short.",
            "Switched the format to XLSX: same number of rows.",
        ],
        priorities=["high", "high", "urgent", "normal"],
    ),
    "sso": Problem(
        cases=[
            (["SSO login loops back to the sign-in page", "Users stuck in a redirect loop after {idp} login"],
             "About {count} of our users can't get in this morning. They authenticate at {idp}, come back to "
             "the app and are immediately sent to {idp} again, round and round."),
            (["Cannot sign in with {idp} since {weekday}", "SSO login loop after certificate rotation"],
             "After the IdP certificate rotation on {weekday}, SSO logins end in a loop between the app and "
             "{idp}. Password login still works for the admins who have it."),
            (["SAML login loop for {count} users on Safari", "SSO: 'session expired' right after logging in"],
             "Users on Safari and on the iPad app hit a login loop, or see 'session expired' right after signing "
             "in; Chrome on Windows seems fine. About {count} people affected."),
        ],
        details=[
            "The browser console shows the SAML response posted, then a 302 back to /login.",
            "Error shown once before the loop: 'InResponseTo does not match any request'.",
            "It affects people in the {team} team first; they start at 07:00 and cannot work.",
            "Our IdP logs show successful authentications, several per second per user, until they give up.",
        ],
        tried=[
            "Tried clearing cookies and a private window: works once, then loops again the next day.",
            "We re-uploaded the new signing certificate in Settings > Security; no change.",
            "Checked the clocks on our IdP servers; they are in sync.",
        ],
        priorities=["urgent", "high", "high"],
    ),
    "api500": Problem(
        cases=[
            (["API returning 500 errors on POST /v2/orders/bulk",
              "Intermittent 500 Internal Server Error from the API"],
             "Our integration gets HTTP 500 on about {percent}% of calls to /v2/orders/bulk since {weekday}. "
             "Response body: {{\"error\":\"internal_error\",\"request_id\":\"req_{reqid}\"}}."),
            (["Bulk endpoint fails with 500 for larger batches", "500 on /v2/orders/bulk above 100 orders"],
             "We are seeing 500s when we post batches of {batch} orders; batches of 100 go through."),
            (["HTTP 500 when creating shipments through the API", "Shipments API: 500 Internal Server Error"],
             "The shipments endpoint answers 500 Internal Server Error for roughly one call in {one_in}."),
        ],
        details=[
            "Request ids from this morning: req_{reqid}, req_{reqid2}.",
            "{failed} orders failed overnight and had to be keyed in by hand.",
            "Retries usually succeed on the second or third attempt, which tells us it is not our payload.",
            "Our payloads are around {mb} MB for the big batches.",
        ],
        tried=[
            "Tried lowering concurrency from 8 to 2 workers: fewer errors, still some.",
            "We validated the payload against the OpenAPI schema; it is valid.",
            "Rotated the API key in case it was something on our side; same result.",
        ],
        priorities=["high", "urgent", "normal"],
    ),
    "dashboard": Problem(
        cases=[
            (["Dashboards very slow to load", "Operations dashboard takes {secs} seconds to open"],
             "The operations dashboard takes {secs} seconds to load for everyone in the company; last month it "
             "was a couple of seconds."),
            (["Reports page times out for the last 90 days", "Dashboard widgets spin forever"],
             "Any dashboard with a date range longer than 30 days now times out with 'This is taking longer "
             "than expected'."),
            (["Revenue dashboard slow every morning", "Dashboards very slow to load"],
             "Our managers open the revenue dashboard every morning at 9 and it sits there loading for "
             "{secs} seconds or more."),
        ],
        details=[
            "It has {widgets} widgets, most of them grouped by region.",
            "Short ranges (7 days) load in about 3 seconds.",
            "The network tab shows /api/widgets/query taking {secs} s before it answers.",
        ],
        tried=[
            "Tried removing half of the widgets; it helps a little.",
            "Tried another browser and a wired connection: same.",
            "Duplicated the dashboard to test: the copy is just as slow.",
        ],
        priorities=["normal", "high", "normal"],
    ),
    "webhook": Problem(
        cases=[
            (["Webhooks retried over and over after we answered 200", "Duplicate webhook deliveries for order.updated"],
             "Our endpoint answers 200 within 300 ms but we still receive the same order.updated event "
             "{dupes} times."),
            (["Webhooks stopped arriving, then came all at once", "Webhook retries flooding our endpoint"],
             "Between {hour}:00 and {hour2}:00 UTC no webhooks arrived, then about {burst} came in a few "
             "minutes, many of them duplicates."),
            (["Webhook delivery log shows retries we already acknowledged"],
             "The delivery log shows retries for events our server already acknowledged with a 200."),
        ],
        details=[
            "The duplicates have the same event id but different delivery ids.",
            "Our warehouse system created {dupes} duplicate pick lists because of this.",
            "The webhook settings page says 'last delivery failed: timeout' but our logs show 200.",
        ],
        tried=[
            "We raised our server's timeout and added more workers; no change.",
            "We now deduplicate on the event id on our side as a stopgap.",
            "Re-created the webhook subscription from scratch.",
        ],
        priorities=["high", "normal"],
    ),
    "billing": Problem(
        cases=[
            (["Charged twice after adding seats mid-cycle", "Proration on our seat change looks wrong"],
             "We added {seats} seats on {weekday} and the invoice charges them for the full year, plus a "
             "prorated line for the same seats."),
            (["Invoice {invoice} does not match the quote", "Question about the proration on {invoice}"],
             "Invoice {invoice} shows ${amount} but our quote for the upgrade was ${amount2}."),
            (["Unexpected charge after downgrading", "Still billed for Business after downgrade"],
             "We downgraded from Business to Team and were still charged the Business price this month."),
        ],
        details=[
            "The line item reads 'Seat change (prorated)' and then again 'Seats x{seats}'.",
            "Our finance team needs a corrected invoice before month end.",
            "We pay by card and the card was charged already.",
        ],
        tried=[
            "Checked the billing page: it shows the right seat count.",
            "Downloaded the invoice PDF again in case it was an old one.",
        ],
        priorities=["normal", "normal", "high", "low"],
    ),
    "import": Problem(
        cases=[
            (["CSV import fails with 'invalid byte sequence'", "Product import rejects our file"],
             "Importing our product list fails with: Import failed: invalid byte sequence for encoding \"UTF8\": "
             "0xe9 (line {line})."),
            (["Accented names garbled after import", "Contacts import mangles names"],
             "The contacts import accepts the file, then shows names like 'RenÃ©e' instead of 'Renée'."),
            (["Import stuck at 0% for {count} minutes"],
             "The import has been at 0% for {count} minutes and the cancel button does nothing."),
        ],
        details=[
            "The file has {rows} rows and was exported from an old accounting package.",
            "The same kind of file imported fine in the spring.",
        ],
        tried=[
            "Tried splitting the file in two: the first half imports.",
            "Opened it in Excel and saved it again as CSV; same result.",
        ],
        priorities=["normal", "low", "normal"],
    ),
    "password": Problem(
        cases=[
            (["Password reset emails not arriving", "No reset email for three staff"],
             "Three of our staff requested a password reset this morning and none received the email, not "
             "even in spam."),
            (["New users never receive the invitation email", "Invitations not delivered"],
             "We invited {count} new users yesterday; only a few got the invitation."),
            (["Reset link says 'expired' immediately"],
             "The password reset link opens a page saying the link has expired, even when clicked right away."),
        ],
        details=[
            "We use Microsoft 365 with the strict preset of Defender.",
            "Our IT says the messages are not in the quarantine either.",
        ],
        tried=["Resent the emails from the Users page.", "Tried a personal Gmail address: that one works."],
        priorities=["normal", "high"],
    ),
    "permissions": Problem(
        cases=[
            (["Viewer role can see billing settings"],
             "A user with the Viewer role was able to open Settings > Billing and see our card details (last "
             "four digits and expiry)."),
            (["Editors can't share reports after the role change"],
             "Since the roles update, Editors get 'You don't have permission to share this report'."),
            (["User removed from a group still sees the project"],
             "We removed a contractor from the Projects group {days} days ago and they can still open it."),
        ],
        details=["This matters for our compliance review.", "We have {count} users on the Editor role."],
        tried=["Logged out and in again.", "Removed and re-added the role."],
        priorities=["high", "normal"],
    ),
    "scim": Problem(
        cases=[
            (["SCIM deprovisioning doesn't remove users", "Users deactivated in Okta still active in the app"],
             "Users we deactivate in Okta stay active here; the last sync shows {count} pending changes."),
            (["SCIM sync errors: 409 Conflict"],
             "The SCIM log shows 409 Conflict for users whose email address changed."),
        ],
        details=["Our access review is due on the {deadline}.", "It affects {count} accounts so far."],
        tried=["Pushed the group again from Okta.", "Regenerated the SCIM token."],
        priorities=["high", "normal"],
    ),
    "report_tz": Problem(
        cases=[
            (["Scheduled report shows yesterday's data"],
             "The daily report arrives at 07:00 but covers only up to 19:00 the previous day."),
            (["Report times are off by {offset} hours"],
             "All times in the emailed report are {offset} hours off from what the app shows."),
        ],
        details=["Our workspace is set to Europe/London.", "This started when the clocks changed."],
        tried=["Changed my own profile time zone; no effect on the emailed report."],
        priorities=["low", "normal"],
    ),
    "mobile": Problem(
        cases=[
            (["Android app crashes when attaching a photo"],
             "Our drivers' phones (Android 14) crash as soon as they tap 'Attach photo' on a delivery."),
            (["iOS app logs us out every day"],
             "The iOS app logs everyone out each morning since version {version}."),
            (["Mobile app stuck on the splash screen"],
             "After updating to {version} the app stays on the splash screen."),
        ],
        details=["{count} devices affected so far.", "Reinstalling helps for a day."],
        tried=["Cleared the app cache.", "Reinstalled the app."],
        priorities=["high", "normal"],
    ),
    "api429": Problem(
        cases=[
            (["Getting 429 Too Many Requests well under our limit"],
             "Our nightly sync gets 429 Too Many Requests after about {count} calls, but our plan allows 600 per "
             "minute and we send fewer than 200."),
            (["Rate limited during the nightly sync"],
             "Since {weekday} we are rate limited during the sync window; the Retry-After header says {secs}."),
        ],
        details=["We run 4 workers in parallel.", "The sync now takes {hours} hours instead of 40 minutes."],
        tried=["Added a sleep between calls.", "Reduced the page size to 50."],
        priorities=["normal", "high"],
    ),
    "twofa": Problem(
        cases=[
            (["2FA codes by SMS arrive late"],
             "Text messages with the 2FA code take several minutes to arrive, so the code has expired."),
            (["Locked out after changing phones"],
             "One of our partners changed phones and can't get past two-factor authentication."),
        ],
        details=["We are on a UK carrier.", "Backup codes were never saved."],
        tried=["Tried resending the code twice."],
        priorities=["normal", "high"],
    ),
    "howto": Problem(
        cases=[
            (["How do we add a second admin?"],
             "We'd like to give a second person admin rights; where is that setting?"),
            (["Can we change the logo on emailed invoices?"],
             "Is it possible to put our own logo on the invoices the app emails to customers?"),
            (["Question about exporting our data before renewal"],
             "Before renewal we want a full copy of our data. What is the best way?"),
        ],
        details=["No rush, just planning ahead."],
        tried=["Looked through the help centre."],
        priorities=["low"],
    ),
}

ENTITIES = ["orders", "shipments", "invoices", "customer records", "transactions", "claims"]
MONTHS = ["September", "October", "November"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
IDPS = ["Okta", "Azure AD", "ADFS", "Google Workspace"]
TEAMS = ["dispatch", "claims", "night shift", "finance"]


def slots(rng: random.Random) -> dict[str, object]:
    limit = rng.choice([50000, 50000, 100000])
    want = limit + rng.randint(800, 14000)
    return {
        "limit": f"{limit:,}", "want": f"{want:,}", "got": f"{limit:,}", "short": f"{want - limit:,}",
        "entity": rng.choice(ENTITIES), "month": rng.choice(MONTHS), "weekday": rng.choice(WEEKDAYS),
        "deadline": rng.choice(["5th", "10th", "15th", "end of the week"]), "count": rng.randint(6, 140),
        "idp": rng.choice(IDPS), "team": rng.choice(TEAMS), "percent": rng.randint(3, 25),
        "reqid": f"{rng.getrandbits(48):012x}", "reqid2": f"{rng.getrandbits(48):012x}",
        "batch": rng.choice([500, 1000, 2500]), "one_in": rng.randint(5, 40), "failed": rng.randint(40, 900),
        "mb": rng.choice([4, 6, 8, 12]), "secs": rng.randint(18, 95), "widgets": rng.randint(8, 30),
        "dupes": rng.randint(3, 12), "hour": (hour := rng.randint(0, 20)), "hour2": hour + rng.randint(1, 3),
        "burst": rng.randint(400, 5000), "seats": rng.randint(3, 60), "invoice": f"INV-{rng.randint(20000, 29999)}",
        "amount": f"{rng.randint(900, 40000):,}", "amount2": f"{rng.randint(900, 40000):,}",
        "line": rng.randint(2, 9000), "rows": f"{rng.randint(400, 60000):,}", "days": rng.randint(2, 20),
        "offset": rng.choice([1, 5, 8]), "version": f"4.{rng.randint(10, 14)}.{rng.randint(0, 6)}",
        "hours": rng.randint(2, 6),
    }


def status_for(rng: random.Random, age_days: int) -> str:
    if age_days < 3:
        return rng.choice(["new", "open", "open"])
    if age_days < 14:
        return rng.choice(["open", "pending", "hold", "solved"])
    return rng.choice(["solved", "solved", "closed", "closed", "pending"])


def ticket_text(rng: random.Random, problem: Problem, requester: str) -> tuple[str, str]:
    values = slots(rng)
    subjects, opening = rng.choice(problem.cases)
    subject = pick(rng, subjects, **values)
    parts = [opening.format(**values)]
    parts += [d.format(**values) for d in rng.sample(problem.details, k=min(len(problem.details), rng.randint(1, 2)))]
    parts.append(pick(rng, problem.tried, **values))
    parts.append(rng.choice(["Thanks,", "Thanks for looking into this.", "Any help appreciated.", "Regards,"])
                 + f"\n{requester}")
    return subject, "\n\n".join(parts)


def generate() -> list[dict[str, str]]:
    rng = random.Random(SEED)
    drafts: list[tuple[datetime, dict[str, str]]] = []
    kinds = list(PROBLEMS)
    for organization, requesters, count, usual in CUSTOMERS:
        for _ in range(count):
            kind = rng.choice(usual) if rng.random() < 0.6 else rng.choice(kinds)
            requester = rng.choice(requesters)
            created = END - timedelta(days=rng.uniform(0, DAYS))
            created = created.replace(microsecond=0)
            subject, description = ticket_text(rng, PROBLEMS[kind], requester)
            age = (END - created).days
            updated = min(END, created + timedelta(hours=rng.uniform(0.5, 24 * min(age + 1, 12))))
            drafts.append((created, {
                "Subject": subject, "Description": description, "Status": status_for(rng, age),
                "Priority": rng.choice(PROBLEMS[kind].priorities), "Requester": requester,
                "Organization": organization, "Created at": stamp(created), "Updated at": stamp(updated),
            }))
    drafts.sort(key=lambda pair: pair[0])
    return [{"Id": str(FIRST_ID + n), **row} for n, (_, row) in enumerate(drafts)]


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S +0000")


def main() -> None:
    with (HERE / "tickets.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(generate())


if __name__ == "__main__":
    main()
