#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sorts ThreadSanitizer reports (test logs given as arguments) by where the
two accesses are: A = one of them is an allocation or free in another thread
(memory handed over or reused through GLib), B = one is inside an
uninstrumented library, C = both in our code (the ones to read by hand).
See tests/README-sanitizers.md."""
import re, sys, collections
cats = collections.Counter(); ours = collections.Counter()
for path in sys.argv[1:]:
    text = open(path, errors='replace').read()
    for rep in text.split('==================')[1:]:
        if 'WARNING: ThreadSanitizer' not in rep: continue
        kind = re.search(r'WARNING: ThreadSanitizer: ([^(]+)', rep).group(1).strip()
        blocks = re.split(r'\n  (?=Read|Write|Previous|Atomic|Location|Mutex|Thread)', rep)
        acc = [b for b in blocks if re.match(r'(Read|Write|Atomic|Previous)', b)]
        def top(b):
            for line in b.splitlines()[1:]:
                m = re.match(r'\s+#\d+ (\S+) (\S+)', line)
                if m:
                    fn, loc = m.groups()
                    if 'tsan_interceptors' in loc or fn in ('calloc','malloc','posix_memalign','realloc','free','memcpy','memset'): continue
                    return fn, loc
            return ('?', '?')
        tops = [top(b) for b in acc]
        prev_alloc = len(acc) > 1 and re.search(r'#0 (calloc|malloc|posix_memalign|realloc|free) ', acc[1])
        libs = [t for t in tops if re.search(r'lib(glib|gobject|gio|ssh|proxy|gnutls|c)[-.]', t[1]) or t[1] == '<null>' or t[0] == '<null>']
        if kind != 'data race': c = kind
        elif prev_alloc: c = 'A: previous access is malloc/free in another thread (memory handed over or reused through GLib)'
        elif libs: c = 'B: an access inside uninstrumented GLib/GObject/GIO/libssh'
        else:
            c = 'C: both accesses in our code'
            ours[' <-> '.join(f'{t[0]} {t[1]}' for t in tops)] += 1
        cats[c] += 1
for c, n in cats.most_common(): print(f'{n:6d}  {c}')
for k, n in ours.most_common():
    print(f'   {n:4d}  {k}')
