import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';

describe('bulkfill demo', () => {
  it('runs a real bulk cancel against an embedded sandbox and exits 0', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'bulkfill-demo-'));
    const result = await runBin(['demo', '--orders', '150'], { BULKFILL_STATE_DIR: stateDir, CI: 'true' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/\$ bulkfill cancel --store http:\/\/127\.0\.0\.1:\d+/);
    expect(result.stderr).toMatch(/\d+ cancelled/);
    expect(result.stdout).toBe('');
  }, 60_000);
});
