/*
 * The outcome of a library call: one status enum for every module, mapped
 * to exit codes by the command line only (src/main.c).
 */
#ifndef RELSIM_STATUS_H
#define RELSIM_STATUS_H

enum relsim_status {
  RELSIM_OK = 0,
  RELSIM_ERR_USAGE,       /* the caller asked for something impossible (bad arguments) */
  RELSIM_ERR_SCENARIO,    /* a scenario (or an input it names) is wrong */
  RELSIM_ERR_INPUT,       /* an input file cannot be read */
  RELSIM_ERR_MEMORY,      /* out of memory */
  RELSIM_ERR_CREATE,      /* an output file cannot be created */
  RELSIM_ERR_WRITE,       /* writing an output file failed */
  RELSIM_ERR_INTERRUPTED, /* stopped by a signal */
  RELSIM_STATUS_COUNT
};

/* A short description of a status ("out of memory"). */
const char *relsim_status_message(enum relsim_status status);

#endif
