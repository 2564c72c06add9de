/*
 * HDF5 output: synthetic metrics for 2 firms (one with a Chinese name) and
 * customer snapshots (columns of every element type and shape) are written, then read back with output_read_info, with
 * direct HDF5 calls, with h5diff (identical runs give identical data groups)
 * and with xarray/h5netcdf (tests/check_xarray.py).
 */
#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "relsim/output.h"

#define CHECK_STR_EQ(a, b)                                                                          \
  do {                                                                                              \
    const char *check_x_ = (a), *check_y_ = (b);                                                   \
    check_count++;                                                                                  \
    if (!check_x_ || strcmp(check_x_, check_y_) != 0) {                                             \
      fprintf(stderr, "%s:%d: %s == %s failed: \"%s\" != \"%s\"\n", __FILE__, __LINE__, #a, #b,     \
              check_x_ ? check_x_ : "(null)", check_y_);                                            \
      check_failures++;                                                                             \
    }                                                                                               \
  } while (0)

#define PERIODS 5
#define CUSTOMERS 10
#define SNAPSHOT_PERIOD 2
static const char *const CHINESE_NAME = "老王关系店";
static const char *const SOURCE = "name: test\n# 中文注释\nrun: {periods: 5}\n";

/* Synthetic values; one NaN per period for firm 1 (a zero denominator). */
static double firm_value(int t, int m, int f) {
  return f == 1 && m == RELSIM_FM_cost_per_acquisition ? NAN : t * 1000.0 + m + f * 0.5;
}
static double tier_value(int t, int m, int f, int tier) {
  if (m == RELSIM_TM_level) return (t + f + tier) % RELSIM_LEVEL_COUNT; /* a code */
  return t * 100.0 + m * 10.0 + f + tier * 0.25;
}
static double market_value(int t, int m) { return t * 10.0 + m; }

static struct relsim_params *make_params(void) {
  struct relsim_params *p = calloc(1, sizeof *p);
  snprintf(p->name, sizeof p->name, "output test");
  p->seed = 18446744073709551557ull; /* needs all 64 bits */
  p->periods = PERIODS;
  p->snapshot_every = SNAPSHOT_PERIOD;
  p->customers = CUSTOMERS;
  p->n_attrs = 2;
  snprintf(p->attr_names[0], sizeof p->attr_names[0], "product");
  snprintf(p->attr_names[1], sizeof p->attr_names[1], "service");
  p->n_firms = 2;
  snprintf(p->firms[0].name, sizeof p->firms[0].name, "Transact Co");
  p->firms[0].strategy = RELSIM_STRATEGY_TRANSACTIONAL;
  snprintf(p->firms[1].name, sizeof p->firms[1].name, "%s", CHINESE_NAME);
  p->firms[1].strategy = RELSIM_STRATEGY_RELATIONSHIP;
  return p;
}

static const struct relsim_provenance prov = {"relsim", "1.0.0-test", "abc123", "gcc test", "scenarios/test.yaml",
                                              "relsim run scenarios/test.yaml", 2, 1};

/* Customer arrays for one snapshot: value = customer index (+ firm / 100). */
struct snap_arrays {
  double spend[CUSTOMERS], cum_spend[CUSTOMERS * 2];
  uint8_t trend[CUSTOMERS], aware[CUSTOMERS * 2];
  float need[CUSTOMERS], desire[CUSTOMERS * 2];
  float trust[CUSTOMERS * 2], satisfaction[CUSTOMERS * 2];
  int16_t bought[CUSTOMERS];
  int32_t last_firm[CUSTOMERS];
  uint32_t purchases[CUSTOMERS * 2];
  uint64_t chain[CUSTOMERS];
};

_Static_assert(RELSIM_ELEM_OF(double) == RELSIM_ELEM_F64 && RELSIM_ELEM_OF(float) == RELSIM_ELEM_F32 &&
                   RELSIM_ELEM_OF(uint8_t) == RELSIM_ELEM_U8 && RELSIM_ELEM_OF(int16_t) == RELSIM_ELEM_I16 &&
                   RELSIM_ELEM_OF(int32_t) == RELSIM_ELEM_I32 && RELSIM_ELEM_OF(uint32_t) == RELSIM_ELEM_U32 &&
                   RELSIM_ELEM_OF(uint64_t) == RELSIM_ELEM_U64,
               "RELSIM_ELEM_OF maps each C type to its element type");

