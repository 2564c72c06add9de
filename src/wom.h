/*
 * Phase 5 (MODEL.md §9): word of mouth. The stories told in phase 4 (one
 * buffer per block), last period's relays and this period's injected
 * stories are sent to contacts on the network and heard. Equations and the
 * ordering rules: wom.c.
 */
#ifndef RELSIM_WOM_H
#define RELSIM_WOM_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "relsim/network.h"
#include "relsim/params.h"
#include "relsim/rng.h"
#include "relsim/status.h"
#include "relsim/story.h"
#include "relsim/tally.h"
#include "relsim/world.h"

struct relsim_message; /* one story sent to one hearer (wom.c) */

/* Word-of-mouth buffers, reused from period to period. */
struct relsim_wom {
  int64_t n, n_blocks;
  struct relsim_storybuf *told;    /* per block: stories told this period (phase 4) */
  struct relsim_storybuf stories;  /* this period's stories: relays, told, injected */
  struct relsim_storybuf relays;   /* stories to be relayed next period */
  struct relsim_storybuf injected; /* this period's injected stories (inject.*) */
  struct relsim_message *msgs, *sorted; /* messages of this period, as sent and by hearer */
  size_t cap_msgs;
  int64_t *msg_offsets;            /* per story: its first message */
  size_t cap_offsets;
  uint32_t *target_count;          /* per customer + 1: counting-sort cursors */
  uint8_t *relay_flag;             /* per sorted message: the hearer relays */
  int64_t *runs;                   /* start of each hearer's run of sorted messages */
  size_t cap_runs;
  int64_t *inject_tellers;         /* this period's tellers of injected stories, as drawn */
  size_t cap_inject;
  struct rng_distinct_set inject_set; /* the tellers drawn so far (rng_distinct) */
};

/* Buffers for n customers in n_blocks blocks. Returns 0, or -1 (out of
 * memory; nothing left allocated). */
int wom_alloc(struct relsim_wom *wm, int64_t n, int64_t n_blocks);
void wom_free(struct relsim_wom *wm);
size_t wom_bytes(const struct relsim_wom *wm);
/* The memory the buffers touch at their steady state, estimated before the
 * run from p (the memory check), for n_blocks blocks and a network of
 * mean_degree contacts. An upper estimate per period: every buyer
 * (customers.need_mean) tells a story with the larger of wom.positive and
 * wom.negative times the mean talk; each story reaches the larger of
 * wom.tell_positive and wom.tell_negative contacts (every contact with
 * wom.tell_all); each chain is relayed (wom.relay x reach)^h times at the
 * hops h < wom.max_hops, by at most every customer over all its hops. Capacity beyond what a period
 * writes (the buffers double as they grow) is address space, not memory:
 * its pages are never touched. */
size_t wom_bytes_estimate(const struct relsim_params *p, int64_t n_blocks, double mean_degree);

/* Most messages (one story to one hearer) one period can send: they are
 * counted and sorted in 32 bits. */
#define WOM_MESSAGES_MAX (UINT32_MAX - 1u)

/* This period's injected stories (inject.*), told by random customers
 * (stream INJECT, serial). Returns RELSIM_OK, or RELSIM_ERR_MEMORY with a
 * message in err. */
enum relsim_status wom_inject(const struct relsim_params *p, const struct relsim_world *w, struct relsim_wom *wm,
                              gsl_rng *g, int t, char *err, size_t errlen);

/* Send and hear this period's stories, with one generator per thread.
 * Returns RELSIM_OK; RELSIM_ERR_SCENARIO if the stories would send more than
 * WOM_MESSAGES_MAX messages (a story explosion), RELSIM_ERR_MEMORY if memory
 * runs out; err then says what happened in which period and names the keys
 * that set the number of messages, with their values. */
enum relsim_status wom_period(const struct relsim_params *p, struct relsim_world *w, const struct relsim_network *net,
                              struct relsim_tally *tl, struct relsim_wom *wm, gsl_rng *const *rng, int threads, int t,
                              char *err, size_t errlen);

#endif
