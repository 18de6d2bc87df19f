"""An aiosmtpd handler for the tests: stores every message in a Maildir, and refuses recipients whose
address starts with "bounce" the way a real server refuses an unknown mailbox (550 5.1.1)."""
import mailbox


class Sink:
    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("Give the Maildir folder")
        return cls(args[0])

    def __init__(self, maildir):
        self.mailbox = mailbox.Maildir(maildir, create=True)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("bounce"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.mailbox.add(envelope.original_content)
        return "250 Message accepted for delivery"

