export function distIsFresh(root: string, distDir?: string): boolean;
