/*
 * The world's columns (include/relsim/world.h): allocation, release and the
 * reset of a customer slot, all driven by the two field tables.
 */
#include "relsim/world.h"

#include <stdlib.h>
#include <string.h>

/* Elements of a column of the given shape. */
#define WORLD_COUNT_CUSTOMER(n, k, a) ((size_t)(n))
#define WORLD_COUNT_CUSTOMER_ATTR(n, k, a) ((size_t)(n) * (size_t)(a))
#define WORLD_COUNT_CUSTOMER_FIRM(n, k, a) ((size_t)(n) * (size_t)(k))
#define WORLD_COUNT_CUSTOMER_FIRM_ATTR(n, k, a) ((size_t)(n) * (size_t)(k) * (size_t)(a))

size_t world_bytes_needed(int64_t n, int k, int a) {
  size_t bytes = 0;
#define WORLD_BYTES(field, ctype, shape, reset, init, snapshot, units, doc, flags) \
  bytes += WORLD_COUNT_##shape(n, k, a) * sizeof(ctype);
  RELSIM_CUSTOMER_FIELDS(WORLD_BYTES)
  RELSIM_RELATION_FIELDS(WORLD_BYTES)
#undef WORLD_BYTES
  return bytes;
}

int world_alloc(struct relsim_world *w, int64_t n, int k, int a) {
  memset(w, 0, sizeof *w);
  w->n = n;
  w->k = k;
  w->a = a;
  int ok = 1;
#define WORLD_ALLOC(group, field, ctype, shape)                                          \
  {                                                                                      \
    size_t count = WORLD_COUNT_##shape(n, k, a);                                         \
    ok &= (w->group.field = calloc(count ? count : 1, sizeof(ctype))) != NULL;           \
  }
#define WORLD_ALLOC_C(field, ctype, shape, reset, init, snapshot, units, doc, flags) WORLD_ALLOC(c, field, ctype, shape)
#define WORLD_ALLOC_R(field, ctype, shape, reset, init, snapshot, units, doc, flags) WORLD_ALLOC(r, field, ctype, shape)
  RELSIM_CUSTOMER_FIELDS(WORLD_ALLOC_C)
  RELSIM_RELATION_FIELDS(WORLD_ALLOC_R)
#undef WORLD_ALLOC_C
#undef WORLD_ALLOC_R
#undef WORLD_ALLOC
  w->bytes = world_bytes_needed(n, k, a);
  if (!ok) {
    world_free(w);
    return -1;
  }
  return 0;
}

void world_free(struct relsim_world *w) {
#define WORLD_FREE_C(field, ctype, shape, reset, init, snapshot, units, doc, flags) free(w->c.field), w->c.field = NULL;
#define WORLD_FREE_R(field, ctype, shape, reset, init, snapshot, units, doc, flags) free(w->r.field), w->r.field = NULL;
  RELSIM_CUSTOMER_FIELDS(WORLD_FREE_C)
  RELSIM_RELATION_FIELDS(WORLD_FREE_R)
#undef WORLD_FREE_C
#undef WORLD_FREE_R
}

/* The elements of customer i in a column of the given shape: [first, first + count). */
#define WORLD_SPAN_CUSTOMER(i, k, a) (size_t)(i), (size_t)1
#define WORLD_SPAN_CUSTOMER_ATTR(i, k, a) (size_t)(i) * (size_t)(a), (size_t)(a)
#define WORLD_SPAN_CUSTOMER_FIRM(i, k, a) (size_t)(i) * (size_t)(k), (size_t)(k)
#define WORLD_SPAN_CUSTOMER_FIRM_ATTR(i, k, a) (size_t)(i) * (size_t)(k) * (size_t)(a), (size_t)(k) * (size_t)(a)

static inline void world_span(size_t first, size_t count, size_t *begin, size_t *end) {
  *begin = first;
  *end = first + count;
}

