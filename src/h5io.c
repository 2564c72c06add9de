/*
 * Checked HDF5 wrappers shared by the output writer (output.c) and reader
 * (output_read.c): errors that name the file and the object, attributes,
 * groups and datasets with object times off, dimension scales, appending
 * along the first axis, and reading strings and attributes back.
 */
#include "h5io.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5_hl.h>

#include "relsim/output.h"

#define DETAIL_MAX 400

/* ---- errors ------------------------------------------------------------- */

static herr_t walk_innermost(unsigned n, const H5E_error2_t *e, void *data) {
  if (n == 0) snprintf(data, DETAIL_MAX, "%s", e->desc ? e->desc : "");
  return 0;
}

/* Whether the last failure reported here was memory running out (HDF5's
 * resource errors, or a message saying so): output_out_of_memory. */
static _Thread_local int h5io_oom;

static herr_t walk_oom(unsigned n, const H5E_error2_t *e, void *data) {
  (void)n;
  if (e->maj_num == H5E_RESOURCE && (e->min_num == H5E_NOSPACE || e->min_num == H5E_CANTALLOC)) *(int *)data = 1;
  return 0;
}

void h5io_detail(char *buf, size_t size) {
  char detail[DETAIL_MAX] = "";
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, walk_innermost, detail);
  /* A failed system call reads "... errno = 28, error message = 'No space
   * left on device', ...": the system's message is what a user needs. */
  static const char key[] = "error message = '";
  char *msg = strstr(detail, key), *end = msg ? strchr(msg + sizeof key - 1, '\'') : NULL;
  if (msg && end) {
    *end = '\0';
    snprintf(buf, size, "%s", msg + sizeof key - 1);
    return;
  }
  snprintf(buf, size, "%s", detail[0] ? detail : "unknown HDF5 error");
  h5io_oom = 0;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, walk_oom, &h5io_oom);
}

int output_out_of_memory(void) { return h5io_oom; }

int h5io_fail(struct h5io_ctx *c, const char *fmt, ...) {
  char detail[DETAIL_MAX], what[600];
  h5io_detail(detail, sizeof detail);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  if (c->err && c->errlen) snprintf(c->err, c->errlen, "%s in %s: %s", what, c->file, detail);
  return -1;
}

int h5io_fail_obj(struct h5io_ctx *c, hid_t obj, const char *what, const char *name) {
  char detail[DETAIL_MAX], path[256] = "?";
  h5io_detail(detail, sizeof detail);
  if (H5Iget_name(obj, path, sizeof path) < 0) snprintf(path, sizeof path, "?");
  if (c->err && c->errlen && name)
    snprintf(c->err, c->errlen, "cannot %s '%s' of '%s' in %s: %s", what, name, path, c->file, detail);
  else if (c->err && c->errlen)
    snprintf(c->err, c->errlen, "cannot %s '%s' in %s: %s", what, path, c->file, detail);
  return -1;
}

int h5io_fail_plain(struct h5io_ctx *c, const char *fmt, ...) {
  h5io_oom = strstr(fmt, "out of memory") != NULL; /* the writer's own allocations say so */
  va_list ap;
  va_start(ap, fmt);
  if (c->err && c->errlen) vsnprintf(c->err, c->errlen, fmt, ap);
  va_end(ap);
  return -1;
}

/* ---- types ---------------------------------------------------------------- */

hid_t h5io_utf8_type(void) {
  hid_t t = H5Tcopy(H5T_C_S1);
  if (t >= 0 && (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0)) {
    H5Tclose(t);
    return -1;
  }
  return t;
}

hid_t h5io_elem_ftype(enum relsim_elem e) {
  switch (e) {
    case RELSIM_ELEM_F64: return H5T_IEEE_F64LE;
    case RELSIM_ELEM_F32: return H5T_IEEE_F32LE;
    case RELSIM_ELEM_U8: return H5T_STD_U8LE;
    case RELSIM_ELEM_I16: return H5T_STD_I16LE;
    case RELSIM_ELEM_I32: return H5T_STD_I32LE;
    case RELSIM_ELEM_U32: return H5T_STD_U32LE;
    case RELSIM_ELEM_U64: return H5T_STD_U64LE;
  }
  return -1;
}

