#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Drives the whole wizard through AT-SPI, by accessible names only, the way a
screen reader user does: no widget ids, no coordinates, no synthetic keys.

Run by tests/a11y/a11y-session.sh, which provides the private D-Bus session,
the accessibility bus and the environment. Prints TAP.

usage: test-a11y-wizard.py BUILD_ROOT

GTK 4.8 facts this test lives with: the SHOWING
state is not set on widgets inside the window, so a name is looked up within
the current step (the subtree around the step's heading) rather than by
visibility; Text.getText(0, -1) returns '' (pass the character count); a
button whose label comes from GtkButton:label is named "<label with
mnemonic> <label>" (a GTK 4.8 bug, fixed in 4.10), so names are compared
after dropping the mnemonic underscore and the repeated half.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import pyatspi

BUILD = sys.argv[1] if len(sys.argv) > 1 else '_build'
N_STEPS = 7
TIMEOUT = 30.0

results = []


def tap(ok, description, diagnostic=None):
    results.append(ok)
    print(('ok' if ok else 'not ok') + ' %d - %s' % (len(results), description), flush=True)
    if diagnostic and not ok:
        for line in str(diagnostic).splitlines():
            print('# ' + line, flush=True)
    return ok


class Bail(Exception):
    pass


def require(ok, description, diagnostic=None):
    if not tap(ok, description, diagnostic):
        raise Bail(description)


def spoken(name):
    """What a screen reader says for @name (see the GTK 4.8 note above)."""
    name = (name or '').replace('_', '')
    half = len(name) // 2
    if len(name) % 2 == 1 and name[half] == ' ' and name[:half] == name[half + 1:]:
        name = name[:half]
    return name


def role(node):
    try:
        return node.getRoleName()
    except Exception:
        return ''


def walk(node):
    try:
        children = list(node)
    except Exception:
        return
    for child in children:
        if child is None:
            continue
        yield child
        yield from walk(child)


def find_all(root, role_name, name, match=None):
    match = match or (lambda a, b: a == b)
    return [n for n in walk(root) if role(n) == role_name and match(spoken(n.name), name)]


def wait_for(what, predicate, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
        except Bail:
            raise
        except Exception:  # an object can go away while we read it
            last = None
        if last:
            return last
        time.sleep(0.1)
    raise Bail('timed out waiting for ' + what)


def find(root, role_name, name, timeout=TIMEOUT):
    def one():
        found = find_all(root, role_name, name)
        return found[0] if found else None
    return wait_for('%s "%s"' % (role_name, name), one, timeout)


def scope(app, heading, role_name, name):
    """The nearest @role_name named @name around the label @heading: the
    control a user finds by moving from the step's heading."""
    label = find(app, 'label', heading)
    node = label
    while node is not None:
        found = find_all(node, role_name, name)
        if found:
            return found[0]
        node = node.parent
    raise Bail('no %s "%s" near "%s"' % (role_name, name, heading))


def click(button):
    """A button's "click", a switch's "toggle": what a screen reader's activate key does."""
    action = button.queryAction()
    names = [action.getName(i) for i in range(action.nActions)]
    for wanted in ('click', 'toggle', 'activate'):
        if wanted in names:
            return action.doAction(names.index(wanted))
    raise Bail('"%s" has no click action (it has %s)' % (spoken(button.name), names))


def sensitive(node):
    return node.getState().contains(pyatspi.STATE_SENSITIVE)


def type_into(entry, text):
    entry.queryEditableText().setTextContents(text)


def text_of(node):
    t = node.queryText()
    return t.getText(0, t.characterCount)


def at_step(app, n):
    return find(app, 'label', 'Step %d of %d' % (n, N_STEPS))


def next_step(app, n):
    """Presses Next (once it is enabled) and waits for step @n."""
    button = find(app, 'push button', 'Next')
    wait_for('Next enabled', lambda: sensitive(button))
    click(button)
    at_step(app, n)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def fingerprint_of(path):
    return run(['ssh-keygen', '-lf', path, '-E', 'sha256']).split()[1]


# ---- an optional real sshd, as the C tests use (root only) ----------------------------

TEST_USER = 'twtest'


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def start_sshd(public_key_line, admin_key_line):
    if os.geteuid() != 0 or shutil.which('sshd', path='/usr/sbin:/usr/bin') is None:
        return None
    if subprocess.run(['id', '-u', TEST_USER], capture_output=True).returncode != 0:
        subprocess.run(['useradd', '-m', '-s', '/bin/sh', TEST_USER], capture_output=True)
        # useradd leaves the account locked, which sshd refuses with UsePAM no
        subprocess.run(['usermod', '-p', '*', TEST_USER], capture_output=True)
    os.makedirs('/run/sshd', exist_ok=True)
    # Not under /tmp: sshd reads the keys as the user and StrictModes dislikes /tmp.
    os.makedirs('/run/tw-test', mode=0o755, exist_ok=True)
    d = tempfile.mkdtemp(prefix='a11y-sshd-', dir='/run/tw-test')
    os.chmod(d, 0o755)
    host_key = os.path.join(d, 'host_ed25519')
    run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'a11y-host', '-f', host_key])
    keys = os.path.join(d, 'keys')
    os.mkdir(keys, 0o755)
    with open(os.path.join(keys, TEST_USER), 'w') as f:
        f.write(public_key_line + '\n' + admin_key_line + '\n')
    os.chmod(os.path.join(keys, TEST_USER), 0o644)
    for _ in range(5):
        port = free_port()
        config = os.path.join(d, 'sshd_config')
        with open(config, 'w') as f:
            f.write('Port %d\nListenAddress 127.0.0.1\nHostKey %s\nPidFile %s/sshd.pid\n'
                    'AuthorizedKeysFile %s/%%u\nUsePAM no\nStrictModes no\n'
                    'PermitRootLogin no\nAllowTcpForwarding yes\n' % (port, host_key, d, keys))
        proc = subprocess.Popen(['/usr/sbin/sshd', '-D', '-f', config, '-E', os.path.join(d, 'log')],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(300):
            try:
                socket.create_connection(('127.0.0.1', port), timeout=1).close()
                return {'proc': proc, 'dir': d, 'port': port,
                        'fingerprint': fingerprint_of(host_key + '.pub')}
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.01)
        proc.kill()
        proc.wait()
    shutil.rmtree(d, ignore_errors=True)
    return None


