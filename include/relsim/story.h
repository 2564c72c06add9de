/*
 * Word-of-mouth stories (MODEL.md §9): what a teller passes on, and the
 * growable buffers that hold them. A story chain is identified by its first
 * teller and the period it was first told; a story dies with its teller
 * (generation).
 */
#ifndef RELSIM_STORY_H
#define RELSIM_STORY_H

#include <stddef.h>
#include <stdint.h>
#include "relsim/params.h"

struct relsim_story {
  int64_t sender;
  int64_t from;        /* who told the sender (-1: first-hand); never told back */
  uint64_t chain;      /* the chain's identity (first teller, first period) */
  uint32_t generation; /* the sender's generation: a story dies with its teller */
  int32_t hop;         /* 1 for a first-hand story */
  int16_t firm;
  int8_t valence;      /* +1 positive, -1 negative */
  float perf[RELSIM_MAX_ATTRS]; /* the sender's perceived performance per attribute */
};

struct relsim_storybuf {
  struct relsim_story *data;
  size_t n, cap;
};

/* A story chain's identity: its first teller and the period it was first told. */
static inline uint64_t story_chain_id(int64_t sender, int t) { return ((uint64_t)(t + 1) << 40) | (uint64_t)sender; }

/* Add a story told by sender (of the given generation) in a chain; from is
 * the customer who told it to the sender (-1 for a first-hand story); perf
 * holds a attributes. Returns 0, or -1 if memory runs out. */
int story_push(struct relsim_storybuf *b, int64_t sender, uint32_t generation, uint64_t chain, int64_t from, int firm,
               int valence, int hop, const float *perf, int a);
/* Append every story of src to dst. Returns 0 or -1. */
int story_append(struct relsim_storybuf *dst, const struct relsim_storybuf *src);
void story_free(struct relsim_storybuf *b);
size_t story_bytes(const struct relsim_storybuf *b);

#endif
