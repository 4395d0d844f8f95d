/* qmp-sim: just enough JSON to find the members of one command object. Input is checked by the caller's framing. */
#include <string.h>

#include "qmp-sim.h"

const char *json_skip_ws(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++;
  return p;
}

static const char *skip_string(const char *p, const char *end) {
  for (p++; p < end; p++) {
    if (*p == '\\') p++;
    else if (*p == '"') return p + 1;
  }
  return NULL;
}

/* The end of the value starting at p (after whitespace), or NULL when it is cut short or malformed. */
const char *json_skip_value(const char *p, const char *end) {
  p = json_skip_ws(p, end);
  if (p >= end) return NULL;
  if (*p == '"') return skip_string(p, end);
  if (*p == '{' || *p == '[') {
    int depth = 0;
    while (p < end) {
      if (*p == '"') {
        p = skip_string(p, end);
        if (!p) return NULL;
        continue;
      }
      if (*p == '{' || *p == '[') depth++;
      else if (*p == '}' || *p == ']') {
        if (--depth == 0) return p + 1;
      }
      p++;
    }
    return NULL;
  }
  const char *s = p;
  while (p < end && strchr(",}] \t\r\n", *p) == NULL) p++;
  return p > s ? p : NULL;
}

const char *json_member(const char *p, const char *end, const char *key, size_t *len) {
  p = json_skip_ws(p, end);
  if (p >= end || *p != '{') return NULL;
  p++;
  size_t klen = strlen(key);
  for (;;) {
    p = json_skip_ws(p, end);
    if (p >= end || *p != '"') return NULL;
    const char *k = p + 1, *kend = skip_string(p, end);
    if (!kend) return NULL;
    p = json_skip_ws(kend, end);
    if (p >= end || *p != ':') return NULL;
    const char *v = json_skip_ws(p + 1, end), *vend = json_skip_value(v, end);
    if (!vend) return NULL;
    if ((size_t) (kend - 1 - k) == klen && memcmp(k, key, klen) == 0) {
      *len = (size_t) (vend - v);
      return v;
    }
    p = json_skip_ws(vend, end);
    if (p < end && *p == ',') p++;
    else return NULL;
  }
}

int json_string(const char *v, size_t len, char *out, size_t n) {
  if (!v || len < 2 || v[0] != '"' || v[len - 1] != '"' || len - 2 >= n) return 0;
  memcpy(out, v + 1, len - 2);
  out[len - 2] = 0;
  return 1;
}
