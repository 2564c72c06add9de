/*
 * The journal of an experiment's finished runs (ensemble.h).
 *
 *   header:  "RELSIMJ1", u64 digest of the experiment and build,
 *            i64 runs, first, last, u64 doubles per run
 *   record:  u32 magic, i32 status, i64 run, f64 wall seconds,
 *            doubles[doubles per run], u32 CRC-32 of all of the above
 *
 * Records are appended with write() by one thread; a record is in the
 * kernel's hands once write() returns, so a killed process loses only the
 * runs it had not finished. The file is fsynced every few seconds and when
 * closed (a power loss may lose the last seconds' runs, never the file's
 * consistency: a torn record fails its CRC and is cut off when resumed).
 * The journal is locked (flock) while its experiment lives.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "relsim/ensemble.h"
#include "relsim/util.h"

#define JOURNAL_MAGIC "RELSIMJ1"
#define RECORD_MAGIC 0x4e555231u /* "1RUN" */
#define SYNC_SECONDS 5.0

struct header {
  char magic[8];
  uint64_t digest;
  int64_t runs, first, last;
  uint64_t doubles;
};

struct record_head {
  uint32_t magic;
  int32_t status;
  int64_t run;
  double wall;
};

struct ensemble_journal {
  int fd;
  char path[RELSIM_PATH_MAX + 16];
  struct header h;
  off_t *at;        /* [runs]: offset of run's record, or -1 */
  off_t end;        /* where the next record goes */
  double last_sync;
  unsigned char *buf; /* one record */
  size_t rec_bytes;
};

const char *ensemble_journal_path(const struct ensemble_journal *j) { return j->path; }

uint64_t ensemble_digest(const struct relsim_experiment *e, const char *build) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a over the resolved experiment, the base scenario and the build */
  const char *parts[3] = {e->resolved ? e->resolved : "", e->base.resolved ? e->base.resolved : "", build};
  for (int i = 0; i < 3; i++) {
    for (const unsigned char *c = (const unsigned char *)parts[i]; *c; c++) h = (h ^ *c) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
  }
  return h;
}

static int full_write(int fd, const void *buf, size_t n, off_t at) {
  const char *p = buf;
  while (n) {
    ssize_t w = pwrite(fd, p, n, at);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
    at += w;
  }
  return 0;
}

static int full_read(int fd, void *buf, size_t n, off_t at) {
  char *p = buf;
  while (n) {
    ssize_t r = pread(fd, p, n, at);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    p += r;
    n -= (size_t)r;
    at += r;
  }
  return 0;
}

static void journal_free(struct ensemble_journal *j) {
  if (!j) return;
  if (j->fd >= 0) close(j->fd);
  free(j->at);
  free(j->buf);
  free(j);
}

/* Scan the records of an existing journal: keep each whole, checked one; cut the file after the last. */
static enum relsim_status scan(struct ensemble_journal *j, unsigned char *done, long *n_done, char *err,
                               size_t errlen) {
  struct stat st;
  if (fstat(j->fd, &st) != 0) return snprintf(err, errlen, "cannot read %s: %s", j->path, strerror(errno)), RELSIM_ERR_INPUT;
  off_t at = (off_t)sizeof j->h;
  while (at + (off_t)j->rec_bytes <= st.st_size) {
    if (full_read(j->fd, j->buf, j->rec_bytes, at) != 0)
      return snprintf(err, errlen, "cannot read %s: %s", j->path, strerror(errno)), RELSIM_ERR_INPUT;
    struct record_head rh;
    uint32_t crc;
    memcpy(&rh, j->buf, sizeof rh);
    memcpy(&crc, j->buf + j->rec_bytes - sizeof crc, sizeof crc);
    if (rh.magic != RECORD_MAGIC || crc != (uint32_t)crc32(0L, j->buf, (uInt)(j->rec_bytes - sizeof crc)) ||
        rh.run < j->h.first || rh.run > j->h.last)
      break; /* torn by a kill: this record and anything after it are redone */
    if (!done[rh.run]) (*n_done)++;
    done[rh.run] = 1;
    j->at[rh.run] = at;
    at += (off_t)j->rec_bytes;
  }
  j->end = at;
  if (at < st.st_size && ftruncate(j->fd, at) != 0)
    return snprintf(err, errlen, "cannot cut the torn end of %s: %s", j->path, strerror(errno)), RELSIM_ERR_WRITE;
  return RELSIM_OK;
}

