#!/usr/bin/python3
"""Stand-in for the mail server motcua sends citizen e-mail through.

A real SMTP server (Debian's aiosmtpd, package python3-aiosmtpd) with a
handler of our own: it refuses some recipients by rule, so that bounces and
temporary failures can be tested, parses every accepted message with the
standard `email` package, and appends it as one JSON line to --out, decoded
(subject, addresses, text and HTML parts), so that a test can check what a
citizen would read. See tests/standins/README.md.

Run it with Debian's interpreter, which has aiosmtpd:

    /usr/bin/python3 mailbox.py --port 0 [--host 127.0.0.1] --out FILE
"""

import argparse
import asyncio
import datetime
import email
import email.policy
import json
import logging
import signal
import sys

from aiosmtpd.smtp import SMTP

# Headers copied into each JSON line (null when the message has none): the
# ones a test of motcua's notifications checks.
RECORDED_HEADERS = ('Message-ID', 'Date', 'Content-Type', 'List-Unsubscribe', 'Auto-Submitted')


def utc_now():
    """The time as the Node stand-ins write it: 2026-01-05T08:30:00.000Z."""
    now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='milliseconds')
    return now.replace('+00:00', 'Z')


def log(line):
    sys.stderr.write(f'{utc_now()} smtp {line}\n')
    sys.stderr.flush()


def header(msg, name):
    """The header decoded (RFC 2047 words included) as a str, or None."""
    value = msg[name]
    return None if value is None else str(value)


def part_text(msg, subtype):
    """The decoded content of the message's text/<subtype> body, or None."""
    part = msg.get_body(preferencelist=(subtype,))
    return None if part is None else part.get_content()


class Mailbox:
    """The aiosmtpd handler: recipient rules, then one JSON line per message."""

    def __init__(self, out):
        self.out = out

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local, _, domain = address.rpartition('@')
        local, domain = local.lower(), domain.lower()
        if domain == 'invalid' or domain.endswith('.invalid') or local.startswith('bad'):
            log(f'rcpt {address} -> 550')
            return f'550 5.1.1 <{address}>: mailbox unavailable'
        if local.startswith('busy'):
            log(f'rcpt {address} -> 451')
            return '451 4.3.0 try again later'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        try:
            # SMTP carries lines ending in CRLF; parsed with LF endings, the
            # text and HTML parts come out as the sender wrote them.
            raw = envelope.original_content.replace(b'\r\n', b'\n')
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            record = {
                'mail_from': envelope.mail_from,
                'rcpt_tos': list(envelope.rcpt_tos),
                'subject': header(msg, 'Subject'),
                'from': header(msg, 'From'),
                'to': header(msg, 'To'),
                'text': part_text(msg, 'plain'),
                'html': part_text(msg, 'html'),
                'headers': {name: header(msg, name) for name in RECORDED_HEADERS},
                'received_at': utc_now(),
            }
        except Exception as err:  # a message the email package cannot read is refused, not lost silently
            log(f'data from={envelope.mail_from} -> 554 ({type(err).__name__}: {err})')
            return '554 5.6.0 message could not be parsed'
        # Opened per message, so that a test may truncate or remove the file between messages.
        with open(self.out, 'a', encoding='utf-8') as f:
            f.write(json.dumps(record, ensure_ascii=False) + '\n')
            f.flush()
        log(f'data from={envelope.mail_from} to={",".join(envelope.rcpt_tos)} '
            f'subject={json.dumps(record["subject"], ensure_ascii=False)} -> 250')
        return '250 OK'


async def serve(args):
    loop = asyncio.get_running_loop()
    mailbox = Mailbox(args.out)
    # asyncio's own server rather than aiosmtpd's Controller: it reports the
    # port it bound, so --port 0 has no race between finding a port and using it.
    server = await loop.create_server(
        lambda: SMTP(mailbox, hostname='mailbox.standin', ident='motcua SMTP stand-in',
                     enable_SMTPUTF8=True),
        host=args.host, port=args.port)
    stopped_by = loop.create_future()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, lambda s=signum: stopped_by.done() or stopped_by.set_result(s))
    sys.stdout.write(f'listening on {server.sockets[0].getsockname()[1]}\n')
    sys.stdout.flush()
    signum = await stopped_by
    log(f'{signal.Signals(signum).name}: shutting down')
    server.close()
    try:
        # Python 3.12 and later wait here for open sessions; they are
        # cancelled anyway when asyncio.run() returns.
        await asyncio.wait_for(server.wait_closed(), timeout=1)
    except asyncio.TimeoutError:  # the same as TimeoutError from Python 3.11
        pass


def main():
    parser = argparse.ArgumentParser(description='SMTP stand-in: one JSON line per accepted message.')
    parser.add_argument('--port', type=int, default=0, help='port to listen on; 0 takes any free port')
    parser.add_argument('--host', default='127.0.0.1', help='address to listen on')
    parser.add_argument('--out', required=True, help='JSON-lines file the messages are appended to')
    args = parser.parse_args()
    if not 0 <= args.port <= 65535:
        parser.error('--port must be 0..65535')
    # aiosmtpd logs every session event on "mail.log"; keep stderr to one line per message.
    logging.getLogger('mail.log').setLevel(logging.ERROR)
    try:
        asyncio.run(serve(args))
    except OSError as err:
        sys.stderr.write(f'smtp stand-in: cannot listen: {err}\n')
        sys.exit(2)
    sys.exit(0)


if __name__ == '__main__':
    main()
