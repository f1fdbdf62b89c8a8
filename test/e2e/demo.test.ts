import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';

describe('bulkfill demo', () => {
  it('runs a real bulk cancel against an embedded sandbox, meets real refusals, retries exactly those, and exits 0', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'bulkfill-demo-'));
    const result = await runBin(['demo'], { BULKFILL_STATE_DIR: stateDir, CI: 'true' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/\$ bulkfill cancel --store http:\/\/127\.0\.0\.1:\d+/);
    expect(result.stderr).toMatch(/\d+ cancelled/);
    // The closed pop-up shop's orders fail with Shopify's reason, then the retry from the CSV cancels them.
    expect(result.stderr).toMatch(/FAIL \d+ failed/);
    expect(result.stderr).toMatch(/Cannot restock items at a deactivated location/);
    expect(result.stderr).toMatch(/Retrying exactly the failed orders[\s\S]*--csv \S+\.failures\.csv[\s\S]*OK \d+ cancelled/);
    expect(result.stdout).toBe('');
  }, 60_000);
});
