/*
 * qmp-sim: a stand-in for qemu-system-x86_64 -machine none, for scale tests and benchmarks.
 *
 * It takes the argv vmsup renders, writes the pidfile, listens on every server socket chardev, and speaks QMP on the
 * one a -mon names: the greeting, negotiation, and the answers QEMU 7.2 gives for machine none (recorded from the
 * real binary: see docs/qmp-sim.md), events in QEMU's order (STOP before the reply to stop). One process per VM, one
 * thread, poll(2): a few hundred KiB each, so 10,000 fit on a small host.
 *
 * Faults on demand, through QMP (x-sim-fault) or the environment (VMSUP_SIM_FAULT=mode[:ms]):
 *   hang     stop reading the monitor and ignore SIGTERM, as a QEMU whose main loop is stuck: only SIGKILL ends it
 *   slow:MS  answer every command MS milliseconds late
 *   die      exit at once with status 1 (as QEMU does on an internal error), without a SHUTDOWN event
 *   kill     raise SIGKILL on itself
 *   none     back to normal
 * Events on demand: x-sim-event {"event": NAME, "data": {...}} emits the event (GUEST_PANICKED, SHUTDOWN with
 * reason guest-shutdown then exit, ...). Anything else unknown answers CommandNotFound, as QEMU does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "qmp-sim.h"

static struct sim sim;
static volatile sig_atomic_t got_signal;

static void on_signal(int sig) { got_signal = sig; }

static void die_usage(const char *msg, const char *arg) {
  fprintf(stderr, "qmp-sim: %s%s\n", msg, arg ? arg : "");
  exit(1);
}

/* The value of KEY= in a QEMU option string (key=value,key=value), doubled commas undone; NULL when absent. */
static char *opt_value(const char *opts, const char *key) {
  size_t klen = strlen(key);
  const char *p = opts;
  while (*p) {
    if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
      const char *v = p + klen + 1;
      char *out = malloc(strlen(v) + 1), *o = out;
      while (*v) {
        if (*v == ',') {
          if (v[1] != ',') break;
          v++;
        }
        *o++ = *v++;
      }
      *o = 0;
      return out;
    }
    while (*p && !(*p == ',' && p[1] != ',')) p += (*p == ',' ? 2 : 1);
    if (*p == ',') p++;
  }
  return NULL;
}

static int listen_unix(const char *path) {
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof a.sun_path) die_usage("socket path too long: ", path);
  strcpy(a.sun_path, path);
  unlink(path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0 || bind(fd, (struct sockaddr *) &a, sizeof a) < 0 || listen(fd, 4) < 0) {
    fprintf(stderr, "qmp-sim: cannot listen on %s: %s\n", path, strerror(errno));
    exit(1);
  }
  return fd;
}

static void add_chardev(const char *opts) {
  if (strncmp(opts, "socket,", 7) != 0) return;
  char *id = opt_value(opts + 7, "id"), *path = opt_value(opts + 7, "path"), *server = opt_value(opts + 7, "server");
  if (!id || !path || !server || strcmp(server, "on") != 0) return;
  if (sim.nchardevs == MAX_CHARDEVS) die_usage("too many chardevs", NULL);
  struct chardev *c = &sim.chardevs[sim.nchardevs++];
  c->id = id;
  c->listen_fd = listen_unix(path);
  c->conn_fd = -1;
  c->log = opt_value(opts + 7, "logfile");
  if (c->log) {
    /* QEMU opens a chardev's logfile at start, creating it (appending, mode 0666 less the umask): so does the
       simulator, so the daemon finds the same files in a VM's directory (its log sweeps read an existing log) */
    int lf = open(c->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (lf >= 0) close(lf);
  }
  free(path);
  free(server);
}

static void parse_args(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--version") || !strcmp(a, "-version")) {
      printf("QEMU emulator version %d.%d.%d (%s)\n", SIM_MAJOR, SIM_MINOR, SIM_MICRO, SIM_PACKAGE);
      exit(0);
    }
    if (!strcmp(a, "-S")) { sim.paused = 1; sim.prelaunch = 1; continue; }
    if (!next) continue;
    if (!strcmp(a, "-machine") && strstr(next, ",help")) {
      printf("none-machine options:\n  dump-guest-core=<bool> - Include guest memory in a core dump\n"
             "  mem-merge=<bool>       - Enable/disable memory merge support\n");
      exit(0);
    }
    if (!strcmp(a, "-chardev")) add_chardev(next);
    else if (!strcmp(a, "-mon")) {
      char *cd = opt_value(next, "chardev"), *mode = opt_value(next, "mode");
      if (cd && mode && !strcmp(mode, "control")) sim.qmp_id = cd;
    } else if (!strcmp(a, "-pidfile")) sim.pidfile = next;
    else if (!strcmp(a, "-name")) sim.name = strncmp(next, "guest=", 6) ? strdup(next) : opt_value(next, "guest");
    else continue;
    i++;
  }
  if (!sim.qmp_id) die_usage("no -mon chardev=ID,mode=control", NULL);
}

static void write_pidfile(void) {
  if (!sim.pidfile) return;
  FILE *f = fopen(sim.pidfile, "w");
  if (!f || fprintf(f, "%d\n", getpid()) < 0 || fclose(f) != 0) die_usage("cannot write pidfile ", sim.pidfile);
}

static void apply_fault_env(void) {
  const char *f = getenv("VMSUP_SIM_FAULT");
  if (!f || !*f) return;
  const char *colon = strchr(f, ':');
  char mode[16] = {0};
  snprintf(mode, sizeof mode, "%.*s", (int) (colon ? colon - f : (long) strlen(f)), f);
  sim_set_fault(&sim, mode, colon ? atol(colon + 1) : 0);
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa = {.sa_handler = on_signal};
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  parse_args(argc, argv);
  apply_fault_env();
  write_pidfile();
  for (;;) {
    if (got_signal && sim.fault != FAULT_HANG) sim_shutdown(&sim, "host-signal"); /* a hung main loop ignores it */
    sim_poll_once(&sim);
  }
}