/* The test's snapshot columns: every element type and every shape. */
#define TEST_COLUMNS(X)                                                                                   \
  X(spend, double, CUSTOMER, "money", "money per occasion", NULL)                                        \
  X(trend, uint8_t, CUSTOMER, "1", "spend trend", "0 stable 1 rising 2 fading")                          \
  X(need, float, CUSTOMER, "1", "need", NULL)                                                            \
  X(bought, int16_t, CUSTOMER, "1", "firm bought from, -1 none", NULL)                                   \
  X(last_firm, int32_t, CUSTOMER, "1", "firm index of the last purchase, -1 none", "-1 none")           \
  X(chain, uint64_t, CUSTOMER, "1", "story chain", NULL)                                                 \
  X(desire, float, CUSTOMER_ATTR, "1", "desired performance", NULL)                                      \
  X(aware, uint8_t, CUSTOMER_FIRM, "1", "aware", NULL)                                                   \
  X(trust, float, CUSTOMER_FIRM, "1", "trust in the firm", NULL)                                         \
  X(purchases, uint32_t, CUSTOMER_FIRM, "purchases", "purchases", NULL)                                  \
  X(cum_spend, double, CUSTOMER_FIRM, "money", "money paid to the firm so far", NULL)                    \
  X(satisfaction, float, CUSTOMER_FIRM, "1", "last satisfaction, NaN never", NULL)
