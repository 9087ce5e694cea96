#!/usr/bin/python3
"""Self-check of the SMTP stand-in: starts mailbox.py on a free port, sends
messages with smtplib (a Vietnamese subject, HTML and plain parts, refused
and deferred recipients), checks the JSON lines it writes, and that SIGTERM
stops it cleanly. Prints one line per failed check and exits 1 if there was
any, 0 otherwise. Standard library only (the server needs aiosmtpd, so it is
always started with Debian's /usr/bin/python3).

    /usr/bin/python3 tests/standins/smtp/selfcheck.py
"""

import json
import os
import re
import selectors
import shutil
import smtplib
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

HERE = os.path.dirname(os.path.abspath(__file__))
MAILBOX = os.path.join(HERE, 'mailbox.py')
PYTHON = '/usr/bin/python3'  # Debian's interpreter: the one that has python3-aiosmtpd

failures = 0
checks = 0


def expect(label, actual, expected):
    global failures, checks
    checks += 1
    if actual == expected:
        return
    failures += 1
    print(f'FAIL {label}\n  expected {expected!r}\n  got      {actual!r}')


def start(out):
    """Starts the server; returns (process, port, first stdout line)."""
    proc = subprocess.Popen([PYTHON, MAILBOX, '--port', '0', '--out', out],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    if not sel.select(timeout=10):
        proc.kill()
        raise RuntimeError('the server did not print its port within 10 s')
    line = proc.stdout.readline().decode()
    m = re.fullmatch(r'listening on (\d+)\n', line)
    if not m:
        proc.kill()
        raise RuntimeError(f'unexpected first line {line!r}; stderr: {proc.stderr.read().decode()}')
    return proc, int(m.group(1)), line


def read_lines(out):
    if not os.path.exists(out):
        return []
    with open(out, encoding='utf-8') as f:
        return [json.loads(line) for line in f]


def notification(to='Nguyễn Văn An <an@example.org>'):
    msg = EmailMessage()
    msg['Subject'] = 'Hồ sơ đã được tiếp nhận'
    msg['From'] = 'Bộ phận Một cửa UBND tỉnh <motcua@example.org>'
    msg['To'] = to
    msg['Date'] = formatdate(localtime=False)
    msg['Message-ID'] = make_msgid(domain='motcua.example.org')
    msg['Auto-Submitted'] = 'auto-generated'
    msg['List-Unsubscribe'] = '<https://motcua.example.org/unsubscribe/abc>'
    msg.set_content('Hồ sơ H56.01-260105-0001 đã được tiếp nhận.\nNgày hẹn trả: 12/01/2026.\n')
    msg.add_alternative('<p>Hồ sơ <b>H56.01-260105-0001</b> đã được tiếp nhận.</p>\n', subtype='html')
    return msg


def refused(port, rcpt):
    """The (code, text) the server answered RCPT TO:<rcpt> with, or None when accepted."""
    with smtplib.SMTP('127.0.0.1', port, timeout=5) as client:
        try:
            client.sendmail('motcua@example.org', [rcpt], b'Subject: x\r\n\r\nx\r\n')
        except smtplib.SMTPRecipientsRefused as err:
            code, text = err.recipients[rcpt]
            return code, text.decode()
    return None


def walk(port, out):
    # A multipart notification with a Vietnamese subject and display names.
    msg = notification()
    with smtplib.SMTP('127.0.0.1', port, timeout=5) as client:
        client.send_message(msg)
    lines = read_lines(out)
    expect('one line per message', len(lines), 1)
    got = lines[-1]
    expect('keys', sorted(got), sorted(['mail_from', 'rcpt_tos', 'subject', 'from', 'to', 'text', 'html',
                                         'headers', 'received_at']))
    expect('subject decoded', got['subject'], 'Hồ sơ đã được tiếp nhận')
    expect('from decoded', got['from'], 'Bộ phận Một cửa UBND tỉnh <motcua@example.org>')
    expect('to decoded', got['to'], 'Nguyễn Văn An <an@example.org>')
    expect('envelope', [got['mail_from'], got['rcpt_tos']], ['motcua@example.org', ['an@example.org']])
    expect('received_at', bool(re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z', got['received_at'])), True)
    expect('text part', got['text'], 'Hồ sơ H56.01-260105-0001 đã được tiếp nhận.\nNgày hẹn trả: 12/01/2026.\n')
    expect('html part', got['html'], '<p>Hồ sơ <b>H56.01-260105-0001</b> đã được tiếp nhận.</p>\n')
    h = got['headers']
    expect('Message-ID', h['Message-ID'], msg['Message-ID'])
    expect('Date', h['Date'], msg['Date'])
    expect('Auto-Submitted', h['Auto-Submitted'], 'auto-generated')
    expect('List-Unsubscribe', h['List-Unsubscribe'], '<https://motcua.example.org/unsubscribe/abc>')
    expect('Content-Type', h['Content-Type'].split(';')[0], 'multipart/alternative')
    with open(out, encoding='utf-8') as f:
        expect('written as UTF-8, not \\u escapes', 'Hồ sơ' in f.read(), True)

    # Recipient rules.
    expect('bad@ refused', refused(port, 'bad@example.org'), (550, '5.1.1 <bad@example.org>: mailbox unavailable'))
    expect('Bad.Case@ refused', refused(port, 'Bad.Case@example.org')[0], 550)
    expect('.invalid refused', refused(port, 'an@host.invalid')[0], 550)
    expect('busy@ deferred', refused(port, 'busy@example.org'), (451, '4.3.0 try again later'))
    expect('"bad" elsewhere in the local part accepted', refused(port, 'abad@example.org'), None)
    expect('.invalid only at the end of the domain', refused(port, 'an@invalid.example.org'), None)

    # Mixed recipients: the message goes to the accepted ones only.
    with smtplib.SMTP('127.0.0.1', port, timeout=5) as client:
        rejected = client.send_message(notification(), to_addrs=['an@example.org', 'bad@example.org',
                                                                    'busy@example.org'])
    expect('mixed: refusals reported', {k: v[0] for k, v in rejected.items()},
           {'bad@example.org': 550, 'busy@example.org': 451})
    expect('mixed: delivered to the accepted one', read_lines(out)[-1]['rcpt_tos'], ['an@example.org'])

    # Plain text only (8-bit UTF-8 body), then HTML only.
    plain = EmailMessage()
    plain['Subject'] = 'Yêu cầu bổ sung hồ sơ'
    plain['From'] = 'motcua@example.org'
    plain['To'] = 'an@example.org'
    plain.set_content('Đề nghị bổ sung: bản sao CCCD.\n', cte='8bit')
    html = EmailMessage()
    html['Subject'] = 'Có kết quả'
    html['From'] = 'motcua@example.org'
    html['To'] = 'an@example.org'
    html.set_content('<p>Có kết quả</p>\n', subtype='html')
    with smtplib.SMTP('127.0.0.1', port, timeout=5) as client:
        client.send_message(plain)
        client.send_message(html)
    got_plain, got_html = read_lines(out)[-2:]
    expect('plain: text', got_plain['text'], 'Đề nghị bổ sung: bản sao CCCD.\n')
    expect('plain: no html', got_plain['html'], None)
    expect('plain: absent headers are null', [got_plain['headers']['Message-ID'], got_plain['headers']['Auto-Submitted']],
           [None, None])
    expect('html only: no text', [got_html['text'], got_html['html']], [None, '<p>Có kết quả</p>\n'])

    # An internationalised address goes through SMTPUTF8.
    with smtplib.SMTP('127.0.0.1', port, timeout=5) as client:
        client.send_message(notification(to='Nguyễn Văn An <nguyễn@example.org>'))
    expect('SMTPUTF8 recipient', read_lines(out)[-1]['rcpt_tos'], ['nguyễn@example.org'])
    return len(read_lines(out))


def main():
    tmp = tempfile.mkdtemp(prefix='smtp-selfcheck-')
    out = os.path.join(tmp, 'mail.jsonl')
    proc = None
    try:
        proc, port, first = start(out)
        expect('stdout line', first, f'listening on {port}\n')
        delivered = walk(port, out)

        # SIGTERM stops it promptly, even with a session left open.
        idle = smtplib.SMTP('127.0.0.1', port, timeout=5)
        idle.ehlo()
        t0 = time.monotonic()
        proc.terminate()
        try:
            code = proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = 'no exit within 5 s'
        idle.close()
        expect('SIGTERM: exit status', code, 0)
        expect('SIGTERM: prompt', time.monotonic() - t0 < 3, True)
        expect('stdout: nothing more', proc.stdout.read(), b'')
        stderr = proc.stderr.read().decode()
        expect('stderr: one line per message', len(re.findall(r' smtp data .* -> 250$', stderr, re.M)), delivered)
        expect('stderr: nothing else but refusals and shutdown',
               [line for line in stderr.splitlines() if not re.search(r' smtp (data|rcpt) | SIGTERM: shutting down$', line)],
               [])
    except Exception as err:  # report it as a failure, then clean up
        global failures
        failures += 1
        print(f'FAIL {type(err).__name__}: {err}')
    finally:
        if proc is not None and proc.poll() is None:
            proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f'{failures} of {checks} checks failed' if failures else f'all {checks} checks passed')
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