LISTENER = r"""
import socket, struct, sys, threading

def exactly(conn, n):
    data = b''
    while len(data) < n:
        part = conn.recv(n - len(data))
        if not part:
            break
        data += part
    return data

def one(conn):
    with conn:
        try:
            conn.settimeout(30)
            first = exactly(conn, 8)
            if first == bytes.fromhex('0000000804d2162f'):
                # SSLRequest: no TLS here; the StartupMessage follows
                conn.sendall(b'N')
                first = exactly(conn, 8)
            # a StartupMessage (the clear-text attempt may come on a connection of its own)
            if len(first) == 8:
                length = struct.unpack('>I', first[:4])[0]
                exactly(conn, max(length - 8, 0))
                conn.sendall(b'R' + struct.pack('>II', 8, 0))
            conn.recv(1024)
        except OSError:
            pass

server = socket.socket()
server.bind(('127.0.0.1', 0))
server.listen(16)
print(server.getsockname()[1], flush=True)
while True:
    conn, _ = server.accept()
    threading.Thread(target=one, args=(conn,), daemon=True).start()
"""


def start_listener():
    """A stand-in for PostgreSQL on 127.0.0.1: it answers the SSLRequest with
    "N" (no TLS) and the StartupMessage with AuthenticationOk. A process of its
    own, so that walking the accessibility tree here never keeps it waiting.
    Returns its port."""
    import atexit
    proc = subprocess.Popen([sys.executable, '-c', LISTENER], stdout=subprocess.PIPE, text=True)
    atexit.register(proc.kill)
    return int(proc.stdout.readline())


def stop_sshd(sshd):
    if sshd:
        sshd['proc'].terminate()
        sshd['proc'].wait()
        shutil.rmtree(sshd['dir'], ignore_errors=True)


# ---- the walk through the wizard -----------------------------------------------------

def find_app(proc):
    desktop = pyatspi.Registry.getDesktop(0)

    def app():
        if proc.poll() is not None:
            raise Bail('the app exited with status %d' % proc.returncode)
        for a in desktop:
            if a is not None and a.name == 'tunnel-wizard':
                try:
                    if a.get_process_id() != proc.pid:
                        continue
                except Exception:
                    pass
                return a
        return None
    return wait_for('the app on the accessibility bus', app)


def every_control_named(app, where):
    """Every button, entry, combo, switch, spin button in the whole window
    (all steps are in the tree) has a name a screen reader can say."""
    controls = ('push button', 'toggle button', 'text', 'combo box', 'check box',
                'spin button', 'password text', 'menu item', 'radio button', 'slider')
    bad = []
    for n in walk(app):
        if role(n) in controls:
            name = spoken(n.name)
            if not name or name.startswith('Gtk') or name.startswith('Adw'):
                context, up = [], n.parent
                for _ in range(8):
                    if up is None:
                        break
                    if up.name:
                        context.append(spoken(up.name))
                    up = up.parent
                bad.append('%s %r in %s (description %r)' % (role(n), n.name, ' < '.join(context),
                                                               n.description))
    tap(not bad, 'every control has an accessible name (%s)' % where, '\n'.join(bad))