hid_t h5io_elem_mtype(enum relsim_elem e) {
  switch (e) {
    case RELSIM_ELEM_F64: return H5T_NATIVE_DOUBLE;
    case RELSIM_ELEM_F32: return H5T_NATIVE_FLOAT;
    case RELSIM_ELEM_U8: return H5T_NATIVE_UINT8;
    case RELSIM_ELEM_I16: return H5T_NATIVE_INT16;
    case RELSIM_ELEM_I32: return H5T_NATIVE_INT32;
    case RELSIM_ELEM_U32: return H5T_NATIVE_UINT32;
    case RELSIM_ELEM_U64: return H5T_NATIVE_UINT64;
  }
  return -1;
}

/* ---- writing ---------------------------------------------------------------- */

/* Create or overwrite an attribute: scalar (n 0) or n values. */
static int attr_write(struct h5io_ctx *c, hid_t obj, const char *name, hid_t ftype, hid_t mtype, hsize_t n,
                      const void *buf) {
  htri_t exists = H5Aexists(obj, name);
  hid_t space = -1, a = -1;
  int rc = -1;
  if (exists > 0) {
    a = H5Aopen(obj, name, H5P_DEFAULT);
  } else if (exists == 0) {
    space = n ? H5Screate_simple(1, &n, NULL) : H5Screate(H5S_SCALAR);
    if (space >= 0) a = H5Acreate2(obj, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT);
  }
  if (a >= 0 && H5Awrite(a, mtype, buf) >= 0) rc = 0;
  if (rc < 0) h5io_fail_obj(c, obj, "write attribute", name);
  if (a >= 0 && H5Aclose(a) < 0 && rc == 0) rc = h5io_fail_obj(c, obj, "close attribute", name);
  if (space >= 0) H5Sclose(space);
  return rc;
}

int h5io_attr_put(struct h5io_ctx *c, hid_t obj, const char *name, hid_t ftype, hid_t mtype, const void *buf) {
  return attr_write(c, obj, name, ftype, mtype, 0, buf);
}

int h5io_attr_array(struct h5io_ctx *c, hid_t obj, const char *name, hid_t ftype, hid_t mtype, size_t n,
                    const void *buf) {
  return n ? attr_write(c, obj, name, ftype, mtype, (hsize_t)n, buf) : h5io_fail_obj(c, obj, "write empty", name);
}

int h5io_attr_str(struct h5io_ctx *c, hid_t obj, hid_t str, const char *name, const char *value) {
  const char *v = value ? value : "";
  return h5io_attr_put(c, obj, name, str, str, &v);
}

int h5io_attr_int(struct h5io_ctx *c, hid_t obj, const char *name, int value) {
  return h5io_attr_put(c, obj, name, H5T_STD_I32LE, H5T_NATIVE_INT, &value);
}

hid_t h5io_group_create(struct h5io_ctx *c, hid_t loc, const char *path) {
  hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE), g = -1;
  if (gcpl >= 0 && H5Pset_obj_track_times(gcpl, 0) >= 0)
    g = H5Gcreate2(loc, path, H5P_DEFAULT, gcpl, H5P_DEFAULT);
  if (g < 0) h5io_fail(c, "cannot create group '%s'", path);
  if (gcpl >= 0) H5Pclose(gcpl);
  return g;
}

