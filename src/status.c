/*
 * Status descriptions (include/relsim/status.h).
 */
#include "relsim/status.h"

const char *relsim_status_message(enum relsim_status status) {
  static const char *const messages[RELSIM_STATUS_COUNT] = {
      "success", "usage error", "bad scenario", "input cannot be read", "out of memory",
      "output cannot be created", "write error", "interrupted"};
  return (unsigned)status < RELSIM_STATUS_COUNT ? messages[status] : "unknown status";
}
