/** FNV-1a 32-bit hash of `${seed}:${id}`: the seed of one case or test, from the run seed and its id. */
export function hashSeed(seed: number, id: string): number {
  // FNV-1a is defined on bytes: hash the UTF-8 encoding, so non-ASCII ids hash as other FNV tools do
  const bytes = Buffer.from(`${seed}:${id}`, 'utf8');
  let hash = 0x811c9dc5;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
