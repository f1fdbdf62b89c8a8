// Run ids name a run's journal and appear in logs, `bulkfill runs` and `--resume <id>`: the UTC start
// time first so they sort by age as plain strings, then a short random suffix for runs started in the
// same second. The suffix alphabet leaves out 0/o and 1/i/l, which people misread when copying.

const SUFFIX_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';
const SUFFIX_LENGTH = 4;

export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[2-9a-hjkmnp-z]{4}$/;

/** E.g. `20261126-041530-k3f9` for 2026-11-26 04:15:30 UTC. `random` returns values in [0, 1). */
export function newRunId(now: Date, random: () => number): string {
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  const date = `${pad(now.getUTCFullYear(), 4)}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  const time = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) {
    const index = Math.min(Math.floor(random() * SUFFIX_ALPHABET.length), SUFFIX_ALPHABET.length - 1);
    suffix += SUFFIX_ALPHABET[index];
  }
  return `${date}-${time}-${suffix}`;
}

export function isRunId(value: string): boolean {
  return RUN_ID_PATTERN.test(value);
}