#define TEST_DOC(name, ctype, shape, units, doc, flags) \
  {#name, units, doc, RELSIM_ELEM_OF(ctype), RELSIM_SHAPE_##shape, NULL, flags},
static const struct relsim_column test_columns[] = {TEST_COLUMNS(TEST_DOC)};
enum { N_COLUMNS = sizeof test_columns / sizeof test_columns[0] };

/* Fill the arrays for one snapshot and point cols at them. */
static void make_snapshot(struct snap_arrays *a, struct relsim_column cols[N_COLUMNS]) {
  for (int i = 0; i < CUSTOMERS; i++) {
    a->spend[i] = 10.0 + i;
    a->trend[i] = (uint8_t)(i % 3);
    a->need[i] = 0.2f;
    a->bought[i] = (int16_t)(i % 2 - 1);
    a->last_firm[i] = i % 3 - 1;
    a->chain[i] = UINT64_MAX - (uint64_t)i;
    for (int j = 0; j < 2; j++) {
      a->desire[i * 2 + j] = 0.7f + 0.01f * j;
      a->aware[i * 2 + j] = 1;
      a->trust[i * 2 + j] = 0.5f + 0.01f * (float)i + 0.1f * (float)j;
      a->purchases[i * 2 + j] = (uint32_t)(i + j);
      a->cum_spend[i * 2 + j] = 100.0 * i + j;
      a->satisfaction[i * 2 + j] = j == 1 && i == 0 ? NAN : 0.8f;
    }
  }
  int i = 0;
#define TEST_DATA(name, ctype, shape, units, doc, flags) \
  cols[i] = test_columns[i];                      \
  cols[i++].data = a->name;
  TEST_COLUMNS(TEST_DATA)
}

/* Open path (replacing what a former test run left there). */
static int open_out(struct relsim_output **out, const char *path, const struct relsim_params *p, const char *source,
                    const struct relsim_column *cols, int n_cols, char *err, size_t errlen) {
  struct relsim_output_spec spec = {path, RELSIM_OUTPUT_FORCE, p, &prov, source, "resolved: {}\n", cols, n_cols};
  return output_open(out, &spec, err, errlen) == RELSIM_OK ? 0 : -1;
}

/* Write `periods` periods (revenue of firm 0 shifted by bump) and close, or
 * keep the partial file (complete = 0). */
static int write_file(const char *path, const struct relsim_params *p, int periods, int complete, double bump) {
  struct relsim_output *out;
  struct relsim_metrics *m = calloc(1, sizeof *m);
  struct snap_arrays *arrays = calloc(1, sizeof *arrays);
  char err[1024] = "";
  int rc = open_out(&out, path, p, SOURCE, test_columns, N_COLUMNS, err, sizeof err);
  for (int t = 0; rc == 0 && t < periods; t++) {
    m->period = t;
    m->n_firms = p->n_firms;
    for (int i = 0; i < RELSIM_FM_COUNT; i++)
      for (int f = 0; f < p->n_firms; f++) m->firm[i][f] = firm_value(t, i, f);
    m->firm[RELSIM_FM_revenue][0] += bump;
    for (int i = 0; i < RELSIM_TM_COUNT; i++)
      for (int f = 0; f < p->n_firms; f++)
        for (int k = 0; k < RELSIM_TIER_COUNT; k++) m->tier[i][f][k] = tier_value(t, i, f, k);
    for (int i = 0; i < RELSIM_MM_COUNT; i++) m->market[i] = market_value(t, i);
    rc = output_write_period(out, m, err, sizeof err);
    if (rc == 0 && t % p->snapshot_every == 0) {
      struct relsim_column cols[N_COLUMNS];
      make_snapshot(arrays, cols);
      rc = output_write_snapshot(out, t, cols, N_COLUMNS, err, sizeof err);
    }
  }
  if (rc == 0) rc = complete ? output_close(out, 1.5, err, sizeof err) : output_keep(out, 1.5, err, sizeof err);
  if (rc != 0) fprintf(stderr, "write_file %s: %s\n", path, err);
  free(m);
  free(arrays);
  return rc;
}

static int exists(const char *path) { return access(path, F_OK) == 0; }

static void check_read_info(const char *path) {
  struct relsim_file_info info;
  char err[1024] = "";
  CHECK_INT_EQ(output_read_info(path, &info, err, sizeof err), 0);
  if (err[0]) fprintf(stderr, "%s\n", err);
  CHECK_STR_EQ(info.software, "relsim");
  CHECK_STR_EQ(info.version, "1.0.0-test");
  CHECK_STR_EQ(info.git_commit, "abc123");
  CHECK_STR_EQ(info.compiler, "gcc test");
  CHECK_STR_EQ(info.schema_version, RELSIM_SCHEMA_VERSION);
  CHECK_STR_EQ(info.scenario_name, "output test");
  CHECK(info.seed == 18446744073709551557ull);
  CHECK_INT_EQ(info.threads, 2);
  CHECK_INT_EQ(info.ranks, 1);
  CHECK_INT_EQ(info.complete, 1);
  CHECK_INT_EQ(info.periods_planned, PERIODS);
  CHECK_INT_EQ(info.periods_done, PERIODS);
  CHECK_INT_EQ(info.customers, CUSTOMERS);
  CHECK_INT_EQ(info.n_firms, 2);
  CHECK_INT_EQ(strlen(info.created), 20); /* 2025-01-31T12:00:00Z */
  if (info.n_firms == 2 && info.hist) {
    CHECK_STR_EQ(info.names[0], "Transact Co");
    CHECK_STR_EQ(info.names[1], CHINESE_NAME);
    CHECK_STR_EQ(info.strategies[0], "transactional");
    CHECK_STR_EQ(info.strategies[1], "relationship");
    int bad = 0;
    for (int t = 0; t < PERIODS; t++)
      for (int m = 0; m < RELSIM_FM_COUNT; m++)
        for (int f = 0; f < 2; f++) {
          double got = info.hist[(t * RELSIM_FM_COUNT + m) * 2 + f], want = firm_value(t, m, f);
          if (!(got == want || (isnan(got) && isnan(want)))) bad++;
        }
    CHECK_INT_EQ(bad, 0);
  }
  output_info_free(&info);
}

static double read_double(hid_t file, const char *path, const hsize_t *at, int rank) {
  double v = -1;
  hsize_t one[3] = {1, 1, 1};
  hid_t ds = H5Dopen2(file, path, H5P_DEFAULT), fs = H5Dget_space(ds), ms = H5Screate_simple(1, one, NULL);
  if (H5Sselect_hyperslab(fs, H5S_SELECT_SET, at, NULL, one, NULL) < 0 ||
      H5Dread(ds, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, &v) < 0)
    fprintf(stderr, "cannot read %s\n", path);
  (void)rank;
  H5Sclose(ms);
  H5Sclose(fs);
  H5Dclose(ds);
  return v;
}

static void read_str_attr(hid_t obj, const char *name, char *buf, size_t size) {
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT), t = H5Aget_type(a);
  char *s = NULL;
  buf[0] = '\0';
  if (H5Tis_variable_str(t) > 0 && H5Aread(a, t, &s) >= 0 && s) snprintf(buf, size, "%s", s);
  H5free_memory(s);
  H5Tclose(t);
  H5Aclose(a);
}

