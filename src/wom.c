/*
 * Word of mouth (MODEL.md §9): the 250 rule.
 *
 * A story is (sender, firm, valence, hop, the sender's perceived
 * performance). Stories told in period t (phase 4) and stories relayed from
 * period t-1 are expanded in phase 5 of period t into messages: a positive
 * story reaches Poisson(tell_positive) distinct random contacts of its
 * sender, a negative one Poisson(tell_negative) (every contact with
 * tell_all), never the one who told the sender. Each hearer, in the order
 * (hearer, story), becomes aware of the firm (expectations start at the
 * firm's promise), moves its expectations toward the story's performance by
 * wom_weight, blocks the firm for block_periods with probability block_prob
 * if the story is negative (times block_satisfied if the hearer's own last
 * experience with the firm was satisfied or better), and - the first time it
 * hears a chain - relays
 * it with probability relay while hop < max_hops; a relayed story is told
 * in the next period (one hop per period). On a network of degree k with
 * tell_all this is site percolation with branching factor relay * (k - 1).
 *
 * Cost is proportional to the messages sent: contacts are drawn from the
 * network by index (Floyd's sampling of distinct indices, rng_distinct),
 * never by walking a contact list; messages are grouped by hearer with a
 * counting sort whose order is (hearer, story), whatever the thread count.
 * One period sends at most WOM_MESSAGES_MAX messages: a story explosion
 * beyond stops the run with the keys that caused it.
 *
 * Contract: reads the stories told in phase 4 (one buffer per block) and
 * the network; writes the hearers' relations (aware, expect, blocked_until)
 * and heard_chain. Counts WOM_* per thread (integers). Streams TELL (entity
 * = sender, sub = story rank), HEAR (entity = hearer), INJECT.
 */
#include "wom.h"

#include <inttypes.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relsim/relation.h"
#include "relsim/rng.h"
#include "relsim/textbuf.h"
#include "relsim/util.h"

struct relsim_message {
  int64_t target;
  int64_t story;
};

int wom_alloc(struct relsim_wom *wm, int64_t n, int64_t n_blocks) {
  memset(wm, 0, sizeof *wm);
  wm->n = n;
  wm->n_blocks = n_blocks;
  wm->told = calloc((size_t)(n_blocks ? n_blocks : 1), sizeof *wm->told);
  wm->target_count = calloc((size_t)n + 1, sizeof *wm->target_count);
  if (!wm->told || !wm->target_count) {
    wom_free(wm);
    return -1;
  }
  return 0;
}

void wom_free(struct relsim_wom *wm) {
  if (wm->told)
    for (int64_t b = 0; b < wm->n_blocks; b++) story_free(&wm->told[b]);
  free(wm->told);
  story_free(&wm->injected);
  story_free(&wm->stories);
  story_free(&wm->relays);
  free(wm->msgs);
  free(wm->sorted);
  free(wm->msg_offsets);
  free(wm->target_count);
  free(wm->relay_flag);
  free(wm->runs);
  free(wm->inject_tellers);
  rng_distinct_free(&wm->inject_set);
  memset(wm, 0, sizeof *wm);
}

size_t wom_bytes(const struct relsim_wom *wm) {
  size_t told = 0;
  for (int64_t b = 0; b < wm->n_blocks; b++) told += story_bytes(&wm->told[b]);
  return told + story_bytes(&wm->stories) + story_bytes(&wm->relays) + story_bytes(&wm->injected) +
         wm->cap_offsets * sizeof *wm->msg_offsets +
         wm->cap_msgs * (2 * sizeof(struct relsim_message) + 1) + ((size_t)wm->n + 1) * sizeof *wm->target_count +
         wm->cap_runs * sizeof *wm->runs + wm->cap_inject * sizeof *wm->inject_tellers +
         wm->inject_set.cap * sizeof *wm->inject_set.slot;
}

/* How many contacts a story reaches. */
static int64_t story_reach(const struct relsim_params *p, gsl_rng *g, const struct relsim_story *st, int64_t degree) {
  if (degree <= 0) return 0;
  if (p->tell_all) return degree;
  int64_t n = rng_poisson(g, st->valence > 0 ? p->tell_positive : p->tell_negative);
  return n < degree ? n : degree;
}

