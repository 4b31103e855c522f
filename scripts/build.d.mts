export function buildDist(options?: { outdir?: string }): Promise<{ inputs: number; ms: number }>;
