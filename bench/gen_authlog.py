#!/usr/bin/env python3
"""gen_authlog.py OUT SIZE_MB [SEED] : a realistic Debian auth.log for bench/logs.sh.

BSD syslog dates from Mar 1, one line per event, in the mix research/hids.md
measured fail2ban with: SSH brute force and user enumeration from ~3,000
attacking addresses (bursts of 6-40 tries within minutes: "Invalid user",
"Failed password", "Connection closed ... [preauth]", "maximum authentication
attempts", pam_unix lines), ~2,000 legitimate addresses logging in with keys
or passwords (at most 2 typos, then success), scanners failing negotiation,
and CRON / sudo / systemd-logind noise. Deterministic for a seed.
Prints the attacking addresses (the truth) to OUT.attackers.
"""
import random
import sys

out, size_mb = sys.argv[1], int(sys.argv[2])
rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 8)
limit = size_mb * 1024 * 1024
MON = "Mar"
users = ["root", "admin", "test", "user", "oracle", "ubuntu", "pi", "git", "postgres", "ftpuser",
         "guest", "support", "deploy", "jenkins", "www-data", "nagios", "hadoop", "ansible"]
staff = ["taro", "hanako", "jiro", "sakura", "ken", "yui", "admin2", "backup"]


def ip(r):
    return "%d.%d.%d.%d" % (r.randint(1, 223), r.randint(0, 255), r.randint(0, 255), r.randint(1, 254))


attackers = sorted({ip(rnd) for _ in range(3000)})
legit = sorted({"10.%d.%d.%d" % (rnd.randint(0, 20), rnd.randint(0, 255), rnd.randint(1, 254)) for _ in range(2000)})
scanners = [ip(rnd) for _ in range(500)]
t = 0            # seconds since Mar 1 00:00:00
pid = 10000
hosts = ["srv1", "srv2", "web01"]
buf = []
size = 0
hit = set()


def stamp(sec):
    d, s = divmod(sec, 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    return "%s %2d %02d:%02d:%02d" % (MON, 1 + d % 28, h, m, s)


def emit(line):
    global size
    buf.append(line)
    size += len(line) + 1


with open(out, "w") as f:
    while size < limit:
        r = rnd.random()
        t += rnd.randint(0, 1)
        host = hosts[rnd.randrange(3)]
        pid += 1
        ts = stamp(t)
        if r < 0.02:
            # attack burst: 6..40 tries within a few minutes
            a = attackers[rnd.randrange(len(attackers))]
            hit.add(a)
            tt = t
            for k in range(rnd.randint(6, 40)):
                tt += rnd.randint(0, 5)
                s = stamp(tt)
                p = pid + k
                u = rnd.choice(users)
                port = rnd.randint(1024, 65535)
                kind = rnd.random()
                if kind < 0.45:
                    if u == "root":
                        emit("%s %s sshd[%d]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=root" % (s, host, p, a))
                        emit("%s %s sshd[%d]: Failed password for root from %s port %d ssh2" % (s, host, p, a, port))
                    else:
                        emit("%s %s sshd[%d]: Invalid user %s from %s port %d" % (s, host, p, u, a, port))
                        emit("%s %s sshd[%d]: Failed password for invalid user %s from %s port %d ssh2" % (s, host, p, u, a, port))
                    emit("%s %s sshd[%d]: Connection closed by %s user %s %s port %d [preauth]" % (s, host, p, "invalid" if u != "root" else "authenticating", u, a, port))
                elif kind < 0.65:
                    emit("%s %s sshd[%d]: Invalid user %s from %s port %d" % (s, host, p, u, a, port))
                    emit("%s %s sshd[%d]: Received disconnect from %s port %d:11: Bye Bye [preauth]" % (s, host, p, a, port))
                elif kind < 0.75:
                    emit("%s %s sshd[%d]: error: maximum authentication attempts exceeded for root from %s port %d ssh2 [preauth]" % (s, host, p, a, port))
                    emit("%s %s sshd[%d]: Disconnecting authenticating user root %s port %d: Too many authentication failures [preauth]" % (s, host, p, a, port))
                else:
                    emit("%s %s sshd[%d]: Failed password for %s from %s port %d ssh2" % (s, host, p, rnd.choice(staff), a, port))
            pid += 40
        elif r < 0.30:
            # a legitimate login, sometimes after one or two typos
            a = legit[rnd.randrange(len(legit))]
            u = rnd.choice(staff)
            port = rnd.randint(1024, 65535)
            for _ in range(rnd.choice((0, 0, 0, 1, 2))):
                emit("%s %s sshd[%d]: Failed password for %s from %s port %d ssh2" % (ts, host, pid, u, a, port))
            how = "publickey" if rnd.random() < 0.6 else "password"
            emit("%s %s sshd[%d]: Accepted %s for %s from %s port %d ssh2%s" % (ts, host, pid, how, u, a, port, ": ED25519 SHA256:q1w2e3r4t5y6u7i8o9p0" if how == "publickey" else ""))
            emit("%s %s sshd[%d]: pam_unix(sshd:session): session opened for user %s(uid=1000) by (uid=0)" % (ts, host, pid, u))
            emit("%s %s systemd-logind[412]: New session %d of user %s." % (ts, host, pid, u))
        elif r < 0.40:
            s = scanners[rnd.randrange(len(scanners))]
            port = rnd.randint(1024, 65535)
            if rnd.random() < 0.5:
                emit("%s %s sshd[%d]: Unable to negotiate with %s port %d: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1 [preauth]" % (ts, host, pid, s, port))
            else:
                emit("%s %s sshd[%d]: Connection closed by %s port %d [preauth]" % (ts, host, pid, s, port))
        elif r < 0.75:
            emit("%s %s CRON[%d]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)" % (ts, host, pid))
            emit("%s %s CRON[%d]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)" % (ts, host, pid))
            emit("%s %s CRON[%d]: pam_unix(cron:session): session closed for user root" % (ts, host, pid))
        else:
            u = rnd.choice(staff)
            emit("%s %s sudo: %8s : TTY=pts/%d ; PWD=/home/%s ; USER=root ; COMMAND=/usr/bin/systemctl status nginx" % (ts, host, u, rnd.randint(0, 5), u))
            emit("%s %s sudo: pam_unix(sudo:session): session opened for user root(uid=0) by %s(uid=1000)" % (ts, host, u))
        if len(buf) > 20000:
            f.write("\n".join(buf) + "\n")
            buf.clear()
    if buf:
        f.write("\n".join(buf) + "\n")
with open(out + ".attackers", "w") as f:
    f.write("\n".join(sorted(hit)) + "\n")
