/*
 * The file-system side of the output (docs/output.md, "What a run leaves"):
 * the check of the output path before anything runs, the lock that marks a
 * partial file as being written, its exclusive creation, fsync, and the
 * rename that publishes a finished file. HDF5 never sees these steps.
 *
 * A run writes OUT.partial, which it creates exclusively and holds an
 * exclusive flock(2) on until it ends: a second run with the same output
 * finds the lock and stops before touching anything, and a partial file
 * without a lock is one whose run died (killed, interrupted, failed).
 */
#ifndef RELSIM_OUTPUT_FILE_H
#define RELSIM_OUTPUT_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "relsim/output.h"
#include "relsim/status.h"

/* An open, locked partial file. */
struct output_file {
  int fd;    /* holds the lock; -1 when closed */
  dev_t dev; /* identity of the partial file, to notice its removal */
  ino_t ino;
};

/* The state of a partial file: absent, written by a live run (locked), or
 * left by a run that died. */
enum output_partial_state { OUTPUT_PARTIAL_NONE, OUTPUT_PARTIAL_LIVE, OUTPUT_PARTIAL_STALE };
enum output_partial_state output_partial_state(const char *partial);

/* Create partial exclusively and lock it; with replace_stale, an unlocked
 * partial file left by a dead run is removed first. */
enum relsim_status output_file_create(struct output_file *f, const char *partial, int replace_stale, char *err,
                                      size_t errlen);

/* Lock an existing partial file (to resume it). */
enum relsim_status output_file_lock(struct output_file *f, const char *partial, char *err, size_t errlen);

/* 0 if partial is still the file f was created as; -1 with err set if it
 * was removed or replaced (or its directory was). */
int output_file_check(const struct output_file *f, const char *partial, char *err, size_t errlen);

/* fsync the file's data and metadata to the disk. Returns 0 or -1 with err. */
int output_file_sync(const struct output_file *f, const char *partial, char *err, size_t errlen);

/* Rename from to to (replacing an existing to only if replace) and make
 * the rename durable (fsync of the directory). Returns 0 or -1 with err. */
int output_file_publish(const char *from, const char *to, int replace, char *err, size_t errlen);

/* Release the lock and close. */
void output_file_close(struct output_file *f);

#endif
