"""Reference p-values for the funnel's two-proportion z-test (pooled), computed with scipy.

Run: python3 Tests/Fixtures/reference/make_proportion_vectors.py > Tests/Fixtures/reference/proportion_ztest.json
"""
import json
from scipy.stats import norm

cases = [(40, 1000, 55, 1000), (872, 1932, 1355, 1882), (5, 30, 9, 31), (120, 4000, 118, 4100), (0, 50, 3, 60), (999, 1000, 990, 1000)]
out = []
for k1, n1, k2, n2 in cases:
    p = (k1 + k2) / (n1 + n2)
    se = (p * (1 - p) * (1 / n1 + 1 / n2)) ** 0.5
    z = (k1 / n1 - k2 / n2) / se
    out.append({"k1": k1, "n1": n1, "k2": k2, "n2": n2, "z": z, "p_value": 2 * norm.sf(abs(z))})
print(json.dumps(out, indent=2))
