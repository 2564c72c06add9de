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
 * network by index (Floyd's sampling of distinct indices), never by walking
 * a contact list; messages are grouped by hearer with a counting sort whose
 * order is (hearer, story), whatever the thread count.
 */
#include <stdlib.h>
#include <string.h>

#include "relsim/rng.h"
#include "sim_internal.h"

struct relsim_story {
  int64_t sender;
  int64_t from;        /* who told the sender (-1: first-hand); never told back */
  uint64_t chain;      /* the chain's identity (first teller, first period) */
  uint32_t generation; /* the sender's generation: a story dies with its teller */
  int32_t hop;         /* 1 for a first-hand story */
  int16_t firm;
  int8_t valence;      /* +1 positive, -1 negative */
  float perf[RELSIM_MAX_ATTRS];
};

struct relsim_message {
  int64_t target;
  int64_t story;
};

int wom_story_push(struct relsim_storybuf *b, int64_t sender, uint32_t generation, uint64_t chain, int64_t from,
                   int firm, int valence, int hop, const float *perf, int a) {
  if (b->n == b->cap) {
    size_t cap = b->cap ? 2 * b->cap : 256;
    struct relsim_story *d = realloc(b->data, cap * sizeof *d);
    if (!d) return -1;
    b->data = d;
    b->cap = cap;
  }
  struct relsim_story *st = &b->data[b->n++];
  st->sender = sender;
  st->from = from;
  st->chain = chain;
  st->generation = generation;
  st->firm = (int16_t)firm;
  st->valence = (int8_t)valence;
  st->hop = hop;
  memset(st->perf, 0, sizeof st->perf);
  memcpy(st->perf, perf, (size_t)a * sizeof *perf);
  return 0;
}

static int storybuf_append(struct relsim_storybuf *dst, const struct relsim_storybuf *src) {
  if (dst->n + src->n > dst->cap) {
    size_t cap = dst->cap ? dst->cap : 256;
    while (cap < dst->n + src->n) cap *= 2;
    struct relsim_story *d = realloc(dst->data, cap * sizeof *d);
    if (!d) return -1;
    dst->data = d;
    dst->cap = cap;
  }
  if (src->n) memcpy(dst->data + dst->n, src->data, src->n * sizeof *src->data);
  dst->n += src->n;
  return 0;
}

int wom_alloc(struct relsim_sim *s) {
  s->target_count = calloc((size_t)s->n + 1, sizeof *s->target_count);
  s->wom_counts = calloc((size_t)s->threads * WOM_SLOTS * s->k, sizeof *s->wom_counts);
  return s->target_count && s->wom_counts ? 0 : -1;
}

void wom_free(struct relsim_sim *s) {
  free(s->injected.data);
  free(s->stories.data);
  free(s->relays.data);
  free(s->msgs);
  free(s->sorted);
  free(s->msg_offsets);
  free(s->target_count);
  free(s->relay_flag);
  free(s->runs);
  free(s->wom_counts);
}

size_t wom_bytes(const struct relsim_sim *s) {
  size_t told = 0;
  for (int64_t b = 0; b < s->n_blocks; b++) told += s->block_stories[b].cap * sizeof(struct relsim_story);
  return told + s->stories.cap * sizeof(struct relsim_story) + s->relays.cap * sizeof(struct relsim_story) +
         s->cap_msgs * (2 * sizeof(struct relsim_message) + 1) + ((size_t)s->n + 1) * sizeof *s->target_count +
         s->cap_runs * sizeof *s->runs;
}

/* How many contacts a story reaches. */
static int64_t story_reach(const struct relsim_sim *s, gsl_rng *g, const struct relsim_story *st, int64_t degree) {
  const struct relsim_params *p = &s->p;
  if (degree <= 0) return 0;
  if (p->tell_all) return degree;
  int64_t n = rng_poisson(g, st->valence > 0 ? p->tell_positive : p->tell_negative);
  return n < degree ? n : degree;
}

/* Floyd's algorithm: m distinct indices from [0, d), written to out[0..m). */
static void sample_distinct(gsl_rng *g, int64_t d, int64_t m, int64_t *out) {
  int64_t n = 0;
  for (int64_t j = d - m; j < d; j++) {
    int64_t v = (int64_t)rng_below(g, (uint64_t)j + 1);
    for (int64_t q = 0; q < n; q++)
      if (out[q] == v) {
        v = j;
        break;
      }
    out[n++] = v;
  }
}

static int ensure_msgs(struct relsim_sim *s, size_t need) {
  if (need <= s->cap_msgs) return 0;
  size_t cap = s->cap_msgs ? s->cap_msgs : 4096;
  while (cap < need) cap *= 2;
  struct relsim_message *a = realloc(s->msgs, cap * sizeof *a);
  if (!a) return -1;
  s->msgs = a;
  struct relsim_message *b = realloc(s->sorted, cap * sizeof *b);
  if (!b) return -1;
  s->sorted = b;
  uint8_t *c = realloc(s->relay_flag, cap);
  if (!c) return -1;
  s->relay_flag = c;
  int64_t *d = realloc(s->runs, (cap + 1) * sizeof *d);
  if (!d) return -1;
  s->runs = d;
  s->cap_runs = cap + 1;
  s->cap_msgs = cap;
  return 0;
}

int wom_inject(struct relsim_sim *s, int t) {
  const struct relsim_params *p = &s->p;
  s->injected.n = 0;
  if (p->inject_per_period <= 0 || t < p->inject_first || t > p->inject_last) return 0;
  gsl_rng *g = s->rng[0];
  rng_seek(g, p->seed, 0, RELSIM_STREAM_INJECT, 0, t, 0);
  float perf[RELSIM_MAX_ATTRS];
  for (int a = 0; a < s->a; a++) perf[a] = (float)p->inject_performance;
  /* Floyd's sampling of distinct tellers, checked against those drawn so far. */
  int64_t m = p->inject_per_period;
  for (int64_t j = s->n - m; j < s->n; j++) {
    int64_t v = (int64_t)rng_below(g, (uint64_t)j + 1);
    for (size_t q = 0; q < s->injected.n; q++)
      if (s->injected.data[q].sender == v) {
        v = j;
        break;
      }
    uint64_t chain = wom_chain_id(v, t) | (1ULL << 63); /* apart from the teller's own stories */
    if (wom_story_push(&s->injected, v, s->c.generation[v], chain, -1, p->inject_firm,
                       p->inject_valence ? 1 : -1, 1, perf, s->a) != 0)
      return -1;
  }
  return 0;
}

int wom_period(struct relsim_sim *s, int t) {
  const struct relsim_params *p = &s->p;
  const int k = s->k, na = s->a;

  /* This period's stories: last period's relays, then new stories in block order. */
  s->stories.n = 0;
  if (storybuf_append(&s->stories, &s->relays) != 0) return -1;
  s->relays.n = 0;
  for (int64_t b = 0; b < s->n_blocks; b++)
    if (storybuf_append(&s->stories, &s->block_stories[b]) != 0) return -1;
  if (storybuf_append(&s->stories, &s->injected) != 0) return -1;
  const int64_t ns = (int64_t)s->stories.n;
  memset(s->wom_counts, 0, (size_t)s->threads * WOM_SLOTS * k * sizeof *s->wom_counts);
  if (ns == 0) return 0;

  int64_t *off = realloc(s->msg_offsets, ((size_t)ns + 1) * sizeof *off);
  if (!off) return -1;
  s->msg_offsets = off;

  /* Pass 1: how many contacts each story reaches. */
#pragma omp parallel for num_threads(s->threads) schedule(static)
  for (int64_t q = 0; q < ns; q++) {
    const struct relsim_story *st = &s->stories.data[q];
    gsl_rng *g = s->rng[omp_thread()];
    rng_seek(g, p->seed, 0, RELSIM_STREAM_TELL, (uint64_t)st->sender, t, (uint64_t)q);
    /* A relay whose teller left the market is not told by the newcomer in its slot. */
    off[q + 1] = st->generation == s->c.generation[st->sender]
                     ? story_reach(s, g, st, network_degree(s->net, st->sender))
                     : 0;
  }
  off[0] = 0;
  for (int64_t q = 0; q < ns; q++) off[q + 1] += off[q];
  size_t m = (size_t)off[ns];
  if (ensure_msgs(s, m > 0 ? m : 1) != 0) return -1;
  s->n_msgs = m;

  /* Pass 2: the messages (same streams as pass 1, continued). */
  int failed = 0;
#pragma omp parallel num_threads(s->threads)
  {
    int th = omp_thread();
    int64_t *cnt = &s->wom_counts[(size_t)th * WOM_SLOTS * k];
    int64_t local_cap = 64;
    int64_t *idx = malloc((size_t)local_cap * sizeof *idx);
    if (!idx) {
#pragma omp atomic write
      failed = 1;
    }
#pragma omp for schedule(static)
    for (int64_t q = 0; q < ns; q++) {
      const struct relsim_story *st = &s->stories.data[q];
      int64_t reach = off[q + 1] - off[q];
      cnt[WOM_STORIES * k + st->firm]++;
      if (st->hop == 1) cnt[(st->valence > 0 ? WOM_POS_TOLD : WOM_NEG_TOLD) * k + st->firm]++;
      if (reach == 0 || !idx) continue;
      gsl_rng *g = s->rng[th];
      rng_seek(g, p->seed, 0, RELSIM_STREAM_TELL, (uint64_t)st->sender, t, (uint64_t)q);
      int64_t degree = network_degree(s->net, st->sender);
      (void)story_reach(s, g, st, degree);
      struct relsim_message *out = &s->msgs[off[q]];
      if (reach == degree) {
        for (int64_t j = 0; j < reach; j++) out[j].target = network_contact(s->net, st->sender, j);
      } else {
        if (reach > local_cap) {
          int64_t *bigger = realloc(idx, (size_t)reach * sizeof *idx);
          if (!bigger) {
#pragma omp atomic write
            failed = 1;
            continue;
          }
          idx = bigger;
          local_cap = reach;
        }
        sample_distinct(g, degree, reach, idx);
        for (int64_t j = 0; j < reach; j++) out[j].target = network_contact(s->net, st->sender, idx[j]);
      }
      /* Nobody tells the story back to whoever told it, or to themselves
       * (a self-loop of the network): such a message is dropped. */
      int64_t sent = 0;
      for (int64_t j = 0; j < reach; j++) {
        out[j].story = q;
        if (out[j].target == st->from || out[j].target == st->sender) out[j].target = -1;
        else sent++;
      }
      cnt[(st->valence > 0 ? WOM_POS_SENT : WOM_NEG_SENT) * k + st->firm] += sent;
      if (st->hop > 1) cnt[WOM_RELAYED * k + st->firm] += sent;
    }
    free(idx);
  }
  if (failed) return -1;

  /* Counting sort by hearer; stable, so each hearer's messages stay in story order. */
  if (m >= UINT32_MAX) return -1;
  uint32_t *count = s->target_count;
  memset(count, 0, ((size_t)s->n + 1) * sizeof *count);
  for (size_t j = 0; j < m; j++)
    if (s->msgs[j].target >= 0) count[s->msgs[j].target + 1]++;
  int64_t nruns = 0;
  {
    int64_t pos = 0;
    for (int64_t i = 0; i < s->n; i++) {
      uint32_t c = count[i + 1];
      if (c) s->runs[nruns++] = pos;
      count[i + 1] = (uint32_t)pos; /* becomes the write cursor of hearer i */
      pos += c;
    }
    s->runs[nruns] = pos;
  }
  size_t delivered = 0;
  for (size_t j = 0; j < m; j++)
    if (s->msgs[j].target >= 0) s->sorted[count[s->msgs[j].target + 1]++] = s->msgs[j], delivered++;
  m = delivered;

  /* Hearing: parallel over hearers, each hearer's messages in order. */
  const int relay_on = p->mech.relay && p->relay > 0.0;
#pragma omp parallel num_threads(s->threads)
  {
    int th = omp_thread();
    int64_t *cnt = &s->wom_counts[(size_t)th * WOM_SLOTS * k];
    gsl_rng *g = s->rng[th];
#pragma omp for schedule(dynamic, 256)
    for (int64_t run = 0; run < nruns; run++) {
      int64_t from = s->runs[run], to = s->runs[run + 1];
      int64_t h = s->sorted[from].target;
      rng_seek(g, p->seed, 0, RELSIM_STREAM_HEAR, (uint64_t)h, t, 0);
      for (int64_t j = from; j < to; j++) {
        const struct relsim_story *st = &s->stories.data[s->sorted[j].story];
        s->relay_flag[j] = 0;
        int f = st->firm;
        int64_t x = h * k + f;
        cnt[WOM_HEARD * k + f]++;
        firm_make_aware(s, h, f);
        float *E = &s->r.expect[x * na];
        for (int a = 0; a < na; a++) E[a] += (float)(p->wom_weight * (st->perf[a] - E[a]));
        /* First-hand experience outweighs hearsay: a hearer satisfied by its
         * own last purchase from f blocks it with block_prob * block_satisfied. */
        double pb = s->r.last_sat[x] >= p->band_satisfied ? p->block_prob * p->block_satisfied : p->block_prob;
        if (st->valence < 0 && p->mech.blocking && rng_bernoulli(g, pb)) {
          int32_t until = t + 1 + p->block_periods;
          if (s->r.blocked_until[x] < until) s->r.blocked_until[x] = until;
        }
        /* A customer decides once per chain whether to retell it. */
        if (s->c.heard_chain[h] != st->chain) {
          s->c.heard_chain[h] = st->chain;
          if (relay_on && st->hop < p->max_hops && rng_bernoulli(g, p->relay)) s->relay_flag[j] = 1;
        }
      }
    }
  }

  /* Relays, in (hearer, story) order, are told next period. */
  for (size_t j = 0; j < m; j++) {
    if (!s->relay_flag[j]) continue;
    const struct relsim_story *st = &s->stories.data[s->sorted[j].story];
    int64_t h = s->sorted[j].target;
    if (wom_story_push(&s->relays, h, s->c.generation[h], st->chain, st->sender, st->firm, st->valence, st->hop + 1,
                       st->perf, na) != 0)
      return -1;
  }
  return 0;
}
