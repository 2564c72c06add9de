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

/* Scalars of the experiment file (experiment_measures.c): a plain scalar as
 * a finite number; as an integer in [lo, hi]; the index of its text in
 * names (NULL-terminated) or -1; names joined by ", " (malloc'd); is s a
 * plain name ([A-Za-z_][A-Za-z0-9_]*, an HDF5 dataset and Python name)? */
int experiment_scalar_real(const struct yaml_tree *v, double *x);
int experiment_scalar_int(const struct yaml_tree *v, long long lo, long long hi, long long *x);
int experiment_scalar_choice(const struct yaml_tree *v, const char *const *names);
char *experiment_choices_text(const char *const *names);
int experiment_plain_name(const char *s);
/* measures: (the defaults when absent), checked against the base scenario. */
void experiment_read_measures(struct exp_loader *ld, const struct yaml_tree *v);

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
