/* qmp-sim: the poll loop, the QMP monitor and its commands (answers as QEMU 7.2 gives them for machine none). */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "qmp-sim.h"

static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long) t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static struct chardev *monitor(struct sim *s) {
  for (int i = 0; i < s->nchardevs; i++)
    if (!strcmp(s->chardevs[i].id, s->qmp_id)) return &s->chardevs[i];
  fprintf(stderr, "qmp-sim: -mon names chardev %s, which is not a server socket chardev\n", s->qmp_id);
  exit(1);
}

/* Writes all of text to the monitor client (blocking briefly if its buffer is full); drops it without a client. */
static void send_text(struct sim *s, const char *text) {
  struct chardev *m = monitor(s);
  if (m->conn_fd < 0) return;
  size_t len = strlen(text), off = 0;
  while (off < len) {
    ssize_t n = write(m->conn_fd, text + off, len - off);
    if (n > 0) { off += (size_t) n; continue; }
    if (n < 0 && errno == EAGAIN) { struct pollfd p = {m->conn_fd, POLLOUT, 0}; poll(&p, 1, 1000); continue; }
    return; /* the client went away: QEMU drops output for it too */
  }
}

static void sendf(struct sim *s, const char *fmt, ...) {
  char buf[8192];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf - 2, fmt, ap);
  va_end(ap);
  if (n < 0 || n >= (int) sizeof buf - 2) return;
  strcat(buf, "\r\n");
  send_text(s, buf);
}

static void event(struct sim *s, const char *name, const char *data) {
  if (!s->negotiated) return;
  struct timeval tv;
  gettimeofday(&tv, NULL);
  if (data)
    sendf(s, "{\"timestamp\": {\"seconds\": %ld, \"microseconds\": %ld}, \"event\": \"%s\", \"data\": %s}",
          (long) tv.tv_sec, (long) tv.tv_usec, name, data);
  else
    sendf(s, "{\"timestamp\": {\"seconds\": %ld, \"microseconds\": %ld}, \"event\": \"%s\"}",
          (long) tv.tv_sec, (long) tv.tv_usec, name);
}

static void reply(struct sim *s, const char *id, size_t id_len, const char *value) {
  if (id) sendf(s, "{\"return\": %s, \"id\": %.*s}", value, (int) id_len, id);
  else sendf(s, "{\"return\": %s}", value);
}

static void error(struct sim *s, const char *id, size_t id_len, const char *cls, const char *desc) {
  if (id) sendf(s, "{\"id\": %.*s, \"error\": {\"class\": \"%s\", \"desc\": \"%s\"}}", (int) id_len, id, cls, desc);
  else sendf(s, "{\"error\": {\"class\": \"%s\", \"desc\": \"%s\"}}", cls, desc);
}

void sim_shutdown(struct sim *s, const char *reason) {
  char data[128];
  snprintf(data, sizeof data, "{\"guest\": %s, \"reason\": \"%s\"}",
           strncmp(reason, "guest-", 6) ? "false" : "true", reason);
  event(s, "SHUTDOWN", data);
  if (s->pidfile) unlink(s->pidfile);
  exit(0);
}

void sim_set_fault(struct sim *s, const char *mode, long ms) {
  if (!strcmp(mode, "hang")) s->fault = FAULT_HANG;
  else if (!strcmp(mode, "slow")) { s->fault = FAULT_SLOW; s->slow_ms = ms > 0 ? ms : 1000; }
  else if (!strcmp(mode, "die")) exit(1);
  else if (!strcmp(mode, "kill")) raise(SIGKILL);
  else s->fault = FAULT_NONE;
}

static const char *status(struct sim *s) {
  return s->prelaunch ? "prelaunch" : s->paused ? "paused" : "running";
}

/* x-sim-fault {"mode", "ms"?} and x-sim-event {"event", "data"?}: faults and events on demand. */
static void sim_command(struct sim *s, const char *cmd, const char *args, size_t alen, const char *id, size_t ilen) {
  size_t l;
  char text[64] = {0};
  if (!strcmp(cmd, "x-sim-fault")) {
    const char *mode = args ? json_member(args, args + alen, "mode", &l) : NULL;
    if (!mode || !json_string(mode, l, text, sizeof text)) {
      error(s, id, ilen, "GenericError", "Parameter 'mode' is missing");
      return;
    }
    const char *ms = json_member(args, args + alen, "ms", &l);
    reply(s, id, ilen, "{}");
    sim_set_fault(s, text, ms ? atol(ms) : 0);
    return;
  }
  const char *ev = args ? json_member(args, args + alen, "event", &l) : NULL;
  if (!ev || !json_string(ev, l, text, sizeof text)) {
    error(s, id, ilen, "GenericError", "Parameter 'event' is missing");
    return;
  }
  const char *data = json_member(args, args + alen, "data", &l);
  char *copy = data ? strndup(data, l) : NULL;
  if (!strcmp(text, "STOP")) s->paused = 1;
  if (!strcmp(text, "RESUME")) s->paused = 0;
  event(s, text, copy);
  reply(s, id, ilen, "{}");
  if (!strcmp(text, "SHUTDOWN")) { if (s->pidfile) unlink(s->pidfile); exit(0); }
  free(copy);
}