void world_reset_customer(struct relsim_world *w, const struct relsim_params *p, int64_t i) {
  size_t begin, end;
  (void)p; /* used by the init expressions of some rows */
#define WORLD_RESET(group, field, ctype, shape, reset, init)      \
  if (reset) {                                                    \
    world_span(WORLD_SPAN_##shape(i, w->k, w->a), &begin, &end);  \
    for (size_t j = begin; j < end; j++) w->group.field[j] = (ctype)(init); \
  }
#define WORLD_RESET_C(field, ctype, shape, reset, init, snapshot, units, doc, flags) WORLD_RESET(c, field, ctype, shape, reset, init)
#define WORLD_RESET_R(field, ctype, shape, reset, init, snapshot, units, doc, flags) WORLD_RESET(r, field, ctype, shape, reset, init)
  RELSIM_CUSTOMER_FIELDS(WORLD_RESET_C)
  RELSIM_RELATION_FIELDS(WORLD_RESET_R)
#undef WORLD_RESET_C
#undef WORLD_RESET_R
#undef WORLD_RESET
}

void world_init_firm(struct relsim_world *w, const struct relsim_params *p, int f) {
  struct relsim_firm_state *fs = &w->firm[f];
  double sum = 0.0;
  for (int a = 0; a < w->a; a++) {
    fs->quality[a] = p->firms[f].quality[a];
    fs->promise[a] = p->firms[f].promise[a];
    sum += fs->promise[a];
  }
  fs->promise_mean = sum / w->a;
  fs->failure_rate = p->firms[f].failure_rate;
  fs->threshold[0] = fs->threshold[1] = INFINITY;
  fs->manage_threshold = INFINITY;
  for (int tier = 0; tier < RELSIM_TIER_COUNT; tier++) fs->tier_margin[tier] = NAN;
  fs->acq_share = p->firms[f].acquisition_share;
  double year = p->mech.trend ? 52.0 * p->trend_growth : 0.0;
  fs->outlook[RELSIM_TREND_STABLE] = 1.0;
  fs->outlook[RELSIM_TREND_RISING] = exp(year);
  fs->outlook[RELSIM_TREND_FADING] = exp(-year);
}

int world_snapshot_columns(const struct relsim_world *w, struct relsim_column *cols) {
  int n = 0;
#define WORLD_COLUMN(group, field, ctype, shape, snapshot, units, doc, flags)                               \
  {                                                                                                       \
    const char *name = snapshot;                                                                          \
    if (name && n < RELSIM_WORLD_SNAPSHOT_MAX)                                                            \
      cols[n++] = (struct relsim_column){name, units, doc, RELSIM_ELEM_OF(ctype), RELSIM_SHAPE_##shape,    \
                                         w ? (const void *)w->group.field : NULL, flags};                 \
  }
#define WORLD_COLUMN_C(field, ctype, shape, reset, init, snapshot, units, doc, flags) \
  WORLD_COLUMN(c, field, ctype, shape, snapshot, units, doc, flags)
#define WORLD_COLUMN_R(field, ctype, shape, reset, init, snapshot, units, doc, flags) \
  WORLD_COLUMN(r, field, ctype, shape, snapshot, units, doc, flags)
  RELSIM_CUSTOMER_FIELDS(WORLD_COLUMN_C)
  RELSIM_RELATION_FIELDS(WORLD_COLUMN_R)
#undef WORLD_COLUMN_C
#undef WORLD_COLUMN_R
#undef WORLD_COLUMN
  return n;
}

int world_state_columns(const struct relsim_world *w, struct relsim_column *cols) {
  int n = 0;
#define WORLD_STATE(group, field, ctype, shape)                                                           \
  if (n < RELSIM_WORLD_COLUMNS_MAX)                                                                       \
    cols[n++] = (struct relsim_column){#group "." #field, 0, 0, RELSIM_ELEM_OF(ctype), RELSIM_SHAPE_##shape, \
                                       w->group.field, 0};
#define WORLD_STATE_C(field, ctype, shape, reset, init, snapshot, units, doc, flags) WORLD_STATE(c, field, ctype, shape)
#define WORLD_STATE_R(field, ctype, shape, reset, init, snapshot, units, doc, flags) WORLD_STATE(r, field, ctype, shape)
  RELSIM_CUSTOMER_FIELDS(WORLD_STATE_C)
  RELSIM_RELATION_FIELDS(WORLD_STATE_R)
#undef WORLD_STATE_C
#undef WORLD_STATE_R
#undef WORLD_STATE
  return n;
}

size_t world_column_length(const struct relsim_world *w, enum relsim_shape shape) {
  size_t n = (size_t)w->n, k = (size_t)w->k, a = (size_t)w->a;
  return shape == RELSIM_SHAPE_CUSTOMER        ? n
         : shape == RELSIM_SHAPE_CUSTOMER_ATTR ? n * a
         : shape == RELSIM_SHAPE_CUSTOMER_FIRM ? n * k
                                               : n * k * a;
}
