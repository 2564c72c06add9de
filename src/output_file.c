/*
 * The output path checked before a run, the partial file's lock, exclusive
 * creation, fsync and the publishing rename (output_file.h).
 */
#define _GNU_SOURCE /* renameat2 */
#include "output_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* The directory of path (".", for a bare name) into dir. */
static void dir_of(const char *path, char *dir, size_t size) {
  char copy[RELSIM_PATH_MAX];
  snprintf(copy, sizeof copy, "%s", path);
  snprintf(dir, size, "%s", dirname(copy));
}

enum output_partial_state output_partial_state(const char *partial) {
  int fd = open(partial, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? OUTPUT_PARTIAL_NONE : OUTPUT_PARTIAL_STALE;
  enum output_partial_state s = OUTPUT_PARTIAL_STALE;
  if (flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK) s = OUTPUT_PARTIAL_LIVE;
  close(fd);
  return s;
}

static enum relsim_status live_error(const char *partial, char *err, size_t errlen) {
  snprintf(err, errlen, "another relsim run is writing %s (the file is locked); wait for it to end or give another "
           "output file with -o", partial);
  return RELSIM_ERR_CREATE;
}

enum relsim_status output_check(const char *path, enum relsim_output_mode mode, char *err, size_t errlen) {
  char partial[RELSIM_PATH_MAX + 16], dir[RELSIM_PATH_MAX];
  struct stat st;
  if (!*path) return snprintf(err, errlen, "the output file name is empty"), RELSIM_ERR_USAGE;
  if (strlen(path) >= RELSIM_PATH_MAX)
    return snprintf(err, errlen, "cannot write %s: path longer than %d bytes", path, RELSIM_PATH_MAX - 1),
           RELSIM_ERR_CREATE;
  snprintf(partial, sizeof partial, "%s.partial", path);
  int exists = stat(path, &st) == 0;
  if (exists && S_ISDIR(st.st_mode))
    return snprintf(err, errlen, "cannot write %s: it is a directory; give a file name, e.g. -o %s/run.h5", path,
                    path),
           RELSIM_ERR_CREATE;
  if (exists && !S_ISREG(st.st_mode))
    return snprintf(err, errlen, "cannot write %s: it is not a regular file (a device, pipe or socket)", path),
           RELSIM_ERR_CREATE;
  dir_of(path, dir, sizeof dir);
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
    return snprintf(err, errlen, "cannot write %s: directory %s does not exist", path, dir), RELSIM_ERR_CREATE;
  if (access(dir, W_OK | X_OK) != 0)
    return snprintf(err, errlen, "cannot write %s: no permission to create files in %s", path, dir),
           RELSIM_ERR_CREATE;
  enum output_partial_state ps = output_partial_state(partial);
  if (ps == OUTPUT_PARTIAL_LIVE) return live_error(partial, err, errlen);
  if (mode == RELSIM_OUTPUT_RESUME) {
    /* a run killed before it created its file left nothing: the resumed run starts over (run.c) */
    if (ps == OUTPUT_PARTIAL_NONE && exists)
      return snprintf(err, errlen, "nothing to resume: %s is complete (%s does not exist)", path, partial),
             RELSIM_ERR_INPUT;
    return RELSIM_OK;
  }
  if (mode == RELSIM_OUTPUT_NEW && exists)
    return snprintf(err, errlen, "%s exists; give --force to replace it (it is replaced only when the new run "
                    "completes) or another output file with -o", path),
           RELSIM_ERR_CREATE;
  if (mode == RELSIM_OUTPUT_NEW && ps == OUTPUT_PARTIAL_STALE)
    return snprintf(err, errlen, "%s is left by a run that did not finish; continue it with --resume (it needs "
                    "the run's checkpoint), or give --force to start over", partial),
           RELSIM_ERR_CREATE;
  return RELSIM_OK;
}

static enum relsim_status lock_fd(struct output_file *f, int fd, const char *partial, char *err, size_t errlen) {
  struct stat st;
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int e = errno;
    close(fd);
    if (e == EWOULDBLOCK) return live_error(partial, err, errlen);
    return snprintf(err, errlen, "cannot lock %s: %s", partial, strerror(e)), RELSIM_ERR_CREATE;
  }
  if (fstat(fd, &st) != 0) {
    snprintf(err, errlen, "cannot read the status of %s: %s", partial, strerror(errno));
    close(fd);
    return RELSIM_ERR_CREATE;
  }
  f->fd = fd;
  f->dev = st.st_dev;
  f->ino = st.st_ino;
  return RELSIM_OK;
}

enum relsim_status output_file_create(struct output_file *f, const char *partial, int replace_stale, char *err,
                                      size_t errlen) {
  f->fd = -1;
  if (replace_stale) {
    int old = open(partial, O_RDONLY | O_CLOEXEC);
    if (old >= 0) {
      if (flock(old, LOCK_EX | LOCK_NB) != 0) {
        close(old);
        return live_error(partial, err, errlen);
      }
      unlink(partial); /* removed while locked: no run can be writing it */
      close(old);
    }
  }
  int fd = open(partial, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    if (errno == EEXIST) return live_error(partial, err, errlen);
    return snprintf(err, errlen, "cannot create %s: %s", partial, strerror(errno)), RELSIM_ERR_CREATE;
  }
  enum relsim_status st = lock_fd(f, fd, partial, err, errlen);
  if (st != RELSIM_OK) unlink(partial);
  return st;
}

enum relsim_status output_file_lock(struct output_file *f, const char *partial, char *err, size_t errlen) {
  f->fd = -1;
  int fd = open(partial, O_RDWR | O_CLOEXEC);
  if (fd < 0) return snprintf(err, errlen, "cannot open %s: %s", partial, strerror(errno)), RELSIM_ERR_INPUT;
  return lock_fd(f, fd, partial, err, errlen);
}

int output_file_check(const struct output_file *f, const char *partial, char *err, size_t errlen) {
  struct stat st;
  if (stat(partial, &st) == 0 && st.st_dev == f->dev && st.st_ino == f->ino) return 0;
  snprintf(err, errlen, "%s was removed, moved or replaced during the run (or its directory was); the run stops, "
           "as its results could no longer be saved", partial);
  return -1;
}

int output_file_sync(const struct output_file *f, const char *partial, char *err, size_t errlen) {
  if (fsync(f->fd) == 0) return 0;
  snprintf(err, errlen, "cannot write %s to the disk: %s", partial, strerror(errno));
  return -1;
}

int output_file_publish(const char *from, const char *to, int replace, char *err, size_t errlen) {
  int rc = replace ? rename(from, to) : renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE);
  if (rc != 0 && !replace && (errno == EINVAL || errno == ENOSYS)) { /* a file system without RENAME_NOREPLACE */
    rc = link(from, to);
    if (rc == 0) unlink(from);
  }
  if (rc != 0) {
    if (errno == EEXIST)
      snprintf(err, errlen, "%s appeared during the run and is left as it was; the results are in %s", to, from);
    else
      snprintf(err, errlen, "cannot rename %s to %s: %s; the results are in %s", from, to, strerror(errno), from);
    return -1;
  }
  char dir[RELSIM_PATH_MAX];
  dir_of(to, dir, sizeof dir);
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) { /* make the rename itself durable; a directory that cannot be synced is not an error */
    fsync(fd);
    close(fd);
  }
  return 0;
}

void output_file_close(struct output_file *f) {
  if (f->fd >= 0) close(f->fd); /* releases the lock */
  f->fd = -1;
}
