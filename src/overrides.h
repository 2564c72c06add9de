/*
 * --set overrides written into the scenario's YAML tree (see overrides.c).
 */
#ifndef RELSIM_OVERRIDES_H
#define RELSIM_OVERRIDES_H

#include "problems.h"
#include "yaml_tree.h"

/* Apply override number n (1-based), spec "KEY=VALUE", to the tree *root
 * (made a mapping if the file was empty), or report why it cannot be. */
void overrides_apply(struct problems *pr, struct yaml_tree **root, int n, const char *spec);

#endif