static int ensure_msgs(struct relsim_wom *wm, size_t need) {
  if (need <= wm->cap_msgs) return 0;
  size_t cap = wm->cap_msgs, cap_sorted = wm->cap_msgs, cap_flag = wm->cap_msgs, cap_runs = wm->cap_runs;
  if (util_grow(&wm->msgs, &cap, need, sizeof *wm->msgs, 4096) != 0) return -1;
  if (util_grow(&wm->sorted, &cap_sorted, cap, sizeof *wm->sorted, 1) != 0) return -1;
  if (util_grow(&wm->relay_flag, &cap_flag, cap, 1, 1) != 0) return -1;
  if (util_grow(&wm->runs, &cap_runs, cap + 1, sizeof *wm->runs, 1) != 0) return -1;
  wm->cap_runs = cap_runs;
  wm->cap_msgs = cap;
  return 0;
}

/* The keys that set how many messages a period sends, with their values,
 * for a message that asks to lower them. */
static void wom_keys(const struct relsim_params *p, const struct relsim_network *net, struct textbuf *b) {
  if (p->tell_all)
    textbuf_puts(b, "wom.tell_all (true: a story reaches every contact)");
  else
    textbuf_printf(b, "wom.tell_positive (%g), wom.tell_negative (%g)", p->tell_positive, p->tell_negative);
  if (p->mech.relay && p->relay > 0.0) textbuf_printf(b, ", wom.relay (%g: hearers tell again)", p->relay);
  if (p->inject_per_period > 0) textbuf_printf(b, ", inject.per_period (%d)", p->inject_per_period);
  if (p->network_kind == RELSIM_NET_MIXED)
    textbuf_printf(b, " or the contacts (network.kind mixed: %" PRId64 " each)", p->customers - 1);
  else if (p->network_kind == RELSIM_NET_FILE && net)
    textbuf_printf(b, " or the contacts (network.file: %.1f each on average)", network_mean_degree(net));
  else if (p->network_kind == RELSIM_NET_FILE)
    textbuf_puts(b, " or the contacts (network.file)");
  else
    textbuf_printf(b, " or network.contacts (%d)", p->contacts);
}

/* Record a failure of period t in err: what happened, then the keys to lower. */
TEXTBUF_PRINTF(7, 8)
static enum relsim_status wom_fail(const struct relsim_params *p, const struct relsim_network *net,
                                   enum relsim_status status, char *err, size_t errlen, int t, const char *fmt, ...) {
  struct textbuf b = {0};
  va_list ap;
  va_start(ap, fmt);
  textbuf_printf(&b, "word of mouth in period %d: ", t);
  textbuf_vprintf(&b, fmt, ap);
  va_end(ap);
  textbuf_puts(&b, "; lower ");
  wom_keys(p, net, &b);
  snprintf(err, errlen, "%s", b.s ? b.s : "word of mouth: out of memory");
  textbuf_free(&b);
  return status;
}

enum relsim_status wom_inject(const struct relsim_params *p, const struct relsim_world *w, struct relsim_wom *wm,
                              gsl_rng *g, int t, char *err, size_t errlen) {
  wm->injected.n = 0;
  if (p->inject_per_period <= 0 || t < p->inject_first || t > p->inject_last) return RELSIM_OK;
  rng_seek(g, p->seed, 0, RELSIM_STREAM_INJECT, 0, t, 0);
  float perf[RELSIM_MAX_ATTRS];
  for (int a = 0; a < w->a; a++) perf[a] = (float)p->inject_performance;
  /* Floyd's sampling of distinct tellers. */
  int64_t m = p->inject_per_period;
  if (util_grow(&wm->inject_tellers, &wm->cap_inject, (size_t)m, sizeof *wm->inject_tellers, 64) != 0 ||
      rng_distinct(g, w->n, m, wm->inject_tellers, &wm->inject_set) != 0)
    return wom_fail(p, NULL, RELSIM_ERR_MEMORY, err, errlen, t, "out of memory drawing %" PRId64 " tellers", m);
  for (int64_t q = 0; q < m; q++) {
    int64_t v = wm->inject_tellers[q];
    uint64_t chain = story_chain_id(v, t) | (1ULL << 63); /* apart from the teller's own stories */
    if (story_push(&wm->injected, v, w->c.generation[v], chain, -1, p->inject_firm, p->inject_valence ? 1 : -1, 1,
                   perf, w->a) != 0)
      return wom_fail(p, NULL, RELSIM_ERR_MEMORY, err, errlen, t, "out of memory storing %" PRId64 " injected stories",
                      m);
  }
  return RELSIM_OK;
}