def wizard(app, tmp):
    # The start page: no tunnels yet.
    new_tunnel = find(app, 'push button', 'New tunnel')
    every_control_named(app, 'start')
    click(new_tunnel)
    at_step(app, 1)
    tap(True, 'New tunnel opens step 1')

    # Step 1: the service's public key, pasted as text.
    key = os.path.join(tmp, 'service_ed25519')
    run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'a11y-service', '-f', key])
    with open(key + '.pub') as f:
        public_line = f.read().strip()
    expected = fingerprint_of(key + '.pub')
    field = find(app, 'text', 'Public key')
    type_into(field, public_line)
    tap(text_of(field).strip() == public_line, 'the key field holds the pasted key')
    shown = wait_for('the fingerprint label', lambda: find_all(app, 'label', expected))
    tap(bool(shown), 'step 1 shows the fingerprint ssh-keygen -lf gives: ' + expected)
    copy = wait_for('"Copy Fingerprint"',
                    lambda: find_all(app, 'push button', 'Copy Fingerprint'))
    tap(bool(copy), 'the fingerprint has a "Copy Fingerprint" button')
    comment = find_all(app, 'label', 'a11y-service')
    tap(bool(comment), 'the key comment reads back')

    with open(os.path.join(tmp, 'admin_ed25519.pub')) as f:
        admin_line = f.read().strip()
    sshd = start_sshd(public_line, admin_line)
    listener = start_listener()
    try:
        walk_server_steps(app, expected, sshd, listener)
    finally:
        stop_sshd(sshd)