enum relsim_status ensemble_journal_open(struct ensemble_journal **out, const struct relsim_experiment *e,
                                         const char *output, enum relsim_output_mode mode,
                                         struct ensemble_slice slice, const char *build, unsigned char *done,
                                         long *n_done, char *err, size_t errlen) {
  *out = NULL;
  *n_done = 0;
  struct ensemble_journal *j = calloc(1, sizeof *j);
  if (!j) return snprintf(err, errlen, "out of memory"), RELSIM_ERR_MEMORY;
  j->fd = -1;
  snprintf(j->path, sizeof j->path, "%s.journal", output);
  memcpy(j->h.magic, JOURNAL_MAGIC, 8);
  j->h.digest = ensemble_digest(e, build);
  j->h.runs = e->n_runs;
  j->h.first = slice.first;
  j->h.last = slice.last;
  j->h.doubles = experiment_result_doubles(e);
  j->rec_bytes = sizeof(struct record_head) + j->h.doubles * sizeof(double) + sizeof(uint32_t);
  j->at = malloc((size_t)e->n_runs * sizeof *j->at);
  j->buf = malloc(j->rec_bytes);
  if (!j->at || !j->buf) {
    journal_free(j);
    return snprintf(err, errlen, "out of memory for the journal of %ld runs", e->n_runs), RELSIM_ERR_MEMORY;
  }
  for (long r = 0; r < e->n_runs; r++) j->at[r] = -1;
  memset(done, 0, (size_t)e->n_runs);
  int exists = access(j->path, F_OK) == 0;
  enum relsim_status st = RELSIM_OK;
  if (mode == RELSIM_OUTPUT_RESUME && exists) {
    j->fd = open(j->path, O_RDWR | O_CLOEXEC);
  } else {
    if (exists && mode == RELSIM_OUTPUT_NEW) {
      journal_free(j);
      return snprintf(err, errlen, "%s is left by an experiment that did not finish; continue it with --resume, "
                                   "or give --force to start over", j->path),
             RELSIM_ERR_CREATE;
    }
    j->fd = open(j->path, O_RDWR | O_CREAT | O_CLOEXEC | (exists ? 0 : O_EXCL), 0644);
  }
  if (j->fd < 0) {
    snprintf(err, errlen, "cannot open %s: %s", j->path, strerror(errno));
    journal_free(j);
    return RELSIM_ERR_CREATE;
  }
  if (flock(j->fd, LOCK_EX | LOCK_NB) != 0) {
    int busy = errno == EWOULDBLOCK;
    snprintf(err, errlen, busy ? "another relsim experiment is writing %s (the file is locked)" : "cannot lock %s: %s",
             j->path, strerror(errno));
    journal_free(j);
    return RELSIM_ERR_CREATE;
  }
  struct stat jst;
  if (mode == RELSIM_OUTPUT_RESUME && exists && fstat(j->fd, &jst) == 0 && jst.st_size < (off_t)sizeof j->h)
    exists = 0; /* killed while writing its header: nothing was done, start over */
  if (mode == RELSIM_OUTPUT_RESUME && exists) {
    struct header h;
    if (full_read(j->fd, &h, sizeof h, 0) != 0 || memcmp(h.magic, JOURNAL_MAGIC, 8) != 0)
      st = (snprintf(err, errlen, "%s is not a relsim journal; give --force to start over", j->path),
            RELSIM_ERR_INPUT);
    else if (h.digest != j->h.digest || h.runs != j->h.runs || h.doubles != j->h.doubles)
      st = (snprintf(err, errlen, "%s was written by another experiment file, --set values or build of relsim; "
                                  "resume with the same ones, or give --force to start over", j->path),
            RELSIM_ERR_INPUT);
    else if (h.first != j->h.first || h.last != j->h.last)
      st = (snprintf(err, errlen, "%s holds runs %lld:%lld, not %ld:%ld; resume with the same --runs", j->path,
                     (long long)h.first, (long long)h.last, slice.first, slice.last), RELSIM_ERR_INPUT);
    else
      st = scan(j, done, n_done, err, errlen);
  } else {
    if (ftruncate(j->fd, 0) != 0 || full_write(j->fd, &j->h, sizeof j->h, 0) != 0 || fsync(j->fd) != 0)
      st = (snprintf(err, errlen, "cannot write %s: %s", j->path, strerror(errno)), RELSIM_ERR_WRITE);
    j->end = (off_t)sizeof j->h;
  }
  if (st != RELSIM_OK) {
    journal_free(j);
    return st;
  }
  j->last_sync = util_seconds();
  *out = j;
  return RELSIM_OK;
}

enum relsim_status ensemble_journal_append(struct ensemble_journal *j, const struct relsim_exp_result *r,
                                           char *err, size_t errlen) {
  struct record_head rh = {RECORD_MAGIC, r->status, r->run, r->wall_seconds};
  memcpy(j->buf, &rh, sizeof rh);
  memcpy(j->buf + sizeof rh, r->data, j->h.doubles * sizeof(double));
  uint32_t crc = (uint32_t)crc32(0L, j->buf, (uInt)(j->rec_bytes - sizeof crc));
  memcpy(j->buf + j->rec_bytes - sizeof crc, &crc, sizeof crc);
  if (full_write(j->fd, j->buf, j->rec_bytes, j->end) != 0)
    return snprintf(err, errlen, "cannot write %s: %s", j->path, strerror(errno ? errno : ENOSPC)), RELSIM_ERR_WRITE;
  j->at[r->run] = j->end;
  j->end += (off_t)j->rec_bytes;
  double now = util_seconds();
  if (now - j->last_sync > SYNC_SECONDS) {
    if (fdatasync(j->fd) != 0)
      return snprintf(err, errlen, "cannot write %s: %s", j->path, strerror(errno)), RELSIM_ERR_WRITE;
    j->last_sync = now;
  }
  return RELSIM_OK;
}

int ensemble_journal_get(struct ensemble_journal *j, long run, struct relsim_exp_result *r, char *err,
                         size_t errlen) {
  if (run < 0 || run >= j->h.runs || j->at[run] < 0) return 0;
  if (full_read(j->fd, j->buf, j->rec_bytes, j->at[run]) != 0)
    return snprintf(err, errlen, "cannot read %s: %s", j->path, strerror(errno)), -1;
  struct record_head rh;
  memcpy(&rh, j->buf, sizeof rh);
  r->run = rh.run;
  r->status = rh.status;
  r->wall_seconds = rh.wall;
  memcpy(r->data, j->buf + sizeof rh, j->h.doubles * sizeof(double));
  return 1;
}

void ensemble_journal_close(struct ensemble_journal *j, int remove) {
  if (!j) return;
  if (remove)
    unlink(j->path);
  else
    fsync(j->fd);
  journal_free(j);
}
