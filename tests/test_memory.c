/*
 * The memory estimate (sim_bytes_estimate): the exact parts equal what
 * sim_create allocates, and the word-of-mouth estimate is not below what the
 * buffers reach in a run.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "relsim/params.h"
#include "relsim/sim.h"

static void base_params(struct relsim_params *p, int64_t n, int kind, int contacts) {
  params_defaults(p);
  p->customers = n;
  p->periods = 12;
  p->contacts = contacts;
  p->network_kind = kind;
  p->seed = 3;
  p->n_firms = 2;
  params_firm_defaults(&p->firms[0], RELSIM_STRATEGY_TRANSACTIONAL, p->n_attrs);
  params_firm_defaults(&p->firms[1], RELSIM_STRATEGY_RELATIONSHIP, p->n_attrs);
  strcpy(p->firms[0].name, "T");
  strcpy(p->firms[1].name, "R");
  params_finalize(p);
}

/* Build and run p; compare every part of the estimate with what the
 * simulation holds at the end (the buffers' largest size). */
static void check_estimate(const struct relsim_params *p, const char *what) {
  struct relsim_sim_bytes e;
  sim_bytes_estimate(p, 2, &e);
  struct relsim_sim *s = NULL;
  char err[512];
  if (sim_create(&s, p, 2, err, sizeof err) != RELSIM_OK) {
    fprintf(stderr, "%s: sim_create: %s\n", what, err);
    CHECK(0);
    return;
  }
  for (int t = 0; t < p->periods; t++)
    if (sim_step(s, err, sizeof err) != RELSIM_OK) {
      fprintf(stderr, "%s: sim_step: %s\n", what, err);
      CHECK(0);
      break;
    }
  CHECK_INT_EQ(e.customers, s->w.bytes);
  CHECK_INT_EQ(e.tallies, tally_bytes(&s->tl));
  size_t net = network_bytes(s->net);
  if (p->network_kind == RELSIM_NET_SCALE_FREE) /* plus the build's work space, one int64 per customer */
    CHECK_INT_EQ(e.network, net + (size_t)p->customers * sizeof(int64_t));
  else
    CHECK_INT_EQ(e.network, net);
  size_t wom = sim_bytes(s) - s->w.bytes - tally_bytes(&s->tl) - net;
  if (!(e.wom >= wom)) fprintf(stderr, "%s: word of mouth estimated %zu < %zu held\n", what, e.wom, wom);
  CHECK(e.wom >= wom);
  sim_free(s);
}

static void test_estimate_parts(void) {
  struct relsim_params p;
  base_params(&p, 20000, RELSIM_NET_RANDOM, 20);
  check_estimate(&p, "random");
  base_params(&p, 20000, RELSIM_NET_SCALE_FREE, 20);
  check_estimate(&p, "scale_free");
  base_params(&p, 20000, RELSIM_NET_SMALL_WORLD, 20);
  p.tell_all = 1; /* every story reaches every contact, with relays */
  p.relay = 0.1;
  check_estimate(&p, "small_world, tell_all");
  base_params(&p, 20000, RELSIM_NET_MIXED, 1);
  p.mech.word_of_mouth = 0;
  check_estimate(&p, "mixed, no word of mouth");
}

int main(void) {
  test_estimate_parts();
  return check_report("test_memory");
}