enum relsim_status wom_period(const struct relsim_params *p, struct relsim_world *w, const struct relsim_network *net,
                              struct relsim_tally *tl, struct relsim_wom *wm, gsl_rng *const *rng, int threads, int t,
                              char *err, size_t errlen) {
  const int k = w->k, na = w->a;

  /* This period's stories: last period's relays, then new stories in block order. */
  wm->stories.n = 0;
  const size_t relayed = wm->relays.n;
  int oom = story_append(&wm->stories, &wm->relays) != 0;
  wm->relays.n = 0;
  for (int64_t b = 0; b < wm->n_blocks && !oom; b++) oom = story_append(&wm->stories, &wm->told[b]) != 0;
  if (oom || story_append(&wm->stories, &wm->injected) != 0)
    return wom_fail(p, net, RELSIM_ERR_MEMORY, err, errlen, t, "out of memory storing the stories (%zu relayed)",
                    relayed);
  const int64_t ns = (int64_t)wm->stories.n;
  if (ns == 0) return RELSIM_OK;

  if (util_grow(&wm->msg_offsets, &wm->cap_offsets, (size_t)ns + 1, sizeof *wm->msg_offsets, 1) != 0)
    return wom_fail(p, net, RELSIM_ERR_MEMORY, err, errlen, t, "out of memory for the offsets of %" PRId64 " stories",
                    ns);
  int64_t *off = wm->msg_offsets;

  /* Pass 1: how many contacts each story reaches. */
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t q = 0; q < ns; q++) {
    const struct relsim_story *st = &wm->stories.data[q];
    gsl_rng *g = rng[omp_get_thread_num()];
    rng_seek(g, p->seed, 0, RELSIM_STREAM_TELL, (uint64_t)st->sender, t, (uint64_t)q);
    /* A relay whose teller left the market is not told by the newcomer in its slot. */
    off[q + 1] = st->generation == w->c.generation[st->sender]
                     ? story_reach(p, g, st, network_degree(net, st->sender))
                     : 0;
  }
  /* The messages are counted (and sorted) in 32 bits: a story explosion
   * beyond that stops the run before anything is allocated for it. */
  off[0] = 0;
  double wanted = 0.0;
  for (int64_t q = 0; q < ns; q++) wanted += (double)off[q + 1];
  if (wanted > (double)WOM_MESSAGES_MAX)
    return wom_fail(p, net, RELSIM_ERR_SCENARIO, err, errlen, t,
                    "%" PRId64 " stories (%zu of them relayed) would send %.0f messages, more than the %" PRIu32
                    " one period can hold (a story explosion)",
                    ns, relayed, wanted, (uint32_t)WOM_MESSAGES_MAX);
  for (int64_t q = 0; q < ns; q++) off[q + 1] += off[q];
  size_t m = (size_t)off[ns];
  if (ensure_msgs(wm, m > 0 ? m : 1) != 0)
    return wom_fail(p, net, RELSIM_ERR_MEMORY, err, errlen, t,
                    "out of memory for %zu messages (%.2f GB) of %" PRId64 " stories (%zu of them relayed)", m,
                    (double)m * (2 * sizeof(struct relsim_message) + 1 + sizeof *wm->runs) / 1e9, ns, relayed);

  /* Pass 2: the messages (same streams as pass 1, continued). */
  int failed = 0;
