#!/usr/bin/python3
"""tests/web/slowloris.py - slow clients against `samla serve` (issue 14).

Usage: slowloris.py PORT COOKIE SECONDS [SOCKETS] [SOURCE]

Holds SOCKETS (default 200) connections from SOURCE (default 127.0.0.1,
the same address as the normal client) that each send a request line and
then one header line every 3 s, never finishing; a socket the server
closes is opened again at once, as a real attacker would. Meanwhile a
normal client (also from 127.0.0.1) asks for the overview with the session
COOKIE ("name=value") every half second for SECONDS and times each answer
from connect to the last byte.

Prints one line per overview request ("# overview N: 0.012 s 200") and at
the end:
    times n=N max=S median=S
    slow_cut=N      (slow sockets the server closed: its deadline)
    slow_open=N     (slow sockets open at the end)
Exit 0 always; the shell test judges the figures.
"""
import selectors
import socket
import sys
import time

port = int(sys.argv[1])
cookie = sys.argv[2]
seconds = float(sys.argv[3])
nslow = int(sys.argv[4]) if len(sys.argv) > 4 else 200
source = sys.argv[5] if len(sys.argv) > 5 else '127.0.0.1'

sel = selectors.DefaultSelector()
slow = {}  # socket -> next send time
cut = 0


def open_slow():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((source, 0))
    s.setblocking(False)
    try:
        s.connect(('127.0.0.1', port))
    except BlockingIOError:
        pass
    sel.register(s, selectors.EVENT_READ)
    slow[s] = ('start', time.monotonic())


def send_slow(s, now):
    state, _ = slow[s]
    try:
        if state == 'start':
            s.send(b'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n')
        else:
            s.send(b'X-Langsam: %d\r\n' % int(now))
        slow[s] = ('header', now + 3.0)
    except (BlockingIOError, InterruptedError):
        slow[s] = (state, now + 0.1)
    except OSError:
        drop(s)


def drop(s):
    global cut
    cut += 1
    try:
        sel.unregister(s)
    except (KeyError, ValueError):
        pass
    slow.pop(s, None)
    s.close()


def overview():
    t0 = time.monotonic()
    c = socket.create_connection(('127.0.0.1', port), timeout=30)
    c.sendall(('GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nCookie: %s\r\n'
               'Connection: close\r\n\r\n' % (port, cookie)).encode())
    data = b''
    while True:
        b = c.recv(65536)
        if not b:
            break
        data += b
    c.close()
    t = time.monotonic() - t0
    status = data.split(b' ', 2)[1].decode() if data.startswith(b'HTTP/') else '?'
    ok = b'</html>' in data
    return t, status, ok


for _ in range(nslow):
    open_slow()
# Let the server take them all before the first measurement.
time.sleep(1.0)

times = []
end = time.monotonic() + seconds
next_probe = time.monotonic()
n = 0
while time.monotonic() < end:
    now = time.monotonic()
    for s, (state, when) in list(slow.items()):
        if when <= now:
            send_slow(s, now)
    for key, _ in sel.select(timeout=0.05):
        s = key.fileobj
        try:
            b = s.recv(4096)
        except (BlockingIOError, InterruptedError):
            continue
        except OSError:
            b = b''
        if not b:  # closed by the server: the deadline; come back at once
            drop(s)
            open_slow()
    if now >= next_probe:
        n += 1
        try:
            t, status, complete = overview()
        except OSError as e:
            t, status, complete = 99.0, 'error %s' % e, False
        times.append(t)
        print('# overview %d: %.3f s %s%s' % (n, t, status, '' if complete else ' (incomplete)'),
              flush=True)
        if status != '200' or not complete:
            times[-1] = 99.0
        next_probe = time.monotonic() + 0.5

times.sort()
print('times n=%d max=%.3f median=%.3f' % (len(times), times[-1], times[len(times) // 2]))
print('slow_cut=%d' % cut)
print('slow_open=%d' % len(slow))
