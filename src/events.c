/*
 * Scheduled events (events.h): phase 0 of a period (MODEL.md §11), before
 * the budgets.
 *
 *   changes   each change's bytes are copied into the simulation's copy of
 *             the parameters, in the event's order (a strategy's preset
 *             values first, then the event's own keys: the loader put them
 *             so); then every promise not given is derived again,
 *             promise = clip(quality + overpromise) (params_finalize).
 *   firm      for each firm the event changed: if quality was given, the
 *             current quality (which learning moves, §10) restarts from
 *             it; the current promise is the given one, or derived from the
 *             current quality as firm_learn derives it; if failure_rate
 *             was given, the current failure rate (which learning lowers)
 *             restarts from it.
 *   entry     the firm is in the market from this period on (absent = 0,
 *             entered = t); each customer not yet aware of it becomes aware
 *             with probability initial_awareness (a draw per customer at
 *             stream ENTRY, entity = customer, period t, sub = firm), with
 *             expectations at its promise (relation.h).
 *   exit      absent = 1 from this period on. Its relations stay, but no
 *             customer can buy from it (market.c), and it has no budget
 *             (firm.c) nor relationship costs (accounting.c).
 *
 * A run resumed from a checkpoint has the firm state and the world from
 * the checkpoint and replays only the parameter changes (events_replay).
 */
#include "relsim/events.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "relsim/relation.h"
#include "relsim/rng.h"

void events_free(struct relsim_schedule *s) {
  free(s->events);
  free(s->changes);
  memset(s, 0, sizeof *s);
}

int events_copy(struct relsim_schedule *dst, const struct relsim_schedule *src) {
  memset(dst, 0, sizeof *dst);
  if (!src || src->n_events == 0) return 0;
  dst->events = malloc((size_t)src->n_events * sizeof *dst->events);
  dst->changes = malloc((size_t)(src->n_changes ? src->n_changes : 1) * sizeof *dst->changes);
  if (!dst->events || !dst->changes) {
    events_free(dst);
    return -1;
  }
  memcpy(dst->events, src->events, (size_t)src->n_events * sizeof *dst->events);
  if (src->n_changes) memcpy(dst->changes, src->changes, (size_t)src->n_changes * sizeof *dst->changes);
  dst->n_events = src->n_events;
  dst->n_changes = src->n_changes;
  return 0;
}

int events_absent_at_start(const struct relsim_schedule *s, int f) {
  for (int e = 0; s && e < s->n_events; e++) {
    const struct relsim_event *ev = &s->events[e];
    if (ev->firm == f && (ev->enter || ev->leave)) return ev->enter;
  }
  return 0;
}

void events_apply_params(struct relsim_params *p, const struct relsim_schedule *s, int e) {
  const struct relsim_event *ev = &s->events[e];
  for (int j = ev->first; j < ev->first + ev->n; j++) {
    const struct relsim_event_change *c = &s->changes[j];
    char *base = c->firm >= 0 ? (char *)&p->firms[c->firm] : (char *)p;
    memcpy(base + c->offset, c->value, c->size);
    if (c->firm < 0) continue;
    if (c->flags & RELSIM_EVENT_PROMISE) p->firms[c->firm].promise_set = 1;
    if (c->flags & RELSIM_EVENT_OVERPROMISE) p->firms[c->firm].promise_set = 0;
  }
  params_finalize(p);
}

int events_replay(struct relsim_params *p, const struct relsim_schedule *s, int period) {
  int e = 0;
  for (; s && e < s->n_events && s->events[e].period < period; e++) events_apply_params(p, s, e);
  return e;
}

/* Firm f's current quality, promise and failure rate after event ev changed its parameters. */
static void refresh_firm(const struct relsim_params *p, struct relsim_world *w, const struct relsim_schedule *s,
                         const struct relsim_event *ev, int f) {
  const struct relsim_firm_params *fp = &p->firms[f];
  struct relsim_firm_state *fs = &w->firm[f];
  int quality = 0;
  for (int j = ev->first; j < ev->first + ev->n; j++) {
    if (s->changes[j].firm != f) continue;
    if (s->changes[j].flags & RELSIM_EVENT_QUALITY) quality = 1;
    if (s->changes[j].flags & RELSIM_EVENT_FAILURE) fs->failure_rate = fp->failure_rate;
  }
  double sum = 0.0;
  for (int a = 0; a < w->a; a++) {
    if (quality) fs->quality[a] = fp->quality[a];
    fs->promise[a] = fp->promise_set ? fp->promise[a] : params_promise_of(fp, fs->quality[a]);
    sum += fs->promise[a];
  }
  fs->promise_mean = sum / w->a;
}

/* Firm f enters at period t: customers become aware of it with probability initial_awareness. */
static void enter(const struct relsim_params *p, struct relsim_world *w, int f, int t, gsl_rng **g, int threads) {
  const double share = p->firms[f].initial_awareness;
  w->firm[f].absent = 0;
  w->firm[f].entered = t;
  if (!(share > 0.0)) return;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t i = 0; i < w->n; i++) {
    gsl_rng *r = g[omp_get_thread_num()];
    rng_seek(r, p->seed, 0, RELSIM_STREAM_ENTRY, (uint64_t)i, t, (uint64_t)f);
    if (rng_bernoulli(r, share)) relation_make_aware(w, i, f);
  }
}

void events_apply(struct relsim_params *p, struct relsim_world *w, const struct relsim_schedule *s, int e, int t,
                  gsl_rng **g, int threads) {
  const struct relsim_event *ev = &s->events[e];
  events_apply_params(p, s, e);
  for (int f = 0; f < w->k; f++) {
    int changed = 0;
    for (int j = ev->first; j < ev->first + ev->n && !changed; j++) changed = s->changes[j].firm == f;
    if (changed) refresh_firm(p, w, s, ev, f);
  }
  if (ev->enter) enter(p, w, ev->firm, t, g, threads);
  if (ev->leave) w->firm[ev->firm].absent = 1;
}
