/* qmp-sim: shared declarations (see qmp-sim.c for what the simulator is). */
#ifndef QMP_SIM_H
#define QMP_SIM_H

#include <stddef.h>

#define SIM_MAJOR 7
#define SIM_MINOR 2
#define SIM_MICRO 22
#define SIM_PACKAGE "vmsup qmp-sim"
#define MAX_CHARDEVS 8
#define MAX_INPUT (1 << 20) /* a command larger than this closes the connection, as a frame limit would */
#define MAX_PENDING 64      /* replies held back by the slow fault */

struct chardev {
  char *id;
  char *log;      /* logfile= of the chardev, or NULL */
  int listen_fd;
  int conn_fd;    /* the one connected client, or -1 */
};

struct pending {  /* a reply held back by the slow fault */
  long long due_ms;
  char *text;
};

struct sim {
  struct chardev chardevs[MAX_CHARDEVS];
  int nchardevs;
  char *qmp_id;
  const char *pidfile;
  char *name;
  int paused, prelaunch;
  int negotiated;            /* qmp_capabilities done on the current monitor connection */
  char *in;                  /* bytes read from the monitor not yet parsed */
  size_t in_len, in_cap;
  enum { FAULT_NONE, FAULT_HANG, FAULT_SLOW } fault;
  long slow_ms;
  struct pending pending[MAX_PENDING];
  int npending;
};

void sim_set_fault(struct sim *s, const char *mode, long ms);
void sim_poll_once(struct sim *s);
void sim_shutdown(struct sim *s, const char *reason);

/* json.c: just enough JSON to read one command */
const char *json_skip_ws(const char *p, const char *end);
const char *json_skip_value(const char *p, const char *end);
/* The raw text of member KEY of the object [p, end), or NULL; *len gets its length. */
const char *json_member(const char *p, const char *end, const char *key, size_t *len);
/* A JSON string's contents (escapes kept) copied into out (size n); 0 when v is not a string. */
int json_string(const char *v, size_t len, char *out, size_t n);

#endif