hid_t h5io_ds_create(struct h5io_ctx *c, hid_t loc, hid_t str, const char *path, const struct h5io_ds_spec *s,
                     const char *units, const char *long_name) {
  hid_t space = H5Screate_simple(s->rank, s->dims, s->maxdims); /* rank 0: scalar */
  hid_t dcpl = space < 0 ? -1 : H5Pcreate(H5P_DATASET_CREATE), ds = -1;
  if (dcpl >= 0 && H5Pset_obj_track_times(dcpl, 0) >= 0 &&
      (!s->deflate || (H5Pset_chunk(dcpl, s->rank, s->chunk) >= 0 && H5Pset_shuffle(dcpl) >= 0 &&
                       H5Pset_deflate(dcpl, (unsigned)s->deflate) >= 0)) &&
      (!s->fill || H5Pset_fill_value(dcpl, s->mtype, s->fill) >= 0))
    ds = H5Dcreate2(loc, path, s->ftype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  if (ds < 0) h5io_fail(c, "cannot create dataset '%s'", path);
  if (dcpl >= 0) H5Pclose(dcpl);
  if (space >= 0) H5Sclose(space);
  if (ds >= 0 && (h5io_attr_str(c, ds, str, "units", units) < 0 ||
                  h5io_attr_str(c, ds, str, "long_name", long_name) < 0)) {
    H5Dclose(ds);
    return -1;
  }
  return ds;
}

int h5io_ds_write_all(struct h5io_ctx *c, hid_t ds, hid_t mtype, const void *buf) {
  return H5Dwrite(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0 ? h5io_fail_obj(c, ds, "write dataset", NULL)
                                                                      : 0;
}

int h5io_set_scale(struct h5io_ctx *c, hid_t ds) {
  char path[256] = "";
  if (H5Iget_name(ds, path, sizeof path) < 0) return h5io_fail_obj(c, ds, "name", NULL);
  const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  return H5DSset_scale(ds, name) < 0 ? h5io_fail_obj(c, ds, "make a dimension scale of", NULL) : 0;
}

int h5io_attach(struct h5io_ctx *c, hid_t ds, hid_t scale, unsigned axis) {
  return H5DSattach_scale(ds, scale, axis) < 0 ? h5io_fail_obj(c, ds, "attach a dimension scale to", NULL) : 0;
}

/* Select rows [first, first + n) of a dataset's space fs of the given rank
 * and dims (dims[0] becomes n) and make the matching memory space. */
static hid_t select_rows(hid_t fs, int rank, hsize_t *dims, hsize_t first, hsize_t n) {
  hsize_t start[H5IO_RANK_MAX] = {first};
  dims[0] = n;
  if (H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, dims, NULL) < 0) return -1;
  return H5Screate_simple(rank, dims, NULL);
}

int h5io_write_rows(struct h5io_ctx *c, hid_t ds, hsize_t first, hsize_t n, hid_t mtype, const void *buf) {
  hsize_t dims[H5IO_RANK_MAX];
  hid_t fs = H5Dget_space(ds), ms = -1;
  int rank = fs < 0 ? -1 : H5Sget_simple_extent_dims(fs, dims, NULL), rc = -1;
  if (fs >= 0) H5Sclose(fs);
  fs = -1;
  if (rank >= 1 && rank <= H5IO_RANK_MAX) {
    if (dims[0] < first + n) dims[0] = first + n;
    if (H5Dset_extent(ds, dims) >= 0 && (fs = H5Dget_space(ds)) >= 0 &&
        (ms = select_rows(fs, rank, dims, first, n)) >= 0 && H5Dwrite(ds, mtype, ms, fs, H5P_DEFAULT, buf) >= 0)
      rc = 0;
  }
  if (rc < 0) h5io_fail_obj(c, ds, "write to dataset", NULL);
  if (ms >= 0) H5Sclose(ms);
  if (fs >= 0) H5Sclose(fs);
  return rc;
}

int h5io_read_rows(struct h5io_ctx *c, hid_t file, const char *path, hsize_t first, hsize_t n, hid_t mtype,
                   void *buf) {
  hsize_t dims[H5IO_RANK_MAX];
  hid_t ds = H5Dopen2(file, path, H5P_DEFAULT), fs = ds < 0 ? -1 : H5Dget_space(ds), ms = -1;
  int rank = fs < 0 || H5Sget_simple_extent_ndims(fs) > H5IO_RANK_MAX ? -1 : H5Sget_simple_extent_dims(fs, dims, NULL), rc = -1;
  if (rank >= 1 && dims[0] >= first + n && (ms = select_rows(fs, rank, dims, first, n)) >= 0 &&
      H5Dread(ds, mtype, ms, fs, H5P_DEFAULT, buf) >= 0)
    rc = 0;
  if (rc < 0)
    h5io_fail(c, "cannot read rows %llu to %llu of '%s'", (unsigned long long)first,
              (unsigned long long)(first + n - 1), path);
  if (ms >= 0) H5Sclose(ms);
  if (fs >= 0) H5Sclose(fs);
  if (ds >= 0) H5Dclose(ds);
  return rc;
}

void h5io_close_ids(hid_t *ids, int n) {
  for (int i = 0; i < n; i++)
    if (ids[i] >= 0) {
      H5Oclose(ids[i]);
      ids[i] = -1;
    }
}

/* ---- reading ---------------------------------------------------------------- */

int h5io_read_str_attr(struct h5io_ctx *c, hid_t obj, const char *name, char *buf, size_t size) {
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT), ft = -1, mt = -1;
  int rc = -1;
  if (a >= 0 && (ft = H5Aget_type(a)) >= 0 && H5Tget_class(ft) == H5T_STRING) {
    htri_t var = H5Tis_variable_str(ft);
    if (var > 0 && (mt = h5io_utf8_type()) >= 0) {
      char *s = NULL;
      if (H5Aread(a, mt, &s) >= 0) {
        snprintf(buf, size, "%s", s ? s : "");
        H5free_memory(s);
        rc = 0;
      }
    } else if (var == 0) {
      size_t n = H5Tget_size(ft);
      char *s = calloc(n + 1, 1);
      if (s && (mt = H5Tcopy(H5T_C_S1)) >= 0 && H5Tset_size(mt, n + 1) >= 0 && H5Aread(a, mt, s) >= 0) {
        snprintf(buf, size, "%s", s);
        rc = 0;
      }
      free(s);
    }
  }
  if (rc < 0) h5io_fail_obj(c, obj, "read string attribute", name);
  if (mt >= 0) H5Tclose(mt);
  if (ft >= 0) H5Tclose(ft);
  if (a >= 0) H5Aclose(a);
  return rc;
}

