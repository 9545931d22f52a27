/** Small statistics for benchmark reports: medians and percentiles of samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summary(samples: readonly number[], unit = 'ms'): string {
  const f = (n: number) => n.toFixed(unit === 'ms' ? 0 : 1);
  return `n=${samples.length} p50=${f(percentile(samples, 50))}${unit} p95=${f(percentile(samples, 95))}${unit} max=${f(Math.max(...samples))}${unit}`;
}