#pragma omp parallel num_threads(threads)
  {
    int th = omp_get_thread_num();
    int64_t *cnt = tally_thread_counts(tl, th);
    size_t local_cap = 0;
    int64_t *idx = NULL;                /* this thread's sample of contact indices */
    struct rng_distinct_set seen = {0}; /* and its set of indices drawn */
#pragma omp for schedule(static)
    for (int64_t q = 0; q < ns; q++) {
      const struct relsim_story *st = &wm->stories.data[q];
      int64_t reach = off[q + 1] - off[q];
      cnt[TALLY_WOM_STORIES * k + st->firm]++;
      if (st->hop == 1) cnt[(st->valence > 0 ? TALLY_WOM_POS_TOLD : TALLY_WOM_NEG_TOLD) * k + st->firm]++;
      if (reach == 0) continue;
      gsl_rng *g = rng[th];
      rng_seek(g, p->seed, 0, RELSIM_STREAM_TELL, (uint64_t)st->sender, t, (uint64_t)q);
      int64_t degree = network_degree(net, st->sender);
      (void)story_reach(p, g, st, degree);
      struct relsim_message *out = &wm->msgs[off[q]];
      if (reach == degree) {
        for (int64_t j = 0; j < reach; j++) out[j].target = network_contact(net, st->sender, j);
      } else {
        if (util_grow(&idx, &local_cap, (size_t)reach, sizeof *idx, 64) != 0 ||
            rng_distinct(g, degree, reach, idx, &seen) != 0) {
#pragma omp atomic write
          failed = 1;
          continue;
        }
        for (int64_t j = 0; j < reach; j++) out[j].target = network_contact(net, st->sender, idx[j]);
      }
      /* Nobody tells the story back to whoever told it, or to themselves
       * (a self-loop of the network): such a message is dropped. */
      int64_t sent = 0;
      for (int64_t j = 0; j < reach; j++) {
        out[j].story = q;
        if (out[j].target == st->from || out[j].target == st->sender) out[j].target = -1;
        else sent++;
      }
      cnt[(st->valence > 0 ? TALLY_WOM_POS_SENT : TALLY_WOM_NEG_SENT) * k + st->firm] += sent;
      if (st->hop > 1) cnt[TALLY_WOM_RELAYED * k + st->firm] += sent;
    }
    free(idx);
    rng_distinct_free(&seen);
  }
  if (failed)
    return wom_fail(p, net, RELSIM_ERR_MEMORY, err, errlen, t, "out of memory drawing the hearers of %zu messages", m);

  /* Counting sort by hearer; stable, so each hearer's messages stay in story order. */
  uint32_t *count = wm->target_count;
  memset(count, 0, ((size_t)w->n + 1) * sizeof *count);
  for (size_t j = 0; j < m; j++)
    if (wm->msgs[j].target >= 0) count[wm->msgs[j].target + 1]++;
  int64_t nruns = 0;
  {
    int64_t pos = 0;
    for (int64_t i = 0; i < w->n; i++) {
      uint32_t c = count[i + 1];
      if (c) wm->runs[nruns++] = pos;
      count[i + 1] = (uint32_t)pos; /* becomes the write cursor of hearer i */
      pos += c;
    }
    wm->runs[nruns] = pos;
  }
  size_t delivered = 0;
  for (size_t j = 0; j < m; j++)
    if (wm->msgs[j].target >= 0) wm->sorted[count[wm->msgs[j].target + 1]++] = wm->msgs[j], delivered++;
  m = delivered;

  /* Hearing: parallel over hearers, each hearer's messages in order. */
  const int relay_on = p->mech.relay && p->relay > 0.0;
