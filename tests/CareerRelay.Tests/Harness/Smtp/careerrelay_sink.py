"""An aiosmtpd handler for the tests: stores every message in a Maildir; refuses recipients whose address starts with
"bounce", or is listed in <maildir>.refuse, the way a real server refuses an unknown mailbox (550 5.1.1); answers
"tempfail…" recipients 451 the first time (greylisting) and accepts them after; and writes one line per connection that
delivered a message to <maildir>.sessions."""
import mailbox
import os


class Sink:
    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("Give the Maildir folder")
        return cls(args[0])

    def __init__(self, maildir):
        self.maildir = maildir
        self.mailbox = mailbox.Maildir(maildir, create=True)
        self.greylisted = set()

    def refused(self, address):
        path = self.maildir + ".refuse"
        if not os.path.exists(path):
            return False
        with open(path, encoding="utf-8") as f:
            return address.lower() in (line.strip().lower() for line in f)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("bounce") or self.refused(address):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if address.lower().startswith("tempfail") and address.lower() not in self.greylisted:
            self.greylisted.add(address.lower())
            return "451 4.7.1 <%s>: Recipient address rejected: Greylisted, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.mailbox.add(envelope.original_content)
        with open(self.maildir + ".sessions", "a", encoding="utf-8") as f:
            f.write("%d\n" % id(session))
        return "250 Message accepted for delivery"
