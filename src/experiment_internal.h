/*
 * Shared by the experiment loader (experiment.c) and the design
 * (experiment_design.c); not part of the library's interface.
 */
#ifndef RELSIM_EXPERIMENT_INTERNAL_H
#define RELSIM_EXPERIMENT_INTERNAL_H

#include <stdio.h>

#include "problems.h"
#include "relsim/experiment.h"
#include "yaml_tree.h"

struct exp_loader {
  struct relsim_experiment *e;
  struct problems pr;
  const struct yaml_tree *base_tree; /* an inline scenario */
  size_t cap_set, cap_where;
  int seed_given;
};

/* The design points (e->points, n_points, n_runs), then every point's
 * scenario checked. 0, or the count of problems printed to err. */
int experiment_make_points(struct relsim_experiment *e, FILE *err);
/* The measures used when the file has none: each firm's profit summed over
 * the run and cohort retention at the end, and the first two firms' profit difference. */
void experiment_default_measures(struct relsim_experiment *e);
/* Write e->resolved; 0, or -1 if memory ran out. */
int experiment_finish(struct relsim_experiment *e);
/* Fill m->text: the measure in words. */
void experiment_describe_measure(const struct relsim_experiment *e, struct relsim_exp_measure *m);

#endif
