#!/usr/bin/python3
"""The libvirt side of `./vmsup bench libvirt` (scripts/bench-libvirt starts it through the Java bench).

Reads one JSON request per line on stdin and answers one JSON line on stdout; times each libvirt call with
time.perf_counter_ns() around the python3-libvirt call alone, over one connection to qemu:///system kept open for
the whole run (as the vmsup side keeps one HTTP connection alive). Requests:

  {"op": "hello"}                          -> {"ok": true, "libvirt": "9.0.0", "qemu": "7.2.22"}
  {"op": "start", "name": N}               -> {"ok": true, "ns": T}    virDomainCreateXML, returns once running
  {"op": "kill", "name": N}                -> {"ok": true, "ns": T}    virDomainDestroy (the domain is transient)
  {"op": "qmp", "name": N, "n": K}         -> {"ok": true, "ns": [..]} K x qemuMonitorCommand query-status
  {"op": "state", "name": N, "n": K}       -> {"ok": true, "ns": [..]} K x virDomainGetState
  {"op": "cleanup"}                        -> {"ok": true, "destroyed": K}  every domain named PREFIX*
A failure answers {"ok": false, "error": "..."}. End of stdin: cleanup, then exit.

Every domain is transient, named PREFIX + the name asked for; the VM is the one the vmsup side runs: TCG q35, 128 MiB,
one vCPU, no disk, no NIC, no display, no USB controller, no memory balloon.
"""
import json
import sys
import time

import libvirt
import libvirt_qemu

PREFIX = "vmsup-bench-"
URI = "qemu:///system"
DOMAIN = """<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <emulator>{emulator}</emulator>
    <controller type='usb' model='none'/>
    <memballoon model='none'/>
  </devices>
</domain>"""
QUERY_STATUS = '{"execute": "query-status"}'


class Driver:
    def __init__(self, emulator):
        self.emulator = emulator
        self.conn = libvirt.open(URI)
        self.domains = {}

    def domain(self, name):
        d = self.domains.get(name)
        if d is None:
            d = self.conn.lookupByName(PREFIX + name)
            self.domains[name] = d
        return d

    def hello(self, req):
        v = self.conn.getLibVersion()
        q = self.conn.getVersion()
        return {"libvirt": "%d.%d.%d" % (v // 1000000, v // 1000 % 1000, v % 1000),
                "qemu": "%d.%d.%d" % (q // 1000000, q // 1000 % 1000, q % 1000)}

    def start(self, req):
        xml = DOMAIN.format(name=PREFIX + req["name"], emulator=self.emulator)
        t0 = time.perf_counter_ns()
        d = self.conn.createXML(xml, 0)
        took = time.perf_counter_ns() - t0
        state = d.state()[0]
        if state != libvirt.VIR_DOMAIN_RUNNING:
            raise RuntimeError("domain %s is in state %d after createXML, not running" % (req["name"], state))
        self.domains[req["name"]] = d
        return {"ns": took}

    def kill(self, req):
        d = self.domain(req["name"])
        t0 = time.perf_counter_ns()
        d.destroy()
        took = time.perf_counter_ns() - t0
        self.domains.pop(req["name"], None)
        return {"ns": took}

    def qmp(self, req):
        d = self.domain(req["name"])
        out = []
        for _ in range(int(req["n"])):
            t0 = time.perf_counter_ns()
            reply = libvirt_qemu.qemuMonitorCommand(d, QUERY_STATUS, 0)
            out.append(time.perf_counter_ns() - t0)
            if '"return"' not in reply:
                raise RuntimeError("query-status answered " + reply)
        return {"ns": out}

    def state(self, req):
        d = self.domain(req["name"])
        out = []
        for _ in range(int(req["n"])):
            t0 = time.perf_counter_ns()
            state = d.state()
            out.append(time.perf_counter_ns() - t0)
            if state[0] != libvirt.VIR_DOMAIN_RUNNING:
                raise RuntimeError("state of %s is %r, not running" % (req["name"], state))
        return {"ns": out}

    def cleanup(self, req=None):
        destroyed = 0
        for d in self.conn.listAllDomains(0):
            if d.name().startswith(PREFIX):
                try:
                    d.destroy()
                    destroyed += 1
                except libvirt.libvirtError:
                    pass  # it went away meanwhile
        self.domains.clear()
        return {"destroyed": destroyed}


def main():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print("usage: libvirt-driver.py QEMU_BINARY   (driven by ./vmsup bench libvirt; see the file's docstring)",
              file=sys.stderr)
        return 2
    libvirt.registerErrorHandler(lambda ctx, err: None, None)  # errors come back as exceptions, not stderr noise
    driver = Driver(sys.argv[1])
    ops = {"hello": driver.hello, "start": driver.start, "kill": driver.kill, "qmp": driver.qmp,
           "state": driver.state, "cleanup": driver.cleanup}
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                req = json.loads(line)
                op = ops.get(req.get("op"))
                if op is None:
                    raise ValueError("unknown op %r (known: %s)" % (req.get("op"), ", ".join(sorted(ops))))
                reply = {"ok": True}
                reply.update(op(req))
            except Exception as e:  # every failure goes back to the bench as an answer
                reply = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
            sys.stdout.write(json.dumps(reply) + "\n")
            sys.stdout.flush()
    finally:
        driver.cleanup()
        driver.conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
