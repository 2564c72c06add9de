/*
 * The command line of experiments (cli_experiment.c).
 */
#ifndef RELSIM_CLI_EXPERIMENT_H
#define RELSIM_CLI_EXPERIMENT_H

#include "cli_progress.h"

extern const char *cli_experiment_help_text;
extern const char *cli_merge_help_text;

/* relsim experiment ARGS (argv[0] is "experiment"); full_argv for the provenance. */
int cli_experiment(int argc, char **argv, int full_argc, char **full_argv);
/* relsim merge ARGS (argv[0] is "merge"). */
int cli_merge(int argc, char **argv, int full_argc, char **full_argv);
/* relsim run SCENARIO --replications N: an experiment of one scenario. */
int cli_replications(const char *scenario, const char *const *sets, int n_sets, const char *output, int force,
                     int resume, int replications, int jobs, int threads, int quiet, int progress_given,
                     enum cli_progress_mode progress, int full_argc, char **full_argv);

#endif
