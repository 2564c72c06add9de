/*
 * Story buffers (include/relsim/story.h).
 */
#include "relsim/story.h"

#include <stdlib.h>
#include <string.h>

#include "relsim/util.h"

int story_push(struct relsim_storybuf *b, int64_t sender, uint32_t generation, uint64_t chain, int64_t from, int firm,
               int valence, int hop, const float *perf, int a) {
  if (util_grow(&b->data, &b->cap, b->n + 1, sizeof *b->data, 256) != 0) return -1;
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

int story_append(struct relsim_storybuf *dst, const struct relsim_storybuf *src) {
  if (util_grow(&dst->data, &dst->cap, dst->n + src->n, sizeof *dst->data, 256) != 0) return -1;
  if (src->n) memcpy(dst->data + dst->n, src->data, src->n * sizeof *src->data);
  dst->n += src->n;
  return 0;
}

void story_free(struct relsim_storybuf *b) {
  free(b->data);
  b->data = NULL;
  b->n = b->cap = 0;
}

size_t story_bytes(const struct relsim_storybuf *b) { return b->cap * sizeof *b->data; }