static void check_direct(const char *path) {
  hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  CHECK(file >= 0);
  if (file < 0) return;
  char s[256];
  read_str_attr(file, "random123", s, sizeof s);
  CHECK_STR_EQ(s, "Philox4x64-10");
  read_str_attr(file, "Conventions", s, sizeof s);
  CHECK_STR_EQ(s, "CF-1.8");

  /* The firm coordinate holds the names; coded values carry CF flags. */
  static const char *const firm_scales[] = {"/firm/firm", "/firm_tier/firm", "/customers/firm"};
  for (int i = 0; i < 3; i++) {
    char *names[2] = {NULL, NULL};
    hid_t str = H5Tcopy(H5T_C_S1), sds = H5Dopen2(file, firm_scales[i], H5P_DEFAULT);
    H5Tset_size(str, H5T_VARIABLE);
    H5Tset_cset(str, H5T_CSET_UTF8);
    CHECK(H5Dread(sds, str, H5S_ALL, H5S_ALL, H5P_DEFAULT, names) >= 0);
    CHECK_STR_EQ(names[0], "Transact Co");
    CHECK_STR_EQ(names[1], CHINESE_NAME);
    CHECK(H5DSis_scale(sds) > 0);
    H5free_memory(names[0]);
    H5free_memory(names[1]);
    H5Dclose(sds);
    H5Tclose(str);
  }
  hid_t level = H5Dopen2(file, "/firm_tier/level", H5P_DEFAULT);
  read_str_attr(level, "flag_meanings", s, sizeof s);
  CHECK_STR_EQ(s, "basic reactive accountable proactive partnership");
  double levels[5] = {0};
  hid_t lv = H5Aopen(level, "flag_values", H5P_DEFAULT);
  CHECK(H5Aread(lv, H5T_NATIVE_DOUBLE, levels) >= 0);
  CHECK(levels[0] == 0 && levels[4] == 4);
  H5Aclose(lv);
  H5Dclose(level);
  hid_t trend = H5Dopen2(file, "/customers/trend", H5P_DEFAULT);
  read_str_attr(trend, "flag_meanings", s, sizeof s);
  CHECK_STR_EQ(s, "stable rising fading");
  H5Dclose(trend);
  hid_t period = H5Dopen2(file, "/firm/period", H5P_DEFAULT);
  read_str_attr(period, "units", s, sizeof s);
  CHECK_STR_EQ(s, "week");
  read_str_attr(period, "axis", s, sizeof s);
  CHECK_STR_EQ(s, "T");
  H5Dclose(period);
  read_str_attr(file, "gsl_version", s, sizeof s);
  CHECK(strlen(s) > 0);
  read_str_attr(file, "yaml_version", s, sizeof s);
  CHECK(strlen(s) > 0);
  read_str_attr(file, "hdf5_version", s, sizeof s);
  CHECK_STR_CONTAINS(s, "1.");
  read_str_attr(file, "command_line", s, sizeof s);
  CHECK_STR_EQ(s, "relsim run scenarios/test.yaml");

  hid_t ds = H5Dopen2(file, "/firm/revenue", H5P_DEFAULT);
  read_str_attr(ds, "units", s, sizeof s); /* UDUNITS; the model's unit in relsim_units */
  CHECK_STR_EQ(s, "1");
  read_str_attr(ds, "relsim_units", s, sizeof s);
  CHECK_STR_EQ(s, "money");
  double fill = 0;
  CHECK(H5Aexists(ds, "_FillValue") > 0);
  hid_t fa = H5Aopen(ds, "_FillValue", H5P_DEFAULT), fat = H5Aget_type(fa);
  CHECK(H5Tequal(fat, H5T_IEEE_F64LE) > 0); /* the dataset's own type */
  CHECK(H5Aread(fa, H5T_NATIVE_DOUBLE, &fill) >= 0 && isnan(fill));
  H5Tclose(fat);
  H5Aclose(fa);
  read_str_attr(ds, "long_name", s, sizeof s);
  CHECK_STR_EQ(s, relsim_firm_fields[RELSIM_FM_revenue].long_name);
  H5O_info_t oi;
  CHECK(H5Oget_info2(ds, &oi, H5O_INFO_TIME) >= 0);
  CHECK_INT_EQ(oi.ctime, 0); /* object times off: identical runs, identical bytes */
  hid_t scale = H5Dopen2(file, "/firm/period", H5P_DEFAULT);
  CHECK(H5DSis_attached(ds, scale, 0) > 0);
  H5Dclose(scale);
  hid_t dcpl = H5Dget_create_plist(ds);
  hsize_t chunk[2] = {0, 0};
  CHECK_INT_EQ(H5Pget_chunk(dcpl, 2, chunk), 2);
  CHECK_INT_EQ(H5Pget_nfilters(dcpl), 2); /* shuffle + deflate */
  H5Pclose(dcpl);
  H5Dclose(ds);

  hsize_t at3[3] = {3, 1, 2}, at2[2] = {4, 0}, at1[1] = {2};
  CHECK_NEAR(read_double(file, "/firm_tier/revenue", at3, 3), tier_value(3, RELSIM_TM_revenue, 1, 2), 0);
  CHECK_NEAR(read_double(file, "/firm/cumulative_profit", at2, 2), firm_value(4, RELSIM_FM_cumulative_profit, 0),
             0);
  CHECK_NEAR(read_double(file, "/market/market_purchases", at1, 1), market_value(2, RELSIM_MM_market_purchases), 0);
  hsize_t snap_at[3] = {1, 3, 1}; /* second snapshot (period 2), customer 3, firm 1 */
  CHECK_NEAR(read_double(file, "/customers/cum_spend", snap_at, 3), 301, 0);
  CHECK_NEAR(read_double(file, "/customers/trust", snap_at, 3), 0.5f + 0.03f + 0.1f, 0);
  hsize_t sat_at[3] = {0, 0, 1};
  CHECK(isnan(read_double(file, "/customers/satisfaction", sat_at, 3)));
  hsize_t last_at[2] = {2, 0};
  CHECK_NEAR(read_double(file, "/customers/last_firm", last_at, 2), -1, 0);

  /* Each column keeps its element type, shape and units. */
  static const hid_t *const ftypes[] = {&H5T_IEEE_F64LE_g, &H5T_IEEE_F32LE_g, &H5T_STD_U8LE_g, &H5T_STD_I16LE_g,
                                        &H5T_STD_I32LE_g, &H5T_STD_U32LE_g, &H5T_STD_U64LE_g};
  for (int i = 0; i < N_COLUMNS; i++) {
    char cpath[128];
    snprintf(cpath, sizeof cpath, "/customers/%s", test_columns[i].name);
    hid_t cds = H5Dopen2(file, cpath, H5P_DEFAULT), t = H5Dget_type(cds), sp = H5Dget_space(cds);
    CHECK(H5Tequal(t, *ftypes[test_columns[i].elem]) > 0);
    CHECK_INT_EQ(H5Sget_simple_extent_ndims(sp), test_columns[i].shape == RELSIM_SHAPE_CUSTOMER ? 2 : 3);
    read_str_attr(cds, "units", s, sizeof s);
    CHECK_STR_EQ(s, "1"); /* money and counts are "1" for UDUNITS */
    CHECK_INT_EQ(H5Aexists(cds, "relsim_units") > 0, strcmp(test_columns[i].units, "1") != 0);
    CHECK_INT_EQ(H5Aexists(cds, "_FillValue") > 0, test_columns[i].elem <= RELSIM_ELEM_F32);
    CHECK_INT_EQ(H5Aexists(cds, "flag_values") > 0, test_columns[i].flags != NULL);
    if (test_columns[i].flags) {
      hid_t fv = H5Aopen(cds, "flag_values", H5P_DEFAULT), fvt = H5Aget_type(fv);
      CHECK(H5Tequal(fvt, *ftypes[test_columns[i].elem]) > 0); /* CF: the variable's type */
      H5Tclose(fvt);
      H5Aclose(fv);
    }
    H5Sclose(sp);
    H5Tclose(t);
    H5Dclose(cds);
  }
  hsize_t c3[2] = {1, 3};
  CHECK_NEAR(read_double(file, "/customers/bought", c3, 2), 0, 0);
  hsize_t c2[2] = {1, 2};
  CHECK_NEAR(read_double(file, "/customers/bought", c2, 2), -1, 0);
  uint64_t chain[CUSTOMERS] = {0};
  ds = H5Dopen2(file, "/customers/chain", H5P_DEFAULT);
  hid_t fs = H5Dget_space(ds);
  hsize_t start[2] = {2, 0}, count[2] = {1, CUSTOMERS};
  H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL);
  hid_t ms = H5Screate_simple(2, count, NULL);
  CHECK(H5Dread(ds, H5T_NATIVE_UINT64, ms, fs, H5P_DEFAULT, chain) >= 0);
  CHECK(chain[0] == UINT64_MAX && chain[9] == UINT64_MAX - 9); /* all 64 bits kept */
  H5Sclose(ms);
  H5Sclose(fs);
  H5Dclose(ds);

  int periods[3] = {-1, -1, -1};
  ds = H5Dopen2(file, "/customers/period", H5P_DEFAULT);
  CHECK(H5Dread(ds, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, periods) >= 0);
  CHECK_INT_EQ(periods[0], 0);
  CHECK_INT_EQ(periods[1], 2);
  CHECK_INT_EQ(periods[2], 4);
  H5Dclose(ds);

  char *text = NULL;
  hid_t str = H5Tcopy(H5T_C_S1);
  H5Tset_size(str, H5T_VARIABLE);
  H5Tset_cset(str, H5T_CSET_UTF8);
  ds = H5Dopen2(file, "/scenario/source", H5P_DEFAULT);
  CHECK(H5Dread(ds, str, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text) >= 0);
  CHECK_STR_EQ(text, SOURCE);
  H5free_memory(text);
  H5Dclose(ds);
  H5Tclose(str);

  hid_t vol = H5Gopen2(file, "/volatile", H5P_DEFAULT);
  double wall = 0;
  hid_t a = H5Aopen(vol, "wall_seconds", H5P_DEFAULT);
  CHECK(H5Aread(a, H5T_NATIVE_DOUBLE, &wall) >= 0);
  CHECK_NEAR(wall, 1.5, 0);
  H5Aclose(a);
  H5Gclose(vol);
  H5Fclose(file);
}

