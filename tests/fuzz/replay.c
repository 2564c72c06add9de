/*
 * A main for the fuzz harnesses without libFuzzer: runs the harness once on
 * each file named, and on each file of each directory named (in name order),
 * so that every build, with any compiler, replays the seed corpus and the
 * committed reproducers. Fails when a directory holds no file.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_input.h"

static size_t replay_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) fuzz_fail("cannot open %s", path);
  unsigned char *buf = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? 2 * cap : 4096;
      unsigned char *b = realloc(buf, cap);
      if (!b) fuzz_fail("out of memory reading %s", path);
      buf = b;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  if (ferror(f)) fuzz_fail("cannot read %s", path);
  fclose(f);
  LLVMFuzzerTestOneInput(buf, n);
  free(buf);
  return 1;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static size_t replay_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) fuzz_fail("cannot open directory %s", dir);
  char **names = NULL;
  size_t n = 0, cap = 0, done = 0;
  for (struct dirent *e; (e = readdir(d));) {
    if (e->d_name[0] == '.') continue;
    if (n == cap) {
      cap = cap ? 2 * cap : 64;
      char **m = realloc(names, cap * sizeof *m);
      if (!m) fuzz_fail("out of memory listing %s", dir);
      names = m;
    }
    size_t len = strlen(dir) + strlen(e->d_name) + 2;
    if (!(names[n] = malloc(len))) fuzz_fail("out of memory listing %s", dir);
    snprintf(names[n++], len, "%s/%s", dir, e->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, by_name);
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) done += replay_file(names[i]);
    free(names[i]);
  }
  free(names);
  if (!done) fuzz_fail("no input in %s", dir);
  return done;
}

int main(int argc, char **argv) {
  size_t done = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) fuzz_fail("no such file or directory: %s", argv[i]);
    done += S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : replay_file(argv[i]);
  }
  printf("%s: %zu inputs replayed\n", argc > 0 ? argv[0] : "replay", done);
  return 0;
}
