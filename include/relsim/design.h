/*
 * Sampling designs in the unit cube and Sobol sensitivity indices, for
 * experiments that run a scenario at many points of its parameter space.
 *
 * A design gives points in [0, 1)^k; the caller maps each coordinate to its
 * factor's range. The Latin hypercube is random and reproducible (drawn from
 * RELSIM_STREAM_DESIGN for a seed); the Saltelli design is GSL's Sobol
 * sequence and has no seed. Sobol indices are estimated from the outputs of
 * a Saltelli design, with percentile-bootstrap intervals drawn from
 * RELSIM_STREAM_BOOTSTRAP.
 *
 * Sources: McKay, Beckman & Conover 1979 (Latin hypercube); Saltelli 2002
 * and Saltelli et al. 2010, "Variance based sensitivity analysis of model
 * output. Design and estimator for the total sensitivity index", Comput.
 * Phys. Commun. 181, 259-270 (the design and the first-order estimator);
 * Jansen 1999 (the total-effect estimator, as recommended there); Bratley &
 * Fox 1988 and GSL's gsl_qrng_sobol (the sequence). Like every GSL call in
 * relsim these expect GSL's error handler to be off (run_scenario turns it
 * off).
 */
#ifndef RELSIM_DESIGN_H
#define RELSIM_DESIGN_H

#include <stddef.h>
#include <stdint.h>

/* Latin hypercube: n points in [0,1)^k, row-major u[i*k + j]; one point per
 * stratum [s/n, (s+1)/n) in every dimension, at a uniform position inside
 * it; deterministic for a seed. Dimension j is a random permutation of the
 * strata drawn from its own stream position (RELSIM_STREAM_DESIGN, entity
 * j), so a dimension's column depends on (seed, n, j) only: adding a factor
 * leaves the columns of the others unchanged. Returns 0, or -1 (n < 1,
 * k < 1, out of memory). */
int design_lhs(int n, int k, uint64_t seed, double *u);

/* The largest k gsl_qrng_sobol supports for design_saltelli (2k dimensions):
 * 20 with GSL's 40 dimensions. */
int design_sobol_max_factors(void);

/* The largest n_base design_saltelli accepts: GSL's sequence ends after
 * 2^30 - 1 points. */
int design_sobol_max_base(void);

/* Saltelli sampling for k factors from n_base points of a 2k-dimensional
 * Sobol sequence (GSL): A = first k coordinates, B = last k. Rows in the
 * order, for j = 0..n_base-1: A_j, B_j, AB_j^(1), ..., AB_j^(k) (AB^(i) = A
 * with column i from B): n_base*(k+2) rows of k values, row-major.
 * The textbook sequence starts at the all-zero point, which is skipped;
 * GSL's generator never returns it (its first point is (1/2, ..., 1/2)), so
 * A_0, B_0 are GSL's first point. Returns 0, or -1 (k < 1, k too large,
 * n_base < 2 or above design_sobol_max_base(), out of memory). */
int design_saltelli(int n_base, int k, double *u);

/* Sobol indices from model outputs y in design_saltelli's row order
 * (n_base*(k+2) values). With f(A)_j, f(B)_j, f(AB^(i))_j the outputs of
 * block j's rows, centred by the mean of all of y (as SALib does: it leaves
 * the estimates' expectations unchanged and removes the noise a large mean
 * adds to the first-order estimator):
 *   V    = variance of the 2 n_base values f(A), f(B) pooled (divisor 2 n_base);
 *   S_i  = mean_j f(B)_j (f(AB^(i))_j - f(A)_j) / V      (Saltelli et al. 2010);
 *   ST_i = mean_j (f(A)_j - f(AB^(i))_j)^2 / (2 V)       (Jansen 1999).
 * Confidence intervals: percentile bootstrap over the n_base blocks
 * (resample b draws n_base blocks with replacement from
 * RELSIM_STREAM_BOOTSTRAP, entity b, and recomputes V, S and ST), two-sided
 * level; a resample whose V is 0 is left out. n_boot = 0 gives NaN bounds.
 * The bootstrap treats the blocks as independent draws: on a Sobol design,
 * more even than random points, the intervals tend to be wider than the
 * actual error. The
 * estimates are not clipped to [0, 1]: a value outside says the sample is
 * too small. out has k elements. Returns 0, or -1 with a reason in err (a
 * NaN or infinite y, V == 0 or overflowing, n_base < 2, k < 1, n_boot < 0,
 * level not in (0, 1), out of memory). */
struct design_sobol_index {
  double first, first_lo, first_hi, total, total_lo, total_hi;
};
int design_sobol_indices(int n_base, int k, const double *y, int n_boot, double level, uint64_t seed,
                         struct design_sobol_index *out, char *err, size_t errlen);

#endif