/* The reference has a row for every metric of the tables. */
static void check_reference(void) {
  FILE *f = tmpfile();
  char line[1024];
  int firm_rows = 0;
  output_print_reference(f, test_columns, N_COLUMNS);
  rewind(f);
  while (fgets(line, sizeof line, f)) {
    if (!strncmp(line, "| `/firm/", 9)) firm_rows++;
    if (!strncmp(line, "| `/firm/revenue`", 17)) CHECK_STR_CONTAINS(line, "| (period, firm) | 1 (money) |");
    if (!strncmp(line, "| `/customers/trend`", 20)) CHECK_STR_CONTAINS(line, "codes `0 stable 1 rising 2 fading`");
    if (!strncmp(line, "| `/firm_tier/level`", 20))
      CHECK_STR_CONTAINS(line, "codes `0 basic 1 reactive 2 accountable 3 proactive 4 partnership`");
    if (!strncmp(line, "| `/customers/trust`", 20)) CHECK_STR_CONTAINS(line, "(period, customer, firm)");
  }
  fclose(f);
  CHECK_INT_EQ(firm_rows, RELSIM_FM_COUNT + 2); /* + the period and firm coordinates */
}

/* No market metric shares a firm metric's name, so /firm and /market merge
 * into one xarray dataset. */
