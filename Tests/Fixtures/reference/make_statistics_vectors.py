"""Reference values for LinkStar's action evaluations, computed with scipy.

Run: python3 Tests/Fixtures/reference/make_statistics_vectors.py > Tests/Fixtures/reference/statistics.json
The Swift tests read statistics.json and need no Python.
"""
import json
import numpy as np
from scipy import stats

rng = np.random.default_rng(20261125)
out = {"two_proportion": [], "welch": [], "diff_in_diff_proportions": [], "diff_in_diff_means": [], "srm": [],
       "t_cdf": [], "chi2_sf": [], "t_ppf": []}

for k1, n1, k2, n2 in [(40, 1000, 55, 1000), (310, 10000, 352, 10050), (5, 30, 11, 31), (1200, 40000, 1180, 39000), (0, 80, 4, 90)]:
    p1, p2 = k1 / n1, k2 / n2
    pooled = (k1 + k2) / (n1 + n2)
    z = (p2 - p1) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    se = np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    q = stats.norm.ppf(0.975)
    out["two_proportion"].append({"k1": k1, "n1": n1, "k2": k2, "n2": n2, "estimate": p2 - p1, "z": z,
                                  "p_value": 2 * stats.norm.sf(abs(z)), "ci_low": p2 - p1 - q * se, "ci_high": p2 - p1 + q * se})

for n1, n2, m1, m2, s1, s2 in [(7, 7, 100, 110, 8, 12), (14, 7, 52.5, 50.1, 3.0, 6.5), (3, 4, 10, 14, 1, 3), (30, 28, 1000, 1030, 90, 40)]:
    before = rng.normal(m1, s1, n1).round(2)
    after = rng.normal(m2, s2, n2).round(2)
    res = stats.ttest_ind(after, before, equal_var=False)
    a, b = before.var(ddof=1) / n1, after.var(ddof=1) / n2
    df = (a + b) ** 2 / (a * a / (n1 - 1) + b * b / (n2 - 1))
    se = np.sqrt(a + b)
    d = after.mean() - before.mean()
    q = stats.t.ppf(0.975, df)
    out["welch"].append({"before": before.tolist(), "after": after.tolist(), "estimate": d, "t": res.statistic, "df": df,
                         "p_value": res.pvalue, "ci_low": d - q * se, "ci_high": d + q * se})

for tb, ta, cb, ca in [((400, 1000), (480, 1000), (410, 1000), (470, 1000)), ((120, 5000), (160, 5100), (118, 4900), (121, 5000)),
                       ((55, 700), (60, 650), (50, 690), (70, 720))]:
    groups = [tb, ta, cb, ca]
    p = [k / n for k, n in groups]
    se = np.sqrt(sum(pi * (1 - pi) / n for pi, (k, n) in zip(p, groups)))
    est = (p[1] - p[0]) - (p[3] - p[2])
    z = est / se
    q = stats.norm.ppf(0.975)
    out["diff_in_diff_proportions"].append({"treatment_before": tb, "treatment_after": ta, "control_before": cb, "control_after": ca,
                                            "estimate": est, "z": z, "p_value": 2 * stats.norm.sf(abs(z)),
                                            "ci_low": est - q * se, "ci_high": est + q * se})

for n, base, lift in [(14, 80.0, 6.0), (7, 45.0, 0.0), (10, 900.0, -40.0)]:
    tb = rng.normal(base, base * 0.05, n).round(2); ta = rng.normal(base * 1.1 + lift, base * 0.05, n).round(2)
    cb = rng.normal(base, base * 0.06, n).round(2); ca = rng.normal(base * 1.1, base * 0.06, n).round(2)
    groups = [tb, ta, cb, ca]
    terms = [g.var(ddof=1) / len(g) for g in groups]
    se = np.sqrt(sum(terms))
    df = sum(terms) ** 2 / sum(t * t / (len(g) - 1) for t, g in zip(terms, groups))
    est = (ta.mean() - tb.mean()) - (ca.mean() - cb.mean())
    t = est / se
    q = stats.t.ppf(0.975, df)
    out["diff_in_diff_means"].append({"treatment_before": tb.tolist(), "treatment_after": ta.tolist(), "control_before": cb.tolist(),
                                      "control_after": ca.tolist(), "estimate": est, "t": t, "df": df,
                                      "p_value": 2 * stats.t.sf(abs(t), df), "ci_low": est - q * se, "ci_high": est + q * se})

for observed, shares in [([5000, 5000], [1, 1]), ([5120, 4880], [1, 1]), ([10400, 9600], [0.5, 0.5]), ([3300, 3400, 3300], [1, 1, 1]),
                         ([900, 2100], [0.3, 0.7]), ([1000, 1200], [0.5, 0.5])]:
    total = sum(observed)
    expected = [total * s / sum(shares) for s in shares]
    res = stats.chisquare(observed, expected)
    out["srm"].append({"observed": observed, "shares": shares, "statistic": res.statistic, "p_value": res.pvalue})

for t, df in [(0.5, 3), (-1.2, 7.5), (2.1, 12.3), (4.0, 2), (1.96, 1000), (-3.3, 25.7)]:
    out["t_cdf"].append({"t": t, "df": df, "cdf": stats.t.cdf(t, df), "two_sided": 2 * stats.t.sf(abs(t), df)})
for x, k in [(0.5, 1), (3.84, 1), (10.8, 1), (5.99, 2), (20.0, 5), (0.01, 3), (150.0, 100)]:
    out["chi2_sf"].append({"x": x, "k": k, "sf": stats.chi2.sf(x, k)})
for p, df in [(0.975, 1), (0.975, 5.5), (0.975, 30), (0.9, 12.7), (0.025, 8)]:
    out["t_ppf"].append({"p": p, "df": df, "q": stats.t.ppf(p, df)})

print(json.dumps(out, indent=1))
