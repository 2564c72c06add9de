/* The harnesses' input files and failure report (fuzz_input.h). */
#define _GNU_SOURCE /* memfd_create */
#include "fuzz_input.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FUZZ_SLOTS 2

static int fuzz_fd[FUZZ_SLOTS] = {-1, -1};
static char fuzz_path[FUZZ_SLOTS][64];

void fuzz_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("fuzz: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  abort();
}

/* Open slot's file once: a memory file, reopened by path through /proc, or
 * else a temporary file that is unlinked at exit. */
static void fuzz_open(int slot) {
#if defined(__linux__) && defined(MFD_CLOEXEC)
  int fd = memfd_create("relsim-fuzz", MFD_CLOEXEC);
  if (fd >= 0) {
    snprintf(fuzz_path[slot], sizeof fuzz_path[slot], "/proc/self/fd/%d", fd);
    if (access(fuzz_path[slot], R_OK) == 0) {
      fuzz_fd[slot] = fd;
      return;
    }
    close(fd);
  }
#endif
  const char *dir = getenv("TMPDIR");
  snprintf(fuzz_path[slot], sizeof fuzz_path[slot], "%s/relsim-fuzz-XXXXXX", dir && *dir ? dir : "/tmp");
  if (strlen(fuzz_path[slot]) + 1 >= sizeof fuzz_path[slot]) fuzz_fail("TMPDIR too long: %s", dir);
  fuzz_fd[slot] = mkstemp(fuzz_path[slot]);
  if (fuzz_fd[slot] < 0) fuzz_fail("cannot create a temporary file %s", fuzz_path[slot]);
}

static void fuzz_cleanup(void) {
  for (int s = 0; s < FUZZ_SLOTS; s++)
    if (fuzz_fd[s] >= 0 && strncmp(fuzz_path[s], "/proc/", 6) != 0) unlink(fuzz_path[s]);
}

const char *fuzz_file(int slot, const void *data, size_t size) {
  static int registered;
  if (slot < 0 || slot >= FUZZ_SLOTS) fuzz_fail("no input file slot %d", slot);
  if (fuzz_fd[slot] < 0) fuzz_open(slot);
  if (!registered) registered = atexit(fuzz_cleanup) == 0;
  if (ftruncate(fuzz_fd[slot], 0) != 0) fuzz_fail("cannot truncate %s", fuzz_path[slot]);
  const char *p = data;
  size_t done = 0;
  while (done < size) {
    ssize_t w = pwrite(fuzz_fd[slot], p + done, size - done, (off_t)done);
    if (w <= 0) fuzz_fail("cannot write %s", fuzz_path[slot]);
    done += (size_t)w;
  }
  return fuzz_path[slot];
}

FILE *fuzz_null(void) {
  static FILE *f;
  if (!f && !(f = fopen("/dev/null", "w"))) fuzz_fail("cannot open /dev/null");
  return f;
}