static void command(struct sim *s, const char *cmd, const char *args, size_t alen, const char *id, size_t ilen) {
  char buf[512];
  if (!s->negotiated) {
    if (strcmp(cmd, "qmp_capabilities")) {
      error(s, id, ilen, "CommandNotFound", "Expecting capabilities negotiation with 'qmp_capabilities'");
      return;
    }
    s->negotiated = 1;
    reply(s, id, ilen, "{}");
  } else if (!strcmp(cmd, "qmp_capabilities")) {
    error(s, id, ilen, "CommandNotFound", "Capabilities negotiation is already complete, command ignored");
  } else if (!strcmp(cmd, "query-status")) {
    snprintf(buf, sizeof buf, "{\"status\": \"%s\", \"singlestep\": false, \"running\": %s}", status(s),
             s->paused ? "false" : "true");
    reply(s, id, ilen, buf);
  } else if (!strcmp(cmd, "query-version")) {
    snprintf(buf, sizeof buf, "{\"qemu\": {\"micro\": %d, \"minor\": %d, \"major\": %d}, \"package\": \"%s\"}",
             SIM_MICRO, SIM_MINOR, SIM_MAJOR, SIM_PACKAGE);
    reply(s, id, ilen, buf);
  } else if (!strcmp(cmd, "query-name")) {
    if (s->name) snprintf(buf, sizeof buf, "{\"name\": \"%s\"}", s->name);
    reply(s, id, ilen, s->name ? buf : "{}");
  } else if (!strcmp(cmd, "query-cpus-fast") || !strcmp(cmd, "query-blockstats") || !strcmp(cmd, "query-pci")
             || !strcmp(cmd, "query-block") || !strcmp(cmd, "query-chardev") || !strcmp(cmd, "query-jobs")) {
    reply(s, id, ilen, "[]");
  } else if (!strcmp(cmd, "query-hotpluggable-cpus")) {
    error(s, id, ilen, "GenericError", "The feature 'query-hotpluggable-cpus' is not enabled");
  } else if (!strcmp(cmd, "query-memory-size-summary")) {
    reply(s, id, ilen, "{\"base-memory\": 0, \"plugged-memory\": 0}");
  } else if (!strcmp(cmd, "stop")) {
    if (!s->paused) event(s, "STOP", NULL);
    s->paused = 1;
    reply(s, id, ilen, "{}");
  } else if (!strcmp(cmd, "cont")) {
    if (s->paused) event(s, "RESUME", NULL);
    s->paused = 0;
    s->prelaunch = 0;
    reply(s, id, ilen, "{}");
  } else if (!strcmp(cmd, "system_powerdown")) {
    event(s, "POWERDOWN", NULL); /* machine none has no ACPI: the button is pressed and nothing happens */
    reply(s, id, ilen, "{}");
  } else if (!strcmp(cmd, "system_reset")) {
    event(s, "RESET", "{\"guest\": false, \"reason\": \"host-qmp-system-reset\"}");
    reply(s, id, ilen, "{}");
  } else if (!strcmp(cmd, "quit")) {
    event(s, "SHUTDOWN", "{\"guest\": false, \"reason\": \"host-qmp-quit\"}");
    reply(s, id, ilen, "{}");
    if (s->pidfile) unlink(s->pidfile);
    exit(0);
  } else if (!strcmp(cmd, "human-monitor-command")) {
    reply(s, id, ilen, "\"\"");
  } else if (!strcmp(cmd, "x-sim-fault") || !strcmp(cmd, "x-sim-event")) {
    sim_command(s, cmd, args, alen, id, ilen);
  } else {
    snprintf(buf, sizeof buf, "The command %.200s has not been found", cmd);
    error(s, id, ilen, "CommandNotFound", buf);
  }
}

