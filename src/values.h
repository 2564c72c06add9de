/*
 * Typed readers of scenario values: one node of the YAML tree, read as the
 * key of params_keys.c it is the value of (integer, real, boolean, name,
 * text, per-attribute, per-level or per-tier list, attribute names).
 */
#ifndef RELSIM_VALUES_H
#define RELSIM_VALUES_H

#include "problems.h"
#include "relsim/params.h"
#include "relsim/scenario.h"
#include "yaml_tree.h"

struct values_reader {
  struct problems *pr;     /* where a value that does not fit is reported */
  struct relsim_params *p; /* the parameters being read (market.attributes sets n_attrs and the names) */
  int attrs_ok;            /* market.attributes is valid: per-attribute list lengths can be checked */
};

/* Read v as the value of key k (path: its full path, for messages) into the
 * struct at base (struct relsim_params for a global key, struct
 * relsim_firm_params for a firm key). 1 if read; 0 if reported (the field
 * is left as it was). */
int values_read(struct values_reader *r, const struct relsim_key *k, const struct yaml_tree *v, char *base,
                const char *path);
/* Read v as one name of k->choices into *out (its index); 1, or 0 if reported. */
int values_read_name(struct values_reader *r, const struct relsim_key *k, const struct yaml_tree *v, const char *path,
                     int *out);

#endif
