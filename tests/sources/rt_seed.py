"""What the RT tests find: tickets from several customers (one in Spanish and Chinese, one with a quote
in its subject), a batch for pagination, a queue only root may see, and a user with no rights."""

from __future__ import annotations

from dataclasses import dataclass, field

from rt_server import RTServer

NON_ASCII = "Exportación incompleta — 導出缺少行"
BATCH = 7  # tickets whose subject says "nightly batch", for pagination
HIDDEN_QUEUE = "Billing secret"
NO_RIGHTS = ("norights", "no-rights-pass-1")


@dataclass
class Seeded:
    server: RTServer
    ids: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.server.url


def seed(server: RTServer) -> Seeded:
    seeded = Seeded(server)
    tickets = {
        "acme": ("Export missing rows in the CSV download", "Dana Ops <dana@acme.example>"),
        "globex": ("CSV export missing rows after 10k", "ops@globex.example"),
        "initech": ("Login page slow on Mondays", "it@initech.example"),
        "quote": ("Customer's export button greyed out", "pm@hooli.example"),
        "non_ascii": (NON_ASCII, "li@umbrella.example"),
    }
    for key, (subject, requestor) in tickets.items():
        seeded.ids[key] = server.ticket(subject, requestor)
    for number in range(BATCH):
        seeded.ids[f"batch{number}"] = server.ticket(f"Nightly batch report {number} failed", "jobs@acme.example")
    server.post("queue", {"Name": HIDDEN_QUEUE})
    seeded.ids["hidden"] = server.ticket("Refund export missing rows", "cfo@acme.example", queue=HIDDEN_QUEUE)
    server.post("user", {"Name": NO_RIGHTS[0], "Password": NO_RIGHTS[1], "EmailAddress": "nr@example.com",
                         "Privileged": 1})
    return seeded