/* Runs one complete command object [p, end). */
static void run_one(struct sim *s, const char *p, const char *end) {
  size_t ilen = 0, elen = 0, alen = 0;
  const char *id = json_member(p, end, "id", &ilen);
  const char *exec = json_member(p, end, "execute", &elen);
  const char *args = json_member(p, end, "arguments", &alen);
  char cmd[256];
  if (!exec) {
    error(s, id, ilen, "GenericError", "QMP input lacks member 'execute'");
  } else if (!json_string(exec, elen, cmd, sizeof cmd)) {
    error(s, id, ilen, "GenericError", "QMP input member 'execute' must be a string");
  } else {
    command(s, cmd, args, alen, id, ilen);
  }
}

/* Frames complete objects out of the input buffer; under the slow fault, queues them to run later. */
static void drain_input(struct sim *s) {
  const char *p = s->in, *end = s->in + s->in_len;
  for (;;) {
    p = json_skip_ws(p, end);
    if (p >= end || s->fault == FAULT_HANG) break;
    if (*p != '{') { /* QEMU answers unparsable input with an error without an id, then resynchronises */
      error(s, NULL, 0, "GenericError", "JSON parse error, expecting value");
      const char *nl = memchr(p, '\n', (size_t) (end - p));
      p = nl ? nl + 1 : end;
      continue;
    }
    const char *obj_end = json_skip_value(p, end);
    if (!obj_end) break;
    if (s->fault == FAULT_SLOW && s->npending < MAX_PENDING) {
      struct pending *q = &s->pending[s->npending++];
      q->due_ms = now_ms() + s->slow_ms;
      q->text = strndup(p, (size_t) (obj_end - p));
    } else {
      run_one(s, p, obj_end);
    }
    p = obj_end;
  }
  s->in_len = (size_t) (end - p);
  memmove(s->in, p, s->in_len);
}

static void close_client(struct sim *s, struct chardev *c) {
  close(c->conn_fd);
  c->conn_fd = -1;
  if (c == monitor(s)) { s->negotiated = 0; s->in_len = 0; }
}

static void read_client(struct sim *s, struct chardev *c) {
  int is_monitor = c == monitor(s);
  if (is_monitor && s->in_cap - s->in_len < 4096) {
    if (s->in_cap >= MAX_INPUT) { close_client(s, c); return; }
    s->in_cap = s->in_cap ? s->in_cap * 2 : 8192;
    s->in = realloc(s->in, s->in_cap);
  }
  char scratch[4096];
  char *buf = is_monitor ? s->in + s->in_len : scratch;
  size_t room = is_monitor ? s->in_cap - s->in_len : sizeof scratch;
  ssize_t n = read(c->conn_fd, buf, room);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) { close_client(s, c); return; }
  if (n < 0 || !is_monitor) return; /* a serial console's input goes nowhere: there is no guest */
  s->in_len += (size_t) n;
  drain_input(s);
}

static void accept_client(struct sim *s, struct chardev *c) {
  int fd = accept4(c->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
  if (fd < 0) return;
  c->conn_fd = fd;
  if (c == monitor(s)) {
    sendf(s, "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": %d, \"minor\": %d, \"major\": %d}, \"package\": \"%s\"},"
             " \"capabilities\": [\"oob\"]}}", SIM_MICRO, SIM_MINOR, SIM_MAJOR, SIM_PACKAGE);
  }
}

static void run_due(struct sim *s) {
  long long now = now_ms();
  while (s->npending > 0 && s->pending[0].due_ms <= now) {
    char *text = s->pending[0].text;
    memmove(&s->pending[0], &s->pending[1], sizeof s->pending[0] * (size_t) --s->npending);
    run_one(s, text, text + strlen(text));
    free(text);
  }
}

void sim_poll_once(struct sim *s) {
  struct pollfd fds[MAX_CHARDEVS];
  struct chardev *mon = monitor(s);
  for (int i = 0; i < s->nchardevs; i++) {
    struct chardev *c = &s->chardevs[i];
    int hung = c == mon && s->fault == FAULT_HANG;
    fds[i].fd = c->conn_fd >= 0 ? c->conn_fd : c->listen_fd;
    fds[i].events = hung && c->conn_fd >= 0 ? 0 : POLLIN;
    fds[i].revents = 0;
  }
  int timeout = -1;
  if (s->npending > 0) {
    long long wait = s->pending[0].due_ms - now_ms();
    timeout = wait < 0 ? 0 : (int) wait;
  }
  if (poll(fds, (nfds_t) s->nchardevs, timeout) < 0 && errno != EINTR) exit(1);
  run_due(s);
  for (int i = 0; i < s->nchardevs; i++) {
    struct chardev *c = &s->chardevs[i];
    if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    if (c->conn_fd >= 0) read_client(s, c);
    else accept_client(s, c);
  }
}