#pragma omp parallel num_threads(threads)
  {
    int th = omp_get_thread_num();
    int64_t *cnt = tally_thread_counts(tl, th);
    gsl_rng *g = rng[th];
#pragma omp for schedule(dynamic, 256)
    for (int64_t run = 0; run < nruns; run++) {
      int64_t from = wm->runs[run], to = wm->runs[run + 1];
      int64_t h = wm->sorted[from].target;
      rng_seek(g, p->seed, 0, RELSIM_STREAM_HEAR, (uint64_t)h, t, 0);
      for (int64_t j = from; j < to; j++) {
        const struct relsim_story *st = &wm->stories.data[wm->sorted[j].story];
        wm->relay_flag[j] = 0;
        int f = st->firm;
        int64_t x = h * k + f;
        cnt[TALLY_WOM_HEARD * k + f]++;
        relation_make_aware(w, h, f);
        float *E = &w->r.expect[x * na];
        for (int a = 0; a < na; a++) E[a] += (float)(p->wom_weight * (st->perf[a] - E[a]));
        /* First-hand experience outweighs hearsay: a hearer satisfied by its
         * own last purchase from f blocks it with block_prob * block_satisfied. */
        double pb = w->r.last_sat[x] >= p->band_satisfied ? p->block_prob * p->block_satisfied : p->block_prob;
        if (st->valence < 0 && p->mech.blocking && rng_bernoulli(g, pb)) {
          int32_t until = t + 1 + p->block_periods;
          if (w->r.blocked_until[x] < until) w->r.blocked_until[x] = until;
        }
        /* A customer decides once per chain whether to retell it. */
        if (w->c.heard_chain[h] != st->chain) {
          w->c.heard_chain[h] = st->chain;
          if (relay_on && st->hop < p->max_hops && rng_bernoulli(g, p->relay)) wm->relay_flag[j] = 1;
        }
      }
    }
  }

  /* Relays, in (hearer, story) order, are told next period. */
  for (size_t j = 0; j < m; j++) {
    if (!wm->relay_flag[j]) continue;
    const struct relsim_story *st = &wm->stories.data[wm->sorted[j].story];
    int64_t h = wm->sorted[j].target;
    if (story_push(&wm->relays, h, w->c.generation[h], st->chain, st->sender, st->firm, st->valence, st->hop + 1,
                   st->perf, na) != 0)
      return wom_fail(p, net, RELSIM_ERR_MEMORY, err, errlen, t, "out of memory storing %zu relayed stories",
                      wm->relays.n + 1);
  }
  return RELSIM_OK;
}

size_t wom_bytes_estimate(const struct relsim_params *p, int64_t n_blocks, double mean_degree) {
  const double n = (double)p->customers;
  double bytes = (double)(n_blocks ? n_blocks : 1) * sizeof(struct relsim_storybuf) + (n + 1.0) * sizeof(uint32_t);
  /* First-hand stories: every buyer tells, with the larger of the two
   * probabilities (times the mean talk, lognormal with median 1). */
  double told = 0.0, reach = 0.0;
  if (p->mech.word_of_mouth && (p->wom_positive > 0.0 || p->wom_negative > 0.0)) {
    double tell = p->wom_positive > p->wom_negative ? p->wom_positive : p->wom_negative;
    double talk = tell * exp(0.5 * p->talk_sigma * p->talk_sigma);
    told = n * (p->need_mean < 1.0 ? p->need_mean : 1.0) * (talk < 1.0 ? talk : 1.0);
    if (p->wom_positive > 0.0) reach = p->tell_positive;
    if (p->wom_negative > 0.0 && p->tell_negative > reach) reach = p->tell_negative;
  }
  double injected = p->inject_per_period > 0 ? (double)p->inject_per_period : 0.0;
  if (injected > 0.0) {
    double r = p->inject_valence ? p->tell_positive : p->tell_negative;
    if (r > reach) reach = r;
  }
  if (p->tell_all || reach > mean_degree) reach = mean_degree;
  /* Relays: each chain's story is retold (wom.relay x reach)^h times at hop
   * h < wom.max_hops, and by at most every customer over all its hops. */
  double relays = 0.0;
  if (p->mech.relay && p->relay > 0.0) {
    double per_chain = 0.0, term = 1.0;
    for (int h = 1; h < p->max_hops && per_chain < n; h++) per_chain += (term *= p->relay * reach);
    relays = (told + injected) * (per_chain < n ? per_chain : n);
  }
  double stories = told + injected + relays;
  double msgs = stories * reach;
  if (msgs > (double)UINT32_MAX) msgs = (double)UINT32_MAX; /* beyond it the period fails */
  /* told (per block), this period's stories, relays, injected; offsets; per
   * message: as sent, sorted, its relay flag and at most one run start */
  bytes += (told + stories + relays + injected) * sizeof(struct relsim_story) + stories * sizeof(int64_t) +
           msgs * (2 * sizeof(struct relsim_message) + 1 + sizeof(int64_t));
  return bytes < (double)SIZE_MAX ? (size_t)bytes : SIZE_MAX;
}