static void check_merge_names(void) {
  int clashes = 0;
  for (int i = 0; i < RELSIM_MM_COUNT; i++)
    for (int j = 0; j < RELSIM_FM_COUNT; j++)
      if (!strcmp(relsim_market_fields[i].name, relsim_firm_fields[j].name)) {
        fprintf(stderr, "/market/%s and /firm/%s share a name\n", relsim_market_fields[i].name,
                relsim_firm_fields[j].name);
        clashes++;
      }
  CHECK_INT_EQ(clashes, 0);
}

/* Run a shell command; its exit status. */
static int run(const char *cmd) {
  int rc = system(cmd);
  return rc == -1 ? -1 : (WIFEXITED(rc) ? WEXITSTATUS(rc) : -1);
}

static void check_h5diff(const struct relsim_params *p) {
  if (run("command -v h5diff >/dev/null 2>&1") != 0) {
    fprintf(stderr, "h5diff not found: skipping the h5diff comparison\n");
    return;
  }
  CHECK_INT_EQ(write_file("test_output_a.h5", p, PERIODS, 1, 0), 0);
  CHECK_INT_EQ(write_file("test_output_b.h5", p, PERIODS, 1, 0), 0);
  CHECK_INT_EQ(write_file("test_output_c.h5", p, PERIODS, 1, 0.001), 0);
  static const char *const data[] = {"/firm", "/firm_tier", "/market", "/firms", "/scenario", "/customers"};
  char cmd[256];
  for (size_t i = 0; i < sizeof data / sizeof data[0]; i++) {
    snprintf(cmd, sizeof cmd, "h5diff test_output_a.h5 test_output_b.h5 %s %s", data[i], data[i]);
    CHECK_INT_EQ(run(cmd), 0);
  }
  /* The comparison is not vacuous: a different revenue is a difference. */
  CHECK_INT_EQ(run("h5diff -q test_output_a.h5 test_output_c.h5 /firm /firm"), 1);
}