int h5io_read_num_attr(struct h5io_ctx *c, hid_t obj, const char *name, hid_t mtype, void *buf) {
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  int rc = a >= 0 && H5Aread(a, mtype, buf) >= 0 ? 0 : h5io_fail_obj(c, obj, "read attribute", name);
  if (a >= 0) H5Aclose(a);
  return rc;
}

int h5io_read_strings(struct h5io_ctx *c, hid_t file, const char *path, int n, char ***out) {
  hid_t ds = H5Dopen2(file, path, H5P_DEFAULT), space = -1, mt = -1;
  char **raw = calloc((size_t)n, sizeof *raw), **copy = calloc((size_t)n, sizeof *copy);
  int rc = -1;
  hsize_t dims[1];
  if (ds < 0 || (space = H5Dget_space(ds)) < 0 || H5Sget_simple_extent_ndims(space) != 1 ||
      H5Sget_simple_extent_dims(space, dims, NULL) < 0 || dims[0] != (hsize_t)n || (mt = h5io_utf8_type()) < 0) {
    h5io_fail(c, "cannot read '%s' (%d strings expected)", path, n);
  } else if (!raw || !copy) {
    h5io_fail_plain(c, "out of memory reading %s", c->file);
  } else if (H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) < 0) {
    h5io_fail(c, "cannot read '%s'", path);
  } else {
    rc = 0;
    for (int i = 0; i < n; i++)
      if (!(copy[i] = strdup(raw[i] ? raw[i] : ""))) rc = h5io_fail_plain(c, "out of memory reading %s", c->file);
    H5Dvlen_reclaim(mt, space, H5P_DEFAULT, raw);
  }
  if (rc == 0) {
    *out = copy;
  } else if (copy) {
    for (int i = 0; i < n; i++) free(copy[i]);
    free(copy);
  }
  free(raw);
  if (mt >= 0) H5Tclose(mt);
  if (space >= 0) H5Sclose(space);
  if (ds >= 0) H5Dclose(ds);
  return rc;
}

long long h5io_extent(hid_t file, const char *path, long long *second) {
  hsize_t dims[H5S_MAX_RANK] = {0}; /* a file given to inspect may hold any rank */
  hid_t ds = H5Dopen2(file, path, H5P_DEFAULT), space = ds < 0 ? -1 : H5Dget_space(ds);
  int rank = space < 0 ? -1 : H5Sget_simple_extent_ndims(space);
  if (rank > 3) rank = -1; /* no relsim dataset has more than 3 dimensions */
  else if (rank >= 0) rank = H5Sget_simple_extent_dims(space, dims, NULL);
  if (space >= 0) H5Sclose(space);
  if (ds >= 0) H5Dclose(ds);
  if (second) *second = rank >= 2 ? (long long)dims[1] : -1;
  return rank >= 1 ? (long long)dims[0] : -1;
}