def walk_server_steps(app, key_fingerprint, sshd, listener):
    next_step(app, 2)
    tap(True, 'Next goes to step 2')

    # Step 2: the tunnel server and the destination.
    port = sshd['port'] if sshd else 2222
    type_into(find(app, 'text', 'SSH host'), '127.0.0.1')
    spin = find(app, 'spin button', 'SSH port')
    spin.queryValue().currentValue = float(port)
    tap(wait_for('port', lambda: int(spin.queryValue().currentValue) == port),
        'the SSH port spin button takes %d' % port)
    type_into(find(app, 'text', 'Tunnel user'), TEST_USER)
    type_into(find(app, 'text', 'Destination host'), 'localhost')
    dest = find(app, 'spin button', 'Destination port')
    dest.queryValue().currentValue = float(listener)
    tap(wait_for('port', lambda: int(dest.queryValue().currentValue) == listener),
        'the destination port spin button takes %d' % listener)
    next_step(app, 3)
    tap(True, 'step 2 filled by name; Next goes to step 3')

    # Step 3: the instructions for the server, with a Copy button.
    copy = scope(app, 'Prepare the Tunnel Server', 'push button', 'Copy')
    tap(sensitive(copy), 'step 3 has a Copy button for the instructions')
    click(copy)
    script = scope(app, 'Prepare the Tunnel Server', 'text', 'Linux')
    content = wait_for('the Linux script', lambda: text_of(script))
    tap(key_fingerprint and content.find(TEST_USER) >= 0,
        'the Linux script (read through AT-SPI) names the tunnel user', content[:400])
    public_key_body = None
    for line in content.splitlines():
        if 'ssh-ed25519' in line:
            public_key_body = line
    tap(public_key_body is not None, 'the Linux script installs the pasted key')
    next_step(app, 4)
    tap(True, 'Next goes to step 4')

    if not sshd:
        print('# SKIP steps 4-7: no sshd (not root)', flush=True)
        return

    # Step 4: the SSH checks against the real server.
    run_checks = scope(app, 'Step 4 of %d' % N_STEPS, 'push button', 'Run the Checks')
    click(run_checks)
    next_button = find(app, 'push button', 'Next')
    wait_for('the SSH checks to pass', lambda: sensitive(next_button), timeout=60)
    tap(True, 'step 4: the checks pass and Next is enabled')
    next_step(app, 5)

    # Step 5: the host key fingerprint, compared and pinned.
    shown = wait_for('the host key fingerprint',
                     lambda: find_all(app, 'label', sshd['fingerprint']))
    tap(bool(shown), 'step 5 shows the host key fingerprint ssh-keygen -lf gives: ' + sshd['fingerprint'])
    compare = find(app, 'text', 'Fingerprint to compare')
    type_into(compare, sshd['fingerprint'])
    pin = find(app, 'push button', 'Confirm and Pin This Key')
    wait_for('Confirm enabled', lambda: sensitive(pin))
    click(pin)
    next_step(app, 6)
    tap(True, 'step 5: pinned by name; Next goes to step 6')

    # Step 6: the destination checks, through the tunnel, signed in with the SSH agent
    # (the default "Sign In With"): a PostgreSQL-like listener that declines TLS.
    require_tls = find(app, 'check box', 'Require TLS through Tunnel')
    if require_tls.getState().contains(pyatspi.STATE_CHECKED):
        click(require_tls)
    tap(wait_for('Require TLS off',
                 lambda: not require_tls.getState().contains(pyatspi.STATE_CHECKED)),
        'step 6: "Require TLS through Tunnel" switched off by name')
    run_checks = find_all(app, 'push button', 'Run the Checks')
    run_checks = [b for b in run_checks if sensitive(b)] or run_checks
    click(run_checks[-1])
    next_button = find(app, 'push button', 'Next')
    ok = True
    try:
        wait_for('the destination checks to pass', lambda: sensitive(next_button), timeout=60)
    except Bail:
        ok = False
    if not ok:
        # What a user would hear on the failed rows: their names and texts.
        for n in walk(app):
            if role(n) == 'label' and n.name == 'Failed':
                row = n
                for _ in range(6):
                    if row.parent is not None:
                        row = row.parent
                print('# ' + ' | '.join(spoken(c.name) for c in walk(row) if c.name))
    require(ok, 'step 6: the destination checks pass through the tunnel')
    next_step(app, 7)

    # Step 7: the values for the service's form, read back row by row.
    for row, value in (('Host', '127.0.0.1'), ('Port', str(sshd['port'])), ('User', TEST_USER),
                       ('Host key fingerprint', sshd['fingerprint'])):
        item = wait_for('row ' + row, lambda: find_all(app, 'list item', row))
        labels = [spoken(n.name) for n in walk(item[0]) if role(n) == 'label']
        tap(value in labels, 'step 7: "%s" reads %s' % (row, value), repr(labels))
    type_into(find(app, 'text', 'Name of this tunnel'), 'a11y tunnel')
    click(find(app, 'push button', 'Save Tunnel'))
    saved = wait_for('the saved tunnel in the list',
                     lambda: [n for n in find_all(app, 'list', 'Saved tunnels')
                              if any(spoken(c.name).startswith('a11y tunnel') for c in walk(n))])
    tap(bool(saved), 'Save Tunnel: the tunnel is listed under "Saved tunnels"')
    # libadwaita 1.2's toast has an icon-only close button without a name (not ours
    # to fix in a .ui file): check once the "saved" toast has timed out.
    try:
        wait_for('the toast to go', lambda: not any(n.name == 'AdwToastWidget' for n in walk(app)),
                 timeout=15)
    except Bail:
        pass
    every_control_named(app, 'after the walk')


def main():
    tmp = tempfile.mkdtemp(prefix='tw-a11y-test-')
    env = dict(os.environ)
    env.pop('NO_AT_BRIDGE', None)
    env.pop('GTK_A11Y', None)
    env['LANGUAGE'] = 'C'
    env['LC_ALL'] = 'C.UTF-8'
    # The admin's own login for the checks of step 6: a key in an ssh-agent of our own.
    agent_sock = os.path.join(tmp, 'agent.sock')
    agent = subprocess.Popen(['ssh-agent', '-D', '-a', agent_sock],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    admin = os.path.join(tmp, 'admin_ed25519')
    run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'a11y-admin', '-f', admin])
    for _ in range(100):
        if os.path.exists(agent_sock):
            break
        time.sleep(0.05)
    env['SSH_AUTH_SOCK'] = agent_sock
    subprocess.run(['ssh-add', admin], env=env, capture_output=True)
    proc = subprocess.Popen([os.path.join(BUILD, 'src', 'tunnel-wizard')], env=env)
    status = 0
    try:
        app = find_app(proc)
        tap(True, 'the app is on the accessibility bus')
        wizard(app, tmp)
    except Bail as e:
        print('# Bail out! ' + str(e), flush=True)
        status = 1
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        agent.terminate()
        agent.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    # The plan comes last: how far the walk goes depends on the sshd being there.
    print('1..%d' % len(results), flush=True)
    if not all(results):
        status = 1
    return status


if __name__ == '__main__':
    sys.exit(main())