/* An interpreter with xarray, h5netcdf and netCDF4: RELSIM_PYTHON, python3, or the system's. */
static const char *find_python(void) {
  static const char *candidates[] = {NULL, "python3", "/usr/bin/python3"};
  candidates[0] = getenv("RELSIM_PYTHON");
  char cmd[512];
  for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
    if (!candidates[i] || !candidates[i][0]) continue;
    snprintf(cmd, sizeof cmd, "%s -c 'import xarray, h5netcdf, netCDF4' >/dev/null 2>&1", candidates[i]);
    if (run(cmd) == 0) return candidates[i];
  }
  return NULL;
}

static void check_xarray(const char *path) {
#ifdef __SANITIZE_ADDRESS__
  /* Python's readers on a file that is the same from every build: the
   * release build's test_output reads it, the sanitizer build's does not. */
  (void)path;
  fprintf(stderr, "check_xarray left to the release build (AddressSanitizer build)\n");
  return;
#endif
  const char *python = find_python();
  CHECK(python != NULL);
  if (!python) {
    fprintf(stderr, "no python3 with xarray, h5netcdf and netCDF4 (apt-get install python3-xarray "
                    "python3-h5netcdf python3-netcdf4, or set RELSIM_PYTHON)\n");
    return;
  }
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "%s %s/tests/check_xarray.py %s --expect 'firm/revenue[3,1]=%.17g' "
           "--expect 'firm_tier/retention_rate[2,0,1]=%.17g' --expect 'market/searches[4]=%.17g'",
           python, RELSIM_SOURCE_DIR, path, firm_value(3, RELSIM_FM_revenue, 1),
           tier_value(2, RELSIM_TM_retention_rate, 0, 1), market_value(4, RELSIM_MM_searches));
  CHECK_INT_EQ(run(cmd), 0);
}

int main(void) {
  struct relsim_params *p = make_params();
  char err[1024];
  const char *path = "test_output.h5";
  remove(path);

  /* A complete file. */
  CHECK_INT_EQ(write_file(path, p, PERIODS, 1, 0), 0);
  CHECK(exists(path));
  CHECK(!exists("test_output.h5.partial"));
  check_read_info(path);
  check_direct(path);

  /* Interrupted: the partial file is kept with complete = 0 and periods_done. */
  remove("test_output_partial.h5");
  CHECK_INT_EQ(write_file("test_output_partial.h5", p, 2, 0, 0), 0);
  CHECK(!exists("test_output_partial.h5"));
  CHECK(rename("test_output_partial.h5.partial", "test_output_partial.h5") == 0);
  struct relsim_file_info info;
  CHECK_INT_EQ(output_read_info("test_output_partial.h5", &info, err, sizeof err), 0);
  CHECK_INT_EQ(info.complete, 0);
  CHECK_INT_EQ(info.periods_done, 2);
  CHECK_INT_EQ(info.periods_planned, PERIODS);
  output_info_free(&info);

  /* A metric missing (an older file) reads as NaN. */
  hid_t old = H5Fopen("test_output_partial.h5", H5F_ACC_RDWR, H5P_DEFAULT);
  CHECK(H5Ldelete(old, "/firm/cogs", H5P_DEFAULT) >= 0);
  H5Fclose(old);
  CHECK_INT_EQ(output_read_info("test_output_partial.h5", &info, err, sizeof err), 0);
  if (info.hist) {
    CHECK(isnan(info.hist[(1 * RELSIM_FM_COUNT + RELSIM_FM_cogs) * 2 + 1]));
    CHECK_NEAR(info.hist[(1 * RELSIM_FM_COUNT + RELSIM_FM_revenue) * 2 + 1], firm_value(1, RELSIM_FM_revenue, 1), 0);
  }
  output_info_free(&info);

  /* Abort leaves nothing. */
  struct relsim_output *out;
  remove("test_output_abort.h5");
  CHECK_INT_EQ(
      open_out(&out, "test_output_abort.h5", p, NULL, test_columns, N_COLUMNS, err, sizeof err), 0);
  CHECK(exists("test_output_abort.h5.partial"));
  output_abort(out, 0);
  CHECK(!exists("test_output_abort.h5.partial"));
  CHECK(!exists("test_output_abort.h5"));

  /* Periods out of order and a missing directory are reported. */
  CHECK_INT_EQ(
      open_out(&out, "test_output_order.h5", p, NULL, test_columns, N_COLUMNS, err, sizeof err), 0);
  struct relsim_metrics *m = calloc(1, sizeof *m);
  m->period = 1;
  m->n_firms = 2;
  CHECK_INT_EQ(output_write_period(out, m, err, sizeof err), -1);
  CHECK_STR_CONTAINS(err, "period 0 expected");
  output_abort(out, 0);
  free(m);
  err[0] = '\0';
  CHECK_INT_EQ(open_out(&out, "no/such/dir/out.h5", p, NULL, NULL, 0, err, sizeof err), -1);
  CHECK_STR_CONTAINS(err, "no/such/dir/out.h5");
  fprintf(stderr, "missing directory message: %s\n", err);

  /* Snapshot columns that differ from those the file was opened with, and a
   * column without data, are refused. */
  CHECK_INT_EQ(open_out(&out, "test_output_cols.h5", p, NULL, test_columns, N_COLUMNS, err, sizeof err), 0);
  struct snap_arrays *arrays = calloc(1, sizeof *arrays);
  struct relsim_column cols[N_COLUMNS];
  make_snapshot(arrays, cols);
  CHECK_INT_EQ(output_write_snapshot(out, 0, cols, N_COLUMNS - 1, err, sizeof err), -1);
  CHECK_STR_CONTAINS(err, "columns, the file has");
  cols[3].elem = RELSIM_ELEM_I32;
  CHECK_INT_EQ(output_write_snapshot(out, 0, cols, N_COLUMNS, err, sizeof err), -1);
  CHECK_STR_CONTAINS(err, "'bought'");
  make_snapshot(arrays, cols);
  cols[5].data = NULL;
  CHECK_INT_EQ(output_write_snapshot(out, 0, cols, N_COLUMNS, err, sizeof err), -1);
  CHECK_STR_CONTAINS(err, "no data");
  output_abort(out, 0);
  free(arrays);

  /* Coded values that are not "VALUE MEANING" pairs are refused. */
  struct relsim_column bad_flags[N_COLUMNS];
  memcpy(bad_flags, test_columns, sizeof bad_flags);
  bad_flags[1].flags = "0 stable 1";
  CHECK_INT_EQ(open_out(&out, "test_output_flags.h5", p, NULL, bad_flags, N_COLUMNS, err, sizeof err),
               -1);
  CHECK_STR_CONTAINS(err, "'/customers/trend'");
  CHECK(!exists("test_output_flags.h5.partial"));

  /* No snapshot columns: no /customers group, and a snapshot is refused. */
  remove("test_output_nocols.h5");
  CHECK_INT_EQ(open_out(&out, "test_output_nocols.h5", p, NULL, NULL, 0, err, sizeof err), 0);
  CHECK_INT_EQ(output_write_snapshot(out, 0, NULL, 0, err, sizeof err), -1);
  CHECK_STR_CONTAINS(err, "snapshot_every is 0 or no columns");
  CHECK_INT_EQ(output_close(out, 0.0, err, sizeof err), 0);
  hid_t nocols = H5Fopen("test_output_nocols.h5", H5F_ACC_RDONLY, H5P_DEFAULT);
  CHECK(H5Lexists(nocols, "/customers", H5P_DEFAULT) == 0);
  CHECK(H5Lexists(nocols, "/firm/revenue", H5P_DEFAULT) > 0);
  H5Fclose(nocols);

  /* Files that are not relsim output. */
  FILE *txt = fopen("test_output_text.h5", "w");
  fputs("not hdf5\n", txt);
  fclose(txt);
  CHECK_INT_EQ(output_read_info("test_output_text.h5", &info, err, sizeof err), -1);
  CHECK_STR_CONTAINS(err, "not an HDF5 file");
  CHECK_INT_EQ(output_read_info("test_output_missing.h5", &info, err, sizeof err), -1);
  CHECK_STR_CONTAINS(err, "test_output_missing.h5");
  hid_t other = H5Fcreate("test_output_other.h5", H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  H5Fclose(other);
  CHECK_INT_EQ(output_read_info("test_output_other.h5", &info, err, sizeof err), -1);
  CHECK_STR_CONTAINS(err, "not a relsim output file");

  check_reference();
  check_merge_names();
  check_h5diff(p);
  check_xarray(path);
  free(p);
  return check_report("test_output");
}
